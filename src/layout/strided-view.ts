// StridedView: a strided view (shape, byte strides, byte offset, format) of memory that is
// already in the runtime (a TypedArray over linear memory, or a PyMem_Malloc block). Nothing is
// copied until copyFrom()/tobytes(); toMemoryView() hands it to the buffer protocol, and
// asNdarrayLike() hands its layout back as an ndarray-like object, zero-copy. Its copies go
// through the copy planner (src/copy/dispatch.ts).
import { Py_buffer } from '../buffer.js';
import { copyPlain } from '../copy/plain.js';
import { NotImplementedError, ValueError } from '../errors.js';
import { typedArrayFormat, viewsRuntimeMemory } from '../exporters/typed.js';
import { MemoryView, type Order } from '../memoryview.js';
import { calcsize } from '../struct.js';
import { copyAsync } from '../wasm/parallel.js';
import { free, heapU8, malloc, memorySize } from '../wasm/heap.js';
import { wasm } from '../wasm/instance.js';
import { contiguousStrides } from '../wasm32.js';
import { checkShape, checkStrides, count, reach } from './checks.js';
import { ndarrayOperand, toIntegers } from './copy-layout.js';
import type {
  AnyTypedArray,
  MemoryRegion,
  NdarrayLike,
  NdarrayView,
  NumericArray,
  TypedArrayConstructor,
  UntypedNdarrayLike,
  ViewLayout,
} from './types.js';

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
  static over(
    memory: ArrayBufferView | MemoryRegion | NdarrayLike | UntypedNdarrayLike,
    layout?: ViewLayout,
  ): StridedView {
    if (layout === undefined) {
      // a TypedArray, DataView or region has no layout of its own (ndarrayOperand would name a
      // TypedArray among the objects it takes)
      if (ArrayBuffer.isView(memory) || (typeof memory === 'object' && memory !== null && 'ptr' in memory)) {
        throw new TypeError('StridedView.over(): a layout ({ shape, strides?, offset?, format? }) is required');
      }
      const nd = ndarrayOperand('StridedView.over()', memory);
      const unit = nd.data.BYTES_PER_ELEMENT;
      return StridedView.over(nd.data as ArrayBufferView, {
        shape: nd.shape,
        strides: nd.strides.map((st) => st * unit),
        offset: nd.offset * unit,
      });
    }
    memory = memory as ArrayBufferView | MemoryRegion;
    const what = 'StridedView.over()';
    let base: number;
    let len: number;
    let defaultFormat = 'B';
    if (ArrayBuffer.isView(memory)) {
      if (!viewsRuntimeMemory(memory)) {
        throw new ValueError(
          `${what}: the ${memory.constructor.name} does not view the runtime's memory; use copyLayout() for plain arrays`,
        );
      }
      base = memory.byteOffset;
      len = memory.byteLength;
      defaultFormat = memory instanceof DataView ? 'B' : typedArrayFormat(memory as NumericArray);
    } else {
      base = memory.ptr;
      len = memory.len;
      if (
        !Number.isSafeInteger(base) ||
        !Number.isSafeInteger(len) ||
        base < 0 ||
        len < 0 ||
        base + len > memorySize()
      ) {
        throw new ValueError(`${what}: [${base}, ${base} + ${len}) is not inside the runtime's memory`);
      }
    }
    const format = layout.format ?? defaultFormat;
    const itemsize = calcsize(format);
    const shape = toIntegers(what, 'shape', layout.shape);
    checkShape(what, shape);
    const strides =
      layout.strides === undefined
        ? contiguousStrides(shape.length, shape, itemsize, 'C')
        : toIntegers(what, 'strides', layout.strides);
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
    if (
      order.length !== ndim ||
      new Set(order).size !== ndim ||
      order.some((a) => !Number.isInteger(a) || a < 0 || a >= ndim)
    ) {
      throw new ValueError(`transpose(): axes must be a permutation of 0..${ndim - 1}`);
    }
    return new StridedView(
      this.buf,
      order.map((a) => this.shape[a]),
      order.map((a) => this.strides[a]),
      this.itemsize,
      this.format,
      this.bounds,
    );
  }

  /**
   * Copies the items of `src` into this view (same shape and item size), through the copy
   * planner; overlap-safe. Returns this view.
   */
  copyFrom(src: StridedView): this {
    this.#checkCopyFrom(src);
    copyPlain(
      this.shape.length,
      this.itemsize,
      this.shape,
      { buf: this.buf, strides: this.strides, suboffsets: null },
      { buf: src.buf, strides: src.strides, suboffsets: null },
    );
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
    if (
      src.itemsize !== this.itemsize ||
      src.shape.length !== this.shape.length ||
      src.shape.some((n, i) => n !== this.shape[i])
    ) {
      throw new ValueError(
        `copyFrom(): shapes or item sizes differ: [${src.shape}] of ${src.itemsize} bytes into [${this.shape}] of ${this.itemsize}`,
      );
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
      const strides = contiguousStrides(this.shape.length, this.shape, this.itemsize, fortran ? 'F' : 'C');
      copyPlain(
        this.shape.length,
        this.itemsize,
        this.shape,
        { buf: ptr, strides, suboffsets: null },
        { buf: this.buf, strides: this.strides, suboffsets: null },
        true,
      );
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
    const c = contiguousStrides(this.shape.length, this.shape, this.itemsize, 'C');
    return this.shape.every((n, i) => n <= 1 || this.strides[i] === c[i]);
  }

  #fortranContiguous(): boolean {
    const f = contiguousStrides(this.shape.length, this.shape, this.itemsize, 'F');
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
      throw new ValueError(
        `${what}: the address and strides must be multiples of the item size (${unit}); copy the view first`,
      );
    }
    const strides = this.strides.map((st) => st / unit);
    const [lo, hi] =
      count(this.shape) > 0 ? reach(this.shape, strides, this.buf / unit, 1) : [this.buf / unit, this.buf / unit];
    const data = new ctor(wasm().memory.buffer, lo * unit, hi - lo);
    const order = !this.#cContiguous() && this.#fortranContiguous() ? 'column-major' : 'row-major';
    return {
      data,
      shape: [...this.shape],
      stride: strides,
      strides: [...strides],
      offset: this.buf / unit - lo,
      order,
      dtype: kind.dtype,
    };
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

