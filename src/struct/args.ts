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
 * `f` over the bytes of `buffer`, as the "y*" converter takes it: any bytes-like object. A
 * DataView, TypedArray or ArrayBuffer is read where it is; an exporter (Bytes, ByteArray,
 * MemoryView, NDArray, ...) gives a C-contiguous PyBUF_SIMPLE buffer for the call (its own
 * BufferError if it has none), released afterwards.
 */
export function withBytes<T>(buffer: unknown, f: (view: DataView) => T): T {
  if (buffer instanceof DataView) return f(buffer);
  if (ArrayBuffer.isView(buffer)) return f(new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength));
  if (buffer instanceof ArrayBuffer) return f(new DataView(buffer));
  if (!isBufferExporter(buffer)) throw new TypeError(`a bytes-like object is required, not '${pyTypeName(buffer)}'`);
  const view = getBuffer(buffer, PyBUF.SIMPLE);
  try {
    // unpacking copies every value out and allocates nothing in linear memory meanwhile
    const heap = heapU8();
    return f(new DataView(heap.buffer, heap.byteOffset + view.buf, view.len));
  } finally {
    releaseBuffer(view);
  }
}

/**
 * `f` over the bytes of `buffer`, as the "w*" converter takes it: a writable bytes-like object.
 * A DataView, TypedArray or ArrayBuffer is written where it is; an exporter (ByteArray, a
 * writable MemoryView, NDArray, ...) gives a PyBUF_WRITABLE buffer for the call, released
 * afterwards. Anything else, and an exporter that refuses one (read-only, not C-contiguous,
 * released), is the converter's TypeError: it clears the exporter's own error, as CPython's does.
 */
export function withWritableBytes<T>(buffer: unknown, f: (view: DataView) => T): T {
  if (buffer instanceof DataView) return f(buffer);
  if (ArrayBuffer.isView(buffer)) return f(new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength));
  if (buffer instanceof ArrayBuffer) return f(new DataView(buffer));
  let view: Py_buffer | null = null;
  try {
    if (isBufferExporter(buffer)) view = getBuffer(buffer, PyBUF.WRITABLE);
  } catch {
    view = null;
  }
  if (view === null) throw new TypeError(`argument must be read-write bytes-like object, not ${pyTypeName(buffer)}`);
  try {
    // packing allocates nothing in linear memory, so the heap's buffer stays the one read here
    const heap = heapU8();
    return f(new DataView(heap.buffer, heap.byteOffset + view.buf, view.len));
  } finally {
    releaseBuffer(view);
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
