// The strided API (src/layout/): copyLayout/transpose for plain TypedArrays and StridedView
// over runtime memory, against a plain JS gather, with every error leaving memory untouched.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  StridedView,
  ValueError,
  capi,
  copyLayout,
  heapStats,
  runtimeMemory,
  init,
  transpose,
  type NumericArray,
} from '../src/index.js';
import { wasm } from '../src/wasm/instance.js';

beforeAll(async () => {
  await init();
});

/** The view as plain JS reads it: item [i, j, ...] at offset + sum(index * stride). */
function gather(
  src: ArrayLike<number | bigint>,
  shape: number[],
  strides: number[],
  offset: number,
): Array<number | bigint> {
  const out: Array<number | bigint> = [];
  const index = new Array<number>(shape.length).fill(0);
  const total = shape.reduce((a, b) => a * b, 1);
  for (let e = 0; e < total; e++) {
    let k = offset;
    for (let i = 0; i < shape.length; i++) k += index[i] * strides[i];
    out.push(src[k]);
    for (let i = shape.length - 1; i >= 0; i--) {
      if (++index[i] < shape[i]) break;
      index[i] = 0;
    }
  }
  return out;
}

function filled<T extends NumericArray>(ctor: { new (n: number): T }, n: number): T {
  const a = new ctor(n);
  for (let i = 0; i < n; i++) {
    (a as unknown as Array<number | bigint>)[i] =
      a instanceof BigInt64Array || a instanceof BigUint64Array ? BigInt(i) : (i * 7) % 251;
  }
  return a;
}

const TYPES = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
] as const;

const LAYOUTS: Array<{ name: string; base: number; shape: number[]; strides: number[]; offset: number }> = [
  { name: 'a crop of a 2-D image', base: 30 * 40, shape: [10, 12], strides: [40, 1], offset: 5 * 40 + 7 },
  { name: 'a horizontal flip', base: 30 * 40, shape: [30, 40], strides: [40, -1], offset: 39 },
  { name: 'a vertical flip', base: 30 * 40, shape: [30, 40], strides: [-40, 1], offset: 29 * 40 },
  { name: 'a 1-D step slice of step 3', base: 1000, shape: [333], strides: [3], offset: 1 },
  { name: 'a 2-D step slice of step 2', base: 30 * 40, shape: [15, 20], strides: [80, 2], offset: 0 },
  { name: 'a transpose', base: 30 * 40, shape: [40, 30], strides: [1, 40], offset: 0 },
  {
    name: 'a 3-D permutation of an RGB image (HWC to CHW)',
    base: 20 * 24 * 3,
    shape: [3, 20, 24],
    strides: [1, 72, 3],
    offset: 0,
  },
  { name: 'a reversed transpose', base: 30 * 40, shape: [40, 30], strides: [-1, -40], offset: 30 * 40 - 1 },
];

