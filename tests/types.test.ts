// The public types say what the calls return: each case pairs a compile-time assertion
// (expectTypeOf, checked by `npm run typecheck`; `@ts-expect-error` lines must not compile)
// with the value at run time, so that a type cannot drift away from the behaviour.
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  Bytes,
  ByteArray,
  Ellipsis,
  MemoryView,
  NDArray,
  NotImplementedError,
  PyBUF,
  PySlice,
  capi,
  init,
  runtimeMemory,
  slice,
  type Item,
  type ItemOf,
  type NDList,
  type NDValue,
  type NestedList,
} from '../src/index.js';

beforeAll(async () => {
  await init();
});

describe('MemoryView.get() is typed by its key', () => {
  it('an index or a full tuple gives an item, a slice or Ellipsis a view, slices never return', () => {
    using b = Bytes.from(new Float32Array([1, 2, 3, 4, 5, 6]));
    using flat = MemoryView.fromObject(b).cast('f');
    using m = flat.cast('B').cast('f', [2, 3]);
    expectTypeOf(flat.get(0)).toEqualTypeOf<number>();
    expectTypeOf(m.get([1, 2])).toEqualTypeOf<number>();
    expect(m.get([1, 2]) * 2).toBe(12);
    expectTypeOf(flat.get(slice(1, 3))).toEqualTypeOf<MemoryView<number>>();
    using s = flat.get(slice(1, 3));
    expect(s.shape).toEqual([2]);
    const ellipsis = () => flat.get(Ellipsis);
    expectTypeOf(ellipsis).returns.toEqualTypeOf<MemoryView<number>>();
    expect(ellipsis).toThrow('memoryview: invalid slice key'); // Ellipsis selects only a 0-dim view
    const sliced = () => m.get([slice(0, 1), slice(0, 1)]);
    expectTypeOf(sliced).returns.toEqualTypeOf<never>();
    expect(sliced).toThrow(NotImplementedError);
    const keyOf = (i: number): number | PySlice => (i === 0 ? 0 : slice(0, 1));
    expectTypeOf(flat.get(keyOf(0))).toEqualTypeOf<number | MemoryView<number>>();
    expect(flat.get(keyOf(0))).toBe(1);
    // @ts-expect-error: a tuple mixing indices and slices is no key CPython accepts
    expect(() => m.get([0, slice(0, 1)])).toThrow(TypeError);
  });

  it('a 0-dim view takes [] for its item and Ellipsis for itself', () => {
    using b = Bytes.from(new Float64Array([2.5]));
    using scalar = MemoryView.fromObject(b).cast('d', []);
    expectTypeOf(scalar.get([])).toEqualTypeOf<number>();
    expect(scalar.get([])).toBe(2.5);
    expect(scalar.get(Ellipsis)).toBe(scalar);
  });
});

describe('item types follow the format where the types know it', () => {
  it("a view of a TypedArray over the runtime's memory reads items of its element type", () => {
    const p = capi.PyMem_Malloc(16);
    try {
      using f = MemoryView.fromObject(new Float32Array(runtimeMemory().buffer, p, 4));
      using q = MemoryView.fromObject(new BigInt64Array(runtimeMemory().buffer, p, 2));
      using u = MemoryView.fromObject(new Uint8ClampedArray(runtimeMemory().buffer, p, 16));
      expectTypeOf(f).toEqualTypeOf<MemoryView<number>>();
      expectTypeOf(q).toEqualTypeOf<MemoryView<bigint>>();
      expectTypeOf(u).toEqualTypeOf<MemoryView<number>>();
      expect([f.format, typeof f.get(0), q.format, typeof q.get(0), u.format]).toEqual([
        'f',
        'number',
        'q',
        'bigint',
        'B',
      ]);
    } finally {
      capi.PyMem_Free(p);
    }
  });

  it('fromObject, cast and toreadonly carry the item type', () => {
    using b = Bytes.from([1, 0, 0, 0, 0, 0, 0, 0]);
    using ba = new ByteArray(8);
    using nd = new NDArray([1, 2], { shape: [2], format: '<i' });
    using mb = MemoryView.fromObject(b);
    using mba = MemoryView.fromObject(ba);
    using mnd = MemoryView.fromObject(nd);
    expectTypeOf(mb).toEqualTypeOf<MemoryView<number>>();
    expectTypeOf(mba).toEqualTypeOf<MemoryView<number>>();
    expectTypeOf(mnd).toEqualTypeOf<MemoryView<Item>>(); // an NDArray's format is known at run time only
    using q = mb.cast('q');
    using at = mb.cast('@Q');
    using flag = mb.cast('?');
    using chars = mb.cast('c');
    using again = MemoryView.fromObject(q);
    using ro = q.toreadonly();
    expectTypeOf(q.get(0)).toEqualTypeOf<bigint>();
    expectTypeOf(at.get(0)).toEqualTypeOf<bigint>();
    expectTypeOf(flag.get(0)).toEqualTypeOf<boolean>();
    expectTypeOf(chars.get(0)).toEqualTypeOf<Uint8Array>();
    expectTypeOf(again).toEqualTypeOf<MemoryView<bigint>>();
    expectTypeOf(ro).toEqualTypeOf<MemoryView<bigint>>();
    expect([typeof q.get(0), typeof at.get(0), typeof flag.get(0), chars.get(0) instanceof Uint8Array]).toEqual([
      'bigint',
      'bigint',
      'boolean',
      true,
    ]);
    expectTypeOf(q.tolist()).toEqualTypeOf<NestedList<bigint>>();
    expectTypeOf([...mb]).toEqualTypeOf<number[]>();
    expectTypeOf<ItemOf<string>>().toEqualTypeOf<Item>();
    expectTypeOf(nd.tolist()).toEqualTypeOf<NDList>();
    expectTypeOf(nd.get(slice(0, 1))).toEqualTypeOf<NDArray>();
    expectTypeOf(nd.get(0)).toEqualTypeOf<NDArray | NDValue>();
    const narrow: MemoryView = q; // a typed view is still a MemoryView
    expect(narrow.format).toBe('q');
  });
});

describe('closed sets are literal types, open ones strings', () => {
  it("cast formats and orders outside CPython's sets do not compile, and fail at run time too", () => {
    using b = new Bytes(8);
    using m = MemoryView.fromObject(b);
    // @ts-expect-error: not a native format
    expect(() => m.cast('flaot')).toThrow(/destination format must be a native single character format/);
    // @ts-expect-error: struct's byte-order prefixes are not cast formats
    expect(() => m.cast('<i')).toThrow(/native single character/);
    // @ts-expect-error: orders are 'C', 'F' and 'A'
    expect(() => m.tobytes('X')).toThrow("order must be 'C', 'F' or 'A'");
    const view = capi.PyObject_GetBuffer(b, PyBUF.FULL_RO);
    // @ts-expect-error: the C API's orders too
    expect(capi.PyBuffer_IsContiguous(view, 'X')).toBe(false);
    capi.PyBuffer_Release(view);
    // @ts-expect-error: views come from MemoryView.fromObject and friends
    expect(() => new MemoryView().nbytes).toThrow(TypeError);
  });

  it('an NDArray (and struct) format is any struct string', () => {
    using nd = new NDArray([[1, 2.5]], { shape: [1], format: '<h3xd' });
    expect(nd.tolist()).toEqual([[1, 2.5]]);
    expect(nd.itemsize).toBe(13);
  });
});
