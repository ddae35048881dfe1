// Cliff finder: random strided views copied to C order, wasm-memoryview against numpy.
//   node bench/run.mjs cliffs [COUNT] [SEED] [--only=I,J,...]   (default 100 views, seed 1; under a minute)
// Each view is a random slice of a random C-contiguous base array: 1 to 4 dims, steps of -2 to 3
// (flips included), its axes permuted or not, short innermost extents (1 to 4) one time in four,
// items of 1, 2, 4 or 8 bytes, 1 to 16 MiB of output. wasm-memoryview's copy is the in-runtime one
// (copyStrided, as PyBuffer_ToContiguous runs it) into a preallocated block; numpy's is
// np.copyto(out, view) (bench/cliffs.py, asked for each view right after wasm-memoryview's copy
// of it), with the same bases filled the same way (never the zero page). Each time is the best of
// 7 samples of at least 2 ms each. Prints one line a view, worst
// ratio first (its number #k and the plan the planner made included), then how many views numpy
// copies faster. --only times the views of those numbers alone (the same COUNT and SEED draw them).
// The layouts suite (npm run bench) measures the layouts users name; this looks for the ones
// nobody named.
import { init } from '../src/index.js';
import { copyStrided } from '../src/copy/dispatch.js';
import { copyPlan } from '../src/copy/plan.js';
import { free, heapU8, malloc } from '../src/wasm/heap.js';
import { wasm } from '../src/wasm/instance.js';
import { PythonServer } from './python-server.js';

await init(process.env.SIMD === '0' ? { simd: false } : {});
const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const count = Number(positional[0] ?? 100);
const seed = positional[1] ?? '1';
let state = Number(seed) >>> 0;
/** mulberry32, as bench/scenarios.ts */
const rnd = (): number => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const ITEMSIZE: Record<string, number> = { uint8: 1, uint16: 2, float32: 4, float64: 8 };

/** A view of a C-contiguous base: offset and strides in items. */
interface View {
  dtype: string;
  base: number[];
  offset: number;
  shape: number[];
  strides: number[];
}

