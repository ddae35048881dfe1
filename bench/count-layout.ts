// Runs one scenario's planned copy (the first whose name contains FILTER) REPS times after one
// warm-up, for instruction counts under valgrind, which do not depend on the machine's load:
//   node bench/run.mjs count-layout FILTER 0      (bundles it into bench/results/.build/)
//   valgrind --tool=cachegrind --cache-sim=no node --no-liftoff --single-threaded --no-opt \
//     bench/results/.build/count-layout.mjs FILTER REPS
// The difference between two REPS counts (say 2 and 6) divided by 4 is one copy's instructions
// (Wasm compiled by TurboFan up front, no background compilation to blur the count).
import { init } from '../src/index.js';
import { copyStrided } from '../src/copy/dispatch.js';
import { free, heapU8, malloc } from '../src/wasm/heap.js';
import { DTYPES, count, scenarios } from './scenarios.js';

await init();
const [filter, repsText] = process.argv.slice(2);
const s = scenarios().find((x) => x.name.includes(filter));
if (s === undefined) throw new Error(`no layout matches ${filter}`);
const itemsize = DTYPES[s.dtype].itemsize;
const bytes = count(s.view.shape) * itemsize;
const base = malloc(count(s.baseShape) * itemsize);
const out = malloc(bytes);
heapU8().fill(7, base, base + count(s.baseShape) * itemsize);
const dstStrides: number[] = [];
let sd = itemsize;
for (let i = s.view.shape.length - 1; i >= 0; i--) {
  dstStrides[i] = sd;
  sd *= s.view.shape[i];
}
const run = (): void =>
  copyStrided(
    s.view.shape.length,
    itemsize,
    s.view.shape,
    { buf: out, strides: dstStrides, suboffsets: null },
    { buf: base + s.view.offset * itemsize, strides: s.view.strides.map((x) => x * itemsize), suboffsets: null },
    true,
  );
run();
for (let i = 0; i < Number(repsText ?? 1); i++) run();
free(base);
free(out);
