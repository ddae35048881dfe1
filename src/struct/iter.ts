// struct.iter_unpack's iterator (CPython's unpack_iterator in Modules/_struct.c): the structs
// packed one after another in a buffer, unpacked one at a time. It holds an exporter's buffer
// while it iterates, as CPython's does.
import { getBuffer, isBufferExporter, releaseBuffer, type BufferLike, type Py_buffer } from '../buffer.js';
import { pyTypeName, StructError } from '../errors.js';
import { PyBUF } from '../flags.js';
import type { StructItem } from '../struct.js';
import { heapU8 } from '../wasm/heap.js';

/**
 * The iterator Struct.iterUnpack returns (CPython's unpack_iterator): each `next()` unpacks the
 * next struct of the buffer as it is then. An exporter's buffer stays exported until the iterator
 * is exhausted or closed (`return()`, which `for ... of` calls when a loop is left early), as
 * CPython's holds it until then.
 */
export class StructUnpackIterator implements IterableIterator<StructItem[]> {
  readonly #size: number;
  readonly #unpackAt: (data: DataView, at: number) => StructItem[];
  // JS memory, read where it is (null for an exporter, whose buffer in linear memory #export holds until released)
  readonly #data: DataView | null;
  #export: Py_buffer | null = null;
  readonly #len: number;
  #index = 0;

  /** @internal Made by Struct.iterUnpack: structs of `size` bytes, each read by `unpackAt`. */
  constructor(size: number, unpackAt: (data: DataView, at: number) => StructItem[], buffer: BufferLike) {
    if (size === 0) throw new StructError('cannot iteratively unpack with a struct of length 0');
    this.#size = size;
    this.#unpackAt = unpackAt;
    const b: unknown = buffer;
    if (b instanceof DataView) this.#data = b;
    else if (ArrayBuffer.isView(b)) this.#data = new DataView(b.buffer, b.byteOffset, b.byteLength);
    else if (b instanceof ArrayBuffer) this.#data = new DataView(b);
    else if (isBufferExporter(b)) {
      this.#data = null;
      this.#export = getBuffer(b, PyBUF.SIMPLE);
    } else throw new TypeError(`a bytes-like object is required, not '${pyTypeName(b)}'`);
    this.#len = this.#data?.byteLength ?? (this.#export as Py_buffer).len;
    if (this.#len % size !== 0) {
      this.#close();
      throw new StructError(`iterative unpacking requires a buffer of a multiple of ${size} bytes`);
    }
  }

  /** The next struct's items, or done (the buffer released) past the last. */
  next(): IteratorResult<StructItem[]> {
    if (this.#index >= this.#len || (this.#data === null && this.#export === null)) {
      this.#close();
      return { done: true, value: undefined };
    }
    let data = this.#data;
    if (data === null) {
      const heap = heapU8();
      data = new DataView(heap.buffer, heap.byteOffset + (this.#export as Py_buffer).buf, this.#len);
    }
    const items = this.#unpackAt(data, this.#index);
    this.#index += this.#size;
    return { done: false, value: items };
  }

  /** Ends the iteration early and releases the buffer (what `break` out of `for ... of` calls). */
  return(): IteratorResult<StructItem[]> {
    this.#close();
    this.#index = this.#len;
    return { done: true, value: undefined };
  }

  /** unpack_iterator.__length_hint__: how many structs are left. */
  lengthHint(): number {
    return (this.#len - this.#index) / this.#size;
  }

  [Symbol.iterator](): this {
    return this;
  }

  #close(): void {
    const view = this.#export;
    this.#export = null;
    if (view !== null) releaseBuffer(view);
  }
}
