// Tiles of items of three channels (RGB pixels of uint8, uint16 or float32: rotations by 90
// degrees, transposes of images) with SIMD. For 1- and 2-byte channels each row of a micro-tile
// is 48 bytes (16 pixels of 3 bytes, or 8 of 6); each 12 bytes of it are widened to one vector (4
// pixels in 4-byte lanes, or 2 in 8-byte lanes), transposed in registers with the same groups of
// the next rows, as 4- or 8-byte items are, and narrowed back: about 1.5 operations a pixel
// where the scalar tile (two overlapping moves) takes about six. 4-byte channels: microTile12
// below. Figures in docs/performance.md, "Items of other sizes".

import { minI32, widened } from "./bounds";

// The swizzle masks, three per channel size, loaded once per range: WIDEN spreads the pixels of a
// vector's first 12 bytes over its lanes; WIDEN_HI those of its last 12 bytes (the fourth group
// of a row, loaded 4 bytes early so that no load reaches past the row's 48 bytes); NARROW packs
// the lanes' pixels into the first 12 bytes. Channels of 1 byte, then of 2.
const MASKS = memory.data<u8>([
  0, 1, 2, 0x80, 3, 4, 5, 0x80, 6, 7, 8, 0x80, 9, 10, 11, 0x80,
  4, 5, 6, 0x80, 7, 8, 9, 0x80, 10, 11, 12, 0x80, 13, 14, 15, 0x80,
  0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80,
  0, 1, 2, 3, 4, 5, 0x80, 0x80, 6, 7, 8, 9, 10, 11, 0x80, 0x80,
  4, 5, 6, 7, 8, 9, 0x80, 0x80, 10, 11, 12, 13, 14, 15, 0x80, 0x80,
  0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 13, 0x80, 0x80, 0x80, 0x80,
], 16);

/**
 * Moves a micro-tile of pixels of three channels of T (u8: 16 x 16 pixels; u16: 8 x 8): source
 * row r (48 bytes at src + r * sB) becomes destination column r (dst + c * dA + r * 3 *
 * sizeof<T>() holds pixel c of source row r). Reads and writes only the tile's 48 bytes of each
 * row on each side: a 16-byte store that runs 4 bytes into the next group of its row is followed
 * by that group's store, and the last group of each row is stored as 8 + 4 bytes.
 */
// @ts-ignore: decorator
@inline function microTile3<T>(dst: usize, dA: isize, src: usize, sB: isize, widen: v128, widenHi: v128,
  narrow: v128): void {
  // pixels per widened vector: 4 (1-byte channels) or 2 (2-byte)
  const per = <i32>(4 / sizeof<T>());
  for (let k = 0; k < 4; k++) {
    // pixels per * k .. of each source row: bytes 12k .. 12k + 11 (the last group from byte 32)
    const off = <usize>(k < 3 ? 12 * k : 32);
    const mask = k < 3 ? widen : widenHi;
    const d = dst + <isize>(per * k) * dA;
    for (let g = 0; g < 4; g++) {
      // source rows per * g ..: destination bytes 12g .. 12g + 11 of each of `per` rows
      const s = src + <isize>(per * g) * sB + off;
      const q = d + <usize>(12 * g);
      if (sizeof<T>() == 1) {
        const r0 = i8x16.swizzle(v128.load(s), mask);
        const r1 = i8x16.swizzle(v128.load(s + sB), mask);
        const r2 = i8x16.swizzle(v128.load(s + 2 * sB), mask);
        const r3 = i8x16.swizzle(v128.load(s + 3 * sB), mask);
        const t0 = i32x4.shuffle(r0, r2, 0, 4, 1, 5);
        const t1 = i32x4.shuffle(r0, r2, 2, 6, 3, 7);
        const t2 = i32x4.shuffle(r1, r3, 0, 4, 1, 5);
        const t3 = i32x4.shuffle(r1, r3, 2, 6, 3, 7);
        store12(q, g, i8x16.swizzle(i32x4.shuffle(t0, t2, 0, 4, 1, 5), narrow));
        store12(q + dA, g, i8x16.swizzle(i32x4.shuffle(t0, t2, 2, 6, 3, 7), narrow));
        store12(q + 2 * dA, g, i8x16.swizzle(i32x4.shuffle(t1, t3, 0, 4, 1, 5), narrow));
        store12(q + 3 * dA, g, i8x16.swizzle(i32x4.shuffle(t1, t3, 2, 6, 3, 7), narrow));
      } else {
        const r0 = i8x16.swizzle(v128.load(s), mask);
        const r1 = i8x16.swizzle(v128.load(s + sB), mask);
        store12(q, g, i8x16.swizzle(i64x2.shuffle(r0, r1, 0, 2), narrow));
        store12(q + dA, g, i8x16.swizzle(i64x2.shuffle(r0, r1, 1, 3), narrow));
      }
    }
  }
}

