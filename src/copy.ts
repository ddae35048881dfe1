// The copy planner: every strided copy in the library (tobytes, GetContiguous, ToContiguous,
// FromContiguous, CopyData, slice assignment, NDArray) goes through copyStrided(), which
// simplifies the layout, picks a kernel and handles overlap.
//
// Planning, in order (as numpy's PyArray_PrepareTwoRawArrayIter, plus tiling):
//   1. drop extent-1 dims (they move no pointer);
//   2. flip dims whose strides are negative on both sides (start at the other end);
//   3. sort dims by |dst stride|, then |src stride|, outermost first;
//   4. merge neighbours that are contiguous on both sides (stride_outer == stride_inner * n);
//   5. fold an innermost run that is contiguous on both sides into the item;
// then dispatch: nothing left -> one memory.copy; the source's fastest dim is the destination's
// -> strided rows (assembly/strided.ts); otherwise -> cache-blocked tiles over the two fastest
// dims (assembly/tile.ts, SIMD in-register transposes). Suboffsets walk their indirect dims in
// Wasm and run the plain dims after them as a planned copy. A destination whose items overlap
// each other keeps CPython's exact visiting order: the reference kernel (assembly/copy.ts).
import { Py_buffer, checkReach, contiguousStrides, reachableRange } from './buffer.js';
import { BufferError } from './errors.js';
import {
  free, heapI32, heapU8, heapView, malloc, ownedRange, runtimeInfo, scratch, scratchAvailable, wasm,
} from './wasm/runtime.js';
import { parallelHooks, type PlanExecutor } from './wasm/parallel.js';

/** One side of a strided copy: the address of item [0, ..., 0], strides and suboffsets. */
export interface StridedOperand {
  readonly buf: number;
  readonly strides: readonly number[];
  readonly suboffsets: readonly number[] | null;
}

/** C strides (order 'C' or 'A') or Fortran strides ('F') for a contiguous block. */
export function contiguousOperand(buf: number, ndim: number, shape: readonly number[], itemsize: number,
  order: string): StridedOperand {
  return { buf, strides: contiguousStrides(ndim, shape, itemsize, order), suboffsets: null };
}

/** The kernel a plan runs: one memory.copy, strided rows, or tiles over the inner two dims. */
export type CopyKind = 'bytes' | 'rows' | 'tile';

/** A simplified copy without suboffsets: what copyStrided hands to the Wasm executor. */
export interface CopyPlan {
  kind: CopyKind;
  /** Bytes moved per item (after folding contiguous inner runs into the item). */
  itemsize: number;
  dst: number;
  src: number;
  /** Outermost dim first; for 'tile' the last two are (source-fastest, destination-fastest). */
  shape: number[];
  dstStrides: number[];
  srcStrides: number[];
  /** Tile edge in items ('tile' only). */
  block: number;
  /** 'tile' only: sweep each block along the source's rows (assembly/tile.ts, TILE_ROWS_FIRST). */
  rowsFirst: boolean;
  /** 'tile' only: 1-byte items go through an 8 KiB staging area (assembly/tile.ts, stage64). */
  staged: boolean;
  /** 'tile' only: 4-byte line-blocks one 16-byte column at a time (assembly/tile.ts, TILE_GROUPED). */
  grouped: boolean;
}

const KIND_CODES: Record<CopyKind, number> = { bytes: 0, rows: 1, tile: 2 };
const PLAN_HEADER = 8;
const TILE_ROWS_FIRST = 1;
const TILE_GROUPED = 2;
// the staging area of 1-byte tiles: 8 KiB, 64-byte aligned, after the plan in the scratch area
const STAGE_BYTES = 8192;
const STAGE_WORDS = (STAGE_BYTES + 64) / 4;
const INDIRECT_HEADER = 4;

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
let blockOverride = 0;

/** Forces the tile edge (0: the measured default; negative: micro-tiles only); for bench tuners. */
export function setTileBlockForTuning(block: number): void {
  blockOverride = block;
}

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
  if (blockOverride !== 0) return blockOverride;
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
let rowsFirstOverride: boolean | null = null;
let stagedOverride: boolean | null = null;
let groupedOverride: boolean | null = null;

