// Out of memory and sizes past wasm32's Py_ssize_t: MemoryError when an allocation cannot be
// met (a configured limit, 1 GiB per block, or the 4 GiB of wasm32 linear memory), leaving the
// heap and linear memory as they were and the runtime usable; OverflowError/ValueError for sizes
// a 32-bit CPython cannot represent, with CPython's messages.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ByteArray, Bytes, MemoryView, NDArray, PyBUF, capi, heapStats, init, slice } from '../../src/index.js';
import { blockSize as heapSize, free, malloc, memoryLimit, memorySize, setMemoryLimit } from '../../src/wasm/heap.js';
import { errorOf } from '../helpers/errors.js';

beforeAll(async () => {
  await init();
});
afterEach(() => {
  setMemoryLimit(null);
});

/** Runs `fn` under a limit of `headroom` bytes above what is in use now. */
function underLimit(headroom: number, fn: () => void): void {
  const used = heapStats().liveBytes;
  setMemoryLimit(used + headroom);
  try {
    fn();
  } finally {
    setMemoryLimit(null);
  }
}

describe('an allocation past the configured limit', () => {
  const cases: Array<[string, () => unknown]> = [
    ['PyMem_Malloc', () => capi.PyMem_Malloc(1 << 20)],
    ['new Bytes', () => new Bytes(1 << 20)],
    ['new ByteArray', () => new ByteArray(1 << 20)],
    [
      'new NDArray',
      () =>
        new NDArray(
          Array.from({ length: 1 << 18 }, () => 1),
          { shape: [1 << 18], format: 'i' },
        ),
    ],
  ];
  for (const [name, fn] of cases) {
    it(`${name} raises MemoryError and leaves the heap and linear memory unchanged`, () => {
      const before = heapStats();
      underLimit(4096, () => expect(errorOf(fn)[0]).toBe('MemoryError'));
      expect(heapStats()).toEqual(before);
      expect(memorySize()).toBe(before.memoryBytes);
      const p = capi.PyMem_Malloc(1 << 20); // usable again once the limit is gone
      capi.PyMem_Free(p);
    });
  }

  it('fails copies that need a temporary or a new Bytes, with no view or block left behind', () => {
    const ba = new ByteArray(1 << 16);
    const m = MemoryView.fromObject(ba);
    const strided = m.get(slice(null, null, 2)) as MemoryView;
    strided.tobytes(); // the runtime's scratch area is allocated on first use: not part of the test
    const before = heapStats();
    underLimit(1024, () => {
      expect(errorOf(() => strided.tobytes())[0]).toBe('MemoryError');
      expect(errorOf(() => MemoryView.getContiguous(strided, PyBUF.READ, 'C'))[0]).toBe('MemoryError');
      expect(errorOf(() => ba.extend(new Uint8Array(1 << 16)))[0]).toBe('BufferError'); // exported: refused first
    });
    expect(heapStats()).toEqual(before);
    expect(m.mbuf.exports).toBe(2);
    strided.release();
    m.release();
    underLimit(1024, () => expect(errorOf(() => ba.resize(1 << 17))[0]).toBe('MemoryError'));
    expect(ba.length).toBe(1 << 16); // a failed resize keeps the old bytes
    ba.dispose();
  });

  it('is reported by memoryLimit() and refuses negative values', () => {
    setMemoryLimit(1 << 20);
    expect(memoryLimit()).toBe(1 << 20);
    setMemoryLimit(null);
    expect(memoryLimit()).toBeNull();
    expect(errorOf(() => setMemoryLimit(-1))[0]).toBe('ValueError');
  });
});

