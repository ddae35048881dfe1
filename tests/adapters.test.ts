// Arrays where users already have them: copyLayout, transpose and StridedView.over take the
// ndarray-like objects of scijs `ndarray`, @stdlib/ndarray and Pyodide's PyBuffer (the real
// packages, at the versions package.json pins), and StridedView.asNdarrayLike() hands a view of
// the runtime's memory back to those libraries without a copy. Pyodide's answers are CPython's
// own (its memoryview.tolist()), which makes it the reference for the PyBuffer cases.
import ndarray from 'ndarray';
import stdlibNdarray from '@stdlib/ndarray/ctor';
import { loadPyodide, type PyodideInterface } from 'pyodide';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  NotImplementedError,
  StridedView,
  ValueError,
  capi,
  copyLayout,
  copyLayoutAsync,
  heapStats,
  init,
  runtimeMemory,
  transpose,
  transposeAsync,
  type NdarrayLike,
} from '../src/index.js';

let py: PyodideInterface;

beforeAll(async () => {
  await init();
  py = await loadPyodide();
}, 120_000);

/** Items of an ndarray-like object in C order, read by the plain JS rule data[offset + sum(i * stride)]. */
function gather(
  data: ArrayLike<number>,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): number[] {
  const out: number[] = [];
  const index = shape.map(() => 0);
  const total = shape.reduce((a, b) => a * b, 1);
  for (let e = 0; e < total; e++) {
    let k = offset;
    for (let i = 0; i < shape.length; i++) k += (index[i] as number) * (strides[i] as number);
    out.push(data[k] as number);
    for (let i = shape.length - 1; i >= 0; i--) {
      index[i] = (index[i] as number) + 1;
      if ((index[i] as number) < (shape[i] as number)) break;
      index[i] = 0;
    }
  }
  return out;
}

const iota = (n: number): Float32Array => Float32Array.from({ length: n }, (_, i) => i);

describe('scijs ndarray objects', () => {
  const base = ndarray(iota(6 * 8), [6, 8]);
  const cases = [
    ['a transpose', base.transpose(1, 0)],
    ['a crop', base.hi(4, 6).lo(1, 2)],
    ['a flip of both axes', base.step(-1, -1)],
    ['every other column of a transpose', base.transpose(1, 0).step(2, 1)],
    ['a picked row', base.pick(3, null)],
  ] as const;

  it.each(cases)('copyLayout copies %s as the library reads it', (_name, x) => {
    const out = copyLayout(x);
    expect(out).toBeInstanceOf(Float32Array);
    const expected: number[] = [];
    if (x.dimension === 1) for (let i = 0; i < (x.shape[0] as number); i++) expected.push(x.get(i));
    else
      for (let i = 0; i < (x.shape[0] as number); i++)
        for (let j = 0; j < (x.shape[1] as number); j++) expected.push(x.get(i, j));
    expect([...out]).toEqual(expected);
  });

  it('transpose permutes the axes of a strided ndarray and writes into a given out', () => {
    const x = base.step(-1, 1); // rows reversed
    const out = new Float32Array(48);
    expect(transpose(x, [1, 0], out)).toBe(out);
    expect([...out]).toEqual(gather(x.data, [8, 6], [x.stride[1] as number, x.stride[0] as number], x.offset));
  });

  it('asNdarrayLike hands a transposed view of runtime memory to ndarray without a copy', () => {
    const p = capi.PyMem_Malloc(4 * 48);
    try {
      new Float32Array(runtimeMemory().buffer, p, 48).set(iota(48));
      const v = StridedView.over({ ptr: p, len: 4 * 48 }, { shape: [6, 8], format: 'f' })
        .transpose()
        .asNdarrayLike(Float32Array);
      const x = ndarray(v.data, v.shape, v.stride, v.offset);
      expect([x.get(0, 0), x.get(7, 5), x.get(2, 3)]).toEqual([0, 47, 3 * 8 + 2]);
      x.set(1, 0, -1); // writes land in the runtime's memory
      expect(new Float32Array(runtimeMemory().buffer, p, 48)[1]).toBe(-1);
      const back = StridedView.over(x);
      expect([back.shape, back.strides, back.buf]).toEqual([[8, 6], [4, 32], p]);
    } finally {
      capi.PyMem_Free(p);
    }
  });
});

