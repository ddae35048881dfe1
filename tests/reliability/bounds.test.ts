// Bounds: every entry point that takes a pointer or a descriptor refuses, before any byte moves,
// anything that would reach memory its exporter does not own (outside linear memory, outside
// every live heap block, across two blocks, the runtime's scratch area, through a bad pointer
// table). Each case checks the error class, and that the guarded memory around is untouched.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryView, ND, NDArray, PyBUF, Py_buffer, capi, init, type BufferExporter } from '../../src/index.js';
import { bf_getbuffer, bf_releasebuffer } from '../../src/buffer.js';
import { checkCanaries, enableCanaries } from '../../src/wasm/guard.js';
import { heapU8, heapView } from '../../src/wasm/heap.js';
import { scratch } from '../../src/wasm/scratch.js';
import { errorName } from '../helpers/errors.js';

beforeAll(async () => {
  enableCanaries(32);
  await init();
});

afterEach(() => {
  expect(checkCanaries()).toEqual([]);
});

/** A block of 64 bytes 0..63, another after it, a freed one, and the scratch area. */
function arena(): { a: number; b: number; freed: number; scr: number; done: () => void; snapshot: () => Uint8Array } {
  const a = capi.PyMem_Malloc(64);
  const b = capi.PyMem_Malloc(64);
  const freed = capi.PyMem_Malloc(64);
  capi.PyMem_Free(freed);
  for (let k = 0; k < 64; k++) {
    heapU8()[a + k] = k;
    heapU8()[b + k] = 64 + k;
  }
  const scr = scratch(4);
  return {
    a,
    b,
    freed,
    scr,
    done: () => {
      capi.PyMem_Free(a);
      capi.PyMem_Free(b);
    },
    snapshot: () => heapU8().slice(a, a + 64),
  };
}

/** A third-party exporter that fills `fields` into every request. */
function exporterOf(fields: Partial<Py_buffer>): BufferExporter & { gets: number; releases: number } {
  const e = {
    gets: 0,
    releases: 0,
    [bf_getbuffer](view: Py_buffer) {
      e.gets++;
      Object.assign(view, { itemsize: 1, ndim: 1, readonly: false, format: 'B' }, fields);
      view.obj = e;
    },
    [bf_releasebuffer]() {
      e.releases++;
    },
  };
  return e;
}

describe('raw pointers', () => {
  it('are refused by FromMemory, FillInfo, ToContiguous and FromContiguous unless inside one live block', () => {
    const { a, b, freed, scr, done, snapshot } = arena();
    const before = snapshot();
    const bad: Array<[string, number, number]> = [
      ['past the end of the block', a + 60, 8],
      ['across two blocks', a + 32, 128],
      ['a freed block', freed, 16],
      ['the scratch area', scr, 4],
      ['before the block', a - 8, 16],
      ['outside linear memory', heapU8().length - 4, 8],
    ];
    const view = capi.PyObject_GetBuffer(MemoryView.fromMemory(b, 16, PyBUF.WRITE), PyBUF.FULL);
    for (const [what, ptr, size] of bad) {
      expect([what, errorName(() => MemoryView.fromMemory(ptr, size, PyBUF.READ))]).toEqual([what, 'ValueError']);
      expect([what, errorName(() => capi.PyBuffer_FillInfo(null, null, ptr, size, false, PyBUF.SIMPLE))]).toEqual([
        what,
        'ValueError',
      ]);
      expect([
        what,
        errorName(() => capi.PyBuffer_ToContiguous(ptr, { ...view, len: size } as Py_buffer, size, 'C')),
      ]).not.toEqual([what, 'no error']);
      if (size <= 16) {
        expect([what, errorName(() => capi.PyBuffer_FromContiguous(view, ptr, size, 'C'))]).toEqual([
          what,
          'ValueError',
        ]);
      }
    }
    expect(snapshot()).toEqual(before);
    capi.PyBuffer_Release(view);
    done();
  });

  it('are refused as TypedArrays over runtime memory no live block holds, with BufferError', () => {
    const { a, freed, done } = arena();
    const cases = [
      new Uint8Array(heapU8().buffer), // the whole of linear memory
      new Uint8Array(heapU8().buffer, a + 32, 64), // past the block's end
      new Float64Array(heapU8().buffer, freed, 2), // a freed block
    ];
    for (const ta of cases) expect(errorName(() => MemoryView.fromObject(ta))).toBe('BufferError');
    const ok = MemoryView.fromObject(new Uint16Array(heapU8().buffer, a, 32));
    expect(ok.nbytes).toBe(64);
    ok.release();
    done();
  });
});

