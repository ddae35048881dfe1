// The copy planner's simplifier: every strided copy in the library (tobytes, GetContiguous,
// ToContiguous, FromContiguous, CopyData, slice assignment, NDArray) goes through copyStrided()
// (src/copy/dispatch.ts), which hands each plain copy to copyPlan() here.
//
// Planning, in order (as numpy's PyArray_PrepareTwoRawArrayIter, plus tiling):
//   1. drop extent-1 dims (they move no pointer);
//   2. flip dims whose strides are negative on both sides (start at the other end);
//   3. sort dims by |dst stride|, then |src stride|, outermost first;
//   4. merge neighbours that are contiguous on both sides (stride_outer == stride_inner * n);
//   5. fold an innermost run that is contiguous on both sides into the item;
// then pick the kernel: nothing left -> one memory.copy; the source's fastest dim is the destination's,
// or the two would make a tile under 16 bytes a side -> strided rows (assembly/strided.ts);
// otherwise -> cache-blocked tiles over the two fastest dims (assembly/tile.ts, SIMD in-register
// transposes; a source-fastest dim under 16 bytes may go outside, the copy then walked as rows or
// tiled by the source dim that steps next: narrowTileDim), with the options of src/copy/tiling.ts.
import { contiguousStrides } from '../wasm32.js';
import { DEFAULT_COPY_TUNING, TILE_SPAN_BYTES, chooseTileOptions, type CopyTuning } from './tiling.js';

/** One side of a strided copy: the address of item [0, ..., 0], strides and suboffsets. */
export interface StridedOperand {
  readonly buf: number;
  readonly strides: readonly number[];
  readonly suboffsets: readonly number[] | null;
}

/** C strides (order 'C' or 'A') or Fortran strides ('F') for a contiguous block. */
export function contiguousOperand(
  buf: number,
  ndim: number,
  shape: readonly number[],
  itemsize: number,
  order: string,
): StridedOperand {
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
  /**
   * 'tile' only: an 8 KiB staging area for the kernel: 1- and 2-byte items transposed through it
   * (assembly/tile.ts, stagedTile), or 1-byte items of a source stepping 2 or 3 gathered into it
   * (steppedStaged).
   */
  staged: boolean;
  /** 'tile' only: 4-byte line-blocks one 16-byte column at a time (assembly/tile.ts, TILE_GROUPED). */
  grouped: boolean;
  /** 'tile' only: each tile's lines read in address order before it is moved (assembly/tile.ts, TILE_TOUCH). */
  touch: boolean;
}

/** A plan of kind 'bytes': one memmove of `n` bytes. */
export function bytesPlan(dst: number, src: number, n: number): CopyPlan {
  return {
    kind: 'bytes',
    itemsize: n,
    dst,
    src,
    shape: [],
    dstStrides: [],
    srcStrides: [],
    block: 0,
    rowsFirst: false,
    staged: false,
    grouped: false,
    touch: false,
  };
}

/** Tiles with fewer bytes than this along both sides are planned as rows (see copyPlan). */
const TINY_TILE_BYTES = 16;

/** Rows whose source spans fewer bytes are read in the direction their outer dims go (see copyPlan). */
const SHORT_ROW_SPAN = 4096;

interface Dim {
  n: number;
  ds: number;
  ss: number;
}