describe('sizes that no wasm32 block can hold', () => {
  it('raise MemoryError from PyMem_Malloc (1 GiB and more, past Py_ssize_t, not integers)', () => {
    const before = heapStats();
    for (const size of [1 << 30, 2 ** 31 - 1, 2 ** 31, 2 ** 32 + 5, 2 ** 53, -1, 1.5, Number.NaN]) {
      expect(errorOf(() => capi.PyMem_Malloc(size))[0]).toBe('MemoryError');
    }
    expect(heapStats()).toEqual(before);
  });

  it('raise CPython 32-bit errors from Bytes and ByteArray', () => {
    // bytes(n)/bytearray(n) on a 32-bit CPython: PyNumber_AsSsize_t, _PyBytes_FromSize, PyByteArray_Resize
    expect(errorOf(() => new Bytes(2 ** 31))).toEqual([
      'OverflowError',
      "cannot fit 'int' into an index-sized integer",
    ]);
    expect(errorOf(() => new ByteArray(2 ** 40))).toEqual([
      'OverflowError',
      "cannot fit 'int' into an index-sized integer",
    ]);
    expect(errorOf(() => new Bytes(2 ** 31 - 10))).toEqual(['OverflowError', 'byte string is too large']);
    expect(errorOf(() => new ByteArray(2 ** 31 - 10))[0]).toBe('MemoryError');
    expect(errorOf(() => new Bytes(1.5 * 2 ** 30))[0]).toBe('MemoryError');
    expect(errorOf(() => new Bytes(-1))).toEqual(['ValueError', 'negative count']);
    const ba = new ByteArray(4);
    // bytearray.resize(n) (3.14) converts n as a Py_ssize_t argument
    expect(errorOf(() => ba.resize(2 ** 31))).toEqual([
      'OverflowError',
      'Python int too large to convert to C ssize_t',
    ]);
    expect(ba.length).toBe(4);
    ba.dispose();
  });

  it('raise OverflowError for NDArray shapes whose byte size passes Py_ssize_t', () => {
    expect(errorOf(() => new NDArray([1], { shape: [1 << 16, 1 << 16], strides: [0, 0] }))[0]).toBe('OverflowError');
  });

  it('raise ValueError for a cast whose product(shape) passes SSIZE_MAX, and OverflowError past ssize_t', () => {
    const b = new Bytes(2);
    const m = MemoryView.fromObject(b);
    // CPython on wasm32: memoryview(b'ab').cast('B', [2**16, 2**16]) -> product(shape) > SSIZE_MAX
    expect(errorOf(() => m.cast('B', [2 ** 16, 2 ** 16]))).toEqual([
      'ValueError',
      'memoryview.cast(): product(shape) > SSIZE_MAX',
    ]);
    expect(errorOf(() => m.cast('B', [2 ** 31]))).toEqual([
      'OverflowError',
      'Python int too large to convert to C ssize_t',
    ]);
    expect(errorOf(() => m.get(2 ** 31))).toEqual(['IndexError', "cannot fit 'int' into an index-sized integer"]);
    m.release();
    b.dispose();
  });

  it('leave the runtime usable: nothing allocated by the refusals, and blocks, views and copies work after them', () => {
    const before = heapStats();
    const refusals: Array<() => unknown> = [
      () => capi.PyMem_Malloc(2 ** 31),
      () => new Bytes(2 ** 31),
      () => new ByteArray(2 ** 31 - 10),
      () => new Bytes(1.5 * 2 ** 30),
      () => new NDArray([1], { shape: [1 << 16, 1 << 16], strides: [0, 0] }),
    ];
    for (const refuse of refusals) expect(errorOf(refuse)).not.toBe('no error');
    expect(heapStats()).toEqual(before);
    const p = malloc(64);
    expect(heapSize(p)).toBe(64);
    const ba = new ByteArray([0, 1, 2, 3, 4, 5, 6, 7]);
    const m = MemoryView.fromObject(ba);
    const reversed = m.get(slice(null, null, -1)) as MemoryView;
    expect([...reversed.tobytes()]).toEqual([7, 6, 5, 4, 3, 2, 1, 0]);
    m.set(slice(null, null, null), reversed); // an overlapping copy, through a temporary
    expect([...ba.toUint8Array()]).toEqual([7, 6, 5, 4, 3, 2, 1, 0]);
    reversed.release();
    m.release();
    ba.dispose();
    free(p);
    expect(heapStats().liveBytes).toBe(before.liveBytes);
  });
});

