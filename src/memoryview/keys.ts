// Keys of a memoryview (memory_subscript and memory_ass_sub in Objects/memoryobject.c): which
// key is which, the address an index or a tuple of indices names, and the slicing of a view's
// own descriptor (init_slice, init_len).
import { isPyInt, pyIntValue } from '../args.js';
import { IndexError } from '../errors.js';
import { PySlice, adjustIndices, asSsize, type EllipsisType } from '../slice.js';
import { heapView } from '../wasm/runtime.js';
import { adjustPtr } from '../wasm32.js';
import type { ViewDescriptor } from './descriptor.js';

/** An integer key: Python's ints (number or bigint) and bools (an int subclass). */
export type IndexLike = number | bigint | boolean;

/**
 * A key for MemoryView.get/set: an index, a tuple of indices (array), a slice, Ellipsis, `[]`
 * (the empty tuple) or an array of slices. Anything else raises CPython's error for it.
 */
export type MemoryViewKey = IndexLike | PySlice | EllipsisType | readonly IndexLike[] | readonly PySlice[];

export function isEmptyTuple(key: unknown): boolean {
  return Array.isArray(key) && key.length === 0;
}

/** is_multiindex: a tuple (array) whose members are all indices; `[]` included. */
export function isMultiIndex(key: unknown): key is readonly IndexLike[] {
  return Array.isArray(key) && key.every(isPyInt);
}

/** is_multislice: a non-empty tuple of slices. */
export function isMultiSlice(key: unknown): key is readonly PySlice[] {
  return Array.isArray(key) && key.length > 0 && key.every((k) => k instanceof PySlice);
}

/** lookup_dimension: the address of item `index` of dimension `dim`, through suboffsets. */
export function lookupDimension(view: ViewDescriptor, ptr: number, dim: number, index: number): number {
  const nitems = view.shape[dim];
  if (index < 0) index += nitems;
  if (index < 0 || index >= nitems) throw new IndexError(`index out of bounds on dimension ${dim + 1}`);
  ptr += view.strides[dim] * index;
  return adjustPtr(heapView(), ptr, view.suboffsets, dim);
}

/** ptr_from_tuple: the address of the item a full tuple of indices names. */
export function ptrFromTuple(view: ViewDescriptor, key: readonly IndexLike[]): number {
  if (key.length > view.ndim) {
    throw new TypeError(`cannot index ${view.ndim}-dimension view with ${key.length}-element tuple`);
  }
  let ptr = view.buf;
  for (let dim = 0; dim < key.length; dim++) {
    ptr = lookupDimension(view, ptr, dim, asSsize(pyIntValue(key[dim])));
  }
  return ptr;
}

/** init_slice: slices dimension `dim` of `base` in place (start/stop/step from PySlice_Unpack). */
export function initSlice(base: ViewDescriptor, start: number, stop: number, step: number, dim: number): void {
  const { shape, strides } = base;
  const adjusted = adjustIndices(shape[dim], start, stop, step);
  const suboffsets = base.suboffsets;
  let n = dim - 1;
  if (suboffsets !== null) while (n >= 0 && suboffsets[n] < 0) n--;
  if (suboffsets === null || dim === 0 || n < 0) {
    base.buf += strides[dim] * adjusted.start;
  } else {
    // the slice start moves into the suboffset of the nearest indirect dimension before `dim`
    suboffsets[n] += strides[dim] * adjusted.start;
  }
  shape[dim] = adjusted.slicelength;
  // Py_ssize_t arithmetic, 32 bits on wasm32: a step near PY_SSIZE_T_MAX (where PySlice_Unpack
  // clamps larger ones) wraps, as m[::2**63] of an 'i' view has stride -4 in CPython. It wraps
  // only when slicelength <= 1, so the stride never carries the view out of its buffer.
  strides[dim] = Math.imul(strides[dim], step);
}

/** init_len: len = product(shape) * itemsize. */
export function initLen(view: ViewDescriptor): void {
  let len = view.itemsize;
  for (let i = 0; i < view.ndim; i++) len *= view.shape[i];
  view.len = len;
}
