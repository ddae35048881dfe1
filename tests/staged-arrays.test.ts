// copyLayout/transpose between plain JS arrays (outside the runtime) in chunks through the cache
// (copyArraysStaged in src/strided.ts) and as one TypedArray copy (dense layouts): the same items
// as a plain JS gather, for random layouts around every chunk boundary, with chunk sizes forced
// small so that small arrays take every path; the heap is left as it was.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  copyLayout,
  copyLayoutAsync,
  heapStats,
  init,
  transpose,
  transposeAsync,
  type NumericArray,
} from '../src/index.js';
import { DEFAULT_STAGING, copyLayoutWithStaging, type StagingTuning } from '../src/layout/copy-layout.js';

beforeAll(async () => {
  await init();
});

/** Chunks of `chunkBytes`, one-row chunks up to `rowMaxBytes`, every size staged in chunks. */
const small = (chunkBytes: number, rowMaxBytes: number): StagingTuning => ({ chunkBytes, rowMaxBytes, minBytes: 0 });
const WHOLE: StagingTuning = { ...DEFAULT_STAGING, chunkBytes: 0 };

type Ctor = {
  new (n: number): NumericArray;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): NumericArray;
};
const TYPES: Ctor[] = [Uint8Array, Int16Array, Float32Array, Float64Array, BigInt64Array] as unknown as Ctor[];

function filled(ctor: Ctor, n: number): NumericArray {
  const a = new ctor(n);
  const big = a instanceof BigInt64Array;
  for (let i = 0; i < n; i++)
    (a as unknown as Array<number | bigint>)[i] = big ? BigInt(i) * 3n - 7n : (i * 13 + 5) % 127;
  return a;
}

/** The view as plain JS reads it, in C order. */
function gather(
  src: NumericArray,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): Array<number | bigint> {
  const out: Array<number | bigint> = [];
  const index = new Array<number>(shape.length).fill(0);
  const total = shape.reduce((a, b) => a * b, 1);
  for (let e = 0; e < total; e++) {
    let k = offset;
    for (let i = 0; i < shape.length; i++) k += (index[i] as number) * (strides[i] as number);
    out.push((src as unknown as Array<number | bigint>)[k] as number | bigint);
    for (let i = shape.length - 1; i >= 0; i--) {
      if ((index[i] = (index[i] as number) + 1) < (shape[i] as number)) break;
      index[i] = 0;
    }
  }
  return out;
}

/**
 * A random view of a base array: extents 1-9 over 1-4 dims, each dim taking a step of 1-3 (or
 * -1..-3, a flip) of the base's C strides, dims permuted, at an offset that keeps it inside.
 */
const views = fc
  .record({
    type: fc.integer({ min: 0, max: TYPES.length - 1 }),
    shape: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
    steps: fc.array(
      fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0),
      { minLength: 4, maxLength: 4 },
    ),
    perm: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
    pad: fc.integer({ min: 0, max: 5 }),
    stage: fc.integer({ min: 1, max: 600 }),
    rowMax: fc.integer({ min: 1, max: 3000 }),
  })
  .map(({ type, shape, steps, perm, pad, stage, rowMax }) => {
    const ndim = shape.length;
    // the base: each dim's extent times its step, C order
    const baseShape = shape.map((n, i) => n * Math.abs(steps[i] as number) + pad);
    const baseStrides = new Array<number>(ndim);
    let sd = 1;
    for (let i = ndim - 1; i >= 0; i--) {
      baseStrides[i] = sd;
      sd *= baseShape[i] as number;
    }
    let offset = 0;
    const strides = shape.map((n, i) => {
      const st = (baseStrides[i] as number) * (steps[i] as number);
      if (st < 0) offset += -st * (n - 1);
      return st;
    });
    // a permutation of the dims from the random keys
    const order = [...Array(ndim).keys()].sort(
      (a, b) => ((perm[a] as number) % 7) - ((perm[b] as number) % 7) || a - b,
    );
    return {
      ctor: TYPES[type] as Ctor,
      base: sd + pad,
      layout: {
        shape: order.map((i) => shape[i] as number),
        strides: order.map((i) => strides[i] as number),
        offset: offset + pad,
      },
      stage,
      rowMax,
    };
  });

