// Every strided copy of the library enters here (copyStrided) or, for operands without suboffsets,
// at copyPlain (src/copy/plain.ts): the checks and choices around the planner (src/copy/plan.ts)
// that make a copy safe whatever its operands are. Suboffsets (PIL-style pointer tables) are
// checked again here, then either run as the plain copy they are (pointers that step by a
// constant) or walked in Wasm with the plain dims after them as a planned tail; everything else
// is copyPlain's (overlap through a temporary, CPython's order for overlapping items).
import { checkReach } from '../reach.js';
import { BufferError } from '../errors.js';
import { heapView, ownedRange } from '../wasm/heap.js';
import { itemsDisjoint, reachableRange } from '../wasm32.js';
import { copyStridedReference, runCopyPlan, runIndirect } from './encode.js';
import { copyPlan, type StridedOperand } from './plan.js';
import { copyPlain, withTemporary } from './plain.js';
import { DEFAULT_COPY_TUNING, type CopyTuning } from './tiling.js';

/** BufferError unless every pointer table and sub-array an indirect operand reaches lies in the heap. */
function checkIndirectOperand(ndim: number, itemsize: number, shape: readonly number[], op: StridedOperand): void {
  if (op.suboffsets === null) return;
  const view = { buf: op.buf, len: 0, ndim, itemsize, shape, strides: op.strides, suboffsets: op.suboffsets };
  checkReach(view, (what) => {
    throw new BufferError(`copy through suboffsets refused: ${what}`);
  });
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
function steppedOperand(
  ndim: number,
  itemsize: number,
  shape: readonly number[],
  op: StridedOperand,
): StridedOperand | null {
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
function copyStepped(
  ndim: number,
  itemsize: number,
  shape: readonly number[],
  dst: StridedOperand,
  src: StridedOperand,
  tuning: CopyTuning,
): boolean {
  const d = steppedOperand(ndim, itemsize, shape, dst);
  if (d === null) return false;
  const s = steppedOperand(ndim, itemsize, shape, src);
  if (s === null) return false;
  const [dlo, dhi] = reachableRange(d.buf, ndim, itemsize, shape, d.strides);
  const [slo, shi] = reachableRange(s.buf, ndim, itemsize, shape, s.strides);
  if (dlo < shi && slo < dhi) return false;
  if (!itemsDisjoint(ndim, itemsize, shape, d.strides)) return false;
  runCopyPlan(copyPlan(ndim, itemsize, shape, d.buf, d.strides, s.buf, s.strides, tuning));
  return true;
}

/** The suboffset path: Wasm walks dims [0, prefix) through the pointers, then runs the planned tail. */
function copyIndirect(
  ndim: number,
  prefix: number,
  itemsize: number,
  shape: readonly number[],
  dst: StridedOperand,
  src: StridedOperand,
  tuning: CopyTuning,
): void {
  if (prefix === 1 && copyStepped(ndim, itemsize, shape, dst, src, tuning)) return;
  const tailShape = shape.slice(prefix);
  // the tail is planned once with base 0 on both sides: its dst/src become offsets from each row
  const tail = copyPlan(
    ndim - prefix,
    itemsize,
    tailShape,
    0,
    dst.strides.slice(prefix),
    0,
    src.strides.slice(prefix),
    tuning,
  );
  runIndirect(prefix, shape, dst, src, tail);
}

/**
 * Copies the items of `src` into `dest`; both have `ndim` dimensions of extents `shape` and
 * items of `itemsize` bytes. Overlap-safe: when the two really share bytes, the source is first
 * gathered into a temporary. The caller has checked every bound; `disjoint` says it knows the
 * operands share no byte. `tuning` forces tile choices (bench tuners and tests; src/copy/tiling.ts).
 */
export function copyStrided(
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
  const prefix = indirectDims(ndim, dest, src);
  if (prefix > 0) {
    // Pointer tables are plain memory that may have changed since the view was checked:
    // follow them once more before the kernel does, and refuse any that lead outside the heap.
    checkIndirectOperand(ndim, itemsize, shape, dest);
    checkIndirectOperand(ndim, itemsize, shape, src);
    // through suboffsets the addresses are data-dependent: unless told otherwise, stage
    if (!disjoint) {
      withTemporary(ndim, itemsize, shape, (staged) => {
        copyStrided(ndim, itemsize, shape, staged, src, true, tuning);
        copyStrided(ndim, itemsize, shape, dest, staged, true, tuning);
      });
      return;
    }
    if (!itemsDisjoint(ndim - prefix, itemsize, shape.slice(prefix), dest.strides.slice(prefix))) {
      copyStridedReference(ndim, itemsize, shape, dest, src);
      return;
    }
    copyIndirect(ndim, prefix, itemsize, shape, dest, src, tuning);
    return;
  }
  copyPlain(ndim, itemsize, shape, dest, src, disjoint, tuning);
}
