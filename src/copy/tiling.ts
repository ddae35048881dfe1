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
  /** Stage 1- and 2-byte tiles through the 8 KiB staging area; null: the planner's choice. */
  readonly staged: boolean | null;
  /** Group 4-byte line-blocks one 16-byte column at a time; null: the planner's choice. */
  readonly grouped: boolean | null;
  /** Read each tile's lines in address order before moving it; null or absent: the planner's choice. */
  readonly touch?: boolean | null;
}

/** Every tile choice left to the planner: one shared frozen object, so that passing it allocates nothing. */
export const DEFAULT_COPY_TUNING: CopyTuning = Object.freeze({
  block: 0,
  rowsFirst: null,
  staged: null,
  grouped: null,
  touch: null,
});

/** The tile options of a tiled plan. */
export interface TileOptions {
  block: number;
  rowsFirst: boolean;
  staged: boolean;
  grouped: boolean;
  touch: boolean;
}

/**
 * Sets `out`'s tile options for a tile whose destination rows are `rowsDst` bytes apart along the
 * source-fastest dim (extent n0) and whose source rows are `rowsSrc` apart along the other (n1),
 * copying `bytes` bytes of `itemsize`-byte items from `src` to `dst` (the bases matter modulo 4096);
 * `unitStrides`: both fast dims step one item (the SIMD kernels' tiles).
 */
export function chooseTileOptions(
  out: TileOptions,
  itemsize: number,
  rowsDst: number,
  rowsSrc: number,
  n0: number,
  n1: number,
  bytes: number,
  dst: number,
  src: number,
  unitStrides: boolean,
  tuning: CopyTuning,
): void {
  out.rowsFirst = tuning.rowsFirst ?? sweepRowsFirst(rowsDst, rowsSrc, bytes, itemsize);
  const lineRows = rowsDst % 64 === 0 && rowsSrc % 64 === 0;
  out.staged = tuning.staged ?? (lineRows && stageTile(itemsize, Math.abs(rowsDst), Math.abs(rowsSrc), n0, n1));
  // (on cache lines, what must fit in L2 is one tile, which a batch of transposes repeats)
  out.grouped =
    tuning.grouped ?? (itemsize === 4 && groupLineBlocks(lineRows, rowsDst, rowsSrc, dst - src, 4 * n0 * n1));
  out.block =
    tuning.block !== 0
      ? tuning.block
      : tileBlock(
          out.staged,
          out.grouped && lineRows && bytes <= CACHED_GROUPED_BYTES,
          out.rowsFirst,
          rowsDst,
          rowsSrc,
          n0,
          n1,
          bytes,
          itemsize,
        );
  chooseTouch(out, itemsize, rowsDst, rowsSrc, n0, n1, bytes, unitStrides, tuning);
}

// Batches of tiles read in address order first (assembly/tile.ts, TILE_TOUCH): tiles of
// TOUCH_MIN_TILE_BYTES to TOUCH_MAX_TILE_BYTES (the tile and its destination within a 1 MiB L2),
// their rows on each side TOUCH_ROW_BYTES long or more and packed (each side's rows at most 5/4
// of a row apart, so that each side is about one run of memory), in copies of TOUCH_MIN_BYTES
// and more (smaller ones may be in cache, where the reads are pure cost: 0.70-0.84x at 1-6 MiB).
// A tile's lines then arrive as two streams the prefetchers follow, and the transpose runs in the
// L2; moved straight from memory, each line-block's 16 rows are 16 separate misses. Best of 5-7
// in alternation (2026-12-01): float32 (n, 160, 200) axes (0, 2, 1), both orders, 12-64 MiB
// 1.7-2.3x faster (12 MiB 2.43 ms -> 1.13; 64 MiB 14.6 -> 8.6), 8 MiB level; batches of 16 MiB
// in tiles of 4 KiB to 1 MiB, 1.1-2.4x (float32 16 x 64 2.9 -> 1.2 ms, 256 x 256 3.5 -> 1.9,
// 512 x 512 3.4 -> 2.8; uint8 520 x 500 4.6 -> 2.3; float64 8 x 100 2.5 -> 1.6); random views of
// that kind (cliffs' draw, seeds 1501-1530, 10 views) 1.04-1.72x, geometric mean 1.45x. Lost:
// tiles under 4 KiB (float32 16 x 20 0.78x, uint16 32 x 40 0.83x, uint8 64 x 64 0.91x), rows
// under 64 bytes (uint8 20 x 300 0.90x), and tiles with a side whose rows lie far apart, a slice
// of a wider array (16 views, level overall, 0.57-1.58x).
const TOUCH_MIN_TILE_BYTES = 4096;
const TOUCH_MAX_TILE_BYTES = 512 * 1024;
const TOUCH_ROW_BYTES = 64;
const TOUCH_MIN_BYTES = 8 * 2 ** 20;

