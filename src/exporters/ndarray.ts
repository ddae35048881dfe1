// CPython's _testbuffer.ndarray (Modules/_testbuffer.c, 3.13) for JavaScript: an exporter that can
// take any layout the buffer protocol allows (C, Fortran, arbitrary strides, offsets, PIL-style
// suboffsets, 0-dim scalars), re-export another exporter's buffer under any request flags, and
// change its structure while exported (ND_VAREXPORT). CPython's test suite builds every layout
// with it, so its tests port one to one.
//
// The data lives in the runtime's linear memory (runtime.malloc); the descriptors (shape, strides,
// suboffsets, format) live in TS objects. Everything an NDArray allocates is freed by
// `dispose()` / `[Symbol.dispose]()` (once the buffers it exported are released), or by a
// finalizer if the array is dropped undisposed.
import { asLongArg, asSsizeArg, checkKeywords, isPyInt } from '../args.js';
import {
  Py_buffer,
  bf_getbuffer,
  bf_releasebuffer,
  checkBuffer,
  getBuffer,
  isContiguous,
  releaseBuffer,
  type BufferExporter,
} from '../buffer.js';
import { checkItemsOwned } from '../reach.js';
import { copyContiguous } from '../copy/encode.js';
import { BufferError, IndexError, RuntimeError, ValueError, pyType } from '../errors.js';
import { ND, PyBUF } from '../flags.js';
import { Ellipsis, PySlice } from '../slice.js';
import { pyHashCheck } from '../hashable.js';
import { pyHashBytes32 } from '../pyhash.js';
import type { StructItem } from '../struct.js';
import { free, heapU8, malloc } from '../wasm/heap.js';
import { contiguousStrides, hasIndirection, reachableRange } from '../wasm32.js';
import { MemoryView } from '../memoryview.js';
import { fillView } from './ndarray/getbuf.js';
import { packSingle, structFor, unpackRec, unpackSingle, type NDList, type NDValue } from './ndarray/items.js';
import {
  ND_C,
  ND_OWN_ARRAYS,
  NDBuf,
  initFlags,
  initLen,
  initNdbuf,
  ndAnyContiguous,
  ndCContiguous,
  ndFortranContiguous,
} from './ndarray/ndbuf.js';
import {
  assignView,
  changeError,
  checkShapelessReach,
  copyBuffer,
  initSlice,
  keyTypeName,
  ptrFromIndex,
} from './ndarray/subscript.js';

// RuntimeError: raised where _testbuffer finds its flags and the layout disagree.
export { RuntimeError };
export type { NDList, NDValue } from './ndarray/items.js';

// _testbuffer's marker for "getbuf not given".
const PyBUF_UNUSED = 0x10000;

/** An initializer item: a scalar for one-member formats, an array of members otherwise. */
export type NDItemInput = StructItem | readonly StructItem[];
/** A multi-dimensional key: a number (index), number[] (tuple), a slice, Ellipsis, or slices. */
export type NDKey = number | bigint | boolean | PySlice | typeof Ellipsis | readonly (number | PySlice)[];

/** Options of `new NDArray(items, options)` (and `push`), as ndarray()'s keyword arguments. */
export interface NDArrayOptions {
  /** Extent of each dimension; `[]` for a 0-dim scalar. Required unless re-exporting. */
  shape?: readonly (number | bigint)[] | null;
  /** Byte steps; omitted or `[]` for C (or, with ND.FORTRAN, Fortran) strides. */
  strides?: readonly (number | bigint)[] | null;
  /** Byte offset of item [0, ..., 0] in the buffer (a multiple of itemsize). Default 0. */
  offset?: number | bigint;
  /** struct format of one item. Default 'B'. */
  format?: string;
  /** ND.* flags. Default 0. */
  flags?: number;
  /** Re-exporting only: the PyBUF_* request made to the exporter. Default PyBUF.FULL_RO. */
  getbuf?: number;
}