/** Forces the tile sweep, the staging of 1-byte tiles and grouped 4-byte line-blocks (null: the planner's choice); for bench tuners. */
export function setTileOptionsForTuning(options: {
  rowsFirst?: boolean | null; staged?: boolean | null; grouped?: boolean | null;
}): void {
  if (options.rowsFirst !== undefined) rowsFirstOverride = options.rowsFirst;
  if (options.staged !== undefined) stagedOverride = options.staged;
  if (options.grouped !== undefined) groupedOverride = options.grouped;
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
 *   apart, see malloc() in src/wasm/runtime.ts, but not every operand comes from there), and
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

interface Dim { n: number; ds: number; ss: number }

/**
 * Plans a copy of `ndim` dims of extents `shape` between two plain (suboffset-free) operands,
 * from `src` to `dst`. Pure: writes nothing. Extents must be non-zero.
 */
export function copyPlan(ndim: number, itemsize: number, shape: readonly number[], dst: number,
  dstStrides: readonly number[], src: number, srcStrides: readonly number[]): CopyPlan {
  const dims: Dim[] = [];
  for (let i = 0; i < ndim; i++) {
    const n = shape[i];
    if (n === 1) continue;
    let ds = dstStrides[i];
    let ss = srcStrides[i];
    if (ds < 0 && ss < 0) {
      dst += ds * (n - 1);
      src += ss * (n - 1);
      ds = -ds;
      ss = -ss;
    }
    dims.push({ n, ds, ss });
  }
  // stable sort, outermost (largest |dst stride|) first
  dims.sort((a, b) => (Math.abs(b.ds) - Math.abs(a.ds)) || (Math.abs(b.ss) - Math.abs(a.ss)));
  const merged: Dim[] = [];
  for (const d of dims) {
    const outer = merged[merged.length - 1];
    if (outer !== undefined && outer.ds === d.ds * d.n && outer.ss === d.ss * d.n) {
      merged[merged.length - 1] = { n: outer.n * d.n, ds: d.ds, ss: d.ss };
    } else {
      merged.push({ ...d });
    }
  }
  const last = merged[merged.length - 1];
  if (last !== undefined && last.ds === itemsize && last.ss === itemsize) {
    itemsize *= last.n;
    merged.pop();
  }
  const plan: CopyPlan = {
    kind: 'bytes', itemsize, dst, src, shape: [], dstStrides: [], srcStrides: [], block: 0, rowsFirst: false,
    staged: false, grouped: false,
  };
  if (merged.length === 0) return plan;
  // the source's fastest dim; on a tie the destination's fastest wins (no tile needed)
  let k = merged.length - 1;
  for (let i = merged.length - 2; i >= 0; i--) {
    if (Math.abs(merged[i].ss) < Math.abs(merged[k].ss)) k = i;
  }
  // The kernels step forwards along each side's fastest dim: a dim walked backwards there is
  // walked from its other end on both sides (items are disjoint, so the order cannot show). A
  // rotation by 90 degrees reads its source rows backwards: flipped, it is a plain transpose
  // into destination rows visited backwards.
  const forwards = (d: Dim, bySource: boolean): void => {
    if ((bySource ? d.ss : d.ds) >= 0) return;
    plan.dst += d.ds * (d.n - 1);
    plan.src += d.ss * (d.n - 1);
    d.ds = -d.ds;
    d.ss = -d.ss;
  };
  if (k === merged.length - 1) {
    plan.kind = 'rows';
    forwards(merged[k], false);
  } else {
    plan.kind = 'tile';
    const [fast] = merged.splice(k, 1);
    merged.splice(merged.length - 1, 0, fast);
    forwards(fast, true);
    forwards(merged[merged.length - 1], false);
    let bytes = itemsize;
    for (const d of merged) bytes *= d.n;
    // the tile's row strides: the destination's along the source-fastest dim, the source's along the other
    const rowsDst = merged[merged.length - 2].ds;
    const rowsSrc = merged[merged.length - 1].ss;
    plan.rowsFirst = rowsFirstOverride ?? sweepRowsFirst(rowsDst, rowsSrc, bytes, itemsize);
    const lineRows = rowsDst % 64 === 0 && rowsSrc % 64 === 0;
    plan.staged = stagedOverride ?? (itemsize === 1 && lineRows && (fewCacheSets(rowsDst) || fewCacheSets(rowsSrc)));
    plan.grouped = groupedOverride ?? (itemsize === 4 && groupLineBlocks(lineRows, rowsDst, rowsSrc, plan.dst - plan.src, bytes));
    const n0 = merged[merged.length - 2].n;
    const n1 = merged[merged.length - 1].n;
    plan.block = tileBlock(plan.staged, plan.grouped && lineRows, plan.rowsFirst, rowsDst, rowsSrc, n0, n1, bytes);
  }
  for (const d of merged) {
    plan.shape.push(d.n);
    plan.dstStrides.push(d.ds);
    plan.srcStrides.push(d.ss);
  }
  return plan;
}

