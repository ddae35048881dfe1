// Splitting a planned copy (src/copy/plan.ts, CopyPlan) into sub-plans for the threads of a parallel
// copy (src/wasm/threads.ts). A sub-plan is a plan of the same kind with its dst, src and one
// extent adjusted, so that every thread runs the unchanged kernels on its own part. The parts
// write disjoint items of the destination and, where the layout allows it, disjoint 64-byte
// cache lines: two threads writing the same line would pass it back and forth between their
// caches on every store (false sharing), which costs more than the line is worth.
//
// Where a plan is cut:
//   'bytes' (one memory.copy): into chunks whose ends are 64-byte lines of the destination;
//   'rows':  along the outermost dim that balances the parts, the rows themselves included (a
//            1-D strided row is cut where its destination items start a cache line);
//   'tile':  along an outer dim, else along the tile's destination rows (its second-to-last
//            dim) at the kernel's block boundaries, so that every part keeps the single-threaded
//            block grid, and with it the aligned line-blocks of assembly/tile.ts; else (a tile
//            whose other dims are too short to share out) along its destination-fastest dim, on
//            whole destination lines from the kernel's own peel. A tile whose source rows lie
//            within one block (the single-threaded copy reads them whole) goes along its
//            destination-fastest dim in whole blocks before its rows, where that shares out.
//
// What the planner hands over and the split keeps intact:
//   - channel moves (assembly/tile.ts, channelKernel): a tile whose source-fast extent is 2-4
//     channels packed in pixels (HWC to CHW) or whose destination-fast extent is (CHW to HWC) runs
//     the interleave kernels only while that extent is whole, so the channel dim is never cut:
//     HWC to CHW is cut along the pixels (its destination-fastest dim), CHW to HWC along the
//     pixels too (the tile's destination rows);
//   - dims walked forwards (copyPlan's `forwards`): a tile's fastest dim of each side has a
//     positive stride there, a row's along the destination (along the source when the source
//     steps backwards), and the other side's stride along it may be negative (flips, rotations);
//     a part starts at index a of the cut dim on both sides (dst + a * ds, src + a * ss),
//     whatever the signs, and where its destination meets the part before it is where partStart()
//     puts it;
//   - the tile options (block edge, rowsFirst, staged, grouped): every part keeps the whole
//     copy's, which the kernels apply to any extent; the cuts fall on the block grid (or whole
//     lines), so a part's blocks are the single-threaded copy's blocks.
// The kernels' redundant stores (a micro-tile moved back over a ragged edge, a 3-channel group
// writing 4 bytes past its pixels before the next group or the tail rewrites them) stay within
// the call that makes them, so within one part.
import type { CopyPlan } from './copy/plan.js';

/** A cache line, in bytes: the unit no two parts should both write. */
export const CACHE_LINE = 64;

/** Bytes a plan moves. */
export function planBytes(plan: CopyPlan): number {
  let n = plan.itemsize;
  for (const extent of plan.shape) n *= extent;
  return n;
}

/** [lo, hi): the bytes a plan's operand reaches, from its base and strides. */
function reach(base: number, plan: CopyPlan, strides: readonly number[]): [number, number] {
  let lo = base;
  let hi = base + plan.itemsize;
  for (let i = 0; i < plan.shape.length; i++) {
    const span = strides[i] * (plan.shape[i] - 1);
    if (span < 0) lo += span;
    else hi += span;
  }
  return [lo, hi];
}

/**
 * Whether the parts of `plan` may run at once: no byte is both read and written. A plan whose
 * operands overlap is a memmove (copyStrided hands the executor overlapping 'bytes' plans), and
 * its order of reads and writes matters.
 */
export function canSplit(plan: CopyPlan): boolean {
  const [dlo, dhi] = reach(plan.dst, plan, plan.dstStrides);
  const [slo, shi] = reach(plan.src, plan, plan.srcStrides);
  return !(dlo < shi && slo < dhi);
}

