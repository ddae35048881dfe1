// One name per concept in the JS-only API, the older names kept as aliases: exporters free
// their memory with dispose() (and `using`), StridedView copies out with tobytes() as
// MemoryView does. MemoryView.release() is Python's and keeps Python's rule.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BufferError,
  ByteArray,
  Bytes,
  MemoryView,
  NDArray,
  PyBUF,
  StridedView,
  ValueError,
  capi,
  heapStats,
  init,
  runtimeMemory,
} from '../src/index.js';

beforeAll(async () => {
  await init();
});

describe('exporters let go with dispose()', () => {
  it.each([
    ['Bytes', () => new Bytes(32)],
    ['ByteArray', () => new ByteArray(32)],
    ['NDArray', () => new NDArray([1, 2, 3, 4], { shape: [4], format: 'd' })],
  ] as const)(
    '%s frees its memory with dispose(), with [Symbol.dispose] and (NDArray) release() as aliases',
    (_name, make) => {
      const before = heapStats().liveBytes;
      for (const free of ['dispose', 'symbol', 'release'] as const) {
        const obj = make();
        if (free === 'release' && !(obj instanceof NDArray)) continue;
        if (free === 'dispose') obj.dispose();
        else if (free === 'symbol') obj[Symbol.dispose]();
        else (obj as NDArray).release();
        expect(heapStats().liveBytes).toBe(before);
        expect(() => MemoryView.fromObject(obj)).toThrow(ValueError);
      }
    },
  );

  it("while MemoryView.release() keeps Python's rule: refused while the view has exports", () => {
    using b = new Bytes(4);
    const m = MemoryView.fromObject(b);
    const exported = capi.PyObject_GetBuffer(m, PyBUF.SIMPLE);
    expect(() => m.release()).toThrow(BufferError);
    capi.PyBuffer_Release(exported);
    m.release();
  });
});

describe('StridedView.tobytes()', () => {
  it.each([
    ['C', [1, 2, 3, 4, 5, 6]],
    ['F', [1, 4, 2, 5, 3, 6]],
    ['A', [1, 2, 3, 4, 5, 6]],
  ] as const)("copies a C-contiguous view in order '%s', as MemoryView.tobytes", (order, expected) => {
    const p = capi.PyMem_Malloc(6);
    try {
      new Uint8Array(runtimeMemory().buffer, p, 6).set([1, 2, 3, 4, 5, 6]);
      const v = StridedView.over({ ptr: p, len: 6 }, { shape: [2, 3] });
      using m = v.toMemoryView();
      expect([...v.tobytes(order)]).toEqual(expected);
      expect([...v.tobytes(order)]).toEqual([...m.tobytes(order)]);
    } finally {
      capi.PyMem_Free(p);
    }
  });

  it("gives a Fortran-contiguous view's physical order for 'A', and keeps toBytes() as an alias", () => {
    const p = capi.PyMem_Malloc(6);
    try {
      new Uint8Array(runtimeMemory().buffer, p, 6).set([1, 2, 3, 4, 5, 6]);
      const f = StridedView.over({ ptr: p, len: 6 }, { shape: [3, 2] }).transpose(); // 2x3, Fortran order
      using m = f.toMemoryView();
      expect([...f.tobytes('A')]).toEqual([1, 2, 3, 4, 5, 6]);
      expect([...f.tobytes('A')]).toEqual([...m.tobytes('A')]);
      expect([...f.toBytes('F')]).toEqual([...f.tobytes('F')]);
      expect([...f.toBytes()]).toEqual([...f.tobytes()]);
    } finally {
      capi.PyMem_Free(p);
    }
  });

  it('refuses an order outside C, F and A with ValueError, allocating nothing', () => {
    const before = heapStats().liveBlocks;
    const v = StridedView.over({ ptr: 16, len: 0 }, { shape: [0] });
    expect(() => v.tobytes('X' as 'C')).toThrow(ValueError);
    expect(heapStats().liveBlocks).toBe(before);
  });
});
