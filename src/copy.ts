// The copy planner: every strided copy in the library (tobytes, GetContiguous,
// ToContiguous, FromContiguous, CopyData, slice assignment, NDArray) goes through
// copyStrided(), which simplifies the layout, handles overlap and calls the Wasm kernel.
import { reachableRange } from './buffer.js';
import { free, heapI32, malloc, scratch, wasm } from './wasm/runtime.js';

/** One side of a strided copy: the address of item [0, ..., 0], strides and suboffsets. */
export interface StridedOperand {
  readonly buf: number;
  readonly strides: readonly number[];
  readonly suboffsets: readonly number[] | null;
}

/** C strides (order 'C' or 'A') or Fortran strides ('F') for a contiguous block. */
export function contiguousOperand(buf: number, ndim: number, shape: readonly number[], itemsize: number,
  order: string): StridedOperand {
  const strides = new Array<number>(ndim);
  let sd = itemsize;
  if (order === 'F') {
    for (let i = 0; i < ndim; i++) { strides[i] = sd; sd *= shape[i]; }
  } else {
    for (let i = ndim - 1; i >= 0; i--) { strides[i] = sd; sd *= shape[i]; }
  }
  return { buf, strides, suboffsets: null };
}

function mayOverlap(ndim: number, itemsize: number, shape: readonly number[], a: StridedOperand,
  b: StridedOperand): boolean {
  // Through suboffsets the addresses are data-dependent: assume the worst.
  if (a.suboffsets !== null || b.suboffsets !== null) return true;
  const [alo, ahi] = reachableRange(a.buf, ndim, itemsize, shape, a.strides);
  const [blo, bhi] = reachableRange(b.buf, ndim, itemsize, shape, b.strides);
  return alo < bhi && blo < ahi;
}

/** Writes a plan (layout in assembly/copy.ts) into the scratch area and runs the kernel. */
function runPlan(ndim: number, itemsize: number, shape: readonly number[], dst: StridedOperand,
  src: StridedOperand): void {
  const plan = scratch(4 + 5 * ndim);
  const words = heapI32();
  const w = plan >>> 2;
  words[w] = ndim;
  words[w + 1] = itemsize;
  words[w + 2] = dst.buf;
  words[w + 3] = src.buf;
  for (let i = 0; i < ndim; i++) {
    words[w + 4 + i] = shape[i];
    words[w + 4 + ndim + i] = dst.strides[i];
    words[w + 4 + 2 * ndim + i] = src.strides[i];
    words[w + 4 + 3 * ndim + i] = dst.suboffsets === null ? -1 : dst.suboffsets[i];
    words[w + 4 + 4 * ndim + i] = src.suboffsets === null ? -1 : src.suboffsets[i];
  }
  wasm().copy(plan);
}

/**
 * Copies the items of `src` into `dest`; both have `ndim` dimensions of extents `shape` and
 * items of `itemsize` bytes. Overlap-safe: when the two may share bytes, the source is first
 * gathered into a temporary. The caller has checked every bound.
 */
export function copyStrided(ndim: number, itemsize: number, shape: readonly number[], dest: StridedOperand,
  src: StridedOperand, disjoint = false): void {
  for (let i = 0; i < ndim; i++) if (shape[i] === 0) return;
  if (!disjoint && mayOverlap(ndim, itemsize, shape, dest, src)) {
    let nbytes = itemsize;
    for (let i = 0; i < ndim; i++) nbytes *= shape[i];
    const tmp = malloc(nbytes);
    try {
      const staged = contiguousOperand(tmp, ndim, shape, itemsize, 'C');
      runPlan(ndim, itemsize, shape, staged, src);
      runPlan(ndim, itemsize, shape, dest, staged);
    } finally {
      free(tmp);
    }
    return;
  }
  runPlan(ndim, itemsize, shape, dest, src);
}
