// The differential suite against CPython 3.14 for wasm32 (Pyodide): every scenario runs in
// both, step by step; any difference not listed in known.ts fails with its seed, scenario,
// step, both answers and the Python source that replays it. Runs the fixed seed and a fresh
// random one (printed). DIFF_SEED replaces the random seed (a replay), DIFF_COUNT sets the
// scenarios per seed, DIFF_INDEX runs that one scenario of each seed.
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/index.js';
import { enableCanaries } from '../../src/wasm/guard.js';
import { describeMismatch, loadReference, newStats, runDifferential, type Reference, type RunStats } from './suite.js';

/** The seed every run checks first. */
const FIXED_SEED = 0x15b0_d1ff;
const env = process.env;
const COUNT = env.DIFF_COUNT !== undefined ? Number(env.DIFF_COUNT) : 1750;
const INDEX = env.DIFF_INDEX !== undefined ? Number(env.DIFF_INDEX) : null;
const RANDOM_SEED = env.DIFF_SEED !== undefined ? Number(env.DIFF_SEED) : (Math.random() * 2 ** 32) >>> 0;

let py: Reference;

beforeAll(async () => {
  await init();
  // guard bytes around every block the scenarios allocate: a stray write fails the run
  enableCanaries();
  py = await loadReference();
}, 120_000);

function summary(label: string, seed: number, stats: RunStats): string {
  const known = stats.mismatches.filter((m) => m.known !== null || m.downstream);
  const byKnown: Record<string, number> = {};
  for (const m of known) {
    const name = m.known?.name ?? 'downstream of a known difference';
    byKnown[name] = (byKnown[name] ?? 0) + 1;
  }
  return [
    `differential ${label}: seed ${seed}, ${stats.scenarios} scenarios, ${stats.steps} steps ` +
      `(CPython ${Math.round(stats.pythonMs)} ms, JavaScript ${Math.round(stats.jsMs)} ms)`,
    `  steps per category: ${JSON.stringify(stats.categories)}`,
    `  of which CPython raised: ${JSON.stringify(stats.exceptions)}`,
    `  known differences: ${JSON.stringify(byKnown)}`,
  ].join('\n');
}

function check(label: string, seed: number): void {
  const stats = newStats();
  if (INDEX !== null) runDifferential(py, seed, 1, stats, INDEX, 1);
  else runDifferential(py, seed, COUNT, stats);
  console.log(summary(label, seed, stats));
  const unexplained = stats.mismatches.filter((m) => m.known === null && !m.downstream);
  const report = unexplained.slice(0, 5).map(describeMismatch).join('\n\n');
  expect(unexplained.length, `${unexplained.length} steps differ from CPython (seed ${seed}):\n${report}`).toBe(0);
  const leaks = stats.leaks
    .slice(0, 5)
    .map((l) => `seed ${l.seed} scenario ${l.index}: ${l.blocks} blocks`)
    .join('\n');
  expect(stats.leaks.length, `heap blocks left live after scenarios:\n${leaks}`).toBe(0);
  const canaries = stats.canaries
    .slice(0, 5)
    .map((c) => `seed ${c.seed} scenario ${c.index}: ${c.violations}`)
    .join('\n');
  expect(stats.canaries.length, `guard bytes changed (writes out of bounds) after scenarios:\n${canaries}`).toBe(0);
}

describe('the differential suite against CPython 3.14 for wasm32', () => {
  it('agrees with CPython on every step of the fixed-seed scenarios', () => {
    check('fixed seed', FIXED_SEED);
  });

  it('agrees with CPython on every step of the scenarios of a fresh random seed', () => {
    console.log(
      `differential random seed: ${RANDOM_SEED} (replay: DIFF_SEED=${RANDOM_SEED} npm run test:differential)`,
    );
    check(env.DIFF_SEED !== undefined ? 'seed from DIFF_SEED' : 'random seed', RANDOM_SEED);
  });
});
