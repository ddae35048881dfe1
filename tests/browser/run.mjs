#!/usr/bin/env node
// Browser tests in headless Chromium (Debian's `chromium`, driven by playwright-core):
//  1. the core of the unit suite: each test file is bundled with esbuild (vitest's API from
//     harness/vitest-shim.ts, node:fs from harness/fs-shim.ts) and run in its own page, once
//     on the SIMD build and once with the scalar build forced;
//  2. browser-only tests (tests/browser/*.test.ts): Web Workers, shared memory, threads (copy workers);
//  3. the demo page (demo/, built by Vite): its correctness checks pass, its benchmark
//     completes, a screenshot goes to test-results/demo.png and its figures to demo.json;
//  4. the packed package (`npm pack`, installed into an empty app) in a page that calls
//     transpose(), bundled with code splitting by esbuild and by Vite: it transposes, and the
//     page downloads one Wasm build, the one init() picks; the gzip bytes it downloaded go to
//     test-results/packed-pages.json.
// Pages come from a local server with COOP/COEP headers (cross-origin isolation).
// Writes a vitest-compatible JSON report (--json FILE, default test-results/browser.json).
// Without Chromium, says so, writes a report marked skipped, and exits 0.
//
// Usage: node tests/browser/run.mjs [--json FILE] [--only NAME] [--no-demo] [--no-packed]
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { createServer } from 'node:http';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = join(root, 'tests/browser/out');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const reportPath = resolve(root, option('--json', 'test-results/browser.json'));
const only = option('--only', null);
const withDemo = !args.includes('--no-demo');
const withPacked = !args.includes('--no-packed') && (only === null || 'packed'.includes(only));

// The unit suite's core: every file here runs unchanged in the browser.
const unitFiles = [
  'tests/capi.test.ts',
  'tests/core-vectors.test.ts',
  'tests/getbuf.test.ts',
  'tests/lifetimes.test.ts',
  'tests/ndarray.test.ts',
  'tests/struct.test.ts',
  'tests/memoryview-vectors.test.ts',
  'tests/memoryview.test.ts',
  'tests/strided.test.ts',
  'tests/copy-planner.test.ts',
  'tests/copy-planner-scalar.test.ts',
].filter((f) => existsSync(join(root, f)));
// Tests that cannot hold in a browser page, by file and a pattern of the test's full name,
// with the reason; they are reported as skipped, never silently dropped.
const notInBrowser = [
  ['tests/struct.test.ts', /Node Buffer/, "Node's Buffer does not exist in a browser"],
  [
    'tests/copy-planner.test.ts',
    /under the SIMD build/,
    'asserts the SIMD build; the scalar pass forces the other',
    'scalar',
  ],
];
const browserFiles = [
  'tests/browser/browser.test.ts',
  'tests/browser/shared-worker.test.ts',
  'tests/browser/threads.test.ts',
];
// Files that pick their own build (shared memory, or the scalar build) run once.
const ownBuild = new Set([
  'tests/copy-planner-scalar.test.ts',
  'tests/browser/shared-worker.test.ts',
  'tests/browser/threads.test.ts',
]);

// CHROMIUM_PATH, when set, is the only candidate (CHROMIUM_PATH=none shows the skip path)
const CHROMIUM_CANDIDATES = process.env.CHROMIUM_PATH
  ? [process.env.CHROMIUM_PATH]
  : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

function writeReport(report) {
  mkdirSync(dirname(reportPath), { recursive: true });
  writeFileSync(reportPath, JSON.stringify(report, null, 2) + '\n');
}

const executablePath = CHROMIUM_CANDIDATES.find((p) => existsSync(p));
if (executablePath === undefined) {
  const reason =
    `no Chromium found (looked at ${CHROMIUM_CANDIDATES.join(', ')}); install it with ` +
    '`apt-get install -y chromium` or set CHROMIUM_PATH';
  console.log(`browser tests: SKIPPED: ${reason}`);
  writeReport({ skipped: reason, numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, testResults: [] });
  process.exit(0);
}

