// What this machine allows, measured natively: the harness's 2-D transposes of 4- and 8-byte items
// by wasm-memoryview and by a cache-blocked C transpose (bench/native/transpose.c) with 16-byte
// vectors (SSE, the width of Wasm SIMD) and 32-byte ones (AVX2, which Wasm does not have), each as
// a share of a memcpy of as many bytes timed in the same process; and a contiguous copy on one
// thread against the same copy split across two (bench/native/memcpy-threads.c).
//   node bench/run.mjs native          (needs gcc; under a minute)
// The issue targets that these bound (issue 13: 40% of memcpy at least and 55% on the median;
// issue 17: a 64 MiB copy 1.3x faster on two threads) are given next to the figures.
// ROUNDS (default 15) sets wasm-memoryview's rounds and the C programs' repetitions (twice as many).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { init } from '../src/index.js';
import { copyStrided } from '../src/copy/dispatch.js';
import { free, heapU8, malloc } from '../src/wasm/heap.js';
import { wasm } from '../src/wasm/instance.js';
import { DTYPES, count, scenarios, type Scenario } from './scenarios.js';

const here = dirname(fileURLToPath(import.meta.url));
// bench/run.mjs runs this from bench/results/.build/; the C sources are in bench/native/
const sources = join(here, '..', '..', 'native');
const out = join(here, 'native');
mkdirSync(out, { recursive: true });
const rounds = Number(process.env.ROUNDS ?? 15);

function compile(source: string, name: string, flags: string[]): string {
  const exe = join(out, name);
  execFileSync('gcc', ['-O3', ...flags, '-o', exe, join(sources, source)], { stdio: 'inherit' });
  return exe;
}

/** The two numbers a C program prints. */
function runNative(exe: string, args: number[]): [number, number] {
  const [a, b] = execFileSync(exe, args.map(String), { encoding: 'utf8' }).trim().split(' ').map(Number);
  return [a, b];
}

if (process.arch !== 'x64') {
  console.error(`native: the C references use x86-64 vector intrinsics (SSE, AVX2); this machine is ${process.arch}`);
  process.exit(2);
}
try {
  execFileSync('gcc', ['--version'], { stdio: 'ignore' });
} catch {
  console.error('native: needs gcc (apt-get install -y gcc)');
  process.exit(2);
}
const sse = compile('transpose.c', 'transpose-sse', ['-msse4.2']);
const avx2 = compile('transpose.c', 'transpose-avx2', ['-mavx2']);
const threads = compile('memcpy-threads.c', 'memcpy-threads', ['-pthread']);

/** wasm-memoryview's best time for the scenario's copy and for a memory.copy of as many bytes, interleaved. */
function ours(s: Scenario): [number, number] {
  const itemsize = DTYPES[s.dtype].itemsize;
  const bytes = count(s.view.shape) * itemsize;
  const baseBytes = count(s.baseShape) * itemsize;
  const base = malloc(baseBytes);
  const dst = malloc(bytes);
  const heap = heapU8();
  for (let i = 0; i < baseBytes; i++) heap[base + i] = (i * 7) & 255;
  heap.fill(1, dst, dst + bytes);
  const [rows, cols] = s.view.shape;
  const from = { buf: base, strides: s.view.strides.map((x) => x * itemsize), suboffsets: null };
  const to = { buf: dst, strides: [cols * itemsize, itemsize], suboffsets: null };
  let copy = Infinity;
  let transpose = Infinity;
  for (let r = 0; r < rounds; r++) {
    let t = performance.now();
    wasm().copyBytes(b, a, bytes);
    copy = Math.min(copy, performance.now() - t);
    t = performance.now();
    copyStrided(2, itemsize, [rows, cols], to, from, true);
    transpose = Math.min(transpose, performance.now() - t);
  }
  free(base);
  free(dst);
  return [copy, transpose];
}

/** The C transpose's best share of its memcpy over three block edges; NaN where it cannot run (no AVX2). */
function native(exe: string, s: Scenario): number {
  const itemsize = DTYPES[s.dtype].itemsize;
  // the source is the base array: rows x cols, transposed into cols x rows
  const [rows, cols] = s.baseShape;
  let best = 0;
  for (const block of [64, 256, 1024]) {
    try {
      const [copy, transpose] = runNative(exe, [itemsize, rows, cols, block, 2 * rounds]);
      best = Math.max(best, copy / transpose);
    } catch {
      return NaN;
    }
  }
  return best;
}

const pct = (x: number): string => (Number.isNaN(x) ? '—' : `${(100 * x).toFixed(0)}%`).padStart(6);
const transposes = scenarios().filter(
  (s) =>
    s.default &&
    s.baseShape.length === 2 &&
    s.view.offset === 0 &&
    s.view.strides.join() === `1,${s.baseShape[1]}` &&
    DTYPES[s.dtype].itemsize >= 4 &&
    count(s.baseShape) * DTYPES[s.dtype].itemsize >= 8 << 20,
);
await init();
// one pair of blocks for every memcpy bound, as bench/tune-layout.ts
const most = Math.max(...transposes.map((s) => count(s.baseShape) * DTYPES[s.dtype].itemsize));
const a = malloc(most);
const b = malloc(most);
heapU8().fill(2, a, a + most);
heapU8().fill(3, b, b + most);
console.log('2-D transposes of 8 MiB and more, as shares of a same-size memcpy in the same process (best of each):');
console.log(`${'scenario'.padEnd(52)} ${'ours'.padStart(6)} ${'C SSE'.padStart(6)} ${'C AVX2'.padStart(6)}`);
const shares: number[][] = [[], [], []];
for (const s of transposes) {
  const [copy, transpose] = ours(s);
  const row = [copy / transpose, native(sse, s), native(avx2, s)];
  row.forEach((x, i) => shares[i].push(x));
  console.log(`${s.name.padEnd(52)} ${row.map(pct).join(' ')}`);
}
const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1];
console.log(
  `${'median'.padEnd(52)} ${shares.map((xs) => pct(median(xs))).join(' ')}   (issue 13: median >= 55%, min >= 40%)`,
);
free(a);
free(b);

const [one, split] = runNative(threads, [64, 2, 2 * rounds]);
console.log(
  `64 MiB contiguous, C memcpy in 256 KiB pieces: one thread ${one.toFixed(2)} ms, two ${split.toFixed(2)} ms, ` +
    `speed-up ${(one / split).toFixed(2)}x   (issue 17: >= 1.3x)`,
);
