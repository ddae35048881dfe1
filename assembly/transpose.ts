// In-register transposes of one 16-byte-wide square block, on Wasm SIMD shuffles. Each is the
// perfect-shuffle transpose: log2(n) rounds, each interleaving row i with row i + n/2
// (lo halves into row 2i, hi halves into row 2i+1); after the last round row i holds column i.
// Only compiled when SIMD is enabled (callers test ASC_FEATURE_SIMD first), so the scalar build
// of the same sources never sees a v128 instruction.

/** Transposes a 16x16 block of 1-byte items in registers: row r of src (rows `srcStride` bytes apart) becomes column r of dst. */
// @ts-ignore: decorator
@inline export function transpose16x16(dst: usize, dstStride: usize, src: usize, srcStride: usize): void {
  let r0 = v128.load(src);
  let r1 = v128.load(src + 1 * srcStride);
  let r2 = v128.load(src + 2 * srcStride);
  let r3 = v128.load(src + 3 * srcStride);
  let r4 = v128.load(src + 4 * srcStride);
  let r5 = v128.load(src + 5 * srcStride);
  let r6 = v128.load(src + 6 * srcStride);
  let r7 = v128.load(src + 7 * srcStride);
  let r8 = v128.load(src + 8 * srcStride);
  let r9 = v128.load(src + 9 * srcStride);
  let r10 = v128.load(src + 10 * srcStride);
  let r11 = v128.load(src + 11 * srcStride);
  let r12 = v128.load(src + 12 * srcStride);
  let r13 = v128.load(src + 13 * srcStride);
  let r14 = v128.load(src + 14 * srcStride);
  let r15 = v128.load(src + 15 * srcStride);
  let t0 = i8x16.shuffle(r0, r8, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  let t1 = i8x16.shuffle(r0, r8, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  let t2 = i8x16.shuffle(r1, r9, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  let t3 = i8x16.shuffle(r1, r9, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  let t4 = i8x16.shuffle(r2, r10, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  let t5 = i8x16.shuffle(r2, r10, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  let t6 = i8x16.shuffle(r3, r11, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  let t7 = i8x16.shuffle(r3, r11, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  let t8 = i8x16.shuffle(r4, r12, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  let t9 = i8x16.shuffle(r4, r12, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  let t10 = i8x16.shuffle(r5, r13, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  let t11 = i8x16.shuffle(r5, r13, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  let t12 = i8x16.shuffle(r6, r14, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  let t13 = i8x16.shuffle(r6, r14, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  let t14 = i8x16.shuffle(r7, r15, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  let t15 = i8x16.shuffle(r7, r15, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  r0 = i8x16.shuffle(t0, t8, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  r1 = i8x16.shuffle(t0, t8, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  r2 = i8x16.shuffle(t1, t9, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  r3 = i8x16.shuffle(t1, t9, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  r4 = i8x16.shuffle(t2, t10, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  r5 = i8x16.shuffle(t2, t10, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  r6 = i8x16.shuffle(t3, t11, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  r7 = i8x16.shuffle(t3, t11, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  r8 = i8x16.shuffle(t4, t12, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  r9 = i8x16.shuffle(t4, t12, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  r10 = i8x16.shuffle(t5, t13, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  r11 = i8x16.shuffle(t5, t13, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  r12 = i8x16.shuffle(t6, t14, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  r13 = i8x16.shuffle(t6, t14, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  r14 = i8x16.shuffle(t7, t15, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  r15 = i8x16.shuffle(t7, t15, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  t0 = i8x16.shuffle(r0, r8, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  t1 = i8x16.shuffle(r0, r8, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  t2 = i8x16.shuffle(r1, r9, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  t3 = i8x16.shuffle(r1, r9, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  t4 = i8x16.shuffle(r2, r10, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  t5 = i8x16.shuffle(r2, r10, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  t6 = i8x16.shuffle(r3, r11, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  t7 = i8x16.shuffle(r3, r11, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  t8 = i8x16.shuffle(r4, r12, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  t9 = i8x16.shuffle(r4, r12, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  t10 = i8x16.shuffle(r5, r13, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  t11 = i8x16.shuffle(r5, r13, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  t12 = i8x16.shuffle(r6, r14, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  t13 = i8x16.shuffle(r6, r14, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  t14 = i8x16.shuffle(r7, r15, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  t15 = i8x16.shuffle(r7, r15, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  r0 = i8x16.shuffle(t0, t8, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  r1 = i8x16.shuffle(t0, t8, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  r2 = i8x16.shuffle(t1, t9, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  r3 = i8x16.shuffle(t1, t9, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  r4 = i8x16.shuffle(t2, t10, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  r5 = i8x16.shuffle(t2, t10, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  r6 = i8x16.shuffle(t3, t11, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  r7 = i8x16.shuffle(t3, t11, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  r8 = i8x16.shuffle(t4, t12, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  r9 = i8x16.shuffle(t4, t12, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  r10 = i8x16.shuffle(t5, t13, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  r11 = i8x16.shuffle(t5, t13, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  r12 = i8x16.shuffle(t6, t14, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  r13 = i8x16.shuffle(t6, t14, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  r14 = i8x16.shuffle(t7, t15, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  r15 = i8x16.shuffle(t7, t15, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
  v128.store(dst, r0);
  v128.store(dst + 1 * dstStride, r1);
  v128.store(dst + 2 * dstStride, r2);
  v128.store(dst + 3 * dstStride, r3);
  v128.store(dst + 4 * dstStride, r4);
  v128.store(dst + 5 * dstStride, r5);
  v128.store(dst + 6 * dstStride, r6);
  v128.store(dst + 7 * dstStride, r7);
  v128.store(dst + 8 * dstStride, r8);
  v128.store(dst + 9 * dstStride, r9);
  v128.store(dst + 10 * dstStride, r10);
  v128.store(dst + 11 * dstStride, r11);
  v128.store(dst + 12 * dstStride, r12);
  v128.store(dst + 13 * dstStride, r13);
  v128.store(dst + 14 * dstStride, r14);
  v128.store(dst + 15 * dstStride, r15);
}

/** Transposes an 8x8 block of 2-byte items in registers: row r of src (rows `srcStride` bytes apart) becomes column r of dst. */
// @ts-ignore: decorator
@inline export function transpose8x8(dst: usize, dstStride: usize, src: usize, srcStride: usize): void {
  let r0 = v128.load(src);
  let r1 = v128.load(src + 1 * srcStride);
  let r2 = v128.load(src + 2 * srcStride);
  let r3 = v128.load(src + 3 * srcStride);
  let r4 = v128.load(src + 4 * srcStride);
  let r5 = v128.load(src + 5 * srcStride);
  let r6 = v128.load(src + 6 * srcStride);
  let r7 = v128.load(src + 7 * srcStride);
  let t0 = i16x8.shuffle(r0, r4, 0, 8, 1, 9, 2, 10, 3, 11);
  let t1 = i16x8.shuffle(r0, r4, 4, 12, 5, 13, 6, 14, 7, 15);
  let t2 = i16x8.shuffle(r1, r5, 0, 8, 1, 9, 2, 10, 3, 11);
  let t3 = i16x8.shuffle(r1, r5, 4, 12, 5, 13, 6, 14, 7, 15);
  let t4 = i16x8.shuffle(r2, r6, 0, 8, 1, 9, 2, 10, 3, 11);
  let t5 = i16x8.shuffle(r2, r6, 4, 12, 5, 13, 6, 14, 7, 15);
  let t6 = i16x8.shuffle(r3, r7, 0, 8, 1, 9, 2, 10, 3, 11);
  let t7 = i16x8.shuffle(r3, r7, 4, 12, 5, 13, 6, 14, 7, 15);
  r0 = i16x8.shuffle(t0, t4, 0, 8, 1, 9, 2, 10, 3, 11);
  r1 = i16x8.shuffle(t0, t4, 4, 12, 5, 13, 6, 14, 7, 15);
  r2 = i16x8.shuffle(t1, t5, 0, 8, 1, 9, 2, 10, 3, 11);
  r3 = i16x8.shuffle(t1, t5, 4, 12, 5, 13, 6, 14, 7, 15);
  r4 = i16x8.shuffle(t2, t6, 0, 8, 1, 9, 2, 10, 3, 11);
  r5 = i16x8.shuffle(t2, t6, 4, 12, 5, 13, 6, 14, 7, 15);
  r6 = i16x8.shuffle(t3, t7, 0, 8, 1, 9, 2, 10, 3, 11);
  r7 = i16x8.shuffle(t3, t7, 4, 12, 5, 13, 6, 14, 7, 15);
  t0 = i16x8.shuffle(r0, r4, 0, 8, 1, 9, 2, 10, 3, 11);
  t1 = i16x8.shuffle(r0, r4, 4, 12, 5, 13, 6, 14, 7, 15);
  t2 = i16x8.shuffle(r1, r5, 0, 8, 1, 9, 2, 10, 3, 11);
  t3 = i16x8.shuffle(r1, r5, 4, 12, 5, 13, 6, 14, 7, 15);
  t4 = i16x8.shuffle(r2, r6, 0, 8, 1, 9, 2, 10, 3, 11);
  t5 = i16x8.shuffle(r2, r6, 4, 12, 5, 13, 6, 14, 7, 15);
  t6 = i16x8.shuffle(r3, r7, 0, 8, 1, 9, 2, 10, 3, 11);
  t7 = i16x8.shuffle(r3, r7, 4, 12, 5, 13, 6, 14, 7, 15);
  v128.store(dst, t0);
  v128.store(dst + 1 * dstStride, t1);
  v128.store(dst + 2 * dstStride, t2);
  v128.store(dst + 3 * dstStride, t3);
  v128.store(dst + 4 * dstStride, t4);
  v128.store(dst + 5 * dstStride, t5);
  v128.store(dst + 6 * dstStride, t6);
  v128.store(dst + 7 * dstStride, t7);
}

/** Transposes a 4x4 block of 4-byte items in registers: row r of src (rows `srcStride` bytes apart) becomes column r of dst. */
// @ts-ignore: decorator
@inline export function transpose4x4(dst: usize, dstStride: usize, src: usize, srcStride: usize): void {
  let r0 = v128.load(src);
  let r1 = v128.load(src + 1 * srcStride);
  let r2 = v128.load(src + 2 * srcStride);
  let r3 = v128.load(src + 3 * srcStride);
  let t0 = i32x4.shuffle(r0, r2, 0, 4, 1, 5);
  let t1 = i32x4.shuffle(r0, r2, 2, 6, 3, 7);
  let t2 = i32x4.shuffle(r1, r3, 0, 4, 1, 5);
  let t3 = i32x4.shuffle(r1, r3, 2, 6, 3, 7);
  r0 = i32x4.shuffle(t0, t2, 0, 4, 1, 5);
  r1 = i32x4.shuffle(t0, t2, 2, 6, 3, 7);
  r2 = i32x4.shuffle(t1, t3, 0, 4, 1, 5);
  r3 = i32x4.shuffle(t1, t3, 2, 6, 3, 7);
  v128.store(dst, r0);
  v128.store(dst + 1 * dstStride, r1);
  v128.store(dst + 2 * dstStride, r2);
  v128.store(dst + 3 * dstStride, r3);
}

/** Transposes a 2x2 block of 8-byte items in registers: row r of src (rows `srcStride` bytes apart) becomes column r of dst. */
// @ts-ignore: decorator
@inline export function transpose2x2(dst: usize, dstStride: usize, src: usize, srcStride: usize): void {
  let r0 = v128.load(src);
  let r1 = v128.load(src + 1 * srcStride);
  let t0 = i64x2.shuffle(r0, r1, 0, 2);
  let t1 = i64x2.shuffle(r0, r1, 1, 3);
  v128.store(dst, t0);
  v128.store(dst + 1 * dstStride, t1);
}

