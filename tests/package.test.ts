// The published package: `npm pack` gives a tarball that installs in an empty folder and
// works there, in ESM JavaScript, with its types.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'wasm-memoryview-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

it('the packed tarball installs in an empty folder and works there', () => {
  // Only tsc here (when dist/ is missing): rebuilding the Wasm would rewrite modules that
  // other test files are importing at the same time.
  if (!existsSync(join(root, 'dist', 'index.js')) || !existsSync(join(root, 'dist', 'wasm', 'copy-worker.js'))) {
    run('npx', ['tsc', '-p', 'tsconfig.build.json'], root);
  }
  run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', work], root);
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  expect(tarball).toBeDefined();
  const app = join(work, 'app');
  run('mkdir', ['-p', app], work);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', type: 'module', private: true }));
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, tarball as string)], app);
  writeFileSync(join(app, 'main.mjs'), [
    "import { init, NDArray, ND, MemoryView, capi, PyBUF } from 'wasm-memoryview';",
    'await init();',
    "const a = new NDArray([1, 2, 3, 4, 5, 6], { shape: [2, 3], format: 'h', flags: ND.FORTRAN });",
    'const c = capi.PyMemoryView_GetContiguous(a, PyBUF.READ, "C");',
    'console.log(JSON.stringify([c.tolist(), c.strides, c.readonly, MemoryView.check(c)]));',
  ].join('\n'));
  expect(run('node', ['main.mjs'], app).trim()).toBe('[[[1,3,5],[2,4,6]],[6,2],true,true]');
  // copy workers from the installed package, found next to it by new URL('./copy-worker.js', import.meta.url)
  writeFileSync(join(app, 'threads.mjs'), [
    "import { init, runtimeInfo, capi, StridedView, runtimeMemory } from 'wasm-memoryview';",
    'await init({ threads: 2 });',
    'const n = 1024, p = capi.PyMem_Malloc(n * n * 4), q = capi.PyMem_Malloc(n * n * 4);',
    'const a = new Float32Array(runtimeMemory().buffer, p, n * n);',
    'for (let i = 0; i < n * n; i++) a[i] = i;',
    "const view = (ptr) => StridedView.over({ ptr, len: n * n * 4 }, { shape: [n, n], format: 'f' });",
    'view(q).copyFrom(view(p).transpose());',
    'const t = new Float32Array(runtimeMemory().buffer, q, n * n);',
    'let ok = true;',
    'for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ok &&= t[j * n + i] === i * n + j;',
    'console.log(JSON.stringify([runtimeInfo().threads, ok]));',
  ].join('\n'));
  expect(run('node', ['threads.mjs'], app).trim()).toBe('[2,true]');
  const listing = run('tar', ['-tzf', join(work, tarball as string)], work);
  expect(listing).toContain('package/dist/index.d.ts');
  expect(listing).toContain('package/dist/wasm/copy-worker.js');
  expect(listing).not.toContain('package/src/');
});