describe('@stdlib/ndarray ndarrays', () => {
  it.each([
    ['row-major, rows reversed', [4, 3], [-3, 1], 9, 'row-major'],
    ['column-major', [4, 3], [1, 4], 0, 'column-major'],
    ['a strided 3-D view', [2, 2, 3], [12, 3, 1], 0, 'row-major'],
  ] as const)('copyLayout copies a %s ndarray as its get() reads it', (_name, shape, strides, offset, order) => {
    const x = new stdlibNdarray('float32', iota(24), [...shape], [...strides], offset, order);
    const out = copyLayout(x);
    const expected: number[] = [];
    const idx = shape.map(() => 0);
    for (let e = 0; e < out.length; e++) {
      expected.push(x.get(...idx) as number);
      for (let i = shape.length - 1; i >= 0; i--) {
        idx[i] = (idx[i] as number) + 1;
        if ((idx[i] as number) < (shape[i] as number)) break;
        idx[i] = 0;
      }
    }
    expect([...out]).toEqual(expected);
  });

  it("asNdarrayLike gives the ctor's arguments, in column-major order for a Fortran view", () => {
    const p = capi.PyMem_Malloc(8 * 12);
    try {
      new Float64Array(runtimeMemory().buffer, p, 12).set(Float64Array.from({ length: 12 }, (_, i) => i));
      const v = StridedView.over({ ptr: p, len: 96 }, { shape: [3, 4], format: 'd' })
        .transpose()
        .asNdarrayLike(Float64Array);
      expect([v.dtype, v.order, v.strides, v.offset]).toEqual(['float64', 'column-major', [1, 4], 0]);
      const x = new stdlibNdarray(v.dtype as 'float64', v.data, v.shape, v.strides, v.offset, v.order);
      expect([x.get(0, 0), x.get(3, 2), x.get(1, 2)]).toEqual([0, 11, 9]);
    } finally {
      capi.PyMem_Free(p);
    }
  });
});

describe("Pyodide's PyBuffer (CPython 3.14 on wasm32)", () => {
  const layouts = [
    ['a Fortran-order _testbuffer.ndarray', "ndarray(list(range(12)), shape=[3, 4], format='f', flags=ND_FORTRAN)"],
    [
      'a strided view with negative strides',
      "ndarray(list(range(24)), shape=[3, 4], strides=[-32, -4], offset=92, format='f')",
    ],
    ['a step slice of a memoryview', "memoryview(array.array('f', range(20)))[::3]"],
    ['a C-order 3-D array of doubles', "ndarray([x / 4 for x in range(24)], shape=[2, 3, 4], format='d')"],
  ] as const;

  it.each(layouts)("copyLayout of %s equals CPython's tolist()", (_name, expr) => {
    const proxy = py.runPython(`import array\nfrom _testbuffer import ndarray, ND_FORTRAN\n${expr}`);
    const buf = proxy.getBuffer();
    try {
      const expected = (py.runPython('lambda x: memoryview(x).tolist()') as (x: unknown) => { toJs(): unknown })(
        proxy,
      ).toJs();
      const out = copyLayout(buf);
      expect([...out]).toEqual((expected as unknown[]).flat(3));
      if (buf.shape.length === 2) {
        const t = transpose(buf);
        const rows = expected as number[][];
        expect([...t]).toEqual((rows[0] as number[]).flatMap((_, j) => rows.map((row) => row[j])));
      }
    } finally {
      buf.release();
      proxy.destroy();
    }
  });
});

describe('strided destinations (an ndarray-like out)', () => {
  it('pads rows to a row stride and leaves the padding bytes as they were', () => {
    const h = 3;
    const row = 10;
    const padded = new Uint8Array(h * 16).fill(0xaa);
    const tight = Uint8Array.from({ length: h * row }, (_, i) => i);
    expect(copyLayout(tight, { shape: [h, row] }, { data: padded, shape: [h, row], stride: [16, 1], offset: 0 })).toBe(
      padded,
    );
    for (let r = 0; r < h; r++) {
      expect([...padded.subarray(r * 16, r * 16 + row)]).toEqual([...tight.subarray(r * row, (r + 1) * row)]);
      expect([...padded.subarray(r * 16 + row, (r + 1) * 16)]).toEqual(new Array(6).fill(0xaa));
    }
  });
});

