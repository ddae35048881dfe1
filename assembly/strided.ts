// One-dimensional strided loops, specialised by item size: the innermost loop of every planned
// copy whose two operands agree on their fastest dimension. Item sizes 1/2/4/8/16 move with one
// load and one store; with SIMD, unit-stride destinations gathered from a reversed source
// (flips, uint8 RGB pixels too), and destinations of step 1 or -1 gathered from a source of step
// 2 or 3 (step slices, forwards or backwards), move 16 bytes at a time.
// Vector loops only load inside [first item, last item] of the source, so no load ever touches
// a byte outside the operand (nor runs past the end of linear memory).
//
// Destinations of step 1 gathered from a source of any other step (steps of 4 items and more,
// float64 at any step, and the tails of the gathers) go lane by lane (v128.loadN_lane): each lane
// load reads its item's bytes and no others, and one store takes several items: 8 of 1 byte or
// 4 of 2 in 8 bytes (as fast as 16 and 8 of them in 16 bytes, and 45 bytes less of gzipped
// Wasm), 4 of 4 in 16, 4 of 8 in two vectors (one vector a step gave 1.67-1.85 ms on the float64
// rows below). Best of 9, three rounds in alternation, the scalar loops against the lanes
// (numpy's copyto):
// - uint8 at step 4 (a channel of RGBA pixels): 1920 x 1080 0.97-0.98 ms against 0.30-0.32
//   (0.49), 8M items 3.8-3.9 against 1.42-1.43 (1.88); at step 5, 6M items 2.8-2.9 against
//   1.15-1.19 (1.45);
// - uint16 at step 4, 4M items 1.93-1.94 against 1.14-1.15 (1.20); at step 5, 3M 1.45-1.48
//   against 0.96-0.98 (1.01);
// - float32 at step 5, 2M items 1.39-1.50 against 1.19-1.26 (1.15);
// - float64 rows of 48 at step 2 with 768-byte gaps (22792 rows) 1.9-2.3 against 1.33-1.40
//   (1.26), 691 x 2157 at step 2 1.51-1.70 against 1.12-1.20 (1.26), 2M items at step 2
//   1.11-1.17 against 1.01-1.03 (1.00).
// Destinations of step -1 (rows whose source steps backwards, read forwards from their other end:
// src/copy/plan.ts) take the same lanes for 1-, 2- and 4-byte items, reversed in the register and
// stored from the last item down: a horizontally flipped channel (`img[:, ::-1, 0]`) and other
// backward steps of 4 items and more. Best of 9, three rounds in alternation, the scalar loops
// against the lanes (numpy): uint8 16094 rows of 95 at step -10 0.75-0.84 ms against 0.37-0.42
// (0.49); uint8 1920 x 1080 at step -4 1.01-1.07 against 0.40-0.42 (0.48); uint8 4M items at
// step -5 1.95-2.07 against 0.80-0.86 (0.95); uint16 1920 x 1080 at step -4 0.99-1.10 against
// 0.60-0.70 (0.69); float32 1920 x 1080 at step -4 1.25-1.36 against 1.06-1.24 (1.90), 1M items
// at step -7 0.77-0.95 against 0.68-0.82 (0.64). The float32 lanes were out for a while (their
// 20 bytes of the transpose page went to the tile rules) and came back when the builds dropped
// abort(); measured again then: 1.25-1.26 against 1.04-1.10, 0.86-0.90 against 0.76-0.78, and
// 2000 x 1000 at step -5 3.7-3.9 against 2.9-3.1.
// float64 keeps its loop: lanes lost 5-20% at step -2 (328 x 1698: 0.138-0.144 against
// 0.149-0.175) for 7-15% at steps -3 to -7.

import { gather2, reverseChannels3x1, reverseChannels4x1, reverseItems3 } from "./transpose";

// @ts-ignore: decorator
@inline function loop1(dst: usize, src: usize, n: i32, ds: isize, ss: isize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // 8 items, one a lane (see above; reversed into a destination of step -1)
    if (ds == 1 || ds == -1) {
      for (; i + 8 <= n; i += 8) {
        let a = v128.load8_lane(src, i8x16.splat(0), 0);
        a = v128.load8_lane(src + ss, a, 1);
        a = v128.load8_lane(src + 2 * ss, a, 2);
        a = v128.load8_lane(src + 3 * ss, a, 3);
        a = v128.load8_lane(src + 4 * ss, a, 4);
        a = v128.load8_lane(src + 5 * ss, a, 5);
        a = v128.load8_lane(src + 6 * ss, a, 6);
        a = v128.load8_lane(src + 7 * ss, a, 7);
        if (ds < 0) v128.store64_lane(dst - 7, reversedItems(a, 1), 1);
        else v128.store64_lane(dst, a, 0);
        dst += 8 * ds;
        src += 8 * ss;
      }
    }
  }
  for (; i < n; i++) { store<u8>(dst, load<u8>(src)); dst += ds; src += ss; }
}

// @ts-ignore: decorator
@inline function loop2(dst: usize, src: usize, n: i32, ds: isize, ss: isize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // 4 items, one a lane (reversed into a destination of step -1)
    if (ds == 2 || ds == -2) {
      for (; i + 4 <= n; i += 4) {
        let a = v128.load16_lane(src, i16x8.splat(0), 0);
        a = v128.load16_lane(src + ss, a, 1);
        a = v128.load16_lane(src + 2 * ss, a, 2);
        a = v128.load16_lane(src + 3 * ss, a, 3);
        if (ds < 0) v128.store64_lane(dst - 6, reversedItems(a, 2), 1);
        else v128.store64_lane(dst, a, 0);
        dst += 4 * ds;
        src += 4 * ss;
      }
    }
  }
  for (; i < n; i++) { store<u16>(dst, load<u16>(src)); dst += ds; src += ss; }
}

