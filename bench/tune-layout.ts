// Interleaved timings of layouts-suite scenarios against the same-size memcpy, in one process:
//   node bench/run.mjs tune-layout [FILTER...]       (default: every layout of the suite; a
//   filter also matches the harness's other strided scenarios: transpose:, flip:, step:, ...)
// Each round times every matching layout's planned copy (copyStrided, as PyBuffer_ToContiguous
// runs it) and a memory.copy of as many bytes, one after the other; the best and the median of
// the rounds after the first are printed, with the share of memcpy of each. ROUNDS (default 7)
// sets the rounds, SEED the random layouts' seed. BLOCKS="64 256" and OPTS="- rg cn" (as for
// tune-one) also interleave forced tile edges and tile options. Quicker and steadier than a full
// harness run when comparing kernel variants: rebuild (npm run asbuild) and rerun. SIMD=0 times
// the scalar build.
import { init } from '../src/index.js';
import { copyStrided } from '../src/copy/dispatch.js';
import type { CopyTuning } from '../src/copy/tiling.js';
import { free, heapU8, malloc } from '../src/wasm/heap.js';
import { wasm } from '../src/wasm/instance.js';
import { DTYPES, count, scenarios } from './scenarios.js';

await init(process.env.SIMD === '0' ? { simd: false } : {});
const filters = process.argv.slice(2);
const rounds = Number(process.env.ROUNDS ?? 7);
const seed = process.env.SEED === undefined ? undefined : Number(process.env.SEED);
// the layouts suite, and with a filter the classic scenarios that are strided copies too
const layouts = scenarios(seed).filter((s) =>
  filters.length === 0
    ? s.group === 'layout'
    : ['layout', 'transpose', 'image', 'permute', 'step'].includes(s.group) && filters.some((f) => s.name.includes(f)),
);

interface Case {
  name: string;
  bytes: number;
  run(tuning: CopyTuning): void;
  memcpy(): void;
  dispose(): void;
}

const blocks = (process.env.BLOCKS ?? '0').split(' ').map(Number);
const opts = (process.env.OPTS ?? '-').split(' ');
const flag = (o: string, on: string, off: string): boolean | null =>
  o.includes(on) ? true : o.includes(off) ? false : null;
const variants = blocks.flatMap((block) =>
  opts.map((o) => ({
    key: `${blocks.length > 1 ? ` block ${block}` : ''}${opts.length > 1 ? ` opts ${o}` : ''}`,
    tuning: {
      block,
      rowsFirst: flag(o, 'r', 'c'),
      grouped: flag(o, 'g', 'n'),
      staged: flag(o, 's', 'u'),
    } as CopyTuning,
  })),
);

// one pair of blocks for every memcpy bound; each layout's base and output allocated one after
// the other, as the harness (and most users) place them
const most = Math.max(...layouts.map((s) => count(s.view.shape) * DTYPES[s.dtype].itemsize));
const a = malloc(most);
const b = malloc(most);
heapU8().fill(2, a, a + most);
heapU8().fill(3, b, b + most);

const cases: Case[] = layouts.map((s) => {
  const itemsize = DTYPES[s.dtype].itemsize;
  const bytes = count(s.view.shape) * itemsize;
  const baseBytes = count(s.baseShape) * itemsize;
  const base = malloc(baseBytes);
  const out = malloc(bytes);
  // fill everything: untouched pages all map to one shared zero page, which flatters every read
  const heap = heapU8();
  for (let i = 0; i < baseBytes; i++) heap[base + i] = (i * 7) & 255;
  heap.fill(1, out, out + bytes);
  const dstStrides: number[] = [];
  let sd = itemsize;
  for (let i = s.view.shape.length - 1; i >= 0; i--) {
    dstStrides[i] = sd;
    sd *= s.view.shape[i];
  }
  const src = {
    buf: base + s.view.offset * itemsize,
    strides: s.view.strides.map((x) => x * itemsize),
    suboffsets: null,
  };
  const dst = { buf: out, strides: dstStrides, suboffsets: null };
  return {
    name: s.name.replace(/^layout:/, ''),
    bytes,
    run: (tuning) => copyStrided(s.view.shape.length, itemsize, s.view.shape, dst, src, true, tuning),
    memcpy: () => wasm().copyBytes(b, a, bytes),
    dispose: () => {
      free(base);
      free(out);
    },
  };
});

function time(fn: () => void): number {
  // enough calls for about 20 ms, at least one
  const t0 = performance.now();
  fn();
  const once = performance.now() - t0;
  const k = Math.max(1, Math.min(50, Math.round(20 / Math.max(once, 0.01)) || 1));
  const t = performance.now();
  for (let i = 0; i < k; i++) fn();
  return (performance.now() - t) / k;
}

const ours = new Map<string, number[]>();
const bound = new Map<string, number[]>();
const push = (m: Map<string, number[]>, k: string, x: number): void => {
  (m.get(k) ?? (m.set(k, []).get(k) as number[])).push(x);
};
for (let r = 0; r < rounds; r++) {
  for (const c of cases) {
    const tm = time(c.memcpy);
    // each round starts at the next variant: the first after the memcpy runs on colder caches
    for (let j = 0; j < variants.length; j++) {
      const v = variants[(j + r) % variants.length];
      const to = time(() => c.run(v.tuning));
      if (r > 0) push(ours, c.name + v.key, to);
    }
    if (r > 0) push(bound, c.name, tm);
  }
}

const med = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  return s[s.length >> 1];
};
const width = Math.max(...cases.map((c) => c.name.length)) + Math.max(...variants.map((v) => v.key.length));
for (const c of cases) {
  for (const v of variants) {
    const o = ours.get(c.name + v.key) as number[];
    const m = bound.get(c.name) as number[];
    const gbs = (ms: number): string => ((2 * c.bytes) / (ms * 1e6)).toFixed(1).padStart(6);
    console.log(
      `${(c.name + v.key).padEnd(width)}  best ${Math.min(...o)
        .toFixed(3)
        .padStart(7)} ms ${gbs(Math.min(...o))} GB/s ` +
        `${((100 * Math.min(...m)) / Math.min(...o)).toFixed(0).padStart(3)}%  median ${med(o).toFixed(3).padStart(7)} ms ` +
        `${((100 * med(m)) / med(o)).toFixed(0).padStart(3)}%  (memcpy ${gbs(Math.min(...m))} GB/s)`,
    );
  }
  c.dispose();
}
free(a);
free(b);