describe('the asynchronous forms (copyLayoutAsync, transposeAsync) without copy workers', () => {
  it('take what the synchronous ones take: ndarray-like sources and strided ndarray-like destinations', async () => {
    const base = ndarray(iota(6 * 8), [6, 8]);
    const x = base.transpose(1, 0).step(2, -1);
    expect([...(await copyLayoutAsync(x))]).toEqual([...copyLayout(x)]);
    expect([...(await transposeAsync(x))]).toEqual([...transpose(x)]);
    expect([...(await transposeAsync(base, [1, 0]))]).toEqual([...transpose(base, [1, 0])]);
    const img = iota(48);
    expect([...(await transposeAsync(img, [6, 8], [1, 0]))]).toEqual([...transpose(img, [6, 8], [1, 0])]);
    // a padded destination: the padding keeps its values
    const padded = new Float32Array(4 * 16).fill(-1);
    const out = { data: padded, shape: [4, 6], stride: [16, 1], offset: 0 };
    expect(await copyLayoutAsync(img, { shape: [4, 6], strides: [8, 1], offset: 1 }, out)).toBe(padded);
    expect([...padded.subarray(16, 32)]).toEqual([9, 10, 11, 12, 13, 14, ...new Array(10).fill(-1)]);
  });

  it("reject, rather than throw, with the synchronous forms' errors, and leave out untouched", async () => {
    const o = { data: new Float32Array(8).fill(9), shape: [2, 4], strides: [2, 1], offset: 0 };
    const bad = copyLayoutAsync({ data: new Float32Array(8), shape: [2, 4] }, o);
    await expect(bad).rejects.toThrow(ValueError);
    await expect(bad).rejects.toThrow(/^copyLayoutAsync\(\): out's strides/);
    await expect(transposeAsync({ data: new Float32Array(8), shape: [4, 2] }, [0, 0])).rejects.toThrow(
      /^transposeAsync\(\): axes/,
    );
    await expect(copyLayoutAsync({ data: [1, 2, 3], shape: [3] })).rejects.toThrow(TypeError);
    expect([...o.data]).toEqual(new Array(8).fill(9));
  });
});

describe('bad ndarray-like input', () => {
  const leaksBefore = { blocks: 0 };
  beforeAll(() => {
    leaksBefore.blocks = heapStats().liveBlocks;
  });
  afterAll(() => {
    expect(heapStats().liveBlocks).toBe(leaksBefore.blocks);
  });

  const out = (): NdarrayLike<Float32Array> => ({
    data: new Float32Array(8).fill(9),
    shape: [2, 4],
    strides: [4, 1],
    offset: 0,
  });
  const BAD: ReadonlyArray<
    readonly [string, (o: NdarrayLike<Float32Array>) => unknown, new (message?: string) => Error]
  > = [
    ['data that is a plain array', () => copyLayout({ data: [1, 2, 3], shape: [3] }), TypeError],
    ['data that is a DataView', () => copyLayout({ data: new DataView(new ArrayBuffer(4)), shape: [4] }), TypeError],
    [
      'a shape that is not an array',
      () => copyLayout({ data: new Float32Array(4), shape: 4 as unknown as number[] }),
      TypeError,
    ],
    [
      'strides of the wrong length',
      () => copyLayout({ data: new Float32Array(4), shape: [2, 2], strides: [2] }),
      ValueError,
    ],
    [
      'a layout past the end of data',
      () => copyLayout({ data: new Float32Array(4), shape: [2, 2], stride: [3, 1] }),
      ValueError,
    ],
    ['an out of another shape', (o) => copyLayout({ data: new Float32Array(8), shape: [4, 2] }, o), ValueError],
    [
      'an out with a zero stride',
      (o) => copyLayout({ data: new Float32Array(8), shape: [2, 4] }, { ...o, strides: [0, 1] }),
      ValueError,
    ],
    [
      'an out with overlapping rows',
      (o) => copyLayout({ data: new Float32Array(8), shape: [2, 4] }, { ...o, strides: [2, 1] }),
      ValueError,
    ],
    [
      'an out past the end of its data',
      (o) => copyLayout({ data: new Float32Array(8), shape: [2, 4] }, { ...o, offset: 1 }),
      ValueError,
    ],
    [
      'an out of another array type',
      (o) => copyLayout({ data: new Int32Array(8), shape: [2, 4] }, o as unknown as NdarrayLike<Int32Array>),
      TypeError,
    ],
    [
      'transpose axes that are not a permutation',
      (o) => transpose({ data: new Float32Array(8), shape: [4, 2] }, [0, 0], o),
      ValueError,
    ],
    [
      'StridedView.over data outside the runtime',
      () => StridedView.over({ data: new Float32Array(4), shape: [4] }),
      ValueError,
    ],
  ];
  it.each(BAD)('%s raises its error class and leaves out untouched', (_name, fn, cls) => {
    const o = out();
    expect(() => fn(o)).toThrow(cls);
    expect([...o.data]).toEqual(new Array(8).fill(9));
  });

  it.each([
    ['a format without a TypedArray', '?', 0, NotImplementedError],
    ['a struct of several items', 'hh', 0, NotImplementedError],
    ['a big-endian format', '>i', 0, NotImplementedError],
    ['an address off the item size', 'f', 2, ValueError],
  ] as const)('asNdarrayLike refuses %s', (_name, format, shift, cls) => {
    const p = capi.PyMem_Malloc(64);
    try {
      const v = StridedView.over({ ptr: p + shift, len: 32 }, { shape: [2], format });
      expect(() => v.asNdarrayLike()).toThrow(cls);
    } finally {
      capi.PyMem_Free(p);
    }
  });

  it('asNdarrayLike checks the TypedArray type it is asked for', () => {
    const p = capi.PyMem_Malloc(16);
    try {
      const v = StridedView.over({ ptr: p, len: 16 }, { shape: [4], format: 'i' });
      expect(v.asNdarrayLike(Int32Array).data).toBeInstanceOf(Int32Array);
      expect(() => v.asNdarrayLike(Float32Array)).toThrow(TypeError);
    } finally {
      capi.PyMem_Free(p);
    }
  });
});