type ViewConstructor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => AnyTypedArray;

/** The TypedArray of each format asNdarrayLike() hands out, with @stdlib/ndarray's dtype name. */
const KINDS: Readonly<Record<string, { dtype: string; ctor: () => ViewConstructor | undefined }>> = {
  b: { dtype: 'int8', ctor: () => Int8Array },
  B: { dtype: 'uint8', ctor: () => Uint8Array },
  h: { dtype: 'int16', ctor: () => Int16Array },
  H: { dtype: 'uint16', ctor: () => Uint16Array },
  i: { dtype: 'int32', ctor: () => Int32Array },
  I: { dtype: 'uint32', ctor: () => Uint32Array },
  l: { dtype: 'int32', ctor: () => Int32Array },
  L: { dtype: 'uint32', ctor: () => Uint32Array },
  n: { dtype: 'int32', ctor: () => Int32Array },
  N: { dtype: 'uint32', ctor: () => Uint32Array },
  P: { dtype: 'uint32', ctor: () => Uint32Array },
  q: { dtype: 'int64', ctor: () => BigInt64Array },
  Q: { dtype: 'uint64', ctor: () => BigUint64Array },
  f: { dtype: 'float32', ctor: () => Float32Array },
  d: { dtype: 'float64', ctor: () => Float64Array },
  // looked up when asked, so that an engine (or a polyfill) that has it by then is used
  e: { dtype: 'float16', ctor: () => (globalThis as { Float16Array?: ViewConstructor }).Float16Array },
};

/** The TypedArray kind of a one-item format: native, or little-endian standard sizes ('<', '='). */
function typedArrayKind(format: string): { dtype: string; ctor: () => ViewConstructor | undefined } | null {
  const prefix = format.length === 2 ? format[0] : '';
  if (format.length > 2 || (prefix !== '' && prefix !== '@' && prefix !== '<' && prefix !== '=')) return null;
  return KINDS[format[format.length - 1] ?? ''] ?? null;
}
