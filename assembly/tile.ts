// Cache-blocked tiles for the inner two dimensions of a copy whose operands disagree on their
// fastest dimension (transposes, axis permutations): dst[i0*dA + i1*dB] = src[i0*sA + i1*sB],
// where the destination is fastest along i1 and the source along i0.
// A strided loop would read the source (or write the destination) one item per cache line;
// blocks of `block` x `block` items keep both sides' lines in cache while they are used.
// When both fastest strides are the item size and SIMD is enabled, square micro-tiles of 16
// bytes a row are transposed in registers (assembly/transpose.ts).
import { minI32, widened } from "./bounds";
import { gather3, moveItem, moveWideItem, stridedLoop, wordSized } from "./strided";
import { tileRgb } from "./tile3";
import {
  transpose16x16, transpose8x8, transpose4x4, transpose2x2, transposeLines4, transposeLines4Grouped, transposeLines8,
  transposeFew16x16, transposeFew8x8, transpose4x4Of, gather2,
  CHANNEL_MASKS, deinterleave2, deinterleave3, deinterleave4, deinterleave3of4, interleave2, interleave3, interleave4,
} from "./transpose";

// the tile options (TILE_ROWS_FIRST: see simdTile; TILE_GROUPED: transposeLines4Grouped;
// TILE_TOUCH: touchRows)
import { STAGE_BYTES, TILE_GROUPED, TILE_ROWS_FIRST, TILE_TOUCH } from "./abi.generated";


// Scalar tiles: items moved one at a time (docs/performance.md, "Items of other sizes").
// - How: one load and one store of T when the item is a T (itemsize is then a constant, and the
//   tests below fold away); with `pair` (a constant), two T that may overlap, for items of one to
//   two T (SIMD builds: 3, 5-7, 9-15 and 17-32 bytes), with no branch per item on the size;
//   otherwise moveItem, inlined (through a call, items of 64 to 256 bytes took 1.4-1.5x as long).
// - Order: items of T, and items of 8 to 63 bytes, go down the source's columns whatever the
//   sweep: each destination row is written in one run. Along the rows was no faster for items of
//   T on the scalar build (2.6x slower on in-cache batches, float32 120 x 160 x 200 axes
//   (0, 2, 1)), and 1.3-1.9x slower for 12- to 32-byte items. Items under 8 bytes and of 64 bytes
//   and more follow the sweep: along the source's rows, GROUP_BYTES' worth of rows at a time, so
//   that each step reads one item of each row of the group and writes them side by side into one
//   destination row (through scalar tiles, uint16 RGB 1920 x 1080 rotated: 3.2 ms against 4.5
//   down the columns; rows of 64 bytes 2.1 against 2.6, of 3000 bytes 0.62 against 0.79; RGB
//   pixels with adjacent items now go through tile3.ts).
const GROUP_BYTES: i32 = 64;
// uint8 and uint16 source rows at most this many bytes apart go through laneTiles (see there):
// measured ahead up to 64 KiB, level or behind from 200 KiB.
const LANE_TILE_ROWS: isize = 128 * 1024;

// @ts-ignore: decorator
@inline function moveTileItem<T>(d: usize, s: usize, itemsize: i32, pair: bool): void {
  if (itemsize == <i32>sizeof<T>()) {
    store<T>(d, load<T>(s));
  } else if (pair) {
    const last = <usize>(itemsize - <i32>sizeof<T>());
    const a = load<T>(s);
    const b = load<T>(s + last);
    store<T>(d, a);
    store<T>(d + last, b);
  } else if (ASC_FEATURE_SIMD) {
    moveWideItem(d, s, <usize>itemsize); // the others are 33 bytes or more
  } else {
    moveItem(d, s, <usize>itemsize);
  }
}

// @ts-ignore: decorator
@inline function scalarTile<T>(dst: usize, src: usize, n0: i32, n1: i32, itemsize: i32, dA: isize, dB: isize,
  sA: isize, sB: isize, block: i32, rowsFirst: bool, pair: bool = false): void {
  const group = !rowsFirst || itemsize == <i32>sizeof<T>() || (itemsize >= 8 && itemsize < GROUP_BYTES)
    ? block
    : GROUP_BYTES <= itemsize ? 1 : (GROUP_BYTES + itemsize - 1) / itemsize;
  for (let a0 = 0; a0 < n0; a0 += block) {
    const a1 = minI32(a0 + block, n0);
    for (let b0 = 0; b0 < n1; b0 += block) {
      const b1 = minI32(b0 + block, n1);
      // down the columns: one group, the whole block
      for (let g0 = b0; g0 < b1; g0 += group) {
        const g1 = minI32(g0 + group, b1);
        for (let i0 = a0; i0 < a1; i0++) {
          let d = dst + <isize>i0 * dA + <isize>g0 * dB;
          let s = src + <isize>i0 * sA + <isize>g0 * sB;
          for (let i1 = g0; i1 < g1; i1++) {
            moveTileItem<T>(d, s, itemsize, pair);
            d += dB;
            s += sB;
          }
        }
      }
    }
  }
}

