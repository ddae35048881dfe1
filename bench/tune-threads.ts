// Where splitting a copy across threads starts to pay: interleaved A/B of the same copy on one
// thread and split across THREADS (default 2) threads, for sizes from 64 KiB to 16 MiB and the
// harness's kinds of copy (one memory.copy, a float32 transpose, contiguous rows of a crop, a
// step-2 gather). How PARALLEL_MIN_BYTES in src/wasm/thread-jobs.ts was chosen:
//   node bench/run.mjs tune-threads            ROUNDS (default 9) rounds, best of each kept
//   SIZES=256,1024 node bench/run.mjs tune-threads   sizes in KiB
//   CHUNKS=4,8 MIN_CHUNK=256 node bench/run.mjs tune-threads   chunks per thread to compare (each
//   against one thread, in the same rounds), and their least size in KiB
import { copyStrided } from '../src/copy/dispatch.js';
import { type StridedOperand } from '../src/copy/plan.js';
import { init, runtimeInfo } from '../src/index.js';
import { setChunkingForTuning, setParallelMinBytesForTuning } from '../src/wasm/threads.js';
import { free, heapU8, malloc } from '../src/wasm/heap.js';

const threads = Number(process.env.THREADS ?? 2);
const rounds = Number(process.env.ROUNDS ?? 9);
const chunkings = (process.env.CHUNKS ?? '4').split(',').map(Number);
const minChunk = process.env.MIN_CHUNK === undefined ? null : Number(process.env.MIN_CHUNK) * 1024;
const sizes = (process.env.SIZES ?? '64,128,256,512,1024,2048,4096,16384').split(',').map((k) => Number(k) * 1024);
await init({ threads });
if (runtimeInfo().threads !== threads) throw new Error(`no ${threads} threads: ${runtimeInfo().threadsReason}`);

interface Copy {
  ndim: number;
  itemsize: number;
  shape: number[];
  dst: number[];
  src: number[];
  srcBytes: number;
}

/** The layouts, scaled to `bytes` of output. */
function layouts(bytes: number): Record<string, Copy> {
  const n = Math.round(Math.sqrt(bytes / 4));
  const rows = Math.max(1, Math.round(bytes / 6400));
  const items = bytes / 4;
  return {
    contiguous: { ndim: 1, itemsize: 1, shape: [bytes], dst: [1], src: [1], srcBytes: bytes },
    transpose: { ndim: 2, itemsize: 4, shape: [n, n], dst: [4 * n, 4], src: [4, 4 * n], srcBytes: 4 * n * n },
    crop: { ndim: 2, itemsize: 1, shape: [rows, 6400], dst: [6400, 1], src: [7680, 1], srcBytes: rows * 7680 },
    step2: { ndim: 1, itemsize: 4, shape: [items], dst: [4], src: [8], srcBytes: 8 * items },
  };
}

const results: string[] = [];
for (const bytes of sizes) {
  const row: string[] = [];
  for (const [name, c] of Object.entries(layouts(bytes))) {
    const outBytes = c.shape.reduce((a, b) => a * b, c.itemsize);
    const srcBlock = malloc(c.srcBytes + 64);
    const dstBlock = malloc(outBytes + 64);
    // fill both: untouched pages all map to one shared zero page, which flatters every read
    heapU8().fill(7, srcBlock, srcBlock + c.srcBytes + 64);
    heapU8().fill(1, dstBlock, dstBlock + outBytes + 64);
    const src: StridedOperand = { buf: (srcBlock + 63) & ~63, strides: c.src, suboffsets: null };
    const dst: StridedOperand = { buf: (dstBlock + 63) & ~63, strides: c.dst, suboffsets: null };
    const once = (): void => copyStrided(c.ndim, c.itemsize, c.shape, dst, src, true);
    // repetitions per sample: at least 2 ms on one thread
    setParallelMinBytesForTuning(Number.MAX_SAFE_INTEGER);
    let t = performance.now();
    once();
    const reps = Math.max(1, Math.ceil(2 / Math.max(performance.now() - t, 1e-3)));
    // modes: 0 one thread, i + 1 split in chunkings[i] chunks per thread; the order turns each round
    const modes = [0, ...chunkings.map((_, i) => i + 1)];
    const best = modes.map(() => Infinity);
    for (let r = 0; r < rounds; r++) {
      for (const mode of r % 2 === 0 ? modes : [...modes].reverse()) {
        setParallelMinBytesForTuning(mode === 0 ? Number.MAX_SAFE_INTEGER : 0);
        if (mode > 0) setChunkingForTuning(chunkings[mode - 1], minChunk);
        t = performance.now();
        for (let k = 0; k < reps; k++) once();
        const ms = (performance.now() - t) / reps;
        if (r > 0) best[mode] = Math.min(best[mode], ms);
      }
    }
    setParallelMinBytesForTuning(null);
    setChunkingForTuning(null, null);
    row.push(
      `${name} ${(best[0] * 1e3).toFixed(0)}/` +
        chunkings
          .map((c, i) => `${(best[i + 1] * 1e3).toFixed(0)}` + `${chunkings.length > 1 ? `(${c})` : ''}`)
          .join('/') +
        ' µs ' +
        chunkings.map((_, i) => `x${(best[0] / best[i + 1]).toFixed(2)}`).join(' '),
    );
    free(srcBlock);
    free(dstBlock);
  }
  results.push(`${String(bytes / 1024).padStart(6)} KiB  ${row.join('   ')}`);
  console.log(results[results.length - 1]);
}
console.log(
  `one thread / ${threads} threads in ${chunkings.join(', ')} chunks per thread (best of ${rounds - 1} ` +
    'rounds, interleaved); speed-up of the split copy',
);