/**
 * The dim to pair with the destination's fastest (last in `merged`) when the source's fastest,
 * `k`, spans under 16 bytes and the destination's fastest more: the few channels of pixels,
 * written as planes. Such a narrow tile reads each pixel's channels in one visit (item by item;
 * uint8 a vector a pixel), under an outer loop for each pixel. Where another dim steps less in
 * the source, k goes outside instead, one pass over the pixels for each channel, where the
 * kernel of that pass is faster:
 * - the destination's fastest itself (the pixels along the destination's rows, reversed or with
 *   gaps: `img[:, ::-1].transpose(2, 0, 1)`): rows, where the pixels step 2 or 3 items (the
 *   SIMD gathers). Packed pixels forwards keep the tile (the channel kernels, far ahead).
 * - another dim (k2, the pixels of an image rotated into planes): tiles of k2 and the
 *   destination's fastest (stepped tiles), for uint8 pixels 2 or 3 bytes apart (the stepped
 *   tiles' SIMD gathers; at 4 bytes and more the narrow tile's vector a pixel is ahead: RGBA
 *   rotated into planes 2.4 ms against 6.0); for wider items, whose narrow tiles go item by item,
 *   where the passes visit fewer source lines than the pixels did, by a margin that grows with
 *   the item size (n(k) * min(step, 64) <= 16 * itemsize, in bytes), and the lines of one pass
 *   fit in 12 MiB (the passes after the first then read from the L3) or each pass uses more than
 *   half of every pixel's bytes.
 * Random views that either plan could take (bench/cliffs.ts's draw), timed both ways: rows, 91
 * views over 15 seeds, a geometric mean of 2.6x (0.93-8.8x); tiles, 287 over 22 seeds, 1.9x
 * (0.53-10.9x; 14 slower than 0.9x). uint8 RGB 1920 x 1080 flipped into planes: 0.35 ms, was 1.5
 * (numpy 1.5); rotated into planes: 0.67, was 2.1 (numpy 2.8). Measured: docs/performance.md,
 * "Narrow tiles: their pixels as rows or tiles".
 */
function narrowTileDim(merged: readonly Dim[], k: number, itemsize: number): number {
  const f = merged.length - 1;
  const d = merged[f];
  const n = merged[k].n;
  // the dim other than k that steps least in the source; the destination's fastest on a tie
  let k2 = f;
  let s = Math.abs(d.ss);
  for (let i = f - 1; i >= 0; i--) {
    const step = Math.abs(merged[i].ss);
    if (i !== k && step < s) {
      k2 = i;
      s = step;
    }
  }
  if (k2 === f) {
    // (pixels of 4 items and 3 of 4 step more than 3 items anyway)
    const packed = Math.abs(merged[k].ss) === itemsize && d.ss * d.ds > 0 && s === n * itemsize;
    return !packed && s <= 3 * itemsize ? f : k;
  }
  const line = Math.min(s, 64);
  const taken =
    itemsize === 1
      ? s <= 3
      : n * line <= 16 * itemsize && (d.n * merged[k2].n * line <= TILE_SPAN_BYTES || 2 * n * itemsize > s);
  return taken ? k2 : k;
}

/**
 * Plans a copy of `ndim` dims of extents `shape` between two plain (suboffset-free) operands,
 * from `src` to `dst`. Pure: writes nothing. Extents must be non-zero. `tuning` forces tile
 * choices (src/copy/tiling.ts).
 */
