// slice bounds (src/slice.ts, PySlice_Unpack): any Python int, a bool included, as CPython's
// _PyEval_SliceIndex takes them; slice.indices on Python ints of any size. Expected values
// printed by Pyodide 314.0.7.
import { beforeAll, describe, expect, it } from 'vitest';
import { ByteArray, Bytes, MemoryView, NDArray, PySlice, init, slice, testbuffer } from '../src/index.js';
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

describe('slice.indices(length), as _PySlice_GetLongIndices on Python ints', () => {
  // slice(...).indices(length) in Pyodide 314.0.7
  const cases: Array<[string, PySlice, number | bigint | boolean, (number | bigint)[]]> = [
    ['a reversed slice of 2**31 items', slice(null, null, -1), 2 ** 31, [2147483647, -1, -1]],
    ['a reversed slice of 2**31 - 1 items', slice(null, null, -1), 2 ** 31 - 1, [2147483646, -1, -1]],
    ['the last 3 of 2**32 items', slice(-3, null), 2 ** 32, [4294967293, 4294967296, 1]],
    ['the last 3 of 2**53 + 1 items', slice(-3, null), 2n ** 53n + 1n, [9007199254740990, 2n ** 53n + 1n, 1]],
    ['bounds past 2**64 on 2**64 items', slice(2n ** 70n, -(2n ** 70n), -1), 2n ** 64n, [2n ** 64n - 1n, -1, -1]],
    ['a step of 2**70, given back as is', slice(-(2n ** 70n), 2n ** 70n, 2n ** 70n), 2, [0, 2, 2n ** 70n]],
    ['bounds past Py_ssize_t, unclamped', slice(-(2 ** 31) - 5, 2 ** 31 + 5, 3), 2 ** 32, [2147483643, 2147483653, 3]],
    ['a bool start and a length of True', slice(true, null), true, [1, 1, 1]],
    ['a reversed slice of False items', slice(null, null, -1), false, [-1, -1, -1]],
    ['slice(1, 5, 2) of 2', slice(1, 5, 2), 2, [1, 2, 2]],
  ];
  it.each(cases)('gives %s exactly', (_what, s, length, out) => {
    expect(s.indices(length)).toEqual(out);
  });

  const refused: Array<[string, PySlice, unknown, string, string]> = [
    ['a float length', slice(1), 1.5, 'TypeError', "'float' object cannot be interpreted as an integer"],
    ['a None length', slice(1), null, 'TypeError', "'NoneType' object cannot be interpreted as an integer"],
    ['a str length', slice(1), '2', 'TypeError', "'str' object cannot be interpreted as an integer"],
    ['a bytes length', slice(1), Uint8Array.of(1), 'TypeError', "'bytes' object cannot be interpreted as an integer"],
    ['a negative length, before a zero step', slice(null, null, 0), -1, 'ValueError', 'length should not be negative'],
    ['a negative bigint length', slice(1), -(2n ** 40n), 'ValueError', 'length should not be negative'],
    ['a zero step, before a float start', slice(1.5, null, 0), 3, 'ValueError', 'slice step cannot be zero'],
    [
      'a float start',
      slice(1.5, null),
      3,
      'TypeError',
      'slice indices must be integers or None or have an __index__ method',
    ],
  ];
  it.each(refused)('refuses %s', (_what, s, length, name, message) => {
    expect(errorOf(() => s.indices(length as never))).toEqual([name, message]);
  });
});
