// The arguments of the struct module as its Argument Clinic converters take them: the format
// (str or bytes; cache_struct_converter for the module functions), the buffer to unpack ("y*",
// any bytes-like object), the buffer to pack into ("w*", a writable one) and offsets ("n").
import { isPyInt, pyIntValue } from '../args.js';
import { getBuffer, isBufferExporter, releaseBuffer, type Py_buffer } from '../buffer.js';
import { pyTypeName } from '../errors.js';
import { ByteArray, pyBytesOf, type Bytes } from '../exporters/bytes.js';
import { PyBUF } from '../flags.js';
import { heapU8 } from '../wasm/heap.js';
import { PY_SSIZE_T_MAX, PY_SSIZE_T_MIN } from '../wasm32.js';

/** A struct format as Python's Struct() takes it: a str, or bytes (a Uint8Array or a Bytes). */
export type StructFormat = string | Uint8Array | Bytes;

/**
 * The format as a str (Struct.format is one since 3.14, whichever was given) and whether it
 * was bytes; anything else is Struct()'s TypeError.
 */
export function formatText(format: unknown): [string, boolean] {
  if (typeof format === 'string') return [format, false];
  const bytes = pyBytesOf(format);
  if (bytes === null) {
    throw new TypeError(`Struct() argument 1 must be a str or bytes object, not ${pyTypeName(format)}`);
  }
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return [text, true];
}

/**
 * The bytes of `buffer` as the "y*" converter takes them (any bytes-like object) or, `writable`,
 * as "w*" does (a writable one): JS memory (a DataView, TypedArray or ArrayBuffer) as a DataView
 * over it, or an exporter's C-contiguous buffer (PyBUF_SIMPLE or PyBUF_WRITABLE), which the caller
 * releases. "y*" raises the exporter's own error when it has none; "w*" clears it and raises its
 * TypeError, as CPython's converter does (read-only, not C-contiguous, released).
 */
export function takeBytes(buffer: unknown, writable: boolean): DataView | Py_buffer {
  if (buffer instanceof DataView) return buffer;
  if (ArrayBuffer.isView(buffer)) return new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (buffer instanceof ArrayBuffer) return new DataView(buffer);
  if (!writable) {
    if (!isBufferExporter(buffer)) throw new TypeError(`a bytes-like object is required, not '${pyTypeName(buffer)}'`);
    return getBuffer(buffer, PyBUF.SIMPLE);
  }
  try {
    if (isBufferExporter(buffer)) return getBuffer(buffer, PyBUF.WRITABLE);
  } catch {
    // the converter's error below instead
  }
  throw new TypeError(`argument must be read-write bytes-like object, not ${pyTypeName(buffer)}`);
}

/** An exporter's buffer in linear memory as a DataView, made anew each time (the memory may have grown since). */
export function heapBytes(view: Py_buffer): DataView {
  const heap = heapU8();
  return new DataView(heap.buffer, heap.byteOffset + view.buf, view.len);
}

/**
 * `f` over the bytes of `buffer` (takeBytes), an exporter's buffer released afterwards. Packing
 * and unpacking allocate nothing in linear memory meanwhile, so the DataView stays valid.
 */
export function withBytes<T>(buffer: unknown, writable: boolean, f: (view: DataView) => T): T {
  const bytes = takeBytes(buffer, writable);
  if (bytes instanceof DataView) return f(bytes);
  try {
    return f(heapBytes(bytes));
  } finally {
    releaseBuffer(bytes);
  }
}

/**
 * The Py_ssize_t an offset argument stands for: any Python int (PyNumber_AsSsize_t takes a
 * bool or a bigint too), in wasm32's range, else the error `overflow` makes (pack_into passes
 * PyExc_IndexError, unpack_from's "n" converter OverflowError).
 */
export function checkOffset(offset: unknown, overflow: () => Error): number {
  if (!isPyInt(offset)) throw new TypeError(`'${pyTypeName(offset)}' object cannot be interpreted as an integer`);
  const x = pyIntValue(offset);
  if (x < PY_SSIZE_T_MIN || x > PY_SSIZE_T_MAX) throw overflow();
  return Number(x);
}

/**
 * The format of a module-level function, which looks it up in its cache of Structs first
 * (cache_struct_converter): an unhashable one (a bytearray, a list) fails as a dict key there,
 * before Struct() sees it.
 */
export function cacheable(format: StructFormat): StructFormat {
  if (format instanceof ByteArray || Array.isArray(format)) {
    const name = pyTypeName(format);
    throw new TypeError(`cannot use '${name}' as a dict key (unhashable type: '${name}')`);
  }
  return format;
}
