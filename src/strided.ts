// Strided views without the buffer protocol's ceremony, on the copy planner (src/copy.ts).
//
// Two entry points, by where the data lives:
// - StridedView.over(memory, layout): a view (shape, byte strides, byte offset, format) of memory
//   that is already in the runtime (a TypedArray over linear memory, or a PyMem_Malloc block).
//   Nothing is copied until copyFrom()/toBytes(); toMemoryView() hands it to the buffer protocol.
// - copyLayout(src, layout, out?) and transpose(src, shape, axes?, out?): the fast path for plain
//   JS TypedArrays. Strides and offset count items, as in @stdlib/ndarray and scijs ndarray. The
//   source's reachable range is copied into the runtime once, the planner copies it (tiles, SIMD),
//   and the result is copied out once: two memcpy-speed passes around one planned copy.
// Both take ndarray-like objects where users' arrays already are (scijs ndarray, @stdlib/ndarray,
// Pyodide's PyBuffer: data, shape, strides in items, offset), and a StridedView hands its layout
// back as one (asNdarrayLike), zero-copy over the runtime's memory.
import { copyStrided } from './copy.js';
import { copyAsync } from './wasm/parallel.js';
import { Py_buffer } from './buffer.js';
import { MemoryView } from './memoryview.js';
import { NotImplementedError, ValueError } from './errors.js';
import { calcsize } from './struct.js';
import { typedArrayFormat, viewsRuntimeMemory } from './exporters/typed.js';
import { free, heapU8, malloc, memorySize, wasm } from './wasm/runtime.js';
import type { Order } from './memoryview.js';

/**
 * A Float16Array (ES2025) without naming it: the typings must compile with TypeScript libs that
 * do not declare it yet. Engines without Float16Array never make one.
 */
export interface Float16ArrayLike extends ArrayLike<number> {
  readonly [Symbol.toStringTag]: 'Float16Array';
  readonly BYTES_PER_ELEMENT: number;
  readonly buffer: ArrayBufferLike;
  readonly byteOffset: number;
  readonly byteLength: number;
  [Symbol.iterator](): IterableIterator<number>;
}

/** The TypedArrays every engine has. */
export type NumericArray = Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array |
  Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

/** The TypedArrays copyLayout, transpose and the ndarray adapters accept: Float16Array too. */
export type AnyTypedArray = NumericArray | Float16ArrayLike;

/**
 * An ndarray as JS libraries hold one: a TypedArray and a strided layout over it, strides and
 * offset counted in items. scijs `ndarray` objects (`stride`), @stdlib/ndarray's ndarrays and
 * ndarray-like objects (`strides`, `order`), and Pyodide's `PyBuffer` from `proxy.getBuffer()`
 * (`strides`) all are. `strides` wins over `stride`; both absent: C-contiguous.
 */
export interface NdarrayLike<T extends AnyTypedArray = AnyTypedArray> {
  readonly data: T;
  readonly shape: ArrayLike<number>;
  /** Item strides, scijs ndarray's name. */
  readonly stride?: ArrayLike<number> | undefined;
  /** Item strides, @stdlib/ndarray's and Pyodide's name. */
  readonly strides?: ArrayLike<number> | undefined;
  /** Index in `data` of item [0, ..., 0]; default 0. */
  readonly offset?: number | undefined;
}

/**
 * An ndarray-like object whose `data` the types do not pin down (@stdlib/ndarray's `ndarray`
 * type says `ArrayLike<any>`): accepted, and checked to be a TypedArray at run time (TypeError).
 */
export interface UntypedNdarrayLike extends Omit<NdarrayLike, 'data'> {
  readonly data: unknown;
}

