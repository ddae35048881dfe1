// Items of native single-character formats, as unpack_single / pack_single and tolist_rec in
// CPython's Objects/memoryobject.c, for wasm32 (little-endian; 'l', 'L', 'n', 'N', 'P' are 4 bytes).
import { NotImplementedError, OverflowError, ValueError } from './errors.js';
import { pyBytesOf } from './exporters/bytes.js';
import { packHalf, unpackHalf } from './floatpack.js';
import { isTrue } from './truth.js';
import { heapView } from './wasm/heap.js';
import { adjustPtr } from './wasm32.js';

/** A memoryview item in JavaScript: numbers, bigint for 'q'/'Q', boolean for '?', Uint8Array(1) for 'c'. */
export type Item = number | bigint | boolean | Uint8Array;

/** A nested list of items, as memoryview.tolist() returns (`T`: the item type of the format). */
export type NestedList<T = Item> = T | NestedList<T>[];

/** adjust_fmt: the format without a leading '@', which must then be one character. */
export function adjustFormat(format: string): string {
  const f = format.charCodeAt(0) === 0x40 ? format.slice(1) : format;
  if (f.length === 1) return f;
  throw new NotImplementedError(`memoryview: unsupported format ${format}`);
}

/** unpack_single: reads one item of native format char `fmt` at `ptr`. */
export function unpackItem(dv: DataView, ptr: number, fmt: string): Item {
  switch (fmt) {
    case 'B':
      return dv.getUint8(ptr);
    case 'b':
      return dv.getInt8(ptr);
    case 'h':
      return dv.getInt16(ptr, true);
    case 'i':
    case 'l':
    case 'n':
      return dv.getInt32(ptr, true);
    // *(_Bool *)ptr: clang for wasm32 loads the byte and keeps its lowest bit (a byte other
    // than 0 or 1 is no valid _Bool; this is what CPython on this platform answers)
    case '?':
      return (dv.getUint8(ptr) & 1) === 1;
    case 'H':
      return dv.getUint16(ptr, true);
    case 'I':
    case 'L':
    case 'N':
    case 'P':
      return dv.getUint32(ptr, true);
    case 'q':
      return dv.getBigInt64(ptr, true);
    case 'Q':
      return dv.getBigUint64(ptr, true);
    case 'f':
      return dv.getFloat32(ptr, true);
    case 'd':
      return dv.getFloat64(ptr, true);
    case 'e':
      return unpackHalf(dv.getUint16(ptr, true));
    case 'c':
      return new Uint8Array(dv.buffer, dv.byteOffset + ptr, 1).slice();
    default:
      throw new NotImplementedError(`memoryview: format ${fmt} not supported`);
  }
}

function typeError(fmt: string): never {
  throw new TypeError(`memoryview: invalid type for format '${fmt}'`);
}

function valueError(fmt: string): never {
  throw new ValueError(`memoryview: invalid value for format '${fmt}'`);
}

/** Python's int(): numbers that are integers, bigints and booleans (bool is an int subclass). */
function asInteger(value: unknown, fmt: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  return typeError(fmt);
}

/** PyFloat_AsDouble: numbers, ints (bigint, OverflowError past DBL_MAX) and bools. */
function asDouble(value: unknown, fmt: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') {
    // PyLong_AsDouble rounds half-even like Number(); past DBL_MAX it is OverflowError -> ValueError
    const d = Number(value);
    if (!Number.isFinite(d)) return valueError(fmt);
    return d;
  }
  return typeError(fmt);
}

const INT_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = Object.freeze({
  b: [-(2n ** 7n), 2n ** 7n - 1n],
  h: [-(2n ** 15n), 2n ** 15n - 1n],
  i: [-(2n ** 31n), 2n ** 31n - 1n],
  l: [-(2n ** 31n), 2n ** 31n - 1n],
  n: [-(2n ** 31n), 2n ** 31n - 1n],
  q: [-(2n ** 63n), 2n ** 63n - 1n],
  B: [0n, 2n ** 8n - 1n],
  H: [0n, 2n ** 16n - 1n],
  I: [0n, 2n ** 32n - 1n],
  L: [0n, 2n ** 32n - 1n],
  N: [0n, 2n ** 32n - 1n],
  Q: [0n, 2n ** 64n - 1n],
  // PyLong_AsVoidPtr accepts a negative long or an unsigned long
  P: [-(2n ** 31n), 2n ** 32n - 1n],
});