// Larger tiles of 4-byte items (line-blocks) in copies of TOUCH_MIN_BYTES and more touch each
// block in the same way, in blocks of TOUCH_BLOCK (256 x 256 items: 256 KiB a side): best of 5,
// planner's blocks against touched blocks of 128 / 256 (2026-12-01), float32 1773 x 1773
// transposed 2.66 ms against 1.98 / 1.97, 1999 x 3001 5.32 against 4.43 / 4.43, 2387 x 1595 3.45
// against 2.64 / 2.69, NHWC to NCHW 8 x 112 x 112 x 64 5.30 against 4.27 / 4.30 (NCHW to NHWC
// alike), 107 x 371 x 135 axes (2, 0, 1) 5.15 against 3.68 / 3.16, RGBA 1920 x 1080 rotated by 90
// degrees 1.40 against 1.07 / 1.13 (270: 1.50, 1.18 / 1.13; forced: 7.9 MiB is under the
// threshold, and near it the measurements conflict, see docs/performance.md). Not: rows near multiples of 2048
// bytes (fewCacheSets: a block's rows share a few cache sets, and the touch evicts itself;
// float32 2048 x 2048 2.45 against 3.8-4.3), 1- and 2-byte items (micro-tiles and the staging
// area: uint8 3001 x 4999 3.6 against 5.0-6.7, uint16 2939 x 3709 3.6 against 5.5-6.2), 8-byte
// items (level: float64 997 x 1355 1.37 against 1.40, 1500 x 2500 5.40 against 5.47).
const TOUCH_BLOCK = 256;
// ... and tiles at least this many items along both sides (narrower ones read their long side in
// runs the prefetchers follow already: float32 81091 x 28 0.71x touched, 481 x 15 0.76x)
const TOUCH_MIN_EXTENT = 64;

/**
 * Sets `out.touch` (and, for larger tiles, `out.block`) for a tiled copy of `bytes` bytes whose
 * fast dims both step one item (`unitStrides`): the tiles of n0 x n1 `itemsize`-byte items,
 * destination rows `rowsDst` bytes apart along n0 and source rows `rowsSrc` apart along n1; the
 * last of chooseTileOptions' choices, since it reads the block and staging it made.
 */
function chooseTouch(
  out: TileOptions,
  itemsize: number,
  rowsDst: number,
  rowsSrc: number,
  n0: number,
  n1: number,
  bytes: number,
  unitStrides: boolean,
  tuning: CopyTuning,
): void {
  out.touch = false;
  if (tuning.touch != null) {
    out.touch = tuning.touch;
    return;
  }
  if (!unitStrides) return;
  if (touchTiles(itemsize, rowsDst, rowsSrc, n0, n1, bytes)) {
    // the kernel touches a tile whole when it lies within one block
    out.touch = Math.max(n0, n1) <= Math.abs(out.block);
    return;
  }
  if (
    itemsize === 4 &&
    bytes >= TOUCH_MIN_BYTES &&
    !out.staged &&
    Math.max(n0, n1) > TOUCH_BLOCK &&
    Math.min(n0, n1) >= TOUCH_MIN_EXTENT &&
    !fewCacheSets(Math.abs(rowsDst)) &&
    !fewCacheSets(Math.abs(rowsSrc))
  ) {
    out.touch = true;
    if (tuning.block === 0) out.block = TOUCH_BLOCK;
  }
}

/**
 * Whether a tiled copy of `bytes` bytes reads each tile in address order first (TILE_TOUCH):
 * tiles of n0 x n1 `itemsize`-byte items, whose destination rows are `rowsDst` bytes apart along
 * n0 and source rows `rowsSrc` apart along n1, both fast dims of unit stride.
 */
