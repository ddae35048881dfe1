// One-dimensional strided loops, specialised by item size: the innermost loop of every planned
// copy whose two operands agree on their fastest dimension. Item sizes 1/2/4/8/16 move with one
// load and one store; with SIMD, unit-stride destinations gathered from a reversed source
// (flips) or from a source of step 2 or 3 (step slices) move 16 bytes at a time.
// Vector loops only load inside [first item, last item] of the source, so no load ever touches
// a byte outside the operand (nor runs past the end of linear memory).

// @ts-ignore: decorator
@inline function loop1(dst: usize, src: usize, n: i32, ds: isize, ss: isize): void {
  for (let i = 0; i < n; i++) { store<u8>(dst, load<u8>(src)); dst += ds; src += ss; }
}

// @ts-ignore: decorator
@inline function loop2(dst: usize, src: usize, n: i32, ds: isize, ss: isize): void {
  for (let i = 0; i < n; i++) { store<u16>(dst, load<u16>(src)); dst += ds; src += ss; }
}

// @ts-ignore: decorator
@inline function loop4(dst: usize, src: usize, n: i32, ds: isize, ss: isize): void {
  // unrolled by 4: V8 does not unroll, and the loop overhead is most of the cost of an item
  let i = 0;
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

/** Items of any other size: bytes for small ones, memory.copy (a call) for rows and large items. */
// @ts-ignore: decorator
@inline function loopN(dst: usize, src: usize, n: i32, itemsize: i32, ds: isize, ss: isize): void {
  if (itemsize < 16) {
    for (let i = 0; i < n; i++) {
      for (let b = 0; b < itemsize; b++) store<u8>(dst + b, load<u8>(src + b));
      dst += ds;
      src += ss;
    }
  } else {
    for (let i = 0; i < n; i++) { memory.copy(dst, src, itemsize); dst += ds; src += ss; }
  }
}

/**
 * SIMD gathers into a unit-stride destination: a reversed source (step -1) or a source of step 2
 * or 3, for item sizes 1, 2, 4 (8 for the reversal). Returns how many items it moved (a multiple
 * of 16 / itemsize, leaving at least one item for the scalar tail).
 */
function gatherSimd(dst: usize, src: usize, n: i32, itemsize: i32, step: i32): i32 {
  const m = 16 / itemsize;
  let k = 0;
  if (step == -1) {
    // the window of items src[-k-m+1 .. -k], reversed item by item
    let s = src - <usize>((m - 1) * itemsize);
    switch (itemsize) {
      case 1: for (; k + m <= n; k += m) { const v = v128.load(s); v128.store(dst, i8x16.shuffle(v, v, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)); dst += 16; s -= 16; } break;
      case 2: for (; k + m <= n; k += m) { const v = v128.load(s); v128.store(dst, i16x8.shuffle(v, v, 7, 6, 5, 4, 3, 2, 1, 0)); dst += 16; s -= 16; } break;
      case 4: for (; k + m <= n; k += m) { const v = v128.load(s); v128.store(dst, i32x4.shuffle(v, v, 3, 2, 1, 0)); dst += 16; s -= 16; } break;
      case 8: for (; k + m <= n; k += m) { const v = v128.load(s); v128.store(dst, i64x2.shuffle(v, v, 1, 0)); dst += 16; s -= 16; } break;
    }
    return k;
  }
  if (step == 2) {
    switch (itemsize) {
      case 1: for (; k + m < n; k += m) { v128.store(dst, i8x16.shuffle(v128.load(src), v128.load(src, 16), 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30)); dst += 16; src += 32; } break;
      case 2: for (; k + m < n; k += m) { v128.store(dst, i8x16.shuffle(v128.load(src), v128.load(src, 16), 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29)); dst += 16; src += 32; } break;
      case 4: for (; k + m < n; k += m) { v128.store(dst, i32x4.shuffle(v128.load(src), v128.load(src, 16), 0, 2, 4, 6)); dst += 16; src += 32; } break;
    }
    return k;
  }
  if (step == 3) {
    switch (itemsize) {
      case 1: for (; k + m < n; k += m) {
        const t = i8x16.shuffle(v128.load(src), v128.load(src, 16), 0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 0, 0, 0, 0, 0);
        v128.store(dst, i8x16.shuffle(t, v128.load(src, 32), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17, 20, 23, 26, 29));
        dst += 16; src += 48;
      } break;
      case 2: for (; k + m < n; k += m) {
        const t = i8x16.shuffle(v128.load(src), v128.load(src, 16), 0, 1, 6, 7, 12, 13, 18, 19, 24, 25, 30, 31, 0, 0, 0, 0);
        v128.store(dst, i8x16.shuffle(t, v128.load(src, 32), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 20, 21, 26, 27));
        dst += 16; src += 48;
      } break;
      case 4: for (; k + m < n; k += m) {
        const t = i32x4.shuffle(v128.load(src), v128.load(src, 16), 0, 3, 6, 7);
        v128.store(dst, i32x4.shuffle(t, v128.load(src, 32), 0, 1, 2, 5));
        dst += 16; src += 48;
      } break;
    }
    return k;
  }
  return 0;
}

/** Copies `n` items of `itemsize` bytes, `ds` and `ss` bytes apart in dst and src. */
export function copyRow(dst: usize, src: usize, n: i32, itemsize: i32, ds: isize, ss: isize): void {
  if (ds == <isize>itemsize) {
    if (ss == ds) {
      memory.copy(dst, src, <usize>n * <usize>itemsize);
      return;
    }
    // a constant condition on its own, so that the scalar build never compiles gatherSimd
    if (ASC_FEATURE_SIMD) {
      const step = <i32>(ss / ds);
      if (itemsize <= 8 && <isize>step * ds == ss && (step == -1 || step == 2 || step == 3)) {
        const k = gatherSimd(dst, src, n, itemsize, step);
        dst += <usize>k * <usize>itemsize;
        src += <isize>k * ss;
        n -= k;
      }
    }
  }
  switch (itemsize) {
    case 1: loop1(dst, src, n, ds, ss); return;
    case 2: loop2(dst, src, n, ds, ss); return;
    case 4: loop4(dst, src, n, ds, ss); return;
    case 8: loop8(dst, src, n, ds, ss); return;
    case 16: loop16(dst, src, n, ds, ss); return;
    default: loopN(dst, src, n, itemsize, ds, ss); return;
  }
}
