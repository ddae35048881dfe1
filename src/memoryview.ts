// Python's memoryview, as Objects/memoryobject.c: the view object, its constructors, attributes,
// methods and buffer slots. Its parts along memoryobject.c's sections are in src/memoryview/.
import { clinicInt, clinicTypeName, isPyInt, pyIntValue, sliceIndexNotNone } from './args.js';
import { Py_buffer, bf_getbuffer, bf_releasebuffer, checkBuffer, isContiguous, type BufferExporter } from './buffer.js';
import { checkPointersOwned } from './reach.js';
import { bufferToContiguous, viewToBytes, type Order } from './contiguous.js';
import { BufferError, NotImplementedError, SystemError, ValueError, pyType, pyTypeName } from './errors.js';
import { PyBUF } from './flags.js';
import { ByteArray, Bytes } from './exporters/bytes.js';
import { strhex } from './hex.js';
import { adjustFormat, tolistRec, unpackItem, type Item, type NestedList } from './items.js';
import type { CastFormat, FormatOf, ItemOf } from './formats.js';
import { pyHashCheck } from './hashable.js';
import { pyHashBytes32, pyHashBytes64 } from './pyhash.js';
import { Ellipsis, PySlice, asSsize, unpackSlice, type EllipsisType } from './slice.js';
import { heapU8, heapView } from './wasm/heap.js';
import { PY_SSIZE_T_MAX, contiguousStrides } from './wasm32.js';
import {
  MV_C,
  MV_FORTRAN,
  MV_PIL,
  MV_RELEASED,
  layoutFlags,
  memoryGetbuf,
  mvAnyContiguous,
  mvCContiguous,
  mvFContiguous,
  viewDescriptor,
  type ViewDescriptor,
} from './memoryview/descriptor.js';
import { castLayout, isByteFormatString } from './memoryview/cast.js';
import { compareViews, itemTest } from './memoryview/compare.js';
import {
  initLen,
  initSlice,
  isEmptyTuple,
  isMultiIndex,
  isMultiSlice,
  memoryAssSub,
  memoryItem,
  memoryItemMulti,
  type IndexLike,
  type MemoryViewKey,
} from './memoryview/keys.js';
import { ManagedBuffer } from './memoryview/managed-buffer.js';
import { iterateItems } from './memoryview/iterate.js';
import { settleObjectShape } from './object-shape.js';

export type { Order } from './contiguous.js';
export type { IndexLike, MemoryViewKey } from './memoryview/keys.js';
export type { NestedList } from './items.js';

/**
 * Python's memoryview. Create one with `MemoryView.fromObject(exporter)` (Python's
 * `memoryview(obj)`); release it with `release()` or a `using` declaration.
 *
 * `T` is the JavaScript type of its items where the types know the format (`cast('f')`, a view
 * of a Float32Array: `number`), so that items need no narrowing; any `Item` otherwise.
 */
export class MemoryView<T extends Item = Item> implements BufferExporter {
  /** @internal The managed buffer this view is registered on. */
  mbuf: ManagedBuffer;
  /** @internal This view's own descriptor: shape, strides and suboffsets belong to it. */
  view: ViewDescriptor;
  /** @internal _Py_MEMORYVIEW_* flags. */
  flags = 0;
  /** @internal Buffers exported by this view (memory_getbuf) and not yet released. */
  exports = 0;
  /** @internal Cached hash() (memory_hash caches self->hash), or null. */
  hashValue: number | null = null;
  /** @internal Cached hash64(), or null. */
  hash64Value: bigint | null = null;

  // Private: views come from MemoryView.fromObject and friends, registered on a managed buffer.
  private constructor(mbuf: ManagedBuffer, view: ViewDescriptor) {
    this.mbuf = mbuf;
    this.view = view;
  }

  /** @internal A view registered by the caller on `mbuf` (mbuf_add_view does the registering). */
  static create(mbuf: ManagedBuffer, view: ViewDescriptor): MemoryView {
    return new MemoryView(mbuf, view);
  }

  // ---------------------------------------------------------------- constructors

