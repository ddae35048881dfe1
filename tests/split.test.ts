// The split of a planned copy across threads (src/split.ts), as pure functions of the plan: the
// parts do exactly what the plan does, each destination byte written once from the same source
// byte, and on the layouts the harness copies no two parts write the same cache line. The
// layouts include everything the planner hands the kernels: tiles with every option (block
// edges, sweep order, staging, grouping), channel moves (HWC to CHW and back), and dims walked
// forwards on one side and backwards on the other (flips, rotations by 90 degrees).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../src/index.js';
import { copyStridedReference, runCopyPlan } from '../src/copy/encode.js';
import { free, heapU8, malloc } from '../src/wasm/heap.js';
import { copyPlan, type CopyPlan } from '../src/copy/plan.js';
import { CACHE_LINE, canSplit, channelDim, planBytes, splitPlan } from '../src/split.js';
import { copyCases } from './helpers/copy-layouts.js';

/** C-contiguous strides of `shape` in bytes. */
function cStrides(shape: readonly number[], itemsize: number): number[] {
  const out: number[] = [];
  let sd = itemsize;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = sd;
    sd *= shape[i];
  }
  return out;
}

/**
 * The split checked algebraically (for plans too large to enumerate): the parts differ from the
 * plan in one dim only, whose ranges follow each other from 0 to its extent, each part starting
 * at its range's first index on both sides, every other field unchanged.
 */
function expectExactCut(plan: CopyPlan, split: CopyPlan[]): void {
  if (split.length === 1) {
    expect(split[0]).toEqual(plan);
    return;
  }
  if (plan.kind === 'bytes') {
    let at = 0;
    for (const part of split) {
      expect(part.dst - plan.dst).toBe(at);
      expect(part.src - plan.src).toBe(at);
      at += part.itemsize;
    }
    expect(at).toBe(plan.itemsize);
    return;
  }
  const dims = plan.shape.map((_, d) => d).filter((d) => split.some((part) => part.shape[d] !== plan.shape[d]));
  expect(dims.length).toBeLessThanOrEqual(1);
  const d = dims[0] ?? 0;
  let a = 0;
  for (const part of split) {
    expect({ ...part, shape: part.shape.filter((_, i) => i !== d), dst: 0, src: 0 }).toEqual({
      ...plan,
      shape: plan.shape.filter((_, i) => i !== d),
      dst: 0,
      src: 0,
    });
    expect(part.shape[d]).toBeGreaterThan(0);
    expect(part.dst).toBe(plan.dst + a * plan.dstStrides[d]);
    expect(part.src).toBe(plan.src + a * plan.srcStrides[d]);
    a += part.shape[d];
  }
  expect(a).toBe(plan.shape[d]);
}

/** Whether the plan walks a dim forwards on one side and backwards on the other (a flip or a rotation). */
function mixedSigns(plan: CopyPlan): boolean {
  return plan.dstStrides.some((ds, i) => Math.sign(ds) * Math.sign(plan.srcStrides[i]) < 0);
}

/** Every destination byte the plan writes, mapped to the source byte it copies. */
function byteMap(plan: CopyPlan): Map<number, number> {
  const map = new Map<number, number>();
  const nd = plan.shape.length;
  const index = new Array<number>(nd).fill(0);
  const total = plan.shape.reduce((a, b) => a * b, 1);
  for (let e = 0; e < total; e++) {
    let d = plan.dst;
    let s = plan.src;
    for (let i = 0; i < nd; i++) {
      d += index[i] * plan.dstStrides[i];
      s += index[i] * plan.srcStrides[i];
    }
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
      for (let k = 0; k < rowItems; k++)
        spans.push([line(d + k * rowStride), line(d + k * rowStride + plan.itemsize - 1)]);
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
    if (top !== undefined && a <= top[1] + 1) top[1] = Math.max(top[1], b);
    else merged.push([a, b]);
  }
  return merged;
}

beforeAll(async () => {
  await init();
});