/** A TypedArray constructor, to name the array type asNdarrayLike() must hand out. */
export interface TypedArrayConstructor<T extends AnyTypedArray> {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/**
 * A strided view of runtime memory as an ndarray-like object (StridedView.asNdarrayLike): the
 * fields scijs `ndarray(data, shape, stride, offset)` and @stdlib's
 * `ndarray(dtype, data, shape, strides, offset, order)` take. `data` views the runtime's memory,
 * zero-copy: it is detached by the next call that grows linear memory (any allocation may).
 */
export interface NdarrayView<T extends AnyTypedArray = AnyTypedArray> {
  /** A TypedArray over the runtime's memory, covering every item the view reaches. */
  readonly data: T;
  readonly shape: number[];
  /** Item strides (scijs ndarray's name). */
  readonly stride: number[];
  /** The same item strides (@stdlib/ndarray's name). */
  readonly strides: number[];
  /** Index in `data` of item [0, ..., 0]. */
  readonly offset: number;
  /** @stdlib/ndarray's order: 'column-major' for Fortran-contiguous views, else 'row-major'. */
  readonly order: 'row-major' | 'column-major';
  /** @stdlib/ndarray's data type name ('float32', 'uint8', 'int64', ...). */
  readonly dtype: string;
}

/** A region of linear memory: a block from `capi.PyMem_Malloc`, say. */
export interface MemoryRegion {
  readonly ptr: number;
  readonly len: number;
}

/** The layout of a view over runtime memory; strides and offset in bytes (the buffer protocol's unit). */
export interface ViewLayout {
  /** Extent of each dimension. */
  readonly shape: readonly number[];
  /** Byte step of each dimension; default: C-contiguous. Negative steps are allowed. */
  readonly strides?: readonly number[];
  /** Bytes from the start of the memory to item [0, ..., 0]; default 0. */
  readonly offset?: number;
  /** struct format of one item; default: the TypedArray's ('f' for Float32Array), else 'B'. */
  readonly format?: string;
}

/** The layout of a view of a TypedArray; strides and offset in items. */
export interface ArrayLayout {
  /** Extent of each dimension. */
  readonly shape: readonly number[];
  /** Item step of each dimension; default: C-contiguous. Negative steps are allowed. */
  readonly strides?: readonly number[];
  /** Index of item [0, ..., 0] in the array; default 0. */
  readonly offset?: number;
}

function checkShape(what: string, shape: readonly number[]): void {
  if (!Array.isArray(shape)) throw new TypeError(`${what}: shape must be an array of integers`);
  for (const n of shape) {
    if (!Number.isSafeInteger(n) || n < 0) throw new ValueError(`${what}: shape entries must be integers >= 0, got ${n}`);
  }
}

function checkStrides(what: string, ndim: number, strides: readonly number[]): void {
  if (strides.length !== ndim) throw new ValueError(`${what}: strides must have ${ndim} entries, got ${strides.length}`);
  for (const s of strides) {
    if (!Number.isSafeInteger(s)) throw new ValueError(`${what}: strides must be integers, got ${s}`);
  }
}

function cStrides(shape: readonly number[], unit: number): number[] {
  const strides = new Array<number>(shape.length);
  let sd = unit;
  for (let i = shape.length - 1; i >= 0; i--) { strides[i] = sd; sd *= Math.max(shape[i], 1); }
  return strides;
}

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** [lo, hi) in the strides' unit, reachable from `offset`: items of `unit` size. */
function reach(shape: readonly number[], strides: readonly number[], offset: number, unit: number): [number, number] {
  let lo = offset;
  let hi = offset + unit;
  for (let i = 0; i < shape.length; i++) {
    const extent = strides[i] * (shape[i] - 1);
    if (extent < 0) lo += extent; else hi += extent;
  }
  return [lo, hi];
}

/**
 * A strided view of memory that is already in the runtime: shape, byte strides and format over
 * an address, checked once to lie inside its memory, never copied by itself.
 * @example
 * const p = capi.PyMem_Malloc(4 * 4096 * 4096);
 * const a = StridedView.over({ ptr: p, len: 4 * 4096 * 4096 }, { shape: [4096, 4096], format: 'f' });
 * const t = StridedView.over({ ptr: q, len: 4 * 4096 * 4096 }, { shape: [4096, 4096], format: 'f' });
 * t.copyFrom(a.transpose());       // a tiled SIMD transpose, in place in linear memory
 */
export class StridedView {
  private constructor(
    /** Address of item [0, ..., 0]. */
    readonly buf: number,
    readonly shape: readonly number[],
    /** Byte strides. */
    readonly strides: readonly number[],
    readonly itemsize: number,
    readonly format: string,
    /** The memory the view was made over: [lo, hi) addresses. */
    private readonly bounds: readonly [number, number],
  ) {}