export function copyPlan(
  ndim: number,
  itemsize: number,
  shape: readonly number[],
  dst: number,
  dstStrides: readonly number[],
  src: number,
  srcStrides: readonly number[],
  tuning: CopyTuning = DEFAULT_COPY_TUNING,
): CopyPlan {
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
  dims.sort((a, b) => Math.abs(b.ds) - Math.abs(a.ds) || Math.abs(b.ss) - Math.abs(a.ss));
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
    kind: 'bytes',
    itemsize,
    dst,
    src,
    shape: [],
    dstStrides: [],
    srcStrides: [],
    block: 0,
    rowsFirst: false,
    staged: false,
    grouped: false,
    touch: false,
  };
  if (merged.length === 0) return plan;
  // the source's fastest dim; on a tie the destination's fastest wins (no tile needed)
  let k = merged.length - 1;
  for (let i = merged.length - 2; i >= 0; i--) {
    if (Math.abs(merged[i].ss) < Math.abs(merged[k].ss)) k = i;
  }
  // A tile under 16 bytes along both sides fills no vector either way: its kernels go item by
  // item, with a call and setup per tile under the outer loops; walked as rows in the
  // destination's order instead (uint8 66 x 1014 x 15 x 13, tiles of 15 x 13: 7.1 ms against 18;
  // tiles of 16 bytes and more on a side lost as rows: float32 8 x 8, 9.8 ms against 2.7).
  const fastest = merged.length - 1;
  if (merged[k].n * itemsize < TINY_TILE_BYTES) {
    k = merged[fastest].n * itemsize < TINY_TILE_BYTES ? fastest : narrowTileDim(merged, k, itemsize);
  }
  // The kernels step forwards along each side's fastest dim (rows: along the source's when the
  // two disagree, see below): a dim walked backwards there is walked from its other end on both
  // sides (items are disjoint, so the order cannot show). A rotation by 90 degrees reads its
  // source rows backwards: flipped, it is a plain transpose into destination rows visited
  // backwards.
  const forwards = (d: Dim, bySource: boolean): void => {
    if ((bySource ? d.ss : d.ds) >= 0) return;
    plan.dst += d.ds * (d.n - 1);
    plan.src += d.ss * (d.n - 1);
    d.ds = -d.ds;
    d.ss = -d.ss;
  };
  if (k === fastest) {
    plan.kind = 'rows';
    // A row runs forwards along the destination, except one whose source runs backwards with a
    // step: the source is read forwards then, the outer dims too, and the destination written
    // backwards (SIMD gathers of steps 2 and 3 take both ways). The prefetchers follow a source
    // read upwards throughout, and lose a row read downwards from its end after rows that go
    // upwards, or mixed directions any way (uint8 76174 x 66, source step -2 in rows 405 bytes
    // apart: 1.1 ms against 9.4-11.4; 2000 x 3000 in rows -6100 bytes apart: 0.52 against 2.8;
    // uint16 43 x 52472, step -2 in rows going down: 0.28 against 1.05). Short rows read forwards
    // whose rows go downwards have their outer dims turned round too (uint8 1439 x 108 x 77 at
    // step 2 in rows -312 bytes apart: 4.3 ms against 9.8; float32 2000 x 300, rows -900 items
    // apart: 0.15-0.2 against 0.18-0.3); rows of SHORT_ROW_SPAN bytes and more are left (float32
    // 2000 x 3000 at step 2: 4.0 ms turned round against 2.9). A plain reversal (source step -1
    // under destination step 1: flips) stays as it is: its SIMD kernel reads whole vectors
    // downwards.
    const inner = merged[k];
    forwards(inner, false);
    if (inner.ss < 0 && inner.ss !== -inner.ds) {
      for (let i = 0; i < k; i++) forwards(merged[i], true);
      forwards(inner, true);
    } else if (inner.ss !== -inner.ds && inner.n * Math.abs(inner.ss) < SHORT_ROW_SPAN) {
      for (let i = 0; i < k; i++) forwards(merged[i], true);
    }
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
    // the tile's fast dims' other strides: the source's along n0, the destination's along n1
    const sA = merged[merged.length - 2].ss;
    const dB = merged[merged.length - 1].ds;
    chooseTileOptions(
      plan,
      itemsize,
      rowsDst,
      rowsSrc,
      merged[merged.length - 2].n,
      merged[merged.length - 1].n,
      bytes,
      plan.dst,
      plan.src,
      sA === itemsize && dB === itemsize,
      tuning,
    );
    // a source of 1-byte items that steps 2 or 3 items along its fast dim: its rows are gathered
    // through the staging area (assembly/tile.ts, steppedStaged)
    if (itemsize === 1 && (sA === 2 || sA === 3) && dB === 1) {
      plan.staged = tuning.staged ?? true;
    }
  }
  orderOuterDims(merged, plan.kind === 'tile' ? 2 : 1, itemsize);
  for (const d of merged) {
    plan.shape.push(d.n);
    plan.dstStrides.push(d.ds);
    plan.srcStrides.push(d.ss);
  }
  return plan;
}

