// The copy planner (src/copy/) and its kernels (assembly/plan.ts, strided.ts, tile.ts,
// transpose.ts) under the SIMD build: which kernel each layout gets, and property tests
// against the reference scalar kernel. tests/copy-planner-scalar.test.ts runs the same
// properties under the scalar build.
import { beforeAll, describe, expect, it } from 'vitest';
import { copyPlan, type CopyKind } from '../src/copy/plan.js';
import { copyStrided } from '../src/copy/dispatch.js';
import { DEFAULT_COPY_TUNING } from '../src/copy/tiling.js';
import { init } from '../src/wasm/init.js';
import { runtimeInfo } from '../src/wasm/instance.js';
import { free, heapU8, malloc } from '../src/wasm/heap.js';
import { copyPlannerProperties } from './helpers/copy-properties.js';

beforeAll(async () => {
  await init();
});

interface PlanCase {
  name: string;
  shape: number[];
  itemsize: number;
  dst: number[];
  src: number[];
  kind: CopyKind;
  planned: { shape: number[]; itemsize: number };
}

const PLAN_CASES: PlanCase[] = [
  {
    name: 'a C-contiguous copy is one memory.copy',
    shape: [4, 5, 6],
    itemsize: 4,
    dst: [120, 24, 4],
    src: [120, 24, 4],
    kind: 'bytes',
    planned: { shape: [], itemsize: 480 },
  },
  {
    name: 'a Fortran-to-Fortran copy is one memory.copy',
    shape: [4, 5],
    itemsize: 8,
    dst: [8, 32],
    src: [8, 32],
    kind: 'bytes',
    planned: { shape: [], itemsize: 160 },
  },
  {
    name: 'extent-1 dims are dropped whatever their strides',
    shape: [1, 8, 1],
    itemsize: 2,
    dst: [999, 2, -7],
    src: [5, 2, 3],
    kind: 'bytes',
    planned: { shape: [], itemsize: 16 },
  },
  {
    name: 'paired negative strides are flipped into one memory.copy',
    shape: [3, 4],
    itemsize: 1,
    dst: [-4, -1],
    src: [-4, -1],
    kind: 'bytes',
    planned: { shape: [], itemsize: 12 },
  },
  {
    name: 'an image crop is contiguous rows',
    shape: [900, 1600, 4],
    itemsize: 1,
    dst: [6400, 4, 1],
    src: [7680, 4, 1],
    kind: 'rows',
    planned: { shape: [900], itemsize: 6400 },
  },
  {
    name: 'a horizontal flip moves whole pixels in a reversed row',
    shape: [1080, 1920, 4],
    itemsize: 1,
    dst: [7680, 4, 1],
    src: [7680, -4, 1],
    kind: 'rows',
    planned: { shape: [1080, 1920], itemsize: 4 },
  },
  {
    name: 'a step slice is a strided loop',
    shape: [1000],
    itemsize: 4,
    dst: [4],
    src: [12],
    kind: 'rows',
    planned: { shape: [1000], itemsize: 4 },
  },
  {
    name: 'a 2-D transpose is tiled',
    shape: [64, 32],
    itemsize: 4,
    dst: [128, 4],
    src: [4, 256],
    kind: 'tile',
    planned: { shape: [64, 32], itemsize: 4 },
  },
  {
    name: 'a 3-D permutation tiles its two fastest dims under an outer loop',
    shape: [8, 16, 32],
    itemsize: 4,
    dst: [2048, 128, 4],
    src: [4, 32, 512],
    kind: 'tile',
    planned: { shape: [16, 8, 32], itemsize: 4 },
  },
  {
    name: 'dims contiguous on both sides merge before tiling',
    shape: [6, 7, 8],
    itemsize: 2,
    dst: [112, 16, 2],
    src: [2, 96, 12],
    kind: 'tile',
    planned: { shape: [6, 56], itemsize: 2 },
  },
];