  /**
   * A view of `memory` (a TypedArray or DataView over linear memory, or a `{ ptr, len }` region)
   * with the given layout. Throws ValueError when the layout reaches outside the memory.
   */
  static over(memory: ArrayBufferView | MemoryRegion, layout: ViewLayout): StridedView;
  /**
   * A view of an ndarray-like object (scijs ndarray, @stdlib/ndarray, ...) whose data is a
   * TypedArray over the runtime's memory; item strides and offset become byte strides and offset.
   */
  static over(array: NdarrayLike | UntypedNdarrayLike): StridedView;
  static over(memory: ArrayBufferView | MemoryRegion | NdarrayLike | UntypedNdarrayLike, layout?: ViewLayout): StridedView {
    if (layout === undefined) {
      const nd = ndarrayOperand('StridedView.over()', memory);
      const unit = nd.data.BYTES_PER_ELEMENT;
      return StridedView.over(nd.data as ArrayBufferView, {
        shape: nd.shape, strides: nd.strides.map((st) => st * unit), offset: nd.offset * unit,
      });
    }
    memory = memory as ArrayBufferView | MemoryRegion;
    const what = 'StridedView.over()';
    let base: number;
    let len: number;
    let defaultFormat = 'B';
    if (ArrayBuffer.isView(memory)) {
      if (!viewsRuntimeMemory(memory)) {
        throw new ValueError(`${what}: the ${memory.constructor.name} does not view the runtime's memory; use copyLayout() for plain arrays`);
      }
      base = memory.byteOffset;
      len = memory.byteLength;
      defaultFormat = memory instanceof DataView ? 'B' : typedArrayFormat(memory as NumericArray);
    } else {
      base = memory.ptr;
      len = memory.len;
      if (!Number.isSafeInteger(base) || !Number.isSafeInteger(len) || base < 0 || len < 0 || base + len > memorySize()) {
        throw new ValueError(`${what}: [${base}, ${base} + ${len}) is not inside the runtime's memory`);
      }
    }
    const format = layout.format ?? defaultFormat;
    const itemsize = calcsize(format);
    const shape = [...layout.shape];
    checkShape(what, shape);
    const strides = layout.strides === undefined ? cStrides(shape, itemsize) : [...layout.strides];
    checkStrides(what, shape.length, strides);
    const offset = layout.offset ?? 0;
    if (!Number.isSafeInteger(offset)) throw new ValueError(`${what}: offset must be an integer, got ${offset}`);
    if (count(shape) > 0) {
      const [lo, hi] = reach(shape, strides, offset, itemsize);
      if (lo < 0 || hi > len) {
        throw new ValueError(`${what}: the layout reaches bytes [${lo}, ${hi}) of a ${len}-byte memory`);
      }
    }
    return new StridedView(base + offset, shape, strides, itemsize, format, [base, base + len]);
  }

  /** Number of items. */
  get size(): number {
    return count(this.shape);
  }

  /** Bytes the items occupy contiguously. */
  get nbytes(): number {
    return this.size * this.itemsize;
  }

  /** The same items with their axes permuted (default: reversed), without copying. */
  transpose(axes?: readonly number[]): StridedView {
    const ndim = this.shape.length;
    const order = axes ?? Array.from({ length: ndim }, (_, i) => ndim - 1 - i);
    if (order.length !== ndim || new Set(order).size !== ndim || order.some((a) => !Number.isInteger(a) || a < 0 || a >= ndim)) {
      throw new ValueError(`transpose(): axes must be a permutation of 0..${ndim - 1}`);
    }
    return new StridedView(this.buf, order.map((a) => this.shape[a]), order.map((a) => this.strides[a]), this.itemsize,
      this.format, this.bounds);
  }

  /**
   * Copies the items of `src` into this view (same shape and item size), through the copy
   * planner; overlap-safe. Returns this view.
   */
  copyFrom(src: StridedView): this {
    this.#checkCopyFrom(src);
    copyStrided(this.shape.length, this.itemsize, this.shape, { buf: this.buf, strides: this.strides, suboffsets: null },
      { buf: src.buf, strides: src.strides, suboffsets: null });
    return this;
  }

  /**
   * copyFrom() as a promise. With copy workers (`init({ threads })`), a copy of 1 MiB or more
   * runs entirely on them and the calling thread is free until the promise resolves (copyFrom()
   * would take a share and wait); keep both views' memory alive and leave the destination alone
   * until then. Smaller copies, and every copy without workers, are made at once. Asynchronous
   * copies run one after another, in call order. Rejects with RuntimeError if a worker fails.
   */
  async copyFromAsync(src: StridedView): Promise<this> {
    this.#checkCopyFrom(src);
    await copyAsync(() => this.copyFrom(src));
    return this;
  }

  #checkCopyFrom(src: StridedView): void {
    if (src.itemsize !== this.itemsize || src.shape.length !== this.shape.length ||
        src.shape.some((n, i) => n !== this.shape[i])) {
      throw new ValueError(`copyFrom(): shapes or item sizes differ: [${src.shape}] of ${src.itemsize} bytes into [${this.shape}] of ${this.itemsize}`);
    }
  }

  /**
   * The items as a new Uint8Array in C order ('C', the default), Fortran order ('F'), or for
   * Fortran-contiguous views their physical order ('A'), as MemoryView.tobytes().
   */
  tobytes(order: Order = 'C'): Uint8Array {
    if (order !== 'C' && order !== 'F' && order !== 'A') throw new ValueError("order must be 'C', 'F' or 'A'");
    const fortran = order === 'F' || (order === 'A' && this.#fortranContiguous() && !this.#cContiguous());
    const nbytes = this.nbytes;
    const ptr = malloc(nbytes);
    try {
      const strides = fortran ? fortranStrides(this.shape, this.itemsize) : cStrides(this.shape, this.itemsize);
      copyStrided(this.shape.length, this.itemsize, this.shape, { buf: ptr, strides, suboffsets: null },
        { buf: this.buf, strides: this.strides, suboffsets: null }, true);
      return heapU8().slice(ptr, ptr + nbytes);
    } finally {
      free(ptr);
    }
  }

  /** The old name of tobytes() ('C' or 'F'), kept as an alias. */
  toBytes(order: 'C' | 'F' = 'C'): Uint8Array {
    return this.tobytes(order);
  }

  #cContiguous(): boolean {
    const c = cStrides(this.shape, this.itemsize);
    return this.shape.every((n, i) => n <= 1 || this.strides[i] === c[i]);
  }

