// The C API of CPython's buffer protocol and memoryview, under the C names. Pointers are
// byte addresses in the runtime's linear memory.
import { Py_buffer, checkBuffer, fillInfo, getBuffer, getPointer, isContiguous, releaseBuffer } from './buffer.js';
import { checkReach } from './reach.js';
import { contiguousOperand } from './copy/plan.js';
import { copyContiguous } from './copy/encode.js';
import { copyStrided } from './copy/dispatch.js';
import { BufferError, IndexError, OverflowError, SystemError, ValueError } from './errors.js';
import { PyBUF } from './flags.js';
import { bufferToContiguous, type Order } from './contiguous.js';
import { MemoryView } from './memoryview.js';
import { calcsize } from './struct.js';
import { free, heapU8, malloc, memorySize, ownedRange } from './wasm/heap.js';
import {
  INT_MAX,
  INT_MIN,
  SIZEOF_VOID_P,
  adjustPtr,
  contiguousStrides,
  hasIndirection,
  itemsDisjoint,
  reachableRange,
} from './wasm32.js';

function checkOrder(fn: string, order: string): Order {
  if (order !== 'C' && order !== 'F' && order !== 'A') {
    throw new SystemError(`${fn}(): order must be 'C', 'F' or 'A'`);
  }
  return order;
}

/** Checks that [ptr, ptr+len) lies inside linear memory before any byte moves. */
function checkRange(fn: string, ptr: number, len: number): void {
  if (!Number.isInteger(ptr) || !Number.isInteger(len) || ptr < 0 || len < 0 || ptr + len > memorySize()) {
    throw new ValueError(`${fn}(): [${ptr}, ${ptr}+${len}) lies outside the runtime's memory`);
  }
}

// pointer arguments must name memory a caller can own (one live heap block)
/** Checks that [ptr, ptr+len) lies inside linear memory and inside one live block of the heap. */
function checkOwnedRange(fn: string, ptr: number, len: number): void {
  checkRange(fn, ptr, len);
  if (!ownedRange(ptr, ptr + len)) {
    throw new ValueError(`${fn}(): [${ptr}, ${ptr}+${len}) is not inside one live block of the runtime's heap`);
  }
}

/**
 * The bytes a view can reach must lie inside memory its exporter owns: checked again at each
 * use, following suboffsets, because pointer tables are data and may have changed since export.
 */
function checkViewRange(fn: string, view: Py_buffer): void {
  checkReach(view, (what) => {
    throw new ValueError(`${fn}(): the view's ${what}`);
  });
}

/** _Py_add_one_to_index_C / _F: advances a multi-index in C or Fortran order. */
function addOneToIndex(order: Order, ndim: number, index: number[], shape: readonly number[]): void {
  if (order === 'F') {
    for (let k = 0; k < ndim; k++) {
      if (index[k] < shape[k] - 1) {
        index[k]++;
        return;
      }
      index[k] = 0;
    }
  } else {
    for (let k = ndim - 1; k >= 0; k--) {
      if (index[k] < shape[k] - 1) {
        index[k]++;
        return;
      }
      index[k] = 0;
    }
  }
}

/** PyBuffer_ToContiguous: copies `len` (= view.len) bytes of `view` to `buf` in `order`. */
function PyBuffer_ToContiguous(buf: number, view: Py_buffer, len: number, order: Order): void {
  const ord = checkOrder('PyBuffer_ToContiguous', order);
  if (len !== view.len) throw new ValueError('PyBuffer_ToContiguous: len != view->len');
  checkOwnedRange('PyBuffer_ToContiguous', buf, len);
  checkViewRange('PyBuffer_ToContiguous', view);
  if (isContiguous(view, ord)) {
    copyContiguous(buf, view.buf, len);
    return;
  }
  // buffer_to_contiguous() assumes full information: rebuild it as init_shape_strides does
  const full = view.copy();
  if (full.ndim === 1) {
    full.shape = [view.shape !== null ? view.shape[0] : Math.trunc(view.len / view.itemsize)];
    full.strides = [view.strides !== null ? view.strides[0] : view.itemsize];
  } else if (full.strides === null && full.shape !== null) {
    full.strides = contiguousStrides(full.ndim, full.shape, full.itemsize, 'C');
  }
  const shape = full.shape as number[];
  const strides = full.strides as number[];
  const [lo, hi] = reachableRange(full.buf, full.ndim, full.itemsize, shape, strides);
  if (full.suboffsets === null && lo < buf + len && buf < hi) {
    // overlapping destination: gather through a temporary
    const tmp = malloc(len);
    try {
      bufferToContiguous(tmp, full, ord);
      copyContiguous(buf, tmp, len);
    } finally {
      free(tmp);
    }
    return;
  }
  bufferToContiguous(buf, full, ord);
}