function touchTiles(
  itemsize: number,
  rowsDst: number,
  rowsSrc: number,
  n0: number,
  n1: number,
  bytes: number,
): boolean {
  const srcRow = n0 * itemsize;
  const dstRow = n1 * itemsize;
  const tile = srcRow * n1;
  return (
    bytes >= TOUCH_MIN_BYTES &&
    tile >= TOUCH_MIN_TILE_BYTES &&
    tile <= TOUCH_MAX_TILE_BYTES &&
    srcRow >= TOUCH_ROW_BYTES &&
    dstRow >= TOUCH_ROW_BYTES &&
    4 * Math.abs(rowsSrc) <= 5 * srcRow &&
    4 * Math.abs(rowsDst) <= 5 * dstRow
  );
}

// Tile edge in items: 256 for every item size (measured: docs/performance.md, "Tiling measurements").
const TILE_BLOCK = 256;
/**
 * Whether a tile whose rows start on cache lines on both sides (`d`, `s`: the row strides in
 * bytes) goes through the staging area (assembly/tile.ts, stagedTile), given its item size:
 * - 1-byte items: where either side's rows are near multiples of 2048 bytes (fewCacheSets);
 * - 2-byte items: where both sides' are and one side's are near multiples of 4096 bytes (16 rows in
 *   one set). An 8x8 micro-tile of 2-byte items touches only 8 rows, which rows 2048 bytes apart
 *   spread over two sets, so there the micro-tiles keep up: uint16 batches of 1024 x 1024
 *   transposed (rows 2048 bytes apart on both sides), 64 MiB, 23.4 ms against 31.4 staged; and
 *   a side whose rows are close together (128 or 512 bytes: a tile 64 or 256 items deep) loses
 *   1.8-2x staged. Best of 7, in alternation (2026-12-01), micro-tiles against staged: uint16
 *   4096 x 2048 transposed 3.77 ms against 2.49, 2048 x 2048 1.74 against 1.02, 4096 x 4096 8.36
 *   against 5.90, 8 x 2048 x 2048 axes (0, 2, 1) 15.6 against 11.4, 2048 x 1024 0.82 against
 *   0.41, 1024 x 4096 1.15 against 1.07.
 * Measured: docs/performance.md, "Tiling measurements".
 */
function stageTile(itemsize: number, d: number, s: number, n0: number, n1: number): boolean {
  if (itemsize === 1) return fewCacheSets(d) || fewCacheSets(s);
  // 16 rows in two sets at most on both sides and in one on a side: 3 sets or fewer between them.
  // Tiles narrower than 16 items on a side stay unstaged: every block of theirs would be a
  // partial one (uint16 8 x 2048, rows 4096 bytes apart: 17.6 µs unstaged, 23-27 staged; 16 x
  // 2048 level; 64 x 2048 31.5 against 60.5).
  return itemsize === 2 && Math.min(n0, n1) >= 16 && cacheSetsOf16Rows(d) + cacheSetsOf16Rows(s) <= 3;
}

// Staged tiles (assembly/tile.ts, stagedTile): edges of 512 read longer runs of each row.
const STAGED_TILE_BLOCK = 512;

// Grouped line-blocks on line-aligned rows (copies that fit in L2, see groupLineBlocks): 32 x 32
// blocks; rows off the lines keep 256, and so do larger copies of tiles that fit (batches).
const ALIGNED_GROUPED_TILE_BLOCK = 32;

// Rows near multiples of 2048 or 4096 bytes (fewCacheSets), tiles swept along the source's rows
// (arrays in DRAM, see sweepRowsFirst) whose row strides are both under 32 KiB: 512 x 512 blocks
// (512 loses at 32 KiB strides, 1024 at 16 KiB).
const WIDE_TILE_BLOCK = 512;
const WIDE_TILE_MAX_STRIDE = 2 ** 15;

