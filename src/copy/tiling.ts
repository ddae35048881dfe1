// The tiling policy: for a copy whose two operands disagree on their fastest dim, the tile
// options the planner (src/copy/plan.ts) gives its 'tile' plan: the tile edge, which way the
// blocks are swept, whether 1-byte tiles go through the staging area and whether 4-byte
// line-blocks are grouped. Each choice comes from measurements; the figures are in the comments
// where they decide a threshold. Tuners force any choice through a CopyTuning.

/**
 * Forced tile choices for the bench tuners and tests (bench/tune-*.ts, tests/split.test.ts): pass
 * one as the `tuning` argument of copyPlan() or copyStrided(). DEFAULT_COPY_TUNING leaves every
 * choice to the planner.
 */
export interface CopyTuning {
  /** The tile edge in items; 0: the measured default; negative: micro-tiles only. */
  readonly block: number;
  /** Sweep blocks along the source's rows (true) or down its columns (false); null: the planner's choice. */
  readonly rowsFirst: boolean | null;
  /** Stage 1-byte tiles through the 8 KiB staging area; null: the planner's choice. */
  readonly staged: boolean | null;
  /** Group 4-byte line-blocks one 16-byte column at a time; null: the planner's choice. */
  readonly grouped: boolean | null;
}

/** Every tile choice left to the planner: one shared frozen object, so that passing it allocates nothing. */
export const DEFAULT_COPY_TUNING: CopyTuning = Object.freeze({ block: 0, rowsFirst: null, staged: null, grouped: null });

/** The tile options of a tiled plan. */
export interface TileOptions {
  block: number;
  rowsFirst: boolean;
  staged: boolean;
  grouped: boolean;
}

/**
 * Sets `out`'s tile options for a tile whose destination rows are `rowsDst` bytes apart along the
 * source-fastest dim (extent n0) and whose source rows are `rowsSrc` apart along the other (n1),
 * copying `bytes` bytes of `itemsize`-byte items from `src` to `dst` (the bases matter modulo 4096).
 */
export function chooseTileOptions(out: TileOptions, itemsize: number, rowsDst: number, rowsSrc: number, n0: number,
  n1: number, bytes: number, dst: number, src: number, tuning: CopyTuning): void {
  out.rowsFirst = tuning.rowsFirst ?? sweepRowsFirst(rowsDst, rowsSrc, bytes, itemsize);
  const lineRows = rowsDst % 64 === 0 && rowsSrc % 64 === 0;
  out.staged = tuning.staged ?? (itemsize === 1 && lineRows && (fewCacheSets(rowsDst) || fewCacheSets(rowsSrc)));
  out.grouped = tuning.grouped ?? (itemsize === 4 && groupLineBlocks(lineRows, rowsDst, rowsSrc, dst - src, bytes));
  out.block = tuning.block !== 0 ? tuning.block
    : tileBlock(out.staged, out.grouped && lineRows, out.rowsFirst, rowsDst, rowsSrc, n0, n1, bytes);
}

// Tile edge in items: 256 for every item size. Chosen by measurement (ROUNDS=8 node
// bench/run.mjs tune-one ITEMSIZE N BLOCKS...: interleaved best-of-7 transposes of filled
// 512² to 4097² arrays, edges 16 to 512). With whole-line blocks (assembly/tile.ts) no cache line
// waits between visits, so the edge only sets how many pages a block sweeps (TLB reach) and how
// often the block loops restart: 4096² float32 ran at 4.9 GB/s with 16, 9.9 with 64, 11.0-11.2
// with 128-512; 4096² int16 at 4.0 (32), 7.0 (256), 8.2 (512); 2048² float64 was flat at
// 9.0-9.4 from 32 to 512; 4096² uint8 at 4.1 (16), 7.7 (256). (An earlier sweep on unfilled
// memory, whose pages all map to one shared zero page, had favoured 16: fill before measuring.)
const TILE_BLOCK = 256;
// Staged 1-byte tiles (assembly/tile.ts, stagedTile8) sweep 64 x 64 blocks along the source's rows;
// edges of 512 read longer runs of each row: 4096² uint8 at 11.2-13.4 GB/s against 9.6-10.8 with 256
// and 10.3-11.7 with 1024 (interleaved, bases aligned and not).
const STAGED_TILE_BLOCK = 512;

// Grouped line-blocks on line-aligned rows (copies that fit in L2, see groupLineBlocks): 32 x 32
// blocks. 512² float32 (medians of 3 ms runs, interleaved): 36-37 GB/s against 32-34 with 64 and
// 28-31 with 256; 256², 384² and 1024 x 256 were flat (within 5%) from 32 to 256. Rows off the
// lines keep 256 (500² 41 GB/s with 32 against 44, 300² 48 against 54).
const ALIGNED_GROUPED_TILE_BLOCK = 32;