/**
 * PyBuffer_FromContiguous: copies up to `len` bytes from `buf` into `view`, item by item in C
 * order ('F': Fortran order); `len` is clamped to view.len.
 */
function PyBuffer_FromContiguous(view: Py_buffer, buf: number, len: number, order: Order): void {
  const ord = checkOrder('PyBuffer_FromContiguous', order);
  if (!Number.isInteger(len) || len < 0) throw new ValueError('PyBuffer_FromContiguous(): len must not be negative');
  if (len > view.len) len = view.len;
  checkOwnedRange('PyBuffer_FromContiguous', buf, len);
  checkViewRange('PyBuffer_FromContiguous', view);
  if (isContiguous(view, ord)) {
    copyContiguous(view.buf, buf, len);
    return;
  }
  const ndim = view.ndim;
  const shape = view.shape as number[];
  const itemsize = view.itemsize;
  const elements = Math.trunc(len / itemsize);
  let total = 1;
  for (let i = 0; i < ndim; i++) total *= shape[i];
  const strides = view.strides ?? contiguousStrides(ndim, shape, itemsize, 'C');
  const layout = ord === 'F' ? 'F' : 'C';
  // a destination whose items share bytes takes CPython's item order (last wins)
  if (elements === total && !mayOverlapItself(ndim, itemsize, shape, strides, view.suboffsets)) {
    copyStrided(
      ndim,
      itemsize,
      shape,
      { buf: view.buf, strides, suboffsets: view.suboffsets },
      contiguousOperand(buf, ndim, shape, itemsize, layout),
    );
    return;
  }
  // A partial copy: the first `elements` items in the chosen order, as CPython's loop does.
  const staged = heapU8().slice(buf, buf + elements * itemsize);
  const index = new Array<number>(ndim).fill(0);
  const full = view.copy();
  full.strides = strides;
  for (let e = 0; e < elements; e++) {
    const ptr = getPointer(full, index);
    heapU8().set(staged.subarray(e * itemsize, (e + 1) * itemsize), ptr);
    addOneToIndex(layout, ndim, index, shape);
  }
}

/** PyObject_CopyData: copies the items of `src` into `dest` (both exporters). */
function PyObject_CopyData(dest: unknown, src: unknown): void {
  if (!checkBuffer(dest) || !checkBuffer(src)) {
    throw new TypeError('both destination and source must be bytes-like objects');
  }
  const viewDest = getBuffer(dest, PyBUF.FULL);
  let viewSrc: Py_buffer;
  try {
    viewSrc = getBuffer(src, PyBUF.FULL_RO);
  } catch (err) {
    releaseBuffer(viewDest);
    throw err;
  }
  try {
    if (viewDest.len < viewSrc.len) {
      throw new BufferError('destination is too small to receive data from source');
    }
    if (
      (isContiguous(viewDest, 'C') && isContiguous(viewSrc, 'C')) ||
      (isContiguous(viewDest, 'F') && isContiguous(viewSrc, 'F'))
    ) {
      copyContiguous(viewDest.buf, viewSrc.buf, viewSrc.len);
      return;
    }
    copyDataItemwise(viewDest, viewSrc);
  } finally {
    releaseBuffer(viewSrc);
    releaseBuffer(viewDest);
  }
}

/**
 * The item-wise part of PyObject_CopyData: every source index addresses the destination with
 * the same indices. CPython copies one item at a time in C order, advancing the index before
 * the first copy (so the item at index 0 goes last), and when the operands share bytes its
 * later reads see its earlier writes. That order is reproduced exactly whenever it can show:
 * the operands may overlap, the destination's items may share bytes, or the structures differ.
 * Otherwise (same structure, disjoint memory) one planned copy gives the same bytes. Every
 * destination address is checked before the first byte moves (CPython trusts its caller).
 * Pointer tables (suboffsets) are followed once, before the copy: a copy that overwrites a
 * table it later reads through is the one case where CPython could differ.
 */