  #fortranContiguous(): boolean {
    const f = fortranStrides(this.shape, this.itemsize);
    return this.shape.every((n, i) => n <= 1 || this.strides[i] === f[i]);
  }

  /**
   * This view as an ndarray-like object over the runtime's memory, zero-copy: hand it to scijs
   * `ndarray(v.data, v.shape, v.stride, v.offset)` or @stdlib's
   * `ndarray(v.dtype, v.data, v.shape, v.strides, v.offset, v.order)`. `data` is detached by the
   * next call that grows linear memory (any allocation may): take it again after one.
   * The format must be one a TypedArray holds ('b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'n',
   * 'N', 'P', 'q', 'Q', 'f', 'd', and 'e' where the engine has Float16Array; '<' or '=' prefixes
   * allowed), the address and byte strides multiples of the item size.
   * @param type the TypedArray type expected (checked: TypeError if the format reads as
   *   another), so that `data` is typed as one; default: any
   * @example
   * const v = StridedView.over(pixels, { shape: [h, w, 4] }).transpose([1, 0, 2]).asNdarrayLike(Uint8Array);
   * const nd = ndarray(v.data, v.shape, v.stride, v.offset); // scijs ndarray, no copy
   */
  asNdarrayLike(): NdarrayView;
  asNdarrayLike<T extends AnyTypedArray>(type: TypedArrayConstructor<T>): NdarrayView<T>;
  asNdarrayLike(type?: TypedArrayConstructor<AnyTypedArray>): NdarrayView {
    const what = 'asNdarrayLike()';
    const kind = typedArrayKind(this.format);
    if (kind === null) {
      throw new NotImplementedError(`${what}: format '${this.format}' has no TypedArray`);
    }
    const ctor = kind.ctor();
    if (ctor === undefined) {
      throw new NotImplementedError(`${what}: format '${this.format}' needs Float16Array, which this engine lacks`);
    }
    if (type !== undefined && type !== ctor) {
      throw new TypeError(`${what}: format '${this.format}' reads as ${ctor.name}, not ${type.name}`);
    }
    const unit = this.itemsize;
    if (this.buf % unit !== 0 || this.strides.some((st) => st % unit !== 0)) {
      throw new ValueError(`${what}: the address and strides must be multiples of the item size (${unit}); copy the view first`);
    }
    const strides = this.strides.map((st) => st / unit);
    const [lo, hi] = count(this.shape) > 0 ? reach(this.shape, strides, this.buf / unit, 1) : [this.buf / unit, this.buf / unit];
    const data = new ctor(wasm().memory.buffer, lo * unit, hi - lo);
    const order = !this.#cContiguous() && this.#fortranContiguous() ? 'column-major' : 'row-major';
    return { data, shape: [...this.shape], stride: strides, strides: [...strides], offset: this.buf / unit - lo, order, dtype: kind.dtype };
  }

  /** A MemoryView of this layout (PyMemoryView_FromBuffer: no exporter, the memory must stay alive). */
  toMemoryView(): MemoryView {
    const info = new Py_buffer();
    info.buf = this.buf;
    info.len = this.nbytes;
    info.itemsize = this.itemsize;
    info.ndim = this.shape.length;
    info.format = this.format;
    info.shape = [...this.shape];
    info.strides = [...this.strides];
    return MemoryView.fromBuffer(info);
  }
}

function fortranStrides(shape: readonly number[], unit: number): number[] {
  const strides = new Array<number>(shape.length);
  let sd = unit;
  for (let i = 0; i < shape.length; i++) { strides[i] = sd; sd *= Math.max(shape[i], 1); }
  return strides;
}

type ArrayConstructorOf<T extends AnyTypedArray> = { new(length: number): T; readonly BYTES_PER_ELEMENT: number };
type ViewConstructor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => AnyTypedArray;

/** The TypedArray of each format asNdarrayLike() hands out, with @stdlib/ndarray's dtype name. */
const KINDS: Readonly<Record<string, { dtype: string; ctor: () => ViewConstructor | undefined }>> = {
  b: { dtype: 'int8', ctor: () => Int8Array }, B: { dtype: 'uint8', ctor: () => Uint8Array },
  h: { dtype: 'int16', ctor: () => Int16Array }, H: { dtype: 'uint16', ctor: () => Uint16Array },
  i: { dtype: 'int32', ctor: () => Int32Array }, I: { dtype: 'uint32', ctor: () => Uint32Array },
  l: { dtype: 'int32', ctor: () => Int32Array }, L: { dtype: 'uint32', ctor: () => Uint32Array },
  n: { dtype: 'int32', ctor: () => Int32Array }, N: { dtype: 'uint32', ctor: () => Uint32Array },
  P: { dtype: 'uint32', ctor: () => Uint32Array },
  q: { dtype: 'int64', ctor: () => BigInt64Array }, Q: { dtype: 'uint64', ctor: () => BigUint64Array },
  f: { dtype: 'float32', ctor: () => Float32Array }, d: { dtype: 'float64', ctor: () => Float64Array },
  // looked up when asked, so that an engine (or a polyfill) that has it by then is used
  e: { dtype: 'float16', ctor: () => (globalThis as { Float16Array?: ViewConstructor }).Float16Array },
};