// Rows near multiples of 2048 or 4096 bytes (fewCacheSets), tiles swept along the source's rows
// (arrays in DRAM, see sweepRowsFirst) whose row strides are both under 32 KiB: 512 x 512 blocks.
// ROUNDS=5 tune-one (interleaved, best of the 4 rounds after the first), three runs each, 256
// against 512 (GB/s): 2048² float64 14.5-17.8 / 16.8-19.6, 8192² int16 8.5-8.8 / 9.0-9.1, 4096²
// float32 13.2-13.6 / 13.0-14.1, 4097² float32 flat; at 32 KiB strides 512 loses (4096² float64
// 15.4-16.0 / 12.0-14.3, 8192² float32 11.2-11.5 / 6.9-11.3); 1024 loses at 16 KiB (4096²
// float32 13.8 ms against 8.1).
const WIDE_TILE_BLOCK = 512;
const WIDE_TILE_MAX_STRIDE = 32 * 1024;

// Other row strides, copies of 8 MiB and more: the widest edge of 1024, 512 and 256 items whose
// block keeps the rows it reads (or writes) within 12 MiB, counting an axis only where the edge
// cuts it (a tile only 64 items deep on one side is never cut there). Best of 6-7 interleaved
// (tune-layout), 256 / 512 / 1024 ms: NCHW->NHWC 8x64x112x112 float32 3.06 / 2.80 / 2.49,
// NHWC->NCHW 2.66 / 2.27 / 2.08, float32 1999x3001 2.99 / 2.66 / 2.45, 3000² float64 (512: 12.3
// MB) flat, uint8 5193x4321 5.08 / 3.90 / 3.52 (2048: 4.17), uint16 5105x2449 5.64 / 3.76 / 3.56,
// 256³ float32 axes (2, 0, 1) 8.8 / 7.7 / 7.8. In cache, wider blocks lose L1 reuse (1000²
// uint16, 2 MB: 54 GB/s with 256, 44 with 1024).
const SPAN_TILE_BLOCKS = [1024, 512];
const TILE_SPAN_BYTES = 12 * 1024 * 1024;
const SPAN_TILE_MIN_BYTES = 8 * 1024 * 1024;

function tileBlock(staged: boolean, alignedGrouped: boolean, rowsFirst: boolean, rowsDst: number, rowsSrc: number,
  n0: number, n1: number, bytes: number): number {
  if (staged) return STAGED_TILE_BLOCK;
  if (alignedGrouped) return ALIGNED_GROUPED_TILE_BLOCK;
  const d = Math.abs(rowsDst);
  const s = Math.abs(rowsSrc);
  if (fewCacheSets(d) || fewCacheSets(s) || bytes < SPAN_TILE_MIN_BYTES) {
    return rowsFirst && Math.max(d, s) < WIDE_TILE_MAX_STRIDE ? WIDE_TILE_BLOCK : TILE_BLOCK;
  }
  // destination rows are indexed along n0, source rows along n1
  for (const edge of SPAN_TILE_BLOCKS) {
    if ((edge >= n0 || edge * d <= TILE_SPAN_BYTES) && (edge >= n1 || edge * s <= TILE_SPAN_BYTES)) return edge;
  }
  return TILE_BLOCK;
}

// Which way a tiled copy sweeps its blocks (assembly/tile.ts, simdTile). Along the source's rows,
// each step reads the next line of the same source rows and writes new destination rows, so it
// suits destination rows closer together than the source's; down the columns, the other way
// round. Measured (bench/tune-tiles.ts, and the harness's 3-D permutations): 256³ float32 axes
// (1, 2, 0) (destination rows 1 KiB apart, source rows 256 KiB) 12.3 ms along the rows against
// 26.5 down the columns; axes (2, 0, 1), the mirror image, 12.4 down the columns against 19.1.
// When both are as far apart (square transposes) the size decides: along the rows wins once the
// operands live in DRAM (2048² float64, 32 MiB: 15-16 GB/s against 9.7; 4097² float32: 10.1
// against 8.6; 4096² float32 alike) and loses in cache (512² float32 32 vs 40 GB/s, 1024² float64
// 23 vs 30, 2048² float32, 16 MiB: 16.2 vs 17.3). Copies of 8 MiB and more whose rows are not
// near multiples of 2048 bytes go along the rows until the destination's rows are 4 times as far
// apart as the source's (best of 9, interleaved, down the columns against along the rows: uint8
// 5193x4321 transposed 3.55 / 3.31 ms, uint16 5105x2449 3.42 / 3.02, float32 2387x1595 1.55 /
// 1.31; NHWC->NCHW, destination rows 196 times as far apart, 2.1 / 4.7; float32 120x160x200 axes
// (2, 0, 1), 96 times, 1.07 / 1.43).
// Destination rows near multiples of 4096 bytes (their lines of a line-block in one or two L1
// sets, fewer than the source's) go down the columns, which writes the next line of the same
// rows at each step, where along the rows every step writes 16 new lines into that set (best of
// 9, interleaved, float32 with destination rows 4100 bytes apart: 1025x1535 0.52 ms against 0.88,
// 1023x1800 0.51 against 1.01, 1025x3000 1.17 against 1.76, 2049x3071 3.11 against 4.24).
const ROWS_FIRST_BYTES = 16 * 1024 * 1024;
const ROWS_FIRST_RATIO = 4;