describe('copyPlan picks the kernel for the layout', () => {
  for (const c of PLAN_CASES) {
    it(c.name, () => {
      const plan = copyPlan(c.shape.length, c.itemsize, c.shape, 0, c.dst, 0, c.src);
      expect(plan.kind).toBe(c.kind);
      expect({ shape: plan.shape, itemsize: plan.itemsize }).toEqual(c.planned);
    });
  }

  it('a tile under 16 bytes on both sides is planned as rows in the destination order; 16 bytes on a side keeps the tile', () => {
    // uint8 tiles of 15 x 13 under two outer dims
    const tiny = copyPlan(4, 1, [66, 1014, 15, 13], 0, [197730, 195, 13, 1], 0, [576, 38592, 1, 18]);
    expect(tiny.kind).toBe('rows');
    expect(tiny.dstStrides[tiny.dstStrides.length - 1]).toBe(1);
    expect(copyPlan(4, 4, [300, 300, 8, 8], 0, [76800, 256, 32, 4], 0, [256, 76800, 4, 32]).kind).toBe('tile');
    expect(copyPlan(2, 1, [16, 13], 0, [13, 1], 0, [1, 16]).kind).toBe('tile');
  });

  it('a tile under 16 bytes on the source side whose pixels step 2 or 3 items along the destination rows goes as rows', () => {
    // RGB pixels of a horizontally flipped image into planes (img[:, ::-1].transpose(2, 0, 1))
    for (const itemsize of [1, 2, 4]) {
      const flip = copyPlan(
        3,
        itemsize,
        [3, 1080, 1920],
        0,
        [2073600, 1920, 1].map((x) => x * itemsize),
        0,
        [1, 5760, -3].map((x) => x * itemsize),
      );
      expect(flip.kind).toBe('rows');
    }
    // two of three channels, forwards: rows too
    expect(copyPlan(3, 1, [2, 100, 500], 0, [50000, 500, 1], 0, [1, 1500, 3]).kind).toBe('rows');
    // packed pixels forwards (a vertical flip): the channel kernels' tile
    const vflip = copyPlan(3, 1, [3, 1080, 1920], 0, [2073600, 1920, 1], 0, [1, -5760, 3]);
    expect(vflip.kind).toBe('tile');
    expect(vflip.srcStrides.slice(-2)).toEqual([1, 3]);
    // RGBA pixels flipped (4 items apart): the narrow tile stays
    expect(copyPlan(3, 1, [4, 1080, 1920], 0, [2073600, 1920, 1], 0, [1, 7680, -4]).kind).toBe('tile');
  });

  it('a tile under 16 bytes on the source side tiles the source dim that steps next instead, where that kernel is faster', () => {
    // uint8 RGB pixels rotated into planes ((H, W, 3) to (3, W, H)): pixels x rows tiled by the
    // stepped-tile gathers, the channels outside
    const rgb = copyPlan(3, 1, [3, 1920, 1080], 0, [2073600, 1080, 1], 0, [1, 3, 5760]);
    expect(rgb.kind).toBe('tile');
    expect(rgb.shape).toEqual([3, 1920, 1080]);
    expect(rgb.srcStrides.slice(1)).toEqual([3, 5760]);
    // RGBA pixels (4 bytes apart) keep the narrow tile, whose vector a pixel is ahead there
    const rgba = copyPlan(3, 1, [4, 1920, 1080], 0, [2073600, 1080, 1], 0, [1, 4, 7680]);
    expect(rgba.srcStrides.slice(-2)).toEqual([1, 7680]);
    // float32 (2399, 3, 303): 3 of 4 channels of pixels 16 bytes apart, whose rows are the
    // destination's fastest dim (38448 bytes apart)
    const planar = copyPlan(3, 4, [2399, 3, 303], 0, [3636, 1212, 4], 0, [16, 4, -38448]);
    expect(planar.shape).toEqual([3, 2399, 303]);
    expect(planar.srcStrides.slice(1)).toEqual([16, -38448]);
    // float32 RGB rotated into planes: 25 MB of source lines a pass, taken since each pass uses
    // more than half of every pixel's bytes
    const big = copyPlan(3, 4, [3, 1920, 1080], 0, [8294400, 4320, 4], 0, [4, 12, 23040]);
    expect(big.srcStrides.slice(1)).toEqual([12, 23040]);
    // 2 of 6 float32 channels, 19 MB of source lines a pass: the narrow tile stays
    const sparse = copyPlan(3, 4, [20000, 2, 40], 0, [320, 160, 4], 0, [24, 4, 480000]);
    expect(sparse.shape).toEqual([20000, 2, 40]);
    // float32 pixels of 3 channels 28 floats apart: 3 visits of each line where there was one
    const wide = copyPlan(3, 4, [200, 3, 300], 0, [3600, 1200, 4], 0, [112, 4, 22400]);
    expect(wide.shape).toEqual([200, 3, 300]);
    // the destination's fastest dim steps less in the source than the pixels (RGBA crops to RGB
    // planes): the channel kernels keep the tile
    const crop = copyPlan(3, 1, [3, 500, 640], 0, [320000, 640, 1], 0, [1, 7680, 4]);
    expect(crop.srcStrides.slice(-2)).toEqual([1, 4]);
  });

  it('a tile plan puts the source-fastest dim second to last and the destination-fastest last', () => {
    const plan = copyPlan(3, 4, [8, 16, 32], 0, [2048, 128, 4], 0, [4, 32, 512]);
    expect(plan.srcStrides[plan.srcStrides.length - 2]).toBe(4);
    expect(plan.dstStrides[plan.dstStrides.length - 1]).toBe(4);
  });

  it('moves the outer dim that steps least in the source next to a small kernel whose next dim jumps pages in the source', () => {
    // dst in C order of `shape` (z-byte items), the source's strides in items; its base far up
    const plan = (z: number, shape: number[], strides: number[]) => {
      const ds: number[] = [];
      let acc = z;
      for (let i = shape.length - 1; i >= 0; i--) {
        ds[i] = acc;
        acc *= shape[i];
      }
      const p = copyPlan(
        shape.length,
        z,
        shape,
        1 << 24,
        ds,
        1 << 27,
        strides.map((x) => x * z),
      );
      return { kind: p.kind, shape: p.shape, srcStrides: p.srcStrides };
    };
    // uint8 tiles of 2 x 21 under 675 x 336, the 336 a new page each step (101850 bytes), the
    // 675 150 bytes: the 675 goes next to the tile (31 ms -> 15)
    expect(plan(1, [2, 675, 336, 21], [-1, 150, -101850, 6])).toEqual({
      kind: 'tile',
      shape: [336, 675, 2, 21],
      srcStrides: [-101850, 150, 1, 6],
    });
    // uint16 rows of 8 at step 2: the dim of 100 (40 bytes a step) goes inside the 29 (8240)
    expect(plan(2, [100, 98, 29, 8], [20, -119480, 4120, -2])).toMatchObject({
      kind: 'rows',
      shape: [98, 29, 100, 8],
      srcStrides: [238960, 8240, 40, 4],
    });
    // not when the kernel moves long runs a call (uint8 tiles of 76 x 27: 2052 bytes)
    expect(plan(1, [342, 13, 76, 27], [-2387, 816354, 1, 77]).shape).toEqual([342, 13, 76, 27]);
    // not when the dim would give the kernel's loop fewer steps (8 rows a pass instead of 49)
    expect(plan(1, [159, 8, 49, 109], [-2240, -112, -360640, -1]).shape).toEqual([159, 8, 49, 109]);
    // not when one pass would leave more destination lines part-written than half an L2 holds
    expect(plan(1, [243, 63, 15, 34], [6426, 102, 1561518, 3]).shape).toEqual([15309, 15, 34]);
    // not for a tile that reads a compact run of the source a call (float32 5 x 38: 2.7 KB)
    expect(plan(4, [73, 70, 5, 38], [684, -101232, 1, -18]).shape).toEqual([73, 70, 5, 38]);
    // not for reversed rows (flips), which read each row downwards
    expect(plan(2, [340, 34, 529], [529, 542754, -1]).shape).toEqual([340, 34, 529]);
    // not when the dim next to the kernel steps under a page in the source
    expect(plan(4, [300, 200, 5], [1300, 6, 2]).shape).toEqual([300, 200, 5]);
  });

  it("a dim walked backwards along either side's fastest dim is walked forwards from its other end (rotations by 90 degrees)", () => {
    // RGBA 1920x1080 rotated 90 degrees counter-clockwise: source pixels (4-byte items) read backwards along each row
    const rot90 = copyPlan(2, 4, [1920, 1080], 0, [4320, 4], 4 * 1919, [-4, 7680]);
    expect(rot90.kind).toBe('tile');
    expect(rot90.srcStrides).toEqual([4, 7680]);
    expect(rot90.dstStrides).toEqual([-4320, 4]);
    expect([rot90.dst, rot90.src]).toEqual([4320 * 1919, 0]);
    // a reversed destination row gathers from a reversed source instead
    const intoFlipped = copyPlan(1, 2, [100], 198, [-2], 0, [2]);
    expect(intoFlipped).toMatchObject({ kind: 'rows', dst: 0, src: 198, dstStrides: [2], srcStrides: [-2] });
  });

  it('a row whose source runs backwards with a step is walked from its other end, and its outer dims too: the source forwards', () => {
    // uint8 rows 405 bytes apart, each read at step -2 from its last byte: the destination row is written backwards
    const stepped = copyPlan(2, 1, [1000, 66], 0, [66, 1], 130, [405, -2]);
    expect(stepped).toMatchObject({ kind: 'rows', dst: 65, src: 0, dstStrides: [66, -1], srcStrides: [405, 2] });
    // so does a single row, and a row of items that are not a plain reversal (3-byte pixels at step -2)
    expect(copyPlan(1, 4, [100], 0, [4], 396 * 2, [-8])).toMatchObject({
      dst: 396,
      src: 0,
      dstStrides: [-4],
      srcStrides: [8],
    });
    expect(copyPlan(2, 3, [10, 20], 0, [60, 3], 114, [200, -6])).toMatchObject({
      dstStrides: [60, -3],
      srcStrides: [200, 6],
    });
    // rows that go downwards are read upwards too: the whole source forwards, the destination backwards
    const down = copyPlan(2, 2, [43, 100], 0, [200, 2], 42 * 1000 + 396, [-1000, -4]);
    expect(down).toMatchObject({ dst: 42 * 200 + 198, src: 0, dstStrides: [-200, -2], srcStrides: [1000, 4] });
    // short rows read forwards in rows that go downwards: the rows are turned round, long ones are not
    const short = copyPlan(2, 1, [100, 77], 0, [77, 1], 99 * 312, [-312, 2]);
    expect(short).toMatchObject({ dst: 99 * 77, src: 0, dstStrides: [-77, 1], srcStrides: [312, 2] });
    const long = copyPlan(2, 4, [100, 3000], 0, [12000, 4], 99 * 24400, [-24400, 8]);
    expect(long).toMatchObject({ dst: 0, src: 99 * 24400, dstStrides: [12000, 4], srcStrides: [-24400, 8] });
    // a plain reversal keeps its destination forwards (the SIMD reversal reads whole vectors downwards)
    expect(copyPlan(2, 4, [1080, 1920], 0, [7680, 4], 7676, [7680, -4])).toMatchObject({
      dstStrides: [7680, 4],
      srcStrides: [7680, -4],
    });
  });

  it('a tiled copy sweeps along the source rows when the destination rows are closer, else down its columns', () => {
    // 256³ float32 permutations: axes (1, 2, 0), destination rows 1 KiB apart, source rows 256 KiB; (2, 0, 1) the reverse
    expect(copyPlan(3, 4, [256, 256, 256], 0, [262144, 1024, 4], 0, [1024, 4, 262144]).rowsFirst).toBe(true);
    expect(copyPlan(3, 4, [256, 256, 256], 0, [262144, 1024, 4], 0, [4, 262144, 1024]).rowsFirst).toBe(false);
  });

  it('a copy of 8 MiB or more sweeps along the source rows until the destination rows are 4 times as far apart', () => {
    const t = (rows: number, cols: number, itemsize: number) =>
      copyPlan(2, itemsize, [cols, rows], 0, [rows * itemsize, itemsize], 0, [itemsize, cols * itemsize]);
    expect(t(5193, 4321, 1).rowsFirst).toBe(true); // destination rows 5193 bytes apart, source rows 4321
    expect(t(2387, 1595, 4).rowsFirst).toBe(true);
    // NHWC -> NCHW: destination rows 50176 bytes apart, source rows 256
    expect(copyPlan(4, 4, [8, 64, 112, 112], 0, [3211264, 50176, 448, 4], 0, [3211264, 4, 28672, 256]).rowsFirst).toBe(
      false,
    );
    // rows 8192 and 4096 bytes apart share L1 sets: the destination's farther rows decide, as before
    expect(t(4096, 2048, 2).rowsFirst).toBe(false);
  });

  it('4- and 8-byte tiles whose destination rows fall into two L1 sets go along the source rows from 8 MiB; into one set, down the columns', () => {
    const t = (rows: number, cols: number, itemsize: number) =>
      copyPlan(2, itemsize, [cols, rows], 0, [rows * itemsize, itemsize], 0, [itemsize, cols * itemsize]);
    // destination rows 2048 and 6144 bytes apart (16 rows in two sets), source rows 32740 (16 MiB)
    expect(t(512, 8185, 4).rowsFirst).toBe(true);
    expect(t(1536, 2723, 4).rowsFirst).toBe(true);
    expect(t(256, 8185, 8).rowsFirst).toBe(true);
    // 4096 bytes apart: one set, whose lines the next step down the columns writes again
    expect(t(1024, 4089, 4).rowsFirst).toBe(false);
    // under 8 MiB (in the L3), as before
    expect(t(512, 2041, 4).rowsFirst).toBe(false);
    // uint8 and uint16 micro-tiles go down the columns whenever the destination's rows crowd
    expect(t(1024, 8185, 2).rowsFirst).toBe(false);
  });

  it('a square transpose above 16 MiB sweeps along the source rows; one in cache down its columns', () => {
    const t = (n: number, itemsize: number) =>
      copyPlan(2, itemsize, [n, n], 0, [n * itemsize, itemsize], 0, [itemsize, n * itemsize]);
    expect(t(3000, 8).rowsFirst).toBe(true);
    expect(t(2500, 4).rowsFirst).toBe(true);
    expect(t(2048, 4).rowsFirst).toBe(false); // 16 MiB: not above
    expect(t(512, 4).rowsFirst).toBe(false);
  });

  it('... but down its columns where 16 rows fall into one L1 set, unless 4-byte items on exact multiples of 4096 bytes', () => {
    const t = (n: number, itemsize: number) =>
      copyPlan(2, itemsize, [n, n], 0, [n * itemsize, itemsize], 0, [itemsize, n * itemsize]);
    // one set: 8-byte items on multiples of 4096 bytes, 4-byte items 4 bytes past one
    for (const [n, itemsize] of [
      [2048, 8],
      [1536, 8],
      [2560, 8],
      [4096, 8],
      [2049, 4],
      [4097, 4],
    ]) {
      expect(t(n as number, itemsize as number).rowsFirst, `${n} x ${n} of ${itemsize} bytes`).toBe(false);
    }
    // exact multiples of 4096 bytes for 4-byte items, and rows in two sets, stay along the rows
    for (const [n, itemsize] of [
      [4096, 4],
      [3072, 4],
      [2560, 4],
      [4095, 4],
      [2049, 8],
    ]) {
      expect(t(n as number, itemsize as number).rowsFirst, `${n} x ${n} of ${itemsize} bytes`).toBe(true);
    }
    // batches of square transposes alike (axes (0, 2, 1))
    const batch = (b: number, n: number, itemsize: number) =>
      copyPlan(3, itemsize, [b, n, n], 0, [n * n * itemsize, n * itemsize, itemsize], 0, [
        n * n * itemsize,
        itemsize,
        n * itemsize,
      ]);
    expect(batch(4, 1024, 8).rowsFirst).toBe(false);
    expect(batch(4, 2048, 4).rowsFirst).toBe(true);
  });

  it('tiles swept along the source rows take 512 x 512 blocks while both row strides are under 32 KiB', () => {
    const t = (n: number, itemsize: number) =>
      copyPlan(2, itemsize, [n, n], 0, [n * itemsize, itemsize], 0, [itemsize, n * itemsize]);
    expect(t(4096, 4)).toMatchObject({ rowsFirst: true, block: 512 });
    expect(t(4095, 4)).toMatchObject({ rowsFirst: true, block: 512 });
    expect(t(3000, 8)).toMatchObject({ rowsFirst: true, block: 512 });
    expect(t(8192, 4)).toMatchObject({ rowsFirst: true, block: 256 }); // rows 32 KiB apart
    expect(t(512, 8)).toMatchObject({ rowsFirst: false, block: 256 }); // in cache
    // a 3-D permutation swept along the source rows, whose rows are 256 KiB apart
    expect(copyPlan(3, 4, [256, 256, 256], 0, [262144, 1024, 4], 0, [1024, 4, 262144])).toMatchObject({
      rowsFirst: true,
      block: 256,
    });
    // staged 1-byte tiles keep their own edge
    expect(t(4096, 1)).toMatchObject({ staged: true, block: 512 });
  });

  it('copies of 8 MiB and more with other row strides take the widest block (1024, 512) whose rows span 12 MiB or less', () => {
    // [rows, cols] of `itemsize`-byte items transposed; untouched (touched 4-byte tiles take blocks of 256, see TILE_TOUCH)
    const untouched = { ...DEFAULT_COPY_TUNING, touch: false };
    const t = (rows: number, cols: number, itemsize: number) =>
      copyPlan(2, itemsize, [cols, rows], 0, [rows * itemsize, itemsize], 0, [itemsize, cols * itemsize], untouched);
    expect(t(1999, 3001, 4).block).toBe(1024); // rows 12004 and 7996 bytes apart
    expect(t(5193, 4321, 1).block).toBe(1024);
    expect(t(1500, 2500, 8).block).toBe(512); // 1024 source rows of 20000 bytes would span 20 MB
    // NCHW -> NHWC: a 12544 x 64 tile per image; the 64-item side is never cut, whatever its rows' stride
    expect(
      copyPlan(4, 4, [8, 112, 112, 64], 0, [3211264, 28672, 256, 4], 0, [3211264, 448, 4, 50176], untouched).block,
    ).toBe(1024);
    expect(t(1000, 1000, 2).block).toBe(256); // 2 MB: in cache, narrower blocks keep their lines in L1
    expect(t(4096, 4096, 4).block).toBe(512); // rows near multiples of 4096 bytes keep their own rule
    // swept down the columns, rows near multiples of 2048 bytes take the same rule
    expect(t(8185, 512, 4)).toMatchObject({ rowsFirst: false, block: 1024 }); // source rows 2048 bytes apart
    expect(t(1024, 1024, 8)).toMatchObject({ rowsFirst: false, block: 1024 }); // 8 MiB, rows 8192 bytes apart
    expect(t(1024, 4199, 2)).toMatchObject({ rowsFirst: false, block: 1024 }); // destination rows 2048 bytes apart
  });

  it('1-byte tiles are staged when their rows start on cache lines and 16 rows fall into one or two L1 sets', () => {
    const t = (n: number, pitch: number) => copyPlan(2, 1, [n, n], 0, [pitch, 1], 0, [1, pitch]);
    expect(t(4096, 4096).staged).toBe(true);
    expect(t(2048, 2048).staged).toBe(true);
    // rows off the lines: the staged grid cannot line up, micro-tiles keep the crowded side's rows instead
    expect(t(4096, 4097)).toMatchObject({ staged: false, rowsFirst: false });
    expect(copyPlan(2, 1, [4096, 3000], 0, [3000, 1], 0, [1, 4096])).toMatchObject({ staged: false, rowsFirst: true });
    expect(t(1024, 1024).staged).toBe(false);
    expect(t(2100, 2100).staged).toBe(false);
    // wider items keep their line-blocks in registers
    expect(copyPlan(2, 4, [1024, 1024], 0, [4096, 4], 0, [4, 4096]).staged).toBe(false);
    expect(copyPlan(2, 8, [1024, 1024], 0, [8192, 8], 0, [8, 8192]).staged).toBe(false);
    // a source stepping 2 or 3 bytes along its fast dim (a[:, ::2].T): its rows are gathered into
    // the staging area (assembly/tile.ts, steppedStaged); other steps are scalar tiles
    const stepped = (step: number) => copyPlan(2, 1, [1000, 1000], 0, [1000, 1], 0, [step, 3100]);
    expect(stepped(2)).toMatchObject({ kind: 'tile', staged: true });
    expect(stepped(3)).toMatchObject({ kind: 'tile', staged: true });
    expect(stepped(4)).toMatchObject({ kind: 'tile', staged: false });
  });

  it('2-byte tiles are staged when both sides have their rows near multiples of 2048 bytes, one side near 4096', () => {
    const t = (n0: number, n1: number, dPitch: number, sPitch: number, dst = 0, src = 0) =>
      copyPlan(2, 2, [n0, n1], dst, [2 * dPitch, 2], src, [2, 2 * sPitch]);
    expect(t(2048, 2048, 2048, 2048)).toMatchObject({ staged: true, block: 512 }); // 4096 bytes both sides
    expect(t(4096, 2048, 2048, 4096).staged).toBe(true); // the suite's uint16 4096 x 2048
    expect(t(1024, 2048, 2048, 1024).staged).toBe(true); // 4096 against 2048
    expect(t(1024, 4096, 4096, 1024).staged).toBe(true); // 8192 against 2048
    // rows 2048 bytes apart on both sides: 8x8 micro-tiles spread over two sets and keep up
    expect(t(1024, 1024, 1024, 1024).staged).toBe(false);
    // one side's rows short or not near a multiple of 2048 bytes: the staging costs more than it saves
    expect(t(2048, 256, 256, 2048).staged).toBe(false);
    expect(t(256, 2048, 2048, 256).staged).toBe(false);
    expect(t(2048, 2100, 2100, 2048).staged).toBe(false);
    // rows off the cache lines on either side
    expect(t(2048, 2048, 2048, 2050).staged).toBe(false);
    // a tile under 16 items on a side has no whole block to stage
    expect(t(8, 2048, 2048, 2048).staged).toBe(false);
    expect(t(16, 2048, 2048, 2048).staged).toBe(true);
    // a batch of them (axes (0, 2, 1)) keeps the tile's choice
    expect(copyPlan(3, 2, [8, 2048, 2048], 0, [2 ** 23, 4096, 2], 0, [2 ** 23, 2, 4096]).staged).toBe(true);
  });

  it('4-byte line-blocks go one 16-byte column at a time when rows do not start on cache lines, or fit in L2', () => {
    const t = (n: number, dst = 0, src = 0) => copyPlan(2, 4, [n, n], dst, [4 * n, 4], src, [4, 4 * n]);
    expect(t(1000).grouped).toBe(true);
    expect(t(3000, 16, 4096 * 9).grouped).toBe(true);
    expect(t(4096).grouped).toBe(false);
    expect(t(1024).grouped).toBe(false);
    // line-aligned rows: grouped (in 32 x 32 blocks) while the copy fits in 1 MiB and 16 source rows span two sets or more
    expect(t(512)).toMatchObject({ grouped: true, block: 32 });
    expect(t(256)).toMatchObject({ grouped: true, block: 32 });
    expect(t(300)).toMatchObject({ grouped: true, block: 256 }); // rows off the lines keep 256
    // source [rows, cols] read down its columns into a row-major destination
    const r = (rows: number, cols: number) => copyPlan(2, 4, [cols, rows], 0, [4 * rows, 4], 0, [4, 4 * cols]);
    expect(r(4096, 64)).toMatchObject({ grouped: true, block: 32 }); // source rows 256 bytes apart
    expect(r(64, 4096).grouped).toBe(false); // 16 KiB apart: one set
    expect(r(128, 1024).grouped).toBe(false); // 4 KiB apart: one set
    expect(r(2048, 512).grouped).toBe(false); // 4 MiB
    // a batch of line-aligned transposes (axes (0, 2, 1) of a C-order stack): each tile must fit, not the
    // copy; the blocks are those of a large copy
    const batch = (b: number, n: number, m: number) =>
      copyPlan(3, 4, [b, m, n], 0, [4 * n * m, 4 * n, 4], 0, [4 * n * m, 4, 4 * m]);
    expect(batch(64, 256, 256)).toMatchObject({ grouped: true, block: 1024 }); // 16 MiB in tiles of 256 KiB
    expect(batch(16, 512, 512)).toMatchObject({ grouped: true }); // tiles of 1 MiB
    expect(batch(8, 1024, 1024).grouped).toBe(false); // tiles of 4 MiB
    expect(batch(2, 128, 256)).toMatchObject({ grouped: true, block: 32 }); // 256 KiB in all: in L2
    // rows near multiples of 4096 bytes: only when the bases are far apart modulo 4096 (their lines would share L1 sets)
    expect(t(4097, 2048, 4096 * 5).grouped).toBe(true);
    expect(t(4097, 3808, 4096 * 5 + 3792).grouped).toBe(false);
    expect(t(2049, 100, 4096 * 3 - 100).grouped).toBe(false);
  });

  it('batches of packed tiles in large copies read each tile in address order first (TILE_TOUCH)', () => {
    // axes (0, 2, 1) of a C-order stack of b tiles of r x c items, the source `pad` items wider
    const batch = (z: number, b: number, r: number, c: number, pad = 0) =>
      copyPlan(3, z, [b, c, r], 0, [z * r * c, z * r, z], 1 << 28, [z * r * (c + pad), z, z * (c + pad)]);
    expect(batch(4, 131, 160, 200)).toMatchObject({ kind: 'tile', touch: true }); // 16 MiB in tiles of 125 KiB
    expect(batch(1, 64, 520, 500).touch).toBe(true); // uint8 tiles of 254 KiB
    expect(batch(4, 40, 160, 200).touch).toBe(false); // 4.9 MiB: may be in cache
    expect(batch(4, 8, 512, 1024).touch).toBe(false); // tiles of 2 MiB: not in L2
    expect(batch(4, 8192, 20, 16).touch).toBe(false); // tiles of 1.25 KiB
    expect(batch(1, 2796, 20, 300).touch).toBe(false); // source rows of 20 bytes
    expect(batch(4, 131, 160, 200, 100).touch).toBe(false); // source rows 1.5 rows apart: a slice of a wider stack
    // larger tiles of 4-byte items block by block, in blocks of 256
    const t2 = (z: number, r: number, c: number) => copyPlan(2, z, [c, r], 0, [z * r, z], 1 << 28, [z, z * c]);
    expect(t2(4, 1773, 1773)).toMatchObject({ touch: true, block: 256 }); // 12 MiB
    expect(t2(4, 1999, 3001)).toMatchObject({ touch: true, block: 256 });
    // NCHW -> NHWC: a 12544 x 64 tile per image
    expect(copyPlan(4, 4, [8, 112, 112, 64], 0, [3211264, 28672, 256, 4], 0, [3211264, 448, 4, 50176])).toMatchObject({
      touch: true,
      block: 256,
    });
    expect(t2(4, 1000, 1000).touch).toBe(false); // 3.8 MiB
    expect(t2(4, 2048, 2048).touch).toBe(false); // rows 8 KiB apart: a block's rows share a few cache sets
    expect(t2(1, 3001, 4999).touch).toBe(false); // 1- and 2-byte items: micro-tiles
    expect(t2(2, 2939, 3709).touch).toBe(false);
    expect(t2(8, 1500, 2500).touch).toBe(false); // 8-byte items: level
    expect(t2(4, 28, 81091).touch).toBe(false); // 28 items wide: its long side streams already
    // a forced choice wins
    expect(copyPlan(2, 4, [1773, 1773], 0, [7092, 4], 1 << 28, [4, 7092], DEFAULT_COPY_TUNING)).toMatchObject({
      touch: true,
      block: 256,
    });
    const forced = { ...DEFAULT_COPY_TUNING, touch: false };
    expect(copyPlan(3, 4, [131, 200, 160], 0, [128000, 640, 4], 1 << 28, [128000, 4, 800], forced).touch).toBe(false);
  });
});