/** The TypedArray kind of a one-item format: native, or little-endian standard sizes ('<', '='). */
function typedArrayKind(format: string): { dtype: string; ctor: () => ViewConstructor | undefined } | null {
  const prefix = format.length === 2 ? format[0] : '';
  if (format.length > 2 || (prefix !== '' && prefix !== '@' && prefix !== '<' && prefix !== '=')) return null;
  return KINDS[format[format.length - 1] ?? ''] ?? null;
}

function isTypedArray(x: unknown): x is AnyTypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/** The parts of a strided operand over a TypedArray, in items. */
interface ArrayOperand {
  readonly data: AnyTypedArray;
  readonly shape: number[];
  readonly strides: number[];
  readonly offset: number;
}

function toIntegers(what: string, name: string, values: unknown): number[] {
  const list = values as ArrayLike<unknown> | null | undefined;
  if (list === null || typeof list !== 'object' || typeof list.length !== 'number') {
    throw new TypeError(`${what}: ${name} must be an array of integers`);
  }
  return Array.from(list, (v) => {
    if (typeof v !== 'number') throw new TypeError(`${what}: ${name} must be an array of integers`);
    return v;
  });
}

/** An operand from an ndarray-like object, checked: data a TypedArray, integer fields. */
function ndarrayOperand(what: string, nd: unknown): ArrayOperand {
  const obj = nd as Partial<NdarrayLike> | null;
  if (obj === null || typeof obj !== 'object' || !isTypedArray(obj.data)) {
    throw new TypeError(`${what}: expected an ndarray-like object whose data is a TypedArray`);
  }
  const shape = toIntegers(what, 'shape', obj.shape);
  checkShape(what, shape);
  const given = obj.strides ?? obj.stride;
  let strides = given === undefined ? cStrides(shape, 1) : toIntegers(what, 'strides', given);
  // @stdlib/ndarray gives a 0-dim array one stride of 0
  if (shape.length === 0 && strides.length === 1 && strides[0] === 0) strides = [];
  checkStrides(what, shape.length, strides);
  const offset = obj.offset ?? 0;
  if (!Number.isSafeInteger(offset)) throw new ValueError(`${what}: offset must be an integer, got ${offset}`);
  return { data: obj.data, shape, strides, offset };
}

/** An operand from a TypedArray and an ArrayLayout. */
function layoutOperand(what: string, data: AnyTypedArray, layout: ArrayLayout | undefined): ArrayOperand {
  if (layout === null || typeof layout !== 'object') throw new TypeError(`${what}: a layout ({ shape, strides?, offset? }) is required`);
  const shape = [...layout.shape];
  checkShape(what, shape);
  const strides = layout.strides === undefined ? cStrides(shape, 1) : [...layout.strides];
  checkStrides(what, shape.length, strides);
  const offset = layout.offset ?? 0;
  if (!Number.isSafeInteger(offset)) throw new ValueError(`${what}: offset must be an integer, got ${offset}`);
  return { data, shape, strides, offset };
}

/**
 * Whether two items of a layout may land on one place. Sufficient for distinct places: sorted by
 * |stride|, each stride clears the span of the dimensions inside it (every layout a slice, flip,
 * crop, transpose or padding makes passes; a zero stride with extent > 1 fails).
 */
function mayAlias(shape: readonly number[], strides: readonly number[]): boolean {
  const dims = shape.map((n, i) => [n, Math.abs(strides[i] as number)] as const).filter(([n]) => n > 1)
    .sort((a, b) => a[1] - b[1]);
  let span = 1;
  for (const [n, st] of dims) {
    if (st < span) return true;
    span = st * (n - 1) + span;
  }
  return false;
}

/** The result's operand: a new C-contiguous array, a TypedArray (C-contiguous from 0) or an ndarray-like. */
function outOperand<T extends AnyTypedArray>(what: string, src: ArrayOperand, out: unknown): ArrayOperand {
  const n = count(src.shape);
  if (out === undefined) {
    const data = new (src.data.constructor as ArrayConstructorOf<T>)(n);
    return { data, shape: src.shape, strides: cStrides(src.shape, 1), offset: 0 };
  }
  if (isTypedArray(out)) {
    if (out.length < n) throw new ValueError(`${what}: out has ${out.length} items, the layout needs ${n}`);
    return { data: out, shape: src.shape, strides: cStrides(src.shape, 1), offset: 0 };
  }
  const dst = ndarrayOperand(what, out);
  if (dst.shape.length !== src.shape.length || dst.shape.some((e, i) => e !== src.shape[i])) {
    throw new ValueError(`${what}: out has shape [${dst.shape}], the layout [${src.shape}]`);
  }
  if (mayAlias(dst.shape, dst.strides)) {
    throw new ValueError(`${what}: out's strides [${dst.strides}] may write two items to one place`);
  }
  return dst;
}

