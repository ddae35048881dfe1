// Which bytes of linear memory a descriptor reaches, and whether the heap owns them: the checks
// every export, copy through suboffsets and item access makes before it reads or writes (a
// module of its own so that the copy paths need none of the Py_buffer machinery).
import { BufferError, ValueError } from './errors.js';
import { heapView, memorySize, ownedRange, ownedSpanAt, type OwnedSpan } from './wasm/heap.js';
import { SIZEOF_VOID_P, contiguousStrides, hasIndirection, isSsize, loadPointer, reachableRange } from './wasm32.js';

/**
 * Calls `region(lo, hi)` for every region of linear memory `view` can reach: one range for a
 * strided view; with suboffsets, each pointer table (read to find the next level) and each
 * pointed-to sub-array. `region` throws to refuse a region; pointers are read only from
 * regions it accepted. The work is proportional to the number of pointers, never to the items.
 */
export function forEachReachedRegion(
  view: ReachedLayout,
  region: (lo: number, hi: number, what: string) => void,
): void {
  const { ndim, itemsize, shape, suboffsets } = view;
  const buf = view.buf;
  if (ndim === 0) {
    region(buf, buf + Math.max(view.len, itemsize), 'the item');
    return;
  }
  if (shape === null) {
    region(buf, buf + view.len, 'the data');
    return;
  }
  for (let i = 0; i < ndim; i++) if (shape[i] === 0) return;
  const strides = view.strides ?? (ndim === 1 ? [itemsize] : contiguousStrides(ndim, shape, itemsize, 'C'));
  if (suboffsets === null || !hasIndirection(suboffsets, ndim)) {
    const [lo, hi] = reachableRange(buf, ndim, itemsize, shape, strides);
    region(lo, hi, 'the data');
    return;
  }
  const walk = (p: number, dim: number): void => {
    let j = dim;
    while (j < ndim && suboffsets[j] < 0) j++;
    const subShape = shape.slice(dim, Math.min(j + 1, ndim));
    const subStrides = strides.slice(dim, Math.min(j + 1, ndim));
    if (j === ndim) {
      const [lo, hi] = reachableRange(p, ndim - dim, itemsize, subShape, subStrides);
      region(lo, hi, 'a sub-array behind a suboffset');
      return;
    }
    // dimensions dim..j address pointers
    const [lo, hi] = reachableRange(p, j - dim + 1, SIZEOF_VOID_P, subShape, subStrides);
    region(lo, hi, 'a pointer table');
    const dv = heapView();
    const index = new Array<number>(subShape.length).fill(0);
    for (;;) {
      let at = p;
      for (let k = 0; k < index.length; k++) at += subStrides[k] * index[k];
      walk(loadPointer(dv, at) + suboffsets[j], j + 1);
      let k = index.length - 1;
      while (k >= 0 && ++index[k] === subShape[k]) index[k--] = 0;
      if (k < 0) return;
    }
  };
  walk(buf, 0);
}

/** The fields of a descriptor (a Py_buffer's) that say which bytes it reaches. */
export interface ReachedLayout {
  buf: number;
  len: number;
  ndim: number;
  itemsize: number;
  shape: readonly number[] | null;
  strides: readonly number[] | null;
  suboffsets: readonly number[] | null;
}

/**
 * Before the Python-level paths walk a view's items through its pointer tables (tolist, ==):
 * the tables are plain memory that may have changed since the view was checked, so they are
 * followed once more, and a region outside the heap's live blocks is refused (BufferError).
 */
export function checkPointersOwned(view: ReachedLayout): void {
  if (hasIndirection(view.suboffsets, view.ndim)) checkItemsOwned(view);
}

/** BufferError unless every byte `view` reaches lies inside the heap's live blocks (checkReach). */
export function checkItemsOwned(view: ReachedLayout): void {
  checkReach(view, (what) => {
    throw new BufferError(`item access refused: ${what}`);
  });
}

