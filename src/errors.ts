// Python's exception classes, as JavaScript Error subclasses whose `.name` is the Python
// name. TypeError is JavaScript's own (same name, same meaning).

/** Base of the Python-named errors raised by this library (Python's Exception). */
export class PyException extends Error {
  constructor(message?: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Python's BufferError: a buffer could not be exported, resized or released. */
export class BufferError extends PyException {
  /**
   * When exported buffers are why the object refused (a bytearray resize, a memoryview
   * release, an NDArray push or pop): how many were exported. A JavaScript addition, so that
   * CPython's messages stay CPython's word for word; undefined for other BufferErrors.
   */
  declare readonly exports?: number;

  constructor(message?: string, exports?: number) {
    super(message);
    if (exports !== undefined) this.exports = exports;
  }
}
/** Python's ValueError. */
export class ValueError extends PyException {}
/** Python's UnicodeEncodeError (a ValueError): a format or order string that is not ASCII. */
export class UnicodeEncodeError extends ValueError {}
/** Python's IndexError. */
export class IndexError extends PyException {}
/** Python's NotImplementedError. */
export class NotImplementedError extends PyException {}
/** Python's MemoryError: the runtime's linear memory cannot satisfy an allocation. */
export class MemoryError extends PyException {}
/** Python's OverflowError. */
export class OverflowError extends PyException {}
/** Python's RuntimeError. */
export class RuntimeError extends PyException {}
/** Python's SystemError: a C API function was called with arguments it never accepts. */
export class SystemError extends PyException {}
/** struct.error, raised for bad struct formats and values that do not pack. */
export class StructError extends PyException {
  constructor(message?: string) {
    super(message);
    this.name = 'struct.error';
  }
}

/**
 * @internal The key of the Python type name a class of this library gives its instances (a
 * prototype getter), which pyTypeName reads: class names do not survive minifiers (esbuild
 * renames Bytes to _Bytes, others to one letter), and a JavaScript name is not Python's anyway.
 */
export const pyType: unique symbol = Symbol('wasm-memoryview.pyType');

// slice.ts's Ellipsis, a registered symbol: the same value without importing slice.ts (which
// imports this module)
const ELLIPSIS = Symbol.for('wasm-memoryview.Ellipsis');

/**
 * The name Python would print for the type of `value` (for "... not 'X'" messages): the
 * library's own classes by their Python names (bytes, bytearray, memoryview, ndarray, complex,
 * slice; Ellipsis is an 'ellipsis'), a Uint8Array as 'bytes' (what items of format 'c' and
 * struct's bytes are), other objects by their constructor's name.
 */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  switch (typeof value) {
    case 'string':
      return 'str';
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'boolean':
      return 'bool';
    case 'function':
      return 'function';
    case 'symbol':
      return value === ELLIPSIS ? 'ellipsis' : 'symbol';
    default:
      break;
  }
  if (Array.isArray(value)) return 'list';
  const declared = (value as { [pyType]?: unknown })[pyType];
  if (typeof declared === 'string') return declared;
  if (value instanceof Uint8Array) return 'bytes';
  const ctor = (value as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'object';
}