function sweepRowsFirst(dstRows: number, srcRows: number, bytes: number, itemsize: number): boolean {
  const d = Math.abs(dstRows);
  const s = Math.abs(srcRows);
  if (itemsize < 4) {
    // micro-tiles (unstaged: rows not on cache lines) write or read a quarter of a line of each
    // of their rows: the crowded side keeps its rows from step to step (uint8, best of 10: 4097²
    // 3.5 ms down the columns against 7.5 along the rows, 4097x3001 2.2 / 5.1, 2049x6000 1.9 /
    // 3.5; source rows 4096 bytes apart, 3000x4096, 2.0 / 1.5; uint16 4097x2000 1.9 / 5.1)
    if (fewCacheSets(d)) return false;
    if (fewCacheSets(s)) return true;
  }
  if (d !== s && fewCacheSets(d) && cacheSetsOf16Rows(s) > cacheSetsOf16Rows(d)) return false;
  if (d !== s && bytes >= SPAN_TILE_MIN_BYTES && !fewCacheSets(d) && !fewCacheSets(s)) return d < ROWS_FIRST_RATIO * s;
  return d !== s ? d < s : bytes > ROWS_FIRST_BYTES;
}

/**
 * Whether 4-byte line-blocks should go one 16-byte column at a time (TILE_GROUPED), given the
 * tile's row strides (`lineRows`: both multiples of 64 bytes), the distance from source to
 * destination and the bytes copied. A grouped block writes each destination line whole but
 * reads each source line in four visits, so the source lines must stay in L1 between them.
 * - Rows that do not start on cache lines: grouped blocks win (4097² float32 10.5 against 8.4
 *   GB/s, 2049² 3.1 against 3.7 ms, 3000² 8.7 against 10.7 ms). But with row strides near a
 *   multiple of 4096 bytes (fewCacheSets) the source and destination lines of a block crowd into
 *   the same few sets whenever the two bases are close modulo 4096 (large blocks are coloured
 *   apart, see malloc() in src/wasm/heap.ts, but not every operand comes from there), and
 *   grouped blocks then run 2-3x slower (4097² from bases 16 bytes apart modulo 4096: 31 ms
 *   against 17; 2049²: 13.4 against 4.1). Those keep whole lines.
 * - Rows on cache lines: grouped blocks win while the copy fits in L2 (CACHED_GROUPED_BYTES) and
 *   16 source rows span more than one set (medians, interleaved: 512² 33-37 GB/s against 27-31,
 *   256² 50 against 38, source rows 256 or 1024 bytes apart 25 against 21), and lose otherwise
 *   (source rows 4096 bytes apart, 512 KiB: 24 against 32; 1024² 19 against 21; 4096² 4.8
 *   against 12.4; source rows 2048 bytes apart, 8 MiB: 17 against 19).
 */
function groupLineBlocks(lineRows: boolean, dstRows: number, srcRows: number, delta: number, bytes: number): boolean {
  if (lineRows) return bytes <= CACHED_GROUPED_BYTES && cacheSetsOf16Rows(srcRows) > 1;
  if (!fewCacheSets(dstRows) && !fewCacheSets(srcRows)) return true;
  const d = ((delta % 4096) + 4096) % 4096;
  return Math.min(d, 4096 - d) >= 512;
}
const CACHED_GROUPED_BYTES = 1024 * 1024;

/** How many 64-byte positions of a 4 KiB page (L1 sets) 16 consecutive rows `stride` bytes apart start in. */
function cacheSetsOf16Rows(stride: number): number {
  // the 64 positions as two 32-bit masks: no allocation (the planner asks up to six times a plan)
  let lo = 0;
  let hi = 0;
  for (let r = 0; r < 16; r++) {
    const set = Math.floor((((r * stride) % 4096) + 4096) % 4096 / 64);
    if (set < 32) lo |= 1 << set; else hi |= 1 << (set - 32);
  }
  let count = 0;
  for (; lo !== 0; lo &= lo - 1) count++;
  for (; hi !== 0; hi &= hi - 1) count++;
  return count;
}

/**
 * Whether 16 consecutive rows `stride` bytes apart fall into one or two sets of an L1 cache (row
 * strides at or near multiples of 2048 or 4096 bytes). A 16x16 byte micro-tile read or written
 * straight from such rows refetches each line for every micro-tile that uses it; through the
 * staging area each line moves once (4096² uint8: 14 GB/s against 7; 2048²: 21 against 17). Other
 * strides lose by staging (1024²: 22 vs 28, 2100²: 20 vs 26), and so do rows that do not start on
 * cache lines, where the staged grid cannot line up (best of 10: 4097² 4.2 ms against 3.5 for
 * micro-tiles that keep the crowded side's rows, see sweepRowsFirst; 4097x3001 2.6 / 2.2), so only
 * line-aligned rows with these strides are staged.
 */
function fewCacheSets(stride: number): boolean {
  return cacheSetsOf16Rows(stride) <= 2;
}