// SIMD micro-tiles of m x m items (m = 16 / itemsize) transposed in registers over the index
// range [i0a, i0b) x [i1a, i1b). When both extents are at least m, a ragged end is covered by one
// more micro-tile moved back to end at the range's end: it writes the items before it again,
// with the same values (the planner never tiles operands that share a byte). Narrower ranges go
// item by item at their edges.
function simdRange<T>(dst: usize, src: usize, i0a: i32, i0b: i32, i1a: i32, i1b: i32, dA: isize, sB: isize,
  rowsFirst: bool = false): void {
  const size = <i32>sizeof<T>();
  const m = 16 / size;
  if (i0b - i0a >= m && i1b - i1a >= m) {
    // one loop nest for both orders: the outer index walks axis 0 (down the source's columns, each
    // inner step writing the next 16 bytes of the same m destination rows) or, along the rows,
    // axis 1 (each inner step reading the next 16 bytes of the same m source rows)
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
        const s = src + <isize>p0 * size + <isize>p1 * sB;
        const d = dst + <isize>p0 * dA + <isize>p1 * size;
        if (size == 1) transpose16x16(d, dA, s, sB);
        else if (size == 2) transpose8x8(d, dA, s, sB);
        else if (size == 4) transpose4x4(d, dA, s, sB);
        else transpose2x2(d, dA, s, sB);
      }
    }
    return;
  }
  // a range narrower than a micro-tile: item by item
  for (let i0 = i0a; i0 < i0b; i0++) {
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
// Within a block the line-blocks go down the source's columns (each step writes the next line of
// the same 16 or 8 destination rows) or, with `rowsFirst`, along the source's rows (each step
// reads the next line of the same source rows). Along the rows is faster once the arrays live in
// DRAM (the source is read in long runs that the prefetchers follow: 2048² float64 at 15-16 GB/s
// instead of 9.7, 4097² float32 at 10 instead of 8.6) and slower in cache (512² float32 40 vs
// 32 GB/s), so the planner picks it by size. 1- and 2-byte items go in micro-tiles (simdRange), in
// the same two orders (along the rows: uint16 251x161x293 axes (1, 2, 0) 3.0 ms against 6.1 down
// the columns, uint8 3001x4999 transposed 1.6 against 2.0).
// @ts-ignore: decorator
@inline function simdTile<T>(dst: usize, src: usize, n0: i32, n1: i32, dA: isize, sB: isize, block: i32,
  options: i32): void {
  const rowsFirst = (options & TILE_ROWS_FIRST) != 0;
  const grouped = (options & TILE_GROUPED) != 0;
  const size = <i32>sizeof<T>();
  // a negative block asks for micro-tiles only (for the tuners' comparisons)
  const lines = (size == 4 || size == 8) && block > 0;
  if (block < 0) block = -block;
  // TILE_TOUCH on a tile larger than a block: each block's rows read in address order first (a
  // tile within one block copyTile touched whole); the planner asks it of 4-byte items only
  const touchBlocks = size == 4 && (options & TILE_TOUCH) != 0 && (n0 > block || n1 > block);
  const L = 64 / size;
  for (let a0 = 0; a0 < n0; a0 += block) {
    const a1 = minI32(a0 + block, n0);
    for (let b0 = 0; b0 < n1; b0 += block) {
      const b1 = minI32(b0 + block, n1);
      if (touchBlocks) {
        touchRows(src + <isize>a0 * size + <isize>b0 * sB, b1 - b0, <usize>((a1 - a0) * size), sB);
        touchRows(dst + <isize>a0 * dA + <isize>b0 * size, a1 - a0, <usize>((b1 - b0) * size), dA);
      }
      if (!lines) {
        simdRange<T>(dst, src, widened(a0, a1, 16 / size), a1, widened(b0, b1, 16 / size), b1, dA, sB, rowsFirst);
        continue;
      }
      // the whole line-blocks cover [a0, e0) x [b0, e1); the ragged strips after them go by micro-tiles
      const e0 = a0 + (a1 - a0) / L * L;
      const e1 = b0 + (b1 - b0) / L * L;
      // one loop nest for both orders: the outer index steps by (sOut, dOut), the inner by (sIn, dIn)
      const nRows = (e1 - b0) / L; // line-block steps along i1 (source rows)
      const nCols = (e0 - a0) / L; // along i0 (source columns)
      const outerN = rowsFirst ? nRows : nCols;
      const innerN = rowsFirst ? nCols : nRows;
      const sOut: isize = rowsFirst ? <isize>L * sB : 64;
      const dOut: isize = rowsFirst ? 64 : <isize>L * dA;
      const sIn: isize = rowsFirst ? 64 : <isize>L * sB;
      const dIn: isize = rowsFirst ? <isize>L * dA : 64;
      let so = src + <isize>a0 * size + <isize>b0 * sB;
      let dO = dst + <isize>a0 * dA + <isize>b0 * size;
      for (let o = 0; o < outerN; o++) {
        let s = so;
        let d = dO;
        for (let k = 0; k < innerN; k++) {
          if (size == 4) {
            if (grouped) transposeLines4Grouped(d, dA, s, sB);
            else transposeLines4(d, dA, s, sB);
          } else {
            transposeLines8(d, dA, s, sB);
          }
          s += sIn;
          d += dIn;
        }
        so += sOut;
        dO += dOut;
      }
      if (e1 < b1) simdRange<T>(dst, src, a0, e0, widened(e1, b1, 16 / size), b1, dA, sB);
      if (e0 < a1) simdRange<T>(dst, src, widened(e0, a1, 16 / size), a1, b0, b1, dA, sB);
    }
  }
}

// Copies an L x L block of `size`-byte items (L = 64 / size: 64 x 64 bytes, 32 x 32 uint16)
// through the 8 KiB staging area `stage` (64-byte aligned): the L source rows, one 64-byte line
// each, are copied into the first 4 KiB, transposed there by micro-tiles into the second, and
// copied out to the L destination rows. A micro-tile read straight from the source touches 16
// (or 8) rows; when the row stride is (close to) a multiple of 2048 or 4096 bytes all of them
// fall into one or two L1 sets (8 ways), so every line is fetched again for each micro-tile that
// uses it. Staged on line boundaries, each line is read and written once: 4096² uint8 at 14 GB/s
// instead of 7; uint16 4096 x 2048 transposed, 2.5 ms instead of 3.8.
// @ts-ignore: decorator
@inline function stageLines(dst: usize, src: usize, dA: isize, sB: isize, stage: usize, size: i32): void {
  const L = 64 / size;
  copyLines64(stage, 64, src, sB, L);
  transposeStaged(stage, size);
  copyLines64(dst, dA, stage + 4096, 64, L);
}

// Copies `rows` rows of 64 bytes (one cache line each when aligned), rows `dstStride` and `srcStride` apart.
// @ts-ignore: decorator
@inline function copyLines64(dst: usize, dstStride: isize, src: usize, srcStride: isize, rows: i32): void {
  for (let r: isize = 0; r < <isize>rows; r++) {
    const p = src + r * srcStride;
    const q = dst + r * dstStride;
    v128.store(q, v128.load(p));
    v128.store(q, v128.load(p, 16), 16);
    v128.store(q, v128.load(p, 32), 32);
    v128.store(q, v128.load(p, 48), 48);
  }
}

// Transposes the staging area's first L x L items (rows 64 bytes apart) into its second (micro-tiles, as any tile).
// @ts-ignore: decorator
@inline function transposeStaged(stage: usize, size: i32): void {
  if (size == 1) simdRange<u8>(stage + 4096, stage, 0, 64, 0, 64, 64, 64);
  else simdRange<u16>(stage + 4096, stage, 0, 32, 0, 32, 64, 64);
}

// stageLines for a w0 x w1 part of a block (w0 source columns of w1 source rows, both at most L):
// the edges of the grid. The rest of the staging area is transposed too but never copied out.
function stagePart(dst: usize, src: usize, w0: i32, w1: i32, dA: isize, sB: isize, stage: usize, size: i32): void {
  for (let r = 0; r < w1; r++) copyShort(stage + (<usize>r << 6), src + <isize>r * sB, w0 * size);
  transposeStaged(stage, size);
  for (let r = 0; r < w0; r++) copyShort(dst + <isize>r * dA, stage + 4096 + (<usize>r << 6), w1 * size);
}

// n <= 64 bytes, 16 at a time, then one by one.
// @ts-ignore: decorator
@inline function copyShort(dst: usize, src: usize, n: i32): void {
  let i = 0;
  for (; i + 16 <= n; i += 16) v128.store(dst + i, v128.load(src + i));
  for (; i < n; i++) store<u8>(dst + i, load<u8>(src + i));
}

// 1- and 2-byte items through the staging area (see stageLines). The L x L grid starts p0 columns
// and p1 rows in, where the source and the destination lines begin (when the row strides are
// multiples of 64 and the bases of whole items; the planner stages only such strides near
// multiples of 2048), so that every block but those on the edges moves whole lines; the edges
// go through stagePart. Blocks of `block` x `block` items are swept along the source's rows.
function stagedTile(dst: usize, src: usize, n0: i32, n1: i32, dA: isize, sB: isize, block: i32, stage: usize,
  size: i32): void {
  const L = 64 / size;
  const p0 = minI32(((64 - <i32>(src & 63)) & 63) / size, n0);
  const p1 = minI32(((64 - <i32>(dst & 63)) & 63) / size, n1);
  // the first p0 columns, then the first p1 rows of the rest
  for (let i1 = 0; p0 > 0 && i1 < n1; i1 += L) {
    stagePart(dst + <isize>i1 * size, src + <isize>i1 * sB, p0, minI32(L, n1 - i1), dA, sB, stage, size);
  }
  for (let i0 = p0; p1 > 0 && i0 < n0; i0 += L) {
    stagePart(dst + <isize>i0 * dA, src + <isize>i0 * size, minI32(L, n0 - i0), p1, dA, sB, stage, size);
  }
  dst += <isize>p0 * dA + <isize>p1 * size;
  src += <isize>p0 * size + <isize>p1 * sB;
  n0 -= p0;
  n1 -= p1;
  for (let a0 = 0; a0 < n0; a0 += block) {
    const a1 = minI32(a0 + block, n0);
    for (let b0 = 0; b0 < n1; b0 += block) {
      const b1 = minI32(b0 + block, n1);
      for (let i1 = b0; i1 < b1; i1 += L) {
        const w1 = minI32(L, b1 - i1);
        for (let i0 = a0; i0 < a1; i0 += L) {
          const w0 = minI32(L, a1 - i0);
          const d = dst + <isize>i0 * dA + <isize>i1 * size;
          const s = src + <isize>i0 * size + <isize>i1 * sB;
          if ((w0 & w1) == L) stageLines(d, s, dA, sB, stage, size);
          else stagePart(d, s, w0, w1, dA, sB, stage, size);
        }
      }
    }
  }
}

// The SIMD tile (1- and 2-byte items through the staging area when the planner gave one) with its first
// columns and rows peeled off (by micro-tiles and single items) so that the line-blocks start on
// a cache line on both sides: source row i1 at
// item i0 is src + i0*size + i1*sB, so skipping p0 items lines the source up when sB is a multiple
// of 64, and skipping p1 lines up the destination when dA is. A block that straddles lines reads
// or writes each line in two visits, and with power-of-two strides the line is gone by the second
// (4096² uint8 staged from a base 16 bytes off a line: 7.7 GB/s against 13.9 aligned; the staged
// kernel aligns its own grid).
// @ts-ignore: decorator
@inline function alignedTile<T>(dst: usize, src: usize, n0: i32, n1: i32, dA: isize, sB: isize, block: i32,
  options: i32, stage: usize): void {
  const size = <usize>sizeof<T>();
  if (size <= 2 && stage != 0 && block > 0) {
    stagedTile(dst, src, n0, n1, dA, sB, block, stage, <i32>size);
    return;
  }
  let p0 = 0;
  let p1 = 0;
  if ((src & (size - 1)) == 0) p0 = minI32(((64 - <i32>(src & 63)) & 63) / <i32>size, n0);
  if ((dst & (size - 1)) == 0) p1 = minI32(((64 - <i32>(dst & 63)) & 63) / <i32>size, n1);
  const m = 16 / <i32>size;
  if (p0 > 0) simdRange<T>(dst, src, 0, p0 >= m ? p0 : minI32(m, n0), 0, n1, dA, sB);
  if (p1 > 0) simdRange<T>(dst, src, p0, n0, 0, p1 >= m ? p1 : minI32(m, n1), dA, sB);
  dst += <isize>p0 * dA + <isize>p1 * size;
  src += <isize>p0 * size + <isize>p1 * sB;
  n0 -= p0;
  n1 -= p1;
  simdTile<T>(dst, src, n0, n1, dA, sB, block, options);
}

// One item of 1, 2, 4 or 8 bytes.
// @ts-ignore: decorator
@inline function moveSmall(dst: usize, src: usize, size: i32): void {
  if (size == 1) store<u8>(dst, load<u8>(src));
  else if (size == 2) store<u16>(dst, load<u16>(src));
  else if (size == 4) store<u32>(dst, load<u32>(src));
  else store<u64>(dst, load<u64>(src));
}

/** Whether a channel kernel (assembly/transpose.ts) moves `c` channels of `size`-byte items. */
// @ts-ignore: decorator
@inline function channelKernel(c: i32, size: i32): bool {
  return (size == 1 || size == 2 || size == 4) && (c == 3 || ((c == 2 || c == 4) && c * size < 16));
}

// Channel moves: a tile whose source-fast extent is 2-4 items packed in pixels (HWC to CHW,
// RGBA to planes) or whose destination-fast extent is (CHW to HWC). Item by item, each pixel's
// channels go to (or come from) planes far apart, and the micro-tiles need 16 / size rows: these
// kernels move 16 bytes of each plane per step, through swizzles and interleaves.

// The mask of CHANNEL_MASKS (assembly/transpose.ts) for `c` channels of `size` bytes: the one that
// groups channels, or (`pack`) the one that puts them back in pixel order.
// @ts-ignore: decorator
@inline function channelMask(c: i32, size: i32, pack: bool): v128 {
  return v128.load(CHANNEL_MASKS + (<usize>(3 * (c - 2) + ctz(size)) << 5) + (pack ? 16 : 0));
}

// Splits `n` pixels of `c` channels packed at src into planes `planeStride` bytes apart at dst,
// 16 bytes of each plane a step. Three channels' groups read 4 bytes past their pixels
// (assembly/transpose.ts): two pixels are left after the last group (4-byte items go through
// deinterleaveRgb32, which reads none past them).
function deinterleaveTile(dst: usize, src: usize, c: i32, n: i32, size: i32, planeStride: isize): void {
  const mask = channelMask(c, size, false);
  const ps = <usize>planeStride;
  const step = <usize>(16 * c);
  // whole groups of 16 / size pixels
  // (none when fewer than three pixels of three channels: the split hands out chunks of one)
  const groups = c == 3 ? (n > 2 ? ((n - 2) * size) >> 4 : 0) : (n * size) >> 4;
  let d = dst;
  let s = src;
  switch (c) {
    case 2: for (let g = 0; g < groups; g++) { deinterleave2(d, ps, s, mask); d += 16; s += step; } break;
    case 3:
      if (size == 4) return deinterleaveRgb32(dst, src, n, ps);
      for (let g = 0; g < groups; g++) { deinterleave3(d, ps, s, mask); d += 16; s += step; }
      break;
    default: for (let g = 0; g < groups; g++) { deinterleave4(d, ps, s, mask); d += 16; s += step; } break;
  }
  for (let i = (groups << 4) / size; i < n; i++) {
    for (let k = 0; k < c; k++) moveSmall(d + <usize>k * ps, s + <usize>(k * size), size);
    d += <usize>size;
    s += <usize>(c * size);
  }
}

// deinterleaveTile for 3 channels of 4-byte items (float32 RGB): 4 pixels a step, 48 bytes in 3
// vectors and each plane's 4 items gathered by two shuffles of 4-byte lanes, no swizzle.
function deinterleaveRgb32(dst: usize, src: usize, n: i32, ps: usize): void {
  let d = dst;
  let s = src;
  const groups = n >> 2;
  for (let g = 0; g < groups; g++) {
    const v0 = v128.load(s); // R0 G0 B0 R1
    const v1 = v128.load(s, 16); // G1 B1 R2 G2
    const v2 = v128.load(s, 32); // B2 R3 G3 B3
    v128.store(d, i32x4.shuffle(v0, i32x4.shuffle(v1, v2, 2, 2, 5, 5), 0, 3, 4, 6));
    v128.store(d + ps, i32x4.shuffle(i32x4.shuffle(v0, v1, 1, 1, 4, 7), v2, 1, 2, 3, 6));
    v128.store(d + 2 * ps, i32x4.shuffle(i32x4.shuffle(v0, v1, 2, 2, 5, 5), v2, 0, 2, 4, 7));
    d += 16;
    s += 48;
  }
  for (let i = groups << 2; i < n; i++) {
    for (let k = 0; k < 3; k++) store<u32>(d + <usize>k * ps, load<u32>(s + <usize>(k * 4)));
    d += 4;
    s += 12;
  }
}

// Splits `n` pixels of four channels at src into the planes of three of them (RGBA to RGB planes;
// from the second channel, ARGB's last three). A group reads all 4 * size bytes of its pixels,
// the fourth slot one past the last channel taken, which for the last pixel may lie past the
// view's reach: the last pixel goes item by item.
function deinterleave3of4Tile(dst: usize, src: usize, n: i32, size: i32, planeStride: isize): void {
  const mask = channelMask(4, size, false);
  const ps = <usize>planeStride;
  const groups = n > 1 ? ((n - 1) * size) >> 4 : 0;
  let d = dst;
  let s = src;
  for (let g = 0; g < groups; g++) { deinterleave3of4(d, ps, s, mask); d += 16; s += 64; }
  for (let i = (groups << 4) / size; i < n; i++) {
    for (let k = 0; k < 3; k++) moveSmall(d + <usize>k * ps, s + <usize>(k * size), size);
    d += <usize>size;
    s += <usize>(4 * size);
  }
}

// Packs `n` pixels of `c` channels from planes `planeStride` bytes apart at src into dst. Three
// channels' groups write 4 bytes past their pixels: two pixels are left after the last group.
function interleaveTile(dst: usize, src: usize, c: i32, n: i32, size: i32, planeStride: isize): void {
  const mask = channelMask(c, size, true);
  const ps = <usize>planeStride;
  const step = <usize>(16 * c);
  // (none when fewer than three pixels of three channels: the split hands out chunks of one)
  const groups = c == 3 ? (n > 2 ? ((n - 2) * size) >> 4 : 0) : (n * size) >> 4;
  let d = dst;
  let s = src;
  switch (c) {
    case 2: for (let g = 0; g < groups; g++) { interleave2(d, s, ps, mask); d += step; s += 16; } break;
    case 3:
      if (size == 4) return interleaveRgb32(dst, src, n, ps);
      for (let g = 0; g < groups; g++) { interleave3(d, s, ps, mask); d += step; s += 16; }
      break;
    default: for (let g = 0; g < groups; g++) { interleave4(d, s, ps, mask); d += step; s += 16; } break;
  }
  for (let i = (groups << 4) / size; i < n; i++) {
    for (let k = 0; k < c; k++) moveSmall(d + <usize>(k * size), s + <usize>k * ps, size);
    d += <usize>(c * size);
    s += <usize>size;
  }
}

// interleaveTile for 3 channels of 4-byte items (float32 planes to RGB): 4 pixels a step, each of
// the 3 vectors of 48 bytes gathered from the planes' vectors by two shuffles of 4-byte lanes.
function interleaveRgb32(dst: usize, src: usize, n: i32, ps: usize): void {
  let d = dst;
  let s = src;
  const groups = n >> 2;
  for (let g = 0; g < groups; g++) {
    const r = v128.load(s); // R0 R1 R2 R3
    const gg = v128.load(s + ps);
    const b = v128.load(s + 2 * ps);
    v128.store(d, i32x4.shuffle(i32x4.shuffle(r, gg, 0, 4, 1, 1), b, 0, 1, 4, 2)); // R0 G0 B0 R1
    v128.store(d, i32x4.shuffle(i32x4.shuffle(gg, b, 1, 5, 2, 2), r, 0, 1, 6, 2), 16); // G1 B1 R2 G2
    v128.store(d, i32x4.shuffle(i32x4.shuffle(r, gg, 3, 7, 3, 3), b, 6, 0, 1, 7), 32); // B2 R3 G3 B3
    d += 48;
    s += 16;
  }
  for (let i = groups << 2; i < n; i++) {
    for (let k = 0; k < 3; k++) store<u32>(d + <usize>(k * 4), load<u32>(s + <usize>k * ps));
    d += 12;
    s += 4;
  }
}

// Where a narrow micro-tile stores the rows it has no destination for (read by nothing; the
// threads all write theirs here).
const FEW_SCRATCH: usize = memory.data(16, 16);

// Tiles of 1-byte items with a side of fewer items than a micro-tile has rows (m = 16 / size):
// pixels of 5 to 15 channels moved to planes or back, and channel moves of 2 to 4 whose pixels
// are not packed, which the channel kernels above do not take. Micro-tiles along the long side,
// with fewer real rows on the short one (transposeFew16x16). Written for 2-byte items too
// (transposeFew8x8: 5 to 7 uint16 channels, 1.4x), whose instance copyTile leaves out for the
// size budget of the transpose-only page (scripts/size-budget.mjs):
// - a short source-fast side (HWC to CHW): each pixel is loaded as a whole vector, reaching into
//   the pixels after it, and only the short side's rows are stored (the others into FEW_SCRATCH);
//   the pixels whose vector would end past the source's last item go one item at a time;
// - a short destination-fast side (CHW to HWC) of packed pixels: each pixel is stored as a whole
//   vector, its tail over the pixels after it, which their own stores (or the items after the
//   vectors, stored last) then overwrite; the pixels whose vector would end past the
//   destination's last item go one item at a time. Pixels not packed (gaps that are not the
//   view's) go item by item throughout.
// uint8 2048 x 2048 x 8 to planes: 5.3-6.1 ms against 10.2 item by item (docs/performance.md).
function narrowTile<T>(dst: usize, src: usize, n0: i32, n1: i32, dA: isize, sB: isize): bool {
  const size = <i32>sizeof<T>();
  const m = 16 / size;
  if (n0 < m && n1 >= m) {
    // rows of the micro-tiles: pixels (along i1, sB apart); the short side: channels (along i0)
    if (sB == 0) return false;
    const reach = <isize>(16 - n0 * size);
    const stride = sB < 0 ? -sB : sB;
    const t = <i32>((reach + stride - 1) / stride); // pixels at the far end whose vector would leave the source
    const a = sB < 0 ? t : 0;
    const b = sB < 0 ? n1 : n1 - t;
    if (b - a < m) return false;
    for (let p = a; p < b; p += m) {
      const q = minI32(p, b - m);
      if (size == 1) transposeFew16x16(dst + <usize>q, <usize>dA, src + <isize>q * sB, <usize>sB, 15, <usize>(n0 - 1), FEW_SCRATCH);
      else transposeFew8x8(dst + (<usize>q << 1), <usize>dA, src + <isize>q * sB, <usize>sB, 7, <usize>(n0 - 1), FEW_SCRATCH);
    }
    tileItems<T>(dst, src, 0, n0, 0, a, dA, <isize>size, sB);
    tileItems<T>(dst, src, 0, n0, b, n1, dA, <isize>size, sB);
    return true;
  }
  if (n1 < m && n0 >= m && dA == <isize>(n1 * size)) {
    // rows of the micro-tiles: planes (along i1, sB apart); the short side: channels of packed pixels
    const t = (16 - n1 * size + <i32>dA - 1) / <i32>dA; // pixels at the end whose vector would leave the destination
    const b = n0 - t;
    if (b < m) return false;
    for (let p = 0; p < b; p += m) {
      const q = minI32(p, b - m);
      if (size == 1) transposeFew16x16(dst + <isize>q * dA, <usize>dA, src + <usize>q, <usize>sB, <usize>(n1 - 1), 15, FEW_SCRATCH);
      else transposeFew8x8(dst + <isize>q * dA, <usize>dA, src + (<usize>q << 1), <usize>sB, <usize>(n1 - 1), 7, FEW_SCRATCH);
    }
    tileItems<T>(dst, src, b, n0, 0, n1, dA, <isize>size, sB);
    return true;
  }
  return false;
}

// The items [i0a, i0b) x [i1a, i1b) of a tile whose destination steps one item along i1 (dB = the
// item size), one at a time: the edges of the narrow and stepped tiles.
function tileItems<T>(dst: usize, src: usize, i0a: i32, i0b: i32, i1a: i32, i1b: i32, dA: isize, sA: isize,
  sB: isize): void {
  const size = <isize>sizeof<T>();
  for (let i1 = i1a; i1 < i1b; i1++) {
    for (let i0 = i0a; i0 < i0b; i0++) {
      store<T>(dst + <isize>i0 * dA + <isize>i1 * size, load<T>(src + <isize>i0 * sA + <isize>i1 * sB));
    }
  }
}

// A vector of items at step 2 or 3 (`step` a constant where inlined; a step-3 gather reads 3
// vectors, up to 2 items' bytes past its last item, within the one item the stepped tiles leave
// after their gathers).
// @ts-ignore: decorator
@inline function gatherOf(src: usize, size: i32, step: i32): v128 {
  return step == 2 ? gather2(src, size) : gather3(src, size);
}

// The 4 x 4 micro-tiles of steppedTile4 over the columns [c0, c1) of 4 rows (the last one moved
// back to end at e0), `step` a constant: a test of the step per gather made them 10% slower.
// @ts-ignore: decorator
@inline function steppedStrip4(dst: usize, src: usize, c0: i32, c1: i32, e0: i32, dA: isize, sA: isize, sB: isize,
  step: i32): void {
  for (let p0 = c0; p0 < c1; p0 += 4) {
    const q0 = minI32(p0, e0 - 4);
    const s = src + <isize>q0 * sA;
    transpose4x4Of(dst + <isize>q0 * dA, <usize>dA, 3, 0,
      gatherOf(s, 4, step), gatherOf(s + sB, 4, step), gatherOf(s + 2 * sB, 4, step), gatherOf(s + 3 * sB, 4, step));
  }
}

// `cw` columns (at least a vector's worth) of one source row gathered into a staging row, the last
// vector moved back to end at cw; `step` a constant.
// @ts-ignore: decorator
@inline function gatherRow<T>(row: usize, src: usize, cw: i32, sA: isize, step: i32): void {
  const size = <i32>sizeof<T>();
  const m = 16 / size;
  for (let j = 0; j < cw; j += m) {
    const k = minI32(j, cw - m);
    v128.store(row + <usize>(k * size), gatherOf(src + <isize>k * sA, size, step));
  }
}

// Tiles whose source steps 2 or 3 items along its fast dimension (a transposed view of a slice at
// step 2, `a[:, ::2].T`; a downsampled image moved to planes), where scalar tiles moved one item
// at a time: micro-tiles whose rows are gathered (gather2: two loads and a shuffle per vector;
// gather3: three loads, three swizzles for 1- and 2-byte items). A gather reads up to two items'
// bytes past its last, so they stop one item before the end of the source rows (the last
// micro-tile or vector moved back to end there); that column goes item by item.
// - 4-byte items: 4 x 4 micro-tiles of gathered rows, in registers.
// - 1-byte items (steppedStaged), where the planner gives a staging area: strips of one
//   micro-tile's rows (m = 16 / size) and up to 512 columns gathered into it, then transposed
//   from there by the micro-tiles (simdRange): a 16 x 16 micro-tile of gathered rows in registers
//   was faster still (uint8 3000 x 3000 at step 2: 1.2-1.4 ms against 1.8 staged, 7.0 by scalar
//   tiles) but took 0.5 KB gzip more of Wasm. Written for 2-byte items too (2.3x), whose instance
//   copyTile leaves out for the size budget.
// Step 3, best of 9, in alternation with scalar tiles: uint8 3000 x 3000 2.3-2.5 ms against
// 14.3-14.9 (numpy 13.8); float32 2000 x 3000 5.8-6.0 against 8.6-9.5 (numpy 9.8).
// Column chunks outside, strips down the rows within them: consecutive strips write the next 16
// bytes of the same destination rows.
function steppedTile4(dst: usize, src: usize, n0: i32, n1: i32, dA: isize, sA: isize, sB: isize): bool {
  const step = <i32>(sA >> 2);
  const e0 = n0 - 1; // the columns the gathers may cover: one item left after them
  if (e0 < 4 || n1 < 4) return false;
  for (let c0 = 0; c0 < e0; c0 += STEPPED_COLUMNS) {
    const c1 = minI32(c0 + STEPPED_COLUMNS, e0);
    for (let p1 = 0; p1 < n1; p1 += 4) {
      const q1 = minI32(p1, n1 - 4);
      const d = dst + (<isize>q1 << 2);
      const s = src + <isize>q1 * sB;
      if (step == 2) steppedStrip4(d, s, c0, c1, e0, dA, sA, sB, 2);
      else steppedStrip4(d, s, c0, c1, e0, dA, sA, sB, 3);
    }
  }
  tileItems<u32>(dst, src, e0, n0, 0, n1, dA, sA, sB); // the last column
  return true;
}

// Columns of a stepped tile's chunk (4-byte items; the staged ones hold STAGE_BYTES / m per row).
const STEPPED_COLUMNS: i32 = 512;

function steppedStaged<T>(dst: usize, src: usize, n0: i32, n1: i32, dA: isize, sA: isize, sB: isize,
  stage: usize): bool {
  const size = <i32>sizeof<T>();
  const m = 16 / size;
  const step = <i32>sA / size;
  const e0 = n0 - 1;
  if (stage == 0 || e0 < m || n1 < m) return false;
  const rowBytes = STAGE_BYTES / m;
  const width = rowBytes / size; // columns a strip holds
  for (let c0 = 0; c0 < e0; c0 += width) {
    const w = minI32(width, e0 - c0);
    const c = w < m ? e0 - m : c0; // a last chunk under a vector: moved back
    const cw = w < m ? m : w;
    for (let p1 = 0; p1 < n1; p1 += m) {
      const q1 = minI32(p1, n1 - m);
      for (let r = 0; r < m; r++) {
        const s = src + <isize>c * sA + <isize>(q1 + r) * sB;
        const row = stage + <usize>(r * rowBytes);
        if (step == 2) gatherRow<T>(row, s, cw, sA, 2);
        else gatherRow<T>(row, s, cw, sA, 3);
      }
      simdRange<T>(dst + <isize>c * dA + <isize>q1 * size, stage, 0, cw, 0, m, dA, <isize>rowBytes);
    }
  }
  tileItems<T>(dst, src, e0, n0, 0, n1, dA, sA, sB); // the last column
  return true;
}

// What touchRows read, so that the reads are not optimised away (nothing else reads it).
let touched: i32 = 0;

// Reads one byte of each 64-byte line of `rows` rows of `rowBytes` bytes, `stride` bytes apart,
// in address order within each row (TILE_TOUCH, src/copy/tiling.ts chooseTouch): a tile's lines
// arrive as streams the prefetchers follow, before its line-blocks, which read 16 rows at a
// time, use them from the L2. Only bytes of the tile's own rows, which the copy reads or writes.
function touchRows(p: usize, rows: i32, rowBytes: usize, stride: isize): void {
  let acc: i32 = 0;
  for (let r = 0; r < rows; r++) {
    const row = p + <isize>r * stride;
    for (let o: usize = 0; o < rowBytes; o += 64) acc ^= <i32>load<u8>(row + o);
    acc ^= <i32>load<u8>(row + rowBytes - 1);
  }
  touched ^= acc;
}

/**
 * Copies an n0 x n1 block, dst[i0*dA + i1*dB] = src[i0*sA + i1*sB], in tiles of |block| x |block|
 * items: SIMD in-register transposes when dB and sA are the item size (1, 2, 4 or 8 bytes) and
 * SIMD is enabled (whole-cache-line blocks for 4 and 8 bytes unless block < 0; 1-byte items
 * through the 8 KiB staging area `stage` when it is not 0), scalar tiles otherwise. `options`:
 * TILE_ROWS_FIRST | TILE_GROUPED | TILE_TOUCH, or 0.
 */
export function copyTile(dst: usize, src: usize, n0: i32, n1: i32, itemsize: i32, dA: isize, dB: isize,
  sA: isize, sB: isize, block: i32, options: i32, stage: usize): void {
  // a tile within one block is touched whole here, whatever its kernel; larger ones block by
  // block in simdTile (other kernels leave them untouched). Not in the scalar build, whose tiles
  // are bound by their item-by-item moves, not by memory: touched batches of 12-30 MiB ran
  // 0.87-1.00x there (float32 (262, 160, 200) axes (0, 2, 1) 6.98 ms against 8.05 touched).
  const edge = block < 0 ? -block : block;
  if (ASC_FEATURE_SIMD && (options & TILE_TOUCH) != 0 && n0 > 0 && n1 > 0 && n0 <= edge && n1 <= edge) {
    // each row from its first item to the end of its last (the fast dims step forwards)
    touchRows(src, n1, <usize>(<isize>(n0 - 1) * sA + itemsize), sB);
    touchRows(dst, n0, <usize>(<isize>(n1 - 1) * dB + itemsize), dA);
  }
  // a constant condition on its own, so that the scalar build never compiles the SIMD branch
  if (ASC_FEATURE_SIMD) {
    if (dB == <isize>itemsize && sA == <isize>itemsize) {
      if (n0 <= 4 && sB == <isize>(n0 * itemsize) && channelKernel(n0, itemsize)) {
        deinterleaveTile(dst, src, n0, n1, itemsize, dA);
        return;
      }
      if (n0 == 3 && sB == <isize>(4 * itemsize) && itemsize <= 4 && itemsize != 3) {
        deinterleave3of4Tile(dst, src, n1, itemsize, dA);
        return;
      }
      if (n1 <= 4 && dA == <isize>(n1 * itemsize) && channelKernel(n1, itemsize)) {
        interleaveTile(dst, src, n1, n0, itemsize, sB);
        return;
      }
      if (itemsize == 1 && (n0 < 16 || n1 < 16) && narrowTile<u8>(dst, src, n0, n1, dA, sB)) return;
      // fewer source columns than a micro-tile (uint16, float32) or a line-block (float64): the
      // lane tiles (scalarTiles) are faster than the micro-tiles' item by item, or 2 x 2
      if (((itemsize != 2 && itemsize != 8) || n0 >= 8) && (itemsize != 4 || n0 >= 4)) switch (itemsize) {
        case 1: alignedTile<u8>(dst, src, n0, n1, dA, sB, block, options, stage); return;
        case 2: alignedTile<u16>(dst, src, n0, n1, dA, sB, block, options, stage); return;
        case 4: alignedTile<u32>(dst, src, n0, n1, dA, sB, block, options, stage); return;
        case 8: alignedTile<u64>(dst, src, n0, n1, dA, sB, block, options, stage); return;
        case 3: tileRgb<u8>(dst, src, n0, n1, dA, sB, block < 0 ? -block : block, (options & TILE_ROWS_FIRST) != 0); return;
        case 6: tileRgb<u16>(dst, src, n0, n1, dA, sB, block < 0 ? -block : block, (options & TILE_ROWS_FIRST) != 0); return;
        case 12: tileRgb<u32>(dst, src, n0, n1, dA, sB, block < 0 ? -block : block, (options & TILE_ROWS_FIRST) != 0); return;
      }
    }
    if (dB == <isize>itemsize && (sA == <isize>(2 * itemsize) || sA == <isize>(3 * itemsize))) {
      if (itemsize == 1 && steppedStaged<u8>(dst, src, n0, n1, dA, sA, sB, stage)) return;
      if (itemsize == 4 && steppedTile4(dst, src, n0, n1, dA, sA, sB)) return;
    }
  }
  scalarTiles(dst, src, n0, n1, itemsize, dA, dB, sA, sB, block, (options & TILE_ROWS_FIRST) != 0);
}

// Tiles of a stepped source (its fast dim at a step no SIMD tile takes: uint8 at 4 items and more,
// uint16 and float64 at any, float32 at 4 and more), and uint16, float32 and float64 tiles with
// fewer source columns than a micro-tile or line-block (pixels to planes with few channels: level
// to 1.9x faster than item by item or 2 x 2, docs/performance.md "Pixels to planes with few
// channels"), into a destination of step 1 along its fast dim: each destination row's run of up
// to `block` items gathered lane by lane (stridedLoop, 8 or 16 bytes a store, where scalar tiles
// moved an item a load and a store), all rows for one run of columns before the next, so that the
// source lines of those columns serve the rows that follow while cached. Best of 9, three rounds
// in alternation, scalar tiles against lane tiles (ms):
// uint8 at step 4, 8000 x 1000 rows 32 KiB apart 7.5-12.7 against 5.7-6.1, 2666 x 3000 4.7-5.3
// against 3.3-3.6, 16383 x 85 rows 64 KiB apart 0.96-1.04 against 0.71-0.74; uint16 at step 2,
// 4000 x 1000 1.79-1.83 against 1.14-1.23; at step 4, 3000 x 1000 rows 64 KiB apart 6.8-7.6
// against 3.8-5.0; float64 at step 5, 333 x 3000 2.31-2.34 against 1.47-1.51; float32 at step 5,
// 23529 x 85 rows 115 KiB apart 7.6-7.8 against 4.4-4.6. uint8 and uint16 rows more than
// LANE_TILE_ROWS apart keep the scalar tiles, level or ahead there (uint16 at step 4, rows 200
// KiB apart, 3000 x 1000: 1.7-1.9 against 1.8-2.3; uint8 at step 8 6.8-7.0 against 7.0-7.3; uint8
// at step 16, rows 416 KiB apart, 26666 x 300: 10.4-11.4 against 12.7-15). (A bound of 64 KiB
// left out rows a few bytes past it, which gain as much as the rows above.)
// Over 500 random views (bench/cliffs.ts, seeds 1-5) the 24 that take them went a median 12% and
// a geometric mean 17% faster (uint16 113 x 14 x 27 x 185: 15.8 ms to 10.6; float64 55 x 10329
// at step 3: 0.90 to 0.50); uint16 1232 x 113 x 36 at step 2 (rows of 36, 21 MB of source) went
// slower, its times noisy (5.1-6.7 ms against 7.0-8.9 in alternation), where the same view with
// 400 outer rows, in cache, went faster (0.67-0.74 against 0.43-0.45); lane tiles only for runs of
// 64 columns and more were no better on it (3.3-6.7).
function laneTiles(dst: usize, src: usize, n0: i32, n1: i32, itemsize: i32, dA: isize, dB: isize,
  sA: isize, sB: isize, block: i32): void {
  for (let b0 = 0; b0 < n1; b0 += block) {
    const m = minI32(block, n1 - b0);
    let d = dst + <isize>b0 * dB;
    let s = src + <isize>b0 * sB;
    for (let i0 = 0; i0 < n0; i0++) {
      stridedLoop(d, s, m, itemsize, dB, sB);
      d += dA;
      s += sA;
    }
  }
}

// copyTile's scalar tiles (items of any size; every tile of the scalar build), in a function of
// their own: inlined into copyTile, their loops made its SIMD transposes of float64 5-12% slower
// (1211 x 2587 and 1500 x 2500, timed in alternation with the code before them).
function scalarTiles(dst: usize, src: usize, n0: i32, n1: i32, itemsize: i32, dA: isize, dB: isize,
  sA: isize, sB: isize, block: i32, rowsFirst: bool): void {
  if (block < 0) block = -block;
  if (ASC_FEATURE_SIMD) {
    if (dB == <isize>itemsize && wordSized(itemsize) &&
      (itemsize >= 4 || (sB <= LANE_TILE_ROWS && sB >= -LANE_TILE_ROWS))) {
      laneTiles(dst, src, n0, n1, itemsize, dA, dB, sA, sB, block);
      return;
    }
    // one scalar tile per word size, each for items of one word (one move) to two (two moves that
    // may overlap): fewer copies of the loops than one per item size, for no measurable cost
    if (itemsize == 1) scalarTile<u8>(dst, src, n0, n1, 1, dA, dB, sA, sB, block, rowsFirst);
    else if (itemsize < 4) scalarTile<u16>(dst, src, n0, n1, itemsize, dA, dB, sA, sB, block, rowsFirst, true);
    else if (itemsize < 8) scalarTile<u32>(dst, src, n0, n1, itemsize, dA, dB, sA, sB, block, rowsFirst, true);
    else if (itemsize < 16) scalarTile<u64>(dst, src, n0, n1, itemsize, dA, dB, sA, sB, block, rowsFirst, true);
    else if (itemsize <= 32) scalarTile<v128>(dst, src, n0, n1, itemsize, dA, dB, sA, sB, block, rowsFirst, true);
    else scalarTile<u8>(dst, src, n0, n1, itemsize, dA, dB, sA, sB, block, rowsFirst);
    return;
  }
  switch (itemsize) {
    case 1: scalarTile<u8>(dst, src, n0, n1, 1, dA, dB, sA, sB, block, rowsFirst); return;
    case 2: scalarTile<u16>(dst, src, n0, n1, 2, dA, dB, sA, sB, block, rowsFirst); return;
    case 4: scalarTile<u32>(dst, src, n0, n1, 4, dA, dB, sA, sB, block, rowsFirst); return;
    case 8: scalarTile<u64>(dst, src, n0, n1, 8, dA, dB, sA, sB, block, rowsFirst); return;
    default: scalarTile<u8>(dst, src, n0, n1, itemsize, dA, dB, sA, sB, block, rowsFirst); return;
  }
}
