// The Py_buffer descriptor and the exporter protocol (PEP 3118, and PEP 688's
// __buffer__ / __release_buffer__ as JavaScript symbols).
import { BufferError, SystemError, pyTypeName } from './errors.js';
import { PyBUF, reqFormat, reqShape, reqStrides, reqWritable } from './flags.js';
import { exportJsSource } from './exporters/typed.js';
import { heapI32, ownedRange } from './wasm/heap.js';
import { scratch } from './wasm/scratch.js';
import { ORDER_A, ORDER_C, ORDER_F } from './wasm/abi.generated.js';
import { wasm } from './wasm/instance.js';
import { checkReach } from './reach.js';
import { adjustPtr, isSsize } from './wasm32.js';
import { settleObjectShape } from './object-shape.js';

/**
 * The buffer descriptor, with CPython's fields. Pointers (`buf`) are byte addresses in the
 * runtime's linear memory; shape, strides and suboffsets are arrays of `ndim` numbers or null.
 */
export class Py_buffer {
  /** Address of the first item (the logical start, not necessarily the lowest address). */
  buf = 0;
  /** The exporter, or null for views over raw memory. */
  obj: object | null = null;
  /** Bytes the buffer would occupy contiguously: product(shape) * itemsize. */
  len = 0;
  /** Bytes per item. */
  itemsize = 1;
  /** Whether the buffer must not be written. */
  readonly = false;
  /** Number of dimensions. */
  ndim = 1;
  /** struct format of one item, or null for unsigned bytes ('B'). */
  format: string | null = null;
  /** Extent of each dimension, or null (SIMPLE requests). */
  shape: number[] | null = null;
  /** Byte step of each dimension, or null (C-contiguous). */
  strides: number[] | null = null;
  /** PIL-style suboffsets (negative: no indirection in that dimension), or null. */
  suboffsets: number[] | null = null;
  /** For the exporter's own use. */
  internal: unknown = null;

  /** A copy of the descriptor that shares the arrays, as `*dest = *src` in C. */
  copy(): Py_buffer {
    const view = new Py_buffer();
    view.buf = this.buf;
    view.obj = this.obj;
    view.len = this.len;
    view.itemsize = this.itemsize;
    view.readonly = this.readonly;
    view.ndim = this.ndim;
    view.format = this.format;
    view.shape = this.shape;
    view.strides = this.strides;
    view.suboffsets = this.suboffsets;
    view.internal = this.internal;
    return view;
  }
}

settleObjectShape(() => new Py_buffer());

/**
 * The exporter protocol's "get buffer" slot (bf_getbuffer). An exporter implements
 * `[bf_getbuffer](view, flags)`: it fills `view` for the request `flags` (PyBUF_*), setting
 * `view.obj` to itself, or throws (BufferError for requests it cannot meet) leaving `view.obj` null.
 */
export const bf_getbuffer: unique symbol = Symbol.for('wasm-memoryview.bf_getbuffer');
/**
 * The exporter protocol's optional "release buffer" slot (bf_releasebuffer), called once for
 * every successful bf_getbuffer when the consumer is done with that view.
 */
export const bf_releasebuffer: unique symbol = Symbol.for('wasm-memoryview.bf_releasebuffer');

/**
 * An object that exports buffers of the runtime's linear memory. Implement it to make any
 * object usable with MemoryView and the C API (the analogue of PEP 688's `__buffer__`).
 */
export interface BufferExporter {
  [bf_getbuffer](view: Py_buffer, flags: number): void;
  [bf_releasebuffer]?(view: Py_buffer): void;
}

/** Exporters of JavaScript memory that need no protocol: TypedArrays, DataViews, ArrayBuffers. */
export type JsBufferSource = ArrayBufferView | ArrayBuffer;

/** Anything PyObject_GetBuffer accepts. */
export type BufferLike = BufferExporter | JsBufferSource;

/** Whether `obj` implements the exporter protocol itself. */
export function isBufferExporter(obj: unknown): obj is BufferExporter {
  return (
    typeof obj === 'object' && obj !== null && typeof (obj as Partial<BufferExporter>)[bf_getbuffer] === 'function'
  );
}