describe('descriptors from third-party exporters and PyMemoryView_FromBuffer', () => {
  const bad: Array<[string, (a: number, b: number, freed: number) => Partial<Py_buffer>]> = [
    ['strides past the block', (a) => ({ buf: a, len: 8, shape: [8], strides: [10] })],
    ['negative strides before the block', (a) => ({ buf: a + 4, len: 8, shape: [8], strides: [-1] })],
    ['len larger than the shape says', (a) => ({ buf: a, len: 65, shape: [8], strides: [1] })],
    ['len past the block without a shape', (a) => ({ buf: a, len: 65, shape: null, strides: null })],
    [
      'a 0-dim item past the block',
      (a) => ({ buf: a + 63, len: 2, itemsize: 2, ndim: 0, shape: null, strides: null, format: 'H' }),
    ],
    [
      'a pointer table past the block',
      (a) => ({ buf: a + 56, len: 4, ndim: 2, shape: [4, 1], strides: [4, 1], suboffsets: [0, -1] }),
    ],
    [
      'a pointer into a freed block',
      (a, _b, freed) => {
        new DataView(heapU8().buffer).setUint32(a, freed, true);
        return { buf: a, len: 1, ndim: 2, shape: [1, 1], strides: [4, 1], suboffsets: [0, -1] };
      },
    ],
    [
      'a pointer to rows that cross into the next block',
      (a, b) => {
        new DataView(heapU8().buffer).setUint32(a, b + 60, true);
        return { buf: a, len: 8, ndim: 2, shape: [1, 8], strides: [4, 1], suboffsets: [0, -1] };
      },
    ],
    [
      'a suboffset that moves rows past the block',
      (a) => {
        new DataView(heapU8().buffer).setUint32(a, a + 8, true);
        return { buf: a, len: 4, ndim: 2, shape: [1, 4], strides: [4, 1], suboffsets: [60, -1] };
      },
    ],
    ['suboffsets without strides', (a) => ({ buf: a, len: 4, shape: [4], strides: null, suboffsets: [-1] })],
  ];
  for (const [what, make] of bad) {
    it(`refuses ${what} with BufferError, releasing the buffer and writing nothing`, () => {
      const { a, b, freed, done, snapshot } = arena();
      const fields = make(a, b, freed);
      const before = snapshot();
      const e = exporterOf(fields);
      expect(errorName(() => MemoryView.fromObject(e))).toBe('BufferError');
      expect(errorName(() => capi.PyObject_GetBuffer(e, PyBUF.FULL_RO))).toBe('BufferError');
      expect(errorName(() => new NDArray(e, { getbuf: PyBUF.FULL_RO }))).toBe('BufferError');
      expect([e.gets, e.releases]).toEqual([3, 3]);
      const info = Object.assign(new Py_buffer(), { itemsize: 1, ndim: 1, format: 'B' }, fields);
      expect(errorName(() => capi.PyMemoryView_FromBuffer(info))).toBe('BufferError');
      expect(snapshot()).toEqual(before);
      done();
    });
  }

  it('accepts a PIL descriptor whose pointer table and rows lie in different live blocks', () => {
    const { a, b, done } = arena();
    const dv = new DataView(heapU8().buffer);
    dv.setUint32(a, b, true);
    dv.setUint32(a + 4, b + 8, true);
    const e = exporterOf({
      buf: a,
      len: 8,
      ndim: 2,
      shape: [2, 4],
      strides: [4, 1],
      suboffsets: [0, -1],
      readonly: true,
    });
    const m = MemoryView.fromObject(e);
    expect(m.tolist()).toEqual([
      [64, 65, 66, 67],
      [72, 73, 74, 75],
    ]);
    m.release();
    done();
  });
});

