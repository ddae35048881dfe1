// The copy planner's property tests, run once per Wasm build (tests/copy-planner.test.ts with
// SIMD, tests/copy-planner-scalar.test.ts without): every fast path against the reference
// scalar kernel (assembly/copy.ts) on random layouts, and overlap against snapshot semantics.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyStrided } from '../../src/copy/dispatch.js';
import { copyContiguous, copyStridedReference } from '../../src/copy/encode.js';
import { copyPlan, type StridedOperand } from '../../src/copy/plan.js';
import { DEFAULT_COPY_TUNING, type CopyTuning } from '../../src/copy/tiling.js';
import { free, heapU8, malloc } from '../../src/wasm/heap.js';
import { copyCases, expectedCopy, firstDifference, layoutOf, pattern, type CopyCase } from './copy-layouts.js';

function operand(base: number, layout: { offset: number; strides: number[] }): StridedOperand {
  return { buf: base + layout.offset, strides: layout.strides, suboffsets: null };
}

/** Runs `fn` with blocks of the given sizes, freed afterwards. */
function withBlocks<T>(sizes: number[], fn: (ptrs: number[]) => T): T {
  const ptrs: number[] = [];
  try {
    for (const n of sizes) ptrs.push(malloc(n));
    return fn(ptrs);
  } finally {
    for (const p of ptrs) free(p);
  }
}

// Pixel counts for the channel kernels' tests: short rows, rows around every group boundary (16k
// to 16k + 3 pixels: groups of 16 / itemsize), and long rows.
const PIXELS = fc.oneof(
  { arbitrary: fc.integer({ min: 1, max: 40 }), weight: 1 },
  {
    arbitrary: fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 3 })).map(([k, r]) => 16 * k + r),
    weight: 3,
  },
  { arbitrary: fc.integer({ min: 40, max: 300 }), weight: 1 },
);

// Bytes after each destination that are compared too: a kernel that writes past its operand
// (a vector store running over the end) changes them.
const SLACK = 64;

/**
 * `rows` rows of `m` items at `step` items apart (`rowGap` items between rows) from `srcOffset`
 * into a C-contiguous destination; one row is 1-D. The source block ends at the last item's last
 * byte.
 */
function stepRows(r: {
  rows: number;
  m: number;
  itemsize: number;
  step: number;
  rowGap: number;
  srcOffset: number;
}): CopyCase {
  const { rows, m, itemsize, step } = r;
  const rowSpan = m * Math.abs(step) * itemsize + r.rowGap * itemsize;
  const first = step < 0 ? (m - 1) * -step * itemsize : 0;
  return {
    shape: rows === 1 ? [m] : [rows, m],
    itemsize,
    src: {
      offset: r.srcOffset + first,
      strides: rows === 1 ? [step * itemsize] : [rowSpan, step * itemsize],
      span: r.srcOffset + (rows - 1) * rowSpan + ((m - 1) * Math.abs(step) + 1) * itemsize,
    },
    dst: { offset: 0, strides: rows === 1 ? [itemsize] : [m * itemsize, itemsize], span: rows * m * itemsize },
  };
}

/**
 * Rows at one source `step` (stepRows) of `m` items (at most `maxBytes` a row) of the given item
 * sizes, 1 to 9 rows with gaps, each case with the seed of its pattern.
 */
function stepRowsCases(
  step: number,
  itemsizes: number[],
  m: fc.Arbitrary<number>,
  maxBytes = Infinity,
): fc.Arbitrary<CopyCase & { seed: number }> {
  return fc
    .record({
      rows: fc.integer({ min: 1, max: 9 }),
      m,
      itemsize: fc.constantFrom(...itemsizes),
      rowGap: fc.integer({ min: 0, max: 40 }),
      srcOffset: fc.integer({ min: 0, max: 31 }),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
    })
    .map(({ seed, ...r }) => ({
      seed,
      ...stepRows({ ...r, m: Math.min(r.m, Math.floor(maxBytes / r.itemsize)), step }),
    }));
}

/** copyContiguous of `n` bytes to `shift` bytes from their start, within one block, against copyWithin (a memmove). */
function equalsMemmove(n: number, shift: number, seed: number): void {
  const size = n + Math.abs(shift) + 2 * SLACK;
  withBlocks([size], ([block]) => {
    const src = SLACK + Math.max(0, -shift);
    const expected = pattern(size, seed);
    heapU8().set(expected, block);
    expected.copyWithin(src + shift, src, src + n);
    copyContiguous(block + src + shift, block + src, n);
    expect(firstDifference(heapU8().subarray(block, block + size), expected)).toBe(-1);
  });
}

/** The planned copy of `c` (its tile choices forced by `tuning`) against the reference kernel, 64 bytes past its end. */
function fastEqualsReference(c: CopyCase, seed: number, tuning: CopyTuning = DEFAULT_COPY_TUNING): void {
  const span = c.dst.span + SLACK;
  withBlocks([c.src.span, span, span], ([src, dstFast, dstRef]) => {
    const heap = heapU8();
    heap.set(pattern(c.src.span, seed), src);
    const before = pattern(span, seed + 1);
    heap.set(before, dstFast);
    heap.set(before, dstRef);
    const ndim = c.shape.length;
    copyStridedReference(ndim, c.itemsize, c.shape, operand(dstRef, c.dst), operand(src, c.src));
    copyStrided(ndim, c.itemsize, c.shape, operand(dstFast, c.dst), operand(src, c.src), false, tuning);
    const h = heapU8();
    expect(firstDifference(h.subarray(dstFast, dstFast + span), h.subarray(dstRef, dstRef + span))).toBe(-1);
  });
}

/**
 * `rows` x `cols` items of `itemsize` bytes into a C-contiguous destination from a source that may
 * be transposed, stepped, flipped and padded, each operand `srcShift` / `dstShift` bytes into
 * its block (any alignment).
 */
function wideItems(w: {
  rows: number;
  cols: number;
  itemsize: number;
  transposed: boolean;
  steps: number[];
  flips: boolean[];
  pad: number;
  srcShift: number;
  dstShift: number;
}): CopyCase {
  const shape = [w.rows, w.cols];
  const dst = layoutOf(shape, w.itemsize, { perm: [0, 1], steps: [1, 1], flips: [false, false], pad: 0 });
  const src = layoutOf(shape, w.itemsize, {
    perm: w.transposed ? [1, 0] : [0, 1],
    steps: w.steps,
    flips: w.flips,
    pad: w.pad,
  });
  return {
    shape,
    itemsize: w.itemsize,
    dst: { offset: dst.offset + w.dstShift, strides: dst.strides, span: dst.span + w.dstShift },
    src: { offset: src.offset + w.srcShift, strides: src.strides, span: src.span + w.srcShift },
  };
}

