// Installs that build the package from its sources: a git dependency (`npm install git+<url>`,
// for which npm runs only the `prepare` script) and a workspace of a monorepo. Both start from
// a snapshot of this working tree (tracked and new files, nothing ignored: no dist/, no
// generated sources, no node_modules), and take the devDependencies from npm's cache.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root, run } from './helpers/packed-app.mjs';

const work = mkdtempSync(join(tmpdir(), 'wasm-memoryview-source-'));
// Two installs' node_modules (the devDependencies, tens of thousands of files) take a minute
// or more to delete on a busy disk: a detached `rm` does it after the run.
afterAll(() => {
  if (process.platform === 'win32') rmSync(work, { recursive: true, force: true });
  else spawn('rm', ['-rf', work], { detached: true, stdio: 'ignore' }).unref();
});

/** Runs a command without blocking, so that the two installs overlap; stdout, or an error with stderr. */
async function runAsync(cmd: string, args: string[], cwd: string): Promise<string> {
  try {
    return (await promisify(execFile)(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 })).stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${e.stdout ?? ''}${e.stderr ?? ''}`, { cause: err });
  }
}

const NPM_INSTALL = ['install', '--prefer-offline', '--no-audit', '--no-fund'];
const MAIN = [
  "import { init, transpose, runtimeInfo } from 'wasm-memoryview';",
  'await init();',
  'console.log(runtimeInfo().build, Array.from(transpose(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3])).join());',
].join('\n');

/** Copies the working tree's files (as `git ls-files` lists them, ignored ones left out) into `dest`. */
function copyWorkingTree(dest: string): void {
  const listing = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    encoding: 'utf8',
  });
  for (const file of listing.split('\0').filter((f) => f !== '' && existsSync(join(root, f)))) {
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    copyFileSync(join(root, file), join(dest, file));
  }
}

let repo = '';
beforeAll(() => {
  repo = join(work, 'repo');
  copyWorkingTree(repo);
  const git = (...args: string[]): string => run('git', args, repo);
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-q', '-m', 'snapshot');
}, 60_000);

describe.concurrent('an install that builds from the sources', () => {
  it('installs from a git URL: npm runs prepare in the clone, which builds dist/', async () => {
    const app = join(work, 'git-app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'git-app', private: true, type: 'module' }));
    await runAsync('npm', [...NPM_INSTALL, `git+file://${repo}`], app);
    const pkg = join(app, 'node_modules/wasm-memoryview');
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/wasm/simd.wasm'])
      expect(existsSync(join(pkg, f)), f).toBe(true);
    // the devDependencies that built it stay in npm's clone, out of the app
    expect(existsSync(join(app, 'node_modules/assemblyscript'))).toBe(false);
    writeFileSync(join(app, 'main.mjs'), MAIN);
    expect((await runAsync('node', ['main.mjs'], app)).trim()).toBe('simd 1,4,2,5,3,6');
  }, 300_000);

  it('installs as a workspace: npm install at the root runs its prepare, and a second prepare does nothing', async () => {
    const mono = join(work, 'mono');
    copyWorkingTree(join(mono, 'packages/wasm-memoryview'));
    mkdirSync(join(mono, 'packages/app'), { recursive: true });
    writeFileSync(
      join(mono, 'package.json'),
      JSON.stringify({ name: 'mono', private: true, workspaces: ['packages/*'] }),
    );
    writeFileSync(
      join(mono, 'packages/app/package.json'),
      JSON.stringify({
        name: 'app',
        private: true,
        type: 'module',
        dependencies: { 'wasm-memoryview': '*' },
      }),
    );
    writeFileSync(join(mono, 'packages/app/main.mjs'), MAIN);
    await runAsync('npm', NPM_INSTALL, mono);
    expect((await runAsync('node', ['main.mjs'], join(mono, 'packages/app'))).trim()).toBe('simd 1,4,2,5,3,6');
    expect(await runAsync('npm', ['run', 'prepare', '-w', 'wasm-memoryview'], mono)).toContain(
      'dist/ is up to date with the sources',
    );
  }, 300_000);
});