  /**
   * PyMemoryView_FromObject (Python's `memoryview(obj)`): a memoryview of any exporter, or a
   * new view on the same managed buffer when `obj` is a memoryview.
   */
  static fromObject<U extends Item>(obj: MemoryView<U>): MemoryView<U>;
  static fromObject(obj: Bytes | ByteArray): MemoryView<number>;
  static fromObject<X>(obj: X): MemoryView<ItemOf<FormatOf<X>>>;
  static fromObject(obj: unknown): MemoryView {
    return MemoryView.#fromObjectAndFlags(obj, PyBUF.FULL_RO);
  }

  /**
   * PyMemoryView_FromObjectAndFlags (memoryview._from_flags): `flags` is a C int, converted as
   * Argument Clinic converts it before anything else (a number, bigint or boolean; TypeError
   * for other types, OverflowError outside the C int range).
   */
  static fromObjectAndFlags(obj: unknown, flags: number | bigint | boolean): MemoryView {
    return MemoryView.#fromObjectAndFlags(obj, clinicInt(flags));
  }

  static #fromObjectAndFlags(obj: unknown, request: number): MemoryView {
    if (obj instanceof MemoryView) {
      obj.checkReleased();
      return mbufAddView(obj.mbuf, obj.view);
    }
    if (checkBuffer(obj)) {
      const mbuf = ManagedBuffer.fromObject(obj, request);
      try {
        return mbufAddView(mbuf, null);
      } catch (err) {
        // as Py_DECREF(mbuf) in CPython: a view that could not be made gives the buffer back
        mbuf.release();
        throw err;
      }
    }
    throw new TypeError(`memoryview: a bytes-like object is required, not '${pyTypeName(obj)}'`);
  }

  /**
   * PyMemoryView_FromMemory: a one-dimensional 'B' view of `size` bytes at `ptr` in linear
   * memory; `flags` is PyBUF.READ or PyBUF.WRITE (writable only for PyBUF.WRITE). The view has
   * no exporter (`obj` is null).
   */
  static fromMemory(ptr: number, size: number, flags: number): MemoryView {
    return mbufAddView(ManagedBuffer.fromMemory(ptr, size, flags), null);
  }

  /**
   * PyMemoryView_FromBuffer: a memoryview of a descriptor the caller filled in. The caller keeps
   * ownership of the descriptor's exporter: the view's `obj` is null and releasing the view does
   * not release `info`.
   */
  static fromBuffer(info: Py_buffer): MemoryView {
    return mbufAddView(ManagedBuffer.fromBuffer(info), null);
  }

  /**
   * PyMemoryView_GetContiguous: a view of `obj` contiguous in `order`: the object's own memory
   * when it already is, otherwise (any buffertype but PyBUF.WRITE) a read-only copy in a new Bytes.
   */
  static getContiguous(obj: unknown, buffertype: number, order: Order): MemoryView {
    // buffertype is only an assert() in PyMemoryView_GetContiguous: release builds (Pyodide's)
    // treat anything but PyBUF_WRITE as PyBUF_READ, and so does this
    if (order !== 'C' && order !== 'F' && order !== 'A') {
      throw new SystemError("PyMemoryView_GetContiguous(): order must be 'C', 'F' or 'A'");
    }
    const mv = MemoryView.fromObject(obj);
    const view = mv.view;
    if (buffertype === PyBUF.WRITE && view.readonly) {
      mv.release();
      throw new BufferError('underlying buffer is not writable');
    }
    if (isContiguous(view, order)) return mv;
    if (buffertype === PyBUF.WRITE) {
      mv.release();
      throw new BufferError('writable contiguous buffer requested for a non-contiguous object.');
    }
    try {
      return memoryFromContiguousCopy(view, order);
    } finally {
      mv.release();
    }
  }

  /** PyMemoryView_Check: whether `obj` is a memoryview. */
  static check(obj: unknown): obj is MemoryView {
    return obj instanceof MemoryView;
  }

  // ---------------------------------------------------------------- state

  /** @internal Python's name for the type (pyTypeName). */
  get [pyType](): string {
    return 'memoryview';
  }

  /** @internal BASE_INACCESSIBLE. */
  get isReleased(): boolean {
    return (this.flags & MV_RELEASED) !== 0 || this.mbuf.released;
  }

  /** @internal CHECK_RELEASED: ValueError on a released view. */
  checkReleased(): void {
    if (this.isReleased) throw new ValueError('operation forbidden on released memoryview object');
  }

  /** @internal init_flags: contiguity flags from the descriptor. */
  initFlags(): void {
    this.flags = (this.flags & MV_RELEASED) | layoutFlags(this.view);
  }

  /** @internal MV_C_CONTIGUOUS. */
  get isCContiguous(): boolean {
    return mvCContiguous(this.flags);
  }

  /** @internal MV_F_CONTIGUOUS. */
  get isFContiguous(): boolean {
    return mvFContiguous(this.flags);
  }

  /** @internal MV_ANY_CONTIGUOUS. */
  get isAnyContiguous(): boolean {
    return mvAnyContiguous(this.flags);
  }

  /** @internal Whether the view has suboffsets (a PIL-style array). */
  get isPIL(): boolean {
    return (this.flags & MV_PIL) !== 0;
  }

  // ---------------------------------------------------------------- attributes

  /** The underlying object (the exporter), or null for views of raw memory. */
  get obj(): object | null {
    this.checkReleased();
    return this.view.obj;
  }

  /** Bytes the data would occupy contiguously: product(shape) * itemsize. */
  get nbytes(): number {
    this.checkReleased();
    return this.view.len;
  }

  /** Whether the memory is read-only. */
  get readonly(): boolean {
    this.checkReleased();
    return this.view.readonly;
  }

  /** Bytes per item. */
  get itemsize(): number {
    this.checkReleased();
    return this.view.itemsize;
  }

  /** The struct format of one item. */
  get format(): string {
    this.checkReleased();
    return this.view.format;
  }

  /** Number of dimensions. */
  get ndim(): number {
    this.checkReleased();
    return this.view.ndim;
  }

  /** Extent of each dimension. */
  get shape(): number[] {
    this.checkReleased();
    return this.view.shape.slice(0, this.view.ndim);
  }

  /** Byte step of each dimension. */
  get strides(): number[] {
    this.checkReleased();
    return this.view.strides.slice(0, this.view.ndim);
  }

  /** PIL-style suboffsets; [] when there are none. */
  get suboffsets(): number[] {
    this.checkReleased();
    return this.view.suboffsets === null ? [] : this.view.suboffsets.slice(0, this.view.ndim);
  }

  /** Whether the memory is C-contiguous. */
  get c_contiguous(): boolean {
    this.checkReleased();
    return this.isCContiguous;
  }

  /** Whether the memory is Fortran-contiguous. */
  get f_contiguous(): boolean {
    this.checkReleased();
    return this.isFContiguous;
  }

  /** Whether the memory is contiguous in either order. */
  get contiguous(): boolean {
    this.checkReleased();
    return this.isAnyContiguous;
  }

  // ---------------------------------------------------------------- methods

  /**
   * The data as bytes, in C order ('C', the default, or null), Fortran order ('F'), or for
   * contiguous views their physical order ('A').
   */
  tobytes(order: Order | null = 'C'): Uint8Array {
    // Argument Clinic checks the type before memoryview_tobytes_impl's CHECK_RELEASED
    if (order !== null && order !== undefined && typeof order !== 'string') {
      throw new TypeError(`tobytes() argument 'order' must be str or None, not ${clinicTypeName(order)}`);
    }
    this.checkReleased();
    let ord: Order = 'C';
    if (order !== null && order !== undefined) {
      if (order === 'F' || order === 'A') ord = order;
      else if (order !== 'C') throw new ValueError("order must be 'C', 'F' or 'A'");
    }
    return viewToBytes(this.view, ord);
  }

  /** The items as a (nested) array; a scalar for 0-dim views. */
  tolist(): NestedList<T> {
    this.checkReleased();
    const view = this.view;
    const fmt = adjustFormat(view.format);
    const dv = heapView();
    if (view.ndim === 0) return unpackItem(dv, view.buf, fmt) as T;
    checkPointersOwned(view);
    return tolistRec(dv, view.buf, 0, view.ndim, view.shape, view.strides, view.suboffsets, fmt) as NestedList<T>;
  }

  /**
   * The data in C order as hexadecimal digits, with an optional one-character separator `sep`
   * every `bytesPerSep` bytes (counted from the right if positive, from the left if negative);
   * `sep` is a str or bytes (a Uint8Array or a Bytes), as Python's.
   */
  hex(sep?: string | Uint8Array | Bytes, bytesPerSep = 1): string {
    // Argument Clinic converts bytes_per_sep before memoryview_hex_impl's CHECK_RELEASED
    const group = clinicInt(bytesPerSep);
    this.checkReleased();
    const bytes = this.isCContiguous
      ? heapU8().subarray(this.view.buf, this.view.buf + this.view.len)
      : viewToBytes(this.view, 'C');
    return strhex(bytes, sep, group);
  }

  /** A read-only view of the same memory, registered on the same managed buffer. */
  toreadonly(): MemoryView<T> {
    this.checkReleased();
    const mv = mbufAddView(this.mbuf, this.view);
    mv.view.readonly = true;
    return mv as MemoryView<T>;
  }

  /**
   * Releases the view; the exporter's buffer is released with the last view of it. A view
   * that has exported buffers cannot be released (BufferError). Releasing twice is harmless.
   */
  release(): void {
    if ((this.flags & MV_RELEASED) !== 0) return;
    if (this.exports > 0) {
      throw new BufferError(
        `memoryview has ${this.exports} exported buffer${this.exports === 1 ? '' : 's'}`,
        this.exports,
      );
    }
    this.flags |= MV_RELEASED;
    if (--this.mbuf.exports === 0) this.mbuf.release();
  }

  /** Releases the view at the end of a `using` block. */
  [Symbol.dispose](): void {
    this.release();
  }

  toString(): string {
    return (this.flags & MV_RELEASED) !== 0 ? '<released memory>' : '<memory>';
  }

  // ---------------------------------------------------------------- indexing

  /**
   * Python's `m[key]` (memory_subscript). `key` is an index (number or bigint; negative counts
   * from the end), an array of indices (a tuple: one per dimension, for an item of an N-dim
   * view), a `slice(start, stop, step)` (a new view on the same managed buffer, sliced in
   * dimension 0), or, on a 0-dim view, `[]` (the item) or `Ellipsis` (the view itself).
   * Sub-views and multi-dimensional slicing are NotImplementedError, as in CPython.
   *
   * The key's type gives the result's: an index or a tuple of indices gives an item (CPython
   * raises for a tuple shorter than `ndim`, so there is no sub-view to type), a slice or
   * Ellipsis a MemoryView, and an array of slices `never` (always NotImplementedError).
   * @example
   * m.get(-1);                    // the last item
   * m.get(slice(null, null, -1)); // a reversed view of the same memory
   * m.get([1, 2]);                // item (1, 2) of a 2-D view
   */
  get(key: IndexLike | readonly IndexLike[]): T;
  /** `m[start:stop:step]`, a view of the same memory; `m[...]` of a 0-dim view, the view itself. */
  get(key: PySlice | EllipsisType): MemoryView<T>;
  /** `m[a:b, c:d]`: not implemented by CPython's memoryview (NotImplementedError), so never returns. */
  get(key: readonly PySlice[]): never;
  /** Any key whose kind is known only at run time. */
  get(key: MemoryViewKey): T | MemoryView<T>;
  get(key: MemoryViewKey): Item | MemoryView {
    this.checkReleased();
    const view = this.view;
    if (view.ndim === 0) {
      if (isEmptyTuple(key)) return unpackItem(heapView(), view.buf, adjustFormat(view.format));
      if (key === Ellipsis) return this;
      throw new TypeError('invalid indexing of 0-dim memory');
    }
    if (isPyInt(key)) return memoryItem(this.view, asSsize(pyIntValue(key)));
    if (key instanceof PySlice) {
      const [start, stop, step] = unpackSlice(key); // before any view exists: an error leaves none
      const sliced = mbufAddView(this.mbuf, view);
      initSlice(sliced.view, start, stop, step, 0);
      initLen(sliced.view);
      sliced.initFlags();
      return sliced;
    }
    if (isMultiIndex(key)) return memoryItemMulti(this.view, key);
    if (isMultiSlice(key)) throw new NotImplementedError('multi-dimensional slicing is not implemented');
    throw new TypeError('memoryview: invalid slice key');
  }

  /**
   * Python's `m[key] = value` (memory_ass_sub). An item key (index, tuple, or `[]`/`Ellipsis`
   * on a 0-dim view) packs `value` with the view's format (CPython's pack_single rules: ints in
   * range for integer formats, numbers for 'f'/'d'/'e', any value's truthiness for '?', a
   * Uint8Array of length 1 for 'c'). A slice key on a 1-D view copies the items of `value`,
   * which must be an exporter of the same format, itemsize and shape as the slice; the copy is
   * overlap-safe (`m.set(slice(null, null, -1), m)` reverses in place). Every check happens
   * before any byte is written.
   */
  set(key: MemoryViewKey, value: unknown): void {
    this.checkReleased();
    memoryAssSub(this, key, value);
  }

  /** Python's `del m[key]`: memoryviews never allow it (TypeError "cannot delete memory"). */
  delete(_key: MemoryViewKey): never {
    this.checkReleased();
    adjustFormat(this.view.format);
    if (this.view.readonly) throw new TypeError('cannot modify read-only memory');
    throw new TypeError('cannot delete memory');
  }

  // ---------------------------------------------------------------- cast

  /**
   * memoryview.cast(format, shape): a C-contiguous view of the same memory with a new native
   * single-character `format` (optionally '@'-prefixed) and, if given, a new `shape` (an array;
   * `[]` for a 0-dim view). One side of the cast must be a byte format ('B', 'b' or 'c'); casts
   * go 1-D -> N-D or N-D -> 1-D. CPython's checks, in CPython's order, raise its errors.
   * @example
   * MemoryView.fromObject(bytes).cast('i', [2, 3]); // 24 bytes as a 2x3 array of int32
   */
  cast<F extends CastFormat>(format: F, shape?: readonly (number | bigint | boolean)[]): MemoryView<ItemOf<F>> {
    if (typeof format !== 'string') {
      throw new TypeError(`cast() argument 'format' must be str, not ${clinicTypeName(format)}`);
    }
    this.checkReleased();
    if (!this.isCContiguous) throw new TypeError('memoryview: casts are restricted to C-contiguous views');
    const layout = castLayout(this.view, format, shape);
    const mv = mbufAddView(this.mbuf, this.view);
    const cv = mv.view;
    cv.format = layout.format;
    cv.itemsize = layout.itemsize;
    cv.ndim = layout.shape.length;
    cv.shape = layout.shape;
    cv.strides = contiguousStrides(layout.shape.length, layout.shape, layout.itemsize, 'C');
    cv.suboffsets = null;
    mv.initFlags();
    return mv as MemoryView<ItemOf<F>>;
  }

  // ---------------------------------------------------------------- sequence protocol

  /** len(m): the extent of dimension 0 (TypeError for a 0-dim view). */
  get length(): number {
    this.checkReleased();
    if (this.view.ndim === 0) throw new TypeError('0-dim memory has no length');
    return this.view.shape[0];
  }

  /**
   * iter(m): the items of a 1-D view (TypeError for 0-dim, NotImplementedError for N-dim
   * views, checked when the iterator is made, as memory_iter).
   */
  [Symbol.iterator](): IterableIterator<T> {
    this.checkReleased();
    const ndim = this.view.ndim;
    if (ndim === 0) throw new TypeError('invalid indexing of 0-dim memory');
    if (ndim !== 1) throw new NotImplementedError('multi-dimensional sub-views are not implemented');
    const fmt = adjustFormat(this.view.format);
    return iterateItems(this, fmt, this.length) as IterableIterator<T>;
  }

  /** memoryview.count(value) (3.14): how many items equal `value` under Python's ==. */
  count(value: unknown): number {
    let n = 0;
    const equals = itemTest(value);
    for (const item of this) if (equals(item)) n++;
    return n;
  }

  /**
   * memoryview.index(value, start, stop) (3.14): the first index in [start, stop) (adjusted
   * like slice bounds, without wrapping past 0) whose item equals `value`; ValueError if none.
   */
  index(
    value: unknown,
    start: number | bigint | boolean = 0,
    stop: number | bigint | boolean = PY_SSIZE_T_MAX,
  ): number {
    let lo = sliceIndexNotNone(start);
    let hi = sliceIndexNotNone(stop);
    this.checkReleased();
    const view = this.view;
    if (view.ndim === 0) throw new TypeError('invalid lookup on 0-dim memory');
    if (view.ndim !== 1) throw new NotImplementedError('multi-dimensional lookup is not implemented');
    const n = view.shape[0];
    if (lo < 0) lo = Math.max(lo + n, 0);
    if (hi < 0) hi = Math.max(hi + n, 0);
    hi = Math.min(hi, n);
    lo = Math.min(lo, hi);
    const equals = itemTest(value);
    for (let i = lo; i < hi; i++) if (equals(memoryItem(this.view, i))) return i;
    throw new ValueError('memoryview.index(x): x not found');
  }

  // ---------------------------------------------------------------- comparison and hashing

  /**
   * Python's `m == other`. Released views equal only themselves; a non-exporter is not equal;
   * otherwise shapes must match (up to the first 0 extent) and the items, read in logical
   * order whatever the layout (C, Fortran, strided, PIL), must be equal as Python values:
   * formats are compared item by item through struct, so 'b' -1 != 'B' 255, '<i' == 'i',
   * NaN != NaN, and a format struct cannot parse is never equal.
   */
  equals(other: unknown): boolean {
    if (this.isReleased) return this === other;
    let temp: MemoryView | null = null;
    let ww: ViewDescriptor;
    if (other instanceof MemoryView) {
      if (other.isReleased) return this === other;
      ww = other.view;
    } else {
      if (!checkBuffer(other)) return false;
      try {
        temp = MemoryView.fromObject(other); // PyObject_GetBuffer(w, FULL_RO), full shape/strides
      } catch {
        return false; // NotImplemented, then identity: not equal
      }
      ww = temp.view;
    }
    try {
      return compareViews(this.view, ww);
    } finally {
      temp?.release();
    }
  }

  /**
   * Python's hash(m) on wasm32: read-only views of format 'B', 'b' or 'c' only, equal to the
   * hash of `m.tobytes()`, cached (a released view keeps its cached hash). CPython for wasm32
   * hashes bytes with FNV into a 32-bit Py_hash_t; the value is the one of a CPython started
   * with PYTHONHASHSEED=0, since CPython randomises the key per process otherwise.
   */
  hash(): number {
    if (this.hashValue !== null) return this.hashValue;
    this.hashValue = pyHashBytes32(this.#hashBytes());
    return this.hashValue;
  }

  /**
   * hash(m) as a 64-bit CPython (x86-64, aarch64) started with PYTHONHASHSEED=0 computes it
   * (SipHash-1-3, a 64-bit Py_hash_t), with the same checks and caching as hash().
   */
  hash64(): bigint {
    if (this.hash64Value !== null) return this.hash64Value;
    this.hash64Value = pyHashBytes64(this.#hashBytes());
    return this.hash64Value;
  }

  /** memory_hash up to Py_HashBuffer: the checks, then the C-order bytes to hash. */
  #hashBytes(): Uint8Array {
    this.checkReleased();
    const view = this.view;
    if (!view.readonly) throw new ValueError('cannot hash writable memoryview object');
    if (!isByteFormatString(view.format)) {
      throw new ValueError("memoryview: hashing is restricted to formats 'B', 'b' or 'c'");
    }
    if (view.obj !== null) pyHashCheck(view.obj); // PyObject_Hash(view->obj): keep its error
    return this.isCContiguous ? heapU8().subarray(view.buf, view.buf + view.len) : viewToBytes(view, 'C');
  }

  // ---------------------------------------------------------------- buffer protocol

  /** memory_getbuf: exports this view's buffer under `flags`. */
  [bf_getbuffer](view: Py_buffer, flags: number): void {
    this.checkReleased();
    memoryGetbuf(this.view, this.flags, view, flags);
    view.obj = this;
    this.exports++;
  }

  /** memory_releasebuf. */
  [bf_releasebuffer](_view: Py_buffer): void {
    this.exports--;
  }
}