/** The property tests of the planner and its kernels under the build that init() chose. */
export function copyPlannerProperties(numRuns: number): void {
  describe("the reference kernel (assembly/copy.ts) writes every item in C order, CPython's copy_rec", () => {
    it('on random layouts whose destination items overlap each other (the last write wins), any item size', () => {
      // a destination stride cut to zero or to a part of itself: items land on each other (or
      // on parts of each other), so the order of the writes shows; the reach only shrinks
      const overlapping = fc
        .tuple(copyCases(), fc.nat(), fc.constantFrom(0, 2, 3, 5), fc.integer({ min: 1, max: 1 << 30 }))
        .filter(([c]) => c.shape.length > 0)
        .map(([c, pick, div, seed]) => {
          const strides = c.dst.strides.slice();
          const k = pick % strides.length;
          strides[k] = div === 0 ? 0 : Math.trunc(strides[k] / div);
          return { c: { ...c, dst: { ...c.dst, strides } }, seed };
        });
      fc.assert(
        fc.property(overlapping, ({ c, seed }) => {
          const span = c.dst.span + SLACK;
          withBlocks([c.src.span, span], ([src, dst]) => {
            const heap = heapU8();
            heap.set(pattern(c.src.span, seed), src);
            heap.set(pattern(span, seed + 1), dst);
            const expected = expectedCopy(heap, c, dst, src).subarray(dst, dst + span);
            copyStridedReference(c.shape.length, c.itemsize, c.shape, operand(dst, c.dst), operand(src, c.src));
            expect(firstDifference(heapU8().subarray(dst, dst + span), expected)).toBe(-1);
          });
        }),
        { numRuns },
      );
    });
  });

  describe('the planned copy equals the reference scalar kernel', () => {
    it('on random layouts of 0 to 4 dims, item sizes 1 to 16, steps, flips and permutations', () => {
      fc.assert(
        fc.property(copyCases(), fc.integer({ min: 1, max: 1 << 30 }), (c, seed) => fastEqualsReference(c, seed)),
        { numRuns },
      );
    });

    it('on random layouts whose source repeats along a dim (a zero stride, as broadcast views export)', () => {
      const broadcast = fc
        .tuple(copyCases(), fc.nat(), fc.integer({ min: 1, max: 1 << 30 }))
        .filter(([c]) => c.shape.length > 0)
        .map(([c, pick, seed]) => {
          // the source's item [0, ..., 0] stays where it was: the block still holds every item read
          const strides = c.src.strides.slice();
          strides[pick % strides.length] = 0;
          return { c: { ...c, src: { ...c.src, strides } }, seed };
        });
      fc.assert(
        fc.property(broadcast, ({ c, seed }) => fastEqualsReference(c, seed)),
        { numRuns },
      );
    });

    it('on random layouts with every tile read in address order first (TILE_TOUCH), broadcast sources too', () => {
      // the planner touches only packed tiles of large copies; forced, the reads stay within each
      // row's own items on any layout (a zero stride included)
      const touched = { ...DEFAULT_COPY_TUNING, touch: true };
      const cases = fc
        .tuple(copyCases(), fc.nat(), fc.boolean(), fc.integer({ min: 1, max: 1 << 30 }))
        .map(([c, pick, broadcast, seed]) => {
          if (!broadcast || c.shape.length === 0) return { c, seed };
          const strides = c.src.strides.slice();
          strides[pick % strides.length] = 0;
          return { c: { ...c, src: { ...c.src, strides } }, seed };
        });
      fc.assert(
        fc.property(cases, ({ c, seed }) => fastEqualsReference(c, seed, touched)),
        { numRuns },
      );
    });

    it('on batches of packed tiles large enough for the planner to touch them (8 MiB and more)', () => {
      // axes (0, 2, 1) of a C-order stack of b tiles of r x c items, optionally flipped along a
      // tile's rows on either side: the planner's own TILE_TOUCH (src/copy/tiling.ts, touchTiles)
      const batch = fc.record({
        itemsize: fc.constantFrom(1, 2, 4, 8),
        r: fc.integer({ min: 70, max: 300 }),
        c: fc.integer({ min: 70, max: 300 }),
        flipSrc: fc.boolean(),
        flipDst: fc.boolean(),
        seed: fc.integer({ min: 1, max: 1 << 30 }),
      });
      fc.assert(
        fc.property(
          batch.filter((t) => t.r * t.c * t.itemsize <= 512 * 1024),
          (t) => {
            const { itemsize: z, r, c } = t;
            const b = Math.ceil((8 * 2 ** 20) / (r * c * z));
            const span = b * r * c * z;
            const sb = [r * c * z, z, c * z];
            const sbOffset = t.flipSrc ? (c - 1) * z : 0;
            if (t.flipSrc) sb[1] = -z;
            const db = [r * c * z, r * z, z];
            const dbOffset = t.flipDst ? (c - 1) * r * z : 0;
            if (t.flipDst) db[1] = -r * z;
            const k: CopyCase = {
              shape: [b, c, r],
              itemsize: z,
              src: { offset: sbOffset, strides: sb, span },
              dst: { offset: dbOffset, strides: db, span },
            };
            expect(copyPlan(3, z, k.shape, 1 << 24, db, 1 << 26, sb).touch).toBe(true);
            fastEqualsReference(k, t.seed);
          },
        ),
        { numRuns: Math.max(2, Math.ceil(numRuns / 10)) },
      );
    });

    it('on uint8 and uint16 transposes the planner stages (rows near multiples of 2048 and 4096 bytes), at any offset', () => {
      // src/copy/tiling.ts, stageTile: the staged grid starts where the lines do, and the edges
      // before and after it go through the partial blocks; offsets off the items too
      const staged = fc.record({
        itemsize: fc.constantFrom(1, 2),
        // (tiles under 16 x 16 uint8 go as rows)
        n0: fc.integer({ min: 16, max: 200 }),
        n1: fc.integer({ min: 16, max: 200 }),
        // row strides in bytes: one side near a multiple of 4096 bytes, the other near 2048 or 4096
        pitches: fc.constantFrom([4096, 4096], [4096, 2048], [2048, 4096], [8192, 2048], [4096, 12288]),
        dstShift: fc.integer({ min: 0, max: 127 }),
        srcShift: fc.integer({ min: 0, max: 127 }),
        seed: fc.integer({ min: 1, max: 1 << 30 }),
      });
      fc.assert(
        fc.property(staged, (t) => {
          const { itemsize: z, n0, n1 } = t;
          const [dPitch, sPitch] = t.pitches;
          const k: CopyCase = {
            shape: [n0, n1],
            itemsize: z,
            dst: { offset: t.dstShift, strides: [dPitch, z], span: t.dstShift + (n0 - 1) * dPitch + n1 * z },
            src: { offset: t.srcShift, strides: [z, sPitch], span: t.srcShift + (n1 - 1) * sPitch + n0 * z },
          };
          expect(copyPlan(2, z, k.shape, 0, k.dst.strides, 0, k.src.strides).staged).toBe(true);
          fastEqualsReference(k, t.seed);
        }),
        { numRuns: Math.max(4, Math.ceil(numRuns / 4)) },
      );
    });

    it('on rows under outer dims the planner reorders (a dim that steps a few bytes in the source moved next to the rows)', () => {
      // rows of r items (source step sr) under a dim P that steps a few bytes in the source and a
      // dim Q that jumps past a page there; the destination in C order of [P, Q, r], so that its
      // order puts Q next to the rows and the planner moves P there (src/copy/plan.ts, orderOuterDims)
      const layouts = fc.record({
        itemsize: fc.constantFrom(1, 2, 4, 8),
        r: fc.integer({ min: 1, max: 12 }),
        // (not -1: reversed rows keep the destination's order)
        sr: fc.constantFrom(1, 2, 3, -2, -3),
        np: fc.integer({ min: 64, max: 160 }),
        nq: fc.integer({ min: 2, max: 24 }),
        gapP: fc.integer({ min: 0, max: 40 }),
        gapQ: fc.integer({ min: 0, max: 4096 }),
        flipP: fc.boolean(),
        flipQ: fc.boolean(),
        seed: fc.integer({ min: 1, max: 1 << 30 }),
      });
      let reordered = 0;
      const runs = Math.max(8, Math.ceil(numRuns / 4));
      fc.assert(
        fc.property(layouts, (t) => {
          const z = t.itemsize;
          const rowSpan = (t.r - 1) * Math.abs(t.sr) * z + z;
          const sp = (rowSpan + t.gapP) * (t.flipP ? -1 : 1);
          const sq = (t.np * Math.abs(sp) + 4096 + t.gapQ) * (t.flipQ ? -1 : 1);
          const strides = [sp, sq, t.sr * z];
          const shape = [t.np, t.nq, t.r];
          let offset = 0;
          let span = z;
          shape.forEach((n, i) => {
            if (strides[i] < 0) offset -= strides[i] * (n - 1);
            span += Math.abs(strides[i]) * (n - 1);
          });
          const k: CopyCase = {
            shape,
            itemsize: z,
            src: { offset, strides, span },
            dst: { offset: 0, strides: [t.nq * t.r * z, t.r * z, z], span: t.np * t.nq * t.r * z },
          };
          const p = copyPlan(3, z, shape, 1 << 24, k.dst.strides, (1 << 26) + offset, strides);
          const moved = p.kind === 'rows' && p.shape.length === 3 && Math.abs(p.srcStrides[1]) === Math.abs(sp);
          // rows of one item, or of items next to each other (sr 1), are one wider item: the plan
          // is then a tile of P and Q; every other draw takes the reordered plan
          expect(moved).toBe(t.r > 1 && t.sr !== 1);
          if (moved) reordered++;
          fastEqualsReference(k, t.seed);
        }),
        {
          numRuns: runs,
          // one draw known to reorder, so that every run copies at least one reordered plan
          examples: [
            [{ itemsize: 2, r: 5, sr: 2, np: 100, nq: 9, gapP: 7, gapQ: 300, flipP: false, flipQ: true, seed: 1 }],
          ],
        },
      );
      expect(reordered).toBeGreaterThan(0);
    });

    it('on random 2-D layouts large enough for SIMD micro-tiles and their ragged edges (RGB pixels of 1-, 2- and 4-byte channels too)', () => {
      const twoD = fc
        .record({
          rows: fc.integer({ min: 1, max: 70 }),
          cols: fc.integer({ min: 1, max: 70 }),
          itemsize: fc.constantFrom(1, 2, 4, 8, 16, 3, 6, 12),
          transposed: fc.boolean(),
          steps: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
          flips: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        })
        .map(({ rows, cols, itemsize, transposed, steps, flips }): CopyCase => {
          const shape = [rows, cols];
          return {
            shape,
            itemsize,
            dst: layoutOf(shape, itemsize, {
              perm: [0, 1],
              steps: [1, steps[0] === 3 ? 2 : 1],
              flips: [flips[0], false],
              pad: 0,
            }),
            src: layoutOf(shape, itemsize, {
              perm: transposed ? [1, 0] : [0, 1],
              steps: steps.slice(2),
              flips: flips.slice(2),
              pad: 0,
            }),
          };
        });
      fc.assert(
        fc.property(twoD, fc.integer({ min: 1, max: 1 << 30 }), (c, seed) => fastEqualsReference(c, seed)),
        { numRuns },
      );
    });

    it('on wide items (image crops, folded contiguous runs: 16 to 4200 bytes, vectors or memory.copy) at any alignment', () => {
      // assembly/strided.ts moveItem: 16-byte vectors below 2560 bytes (the last one overlapping),
      // and from there on too where source and destination lie apart by other than a multiple of
      // 32 bytes, memory.copy otherwise; in rows, and in tiles when the source is transposed. Rows
      // of 64 bytes and more read downwards (flips) or 512 bytes and more apart (pads) load their
      // ends first (moveRowEnds)
      const wide = fc
        .record({
          rows: fc.integer({ min: 1, max: 6 }),
          cols: fc.integer({ min: 1, max: 4 }),
          itemsize: fc.oneof(
            fc.integer({ min: 16, max: 600 }),
            fc.integer({ min: 2500, max: 2620 }),
            fc.integer({ min: 4080, max: 4200 }),
            fc.constantFrom(16, 17, 31, 32, 48, 63, 64, 65, 511, 512, 800, 2559, 2560, 4095, 4096, 4097),
          ),
          transposed: fc.boolean(),
          flips: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
          pad: fc.integer({ min: 0, max: 2 }),
          srcShift: fc.integer({ min: 0, max: 63 }),
          dstShift: fc.integer({ min: 0, max: 63 }),
        })
        .map((w) => wideItems({ ...w, steps: [1, 1] }));
      fc.assert(
        fc.property(wide, fc.integer({ min: 1, max: 1 << 30 }), (c, seed) => fastEqualsReference(c, seed)),
        {
          numRuns: Math.ceil(numRuns / 4),
        },
      );
    });
  });

  describe('items past a piece of 256 KiB (moveBytes: memory.copy in pieces)', () => {
    it('copy like the reference kernel in rows and tiles, stepped or flipped, at any alignment', () => {
      // slabs of a step slice along the outermost dimension (a[::2] of a video) are items of
      // megabytes; each goes through memory.copy in pieces of 256 KiB, the last one shorter
      const PIECE = 256 * 1024;
      const slabs = fc
        .record({
          rows: fc.integer({ min: 1, max: 3 }),
          cols: fc.integer({ min: 1, max: 2 }),
          itemsize: fc.oneof(
            fc.integer({ min: PIECE - 2, max: PIECE + 2 }),
            fc.integer({ min: PIECE + 3, max: 3 * PIECE + 5 }),
            fc.constantFrom(2 * PIECE, 2 * PIECE + 1),
          ),
          transposed: fc.boolean(),
          steps: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 2, maxLength: 2 }),
          flips: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
          srcShift: fc.integer({ min: 0, max: 63 }),
          dstShift: fc.integer({ min: 0, max: 63 }),
        })
        .map((w) => wideItems({ ...w, pad: 0 }));
      fc.assert(
        fc.property(slabs, fc.integer({ min: 1, max: 1 << 30 }), (c, seed) => fastEqualsReference(c, seed)),
        {
          numRuns: Math.ceil(numRuns / 8),
        },
      );
    });
  });

  describe('the tile kernels in every sweep order, staged or not, grouped or not, from any alignment', () => {
    // The planner picks the sweep by row strides and size, stages only 1- and 2-byte tiles whose
    // row strides are near multiples of 2048 bytes and groups only 4-byte line-blocks whose rows are
    // not line-aligned or that fit in L2; forcing all three (and the tile edge) runs every variant
    // on small arrays, with bases anywhere in a cache line and row strides that are multiples of 64
    // bytes (the aligned grids) or not (the ragged ones).
    const transpose = fc.record({
      rows: fc.integer({ min: 1, max: 160 }),
      cols: fc.integer({ min: 1, max: 160 }),
      // the SIMD kernels' sizes, and items of other sizes (scalar tiles through moveItem: pairs of
      // words below 16 bytes, vectors above), whose sweep along the source rows moves them in
      // groups of 64 bytes' worth
      itemsize: fc.constantFrom(1, 1, 2, 4, 8, 3, 5, 6, 7, 12, 15, 16, 24, 40),
      srcPad: fc.integer({ min: 0, max: 80 }),
      dstPad: fc.integer({ min: 0, max: 80 }),
      lineStrides: fc.boolean(),
      srcOffset: fc.integer({ min: 0, max: 63 }),
      dstOffset: fc.integer({ min: 0, max: 63 }),
      itemAligned: fc.boolean(),
      block: fc.constantFrom(16, 32, 48, 64, 100, 256),
      rowsFirst: fc.boolean(),
      staged: fc.boolean(),
      grouped: fc.boolean(),
      touch: fc.boolean(),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
    });
    const roundUp = (n: number, m: number): number => Math.ceil(n / m) * m;
    it('equal the reference scalar kernel', () => {
      fc.assert(
        fc.property(transpose, (t) => {
          const { rows, cols, itemsize } = t;
          // src item (r, c) at r*itemsize + c*srcRow (the source runs down the columns); dst row-major
          let srcRow = (rows + t.srcPad) * itemsize;
          let dstRow = (cols + t.dstPad) * itemsize;
          if (t.lineStrides) {
            srcRow = roundUp(srcRow, 64);
            dstRow = roundUp(dstRow, 64);
          }
          const align = (o: number): number => (t.itemAligned ? o - (o % itemsize) : o);
          const srcOffset = align(t.srcOffset);
          const dstOffset = align(t.dstOffset);
          const srcSpan = srcOffset + (cols - 1) * srcRow + rows * itemsize;
          const dstSpan = dstOffset + (rows - 1) * dstRow + cols * itemsize;
          const tuning = {
            block: t.block,
            rowsFirst: t.rowsFirst,
            staged: t.staged,
            grouped: t.grouped,
            touch: t.touch,
          };
          withBlocks([srcSpan + 64, dstSpan + 64 + SLACK, dstSpan + 64 + SLACK], ([src0, fast0, ref0]) => {
            // each operand starts its offset past a 64-byte boundary
            const src = roundUp(src0, 64);
            const dstFast = roundUp(fast0, 64);
            const dstRef = roundUp(ref0, 64);
            const heap = heapU8();
            heap.set(pattern(srcSpan, t.seed), src);
            const before = pattern(dstSpan + SLACK, t.seed + 1);
            heap.set(before, dstFast);
            heap.set(before, dstRef);
            const shape = [rows, cols];
            const dstOp = (base: number): StridedOperand => ({
              buf: base + dstOffset,
              strides: [dstRow, itemsize],
              suboffsets: null,
            });
            const srcOp: StridedOperand = { buf: src + srcOffset, strides: [itemsize, srcRow], suboffsets: null };
            copyStridedReference(2, itemsize, shape, dstOp(dstRef), srcOp);
            copyStrided(2, itemsize, shape, dstOp(dstFast), srcOp, false, tuning);
            const h = heapU8();
            expect(
              firstDifference(
                h.subarray(dstFast, dstFast + dstSpan + SLACK),
                h.subarray(dstRef, dstRef + dstSpan + SLACK),
              ),
            ).toBe(-1);
          });
        }),
        { numRuns: Math.ceil(numRuns / 2) },
      );
    });
  });

  describe('channel moves (HWC to CHW and back: 2-4 channels packed in pixels, moved to or from planes)', () => {
    // assembly/tile.ts deinterleaveTile / interleaveTile: groups of 16 / itemsize pixels through
    // the kernels of assembly/transpose.ts, two pixels kept back after the last group of three
    // channels (their groups read or write 4 bytes past themselves), the rest item by item; one
    // row, or rows of an image with padded rows, at any alignment
    const channels = fc
      .record({
        channels: fc.constantFrom(2, 3, 4, 3, 3, 1, 5),
        itemsize: fc.constantFrom(1, 2, 4, 1, 8),
        pixels: PIXELS,
        rows: fc.integer({ min: 1, max: 4 }),
        toPlanes: fc.boolean(),
        rowPad: fc.integer({ min: 0, max: 9 }),
        planePad: fc.integer({ min: 0, max: 9 }),
        srcShift: fc.integer({ min: 0, max: 63 }),
        dstShift: fc.integer({ min: 0, max: 63 }),
        seed: fc.integer({ min: 1, max: 1 << 30 }),
      })
      .map(({ channels, itemsize, pixels, rows, toPlanes, rowPad, planePad, srcShift, dstShift, seed }) => {
        // the packed side: [rows][pixels][channels], rows padded; the planar side: [channels][rows][pixels], planes padded
        const packedRow = (pixels * channels + rowPad) * itemsize;
        const packed = { strides: [packedRow, itemsize, channels * itemsize], span: rows * packedRow };
        const planeRow = pixels * itemsize;
        const plane = rows * planeRow + planePad * itemsize;
        const planar = { strides: [planeRow, plane, itemsize], span: channels * plane };
        const [src, dst] = toPlanes ? [packed, planar] : [planar, packed];
        return {
          seed,
          c: {
            shape: [rows, channels, pixels],
            itemsize,
            src: { offset: srcShift, strides: src.strides, span: src.span + srcShift },
            dst: { offset: dstShift, strides: dst.strides, span: dst.span + dstShift },
          } satisfies CopyCase,
        };
      });
    it('equal the reference scalar kernel', () => {
      fc.assert(
        fc.property(channels, ({ c, seed }) => fastEqualsReference(c, seed)),
        { numRuns },
      );
    });
  });

  describe('narrow tiles (1- and 2-byte pixels of 2 to 16 channels, packed or not, forwards or backwards, to planes or back)', () => {
    // assembly/tile.ts narrowTile: micro-tiles with fewer real rows on the short side; to planes
    // each pixel is loaded as a whole vector, from planes each packed pixel is stored as one,
    // spilling over the next pixels; the pixels whose vector would leave the operand, and pixels
    // with gaps between them on the destination side, go item by item
    const narrow = fc
      .record({
        itemsize: fc.constantFrom(1, 1, 2),
        channels: fc.integer({ min: 2, max: 16 }),
        pixels: PIXELS,
        rows: fc.integer({ min: 1, max: 3 }),
        toPlanes: fc.boolean(),
        gap: fc.constantFrom(0, 0, 0, 1, 3),
        backwards: fc.boolean(),
        planePad: fc.integer({ min: 0, max: 9 }),
        srcShift: fc.integer({ min: 0, max: 63 }),
        dstShift: fc.integer({ min: 0, max: 63 }),
        seed: fc.integer({ min: 1, max: 1 << 30 }),
      })
      .map(({ itemsize, channels, pixels, rows, toPlanes, gap, backwards, planePad, srcShift, dstShift, seed }) => {
        if (itemsize === 2) channels = Math.min(channels, 9);
        // the packed side: [rows][pixels][channels], gap items after each pixel, its pixels in
        // reverse order when `backwards`; the planar side: [channels][rows][pixels], planes padded
        const pixel = (channels + gap) * itemsize;
        const packedRow = pixels * pixel;
        const first = backwards ? (pixels - 1) * pixel : 0;
        const packed = { strides: [packedRow, itemsize, backwards ? -pixel : pixel], span: rows * packedRow, first };
        const planeRow = pixels * itemsize;
        const plane = rows * planeRow + planePad * itemsize;
        const planar = { strides: [planeRow, plane, itemsize], span: channels * plane, first: 0 };
        const [src, dst] = toPlanes ? [packed, planar] : [planar, packed];
        return {
          seed,
          c: {
            shape: [rows, channels, pixels],
            itemsize,
            src: { offset: srcShift + src.first, strides: src.strides, span: src.span + srcShift },
            dst: { offset: dstShift + dst.first, strides: dst.strides, span: dst.span + dstShift },
          } satisfies CopyCase,
        };
      });
    it('equal the reference scalar kernel', () => {
      fc.assert(
        fc.property(narrow, ({ c, seed }) => fastEqualsReference(c, seed)),
        { numRuns },
      );
    });
  });

  describe('tiles of a stepped source (a[:, ::2].T and steps up to 17), staged or not, and lane by lane', () => {
    // assembly/tile.ts steppedTile4 / steppedStaged: micro-tiles of gathered rows, which read up to
    // two items' bytes past their last, so the last column goes item by item; strips of up to 512
    // columns through the staging area for 1-byte items (forced off: scalar tiles); the other
    // steps and item sizes of 1, 2, 4 or 8 bytes through laneTiles (runs of `block` columns,
    // forced down to 16 or 64 at times), uint8 and uint16 rows more than 128 KiB apart through
    // scalar tiles
    const stepped = fc.record({
      step: fc.constantFrom(2, 3, 2, 3, 4, 5, 7, 16, 17),
      rows: fc.integer({ min: 1, max: 70 }),
      cols: fc.oneof(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 500, max: 530 })),
      block: fc.constantFrom(0, 0, 16, 64),
      farRows: fc.boolean(),
      itemsize: fc.constantFrom(1, 2, 4, 1, 2, 8, 3),
      pad: fc.integer({ min: 0, max: 9 }),
      srcShift: fc.integer({ min: 0, max: 63 }),
      dstShift: fc.integer({ min: 0, max: 63 }),
      staged: fc.constantFrom(null, null, false),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
    });
    it('equal the reference scalar kernel', () => {
      fc.assert(
        fc.property(stepped, (t) => {
          const { rows, cols, itemsize, step } = t;
          // dst (rows x cols) C order; src item (r, c) at r * step * itemsize + c * srcRow: the
          // source's fast dim is the destination's rows, at step 2 or 3
          // rows more than 128 KiB apart, at times (scalar tiles for uint8 and uint16)
          const srcRow = t.farRows && cols <= 60 ? 131072 + (1 + t.pad) * itemsize : (step * rows + t.pad) * itemsize;
          const c: CopyCase = {
            shape: [rows, cols],
            itemsize,
            src: { offset: t.srcShift, strides: [step * itemsize, srcRow], span: t.srcShift + cols * srcRow },
            dst: {
              offset: t.dstShift,
              strides: [cols * itemsize, itemsize],
              span: t.dstShift + rows * cols * itemsize,
            },
          };
          fastEqualsReference(c, t.seed, { block: t.block, rowsFirst: null, grouped: null, staged: t.staged });
        }),
        { numRuns },
      );
    });
  });

  describe('uint16, float32 and float64 tiles with fewer source columns than a micro-tile or line-block (pixels with gaps, to planes): lane by lane', () => {
    // assembly/tile.ts copyTile: 2-7 uint16, 2-3 float32 or 2-7 float64 channels of pixels, not
    // packed (a gap after them, reversed, or in rows more than 128 KiB apart: scalar tiles for
    // uint16) or packed (float64), into planes, fit no micro-tile (no line-block for float64) and
    // go through laneTiles; packed uint16 and float32 take the channel kernels (4 float32 channels
    // fill a micro-tile), and pixels of 2-byte and 4-byte items 2 or 3 items apart with a gap or
    // reversed are rows. The plan is checked to be the one expected.
    const fewColumns = fc
      .record({
        itemsize: fc.constantFrom(2, 4, 8),
        channels: fc.integer({ min: 2, max: 7 }),
        gap: fc.constantFrom(0, 1, 2, 5),
        pixels: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 250, max: 270 })),
        planePad: fc.integer({ min: 0, max: 9 }),
        backwards: fc.boolean(),
        farPixels: fc.constantFrom(false, false, false, true),
        block: fc.constantFrom(0, 0, 16, 64),
        srcShift: fc.integer({ min: 0, max: 63 }),
        dstShift: fc.integer({ min: 0, max: 63 }),
        seed: fc.integer({ min: 1, max: 1 << 30 }),
      })
      .filter(({ itemsize, channels, pixels }) => channels < (itemsize === 4 ? 4 : 8) && pixels * itemsize >= 16)
      .map((t) => {
        const { itemsize, channels, pixels } = t;
        // pixels far apart: a few of them, each past 128 KiB from the last
        const pixel = t.farPixels ? 131072 + 2 * itemsize : (channels + t.gap) * itemsize;
        const n = t.farPixels ? Math.min(pixels, 20) : pixels;
        const plane = (n + t.planePad) * itemsize;
        const c: CopyCase = {
          // the view's dims: [channels, pixels], C order in the destination (planes)
          shape: [channels, n],
          itemsize,
          src: {
            offset: t.srcShift + (t.backwards ? (n - 1) * pixel : 0),
            strides: [itemsize, t.backwards ? -pixel : pixel],
            span: t.srcShift + n * pixel,
          },
          dst: { offset: t.dstShift, strides: [plane, itemsize], span: t.dstShift + channels * plane },
        };
        // pixels 2 or 3 items apart, reversed or with a gap: rows (src/copy/plan.ts narrowTileDim)
        const rows = itemsize < 8 && !t.farPixels && (t.gap > 0 || t.backwards) && channels + t.gap <= 3;
        return { seed: t.seed, c, block: t.block, rows };
      });
    it('equal the reference scalar kernel', () => {
      fc.assert(
        fc.property(fewColumns, ({ c, seed, block, rows }) => {
          const plan = copyPlan(2, c.itemsize, c.shape, 0, c.dst.strides, 0, c.src.strides);
          expect([plan.kind, plan.shape[0]]).toEqual([rows ? 'rows' : 'tile', c.shape[0]]);
          fastEqualsReference(c, seed, { block, rowsFirst: null, grouped: null, staged: null });
        }),
        { numRuns },
      );
    });
  });

  describe('narrow tiles under a finer stepped dim (channels of pixels that sit in far rows, to planes): that dim tiled, the channels outside', () => {
    // src/copy/plan.ts narrowTileDim: the destination's fastest dim (`rows`) steps further in the
    // source than the pixels do, and the channels span under 16 bytes, so the planner tiles pixels
    // x rows with the channels as an outer loop (every case here is one it takes that way: checked)
    const narrowStepped = fc
      .record({
        itemsize: fc.constantFrom(1, 2, 4, 8, 1, 2),
        channels: fc.integer({ min: 2, max: 4 }),
        gap: fc.constantFrom(0, 0, 1, 2),
        pixels: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 60, max: 160 })),
        // rows of 16 bytes and more (narrower ones on both sides go as rows)
        rows: fc.integer({ min: 16, max: 40 }),
        rowPad: fc.integer({ min: 0, max: 40 }),
        backwards: fc.boolean(),
        rowsUp: fc.boolean(),
        channelsOuter: fc.boolean(),
        srcShift: fc.integer({ min: 0, max: 63 }),
        dstShift: fc.integer({ min: 0, max: 63 }),
        seed: fc.integer({ min: 1, max: 1 << 30 }),
      })
      .filter(({ itemsize, channels, gap }) => {
        // the planner's condition: uint8 pixels 2 or 3 bytes apart (the SIMD gathers of stepped
        // tiles); wider items at most 16 / itemsize items of the pixel step per channel
        const pixel = (channels + gap) * itemsize;
        return itemsize === 1
          ? pixel <= 3
          : channels * itemsize < 16 && channels * Math.min(pixel, 64) <= 16 * itemsize;
      })
      .map((t) => {
        const { itemsize, channels, pixels, rows } = t;
        const pixel = (channels + t.gap) * itemsize;
        const row = pixels * pixel + t.rowPad * itemsize;
        // the view's dims: [pixels, channels, rows] in the source; the destination is C order over
        // [pixels, channels] or [channels, pixels] (channelsOuter), then rows
        const srcStrides = [t.backwards ? -pixel : pixel, itemsize, t.rowsUp ? -row : row];
        const first = (t.backwards ? (pixels - 1) * pixel : 0) + (t.rowsUp ? (rows - 1) * row : 0);
        const inner = rows * itemsize;
        const dstStrides = t.channelsOuter ? [inner, pixels * inner, itemsize] : [channels * inner, inner, itemsize];
        const c: CopyCase = {
          shape: [pixels, channels, rows],
          itemsize,
          src: { offset: t.srcShift + first, strides: srcStrides, span: t.srcShift + rows * row },
          dst: { offset: t.dstShift, strides: dstStrides, span: t.dstShift + pixels * channels * inner },
        };
        // packed pixels in the destination's order merge with their channels into one dim
        const merges = t.gap === 0 && !t.backwards && !t.channelsOuter;
        return { seed: t.seed, c, tiled: pixels > 1 && !merges };
      });
    it('equal the reference scalar kernel', () => {
      fc.assert(
        fc.property(narrowStepped, ({ c, seed, tiled }) => {
          const plan = copyPlan(3, c.itemsize, c.shape, 0, c.dst.strides, 0, c.src.strides);
          if (tiled) expect(Math.abs(plan.srcStrides[plan.srcStrides.length - 2])).toBe(Math.abs(c.src.strides[0]));
          fastEqualsReference(c, seed);
        }),
        { numRuns },
      );
    });
  });

  describe('narrow tiles whose pixels step 2 or 3 items along the destination rows (flipped images to planes): walked as rows', () => {
    // src/copy/plan.ts narrowTileDim: 2 or 3 channels of pixels 2 or 3 items apart, reversed or
    // with a gap, into planes: one pass of the rows' gathers for each channel. Packed pixels
    // forwards keep the tile (the channel kernels): checked both ways
    const flipped = fc
      .record({
        itemsize: fc.constantFrom(1, 2, 4),
        channels: fc.constantFrom(2, 3),
        gap: fc.constantFrom(0, 0, 1),
        pixels: fc.oneof(fc.integer({ min: 2, max: 40 }), fc.integer({ min: 60, max: 400 })),
        rows: fc.integer({ min: 2, max: 12 }),
        rowPad: fc.integer({ min: 0, max: 9 }),
        backwards: fc.boolean(),
        rowsUp: fc.boolean(),
        srcShift: fc.integer({ min: 0, max: 63 }),
        dstShift: fc.integer({ min: 0, max: 63 }),
        seed: fc.integer({ min: 1, max: 1 << 30 }),
      })
      .filter(
        ({ itemsize, channels, gap, pixels }) =>
          channels + gap <= 3 && channels * itemsize < 16 && pixels * itemsize >= 16,
      )
      .map((t) => {
        const { itemsize, channels, pixels, rows } = t;
        const pixel = (channels + t.gap) * itemsize;
        const row = pixels * pixel + t.rowPad * itemsize;
        // the view's dims: [channels, rows, pixels], C order in the destination (planes)
        const first = (t.backwards ? (pixels - 1) * pixel : 0) + (t.rowsUp ? (rows - 1) * row : 0);
        const c: CopyCase = {
          shape: [channels, rows, pixels],
          itemsize,
          src: {
            offset: t.srcShift + first,
            strides: [itemsize, t.rowsUp ? -row : row, t.backwards ? -pixel : pixel],
            span: t.srcShift + rows * row,
          },
          dst: {
            offset: t.dstShift,
            strides: [rows * pixels * itemsize, pixels * itemsize, itemsize],
            span: t.dstShift + channels * rows * pixels * itemsize,
          },
        };
        return { seed: t.seed, c, rows: t.gap > 0 || t.backwards };
      });
    it('equal the reference scalar kernel', () => {
      fc.assert(
        fc.property(flipped, ({ c, seed, rows }) => {
          expect(copyPlan(3, c.itemsize, c.shape, 0, c.dst.strides, 0, c.src.strides).kind).toBe(
            rows ? 'rows' : 'tile',
          );
          fastEqualsReference(c, seed);
        }),
        { numRuns },
      );
    });
  });

  describe('channels reversed within packed pixels (RGB to BGR, RGBA to ABGR): 3 or 4 channels of 1 to 8 bytes', () => {
    // assembly/strided.ts reverseChannels: whole vectors' worth of pixels a step, the pixels after
    // the last step as short rows; rows of an image padded or not, at any alignment
    const swaps = fc
      .record({
        channels: fc.constantFrom(3, 4),
        // and items of 3 and 8 bytes, which the kernel must leave to the loops (a reversed row of
        // three 3-byte items once took the 12-byte kernel and wrote past the row)
        itemsize: fc.constantFrom(1, 2, 4, 1, 3, 8),
        pixels: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 40, max: 400 })),
        rows: fc.integer({ min: 1, max: 4 }),
        srcPad: fc.constantFrom(0, 0, 1, 5),
        dstPad: fc.constantFrom(0, 0, 2),
        srcShift: fc.integer({ min: 0, max: 63 }),
        dstShift: fc.integer({ min: 0, max: 63 }),
        seed: fc.integer({ min: 1, max: 1 << 30 }),
      })
      .map(({ channels, itemsize, pixels, rows, srcPad, dstPad, srcShift, dstShift, seed }) => {
        const pixel = channels * itemsize;
        const srcRow = pixels * pixel + srcPad * itemsize;
        const dstRow = pixels * pixel + dstPad * itemsize;
        return {
          seed,
          c: {
            shape: [rows, pixels, channels],
            itemsize,
            // the source's channels from the last: item (r, p, k) at (channels - 1 - k)
            src: {
              offset: srcShift + (channels - 1) * itemsize,
              strides: [srcRow, pixel, -itemsize],
              span: srcShift + rows * srcRow,
            },
            dst: { offset: dstShift, strides: [dstRow, pixel, itemsize], span: dstShift + rows * dstRow },
          } satisfies CopyCase,
        };
      });
    it('equal the reference scalar kernel', () => {
      fc.assert(
        fc.property(swaps, ({ c, seed }) => fastEqualsReference(c, seed)),
        { numRuns },
      );
    });
  });

  describe('three of four channels to planes (RGBA to RGB planes, ARGB to its last three)', () => {
    // assembly/tile.ts deinterleave3of4Tile: groups of 16 / itemsize pixels through the
    // four-channel kernel without its fourth plane, the last pixel (whose fourth slot may lie past
    // the view) item by item; rows padded, at any alignment, from the first or second channel
    const drops = fc
      .record({
        itemsize: fc.constantFrom(1, 2, 4, 1, 8),
        pixels: PIXELS,
        rows: fc.integer({ min: 1, max: 4 }),
        first: fc.constantFrom(0, 1),
        rowPad: fc.integer({ min: 0, max: 9 }),
        planePad: fc.integer({ min: 0, max: 9 }),
        srcShift: fc.integer({ min: 0, max: 63 }),
        dstShift: fc.integer({ min: 0, max: 63 }),
        seed: fc.integer({ min: 1, max: 1 << 30 }),
      })
      .map(({ itemsize, pixels, rows, first, rowPad, planePad, srcShift, dstShift, seed }) => {
        const packedRow = (pixels * 4 + rowPad) * itemsize;
        const planeRow = pixels * itemsize;
        const plane = rows * planeRow + planePad * itemsize;
        return {
          seed,
          c: {
            shape: [rows, 3, pixels],
            itemsize,
            // the view's reach ends at the last pixel's third channel taken: its fourth slot is outside
            src: {
              offset: srcShift + first * itemsize,
              strides: [packedRow, itemsize, 4 * itemsize],
              span: srcShift + first * itemsize + (rows - 1) * packedRow + ((pixels - 1) * 4 + 3) * itemsize,
            },
            dst: { offset: dstShift, strides: [planeRow, plane, itemsize], span: dstShift + 3 * plane },
          } satisfies CopyCase,
        };
      });
    it('equal the reference scalar kernel', () => {
      fc.assert(
        fc.property(drops, ({ c, seed }) => fastEqualsReference(c, seed)),
        { numRuns },
      );
    });
  });

  describe('rows of SIMD gathers (steps -1, 2, 3, and -2, -3 walked from the other end; RGB pixels reversed), short and long', () => {
    // assembly/strided.ts: rows of up to 16 items as short rows, longer ones by the vector gathers
    // and a scalar tail that keeps every load inside the row (reversed rows: see the next test)
    const rowsCase = fc
      .record({
        rows: fc.integer({ min: 1, max: 9 }),
        m: fc.integer({ min: 1, max: 700 }),
        longRow: fc.boolean(),
        // RGB pixels of 1-, 2- and 4-byte channels: the reversed rows of horizontal flips, 16 a step
        itemsize: fc.constantFrom(1, 2, 4, 8, 3, 6, 12),
        step: fc.constantFrom(-1, 2, 3, -2, -3, 1),
        rowGap: fc.integer({ min: 0, max: 40 }),
        srcOffset: fc.integer({ min: 0, max: 31 }),
        seed: fc.integer({ min: 1, max: 1 << 30 }),
      })
      .map(({ longRow, seed, ...r }) =>
        // one long row of 500 to 5393 items: many vector steps and every tail length
        ({ seed, ...stepRows(longRow ? { ...r, rows: 1, m: 500 + 7 * r.m } : r) }),
      );
    it('equal the reference scalar kernel', () => {
      fc.assert(
        fc.property(rowsCase, (c) => fastEqualsReference(c, c.seed)),
        { numRuns },
      );
    });
  });

  describe('reversed rows of 16 bytes and more: a vector a step, the last one ending at the last item', () => {
    // assembly/strided.ts, reversedRows: rows of at least 4 items and 16 bytes from a source of
    // step -1, in one loop nest, every row ending with a vector that overlaps the one before
    // unless the row is a multiple of 16 bytes; shorter rows go item by item (shortRowsOf)
    const reversedCase = stepRowsCases(
      -1,
      [1, 2, 4, 8],
      fc.oneof(
        fc.integer({ min: 1, max: 40 }),
        fc.tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: -1, max: 1 })).map(([k, r]) => 16 * k + r),
        fc.integer({ min: 40, max: 400 }),
      ),
    );
    it('equal the reference scalar kernel', () => {
      fc.assert(
        fc.property(reversedCase, (c) => fastEqualsReference(c, c.seed)),
        { numRuns },
      );
    });
  });

  describe('short rows at step 2 of 17 to 128 bytes: gathers in one loop nest, the last vector moved back', () => {
    // assembly/strided.ts, shortStep2Rows: rows of up to 64 items and 128 bytes, of more than a
    // vector and one more item, at source step 2 into a destination of step 1: whole vectors, the
    // last one moved back to end one item before the row's end, then that item alone
    const step2Case = stepRowsCases(2, [1, 2, 4], fc.integer({ min: 1, max: 64 }), 128);
    it('equal the reference scalar kernel', () => {
      fc.assert(
        fc.property(step2Case, (c) => fastEqualsReference(c, c.seed)),
        { numRuns },
      );
    });
  });

  describe('rows gathered lane by lane (sources stepping 4 items and more, float64 at any step), forwards and backwards', () => {
    // assembly/strided.ts, loop1 to loop8: a destination of step 1 takes 8 uint8, 4 uint16, 4
    // float32 or 4 float64 a step, one item a lane, then the items left one at a time; rows read
    // backwards (negative steps) are walked from their other end into a destination of step -1
    const lanesCase = fc
      .record({
        rows: fc.integer({ min: 1, max: 5 }),
        m: fc.integer({ min: 1, max: 120 }),
        longRow: fc.boolean(),
        itemsize: fc.constantFrom(1, 2, 4, 8),
        step: fc.oneof(
          fc.integer({ min: 4, max: 13 }),
          fc.integer({ min: -13, max: -4 }),
          fc.constantFrom(2, 3, -2, -3),
        ),
        rowGap: fc.integer({ min: 0, max: 40 }),
        srcOffset: fc.integer({ min: 0, max: 15 }),
        seed: fc.integer({ min: 1, max: 1 << 30 }),
      })
      .map(({ longRow, seed, ...r }) =>
        // one long row of 303 to 660 items: every tail length of every lane count
        ({ seed, ...stepRows(longRow ? { ...r, rows: 1, m: 300 + 3 * r.m } : r) }),
      );
    it('equal the reference scalar kernel', () => {
      fc.assert(
        fc.property(lanesCase, (c) => fastEqualsReference(c, c.seed)),
        { numRuns },
      );
    });
  });

  describe('rows of SIMD gathers with gaps in a source past the L3, four rows at a time', () => {
    // assembly/strided.ts, separateRows: rows of at least 128 items spanning under 32 KiB, 512
    // bytes and more apart, over 32 MiB of source, go four at a time in chunks of 64 items (the
    // last chunk of each row through copyRow); the rows left after the groups of four, one at a
    // time. Only the rows' bytes are filled: the others are the same for both kernels.
    const gapped = fc.record({
      rows: fc.integer({ min: 1024, max: 1031 }),
      m: fc.integer({ min: 128, max: 400 }),
      itemsize: fc.constantFrom(1, 2, 4, 8),
      step: fc.constantFrom(2, 3, -2, -3),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
    });
    it('equal the reference scalar kernel', () => {
      fc.assert(
        fc.property(gapped, ({ rows, m, itemsize, step, seed }) => {
          const span = m * Math.abs(step) * itemsize;
          const apart = Math.ceil((32 << 20) / 1024) + 64 + (seed % 61); // gaps of 8 KiB and more
          const srcSpan = rows * apart;
          const dstSpan = rows * m * itemsize;
          withBlocks([srcSpan, dstSpan, dstSpan], ([src, dstFast, dstRef]) => {
            const heap = heapU8();
            const bytes = pattern(span, seed);
            for (let r = 0; r < rows; r++) heap.set(bytes, src + r * apart);
            const before = pattern(dstSpan, seed + 1);
            heap.set(before, dstFast);
            heap.set(before, dstRef);
            const first = step < 0 ? (m - 1) * -step * itemsize : 0;
            const srcOp = { buf: src + first, strides: [apart, step * itemsize], suboffsets: null };
            const dstOp = (buf: number) => ({ buf, strides: [m * itemsize, itemsize], suboffsets: null });
            copyStridedReference(2, itemsize, [rows, m], dstOp(dstRef), srcOp);
            copyStrided(2, itemsize, [rows, m], dstOp(dstFast), srcOp);
            const h = heapU8();
            expect(firstDifference(h.subarray(dstFast, dstFast + dstSpan), h.subarray(dstRef, dstRef + dstSpan))).toBe(
              -1,
            );
          });
        }),
        { numRuns: 12 },
      );
    });
  });

  describe('overlapping operands', () => {
    it('contiguous copies of any length equal a memmove, disjoint or shifted by any distance (pieces of 256 KiB)', () => {
      const PIECE = 256 * 1024;
      const length = fc.oneof(
        fc.integer({ min: 0, max: 3 * PIECE }),
        fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: -2, max: 2 })).map(([k, r]) => k * PIECE + r),
      );
      const copies = length.chain((n) =>
        fc.record({
          n: fc.constant(n),
          // overlapping by a few bytes, by most of the run, or not at all (either side), and the
          // shifts at a byte and a piece, where pieces in order would read what they wrote
          shift: fc.oneof(
            fc.integer({ min: -64, max: 64 }),
            fc.integer({ min: -n - 64, max: n + 64 }),
            fc.constantFrom(1, -1, PIECE - 1, PIECE, PIECE + 1, -PIECE + 1, -PIECE, -PIECE - 1),
          ),
          seed: fc.integer({ min: 1, max: 1 << 30 }),
        }),
      );
      fc.assert(
        fc.property(copies, ({ n, shift, seed }) => equalsMemmove(n, shift, seed)),
        { numRuns: Math.ceil(numRuns / 4) },
      );
    });

    it('contiguous copies of 16 MiB and more out of step (vectors when disjoint) equal a memmove', () => {
      // assembly/strided.ts moveBytes: disjoint blocks whose addresses differ in their low 5 bits
      // go through a loop of vectors from 16 MiB on, the last step moved back to end at the end;
      // overlapping ones through one memory.copy
      const MIB16 = 16 << 20;
      const copies = fc
        .record({
          n: fc.oneof(
            fc.constantFrom(MIB16, MIB16 + 1, MIB16 + 31, MIB16 + 33),
            fc.integer({ min: MIB16, max: MIB16 + 4096 }),
          ),
          // disjoint, 0 to 64 bytes apart either way (0 and 32 in step), or overlapping by most of the run
          apart: fc.integer({ min: 0, max: 64 }),
          down: fc.boolean(),
          overlapping: fc.boolean(),
          seed: fc.integer({ min: 1, max: 1 << 30 }),
        })
        .map(({ n, apart, down, overlapping, seed }) => ({
          n,
          shift: (down ? -1 : 1) * (overlapping ? apart + 1 : n + apart),
          seed,
        }));
      fc.assert(
        fc.property(copies, ({ n, shift, seed }) => equalsMemmove(n, shift, seed)),
        { numRuns: 8 },
      );
    });

    it('copy as if through a temporary, whatever the layouts (snapshot semantics)', () => {
      fc.assert(
        fc.property(
          copyCases(12),
          fc.integer({ min: 0, max: 64 }),
          fc.integer({ min: 1, max: 1 << 30 }),
          (c, shift, seed) => {
            const size = Math.max(c.src.span, c.dst.span) + shift + 16;
            withBlocks([size], ([block]) => {
              const heap = heapU8();
              heap.set(pattern(size, seed), block);
              const expected = expectedCopy(heap.slice(block, block + size), c, shift, 0);
              copyStrided(c.shape.length, c.itemsize, c.shape, operand(block + shift, c.dst), operand(block, c.src));
              expect(firstDifference(heapU8().subarray(block, block + size), expected)).toBe(-1);
            });
          },
        ),
        { numRuns },
      );
    });
  });

  describe('suboffsets (PIL-style arrays)', () => {
    it('an indirect source copies like the reference kernel, whatever the tail layout', () => {
      const pil = fc.record({
        rows: fc.integer({ min: 1, max: 8 }),
        cols: fc.integer({ min: 1, max: 24 }),
        depth: fc.integer({ min: 1, max: 5 }),
        itemsize: fc.constantFrom(1, 2, 4, 8, 3),
        transposedTail: fc.boolean(),
        suboffset: fc.integer({ min: 0, max: 3 }),
        seed: fc.integer({ min: 1, max: 1 << 30 }),
      });
      fc.assert(
        fc.property(pil, ({ rows, cols, depth, itemsize, transposedTail, suboffset, seed }) => {
          const tail = [cols, depth];
          const tailLayout = layoutOf(tail, itemsize, {
            perm: transposedTail ? [1, 0] : [0, 1],
            steps: [1, 1],
            flips: [false, false],
            pad: 0,
          });
          const rowBytes = tailLayout.span + suboffset * itemsize;
          const shape = [rows, ...tail];
          const dstLayout = layoutOf(shape, itemsize, {
            perm: [0, 1, 2],
            steps: [1, 1, 1],
            flips: [false, false, false],
            pad: 0,
          });
          withBlocks([4 * rows, rows * rowBytes, dstLayout.span, dstLayout.span], ([table, data, dstFast, dstRef]) => {
            const heap = heapU8();
            heap.set(pattern(rows * rowBytes, seed), data);
            // rows stored in reverse order, so the pointer table matters
            const dv = new DataView(heap.buffer);
            for (let r = 0; r < rows; r++) dv.setUint32(table + 4 * r, data + (rows - 1 - r) * rowBytes, true);
            const src: StridedOperand = {
              buf: table,
              strides: [4, ...tailLayout.strides],
              suboffsets: [suboffset * itemsize, -1, -1],
            };
            copyStridedReference(3, itemsize, shape, operand(dstRef, dstLayout), src);
            copyStrided(3, itemsize, shape, operand(dstFast, dstLayout), src, true);
            const h = heapU8();
            expect(
              firstDifference(
                h.subarray(dstFast, dstFast + dstLayout.span),
                h.subarray(dstRef, dstRef + dstLayout.span),
              ),
            ).toBe(-1);
          });
        }),
        { numRuns },
      );
    });
  });
}
