// Python's bytes and bytearray as exporters of linear memory (bytes_buffer_getbuffer and
// bytearray_getbuffer in CPython's Objects/bytesobject.c and bytearrayobject.c).
import {
  Py_buffer,
  bf_getbuffer,
  bf_releasebuffer,
  fillInfo,
  getBuffer,
  isBufferExporter,
  releaseBuffer,
  type BufferExporter,
  type BufferLike,
} from '../buffer.js';
import { asSsizeArg, isPyInt, pyIntValue } from '../args.js';
import { viewToBytes } from '../contiguous.js';
import { copyContiguous } from '../copy/encode.js';
import { PyBUF } from '../flags.js';
import { BufferError, IndexError, MemoryError, OverflowError, ValueError, pyType, pyTypeName } from '../errors.js';
import { asSsize } from '../slice.js';
import { free, heapU8, malloc } from '../wasm/heap.js';
import { wasm } from '../wasm/instance.js';
import { PY_SSIZE_T_MAX, PY_SSIZE_T_MIN } from '../wasm32.js';

/**
 * What Bytes and ByteArray can be built from: any buffer exporter (copied in C order, as
 * `bytes(memoryview)`), a TypedArray/DataView/ArrayBuffer, an iterable or array of byte
 * values, a size (zeros: any Python int, a bigint or a boolean too), or a Latin-1 string (a JavaScript convenience: Python wants bytes).
 */
export type BytesSource = BufferLike | ArrayLike<number> | Iterable<number> | number | bigint | boolean | string;

// A safety net: memory of objects the program dropped without dispose() goes back to the heap.
// An object disposed while exported stays on the net until its last bf_releasebuffer frees the
// memory and takes it off (a Py_buffer dropped unreleased keeps it alive, and is collected with it).
const registry =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<number>((ptr) => free(ptr)) : null;

/**
 * An int subscript of bytes or bytearray (a number, bigint or boolean), as PyNumber_AsSsize_t
 * with IndexError; anything else is TypeError, as bytes_subscript and bytearray_subscript say.
 */
function subscriptIndex(index: unknown, pyName: string): number {
  if (isPyInt(index)) return asSsize(pyIntValue(index));
  const what = pyName === 'bytes' ? 'byte' : 'bytearray';
  throw new TypeError(`${what} indices must be integers or slices, not ${pyTypeName(index)}`);
}

/**
 * An item of bytes(), bytearray() or bytearray.extend() and the value of b[i] = v: any Python
 * int (a bool, a bigint) in range(0, 256), else TypeError or ValueError with `rangeMessage`
 * (_getbytevalue says "byte must be ...", bytes' own loop "bytes must be ...").
 */
function byteValue(value: unknown, rangeMessage = 'byte must be in range(0, 256)'): number {
  if (!isPyInt(value)) throw new TypeError(`'${pyTypeName(value)}' object cannot be interpreted as an integer`);
  const v = pyIntValue(value);
  if (v < 0 || v > 255) throw new ValueError(rangeMessage);
  return Number(v);
}

/**
 * The bytes of `source`, with the messages of bytes(), bytearray() or bytearray.extend()
 * (`target`): bytearray's items go through _getbytevalue ("byte must be ..."), bytes' do not.
 */
function toByteArray(source: BytesSource, target: 'bytes' | 'bytearray' | 'extend'): Uint8Array {
  const extending = target === 'extend';
  const cannot = (): TypeError =>
    new TypeError(
      extending
        ? `can't extend bytearray with ${pyTypeName(source)}`
        : `cannot convert '${pyTypeName(source)}' object to ${target}`,
    );
  // an int is a count of zeros, which the constructor makes itself (byteCount); extend() takes none
  if (typeof source === 'number' || typeof source === 'bigint' || typeof source === 'boolean') throw cannot();
  if (typeof source === 'string') {
    const out = new Uint8Array(source.length);
    for (let i = 0; i < source.length; i++) {
      const code = source.charCodeAt(i);
      if (code > 0xff) throw new ValueError('bytes must be in range(0, 256)');
      out[i] = code;
    }
    return out;
  }
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    const bytes =
      source instanceof ArrayBuffer
        ? new Uint8Array(source)
        : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
    // Bytes of linear memory itself must be copied out first: the malloc() that follows may
    // grow the memory and detach them.
    return bytes.buffer === wasm().memory.buffer ? bytes.slice() : bytes;
  }
  if (isBufferExporter(source)) {
    // PyBytes_FromObject / bytearray_extend on a buffer: its items in C order
    const view = getBuffer(source, PyBUF.FULL_RO);
    try {
      return viewToBytes(view, 'C');
    } finally {
      releaseBuffer(view);
    }
  }
  const iterable =
    typeof source === 'object' &&
    source !== null &&
    (typeof (source as Partial<Iterable<number>>)[Symbol.iterator] === 'function' ||
      typeof (source as Partial<ArrayLike<number>>).length === 'number');
  if (!iterable) throw cannot();
  const values = Array.from(source as Iterable<number>);
  const out = new Uint8Array(values.length);
  const rangeMessage = target === 'bytes' ? 'bytes must be in range(0, 256)' : 'byte must be in range(0, 256)';
  for (let i = 0; i < values.length; i++) out[i] = byteValue(values[i], rangeMessage);
  return out;
}