// V8 sizes the class's objects now, with their fields inline (src/object-shape.ts)
settleObjectShape(() => MemoryView.create(ManagedBuffer.detached(), viewDescriptor('B', [0], [1])));

/** mbuf_add_view: a new memoryview registered on `mbuf`, with full shape and strides. */
export function mbufAddView(mbuf: ManagedBuffer, src: Py_buffer | null): MemoryView {
  const from = src ?? mbuf.master;
  // most views apart, in a function small enough for V8 to inline with the rest of a small view
  // (docs/performance.md, "Small-view overhead")
  return from.ndim === 1 && from.suboffsets === null ? addView1(mbuf, from) : addViewN(mbuf, from);
}

/** mbufAddView of a one-dimensional buffer without suboffsets (init_flags' MV_CONTIGUOUS_NDIM1 rule inlined). */
function addView1(mbuf: ManagedBuffer, from: Py_buffer): MemoryView {
  const n = from.shape !== null ? from.shape[0] : Math.trunc(from.len / from.itemsize);
  const step = from.strides !== null ? from.strides[0] : from.itemsize;
  const mv = MemoryView.create(mbuf, sharedValues(viewDescriptor(from.format ?? 'B', [n], [step]), from, 1));
  mv.flags = n === 1 || step === from.itemsize ? MV_C | MV_FORTRAN : 0;
  mbuf.exports++;
  return mv;
}

