// The executor of planned copies. The host (src/copy.ts) has already simplified the layout
// (dropped extent-1 dims, sorted, flipped, merged, folded contiguous inner runs into the item)
// and picked the kernel; this file only walks the outer dimensions and calls it.
//
// A planned copy is an array of i32 in linear memory:
//   [0] kind: KIND_BYTES (one memory.copy of `itemsize` bytes, ndim 0), KIND_ROWS (a strided loop
//       over the innermost dim) or KIND_TILE (cache-blocked tiles over the inner two dims)
//   [1] ndim   [2] itemsize   [3] dst address   [4] src address   [5] tile block (items)
//   [6] tile options (TILE_ROWS_FIRST | TILE_GROUPED)   [7] tile staging area (8 KiB, 64-byte aligned; 0: none)
//   shape[ndim], dstStrides[ndim], srcStrides[ndim]   (outermost dimension first)
// An indirect (PIL-style) copy is
//   [0] ndim   [1] address of the planned copy of the dims after the last indirect one
//   [2] dst address   [3] src address
//   shape[ndim], dstStrides[ndim], srcStrides[ndim], dstSuboffsets[ndim], srcSuboffsets[ndim]
// where the planned copy's dst and src are offsets added to each pointer the walk arrives at.
import { copyRow, copyRows } from "./strided";
import { copyTile } from "./tile";

// @ts-ignore: decorator
@inline const KIND_BYTES: i32 = 0;
// @ts-ignore: decorator
@inline const KIND_ROWS: i32 = 1;
// @ts-ignore: decorator
@inline const KIND_TILE: i32 = 2;
// @ts-ignore: decorator
@inline const PLAN_HEADER: i32 = 8;
// @ts-ignore: decorator
@inline const INDIRECT_HEADER: i32 = 4;

// @ts-ignore: decorator
@inline function word(plan: usize, i: i32): i32 {
  return load<i32>(plan + (<usize>i << 2));
}

function walk(plan: usize, ndim: i32, dim: i32, stop: i32, dst: usize, src: usize): void {
  const n = word(plan, PLAN_HEADER + dim);
  const ds = <isize>word(plan, PLAN_HEADER + ndim + dim);
  const ss = <isize>word(plan, PLAN_HEADER + 2 * ndim + dim);
  const itemsize = word(plan, 2);
  if (dim + 1 == stop) {
    const last = ndim - 1;
    if (word(plan, 0) == KIND_ROWS) {
      const m = word(plan, PLAN_HEADER + last);
      const dsi = <isize>word(plan, PLAN_HEADER + ndim + last);
      const ssi = <isize>word(plan, PLAN_HEADER + 2 * ndim + last);
      copyRows(dst, src, n, m, itemsize, dsi, ssi, ds, ss);
    } else {
      const n0 = word(plan, PLAN_HEADER + last - 1);
      const n1 = word(plan, PLAN_HEADER + last);
      const dA = <isize>word(plan, PLAN_HEADER + ndim + last - 1);
      const dB = <isize>word(plan, PLAN_HEADER + ndim + last);
      const sA = <isize>word(plan, PLAN_HEADER + 2 * ndim + last - 1);
      const sB = <isize>word(plan, PLAN_HEADER + 2 * ndim + last);
      const block = word(plan, 5);
      const options = word(plan, 6);
      const stage = <usize>word(plan, 7);
      for (let i = 0; i < n; i++) {
        copyTile(dst, src, n0, n1, itemsize, dA, dB, sA, sB, block, options, stage);
        dst += ds;
        src += ss;
      }
    }
    return;
  }
  for (let i = 0; i < n; i++) { walk(plan, ndim, dim + 1, stop, dst, src); dst += ds; src += ss; }
}

/** Runs the planned copy at `plan` with its dst and src addresses offset by `dst` and `src`. */
function run(plan: usize, dst: usize, src: usize): void {
  const kind = word(plan, 0);
  const ndim = word(plan, 1);
  const itemsize = word(plan, 2);
  dst += <usize>word(plan, 3);
  src += <usize>word(plan, 4);
  if (kind == KIND_BYTES) {
    memory.copy(dst, src, <usize>itemsize);
  } else if (kind == KIND_ROWS) {
    if (ndim == 1) {
      copyRow(dst, src, word(plan, PLAN_HEADER), itemsize, <isize>word(plan, PLAN_HEADER + 1),
        <isize>word(plan, PLAN_HEADER + 2));
    } else {
      walk(plan, ndim, 0, ndim - 1, dst, src);
    }
  } else if (ndim == 2) {
    copyTile(dst, src, word(plan, PLAN_HEADER), word(plan, PLAN_HEADER + 1), itemsize,
      <isize>word(plan, PLAN_HEADER + 2), <isize>word(plan, PLAN_HEADER + 3),
      <isize>word(plan, PLAN_HEADER + 4), <isize>word(plan, PLAN_HEADER + 5), word(plan, 5), word(plan, 6),
      <usize>word(plan, 7));
  } else {
    walk(plan, ndim, 0, ndim - 2, dst, src);
  }
}

/** Executes a planned copy (layout above). */
export function copyPlanned(plan: usize): void {
  run(plan, 0, 0);
}

// @ts-ignore: decorator
@inline function adjust(ptr: usize, suboffset: i32): usize {
  return suboffset >= 0 ? <usize>load<u32>(ptr) + <usize>suboffset : ptr;
}

function walkIndirect(plan: usize, ndim: i32, dim: i32, dst: usize, src: usize): void {
  const n = word(plan, INDIRECT_HEADER + dim);
  const ds = <isize>word(plan, INDIRECT_HEADER + ndim + dim);
  const ss = <isize>word(plan, INDIRECT_HEADER + 2 * ndim + dim);
  const dsub = word(plan, INDIRECT_HEADER + 3 * ndim + dim);
  const ssub = word(plan, INDIRECT_HEADER + 4 * ndim + dim);
  const tail = <usize>word(plan, 1);
  for (let i = 0; i < n; i++) {
    if (dim + 1 == ndim) run(tail, adjust(dst, dsub), adjust(src, ssub));
    else walkIndirect(plan, ndim, dim + 1, adjust(dst, dsub), adjust(src, ssub));
    dst += ds;
    src += ss;
  }
}

/** Executes an indirect copy: walks the dims up to the last indirect one, then runs the planned tail. */
export function copyIndirect(plan: usize): void {
  walkIndirect(plan, word(plan, 0), 0, <usize>word(plan, 2), <usize>word(plan, 3));
}

/** memory.copy of `n` bytes (overlap-safe): the contiguous case and the benchmark's memcpy bound. */
export function copyBytes(dst: usize, src: usize, n: usize): void {
  memory.copy(dst, src, n);
}
