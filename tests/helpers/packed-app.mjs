// The package as a user gets it: `npm pack` of this repository, installed from the tarball
// into an empty app. Shared by tests/package.test.ts (Node, TypeScript, bundlers) and
// tests/browser/run.mjs (a page in headless Chromium). Plain JavaScript, so that the browser
// runner, which runs under plain Node, can import it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Runs a command and returns its stdout; on failure the error carries stderr too. */
export function run(cmd, args, cwd, env = process.env) {
  try {
    return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}:\n${err.stdout ?? ''}${err.stderr ?? ''}`, {
      cause: err,
    });
  }
}

/**
 * Packs the repository (with --ignore-scripts: dist/ must be built already) into `work` and
 * installs the tarball, with `extra` packages, into the empty app `work/app`.
 * @returns the app's folder and the tarball's path
 */
export function installPackedApp(work, extra = []) {
  for (const f of ['dist/index.js', 'dist/wasm/simd.wasm']) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
  }
  run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', work], root);
  const tarball = join(
    work,
    readdirSync(work).find((f) => f.endsWith('.tgz')),
  );
  const app = join(work, 'app');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  // --prefer-offline: the tarball's dependencies and `extra` come from npm's cache where
  // `npm ci` of this repository put them
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, ...extra], app);
  return { app, tarball };
}