// Grows linear memory to wasm32's 4 GiB for real: cheap (the pages are reserved, barely touched)
// and last in its file, whose worker exits afterwards.
describe('the 4 GiB wasm32 limit', () => {
  it('raises MemoryError when memory.grow fails, and the heap still works afterwards', () => {
    const blocks: number[] = [];
    const before = heapStats();
    let err: [string, string] | null = null;
    try {
      for (let i = 0; i < 8 && err === null; i++) {
        const e = errorOf(() => blocks.push(capi.PyMem_Malloc((1 << 30) - 64)));
        if (e !== 'no error') err = e;
      }
    } finally {
      for (const p of blocks) capi.PyMem_Free(p);
    }
    expect(err?.[0]).toBe('MemoryError');
    expect(heapStats().liveBytes).toBe(before.liveBytes);
    const p = capi.PyMem_Malloc(1 << 20);
    capi.PyMem_Free(p);
  }, 120_000);

  it('exports, slices and copies buffers at addresses past 2 GiB (wasm32 pointers are unsigned)', () => {
    const blocks: number[] = [];
    const ba = new ByteArray(0);
    try {
      // push the heap's next small blocks past 2**31
      while (blocks.length < 4 && Math.max(0, ...blocks) < 2 ** 31) blocks.push(capi.PyMem_Malloc(1000 * 2 ** 20));
      ba.resize(64);
      const m = MemoryView.fromObject(ba);
      for (let i = 0; i < 64; i++) m.set(i, i);
      const view = capi.PyObject_GetBuffer(ba, PyBUF.SIMPLE);
      expect(view.buf).toBeGreaterThanOrEqual(2 ** 31);
      capi.PyBuffer_Release(view);
      const reversed = m.get(slice(null, null, -1));
      expect(Array.from(reversed.tobytes())).toEqual([...Array(64).keys()].reverse());
      const c = capi.PyMemoryView_GetContiguous(m.cast('B', [8, 8]), PyBUF.READ, 'F');
      expect([c.strides, Array.from(c.tobytes('A').slice(0, 4))]).toEqual([
        [1, 8],
        [0, 8, 16, 24],
      ]);
      for (const v of [c, reversed, m]) v.release();
    } finally {
      ba.dispose();
      for (const p of blocks) capi.PyMem_Free(p);
    }
  }, 120_000);

  it('gives a large block without its colouring slack when memory cannot grow for the slack', () => {
    const blocks: number[] = [];
    const tryMalloc = (size: number): boolean => {
      try {
        blocks.push(capi.PyMem_Malloc(size));
        return true;
      } catch {
        return false;
      }
    };
    try {
      // fill linear memory to wasm32's 4 GiB, down to 4 KiB pieces, keeping every block
      for (let size = 2 ** 29; size >= 4096; size /= 2)
        while (tryMalloc(size)) {
          /* keep */
        }
      expect(memorySize()).toBe(2 ** 32);
      const mib = blocks.findIndex((p) => heapSize(p) === 1 << 20);
      expect(mib).toBeGreaterThanOrEqual(0);
      capi.PyMem_Free(blocks[mib]);
      blocks.splice(mib, 1);
      // the hole left is the 1 MiB block and its own slack. The allocator looks for a request
      // in a size class above it (TLSF rounds requests up to their class), so 1 MiB - 64 bytes
      // plus a new slack does not fit in it while 1 MiB - 64 bytes plain does
      const before = heapStats().liveBytes;
      expect(tryMalloc((1 << 20) - 64)).toBe(true);
      expect(heapStats().liveBytes - before).toBe((1 << 20) - 64);
    } finally {
      for (const b of blocks) capi.PyMem_Free(b);
    }
  }, 120_000);
});