describe('pointer tables that change after export', () => {
  it('are checked again by PyBuffer_GetPointer, ToContiguous and FromContiguous before any byte moves', () => {
    const dst = capi.PyMem_Malloc(4); // before the arena, so that its freed block stays free
    const { a, b, freed, done } = arena();
    const dv = new DataView(heapU8().buffer);
    dv.setUint32(a, b, true);
    const e = exporterOf({ buf: a, len: 4, ndim: 2, shape: [1, 4], strides: [4, 1], suboffsets: [0, -1] });
    const view = capi.PyObject_GetBuffer(e, PyBUF.FULL);
    expect(capi.PyBuffer_GetPointer(view, [0, 3])).toBe(b + 3);
    dv.setUint32(a, freed, true); // the table now points into a freed block
    const before = heapU8().slice(dst, dst + 4);
    expect(errorName(() => capi.PyBuffer_ToContiguous(dst, view, 4, 'C'))).toBe('ValueError');
    expect(errorName(() => capi.PyBuffer_FromContiguous(view, dst, 4, 'C'))).toBe('ValueError');
    expect(heapU8().slice(dst, dst + 4)).toEqual(before);
    dv.setUint32(a, 8, true); // a table entry that is not even a heap address
    expect(errorName(() => capi.PyBuffer_ToContiguous(dst, view, 4, 'C'))).toBe('ValueError');
    capi.PyMem_Free(dst);
    capi.PyBuffer_Release(view);
    done();
  });

  it('PyBuffer_GetPointer refuses indices outside the shape with IndexError', () => {
    const { a, done } = arena();
    const view = capi.PyBuffer_FillInfo(null, null, a, 64, false, PyBUF.FULL);
    for (const idx of [[64], [-1], [1.5]])
      expect(errorName(() => capi.PyBuffer_GetPointer(view, idx))).toBe('IndexError');
    expect(errorName(() => capi.PyBuffer_GetPointer(view, []))).toBe('TypeError');
    expect(capi.PyBuffer_GetPointer(view, [63])).toBe(a + 63);
    done();
  });
});

describe('destinations whose items share bytes (found by the fuzz run)', () => {
  it("PyBuffer_FromContiguous writes them in CPython's item order: the last item written wins", () => {
    // shape [2, 4], strides [6, 2]: items (0, 3) and (1, 0) share byte 6; in 'F' order (0, 3) is written last
    const nd = new NDArray(
      Array.from({ length: 13 }, () => 0),
      { shape: [2, 4], strides: [6, 2], flags: ND.WRITABLE },
    );
    const view = capi.PyObject_GetBuffer(nd, PyBUF.FULL);
    const src = capi.PyMem_Malloc(8);
    heapU8().set([0, 13, 26, 39, 52, 65, 78, 91], src);
    capi.PyBuffer_FromContiguous(view, src, 8, 'F');
    expect(nd.tolist()).toEqual([
      [0, 26, 52, 78],
      [78, 39, 65, 91],
    ]);
    capi.PyMem_Free(src);
    capi.PyBuffer_Release(view);
    nd.release();
  });

  it("PyObject_CopyData writes them in CPython's order (C order from the second item, the first last)", () => {
    const nd = new NDArray(
      Array.from({ length: 1 }, () => 0),
      { shape: [3], strides: [0], flags: ND.WRITABLE },
    );
    const src = new NDArray([7, 8, 9], { shape: [3] });
    capi.PyObject_CopyData(nd, src);
    expect(nd.tolist()).toEqual([7, 7, 7]);
    src.release();
    nd.release();
  });
});

describe('a pointer table changed after export', () => {
  it('is followed again before any copy, and a pointer leading outside the heap is refused', () => {
    const nd = new NDArray([1, 2, 3, 4, 5, 6], { shape: [2, 3], flags: ND.PIL | ND.WRITABLE });
    const m = MemoryView.fromObject(nd);
    const table = m.mbuf.master.buf;
    const saved = heapView().getUint32(table, true);
    heapView().setUint32(table, heapU8().length - 2, true); // row 0 now points past the heap
    expect(() => m.tobytes()).toThrow(/copy through suboffsets refused/);
    heapView().setUint32(table, saved, true);
    expect(Array.from(m.tobytes())).toEqual([1, 2, 3, 4, 5, 6]);
    m.release();
    nd.release();
  });
});

