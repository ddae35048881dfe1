// The copy planner's property tests, run once per Wasm build (tests/copy-planner.test.ts with
// SIMD, tests/copy-planner-scalar.test.ts without): every fast path against the reference
// scalar kernel (assembly/copy.ts) on random layouts, and overlap against snapshot semantics.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyStrided, copyStridedReference, type StridedOperand } from '../../src/copy.js';
import { free, heapU8, malloc } from '../../src/wasm/runtime.js';
import { copyCases, expectedCopy, layoutOf, pattern, type CopyCase } from './copy-layouts.js';

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

function fastEqualsReference(c: CopyCase, seed: number): void {
  withBlocks([c.src.span, c.dst.span, c.dst.span], ([src, dstFast, dstRef]) => {
    const heap = heapU8();
    heap.set(pattern(c.src.span, seed), src);
    const before = pattern(c.dst.span, seed + 1);
    heap.set(before, dstFast);
    heap.set(before, dstRef);
    const ndim = c.shape.length;
    copyStridedReference(ndim, c.itemsize, c.shape, operand(dstRef, c.dst), operand(src, c.src));
    copyStrided(ndim, c.itemsize, c.shape, operand(dstFast, c.dst), operand(src, c.src));
    const h = heapU8();
    expect(h.slice(dstFast, dstFast + c.dst.span)).toEqual(h.slice(dstRef, dstRef + c.dst.span));
  });
}

/** The property tests of the planner and its kernels under the build that init() chose. */
export function copyPlannerProperties(numRuns: number): void {
  describe('the planned copy equals the reference scalar kernel', () => {
    it('on random layouts of 0 to 4 dims, item sizes 1 to 16, steps, flips and permutations', () => {
      fc.assert(fc.property(copyCases(), fc.integer({ min: 1, max: 1 << 30 }), fastEqualsReference), { numRuns });
    });

    it('on random 2-D layouts large enough for SIMD micro-tiles and their ragged edges', () => {
      const twoD = fc.record({
        rows: fc.integer({ min: 1, max: 70 }), cols: fc.integer({ min: 1, max: 70 }),
        itemsize: fc.constantFrom(1, 2, 4, 8, 16, 3), transposed: fc.boolean(),
        steps: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
        flips: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
      }).map(({ rows, cols, itemsize, transposed, steps, flips }): CopyCase => {
        const shape = [rows, cols];
        return {
          shape, itemsize,
          dst: layoutOf(shape, itemsize, { perm: [0, 1], steps: [1, steps[0] === 3 ? 2 : 1], flips: [flips[0], false], pad: 0 }),
          src: layoutOf(shape, itemsize, { perm: transposed ? [1, 0] : [0, 1], steps: steps.slice(2), flips: flips.slice(2), pad: 0 }),
        };
      });
      fc.assert(fc.property(twoD, fc.integer({ min: 1, max: 1 << 30 }), fastEqualsReference), { numRuns });
    });
  });

  describe('overlapping operands', () => {
    it('copy as if through a temporary, whatever the layouts (snapshot semantics)', () => {
      fc.assert(fc.property(copyCases(12), fc.integer({ min: 0, max: 64 }), fc.integer({ min: 1, max: 1 << 30 }),
        (c, shift, seed) => {
          const size = Math.max(c.src.span, c.dst.span) + shift + 16;
          withBlocks([size], ([block]) => {
            const heap = heapU8();
            heap.set(pattern(size, seed), block);
            const expected = expectedCopy(heap.slice(block, block + size), c, shift, 0);
            copyStrided(c.shape.length, c.itemsize, c.shape, operand(block + shift, c.dst), operand(block, c.src));
            expect(heapU8().slice(block, block + size)).toEqual(expected);
          });
        }), { numRuns });
    });
  });

  describe('suboffsets (PIL-style arrays)', () => {
    it('an indirect source copies like the reference kernel, whatever the tail layout', () => {
      const pil = fc.record({
        rows: fc.integer({ min: 1, max: 8 }), cols: fc.integer({ min: 1, max: 24 }), depth: fc.integer({ min: 1, max: 5 }),
        itemsize: fc.constantFrom(1, 2, 4, 8, 3), transposedTail: fc.boolean(), suboffset: fc.integer({ min: 0, max: 3 }),
        seed: fc.integer({ min: 1, max: 1 << 30 }),
      });
      fc.assert(fc.property(pil, ({ rows, cols, depth, itemsize, transposedTail, suboffset, seed }) => {
        const tail = [cols, depth];
        const tailLayout = layoutOf(tail, itemsize, { perm: transposedTail ? [1, 0] : [0, 1], steps: [1, 1], flips: [false, false], pad: 0 });
        const rowBytes = tailLayout.span + suboffset * itemsize;
        const shape = [rows, ...tail];
        const dstLayout = layoutOf(shape, itemsize, { perm: [0, 1, 2], steps: [1, 1, 1], flips: [false, false, false], pad: 0 });
        withBlocks([4 * rows, rows * rowBytes, dstLayout.span, dstLayout.span], ([table, data, dstFast, dstRef]) => {
          const heap = heapU8();
          heap.set(pattern(rows * rowBytes, seed), data);
          // rows stored in reverse order, so the pointer table matters
          const dv = new DataView(heap.buffer);
          for (let r = 0; r < rows; r++) dv.setUint32(table + 4 * r, data + (rows - 1 - r) * rowBytes, true);
          const src: StridedOperand = {
            buf: table, strides: [4, ...tailLayout.strides], suboffsets: [suboffset * itemsize, -1, -1],
          };
          copyStridedReference(3, itemsize, shape, operand(dstRef, dstLayout), src);
          copyStrided(3, itemsize, shape, operand(dstFast, dstLayout), src, true);
          const h = heapU8();
          expect(h.slice(dstFast, dstFast + dstLayout.span)).toEqual(h.slice(dstRef, dstRef + dstLayout.span));
        });
      }), { numRuns });
    });
  });
}