// PyBytesObject_SIZE on a 32-bit CPython (the header before the bytes).
const PY_BYTES_OBJECT_SIZE = 17;

/**
 * bytes(n) / bytearray(n) for a Python int `n` (a number, bigint or boolean): the count, with
 * the errors of a 32-bit CPython: past Py_ssize_t either way OverflowError (PyNumber_AsSsize_t),
 * then a negative count ValueError, then checkCount's.
 */
function byteCount(n: number | bigint | boolean, pyName: string): number {
  const x = pyIntValue(n);
  if (x > PY_SSIZE_T_MAX || x < PY_SSIZE_T_MIN) throw new OverflowError("cannot fit 'int' into an index-sized integer");
  if (x < 0) throw new ValueError('negative count');
  const count = Number(x);
  checkCount(count, pyName);
  return count;
}

/**
 * A byte count as a 32-bit CPython takes it: past Py_ssize_t, OverflowError (PyNumber_AsSsize_t);
 * bytes too large for their header, OverflowError "byte string is too large" (_PyBytes_FromSize);
 * a bytearray too large, MemoryError (PyByteArray_Resize). Smaller sizes the heap cannot hold
 * raise MemoryError from malloc().
 */
function checkCount(n: number, pyName: string): void {
  if (n > PY_SSIZE_T_MAX) throw new OverflowError("cannot fit 'int' into an index-sized integer");
  if (n > PY_SSIZE_T_MAX - PY_BYTES_OBJECT_SIZE) {
    if (pyName === 'bytes') throw new OverflowError('byte string is too large');
    throw new MemoryError();
  }
}

/** Common storage: one block of linear memory holding the bytes. */
abstract class ByteStorage implements BufferExporter {
  /** @internal Address of the data (a live block of at least one byte). */
  protected ptr: number;
  /** @internal Number of bytes. */
  protected size: number;
  private disposed = false;

  protected constructor(source: BytesSource) {
    if (isPyInt(source)) {
      // sizes past wasm32's Py_ssize_t fail as on a 32-bit CPython, before any allocation
      const count = byteCount(source, (this as unknown as { pyName: string }).pyName); // a prototype getter: safe here
      // zeros straight in linear memory, without a JS staging copy
      this.size = count;
      this.ptr = malloc(count);
      heapU8().fill(0, this.ptr, this.ptr + count);
    } else {
      const data = toByteArray(source, (this as unknown as { pyName: 'bytes' | 'bytearray' }).pyName);
      this.size = data.length;
      this.ptr = malloc(data.length);
      heapU8().set(data, this.ptr);
    }
    registry?.register(this, this.ptr, this);
  }

  /** @internal Throws on a disposed object. */
  protected checkAlive(): void {
    if (this.disposed) throw new ValueError(`operation forbidden on disposed ${this.pyName} object`);
  }

  /** Number of bytes. */
  get length(): number {
    this.checkAlive();
    return this.size;
  }

  /** The address of the first byte in linear memory. */
  get address(): number {
    this.checkAlive();
    return this.ptr;
  }

  /** A copy of the bytes. */
  toUint8Array(): Uint8Array {
    this.checkAlive();
    return heapU8().slice(this.ptr, this.ptr + this.size);
  }

  /** The byte at `index` (negative counts from the end): Python's `b[index]`. */
  at(index: number): number {
    this.checkAlive();
    const k = subscriptIndex(index, this.pyName);
    const i = k < 0 ? k + this.size : k;
    if (i < 0 || i >= this.size) {
      // bytes_subscript and bytearray_subscript word it differently
      throw new IndexError(this.pyName === 'bytes' ? 'index out of range' : 'bytearray index out of range');
    }
    return heapU8()[this.ptr + i];
  }

  /** The Python type name, for messages. */
  protected abstract get pyName(): string;

  /** @internal Python's name for the type (pyTypeName). */
  get [pyType](): string {
    return this.pyName;
  }

  /** Buffers exported and not yet released. */
  protected exportCount = 0;

  /** Whether exported buffers are read-only (bytes) or writable (bytearray). */
  protected abstract get exportsReadonly(): boolean;

  /** bytes_buffer_getbuffer / bytearray_getbuffer: a one-dimensional byte buffer (PyBuffer_FillInfo). */
  [bf_getbuffer](view: Py_buffer, flags: number): void {
    this.checkAlive();
    fillInfo(view, this, this.ptr, this.size, this.exportsReadonly, flags);
    this.exportCount++;
  }