/**
 * Checks that every region `view` reaches lies in linear memory and inside one live block of
 * the runtime's heap (not the runtime's scratch area); calls `fail(message)` otherwise.
 */
export function checkReach(view: ReachedLayout, fail: (what: string) => never): void {
  // The common layouts (no indirection, strides present) are checked here without the region
  // callback and the arrays forEachReachedRegion makes: this runs for every export.
  const { ndim, itemsize, shape, strides, suboffsets } = view;
  const buf = view.buf;
  if (ndim === 0) {
    checkRegion(buf, buf + Math.max(view.len, itemsize), 'the item', fail);
    return;
  }
  if (shape === null) {
    checkRegion(buf, buf + view.len, 'the data', fail);
    return;
  }
  if (strides !== null && !hasIndirection(suboffsets, ndim)) {
    // reachableRange, inlined
    let lo = buf;
    let hi = buf + itemsize;
    for (let i = 0; i < ndim; i++) {
      const n = shape[i];
      if (n === 0) return;
      const extent = strides[i] * (n - 1);
      if (extent < 0) lo += extent;
      else hi += extent;
    }
    checkRegion(lo, hi, 'the data', fail);
    return;
  }
  // Through suboffsets: the fast walk answers for the usual case; when it cannot (a region
  // outside the heap, or a layout it leaves alone) the full walk finds the region and its message.
  if (strides !== null && suboffsets !== null && indirectReachOwned(buf, ndim, itemsize, shape, strides, suboffsets)) {
    return;
  }
  forEachReachedRegion(view, (lo, hi, what) => checkRegion(lo, hi, what, fail));
}

// Above this, sums of addresses and extents might round in doubles, and the fast walk's
// reordered sums could then differ from forEachReachedRegion's.
const EXACT_SUMS = 2 ** 52;

/**
 * checkReach's walk through suboffsets, without the region callback, the per-pointer arrays
 * or a binary search per region: the regions behind a pointer table (PIL rows) are one range
 * relative to each pointer, and consecutive ones usually lie in one block (OwnedSpan). True when
 * every region forEachReachedRegion would visit lies inside one live block; false when one
 * does not, or for a layout it does not take (fields that are not integers, sums that might
 * not be exact), and the caller then runs the full walk. The same regions, in the same order,
 * with pointers read only from tables already accepted.
 */