// The first 12 bytes of `v` at q: as 16 when another group of the row follows (g < 3), whose
// store overwrites the 4 bytes past them; as 8 + 4 for the row's last group.
// @ts-ignore: decorator
@inline function store12(q: usize, g: i32, v: v128): void {
  if (g < 3) {
    v128.store(q, v);
  } else {
    v128.store_lane<u64>(q, v, 0);
    v128.store_lane<u32>(q, v, 2, 8);
  }
}

// One pixel of three channels of T: two overlapping moves of 2 (u8) or 4 (u16) bytes, or 8 and 4
// bytes (u32).
// @ts-ignore: decorator
@inline function movePixel<T>(d: usize, s: usize): void {
  if (sizeof<T>() == 1) {
    const a = load<u16>(s);
    const b = load<u16>(s, 1);
    store<u16>(d, a);
    store<u16>(d, b, 1);
  } else if (sizeof<T>() == 2) {
    const a = load<u32>(s);
    const b = load<u32>(s, 2);
    store<u32>(d, a);
    store<u32>(d, b, 2);
  } else {
    const a = load<u64>(s);
    const b = load<u32>(s, 8);
    store<u64>(d, a);
    store<u32>(d, b, 8);
  }
}

/**
 * The pixels [i0a, i0b) x [i1a, i1b) of a tile of pixels of three channels of T (pixel (i0, i1)
 * at src + p * i0 + i1 * sB and dst + i0 * dA + p * i1, p = 3 * sizeof<T>()), by micro-tiles
 * of m = 16 / sizeof<T>() pixels (microTile3, or microTile12 for u32) when both extents are at
 * least m: a ragged end is covered by one
 * more micro-tile moved back to end at the range's end, which writes some pixels again with the
 * same values (the planner never tiles operands that share a byte). Narrower ranges go pixel by
 * pixel. `rowsFirst`: along the source's rows, as simdRange.
 */