// @ts-ignore: decorator
@inline function loop4(dst: usize, src: usize, n: i32, ds: isize, ss: isize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // 4 items, one a lane (reversed into a destination of step -1)
    if (ds == 4 || ds == -4) {
      for (; i + 4 <= n; i += 4) {
        let a = v128.load32_zero(src);
        a = v128.load32_lane(src + ss, a, 1);
        a = v128.load32_lane(src + 2 * ss, a, 2);
        a = v128.load32_lane(src + 3 * ss, a, 3);
        if (ds < 0) v128.store(dst - 12, reversedItems(a, 4));
        else v128.store(dst, a);
        dst += 4 * ds;
        src += 4 * ss;
      }
    }
  }
  // unrolled by 4: V8 does not unroll, and the loop overhead is most of the cost of an item
  for (; i + 4 <= n; i += 4) {
    const a = load<u32>(src);
    const b = load<u32>(src + ss);
    const c = load<u32>(src + 2 * ss);
    const d = load<u32>(src + 3 * ss);
    store<u32>(dst, a);
    store<u32>(dst + ds, b);
    store<u32>(dst + 2 * ds, c);
    store<u32>(dst + 3 * ds, d);
    dst += 4 * ds;
    src += 4 * ss;
  }
  for (; i < n; i++) { store<u32>(dst, load<u32>(src)); dst += ds; src += ss; }
}

// @ts-ignore: decorator
@inline function loop8(dst: usize, src: usize, n: i32, ds: isize, ss: isize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // 4 items, one a lane, two vectors a step
    if (ds == 8) {
      for (; i + 4 <= n; i += 4) {
        let a = v128.load64_zero(src);
        let b = v128.load64_zero(src + 2 * ss);
        a = v128.load64_lane(src + ss, a, 1);
        b = v128.load64_lane(src + 3 * ss, b, 1);
        v128.store(dst, a);
        v128.store(dst, b, 16);
        dst += 32;
        src += 4 * ss;
      }
    }
  }
  for (; i + 2 <= n; i += 2) {
    const a = load<u64>(src);
    const b = load<u64>(src + ss);
    store<u64>(dst, a);
    store<u64>(dst + ds, b);
    dst += 2 * ds;
    src += 2 * ss;
  }
  if (i < n) store<u64>(dst, load<u64>(src));
}

// @ts-ignore: decorator
@inline function loop16(dst: usize, src: usize, n: i32, ds: isize, ss: isize): void {
  if (ASC_FEATURE_SIMD) {
    for (let i = 0; i < n; i++) { v128.store(dst, v128.load(src)); dst += ds; src += ss; }
  } else {
    for (let i = 0; i < n; i++) {
      store<u64>(dst, load<u64>(src));
      store<u64>(dst, load<u64>(src, 8), 8);
      dst += ds;
      src += ss;
    }
  }
}

/**
 * Copies one item of `n` bytes between two items that share no byte. memory.copy is a call into
 * the engine's memmove, about 20 ns each, so only the largest items take it:
 * - under 16 bytes: two loads and two stores of the widest word that fits, the second ending at
 *   the item's end (they overlap within the item when n is not a power of two): 1500 x 900
 *   float32 RGB pixels (12 bytes) transposed by scalar tiles took 10.7 ms through memory.copy,
 *   2.7 ms so (docs/performance.md, "Items of other sizes");
 * - with SIMD, 16 bytes to 2.5 KiB: 16-byte vectors, the last one overlapping the one before
 *   when n is not a multiple of 16;
 * - without SIMD, under 256 bytes: 8-byte words, the last one overlapping likewise.
 * 12 MB in rows of n bytes (best of 12, interleaved), memory.copy against vectors, rows adjacent /
 * rows of a permutation (1, 0, 2): n = 600 0.55 / 0.34 and 0.73 / 0.53 ms, 800 0.54 / 0.34 and
 * 0.58 / 0.38, 1024 0.48 / 0.33 and 0.64 / 0.48, 2048 0.50 / 0.33 and 0.50 / 0.41, 3000 0.33 /
 * 0.32 and 0.33 / 0.39, 4000 0.30 / 0.31 and 0.30 / 0.36; 6 MB, n = 16 27 / 13.5, 64 21 / 7.4.
 * Items of 4 KiB and more went as vectors too (6400 2.2 / 2.1, 65536 1.9 / 1.7 ms when measured)
 * until measured again on this host (2026-11-30, best of 9, three rounds in alternation):
 * memory.copy 1.1-1.5x ahead in DRAM (rows of 4674 bytes with gaps, 13 MB: 0.73-0.91 ms against
 * 1.06-1.16; 5889: 0.67-0.74 against 0.98-1.09; 46672: 0.37-0.39 against 0.46-0.49) and level or
 * ahead in cache (crop rows of 6400 bytes: 0.103-0.106 against 0.107-0.116; 2 MB of 20000-byte
 * rows 0.032-0.033 against 0.039-0.041). Those items all lay a multiple of 32 bytes apart; where
 * `dst` and `src` do not (a crop that starts at an odd pixel), glibc's `rep movsb` is 20-40%
 * slower on this host, and the vectors take items of any size (2026-11-30, a stand-alone probe,
 * best of 7, the source 4 or 16 bytes out of step, ms, memory.copy against vectors: rows of
 * 64 KiB 0.68-0.95 against 0.62-0.78, 200 KB 1.34-1.47 against 1.12-1.14, 1 MB 1.29-1.64 against
 * 1.01-1.21; rows of 6-12 KB level).
 */
// @ts-ignore: decorator
@inline export function moveItem(dst: usize, src: usize, n: usize, apart: usize = 31): void {
  if (n < 16) moveSmallItem(dst, src, n);
  else moveWideItem(dst, src, n, apart);
}

/**
 * moveItem for items of 16 bytes and more. `apart`: the address bits in which `dst` and `src`
 * must agree for memory.copy (31, see above; 0 for rows written downwards, see loopN).
 */