/**
 * Copies the items of `src` into `dst` (same shape, same array type) through the planner, after
 * every check: a refused call leaves `dst` untouched. Arrays over the runtime's memory are used
 * in place; the others are staged in one block (the reachable range of each, copied in once and,
 * for the destination, out once), freed at the end. A generator that yields the planned copy
 * once (none for an empty shape) for its caller to make: at once (copyLayout, transpose), or as
 * an asynchronous copy (copyLayoutAsync, transposeAsync); the staging block is freed however the
 * generator ends.
 */
function* copyArrays(what: string, src: ArrayOperand, dst: ArrayOperand): Generator<() => void, void, void> {
  if (dst.data.constructor !== src.data.constructor) {
    throw new TypeError(`${what}: out must be a ${src.data.constructor.name}, got ${dst.data.constructor.name}`);
  }
  const shape = src.shape;
  const n = count(shape);
  if (n === 0) return;
  const [lo, hi] = reach(shape, src.strides, src.offset, 1);
  if (lo < 0 || hi > src.data.length) {
    throw new ValueError(`${what}: the layout reaches items [${lo}, ${hi}) of a ${src.data.length}-item array`);
  }
  const [dlo, dhi] = reach(shape, dst.strides, dst.offset, 1);
  if (dlo < 0 || dhi > dst.data.length) {
    throw new ValueError(`${what}: out's layout reaches items [${dlo}, ${dhi}) of a ${dst.data.length}-item array`);
  }
  const itemsize = src.data.BYTES_PER_ELEMENT;
  const ndim = shape.length;
  const byteStrides = (strides: readonly number[]): number[] => strides.map((st) => st * itemsize);
  const srcInRuntime = viewsRuntimeMemory(src.data);
  const dstInRuntime = viewsRuntimeMemory(dst.data);
  // Addresses first: malloc may grow memory, which detaches views of the old memory.
  const srcOffset = src.data.byteOffset;
  const dstOffset = dst.data.byteOffset;
  if (srcInRuntime && dstInRuntime) {
    // both in linear memory: copyStrided goes through a temporary if they overlap
    yield () => copyStrided(ndim, itemsize, shape,
      { buf: dstOffset + dst.offset * itemsize, strides: byteStrides(dst.strides), suboffsets: null },
      { buf: srcOffset + src.offset * itemsize, strides: byteStrides(src.strides), suboffsets: null });
    return;
  }
  const inBytes = srcInRuntime ? 0 : (hi - lo) * itemsize;
  const outBytes = dstInRuntime ? 0 : (dhi - dlo) * itemsize;
  const staging = malloc(inBytes + outBytes);
  try {
    let srcBase: number;
    if (srcInRuntime) {
      srcBase = srcOffset + lo * itemsize;
    } else {
      heapU8().set(new Uint8Array(src.data.buffer, srcOffset + lo * itemsize, inBytes), staging);
      srcBase = staging;
    }
    const dstBase = dstInRuntime ? dstOffset + dlo * itemsize : staging + inBytes;
    if (!dstInRuntime && dhi - dlo !== n) {
      // a destination with gaps (padded rows): the bytes between its items keep their values
      heapU8().set(new Uint8Array(dst.data.buffer, dstOffset + dlo * itemsize, outBytes), dstBase);
    }
    yield () => copyStrided(ndim, itemsize, shape,
      { buf: dstBase + (dst.offset - dlo) * itemsize, strides: byteStrides(dst.strides), suboffsets: null },
      { buf: srcBase + (src.offset - lo) * itemsize, strides: byteStrides(src.strides), suboffsets: null }, true);
    if (!dstInRuntime) {
      new Uint8Array(dst.data.buffer, dstOffset + dlo * itemsize, outBytes).set(heapU8().subarray(dstBase, dstBase + outBytes));
    }
  } finally {
    free(staging);
  }
}

/** Makes the copies of copyArrays() on the calling thread (copyLayout, transpose). */
function runCopies(copies: Generator<() => void, void, void>): void {
  // a copy that throws ends the loop, which ends the generator (its finally frees the staging)
  for (const copy of copies) copy();
}

/**
 * Makes the copies of copyArrays() as asynchronous copies (copyLayoutAsync, transposeAsync):
 * with copy workers, a large one runs entirely on them; the copies in and out of the runtime
 * (for arrays outside it) are made on the calling thread.
 */
async function runCopiesAsync(copies: Generator<() => void, void, void>): Promise<void> {
  for (const copy of copies) await copyAsync(copy);
}