// Dropped arrays give their memory back: owners free their data, consumers release their buffer.
// `owned` is the live list of bases (the pending ones after dispose()); a base freed since has
// data 0, so nothing is freed twice.
interface Finalized {
  owned: NDBuf[] | null;
  view: Py_buffer | null;
}
const finalizer =
  typeof FinalizationRegistry === 'undefined'
    ? null
    : new FinalizationRegistry<Finalized>((held) => {
        if (held.view !== null) releaseBuffer(held.view);
        if (held.owned !== null) for (const ndbuf of held.owned) if (ndbuf.data !== 0) free(ndbuf.data);
      });

// Passed to the constructor by #consumerOfSelf() only: the flags of a subscript's consumer are
// derived once, after slicing, as in ndarray_subscript.
const CONSUMER: unique symbol = Symbol('NDArray consumer');

// The static buffer of memoryview_from_buffer() (only one such view may be alive at a time).
let infobuf = 0;

/**
 * CPython's `_testbuffer.ndarray`:
 *
 * ```ts
 * using nd = new NDArray([1, 2, 3, 4, 5, 6], { shape: [2, 3], format: '<i', flags: ND.WRITABLE });
 * nd.tolist();                           // [[1, 2, 3], [4, 5, 6]]
 * nd.get([slice(null), slice(null, null, -1)]).tolist();  // [[3, 2, 1], [6, 5, 4]]
 * using re = new NDArray(nd, { getbuf: PyBUF.ND | PyBUF.FORMAT });  // a re-exporter
 * ```
 */
export class NDArray implements BufferExporter {
  /** @internal Python's name for the type (pyTypeName). */
  get [pyType](): string {
    return 'ndarray';
  }

  /** nd->flags: only ND_VAREXPORT lives here. */
  #ndflags = 0;
  /** The base buffers, head (the active one) first. Empty after release(). */
  #bases: NDBuf[] = [];
  /** Whether this array re-exports another exporter's buffer (ND_IS_CONSUMER). */
  #consumer = false;
  #finalized: Finalized | null = null;
  /** After dispose(): the bases still exported, freed (or, for a consumer, released) by their last release. */
  #pending: NDBuf[] = [];

  /**
   * `new NDArray(items, { shape, strides, offset, format, flags })` builds an array from items;
   * `new NDArray(exporter, { getbuf, flags })` re-exports `exporter`'s buffer as requested by
   * `getbuf` (default PyBUF.FULL_RO).
   */
  constructor(obj: unknown, options: NDArrayOptions = {}) {
    if (obj === CONSUMER) return; // an empty shell for #consumerOfSelf()
    const { shape, strides, format } = options;
    const offset = options.offset === undefined ? 0 : asSsizeArg(options.offset);
    let flags = options.flags === undefined ? ND.DEFAULT : asLongArg(options.flags);
    const getbufArg = options.getbuf === undefined ? PyBUF_UNUSED : asLongArg(options.getbuf);
    checkKeywords(options, ['shape', 'strides', 'offset', 'format', 'flags', 'getbuf']);

    if (checkBuffer(obj) && shape === undefined) {
      if (
        strides !== undefined ||
        offset !== 0 ||
        (format !== undefined && format !== 'B') ||
        !(flags === ND.DEFAULT || flags === ND.REDIRECT)
      ) {
        throw new TypeError("construction from exporter object only takes 'obj', 'getbuf' and 'flags' arguments");
      }
      const getbuf = getbufArg === PyBUF_UNUSED ? PyBUF.FULL_RO : getbufArg;
      const ndbuf = this.#initStaticbuf(obj, getbuf);
      initFlags(ndbuf);
      ndbuf.flags |= flags;
      return;
    }
    if (getbufArg !== PyBUF_UNUSED) {
      throw new TypeError('getbuf argument only valid for construction from exporter object');
    }
    if (shape === undefined) {
      throw new TypeError('shape is a required argument when constructing from list, tuple or scalar');
    }
    if (flags & ND.VAREXPORT) {
      this.#ndflags |= ND.VAREXPORT;
      flags &= ~ND.VAREXPORT;
    }
    this.#bases.unshift(initNdbuf(obj, shape, strides, offset, format ?? 'B', flags));
    this.#finalized = { owned: this.#bases, view: null };
    finalizer?.register(this, this.#finalized, this);
  }

  /** ndarray_init_staticbuf: this array becomes a consumer of `exporter`'s buffer. */
  #initStaticbuf(exporter: unknown, flags: number): NDBuf {
    const view = getBuffer(exporter, flags);
    const ndbuf = new NDBuf(-1, -1, 0, view.readonly ? 0 : ND.WRITABLE);
    // the consumer edits its own copy of the descriptor; `view` keeps what release needs
    assignView(ndbuf.base, view);
    this.#consumer = true;
    this.#bases = [ndbuf];
    this.#finalized = { owned: null, view };
    finalizer?.register(this, this.#finalized, this);
    return ndbuf;
  }

  /** A consumer of this array's buffer (FULL_RO), as subscripting makes. */
  #consumerOfSelf(): NDArray {
    const nd = new NDArray(CONSUMER);
    nd.#initStaticbuf(this, PyBUF.FULL_RO);
    return nd;
  }

