// The fast paths through suboffsets: checkReach's walk of pointer tables (src/buffer.ts,
// indirectReachOwned) against the full walk it stands in for, and copies whose pointer table
// steps by a constant (src/copy/dispatch.ts, copyStepped) against the reference kernel and CPython's
// row-by-row order. Bad pointers, blocks freed after a check and rows that cross blocks are
// still refused, or still take the kernel, before any byte moves.
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryView, ND, NDArray, Py_buffer, capi, init } from '../src/index.js';
import { checkReach, forEachReachedRegion } from '../src/reach.js';
import { copyStrided } from '../src/copy/dispatch.js';
import { copyStridedReference } from '../src/copy/encode.js';
import { type StridedOperand } from '../src/copy/plan.js';
import { checkCanaries, enableCanaries } from '../src/wasm/guard.js';
import {
  free,
  heapU8,
  heapView,
  malloc,
  memorySize,
  ownedRange,
  ownedSpanAt,
  type OwnedSpan,
} from '../src/wasm/heap.js';
import { scratch } from '../src/wasm/scratch.js';
import { errorOf } from './helpers/errors.js';

beforeAll(async () => {
  enableCanaries(32);
  await init();
});

afterEach(() => {
  expect(checkCanaries()).toEqual([]);
});

/** A tiny deterministic generator, so that one fast-check seed builds one whole layout. */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

/** The answer of checkReach as the full walk gives it (checkRegion, spelled out): null or the message. */
/** The message of what `fn` throws, or null. */
function messageOf(fn: () => unknown): string | null {
  const e = errorOf(fn);
  return e === 'no error' ? null : e[1];
}

function fullWalk(view: Py_buffer): string | null {
  return messageOf(() =>
    forEachReachedRegion(view, (lo, hi, what) => {
      if (!(hi > lo)) return;
      if (lo >= 0 && ownedRange(lo, hi)) return;
      if (lo < 0 || hi > memorySize()) throw new Error('memory outside the runtime');
      throw new Error(`${what} [${lo}, ${hi}) is not inside one live block of the runtime's heap`);
    }),
  );
}

function checkReachAnswer(view: Py_buffer): string | null {
  return messageOf(() =>
    checkReach(view, (what) => {
      throw new Error(what);
    }),
  );
}

interface Built {
  view: Py_buffer;
  /** Every block made, data and tables. */
  blocks: number[];
  /** Addresses of the pointer-table entries, to corrupt. */
  entries: number[];
}

/**
 * A random descriptor with one to three levels of indirection: strides of either sign, tables
 * at unaligned strides, suboffsets, each sub-array and table in a block of its own or packed
 * several to a block.
 */
function buildIndirect(seed: number): Built {
  const r = rng(seed);
  const ndim = 1 + r(4);
  const itemsize = [1, 2, 4, 3, 8][r(5)];
  const shape = Array.from({ length: ndim }, () => 1 + r(3));
  const suboffsets = Array.from({ length: ndim }, () => (r(2) === 0 ? -1 : r(3) * 4));
  if (!suboffsets.some((s) => s >= 0)) suboffsets[r(ndim)] = r(2) * 8;
  // strides of either sign, padded (by odd amounts too), with no two table entries or items of
  // one level sharing a byte: each level's dims laid out innermost first
  const strides = new Array<number>(ndim);
  let span = 0;
  for (let i = ndim - 1; i >= 0; i--) {
    const startsLevel = i === ndim - 1 || suboffsets[i] >= 0;
    if (startsLevel) span = suboffsets[i] >= 0 ? 4 : itemsize;
    const magnitude = span + [0, 1, 4, itemsize][r(4)];
    strides[i] = r(3) === 0 ? -magnitude : magnitude;
    span = magnitude * (shape[i] - 1) + span;
  }
  const blocks: number[] = [];
  const entries: number[] = [];
  const reach = (dim: number, stop: number, size: number): [number, number] => {
    let lo = 0;
    let hi = size;
    for (let k = dim; k < stop; k++) {
      const e = strides[k] * (shape[k] - 1);
      if (e < 0) lo += e;
      else hi += e;
    }
    return [lo, hi];
  };
  // the address of a level at `dim`, in a block of its own (with slack around it)
  const level = (dim: number): number => {
    let j = dim;
    while (j < ndim && suboffsets[j] < 0) j++;
    const [lo, hi] = j === ndim ? reach(dim, ndim, itemsize) : reach(dim, j + 1, 4);
    const slack = r(3) * 4;
    const block = malloc(hi - lo + 2 * slack);
    blocks.push(block);
    const p = block + slack - lo;
    if (j === ndim) return p;
    const index = new Array<number>(j - dim + 1).fill(0);
    for (;;) {
      let at = p;
      for (let k = 0; k < index.length; k++) at += strides[dim + k] * index[k];
      entries.push(at);
      heapView().setUint32(at, level(j + 1) - suboffsets[j], true);
      let k = index.length - 1;
      while (k >= 0 && ++index[k] === shape[dim + k]) index[k--] = 0;
      if (k < 0) break;
    }
    return p;
  };
  const view = new Py_buffer();
  view.buf = level(0);
  view.ndim = ndim;
  view.itemsize = itemsize;
  view.shape = shape;
  view.strides = strides;
  view.suboffsets = suboffsets;
  view.len = shape.reduce((a, b) => a * b, itemsize);
  return { view, blocks, entries };
}

