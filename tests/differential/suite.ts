// The differential suite's driver: generates scenarios, runs them in Pyodide's CPython 3.14
// (in batches, in one long-lived interpreter) and through the public API, compares them step
// by step, and classifies what differs as a known difference (known.ts) or a new one.
import { checkCanaries } from '../../src/wasm/guard.js';
import { generateScenario } from './generator.js';
import { runScenarioJs, type StepFacts } from './js-runner.js';
import { classify, type KnownDifference } from './known.js';
import { PRELUDE, batchSource, scenarioSource } from './python.js';
import { canonical, normalize, sameResult } from './results.js';
import { CATEGORY, type Scenario, type Step } from './scenario.js';

/** The part of Pyodide's interface the suite uses. */
export interface Reference {
  runPython(code: string): unknown;
}

/** Loads CPython 3.14 for wasm32 (the npm package pyodide) and the suite's prelude. */
export async function loadReference(): Promise<Reference> {
  const { loadPyodide } = await import('pyodide');
  const py = await loadPyodide({ env: { PYTHONHASHSEED: '0' } }); // hash() here is CPython's under seed 0
  py.runPython(PRELUDE);
  return py;
}

/** One step whose two answers differ. */
export interface Mismatch {
  seed: number;
  index: number;
  step: number;
  op: Step['op'];
  py: unknown;
  js: unknown;
  /** The known difference that explains it, if any. */
  known: KnownDifference | null;
  /** Explained only as the consequence of an earlier known difference in the same scenario. */
  downstream: boolean;
}

export interface RunStats {
  scenarios: number;
  steps: number;
  /** Steps per category (scenario.ts CATEGORY). */
  categories: Record<string, number>;
  /** Steps whose answer was an exception (in CPython), per category. */
  exceptions: Record<string, number>;
  mismatches: Mismatch[];
  /** Scenarios after which heap blocks stayed live (JavaScript side). */
  leaks: Array<{ seed: number; index: number; blocks: number }>;
  /** Scenarios after which a heap block's guard bytes had changed (a write out of bounds). */
  canaries: Array<{ seed: number; index: number; violations: string }>;
  pythonMs: number;
  jsMs: number;
}

export function newStats(): RunStats {
  return {
    scenarios: 0,
    steps: 0,
    categories: {},
    exceptions: {},
    mismatches: [],
    leaks: [],
    canaries: [],
    pythonMs: 0,
    jsMs: 0,
  };
}

/** Runs scenarios [first, first+count) of `seed`, `batch` at a time in Python. */
export function runDifferential(
  py: Reference,
  seed: number,
  count: number,
  stats: RunStats,
  first = 0,
  batch = 100,
): void {
  for (let start = first; start < first + count; start += batch) {
    const scenarios: Scenario[] = [];
    for (let i = start; i < Math.min(first + count, start + batch); i++) scenarios.push(generateScenario(seed, i));
    const t0 = performance.now();
    const pyResults = JSON.parse(py.runPython(batchSource(scenarios)) as string) as unknown[][];
    const t1 = performance.now();
    stats.pythonMs += t1 - t0;
    scenarios.forEach((sc, k) => {
      const js = runScenarioJs(sc);
      compareScenario(sc, pyResults[k].map(normalize), js.results, js.facts, stats);
      // memoryview_from_buffer keeps one static copy until its next call, as _testbuffer's infobuf
      const allowance = sc.steps.some((s) => s.op === 'mvfrombuffer') ? 1 : 0;
      if (js.leakedBlocks > allowance) stats.leaks.push({ seed: sc.seed, index: sc.index, blocks: js.leakedBlocks });
      // with canaries on (the test enables them), no scenario may write past a block of the heap
      const bad = checkCanaries();
      if (bad.length > 0) stats.canaries.push({ seed: sc.seed, index: sc.index, violations: JSON.stringify(bad) });
    });
    stats.jsMs += performance.now() - t1;
  }
}

function compareScenario(sc: Scenario, py: unknown[], js: unknown[], facts: StepFacts[], stats: RunStats): void {
  stats.scenarios++;
  let diverged = false;
  sc.steps.forEach((step, i) => {
    const category = CATEGORY[step.op];
    stats.steps++;
    stats.categories[category] = (stats.categories[category] ?? 0) + 1;
    if ((py[i] as { t?: string }).t === 'exc') stats.exceptions[category] = (stats.exceptions[category] ?? 0) + 1;
    if (sameResult(py[i], js[i])) return;
    const known = classify({
      scenario: sc,
      stepIndex: i,
      step,
      py: py[i],
      js: js[i],
      facts: facts[i],
      allFacts: facts,
    });
    stats.mismatches.push({
      seed: sc.seed,
      index: sc.index,
      step: i,
      op: step.op,
      py: py[i],
      js: js[i],
      known,
      downstream: known === null && diverged,
    });
    if (known?.diverges) diverged = true;
  });
}

/** A mismatch as a report: where, both answers, and the Python source that replays it. */
export function describeMismatch(m: Mismatch): string {
  const sc = generateScenario(m.seed, m.index);
  return [
    `seed ${m.seed}, scenario ${m.index}, step ${m.step} (${m.op}): ${JSON.stringify(sc.steps[m.step])}`,
    `  CPython:    ${canonical(m.py)}`,
    `  JavaScript: ${canonical(m.js)}`,
    `  replay: DIFF_SEED=${m.seed} DIFF_INDEX=${m.index} npm run test:differential` +
      ' (the same Python with the prelude: replaySource in tests/differential/python.ts)',
    '  Python source of the scenario (its prelude is PRELUDE in tests/differential/python.ts):',
    scenarioSource(sc),
  ].join('\n');
}