// @ts-ignore: decorator
@inline export function moveWideItem(dst: usize, src: usize, n: usize, apart: usize = 31): void {
  if (ASC_FEATURE_SIMD) {
    if (n < 2560 || ((dst ^ src) & apart) != 0) {
      let i: usize = 0;
      for (; i + 64 <= n; i += 64) move64(dst + i, src + i);
      for (; i + 16 <= n; i += 16) v128.store(dst + i, v128.load(src + i));
      if (i < n) v128.store(dst + n - 16, v128.load(src + n - 16));
      return;
    }
  } else if (n < 256) {
    let i: usize = 0;
    for (; i + 8 <= n; i += 8) store<u64>(dst + i, load<u64>(src + i));
    if (i < n) store<u64>(dst + n - 8, load<u64>(src + n - 8));
    return;
  }
  memory.copy(dst, src, n);
}

/**
 * memory.copy of `n` bytes (overlap-safe), in pieces of 256 KiB unless the source starts below
 * the destination and overlaps it: contiguous copies (exported as copyBytes, and 'bytes' plans),
 * rows of items larger than a piece (loopN), and the benchmark's memcpy bound. memory.copy calls
 * the engine's memmove, and glibc's moves a block with `rep movsb` only up to a bound, then with
 * a loop of vector stores, which read every destination line before writing it (on AMD the bound
 * is the L2's size: 1 MiB on this host, 512 KiB on Zen 2 and 3). Pieces under it keep `rep
 * movsb`. Best of 11, three rounds, ms, one memory.copy against pieces of 256 KiB: 11 MiB 0.25
 * against 0.19, 32 MiB 1.34 against 1.16, 64 MiB 3.56 against 2.66 (pieces of 64-768 KiB alike,
 * of 1 MiB and more as slow as one copy; 1-4 MiB level); slabs of 1-8 MiB as items (a step slice
 * along the outermost dimension) 1.2-1.8x faster. Each piece is a call to this function, which
 * keeps it out of line: Binaryen inlines a small function with a loop at every call site, but
 * not one that makes a call. Only where `dst` and `src` lie a multiple of 32 bytes apart, though:
 * `rep movsb` runs 20-40% slower between addresses out of step (2026-11-30, best of 7 in a
 * stand-alone probe, the source 4 or 16 bytes out: 12-13 MiB 0.63-1.04 ms in pieces against
 * 0.54-0.82 in one copy, 24 MiB 1.87-2.79 against 1.69-2.56, 32 MiB 2.34-2.40 against 1.84-1.88,
 * 40 MiB 3.5-4.9 against 3.0-4.4; level at 2-8 MiB), and one memory.copy, which glibc moves with
 * its vector loop from 1 MiB on, takes those; from 16 MiB on (where both blocks no longer fit in
 * this host's 32 MiB of L3), if the two do not overlap, a loop of vectors two a step, faster still
 * (2026-11-30, best of 5, five rounds in alternation, ms, one memory.copy against vectors: 16 MiB
 * 0.76-0.85 against 0.73-0.80, 24 MiB 1.63-1.83 against 1.26-1.39, 40 MiB 3.27-3.69 against
 * 2.39-2.74; 8 MiB 0.26 against 0.28, 12 MiB level).
 */
export function moveBytes(dst: usize, src: usize, n: usize): void {
  if (ASC_FEATURE_SIMD) {
    // out of step, disjoint and of 16 MiB and more: vectors (see above)
    if (n >= 16 << 20 && outOfStep(dst, src) && (dst > src ? dst - src : src - dst) >= n) {
      const last = n - 32;
      for (let i: usize = 0; ; i += 32) {
        if (i > last) i = last;
        const a = v128.load(src + i);
        const b = v128.load(src + i, 16);
        v128.store(dst + i, a);
        v128.store(dst + i, b, 16);
        if (i == last) return;
      }
    }
  }
  const piece: usize = 256 << 10;
  // Pieces in order from the start are a memmove unless the source starts below the destination
  // and reaches into it (each piece then reads bytes an earlier one wrote); src + n cannot wrap
  // there, where dst + n may end at 4 GiB.
  for (; n > piece && !outOfStep(dst, src) && (src >= dst || src + n <= dst); n -= piece) {
    moveBytes(dst, src, piece);
    dst += piece;
    src += piece;
  }
  memory.copy(dst, src, n);
}

/** 64 bytes as four vectors, all four loaded before the first store. */
// @ts-ignore: decorator
@inline function move64(dst: usize, src: usize): void {
  const a = v128.load(src);
  const b = v128.load(src, 16);
  const c = v128.load(src, 32);
  const d = v128.load(src, 48);
  v128.store(dst, a);
  v128.store(dst, b, 16);
  v128.store(dst, c, 32);
  v128.store(dst, d, 48);
}

/** Whether `dst` and `src` lie apart by other than a multiple of 32 bytes (see moveBytes). */
// @ts-ignore: decorator
@inline function outOfStep(dst: usize, src: usize): bool {
  return ((dst ^ src) & 31) != 0;
}

/** An item of 1 to 15 bytes: two words of the widest size that fits, loaded before either store. */
// @ts-ignore: decorator
@inline function moveSmallItem(dst: usize, src: usize, n: usize): void {
  if (n >= 8) {
    const a = load<u64>(src);
    const b = load<u64>(src + n - 8);
    store<u64>(dst, a);
    store<u64>(dst + n - 8, b);
  } else if (n >= 4) {
    const a = load<u32>(src);
    const b = load<u32>(src + n - 4);
    store<u32>(dst, a);
    store<u32>(dst + n - 4, b);
  } else if (n >= 2) {
    const a = load<u16>(src);
    const b = load<u16>(src + n - 2);
    store<u16>(dst, a);
    store<u16>(dst + n - 2, b);
  } else if (n == 1) {
    store<u8>(dst, load<u8>(src));
  }
}

