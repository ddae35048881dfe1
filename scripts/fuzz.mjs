#!/usr/bin/env node
// The long fuzz run: `npm run fuzz [-- --seconds 60] [--seed N] [--runs N] [--only name,name]`.
// Bundles tests/reliability/fuzz-core.ts (and the library) with esbuild into a temporary module,
// turns canaries on, then runs every property in rounds of --runs cases with fresh seeds until
// the time is up. Prints what it tried: cases per property, errors by class, canary violations;
// on a failure, the seed and path that replay it (`npm run fuzz -- --seed N --only property`).
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const seconds = Number(opt('seconds', 60));
const runs = Number(opt('runs', 500));
const fixedSeed = opt('seed', undefined);
const only = opt('only', undefined)?.split(',');

// inside the project, so that the bundle resolves fast-check from its node_modules
mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
const dir = mkdtempSync(join(root, 'node_modules/.cache/wasm-memoryview-fuzz-'));
const entry = join(dir, 'entry.ts');
const out = join(dir, 'fuzz.mjs');
writeFileSync(
  entry,
  `
export * from ${JSON.stringify(join(root, 'tests/reliability/fuzz-core.ts'))};
export { init } from ${JSON.stringify(join(root, 'src/index.ts'))};
export { enableCanaries, checkCanaries } from ${JSON.stringify(join(root, 'src/wasm/guard.ts'))};
export { heapStats } from ${JSON.stringify(join(root, 'src/wasm/heap.ts'))};
export { scratch } from ${JSON.stringify(join(root, 'src/wasm/scratch.ts'))};
`,
);
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: out,
  logLevel: 'error',
  target: 'node20', // lowers `using` declarations
  external: ['fast-check'],
});
const fuzz = await import(pathToFileURL(out).href);
rmSync(dir, { recursive: true, force: true });

fuzz.enableCanaries(32);
await fuzz.init();
fuzz.scratch(1); // the runtime's lazily allocated scratch area belongs to the baseline
const stats = fuzz.newStats();
const names = Object.keys(fuzz.PROPERTIES).filter((n) => only === undefined || only.includes(n));
const start = Date.now();
const baseline = fuzz.heapStats();
let rounds = 0;
let failure = null;
console.log(
  `fuzz: properties ${names.join(', ')}; ${runs} cases a round; ${fixedSeed !== undefined ? `seed ${fixedSeed}` : `${seconds} s`}`,
);
outer: do {
  for (const name of names) {
    const seed = fixedSeed !== undefined ? Number(fixedSeed) : (Math.random() * 0x7fffffff) | 0;
    try {
      fuzz.runProperty(name, { runs, seed, stats });
    } catch (err) {
      failure = err;
      break outer;
    }
  }
  rounds++;
} while (fixedSeed === undefined && Date.now() - start < seconds * 1000);
const elapsed = ((Date.now() - start) / 1000).toFixed(1);
const after = fuzz.heapStats();
const leftover = fuzz.checkCanaries();
console.log(`fuzz: ${stats.cases} cases in ${elapsed} s (${rounds} rounds)`);
console.log(`  by property:      ${JSON.stringify(stats.casesByProperty)}`);
console.log(`  errors by class:  ${JSON.stringify(stats.errors)}`);
console.log(`  canary violations: ${stats.canaryViolations + leftover.length}`);
console.log(
  `  heap: live blocks ${baseline.liveBlocks} -> ${after.liveBlocks}, live bytes ${baseline.liveBytes} -> ${after.liveBytes}`,
);
if (failure !== null) {
  console.error(`\nFAILED: ${failure.message}`);
  process.exit(1);
}
if (stats.canaryViolations + leftover.length > 0 || after.liveBytes !== baseline.liveBytes) process.exit(1);