if ((withDemo || withPacked) && !existsSync(join(root, 'dist/index.js'))) {
  console.error(
    'browser tests: dist/index.js is missing: run `npm run build` first (the demo and the packed pages use the package build)',
  );
  process.exit(1);
}

// ---- bundles ------------------------------------------------------------------------------
const { build } = await import('esbuild');
mkdirSync(outDir, { recursive: true });
const shims = {
  name: 'browser-shims',
  setup(b) {
    b.onResolve({ filter: /^vitest$/ }, () => ({ path: join(root, 'tests/browser/harness/vitest-shim.ts') }));
    b.onResolve({ filter: /^(node:)?fs$/ }, () => ({ path: join(root, 'tests/browser/harness/fs-shim.ts') }));
    // package.json says sideEffects: false (true of the library); a test file is all side effects
    b.onResolve({ filter: /\.test\.ts$/ }, (a) => ({ path: resolve(a.resolveDir, a.path), sideEffects: true }));
  },
};
const bundleName = (file) =>
  relative(root, file)
    .replace(/\.test\.ts$/, '')
    .replaceAll(/[\\/]/g, '_');
const testFiles = [...unitFiles, ...browserFiles].filter((f) => only === null || f.includes(only));
const t0 = Date.now();
await Promise.all([
  ...testFiles.map((file) =>
    build({
      stdin: {
        contents:
          `import { runAll } from ${JSON.stringify(join(root, 'tests/browser/harness/vitest-shim.ts'))};\n` +
          `import ${JSON.stringify(join(root, file))};\n` +
          'runAll().then((r) => { globalThis.__results = r; }, (e) => { globalThis.__results = { error: String(e) }; });\n',
        resolveDir: root,
        loader: 'ts',
        sourcefile: `${bundleName(file)}.entry.ts`,
      },
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: join(outDir, `${bundleName(file)}.js`),
      plugins: [shims],
      logLevel: 'error',
      sourcemap: 'inline',
      // some messages name a class through constructor.name, which bundlers rename on collisions
      keepNames: true,
    }),
  ),
  build({
    entryPoints: [join(root, 'tests/browser/worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(outDir, 'worker.js'),
    logLevel: 'error',
  }),
  // the library's copy worker, next to the test bundles, where new URL('./copy-worker.js', import.meta.url) finds it
  build({
    entryPoints: [join(root, 'src/wasm/copy-worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(outDir, 'copy-worker.js'),
    logLevel: 'error',
  }),
]);
writeFileSync(
  join(outDir, 'page.html'),
  `<!doctype html><meta charset="utf-8"><title>wasm-memoryview tests</title>
<script type="module">
const params = new URLSearchParams(location.search);
if (params.get('simd') === '0') globalThis.WASM_MEMORYVIEW_SIMD = false;
import('./' + params.get('file') + '.js').catch((e) => { globalThis.__results = { error: 'import failed: ' + e }; });
</script>`,
);
console.log(`browser tests: bundled ${testFiles.length} test files in ${Date.now() - t0} ms`);

if (withDemo) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: join(root, 'demo/vite.config.ts'), logLevel: 'warn' });
}

// The packed package, as a user installs it, in a page that calls transpose(); one bundle by
// esbuild (--splitting) and one by Vite, both minified.
const PACKED_PAGE = `import { init, transpose, runtimeInfo } from 'wasm-memoryview';
await init();
const values = Array.from(transpose(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]));
globalThis.__packed = { build: runtimeInfo().build, values };
`;
// a classic script runs before the module: it forces the scalar build for the ?simd=0 run
const PACKED_HTML = (src) => `<!doctype html><meta charset="utf-8"><title>transpose</title>
<script>if (location.search.includes('simd=0')) globalThis.WASM_MEMORYVIEW_SIMD = false;</script>
<script type="module" src="${src}"></script>
`;
let packedWork = null; // { dir, app } once the app is installed
const packedBundles = {};
if (withPacked) {
  const { installPackedApp } = await import('../helpers/packed-app.mjs');
  const dir = mkdtempSync(join(tmpdir(), 'wasm-memoryview-packed-'));
  const { app } = installPackedApp(dir);
  writeFileSync(join(app, 'page.js'), PACKED_PAGE);
  await build({
    entryPoints: [join(app, 'page.js')],
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    platform: 'browser',
    target: 'es2022',
    outdir: join(app, 'esbuild'),
    logLevel: 'error',
  });
  writeFileSync(join(app, 'esbuild', 'index.html'), PACKED_HTML('./page.js'));
  writeFileSync(join(app, 'index.html'), PACKED_HTML('./page.js'));
  const { build: viteBuild } = await import('vite');
  await viteBuild({
    configFile: false,
    root: app,
    base: './',
    logLevel: 'warn',
    build: { outDir: join(app, 'vite'), emptyOutDir: true, target: 'es2022' },
  });
  for (const bundler of ['esbuild', 'vite']) {
    packedBundles[bundler] = readdirSync(join(app, bundler), { recursive: true })
      .map(String)
      .filter((f) => /build-(simd|scalar|shared)\.generated/.test(f));
  }
  packedWork = { dir, app };
  console.log('browser tests: packed the package and bundled a transpose page with esbuild and Vite');
}

// ---- server ---------------------------------------------------------------------------------
// What the packed pages downloaded: each response's path and its bytes as sent (gzip -9).
const packedDownloads = [];
const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};
const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  if (path.startsWith('/packed/') && packedWork !== null) {
    servePacked(path.slice('/packed/'.length), res);
    return;
  }
  const file = resolve(root, '.' + path);
  const served = ['tests/browser/out', 'tests/fixtures', 'demo/dist'].some((d) => file.startsWith(join(root, d) + sep));
  if (req.method !== 'GET' || !served || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  // cross-origin isolation, so that SharedArrayBuffer and shared Wasm memory are available
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cache-Control': 'no-store',
  });
  res.end(readFileSync(file));
});
/** A file of the packed app's bundles, gzip-encoded as a production server sends it, and counted. */
function servePacked(rel, res) {
  const file = resolve(packedWork.app, rel);
  if (!file.startsWith(packedWork.app + sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  const body = gzipSync(readFileSync(file), { level: 9 });
  packedDownloads.push({ file: rel, gzipBytes: body.length });
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Encoding': 'gzip',
    'Cache-Control': 'no-store',
  });
  res.end(body);
}
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const base = `http://127.0.0.1:${server.address().port}`;

