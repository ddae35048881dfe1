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
import { copyStrided } from './copy.js';
import { copyAsyncWith } from './wasm/threads.js';
import { Py_buffer } from './buffer.js';
import { MemoryView } from './memoryview.js';
import { ValueError } from './errors.js';
import { calcsize } from './struct.js';
import { typedArrayFormat, viewsRuntimeMemory } from './exporters/typed.js';
import { free, heapU8, malloc, memorySize } from './wasm/runtime.js';

/** The TypedArrays copyLayout and transpose accept. */
export type NumericArray = Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array |
  Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

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
  static over(memory: ArrayBufferView | MemoryRegion, layout: ViewLayout): StridedView {
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
    this.checkCopyFrom(src);
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
    this.checkCopyFrom(src);
    await copyAsyncWith(() => this.copyFrom(src));
    return this;
  }

  private checkCopyFrom(src: StridedView): void {
    if (src.itemsize !== this.itemsize || src.shape.length !== this.shape.length ||
        src.shape.some((n, i) => n !== this.shape[i])) {
      throw new ValueError(`copyFrom(): shapes or item sizes differ: [${src.shape}] of ${src.itemsize} bytes into [${this.shape}] of ${this.itemsize}`);
    }
  }

  /** The items as a new Uint8Array in C order ('C') or Fortran order ('F'). */
  toBytes(order: 'C' | 'F' = 'C'): Uint8Array {
    const nbytes = this.nbytes;
    const ptr = malloc(nbytes);
    try {
      const strides = order === 'F' ? fortranStrides(this.shape, this.itemsize) : cStrides(this.shape, this.itemsize);
      copyStrided(this.shape.length, this.itemsize, this.shape, { buf: ptr, strides, suboffsets: null },
        { buf: this.buf, strides: this.strides, suboffsets: null }, true);
      return heapU8().slice(ptr, ptr + nbytes);
    } finally {
      free(ptr);
    }
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

type ArrayConstructorOf<T extends NumericArray> = { new(length: number): T; readonly BYTES_PER_ELEMENT: number };

/**
 * Copies the strided view `layout` of the TypedArray `src` (strides and offset in items) into
 * `out` (default: a new array of the same type), C-contiguous. One call crops, flips, steps or
 * transposes a plain JS array through the Wasm planner: the reachable part of `src` is copied
 * into the runtime once, planned and copied (cache-blocked SIMD tiles for transposes), and
 * copied out once. Arrays that already view the runtime's memory are used in place.
 * @param src the items, in any TypedArray type
 * @param layout shape, item strides (default C-contiguous) and item offset (default 0)
 * @param out where to write product(shape) items; default: a new array like `src`
 * @returns `out`
 * @example
 * // crop rows 10..19 and columns 5..14 of a 100x200 Float32Array image
 * const crop = copyLayout(img, { shape: [10, 10], strides: [200, 1], offset: 10 * 200 + 5 });
 * // a horizontal flip of the same image
 * const flipped = copyLayout(img, { shape: [100, 200], strides: [200, -1], offset: 199 });
 */
export function copyLayout<T extends NumericArray>(src: T, layout: ArrayLayout, out?: T): T {
  const job = layoutCopy('copyLayout()', src, layout, out);
  try {
    job.copy();
  } catch (err) {
    job.release();
    throw err;
  }
  return job.finish();
}

/**
 * copyLayout() as a promise. With copy workers (`init({ threads })`), a copy of 1 MiB or more
 * runs entirely on them, so that a page's main thread stays free meanwhile; the copies in and
 * out of the runtime (for arrays outside it) are made on the calling thread. Leave `src` and
 * `out` alone until the promise resolves. See StridedView.copyFromAsync.
 * @example
 * const crop = await copyLayoutAsync(img, { shape: [1000, 1000], strides: [4000, 1], offset: 400 });
 */
export async function copyLayoutAsync<T extends NumericArray>(src: T, layout: ArrayLayout, out?: T): Promise<T> {
  const job = layoutCopy('copyLayoutAsync()', src, layout, out);
  try {
    await copyAsyncWith(job.copy);
  } catch (err) {
    job.release();
    throw err;
  }
  return job.finish();
}

/** A checked copyLayout() call: its items staged in, the planned copy, then staged out. */
interface LayoutCopy<T> {
  /** Makes the planned copy. */
  copy(): void;
  /** Copies the result out of the runtime (if it is not there), frees the staging block; returns it. */
  finish(): T;
  /** Frees the staging block after a failed copy. */
  release(): void;
}

/** Checks a copyLayout() call and stages its source into the runtime (when it is not there). */
function layoutCopy<T extends NumericArray>(what: string, src: T, layout: ArrayLayout, out?: T): LayoutCopy<T> {
  if (!ArrayBuffer.isView(src) || src instanceof DataView) throw new TypeError(`${what}: src must be a TypedArray`);
  const shape = [...layout.shape];
  checkShape(what, shape);
  const strides = layout.strides === undefined ? cStrides(shape, 1) : [...layout.strides];
  checkStrides(what, shape.length, strides);
  const offset = layout.offset ?? 0;
  if (!Number.isSafeInteger(offset)) throw new ValueError(`${what}: offset must be an integer, got ${offset}`);
  const n = count(shape);
  const itemsize = src.BYTES_PER_ELEMENT;
  const result = out ?? new (src.constructor as ArrayConstructorOf<T>)(n);
  if (result.constructor !== src.constructor) {
    throw new TypeError(`${what}: out must be a ${src.constructor.name}, got ${result.constructor.name}`);
  }
  if (result.length < n) throw new ValueError(`${what}: out has ${result.length} items, the layout needs ${n}`);
  const nothing = (): void => {};
  if (n === 0) return { copy: nothing, finish: () => result, release: nothing };
  const [lo, hi] = reach(shape, strides, offset, 1);
  if (lo < 0 || hi > src.length) {
    throw new ValueError(`${what}: the layout reaches items [${lo}, ${hi}) of a ${src.length}-item array`);
  }
  const byteStrides = strides.map((s) => s * itemsize);
  const srcInRuntime = viewsRuntimeMemory(src);
  const outInRuntime = viewsRuntimeMemory(result);
  // Addresses first: malloc may grow memory, which detaches views of the old memory.
  const srcOffset = src.byteOffset;
  const outOffset = result.byteOffset;
  if (srcInRuntime && outInRuntime) {
    return {
      copy: () => copyStrided(shape.length, itemsize, shape,
        { buf: outOffset, strides: cStrides(shape, itemsize), suboffsets: null },
        { buf: srcOffset + offset * itemsize, strides: byteStrides, suboffsets: null }),
      finish: () => result,
      release: nothing,
    };
  }
  // Stage what is not in the runtime already, in one block freed at the end.
  const inBytes = srcInRuntime ? 0 : (hi - lo) * itemsize;
  const outBytes = outInRuntime ? 0 : n * itemsize;
  const staging = malloc(inBytes + outBytes);
  let srcBase: number;
  if (srcInRuntime) {
    srcBase = srcOffset + lo * itemsize;
  } else {
    heapU8().set(new Uint8Array(src.buffer, srcOffset + lo * itemsize, inBytes), staging);
    srcBase = staging;
  }
  const dstBase = outInRuntime ? outOffset : staging + inBytes;
  return {
    copy: () => copyStrided(shape.length, itemsize, shape,
      { buf: dstBase, strides: cStrides(shape, itemsize), suboffsets: null },
      { buf: srcBase + (offset - lo) * itemsize, strides: byteStrides, suboffsets: null }, true),
    finish: () => {
      try {
        if (!outInRuntime) new Uint8Array(result.buffer, outOffset, outBytes).set(heapU8().subarray(dstBase, dstBase + outBytes));
      } finally {
        free(staging);
      }
      return result;
    },
    release: () => free(staging),
  };
}

/**
 * The C-contiguous array `src` of extents `shape` with its axes permuted (default: reversed, the
 * matrix transpose), as a new C-contiguous array (or into `out`); see copyLayout.
 * @example
 * const t = transpose(a, [4096, 4096]);            // 2-D transpose of a Float32Array
 * const chw = transpose(hwc, [h, w, 3], [2, 0, 1]); // HWC image to CHW planes
 */
export function transpose<T extends NumericArray>(src: T, shape: readonly number[], axes?: readonly number[], out?: T): T {
  return copyLayout(src, transposedLayout('transpose()', src, shape, axes), out);
}

/** transpose() as a promise: see copyLayoutAsync. */
export function transposeAsync<T extends NumericArray>(src: T, shape: readonly number[], axes?: readonly number[],
  out?: T): Promise<T> {
  try {
    return copyLayoutAsync(src, transposedLayout('transposeAsync()', src, shape, axes), out);
  } catch (err) {
    return Promise.reject(err);
  }
}

/** The layout transpose() copies: `src`'s C-contiguous extents `shape` with the axes permuted. */
function transposedLayout(what: string, src: NumericArray, shape: readonly number[], axes?: readonly number[]): ArrayLayout {
  checkShape(what, shape);
  const ndim = shape.length;
  if (count(shape) !== src.length) {
    throw new ValueError(`${what}: shape [${shape}] holds ${count(shape)} items, the array has ${src.length}`);
  }
  const order = axes ?? Array.from({ length: ndim }, (_, i) => ndim - 1 - i);
  if (order.length !== ndim || new Set(order).size !== ndim || order.some((a) => !Number.isInteger(a) || a < 0 || a >= ndim)) {
    throw new ValueError(`${what}: axes must be a permutation of 0..${ndim - 1}`);
  }
  const strides = cStrides(shape, 1);
  return { shape: order.map((a) => shape[a]), strides: order.map((a) => strides[a]) };
}
