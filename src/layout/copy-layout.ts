// copyLayout() and transpose(): the fast path for plain JS TypedArrays. Strides and offset count
// items, as in @stdlib/ndarray and scijs ndarray. The source's reachable range is copied into the
// runtime, the planner (src/copy/dispatch.ts) copies it (tiles, SIMD), and the result is copied
// out: whole, or chunk by chunk through the cache where the chunks read separate parts of the
// source (copyArraysStaged). Both take ndarray-like
// objects where users' arrays already are (scijs ndarray, @stdlib/ndarray, Pyodide's PyBuffer:
// data, shape, strides in items, offset).
import { copyPlain } from '../copy/plain.js';
import { ValueError } from '../errors.js';
import { viewsRuntimeMemory } from '../exporters/typed.js';
import { free, heapU8, malloc } from '../wasm/heap.js';
import { copyAsync } from '../wasm/parallel.js';
import { runtimeInfo } from '../wasm/instance.js';
import { contiguousStrides } from '../wasm32.js';
import { checkShape, checkStrides, count, isTypedArray, reach } from './checks.js';
import type { AnyTypedArray, ArrayLayout, NdarrayLike, UntypedNdarrayLike } from './types.js';

type ArrayConstructorOf<T extends AnyTypedArray> = { new (length: number): T; readonly BYTES_PER_ELEMENT: number };

/** The parts of a strided operand over a TypedArray, in items. */
interface ArrayOperand {
  readonly data: AnyTypedArray;
  readonly shape: number[];
  readonly strides: number[];
  readonly offset: number;
}

/** `values` as an array of numbers (TypeError unless it is an array-like of numbers). */
export function toIntegers(what: string, name: string, values: unknown): number[] {
  const list = values as ArrayLike<unknown> | null | undefined;
  if (list === null || typeof list !== 'object' || typeof list.length !== 'number') {
    throw new TypeError(`${what}: ${name} must be an array of integers`);
  }
  return Array.from(list, (v) => {
    if (typeof v !== 'number') throw new TypeError(`${what}: ${name} must be an array of integers`);
    return v;
  });
}

/**
 * An operand from an ndarray-like object, checked: data a TypedArray, integer fields. Its callers
 * take a TypedArray too (StridedView.over() with a layout), so the message names both: a DataView
 * or a plain Array given to copyLayout() or transpose() ends here.
 */
export function ndarrayOperand(what: string, nd: unknown): ArrayOperand {
  const obj = nd as Partial<NdarrayLike> | null;
  if (obj === null || typeof obj !== 'object' || !isTypedArray(obj.data)) {
    throw new TypeError(`${what}: expected a TypedArray or an ndarray-like object`);
  }
  const shape = toIntegers(what, 'shape', obj.shape);
  checkShape(what, shape);
  const given = obj.strides ?? obj.stride;
  let strides =
    given === undefined ? contiguousStrides(shape.length, shape, 1, 'C') : toIntegers(what, 'strides', given);
  // @stdlib/ndarray gives a 0-dim array one stride of 0
  if (shape.length === 0 && strides.length === 1 && strides[0] === 0) strides = [];
  checkStrides(what, shape.length, strides);
  const offset = obj.offset ?? 0;
  if (!Number.isSafeInteger(offset)) throw new ValueError(`${what}: offset must be an integer, got ${offset}`);
  return { data: obj.data, shape, strides, offset };
}

/** An operand from a TypedArray and an ArrayLayout. */
function layoutOperand(what: string, data: AnyTypedArray, layout: ArrayLayout | undefined): ArrayOperand {
  if (layout === null || typeof layout !== 'object')
    throw new TypeError(`${what}: a layout ({ shape, strides?, offset? }) is required`);
  const shape = toIntegers(what, 'shape', layout.shape);
  checkShape(what, shape);
  const strides =
    layout.strides === undefined
      ? contiguousStrides(shape.length, shape, 1, 'C')
      : toIntegers(what, 'strides', layout.strides);
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
  const dims = shape
    .map((n, i) => [n, Math.abs(strides[i] as number)] as const)
    .filter(([n]) => n > 1)
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
    return { data, shape: src.shape, strides: contiguousStrides(src.shape.length, src.shape, 1, 'C'), offset: 0 };
  }
  if (isTypedArray(out)) {
    if (out.length < n) throw new ValueError(`${what}: out has ${out.length} items, the layout needs ${n}`);
    return { data: out, shape: src.shape, strides: contiguousStrides(src.shape.length, src.shape, 1, 'C'), offset: 0 };
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

/** @internal How copyArrays() stages copies between arrays outside the runtime (see stagedChunks). */
export interface StagingTuning {
  /**
   * A staged chunk's bytes: rows of the destination's outermost dimension up to this many go
   * through a block that stays in the L2 cache (1 MiB a core here); 0 stages every copy whole.
   */
  readonly chunkBytes: number;
  /** A chunk of one row may be up to this large (it then stays in L3). */
  readonly rowMaxBytes: number;
  /** Copies smaller than this are staged whole: they stay in the caches anyway. */
  readonly minBytes: number;
}

/** @internal The defaults (bench/tune-arrays.ts measures others). */
export const DEFAULT_STAGING: StagingTuning = Object.freeze({
  chunkBytes: 256 * 1024,
  rowMaxBytes: 4 * 1024 * 1024,
  minBytes: 1024 * 1024,
});

/** Whether items of `shape` lie in C order one after the other at these item strides. */
function isDenseC(shape: readonly number[], strides: readonly number[]): boolean {
  let sd = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== sd) return false;
    sd *= shape[i] as number;
  }
  return true;
}