const mod = (a: number, m: number): number => ((a % m) + m) % m;

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Cut points 0 < k_1 < ... < ext of an extent `ext` into at most `parts` ranges of about equal
 * length, each at `origin + m * unit`, moved to where `aligned(k)` holds when that is at most a
 * sixteenth of a part away. Fewer cuts when the extent has fewer units.
 */
function cutPoints(
  ext: number,
  parts: number,
  unit: number,
  origin: number,
  aligned: (k: number) => boolean,
): number[] {
  const cuts: number[] = [];
  const reachUnits = Math.min(8, Math.floor(ext / parts / 16 / unit));
  let prev = 0;
  for (let i = 1; i < parts; i++) {
    const target = (ext * i) / parts;
    let k = origin + Math.round((target - origin) / unit) * unit;
    for (let d = 1; d <= reachUnits && !aligned(k); d++) {
      if (aligned(k + d * unit) && k + d * unit < ext) k += d * unit;
      else if (aligned(k - d * unit) && k - d * unit > prev) k -= d * unit;
    }
    if (k > prev && k < ext) {
      cuts.push(k);
      prev = k;
    }
  }
  return cuts;
}

/** How unevenly `parts` ranges of whole units share an extent: the largest part over the mean. */
function imbalance(ext: number, parts: number, unit: number): number {
  const pieces = Math.ceil(ext / unit);
  if (pieces < 2) return Infinity;
  const p = Math.min(parts, pieces);
  return (Math.ceil(pieces / p) * unit) / (ext / p);
}

/**
 * Where the part of `plan` that starts at index k of dim `d` meets the part before it in the
 * destination: its lowest byte when the dim runs forwards there, the lowest byte of index k - 1 when
 * it runs backwards.
 */
function partStart(plan: CopyPlan, d: number): (k: number) => number {
  let innerLow = 0;
  for (let j = d + 1; j < plan.shape.length; j++) innerLow += Math.min(0, plan.dstStrides[j] * (plan.shape[j] - 1));
  const ds = plan.dstStrides[d];
  return (k) => plan.dst + innerLow + (ds >= 0 ? k * ds : (k - 1) * ds);
}

/** The sub-plan of `plan` over indices [a, b) of dim `d`. */
function subPlan(plan: CopyPlan, d: number, a: number, b: number): CopyPlan {
  const shape = [...plan.shape];
  shape[d] = b - a;
  return {
    ...plan,
    shape,
    dstStrides: [...plan.dstStrides],
    srcStrides: [...plan.srcStrides],
    dst: plan.dst + a * plan.dstStrides[d],
    src: plan.src + a * plan.srcStrides[d],
  };
}

function splitBytes(plan: CopyPlan, parts: number): CopyPlan[] {
  const n = plan.itemsize;
  const out: CopyPlan[] = [];
  let a = 0;
  for (let i = 1; i <= parts; i++) {
    // each chunk ends where a destination line starts (the last one at the end)
    let b = i === parts ? n : Math.round((n * i) / parts);
    if (i < parts) b += mod(-(plan.dst + b), CACHE_LINE);
    if (b <= a || (b >= n && i < parts)) continue;
    out.push({
      ...plan,
      shape: [],
      dstStrides: [],
      srcStrides: [],
      itemsize: b - a,
      dst: plan.dst + a,
      src: plan.src + a,
    });
    a = b;
  }
  return out;
}

/** The grid a tile's rows are cut on: the kernel's own peel and block edge (assembly/tile.ts, alignedTile). */
function tileGrid(plan: CopyPlan, parts: number): { unit: number; origin: number } {
  const nd = plan.shape.length;
  const n0 = plan.shape[nd - 2];
  const size = plan.itemsize;
  const origin = simdShaped(plan) && mod(plan.src, size) === 0 ? Math.min(mod(-plan.src, CACHE_LINE) / size, n0) : 0;
  const line = CACHE_LINE % size === 0 ? CACHE_LINE / size : 1;
  const block = Math.abs(plan.block);
  // whole blocks while there are enough of them for every part; whole line-blocks otherwise
  const unit = block > 0 && n0 - origin >= 2 * parts * block ? block : line;
  return { unit, origin };
}