function indirectReachOwned(
  buf: number,
  ndim: number,
  itemsize: number,
  shape: readonly number[],
  strides: readonly number[],
  suboffsets: readonly number[],
): boolean {
  if (!isSsize(buf) || !isSsize(itemsize) || itemsize < 0) return false;
  // the bytes a pointer (or buf) plus suboffsets and extents can stray from 0
  let bound = Math.abs(buf) + itemsize + 2 ** 32;
  for (let i = 0; i < ndim; i++) {
    const n = shape[i];
    const s = strides[i];
    const o = suboffsets[i];
    if (!isSsize(n) || !isSsize(s) || !isSsize(o) || n < 0) return false;
    bound += Math.abs(s) * n + Math.abs(o);
  }
  if (!(bound < EXACT_SUMS)) return false;
  for (let i = 0; i < ndim; i++) if (shape[i] === 0) return true; // nothing is reached
  // For each dim that starts a level of the walk: the dim of its pointers (ndim: a sub-array)
  // and the region it reaches, relative to the level's address.
  const next = new Array<number>(ndim + 1);
  const relLo = new Array<number>(ndim + 1);
  const relHi = new Array<number>(ndim + 1);
  for (let dim = 0; dim <= ndim; dim++) {
    let j = dim;
    while (j < ndim && suboffsets[j] < 0) j++;
    next[dim] = j;
    // reachableRange over dims dim..j (pointers) or dim..ndim-1 (items)
    let lo = 0;
    let hi = j === ndim ? itemsize : SIZEOF_VOID_P;
    for (let k = dim; k <= j && k < ndim; k++) {
      const extent = strides[k] * (shape[k] - 1);
      if (extent < 0) lo += extent;
      else hi += extent;
    }
    relLo[dim] = lo;
    relHi[dim] = hi;
  }
  const span: OwnedSpan = { start: 0, limit: -1, end: -Infinity };
  const owned = (lo: number, hi: number): boolean => {
    if (!(hi > lo)) return true;
    if (lo < span.start || lo >= span.limit) ownedSpanAt(lo, span);
    return hi <= span.end;
  };
  const dv = heapView();
  // the level at `dim` from address p: its region, then (a table) the levels its pointers lead to
  const level = (p: number, dim: number): boolean => {
    if (!owned(p + relLo[dim], p + relHi[dim])) return false;
    const j = next[dim];
    return j === ndim || pointers(p, dim, j);
  };
  // the pointers of the table dims k..j from address `at`, in C order
  const pointers = (at: number, k: number, j: number): boolean => {
    const n = shape[k];
    const stride = strides[k];
    if (k < j) {
      for (let i = 0; i < n; i++, at += stride) if (!pointers(at, k + 1, j)) return false;
      return true;
    }
    const sub = suboffsets[j];
    const dim = j + 1;
    if (next[dim] === ndim) {
      // the pointers lead to sub-arrays (PIL rows): one region each, nothing more to read
      const lo = relLo[dim] + sub;
      const hi = relHi[dim] + sub;
      for (let i = 0; i < n; i++, at += stride) {
        const q = loadPointer(dv, at);
        const a = q + lo;
        const b = q + hi;
        // most rows fall in the block of the row before
        if (a >= span.start && a < span.limit && b <= span.end && b > a) continue;
        if (!owned(a, b)) return false;
      }
      return true;
    }
    for (let i = 0; i < n; i++, at += stride) if (!level(loadPointer(dv, at) + sub, dim)) return false;
    return true;
  };
  return level(buf, 0);
}

/** checkReach for one region [lo, hi). */
function checkRegion(lo: number, hi: number, what: string, fail: (what: string) => never): void {
  // empty: nothing to check; NaN (a field that is not a number) is not empty, and fails below
  if (hi <= lo) return;
  // a live block lies inside linear memory, so the common case needs no memory.buffer lookup
  if (lo >= 0 && hi === hi && ownedRange(lo, hi)) return;
  if (lo < 0 || hi > memorySize()) fail('memory outside the runtime');
  fail(`${what} [${lo}, ${hi}) is not inside one live block of the runtime's heap`);
}

/**
 * The pointer in the slot at `slot`, for the paths that reach one item through suboffsets
 * (memory_item, memory_ass_sub, iteration, _testbuffer's ptr_from_index). Pointer tables are
 * plain memory that may have changed since the view was checked (a view of the table can write
 * them): the slot must lie inside a live block of the heap (BufferError otherwise), and the
 * caller checks the item it leads to with checkItemOwned().
 */
export function loadOwnedPointer(slot: number): number {
  checkItemOwned(slot, SIZEOF_VOID_P);
  return loadPointer(heapView(), slot);
}

/**
 * BufferError unless the `size` bytes of an item at `ptr` lie inside one live block of the heap:
 * the last check before an item reached through pointers (or through a layout CPython trusts,
 * such as _testbuffer's shape-less one) is read or written.
 */
export function checkItemOwned(ptr: number, size: number): void {
  if (!ownedRange(ptr, ptr + size)) {
    throw new BufferError(
      `item access refused: [${ptr}, ${ptr + size}) is not inside one live block of the runtime's heap`,
    );
  }
}

/**
 * Checks that the `size` bytes at `ptr`, passed to `fn` as raw memory, lie inside one live
 * block of the runtime's heap (ValueError otherwise): raw pointers must name memory a caller
 * can own, never the allocator's own structures, the scratch area or free memory.
 */
export function checkOwnedMemory(fn: string, ptr: number, size: number): void {
  if (size > 0 && !ownedRange(ptr, ptr + size)) {
    throw new ValueError(`${fn}(): [${ptr}, ${ptr}+${size}) is not inside one live block of the runtime's heap`);
  }
}