describe('checkReach through suboffsets (the fast walk)', () => {
  it("gives the full walk's answer on random layouts, bad pointers and freed blocks included", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 9 }), (seed, corruption) => {
        const built = buildIndirect(seed);
        const { view, blocks, entries } = built;
        const live = new Set(blocks);
        try {
          expect(checkReachAnswer(view)).toBe(null);
          const r = rng(seed ^ 0x5bd1e995);
          const entry = entries[r(entries.length)];
          const dv = heapView();
          const old = dv.getUint32(entry, true);
          const freed = malloc(64);
          free(freed);
          switch (corruption) {
            case 0:
              dv.setUint32(entry, freed, true);
              break; // into a freed block
            case 1:
              dv.setUint32(entry, memorySize() - 2, true);
              break; // past the heap's end
            case 2:
              dv.setUint32(entry, 8, true);
              break; // not a heap address
            case 3:
              dv.setUint32(entry, scratch(1), true);
              break; // the runtime's scratch area
            case 4:
              dv.setUint32(entry, old + 1 + r(16), true);
              break; // rows that run past their block
            case 5:
              dv.setUint32(entry, old - 1 - r(16), true);
              break; // or start before it
            case 6:
              dv.setUint32(entry, 0xffffffff, true);
              break;
            case 7: {
              // a block freed after the view was checked
              const b = blocks[r(blocks.length)];
              free(b);
              live.delete(b);
              break;
            }
            default:
              break; // unchanged
          }
          expect(checkReachAnswer(view)).toBe(fullWalk(view));
          if (corruption <= 3 || corruption === 6 || corruption === 7) expect(checkReachAnswer(view)).not.toBe(null);
        } finally {
          for (const b of live) free(b);
        }
      }),
      { numRuns: 400 },
    );
  });

  it("gives the full walk's answer for fields it leaves to the full walk (non-integers, huge strides)", () => {
    const { view, blocks } = buildIndirect(12345);
    try {
      const cases: Array<Partial<Py_buffer>> = [
        { strides: view.strides?.map((s, i) => (i === 0 ? s + 0.5 : s)) ?? null },
        { shape: view.shape?.map((n, i) => (i === 0 ? -n : n)) ?? null },
        { strides: view.strides?.map((s, i) => (i === 0 ? 2 ** 31 - 1 : s)) ?? null },
        { buf: view.buf + 0.25 },
      ];
      for (const fields of cases) {
        const v = Object.assign(view.copy(), fields);
        expect(checkReachAnswer(v)).toBe(fullWalk(v));
      }
    } finally {
      for (const b of blocks) free(b);
    }
  });

  it("refuses a row whose block was freed after an earlier check passed on its neighbours' block", () => {
    // all rows in one block but the last, in a block of its own that is then freed
    const rows = capi.PyMem_Malloc(7 * 16);
    const last = capi.PyMem_Malloc(16);
    const table = capi.PyMem_Malloc(8 * 4);
    for (let r = 0; r < 7; r++) heapView().setUint32(table + 4 * r, rows + 16 * r, true);
    heapView().setUint32(table + 28, last, true);
    const view = Object.assign(new Py_buffer(), {
      buf: table,
      len: 128,
      ndim: 2,
      shape: [8, 16],
      strides: [4, 1],
      suboffsets: [0, -1],
    });
    expect(checkReachAnswer(view)).toBe(null);
    capi.PyMem_Free(last);
    expect(checkReachAnswer(view)).toBe(
      `a sub-array behind a suboffset [${last}, ${last + 16}) is not inside one live block of the runtime's heap`,
    );
    expect(checkReachAnswer(view)).toBe(fullWalk(view));
    capi.PyMem_Free(rows);
    capi.PyMem_Free(table);
  });
});

