// The C API functions one by one: results, flags, errors (class and CPython's message) and
// that a refused call leaves memory untouched.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BufferError,
  ByteArray,
  Bytes,
  MemoryView,
  ND,
  NDArray,
  PyBUF,
  Py_buffer,
  SystemError,
  ValueError,
  capi,
  init,
  readMemory,
  slice,
  writeMemory,
  heapStats,
  StructError,
  type Order,
} from '../src/index.js';
import { heapU8 } from '../src/wasm/heap.js';
import { errorOf } from './helpers/errors.js';

const live: Array<() => void> = [];
beforeAll(async () => {
  await init();
});
afterEach(() => {
  while (live.length > 0) live.pop()!();
});

/** Bytes in fresh linear memory, freed after the test. */
function memoryWith(bytes: number[]): number {
  const p = capi.PyMem_Malloc(bytes.length);
  writeMemory(p, bytes);
  live.push(() => capi.PyMem_Free(p));
  return p;
}

/** A descriptor of `rows` x `cols` bytes over `buf` with the given strides. */
function descriptor(buf: number, shape: number[], strides: number[] | null, extra: Partial<Py_buffer> = {}): Py_buffer {
  const view = new Py_buffer();
  view.buf = buf;
  view.itemsize = 1;
  view.format = 'B';
  view.ndim = shape.length;
  view.shape = shape;
  view.strides = strides;
  view.len = shape.reduce((a, b) => a * b, 1);
  Object.assign(view, extra);
  return view;
}

describe('PyMemoryView_FromObject', () => {
  it('gives a read-only view of bytes whose obj is the bytes', () => {
    const b = new Bytes('abc');
    const m = capi.PyMemoryView_FromObject(b);
    expect([m.obj, m.readonly, m.format, m.shape, m.strides, m.tolist()]).toEqual([
      b,
      true,
      'B',
      [3],
      [1],
      [97, 98, 99],
    ]);
    m.release();
    b.dispose();
  });

  it('registers a view of a memoryview on the same managed buffer, with the same obj', () => {
    const ba = new ByteArray('abcd');
    const m = capi.PyMemoryView_FromObject(ba);
    const m2 = capi.PyMemoryView_FromObject(m);
    expect(m2.obj).toBe(ba);
    expect(m2.mbuf).toBe(m.mbuf);
    expect(m.mbuf.exports).toBe(2);
    m.release();
    expect(() => ba.resize(1)).toThrow(BufferError);
    m2.release();
    ba.resize(1);
    ba.dispose();
  });

  it('refuses non-exporters with TypeError naming the Python type', () => {
    for (const [value, name] of [
      [5, 'int'],
      [1.5, 'float'],
      ['s', 'str'],
      [null, 'NoneType'],
      [[1], 'list'],
      [{}, 'Object'],
      [true, 'bool'],
    ] as const) {
      expect(errorOf(() => capi.PyMemoryView_FromObject(value))).toEqual([
        'TypeError',
        `memoryview: a bytes-like object is required, not '${name}'`,
      ]);
    }
  });

  it('refuses a released memoryview with ValueError', () => {
    const b = new Bytes('x');
    const m = capi.PyMemoryView_FromObject(b);
    m.release();
    expect(errorOf(() => capi.PyMemoryView_FromObject(m))).toEqual([
      'ValueError',
      'operation forbidden on released memoryview object',
    ]);
    b.dispose();
  });
});

