// Python's slice objects and Ellipsis, with PySlice_Unpack / PySlice_AdjustIndices from
// CPython's Objects/sliceobject.c, for a 32-bit Py_ssize_t (wasm32).
import { isPyInt, pyIntValue } from './args.js';
import { IndexError, ValueError, pyType, pyTypeName } from './errors.js';
import { PY_SSIZE_T_MAX, PY_SSIZE_T_MIN } from './wasm32.js';
import { settleObjectShape } from './object-shape.js';

/** A slice bound: an integer (number, bigint, or a boolean as Python's bool) or null for None. */
export type SliceBound = number | bigint | boolean | null;

/** A Python int as a result: a number when it is a safe integer, else a bigint. */
export type PyIntValue = number | bigint;

function pyIntResult(x: bigint): PyIntValue {
  return x >= -MAX_SAFE && x <= MAX_SAFE ? Number(x) : x;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Python's slice(start, stop, step); null stands for None. */
export class PySlice {
  constructor(
    readonly start: SliceBound,
    readonly stop: SliceBound,
    readonly step: SliceBound,
  ) {}

  /** @internal Python's name for the type (pyTypeName). */
  get [pyType](): string {
    return 'slice';
  }

  /**
   * slice.indices(length): the (start, stop, step) of `range()` that selects this slice of a
   * sequence of `length` items, computed on Python ints as _PySlice_GetLongIndices does, so
   * exact at any size: no clamping to Py_ssize_t, and the step comes back as given.
   *
   * `length` is any Python int: an integral number, a bigint or a boolean (TypeError for
   * anything else, ValueError for a negative one, checked before a zero step is). A bound that
   * is not an int is TypeError. Each result is a number when it is a safe integer and a bigint
   * otherwise (past 2**53), the way a Python int of any size comes back to JavaScript.
   * @example
   * slice(null, null, -1).indices(2 ** 31); // [2147483647, -1, -1]
   * slice(-3, null).indices(2n ** 64n);     // [18446744073709551613n, 18446744073709551616n, 1]
   */
  indices(length: number | bigint | boolean): [PyIntValue, PyIntValue, PyIntValue] {
    if (!isPyInt(length)) throw new TypeError(`'${pyTypeName(length)}' object cannot be interpreted as an integer`);
    const n = BigInt(pyIntValue(length));
    if (n < 0n) throw new ValueError('length should not be negative');
    const bound = (v: unknown): bigint | null => {
      if (v === null || v === undefined) return null;
      if (!isPyInt(v)) throw new TypeError('slice indices must be integers or None or have an __index__ method');
      return BigInt(pyIntValue(v));
    };
    const step = bound(this.step) ?? 1n;
    if (step === 0n) throw new ValueError('slice step cannot be zero');
    const lower = step < 0n ? -1n : 0n;
    const upper = step < 0n ? n - 1n : n;
    const adjust = (v: unknown, absent: bigint): bigint => {
      let x = bound(v);
      if (x === null) return absent;
      if (x < 0n) {
        x += n;
        if (x < lower) x = lower;
      } else if (x > upper) {
        x = upper;
      }
      return x;
    };
    const start = adjust(this.start, step < 0n ? upper : lower);
    const stop = adjust(this.stop, step < 0n ? lower : upper);
    return [pyIntResult(start), pyIntResult(stop), pyIntResult(step)];
  }

  toString(): string {
    const show = (v: SliceBound): string =>
      v === null ? 'None' : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v);
    return `slice(${show(this.start)}, ${show(this.stop)}, ${show(this.step)})`;
  }
}

// its fields inline (src/object-shape.ts)
settleObjectShape(() => new PySlice(null, null, null));

/**
 * Builds a slice as Python's `slice()` builtin: `slice(stop)` or `slice(start, stop, step?)`;
 * null (or undefined) for None.
 */