function copyDataItemwise(dest: Py_buffer, src: Py_buffer): void {
  const ndim = src.ndim;
  const shape = src.shape as number[];
  const sameShape =
    dest.ndim === ndim && dest.itemsize === src.itemsize && shape.every((n, i) => (dest.shape as number[])[i] === n);
  if (
    sameShape &&
    !mayOverlapItself(ndim, src.itemsize, shape, dest.strides as number[], dest.suboffsets) &&
    !mayShareBytes(dest, src)
  ) {
    copyStrided(
      ndim,
      src.itemsize,
      shape,
      { buf: dest.buf, strides: dest.strides as number[], suboffsets: dest.suboffsets },
      { buf: src.buf, strides: src.strides as number[], suboffsets: src.suboffsets },
    );
    return;
  }
  let elements = 1;
  for (let k = 0; k < ndim; k++) elements *= shape[k];
  const index = new Array<number>(Math.max(ndim, dest.ndim)).fill(0);
  const pairs = new Float64Array(2 * elements); // addresses reach 4 GiB: no Int32Array
  const [lo, hi] = reachableRange(dest.buf, dest.ndim, dest.itemsize, dest.shape as number[], dest.strides as number[]);
  for (let e = 0; e < elements; e++) {
    // _Py_add_one_to_index_C before the first copy, as PyObject_CopyData's loop does
    addOneToIndex('C', ndim, index, shape);
    const d = getPointer(dest, index);
    if (dest.suboffsets === null && (d < lo || d + src.itemsize > Math.max(hi, lo + dest.len))) {
      throw new BufferError('PyObject_CopyData(): source items do not fit the destination layout');
    }
    pairs[2 * e] = d;
    pairs[2 * e + 1] = getPointer(src, index);
  }
  const heap = heapU8();
  const itemsize = src.itemsize;
  // memcpy(dptr, sptr, itemsize), one item after the other: a later item reads what an earlier
  // one wrote (copyWithin is memmove within an item, where memcpy's overlap is undefined)
  for (let e = 0; e < elements; e++) heap.copyWithin(pairs[2 * e], pairs[2 * e + 1], pairs[2 * e + 1] + itemsize);
}

/** Whether the bytes two operands reach may intersect (always assumed through suboffsets). */
function mayShareBytes(a: Py_buffer, b: Py_buffer): boolean {
  if (a.suboffsets !== null || b.suboffsets !== null) return true;
  const [alo, ahi] = reachableRange(a.buf, a.ndim, a.itemsize, a.shape as number[], a.strides as number[]);
  const [blo, bhi] = reachableRange(b.buf, b.ndim, b.itemsize, b.shape as number[], b.strides as number[]);
  return alo < bhi && blo < ahi;
}

/**
 * Whether two items of a layout may share bytes. The planned copy reorders dimensions, which
 * only CPython's own item order can reproduce when they do, so such destinations are written
 * item by item. Layouts with suboffsets are assumed to (rows may alias).
 */
function mayOverlapItself(
  ndim: number,
  itemsize: number,
  shape: readonly number[],
  strides: readonly number[],
  suboffsets: readonly number[] | null,
): boolean {
  return hasIndirection(suboffsets, ndim) || !itemsDisjoint(ndim, itemsize, shape, strides);
}

/**
 * PyBuffer_FillContiguousStrides: fills `strides` with C strides, or Fortran strides for 'F'.
 * The running product is a Py_ssize_t, 32 bits on wasm32: it wraps as CPython's does (C
 * strides of shape [0, 2**31-1, 2**31-1], itemsize 8 are [8, -8, 8]). The function only
 * computes numbers; views built from them are checked against their exporter's memory.
 */
function PyBuffer_FillContiguousStrides(
  ndim: number,
  shape: readonly number[],
  strides: number[],
  itemsize: number,
  order: Order,
): number[] {
  return contiguousStrides(ndim, shape, itemsize, order, strides, true);
}

/** PyBuffer_FillInfo as a function returning the filled descriptor of [buf, buf+len). */
function PyBuffer_FillInfo(
  view: Py_buffer | null,
  obj: object | null,
  buf: number,
  len: number,
  readonly: boolean | number,
  flags: number,
): Py_buffer {
  checkOwnedRange('PyBuffer_FillInfo', buf, len);
  const target = view ?? new Py_buffer();
  // PyBuffer_FillInfo refuses a WRITABLE request only when readonly == 1; another non-zero int
  // passes, and the view keeps it (read-only)
  fillInfo(target, obj, buf, len, readonly === true || readonly === 1, flags);
  target.readonly = Boolean(readonly);
  return target;
}

/**
 * PyBuffer_GetPointer: the address of the item at `indices`, following suboffsets. CPython
 * trusts its caller; here every index is checked against its extent (IndexError) and every
 * pointer read must lie in memory the exporter owns (ValueError) before it is read.
 */
