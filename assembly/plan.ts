// The executor of planned copies. The host (src/copy/plan.ts) has already simplified the layout
// (dropped extent-1 dims, sorted, flipped, merged, folded contiguous inner runs into the item)
// and picked the kernel; this file only walks the outer dimensions and calls it.
//
// The word layouts of a planned and an indirect copy are declared once, in scripts/gen-wasm-abi.mjs
// (assembly/abi.generated.ts): the host writes them with the same names.
import { copyRows, moveBytes } from "./strided";
import { copyTile } from "./tile";
import {
  INDIRECT_DST, INDIRECT_HEADER, INDIRECT_NDIM, INDIRECT_SRC, INDIRECT_TAIL, KIND_BYTES, KIND_ROWS, PLAN_BLOCK,
  PLAN_DST, PLAN_HEADER, PLAN_ITEMSIZE, PLAN_KIND, PLAN_NDIM, PLAN_OPTIONS, PLAN_SRC, PLAN_STAGE,
} from "./abi.generated";


// @ts-ignore: decorator
@inline function word(plan: usize, i: i32): i32 {
  return load<i32>(plan + (<usize>i << 2));
}

function walk(plan: usize, ndim: i32, dim: i32, stop: i32, dst: usize, src: usize): void {
  const n = word(plan, PLAN_HEADER + dim);
  const ds = <isize>word(plan, PLAN_HEADER + ndim + dim);
  const ss = <isize>word(plan, PLAN_HEADER + 2 * ndim + dim);
  const itemsize = word(plan, PLAN_ITEMSIZE);
  if (dim + 1 == stop) {
    const last = ndim - 1;
    if (word(plan, PLAN_KIND) == KIND_ROWS) {
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
      const block = word(plan, PLAN_BLOCK);
      const options = word(plan, PLAN_OPTIONS);
      const stage = <usize>word(plan, PLAN_STAGE);
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
  const kind = word(plan, PLAN_KIND);
  const ndim = word(plan, PLAN_NDIM);
  const itemsize = word(plan, PLAN_ITEMSIZE);
  dst += <usize>word(plan, PLAN_DST);
  src += <usize>word(plan, PLAN_SRC);
  if (kind == KIND_BYTES) {
    moveBytes(dst, src, <usize>itemsize);
  } else if (kind == KIND_ROWS) {
    if (ndim == 1) {
      copyRows(dst, src, 1, word(plan, PLAN_HEADER), itemsize, <isize>word(plan, PLAN_HEADER + 1),
        <isize>word(plan, PLAN_HEADER + 2), 0, 0);
    } else {
      walk(plan, ndim, 0, ndim - 1, dst, src);
    }
  } else if (ndim == 2) {
    copyTile(dst, src, word(plan, PLAN_HEADER), word(plan, PLAN_HEADER + 1), itemsize,
      <isize>word(plan, PLAN_HEADER + 2), <isize>word(plan, PLAN_HEADER + 3),
      <isize>word(plan, PLAN_HEADER + 4), <isize>word(plan, PLAN_HEADER + 5), word(plan, PLAN_BLOCK), word(plan, PLAN_OPTIONS),
      <usize>word(plan, PLAN_STAGE));
  } else {
    walk(plan, ndim, 0, ndim - 2, dst, src);
  }
}

/** Executes a planned copy (words: PLAN_* in abi.generated.ts). */
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
  const tail = <usize>word(plan, INDIRECT_TAIL);
  for (let i = 0; i < n; i++) {
    if (dim + 1 == ndim) run(tail, adjust(dst, dsub), adjust(src, ssub));
    else walkIndirect(plan, ndim, dim + 1, adjust(dst, dsub), adjust(src, ssub));
    dst += ds;
    src += ss;
  }
}

/** Executes an indirect copy: walks the dims up to the last indirect one, then runs the planned tail. */
export function copyIndirect(plan: usize): void {
  walkIndirect(plan, word(plan, INDIRECT_NDIM), 0, <usize>word(plan, INDIRECT_DST), <usize>word(plan, INDIRECT_SRC));
}