// ---- runs -----------------------------------------------------------------------------------
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath, args: LAUNCH_ARGS });
const version = browser.version();
console.log(`browser tests: Chromium ${version} (${executablePath}), server ${base}`);
const testResults = [];

async function runPage(file, simd) {
  const label = `${file}${simd ? '' : ' [scalar build]'}`;
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  const started = Date.now();
  let results;
  try {
    await page.goto(`${base}/tests/browser/out/page.html?file=${bundleName(file)}${simd ? '' : '&simd=0'}`);
    await page.waitForFunction(() => globalThis.__results !== undefined, null, { timeout: 180_000 });
    results = await page.evaluate(() => globalThis.__results);
  } catch (err) {
    results = { error: `${err.message}${pageErrors.length ? `; page errors: ${pageErrors.join('; ')}` : ''}` };
  }
  await page.close();
  const assertionResults = Array.isArray(results) ? results : [];
  for (const r of assertionResults) {
    const rule = notInBrowser.find(
      ([f, pattern, , build]) =>
        f === file && pattern.test(r.fullName) && (build === undefined || (build === 'scalar') === !simd),
    );
    if (rule !== undefined && r.status === 'failed') {
      r.status = 'skipped';
      r.failureMessages = [`skipped in the browser: ${rule[2]}`];
    }
  }
  const failed = assertionResults.filter((r) => r.status === 'failed');
  // a page that ran no test failed to register them: count it as a failure, never as a pass
  if (Array.isArray(results) && results.length === 0) results = { error: 'the page ran no test' };
  const status = !Array.isArray(results) || failed.length > 0 ? 'failed' : 'passed';
  testResults.push({
    name: label,
    status,
    message: Array.isArray(results) ? '' : results.error,
    startTime: started,
    endTime: Date.now(),
    assertionResults,
  });
  const passed = assertionResults.filter((r) => r.status === 'passed').length;
  console.log(
    `  ${status === 'passed' ? '✓' : '✗'} ${label}: ${passed} passed, ${failed.length} failed` +
      ` (${Date.now() - started} ms)${Array.isArray(results) ? '' : ` — ${results.error}`}`,
  );
  for (const r of failed.slice(0, 5))
    console.log(`      ✗ ${r.fullName}\n        ${r.failureMessages[0]?.split('\n')[0]}`);
}

