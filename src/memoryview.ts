// Python's memoryview and its managed buffer, as Objects/memoryobject.c.
import {
  Py_buffer, bf_getbuffer, bf_releasebuffer, checkBuffer, checkDescriptor, contiguousStrides, getBuffer, isContiguous,
  releaseBuffer, type BufferExporter,
} from './buffer.js';
import { trackView, untrackView } from './finalize.js'; // reliability hook
import { checkOwnedMemory } from './buffer.js'; // reliability hook
import { copyStrided, contiguousOperand } from './copy.js';
import { BufferError, SystemError, ValueError, pyTypeName } from './errors.js';
import {
  PyBUF, reqAnyContiguous, reqCContiguous, reqFContiguous, reqFormat, reqIndirect, reqShape, reqStrides,
  reqWritable,
} from './flags.js';
import { Bytes } from './exporters/bytes.js';
import { strhex } from './hex.js';
import { adjustFormat, unpackItem, type Item } from './items.js';
import { free, heapU8, heapView, malloc } from './wasm/runtime.js';

// Memoryview flags (_Py_MEMORYVIEW_* in Include/cpython/memoryobject.h).
const MV_RELEASED = 0x001;
const MV_C = 0x002;
const MV_FORTRAN = 0x004;
const MV_SCALAR = 0x008;
const MV_PIL = 0x010;

/** A nested list of items, as memoryview.tolist() returns. */
export type NestedList = Item | NestedList[];

/** An object whose memory a managed buffer owns outright (the bytes behind a contiguous copy). */
interface OwnedExporter {
  dispose(): void;
}

/**
 * The managed buffer (_PyManagedBufferObject): one buffer acquired from the exporter, shared by
 * every memoryview made from it; released when the last registered view goes.
 */
export class ManagedBuffer {
  /** The buffer as the exporter filled it (read-only for all views). */
  readonly master: Py_buffer;
  /** Views registered on this buffer. */
  exports = 0;
  /** Whether the exporter's buffer has been released. */
  released = false;
  /** An exporter created for this buffer alone, disposed with it. */
  owned: OwnedExporter | null = null;

  constructor(master: Py_buffer) {
    this.master = master;
  }

  /** _PyManagedBuffer_FromObject. */
  static fromObject(base: unknown, flags: number): ManagedBuffer {
    return new ManagedBuffer(getBuffer(base, flags));
  }

  /** mbuf_release. */
  release(): void {
    if (this.released) return;
    this.released = true;
    releaseBuffer(this.master);
    const owned = this.owned;
    this.owned = null;
    owned?.dispose();
  }
}

/** Order argument of tobytes(): 'C', 'F', 'A', or null/undefined for 'C'. */
export type Order = 'C' | 'F' | 'A';

/**
 * Python's memoryview. Create one with `MemoryView.fromObject(exporter)` (Python's
 * `memoryview(obj)`); release it with `release()` or a `using` declaration.
 */
export class MemoryView implements BufferExporter {
  /** @internal The managed buffer this view is registered on. */
  mbuf: ManagedBuffer;
  /** @internal This view's own descriptor: shape, strides and suboffsets belong to it. */
  view: Py_buffer;
  /** @internal _Py_MEMORYVIEW_* flags. */
  flags = 0;
  /** @internal Buffers exported by this view (memory_getbuf) and not yet released. */
  exports = 0;
  /** @internal Cached hash, or null. */
  hashValue: number | null = null;

  /** @internal Use MemoryView.fromObject and friends. */
  constructor(mbuf: ManagedBuffer, view: Py_buffer) {
    this.mbuf = mbuf;
    this.view = view;
    trackView(this, mbuf); // reliability hook (src/finalize.ts): release views dropped unreleased
  }

  // ---------------------------------------------------------------- constructors

  /**
   * PyMemoryView_FromObject (Python's `memoryview(obj)`): a memoryview of any exporter, or a
   * new view on the same managed buffer when `obj` is a memoryview.
   */
  static fromObject(obj: unknown): MemoryView {
    return MemoryView.fromObjectAndFlags(obj, PyBUF.FULL_RO);
  }