/** init_shared_values: `view` takes `from`'s fields but shape, strides and suboffsets. */
function sharedValues(view: ViewDescriptor, from: Py_buffer, ndim: number): ViewDescriptor {
  view.obj = from.obj;
  view.buf = from.buf;
  view.len = from.len;
  view.itemsize = from.itemsize;
  view.readonly = from.readonly;
  view.internal = from.internal;
  view.ndim = ndim;
  return view;
}

/** mbufAddView of any other buffer. */
function addViewN(mbuf: ManagedBuffer, from: Py_buffer): MemoryView {
  const ndim = from.ndim;
  if (ndim > PyBUF.MAX_NDIM) {
    throw new ValueError('memoryview: number of dimensions must not exceed 64');
  }
  // init_shape_strides: rebuild what the exporter left out
  let shape: number[];
  let strides: number[];
  if (ndim === 1) {
    shape = [from.shape !== null ? from.shape[0] : Math.trunc(from.len / from.itemsize)];
    strides = [from.strides !== null ? from.strides[0] : from.itemsize];
  } else if (ndim === 0) {
    shape = [];
    strides = [];
  } else {
    // CPython reads shape[i] here unchecked; an exporter giving ndim > 1 without a shape (which
    // checkDescriptor lets through, unlike FromBuffer) still fails here with a TypeError
    shape = (from.shape as number[]).slice(0, ndim);
    strides = from.strides !== null ? from.strides.slice(0, ndim) : contiguousStrides(ndim, shape, from.itemsize, 'C');
  }
  const view = sharedValues(viewDescriptor(from.format ?? 'B', shape, strides), from, ndim);
  // init_suboffsets
  view.suboffsets = from.suboffsets === null ? null : from.suboffsets.slice(0, ndim);
  const mv = MemoryView.create(mbuf, view);
  mv.initFlags();
  mbuf.exports++;
  return mv;
}

/** memory_from_contiguous_copy: a read-only view of a contiguous copy of `src`, based on a new Bytes. */
function memoryFromContiguousCopy(src: ViewDescriptor, order: Order): MemoryView {
  const bytes = new Bytes(src.len);
  let mbuf: ManagedBuffer;
  try {
    mbuf = ManagedBuffer.fromObject(bytes, PyBUF.FULL_RO);
  } catch (err) {
    bytes.dispose();
    throw err;
  }
  mbuf.owned = bytes;
  const master = mbuf.master;
  const shape = src.shape.slice(0, src.ndim);
  const strides = contiguousStrides(src.ndim, shape, src.itemsize, order === 'F' ? 'F' : 'C');
  const view = viewDescriptor(src.format, shape, strides);
  view.obj = master.obj;
  view.buf = master.buf;
  view.len = master.len;
  view.readonly = master.readonly;
  view.internal = master.internal;
  view.itemsize = src.itemsize;
  view.ndim = src.ndim;
  const mv = MemoryView.create(mbuf, view);
  mv.initFlags();
  mbuf.exports++;
  try {
    bufferToContiguous(view.buf, src, order);
  } catch (err) {
    mv.release();
    throw err;
  }
  return mv;
}
