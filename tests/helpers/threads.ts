// The copy worker for the Node tests: vitest runs the library from its TypeScript sources, where
// the default new URL('./copy-worker.js', import.meta.url) has no file next to it (the package
// ships dist/wasm/copy-worker.js), so the tests bundle src/wasm/copy-worker.ts once per process
// and pass its URL as init({ workerUrl }).
import { buildSync } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

let built: URL | null = null;

/** A file: URL of the copy worker, built from src/wasm/copy-worker.ts. */
export function copyWorkerUrl(): URL {
  if (built === null) {
    const outfile = join(mkdtempSync(join(tmpdir(), 'wasm-memoryview-worker-')), 'copy-worker.mjs');
    buildSync({
      entryPoints: [new URL('../../src/wasm/copy-worker.ts', import.meta.url).pathname],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      logLevel: 'error',
    });
    built = pathToFileURL(outfile);
  }
  return built;
}
