// The module-level functions, constants and the staticarray type of CPython's _testbuffer
// (Modules/_testbuffer.c, 3.13), for testing the buffer C API the way CPython's test_buffer does.
// Arguments are checked as PyArg_ParseTuple would check them, with CPython's errors.
import {
  Py_buffer,
  bf_getbuffer,
  getBuffer,
  getPointer,
  isContiguous,
  releaseBuffer,
  type BufferExporter,
} from './buffer.js';
import { capi } from './capi.js';
import { asLongArg, asSsizeArg, asciiError, checkListOrTuple } from './args.js';
import { ValueError } from './errors.js';
import { NDArray, type NDValue } from './exporters/ndarray.js';
import { unpackSingle } from './exporters/ndarray/items.js';
import { ND, PyBUF } from './flags.js';
import type { MemoryView } from './memoryview.js';
import { PySlice, adjustIndices, unpackSlice } from './slice.js';
import { free, heapU8, malloc } from './wasm/heap.js';
import { SIZEOF_VOID_P } from './wasm32.js';

export { NDArray, NDArray as ndarray };

/** ND_MAX_NDIM: the most dimensions an ndarray takes (2 * PyBUF_MAX_NDIM). */
export const ND_MAX_NDIM = ND.MAX_NDIM;
export const ND_VAREXPORT = ND.VAREXPORT;
export const ND_WRITABLE = ND.WRITABLE;
export const ND_FORTRAN = ND.FORTRAN;
export const ND_SCALAR = ND.SCALAR;
export const ND_PIL = ND.PIL;
export const ND_GETBUF_FAIL = ND.GETBUF_FAIL;
export const ND_GETBUF_UNDEFINED = ND.GETBUF_UNDEFINED;
export const ND_REDIRECT = ND.REDIRECT;
export const PyBUF_SIMPLE = PyBUF.SIMPLE;
export const PyBUF_WRITABLE = PyBUF.WRITABLE;
export const PyBUF_FORMAT = PyBUF.FORMAT;
export const PyBUF_ND = PyBUF.ND;
export const PyBUF_STRIDES = PyBUF.STRIDES;
export const PyBUF_INDIRECT = PyBUF.INDIRECT;
export const PyBUF_C_CONTIGUOUS = PyBUF.C_CONTIGUOUS;
export const PyBUF_F_CONTIGUOUS = PyBUF.F_CONTIGUOUS;
export const PyBUF_ANY_CONTIGUOUS = PyBUF.ANY_CONTIGUOUS;
export const PyBUF_FULL = PyBUF.FULL;
export const PyBUF_FULL_RO = PyBUF.FULL_RO;
export const PyBUF_RECORDS = PyBUF.RECORDS;
export const PyBUF_RECORDS_RO = PyBUF.RECORDS_RO;
export const PyBUF_STRIDED = PyBUF.STRIDED;
export const PyBUF_STRIDED_RO = PyBUF.STRIDED_RO;
export const PyBUF_CONTIG = PyBUF.CONTIG;
export const PyBUF_CONTIG_RO = PyBUF.CONTIG_RO;
export const PyBUF_READ = PyBUF.READ;
export const PyBUF_WRITE = PyBUF.WRITE;

/** get_ascii_order: 'C', 'F' or 'A' from the first character of `order`. */
function getAsciiOrder(order: unknown): 'C' | 'F' | 'A' {
  if (typeof order !== 'string') throw new TypeError('order must be a string');
  const err = asciiError(order);
  if (err !== null) throw err;
  const ord = order.charAt(0);
  if (ord !== 'C' && ord !== 'F' && ord !== 'A') throw new ValueError('invalid order, must be C, F or A');
  return ord;
}

/**
 * slice_indices(key, len): [start, stop, step, slicelength] from PySlice_Unpack and
 * PySlice_AdjustIndices.
 */
export function slice_indices(key: unknown, len: unknown): [number, number, number, number] {
  const length = asSsizeArg(len);
  if (!(key instanceof PySlice)) throw new TypeError('first argument must be a slice object');
  const [start0, stop0, step] = unpackSlice(key);
  const { start, stop, slicelength } = adjustIndices(length, start0, stop0, step);
  return [start, stop, step, slicelength];
}

/**
 * get_pointer(bufobj, indices): the item at `indices` found by PyBuffer_GetPointer on a
 * PyBUF_FULL_RO view of `bufobj`.
 */
export function get_pointer(bufobj: unknown, seq: unknown): NDValue {
  checkListOrTuple(seq, 'seq');
  const indices = seq;
  const view = getBuffer(bufobj, PyBUF.FULL_RO);
  try {
    if (view.ndim > ND.MAX_NDIM) throw new ValueError(`get_pointer(): ndim > ${ND.MAX_NDIM}`);
    if (indices.length !== view.ndim) throw new ValueError('get_pointer(): len(indices) != ndim');
    const idx = new Array<number>(view.ndim);
    const shape = view.shape ?? [Math.floor(view.len / view.itemsize)];
    for (let i = 0; i < view.ndim; i++) {
      idx[i] = asSsizeArg(indices[i], 'an integer is required');
      if (idx[i] < 0 || idx[i] >= shape[i]) {
        throw new ValueError(`get_pointer(): invalid index ${idx[i]} at position ${i}`);
      }
    }
    return unpackSingle(getPointer(view, idx), view.format, view.itemsize);
  } finally {
    releaseBuffer(view);
  }
}

/** get_sizeof_void_p(): 4 on wasm32. */
export function get_sizeof_void_p(): number {
  return SIZEOF_VOID_P;
}

