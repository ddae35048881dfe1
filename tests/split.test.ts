// The split of a planned copy across threads (src/split.ts), as pure functions of the plan: the
// parts do exactly what the plan does, each destination byte written once from the same source
// byte, and on the layouts the harness copies no two parts write the same cache line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyPlan, type CopyPlan } from '../src/copy.js';
import { CACHE_LINE, canSplit, planBytes, splitPlan } from '../src/split.js';
import { copyCases } from './helpers/copy-layouts.js';

/** Every destination byte the plan writes, mapped to the source byte it copies. */
function byteMap(plan: CopyPlan): Map<number, number> {
  const map = new Map<number, number>();
  const nd = plan.shape.length;
  const index = new Array<number>(nd).fill(0);
  const total = plan.shape.reduce((a, b) => a * b, 1);
  for (let e = 0; e < total; e++) {
    let d = plan.dst;
    let s = plan.src;
    for (let i = 0; i < nd; i++) { d += index[i] * plan.dstStrides[i]; s += index[i] * plan.srcStrides[i]; }
    for (let b = 0; b < plan.itemsize; b++) {
      expect(map.has(d + b)).toBe(false);
      map.set(d + b, s + b);
    }
    for (let i = nd - 1; i >= 0; i--) {
      if (++index[i] < plan.shape[i]) break;
      index[i] = 0;
    }
  }
  return map;
}

/**
 * The 64-byte lines a plan writes, as sorted disjoint [first, last] intervals: per row of the
 * destination-fastest dim, its whole span when its items are contiguous, else item by item.
 */
function lineIntervals(plan: CopyPlan): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const nd = plan.shape.length;
  const outer = nd === 0 ? [] : plan.shape.slice(0, nd - 1);
  const rowItems = nd === 0 ? 1 : plan.shape[nd - 1];
  const rowStride = nd === 0 ? 0 : plan.dstStrides[nd - 1];
  const index = new Array<number>(outer.length).fill(0);
  const total = outer.reduce((a, b) => a * b, 1);
  const line = (at: number): number => Math.floor(at / CACHE_LINE);
  for (let e = 0; e < total; e++) {
    let d = plan.dst;
    for (let i = 0; i < outer.length; i++) d += index[i] * plan.dstStrides[i];
    if (Math.abs(rowStride) === plan.itemsize || rowItems === 1) {
      const lo = Math.min(d, d + (rowItems - 1) * rowStride);
      spans.push([line(lo), line(lo + rowItems * plan.itemsize - 1)]);
    } else {
      for (let k = 0; k < rowItems; k++) spans.push([line(d + k * rowStride), line(d + k * rowStride + plan.itemsize - 1)]);
    }
    for (let i = outer.length - 1; i >= 0; i--) {
      if (++index[i] < outer[i]) break;
      index[i] = 0;
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [a, b] of spans) {
    const top = merged[merged.length - 1];
    if (top !== undefined && a <= top[1] + 1) top[1] = Math.max(top[1], b); else merged.push([a, b]);
  }
  return merged;
}

