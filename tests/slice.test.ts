// slice bounds (src/slice.ts, PySlice_Unpack): any Python int, a bool included, as CPython's
// _PyEval_SliceIndex takes them. Expected values printed by Pyodide 314.0.7.
import { beforeAll, describe, expect, it } from 'vitest';
import { ByteArray, Bytes, MemoryView, NDArray, init, slice, testbuffer } from '../src/index.js';
import { errorOf } from './helpers/errors.js';

beforeAll(async () => {
  await init();
});

describe('slice bounds that are booleans', () => {
  it('index memoryviews as the ints 1 and 0, and a step of False is a zero step', () => {
    // memoryview(b'abcdef'): m[True:], m[:True], m[::True], m[False:-1:True] are b'bcdef', b'a',
    // b'abcdef', b'abcde'; m[::False] raises ValueError "slice step cannot be zero"
    using b = new Bytes('abcdef');
    using m = MemoryView.fromObject(b);
    const text = (v: MemoryView): string => String.fromCharCode(...v.tobytes());
    const views = [slice(true, null), slice(null, true), slice(null, null, true), slice(false, -1, true)].map((k) =>
      m.get(k),
    );
    expect(views.map(text)).toEqual(['bcdef', 'a', 'abcdef', 'abcde']);
    for (const v of views) v.release();
    expect(errorOf(() => m.get(slice(null, null, false)))).toEqual(['ValueError', 'slice step cannot be zero']);
  });

  it('slice ndarrays, give slice_indices, and select the target of a slice assignment', () => {
    // ndarray([1, 2, 3, 4], shape=[4])[True:] is [2, 3, 4]; slice_indices(slice(True, None, None), 5)
    // is (1, 5, 1, 4), slice_indices(slice(None, None, True), 5) (0, 5, 1, 5); with
    // mb = memoryview(bytearray(b'abcd')), mb[True:3] = b'XY' makes it b'aXYd'
    using nd = new NDArray([1, 2, 3, 4], { shape: [4] });
    using tail = nd.get(slice(true, null)) as NDArray;
    expect(tail.tolist()).toEqual([2, 3, 4]);
    expect(testbuffer.slice_indices(slice(true, null, null), 5)).toEqual([1, 5, 1, 4]);
    expect(testbuffer.slice_indices(slice(null, null, true), 5)).toEqual([0, 5, 1, 5]);
    using ba = new ByteArray('abcd');
    using mb = MemoryView.fromObject(ba);
    using xy = new Bytes('XY');
    mb.set(slice(true, 3), xy);
    expect(String.fromCharCode(...ba.toUint8Array())).toBe('aXYd');
  });

  it('print as Python spells them', () => {
    expect(String(slice(true, null, false))).toBe('slice(True, None, False)');
  });
});
