// Cache-blocked tiles for the inner two dimensions of a copy whose operands disagree on their
// fastest dimension (transposes, axis permutations): dst[i0*dA + i1*dB] = src[i0*sA + i1*sB],
// where the destination is fastest along i1 and the source along i0.
// A strided loop would read the source (or write the destination) one item per cache line;
// blocks of `block` x `block` items keep both sides' lines in cache while they are used.
// When both fastest strides are the item size and SIMD is enabled, square micro-tiles of 16
// bytes a row are transposed in registers (assembly/transpose.ts).
import { transpose16x16, transpose8x8, transpose4x4, transpose2x2, transposeLines4, transposeLines8 } from "./transpose";

// @ts-ignore: decorator
@inline function minI32(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

// Scalar tile: items of one size, moved as one load and one store.
// @ts-ignore: decorator
@inline function scalarTile<T>(dst: usize, src: usize, n0: i32, n1: i32, dA: isize, dB: isize,
  sA: isize, sB: isize, block: i32): void {
  for (let a0 = 0; a0 < n0; a0 += block) {
    const a1 = minI32(a0 + block, n0);
    for (let b0 = 0; b0 < n1; b0 += block) {
      const b1 = minI32(b0 + block, n1);
      for (let i0 = a0; i0 < a1; i0++) {
        let d = dst + <isize>i0 * dA + <isize>b0 * dB;
        let s = src + <isize>i0 * sA + <isize>b0 * sB;
        for (let i1 = b0; i1 < b1; i1++) {
          store<T>(d, load<T>(s));
          d += dB;
          s += sB;
        }
      }
    }
  }
}

function scalarTileN(dst: usize, src: usize, n0: i32, n1: i32, itemsize: i32, dA: isize, dB: isize,
  sA: isize, sB: isize, block: i32): void {
  for (let a0 = 0; a0 < n0; a0 += block) {
    const a1 = minI32(a0 + block, n0);
    for (let b0 = 0; b0 < n1; b0 += block) {
      const b1 = minI32(b0 + block, n1);
      for (let i0 = a0; i0 < a1; i0++) {
        let d = dst + <isize>i0 * dA + <isize>b0 * dB;
        let s = src + <isize>i0 * sA + <isize>b0 * sB;
        for (let i1 = b0; i1 < b1; i1++) {
          memory.copy(d, s, itemsize);
          d += dB;
          s += sB;
        }
      }
    }
  }
}

// SIMD micro-tiles of m x m items (m = 16 / itemsize) transposed in registers over the index
// range [i0a, i0b) x [i1a, i1b); the ragged edges go item by item.
// @ts-ignore: decorator
@inline function simdRange<T>(dst: usize, src: usize, i0a: i32, i0b: i32, i1a: i32, i1b: i32, dA: isize, sB: isize): void {
  const size = <i32>sizeof<T>();
  const m = 16 / size;
  let i0 = i0a;
  for (; i0 + m <= i0b; i0 += m) {
    let i1 = i1a;
    let s = src + <isize>i0 * size + <isize>i1 * sB;
    let d = dst + <isize>i0 * dA + <isize>i1 * size;
    for (; i1 + m <= i1b; i1 += m) {
      if (size == 1) transpose16x16(d, dA, s, sB);
      else if (size == 2) transpose8x8(d, dA, s, sB);
      else if (size == 4) transpose4x4(d, dA, s, sB);
      else transpose2x2(d, dA, s, sB);
      s += <isize>m * sB;
      d += 16;
    }
    for (; i1 < i1b; i1++) {
      for (let k = 0; k < m; k++) store<T>(d + <isize>k * dA, load<T>(s + <isize>k * size));
      s += sB;
      d += size;
    }
  }
  for (; i0 < i0b; i0++) {
    let d = dst + <isize>i0 * dA + <isize>i1a * size;
    let s = src + <isize>i0 * size + <isize>i1a * sB;
    for (let i1 = i1a; i1 < i1b; i1++) {
      store<T>(d, load<T>(s));
      d += size;
      s += sB;
    }
  }
}

// SIMD tile in blocks of `block` x `block` items. For 4- and 8-byte items each block is swept in
// line-blocks (16x16 or 8x8 items: one 64-byte cache line a row on both sides), so that every
// line is read or written whole in one go and none has to stay cached between visits: this is
// what keeps power-of-two row strides (all rows in the same L1 sets) from thrashing. The block
// edge then only bounds the pages one block touches (TLB reach), not cache capacity.
// @ts-ignore: decorator
@inline function simdTile<T>(dst: usize, src: usize, n0: i32, n1: i32, dA: isize, sB: isize, block: i32): void {
  const size = <i32>sizeof<T>();
  // a negative block asks for micro-tiles only (the planner's choice for unaligned row strides)
  const lines = (size == 4 || size == 8) && block > 0;
  if (block < 0) block = -block;
  const L = 64 / size;
  for (let a0 = 0; a0 < n0; a0 += block) {
    const a1 = minI32(a0 + block, n0);
    for (let b0 = 0; b0 < n1; b0 += block) {
      const b1 = minI32(b0 + block, n1);
      if (!lines) {
        simdRange<T>(dst, src, a0, a1, b0, b1, dA, sB);
        continue;
      }
      let i0 = a0;
      for (; i0 + L <= a1; i0 += L) {
        let i1 = b0;
        let s = src + <isize>i0 * size + <isize>i1 * sB;
        let d = dst + <isize>i0 * dA + <isize>i1 * size;
        for (; i1 + L <= b1; i1 += L) {
          if (size == 4) transposeLines4(d, dA, s, sB);
          else transposeLines8(d, dA, s, sB);
          s += <isize>L * sB;
          d += 64;
        }
        if (i1 < b1) simdRange<T>(dst, src, i0, i0 + L, i1, b1, dA, sB);
      }
      if (i0 < a1) simdRange<T>(dst, src, i0, a1, b0, b1, dA, sB);
    }
  }
}

/**
 * Copies an n0 x n1 block, dst[i0*dA + i1*dB] = src[i0*sA + i1*sB], in tiles of |block| x |block|
 * items: SIMD in-register transposes when dB and sA are the item size (1, 2, 4 or 8 bytes) and
 * SIMD is enabled (whole-cache-line blocks for 4 and 8 bytes unless block < 0), scalar tiles
 * otherwise.
 */
export function copyTile(dst: usize, src: usize, n0: i32, n1: i32, itemsize: i32, dA: isize, dB: isize,
  sA: isize, sB: isize, block: i32): void {
  // a constant condition on its own, so that the scalar build never compiles the SIMD branch
  if (ASC_FEATURE_SIMD) {
    if (dB == <isize>itemsize && sA == <isize>itemsize) {
      switch (itemsize) {
        case 1: simdTile<u8>(dst, src, n0, n1, dA, sB, block); return;
        case 2: simdTile<u16>(dst, src, n0, n1, dA, sB, block); return;
        case 4: simdTile<u32>(dst, src, n0, n1, dA, sB, block); return;
        case 8: simdTile<u64>(dst, src, n0, n1, dA, sB, block); return;
      }
    }
  }
  if (block < 0) block = -block;
  switch (itemsize) {
    case 1: scalarTile<u8>(dst, src, n0, n1, dA, dB, sA, sB, block); return;
    case 2: scalarTile<u16>(dst, src, n0, n1, dA, dB, sA, sB, block); return;
    case 4: scalarTile<u32>(dst, src, n0, n1, dA, dB, sA, sB, block); return;
    case 8: scalarTile<u64>(dst, src, n0, n1, dA, dB, sA, sB, block); return;
    default: scalarTileN(dst, src, n0, n1, itemsize, dA, dB, sA, sB, block); return;
  }
}