describe('PyMemoryView_FromMemory', () => {
  it('gives a read-only byte view for PyBUF_READ and a writable one for PyBUF_WRITE, with no obj', () => {
    const p = memoryWith([97, 98, 99, 100]);
    const r = capi.PyMemoryView_FromMemory(p, 4, PyBUF.READ);
    expect([r.readonly, r.obj, r.format, r.itemsize, r.shape, r.strides, r.tolist()]).toEqual([
      true,
      null,
      'B',
      1,
      [4],
      [1],
      [97, 98, 99, 100],
    ]);
    const w = capi.PyMemoryView_FromMemory(p, 4, PyBUF.WRITE);
    expect(w.readonly).toBe(false);
    expect(capi.PyMemoryView_GET_BASE(w)).toBe(null);
    r.release();
    w.release();
  });

  it('makes flags other than WRITE read-only, as a release build of CPython does (the check is an assert)', () => {
    // Pyodide 314.0.7, PyMemoryView_FromMemory through ctypes over b'hello': flags 0, 1, 0x300,
    // -1 and PyBUF_FULL all give a read-only 'B' view of shape (5,) and obj None
    const p = memoryWith([104, 101, 108, 108, 111]);
    for (const flags of [0, 1, PyBUF.READ | PyBUF.WRITE, -1, PyBUF.FULL]) {
      const m = capi.PyMemoryView_FromMemory(p, 5, flags);
      expect([m.readonly, m.obj, m.format, m.shape, m.strides, m.tobytes()]).toEqual([
        true,
        null,
        'B',
        [5],
        [1],
        new Uint8Array([104, 101, 108, 108, 111]),
      ]);
      m.release();
    }
  });

  it('refuses null, negative sizes and memory outside the runtime', () => {
    const p = memoryWith([1, 2]);
    expect(errorOf(() => capi.PyMemoryView_FromMemory(0, 2, PyBUF.READ))[0]).toBe('ValueError');
    expect(errorOf(() => capi.PyMemoryView_FromMemory(p, -1, PyBUF.READ))[0]).toBe('ValueError');
    expect(errorOf(() => capi.PyMemoryView_FromMemory(heapU8().length - 1, 2, PyBUF.READ))[0]).toBe('ValueError');
  });
});

describe('PyMemoryView_FromBuffer', () => {
  it('copies the descriptor, rebuilds missing shape and strides, and forces obj to null', () => {
    const b = new Bytes([1, 2, 3, 4, 5, 6]);
    const info = capi.PyObject_GetBuffer(b, PyBUF.SIMPLE);
    const m = capi.PyMemoryView_FromBuffer(info);
    expect([m.obj, m.format, m.shape, m.strides, m.ndim]).toEqual([null, 'B', [6], [1], 1]);
    m.release();
    // the caller still owns info: releasing the view did not release it
    expect(info.obj).toBe(b);
    capi.PyBuffer_Release(info);
    b.dispose();
  });

  it('rebuilds C strides for an N-dimensional descriptor without strides', () => {
    const p = memoryWith([0, 1, 2, 3, 4, 5]);
    const m = capi.PyMemoryView_FromBuffer(descriptor(p, [2, 3], null));
    expect([m.strides, m.tolist(), m.c_contiguous]).toEqual([
      [3, 1],
      [
        [0, 1, 2],
        [3, 4, 5],
      ],
      true,
    ]);
    m.release();
  });

  it('refuses a NULL buf with ValueError', () => {
    expect(errorOf(() => capi.PyMemoryView_FromBuffer(new Py_buffer()))).toEqual([
      'ValueError',
      'PyMemoryView_FromBuffer(): info->buf must not be NULL',
    ]);
  });

  it('refuses more than 64 dimensions with ValueError', () => {
    const p = memoryWith([7]);
    const shape = new Array<number>(65).fill(1);
    expect(errorOf(() => capi.PyMemoryView_FromBuffer(descriptor(p, shape, new Array<number>(65).fill(1))))).toEqual([
      'ValueError',
      'memoryview: number of dimensions must not exceed 64',
    ]);
  });

  it('refuses a descriptor that reaches outside linear memory, before reading anything', () => {
    const view = descriptor(heapU8().length - 2, [4], [1]);
    expect(errorOf(() => capi.PyMemoryView_FromBuffer(view))[0]).toBe('BufferError');
    const negative = descriptor(memoryWith([1, 2]), [3], [-4096 * 1024]);
    expect(errorOf(() => capi.PyMemoryView_FromBuffer(negative))[0]).toBe('BufferError');
  });
});