/**
 * Moves the outer dim that steps least in the source (j) just outside the kernel's `inner` dims
 * (the row, or the tile's two), where the destination's order puts there a dim (i) that jumps
 * to a new source page every step (4096 bytes and more, 8 times j's step or more) and j steps
 * under a page. Walked in the destination's order, such a copy comes back to the same source
 * pages once every pass of i, a few bytes further on, and its loads stall on every call; walked
 * along j the source streams, and the destination lines it leaves part-written are finished on
 * the next pass (the stores are posted). Only where:
 * - the kernel moves 1536 bytes or less a call (larger calls read long runs of each page anyway:
 *   uint8 tiles of 76 x 27 went 0.76x);
 * - j has as many steps as i, or 64 (the kernel's loop over that dim, rows in copyRows or calls
 *   of copyTile, stays as long: uint8 reversed rows of 109 bytes in passes of 8 instead of 49
 *   went 0.54x, uint16 rows of 20 in passes of 37 instead of 1770 0.72x);
 * - the destination lines one pass of j leaves part-written, estimated from the bytes and rows
 *   of a call, fit in 512 KiB (half an L2), or they are gone before the next pass finishes them
 *   (uint8 rows of 34 in passes of 15309: 0.87x);
 * - a tile does not read a compact run of the source a call, 512 bytes to a page from its first
 *   item to its last (many lines of one page: a new page a call costs little, and the
 *   destination's order keeps the stores in sequence; float32 tiles of 5 x 38 reading 2.7 KB a
 *   call went 0.78x, such tiles 0.76-1.18x, tiles whose rows lie pages apart 1.04-3.2x), and a
 *   row is not a reversal (a flip reads each row downwards, and rows then going upwards lose the
 *   prefetchers: float32 rows of 193, 0.79x).
 * Random views of cliffs' draw (bench/cliffs.ts), old and new builds in one process, best of 7
 * rounds in alternation (2026-12-01), over the views planned differently: 1.40x (geometric mean,
 * 0.88-3.19x) over 33 of the 1800 views of the nine seeds the rule was fitted on, 1.43x over 23
 * of 2400 views that gave its last two guards; on seeds never seen, 1.12x over 14 of 1200 views
 * (0.50x and 0.62x on two), 1.33x over 25 of 2400 (0.41x on one, 2-5x on five) and 1.10x over 5
 * of 300 (0.68x and 0.77x on two). uint8 2 x 675 x 336 x 21 (source strides -1, 150, -101850,
 * 6) 31.2 ms -> 15.5, uint16 100 x 98 x 29 x 8 7.3 -> 3.1. The layouts suite's plans do not
 * change. Measured: docs/performance.md, "Outer dimensions next to small kernels".
 */
function orderOuterDims(merged: Dim[], inner: number, itemsize: number): void {
  const abs = Math.abs;
  const i = merged.length - inner - 1;
  const a = merged[merged.length - 2];
  const b = merged[merged.length - 1];
  const tile = inner === 2;
  // the kernel's rows a call: a tile's n0, or the one row
  const rows = tile ? a.n : 1;
  let j = i;
  for (let k = i - 1; k >= 0; k--) if (abs(merged[k].ss) < abs(merged[j].ss)) j = k;
  if (j === i) return;
  const here = abs(merged[i].ss);
  const step = abs(merged[j].ss);
  const n = merged[j].n;
  const callBytes = itemsize * b.n * rows;
  // the source a tile reads a call, from its first item to its last
  const span = (a.n - 1) * abs(a.ss) + (b.n - 1) * abs(b.ss) + itemsize;
  if (
    callBytes > 1536 ||
    here < 4096 ||
    step >= 4096 ||
    8 * step > here ||
    n < Math.min(merged[i].n, 64) ||
    // the destination lines one pass of j leaves part-written, at most 512 KiB of them
    n * (Math.ceil(callBytes / 64) + rows) > 8192 ||
    (tile ? span >= 512 && span <= 4096 : b.ss === -b.ds)
  ) {
    return;
  }
  merged.splice(i, 0, ...merged.splice(j, 1));
}