/**
 * The grid a tile's destination-fastest dim is cut on: whole destination lines from the
 * kernel's peel of the destination (alignedTile's p1), in whole blocks while there are enough.
 */
function tileColumnGrid(plan: CopyPlan, parts: number): { unit: number; origin: number } {
  const nd = plan.shape.length;
  const n1 = plan.shape[nd - 1];
  const size = plan.itemsize;
  const origin = simdShaped(plan) && mod(plan.dst, size) === 0 ? Math.min(mod(-plan.dst, CACHE_LINE) / size, n1) : 0;
  const line = CACHE_LINE % size === 0 ? CACHE_LINE / size : 1;
  const block = channelDim(plan) >= 0 ? 0 : Math.abs(plan.block);
  const unit = block > 0 && n1 - origin >= 2 * parts * block ? block : line;
  return { unit, origin };
}

/**
 * Whether a tile's source-fast extent (n0) lies within one block of the kernel, so that its
 * source rows are read whole, while its destination-fastest extent (n1) shares out in whole blocks.
 */
function readsRowsWhole(plan: CopyPlan, parts: number): boolean {
  const nd = plan.shape.length;
  const block = Math.abs(plan.block);
  if (block === 0) return false;
  const n0 = plan.shape[nd - 2];
  return n0 <= block && tileColumnGrid(plan, parts).unit === block;
}

/** Whether a tile runs the SIMD kernels: unit strides across (dB and sA the item size), items of 1-8 bytes. */
function simdShaped(plan: CopyPlan): boolean {
  const nd = plan.shape.length;
  const size = plan.itemsize;
  return plan.dstStrides[nd - 1] === size && plan.srcStrides[nd - 2] === size && size <= 8 && (size & (size - 1)) === 0;
}

/** Whether a channel kernel moves `c` channels of `size`-byte items (channelKernel in assembly/tile.ts). */
function channelKernel(c: number, size: number): boolean {
  return (size === 1 || size === 2 || size === 4) && (c === 3 || ((c === 2 || c === 4) && c * size < 16));
}

/**
 * The dim of a tile that holds a channel move's channels (copyTile in assembly/tile.ts):
 * nd - 2 when the source's pixels pack them (HWC to CHW: deinterleave), nd - 1 when the
 * destination's do (CHW to HWC: interleave); -1 for any other plan.
 */
export function channelDim(plan: CopyPlan): number {
  if (plan.kind !== 'tile' || !simdShaped(plan)) return -1;
  const nd = plan.shape.length;
  const size = plan.itemsize;
  const n0 = plan.shape[nd - 2];
  const n1 = plan.shape[nd - 1];
  if (n0 <= 4 && plan.srcStrides[nd - 1] === n0 * size && channelKernel(n0, size)) return nd - 2;
  if (n1 <= 4 && plan.dstStrides[nd - 2] === n1 * size && channelKernel(n1, size)) return nd - 1;
  return -1;
}

/**
 * Splits `plan` into at most `parts` sub-plans (one when it cannot be split) that together do
 * exactly what it does: every destination item is written by one sub-plan, from the same source
 * item. The caller decides whether the copy is large enough to be worth it (a threshold on
 * planBytes) and checks canSplit() for overlap. A dim that gives fewer than `minParts` parts
 * (the threads that should all get work) counts as that much less balanced, so that a short
 * outer dim (a batch of 2) does not leave threads idle when another dim shares out.
 */