/** Writes `plan` (layout in assembly/plan.ts) at word index `w` of linear memory. */
function writePlan(words: Int32Array, w: number, plan: CopyPlan, stage: number): void {
  const ndim = plan.shape.length;
  words[w] = KIND_CODES[plan.kind];
  words[w + 1] = ndim;
  words[w + 2] = plan.itemsize;
  words[w + 3] = plan.dst;
  words[w + 4] = plan.src;
  words[w + 5] = plan.block;
  words[w + 6] = (plan.rowsFirst ? TILE_ROWS_FIRST : 0) | (plan.grouped ? TILE_GROUPED : 0);
  words[w + 7] = stage;
  const base = w + PLAN_HEADER;
  for (let i = 0; i < ndim; i++) {
    words[base + i] = plan.shape[i];
    words[base + ndim + i] = plan.dstStrides[i];
    words[base + 2 * ndim + i] = plan.srcStrides[i];
  }
}

/** The 32-bit words a plan takes in linear memory. */
function planWords(plan: CopyPlan): number {
  return PLAN_HEADER + 3 * plan.shape.length;
}

/**
 * The scratch words a staged plan needs after the `used` words before it: 0 when it is not staged,
 * the build has no SIMD (no staged kernel) or an attached realm's scratch block is too small (the
 * kernel then runs unstaged).
 */
function stageWords(plan: CopyPlan, used: number): number {
  if (!plan.staged || !runtimeInfo().simd) return 0;
  return scratchAvailable(used + STAGE_WORDS) ? STAGE_WORDS : 0;
}

/** The staging area's address in a scratch area at `ptr` whose first `used` words hold plans; 0: none. */
function stageAddress(plan: CopyPlan, ptr: number, used: number): number {
  if (stageWords(plan, used) === 0) return 0;
  return (ptr + 4 * used + 63) & ~63;
}

/** Runs a plan through the Wasm executor; split across the runtime's threads when it is large (src/wasm/threads.ts). */
export function runCopyPlan(plan: CopyPlan): void {
  const hooks = parallelHooks();
  if (hooks !== null && hooks.runParallel(plan, EXECUTOR)) return;
  runCopyPlanHere(plan);
}

/**
 * Copies `n` contiguous bytes from `src` to `dst` (memmove): a 'bytes' plan split across the
 * runtime's threads when it is large, TypedArray.copyWithin otherwise (no call into Wasm).
 */
export function copyContiguous(dst: number, src: number, n: number): void {
  const hooks = parallelHooks();
  if (hooks !== null && hooks.runParallel({
    kind: 'bytes', itemsize: n, dst, src, shape: [], dstStrides: [], srcStrides: [], block: 0, rowsFirst: false,
    staged: false, grouped: false,
  }, EXECUTOR)) return;
  heapU8().copyWithin(dst, src, src + n);
}