describe('splitPlan', () => {
  it('gives parts that write every destination byte once, from the same source byte, on random layouts', () => {
    const cases = fc.record({
      c: copyCases(), parts: fc.constantFrom(2, 3, 4, 5, 8),
      dstBase: fc.integer({ min: 0, max: 4095 }), srcBase: fc.integer({ min: 1 << 20, max: (1 << 20) + 4095 }),
    });
    fc.assert(fc.property(cases, ({ c, parts, dstBase, srcBase }) => {
      const plan = copyPlan(c.shape.length, c.itemsize, c.shape, dstBase + c.dst.offset, c.dst.strides,
        srcBase + c.src.offset, c.src.strides);
      const split = splitPlan(plan, parts);
      expect(split.length).toBeGreaterThanOrEqual(1);
      expect(split.length).toBeLessThanOrEqual(parts);
      const whole = byteMap(plan);
      const union = new Map<number, number>();
      for (const part of split) {
        expect(part.kind).toBe(plan.kind);
        expect({ ...part, shape: 0, dst: 0, src: 0, itemsize: 0 }).toEqual({ ...plan, shape: 0, dst: 0, src: 0, itemsize: 0 });
        for (const [d, s] of byteMap(part)) {
          expect(union.has(d)).toBe(false);
          union.set(d, s);
        }
      }
      expect(union).toEqual(whole);
      expect(split.reduce((n, part) => n + planBytes(part), 0)).toBe(planBytes(plan));
    }), { numRuns: 400 });
  });

  it('keeps a plan whole when asked for one part, or when it has nothing to cut', () => {
    const plan = copyPlan(2, 4, [64, 64], 0, [256, 4], 1 << 20, [4, 256]);
    expect(splitPlan(plan, 1)).toEqual([plan]);
    const tiny = copyPlan(1, 4, [1], 0, [4], 64, [4]);
    expect(splitPlan(tiny, 4)).toHaveLength(1);
  });

  it('refuses to split a copy whose source and destination overlap (a memmove)', () => {
    expect(canSplit(copyPlan(1, 1, [1 << 20], 4096, [1], 4096 + 100, [1]))).toBe(false);
    expect(canSplit(copyPlan(1, 1, [1 << 20], 4096, [1], 4096 + (1 << 20), [1]))).toBe(true);
    expect(canSplit(copyPlan(2, 4, [512, 512], 0, [2048, 4], 2048 * 256, [4, 2048]))).toBe(false);
  });

  // The harness's layouts, from a line-aligned destination: the parts' cache lines are disjoint,
  // and the parts are within 10% of each other.
  const MiB = 1 << 20;
  const harness: Array<{ name: string; plan: CopyPlan }> = [
    { name: 'contiguous 64 MiB', plan: copyPlan(1, 1, [64 * MiB], 4096, [1], 4096 + 64 * MiB + 512, [1]) },
    { name: 'contiguous 64 MiB from a base off the lines', plan: copyPlan(1, 1, [64 * MiB], 4096 + 16, [1], 4096 + 64 * MiB + 512, [1]) },
    { name: 'transpose float32 4096x4096', plan: copyPlan(2, 4, [4096, 4096], 0, [16384, 4], 64 * MiB + 512, [4, 16384]) },
    { name: 'transpose float64 2048x2048', plan: copyPlan(2, 8, [2048, 2048], 0, [16384, 8], 64 * MiB + 1024, [8, 16384]) },
    { name: 'transpose uint8 4096x4096', plan: copyPlan(2, 1, [4096, 4096], 0, [4096, 1], 64 * MiB + 1536, [1, 4096]) },
    { name: 'transpose float32 512x512', plan: copyPlan(2, 4, [512, 512], 0, [2048, 4], 64 * MiB + 512, [4, 2048]) },
    { name: 'crop 1600x900 of a 1920x1080 RGBA image', plan: copyPlan(3, 1, [900, 1600, 4], 0, [6400, 4, 1], 64 * MiB + 100 * 7680 + 800, [7680, 4, 1]) },
    { name: 'horizontal flip of a 1920x1080 RGBA image', plan: copyPlan(3, 1, [1080, 1920, 4], 0, [7680, 4, 1], 64 * MiB + 7676, [7680, -4, 1]) },
    { name: '256^3 float32, axes (2,0,1)', plan: copyPlan(3, 4, [256, 256, 256], 0, [262144, 1024, 4], 128 * MiB, [4, 262144, 1024]) },
    { name: '256^3 float32, axes (1,2,0)', plan: copyPlan(3, 4, [256, 256, 256], 0, [262144, 1024, 4], 128 * MiB, [1024, 4, 262144]) },
    { name: '1-D step 2, float32', plan: copyPlan(1, 4, [4 * MiB], 0, [4], 64 * MiB, [8]) },
    { name: '1-D step 3, float32', plan: copyPlan(1, 4, [2796203], 0, [4], 64 * MiB, [12]) },
    { name: '2-D step 2, float32 4096x4096', plan: copyPlan(2, 4, [2048, 2048], 0, [8192, 4], 64 * MiB, [32768, 8]) },
  ];
  for (const parts of [2, 4]) {
    for (const { name, plan } of harness) {
      it(`cuts ${name} into ${parts} parts on distinct cache lines, evenly`, () => {
        const split = splitPlan(plan, parts);
        expect(split).toHaveLength(parts);
        const sizes = split.map(planBytes);
        expect(Math.max(...sizes) / Math.min(...sizes)).toBeLessThan(1.1);
        if (plan.kind === 'bytes') {
          for (const part of split.slice(1)) expect(part.dst % CACHE_LINE).toBe(0);
          return;
        }
        // each part's lines merged, then all of them in order: any overlap is between two parts
        const all = split.flatMap(lineIntervals).sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < all.length; i++) expect(all[i][0]).toBeGreaterThan(all[i - 1][1]);
      });
    }
  }

  it('cuts 2-D tiles on the kernel\'s block grid, so that every part keeps the single-threaded blocks', () => {
    const plan = copyPlan(2, 4, [4096, 4096], 0, [16384, 4], 64 * MiB + 512, [4, 16384]);
    const split = splitPlan(plan, 2);
    expect(split[0].shape).toEqual([2048, 4096]);
    expect(split[1].src - plan.src).toBe(2048 * 4);
    expect(split[1].src % CACHE_LINE).toBe(0);
  });
});