// @ts-ignore: decorator
@inline function range3<T>(dst: usize, src: usize, i0a: i32, i0b: i32, i1a: i32, i1b: i32, dA: isize, sB: isize,
  rowsFirst: bool): void {
  const m = <i32>(16 / sizeof<T>());
  const p = <isize>(3 * sizeof<T>());
  if (i0b - i0a >= m && i1b - i1a >= m) {
    // (microTile12 takes no masks)
    const masks = MASKS + (sizeof<T>() == 1 ? 0 : 48);
    const widen = sizeof<T>() == 4 ? v128.splat<i32>(0) : v128.load(masks);
    const widenHi = sizeof<T>() == 4 ? widen : v128.load(masks, 16);
    const narrow = sizeof<T>() == 4 ? widen : v128.load(masks, 32);
    const oa = rowsFirst ? i1a : i0a;
    const ob = rowsFirst ? i1b : i0b;
    const ia = rowsFirst ? i0a : i1a;
    const ib = rowsFirst ? i0b : i1b;
    for (let xo = oa; xo < ob; xo += m) {
      const po = minI32(xo, ob - m);
      for (let xi = ia; xi < ib; xi += m) {
        const pi = minI32(xi, ib - m);
        const p0 = rowsFirst ? pi : po;
        const p1 = rowsFirst ? po : pi;
        const d = dst + <isize>p0 * dA + <isize>p1 * p;
        const s = src + <isize>p0 * p + <isize>p1 * sB;
        if (sizeof<T>() == 4) microTile12(d, dA, s, sB);
        else microTile3<T>(d, dA, s, sB, widen, widenHi, narrow);
      }
    }
    return;
  }
  for (let i0 = i0a; i0 < i0b; i0++) {
    let d = dst + <isize>i0 * dA + <isize>i1a * p;
    let s = src + <isize>i0 * p + <isize>i1a * sB;
    for (let i1 = i1a; i1 < i1b; i1++) {
      movePixel<T>(d, s);
      d += p;
      s += sB;
    }
  }
}

/**
 * A tile of RGB pixels, three channels of T (u8, u16 or u32: 3-, 6- or 12-byte items), adjacent
 * along both fast dims (dB = sA = 3 * sizeof<T>()): blocks of `block` x `block` pixels, each by
 * range3, a block's last strip narrower than a micro-tile widened back into the block before it.
 */
export function tileRgb<T>(dst: usize, src: usize, n0: i32, n1: i32, dA: isize, sB: isize, block: i32, rowsFirst: bool): void {
  const m = <i32>(16 / sizeof<T>());
  for (let a0 = 0; a0 < n0; a0 += block) {
    const a1 = minI32(a0 + block, n0);
    for (let b0 = 0; b0 < n1; b0 += block) {
      const b1 = minI32(b0 + block, n1);
      range3<T>(dst, src, widened(a0, a1, m), a1, widened(b0, b1, m), b1, dA, sB, rowsFirst);
    }
  }
}

// Pixels of three 4-byte channels (12-byte items: float32 RGB): micro-tiles of 4 x 4 pixels.
// Each destination row of a micro-tile is one pixel of each of the 4 source rows, loaded as a
// vector from the pixel's first byte (the fourth pixel from 4 bytes before it, so that no load
// reaches past the 48 bytes of the row), packed three lanes at a time into 3 vectors by
// two-input shuffles: 16 loads, 12 shuffles and 12 stores for 16 pixels, where the scalar tile
// moves each pixel as two 8-byte words.
// @ts-ignore: decorator
@inline function microTile12(dst: usize, dA: isize, src: usize, sB: isize): void {
  for (let c = 0; c < 4; c++) {
    const d = dst + <isize>c * dA;
    if (c < 3) {
      const s = src + <usize>(12 * c);
      const x0 = v128.load(s);
      const x1 = v128.load(s + sB);
      const x2 = v128.load(s + 2 * sB);
      const x3 = v128.load(s + 3 * sB);
      v128.store(d, i32x4.shuffle(x0, x1, 0, 1, 2, 4));
      v128.store(d, i32x4.shuffle(x1, x2, 1, 2, 4, 5), 16);
      v128.store(d, i32x4.shuffle(x2, x3, 2, 4, 5, 6), 32);
    } else {
      // the fourth pixel in lanes 1-3
      const s = src + 32;
      const x0 = v128.load(s);
      const x1 = v128.load(s + sB);
      const x2 = v128.load(s + 2 * sB);
      const x3 = v128.load(s + 3 * sB);
      v128.store(d, i32x4.shuffle(x0, x1, 1, 2, 3, 5));
      v128.store(d, i32x4.shuffle(x1, x2, 2, 3, 5, 6), 16);
      v128.store(d, i32x4.shuffle(x2, x3, 3, 5, 6, 7), 32);
    }
  }
}
