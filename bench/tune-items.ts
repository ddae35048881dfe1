// Interleaved timings of permutations whose innermost run stays contiguous on both sides (row
// permutations, and 3-D/4-D permutations that keep the last axis): the planner tiles them as
// items of the whole run. Each case is a source (A, B, BYTES) C-contiguous copied into its (1, 0, 2)
// transpose, timed with the planner's choices and with each sweep order forced, against a
// memory.copy of as many bytes; best of ROUNDS (default 12), interleaved.
//   node bench/run.mjs tune-items [A B BYTES ...]        (SIMD=0: the scalar build)
import { init } from '../src/index.js';
import { copyStrided } from '../src/copy/dispatch.js';
import { DEFAULT_COPY_TUNING, type CopyTuning } from '../src/copy/tiling.js';
import { free, heapU8, malloc } from '../src/wasm/heap.js';
import { wasm } from '../src/wasm/instance.js';

await init(process.env.SIMD === '0' ? { simd: false } : {});
const rounds = Number(process.env.ROUNDS ?? 12);
const args = process.argv.slice(2).map(Number);
const cfgs: [number, number, number][] = [];
for (let i = 0; i + 2 < args.length; i += 3) cfgs.push([args[i], args[i + 1], args[i + 2]]);
if (cfgs.length === 0)
  cfgs.push(
    [101, 81, 1400],
    [120, 160, 800],
    [325, 443, 171],
    [443, 325, 171],
    [1000, 300, 64],
    [700, 600, 32],
    [2000, 400, 16],
    [300, 200, 256],
    [100, 50, 3000],
    [40, 60, 6000],
    [200, 2000, 48],
    [600, 700, 24],
    [64, 12544, 16],
    [1500, 900, 12],
    [1080, 1920, 3],
    [1920, 1080, 6],
    [999, 1201, 5],
    [3000, 700, 8],
  );
// BLOCKS="64 256" also forces tile edges (0: the planner's), each with both sweeps
const blocks = (process.env.BLOCKS ?? '0').split(' ').map(Number);
const variants: [string, CopyTuning][] = blocks.flatMap((block): [string, CopyTuning][] => {
  const b = block === 0 ? '' : ` ${block}`;
  return [
    ...(block === 0 ? [['planner', DEFAULT_COPY_TUNING] as [string, CopyTuning]] : []),
    [`along rows${b}`, { ...DEFAULT_COPY_TUNING, block, rowsFirst: true }],
    [`down columns${b}`, { ...DEFAULT_COPY_TUNING, block, rowsFirst: false }],
  ];
});
for (const [A, B, n] of cfgs) {
  const N = A * B * n;
  const src = malloc(N);
  const dst = malloc(N);
  const m = malloc(N);
  const heap = heapU8();
  for (let i = 0; i < N; i++) heap[src + i] = (i * 7) & 255;
  heap.fill(1, m, m + N);
  const run = (tuning: CopyTuning): void =>
    copyStrided(
      3,
      1,
      [B, A, n],
      { buf: dst, strides: [A * n, n, 1], suboffsets: null },
      { buf: src, strides: [n, B * n, 1], suboffsets: null },
      true,
      tuning,
    );
  for (const [name, tuning] of variants) {
    heapU8().fill(1, dst, dst + N);
    run(tuning);
    const h = heapU8();
    for (let t = 0; t < 4000; t++) {
      const i = Math.floor(Math.random() * A);
      const j = Math.floor(Math.random() * B);
      const b = Math.floor(Math.random() * n);
      if (h[dst + (j * A + i) * n + b] !== h[src + (i * B + j) * n + b])
        throw new Error(`wrong copy ${A}x${B}x${n} ${name}`);
    }
  }
  const best = variants.map(() => Infinity);
  let bestM = Infinity;
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    wasm().copyBytes(m, src, N);
    bestM = Math.min(bestM, performance.now() - t);
    for (let j = 0; j < variants.length; j++) {
      const v = (j + r) % variants.length;
      t = performance.now();
      run(variants[v][1]);
      best[v] = Math.min(best[v], performance.now() - t);
    }
  }
  console.log(
    `${A}x${B}x${n}B`.padEnd(16) +
      `${(N / 1048576).toFixed(1)} MiB`.padStart(9) +
      variants
        .map(([name], j) => `  ${name} ${best[j].toFixed(3)} ms ${((100 * bestM) / best[j]).toFixed(0)}%`)
        .join(''),
  );
  free(src);
  free(dst);
  free(m);
}