/**
 * How to stage a copy between two arrays outside the runtime in chunks (copyArraysStaged), or
 * null to stage it whole: only for a C-contiguous destination without gaps, of
 * `tuning.minBytes` and more, on one thread (copy workers split a large copy by chunks of their
 * own), not within one buffer (a chunk copied out could overwrite source items not yet copied
 * in), and only where the chunks of the destination's outermost dimension (leading extents of 1
 * aside) read ranges of the source that do not overlap, so that each chunk's source comes in
 * once and stays in cache too: a permutation that keeps the outermost dimension (batches,
 * NCHW/NHWC), a crop, a flip, a step. Where they overlap (a transpose reads all of the source for
 * every chunk), cutting the copy costs the planner its tiles and more than the pass over DRAM it
 * saves (docs/performance.md, "Plain JS arrays").
 */
function stagedChunks(
  src: ArrayOperand,
  dst: ArrayOperand,
  srcItems: number,
  tuning: StagingTuning,
): { src: ArrayOperand; dst: ArrayOperand; rows: number } | null {
  if (tuning.chunkBytes === 0 || runtimeInfo().threads > 1 || src.data.buffer === dst.data.buffer) return null;
  const itemsize = src.data.BYTES_PER_ELEMENT;
  const n = count(src.shape);
  if (n * itemsize < tuning.minBytes || !isDenseC(dst.shape, dst.strides)) return null;
  let k = 0;
  while (src.shape[k] === 1) k++;
  const shape = src.shape.slice(k);
  const outer = shape[0] as number;
  const rowBytes = (n / outer) * itemsize;
  const rows =
    rowBytes <= tuning.chunkBytes ? Math.floor(tuning.chunkBytes / rowBytes) : rowBytes <= tuning.rowMaxBytes ? 1 : 0;
  if (rows === 0 || rows >= outer) return null;
  const strides = src.strides.slice(k);
  const [clo, chi] = reach([rows, ...shape.slice(1)], strides, 0, 1);
  if ((chi - clo) * Math.ceil(outer / rows) > 1.25 * srcItems) return null;
  return {
    src: { data: src.data, shape, strides, offset: src.offset },
    dst: { data: dst.data, shape, strides: contiguousStrides(shape.length, shape, 1, 'C'), offset: dst.offset },
    rows,
  };
}

/**
 * copyArrays() in chunks of `rows` rows of the outermost dimension (see stagedChunks): each
 * chunk's reach of the source is copied into the runtime, planned into a block that stays in
 * cache, and copied out from there, so that only the copies in and out touch DRAM.
 */
function* copyArraysStaged(src: ArrayOperand, dst: ArrayOperand, rows: number): Generator<() => void, void, void> {
  const shape = src.shape;
  const ndim = shape.length;
  const itemsize = src.data.BYTES_PER_ELEMENT;
  const outer = shape[0] as number;
  const rowItems = count(shape) / outer;
  const chunkShape = [rows, ...shape.slice(1)];
  const outStrides = contiguousStrides(ndim, chunkShape, itemsize, 'C');
  const srcStrides = src.strides.map((st) => st * itemsize);
  const [clo, chi] = reach(chunkShape, src.strides, 0, 1);
  const srcOffset = src.data.byteOffset;
  const dstOffset = dst.data.byteOffset;
  const inItems = chi - clo;
  const staging = malloc((inItems + rows * rowItems) * itemsize);
  const outStage = staging + inItems * itemsize;
  try {
    for (let a = 0; a < outer; a += rows) {
      const n = Math.min(rows, outer - a);
      const cshape = n === rows ? chunkShape : [n, ...chunkShape.slice(1)];
      const first = src.offset + a * (src.strides[0] as number);
      const [l, h] = n === rows ? [first + clo, first + chi] : reach(cshape, src.strides, first, 1);
      heapU8().set(new Uint8Array(src.data.buffer, srcOffset + l * itemsize, (h - l) * itemsize), staging);
      const srcAddr = staging + (first - l) * itemsize;
      yield () =>
        copyPlain(
          ndim,
          itemsize,
          cshape,
          { buf: outStage, strides: outStrides, suboffsets: null },
          { buf: srcAddr, strides: srcStrides, suboffsets: null },
          true,
        );
      const bytes = n * rowItems * itemsize;
      new Uint8Array(dst.data.buffer, dstOffset + (dst.offset + a * rowItems) * itemsize, bytes).set(
        heapU8().subarray(outStage, outStage + bytes),
      );
    }
  } finally {
    free(staging);
  }
}