for (const file of testFiles) {
  await runPage(file, true);
  if (!ownBuild.has(file)) await runPage(file, false);
}

let demo = null;
if (withDemo) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1500 } });
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  const started = Date.now();
  const assertionResults = [];
  const record = (title, ok, message = '') =>
    assertionResults.push({
      ancestorTitles: ['demo page'],
      title,
      fullName: `demo page ${title}`,
      status: ok ? 'passed' : 'failed',
      duration: 0,
      failureMessages: ok ? [] : [message],
    });
  try {
    await page.goto(`${base}/demo/dist/index.html?autorun=1`);
    await page.waitForFunction(() => globalThis.__demo?.done === true, null, { timeout: 240_000 });
    demo = await page.evaluate(() => globalThis.__demo);
    record('loads, with the runtime initialized', demo.runtime !== undefined, JSON.stringify(demo));
    for (const check of demo.checks) record(`correctness: ${check.name}`, check.ok, check.detail ?? '');
    record(
      'benchmark completes with a figure for every scenario',
      demo.bench.length > 0 && demo.bench.every((b) => b.wasmMs > 0 && b.jsMs > 0),
      JSON.stringify(demo.bench),
    );
    record('interactive example shows a layout and its copy', demo.example?.ok === true, JSON.stringify(demo.example));
    record('no uncaught error on the page', pageErrors.length === 0, pageErrors.join('; '));
    mkdirSync(join(root, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(root, 'test-results/demo.png'), fullPage: true });
    writeFileSync(join(root, 'test-results/demo.json'), JSON.stringify({ chromium: version, ...demo }, null, 2) + '\n');
  } catch (err) {
    record('loads and finishes', false, `${err.message}; page errors: ${pageErrors.join('; ')}`);
    await page.screenshot({ path: join(root, 'test-results/demo.png'), fullPage: true }).catch(() => {});
  }
  await page.close();
  const failed = assertionResults.filter((r) => r.status === 'failed');
  testResults.push({
    name: 'demo/index.html',
    status: failed.length ? 'failed' : 'passed',
    message: '',
    startTime: started,
    endTime: Date.now(),
    assertionResults,
  });
  console.log(
    `  ${failed.length ? '✗' : '✓'} demo page: ${assertionResults.length - failed.length} passed, ` +
      `${failed.length} failed (${Date.now() - started} ms)`,
  );
  for (const r of failed) console.log(`      ✗ ${r.title}: ${r.failureMessages[0]}`);
  if (demo !== null) {
    console.log(
      `  demo: runtime ${demo.runtime.build}, ${demo.checks.filter((c) => c.ok).length}/${demo.checks.length} checks`,
    );
    for (const b of demo.bench) {
      console.log(
        `    ${b.name}${b.threads > 1 ? ` [${b.threads} threads]` : ''}: wasm ${b.wasmMs.toFixed(3)} ms (${b.wasmGBs.toFixed(2)} GB/s), ` +
          `plain JS ${b.jsMs.toFixed(3)} ms (${b.jsGBs.toFixed(2)} GB/s), x${(b.jsMs / b.wasmMs).toFixed(2)}`,
      );
    }
  }
}

