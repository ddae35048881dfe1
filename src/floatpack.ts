// IEEE half and single precision as CPython packs them (PyFloat_Pack2/Unpack2 and
// PyFloat_Pack4/Unpack4 in Objects/floatobject.c, 3.14): rounding half-even, overflow as
// OverflowError, and the NaN sign and payload kept where 3.14 keeps them.
import { OverflowError } from './errors.js';

const f64 = new DataView(new ArrayBuffer(8));

/** PyFloat_Pack2: the binary16 bits of `x`, rounded half-even, or OverflowError. */
export function packHalf(x: number): number {
  let sign: number;
  let e: number;
  let bits: number;
  if (x === 0) {
    sign = Object.is(x, -0) ? 1 : 0;
    e = 0;
    bits = 0;
  } else if (x === Infinity || x === -Infinity) {
    sign = x < 0 ? 1 : 0;
    e = 0x1f;
    bits = 0;
  } else if (Number.isNaN(x)) {
    // copysign(1.0, x): a NaN's sign is only visible in its bits. Since 3.14 the top 10 bits of
    // the double's mantissa (quiet bit and payload) are kept; a payload that truncates to
    // nothing becomes the quiet NaN, so that the result is no infinity (PyFloat_Pack2).
    f64.setFloat64(0, x);
    sign = f64.getUint8(0) >> 7;
    e = 0x1f;
    bits = (f64.getUint32(0) >>> 10) & 0x3ff; // (v & 0xffc0000000000) >> 42
    if (bits === 0) bits = 0x200;
  } else {
    sign = x < 0 ? 1 : 0;
    if (sign) x = -x;
    // frexp, then "f *= 2.0; e--": f in [1, 2). Subnormal doubles are far below 2**-25.
    f64.setFloat64(0, x);
    const biased = (f64.getUint32(0) >>> 20) & 0x7ff;
    e = biased === 0 ? -1075 : biased - 1023;
    let f = biased === 0 ? 0 : x * 2 ** -e;
    if (e >= 16) {
      throw new OverflowError('float too large to pack with e format');
    } else if (e < -25) {
      f = 0;
      e = 0;
    } else if (e < -14) {
      f = f * 2 ** (14 + e); // gradual underflow; exact, a power-of-two scale
      e = 0;
    } else {
      e += 15;
      f -= 1;
    }
    f *= 1024;
    bits = Math.trunc(f);
    const rest = f - bits;
    if (rest > 0.5 || (rest === 0.5 && bits % 2 === 1)) {
      bits++;
      if (bits === 1024) {
        bits = 0;
        e++;
        if (e === 31) throw new OverflowError('float too large to pack with e format');
      }
    }
  }
  return bits | (e << 10) | (sign << 15);
}

/**
 * PyFloat_Pack4 (the standard sizes '<f', '>f', '=f', '!f'): (float)x, then, since 3.14, a
 * signalling NaN stays signalling: the conversion quiets it, so the quiet bit is cleared
 * again, unless no payload bit survived (that would make it an infinity). Native 'f' is the
 * bare C cast (np_float), which the engine's own float conversion already is.
 */
export function packFloatBits(x: number): number {
  f64.setFloat32(0, x);
  let u32 = f64.getUint32(0);
  if (Number.isNaN(x)) {
    f64.setFloat64(0, x);
    const quiet = (f64.getUint32(0) & 0x80000) !== 0; // bit 51 of the double
    if (!quiet && (u32 & 0x3fffff) !== 0) u32 = (u32 & ~0x400000) >>> 0;
  }
  return u32;
}

/**
 * PyFloat_Unpack4 (standard sizes): (double)x, which quiets a signalling NaN; since 3.14 the
 * double's quiet bit is cleared again when the float's was clear.
 */
export function unpackFloatBits(u32: number): number {
  f64.setUint32(0, u32);
  const x = f64.getFloat32(0);
  if (!Number.isNaN(x) || (u32 & 0x400000) !== 0) return x;
  f64.setFloat64(0, x);
  f64.setUint32(0, f64.getUint32(0) & ~0x80000);
  return f64.getFloat64(0);
}

/** PyFloat_Unpack2: the double a binary16 bit pattern stands for, NaN sign and payload kept. */
export function unpackHalf(h: number): number {
  const sign = (h >> 15) & 1;
  let e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0x1f) {
    if (f === 0) return sign ? -Infinity : Infinity;
    // PyFloat_Unpack2 (3.14): the double NaN with the same sign, and the half's 10 mantissa
    // bits (quiet bit and payload) as the top of the double's mantissa
    f64.setUint32(0, (sign ? 0xfff00000 : 0x7ff00000) + (f << 10));
    f64.setUint32(4, 0);
    return f64.getFloat64(0);
  }
  let x = f / 1024;
  if (e === 0) {
    e = -14;
  } else {
    x += 1;
    e -= 15;
  }
  x *= 2 ** e;
  return sign ? -x : x;
}
