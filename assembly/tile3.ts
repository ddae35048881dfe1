// Tiles of 3-byte items (RGB pixels of uint8: rotations by 90 degrees, transposes of images) with
// SIMD: 16 x 16 micro-tiles, each item widened to a 4-byte lane, transposed 4 x 4 in registers
// as 4-byte items are, and narrowed back. About 1.5 operations an item where the scalar tile
// (two overlapping 2-byte moves) takes about six; figures in docs/performance.md, "Items of
// other sizes".

// @ts-ignore: decorator
@inline function minI32(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

// The three swizzle masks, loaded once per range: WIDEN spreads the 4 items of a vector's first
// 12 bytes over 4 lanes; WIDEN_HI the 4 items of its last 12 bytes (the fourth group of a row,
// loaded 4 bytes early so that no load reaches past the row's 48 bytes); NARROW packs 4 lanes'
// items into the first 12 bytes.
const MASKS = memory.data<u8>([
  0, 1, 2, 0x80, 3, 4, 5, 0x80, 6, 7, 8, 0x80, 9, 10, 11, 0x80,
  4, 5, 6, 0x80, 7, 8, 9, 0x80, 10, 11, 12, 0x80, 13, 14, 15, 0x80,
  0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80,
], 16);

/**
 * Moves a 16 x 16 micro-tile of 3-byte items: source row r (16 items, 48 bytes, at src + r * sB)
 * becomes destination column r (dst + c * dA + 3 * r holds item c of source row r). Reads and
 * writes only the tile's 16 x 48 bytes on each side: a 16-byte store that runs 4 bytes into the
 * next group of its row is followed by that group's store, and the last group of each row is
 * stored as 8 + 4 bytes.
 */
// @ts-ignore: decorator
@inline function transpose3x16(dst: usize, dA: isize, src: usize, sB: isize, widen: v128, widenHi: v128, narrow: v128): void {
  for (let k = 0; k < 4; k++) {
    // items 4k .. 4k + 3 of each source row: bytes 12k .. 12k + 11 (the last group from byte 32)
    const off = <usize>(k < 3 ? 12 * k : 32);
    const mask = k < 3 ? widen : widenHi;
    const d = dst + <isize>(4 * k) * dA;
    for (let g = 0; g < 4; g++) {
      const s = src + <isize>(4 * g) * sB + off;
      const r0 = i8x16.swizzle(v128.load(s), mask);
      const r1 = i8x16.swizzle(v128.load(s + sB), mask);
      const r2 = i8x16.swizzle(v128.load(s + 2 * sB), mask);
      const r3 = i8x16.swizzle(v128.load(s + 3 * sB), mask);
      const t0 = i32x4.shuffle(r0, r2, 0, 4, 1, 5);
      const t1 = i32x4.shuffle(r0, r2, 2, 6, 3, 7);
      const t2 = i32x4.shuffle(r1, r3, 0, 4, 1, 5);
      const t3 = i32x4.shuffle(r1, r3, 2, 6, 3, 7);
      const c0 = i8x16.swizzle(i32x4.shuffle(t0, t2, 0, 4, 1, 5), narrow);
      const c1 = i8x16.swizzle(i32x4.shuffle(t0, t2, 2, 6, 3, 7), narrow);
      const c2 = i8x16.swizzle(i32x4.shuffle(t1, t3, 0, 4, 1, 5), narrow);
      const c3 = i8x16.swizzle(i32x4.shuffle(t1, t3, 2, 6, 3, 7), narrow);
      // destination rows 4k .. 4k + 3, bytes 12g .. 12g + 11 of the tile's 48
      const q = d + <usize>(12 * g);
      if (g < 3) {
        v128.store(q, c0);
        v128.store(q + dA, c1);
        v128.store(q + 2 * dA, c2);
        v128.store(q + 3 * dA, c3);
      } else {
        v128.store_lane<u64>(q, c0, 0);
        v128.store_lane<u32>(q, c0, 2, 8);
        v128.store_lane<u64>(q + dA, c1, 0);
        v128.store_lane<u32>(q + dA, c1, 2, 8);
        v128.store_lane<u64>(q + 2 * dA, c2, 0);
        v128.store_lane<u32>(q + 2 * dA, c2, 2, 8);
        v128.store_lane<u64>(q + 3 * dA, c3, 0);
        v128.store_lane<u32>(q + 3 * dA, c3, 2, 8);
      }
    }
  }
}

// One 3-byte item, as two overlapping 2-byte moves.
// @ts-ignore: decorator
@inline function move3(d: usize, s: usize): void {
  const a = load<u16>(s);
  const b = load<u16>(s, 1);
  store<u16>(d, a);
  store<u16>(d, b, 1);
}

/**
 * The items [i0a, i0b) x [i1a, i1b) of a tile of 3-byte items (item (i0, i1) at src + 3 * i0 +
 * i1 * sB and dst + i0 * dA + 3 * i1), by micro-tiles when both extents are at least 16: a ragged
 * end is covered by one more micro-tile moved back to end at the range's end, which writes some
 * items again with the same values (the planner never tiles operands that share a byte).
 * Narrower ranges go item by item. `rowsFirst`: along the source's rows, as simdRange.
 */
function range3(dst: usize, src: usize, i0a: i32, i0b: i32, i1a: i32, i1b: i32, dA: isize, sB: isize,
  rowsFirst: bool): void {
  if (i0b - i0a >= 16 && i1b - i1a >= 16) {
    const widen = v128.load(MASKS);
    const widenHi = v128.load(MASKS, 16);
    const narrow = v128.load(MASKS, 32);
    const oa = rowsFirst ? i1a : i0a;
    const ob = rowsFirst ? i1b : i0b;
    const ia = rowsFirst ? i0a : i1a;
    const ib = rowsFirst ? i0b : i1b;
    for (let xo = oa; xo < ob; xo += 16) {
      const po = minI32(xo, ob - 16);
      for (let xi = ia; xi < ib; xi += 16) {
        const pi = minI32(xi, ib - 16);
        const p0 = rowsFirst ? pi : po;
        const p1 = rowsFirst ? po : pi;
        transpose3x16(dst + <isize>p0 * dA + <isize>(3 * p1), dA, src + <isize>(3 * p0) + <isize>p1 * sB, sB,
          widen, widenHi, narrow);
      }
    }
    return;
  }
  for (let i0 = i0a; i0 < i0b; i0++) {
    let d = dst + <isize>i0 * dA + <isize>(3 * i1a);
    let s = src + <isize>(3 * i0) + <isize>i1a * sB;
    for (let i1 = i1a; i1 < i1b; i1++) {
      move3(d, s);
      d += 3;
      s += sB;
    }
  }
}

/**
 * A tile of 3-byte items adjacent along both fast dims (dB = sA = 3): blocks of `block` x
 * `block` items, each by range3. A block narrower than 16 items on one side borrows items from
 * the block before it, so that it still goes by micro-tiles.
 */
export function tile3(dst: usize, src: usize, n0: i32, n1: i32, dA: isize, sB: isize, block: i32, rowsFirst: bool): void {
  for (let a0 = 0; a0 < n0; a0 += block) {
    const a1 = minI32(a0 + block, n0);
    const w0 = a1 - a0 >= 16 ? a0 : (a1 >= 16 ? a1 - 16 : 0);
    for (let b0 = 0; b0 < n1; b0 += block) {
      const b1 = minI32(b0 + block, n1);
      const w1 = b1 - b0 >= 16 ? b0 : (b1 >= 16 ? b1 - 16 : 0);
      range3(dst, src, w0, a1, w1, b1, dA, sB, rowsFirst);
    }
  }
}
