// npm's `prepare` script: builds dist/ (`npm run build`) unless the last build made here came
// from the same inputs.
//
// npm runs `prepare` on `npm install` and `npm ci` in this folder, on `npm pack` and
// `npm publish`, for a workspace package, and for a git dependency (`npm install git+<url>`),
// which is the only way a git install gets dist/: npm runs no other script there. The git case
// runs it twice (pacote's `npm install` in the clone, then its own `prepare` before packing), and
// CI's `npm ci` is followed by the tests. A content stamp of the build's inputs makes every run
// after the first a no-op that costs a hash of the sources, instead of the three Wasm builds
// and tsc again; any change to the sources, the build settings or the locked tool versions
// changes the stamp and rebuilds.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stampFile = join(root, 'build', 'prepare.stamp');
const inputs = [
  'src',
  'assembly',
  'asconfig.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'package-lock.json',
  'scripts/embed-wasm.mjs',
  'scripts/gen-wasm-abi.mjs',
  'scripts/gen-wasm-exports.mjs',
  'scripts/prepare.mjs',
];
const outputs = [
  'dist/index.js',
  'dist/index.d.ts',
  'dist/wasm/init.js',
  'dist/wasm/simd.wasm',
  'dist/wasm/scalar.wasm',
  'dist/wasm/shared.wasm',
];

/** Every input file under `path`, in a stable order; generated sources are outputs, not inputs. */
function files(path) {
  const full = join(root, path);
  if (!existsSync(full)) return [];
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .sort()
    .flatMap((name) => files(join(path, name)))
    .filter((f) => !f.endsWith('.generated.ts'));
}

function inputStamp() {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap(files)) {
    hash
      .update(file.replaceAll('\\', '/'))
      .update('\0')
      .update(readFileSync(join(root, file)));
  }
  return hash.digest('hex');
}

const stamp = inputStamp();
const upToDate =
  existsSync(stampFile) &&
  readFileSync(stampFile, 'utf8').trim() === stamp &&
  outputs.every((f) => existsSync(join(root, f)));
if (upToDate) {
  console.log('wasm-memoryview prepare: dist/ is up to date with the sources (build/prepare.stamp)');
  process.exit(0);
}

// The build needs the devDependencies (asc, tsc). npm installs them for a git dependency and a
// workspace; where they are missing, say so instead of failing inside asc.
const require = createRequire(join(root, 'package.json'));
const missing = ['assemblyscript', '@typescript/native'].filter((name) => {
  try {
    require.resolve(`${name}/package.json`);
    return false;
  } catch {
    return true;
  }
});
if (missing.length > 0) {
  console.error(
    `wasm-memoryview prepare: building dist/ needs the devDependencies (${missing.join(', ')} missing). ` +
      'Install them (npm install --include=dev), or install the package from the npm registry or a packed tarball, ' +
      'which hold dist/ already.',
  );
  process.exit(1);
}

// npm_execpath is the npm that runs this script (npm sets it), so the build uses the same one
const npm = process.env.npm_execpath;
const result =
  npm !== undefined && npm.endsWith('.js')
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (result.status !== 0) {
  console.error('wasm-memoryview prepare: `npm run build` failed');
  process.exit(result.status ?? 1);
}
mkdirSync(dirname(stampFile), { recursive: true });
writeFileSync(stampFile, stamp + '\n');