if (withPacked) {
  const started = Date.now();
  const assertionResults = [];
  const record = (title, ok, message = '') =>
    assertionResults.push({
      ancestorTitles: ['packed package'],
      title,
      fullName: `packed package ${title}`,
      status: ok ? 'passed' : 'failed',
      duration: 0,
      failureMessages: ok ? [] : [message],
    });
  const figures = [];
  for (const bundler of ['esbuild', 'vite']) {
    record(
      `${bundler} split the three Wasm builds into chunks of their own`,
      packedBundles[bundler].length === 3,
      JSON.stringify(packedBundles[bundler]),
    );
    for (const build of ['simd', 'scalar']) {
      const what = `a page bundled by ${bundler}${bundler === 'esbuild' ? ' --splitting' : ''} on the ${build} build`;
      const page = await browser.newPage();
      const pageErrors = [];
      page.on('pageerror', (err) => pageErrors.push(String(err)));
      packedDownloads.length = 0;
      let result = null;
      try {
        await page.goto(`${base}/packed/${bundler}/index.html${build === 'simd' ? '' : '?simd=0'}`);
        await page.waitForFunction(() => globalThis.__packed !== undefined, null, { timeout: 60_000 });
        result = await page.evaluate(() => globalThis.__packed);
      } catch (err) {
        record(`${what} loads`, false, `${err.message}; page errors: ${pageErrors.join('; ')}`);
      }
      await page.close();
      if (result === null) continue;
      const downloads = [...packedDownloads];
      const wasmChunks = downloads.filter((d) => /build-(simd|scalar|shared)\.generated/.test(d.file));
      const scripts = downloads.filter((d) => d.file.endsWith('.js'));
      const jsAndWasm = scripts.reduce((sum, d) => sum + d.gzipBytes, 0);
      const total = downloads.reduce((sum, d) => sum + d.gzipBytes, 0);
      record(
        `${what} transposes with init()'s pick`,
        result.build === build && result.values.join() === '1,4,2,5,3,6',
        JSON.stringify(result),
      );
      record(
        `${what} downloads only the ${build} build`,
        wasmChunks.length === 1 && wasmChunks[0].file.includes(`build-${build}.generated`),
        JSON.stringify(downloads),
      );
      // the size budget's target for a transpose-only page (scripts/size-budget.mjs)
      record(`${what} downloads at most 20 KiB of scripts gzip`, jsAndWasm <= 20 * 1024, `${jsAndWasm} bytes`);
      record(`${what} has no uncaught error`, pageErrors.length === 0, pageErrors.join('; '));
      figures.push({ bundler, build, gzipBytes: total, scriptGzipBytes: jsAndWasm, downloads });
      console.log(
        `  packed page, ${bundler}, ${build} build: ${(jsAndWasm / 1024).toFixed(1)} KiB of scripts gzip ` +
          `(${(total / 1024).toFixed(1)} KiB with the HTML): ${downloads.map((d) => `${d.file} ${d.gzipBytes}`).join(', ')}`,
      );
    }
  }
  mkdirSync(join(root, 'test-results'), { recursive: true });
  writeFileSync(
    join(root, 'test-results/packed-pages.json'),
    JSON.stringify({ chromium: version, figures }, null, 2) + '\n',
  );
  const failed = assertionResults.filter((r) => r.status === 'failed');
  testResults.push({
    name: 'packed package pages',
    status: failed.length ? 'failed' : 'passed',
    message: '',
    startTime: started,
    endTime: Date.now(),
    assertionResults,
  });
  console.log(
    `  ${failed.length ? '✗' : '✓'} packed package pages: ${assertionResults.length - failed.length} passed, ` +
      `${failed.length} failed (${Date.now() - started} ms)`,
  );
  for (const r of failed) console.log(`      ✗ ${r.title}: ${r.failureMessages[0]}`);
  rmSync(packedWork.dir, { recursive: true, force: true });
}

await browser.close();
server.close();

const all = testResults.flatMap((t) => t.assertionResults);
const report = {
  chromium: version,
  numTotalTests: all.length,
  numPassedTests: all.filter((r) => r.status === 'passed').length,
  numFailedTests: all.filter((r) => r.status === 'failed').length,
  numPendingTests: all.filter((r) => r.status === 'skipped').length,
  numFailedTestSuites: testResults.filter((t) => t.status === 'failed').length,
  success: testResults.every((t) => t.status === 'passed'),
  testResults,
};
writeReport(report);
console.log(
  `browser tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed` +
    `${report.numPendingTests ? `, ${report.numPendingTests} skipped` : ''} (${testResults.length} pages)`,
);
process.exit(report.success ? 0 : 1);
