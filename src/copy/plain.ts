// Strided copies without suboffsets (copyPlain), the part of copyStrided (src/copy/dispatch.ts)
// that plain JS arrays and StridedView need: empty copies do nothing; source and destination that
// really share bytes go through a temporary; a destination whose items overlap each other keeps
// CPython's exact visiting order (the reference kernel, assembly/copy.ts). A module of its own so
// that pages copying plain arrays carry none of the pointer-table checks.
import { free, malloc } from '../wasm/heap.js';
import { itemsDisjoint, reachableRange } from '../wasm32.js';
import { copyStridedReference, runCopyPlan } from './encode.js';
import { contiguousOperand, copyPlan, type StridedOperand } from './plan.js';
import { DEFAULT_COPY_TUNING, type CopyTuning } from './tiling.js';

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/**
 * Whether the copy may read a byte after writing it: the byte ranges intersect and the items do
 * not interleave on a common lattice (x[::2] = x[1::2] interleaves, so it needs no temporary).
 */
function needsTemporary(
  ndim: number,
  itemsize: number,
  shape: readonly number[],
  dst: StridedOperand,
  src: StridedOperand,
): boolean {
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
 * Runs `copy` with a C-contiguous temporary block for a copy of `shape` (freed after, whatever
 * happens): a copy whose operands may share bytes goes src -> temporary -> dest.
 */
export function withTemporary(
  ndim: number,
  itemsize: number,
  shape: readonly number[],
  copy: (staged: StridedOperand) => void,
): void {
  let nbytes = itemsize;
  for (let i = 0; i < ndim; i++) nbytes *= shape[i];
  const tmp = malloc(nbytes);
  try {
    copy(contiguousOperand(tmp, ndim, shape, itemsize, 'C'));
  } finally {
    free(tmp);
  }
}

/**
 * copyStrided (src/copy/dispatch.ts) for operands without suboffsets: copies the items of `src`
 * into `dest`, both of `ndim` dimensions of extents `shape` and items of `itemsize` bytes.
 * Overlap-safe: when the two really share bytes, the source is first gathered into a temporary.
 * The caller has checked every bound; `disjoint` says it knows the operands share no byte.
 * Suboffsets are never followed here: an operand with an indirect dim is copyStrided's (its
 * only caller that may hold one calls this only when no dim is indirect; the others build
 * operands without suboffsets).
 */
export function copyPlain(
  ndim: number,
  itemsize: number,
  shape: readonly number[],
  dest: StridedOperand,
  src: StridedOperand,
  disjoint = false,
  tuning: CopyTuning = DEFAULT_COPY_TUNING,
): void {
  for (let i = 0; i < ndim; i++) if (shape[i] === 0) return;
  if (itemsize === 0) return;
  if (!itemsDisjoint(ndim, itemsize, shape, dest.strides)) {
    // e.g. a zero stride: the last write wins, so keep CPython's order of writes
    if (!disjoint && needsTemporary(ndim, itemsize, shape, dest, src)) {
      throughTemporary(ndim, itemsize, shape, dest, src, tuning);
      return;
    }
    copyStridedReference(ndim, itemsize, shape, dest, src);
    return;
  }
  if (!disjoint && needsTemporary(ndim, itemsize, shape, dest, src)) {
    if (sameItems(ndim, shape, dest, src)) return; // every item onto itself
    const plan = copyPlan(ndim, itemsize, shape, dest.buf, dest.strides, src.buf, src.strides, tuning);
    if (plan.kind === 'bytes') {
      runCopyPlan(plan); // memory.copy is memmove
      return;
    }
    throughTemporary(ndim, itemsize, shape, dest, src, tuning);
    return;
  }
  runCopyPlan(copyPlan(ndim, itemsize, shape, dest.buf, dest.strides, src.buf, src.strides, tuning));
}

function throughTemporary(
  ndim: number,
  itemsize: number,
  shape: readonly number[],
  dest: StridedOperand,
  src: StridedOperand,
  tuning: CopyTuning,
): void {
  withTemporary(ndim, itemsize, shape, (staged) => {
    copyPlain(ndim, itemsize, shape, staged, src, true, tuning);
    copyPlain(ndim, itemsize, shape, dest, staged, true, tuning);
  });
}