describe('copyLayout copies the strided view of a TypedArray', () => {
  for (const layout of LAYOUTS) {
    it(`for ${layout.name}, in every TypedArray type`, () => {
      for (const ctor of TYPES) {
        const src = filled(ctor as unknown as { new (n: number): NumericArray }, layout.base);
        const out = copyLayout(src, layout);
        expect(out.constructor).toBe(ctor);
        expect([...out]).toEqual(gather(src, layout.shape, layout.strides, layout.offset));
      }
    });
  }

  it('writes into `out` when given, and returns it', () => {
    const src = filled(Float32Array, 64);
    const out = new Float32Array(70).fill(-1);
    expect(copyLayout(src, { shape: [8, 8], strides: [1, 8] }, out)).toBe(out);
    expect([...out.subarray(0, 64)]).toEqual(gather(src, [8, 8], [1, 8], 0));
    expect([...out.subarray(64)]).toEqual(new Array(6).fill(-1));
  });

  it('uses arrays that view the runtime memory in place, and frees every staging block', () => {
    const before = heapStats().liveBlocks;
    const p = capi.PyMem_Malloc(4 * 64);
    const q = capi.PyMem_Malloc(4 * 64);
    try {
      const src = new Float32Array(wasm().memory.buffer, p, 64);
      src.set(filled(Float32Array, 64));
      const out = new Float32Array(wasm().memory.buffer, q, 64);
      copyLayout(src, { shape: [8, 8], strides: [1, 8] }, out);
      expect([...new Float32Array(wasm().memory.buffer, q, 64)]).toEqual(
        gather(filled(Float32Array, 64), [8, 8], [1, 8], 0),
      );
    } finally {
      capi.PyMem_Free(p);
      capi.PyMem_Free(q);
    }
    copyLayout(filled(Float64Array, 100), { shape: [10, 10], strides: [1, 10] });
    expect(heapStats().liveBlocks).toBe(before);
  });

  it('supports empty shapes and 0-dim views', () => {
    const src = filled(Int16Array, 10);
    expect(copyLayout(src, { shape: [0, 5] }).length).toBe(0);
    expect([...copyLayout(src, { shape: [], offset: 4 })]).toEqual([src[4]]);
  });

  const BAD: Array<[string, () => unknown, new (message?: string) => Error]> = [
    ['a negative extent', () => copyLayout(new Float32Array(4), { shape: [-1] }), ValueError],
    ['a fractional stride', () => copyLayout(new Float32Array(4), { shape: [2], strides: [1.5] }), ValueError],
    ['strides of the wrong length', () => copyLayout(new Float32Array(4), { shape: [2], strides: [1, 1] }), ValueError],
    ['a layout past the end', () => copyLayout(new Float32Array(4), { shape: [3], strides: [2] }), ValueError],
    ['a layout before the start', () => copyLayout(new Float32Array(4), { shape: [2], strides: [-1] }), ValueError],
    [
      'an out of another type',
      () => copyLayout(new Float32Array(4), { shape: [4] }, new Float64Array(4) as unknown as Float32Array),
      TypeError,
    ],
    ['an out too small', () => copyLayout(new Float32Array(4), { shape: [4] }, new Float32Array(3)), ValueError],
    [
      'a DataView source',
      () => copyLayout(new DataView(new ArrayBuffer(4)) as unknown as Uint8Array, { shape: [4] }),
      TypeError,
    ],
    ['axes that are not a permutation', () => transpose(new Float32Array(4), [2, 2], [0, 0]), ValueError],
    ['a shape that does not hold the array', () => transpose(new Float32Array(5), [2, 2]), ValueError],
  ];
  for (const [name, fn, cls] of BAD) {
    it(`raises ${cls.name} for ${name}, leaking nothing`, () => {
      const before = heapStats().liveBlocks;
      expect(fn).toThrow(cls);
      expect(heapStats().liveBlocks).toBe(before);
    });
  }

  it('names what it takes when given something else: a DataView, a plain Array, an ArrayBuffer', () => {
    /** The error `fn` throws, whose class and message the caller checks (toThrow checks only the message). */
    const thrown = (fn: () => unknown): Error => {
      try {
        fn();
      } catch (e) {
        return e as Error;
      }
      throw new Error('did not throw');
    };
    const expectError = (fn: () => unknown, cls: new (message?: string) => Error, message: string) => {
      const e = thrown(fn);
      expect(e).toBeInstanceOf(cls);
      expect(e.message).toBe(message);
    };
    const takes = 'expected a TypedArray or an ndarray-like object';
    const dv = new DataView(new ArrayBuffer(16));
    const calls: Array<[string, () => unknown]> = [
      ['transpose()', () => transpose(dv as unknown as Uint8Array, [4, 4])],
      ['transpose()', () => transpose([1, 2, 3, 4] as unknown as Float64Array, [2, 2])],
      ['transpose()', () => transpose(new ArrayBuffer(16) as unknown as Uint8Array, [4, 4])],
      ['copyLayout()', () => copyLayout(dv as unknown as Uint8Array, { shape: [16] })],
      ['copyLayout()', () => copyLayout([1, 2] as unknown as Float64Array, { shape: [2] })],
      ['copyLayout()', () => copyLayout(new Float32Array(4), { shape: [4] }, [0, 0, 0, 0] as unknown as Float32Array)],
    ];
    for (const [what, call] of calls) expectError(call, TypeError, `${what}: ${takes}`);
    // a layout whose shape or strides are not arrays, and axes that are not a permutation
    const a = new Float32Array(4);
    const layout = (x: object) => x as unknown as { shape: number[] };
    expectError(() => copyLayout(a, layout({})), TypeError, 'copyLayout(): shape must be an array of integers');
    expectError(
      () => copyLayout(a, layout({ shape: [4], strides: 1 })),
      TypeError,
      'copyLayout(): strides must be an array of integers',
    );
    const heap = new Uint8Array(runtimeMemory().buffer, 64, 16);
    expectError(
      () => StridedView.over(heap, layout({ shape: 4 })),
      TypeError,
      'StridedView.over(): shape must be an array of integers',
    );
    expectError(() => transpose(a, [2, 2], [0, 0]), ValueError, 'transpose(): axes must be a permutation of 0..1');
    // StridedView.over() takes a TypedArray, DataView or region with a layout, an ndarray-like object without
    const region = { ptr: 8, len: 8 };
    for (const memory of [new Uint8Array(8), dv, region]) {
      expectError(
        () => StridedView.over(memory as unknown as Parameters<typeof StridedView.over>[0]),
        TypeError,
        'StridedView.over(): a layout ({ shape, strides?, offset?, format? }) is required',
      );
    }
  });

  it('leaves `out` untouched when the layout is rejected', () => {
    const out = new Float32Array(4).fill(9);
    expect(() => copyLayout(new Float32Array(4), { shape: [4], strides: [2] }, out)).toThrow(ValueError);
    expect([...out]).toEqual([9, 9, 9, 9]);
  });
});

