#!/usr/bin/env node
// Compiles the AssemblyScript probes below and times, for arrays of the given sizes (MiB, default
// 4 12 16 24 48), a copy as one stream (memory.copy and a vector loop) and as 4, 16 and 64
// interleaved streams of 64-byte chunks (16 streams of 256 bytes too): best of 8 rounds, GB/s
// counting bytes read plus bytes written. A tiled transpose reads (or writes) 16 rows at a time,
// so its rate is bounded by the 16-stream copy's, not by memcpy's.
//   node bench/streams.mjs [MiB...]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The probes (AssemblyScript): the same bytes copied as one stream and as k interleaved streams,
// with no transposition, to measure what a tiled transpose's memory pattern alone costs.
const SOURCE = `/** One stream, four vectors a step. */
export function oneStream(dst: usize, src: usize, n: usize): void {
  for (let i: usize = 0; i < n; i += 64) {
    const a = v128.load(src + i);
    const b = v128.load(src + i, 16);
    const c = v128.load(src + i, 32);
    const d = v128.load(src + i, 48);
    v128.store(dst + i, a);
    v128.store(dst + i, b, 16);
    v128.store(dst + i, c, 32);
    v128.store(dst + i, d, 48);
  }
}

/** memory.copy of n bytes (the harness's memcpy bound). */
export function memcpy(dst: usize, src: usize, n: usize): void {
  memory.copy(dst, src, n);
}

/**
 * \`k\` streams: both buffers cut into k equal parts, \`chunk\` bytes of each part in turn, as a
 * line-block sweep visits 16 source rows (and writes 16 destination rows).
 */
export function kStreams(dst: usize, src: usize, n: usize, k: i32, chunk: usize): void {
  const part = n / <usize>k;
  for (let off: usize = 0; off + chunk <= part; off += chunk) {
    for (let j = 0; j < k; j++) {
      const s = src + <usize>j * part + off;
      const d = dst + <usize>j * part + off;
      for (let i: usize = 0; i < chunk; i += 64) {
        const a = v128.load(s + i);
        const b = v128.load(s + i, 16);
        const c = v128.load(s + i, 32);
        const e = v128.load(s + i, 48);
        v128.store(d + i, a);
        v128.store(d + i, b, 16);
        v128.store(d + i, c, 32);
        v128.store(d + i, e, 48);
      }
    }
  }
}
`;

const here = dirname(fileURLToPath(import.meta.url));
const build = join(here, 'results', '.build');
const out = join(build, 'streams.wasm');
mkdirSync(build, { recursive: true });
writeFileSync(join(build, 'streams.ts'), SOURCE);
execFileSync(
  process.execPath,
  [
    join(here, '..', 'node_modules', 'assemblyscript', 'bin', 'asc.js'),
    join(build, 'streams.ts'),
    '-O3',
    '--enable',
    'simd',
    '--runtime',
    'stub',
    '-o',
    out,
  ],
  { stdio: 'inherit' },
);
const { exports: k } = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(out)), { env: { abort() {} } });
const sizes = process.argv.slice(2).map(Number);
for (const mib of sizes.length > 0 ? sizes : [4, 12, 16, 24, 48]) {
  const n = mib * 1048576;
  const have = k.memory.buffer.byteLength;
  const need = 2 * n + 4 * 65536;
  if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
  const src = 65536;
  const dst = src + n + 65536 + 512; // not a multiple of 4096 apart
  new Uint8Array(k.memory.buffer).fill(7, src, src + n);
  new Uint8Array(k.memory.buffer).fill(1, dst, dst + n);
  const variants = {
    'memory.copy': () => k.memcpy(dst, src, n),
    'one stream': () => k.oneStream(dst, src, n),
    '4 x 64 B': () => k.kStreams(dst, src, n, 4, 64),
    '16 x 64 B': () => k.kStreams(dst, src, n, 16, 64),
    '16 x 256 B': () => k.kStreams(dst, src, n, 16, 256),
    '64 x 64 B': () => k.kStreams(dst, src, n, 64, 64),
  };
  const best = {};
  for (let r = 0; r < 8; r++) {
    const names = Object.keys(variants);
    for (let j = 0; j < names.length; j++) {
      const name = names[(j + r) % names.length];
      const t = performance.now();
      variants[name]();
      const ms = performance.now() - t;
      if (r > 0) best[name] = Math.min(best[name] ?? Infinity, ms);
    }
  }
  console.log(
    `${String(mib).padStart(3)} MiB: ` +
      Object.keys(variants)
        .map((name) => `${name} ${((2 * n) / best[name] / 1e6).toFixed(1)}`)
        .join(', ') +
      ' GB/s',
  );
}
