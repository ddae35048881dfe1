// The reference strided copy, as copy_rec / copy_base in CPython's Objects/memoryobject.c,
// generalised so that either side may have suboffsets (PIL-style indirect dimensions).
// The host checks every bound before the call; the kernel trusts its plan.
//
// The plan's word layout (REFERENCE_*) is declared once, in scripts/gen-wasm-abi.mjs.
// A negative suboffset means "no indirection in this dimension" (as CPython's -1).
// Source and destination must not overlap (the host copies through a temporary when they do).

import { REFERENCE_DST, REFERENCE_HEADER, REFERENCE_ITEMSIZE, REFERENCE_NDIM, REFERENCE_SRC } from "./abi.generated";

// @ts-ignore: decorator
@inline function word(plan: usize, i: i32): i32 {
  return load<i32>(plan + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function adjust(ptr: usize, suboffset: i32): usize {
  return suboffset >= 0 ? <usize>load<u32>(ptr) + <usize>suboffset : ptr;
}

/**
 * Copies `n` items of `itemsize` bytes with the given strides, one memory.copy an item, in order.
 * This kernel runs only the copies whose destination items overlap each other (the last write
 * must win, as in CPython), which no fast path serves: it stays small rather than fast (loops
 * per item size cost every build about 100 bytes gzip, on pages that never run it).
 */
function copyRow(dst: usize, src: usize, n: i32, itemsize: i32, dstStride: isize, srcStride: isize, dstSub: i32, srcSub: i32): void {
  for (let i = 0; i < n; i++) {
    memory.copy(adjust(dst, dstSub), adjust(src, srcSub), itemsize);
    dst += dstStride;
    src += srcStride;
  }
}

function copyRec(plan: usize, ndim: i32, dim: i32, itemsize: i32, dst: usize, src: usize): void {
  const n = word(plan, REFERENCE_HEADER + dim);
  const dstStride = <isize>word(plan, REFERENCE_HEADER + ndim + dim);
  const srcStride = <isize>word(plan, REFERENCE_HEADER + 2 * ndim + dim);
  const dstSub = word(plan, REFERENCE_HEADER + 3 * ndim + dim);
  const srcSub = word(plan, REFERENCE_HEADER + 4 * ndim + dim);
  if (dim == ndim - 1) {
    copyRow(dst, src, n, itemsize, dstStride, srcStride, dstSub, srcSub);
    return;
  }
  for (let i = 0; i < n; i++) {
    copyRec(plan, ndim, dim + 1, itemsize, adjust(dst, dstSub), adjust(src, srcSub));
    dst += dstStride;
    src += srcStride;
  }
}

/** Executes a reference copy (words: REFERENCE_* in abi.generated.ts). A 0-dim plan copies one item. */
export function copy(plan: usize): void {
  const ndim = word(plan, REFERENCE_NDIM);
  const itemsize = word(plan, REFERENCE_ITEMSIZE);
  const dst = <usize>word(plan, REFERENCE_DST);
  const src = <usize>word(plan, REFERENCE_SRC);
  if (ndim == 0) {
    memory.copy(dst, src, itemsize);
    return;
  }
  copyRec(plan, ndim, 0, itemsize, dst, src);
}
