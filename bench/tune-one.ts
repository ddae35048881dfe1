// Interleaved A/B of tile edges for one transpose (noise-robust):
//   node bench/run.mjs tune-one ITEMSIZE N BLOCK...
// OFFSETS="0,0 16,32" also interleaves source,destination bases that many bytes past a 64-byte
// boundary (alignment sensitivity); OPTS="- rg cn" interleaves tile options forced on (r: along
// the rows, g: grouped, s: staged) or off (c: down the columns, n: not grouped, u: unstaged), '-'
// for the planner's choice; ROUNDS (default 7) sets the rounds, the best of which is kept.
import { init } from '../src/index.js';
import { copyStrided } from '../src/copy/dispatch.js';
import { free, heapU8, malloc } from '../src/wasm/heap.js';

await init();
const [itemsize, n, ...blocks] = process.argv.slice(2).map(Number);
const offsets = (process.env.OFFSETS ?? '0,0').split(' ').map((p) => p.split(',').map(Number));
const opts = (process.env.OPTS ?? '-').split(' ');
const flag = (o: string, on: string, off: string): boolean | null =>
  o.includes(on) ? true : o.includes(off) ? false : null;
const bytes = n * n * itemsize;
const srcBlock = malloc(bytes + 128);
const dstBlock = malloc(bytes + 128);
// fill both: untouched pages all map to one shared zero page, which flatters every read
heapU8().fill(7, srcBlock, srcBlock + bytes + 128);
heapU8().fill(1, dstBlock, dstBlock + bytes + 128);
const best = new Map<string, number>();
for (let round = 0; round < Number(process.env.ROUNDS ?? 7); round++) {
  for (const [srcOff, dstOff] of offsets) {
    const src = ((srcBlock + 63) & ~63) + srcOff;
    const dst = ((dstBlock + 63) & ~63) + dstOff;
    for (const b of blocks)
      for (const o of opts) {
        const tuning = {
          block: b,
          rowsFirst: flag(o, 'r', 'c'),
          grouped: flag(o, 'g', 'n'),
          staged: flag(o, 's', 'u'),
        };
        const t = performance.now();
        copyStrided(
          2,
          itemsize,
          [n, n],
          { buf: dst, strides: [n * itemsize, itemsize], suboffsets: null },
          { buf: src, strides: [itemsize, n * itemsize], suboffsets: null },
          true,
          tuning,
        );
        const ms = performance.now() - t;
        const key = `${b}${opts.length > 1 ? `/${o}` : ''}${offsets.length > 1 ? `@${srcOff},${dstOff}` : ''}`;
        if (round > 0) best.set(key, Math.min(best.get(key) ?? Infinity, ms));
      }
  }
}

console.log(
  `itemsize=${itemsize} n=${n} ` +
    [...best].map(([k, ms]) => `${k}: ${((2 * bytes) / (ms * 1e6)).toFixed(2)}`).join('  ') +
    ' GB/s',
);
free(srcBlock);
free(dstBlock);
