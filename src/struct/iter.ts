// struct.iter_unpack's iterator (CPython's unpack_iterator in Modules/_struct.c): the structs
// packed one after another in a buffer, unpacked one at a time. It holds an exporter's buffer
// while it iterates, as CPython's does.
import { releaseBuffer, type BufferLike, type Py_buffer } from '../buffer.js';
import { StructError } from '../errors.js';
import type { StructItem } from '../struct.js';
import { heapBytes, takeBytes } from './args.js';

/**
 * The iterator Struct.iterUnpack returns (CPython's unpack_iterator): each `next()` unpacks the
 * next struct of the buffer as it is then. An exporter's buffer stays exported until the iterator
 * is exhausted or closed (`return()`, which `for ... of` calls when a loop is left early), as
 * CPython's holds it until then.
 */
export class StructUnpackIterator implements IterableIterator<StructItem[]> {
  readonly #size: number;
  readonly #unpackAt: (data: DataView, at: number) => StructItem[];
  // JS memory, read where it is, or an exporter's buffer in linear memory (null once released)
  #bytes: DataView | Py_buffer | null;
  readonly #len: number;
  #index = 0;

  /** @internal Made by Struct.iterUnpack: structs of `size` bytes, each read by `unpackAt`. */
  constructor(size: number, unpackAt: (data: DataView, at: number) => StructItem[], buffer: BufferLike) {
    if (size === 0) throw new StructError('cannot iteratively unpack with a struct of length 0');
    this.#size = size;
    this.#unpackAt = unpackAt;
    const bytes = takeBytes(buffer, false);
    this.#bytes = bytes;
    this.#len = bytes instanceof DataView ? bytes.byteLength : bytes.len;
    if (this.#len % size !== 0) {
      this.return();
      throw new StructError(`iterative unpacking requires a buffer of a multiple of ${size} bytes`);
    }
  }

  /** The next struct's items, or done (the buffer released) past the last. */
  next(): IteratorResult<StructItem[]> {
    const bytes = this.#bytes;
    if (bytes === null || this.#index >= this.#len) return this.return();
    const items = this.#unpackAt(bytes instanceof DataView ? bytes : heapBytes(bytes), this.#index);
    this.#index += this.#size;
    return { done: false, value: items };
  }

  /** Ends the iteration early and releases the buffer (what `break` out of `for ... of` calls). */
  return(): IteratorResult<StructItem[]> {
    const bytes = this.#bytes;
    this.#bytes = null;
    this.#index = this.#len;
    if (bytes !== null && !(bytes instanceof DataView)) releaseBuffer(bytes);
    return { done: true, value: undefined };
  }

  /** unpack_iterator.__length_hint__: how many structs are left. */
  lengthHint(): number {
    return (this.#len - this.#index) / this.#size;
  }

  [Symbol.iterator](): this {
    return this;
  }
}