/** get_contiguous(obj, buffertype, order): PyMemoryView_GetContiguous with checked arguments. */
export function get_contiguous(obj: unknown, buffertype: unknown, order: unknown): MemoryView {
  const type = asLongArg(buffertype, 'buffertype must be PyBUF_READ or PyBUF_WRITE');
  if (type !== PyBUF.READ && type !== PyBUF.WRITE) throw new ValueError('invalid buffer type');
  const ord = getAsciiOrder(order);
  return capi.PyMemoryView_GetContiguous(obj, type, ord);
}

/** py_buffer_to_contiguous(obj, order, flags): PyBuffer_ToContiguous of a `flags` view, as bytes. */
export function py_buffer_to_contiguous(obj: unknown, order: unknown, flags: unknown): Uint8Array {
  const request = asLongArg(flags);
  const view = getBuffer(obj, request);
  let buf = 0;
  try {
    const ord = getAsciiOrder(order);
    buf = malloc(view.len);
    capi.PyBuffer_ToContiguous(buf, view, view.len, ord);
    return heapU8().slice(buf, buf + view.len);
  } finally {
    releaseBuffer(view);
    free(buf);
  }
}

function fmtcmp(fmt1: string | null, fmt2: string | null): boolean {
  if (fmt1 === null) return fmt2 === null || fmt2 === 'B';
  if (fmt2 === null) return fmt1 === 'B';
  return fmt1 === fmt2;
}

function arraycmp(
  a1: readonly number[],
  a2: readonly number[],
  shape: readonly number[] | null,
  ndim: number,
): boolean {
  for (let i = 0; i < ndim; i++) {
    // strides can differ if the dimension is less than 2
    if (shape !== null && shape[i] <= 1) continue;
    if (a1[i] !== a2[i]) return false;
  }
  return true;
}

/** cmp_contig(b1, b2): whether two contiguous buffers are physically equal. */
export function cmp_contig(b1: unknown, b2: unknown): boolean {
  let v1: Py_buffer;
  try {
    v1 = getBuffer(b1, PyBUF.FULL_RO);
  } catch {
    throw new TypeError('cmp_contig: first argument does not implement the buffer protocol');
  }
  let v2: Py_buffer;
  try {
    v2 = getBuffer(b2, PyBUF.FULL_RO);
  } catch {
    releaseBuffer(v1);
    throw new TypeError('cmp_contig: second argument does not implement the buffer protocol');
  }
  try {
    if (!(isContiguous(v1, 'C') && isContiguous(v2, 'C')) && !(isContiguous(v1, 'F') && isContiguous(v2, 'F'))) {
      return false;
    }
    // readonly may differ if created from non-contiguous
    if (
      v1.len !== v2.len ||
      v1.itemsize !== v2.itemsize ||
      v1.ndim !== v2.ndim ||
      !fmtcmp(v1.format, v2.format) ||
      (v1.shape === null) !== (v2.shape === null) ||
      (v1.strides === null) !== (v2.strides === null) ||
      (v1.suboffsets === null) !== (v2.suboffsets === null)
    ) {
      return false;
    }
    if (
      (v1.shape !== null && !arraycmp(v1.shape, v2.shape as number[], null, v1.ndim)) ||
      (v1.strides !== null && !arraycmp(v1.strides, v2.strides as number[], v1.shape, v1.ndim)) ||
      (v1.suboffsets !== null && !arraycmp(v1.suboffsets, v2.suboffsets as number[], null, v1.ndim))
    ) {
      return false;
    }
    const heap = heapU8();
    for (let i = 0; i < v1.len; i++) if (heap[v1.buf + i] !== heap[v2.buf + i]) return false;
    return true;
  } finally {
    releaseBuffer(v1);
    releaseBuffer(v2);
  }
}

/**
 * is_contiguous(obj, order): PyBuffer_IsContiguous; an NDArray's base is inspected directly,
 * anything else through a PyBUF_FULL_RO view.
 */
export function is_contiguous(obj: unknown, order: unknown): boolean {
  const ord = getAsciiOrder(order);
  if (obj instanceof NDArray) return isContiguous(NDArray.baseOf(obj), ord);
  let view: Py_buffer;
  try {
    view = getBuffer(obj, PyBUF.FULL_RO);
  } catch {
    throw new TypeError('is_contiguous: object does not implement the buffer protocol');
  }
  try {
    return isContiguous(view, ord);
  } finally {
    releaseBuffer(view);
  }
}

// staticarray's 12 bytes 0..11, in linear memory for the life of the runtime.
let staticMem = 0;

/**
 * _testbuffer.staticarray: a non-compliant exporter that answers every request with the same
 * read-only 1-dim 'B' buffer of 12 bytes (0..11) and ignores the flags. With `legacy_mode` its
 * views have `obj` null (the pre-3.3 "view.obj == NULL" hack).
 */
export class StaticArray implements BufferExporter {
  readonly legacy_mode: boolean;

  constructor(options: { legacy_mode?: unknown } = {}) {
    for (const key of Object.keys(options)) {
      if (key !== 'legacy_mode') throw new TypeError(`this function got an unexpected keyword argument '${key}'`);
    }
    this.legacy_mode = options.legacy_mode !== undefined && options.legacy_mode !== false;
  }

  [bf_getbuffer](view: Py_buffer, _flags: number): void {
    if (staticMem === 0) {
      const p = malloc(12);
      const heap = heapU8();
      for (let i = 0; i < 12; i++) heap[p + i] = i;
      staticMem = p;
    }
    view.buf = staticMem;
    view.obj = this.legacy_mode ? null : this;
    view.len = 12;
    view.itemsize = 1;
    view.readonly = true;
    view.ndim = 1;
    view.format = 'B';
    view.shape = [12];
    view.strides = [1];
    view.suboffsets = null;
    view.internal = null;
  }
}

export { StaticArray as staticarray };