describe('transpose permutes the axes of a C-contiguous TypedArray', () => {
  const CASES: Array<[string, number[], number[] | undefined]> = [
    ['the matrix transpose by default', [33, 47], undefined],
    ['a 3-D permutation (2, 0, 1)', [6, 7, 8], [2, 0, 1]],
    ['a 3-D permutation (1, 2, 0)', [6, 7, 8], [1, 2, 0]],
    ['the identity permutation', [5, 6], [0, 1]],
  ];
  for (const [name, shape, axes] of CASES) {
    it(`for ${name}`, () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const src = filled(Uint16Array, n);
      const order = axes ?? shape.map((_, i) => shape.length - 1 - i);
      const cs: number[] = [];
      let sd = 1;
      for (let i = shape.length - 1; i >= 0; i--) {
        cs[i] = sd;
        sd *= shape[i];
      }
      expect([...transpose(src, shape, axes)]).toEqual(
        gather(
          src,
          order.map((a) => shape[a]),
          order.map((a) => cs[a]),
          0,
        ),
      );
    });
  }
});

describe('StridedView describes memory already in the runtime', () => {
  it('copies a transposed view into another view, in place in linear memory', () => {
    const p = capi.PyMem_Malloc(4 * 12);
    const q = capi.PyMem_Malloc(4 * 12);
    try {
      new Float32Array(wasm().memory.buffer, p, 12).set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      const a = StridedView.over({ ptr: p, len: 48 }, { shape: [3, 4], format: 'f' });
      const t = StridedView.over({ ptr: q, len: 48 }, { shape: [4, 3], format: 'f' });
      t.copyFrom(a.transpose());
      expect([...new Float32Array(wasm().memory.buffer, q, 12)]).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
      expect(t.toMemoryView().tolist()).toEqual([
        [0, 4, 8],
        [1, 5, 9],
        [2, 6, 10],
        [3, 7, 11],
      ]);
    } finally {
      capi.PyMem_Free(p);
      capi.PyMem_Free(q);
    }
  });

  it('takes the format from a TypedArray over runtime memory, and byte strides and offset', () => {
    const p = capi.PyMem_Malloc(8 * 10);
    try {
      const arr = new Float64Array(wasm().memory.buffer, p, 10);
      arr.set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const v = StridedView.over(arr, { shape: [3], strides: [-24], offset: 72 });
      expect(v.format).toBe('d');
      expect([...new Float64Array(v.toBytes().buffer)]).toEqual([9, 6, 3]);
      expect(v.toMemoryView().tolist()).toEqual([9, 6, 3]);
    } finally {
      capi.PyMem_Free(p);
    }
  });

  it('orders toBytes in C or Fortran order', () => {
    const p = capi.PyMem_Malloc(6);
    try {
      new Uint8Array(wasm().memory.buffer, p, 6).set([1, 2, 3, 4, 5, 6]);
      const v = StridedView.over({ ptr: p, len: 6 }, { shape: [2, 3] });
      expect([...v.toBytes('C')]).toEqual([1, 2, 3, 4, 5, 6]);
      expect([...v.toBytes('F')]).toEqual([1, 4, 2, 5, 3, 6]);
    } finally {
      capi.PyMem_Free(p);
    }
  });

  // CPython's init_strides_from_shape multiplies by each extent as it is (a zero extent gives
  // zero strides further out): memoryview(_testbuffer.ndarray([1], shape=[3, 0], format='f'))
  // .strides is (0, 4), and shape [2, 0, 3] gives (0, 12, 4); scijs ndarray and @stdlib agree
  it.each([
    { shape: [3, 0], strides: [0, 4] },
    { shape: [2, 0, 3], strides: [0, 12, 4] },
    { shape: [0, 3], strides: [12, 4] },
  ])('gives default strides as CPython does when an extent is zero: shape $shape', ({ shape, strides }) => {
    const p = capi.PyMem_Malloc(16);
    try {
      const v = StridedView.over({ ptr: p, len: 16 }, { shape, format: 'f' });
      expect(v.strides).toEqual(strides);
      expect(v.toMemoryView().strides).toEqual(strides);
      expect(v.toBytes().length).toBe(0);
    } finally {
      capi.PyMem_Free(p);
    }
  });

  const BAD: Array<[string, () => unknown]> = [
    ['a TypedArray outside the runtime', () => StridedView.over(new Float32Array(4), { shape: [4] })],
    ['a layout past the end of the region', () => StridedView.over({ ptr: 64, len: 16 }, { shape: [5], format: 'f' })],
    [
      'a negative stride reaching before the region',
      () => StridedView.over({ ptr: 64, len: 16 }, { shape: [2], strides: [-4], format: 'f' }),
    ],
    [
      'a region past the end of memory',
      () => StridedView.over({ ptr: 0, len: wasm().memory.buffer.byteLength + 1 }, { shape: [1] }),
    ],
    [
      'axes that are not a permutation',
      () => StridedView.over({ ptr: 64, len: 16 }, { shape: [2, 2] }).transpose([1, 1]),
    ],
    [
      'copyFrom of another shape',
      () =>
        StridedView.over({ ptr: 64, len: 16 }, { shape: [4] }).copyFrom(
          StridedView.over({ ptr: 64, len: 16 }, { shape: [2, 2] }),
        ),
    ],
  ];
  for (const [name, fn] of BAD) {
    it(`raises ValueError for ${name}`, () => {
      expect(fn).toThrow(ValueError);
    });
  }
});