export function splitPlan(plan: CopyPlan, parts: number, minParts = 1): CopyPlan[] {
  if (parts < 2) return [plan];
  if (plan.kind === 'bytes') return plan.itemsize >= 2 * CACHE_LINE ? splitBytes(plan, parts) : [plan];
  const nd = plan.shape.length;
  const tile = plan.kind === 'tile';
  const channels = channelDim(plan);
  // candidate dims: for rows every dim (the row itself last), for tiles the outer dims and the
  // tile's destination rows (cutting its destination-fastest dim would make the parts share a
  // line at every row, so it comes last, and only when nothing else gives a split); the widest
  // destination stride first, so that each part's destination is one piece where the work
  // allows (a tile's rows are often further apart than its outer dims': 256³ float32 axes
  // (2, 0, 1) cut along the outer dim ran at 0.87x one thread, each part writing a 32 KiB run of
  // every 256 KiB plane). A channel move's channels are never cut.
  const last = tile ? nd - 2 : nd - 1;
  const order = Array.from({ length: last + 1 }, (_, d) => d)
    .filter((d) => d !== channels)
    .sort((a, b) => Math.abs(plan.dstStrides[b]) - Math.abs(plan.dstStrides[a]) || a - b);
  if (tile && channels !== nd - 1) order.push(nd - 1);
  // a tile whose source-fast extent fits in one block (the single-threaded copy reads its source
  // rows whole) is cut along its destination-fastest dim, in whole blocks, before its rows: cut
  // across, every part would read a short run of every source row (256³ float32 axes (2, 0, 1),
  // one 256 x 65536 tile: 1.08x one thread cut across its 256 rows, 1.70x along the 65536)
  const columnsFirst = tile && channels < 0 && readsRowsWhole(plan, parts);
  if (columnsFirst) {
    order.pop();
    order.splice(order.indexOf(nd - 2), 0, nd - 1);
  }
  let best = -1;
  let bestUnit = 1;
  let bestOrigin = 0;
  let bestScore = Infinity;
  for (const d of order) {
    // a tile's destination-fastest dim is the last resort (it comes last in `order`), but where
    // it comes first (columnsFirst)
    if (tile && d === nd - 1 && channels < 0 && !columnsFirst && Number.isFinite(bestScore)) break;
    let unit = 1;
    let origin = 0;
    if (tile && d === nd - 2) {
      ({ unit, origin } = tileGrid(plan, parts));
    } else if (tile && d === nd - 1) {
      ({ unit, origin } = tileColumnGrid(plan, parts));
    } else if (d === nd - 1) {
      // the row itself: cut a whole number of lines of destination items apart, starting where
      // an item starts a line (if one does)
      unit = CACHE_LINE / gcd(mod(plan.dstStrides[d], CACHE_LINE) || CACHE_LINE, CACHE_LINE);
      const startOf = partStart(plan, d);
      for (let k = 0; k < unit && k < plan.shape[d]; k++) {
        if (mod(startOf(k), CACHE_LINE) === 0) {
          origin = k;
          break;
        }
      }
    }
    const ext = plan.shape[d] - origin;
    const made = Math.min(parts, Math.ceil(ext / unit));
    const score = imbalance(ext, parts, unit) * Math.max(1, minParts / made);
    if (score < bestScore) {
      best = d;
      bestUnit = unit;
      bestOrigin = origin;
      bestScore = score;
    }
    // the outermost dim that shares the work out within 20% is the one: it keeps each part's
    // destination in one piece
    if (score <= 1.2) break;
  }
  if (best < 0 || !Number.isFinite(bestScore)) return [plan];
  const d = best;
  const startOf = partStart(plan, d);
  const cuts = cutPoints(plan.shape[d], parts, bestUnit, bestOrigin, (k) => mod(startOf(k), CACHE_LINE) === 0);
  const out: CopyPlan[] = [];
  let a = 0;
  for (const b of [...cuts, plan.shape[d]]) {
    out.push(subPlan(plan, d, a, b));
    a = b;
  }
  return out;
}