/** The operands of a copyLayout() call, checked: the source's layout and the destination. */
function layoutArgs(what: string, src: unknown, layoutOrOut: unknown, out: unknown): { source: ArrayOperand; target: ArrayOperand } {
  let source: ArrayOperand;
  let dest: unknown;
  if (isTypedArray(src)) {
    source = layoutOperand(what, src, layoutOrOut as ArrayLayout | undefined);
    dest = out;
  } else if (ArrayBuffer.isView(src)) {
    throw new TypeError(`${what}: src must be a TypedArray or an ndarray-like object`);
  } else {
    source = ndarrayOperand(what, src);
    dest = layoutOrOut;
  }
  return { source, target: outOperand(what, source, dest) };
}

/**
 * Copies the strided view `layout` of the TypedArray `src` (strides and offset in items) into
 * `out` (default: a new array of the same type), C-contiguous. One call crops, flips, steps or
 * transposes a plain JS array through the Wasm planner: the reachable part of `src` is copied
 * into the runtime once, planned and copied (cache-blocked SIMD tiles for transposes), and
 * copied out once. Arrays that already view the runtime's memory are used in place.
 * @param src the items, in any TypedArray type
 * @param layout shape, item strides (default C-contiguous) and item offset (default 0)
 * @param out where to write: a TypedArray of the same type (product(shape) items from index 0,
 *   C order), or an ndarray-like object of the same shape (a strided destination: padded rows,
 *   a region of a larger image); default: a new array like `src`
 * @returns `out` (its `data` for an ndarray-like)
 * @example
 * // crop rows 10..19 and columns 5..14 of a 100x200 Float32Array image
 * const crop = copyLayout(img, { shape: [10, 10], strides: [200, 1], offset: 10 * 200 + 5 });
 * // a horizontal flip of the same image
 * const flipped = copyLayout(img, { shape: [100, 200], strides: [200, -1], offset: 199 });
 */
export function copyLayout<T extends AnyTypedArray>(src: T, layout: ArrayLayout, out?: T | NdarrayLike<T>): T;
/**
 * Copies the items of an ndarray-like object (scijs ndarray, @stdlib/ndarray, Pyodide's
 * PyBuffer: `{ data, shape, strides | stride, offset }` in items) into `out` (default: a new
 * C-contiguous array of the data's type).
 * @example
 * const x = ndarray(new Float32Array(12), [3, 4]).transpose(1, 0); // scijs ndarray
 * const t = copyLayout(x);                                          // a 4x3 Float32Array, C order
 */
export function copyLayout<T extends AnyTypedArray>(src: NdarrayLike<T>, out?: T | NdarrayLike<T>): T;
/** An ndarray-like object whose data is typed loosely: see the overload above. */
export function copyLayout(src: UntypedNdarrayLike, out?: AnyTypedArray | UntypedNdarrayLike): AnyTypedArray;
export function copyLayout<T extends AnyTypedArray>(src: T | NdarrayLike<T> | UntypedNdarrayLike,
  layoutOrOut?: ArrayLayout | T | NdarrayLike<T> | UntypedNdarrayLike, out?: T | NdarrayLike<T>): T {
  const what = 'copyLayout()';
  const { source, target } = layoutArgs(what, src, layoutOrOut, out);
  runCopies(copyArrays(what, source, target));
  return target.data as T;
}

/**
 * copyLayout() as a promise, with the same arguments. With copy workers (`init({ threads })`),
 * a copy of 1 MiB or more runs entirely on them, so that a page's main thread stays free
 * meanwhile; the copies in and out of the runtime (for arrays outside it) are made on the
 * calling thread. Leave `src` and `out` alone until the promise resolves. Smaller copies, and
 * every copy without workers, are made at once. Rejects with the errors copyLayout() throws,
 * and with RuntimeError if a worker fails. See StridedView.copyFromAsync.
 * @example
 * const crop = await copyLayoutAsync(img, { shape: [1000, 1000], strides: [4000, 1], offset: 400 });
 */
export function copyLayoutAsync<T extends AnyTypedArray>(src: T, layout: ArrayLayout, out?: T | NdarrayLike<T>): Promise<T>;
/** An ndarray-like object's items, as copyLayout(src, out?), as a promise. */
export function copyLayoutAsync<T extends AnyTypedArray>(src: NdarrayLike<T>, out?: T | NdarrayLike<T>): Promise<T>;
/** An ndarray-like object whose data is typed loosely: see the overload above. */
export function copyLayoutAsync(src: UntypedNdarrayLike, out?: AnyTypedArray | UntypedNdarrayLike): Promise<AnyTypedArray>;
export async function copyLayoutAsync<T extends AnyTypedArray>(src: T | NdarrayLike<T> | UntypedNdarrayLike,
  layoutOrOut?: ArrayLayout | T | NdarrayLike<T> | UntypedNdarrayLike, out?: T | NdarrayLike<T>): Promise<T> {
  const what = 'copyLayoutAsync()';
  const { source, target } = layoutArgs(what, src, layoutOrOut, out);
  await runCopiesAsync(copyArrays(what, source, target));
  return target.data as T;
}

