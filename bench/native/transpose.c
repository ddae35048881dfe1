// A native reference for the transpose kernels: how fast a plain C transpose of 4- or 8-byte items
// runs on this machine, against a memcpy of as many bytes in pieces of 256 KiB (the harness's
// bound), in one process. Built by bench/native.ts twice: -msse4.2 (16-byte vectors, as Wasm
// SIMD) and -mavx2 (32-byte vectors, which Wasm does not have). Cache-blocked in B x B blocks of
// micro-tiles of one vector a row (SSE: 4 x 4 float32, 2 x 2 float64; AVX2: 8 x 8, 4 x 4), the
// fringes item by item.
//   transpose ITEMSIZE ROWS COLS BLOCK REPS -> prints "memcpy_ms transpose_ms" (best of REPS each)
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

#ifdef __AVX2__
enum { V4 = 8, V8 = 4 };
// an 8 x 8 block of 4-byte items: rows of s (ss items apart) become rows of d (ds apart)
static inline void micro4(const float *s, long ss, float *d, long ds) {
  __m256 r[8], t[8], u[8];
  for (int i = 0; i < 8; i++) r[i] = _mm256_loadu_ps(s + i * ss);
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 8; i += 4) {
    u[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
    u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xee);
    u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
    u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xee);
  }
  for (int i = 0; i < 4; i++) {
    _mm256_storeu_ps(d + i * ds, _mm256_permute2f128_ps(u[i], u[i + 4], 0x20));
    _mm256_storeu_ps(d + (i + 4) * ds, _mm256_permute2f128_ps(u[i], u[i + 4], 0x31));
  }
}
// a 4 x 4 block of 8-byte items
static inline void micro8(const double *s, long ss, double *d, long ds) {
  __m256d r0 = _mm256_loadu_pd(s), r1 = _mm256_loadu_pd(s + ss);
  __m256d r2 = _mm256_loadu_pd(s + 2 * ss), r3 = _mm256_loadu_pd(s + 3 * ss);
  __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
  __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
  _mm256_storeu_pd(d, _mm256_permute2f128_pd(t0, t2, 0x20));
  _mm256_storeu_pd(d + ds, _mm256_permute2f128_pd(t1, t3, 0x20));
  _mm256_storeu_pd(d + 2 * ds, _mm256_permute2f128_pd(t0, t2, 0x31));
  _mm256_storeu_pd(d + 3 * ds, _mm256_permute2f128_pd(t1, t3, 0x31));
}
#else
enum { V4 = 4, V8 = 2 };
static inline void micro4(const float *s, long ss, float *d, long ds) {
  __m128 r0 = _mm_loadu_ps(s), r1 = _mm_loadu_ps(s + ss), r2 = _mm_loadu_ps(s + 2 * ss), r3 = _mm_loadu_ps(s + 3 * ss);
  _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
  _mm_storeu_ps(d, r0);
  _mm_storeu_ps(d + ds, r1);
  _mm_storeu_ps(d + 2 * ds, r2);
  _mm_storeu_ps(d + 3 * ds, r3);
}
static inline void micro8(const double *s, long ss, double *d, long ds) {
  __m128d r0 = _mm_loadu_pd(s), r1 = _mm_loadu_pd(s + ss);
  _mm_storeu_pd(d, _mm_unpacklo_pd(r0, r1));
  _mm_storeu_pd(d + ds, _mm_unpackhi_pd(r0, r1));
}
#endif

// dst (cols x rows) = transpose of src (rows x cols), blocks of b x b items
#define TRANSPOSE(NAME, T, V, MICRO)                                                     \
  static void NAME(const T *s, T *d, long rows, long cols, long b) {                     \
    for (long r0 = 0; r0 < rows; r0 += b)                                                \
      for (long c0 = 0; c0 < cols; c0 += b) {                                            \
        long re = r0 + b < rows ? r0 + b : rows, ce = c0 + b < cols ? c0 + b : cols, r;  \
        for (r = r0; r + V <= re; r += V) {                                              \
          long c = c0;                                                                   \
          for (; c + V <= ce; c += V) MICRO(s + r * cols + c, cols, d + c * rows + r, rows); \
          for (; c < ce; c++)                                                            \
            for (long k = r; k < r + V; k++) d[c * rows + k] = s[k * cols + c];          \
        }                                                                                \
        for (; r < re; r++)                                                              \
          for (long c = c0; c < ce; c++) d[c * rows + r] = s[r * cols + c];             \
      }                                                                                  \
  }
TRANSPOSE(transpose4, float, V4, micro4)
TRANSPOSE(transpose8, double, V8, micro8)

int main(int argc, char **argv) {
  if (argc != 6) {
    fprintf(stderr, "usage: transpose ITEMSIZE ROWS COLS BLOCK REPS\n");
    return 2;
  }
  long itemsize = atol(argv[1]), rows = atol(argv[2]), cols = atol(argv[3]), b = atol(argv[4]);
  int reps = atoi(argv[5]);
  size_t bytes = (size_t)(rows * cols * itemsize);
  char *s = aligned_alloc(4096, bytes + 4096), *d = aligned_alloc(4096, bytes + 4096);
  char *m = aligned_alloc(4096, bytes + 4096);
  // every page written, so that no read maps the shared zero page
  for (size_t i = 0; i < bytes; i++) s[i] = (char)(i * 7);
  memset(d, 1, bytes);
  memset(m, 2, bytes);
  double best_copy = 1e30, best_transpose = 1e30;
  for (int rep = 0; rep < reps; rep++) {
    double t = now_ms();
    for (size_t o = 0; o < bytes; o += 262144) memcpy(m + o, s + o, bytes - o < 262144 ? bytes - o : 262144);
    double x = now_ms() - t;
    if (x < best_copy) best_copy = x;
    t = now_ms();
    if (itemsize == 4) transpose4((const float *)s, (float *)d, rows, cols, b);
    else transpose8((const double *)s, (double *)d, rows, cols, b);
    x = now_ms() - t;
    if (x < best_transpose) best_transpose = x;
  }
  // spot checks against the definition
  for (long r = 0; r < rows; r += 7)
    for (long c = 0; c < cols; c += 5)
      if (memcmp(d + (c * rows + r) * itemsize, s + (r * cols + c) * itemsize, itemsize) != 0) {
        fprintf(stderr, "transpose: wrong item at %ld, %ld\n", r, c);
        return 1;
      }
  printf("%.4f %.4f\n", best_copy, best_transpose);
  return 0;
}