/** Whether `obj` is a TypedArray, DataView or ArrayBuffer. */
export function isJsBufferSource(obj: unknown): obj is JsBufferSource {
  return ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer;
}

/** PyObject_CheckBuffer: whether `obj` can export a buffer. */
export function checkBuffer(obj: unknown): obj is BufferLike {
  return isBufferExporter(obj) || isJsBufferSource(obj);
}

/**
 * PyObject_GetBuffer: asks `obj` for a buffer under `flags` and returns the filled descriptor.
 * Not an exporter: TypeError "a bytes-like object is required, not 'X'".
 */
export function getBuffer(obj: unknown, flags: number): Py_buffer {
  if (flags === PyBUF.READ || flags === PyBUF.WRITE) {
    // PyErr_BadInternalCall() in PyObject_GetBuffer since 3.13, with CPython 3.14.2's location
    throw new SystemError('Objects/abstract.c:433: bad argument to internal function');
  }
  const view = new Py_buffer();
  if (isBufferExporter(obj)) {
    obj[bf_getbuffer](view, flags);
  } else if (isJsBufferSource(obj)) {
    exportJsSource(obj, view, flags);
  } else {
    throw new TypeError(`a bytes-like object is required, not '${pyTypeName(obj)}'`);
  }
  if (isByteLayout(view)) return view;
  try {
    checkDescriptor(view);
  } catch (err) {
    releaseBuffer(view);
    throw err;
  }
  return view;
}

/**
 * checkDescriptor's fast path, whoever filled `view`: the one-dimensional byte layout of
 * PyBuffer_FillInfo (bytes, bytearray, a flat TypedArray's bytes, any 1-D 'B' export), checked
 * field by field in a few compares. It accepts only what checkDescriptor accepts; anything else
 * (or an empty range, which ownedRange does not vouch for) takes the full check, which also
 * gives the message. Without it, checking dominated the cost of a small view.
 */
function isByteLayout(view: Py_buffer): boolean {
  const { buf, len, shape, strides } = view;
  return (
    view.ndim === 1 &&
    view.itemsize === 1 &&
    view.suboffsets === null &&
    (view.format === null || view.format === 'B') &&
    (shape === null || (Array.isArray(shape) && shape[0] === len)) &&
    (strides === null || (Array.isArray(strides) && strides[0] === 1)) &&
    typeof buf === 'number' &&
    buf >>> 0 === buf &&
    isSsize(len) &&
    len > 0 &&
    ownedRange(buf, buf + len)
  );
}

/** PyBuffer_Release: calls the exporter's release slot once and clears `view.obj`. */
export function releaseBuffer(view: Py_buffer): void {
  const obj = view.obj;
  if (obj === null) return;
  view.obj = null;
  if (isBufferExporter(obj)) obj[bf_releasebuffer]?.(view);
}

function badDescriptor(what: string): never {
  throw new BufferError(`exporter returned an invalid buffer: ${what}`);
}

/**
 * Checks a descriptor an exporter filled in: integral fields in range, arrays of ndim
 * entries, len consistent with shape and itemsize, and every byte the view can reach inside
 * memory the exporter can own: one live block of the runtime's heap per region, following
 * suboffsets (the pointer tables and every pointed-to sub-array). Runs before any byte moves,
 * so a bad exporter can never make us touch memory outside what it owns.
 */
export function checkDescriptor(view: Py_buffer): void {
  const ndim = view.ndim;
  const itemsize = view.itemsize;
  const shape = view.shape;
  const strides = view.strides;
  const suboffsets = view.suboffsets;
  // a wasm32 pointer: any 32-bit unsigned value (what it reaches is checked below)
  if (typeof view.buf !== 'number' || view.buf >>> 0 !== view.buf) badDescriptor('buf is not an address');
  if (!isSsize(view.len) || view.len < 0) badDescriptor('len is not a size');
  if (!isSsize(itemsize) || itemsize < 0) badDescriptor('itemsize is not a size');
  // more than 64 dimensions is legal here: memoryview refuses them later, with ValueError
  if (typeof ndim !== 'number' || (ndim | 0) !== ndim || ndim < 0 || ndim > 0xffff) badDescriptor('ndim out of range');
  if (view.format !== null && typeof view.format !== 'string') badDescriptor('format is not a string');
  // one call per array, not a loop over [name, array] pairs: this runs for every export
  if (shape !== null) checkDescriptorArray('shape', shape, ndim);
  if (strides !== null) checkDescriptorArray('strides', strides, ndim);
  if (suboffsets !== null) checkDescriptorArray('suboffsets', suboffsets, ndim);
  if (shape !== null) for (let i = 0; i < ndim; i++) if (shape[i] < 0) badDescriptor(`shape[${i}] is negative`);
  // len is what contiguous paths copy: it must be the bytes that shape describes
  if ((shape !== null && ndim > 0) || ndim === 0) {
    let items = 1;
    for (let i = 0; i < ndim; i++) items *= (shape as number[])[i];
    if (items * itemsize !== view.len) badDescriptor('len != product(shape) * itemsize');
  }
  if (suboffsets !== null && (strides === null || shape === null))
    badDescriptor('suboffsets without shape and strides');
  checkReach(view, badDescriptor);
}