/** Runs a plan through this thread's Wasm executor. */
function runCopyPlanHere(plan: CopyPlan): void {
  if (plan.kind === 'bytes') {
    wasm().copyBytes(plan.dst, plan.src, plan.itemsize);
    return;
  }
  const words = planWords(plan);
  const ptr = scratch(words + stageWords(plan, words));
  writePlan(heapI32(), ptr >>> 2, plan, stageAddress(plan, ptr, words));
  wasm().copyPlanned(ptr);
}

/** Writes `plan` (any kind) at `ptr` for another thread's executor, with `stage` as its staging area's address. */
function writePlanAt(plan: CopyPlan, ptr: number, stage: number): void {
  writePlan(heapI32(), ptr >>> 2, plan, stage);
}

/** How the thread machinery runs this module's plans (handed over with each plan: src/wasm/parallel.ts). */
const EXECUTOR: PlanExecutor = { planWords, runHere: runCopyPlanHere, writeAt: writePlanAt };

/** Runs the reference scalar kernel (assembly/copy.ts): CPython's visiting order, no planning. */
export function copyStridedReference(ndim: number, itemsize: number, shape: readonly number[], dst: StridedOperand,
  src: StridedOperand): void {
  const plan = scratch(4 + 5 * ndim);
  const words = heapI32();
  const w = plan >>> 2;
  words[w] = ndim;
  words[w + 1] = itemsize;
  words[w + 2] = dst.buf;
  words[w + 3] = src.buf;
  writeDims(words, w + 4, ndim, shape, dst, src);
  wasm().copy(plan);
}

/**
 * Writes the per-dimension arrays both the reference kernel and the suboffset walk read:
 * shape[n], dst strides[n], src strides[n], dst suboffsets[n], src suboffsets[n] (-1: none).
 */
function writeDims(words: Int32Array, at: number, n: number, shape: readonly number[], dst: StridedOperand,
  src: StridedOperand): void {
  for (let i = 0; i < n; i++) {
    words[at + i] = shape[i];
    words[at + n + i] = dst.strides[i];
    words[at + 2 * n + i] = src.strides[i];
    words[at + 3 * n + i] = dst.suboffsets === null ? -1 : dst.suboffsets[i];
    words[at + 4 * n + i] = src.suboffsets === null ? -1 : src.suboffsets[i];
  }
}

/** BufferError unless every pointer table and sub-array an indirect operand reaches lies in the heap. */
function checkIndirectOperand(ndim: number, itemsize: number, shape: readonly number[], op: StridedOperand): void {
  if (op.suboffsets === null) return;
  const view = new Py_buffer();
  view.buf = op.buf;
  view.ndim = ndim;
  view.itemsize = itemsize;
  view.shape = shape as number[];
  view.strides = op.strides as number[];
  view.suboffsets = op.suboffsets as number[];
  checkReach(view, (what) => { throw new BufferError(`copy through suboffsets refused: ${what}`); });
}

/** The number of leading dims that hold an indirection on either side (0: none). */
function indirectDims(ndim: number, dst: StridedOperand, src: StridedOperand): number {
  for (let i = ndim - 1; i >= 0; i--) {
    if ((dst.suboffsets !== null && dst.suboffsets[i] >= 0) || (src.suboffsets !== null && src.suboffsets[i] >= 0)) {
      return i + 1;
    }
  }
  return 0;
}

/**
 * The plain operand that an operand indirect in dim 0 alone is when its pointers step by a constant
 * (row i at row 0 + i * step: the rows of one allocation, as a PIL image in one block has), or
 * null. A plain operand is returned as it is. Checks for itself, from the pointers it read, that
 * the table and every byte the plain operand reaches lie inside one live block each (null if not).
 */