describe('copyStrided', () => {
  it('runs under the SIMD build in this suite', () => {
    expect(runtimeInfo().simd).toBe(true);
  });

  it('copies nothing for an empty shape or a zero itemsize', () => {
    const p = malloc(16);
    try {
      heapU8().fill(7, p, p + 16);
      copyStrided(
        2,
        4,
        [0, 4],
        { buf: p, strides: [16, 4], suboffsets: null },
        { buf: p + 8, strides: [16, 4], suboffsets: null },
      );
      copyStrided(
        1,
        0,
        [4],
        { buf: p, strides: [0], suboffsets: null },
        { buf: p + 8, strides: [0], suboffsets: null },
      );
      expect([...heapU8().slice(p, p + 16)]).toEqual(new Array(16).fill(7));
    } finally {
      free(p);
    }
  });

  it('copies interleaved halves of one buffer in place without a temporary (x[::2] = x[1::2])', () => {
    const p = malloc(16);
    try {
      heapU8().set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], p);
      copyStrided(
        1,
        2,
        [4],
        { buf: p, strides: [4], suboffsets: null },
        { buf: p + 2, strides: [4], suboffsets: null },
      );
      expect([...heapU8().slice(p, p + 16)]).toEqual([2, 3, 2, 3, 6, 7, 6, 7, 10, 11, 10, 11, 14, 15, 14, 15]);
    } finally {
      free(p);
    }
  });

  it('keeps the last write in C order when destination items overlap (a zero stride)', () => {
    const p = malloc(16);
    try {
      heapU8().set([1, 2, 3, 4, 0, 0, 0, 0], p);
      copyStrided(
        1,
        1,
        [4],
        { buf: p + 8, strides: [0], suboffsets: null },
        { buf: p, strides: [1], suboffsets: null },
      );
      expect(heapU8()[p + 8]).toBe(4);
    } finally {
      free(p);
    }
  });
});

copyPlannerProperties(250);