  [bf_releasebuffer](_view: Py_buffer): void {
    if (--this.exportCount === 0 && this.disposed) this.freeBlock();
  }

  /**
   * Lets go of the bytes (idempotent); never throws. Unexported, the linear memory is freed
   * now; while buffers are exported (memoryviews, Py_buffer descriptors), it is freed when the
   * last of them is released, or when the finalization net collects forgotten views, as
   * CPython frees an object when a memoryview held the last reference. From now on every use,
   * and every new export, raises ValueError.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.exportCount === 0) this.freeBlock();
  }

  private freeBlock(): void {
    registry?.unregister(this);
    free(this.ptr);
    this.ptr = 0;
    this.size = 0;
  }

  /** Same as dispose(), for `using` declarations. */
  [Symbol.dispose](): void {
    this.dispose();
  }
}

/** Python's bytes: immutable bytes in linear memory, exported read-only. */
export class Bytes extends ByteStorage {
  /** Copies `source` into linear memory (an int, as a number, bigint or boolean, gives that many zero bytes). */
  constructor(source: BytesSource = 0) {
    super(source);
  }

  /** Same as `new Bytes(source)`. */
  static from(source: BytesSource): Bytes {
    return new Bytes(source);
  }

  protected get pyName(): string {
    return 'bytes';
  }

  protected get exportsReadonly(): boolean {
    return true;
  }
}

/** Python's bytearray: mutable, resizable bytes in linear memory, exported writable. */
export class ByteArray extends ByteStorage {
  /** Copies `source` into linear memory (an int, as a number, bigint or boolean, gives that many zero bytes). */
  constructor(source: BytesSource = 0) {
    super(source);
  }

  /** Same as `new ByteArray(source)`. */
  static from(source: BytesSource): ByteArray {
    return new ByteArray(source);
  }

  protected get pyName(): string {
    return 'bytearray';
  }

  protected get exportsReadonly(): boolean {
    return false;
  }

  /**
   * Sets the byte at `index` (negative counts from the end): Python's `b[index] = value`;
   * allowed while exported. As bytearray_ass_subscript, the value is checked before the index
   * is range-checked.
   */
  setAt(index: number, value: number): void {
    this.checkAlive();
    const k = subscriptIndex(index, 'bytearray');
    const byte = byteValue(value);
    const i = k < 0 ? k + this.size : k;
    if (i < 0 || i >= this.size) throw new IndexError('bytearray index out of range');
    heapU8()[this.ptr + i] = byte;
  }

  /**
   * bytearray.resize(size) (new in 3.14): changes the size to `size` bytes, new bytes zero. The
   * size is a Py_ssize_t argument (an integer: number, bigint or boolean; TypeError otherwise,
   * OverflowError past 32 bits), negative sizes are ValueError, and a change of size while
   * any buffer is exported is BufferError (PyByteArray_Resize); the same size always succeeds.
   */
  resize(size: number | bigint | boolean): void {
    this.checkAlive();
    const n = asSsizeArg(size);
    if (n < 0) throw new ValueError(`Can only resize to positive sizes, got ${n}`);
    this.#resize(n);
  }

  /** PyByteArray_Resize: every size change of this bytearray goes through here. */
  #resize(newSize: number): void {
    checkCount(newSize, 'bytearray'); // wasm32's Py_ssize_t, as on a 32-bit CPython
    if (newSize === this.size) return;
    if (this.exportCount > 0) {
      throw new BufferError('Existing exports of data: object cannot be re-sized', this.exportCount);
    }
    const ptr = malloc(newSize);
    copyContiguous(ptr, this.ptr, Math.min(this.size, newSize));
    heapU8().fill(0, ptr + Math.min(this.size, newSize), ptr + newSize);
    registry?.unregister(this);
    free(this.ptr);
    this.ptr = ptr;
    this.size = newSize;
    registry?.register(this, ptr, this);
  }

  /** Appends one byte (bytearray.append). */
  append(value: number): void {
    this.extend([value]);
  }

  /** Appends bytes (bytearray.extend). */
  extend(source: BytesSource): void {
    this.checkAlive();
    const data = toByteArray(source, 'extend');
    if (data.length === 0) return;
    const old = this.size;
    this.#resize(old + data.length);
    heapU8().set(data, this.ptr + old);
  }

  /** Empties the bytearray (bytearray.clear). */
  clear(): void {
    this.checkAlive();
    this.#resize(0);
  }
}

/**
 * @internal The bytes of `value` where CPython takes a bytes object: a Uint8Array (how this
 * library gives bytes, as items of format 'c' and struct's 's' and 'p') or a Bytes, and with
 * `orBytearray` a ByteArray too (struct's 's' and 'p' take either); null for anything else.
 * A disposed Bytes or ByteArray raises its ValueError.
 */
export function pyBytesOf(value: unknown, orBytearray = false): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  if (value instanceof Bytes || (orBytearray && value instanceof ByteArray)) return value.toUint8Array();
  return null;
}