function steppedOperand(ndim: number, itemsize: number, shape: readonly number[], op: StridedOperand): StridedOperand | null {
  if (op.suboffsets === null || op.suboffsets[0] < 0) return op;
  const n = shape[0];
  const stride = op.strides[0];
  const [tlo, thi] = reachableRange(op.buf, 1, 4, shape, op.strides);
  if (!ownedRange(tlo, thi)) return null;
  const dv = heapView();
  const first = dv.getUint32(op.buf, true);
  const step = n > 1 ? dv.getUint32(op.buf + stride, true) - first : 0;
  for (let i = 2, at = op.buf + 2 * stride; i < n; i++, at += stride) {
    if (dv.getUint32(at, true) !== first + i * step) return null;
  }
  const strides = op.strides.slice(0, ndim);
  strides[0] = step;
  const buf = first + op.suboffsets[0];
  const [lo, hi] = reachableRange(buf, ndim, itemsize, shape, strides);
  if (!(lo >= 0 && ownedRange(lo, hi))) return null;
  return { buf, strides, suboffsets: null };
}

/**
 * Runs a copy whose only indirect dim is dim 0, and whose pointer tables step by a constant, as
 * the plain strided copy it is: one memory.copy for rows that follow each other, where the walk
 * costs a memory.copy per row (1024 rows of 4 KiB: ~90 µs against ~155), tiles for a transposing
 * order. Only when no byte is both read and written and none is written twice, so that the order
 * of the writes cannot show; false (nothing copied) when it does not apply.
 */
function copyStepped(ndim: number, itemsize: number, shape: readonly number[], dst: StridedOperand,
  src: StridedOperand): boolean {
  const d = steppedOperand(ndim, itemsize, shape, dst);
  if (d === null) return false;
  const s = steppedOperand(ndim, itemsize, shape, src);
  if (s === null) return false;
  const [dlo, dhi] = reachableRange(d.buf, ndim, itemsize, shape, d.strides);
  const [slo, shi] = reachableRange(s.buf, ndim, itemsize, shape, s.strides);
  if (dlo < shi && slo < dhi) return false;
  if (!itemsDisjoint(ndim, itemsize, shape, d.strides)) return false;
  runCopyPlan(copyPlan(ndim, itemsize, shape, d.buf, d.strides, s.buf, s.strides));
  return true;
}

/** The suboffset path: Wasm walks dims [0, prefix) through the pointers, then runs the planned tail. */
function copyIndirect(ndim: number, prefix: number, itemsize: number, shape: readonly number[], dst: StridedOperand,
  src: StridedOperand): void {
  if (prefix === 1 && copyStepped(ndim, itemsize, shape, dst, src)) return;
  const tailShape = shape.slice(prefix);
  // the tail is planned once with base 0 on both sides: its dst/src become offsets from each row
  const tail = copyPlan(ndim - prefix, itemsize, tailShape, 0, dst.strides.slice(prefix), 0, src.strides.slice(prefix));
  const head = INDIRECT_HEADER + 5 * prefix;
  const used = head + planWords(tail);
  const ptr = scratch(used + stageWords(tail, used));
  const words = heapI32();
  const w = ptr >>> 2;
  words[w] = prefix;
  words[w + 1] = ptr + 4 * head;
  words[w + 2] = dst.buf;
  words[w + 3] = src.buf;
  writeDims(words, w + 4, prefix, shape, dst, src);
  writePlan(words, w + head, tail, stageAddress(tail, ptr, used));
  wasm().copyIndirect(ptr);
}

