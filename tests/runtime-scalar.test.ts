// The scalar Wasm build (no SIMD), forced with init({ simd: false }): the same results as the
// plain-JS reference for every item size the kernels specialise. Each vitest file has its own
// module graph, so this file's runtime is the scalar one while the others run the SIMD build.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryView,
  NDArray,
  Py_buffer,
  capi,
  init,
  readMemory,
  runtimeInfo,
  simdSupported,
  slice,
  writeMemory,
} from '../src/index.js';

beforeAll(async () => {
  await init({ simd: false });
});

/** The bytes of a rows x cols matrix of `itemsize`-byte items, transposed by plain JS. */
function transposeJs(src: Uint8Array, rows: number, cols: number, itemsize: number): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      for (let b = 0; b < itemsize; b++) out[(j * rows + i) * itemsize + b] = src[(i * cols + j) * itemsize + b];
    }
  }
  return out;
}

describe('the scalar build', () => {
  it('is the build that runs when simd: false is asked for', () => {
    expect(runtimeInfo()).toMatchObject({ build: 'scalar', simd: false, sharedMemory: false, attached: false });
    expect(runtimeInfo().hash).toMatch(/^[0-9a-f]{12}$/);
  });

  it('is independent of the engine: SIMD detection still reports the engine', () => {
    expect(typeof simdSupported()).toBe('boolean');
  });

  it.each([1, 2, 4, 8, 16, 3, 12])('transposes a 7x5 matrix of %i-byte items as plain JS does', (itemsize) => {
    const rows = 7;
    const cols = 5;
    const len = rows * cols * itemsize;
    const bytes = Uint8Array.from({ length: len }, (_, k) => (k * 37 + 11) & 0xff);
    const src = capi.PyMem_Malloc(len);
    const dst = capi.PyMem_Malloc(len);
    try {
      writeMemory(src, bytes);
      const view = new Py_buffer();
      Object.assign(view, {
        buf: src,
        itemsize,
        format: `${itemsize}s`,
        ndim: 2,
        shape: [rows, cols],
        strides: [cols * itemsize, itemsize],
        len,
        readonly: true,
      });
      capi.PyBuffer_ToContiguous(dst, view, len, 'F');
      expect(readMemory(dst, len)).toEqual(transposeJs(bytes, rows, cols, itemsize));
    } finally {
      capi.PyMem_Free(src);
      capi.PyMem_Free(dst);
    }
  });

  it('copies a negatively strided slice as plain JS does', () => {
    const data = Uint8Array.from({ length: 64 }, (_, k) => k);
    const nd = new NDArray(Array.from(data), { shape: [8, 8], format: 'B' });
    const sub = nd.get([slice(null, null, -2), slice(1, 7, 3)]) as NDArray;
    const m = MemoryView.fromObject(sub);
    const want: number[] = [];
    for (let i = 7; i >= 0; i -= 2) for (let j = 1; j < 7; j += 3) want.push(data[i * 8 + j]);
    expect(Array.from(m.tobytes('C'))).toEqual(want);
    expect(Array.from(m.tobytes('F'))).toEqual(
      [0, 1, 2, 3].flatMap((i) => [want[2 * i]]).concat([0, 1, 2, 3].map((i) => want[2 * i + 1])),
    );
    m.release();
  });
});
