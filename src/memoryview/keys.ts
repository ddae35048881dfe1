// Keys of a memoryview (memory_subscript and memory_ass_sub in Objects/memoryobject.c): which
// key is which, the address an index or a tuple of indices names, the slicing of a view's own
// descriptor (init_slice, init_len), and the reads and writes of items and 1-D slices.
import { isPyInt, pyIntValue } from '../args.js';
import { getBuffer, releaseBuffer } from '../buffer.js';
import { checkItemOwned, loadOwnedPointer } from '../reach.js';
import { copyStrided } from '../copy/dispatch.js';
import { IndexError, NotImplementedError, ValueError } from '../errors.js';
import { PyBUF } from '../flags.js';
import { adjustFormat, packAt, unpackItem, type Item } from '../items.js';
import { Ellipsis, PySlice, adjustIndices, asSsize, unpackSlice, type EllipsisType } from '../slice.js';
import { heapView } from '../wasm/heap.js';
import { equivShape } from './compare.js';
import { viewDescriptor, type ViewDescriptor } from './descriptor.js';

/** An integer key: Python's ints (number or bigint) and bools (an int subclass). */
export type IndexLike = number | bigint | boolean;

/**
 * A key for MemoryView.get/set: an index, a tuple of indices (array), a slice, Ellipsis, `[]`
 * (the empty tuple) or an array of slices. Anything else raises CPython's error for it.
 */
export type MemoryViewKey = IndexLike | PySlice | EllipsisType | readonly IndexLike[] | readonly PySlice[];

/** The empty tuple `()`, as an empty array: the key of a 0-dim view's item. */
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

/**
 * lookup_dimension: the address of item `index` of dimension `dim`, through suboffsets (the
 * pointer slot read only if it lies in a live block: the tables may have been written since
 * the view was made).
 */
export function lookupDimension(view: ViewDescriptor, ptr: number, dim: number, index: number): number {
  const nitems = view.shape[dim];
  if (index < 0) index += nitems;
  if (index < 0 || index >= nitems) throw new IndexError(`index out of bounds on dimension ${dim + 1}`);
  ptr += view.strides[dim] * index;
  const suboffsets = view.suboffsets;
  return suboffsets !== null && suboffsets[dim] >= 0 ? loadOwnedPointer(ptr) + suboffsets[dim] : ptr;
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
  return itemPointer(view, ptr);
}

/** An item's address found through pointers must lead into a live block (checkItemOwned). */
function itemPointer(view: ViewDescriptor, ptr: number): number {
  if (view.suboffsets !== null) checkItemOwned(ptr, view.itemsize);
  return ptr;
}