/** Whether no two items of the operand share a byte (else the visiting order is observable). */
function itemsDisjoint(ndim: number, itemsize: number, shape: readonly number[], strides: readonly number[]): boolean {
  const dims: Array<[number, number]> = [];
  for (let i = 0; i < ndim; i++) if (shape[i] > 1) dims.push([Math.abs(strides[i]), shape[i]]);
  dims.sort((a, b) => a[0] - b[0]);
  let span = itemsize;
  for (const [stride, n] of dims) {
    if (stride < span) return false;
    span = stride * (n - 1) + span;
  }
  return true;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Whether the copy may read a byte after writing it: the byte ranges intersect and the items do
 * not interleave on a common lattice (x[::2] = x[1::2] interleaves, so it needs no temporary).
 */
function needsTemporary(ndim: number, itemsize: number, shape: readonly number[], dst: StridedOperand,
  src: StridedOperand): boolean {
  const [alo, ahi] = reachableRange(dst.buf, ndim, itemsize, shape, dst.strides);
  const [blo, bhi] = reachableRange(src.buf, ndim, itemsize, shape, src.strides);
  if (!(alo < bhi && blo < ahi)) return false;
  let g = 0;
  for (let i = 0; i < ndim; i++) {
    if (shape[i] > 1) g = gcd(gcd(g, Math.abs(dst.strides[i])), Math.abs(src.strides[i]));
  }
  if (g === 0) return true;
  const d = (((dst.buf - src.buf) % g) + g) % g;
  return !(d >= itemsize && g - d >= itemsize);
}

function sameItems(ndim: number, shape: readonly number[], dst: StridedOperand, src: StridedOperand): boolean {
  if (dst.buf !== src.buf) return false;
  for (let i = 0; i < ndim; i++) if (shape[i] > 1 && dst.strides[i] !== src.strides[i]) return false;
  return true;
}

/**
 * Copies the items of `src` into `dest`; both have `ndim` dimensions of extents `shape` and
 * items of `itemsize` bytes. Overlap-safe: when the two really share bytes, the source is first
 * gathered into a temporary. The caller has checked every bound; `disjoint` says it knows the
 * operands share no byte.
 */
export function copyStrided(ndim: number, itemsize: number, shape: readonly number[], dest: StridedOperand,
  src: StridedOperand, disjoint = false): void {
  for (let i = 0; i < ndim; i++) if (shape[i] === 0) return;
  if (itemsize === 0) return;
  const prefix = indirectDims(ndim, dest, src);
  if (prefix > 0) {
    // Pointer tables are plain memory that may have changed since the view was checked:
    // follow them once more before the kernel does, and refuse any that lead outside the heap.
    checkIndirectOperand(ndim, itemsize, shape, dest);
    checkIndirectOperand(ndim, itemsize, shape, src);
    // through suboffsets the addresses are data-dependent: unless told otherwise, stage
    if (!disjoint) {
      copyThroughTemporary(ndim, itemsize, shape, dest, src);
      return;
    }
    if (!itemsDisjoint(ndim - prefix, itemsize, shape.slice(prefix), dest.strides.slice(prefix))) {
      copyStridedReference(ndim, itemsize, shape, dest, src);
      return;
    }
    copyIndirect(ndim, prefix, itemsize, shape, dest, src);
    return;
  }
  if (!itemsDisjoint(ndim, itemsize, shape, dest.strides)) {
    // e.g. a zero stride: the last write wins, so keep CPython's order of writes
    if (!disjoint && needsTemporary(ndim, itemsize, shape, dest, src)) {
      copyThroughTemporary(ndim, itemsize, shape, dest, src);
      return;
    }
    copyStridedReference(ndim, itemsize, shape, dest, src);
    return;
  }
  if (!disjoint && needsTemporary(ndim, itemsize, shape, dest, src)) {
    if (sameItems(ndim, shape, dest, src)) return; // every item onto itself
    const plan = copyPlan(ndim, itemsize, shape, dest.buf, dest.strides, src.buf, src.strides);
    if (plan.kind === 'bytes') {
      runCopyPlan(plan); // memory.copy is memmove
      return;
    }
    copyThroughTemporary(ndim, itemsize, shape, dest, src);
    return;
  }
  runCopyPlan(copyPlan(ndim, itemsize, shape, dest.buf, dest.strides, src.buf, src.strides));
}

function copyThroughTemporary(ndim: number, itemsize: number, shape: readonly number[], dest: StridedOperand,
  src: StridedOperand): void {
  let nbytes = itemsize;
  for (let i = 0; i < ndim; i++) nbytes *= shape[i];
  const tmp = malloc(nbytes);
  try {
    const staged = contiguousOperand(tmp, ndim, shape, itemsize, 'C');
    copyStrided(ndim, itemsize, shape, staged, src, true);
    copyStrided(ndim, itemsize, shape, dest, staged, true);
  } finally {
    free(tmp);
  }
}
