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
  if (!existsSync(join(root, 'dist', 'index.js'))) run('npx', ['tsc', '-p', 'tsconfig.build.json'], root);
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
  const listing = run('tar', ['-tzf', join(work, tarball as string)], work);
  expect(listing).toContain('package/dist/index.d.ts');
  expect(listing).not.toContain('package/src/');
});