/** init_slice: slices dimension `dim` of `base` in place (start/stop/step from PySlice_Unpack). */
export function initSlice(base: ViewDescriptor, start: number, stop: number, step: number, dim: number): void {
  const { shape, strides } = base;
  const adjusted = adjustIndices(shape[dim], start, stop, step);
  const suboffsets = base.suboffsets;
  let n = dim - 1;
  if (suboffsets !== null) while (n >= 0 && suboffsets[n] < 0) n--;
  // Py_ssize_t products and char * sums, 32 bits on wasm32: an empty slice (start -1 or past
  // the end) of a view whose stride is near 2**31 moves buf out of its buffer, and CPython's
  // pointer wraps around the address space; nothing is ever read through it (len is 0)
  const offset = Math.imul(strides[dim], adjusted.start);
  if (suboffsets === null || dim === 0 || n < 0) {
    base.buf = (base.buf + offset) >>> 0;
  } else {
    // the slice start moves into the suboffset of the nearest indirect dimension before `dim`
    suboffsets[n] = (suboffsets[n] + offset) | 0;
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

/** memory_item: the item at `index` of a 1-D view. */
export function memoryItem(view: ViewDescriptor, index: number): Item {
  const fmt = adjustFormat(view.format);
  if (view.ndim === 0) throw new TypeError('invalid indexing of 0-dim memory');
  if (view.ndim === 1) return unpackItem(heapView(), itemPointer(view, lookupDimension(view, view.buf, 0, index)), fmt);
  throw new NotImplementedError('multi-dimensional sub-views are not implemented');
}

/** memory_item_multi: the item at a tuple of indices. */
export function memoryItemMulti(view: ViewDescriptor, key: readonly IndexLike[]): Item {
  const fmt = adjustFormat(view.format);
  if (key.length < view.ndim) throw new NotImplementedError('sub-views are not implemented');
  return unpackItem(heapView(), ptrFromTuple(view, key), fmt);
}

/** What memory_ass_sub needs of a memoryview: its descriptor and CHECK_RELEASED. */
export interface AssignTarget {
  readonly view: ViewDescriptor;
  checkReleased(): void;
}

/**
 * memory_ass_sub after its first CHECK_RELEASED: packs `value` at the item `key` names, or
 * copies an exporter into a 1-D slice, checking `mv` again (CHECK_RELEASED_INT_AGAIN) after
 * the rvalue's export, which may run user code. Every check before any byte is written.
 */
export function memoryAssSub(mv: AssignTarget, key: MemoryViewKey, value: unknown): void {
  const view = mv.view;
  const fmt = adjustFormat(view.format);
  if (view.readonly) throw new TypeError('cannot modify read-only memory');
  if (view.ndim === 0) {
    if (key === Ellipsis || isEmptyTuple(key)) {
      packAt(view.buf, value, fmt);
      return;
    }
    throw new TypeError('invalid indexing of 0-dim memory');
  }
  if (isPyInt(key)) {
    if (view.ndim > 1) throw new NotImplementedError('sub-views are not implemented');
    packAt(itemPointer(view, lookupDimension(view, view.buf, 0, asSsize(pyIntValue(key)))), value, fmt);
    return;
  }
  if (key instanceof PySlice && view.ndim === 1) {
    assignSlice(mv, key, value);
    return;
  }
  if (isMultiIndex(key)) {
    if (key.length < view.ndim) throw new NotImplementedError('sub-views are not implemented');
    packAt(ptrFromTuple(view, key), value, fmt);
    return;
  }
  if (key instanceof PySlice || isMultiSlice(key)) {
    throw new NotImplementedError('memoryview slice assignments are currently restricted to ndim = 1');
  }
  throw new TypeError('memoryview: invalid slice key');
}

function stripAt(format: string): string {
  return format.charCodeAt(0) === 0x40 ? format.slice(1) : format;
}

/** The one-dimensional fast path of memory_ass_sub: `m[slice] = exporter`, as copy_single. */
function assignSlice(mv: AssignTarget, key: PySlice, value: unknown): void {
  const view = mv.view;
  const src = getBuffer(value, PyBUF.FULL_RO); // the rvalue must be an exporter
  try {
    const [start, stop, step] = unpackSlice(key);
    const dest = viewDescriptor(view.format, [view.shape[0]], [view.strides[0]]);
    dest.buf = view.buf;
    dest.itemsize = view.itemsize;
    dest.suboffsets = view.suboffsets === null ? null : [view.suboffsets[0]];
    initSlice(dest, start, stop, step, 0);
    mv.checkReleased();
    // equiv_structure: formats equal after a leading '@', same itemsize, same shape
    const srcShape = src.ndim === 0 ? [] : (src.shape ?? [Math.trunc(src.len / src.itemsize)]);
    if (
      stripAt(view.format) !== stripAt(src.format ?? 'B') ||
      view.itemsize !== src.itemsize ||
      !equivShape(dest.ndim, dest.shape, src.ndim, srcShape)
    ) {
      throw new ValueError('memoryview assignment: lvalue and rvalue have different structures');
    }
    // copyStrided stages through a temporary when the two sides may overlap
    copyStrided(
      1,
      view.itemsize,
      dest.shape,
      { buf: dest.buf, strides: dest.strides, suboffsets: dest.suboffsets },
      {
        buf: src.buf,
        strides: [src.strides?.[0] ?? src.itemsize],
        suboffsets: src.suboffsets === null ? null : [src.suboffsets[0]],
      },
    );
  } finally {
    releaseBuffer(src);
  }
}