describe('PyMemoryView_GetContiguous', () => {
  it('returns the original view when already contiguous in the order asked for', () => {
    const ba = new ByteArray('abcdef');
    for (const order of ['C', 'F', 'A'] as const) {
      for (const buffertype of [PyBUF.READ, PyBUF.WRITE]) {
        const m = capi.PyMemoryView_GetContiguous(ba, buffertype, order);
        expect(capi.PyMemoryView_GET_BASE(m)).toBe(ba);
        expect(m.readonly).toBe(false);
        m.release();
      }
    }
    ba.dispose();
  });

  it('copies a non-contiguous object into a read-only Bytes in C or Fortran layout', () => {
    const p = memoryWith([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const src = capi.PyMemoryView_FromBuffer(descriptor(p, [3, 2], [4, 1])); // rows 0..2, columns 0..1
    for (const [order, strides, bytes] of [
      ['C', [2, 1], [0, 1, 4, 5, 8, 9]],
      ['A', [2, 1], [0, 1, 4, 5, 8, 9]],
      ['F', [1, 3], [0, 4, 8, 1, 5, 9]],
    ] as const) {
      const m = capi.PyMemoryView_GetContiguous(src, PyBUF.READ, order);
      expect(capi.PyMemoryView_GET_BASE(m)).toBeInstanceOf(Bytes);
      expect([m.readonly, m.shape, m.strides, m.suboffsets]).toEqual([true, [3, 2], strides, []]);
      expect(Array.from(m.tobytes('A'))).toEqual(bytes);
      expect(m.tolist()).toEqual(src.tolist());
      m.release();
    }
    src.release();
  });

  it('frees the Bytes behind a copy when the copy is released', () => {
    const p = memoryWith([0, 1, 2, 3, 4, 5, 6, 7]);
    const src = capi.PyMemoryView_FromBuffer(descriptor(p, [4], [2]));
    const before = heapStats().liveBlocks;
    const m = capi.PyMemoryView_GetContiguous(src, PyBUF.READ, 'C');
    expect(heapStats().liveBlocks).toBe(before + 1);
    m.release();
    expect(heapStats().liveBlocks).toBe(before);
    src.release();
  });

  it('treats a buffertype other than WRITE as READ, as a release build of CPython does (the check is an assert)', () => {
    // Pyodide 314.0.7, PyMemoryView_GetContiguous through ctypes with buffertype 0, 1 and 0x300:
    // bytearray(b'ab') gives its own writable view; ndarray(range(6), shape=[2, 3])[::-1] a
    // read-only copy with strides (3, 1) and bytes 03 04 05 00 01 02
    const ba = new ByteArray('ab');
    const nd = new NDArray([0, 1, 2, 3, 4, 5], { shape: [2, 3], flags: ND.WRITABLE });
    const reversed = nd.get(slice(null, null, -1));
    for (const buffertype of [0, 1, PyBUF.READ | PyBUF.WRITE]) {
      const own = capi.PyMemoryView_GetContiguous(ba, buffertype, 'C');
      expect([own.readonly, capi.PyMemoryView_GET_BASE(own)]).toEqual([false, ba]);
      own.release();
      const copy = capi.PyMemoryView_GetContiguous(reversed, buffertype, 'C');
      expect([copy.readonly, copy.strides, Array.from(copy.tobytes())]).toEqual([true, [3, 1], [3, 4, 5, 0, 1, 2]]);
      copy.release();
    }
    reversed.release();
    nd.release();
    ba.dispose();
  });

  it('raises BufferError for WRITE on a read-only object and on a non-contiguous one', () => {
    const b = new Bytes('abc');
    expect(errorOf(() => capi.PyMemoryView_GetContiguous(b, PyBUF.WRITE, 'C'))).toEqual([
      'BufferError',
      'underlying buffer is not writable',
    ]);
    const p = memoryWith([0, 1, 2, 3]);
    const src = capi.PyMemoryView_FromBuffer(descriptor(p, [2], [2]));
    expect(errorOf(() => capi.PyMemoryView_GetContiguous(src, PyBUF.WRITE, 'C'))).toEqual([
      'BufferError',
      'writable contiguous buffer requested for a non-contiguous object.',
    ]);
    // the failed calls registered nothing on the exporters
    expect(src.mbuf.exports).toBe(1);
    b.dispose();
    src.release();
  });

  it('returns 0-dim and empty views as they are', () => {
    const p = memoryWith([5]);
    const scalar = capi.PyMemoryView_FromBuffer(descriptor(p, [], null));
    const m = capi.PyMemoryView_GetContiguous(scalar, PyBUF.READ, 'F');
    expect(m.mbuf).toBe(scalar.mbuf);
    expect(m.tolist()).toBe(5);
    m.release();
    scalar.release();
  });
});

describe('PyMemoryView_Check, GET_BUFFER and GET_BASE', () => {
  it('tell memoryviews apart and expose their descriptor and base', () => {
    const b = new Bytes('ab');
    const m = capi.PyMemoryView_FromObject(b);
    expect(capi.PyMemoryView_Check(m)).toBe(true);
    expect(capi.PyMemoryView_Check(b)).toBe(false);
    expect(capi.PyMemoryView_Check(new Uint8Array(2))).toBe(false);
    const view = capi.PyMemoryView_GET_BUFFER(m);
    expect([view.len, view.itemsize, view.format, view.ndim, view.readonly]).toEqual([2, 1, 'B', 1, true]);
    expect(capi.PyMemoryView_GET_BASE(m)).toBe(b);
    m.release();
    b.dispose();
  });
});

describe('PyObject_CheckBuffer and PyObject_GetBuffer', () => {
  it('recognise exporters', () => {
    const b = new Bytes('a');
    for (const [obj, expected] of [
      [b, true],
      [new Uint8Array(1), true],
      [new ArrayBuffer(1), true],
      [5, false],
      ['a', false],
      [null, false],
      [{}, false],
    ] as const) {
      expect(capi.PyObject_CheckBuffer(obj)).toBe(expected);
    }
    b.dispose();
  });

  it('raise TypeError for non-exporters and SystemError for the READ/WRITE flags', () => {
    expect(errorOf(() => capi.PyObject_GetBuffer(5, PyBUF.SIMPLE))).toEqual([
      'TypeError',
      "a bytes-like object is required, not 'int'",
    ]);
    const b = new Bytes('a');
    expect(errorOf(() => capi.PyObject_GetBuffer(b, PyBUF.READ))).toEqual([
      'SystemError',
      'Objects/abstract.c:433: bad argument to internal function',
    ]);
    expect(errorOf(() => capi.PyObject_GetBuffer(b, PyBUF.WRITE))[0]).toBe('SystemError');
    b.dispose();
  });

  it('refuse TypedArrays of memory outside the runtime instead of copying silently', () => {
    expect(errorOf(() => capi.PyObject_GetBuffer(new Float32Array(4), PyBUF.SIMPLE))[0]).toBe('BufferError');
  });

  it('check descriptors from third-party exporters before any byte moves', () => {
    const liar = {
      [Symbol.for('wasm-memoryview.bf_getbuffer')](view: Py_buffer) {
        view.obj = liar;
        view.buf = 16;
        view.len = 4;
        view.ndim = 1;
        view.shape = [4];
        view.strides = [1 << 30];
      },
    };
    expect(errorOf(() => capi.PyObject_GetBuffer(liar, PyBUF.FULL_RO))).toEqual([
      'BufferError',
      'exporter returned an invalid buffer: memory outside the runtime',
    ]);
  });
});

describe('PyBuffer_Release', () => {
  it('calls the release slot once and is harmless the second time', () => {
    let released = 0;
    const p = memoryWith([1, 2, 3]);
    const exporter = {
      [Symbol.for('wasm-memoryview.bf_getbuffer')](view: Py_buffer, flags: number) {
        capi.PyBuffer_FillInfo(view, exporter, p, 3, true, flags);
      },
      [Symbol.for('wasm-memoryview.bf_releasebuffer')]() {
        released++;
      },
    };
    const view = capi.PyObject_GetBuffer(exporter, PyBUF.SIMPLE);
    capi.PyBuffer_Release(view);
    capi.PyBuffer_Release(view);
    expect([released, view.obj]).toEqual([1, null]);
  });
});

describe('PyBuffer_IsContiguous', () => {
  const cases: Array<[string, number[], number[] | null, number[] | null, [boolean, boolean, boolean]]> = [
    ['C strides', [2, 3], [3, 1], null, [true, false, true]],
    ['Fortran strides', [2, 3], [1, 2], null, [false, true, true]],
    ['no strides (C by definition)', [2, 3], null, null, [true, false, true]],
    ['extent 1 with any stride', [1, 3], [99, 1], null, [true, true, true]],
    ['extent 0', [0, 3], [7, 5], null, [true, true, true]],
    ['stride 0 with extent 2', [2], [0], null, [false, false, false]],
    ['a 1-D step', [3], [2], null, [false, false, false]],
    ['suboffsets present, even all negative', [3], [1], [-1], [false, false, false]],
    ['one extent above 1, no strides', [1, 3], null, null, [true, true, true]],
  ];
  for (const [name, shape, strides, suboffsets, [c, f, a]] of cases) {
    it(`answers C=${c}, F=${f}, A=${a} for ${name}`, () => {
      const view = descriptor(memoryWith(new Array(16).fill(0)), shape, strides, { suboffsets });
      expect((['C', 'F', 'A'] as const).map((o) => capi.PyBuffer_IsContiguous(view, o))).toEqual([c, f, a]);
      expect(capi.PyBuffer_IsContiguous(view, 'X' as Order)).toBe(false);
    });
  }
});

describe('PyBuffer_ToContiguous', () => {
  it('gathers a strided view in C and Fortran order', () => {
    const p = memoryWith([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const view = descriptor(p, [3, 2], [4, 1]);
    const out = memoryWith(new Array(6).fill(0xee));
    capi.PyBuffer_ToContiguous(out, view, 6, 'C');
    expect(Array.from(readMemory(out, 6))).toEqual([0, 1, 4, 5, 8, 9]);
    capi.PyBuffer_ToContiguous(out, view, 6, 'F');
    expect(Array.from(readMemory(out, 6))).toEqual([0, 4, 8, 1, 5, 9]);
  });

  it('raises ValueError when len != view->len and writes nothing', () => {
    const p = memoryWith([1, 2, 3, 4]);
    const out = memoryWith([9, 9, 9, 9, 9]);
    expect(errorOf(() => capi.PyBuffer_ToContiguous(out, descriptor(p, [4], [1]), 5, 'C'))).toEqual([
      'ValueError',
      'PyBuffer_ToContiguous: len != view->len',
    ]);
    expect(Array.from(readMemory(out, 5))).toEqual([9, 9, 9, 9, 9]);
  });

  it('refuses a destination outside linear memory', () => {
    const p = memoryWith([1, 2, 3, 4]);
    expect(errorOf(() => capi.PyBuffer_ToContiguous(heapU8().length - 2, descriptor(p, [4], [1]), 4, 'C'))[0]).toBe(
      'ValueError',
    );
  });

  it('refuses a view whose address is not a number (NaN) and writes nothing', () => {
    const p = memoryWith([1, 2, 3, 4]);
    const out = memoryWith([9, 9, 9, 9]);
    const cases: Array<[Py_buffer, string]> = [
      [descriptor(Number.NaN, [4], [1]), '[NaN, NaN)'],
      [descriptor(p, [4], [Number.NaN]), `[${p}, NaN)`],
      [descriptor(p, [2, 2], [2, Number.NaN]), `[${p}, NaN)`],
    ];
    for (const [view, range] of cases) {
      expect(errorOf(() => capi.PyBuffer_ToContiguous(out, view, 4, 'C'))).toEqual([
        'ValueError',
        `PyBuffer_ToContiguous(): the view's the data ${range} is not inside one live block of the runtime's heap`,
      ]);
    }
    expect(Array.from(readMemory(out, 4))).toEqual([9, 9, 9, 9]);
  });

  it('gathers through suboffsets (a PIL-style array)', () => {
    const rowA = memoryWith([1, 2, 3]);
    const rowB = memoryWith([4, 5, 6]);
    const table = memoryWith([...new Uint8Array(new Uint32Array([rowB, rowA]).buffer)]);
    const view = descriptor(table, [2, 3], [4, 1], { suboffsets: [0, -1] });
    const out = memoryWith(new Array(6).fill(0));
    capi.PyBuffer_ToContiguous(out, view, 6, 'C');
    expect(Array.from(readMemory(out, 6))).toEqual([4, 5, 6, 1, 2, 3]);
    expect(capi.PyBuffer_GetPointer(view, [1, 2])).toBe(rowA + 2);
  });
});

describe('PyBuffer_FromContiguous', () => {
  it('scatters into a strided view in C or Fortran order and clamps len to view->len', () => {
    const p = memoryWith(new Array(12).fill(0));
    const view = descriptor(p, [3, 2], [4, 1]);
    const src = memoryWith([1, 2, 3, 4, 5, 6, 7, 8]);
    capi.PyBuffer_FromContiguous(view, src, 8, 'C');
    expect(Array.from(readMemory(p, 12))).toEqual([1, 2, 0, 0, 3, 4, 0, 0, 5, 6, 0, 0]);
    capi.PyBuffer_FromContiguous(view, src, 6, 'F');
    expect(Array.from(readMemory(p, 12))).toEqual([1, 4, 0, 0, 2, 5, 0, 0, 3, 6, 0, 0]);
  });

  it('copies only len / itemsize items when len is short', () => {
    const p = memoryWith(new Array(8).fill(0));
    const view = descriptor(p, [4], [2]);
    capi.PyBuffer_FromContiguous(view, memoryWith([7, 8, 9]), 3, 'C');
    expect(Array.from(readMemory(p, 8))).toEqual([7, 0, 8, 0, 9, 0, 0, 0]);
  });

  it('memcpys into a contiguous view', () => {
    const p = memoryWith([0, 0, 0]);
    capi.PyBuffer_FromContiguous(descriptor(p, [3], [1]), memoryWith([4, 5, 6]), 3, 'C');
    expect(Array.from(readMemory(p, 3))).toEqual([4, 5, 6]);
  });
});

describe('PyObject_CopyData', () => {
  it('memcpys when both are contiguous in the same order', () => {
    const dst = new ByteArray(6);
    const src = new Bytes([1, 2, 3, 4]);
    capi.PyObject_CopyData(dst, src);
    expect(Array.from(dst.toUint8Array())).toEqual([1, 2, 3, 4, 0, 0]);
    dst.dispose();
    src.dispose();
  });

  it('copies item by item with the source indices into the destination (CPython: [[0,2],[1,3],[5,0]])', () => {
    // src: 2x3 Fortran-contiguous bytes 0..5; dest: 3x2 C-contiguous (as checked with ctypes on CPython 3.13)
    const s = memoryWith([0, 1, 2, 3, 4, 5]);
    const d = memoryWith([0, 0, 0, 0, 0, 0]);
    const src = capi.PyMemoryView_FromBuffer(descriptor(s, [2, 3], [1, 2]));
    const dst = capi.PyMemoryView_FromBuffer(descriptor(d, [3, 2], [2, 1]));
    capi.PyObject_CopyData(dst, src);
    expect(dst.tolist()).toEqual([
      [0, 2],
      [1, 3],
      [5, 0],
    ]);
    src.release();
    dst.release();
  });

  it('raises CPython errors and leaves the destination untouched', () => {
    const small = new ByteArray([9, 9]);
    const src = new Bytes([1, 2, 3]);
    expect(errorOf(() => capi.PyObject_CopyData(small, src))).toEqual([
      'BufferError',
      'destination is too small to receive data from source',
    ]);
    expect(Array.from(small.toUint8Array())).toEqual([9, 9]);
    expect(errorOf(() => capi.PyObject_CopyData(src, small))).toEqual(['BufferError', 'Object is not writable.']);
    expect(errorOf(() => capi.PyObject_CopyData(small, 5))).toEqual([
      'TypeError',
      'both destination and source must be bytes-like objects',
    ]);
    // the refused calls released every buffer they took
    small.resize(1);
    small.dispose();
    src.dispose();
  });
});

describe('PyBuffer_FillInfo', () => {
  it('fills shape, strides and format only when asked', () => {
    const p = memoryWith([1, 2, 3]);
    const simple = capi.PyBuffer_FillInfo(null, null, p, 3, false, PyBUF.SIMPLE);
    expect([simple.format, simple.shape, simple.strides, simple.ndim, simple.itemsize]).toEqual([
      null,
      null,
      null,
      1,
      1,
    ]);
    const full = capi.PyBuffer_FillInfo(null, null, p, 3, true, PyBUF.FULL_RO);
    expect([full.format, full.shape, full.strides, full.suboffsets, full.readonly]).toEqual([
      'B',
      [3],
      [1],
      null,
      true,
    ]);
  });

  it('refuses WRITABLE on read-only memory and the READ/WRITE flags', () => {
    const p = memoryWith([1]);
    expect(errorOf(() => capi.PyBuffer_FillInfo(null, null, p, 1, true, PyBUF.WRITABLE))).toEqual([
      'BufferError',
      'Object is not writable.',
    ]);
    // Pyodide 314.0.7: PyErr_BadInternalCall() in PyBuffer_FillInfo (3.14.2's line)
    for (const flags of [PyBUF.READ, PyBUF.WRITE]) {
      expect(errorOf(() => capi.PyBuffer_FillInfo(null, null, p, 1, false, flags))).toEqual([
        'SystemError',
        'Objects/abstract.c:775: bad argument to internal function',
      ]);
    }
  });

  it('refuses WRITABLE only for readonly 1: another non-zero readonly passes and the view is read-only', () => {
    // Pyodide 314.0.7, PyBuffer_FillInfo through ctypes with readonly 2 and -1: no error for
    // PyBUF_WRITABLE or PyBUF_FULL, and view.readonly stays non-zero; flags 0x300 fill no shape
    const p = memoryWith([1, 2, 3]);
    for (const readonly of [2, -1]) {
      for (const flags of [PyBUF.WRITABLE, PyBUF.FULL]) {
        const view = capi.PyBuffer_FillInfo(null, null, p, 3, readonly, flags);
        expect([view.readonly, view.len, view.shape !== null]).toEqual([true, 3, flags === PyBUF.FULL]);
      }
    }
    const rw = capi.PyBuffer_FillInfo(null, null, p, 3, 0, PyBUF.READ | PyBUF.WRITE);
    expect([rw.readonly, rw.format, rw.shape, rw.strides]).toEqual([false, null, null, null]);
  });
});

describe('PyBuffer_FillContiguousStrides, GetPointer, SizeFromFormat', () => {
  it('fill C strides for any order but F, and Fortran strides for F', () => {
    expect(capi.PyBuffer_FillContiguousStrides(3, [2, 3, 4], [0, 0, 0], 8, 'C')).toEqual([96, 32, 8]);
    expect(capi.PyBuffer_FillContiguousStrides(3, [2, 3, 4], [0, 0, 0], 8, 'A')).toEqual([96, 32, 8]);
    expect(capi.PyBuffer_FillContiguousStrides(3, [2, 3, 4], [0, 0, 0], 8, 'F')).toEqual([8, 16, 48]);
  });

  it('find the address of an item through strides', () => {
    const view = descriptor(1000, [3, 4], [-4, 1]);
    expect(capi.PyBuffer_GetPointer(view, [2, 3])).toBe(1000 - 8 + 3);
  });

  it('size formats as struct.calcsize does on wasm32', () => {
    expect(['B', 'i', 'l', 'q', 'P', 'n', 'ci', '<q', 'd3s'].map((f) => capi.PyBuffer_SizeFromFormat(f))).toEqual([
      1, 4, 4, 8, 4, 4, 8, 8, 11,
    ]);
    expect(() => capi.PyBuffer_SizeFromFormat('Z')).toThrow(StructError);
  });

  it('reads its format as a C string, up to the first NUL', () => {
    // Pyodide 314.0.7, PyBuffer_SizeFromFormat through ctypes: b'0x 0eh\0Z' -> 2, b'i\0' -> 4,
    // b'\0Z' -> 0 (struct.calcsize would refuse each with "embedded null character")
    expect(['0x 0eh\0Z', 'i\0', '\0Z'].map((f) => capi.PyBuffer_SizeFromFormat(f))).toEqual([2, 4, 0]);
  });
});

describe('PyMem_Malloc and PyMem_Free', () => {
  it('allocate and free real blocks', () => {
    const before = heapStats();
    const p = capi.PyMem_Malloc(100);
    expect(p % 16).toBe(0);
    expect(heapStats().liveBlocks).toBe(before.liveBlocks + 1);
    capi.PyMem_Free(p);
    expect(heapStats()).toEqual(before);
    capi.PyMem_Free(0);
  });

  it('refuse impossible sizes with MemoryError and bad pointers with ValueError', () => {
    expect(errorOf(() => capi.PyMem_Malloc(2 ** 31))[0]).toBe('MemoryError');
    expect(errorOf(() => capi.PyMem_Free(12345))[0]).toBe('ValueError');
  });
});

describe('error classes', () => {
  it('carry Python names', () => {
    expect([new BufferError('x').name, new ValueError('x').name, new SystemError('x').name]).toEqual([
      'BufferError',
      'ValueError',
      'SystemError',
    ]);
    expect(new BufferError('x')).toBeInstanceOf(Error);
  });
});

describe('MemoryView static constructors', () => {
  /** What a view shows of itself: enough to tell two constructions apart. */
  const layout = (m: MemoryView): unknown => ({
    obj: m.obj?.constructor.name ?? null,
    format: m.format,
    itemsize: m.itemsize,
    ndim: m.ndim,
    shape: m.shape,
    strides: m.strides,
    suboffsets: m.suboffsets,
    readonly: m.readonly,
    nbytes: m.nbytes,
    c: m.c_contiguous,
    f: m.f_contiguous,
    items: m.tolist(),
    bytes: [...m.tobytes('A')],
  });

  it('are the C API functions: the same arguments give the same views', () => {
    const b = new Bytes('abcdef');
    const fortran = new NDArray([...Array(12).keys()], { shape: [3, 4], format: 'i', flags: ND.FORTRAN });
    const p = capi.PyMem_Malloc(8);
    const info = capi.PyObject_GetBuffer(fortran, PyBUF.FULL_RO);
    // [name, the static, the C API function, whether each call makes its own copy of the memory]
    const pairs: Array<[string, () => MemoryView, () => MemoryView, boolean?]> = [
      ['fromObject', () => MemoryView.fromObject(b), () => capi.PyMemoryView_FromObject(b)],
      [
        'fromMemory',
        () => MemoryView.fromMemory(p, 8, PyBUF.WRITE),
        () => capi.PyMemoryView_FromMemory(p, 8, PyBUF.WRITE),
      ],
      ['fromBuffer', () => MemoryView.fromBuffer(info), () => capi.PyMemoryView_FromBuffer(info)],
      [
        'getContiguous (a copy)',
        () => MemoryView.getContiguous(fortran, PyBUF.READ, 'C'),
        () => capi.PyMemoryView_GetContiguous(fortran, PyBUF.READ, 'C'),
        true,
      ],
      [
        'getContiguous (the object)',
        () => MemoryView.getContiguous(fortran, PyBUF.READ, 'F'),
        () => capi.PyMemoryView_GetContiguous(fortran, PyBUF.READ, 'F'),
      ],
    ];
    for (const [name, fromStatic, fromCapi, copies = false] of pairs) {
      const m = fromStatic();
      const c = fromCapi();
      expect([name, layout(c)]).toEqual([name, layout(m)]);
      // the same memory, or (a copy) memory of its own
      const [mbuf, cbuf] = [capi.PyMemoryView_GET_BUFFER(m).buf, capi.PyMemoryView_GET_BUFFER(c).buf];
      expect([name, c.obj === m.obj, cbuf === mbuf]).toEqual([name, !copies, !copies]);
      expect([name, MemoryView.check(c), capi.PyMemoryView_Check(m)]).toEqual([name, true, true]);
      c.release();
      m.release();
    }
    capi.PyBuffer_Release(info);
    capi.PyMem_Free(p);
    fortran.dispose();
    b.dispose();
  });

  it('are the C API functions: the same bad arguments give the same errors', () => {
    const b = new Bytes('ab');
    const fortran = new NDArray([1, 2, 3, 4], { shape: [2, 2], format: 'i', flags: ND.FORTRAN | ND.WRITABLE });
    const noBuf = new Py_buffer();
    // (flags or a buffertype other than READ and WRITE are no error: read-only, as a release build)
    const pairs: Array<[string, () => unknown, () => unknown]> = [
      ['fromObject of a non-exporter', () => MemoryView.fromObject(5), () => capi.PyMemoryView_FromObject(5)],
      [
        'fromMemory of NULL',
        () => MemoryView.fromMemory(0, 4, PyBUF.READ),
        () => capi.PyMemoryView_FromMemory(0, 4, PyBUF.READ),
      ],
      ['fromBuffer of NULL', () => MemoryView.fromBuffer(noBuf), () => capi.PyMemoryView_FromBuffer(noBuf)],
      [
        'getContiguous with a bad order',
        () => MemoryView.getContiguous(b, PyBUF.READ, 'X' as 'C'),
        () => capi.PyMemoryView_GetContiguous(b, PyBUF.READ, 'X' as 'C'),
      ],
      [
        'getContiguous, writable, of read-only bytes',
        () => MemoryView.getContiguous(b, PyBUF.WRITE, 'C'),
        () => capi.PyMemoryView_GetContiguous(b, PyBUF.WRITE, 'C'),
      ],
      [
        'getContiguous, writable, needing a copy',
        () => MemoryView.getContiguous(fortran, PyBUF.WRITE, 'C'),
        () => capi.PyMemoryView_GetContiguous(fortran, PyBUF.WRITE, 'C'),
      ],
    ];
    const live = heapStats().liveBytes;
    for (const [name, fromStatic, fromCapi] of pairs) {
      const e = errorOf(fromStatic);
      expect([name, e]).not.toEqual([name, 'no error']);
      expect([name, errorOf(fromCapi)]).toEqual([name, e]);
    }
    expect(heapStats().liveBytes).toBe(live);
    fortran.dispose();
    b.dispose();
  });

  it('and check is PyMemoryView_Check', () => {
    const b = new Bytes('a');
    const m = MemoryView.fromObject(b);
    for (const obj of [m, b, new Uint8Array(1), null, undefined, {}, 'memoryview']) {
      expect(capi.PyMemoryView_Check(obj)).toBe(MemoryView.check(obj));
    }
    expect([MemoryView.check(m), MemoryView.check(b)]).toEqual([true, false]);
    m.release();
    b.dispose();
  });
});