export function slice(startOrStop?: SliceBound, stop?: SliceBound, step?: SliceBound): PySlice {
  if (stop === undefined && step === undefined) return new PySlice(null, startOrStop ?? null, null);
  return new PySlice(startOrStop ?? null, stop ?? null, step ?? null);
}

/** Python's Ellipsis (`...`). */
export const Ellipsis: unique symbol = Symbol.for('wasm-memoryview.Ellipsis');
/** The type of Ellipsis. */
export type EllipsisType = typeof Ellipsis;

function clampIndex(value: number | bigint): number {
  const big = BigInt(value);
  if (big > BigInt(PY_SSIZE_T_MAX)) return PY_SSIZE_T_MAX;
  if (big < BigInt(PY_SSIZE_T_MIN)) return PY_SSIZE_T_MIN;
  return Number(big);
}

/**
 * PyNumber_AsSsize_t(value, IndexError): an index that must fit Py_ssize_t, else IndexError
 * "cannot fit 'int' into an index-sized integer".
 */
export function asSsize(value: number | bigint): number {
  if (typeof value === 'number' && value >= PY_SSIZE_T_MIN && value <= PY_SSIZE_T_MAX) return value;
  const big = BigInt(value);
  if (big > BigInt(PY_SSIZE_T_MAX) || big < BigInt(PY_SSIZE_T_MIN)) {
    throw new IndexError("cannot fit 'int' into an index-sized integer");
  }
  return Number(big);
}

/** PySlice_Unpack: bounds clamped to Py_ssize_t, None resolved by the sign of step. */
export function unpackSlice(s: PySlice): [number, number, number] {
  // _PyEval_SliceIndex takes any int, and a bool is one: slice(True, None) starts at 1
  const index = (v: unknown): number | bigint | null => {
    if (v === null || v === undefined) return null;
    if (!isPyInt(v)) throw new TypeError('slice indices must be integers or None or have an __index__ method');
    return pyIntValue(v);
  };
  const startValue = index(s.start);
  const stopValue = index(s.stop);
  const stepValue = index(s.step);
  let step = 1;
  if (stepValue !== null) {
    step = clampIndex(stepValue);
    if (step === 0) throw new ValueError('slice step cannot be zero');
    // Guard against -step overflowing (as CPython's PySlice_Unpack)
    if (step < -PY_SSIZE_T_MAX) step = -PY_SSIZE_T_MAX;
  }
  const start = startValue === null ? (step < 0 ? PY_SSIZE_T_MAX : 0) : clampIndex(startValue);
  const stop = stopValue === null ? (step < 0 ? PY_SSIZE_T_MIN : PY_SSIZE_T_MAX) : clampIndex(stopValue);
  return [start, stop, step];
}

/** PySlice_AdjustIndices: clamps start and stop to `length` and returns the slice length. */
export function adjustIndices(
  length: number,
  start: number,
  stop: number,
  step: number,
): { start: number; stop: number; slicelength: number } {
  // Py_ssize_t is 32 bits on wasm32 and these sums wrap there as in CPython's C (a length near
  // -2**31 makes start + length and length - 1 wrap: the values _testbuffer.slice_indices gives)
  if (start < 0) {
    start = (start + length) | 0;
    if (start < 0) start = step < 0 ? -1 : 0;
  } else if (start >= length) {
    start = step < 0 ? (length - 1) | 0 : length;
  }
  if (stop < 0) {
    stop = (stop + length) | 0;
    if (stop < 0) stop = step < 0 ? -1 : 0;
  } else if (stop >= length) {
    stop = step < 0 ? (length - 1) | 0 : length;
  }
  let slicelength = 0;
  if (step < 0) {
    if (stop < start) slicelength = (Math.trunc(((start - stop - 1) | 0) / -step) + 1) | 0;
  } else if (start < stop) {
    slicelength = (Math.trunc(((stop - start - 1) | 0) / step) + 1) | 0;
  }
  return { start, stop, slicelength };
}