  /** PyMemoryView_FromObjectAndFlags (memoryview._from_flags). */
  static fromObjectAndFlags(obj: unknown, flags: number): MemoryView {
    if (obj instanceof MemoryView) {
      obj.checkReleased();
      return mbufAddView(obj.mbuf, obj.view);
    }
    if (checkBuffer(obj)) {
      const mbuf = ManagedBuffer.fromObject(obj, flags);
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
   * memory; `flags` is PyBUF.READ or PyBUF.WRITE. The view has no exporter (`obj` is null).
   */
  static fromMemory(ptr: number, size: number, flags: number): MemoryView {
    if (flags !== PyBUF.READ && flags !== PyBUF.WRITE) {
      throw new SystemError('PyMemoryView_FromMemory(): flags must be PyBUF_READ or PyBUF_WRITE');
    }
    if (!Number.isInteger(ptr) || ptr <= 0) {
      throw new ValueError('PyMemoryView_FromMemory(): mem must not be NULL');
    }
    if (!Number.isInteger(size) || size < 0) {
      throw new ValueError('PyMemoryView_FromMemory(): size must not be negative');
    }
    if (ptr + size > heapU8().length) {
      throw new ValueError('PyMemoryView_FromMemory(): the memory lies outside the runtime');
    }
    checkOwnedMemory('PyMemoryView_FromMemory', ptr, size); // reliability hook (src/buffer.ts)
    const master = new Py_buffer();
    master.buf = ptr;
    master.len = size;
    master.readonly = flags !== PyBUF.WRITE;
    master.itemsize = 1;
    master.format = 'B';
    master.ndim = 1;
    master.shape = [size];
    master.strides = [1];
    return mbufAddView(new ManagedBuffer(master), null);
  }

  /**
   * PyMemoryView_FromBuffer: a memoryview of a descriptor the caller filled in. The caller keeps
   * ownership of the descriptor's exporter: the view's `obj` is null and releasing the view does
   * not release `info`.
   */
  static fromBuffer(info: Py_buffer): MemoryView {
    if (info.buf === 0) {
      throw new ValueError('PyMemoryView_FromBuffer(): info->buf must not be NULL');
    }
    const master = info.copy();
    master.obj = null;
    checkMasterDescriptor(master);
    checkDescriptor(master);
    return mbufAddView(new ManagedBuffer(master), null);
  }

  /**
   * PyMemoryView_GetContiguous: a view of `obj` contiguous in `order`: the object's own memory
   * when it already is, otherwise (buffertype PyBUF.READ only) a read-only copy in a new Bytes.
   */
  static getContiguous(obj: unknown, buffertype: number, order: string): MemoryView {
    if (buffertype !== PyBUF.READ && buffertype !== PyBUF.WRITE) {
      throw new SystemError('PyMemoryView_GetContiguous(): buffertype must be PyBUF_READ or PyBUF_WRITE');
    }
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

  /** @internal BASE_INACCESSIBLE. */
  get isReleased(): boolean {
    return (this.flags & MV_RELEASED) !== 0 || this.mbuf.released;
  }

  /** @internal CHECK_RELEASED: ValueError on a released view. */
  checkReleased(): void {
    if ((this.flags & MV_RELEASED) !== 0 || this.mbuf.released) {
      throw new ValueError('operation forbidden on released memoryview object');
    }
  }

  /** @internal init_flags: contiguity flags from the descriptor. */
  initFlags(): void {
    const view = this.view;
    let flags = this.flags & MV_RELEASED;
    if (view.ndim === 0) {
      flags |= MV_SCALAR | MV_C | MV_FORTRAN;
    } else if (view.ndim === 1) {
      // MV_CONTIGUOUS_NDIM1: a quirk kept from CPython (an empty view with a step is not contiguous)
      const shape = view.shape as number[];
      const strides = view.strides as number[];
      if (shape[0] === 1 || strides[0] === view.itemsize) flags |= MV_C | MV_FORTRAN;
    } else {
      if (isContiguous(view, 'C')) flags |= MV_C;
      if (isContiguous(view, 'F')) flags |= MV_FORTRAN;
    }
    if (view.suboffsets !== null) {
      flags |= MV_PIL;
      flags &= ~(MV_C | MV_FORTRAN);
    }
    this.flags = flags;
  }

  /** @internal MV_C_CONTIGUOUS. */
  get isCContiguous(): boolean {
    return (this.flags & (MV_SCALAR | MV_C)) !== 0;
  }

  /** @internal MV_F_CONTIGUOUS. */
  get isFContiguous(): boolean {
    return (this.flags & (MV_SCALAR | MV_FORTRAN)) !== 0;
  }

  /** @internal MV_ANY_CONTIGUOUS. */
  get isAnyContiguous(): boolean {
    return (this.flags & (MV_SCALAR | MV_C | MV_FORTRAN)) !== 0;
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
    return this.view.format as string;
  }

  /** Number of dimensions. */
  get ndim(): number {
    this.checkReleased();
    return this.view.ndim;
  }

  /** Extent of each dimension. */
  get shape(): number[] {
    this.checkReleased();
    return this.view.shape === null ? [] : this.view.shape.slice(0, this.view.ndim);
  }

  /** Byte step of each dimension. */
  get strides(): number[] {
    this.checkReleased();
    return this.view.strides === null ? [] : this.view.strides.slice(0, this.view.ndim);
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
    this.checkReleased();
    let ord: Order = 'C';
    if (order !== null && order !== undefined) {
      if (order === 'F' || order === 'A') ord = order;
      else if (order !== 'C') throw new ValueError("order must be 'C', 'F' or 'A'");
    }
    return viewToBytes(this.view, ord);
  }

  /** The items as a (nested) array; a scalar for 0-dim views. */
  tolist(): NestedList {
    this.checkReleased();
    const view = this.view;
    const fmt = adjustFormat(view.format as string);
    const dv = heapView();
    if (view.ndim === 0) return unpackItem(dv, view.buf, fmt);
    return tolistRec(dv, view.buf, 0, view.ndim, view.shape as number[], view.strides as number[],
      view.suboffsets, fmt);
  }

  /**
   * The data in C order as hexadecimal digits, with an optional one-character separator `sep`
   * every `bytesPerSep` bytes (counted from the right if positive, from the left if negative).
   */
  hex(sep?: string | Uint8Array, bytesPerSep = 1): string {
    this.checkReleased();
    const bytes = this.isCContiguous
      ? heapU8().subarray(this.view.buf, this.view.buf + this.view.len)
      : viewToBytes(this.view, 'C');
    return strhex(bytes, sep, bytesPerSep);
  }

  /** A read-only view of the same memory, registered on the same managed buffer. */
  toreadonly(): MemoryView {
    this.checkReleased();
    const mv = mbufAddView(this.mbuf, this.view);
    mv.view.readonly = true;
    return mv;
  }

  /**
   * Releases the view; the exporter's buffer is released with the last view of it. A view
   * that has exported buffers cannot be released (BufferError). Releasing twice is harmless.
   */
  release(): void {
    if ((this.flags & MV_RELEASED) !== 0) return;
    if (this.exports > 0) {
      throw new BufferError(`memoryview has ${this.exports} exported buffer${this.exports === 1 ? '' : 's'}`);
    }
    this.flags |= MV_RELEASED;
    untrackView(this); // reliability hook (src/finalize.ts)
    if (--this.mbuf.exports === 0) this.mbuf.release();
  }

  /** Releases the view at the end of a `using` block. */
  [Symbol.dispose](): void {
    this.release();
  }

  toString(): string {
    return (this.flags & MV_RELEASED) !== 0 ? '<released memory>' : '<memory>';
  }

  // ---------------------------------------------------------------- buffer protocol

  /** memory_getbuf: exports this view's buffer under `flags`. */
  [bf_getbuffer](view: Py_buffer, flags: number): void {
    this.checkReleased();
    const base = this.view;
    if (reqWritable(flags) && base.readonly) {
      throw new BufferError('memoryview: underlying buffer is not writable');
    }
    let format = base.format;
    // No format: the consumer sees unsigned bytes; itemsize stays the previous itemsize.
    if (!reqFormat(flags)) format = null;
    if (reqCContiguous(flags) && !this.isCContiguous) {
      throw new BufferError('memoryview: underlying buffer is not C-contiguous');
    }
    if (reqFContiguous(flags) && !this.isFContiguous) {
      throw new BufferError('memoryview: underlying buffer is not Fortran contiguous');
    }
    if (reqAnyContiguous(flags) && !this.isAnyContiguous) {
      throw new BufferError('memoryview: underlying buffer is not contiguous');
    }
    if (!reqIndirect(flags) && this.isPIL) {
      throw new BufferError('memoryview: underlying buffer requires suboffsets');
    }
    let strides = base.strides;
    if (!reqStrides(flags)) {
      if (!this.isCContiguous) {
        throw new BufferError('memoryview: underlying buffer is not C-contiguous');
      }
      strides = null;
    }
    let ndim = base.ndim;
    let shape = base.shape;
    if (!reqShape(flags)) {
      if (format !== null) {
        throw new BufferError('memoryview: cannot cast to unsigned bytes if the format flag is present');
      }
      ndim = 1;
      shape = null;
    }
    view.buf = base.buf;
    view.len = base.len;
    view.itemsize = base.itemsize;
    view.readonly = base.readonly;
    view.ndim = ndim;
    view.format = format;
    view.shape = shape;
    view.strides = strides;
    view.suboffsets = base.suboffsets;
    view.internal = base.internal;
    view.obj = this;
    this.exports++;
  }

  /** memory_releasebuf. */
  [bf_releasebuffer](_view: Py_buffer): void {
    this.exports--;
  }
}

/** mbuf_add_view: a new memoryview registered on `mbuf`, with full shape and strides. */
export function mbufAddView(mbuf: ManagedBuffer, src: Py_buffer | null): MemoryView {
  const from = src ?? mbuf.master;
  if (from.ndim > PyBUF.MAX_NDIM) {
    throw new ValueError('memoryview: number of dimensions must not exceed 64');
  }
  const view = new Py_buffer();
  // init_shared_values
  view.obj = from.obj;
  view.buf = from.buf;
  view.len = from.len;
  view.itemsize = from.itemsize;
  view.readonly = from.readonly;
  view.format = from.format ?? 'B';
  view.internal = from.internal;
  view.ndim = from.ndim;
  // init_shape_strides: rebuild what the exporter left out
  if (from.ndim === 0) {
    view.shape = null;
    view.strides = null;
  } else if (from.ndim === 1) {
    view.shape = [from.shape !== null ? from.shape[0] : Math.trunc(from.len / from.itemsize)];
    view.strides = [from.strides !== null ? from.strides[0] : from.itemsize];
  } else {
    const shape = (from.shape as number[]).slice(0, from.ndim);
    view.shape = shape;
    view.strides = from.strides !== null
      ? from.strides.slice(0, from.ndim)
      : contiguousStrides(from.ndim, shape, from.itemsize, 'C');
  }
  // init_suboffsets
  view.suboffsets = from.suboffsets === null ? null : from.suboffsets.slice(0, from.ndim);
  const mv = new MemoryView(mbuf, view);
  mv.initFlags();
  mbuf.exports++;
  return mv;
}

/** Checks a caller-built descriptor for FromBuffer: the fields a view is rebuilt from must exist. */
function checkMasterDescriptor(master: Py_buffer): void {
  if (master.ndim > 1 && master.shape === null) {
    throw new ValueError('PyMemoryView_FromBuffer(): ndim > 1 requires shape');
  }
  if (master.ndim === 1 && master.shape === null && master.itemsize <= 0) {
    throw new ValueError('PyMemoryView_FromBuffer(): itemsize must be positive');
  }
}

/** The data of `view` as a new Uint8Array laid out in `order` ('A': the physical order if contiguous, else C). */
export function viewToBytes(view: Py_buffer, order: Order): Uint8Array {
  const len = view.len;
  if (isContiguous(view, order)) {
    return heapU8().slice(view.buf, view.buf + len);
  }
  const mem = malloc(len);
  try {
    bufferToContiguous(mem, view, order);
    return heapU8().slice(mem, mem + len);
  } finally {
    free(mem);
  }
}

/**
 * buffer_to_contiguous: copies a full-information view (shape and strides present) into `mem`,
 * laid out in C order ('C', 'A') or Fortran order ('F'). `mem` must not overlap the view.
 */
export function bufferToContiguous(mem: number, src: Py_buffer, order: Order): void {
  const ndim = src.ndim;
  if (ndim === 0 || src.shape === null || src.strides === null) {
    heapU8().copyWithin(mem, src.buf, src.buf + src.len);
    return;
  }
  const shape = src.shape;
  copyStrided(ndim, src.itemsize, shape, contiguousOperand(mem, ndim, shape, src.itemsize, order),
    { buf: src.buf, strides: src.strides, suboffsets: src.suboffsets }, true);
}

/** memory_from_contiguous_copy: a read-only view of a contiguous copy of `src`, based on a new Bytes. */
function memoryFromContiguousCopy(src: Py_buffer, order: Order): MemoryView {
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
  const view = new Py_buffer();
  view.obj = master.obj;
  view.buf = master.buf;
  view.len = master.len;
  view.readonly = master.readonly;
  view.internal = master.internal;
  view.format = src.format ?? 'B';
  view.itemsize = src.itemsize;
  view.ndim = src.ndim;
  const shape = (src.shape as number[]).slice(0, src.ndim);
  view.shape = shape;
  view.strides = contiguousStrides(src.ndim, shape, src.itemsize, order === 'F' ? 'F' : 'C');
  view.suboffsets = null;
  const mv = new MemoryView(mbuf, view);
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

function tolistRec(dv: DataView, ptr: number, dim: number, ndim: number, shape: readonly number[],
  strides: readonly number[], suboffsets: readonly number[] | null, fmt: string): NestedList[] {
  const n = shape[dim];
  const stride = strides[dim];
  const sub = suboffsets === null ? -1 : suboffsets[dim];
  const out = new Array<NestedList>(n);
  for (let i = 0; i < n; i++, ptr += stride) {
    const p = sub >= 0 ? dv.getUint32(ptr, true) + sub : ptr;
    out[i] = dim === ndim - 1 ? unpackItem(dv, p, fmt) : tolistRec(dv, p, dim + 1, ndim, shape, strides, suboffsets, fmt);
  }
  return out;
}