  get #head(): NDBuf {
    const head = this.#bases[0];
    if (head === undefined) throw new ValueError('operation forbidden on released ndarray object');
    return head;
  }

  // ---- the exporter protocol -------------------------------------------------------------

  /** ndarray_getbuf: fills `view` for the request `flags`, with _testbuffer's checks and errors. */
  [bf_getbuffer](view: Py_buffer, flags: number): void {
    const ndbuf = this.#head;
    if (!fillView(view, ndbuf, flags, (filled) => this.#insideData(ndbuf, filled))) return;
    view.obj = this;
    ndbuf.exports++;
  }

  /**
   * Whether every byte `view` reaches lies in the base's allocation. Only flags that lie about
   * the layout (ND_SCALAR on a non-contiguous array) make it fail; CPython would hand out a view
   * reaching past its allocation there.
   */
  #insideData(ndbuf: NDBuf, view: Py_buffer): boolean {
    if (this.#consumer || view.suboffsets !== null) return true;
    const [lo, hi] =
      view.shape !== null && view.strides !== null && view.ndim > 0
        ? reachableRange(view.buf, view.ndim, view.itemsize, view.shape, view.strides)
        : [view.buf, view.buf + (view.ndim === 0 ? view.itemsize : view.len)];
    return hi <= lo || (lo >= ndbuf.data && hi <= ndbuf.data + ndbuf.len);
  }

  /** ndarray_releasebuf: one export fewer; a base that is no longer head goes when unexported. */
  [bf_releasebuffer](view: Py_buffer): void {
    if (this.#consumer) {
      // _testbuffer never counts down a consumer; we do, so that dispose() knows when it may
      // release the consumed buffer
      const head = this.#bases[0] ?? this.#pending[0];
      if (head !== undefined && head.exports > 0 && --head.exports === 0 && this.#pending.length > 0) {
        this.#pending = [];
        this.#letGo([]);
      }
      return;
    }
    const ndbuf = view.internal;
    if (!(ndbuf instanceof NDBuf) || ndbuf.exports <= 0) return;
    if (this.#bases.includes(ndbuf)) {
      if (--ndbuf.exports === 0 && ndbuf !== this.#bases[0]) this.#deleteBase(ndbuf);
    } else if (this.#pending.includes(ndbuf) && --ndbuf.exports === 0) {
      this.#pending = this.#pending.filter((b) => b !== ndbuf);
      this.#letGo([ndbuf]);
    }
  }

  #deleteBase(ndbuf: NDBuf): void {
    this.#bases.splice(this.#bases.indexOf(ndbuf), 1);
    free(ndbuf.data);
    ndbuf.data = 0;
  }

  // ---- structure --------------------------------------------------------------------------

  /** push(items, {shape, strides, offset, format, flags}): a new active base (ndarray.push). */
  push(items: unknown, options: Omit<NDArrayOptions, 'getbuf'>): void {
    const opts = options as NDArrayOptions | undefined;
    if (opts === undefined || opts === null || opts.shape === undefined) {
      throw new TypeError("function missing required argument 'shape' (pos 2)");
    }
    const offset = opts.offset === undefined ? 0 : asSsizeArg(opts.offset);
    const flags = opts.flags === undefined ? ND.DEFAULT : asLongArg(opts.flags);
    checkKeywords(opts, ['shape', 'strides', 'offset', 'format', 'flags']);
    const head = this.#head;
    if (flags & ND.VAREXPORT) throw new ValueError('ND_VAREXPORT flag can only be used during object creation');
    if (this.#consumer) throw new BufferError('structure of re-exporting object is immutable');
    if (!(this.#ndflags & ND.VAREXPORT) && head.exports > 0) throw changeError(head.exports);
    this.#bases.unshift(initNdbuf(items, opts.shape, opts.strides, offset, opts.format ?? 'B', flags));
  }

  /** pop(): drops the active base (ndarray.pop). */
  pop(): void {
    const head = this.#head;
    if (this.#consumer) throw new BufferError('structure of re-exporting object is immutable');
    if (head.exports > 0) throw changeError(head.exports);
    if (this.#bases.length === 1) throw new BufferError('list only has a single base');
    this.#deleteBase(head);
  }

  /** add_suboffsets(): redundant all-negative suboffsets, for testing consumers. */
  add_suboffsets(): void {
    const ndbuf = this.#head;
    const base = ndbuf.base;
    if (base.suboffsets !== null) throw new TypeError('cannot add suboffsets to PIL-style array');
    if (base.strides === null) throw new TypeError('cannot add suboffsets to array without strides');
    base.suboffsets = new Array<number>(base.ndim).fill(-1);
    ndbuf.flags &= ~(ND_C | ND.FORTRAN);
  }

  /**
   * Lets go of the array (idempotent); never throws. Unexported, its linear memory is freed
   * now (a re-exporter releases its exporter's buffer); a base that buffers are still exported
   * from (memoryviews, Py_buffer descriptors, sliced NDArrays) is freed when the last of them is
   * released, or when the finalization net collects forgotten views. From now on every use, and
   * every new export, raises ValueError.
   */
  dispose(): void {
    if (this.#bases.length === 0) return;
    const bases = this.#bases;
    this.#bases = [];
    this.#pending = bases.filter((ndbuf) => ndbuf.exports > 0);
    if (this.#consumer) {
      if (this.#pending.length === 0) this.#letGo([]);
      return;
    }
    this.#letGo(bases.filter((ndbuf) => ndbuf.exports === 0));
    // the pending list is now the array the finalizer frees from
    if (this.#finalized !== null) this.#finalized.owned = this.#pending;
    bases.length = 0;
  }

  /**
   * After dispose(): frees `unexported` bases (a consumer: releases the consumed buffer), and
   * takes the array off the finalizer once nothing is pending.
   */
  #letGo(unexported: readonly NDBuf[]): void {
    for (const ndbuf of unexported) {
      free(ndbuf.data);
      ndbuf.data = 0;
    }
    const finalized = this.#finalized;
    if (this.#pending.length > 0 || finalized === null) return;
    finalizer?.unregister(this);
    this.#finalized = null;
    if (finalized.view !== null) releaseBuffer(finalized.view);
  }

  /**
   * The name this array had before exporters shared one: an alias of dispose() (it no longer
   * throws while buffers are exported). MemoryView.release() is Python's and keeps Python's
   * rule.
   */
  release(): void {
    this.dispose();
  }

  /** Same as dispose(), for `using` declarations. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  // ---- attributes -------------------------------------------------------------------------

  /** The active base's flags (ND.* plus the internal ND_C = 0x100 and ND_OWN_ARRAYS = 0x200). */
  get flags(): number {
    return this.#head.flags;
  }
  /** Offset of the array start in the data (-1 for a re-exporter, 0 after ND_PIL). */
  get offset(): number {
    return this.#head.offset;
  }
  /** The exporter a re-exporter holds a buffer of, or null. */
  get obj(): object | null {
    return this.#head.base.obj;
  }
  /** product(shape) * itemsize. */
  get nbytes(): number {
    return this.#head.base.len;
  }
  get readonly(): boolean {
    return this.#head.base.readonly;
  }
  get itemsize(): number {
    return this.#head.base.itemsize;
  }
  /** The struct format, '' when the buffer was re-exported without one. */
  get format(): string {
    return this.#head.base.format ?? '';
  }
  get ndim(): number {
    return this.#head.base.ndim;
  }
  get shape(): number[] {
    return this.#head.base.shape?.slice(0, this.ndim) ?? [];
  }
  get strides(): number[] {
    return this.#head.base.strides?.slice(0, this.ndim) ?? [];
  }
  get suboffsets(): number[] {
    return this.#head.base.suboffsets?.slice(0, this.ndim) ?? [];
  }
  get c_contiguous(): boolean {
    return this.#contig('C', ndCContiguous);
  }
  get f_contiguous(): boolean {
    return this.#contig('F', ndFortranContiguous);
  }
  get contiguous(): boolean {
    return this.#contig('A', ndAnyContiguous);
  }

  #contig(order: string, fromFlags: (flags: number) => boolean): boolean {
    const head = this.#head;
    const ret = isContiguous(head.base, order);
    if (ret !== fromFlags(head.flags)) {
      throw new RuntimeError('results from PyBuffer_IsContiguous() and flags differ');
    }
    return ret;
  }

  /** @internal The active base descriptor (is_contiguous inspects it without the protocol). */
  static baseOf(nd: NDArray): Py_buffer {
    return nd.#head.base;
  }

  // ---- items ------------------------------------------------------------------------------

  /** tolist(): nested arrays of items; a single item for 0-dim arrays. */
  tolist(): NDList {
    const ndbuf = this.#head;
    const base = ndbuf.base;
    if (base.format === null) {
      throw new ValueError('ndarray: tolist() does not support format=NULL, use tobytes()');
    }
    let shape = base.shape;
    let strides = base.strides;
    if (shape === null) {
      shape = [base.len];
      strides = [base.itemsize];
    } else if (strides === null) {
      strides = contiguousStrides(base.ndim, shape, base.itemsize, 'C');
    }
    const s = structFor(base.format);
    // a shape-less layout (len items, as _testbuffer assumes one-byte items) and pointer tables
    // written since the array was made may lead outside the array: checked before any read
    if (base.shape === null && base.ndim > 0) checkShapelessReach(base, base.buf, base.len * base.itemsize);
    if (hasIndirection(base.suboffsets, base.ndim)) {
      checkItemsOwned({
        buf: base.buf,
        len: base.len,
        ndim: base.ndim,
        itemsize: base.itemsize,
        shape,
        strides,
        suboffsets: base.suboffsets,
      });
    }
    return unpackRec(s, base.buf, shape, strides ?? [], base.suboffsets, 0, base.ndim, base.itemsize);
  }

  /** tobytes(): the items in C order, as bytes. */
  tobytes(): Uint8Array {
    const ndbuf = this.#head;
    const src = ndbuf.base;
    // CPython trusts the flags here; a layout whose flags lie (ND_SCALAR on a strided array)
    // would make it read past the data, so the contiguity is also checked.
    if (ndCContiguous(ndbuf.flags) && (src.strides === null || isContiguous(src, 'C'))) {
      return heapU8().slice(src.buf, src.buf + src.len);
    }
    if (src.len === 0) return new Uint8Array(0);
    const shape = src.shape as number[];
    const mem = malloc(src.len);
    try {
      const dest = src.copy();
      dest.buf = mem;
      dest.suboffsets = null;
      dest.strides = contiguousStrides(src.ndim, shape, src.itemsize, 'C');
      copyBuffer(dest, src);
      return heapU8().slice(mem, mem + src.len);
    } finally {
      free(mem);
    }
  }

  /**
   * hash(nd) (ndarray_hash): the hash of tobytes(), as hash(bytes) of a wasm32 CPython;
   * ValueError for writable arrays.
   */
  hash(): number {
    const base = this.#head.base;
    if (!base.readonly) throw new ValueError('cannot hash writable ndarray object');
    // ndarray_hash hashes the exporter first: PyObject_Hash(view->obj) may refuse
    if (base.obj !== null) pyHashCheck(base.obj);
    return pyHashBytes32(this.tobytes());
  }

  /** Iterates as Python's sequence protocol does: items (or sub-arrays) until IndexError. */
  *[Symbol.iterator](): Iterator<NDArray | NDValue> {
    for (let i = 0; ; i++) {
      let x: NDArray | NDValue;
      try {
        x = this.#item(i);
      } catch (err) {
        if (err instanceof IndexError) return;
        throw err;
      }
      yield x;
    }
  }

  /** ndarray_item: item `index` of dimension 0 (an NDArray consumer when ndim > 1). */
  #item(index: number): NDArray | NDValue {
    const base = this.#head.base;
    if (base.ndim === 0) throw new TypeError('invalid indexing of scalar');
    const ptr = ptrFromIndex(base, index);
    if (base.ndim === 1) return unpackSingle(ptr, base.format, base.itemsize);
    const nd = this.#consumerOfSelf();
    try {
      const sub = nd.#head;
      const subview = sub.base;
      subview.buf = ptr;
      subview.len = Math.floor(subview.len / (subview.shape as number[])[0]);
      subview.ndim--;
      subview.shape = (subview.shape as number[]).slice(1);
      if (subview.strides !== null) subview.strides = subview.strides.slice(1);
      if (subview.suboffsets !== null) subview.suboffsets = subview.suboffsets.slice(1);
      // reached through a pointer: what the sub-array reaches must lie in the heap's live blocks
      if (base.suboffsets !== null && base.suboffsets[0] >= 0) checkItemsOwned(subview);
      initFlags(sub);
    } catch (err) {
      nd.release();
      throw err;
    }
    return nd;
  }

  /**
   * Python's `nd[key]` (ndarray_subscript): a number gives an item (or a sub-array), a slice or
   * an array of slices a sliced NDArray that shares this array's memory; 0-dim arrays take `[]`
   * (the item) and Ellipsis (themselves).
   *
   * By the key's type: slices and Ellipsis give an NDArray; an index gives an item of a 1-dim
   * array or a sub-array of an N-dim one, and `[]` the item of a 0-dim array or a copy of the
   * view of an N-dim one, so both say `NDArray | NDValue`. Dispose the NDArrays it returns.
   */
  get(key: PySlice | typeof Ellipsis | readonly [PySlice, ...PySlice[]]): NDArray;
  get(key: NDKey): NDArray | NDValue;
  get(key: NDKey): NDArray | NDValue {
    const base = this.#head.base;
    if (base.ndim === 0) {
      if (Array.isArray(key) && key.length === 0) return unpackSingle(base.buf, base.format, base.itemsize);
      if (key === Ellipsis) return this;
      throw new TypeError('invalid indexing of scalar');
    }
    if (isPyInt(key)) return this.#item(asSsizeArg(key));

    const nd = this.#consumerOfSelf();
    try {
      const ndbuf = nd.#head;
      const sub = ndbuf.base;
      // copy_structure: the consumer's arrays are its own (assignView already copied them)
      ndbuf.flags |= ND_OWN_ARRAYS;
      if (key instanceof PySlice) {
        initSlice(sub, key, 0);
      } else if (Array.isArray(key)) {
        const tuple: readonly unknown[] = key;
        for (let i = 0; i < tuple.length; i++) {
          const k = tuple[i];
          if (!(k instanceof PySlice)) throw new TypeError(`cannot index memory using "${keyTypeName(k)}"`);
          // CPython reads past its arrays here (undefined behaviour); refuse instead
          if (i >= sub.ndim) {
            throw new TypeError(`cannot index ${sub.ndim}-dimension ndarray with ${tuple.length}-element tuple`);
          }
          initSlice(sub, k, i);
        }
      } else {
        throw new TypeError(`cannot index memory using "${keyTypeName(key)}"`);
      }
      initLen(sub);
      initFlags(ndbuf);
    } catch (err) {
      nd.release();
      throw err;
    }
    return nd;
  }

  /**
   * Python's `nd[key] = value` (ndarray_ass_subscript): an item for an index of a 1-dim array
   * (or `[]`/Ellipsis of a 0-dim one), else an exporter of the same structure as `nd[key]`.
   * `value` undefined is `del nd[key]` (always a TypeError).
   */
  set(key: NDKey, value: unknown): void {
    const dest = this.#head.base;
    if (dest.readonly) throw new TypeError('ndarray is not writable');
    if (value === undefined) throw new TypeError('ndarray data cannot be deleted');
    if (dest.ndim === 0) {
      if (key === Ellipsis || (Array.isArray(key) && key.length === 0)) {
        packSingle(dest.buf, value, dest.format, dest.itemsize);
        return;
      }
      throw new TypeError('invalid indexing of scalar');
    }
    if (dest.ndim === 1 && isPyInt(key)) {
      const ptr = ptrFromIndex(dest, asSsizeArg(key));
      packSingle(ptr, value, dest.format, dest.itemsize);
      return;
    }
    // the rvalue must be an exporter
    const src = getBuffer(value, PyBUF.FULL_RO);
    try {
      const nd = this.get(key) as NDArray;
      try {
        copyBuffer(nd.#head.base, src);
      } finally {
        nd.release();
      }
    } finally {
      releaseBuffer(src);
    }
  }

  /** Python's `del nd[key]`: ndarrays never allow it (TypeError, after the read-only check). */
  delete(key: NDKey): never {
    this.set(key, undefined);
    throw new TypeError('ndarray data cannot be deleted');
  }

  /**
   * memoryview_from_buffer(): a MemoryView made by PyMemoryView_FromBuffer over a copy of the
   * raw data in a static buffer. Fragile by design: only one such view may be alive at a time.
   */
  memoryview_from_buffer(): MemoryView {
    const view = this.#head.base;
    let ndbuf: NDBuf;
    if (!this.#consumer) {
      ndbuf = this.#head;
    } else if (view.obj instanceof NDArray && !view.obj.#consumer) {
      ndbuf = view.obj.#head;
    } else {
      throw new TypeError(
        'memoryview_from_buffer(): ndarray must be original exporter or consumer from ' + 'ndarray/original exporter',
      );
    }
    if (view.format !== null && view.format.length > ND.MAX_NDIM) {
      throw new TypeError(`memoryview_from_buffer: format is limited to ${ND.MAX_NDIM} characters`);
    }
    if (view.ndim > ND.MAX_NDIM) {
      throw new TypeError(`memoryview_from_buffer: ndim is limited to ${ND.MAX_NDIM}`);
    }
    const p = malloc(ndbuf.len);
    if (infobuf !== 0) free(infobuf);
    infobuf = p;
    copyContiguous(infobuf, ndbuf.data, ndbuf.len);
    const info = view.copy();
    info.buf = infobuf + (view.buf - ndbuf.data);
    info.shape = view.shape?.slice() ?? null;
    info.strides = view.strides?.slice() ?? null;
    info.suboffsets = view.suboffsets?.slice() ?? null;
    return MemoryView.fromBuffer(info); // PyMemoryView_FromBuffer
  }
}
