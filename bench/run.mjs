#!/usr/bin/env node
// Runs a TypeScript entry of the benchmark harness: bundles bench/<entry>.ts (with the library's
// sources, so no `npm run build` is needed) into bench/results/.build/ with esbuild, then
// imports it. Packages stay external: the peers load from node_modules as a user would.
//   node bench/run.mjs            -> bench/main.ts (the harness)
//   node bench/run.mjs tune-tiles -> bench/tune-tiles.ts
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const entry = args[0] !== undefined && !args[0].startsWith('-') ? args.shift() : 'main';
const outfile = join(here, 'results', '.build', `${entry}.mjs`);
await build({
  entryPoints: [join(here, `${entry}.ts`)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
// the library's copy worker next to the bundle, where new URL('./copy-worker.js', import.meta.url) finds it
await build({
  entryPoints: [join(here, '..', 'src', 'wasm', 'copy-worker.ts')],
  outfile: join(here, 'results', '.build', 'copy-worker.js'),
  bundle: true,
  platform: 'neutral',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
process.argv = [process.argv[0], outfile, ...args];
await import(pathToFileURL(outfile).href);
