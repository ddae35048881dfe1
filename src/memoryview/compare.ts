// Comparison of memoryviews (memory_richcompare in Objects/memoryobject.c): shapes up to the
// first zero extent, then the items in logical order, equal as Python values; items of one
// native format compare directly, others are unpacked through struct as unpack_cmp does.
import { checkPointersOwned } from '../reach.js';
import { Complex } from '../complex.js';
import { StructError, UnicodeEncodeError, pyTypeName } from '../errors.js';
import { pyBytesOf } from '../exporters/bytes.js';
import { unpackHalf } from '../floatpack.js';
import { NATIVE_ITEMSIZE, Struct, nativeSingleChar, type StructItem } from '../struct.js';
import { heapU8, heapView } from '../wasm/heap.js';
import { adjustPtr } from '../wasm32.js';
import type { ViewDescriptor } from './descriptor.js';

/** equiv_shape: same ndim, same extents up to the first zero. */
export function equivShape(
  ndimA: number,
  shapeA: readonly number[],
  ndimB: number,
  shapeB: readonly number[],
): boolean {
  if (ndimA !== ndimB) return false;
  for (let i = 0; i < ndimA; i++) {
    const a = shapeA[i];
    if (a !== shapeB[i]) return false;
    if (a === 0) break;
  }
  return true;
}

/**
 * Python's == between two items (int, float, bool, bytes as number/bigint/boolean/Uint8Array)
 * or struct tuples (arrays): numbers compare exactly across int and float, bytes by content
 * (a Bytes or ByteArray compares as the bytes it holds).
 */
export function pyEquals(a: unknown, b: unknown): boolean {
  const na = numericKind(a);
  const nb = numericKind(b);
  if (na !== null && nb !== null) {
    if (typeof na === 'number' && typeof nb === 'number') return na === nb;
    if (typeof na === 'bigint' && typeof nb === 'bigint') return na === nb;
    const num = (typeof na === 'number' ? na : nb) as number;
    const big = (typeof na === 'bigint' ? na : nb) as bigint;
    return Number.isInteger(num) && BigInt(num) === big;
  }
  // complex == complex, int, float or bool (struct items of 'F' and 'D')
  if (a instanceof Complex) return a.equals(b);
  if (b instanceof Complex) return b.equals(a);
  // bytes == bytes or bytearray, by content (a Uint8Array, a Bytes or a ByteArray)
  const ba = pyBytesOf(a, true);
  const bb = ba === null ? null : pyBytesOf(b, true);
  if (ba !== null && bb !== null) {
    if (ba.length !== bb.length) return false;
    for (let i = 0; i < ba.length; i++) if (ba[i] !== bb[i]) return false;
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]));
  }
  return a === b && a !== null && typeof a === 'object';
}

/**
 * `item == value` for memoryview.count() and index(), as a test of each item. A memoryview value
 * is reached through its reflected __eq__ (memory_richcompare), which compares a bytes item ('c'
 * formats) with it as a buffer of format 'B' and shape (len,): b'a' == memoryview(b'a') and
 * memoryview(b'a').cast('h') (97 == 97), but not memoryview(b'a').cast('c') (b'a' != 97), nor one
 * of another shape or released; ints, floats and complex items never equal one. Other values
 * compare as pyEquals does.
 */
export function itemTest(value: unknown): (item: unknown) => boolean {
  if (pyTypeName(value) !== 'memoryview') return (item) => pyEquals(item, value);
  const m = value as { readonly isReleased: boolean; readonly ndim: number; tolist(): unknown };
  let values: unknown[] | null = null;
  try {
    if (!m.isReleased && m.ndim === 1) values = m.tolist() as unknown[];
  } catch {
    // a format struct cannot unpack: never equal
  }
  return (item) =>
    values !== null &&
    item instanceof Uint8Array &&
    item.length === values.length &&
    values.every((x, i) => pyEquals(item[i], x));
}

