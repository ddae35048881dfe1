// Cache-blocked tiles for the inner two dimensions of a copy whose operands disagree on their
// fastest dimension (transposes, axis permutations): dst[i0*dA + i1*dB] = src[i0*sA + i1*sB],
// where the destination is fastest along i1 and the source along i0.
// A strided loop would read the source (or write the destination) one item per cache line;
// blocks of `block` x `block` items keep both sides' lines in cache while they are used.
// When both fastest strides are the item size and SIMD is enabled, square micro-tiles of 16
// bytes a row are transposed in registers (assembly/transpose.ts).
import { transpose16x16, transpose8x8, transpose4x4, transpose2x2 } from "./transpose";

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

// SIMD tile: micro-tiles of m x m items (m = 16 / itemsize) transposed in registers; the ragged
// edges of each block go item by item.
// @ts-ignore: decorator
@inline function simdTile<T>(dst: usize, src: usize, n0: i32, n1: i32, dA: isize, sB: isize, block: i32): void {
  const size = <i32>sizeof<T>();
  const m = 16 / size;
  for (let a0 = 0; a0 < n0; a0 += block) {
    const a1 = minI32(a0 + block, n0);
    for (let b0 = 0; b0 < n1; b0 += block) {
      const b1 = minI32(b0 + block, n1);
      let i0 = a0;
      for (; i0 + m <= a1; i0 += m) {
        let i1 = b0;
        let s = src + <isize>i0 * size + <isize>i1 * sB;
        let d = dst + <isize>i0 * dA + <isize>i1 * size;
        for (; i1 + m <= b1; i1 += m) {
          if (size == 1) transpose16x16(d, dA, s, sB);
          else if (size == 2) transpose8x8(d, dA, s, sB);
          else if (size == 4) transpose4x4(d, dA, s, sB);
          else transpose2x2(d, dA, s, sB);
          s += <isize>m * sB;
          d += 16;
        }
        for (; i1 < b1; i1++) {
          for (let k = 0; k < m; k++) store<T>(d + <isize>k * dA, load<T>(s + <isize>k * size));
          s += sB;
          d += size;
        }
      }
      for (; i0 < a1; i0++) {
        let d = dst + <isize>i0 * dA + <isize>b0 * size;
        let s = src + <isize>i0 * size + <isize>b0 * sB;
        for (let i1 = b0; i1 < b1; i1++) {
          store<T>(d, load<T>(s));
          d += size;
          s += sB;
        }
      }
    }
  }
}

/**
 * Copies an n0 x n1 block, dst[i0*dA + i1*dB] = src[i0*sA + i1*sB], in tiles of `block` x `block`
 * items: SIMD in-register transposes when dB and sA are the item size (1, 2, 4 or 8 bytes) and
 * SIMD is enabled, scalar tiles otherwise.
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
  switch (itemsize) {
    case 1: scalarTile<u8>(dst, src, n0, n1, dA, dB, sA, sB, block); return;
    case 2: scalarTile<u16>(dst, src, n0, n1, dA, dB, sA, sB, block); return;
    case 4: scalarTile<u32>(dst, src, n0, n1, dA, dB, sA, sB, block); return;
    case 8: scalarTile<u64>(dst, src, n0, n1, dA, dB, sA, sB, block); return;
    default: scalarTileN(dst, src, n0, n1, itemsize, dA, dB, sA, sB, block); return;
  }
}