/** checkDescriptor for one of shape, strides, suboffsets: an array of at least ndim ssize_t. */
function checkDescriptorArray(name: string, array: unknown, ndim: number): void {
  if (!Array.isArray(array) || array.length < ndim) badDescriptor(`${name} has fewer than ndim entries`);
  for (let i = 0; i < ndim; i++) if (!isSsize(array[i])) badDescriptor(`${name}[${i}] is not an integer`);
}

/** PyBuffer_FillInfo: fills a one-dimensional byte buffer over [buf, buf+len). */
export function fillInfo(
  view: Py_buffer,
  obj: object | null,
  buf: number,
  len: number,
  readonly: boolean,
  flags: number,
): void {
  if (flags === PyBUF.READ || flags === PyBUF.WRITE) {
    // PyErr_BadInternalCall() in PyBuffer_FillInfo, with CPython 3.14.2's location
    throw new SystemError('Objects/abstract.c:775: bad argument to internal function');
  }
  if (reqWritable(flags) && readonly) throw new BufferError('Object is not writable.');
  view.obj = obj;
  view.buf = buf;
  view.len = len;
  view.readonly = readonly;
  view.itemsize = 1;
  view.format = reqFormat(flags) ? 'B' : null;
  view.ndim = 1;
  view.shape = reqShape(flags) ? [len] : null;
  view.strides = reqStrides(flags) ? [1] : null;
  view.suboffsets = null;
  view.internal = null;
}

const ORDER_CODES: Record<string, number> = { C: ORDER_C, F: ORDER_F, A: ORDER_A };

/** PyBuffer_IsContiguous for order 'C', 'F' or 'A' (anything else: false). */
export function isContiguous(view: Py_buffer, order: string): boolean {
  const code = ORDER_CODES[order];
  if (code === undefined || view.suboffsets !== null) return false;
  const { ndim, shape, strides } = view;
  if (view.len === 0) return true;
  if (strides === null || shape === null) {
    // C-contiguous by definition; Fortran too when at most one extent exceeds 1
    if (order !== 'F' || ndim <= 1 || shape === null) return true;
    let big = 0;
    for (let i = 0; i < ndim; i++) if (shape[i] > 1) big++;
    return big <= 1;
  }
  // One dimension, the common case, needs no kernel call: the same test for every order.
  if (ndim === 1) return shape[0] <= 1 || strides[0] === view.itemsize;
  // shape at words [0, ndim) of the scratch area, strides at [ndim, 2 ndim)
  const base = scratch(2 * ndim + 1);
  const words = heapI32();
  const w = base >>> 2;
  for (let i = 0; i < ndim; i++) {
    words[w + i] = shape[i];
    words[w + ndim + i] = strides[i];
  }
  return wasm().isContiguous(ndim, view.itemsize, view.len, base, base + 4 * ndim, 0, code) !== 0;
}

/** PyBuffer_GetPointer: the address of the item at `indices`, following suboffsets. */
export function getPointer(view: Py_buffer, indices: readonly number[]): number {
  let ptr = view.buf;
  const { strides, suboffsets } = view;
  for (let i = 0; i < view.ndim; i++) {
    ptr = adjustPtr(ptr + (strides === null ? 0 : strides[i]) * indices[i], suboffsets, i);
  }
  return ptr;
}