/** Whether items of `itemsize` bytes are one word that a load or a lane takes whole: 1, 2, 4 or 8 bytes. */
// @ts-ignore: decorator
@inline export function wordSized(itemsize: i32): bool {
  return (itemsize & (itemsize - 1)) == 0 && itemsize <= 8;
}

/** Items of any other size, each through moveItem. */
// @ts-ignore: decorator
@inline function loopN(dst: usize, src: usize, n: i32, itemsize: i32, ds: isize, ss: isize): void {
  // items past a piece (slabs of a step slice) in pieces, in a loop of their own: a call in the
  // loop below slowed tiles of 341-byte items by 12%, although they never take it
  if (itemsize > 256 << 10) {
    for (let i = 0; i < n; i++) { moveBytes(dst, src, <usize>itemsize); dst += ds; src += ss; }
    return;
  }
  // rows written downwards (a vertical flip) keep memory.copy out of step too: the vectors were
  // 0.78-0.87x there (uint8 1404 x 6958 and 811 x 14919, uint16 3160 x 1721, 9-12 MB), where rows
  // written upwards gained 1.05-1.2x
  const apart: usize = ds > 0 ? 31 : 0;
  if (ASC_FEATURE_SIMD) {
    // rows that start cold: read downwards, or 512 bytes and more apart (see moveRowEnds)
    if (itemsize >= 64 && itemsize < 2560 && (ss < 0 || ss - <isize>itemsize >= 512)) {
      for (let i = 0; i < n; i++) { moveRowEnds(dst, src, <usize>itemsize); dst += ds; src += ss; }
      return;
    }
  }
  for (let i = 0; i < n; i++) { moveItem(dst, src, <usize>itemsize, apart); dst += ds; src += ss; }
}

/**
 * A row of 64 to 2559 bytes whose first line the prefetchers have not seen coming (loopN): its
 * last 64 bytes and its first 64 loaded first, then the middle, then both ends stored, as glibc's
 * memmove loads a block, so that the misses at both ends are in flight together.
 */
// @ts-ignore: decorator
@inline function moveRowEnds(dst: usize, src: usize, n: usize): void {
  const e = src + n - 64;
  const t0 = v128.load(e);
  const t1 = v128.load(e, 16);
  const t2 = v128.load(e, 32);
  const t3 = v128.load(e, 48);
  const h0 = v128.load(src);
  const h1 = v128.load(src, 16);
  const h2 = v128.load(src, 32);
  const h3 = v128.load(src, 48);
  for (let i: usize = 64; i + 64 < n; i += 64) move64(dst + i, src + i);
  v128.store(dst, h0);
  v128.store(dst, h1, 16);
  v128.store(dst, h2, 32);
  v128.store(dst, h3, 48);
  const f = dst + n - 64;
  v128.store(f, t0);
  v128.store(f, t1, 16);
  v128.store(f, t2, 32);
  v128.store(f, t3, 48);
}