describe('splitPlan', () => {
  /** The byte-map check of a split: the parts together write what the plan writes, each byte once. */
  function expectSameBytes(plan: CopyPlan, split: CopyPlan[], parts: number): void {
    expect(split.length).toBeGreaterThanOrEqual(1);
    expect(split.length).toBeLessThanOrEqual(parts);
    const whole = byteMap(plan);
    const union = new Map<number, number>();
    for (const part of split) {
      expect(part.kind).toBe(plan.kind);
      expect({ ...part, shape: 0, dst: 0, src: 0, itemsize: 0 }).toEqual({
        ...plan,
        shape: 0,
        dst: 0,
        src: 0,
        itemsize: 0,
      });
      for (const [d, s] of byteMap(part)) {
        expect(union.has(d)).toBe(false);
        union.set(d, s);
      }
    }
    expect(union).toEqual(whole);
    expect(split.reduce((n, part) => n + planBytes(part), 0)).toBe(planBytes(plan));
    expectExactCut(plan, split);
  }

  it('gives parts that write every destination byte once, from the same source byte, on random layouts with any tile options', () => {
    const cases = fc.record({
      c: copyCases(),
      parts: fc.constantFrom(2, 3, 4, 5, 8),
      minParts: fc.constantFrom(1, 2, 4),
      dstBase: fc.integer({ min: 0, max: 4095 }),
      srcBase: fc.integer({ min: 1 << 20, max: (1 << 20) + 4095 }),
      // the tile options the planner picks by size, forced here on small layouts (null: the planner's)
      block: fc.constantFrom(0, 0, 4, 16, 32, -16),
      rowsFirst: fc.constantFrom(null, true, false),
      staged: fc.constantFrom(null, true, false),
      grouped: fc.constantFrom(null, true, false),
    });
    const seen = { tile: 0, rows: 0, bytes: 0, mixedSigns: 0, options: 0, cut: 0 };
    fc.assert(
      fc.property(cases, ({ c, parts, minParts, dstBase, srcBase, block, rowsFirst, staged, grouped }) => {
        const plan = copyPlan(
          c.shape.length,
          c.itemsize,
          c.shape,
          dstBase + c.dst.offset,
          c.dst.strides,
          srcBase + c.src.offset,
          c.src.strides,
          { block, rowsFirst, staged, grouped },
        );
        const split = splitPlan(plan, parts, minParts);
        seen[plan.kind]++;
        if (mixedSigns(plan)) seen.mixedSigns++;
        if (plan.kind === 'tile' && (plan.staged || plan.grouped || plan.block !== 256)) seen.options++;
        if (split.length > 1) seen.cut++;
        expectSameBytes(plan, split, parts);
      }),
      { numRuns: 400 },
    );
    // the layouts reached every kind of plan, with and without options, and walks in both directions
    for (const n of Object.values(seen)) expect(n).toBeGreaterThan(10);
  });

  it("keeps a channel move's channels whole (the interleave kernels need them) and cuts its pixels, on random images", () => {
    // HWC to CHW (packed pixels to planes) and back, 2-4 channels of 1, 2 or 4 bytes, a batch
    // dim or none, padded rows, any alignment
    const images = fc.record({
      channels: fc.constantFrom(2, 3, 4),
      itemsize: fc.constantFrom(1, 2, 4),
      pixels: fc.integer({ min: 1, max: 300 }),
      batch: fc.constantFrom(1, 1, 2, 3),
      toPlanes: fc.boolean(),
      planePad: fc.integer({ min: 0, max: 9 }),
      parts: fc.constantFrom(2, 3, 4, 8),
      minParts: fc.constantFrom(1, 4),
      dstBase: fc.integer({ min: 0, max: 4095 }),
      srcBase: fc.integer({ min: 1 << 20, max: (1 << 20) + 4095 }),
    });
    let channelMoves = 0;
    let cut = 0;
    fc.assert(
      fc.property(
        images,
        ({ channels, itemsize, pixels, batch, toPlanes, planePad, parts, minParts, dstBase, srcBase }) => {
          const shape = [batch, channels, pixels];
          // packed: [batch][pixels][channels]; planar: [batch][channels][pixels], planes padded
          const packed = [pixels * channels * itemsize, itemsize, channels * itemsize];
          const plane = (pixels + planePad) * itemsize;
          const planar = [channels * plane, plane, itemsize];
          const [dst, src] = toPlanes ? [planar, packed] : [packed, planar];
          const base = (at: number): number => at - (at % itemsize);
          const plan = copyPlan(3, itemsize, shape, base(dstBase), dst, base(srcBase), src);
          const split = splitPlan(plan, parts, minParts);
          expectSameBytes(plan, split, parts);
          const cd = channelDim(plan);
          if (cd < 0) return;
          channelMoves++;
          if (split.length > 1) cut++;
          for (const part of split) {
            expect(part.shape[cd]).toBe(plan.shape[cd]);
            expect(channelDim(part)).toBe(cd);
          }
        },
      ),
      { numRuns: 150 },
    );
    expect(channelMoves).toBeGreaterThan(50);
    expect(cut).toBeGreaterThan(25);
  });

  it('gives parts the kernels copy as the whole plan, nothing past them: channel moves cut down to one pixel', () => {
    // the parts run one after another on this thread: what the copy workers run, in any order;
    // chunks of one or two pixels of three channels once made the kernel write four pixels more;
    // 5 to 13 channels: the narrow tiles, whose packed pixels are stored as whole vectors
    const images = fc.record({
      channels: fc.constantFrom(2, 3, 4, 5, 7, 8, 13),
      itemsize: fc.constantFrom(1, 2, 4),
      // rows of whole cache lines and one to three pixels more (the parts end on lines), or any
      lines: fc.integer({ min: 1, max: 4 }),
      extra: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: -40, max: 40 })),
      toPlanes: fc.boolean(),
      planePad: fc.integer({ min: 0, max: 9 }),
      parts: fc.constantFrom(2, 3, 4, 8, 16),
      shift: fc.integer({ min: 0, max: 63 }),
    });
    fc.assert(
      fc.property(images, ({ channels, itemsize, lines, extra, toPlanes, planePad, parts, shift }) => {
        const pixels = Math.max(2, (lines * CACHE_LINE) / itemsize + extra);
        const shape = [channels, pixels];
        const packed = [itemsize, channels * itemsize];
        const plane = (pixels + planePad) * itemsize;
        const planar = [plane, itemsize];
        const [ds, ss] = toPlanes ? [planar, packed] : [packed, planar];
        const span = channels * plane + 64;
        const src = malloc(span);
        const fast = malloc(span + 64);
        const ref = malloc(span + 64);
        try {
          const h = heapU8();
          for (let i = 0; i < span; i++) h[src + i] = (i * 31 + 7) & 255;
          for (let i = 0; i < span + 64; i++) h[fast + i] = h[ref + i] = (i * 13) & 255;
          const d = (p: number) => ({ buf: p + shift, strides: ds, suboffsets: null });
          copyStridedReference(2, itemsize, shape, d(ref), { buf: src, strides: ss, suboffsets: null });
          const plan = copyPlan(2, itemsize, shape, fast + shift, ds, src, ss);
          for (const part of splitPlan(plan, parts, parts)) runCopyPlan(part);
          const after = heapU8();
          expect(after.slice(fast, fast + span + 64)).toEqual(after.slice(ref, ref + span + 64));
        } finally {
          for (const p of [src, fast, ref]) free(p);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('cuts large plans exactly, whatever the planner picked (wide and span tile edges, sweeps, staging, channel moves, reversed walks)', () => {
    // shapes of 8 MiB and more, where the planner picks 512- and 1024-item edges, sweeps along the
    // rows and channel kernels; checked algebraically (byte maps of this size would not fit)
    const large = fc.record({
      rows: fc.integer({ min: 1000, max: 5000 }),
      cols: fc.integer({ min: 1000, max: 5000 }),
      itemsize: fc.constantFrom(1, 2, 4, 8, 3, 6, 12),
      flips: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
      transposed: fc.boolean(),
      parts: fc.constantFrom(2, 4, 8, 16, 32),
      minParts: fc.constantFrom(1, 2, 4, 8),
    });
    fc.assert(
      fc.property(large, ({ rows, cols, itemsize, flips, transposed, parts, minParts }) => {
        const shape = [rows, cols];
        const srcC = cStrides(transposed ? [cols, rows] : shape, itemsize);
        let src = transposed ? [srcC[1], srcC[0]] : srcC;
        let srcBase = 1 << 28;
        src = src.map((st, i) => {
          if (!flips[i]) return st;
          srcBase += st * (shape[i] - 1);
          return -st;
        });
        const plan = copyPlan(2, itemsize, shape, 4096, cStrides(shape, itemsize), srcBase, src);
        const split = splitPlan(plan, parts, minParts);
        expectExactCut(plan, split);
        expect(split.length).toBeLessThanOrEqual(parts);
        if (planBytes(plan) >= parts * 64 * 1024) expect(split.length).toBeGreaterThanOrEqual(Math.min(parts, 2));
      }),
      { numRuns: 300 },
    );
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
    {
      name: 'contiguous 64 MiB from a base off the lines',
      plan: copyPlan(1, 1, [64 * MiB], 4096 + 16, [1], 4096 + 64 * MiB + 512, [1]),
    },
    {
      name: 'transpose float32 4096x4096',
      plan: copyPlan(2, 4, [4096, 4096], 0, [16384, 4], 64 * MiB + 512, [4, 16384]),
    },
    {
      name: 'transpose float64 2048x2048',
      plan: copyPlan(2, 8, [2048, 2048], 0, [16384, 8], 64 * MiB + 1024, [8, 16384]),
    },
    { name: 'transpose uint8 4096x4096', plan: copyPlan(2, 1, [4096, 4096], 0, [4096, 1], 64 * MiB + 1536, [1, 4096]) },
    { name: 'transpose float32 512x512', plan: copyPlan(2, 4, [512, 512], 0, [2048, 4], 64 * MiB + 512, [4, 2048]) },
    {
      name: 'crop 1600x900 of a 1920x1080 RGBA image',
      plan: copyPlan(3, 1, [900, 1600, 4], 0, [6400, 4, 1], 64 * MiB + 100 * 7680 + 800, [7680, 4, 1]),
    },
    {
      name: 'horizontal flip of a 1920x1080 RGBA image',
      plan: copyPlan(3, 1, [1080, 1920, 4], 0, [7680, 4, 1], 64 * MiB + 7676, [7680, -4, 1]),
    },
    {
      name: '256^3 float32, axes (2,0,1)',
      plan: copyPlan(3, 4, [256, 256, 256], 0, [262144, 1024, 4], 128 * MiB, [4, 262144, 1024]),
    },
    {
      name: '256^3 float32, axes (1,2,0)',
      plan: copyPlan(3, 4, [256, 256, 256], 0, [262144, 1024, 4], 128 * MiB, [1024, 4, 262144]),
    },
    { name: '1-D step 2, float32', plan: copyPlan(1, 4, [4 * MiB], 0, [4], 64 * MiB, [8]) },
    { name: '1-D step 3, float32', plan: copyPlan(1, 4, [2796203], 0, [4], 64 * MiB, [12]) },
    { name: '2-D step 2, float32 4096x4096', plan: copyPlan(2, 4, [2048, 2048], 0, [8192, 4], 64 * MiB, [32768, 8]) },
    // channel moves: the channels stay whole, the pixels are cut
    {
      name: 'HWC to CHW, uint8 RGB 1920x1080',
      plan: copyPlan(3, 1, [3, 1080, 1920], 0, [2073600, 1920, 1], 64 * MiB, [1, 5760, 3]),
    },
    {
      name: 'HWC to CHW, uint8 RGBA 1920x1080',
      plan: copyPlan(3, 1, [4, 1080, 1920], 0, [2073600, 1920, 1], 64 * MiB, [1, 7680, 4]),
    },
    {
      name: 'HWC to CHW, float32 RGB 1920x1080',
      plan: copyPlan(3, 4, [3, 1080, 1920], 0, [8294400, 7680, 4], 64 * MiB, [4, 23040, 12]),
    },
    {
      name: 'CHW to HWC, uint8 RGB 1920x1080',
      plan: copyPlan(3, 1, [1080, 1920, 3], 0, [5760, 3, 1], 64 * MiB, [1920, 1, 2073600]),
    },
    {
      name: 'NHWC to NCHW, float32 2x224x224x3',
      plan: copyPlan(4, 4, [2, 3, 224, 224], 0, [602112, 200704, 896, 4], 64 * MiB, [602112, 4, 2688, 12]),
    },
    // dims walked forwards on one side, backwards on the other
    {
      name: 'rotation by 90 degrees, float32 4096x4096',
      plan: copyPlan(2, 4, [4096, 4096], 0, [16384, 4], 64 * MiB + 4095 * 16384, [4, -16384]),
    },
    {
      name: 'rotation by 270 degrees, float32 4096x4096',
      plan: copyPlan(2, 4, [4096, 4096], 0, [16384, 4], 64 * MiB + 4095 * 4, [-4, 16384]),
    },
    {
      name: 'rotation by 180 degrees, float32 2048x2048',
      plan: copyPlan(2, 4, [2048, 2048], 0, [8192, 4], 64 * MiB + (2048 * 2048 - 1) * 4, [-8192, -4]),
    },
    // a batch too short to share out among the threads: cut inside each image instead
    {
      name: 'NCHW to NHWC, float32 2x64x112x112',
      plan: copyPlan(4, 4, [2, 112, 112, 64], 0, [3211264, 28672, 256, 4], 64 * MiB, [3211264, 448, 4, 50176]),
    },
  ];
  for (const parts of [2, 4]) {
    for (const { name, plan } of harness) {
      it(`cuts ${name} into ${parts} parts on distinct cache lines, evenly`, () => {
        const split = splitPlan(plan, parts, parts);
        expect(split).toHaveLength(parts);
        const sizes = split.map(planBytes);
        expect(Math.max(...sizes) / Math.min(...sizes)).toBeLessThan(1.1);
        expectExactCut(plan, split);
        const cd = channelDim(plan);
        if (cd >= 0) for (const part of split) expect(part.shape[cd]).toBe(plan.shape[cd]);
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

  it("cuts 2-D tiles on the kernel's block grid, so that every part keeps the single-threaded blocks", () => {
    const plan = copyPlan(2, 4, [4096, 4096], 0, [16384, 4], 64 * MiB + 512, [4, 16384]);
    const split = splitPlan(plan, 2);
    expect(split[0].shape).toEqual([2048, 4096]);
    expect(split[1].src - plan.src).toBe(2048 * 4);
    expect(split[1].src % CACHE_LINE).toBe(0);
  });

  it('cuts a tile whose source rows fit in one block along its destination rows, in whole blocks', () => {
    // 256³ float32 axes (2, 0, 1): one 256 x 65536 tile, its 256-item source rows in one block
    const plan = copyPlan(3, 4, [256, 256, 256], 0, [262144, 1024, 4], 128 * MiB, [4, 262144, 1024]);
    expect(plan.shape).toEqual([256, 65536]);
    expect(plan.block).toBeGreaterThanOrEqual(256);
    for (const parts of [2, 8]) {
      const split = splitPlan(plan, parts, 2);
      expect(split).toHaveLength(parts);
      expectExactCut(plan, split);
      for (const part of split) {
        // every part reads whole source rows and writes whole blocks of each destination row
        expect(part.shape[0]).toBe(256);
        expect(part.shape[1] % plan.block).toBe(0);
        expect((part.dst - plan.dst) % CACHE_LINE).toBe(0);
      }
    }
    // rows wider than a block are still cut across (their parts keep whole blocks)
    const wide = copyPlan(2, 4, [4096, 4096], 0, [16384, 4], 64 * MiB + 512, [4, 16384]);
    expect(splitPlan(wide, 8, 2)[0].shape[1]).toBe(4096);
  });
});
