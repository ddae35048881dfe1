// copyLayout() on plain JS arrays (what transpose() runs too) with the default staging (chunks
// through the cache where they read separate parts of the source) and staged whole, interleaved
// in one process, against the plain JS loop:
//   node bench/run.mjs tune-arrays [FILTER...]    (default: the layouts suite; ROUNDS, default 7)
// Prints the best of the rounds after the first, per layout, and the speed-ups.
import { init } from '../src/index.js';
import { DEFAULT_STAGING, copyLayoutWithStaging } from '../src/layout/copy-layout.js';
import { JS_PEERS, ctorOf, jsBase } from './peers.js';
import { scenarios } from './scenarios.js';

await init();
const filters = process.argv.slice(2);
const rounds = Number(process.env.ROUNDS ?? 7);
const chunkKiB = process.env.STAGE_KIB === undefined ? null : Number(process.env.STAGE_KIB);
const staged = chunkKiB === null ? DEFAULT_STAGING : { ...DEFAULT_STAGING, chunkBytes: chunkKiB * 1024 };
const whole = { ...DEFAULT_STAGING, chunkBytes: 0 };
const list = scenarios().filter((s) =>
  filters.length === 0
    ? s.group === 'layout'
    : ['layout', 'transpose', 'image', 'permute', 'step'].includes(s.group) && filters.some((f) => s.name.includes(f)),
);
const js = JS_PEERS.find((p) => p.id === 'js')!;

function time(run: () => void): number {
  const t0 = performance.now();
  run();
  return performance.now() - t0;
}

console.log('layout'.padEnd(64), 'staged ms', ' whole ms', ' JS loop', ' staged/whole', ' JS/staged');
const speedups: number[] = [];
for (const s of list) {
  const j = js.prepare(s);
  if (typeof j === 'string') continue;
  const base = jsBase(s);
  const out = new (ctorOf(s))(base.length);
  const runStaged = (): unknown => copyLayoutWithStaging(staged, base, s.view, out);
  const runWhole = (): unknown => copyLayoutWithStaging(whole, base, s.view, out);
  const best = { staged: Infinity, whole: Infinity, js: Infinity };
  for (let r = 0; r < rounds; r++) {
    // alternate which goes first: the first after the JS loop meets its garbage and caches
    const t3 = time(() => j.run());
    const stagedFirst = r % 2 === 0;
    const t0 = stagedFirst ? time(runStaged) : time(runWhole);
    const tb = stagedFirst ? time(runWhole) : time(runStaged);
    const [t1, t2] = stagedFirst ? [t0, tb] : [tb, t0];
    if (r === 0) continue;
    best.staged = Math.min(best.staged, t1);
    best.whole = Math.min(best.whole, t2);
    best.js = Math.min(best.js, t3);
  }
  speedups.push(best.whole / best.staged);
  console.log(
    s.name.slice(0, 64).padEnd(64),
    best.staged.toFixed(3).padStart(9),
    best.whole.toFixed(3).padStart(9),
    best.js.toFixed(3).padStart(8),
    `${(best.whole / best.staged).toFixed(2)}x`.padStart(13),
    `${(best.js / best.staged).toFixed(2)}x`.padStart(10),
  );
  j.dispose();
}
speedups.sort((x, y) => x - y);
console.log(
  `staged over whole: min ${speedups[0]?.toFixed(2)}x, median ${speedups[speedups.length >> 1]?.toFixed(2)}x, max ${speedups.at(-1)?.toFixed(2)}x`,
);