/** `v` with its items of `itemsize` bytes in reverse order. */
// @ts-ignore: decorator
@inline function reversedItems(v: v128, itemsize: i32): v128 {
  // a swizzle by a constant (one pshufb, its mask kept in a register): V8 builds a one-vector
  // byte shuffle's mask from immediates at every use
  if (itemsize == 1) return i8x16.swizzle(v, i8x16(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
  if (itemsize == 2) return i8x16.swizzle(v, i8x16(14, 15, 12, 13, 10, 11, 8, 9, 6, 7, 4, 5, 2, 3, 0, 1));
  if (itemsize == 4) return i32x4.shuffle(v, v, 3, 2, 1, 0);
  return i64x2.shuffle(v, v, 1, 0);
}

/**
 * Rows of `m` items of `itemsize` bytes (1, 2, 4 or 8; 4 items and 16 bytes and more) from a
 * reversed source (step -1: `src` is each row's first item, the others below it) into a
 * unit-stride destination, in one loop nest: two vectors a step from the row's first item
 * downwards, the last one ending at the row's last item (overlapping the one before unless the
 * row is a multiple of 16 bytes), so no scalar tail. Every load stays inside the row.
 * Short reversed rows went item by item (shortRows) and longer ones a gather and a scalar tail
 * per row. From memory the item-by-item loop was the slow one: V8 runs about five instructions an
 * item, and the few loads in flight that leaves made rows of 14 float32 read backwards 4x slower
 * than numpy's loop (136 x 169 x 6 x 14 at step -1: 5.5-6.9 ms against 1.3; now 1.4-1.5).
 * Random views (bench/cliffs.ts's draw), best of 7, three rounds in alternation: 134 with rows
 * of up to 16 items or 32 bytes, a geometric mean of 1.7x and numpy ahead on 3 instead of 53; 1132
 * with longer rows 1.10x, numpy ahead on none instead of 37 (docs/performance.md, "Reversed rows"). Rows of 2 and 3 float64 stay item by
 * item (vectors: 0.6-0.8x). One vector a step, the last loaded first (60 bytes smaller), lost
 * 20-40% on rows read from DRAM; a mask chosen at run time (one function for all item sizes, 100
 * bytes smaller) costs V8 two more instructions a swizzle: 10-30% slower on long rows in cache.
 */
function reversedRows(dst: usize, src: usize, rows: i32, m: i32, itemsize: i32, dsRow: isize, ssRow: isize): void {
  switch (itemsize) {
    case 1: reversedRowsOf(dst, src, rows, m, 1, dsRow, ssRow); break;
    case 2: reversedRowsOf(dst, src, rows, m, 2, dsRow, ssRow); break;
    case 4: reversedRowsOf(dst, src, rows, m, 4, dsRow, ssRow); break;
    default: reversedRowsOf(dst, src, rows, m, 8, dsRow, ssRow);
  }
}

// @ts-ignore: decorator
@inline function reversedRowsOf(dst: usize, src: usize, rows: i32, m: i32, itemsize: i32, dsRow: isize,
  ssRow: isize): void {
  // the destination offset of the last vector; the source window of offset i ends at src - i
  const last = <usize>m * <usize>itemsize - 16;
  for (let r = 0; r < rows; r++) {
    const top = src - <usize>(16 - itemsize);
    let i: usize = 0;
    for (; i + 16 < last; i += 32) {
      const a = v128.load(top - i);
      const b = v128.load(top - i - 16);
      v128.store(dst + i, reversedItems(a, itemsize));
      v128.store(dst + i, reversedItems(b, itemsize), 16);
    }
    if (i < last) v128.store(dst + i, reversedItems(v128.load(top - i), itemsize));
    v128.store(dst + last, reversedItems(v128.load(top - last), itemsize));
    dst += dsRow;
    src += ssRow;
  }
}

// Steps of 3: 1- and 2-byte items by one swizzle of each of the three vectors (constant masks, kept
// in registers) and two ors, not two two-input shuffles, whose masks V8 builds from immediates at
// every use: 1-D step 3, best of 15, uint16 0.34-0.41 ms against 0.74, uint8 0.32-0.35 against 0.74.
// (8-byte items at steps 2 and 3 had gathers of one shuffle of two vectors, 5-10% ahead of their
// loop, but with them the float32 step-3 gathers ran 10% slower: 2-D step 3, 4096 x 4096, 1.47-1.67
// ms against 1.26-1.38, timed in alternation.)
// @ts-ignore: decorator
@inline export function gather3(src: usize, itemsize: i32): v128 {
  if (itemsize == 1) {
    const a = i8x16.swizzle(v128.load(src), i8x16(0, 3, 6, 9, 12, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1));
    const b = i8x16.swizzle(v128.load(src, 16), i8x16(-1, -1, -1, -1, -1, -1, 2, 5, 8, 11, 14, -1, -1, -1, -1, -1));
    const c = i8x16.swizzle(v128.load(src, 32), i8x16(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1, 4, 7, 10, 13));
    return v128.or(v128.or(a, b), c);
  }
  if (itemsize == 2) {
    const a = i8x16.swizzle(v128.load(src), i8x16(0, 1, 6, 7, 12, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1));
    const b = i8x16.swizzle(v128.load(src, 16), i8x16(-1, -1, -1, -1, -1, -1, 2, 3, 8, 9, 14, 15, -1, -1, -1, -1));
    const c = i8x16.swizzle(v128.load(src, 32), i8x16(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 4, 5, 10, 11));
    return v128.or(v128.or(a, b), c);
  }
  const t = i32x4.shuffle(v128.load(src), v128.load(src, 16), 0, 3, 6, 7);
  return i32x4.shuffle(t, v128.load(src, 32), 0, 1, 2, 5);
}

/**
 * SIMD gathers into a unit-stride destination, 16 bytes a step: a source of step 2 or 3, for
 * item sizes 1, 2 and 4 (reversed sources: reversedRows). Moves exactly `k` items, a
 * multiple of 16 / itemsize; a step-2 or step-3 gather reads up to 2 or 3 items' bytes past its
 * last item, so callers leave at least one item after the `k` (the scalar tail). gatherDown does
 * steps 2 and 3 into a destination of step -1.
 */
function gatherVectors(dst: usize, src: usize, k: i32, itemsize: i32, step: i32): void {
  const end = dst + <usize>k * <usize>itemsize;
  const sv = <usize>(16 * step);
  if (step == 2) {
    switch (itemsize) {
      case 1: for (; dst < end; dst += 16) { v128.store(dst, gather2(src, 1)); src += sv; } break;
      case 2: for (; dst < end; dst += 16) { v128.store(dst, gather2(src, 2)); src += sv; } break;
      case 4: for (; dst < end; dst += 16) { v128.store(dst, gather2(src, 4)); src += sv; } break;
    }
  } else {
    switch (itemsize) {
      case 1: for (; dst < end; dst += 16) { v128.store(dst, gather3(src, 1)); src += sv; } break;
      case 2: for (; dst < end; dst += 16) { v128.store(dst, gather3(src, 2)); src += sv; } break;
      case 4: for (; dst < end; dst += 16) { v128.store(dst, gather3(src, 4)); src += sv; } break;
    }
  }
}

/**
 * Short rows of a source of step 2 (1-, 2- and 4-byte items) into a unit-stride destination, in
 * one loop nest: `rows` rows (`dsRow` and `ssRow` bytes apart) of `m` items each (more than a
 * vector's), the first m - 1 by whole vectors, the last of them moved back to end at item m - 1
 * (overlapping the one before unless m - 1 is a multiple of 16 / itemsize), then item m - 1 alone:
 * no gather reads past the row (each reads one item's bytes past its own last item). Such rows
 * went item by item, or with a call a row to the gathers and a scalar tail. 329 random views of
 * short rows at steps 2 and 3 (bench/cliffs.ts's draw), three rounds in alternation: the 51 that
 * take this 2.0x (uint8 3.1x, uint16 1.85x, float32 1.64x), numpy ahead on 1 of them instead of
 * 29. Step 3 stays as it was: its gathers (three swizzles for 1- and 2-byte items) would take the
 * transpose page past its budget. Longer rows keep a call a row to the gathers: the clamp in this
 * loop cost them up to 1.5x in cache, and a form without it (a second gather for the last
 * vector) took more bytes than the page had (docs/performance.md, "Reversed rows").
 */
function shortStep2Rows(dst: usize, src: usize, rows: i32, m: i32, itemsize: i32, dsRow: isize, ssRow: isize): void {
  switch (itemsize) {
    case 1: shortStep2RowsOf(dst, src, rows, m, 1, dsRow, ssRow); break;
    case 2: shortStep2RowsOf(dst, src, rows, m, 2, dsRow, ssRow); break;
    default: shortStep2RowsOf(dst, src, rows, m, 4, dsRow, ssRow);
  }
}

// @ts-ignore: decorator
@inline function shortStep2RowsOf(dst: usize, src: usize, rows: i32, m: i32, itemsize: i32, dsRow: isize,
  ssRow: isize): void {
  // the destination offsets of the last item and of the last vector, which ends before it
  const last = <usize>(m - 1) * <usize>itemsize;
  const end = last - 16;
  for (let r = 0; r < rows; r++) {
    for (let o: usize = 0; ; o += 16) {
      if (o > end) o = end;
      v128.store(dst + o, gather2(src + 2 * o, itemsize));
      if (o == end) break;
    }
    if (itemsize == 1) store<u8>(dst + last, load<u8>(src + 2 * last));
    else if (itemsize == 2) store<u16>(dst + last, load<u16>(src + 2 * last));
    else store<u32>(dst + last, load<u32>(src + 2 * last));
    dst += dsRow;
    src += ssRow;
  }
}

/**
 * gatherVectors' steps 2 and 3 into a destination of step -1: the items go to dst, dst - itemsize,
 * ... (the planner walks a row that way when its source runs backwards, so that the source is read
 * forwards), 16 bytes a step, each vector's items reversed. A function of its own: in
 * gatherVectors, its loops made the forward gathers of 2-D step slices 5-10% slower.
 */
function gatherDown(dst: usize, src: usize, k: i32, itemsize: i32, step: i32): void {
  // the 16-byte window whose last item is the one at dst, then the windows below it
  const end = dst - <usize>k * <usize>itemsize;
  const sv = <usize>(16 * step);
  let d = dst - <usize>(16 - itemsize);
  if (step == 2) {
    switch (itemsize) {
      case 1: for (; d > end; d -= 16) { v128.store(d, reversedItems(gather2(src, 1), 1)); src += sv; } break;
      case 2: for (; d > end; d -= 16) { v128.store(d, reversedItems(gather2(src, 2), 2)); src += sv; } break;
      case 4: for (; d > end; d -= 16) { v128.store(d, reversedItems(gather2(src, 4), 4)); src += sv; } break;
    }
  } else {
    switch (itemsize) {
      case 1: for (; d > end; d -= 16) { v128.store(d, reversedItems(gather3(src, 1), 1)); src += sv; } break;
      case 2: for (; d > end; d -= 16) { v128.store(d, reversedItems(gather3(src, 2), 2)); src += sv; } break;
      case 4: for (; d > end; d -= 16) { v128.store(d, reversedItems(gather3(src, 4), 4)); src += sv; } break;
    }
  }
}

/** `k` items gathered into a destination of step 1 (gatherVectors) or -1 (`down`, gatherDown). */
// @ts-ignore: decorator
@inline function gatherItems(dst: usize, src: usize, k: i32, itemsize: i32, step: i32, down: bool): void {
  if (down) gatherDown(dst, src, k, itemsize, step);
  else gatherVectors(dst, src, k, itemsize, step);
}

/**
 * The SIMD gather step (-1, 2 or 3) a row of `itemsize`-byte items with strides `ds`, `ss` takes
 * (0: none): ss = step * |ds|, with ds = itemsize, or ds = -itemsize for steps 2 and 3.
 */
// @ts-ignore: decorator
@inline function gatherStep(itemsize: i32, ds: isize, ss: isize): i32 {
  if (!wordSized(itemsize)) return 0;
  if (ds == <isize>itemsize && ss == -ds) return -1;
  if (itemsize > 4 || (ds != <isize>itemsize && ds != -<isize>itemsize)) return 0;
  const a = ds < 0 ? -ds : ds;
  return ss == 2 * a ? 2 : ss == 3 * a ? 3 : 0;
}

/**
 * Packed pixels of 3 or 4 channels of 1 byte from the stream at src (pixel 0's first byte) to dst
 * with their channels in reverse order (assembly/transpose.ts, reverseChannelsCx1), a whole
 * number of vectors' worth a step (16 pixels of 3 bytes, 4 of 4), every load within the step's
 * pixels. Returns how many of the `n` pixels it moved: the whole steps (the pixels after them go
 * as short rows). (3 channels of 2 bytes, BGR from 16-bit images, had a kernel of their own, 3.4x
 * faster than the short rows: 1920 x 1080 in 0.69-0.74 ms against 2.38, numpy 5.1; it made room
 * on the transpose-only page for the lane gathers above.)
 */
function reverseChannels(dst: usize, src: usize, n: i32, c: i32): i32 {
  // pixels a step: lcm(16, c) bytes' worth
  const group = c == 3 ? 16 : 4;
  const steps = n / group;
  const step = <usize>(group * c);
  if (c == 3) {
    for (let g = 0; g < steps; g++) { reverseChannels3x1(dst, src); dst += step; src += step; }
  } else {
    for (let g = 0; g < steps; g++) { reverseChannels4x1(dst, src); dst += step; src += step; }
  }
  return steps * group;
}

/**
 * uint8 RGB pixels (3-byte items) of a reversed source into a unit-stride destination
 * (horizontal flips of RGB images), 16 a step (assembly/transpose.ts, reverseItems3): the whole
 * groups of a row of `n` from the item at src downwards. Returns how many it moved. Every load
 * stays within the group's items. (6- and 12-byte pixels, uint16 and float32 RGB, had kernels
 * of their own, 4x faster than their loops, which the size budget of the transpose-only page did
 * not leave room for.)
 */
function reversePixels(dst: usize, src: usize, n: i32): i32 {
  const groups = n >> 4;
  // the group's lowest item
  let s = src - 45;
  for (let g = 0; g < groups; g++) {
    reverseItems3(dst, s);
    dst += 48;
    s -= 48;
  }
  return groups << 4;
}

/**
 * How many items of a row of `n` a SIMD gather (step 2 or 3) moves: whole vectors, with at least
 * one item left for the scalar tail (the gathers read past their last item). Items a vector: 16 /
 * itemsize, a power of two, by a mask (with two divisions a row, 662259 rows of 19 uint8 at step
 * 2 took 6.3 ms against 5.5-5.8).
 */
// @ts-ignore: decorator
@inline function gatherCount(n: i32, itemsize: i32): i32 {
  const mask = (16 >> ctz(itemsize)) - 1;
  return (n - 1) & ~mask;
}

// Rows of at most SHORT_ROW items and SHORT_ROW_BYTES bytes of 1, 2, 4 or 8 (that no SIMD gather
// takes) go in one loop nest per item size, without a call and tests per row, which were
// most of the time of a row of a few items. Best of 15, 100000 rows of 2 float32 at step -2:
// 0.10 ms against 0.95; 30000 of 24 bytes at step 5: 0.22 against 0.45; 20000 of 48: 0.29
// against 0.53. Rows of 64 float64 at step 5 were slower so (2.1-2.3 ms against 1.75-1.8: loop8
// moves two at a time).
// @ts-ignore: decorator
@inline const SHORT_ROW: i32 = 64;
// @ts-ignore: decorator
@inline const SHORT_ROW_BYTES: i32 = 128;
// Rows that a SIMD gather would take go as short rows too up to SHORT_GATHER_ITEMS items, or
// SHORT_GATHER_BYTES bytes (uint8): the gathers' setup and scalar tail cost more than their
// vectors save. Best of 9, about 4 MiB in rows of each length, short rows against gathers: uint8
// at step 2, 19 / 24 / 33 / 40 items 3.76-3.78 / 1.21 / 1.26 / 1.20 ms against 3.89-3.96 / 1.32 /
// 0.76 / 0.89, at step 3, 30 items 1.23-1.25 against 1.48-1.49; uint16 at step 2, 12 / 17 items
// 0.70 / 0.67-0.68 against 1.08-1.12 / 0.74; float32 at step 3, 10 items 0.34-0.41 against
// 0.70-0.71. (Reversed rows of 4 items and 16 bytes and more take reversedRows, whatever their
// length, and short rows at step 2 of more than 16 bytes shortStep2Rows.)
// @ts-ignore: decorator
@inline const SHORT_GATHER_ITEMS: i32 = 16;
// @ts-ignore: decorator
@inline const SHORT_GATHER_BYTES: i32 = 32;

// @ts-ignore: decorator
@inline function shortRows<T>(dst: usize, src: usize, rows: i32, m: i32, ds: isize, ss: isize, dsRow: isize,
  ssRow: isize): void {
  for (let r = 0; r < rows; r++) {
    let d = dst;
    let s = src;
    for (let i = 0; i < m; i++) {
      store<T>(d, load<T>(s));
      d += ds;
      s += ss;
    }
    dst += dsRow;
    src += ssRow;
  }
}

/**
 * shortRows for items of 1, 2, 4 or 8 bytes, in a function of its own: inlined in copyRows, its
 * loops ran 20% slower when copyRows lost a branch elsewhere (V8 allocates registers for the whole
 * function; rows of 2 uint8, 100000 rows: 0.118 ms against 0.096).
 */
function shortRowsOf(dst: usize, src: usize, rows: i32, m: i32, itemsize: i32, ds: isize, ss: isize, dsRow: isize,
  ssRow: isize): void {
  switch (itemsize) {
    case 1: shortRows<u8>(dst, src, rows, m, ds, ss, dsRow, ssRow); return;
    case 2: shortRows<u16>(dst, src, rows, m, ds, ss, dsRow, ssRow); return;
    case 4: shortRows<u32>(dst, src, rows, m, ds, ss, dsRow, ssRow); return;
    default: shortRows<u64>(dst, src, rows, m, ds, ss, dsRow, ssRow); return;
  }
}

// Rows of SIMD gathers whose source rows leave gaps (2-D step slices, `a[::2, ::2]`) go STREAMS
// at a time, CHUNK items of each in turn: after a gap the prefetchers start each row again, and
// four rows at a time overlap those starts. Elsewhere one row at a time is ahead: interleaved
// streams run at half the rate of one on this machine (docs/performance.md, "Transposes and
// permutations of arrays past the L2"). Best of 9, float32 at step 2, about 16 MiB out, four
// streams against one: rows of 1024 items with gaps of 16-256 bytes 2.9-3.1 ms against 1.2-1.5,
// of 512 bytes to 16 KiB 2.5-3.0 against 3.1-3.9; rows of 2048 items with gaps of 16 KiB (the
// harness's 4096 x 4096 at step 2: 64 MiB of source) 2.5-2.6 against 2.9-3.7, of 4096 items
// even, of 8192 and 39405 items 2.5-2.6 against 1.2-2.0; rows of 1024 with 8 KiB gaps in 16 MiB
// of source (in the L3) 0.21-0.22 against 0.16-0.18. Step 3, rows of 1366 in 48 KiB (the harness's
// 4096 x 4096): 1.18-1.24 against 1.46-1.58.
// @ts-ignore: decorator
@inline const CHUNK: i32 = 64;
// @ts-ignore: decorator
@inline const STREAMS: i32 = 4;
// @ts-ignore: decorator
@inline const STREAM_GAP: i64 = 512;
// @ts-ignore: decorator
@inline const STREAM_SPAN: i64 = 32 * 1024;
// @ts-ignore: decorator
@inline const STREAM_SOURCE: i64 = 32 * 1024 * 1024;

/** Whether `rows` rows of `m` items `ss` apart, rows `ssRow` apart, go STREAMS at a time (see above). */
// @ts-ignore: decorator
@inline function separateRows(rows: i32, m: i32, ss: isize, ssRow: isize): bool {
  const span = <i64>m * <i64>(ss < 0 ? -ss : ss);
  const apart = <i64>(ssRow < 0 ? -ssRow : ssRow);
  return m >= 2 * CHUNK && span < STREAM_SPAN && apart - span >= STREAM_GAP && <i64>rows * apart >= STREAM_SOURCE;
}

/**
 * copyRows' rows of SIMD gathers with gaps (see separateRows), STREAMS at a time, CHUNK items of
 * each in turn, then the rest of each row's `k` gathered items and its scalar tail. Returns how
 * many rows it moved (a multiple of STREAMS).
 */
function streamRows(dst: usize, src: usize, rows: i32, m: i32, k: i32, itemsize: i32, ds: isize, ss: isize,
  dsRow: isize, ssRow: isize, step: i32): i32 {
  const last = k / CHUNK * CHUNK; // the start of the items after the whole chunks
  let r = 0;
  for (; r + STREAMS <= rows; r += STREAMS) {
    for (let c = 0; c < last; c += CHUNK) {
      for (let j = 0; j < STREAMS; j++) {
        const d = dst + <isize>j * dsRow + <isize>c * ds;
        gatherItems(d, src + <isize>j * ssRow + <isize>c * ss, CHUNK, itemsize, step, ds < 0);
      }
    }
    for (let j = 0; j < STREAMS; j++) {
      const d = dst + <isize>j * dsRow + <isize>last * ds;
      const s = src + <isize>j * ssRow + <isize>last * ss;
      gatherItems(d, s, k - last, itemsize, step, ds < 0);
      stridedLoop(d + <isize>(k - last) * ds, s + <isize>(k - last) * ss, m - k, itemsize, ds, ss);
    }
    dst += <isize>STREAMS * dsRow;
    src += <isize>STREAMS * ssRow;
  }
  return r;
}

/**
 * Copies `rows` rows of `m` items each: row j at dst + j*dsRow and src + j*ssRow, items `ds` and
 * `ss` bytes apart within a row (one row: `rows` 1, `dsRow` and `ssRow` 0). Short rows in one loop
 * nest, the others row by row.
 * Rows of SIMD gathers go one after the other, each in one stream, except short rows with gaps
 * in a source past the L3 (separateRows), which go STREAMS at a time.
 */
export function copyRows(dst: usize, src: usize, rows: i32, m: i32, itemsize: i32, ds: isize, ss: isize,
  dsRow: isize, ssRow: isize): void {
  if (ASC_FEATURE_SIMD) {
    // packed pixels of 3 or 4 uint8 channels reversed (RGB to BGR): a byte stream on both sides
    if ((m == 3 || m == 4) && itemsize == 1 && ss == -1 && ds == 1 && dsRow == <isize>m && ssRow == dsRow) {
      const done = reverseChannels(dst, src - <usize>(m - 1), rows, m);
      dst += <isize>done * dsRow;
      src += <isize>done * ssRow;
      rows -= done;
    }
  }
  let step = 0;
  if (ASC_FEATURE_SIMD) {
    step = gatherStep(itemsize, ds, ss);
    if (step == -1 && m >= 4 && m * itemsize >= 16) {
      reversedRows(dst, src, rows, m, itemsize, dsRow, ssRow);
      return;
    }
  }
  let short = m <= SHORT_ROW && m * itemsize <= SHORT_ROW_BYTES;
  if (ASC_FEATURE_SIMD) {
    // short rows at step 2 forwards, more than a vector and one more item: vectors, in one nest
    if (short && step == 2 && ds > 0 && m * itemsize > 16) {
      shortStep2Rows(dst, src, rows, m, itemsize, dsRow, ssRow);
      return;
    }
    short = short && (m <= SHORT_GATHER_ITEMS || m * itemsize <= SHORT_GATHER_BYTES || step == 0);
  }
  if (short && wordSized(itemsize)) {
    shortRowsOf(dst, src, rows, m, itemsize, ds, ss, dsRow, ssRow);
    return;
  }
  if (ASC_FEATURE_SIMD) {
    // rows of SIMD gathers (steps 2 and 3): the kernel chosen once for all rows, not per row (4 MiB
    // in rows of 24 float32 at step 2: 0.35-0.36 ms against 0.47-0.49; of 40 uint8: 0.87-0.91
    // against 1.21-1.25)
    if (step != 0) {
      const k = gatherCount(m, itemsize);
      let r = 0;
      if (separateRows(rows, m, ss, ssRow)) {
        r = streamRows(dst, src, rows, m, k, itemsize, ds, ss, dsRow, ssRow, step);
        dst += <isize>r * dsRow;
        src += <isize>r * ssRow;
      }
      const dk = <isize>k * ds;
      const sk = <isize>k * ss;
      for (; r < rows; r++) {
        gatherItems(dst, src, k, itemsize, step, ds < 0);
        stridedLoop(dst + dk, src + sk, m - k, itemsize, ds, ss);
        dst += dsRow;
        src += ssRow;
      }
      return;
    }
  }
  // (rows contiguous on both sides never come here: the planner folds them into the item)
  // uint8 RGB pixels of a reversed source (horizontal flips)
  const pixels = itemsize == 3 && ds == 3 && ss == -3;
  for (let r = 0; r < rows; r++) {
    let k = 0;
    // a constant condition on its own, so that the scalar build never compiles reversePixels
    if (ASC_FEATURE_SIMD) {
      if (pixels) k = reversePixels(dst, src, m);
    }
    stridedLoop(dst + <isize>k * ds, src + <isize>k * ss, m - k, itemsize, ds, ss);
    dst += dsRow;
    src += ssRow;
  }
}

/**
 * The strided loops of copyRows and of laneTiles (assembly/tile.ts): `n` items of `itemsize` bytes,
 * `ds` and `ss` bytes apart, lane by lane into a destination of step 1 (see above).
 */
export function stridedLoop(dst: usize, src: usize, n: i32, itemsize: i32, ds: isize, ss: isize): void {
  switch (itemsize) {
    case 1: loop1(dst, src, n, ds, ss); return;
    case 2: loop2(dst, src, n, ds, ss); return;
    case 4: loop4(dst, src, n, ds, ss); return;
    case 8: loop8(dst, src, n, ds, ss); return;
    case 16: loop16(dst, src, n, ds, ss); return;
    default: loopN(dst, src, n, itemsize, ds, ss); return;
  }
}