// Other row strides, copies of 8 MiB and more: the widest edge of 1024, 512 and 256 items whose
// block keeps the rows it reads (or writes) within 12 MiB, counting an axis only where the edge
// cuts it (a tile only 64 items deep on one side is never cut there). In cache, wider blocks
// lose L1 reuse. Tiles swept down the columns take this rule too where rows sit near multiples
// of 2048 bytes, but 1- and 2-byte tiles whose rows do on both sides (2026-11-30, late; share of
// memcpy, 256 against 1024, 16-24 MiB: float32 source rows 2048 or 6144 bytes apart 25-28%
// against 32-37%, float64 27-31% against 34-35%, uint16 destination rows 4096 bytes apart 12-13%
// against 20-21%; uint16 4096 x 2048, rows 4096 and 8192 bytes apart, 17-18% against 10-11%).
// Measured: docs/performance.md, "Rows near multiples of 2048 bytes".
const SPAN_TILE_BLOCKS = [1024, 512];
export const TILE_SPAN_BYTES = 12 * 2 ** 20;
const SPAN_TILE_MIN_BYTES = 8 * 2 ** 20;

function tileBlock(
  staged: boolean,
  alignedGrouped: boolean,
  rowsFirst: boolean,
  rowsDst: number,
  rowsSrc: number,
  n0: number,
  n1: number,
  bytes: number,
  itemsize: number,
): number {
  if (staged) return STAGED_TILE_BLOCK;
  if (alignedGrouped) return ALIGNED_GROUPED_TILE_BLOCK;
  const d = Math.abs(rowsDst);
  const s = Math.abs(rowsSrc);
  if (
    bytes < SPAN_TILE_MIN_BYTES ||
    (rowsFirst ? fewCacheSets(d) || fewCacheSets(s) : itemsize < 4 && fewCacheSets(d) && fewCacheSets(s))
  ) {
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
// round. Equal distances (square transposes): along the rows once the operands live in DRAM
// (ROWS_FIRST_BYTES), but where 16 rows fall into one L1 set, down the columns, except 4-byte
// items whose rows are exact multiples of 4096 bytes. Best of 9-11 in alternation, 2-5 processes
// (2026-12-01, later), old (along the rows) over new: float64 2048 x 2048 1.19-1.33x, 1536 x 1536
// 1.50-1.86x, 2560 x 2560 1.34-1.42x, 3072 x 3072 1.17-1.47x, 4096 x 4096 1.06x, batches of
// 1024 x 1024 and 2048 x 2048 1.22-1.56x; float32 rows 4 bytes past a multiple of 4096 (2049,
// 3073, 4097 square, batches of 2049 x 2049) 1.31-1.44x; float32 exact multiples (3072, 4096,
// batches of 2048 x 2048) 0.83-1.12x, mostly under 1x, so those stay; rows in two sets: float32
// 2560 x 2560 and float64 2049 x 2049 0.90-0.93x, float32 4095 x 4095 1.15x, so those stay too.
// Wider items on one set take the columns as well: 12-byte items (float32 RGB pixels) 2048 x 2048
// 1.91-2.01x, 16-byte ones (complex128) 2048 x 2048 and 1536 x 1536 0.99-1.04x (three processes).
// The old sweep had a fast mode for float64 2048 x 2048 in some processes (2.5-2.6 ms, in 3 of 8
// tune-layout processes, against 3.9-4.2 in the others); the columns' 2.9-3.4 ms held in all 8.
// Copies of 8 MiB and more whose rows are not near multiples of 2048 bytes go along the rows
// until the destination's rows are ROWS_FIRST_RATIO times as far apart as the source's. Destination rows near multiples of 4096 bytes (their lines of a line-block in one L1
// set, fewer than the source's) go down the columns, which writes the next line of the same rows
// at each step; so do 4- and 8-byte tiles whose destination rows fall into two sets (odd
// multiples of 2048 bytes) in copies under 8 MiB, but from 8 MiB those go by the rules after
// (along the rows where the destination's rows are the closer: float32 rows 2048, 6144 or 10240
// bytes apart, 16 MiB, 31-35% of memcpy against 18-21% down the columns; float64 37-38% against
// 22-23%; rows 4096 bytes apart, one set, down the columns 23-27% against 9-10%). RGB pixels of
// 1- and 2-byte channels (3- and 6-byte items, assembly/tile3.ts) go along the rows: as fast or
// faster in every layout measured, up to 2.5x (4K uint8 RGB rotated: 3.2 ms against 6.9; uint16
// 1920 x 1080: 1.5 against 3.9). Measured: docs/performance.md, "Tiling measurements", "Items of
// other sizes" and "Rows near multiples of 2048 bytes".
const ROWS_FIRST_BYTES = 16 * 2 ** 20;
const ROWS_FIRST_RATIO = 4;

function sweepRowsFirst(dstRows: number, srcRows: number, bytes: number, itemsize: number): boolean {
  if (itemsize === 3 || itemsize === 6) return true;
  const d = Math.abs(dstRows);
  const s = Math.abs(srcRows);
  if (itemsize < 4) {
    // micro-tiles (unstaged: rows not on cache lines) write or read a quarter of a line of each
    // of their rows: the crowded side keeps its rows from step to step
    if (fewCacheSets(d)) return false;
    if (fewCacheSets(s)) return true;
  }
  if (
    d !== s &&
    fewCacheSets(d) &&
    cacheSetsOf16Rows(s) > cacheSetsOf16Rows(d) &&
    (cacheSetsOf16Rows(d) < 2 || bytes < SPAN_TILE_MIN_BYTES)
  )
    return false;
  if (d !== s && bytes >= SPAN_TILE_MIN_BYTES && !fewCacheSets(d) && !fewCacheSets(s)) return d < ROWS_FIRST_RATIO * s;
  return d !== s ? d < s : bytes > ROWS_FIRST_BYTES && (cacheSetsOf16Rows(d) > 1 || (itemsize === 4 && d % 4096 === 0));
}

/**
 * Whether 4-byte line-blocks should go one 16-byte column at a time (TILE_GROUPED), given the
 * tile's row strides (`lineRows`: both multiples of 64 bytes), the distance from source to
 * destination and the bytes of one tile. A grouped block writes each destination line whole but
 * reads each source line in four visits, so the source lines must stay in L1 between them.
 * - Rows that do not start on cache lines: grouped blocks win, except with row strides near a
 *   multiple of 4096 bytes (fewCacheSets) when the two bases are close modulo 4096 (large blocks
 *   are coloured apart, see malloc() in src/wasm/heap.ts, but not every operand comes from
 *   there): the source and destination lines of a block then crowd into the same few sets, and
 *   grouped blocks run 2-3x slower. Those keep whole lines.
 * - Rows on cache lines: grouped blocks win while the tile fits in L2 (CACHED_GROUPED_BYTES) and
 *   16 source rows span more than one set, and lose otherwise. The tile, not the copy: float32
 *   transposes in batches of 64 x 64 to 512 x 512 (16 MiB, axes (0, 2, 1)) 1.3-1.8 ms grouped
 *   against 2.0-3.1 (2026-11-30, late); 8 of 1024 x 1024, 4 MiB a tile, 10.2 against 4.4.
 * Measured: docs/performance.md, "Tiling measurements".
 */
function groupLineBlocks(lineRows: boolean, dstRows: number, srcRows: number, delta: number, bytes: number): boolean {
  if (lineRows) return bytes <= CACHED_GROUPED_BYTES && cacheSetsOf16Rows(srcRows) > 1;
  if (!fewCacheSets(dstRows) && !fewCacheSets(srcRows)) return true;
  const d = ((delta % 4096) + 4096) % 4096;
  return Math.min(d, 4096 - d) >= 512;
}
const CACHED_GROUPED_BYTES = 2 ** 20;

/** How many 64-byte positions of a 4 KiB page (L1 sets) 16 consecutive rows `stride` bytes apart start in. */
function cacheSetsOf16Rows(stride: number): number {
  // the 64 positions as two 32-bit masks: no allocation (the planner asks up to six times a plan)
  let lo = 0;
  let hi = 0;
  for (let r = 0; r < 16; r++) {
    const set = Math.floor(((((r * stride) % 4096) + 4096) % 4096) / 64);
    if (set < 32) lo |= 1 << set;
    else hi |= 1 << (set - 32);
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
 * staging area each line moves once. Other strides lose by staging, and so do rows that do not
 * start on cache lines, where the staged grid cannot line up, so only line-aligned rows with
 * these strides are staged. Measured: docs/performance.md, "Tiling measurements".
 */
function fewCacheSets(stride: number): boolean {
  return cacheSetsOf16Rows(stride) <= 2;
}