describe('a pointer table changed after export, on the item paths', () => {
  // memory_item, memory_ass_sub, iteration, tolist and == follow the tables themselves; a table
  // entry rewritten to lead outside the heap's live blocks is refused before any byte moves
  const ops: Array<[string, (m: MemoryView) => unknown]> = [
    ['m[1, 0]', (m) => m.get([1, 0])],
    ['m[1, 0] = 9', (m) => m.set([1, 0], 9)],
    ['m.tolist()', (m) => m.tolist()],
    ['m == m', (m) => m.equals(m)],
  ];
  it.each(ops)('%s through a pointer to address 16 raises BufferError and writes nothing', (_name, op) => {
    const nd = new NDArray([1, 2, 3, 4, 5, 6], { shape: [2, 3], format: 'i', flags: ND.PIL | ND.WRITABLE });
    const m = MemoryView.fromObject(nd);
    const table = m.mbuf.master.buf;
    const saved = heapView().getUint32(table + 4, true);
    heapView().setUint32(table + 4, 16, true); // row 1 now points into the runtime's own data
    const low = heapU8().slice(0, 64);
    expect(errorName(() => op(m))).toBe('BufferError');
    expect(heapU8().slice(0, 64)).toEqual(low);
    heapView().setUint32(table + 4, saved, true);
    expect(m.tolist()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    m.release();
    nd.dispose();
  });

  it('iteration of a 1-D PIL view checks each pointer as it reads it', () => {
    const nd = new NDArray([1, 2, 3], { shape: [3], format: 'i', flags: ND.PIL | ND.WRITABLE });
    const m = MemoryView.fromObject(nd);
    const it = m[Symbol.iterator]();
    expect(it.next().value).toBe(1);
    const table = m.mbuf.master.buf;
    heapView().setUint32(table + 4, 16, true);
    expect(errorName(() => it.next())).toBe('BufferError');
    m.release();
    nd.dispose();
  });

  it('an NDArray item through a rewritten pointer raises BufferError and writes nothing', () => {
    const nd = new NDArray([1, 2, 3], { shape: [3], format: 'i', flags: ND.PIL | ND.WRITABLE });
    const m = MemoryView.fromObject(nd);
    const table = m.mbuf.master.buf;
    m.release();
    heapView().setUint32(table + 8, 16, true);
    const low = heapU8().slice(0, 64);
    expect(errorName(() => nd.get(2))).toBe('BufferError');
    expect(errorName(() => nd.set(2, 7))).toBe('BufferError');
    expect(errorName(() => nd.tolist())).toBe('BufferError');
    expect(heapU8().slice(0, 64)).toEqual(low);
    nd.dispose();
  });
});

describe('a re-export without shape or format whose items are wider than a byte', () => {
  // _testbuffer's ptr_from_index counts len items when there is no shape (it assumes one-byte
  // items): ndarray(nd, getbuf=PyBUF_WRITABLE) of an 'i' array reaches len * 4 bytes. CPython
  // reads and writes past the buffer there; this project refuses the items outside it
  it('reads and writes the items inside the buffer and refuses the rest with BufferError', () => {
    const base = new NDArray([0, 5], { shape: [2], format: 'i', flags: ND.WRITABLE });
    const re = new NDArray(base, { getbuf: PyBUF.WRITABLE });
    expect([re.format, re.itemsize, re.nbytes]).toEqual(['', 4, 8]);
    expect(re.get(1)).toBe(5); // item 1 of 'B' read from bytes 4..8: the low byte of 5
    expect(errorName(() => re.get(7))).toBe('BufferError');
    expect(errorName(() => re.set(-1, 1))).toBe('BufferError');
    expect(base.tolist()).toEqual([0, 5]);
    re.dispose();
    base.dispose();
  });
});