/** The operands of a transpose() call, checked: the source with its axes permuted, and the destination. */
function transposeArgs(what: string, src: unknown, shapeOrAxes: readonly number[] | undefined, axesOrOut: unknown,
  out: unknown): { source: ArrayOperand; target: ArrayOperand } {
  let source: ArrayOperand;
  let axes: readonly number[] | undefined;
  let dest: unknown;
  if (isTypedArray(src)) {
    const shape = shapeOrAxes as readonly number[];
    checkShape(what, shape);
    if (count(shape) !== src.length) {
      throw new ValueError(`${what}: shape [${shape}] holds ${count(shape)} items, the array has ${src.length}`);
    }
    source = { data: src, shape: [...shape], strides: cStrides(shape, 1), offset: 0 };
    axes = axesOrOut as readonly number[] | undefined;
    dest = out;
  } else {
    source = ndarrayOperand(what, src);
    axes = shapeOrAxes;
    dest = axesOrOut;
  }
  const ndim = source.shape.length;
  const order = axes ?? Array.from({ length: ndim }, (_, i) => ndim - 1 - i);
  if (order.length !== ndim || new Set(order).size !== ndim || order.some((a) => !Number.isInteger(a) || a < 0 || a >= ndim)) {
    throw new ValueError(`${what}: axes must be a permutation of 0..${ndim - 1}`);
  }
  const permuted: ArrayOperand = {
    data: source.data, shape: order.map((a) => source.shape[a] as number), strides: order.map((a) => source.strides[a] as number),
    offset: source.offset,
  };
  return { source: permuted, target: outOperand(what, permuted, dest) };
}

/**
 * The C-contiguous array `src` of extents `shape` with its axes permuted (default: reversed, the
 * matrix transpose), as a new C-contiguous array (or into `out`); see copyLayout.
 * @example
 * const t = transpose(a, [4096, 4096]);            // 2-D transpose of a Float32Array
 * const chw = transpose(hwc, [h, w, 3], [2, 0, 1]); // HWC image to CHW planes
 */
export function transpose<T extends AnyTypedArray>(src: T, shape: readonly number[], axes?: readonly number[],
  out?: T | NdarrayLike<T>): T;
/**
 * An ndarray-like object (any strides) with its axes permuted (default: reversed), as a new
 * C-contiguous array (or into `out`).
 */
export function transpose<T extends AnyTypedArray>(src: NdarrayLike<T>, axes?: readonly number[], out?: T | NdarrayLike<T>): T;
/** An ndarray-like object whose data is typed loosely: see the overload above. */
export function transpose(src: UntypedNdarrayLike, axes?: readonly number[], out?: AnyTypedArray | UntypedNdarrayLike): AnyTypedArray;
export function transpose<T extends AnyTypedArray>(src: T | NdarrayLike<T> | UntypedNdarrayLike, shapeOrAxes?: readonly number[],
  axesOrOut?: readonly number[] | T | NdarrayLike<T> | UntypedNdarrayLike, out?: T | NdarrayLike<T>): T {
  const what = 'transpose()';
  const { source, target } = transposeArgs(what, src, shapeOrAxes, axesOrOut, out);
  runCopies(copyArrays(what, source, target));
  return target.data as T;
}

/**
 * transpose() as a promise, with the same arguments: see copyLayoutAsync.
 * @example
 * const chw = await transposeAsync(hwc, [h, w, 3], [2, 0, 1]); // on the copy workers when large
 */
export function transposeAsync<T extends AnyTypedArray>(src: T, shape: readonly number[], axes?: readonly number[],
  out?: T | NdarrayLike<T>): Promise<T>;
/** An ndarray-like object with its axes permuted, as transpose(src, axes?, out?), as a promise. */
export function transposeAsync<T extends AnyTypedArray>(src: NdarrayLike<T>, axes?: readonly number[],
  out?: T | NdarrayLike<T>): Promise<T>;
/** An ndarray-like object whose data is typed loosely: see the overload above. */
export function transposeAsync(src: UntypedNdarrayLike, axes?: readonly number[],
  out?: AnyTypedArray | UntypedNdarrayLike): Promise<AnyTypedArray>;
export async function transposeAsync<T extends AnyTypedArray>(src: T | NdarrayLike<T> | UntypedNdarrayLike,
  shapeOrAxes?: readonly number[], axesOrOut?: readonly number[] | T | NdarrayLike<T> | UntypedNdarrayLike,
  out?: T | NdarrayLike<T>): Promise<T> {
  const what = 'transposeAsync()';
  const { source, target } = transposeArgs(what, src, shapeOrAxes, axesOrOut, out);
  await runCopiesAsync(copyArrays(what, source, target));
  return target.data as T;
}
