// The size budget: bundles dist/index.js the way an application bundler would (esbuild, ESM,
// minified, for the browser), gzips it, and fails when the result passes the budget.
// The figure includes the three embedded Wasm builds (SIMD, scalar, shared) as base64.
// Usage: node scripts/size-budget.mjs [--json test-results/size.json]
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Minified + gzipped bytes of the whole bundle (JS and embedded Wasm) that CI allows. Was 50 KiB
 * (bundle 40.1 KiB); raised to 56 KiB when the faster copies brought it to 50.0 KiB: the tile
 * kernels specialised by sweep, alignment and staging, grouped line-blocks and four-stream rows
 * (+8.5 KiB of Wasm over three builds), and the fast validation paths (+1.5 KiB of JS). Raised
 * to 58 KiB when parallel copies (src/wasm/threads.ts, src/split.ts: +4.9 KiB of JS) brought it
 * to 56.3 KiB.
 */
const BUDGET_BYTES = 58 * 1024;

async function bundle(entry, extra = {}) {
  const result = await build({
    entryPoints: [entry], bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022',
    write: false, metafile: true, logLevel: 'silent', ...extra,
  });
  const code = result.outputFiles[0].contents;
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length, metafile: result.metafile };
}

const full = await bundle('dist/index.js');
// the same bundle with the Wasm replaced by empty strings: what the JavaScript alone costs
const jsOnly = await bundle('dist/index.js', {
  plugins: [{
    name: 'no-wasm',
    setup(b) {
      b.onLoad({ filter: /module\.generated\.js$/ }, () => ({
        contents: 'export const wasmHash="",wasmBase64="",wasmScalarHash="",wasmScalarBase64="",' +
          'wasmSharedHash="",wasmSharedBase64="";',
        loader: 'js',
      }));
    },
  }],
});
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const report = {
  bundle: 'dist/index.js (esbuild, ESM, minified, gzip -9)',
  minifiedBytes: full.raw, gzipBytes: full.gzip, jsOnlyGzipBytes: jsOnly.gzip,
  wasmGzipBytes: full.gzip - jsOnly.gzip, budgetBytes: BUDGET_BYTES,
};
console.log(`size: ${kib(full.gzip)} min+gz (${kib(full.raw)} minified): JS ${kib(jsOnly.gzip)}, ` +
  `embedded Wasm (3 builds) ${kib(full.gzip - jsOnly.gzip)}; budget ${kib(BUDGET_BYTES)}`);
const jsonAt = process.argv.indexOf('--json');
if (jsonAt > 0) {
  const out = process.argv[jsonAt + 1];
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
}
if (full.gzip > BUDGET_BYTES) {
  console.error(`size: over budget by ${full.gzip - BUDGET_BYTES} bytes`);
  process.exit(1);
}
