// The public types of the layout API (StridedView, copyLayout, transpose): TypedArrays,
// ndarray-like objects as scijs ndarray and @stdlib/ndarray make them, and layouts.

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
export type NumericArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

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
  readonly strides?: readonly number[] | undefined;
  /** Bytes from the start of the memory to item [0, ..., 0]; default 0. */
  readonly offset?: number | undefined;
  /** struct format of one item; default: the TypedArray's ('f' for Float32Array), else 'B'. */
  readonly format?: string | undefined;
}

/** The layout of a view of a TypedArray; strides and offset in items. */
export interface ArrayLayout {
  /** Extent of each dimension. */
  readonly shape: readonly number[];
  /** Item step of each dimension; default: C-contiguous. Negative steps are allowed. */
  readonly strides?: readonly number[] | undefined;
  /** Index of item [0, ..., 0] in the array; default 0. */
  readonly offset?: number | undefined;
}