describe('copyLayout between plain arrays, staged in chunks', () => {
  it('gives the gather of the view for random layouts and chunk sizes, and frees its staging', () => {
    fc.assert(
      fc.property(views, ({ ctor, base, layout, stage, rowMax }) => {
        const src = filled(ctor, base);
        const before = heapStats();
        const out = copyLayoutWithStaging(small(stage, rowMax), src, layout);
        expect(heapStats().liveBlocks).toBe(before.liveBlocks);
        expect(heapStats().liveBytes).toBe(before.liveBytes);
        expect([...out]).toEqual(gather(src, layout.shape, layout.strides, layout.offset));
      }),
      { numRuns: 400, seed: 0x5a6ed },
    );
  });

  it('gives the same items staged in chunks, staged whole and in one run', () => {
    fc.assert(
      fc.property(views, ({ ctor, base, layout, stage, rowMax }) => {
        const src = filled(ctor, base);
        const whole = copyLayoutWithStaging(WHOLE, src, layout);
        const chunked = copyLayoutWithStaging(small(stage, rowMax), src, layout);
        expect([...chunked]).toEqual([...whole]);
      }),
      { numRuns: 200 },
    );
  });

  it('writes into an ndarray-like out with gaps and leaves the gaps alone', () => {
    const src = filled(Float32Array as unknown as Ctor, 6 * 10);
    const data = new Float32Array(10 * 8).fill(-1);
    copyLayout(src, { shape: [10, 6], strides: [1, 10] }, { data, shape: [10, 6], strides: [8, 1], offset: 1 });
    for (let r = 0; r < 10; r++) {
      expect([...data.subarray(r * 8, r * 8 + 8)]).toEqual([-1, ...gather(src, [6], [10], r), -1]);
    }
  });

  it('copies between overlapping parts of one buffer as through a temporary', () => {
    const tuning = small(8, 64);
    const buf = new ArrayBuffer(4 * 400);
    const a = new Float32Array(buf);
    for (let i = 0; i < 400; i++) a[i] = i;
    const expected = gather(a, [20, 10], [-10, 1], 190);
    // out overlaps the source's reach, starting 5 items into it
    const out = new Float32Array(buf, 4 * 5, 200);
    copyLayoutWithStaging(tuning, a, { shape: [20, 10], strides: [-10, 1], offset: 190 }, out);
    expect([...out]).toEqual(expected);
    // a dense layout onto itself shifted by one item: TypedArray#set's clone
    for (let i = 0; i < 400; i++) a[i] = i;
    copyLayoutWithStaging(tuning, a, { shape: [300] }, new Float32Array(buf, 4, 300));
    expect([...a.subarray(1, 301)]).toEqual([...Array(300).keys()]);
  });

  it('stages the asynchronous forms the same way, chunk by chunk, and frees the staging', async () => {
    const nchw = filled(Float32Array as unknown as Ctor, 3 * 16 * 64 * 80);
    const before = heapStats();
    const nhwc = await transposeAsync(nchw, [3, 16, 64, 80], [0, 2, 3, 1]);
    expect([...nhwc]).toEqual(gather(nchw, [3, 64, 80, 16], [16 * 64 * 80, 80, 1, 64 * 80], 0));
    const img = filled(Uint8Array as unknown as Ctor, 1100 * 1400);
    const layout = { shape: [900, 1300], strides: [-1400, 1], offset: 1000 * 1400 + 50 };
    expect([...(await copyLayoutAsync(img, layout))]).toEqual([...copyLayout(img, layout)]);
    expect(heapStats().liveBlocks).toBe(before.liveBlocks);
    expect(heapStats().liveBytes).toBe(before.liveBytes);
  });

  it('stages NCHW to NHWC and crops of 1 MiB and more with the default chunks', () => {
    const n = 4;
    const c = 16;
    const h = 64;
    const w = 80;
    const nchw = filled(Float32Array as unknown as Ctor, n * c * h * w);
    const nhwc = transpose(nchw, [n, c, h, w], [0, 2, 3, 1]);
    expect([...nhwc]).toEqual(gather(nchw, [n, h, w, c], [c * h * w, w, 1, h * w], 0));
    const img = filled(Uint8Array as unknown as Ctor, 1100 * 1400);
    const crop = copyLayout(img, { shape: [1000, 1200], strides: [1400, 1], offset: 50 * 1400 + 100 });
    expect([...crop]).toEqual(gather(img, [1000, 1200], [1400, 1], 50 * 1400 + 100));
    const flip = copyLayout(img, { shape: [1100, 1400], strides: [-1400, 1], offset: 1099 * 1400 });
    expect([...flip.subarray(0, 1400)]).toEqual([...img.subarray(1099 * 1400)]);
    expect([...flip.subarray(1099 * 1400)]).toEqual([...img.subarray(0, 1400)]);
  });
});