function numericKind(v: unknown): number | bigint | null {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

type Unpacker = (ptr: number) => StructItem | StructItem[];

/** struct_get_unpacker: Struct(format).unpack_from over an itemsize-byte copy of each item. */
function structUnpacker(format: string, itemsize: number): Unpacker {
  const st = new Struct(format);
  return (ptr) => {
    const item = heapU8().slice(ptr, ptr + itemsize);
    const values = st.unpackFrom(new DataView(item.buffer), 0);
    return values.length === 1 ? values[0] : values;
  };
}

/** unpack_cmp's fast path: two items of the same native format. */
function nativeItemsEqual(p: number, q: number, fmt: string, size: number): boolean {
  const dv = heapView();
  switch (fmt) {
    case 'f':
      return dv.getFloat32(p, true) === dv.getFloat32(q, true);
    case 'd':
      return dv.getFloat64(p, true) === dv.getFloat64(q, true);
    case 'e':
      return unpackHalf(dv.getUint16(p, true)) === unpackHalf(dv.getUint16(q, true));
    // *(_Bool *)p == *(_Bool *)q: the lowest bits, as unpack_single reads them
    case '?':
      return ((dv.getUint8(p) ^ dv.getUint8(q)) & 1) === 0;
    default: {
      // integers, 'c' and 'P': equal values are equal bytes
      for (let i = 0; i < size; i++) if (dv.getUint8(p + i) !== dv.getUint8(q + i)) return false;
      return true;
    }
  }
}

/** memory_richcompare after the released/exporter checks: cmp_rec over logical items. */
export function compareViews(vv: ViewDescriptor, ww: ViewDescriptor): boolean {
  if (!equivShape(vv.ndim, vv.shape, ww.ndim, ww.shape)) return false;
  const vfmt = nativeSingleChar(vv.format);
  const wfmt = nativeSingleChar(ww.format);
  let equal: (p: number, q: number) => boolean;
  if (vfmt === null || wfmt === null || vfmt !== wfmt) {
    let unpackV: Unpacker;
    let unpackW: Unpacker;
    try {
      unpackV = structUnpacker(vv.format, vv.itemsize);
      unpackW = structUnpacker(ww.format, ww.itemsize);
    } catch (err) {
      // fix_struct_error_int: a format struct refuses makes the views unequal
      if (err instanceof StructError || err instanceof UnicodeEncodeError || err instanceof TypeError) return false;
      throw err;
    }
    equal = (p, q) => pyEquals(unpackV(p), unpackW(q));
  } else {
    // unpack_cmp reads the C type of the format, not itemsize bytes: a view exported without
    // PyBUF_FORMAT is 'B' with its old itemsize, and compares the first byte of each item
    const size = NATIVE_ITEMSIZE[vfmt] as number;
    equal = (p, q) => nativeItemsEqual(p, q, vfmt, size);
  }
  if (vv.ndim === 0) return equal(vv.buf, ww.buf);
  checkPointersOwned(vv);
  checkPointersOwned(ww);
  return cmpRec(vv.buf, ww.buf, 0, vv.ndim, vv.shape, vv.strides, vv.suboffsets, ww.strides, ww.suboffsets, equal);
}

function cmpRec(
  p: number,
  q: number,
  dim: number,
  ndim: number,
  shape: readonly number[],
  pstrides: readonly number[],
  psub: readonly number[] | null,
  qstrides: readonly number[],
  qsub: readonly number[] | null,
  equal: (p: number, q: number) => boolean,
): boolean {
  const n = shape[dim];
  // tested once per dimension, not per item: the call does not inline into this recursion
  const pIndirect = psub !== null && psub[dim] >= 0;
  const qIndirect = qsub !== null && qsub[dim] >= 0;
  for (let i = 0; i < n; i++, p += pstrides[dim], q += qstrides[dim]) {
    const xp = pIndirect ? adjustPtr(p, psub, dim) : p;
    const xq = qIndirect ? adjustPtr(q, qsub, dim) : q;
    const ok =
      dim === ndim - 1 ? equal(xp, xq) : cmpRec(xp, xq, dim + 1, ndim, shape, pstrides, psub, qstrides, qsub, equal);
    if (!ok) return false;
  }
  return true;
}