/**
 * Copies the items of `src` into `dst` (same shape, same array type) through the planner, after
 * every check: a refused call leaves `dst` untouched. Arrays over the runtime's memory are used
 * in place; between two others, a dense layout is one TypedArray copy and some are staged in
 * chunks (stagedChunks); the rest is staged in one block (the reachable range of each, copied in
 * once and, for the destination, out once), freed at the end. A generator that yields the planned copy
 * once (none for an empty shape) for its caller to make: at once (copyLayout, transpose), or as
 * an asynchronous copy (copyLayoutAsync, transposeAsync); the staging block is freed however the
 * generator ends.
 */
function* copyArrays(
  what: string,
  src: ArrayOperand,
  dst: ArrayOperand,
  tuning: StagingTuning = DEFAULT_STAGING,
): Generator<() => void, void, void> {
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
    // both in linear memory: copyPlain goes through a temporary if they overlap
    yield () =>
      copyPlain(
        ndim,
        itemsize,
        shape,
        { buf: dstOffset + dst.offset * itemsize, strides: byteStrides(dst.strides), suboffsets: null },
        { buf: srcOffset + src.offset * itemsize, strides: byteStrides(src.strides), suboffsets: null },
      );
    return;
  }
  if (!srcInRuntime && !dstInRuntime) {
    if (isDenseC(shape, src.strides) && isDenseC(shape, dst.strides)) {
      // the items in one run on both sides: one TypedArray copy, no Wasm (a copy of the same
      // buffer overlapping itself is made as through a temporary, as TypedArray#set specifies)
      new Uint8Array(dst.data.buffer, dstOffset + dst.offset * itemsize, n * itemsize).set(
        new Uint8Array(src.data.buffer, srcOffset + src.offset * itemsize, n * itemsize),
      );
      return;
    }
    const staged = stagedChunks(src, dst, hi - lo, tuning);
    if (staged !== null) {
      yield* copyArraysStaged(staged.src, staged.dst, staged.rows);
      return;
    }
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
    yield () =>
      copyPlain(
        ndim,
        itemsize,
        shape,
        { buf: dstBase + (dst.offset - dlo) * itemsize, strides: byteStrides(dst.strides), suboffsets: null },
        { buf: srcBase + (src.offset - lo) * itemsize, strides: byteStrides(src.strides), suboffsets: null },
        true,
      );
    if (!dstInRuntime) {
      new Uint8Array(dst.data.buffer, dstOffset + dlo * itemsize, outBytes).set(
        heapU8().subarray(dstBase, dstBase + outBytes),
      );
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
function layoutArgs(
  what: string,
  src: unknown,
  layoutOrOut: unknown,
  out: unknown,
): { source: ArrayOperand; target: ArrayOperand } {
  let source: ArrayOperand;
  let dest: unknown;
  if (isTypedArray(src)) {
    source = layoutOperand(what, src, layoutOrOut as ArrayLayout | undefined);
    dest = out;
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
export function copyLayout<T extends AnyTypedArray>(
  src: T | NdarrayLike<T> | UntypedNdarrayLike,
  layoutOrOut?: ArrayLayout | T | NdarrayLike<T> | UntypedNdarrayLike,
  out?: T | NdarrayLike<T>,
): T {
  const what = 'copyLayout()';
  const { source, target } = layoutArgs(what, src, layoutOrOut, out);
  runCopies(copyArrays(what, source, target));
  return target.data as T;
}

/** @internal copyLayout(src, layout, out) with other staging (tests, bench/tune-arrays.ts). */
export function copyLayoutWithStaging<T extends AnyTypedArray>(
  tuning: StagingTuning,
  src: T,
  layout: ArrayLayout,
  out?: T,
): T {
  const what = 'copyLayout()';
  const { source, target } = layoutArgs(what, src, layout, out);
  runCopies(copyArrays(what, source, target, tuning));
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
export function copyLayoutAsync<T extends AnyTypedArray>(
  src: T,
  layout: ArrayLayout,
  out?: T | NdarrayLike<T>,
): Promise<T>;
/** An ndarray-like object's items, as copyLayout(src, out?), as a promise. */
export function copyLayoutAsync<T extends AnyTypedArray>(src: NdarrayLike<T>, out?: T | NdarrayLike<T>): Promise<T>;
/** An ndarray-like object whose data is typed loosely: see the overload above. */
export function copyLayoutAsync(
  src: UntypedNdarrayLike,
  out?: AnyTypedArray | UntypedNdarrayLike,
): Promise<AnyTypedArray>;
export async function copyLayoutAsync<T extends AnyTypedArray>(
  src: T | NdarrayLike<T> | UntypedNdarrayLike,
  layoutOrOut?: ArrayLayout | T | NdarrayLike<T> | UntypedNdarrayLike,
  out?: T | NdarrayLike<T>,
): Promise<T> {
  const what = 'copyLayoutAsync()';
  const { source, target } = layoutArgs(what, src, layoutOrOut, out);
  await runCopiesAsync(copyArrays(what, source, target));
  return target.data as T;
}

/** The operands of a transpose() call, checked: the source with its axes permuted, and the destination. */
function transposeArgs(
  what: string,
  src: unknown,
  shapeOrAxes: readonly number[] | undefined,
  axesOrOut: unknown,
  out: unknown,
): { source: ArrayOperand; target: ArrayOperand } {
  let source: ArrayOperand;
  let axes: readonly number[] | undefined;
  let dest: unknown;
  if (isTypedArray(src)) {
    const shape = shapeOrAxes as readonly number[];
    checkShape(what, shape);
    if (count(shape) !== src.length) {
      throw new ValueError(`${what}: shape [${shape}] holds ${count(shape)} items, the array has ${src.length}`);
    }
    source = { data: src, shape: [...shape], strides: contiguousStrides(shape.length, shape, 1, 'C'), offset: 0 };
    axes = axesOrOut as readonly number[] | undefined;
    dest = out;
  } else {
    source = ndarrayOperand(what, src);
    axes = shapeOrAxes;
    dest = axesOrOut;
  }
  const ndim = source.shape.length;
  const order = axes ?? Array.from({ length: ndim }, (_, i) => ndim - 1 - i);
  if (
    order.length !== ndim ||
    new Set(order).size !== ndim ||
    order.some((a) => !Number.isInteger(a) || a < 0 || a >= ndim)
  ) {
    throw new ValueError(`${what}: axes must be a permutation of 0..${ndim - 1}`);
  }
  const permuted: ArrayOperand = {
    data: source.data,
    shape: order.map((a) => source.shape[a] as number),
    strides: order.map((a) => source.strides[a] as number),
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
export function transpose<T extends AnyTypedArray>(
  src: T,
  shape: readonly number[],
  axes?: readonly number[],
  out?: T | NdarrayLike<T>,
): T;
/**
 * An ndarray-like object (any strides) with its axes permuted (default: reversed), as a new
 * C-contiguous array (or into `out`).
 */
export function transpose<T extends AnyTypedArray>(
  src: NdarrayLike<T>,
  axes?: readonly number[],
  out?: T | NdarrayLike<T>,
): T;
/** An ndarray-like object whose data is typed loosely: see the overload above. */
export function transpose(
  src: UntypedNdarrayLike,
  axes?: readonly number[],
  out?: AnyTypedArray | UntypedNdarrayLike,
): AnyTypedArray;
export function transpose<T extends AnyTypedArray>(
  src: T | NdarrayLike<T> | UntypedNdarrayLike,
  shapeOrAxes?: readonly number[],
  axesOrOut?: readonly number[] | T | NdarrayLike<T> | UntypedNdarrayLike,
  out?: T | NdarrayLike<T>,
): T {
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
export function transposeAsync<T extends AnyTypedArray>(
  src: T,
  shape: readonly number[],
  axes?: readonly number[],
  out?: T | NdarrayLike<T>,
): Promise<T>;
/** An ndarray-like object with its axes permuted, as transpose(src, axes?, out?), as a promise. */
export function transposeAsync<T extends AnyTypedArray>(
  src: NdarrayLike<T>,
  axes?: readonly number[],
  out?: T | NdarrayLike<T>,
): Promise<T>;
/** An ndarray-like object whose data is typed loosely: see the overload above. */
export function transposeAsync(
  src: UntypedNdarrayLike,
  axes?: readonly number[],
  out?: AnyTypedArray | UntypedNdarrayLike,
): Promise<AnyTypedArray>;
export async function transposeAsync<T extends AnyTypedArray>(
  src: T | NdarrayLike<T> | UntypedNdarrayLike,
  shapeOrAxes?: readonly number[],
  axesOrOut?: readonly number[] | T | NdarrayLike<T> | UntypedNdarrayLike,
  out?: T | NdarrayLike<T>,
): Promise<T> {
  const what = 'transposeAsync()';
  const { source, target } = transposeArgs(what, src, shapeOrAxes, axesOrOut, out);
  await runCopiesAsync(copyArrays(what, source, target));
  return target.data as T;
}