function drawView(): View {
  for (;;) {
    const dtype = pick(Object.keys(ITEMSIZE));
    const itemsize = ITEMSIZE[dtype];
    const ndim = 1 + Math.floor(rnd() * 4);
    const items = ((1 + rnd() * 15) * 2 ** 20) / itemsize;
    const shape = new Array<number>(ndim).fill(0);
    let rest = items;
    if (ndim > 1 && rnd() < 0.25) {
      shape[ndim - 1] = 1 + Math.floor(rnd() * 4);
      rest /= shape[ndim - 1];
    }
    const free = shape.flatMap((n, i) => (n === 0 ? [i] : []));
    const weights = free.map(() => 0.3 + rnd());
    const total = weights.reduce((a, b) => a + b, 0);
    free.forEach((d, i) => (shape[d] = Math.max(2, Math.round(rest ** (weights[i] / total)))));
    const steps = shape.map(() => pick([1, 1, 1, 1, 2, 3, -1, -1, -2]));
    const base = shape.map((n, i) => n * Math.abs(steps[i]) + Math.floor(rnd() * 5));
    const cstrides: number[] = [];
    let acc = 1;
    for (let i = ndim - 1; i >= 0; i--) {
      cstrides[i] = acc;
      acc *= base[i];
    }
    if (acc * itemsize > 48 * 2 ** 20) continue;
    let offset = 0;
    for (let i = 0; i < ndim; i++) {
      const room = base[i] - (shape[i] - 1) * Math.abs(steps[i]);
      const start = Math.floor(rnd() * room);
      offset += (steps[i] > 0 ? start : base[i] - 1 - start) * cstrides[i];
    }
    const strides = steps.map((s, i) => s * cstrides[i]);
    const perm = shape.map((_, i) => i);
    if (rnd() < 0.7) {
      for (let i = ndim - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
    }
    return { dtype, base, offset, shape: perm.map((p) => shape[p]), strides: perm.map((p) => strides[p]) };
  }
}

const drawn = Array.from({ length: count }, (_, k) => ({ k, view: drawView() }));
const only = onlyArg === undefined ? null : new Set(onlyArg.slice('--only='.length).split(',').map(Number));
const picked = only === null ? drawn : drawn.filter((d) => only.has(d.k));
const views = picked.map((d) => d.view);
if (views.length === 0) {
  console.error(`cliffs: no view numbered ${onlyArg?.slice('--only='.length)} among the ${count} drawn`);
  process.exit(2);
}
const numpy = new PythonServer(new URL('./cliffs.py', import.meta.url).pathname.replace('/results/.build', ''));
/** numpy's time for `v` (ms), measured now; exits with numpy's failure if there is none. */
async function numpyMs(v: View | null, what: string): Promise<number> {
  const answer = await (v === null
    ? numpy.read<{ numpy: string }>(what)
    : numpy.ask<{ ms: number }>({ view: v }, what));
  if (answer === null) {
    console.error(`cliffs: numpy is needed (python3 with numpy): ${numpy.failure}`);
    process.exit(2);
  }
  return 'ms' in answer ? answer.ms : 0;
}
await numpyMs(null, 'its version');

/** Best of 7 samples of at least 2 ms each (calls repeated), in ms per call. */
function time(fn: () => void): number {
  let calls = 1;
  for (let t = performance.now(); performance.now() - t < 2; calls++) fn();
  let best = Infinity;
  for (let s = 0; s < 7; s++) {
    const t = performance.now();
    for (let i = 0; i < calls; i++) fn();
    best = Math.min(best, (performance.now() - t) / calls);
  }
  return best;
}

const rows: Array<{ ratio: number; line: string }> = [];
for (const [j, v] of views.entries()) {
  const itemsize = ITEMSIZE[v.dtype];
  const baseBytes = v.base.reduce((a, b) => a * b, 1) * itemsize;
  const n = v.shape.reduce((a, b) => a * b, 1);
  const a = malloc(baseBytes);
  const b = malloc(n * itemsize);
  heapU8().fill(5, a, a + baseBytes);
  heapU8().fill(6, b, b + n * itemsize);
  const dstStrides: number[] = [];
  let acc = itemsize;
  for (let i = v.shape.length - 1; i >= 0; i--) {
    dstStrides[i] = acc;
    acc *= v.shape[i];
  }
  const src = { buf: a + v.offset * itemsize, strides: v.strides.map((x) => x * itemsize), suboffsets: null };
  const dst = { buf: b, strides: dstStrides, suboffsets: null };
  const ours = time(() => copyStrided(v.shape.length, itemsize, v.shape, dst, src, true));
  const memcpy = time(() => wasm().copyBytes(b, a, n * itemsize));
  const numpyTime = await numpyMs(v, `view #${picked[j].k}`);
  const p = copyPlan(v.shape.length, itemsize, v.shape, dst.buf, dst.strides, src.buf, src.strides);
  const ratio = numpyTime / ours;
  const tile = p.kind === 'tile' ? ` block ${p.block}${p.rowsFirst ? ' rows' : ' cols'}` : '';
  rows.push({
    ratio,
    line:
      `${`#${picked[j].k}`.padStart(4)} ${ratio.toFixed(2).padStart(6)}x numpy ${((100 * memcpy) / ours).toFixed(0).padStart(4)}% memcpy ` +
      `${ours.toFixed(3).padStart(8)} ms  ${v.dtype} ${v.shape.join('x')} strides ${v.strides.join(',')}  ` +
      `plan ${p.kind} ${p.itemsize} B ${p.shape.join('x')} dst ${p.dstStrides.join(',')} src ${p.srcStrides.join(',')}${tile}`,
  });
  free(a);
  free(b);
}
numpy.close();
rows.sort((x, y) => x.ratio - y.ratio);
for (const r of rows) console.log(r.line);
const ratios = rows.map((r) => r.ratio);
const behind = ratios.filter((r) => r < 1).length;
console.log(
  `\n${views.length} views (seed ${seed}): numpy faster on ${behind}; ratio to numpy worst ` +
    `${ratios[0].toFixed(2)}x, median ${ratios[Math.floor(ratios.length / 2)].toFixed(2)}x`,
);
