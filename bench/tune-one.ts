// Interleaved A/B of tile edges for one transpose (noise-robust): node bench/run.mjs tune-one itemsize n blocks...
import { init } from '../src/index.js';
import { copyStrided, setTileBlockForTuning } from '../src/copy.js';
import { free, heapU8, malloc } from '../src/wasm/runtime.js';

await init();
const [itemsize, n, ...blocks] = process.argv.slice(2).map(Number);
const bytes = n * n * itemsize;
const src = malloc(bytes);
const dst = malloc(bytes);
// fill both: untouched pages all map to one shared zero page, which flatters every read
heapU8().fill(7, src, src + bytes);
heapU8().fill(1, dst, dst + bytes);
const best = new Map<number, number>();
for (let round = 0; round < Number(process.env.ROUNDS ?? 7); round++) {
  for (const b of blocks) {
    setTileBlockForTuning(b);
    const t = performance.now();
    copyStrided(2, itemsize, [n, n], { buf: dst, strides: [n * itemsize, itemsize], suboffsets: null },
      { buf: src, strides: [itemsize, n * itemsize], suboffsets: null }, true);
    const ms = performance.now() - t;
    if (round > 0) best.set(b, Math.min(best.get(b) ?? Infinity, ms));
  }
}
console.log(`itemsize=${itemsize} n=${n} ` + blocks.map((b) => `${b}: ${((2 * bytes) / ((best.get(b) as number) * 1e6)).toFixed(2)}`).join('  ') + ' GB/s');
free(src);
free(dst);
