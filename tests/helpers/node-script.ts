// A program of its own for a test to run in a child Node process: `lines` of JavaScript (they
// import the library from LIBRARY) bundled with esbuild into a temporary module.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const root = new URL('../..', import.meta.url).pathname;

/** The library's entry, to import from in a script's lines. */
export const LIBRARY = JSON.stringify(join(root, 'src/index.ts'));

/** Bundles `lines` into a new module in a temporary directory named after `name`; its path. */
export function nodeScript(name: string, lines: readonly string[]): string {
  const script = join(mkdtempSync(join(tmpdir(), `wasm-memoryview-${name}-`)), 'main.mjs');
  buildSync({
    stdin: { contents: lines.join('\n'), resolveDir: root, loader: 'ts' },
    outfile: script,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  return script;
}