/**
 * pack_single: checks `value` for native format char `fmt` and returns a writer; nothing is
 * written when the value is refused, so an error leaves memory untouched.
 */
export function checkItem(value: unknown, fmt: string): (dv: DataView, ptr: number) => void {
  switch (fmt) {
    case 'b':
    case 'h':
    case 'i':
    case 'l':
    case 'n':
    case 'q':
    case 'B':
    case 'H':
    case 'I':
    case 'L':
    case 'N':
    case 'Q':
    case 'P': {
      const v = asInteger(value, fmt);
      const [lo, hi] = INT_RANGES[fmt];
      if (v < lo || v > hi) valueError(fmt);
      const n = Number(v);
      switch (fmt) {
        case 'b':
        case 'B':
          return (dv, p) => dv.setUint8(p, n & 0xff);
        case 'h':
        case 'H':
          return (dv, p) => dv.setUint16(p, n & 0xffff, true);
        case 'q':
          return (dv, p) => dv.setBigInt64(p, v, true);
        case 'Q':
          return (dv, p) => dv.setBigUint64(p, v, true);
        default:
          return (dv, p) => dv.setUint32(p, n >>> 0, true);
      }
    }
    case 'f':
    case 'd':
    case 'e': {
      const d = asDouble(value, fmt);
      // (float)d in C: out-of-range doubles become infinities, as DataView's setFloat32
      if (fmt === 'f') return (dv, p) => dv.setFloat32(p, d, true);
      if (fmt === 'd') return (dv, p) => dv.setFloat64(p, d, true);
      let bits: number;
      try {
        bits = packHalf(d);
      } catch (err) {
        // fix_error_int: PyFloat_Pack2's OverflowError becomes ValueError
        if (err instanceof OverflowError) valueError(fmt);
        throw err;
      }
      return (dv, p) => dv.setUint16(p, bits, true);
    }
    case '?': {
      const b = isTrue(value) ? 1 : 0;
      return (dv, p) => dv.setUint8(p, b);
    }
    case 'c': {
      // PyBytes_Check: bytes only, not bytearray
      const bytes = pyBytesOf(value);
      if (bytes === null) typeError(fmt);
      if (bytes.length !== 1) valueError(fmt);
      const byte = bytes[0];
      return (dv, p) => dv.setUint8(p, byte);
    }
    default:
      throw new NotImplementedError(`memoryview: format ${fmt} not supported`);
  }
}

/** pack_single at `ptr`: every check first, so a refused value leaves memory untouched. */
export function packAt(ptr: number, value: unknown, fmt: string): void {
  const write = checkItem(value, fmt);
  write(heapView(), ptr);
}

/** tolist_rec: the items of dimensions dim.. from `ptr`, as nested arrays, following suboffsets. */
export function tolistRec(
  dv: DataView,
  ptr: number,
  dim: number,
  ndim: number,
  shape: readonly number[],
  strides: readonly number[],
  suboffsets: readonly number[] | null,
  fmt: string,
): NestedList[] {
  const n = shape[dim];
  const stride = strides[dim];
  const out = new Array<NestedList>(n);
  // tested once per dimension, not per item: the call does not inline into this recursion
  const indirect = suboffsets !== null && suboffsets[dim] >= 0;
  for (let i = 0; i < n; i++, ptr += stride) {
    const p = indirect ? adjustPtr(ptr, suboffsets, dim) : ptr;
    out[i] =
      dim === ndim - 1 ? unpackItem(dv, p, fmt) : tolistRec(dv, p, dim + 1, ndim, shape, strides, suboffsets, fmt);
  }
  return out;
}
