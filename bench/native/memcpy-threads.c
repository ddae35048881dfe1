// A native reference for the threads' contiguous copies: one memcpy of MiB mebibytes in pieces of
// 256 KiB (the harness's bound) on one thread, against the same bytes split in equal parts across
// THREADS pthreads (the calling thread takes the first), timed in alternation, best of REPS each.
// Built by bench/native.ts.
//   memcpy-threads MIB THREADS REPS -> prints "one_ms split_ms"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static char *src, *dst;
struct part {
  size_t from, to;
};

static void *copy_part(void *arg) {
  const struct part *p = arg;
  for (size_t o = p->from; o < p->to; o += 262144) memcpy(dst + o, src + o, p->to - o < 262144 ? p->to - o : 262144);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: memcpy-threads MIB THREADS REPS\n");
    return 2;
  }
  size_t bytes = (size_t)atol(argv[1]) << 20;
  int threads = atoi(argv[2]), reps = atoi(argv[3]);
  if (threads < 1 || threads > 64) return 2;
  src = aligned_alloc(4096, bytes);
  dst = aligned_alloc(4096, bytes);
  memset(src, 1, bytes);
  memset(dst, 2, bytes);
  struct part parts[64];
  pthread_t ids[64];
  for (int i = 0; i < threads; i++) {
    // parts on 64-byte boundaries, so that no two threads write one cache line
    parts[i].from = bytes / threads * i / 64 * 64;
    parts[i].to = i == threads - 1 ? bytes : bytes / threads * (i + 1) / 64 * 64;
  }
  double one = 1e30, split = 1e30;
  for (int rep = 0; rep < reps; rep++) {
    struct part all = {0, bytes};
    double t = now_ms();
    copy_part(&all);
    double x = now_ms() - t;
    if (x < one) one = x;
    t = now_ms();
    for (int i = 1; i < threads; i++) pthread_create(&ids[i], NULL, copy_part, &parts[i]);
    copy_part(&parts[0]);
    for (int i = 1; i < threads; i++) pthread_join(ids[i], NULL);
    x = now_ms() - t;
    if (x < split) split = x;
  }
  printf("%.4f %.4f\n", one, split);
  return 0;
}
