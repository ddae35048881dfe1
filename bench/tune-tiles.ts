// Picks the tile edge of src/copy/tiling.ts by measurement: transposes of each item size at sizes in
// cache, power-of-two and odd widths, for a range of block edges; prints GB/s (read + write).
import { init } from '../src/index.js';
import { copyStrided } from '../src/copy/dispatch.js';
import { DEFAULT_COPY_TUNING } from '../src/copy/tiling.js';
import { free, heapU8, malloc } from '../src/wasm/heap.js';
import { wasm } from '../src/wasm/instance.js';

await init();
const cases: Array<[number, number]> = [
  [4, 512],
  [4, 4096],
  [4, 4097],
  [8, 2048],
  [8, 2049],
  [1, 4096],
  [1, 4097],
  [2, 4096],
];
const blocks = [16, 32, 64, 128, 256];
for (const [itemsize, n] of cases) {
  const bytes = n * n * itemsize;
  const src = malloc(bytes);
  const dst = malloc(bytes);
  // fill both: untouched pages all map to one shared zero page, which flatters every read
  heapU8().fill(7, src, src + bytes);
  heapU8().fill(1, dst, dst + bytes);
  const row: string[] = [];
  const reps = Math.max(3, Math.round(2e8 / bytes));
  const time = (fn: () => void): number => {
    fn();
    let best = Infinity;
    for (let r = 0; r < reps; r++) {
      const t = performance.now();
      fn();
      best = Math.min(best, performance.now() - t);
    }
    return (2 * bytes) / (best * 1e6);
  };
  row.push(`memcpy ${time(() => wasm().copyBytes(dst, src, bytes)).toFixed(1)}`);
  for (const b of blocks) {
    const tuning = { ...DEFAULT_COPY_TUNING, block: b };
    const gbs = time(() =>
      copyStrided(
        2,
        itemsize,
        [n, n],
        { buf: dst, strides: [n * itemsize, itemsize], suboffsets: null },
        { buf: src, strides: [itemsize, n * itemsize], suboffsets: null },
        true,
        tuning,
      ),
    );
    row.push(`${b}: ${gbs.toFixed(2)}`);
  }
  console.log(`itemsize=${itemsize} n=${n}  ${row.join('  ')}  GB/s`);
  free(src);
  free(dst);
}
for (const [itemsize, n] of cases) {
  const bytes = n * n * itemsize;
  const src = malloc(bytes);
  const dst = malloc(bytes);
  // fill both: untouched pages all map to one shared zero page, which flatters every read
  heapU8().fill(7, src, src + bytes);
  heapU8().fill(1, dst, dst + bytes);
  const fn = () =>
    copyStrided(
      2,
      itemsize,
      [n, n],
      { buf: dst, strides: [n * itemsize, itemsize], suboffsets: null },
      { buf: src, strides: [itemsize, n * itemsize], suboffsets: null },
      true,
    );
  fn();
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  console.log(`defaults: itemsize=${itemsize} n=${n} ${((2 * bytes) / (best * 1e6)).toFixed(2)} GB/s`);
  free(src);
  free(dst);
}
