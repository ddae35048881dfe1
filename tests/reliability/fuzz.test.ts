// The bounded fuzz run of `npm test`: every property of fuzz-core.ts for a few hundred cases,
// with guard bytes around every heap block checked after each case. FUZZ_SEED=<n> replays a
// reported failure; FUZZ_RUNS=<n> changes the number of cases per property.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/index.js';
import { checkCanaries, enableCanaries } from '../../src/wasm/guard.js';
import { PROPERTIES, newStats, runProperty } from './fuzz-core.js';

const stats = newStats();
const runs = Number(process.env.FUZZ_RUNS ?? 150);
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

beforeAll(async () => {
  enableCanaries(32);
  await init();
});

afterAll(() => {
  console.log(
    `fuzz: ${stats.cases} cases ${JSON.stringify(stats.casesByProperty)}, errors by class ` +
      `${JSON.stringify(stats.errors)}, canary violations ${stats.canaryViolations}`,
  );
});

describe('the bounded fuzz run', () => {
  for (const name of Object.keys(PROPERTIES)) {
    it(`the ${name} property holds for ${runs} random cases, with every canary intact`, () => {
      runProperty(name, { runs, seed, stats });
      expect(checkCanaries()).toEqual([]);
    });
  }
});