describe('ownedSpanAt', () => {
  it('answers as ownedRange for every address of the span, across mallocs and frees', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (sizes, seed) => {
          const r = rng(seed);
          const blocks = sizes.map((n) => malloc(n));
          const freedOne = blocks.splice(r(blocks.length), 1)[0];
          free(freedOne);
          try {
            const span: OwnedSpan = { start: 0, limit: -1, end: -Infinity };
            const lo0 = Math.min(freedOne, ...blocks) - 64;
            const hi0 = Math.max(freedOne, ...blocks) + 400;
            for (let k = 0; k < 200; k++) {
              const lo = lo0 + r(hi0 - lo0);
              const hi = lo + 1 + r(320);
              ownedSpanAt(lo, span);
              expect(lo >= span.start && lo < span.limit).toBe(true);
              expect(hi <= span.end).toBe(ownedRange(lo, hi));
              // every address of the span gets the same block
              const other = span.start === -Infinity ? lo : span.start + r(Math.min(span.limit, hi0) - span.start);
              expect(hi - lo + other <= span.end).toBe(ownedRange(other, other + hi - lo));
            }
          } finally {
            for (const b of blocks) free(b);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

/** A PIL operand over `rows` rows at the given row addresses (the table in a block of its own). */
function pilOperand(
  rowAddresses: readonly number[],
  rowStrides: readonly number[],
  suboffset = 0,
): {
  op: StridedOperand;
  table: number;
} {
  const table = malloc(4 * rowAddresses.length);
  rowAddresses.forEach((p, r) => heapView().setUint32(table + 4 * r, p - suboffset, true));
  return {
    op: { buf: table, strides: [4, ...rowStrides], suboffsets: [suboffset, ...rowStrides.map(() => -1)] },
    table,
  };
}

function pattern(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from({ length: n }, () => r(256));
}

describe('copies through a pointer table that steps by a constant', () => {
  // rows of `cols` items of `itemsize` bytes, `pitch` bytes apart in one block, in table order
  // `order` (steps of either sign, padded rows; scattered rows and two rows swapped take the
  // kernel), or the same row each time, or rows one item apart (a destination's items overlap)
  const cases = fc.record({
    rows: fc.integer({ min: 1, max: 9 }),
    cols: fc.integer({ min: 1, max: 40 }),
    itemsize: fc.constantFrom(1, 2, 4, 8, 3),
    pad: fc.integer({ min: 0, max: 2 }),
    order: fc.constantFrom('forward', 'backward', 'scattered', 'swapped', 'same', 'overlapping'),
    suboffset: fc.integer({ min: 0, max: 2 }),
    transposed: fc.boolean(),
    indirectSide: fc.constantFrom('src', 'dst'),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  });

  it('copy like the reference kernel, as source or destination, in C or Fortran order', () => {
    fc.assert(
      fc.property(cases, ({ rows, cols, itemsize, pad, order, suboffset, transposed, indirectSide, seed }) => {
        const pitch = (cols + pad) * itemsize;
        const data = malloc(rows * pitch + suboffset);
        const rowAt = (r: number): number => {
          if (order === 'overlapping') return data + suboffset + r * itemsize;
          const k =
            order === 'forward'
              ? r
              : order === 'backward'
                ? rows - 1 - r
                : order === 'same'
                  ? 0
                  : order === 'swapped'
                    ? rows < 3 || r < rows - 2
                      ? r
                      : 2 * rows - 3 - r
                    : (r * 5 + 3) % rows;
          return data + suboffset + k * pitch;
        };
        const { op: indirect, table } = pilOperand(
          Array.from({ length: rows }, (_, r) => rowAt(r)),
          [itemsize],
          suboffset,
        );
        const shape = [rows, cols];
        const plainStrides = transposed ? [itemsize, rows * itemsize] : [cols * itemsize, itemsize];
        const fast = malloc(rows * cols * itemsize);
        const ref = malloc(rows * cols * itemsize);
        try {
          const h = heapU8();
          h.set(pattern(rows * pitch + suboffset, seed), data);
          const plainBefore = pattern(rows * cols * itemsize, seed + 1);
          h.set(plainBefore, fast);
          h.set(plainBefore, ref);
          const plain = (buf: number): StridedOperand => ({ buf, strides: plainStrides, suboffsets: null });
          if (indirectSide === 'src') {
            copyStridedReference(2, itemsize, shape, plain(ref), indirect);
            copyStrided(2, itemsize, shape, plain(fast), indirect, true);
            expect(heapU8().slice(fast, fast + rows * cols * itemsize)).toEqual(
              heapU8().slice(ref, ref + rows * cols * itemsize),
            );
          } else {
            const dataBefore = heapU8().slice(data, data + rows * pitch + suboffset);
            copyStridedReference(2, itemsize, shape, indirect, plain(ref));
            const expected = heapU8().slice(data, data + rows * pitch + suboffset);
            heapU8().set(dataBefore, data);
            copyStrided(2, itemsize, shape, indirect, plain(ref), true);
            expect(heapU8().slice(data, data + rows * pitch + suboffset)).toEqual(expected);
          }
        } finally {
          free(fast);
          free(ref);
          free(table);
          free(data);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("through PyBuffer_ToContiguous into memory that overlaps the rows, keep CPython's row-by-row result", () => {
    // rows 0..3 of 8 bytes follow each other; the destination starts at row 1, so each row is
    // overwritten before it is read: CPython's copy_base (memmove per row) leaves row 0 everywhere
    const block = capi.PyMem_Malloc(5 * 8);
    const { op, table } = pilOperand(
      [0, 1, 2, 3].map((r) => block + 8 * r),
      [1],
    );
    heapU8().set(
      Uint8Array.from({ length: 40 }, (_, k) => k),
      block,
    );
    const view = Object.assign(new Py_buffer(), {
      buf: op.buf,
      len: 32,
      ndim: 2,
      shape: [4, 8],
      strides: op.strides,
      suboffsets: op.suboffsets,
    });
    capi.PyBuffer_ToContiguous(block + 8, view, 32, 'C');
    const row0 = [0, 1, 2, 3, 4, 5, 6, 7];
    expect(Array.from(heapU8().slice(block, block + 40))).toEqual([...row0, ...row0, ...row0, ...row0, ...row0]);
    free(table);
    capi.PyMem_Free(block);
  });

  it('whose rows lie in different live blocks copy through the kernel, correctly', () => {
    // three blocks in a row are (usually) equally far apart: a constant step across blocks
    const blocks = [capi.PyMem_Malloc(16), capi.PyMem_Malloc(16), capi.PyMem_Malloc(16)];
    blocks.forEach((b, r) =>
      heapU8().set(
        Uint8Array.from({ length: 16 }, (_, k) => 16 * r + k),
        b,
      ),
    );
    const { op, table } = pilOperand(blocks, [1]);
    const out = capi.PyMem_Malloc(48);
    copyStrided(2, 1, [3, 16], { buf: out, strides: [16, 1], suboffsets: null }, op, true);
    expect(Array.from(heapU8().slice(out, out + 48))).toEqual(Array.from({ length: 48 }, (_, k) => k));
    for (const b of [...blocks, out, table]) capi.PyMem_Free(b);
  });

  it('refuse a table changed after export to lead outside the heap, writing nothing', () => {
    const nd = new NDArray(
      Array.from({ length: 64 }, (_, k) => k),
      { shape: [8, 8], format: 'B', flags: ND.PIL | ND.WRITABLE },
    );
    const m = MemoryView.fromObject(nd);
    const view = m.mbuf.master;
    const out = capi.PyMem_Malloc(64);
    heapU8().fill(0xee, out, out + 64);
    const tableAt = view.buf;
    const saved = Array.from({ length: 8 }, (_, r) => heapView().getUint32(tableAt + 4 * r, true));
    capi.PyBuffer_ToContiguous(out, view, 64, 'C');
    expect(Array.from(heapU8().slice(out, out + 64))).toEqual(Array.from({ length: 64 }, (_, k) => k));
    const freed = capi.PyMem_Malloc(8);
    capi.PyMem_Free(freed);
    // the last row, then a middle one, leads into a freed block; then rows past the heap's end, at 8
    // (tobytes() allocates, and may be given the freed block: it gets only addresses never owned)
    const bad: Array<[row: number, pointer: number, wasOwned: boolean]> = [
      [7, freed, true],
      [3, freed, true],
      [5, memorySize() - 4, false],
      [0, 8, false],
    ];
    for (const [row, pointer, wasOwned] of bad) {
      heapU8().fill(0xee, out, out + 64);
      heapView().setUint32(tableAt + 4 * row, pointer - (view.suboffsets as number[])[0], true);
      expect(() => capi.PyBuffer_ToContiguous(out, view, 64, 'C')).toThrow(/PyBuffer_ToContiguous\(\): the view's/);
      if (!wasOwned) expect(() => m.tobytes()).toThrow(/copy through suboffsets refused/);
      expect(
        heapU8()
          .slice(out, out + 64)
          .every((x) => x === 0xee),
      ).toBe(true);
      heapView().setUint32(tableAt + 4 * row, saved[row], true);
    }
    capi.PyMem_Free(out);
    m.release();
    nd.release();
  });
});
