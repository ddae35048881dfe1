// The platform CPython is built for here, wasm32, and the layout arithmetic that depends on it:
// Py_ssize_t, int and long are 32 bits; pointers are 4 bytes, little-endian. Written once, so
// that every limit and every walk through a pointer table means the same thing everywhere.
import { heapView } from './wasm/heap.js';

/** PY_SSIZE_T_MAX: Py_ssize_t is 32 bits on wasm32. */
export const PY_SSIZE_T_MAX = 0x7fffffff;
/** PY_SSIZE_T_MIN. */
export const PY_SSIZE_T_MIN = -0x80000000;
/** INT_MAX: a C int, 32 bits. */
export const INT_MAX = 0x7fffffff;
/** INT_MIN. */
export const INT_MIN = -0x80000000;
/** LONG_MAX: a C long is 32 bits on wasm32 (64 on 64-bit Unix), so PyLong_AsLong refuses past it. */
export const LONG_MAX = 0x7fffffff;
/** LONG_MIN. */
export const LONG_MIN = -0x80000000;
/** sizeof(void *): the bytes of one entry of a pointer table (a PIL-style suboffset dimension). */
export const SIZEOF_VOID_P = 4;

/** An integer in Py_ssize_t's range: exactly the numbers that survive `| 0` (-0 included). */
export function isSsize(n: unknown): n is number {
  return typeof n === 'number' && (n | 0) === n;
}

/** The pointer stored at `at`: 4 bytes, little-endian, unsigned. */
export function loadPointer(dv: DataView, at: number): number {
  return dv.getUint32(at, true);
}

/**
 * ADJUST_PTR(ptr, suboffsets, dim) in Objects/memoryobject.c: in a dimension with a suboffset
 * (>= 0), `ptr` addresses a pointer, which is followed and offset by the suboffset; elsewhere
 * `ptr` is the address itself (and memory is not touched: this runs for every item).
 */
export function adjustPtr(ptr: number, suboffsets: readonly number[] | null, dim: number): number {
  if (suboffsets === null) return ptr;
  const sub = suboffsets[dim];
  return sub >= 0 ? heapView().getUint32(ptr, true) + sub : ptr;
}

/** Whether any of the first `ndim` suboffsets is an indirection (>= 0). */
export function hasIndirection(suboffsets: readonly number[] | null, ndim: number): boolean {
  if (suboffsets === null) return false;
  for (let i = 0; i < ndim; i++) if (suboffsets[i] >= 0) return true;
  return false;
}

/**
 * The strides of a contiguous block: Fortran order for 'F', C order otherwise. Each stride is
 * itemsize times the extents inside it, zero extents included, as PyBuffer_FillContiguousStrides
 * (Objects/abstract.c), init_strides_from_shape / init_fortran_strides_from_shape
 * (memoryobject.c) and strides_from_shape (Modules/_testbuffer.c) all compute them, and as scijs
 * ndarray and @stdlib/ndarray compute default strides (numpy alone skips zero extents). This is
 * the library's one rule for contiguous strides: the layout API (src/layout/) uses it for its
 * default strides too, so a zero extent gives zero strides further out everywhere.
 *
 * The product is exact unless `wrap` is set; then it is Py_ssize_t arithmetic, 32 bits on
 * wasm32, and wraps as CPython's does (C strides of shape [0, 2**31-1, 2**31-1], itemsize 8:
 * [8, -8, 8]). They differ only where a zero extent lets the other extents' product pass
 * PY_SSIZE_T_MAX: such a view reaches no byte, so no address depends on those strides.
 * PyBuffer_FillContiguousStrides, whose strides are its result, wraps; the library's own
 * callers keep the exact product they always had.
 */
export function contiguousStrides(
  ndim: number,
  shape: readonly number[],
  itemsize: number,
  order: string,
  into: number[] = new Array<number>(ndim),
  wrap = false,
): number[] {
  let sd = wrap ? itemsize | 0 : itemsize;
  if (order === 'F') {
    for (let i = 0; i < ndim; i++) {
      into[i] = sd;
      sd = wrap ? Math.imul(sd, shape[i]) : sd * shape[i];
    }
  } else {
    for (let i = ndim - 1; i >= 0; i--) {
      into[i] = sd;
      sd = wrap ? Math.imul(sd, shape[i]) : sd * shape[i];
    }
  }
  return into;
}

/**
 * The byte range [lo, hi) reachable from `buf` through shape and strides (no suboffsets):
 * empty ([buf, buf)) when an extent is zero.
 */
export function reachableRange(
  buf: number,
  ndim: number,
  itemsize: number,
  shape: readonly number[],
  strides: readonly number[],
): [number, number] {
  let lo = buf;
  let hi = buf + itemsize;
  for (let i = 0; i < ndim; i++) {
    const n = shape[i];
    if (n === 0) return [buf, buf];
    const extent = strides[i] * (n - 1);
    if (extent < 0) lo += extent;
    else hi += extent;
  }
  return [lo, hi];
}

/**
 * Whether no two items of a layout share a byte (a layout with no items: true). When they do,
 * the order in which a copy visits the items shows in the result, so only CPython's own order
 * reproduces it. Sufficient test: with dimensions sorted by |stride|, each stride clears the
 * extent of the dimensions below it.
 */
export function itemsDisjoint(
  ndim: number,
  itemsize: number,
  shape: readonly number[],
  strides: readonly number[],
): boolean {
  const dims: Array<[number, number]> = [];
  for (let i = 0; i < ndim; i++) {
    if (shape[i] === 0) return true;
    if (shape[i] > 1) dims.push([Math.abs(strides[i]), shape[i]]);
  }
  dims.sort((a, b) => a[0] - b[0]);
  let span = itemsize;
  for (const [stride, n] of dims) {
    if (stride < span) return false;
    span += stride * (n - 1);
  }
  return true;
}