function PyBuffer_GetPointer(view: Py_buffer, indices: readonly number[]): number {
  const { ndim, shape, strides, suboffsets } = view;
  if (!Array.isArray(indices) || indices.length < ndim) {
    throw new TypeError(`PyBuffer_GetPointer(): expected ${ndim} indices`);
  }
  let ptr = view.buf;
  for (let i = 0; i < ndim; i++) {
    const n = shape !== null ? shape[i] : Math.trunc(view.len / view.itemsize);
    const k = indices[i];
    if (!Number.isInteger(k) || k < 0 || k >= n) {
      throw new IndexError(`PyBuffer_GetPointer(): index out of bounds on dimension ${i + 1}`);
    }
    const stride =
      strides !== null
        ? strides[i]
        : shape !== null
          ? contiguousStrides(ndim, shape, view.itemsize, 'C')[i]
          : view.itemsize;
    ptr += stride * k;
    if (suboffsets !== null && suboffsets[i] >= 0) {
      checkOwnedRange('PyBuffer_GetPointer', ptr, SIZEOF_VOID_P);
      ptr = adjustPtr(ptr, suboffsets, i);
    }
  }
  return ptr;
}

/** PyMem_Malloc: `size` bytes of linear memory (MemoryError when it cannot be had). */
function PyMem_Malloc(size: number): number {
  return malloc(size);
}

/** PyMem_Free: frees a block from PyMem_Malloc; 0 is ignored. */
function PyMem_Free(ptr: number): void {
  free(ptr);
}

/** The C API under its C names. */
export const capi = Object.freeze({
  PyMemoryView_FromObject: (obj: unknown): MemoryView => MemoryView.fromObject(obj),
  PyMemoryView_FromMemory: (mem: number, size: number, flags: number): MemoryView =>
    MemoryView.fromMemory(mem, size, flags),
  PyMemoryView_FromBuffer: (info: Py_buffer): MemoryView => MemoryView.fromBuffer(info),
  PyMemoryView_GetContiguous: (obj: unknown, buffertype: number, order: Order): MemoryView =>
    MemoryView.getContiguous(obj, buffertype, order),
  PyMemoryView_Check: (obj: unknown): obj is MemoryView => MemoryView.check(obj),
  /** The view's own descriptor (not a copy). */
  PyMemoryView_GET_BUFFER: (mv: MemoryView): Py_buffer => mv.view,
  /** The exporting object, or null for views made by FromMemory/FromBuffer. */
  PyMemoryView_GET_BASE: (mv: MemoryView): object | null => mv.view.obj,
  PyObject_CheckBuffer: (obj: unknown): boolean => checkBuffer(obj),
  PyObject_GetBuffer: (obj: unknown, flags: number): Py_buffer => {
    // flags is a C int: a JS number outside its range fails as the __buffer__ wrapper does on
    // wasm32, where PyNumber_AsSsize_t (a 32-bit Py_ssize_t) refuses it before wrap_buffer's
    // own "buffer flags too large" check (which 64-bit CPython reaches)
    if (flags > INT_MAX || flags < INT_MIN) {
      throw new OverflowError("cannot fit 'int' into an index-sized integer");
    }
    return getBuffer(obj, flags);
  },
  PyBuffer_Release: (view: Py_buffer): void => releaseBuffer(view),
  PyBuffer_IsContiguous: (view: Py_buffer, order: Order): boolean => isContiguous(view, order),
  PyBuffer_ToContiguous,
  PyBuffer_FromContiguous,
  PyObject_CopyData,
  PyBuffer_FillInfo,
  PyBuffer_FillContiguousStrides,
  PyBuffer_GetPointer,
  /** struct.calcsize of the C string `format`: it ends at its first NUL, as a `const char *` does. */
  PyBuffer_SizeFromFormat: (format: string): number => {
    const nul = typeof format === 'string' ? format.indexOf('\0') : -1;
    return calcsize(nul < 0 ? format : format.slice(0, nul));
  },
  PyMem_Malloc,
  PyMem_Free,
});

/** Reads `len` bytes at `ptr` of linear memory into a new Uint8Array. */
export function readMemory(ptr: number, len: number): Uint8Array {
  checkRange('readMemory', ptr, len);
  return heapU8().slice(ptr, ptr + len);
}

/** Writes `bytes` at `ptr` of linear memory. */
export function writeMemory(ptr: number, bytes: ArrayLike<number>): void {
  checkRange('writeMemory', ptr, bytes.length);
  heapU8().set(bytes, ptr);
}
