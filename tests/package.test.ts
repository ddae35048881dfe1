// The published package: `npm pack` gives a tarball that installs in an empty app and works
// there as users load it: an ES module import, a CommonJS require(), the README's TypeScript
// example under strict settings with Node's types only, the raw Wasm files through their
// subpath export, and bundles with and without code splitting. (The same install in a page in
// headless Chromium is in tests/browser/run.mjs.)
import { build } from 'esbuild';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPackedApp, root, run } from './helpers/packed-app.mjs';

const work = mkdtempSync(join(tmpdir(), 'wasm-memoryview-pack-'));
let app = '';
let tarball = '';
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(() => {
  // Only tsc here (TypeScript 7, the @typescript/native alias, whose `tsc` `npm run build` runs):
  // rebuilding the Wasm would rewrite modules that other test files are importing at the same
  // time (`npm test` builds the Wasm first, in pretest).
  run(process.execPath, [join(root, 'node_modules/@typescript/native/bin/tsc'), '-p', 'tsconfig.build.json'], root);
  const typesNode = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies[
    '@types/node'
  ] as string;
  ({ app, tarball } = installPackedApp(work, [`@types/node@${typesNode}`]));
}, 180_000);

/** Every file under `dir`, relative to it. */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix)).flatMap((name) => {
    const rel = join(prefix, name);
    return statSync(join(dir, rel)).isDirectory() ? walk(dir, rel) : [rel];
  });
}

const TRANSPOSE_CHECK = 'Array.from(transpose(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3])).join()';

describe('the packed tarball', () => {
  it('holds the build, the three raw Wasm files, and typings that carry no Wasm', () => {
    const listing = run('tar', ['-tzf', tarball], work);
    for (const f of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/wasm/simd.wasm',
      'dist/wasm/scalar.wasm',
      'dist/wasm/shared.wasm',
      'dist/wasm/build-simd.generated.js',
      'dist/wasm/copy-worker.js',
    ]) {
      expect(listing).toContain(`package/${f}`);
    }
    expect(listing).not.toContain('package/src/');
    expect(listing).not.toContain('module.generated');
    const dist = join(app, 'node_modules/wasm-memoryview/dist');
    const typings = walk(dist).filter((f) => f.endsWith('.d.ts'));
    // "&}1}D}>(&&&" is the Wasm magic number and version as the builds are embedded
    // (scripts/wasm-text.mjs; as hex before, "0061736d01000000", and base64, "AGFzbQ"); no
    // declaration file may hold a build
    const withWasm = typings.filter((f) =>
      /&\}1\}D\}>\(&&&|0061736d01000000|AGFzbQ/.test(readFileSync(join(dist, f), 'utf8')),
    );
    expect(withWasm).toEqual([]);
  });

  it('is imported by an ES module and runs there', () => {
    writeFileSync(
      join(app, 'main.mjs'),
      [
        "import { init, NDArray, ND, MemoryView, capi, PyBUF, transpose, runtimeInfo } from 'wasm-memoryview';",
        'await init();',
        "const a = new NDArray([1, 2, 3, 4, 5, 6], { shape: [2, 3], format: 'h', flags: ND.FORTRAN });",
        'const c = capi.PyMemoryView_GetContiguous(a, PyBUF.READ, "C");',
        `console.log(JSON.stringify([c.tolist(), c.strides, c.readonly, MemoryView.check(c), runtimeInfo().build, ${TRANSPOSE_CHECK}]));`,
      ].join('\n'),
    );
    expect(run('node', ['main.mjs'], app).trim()).toBe('[[[1,3,5],[2,4,6]],[6,2],true,true,"simd","1,4,2,5,3,6"]');
  });

  it('is loaded by CommonJS require() (Node 20.19 and later load ES modules that have no top-level await)', () => {
    writeFileSync(
      join(app, 'main.cjs'),
      [
        "const { init, transpose, runtimeInfo } = require('wasm-memoryview');",
        `init().then(() => console.log(runtimeInfo().build, ${TRANSPOSE_CHECK}));`,
      ].join('\n'),
    );
    expect(run('node', ['main.cjs'], app).trim()).toBe('simd 1,4,2,5,3,6');
  });

  it("starts copy workers from the installed package, found next to it (new URL('./copy-worker.js', import.meta.url))", () => {
    writeFileSync(
      join(app, 'threads.mjs'),
      [
        "import { init, runtimeInfo, capi, StridedView, runtimeMemory, shutdown } from 'wasm-memoryview';",
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
        'await shutdown();',
      ].join('\n'),
    );
    expect(run('node', ['threads.mjs'], app).trim()).toBe('[2,true]');
  });

  it('serves its raw Wasm files through the subpath export, which init({ bytes }) and init({ module }) run', () => {
    writeFileSync(
      join(app, 'raw.mjs'),
      [
        "import { readFile } from 'node:fs/promises';",
        "import { createRequire } from 'node:module';",
        "import { init, transpose, runtimeInfo } from 'wasm-memoryview';",
        "const bytes = await readFile(new URL(import.meta.resolve('wasm-memoryview/wasm/scalar.wasm')));",
        // CommonJS resolution reaches the same files
        "createRequire(import.meta.url).resolve('wasm-memoryview/wasm/shared.wasm');",
        'await init({ module: await WebAssembly.compile(bytes) });',
        `console.log(runtimeInfo().build, ${TRANSPOSE_CHECK});`,
      ].join('\n'),
    );
    expect(run('node', ['raw.mjs'], app).trim()).toBe('scalar 1,4,2,5,3,6');
  });

  it("runs the README's first TypeScript example, compiled with strict settings, Node's types only and no DOM lib", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example, 'README.md has a ```ts block').toBeDefined();
    writeFileSync(join(app, 'readme.ts'), example as string);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false,
          types: ['node'],
          lib: ['ES2022'],
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          outDir: 'out',
          rootDir: '.',
        },
        files: ['readme.ts'],
      }),
    );
    // the project's TypeScript 7 (a compile error fails the run with tsc's messages)
    run(process.execPath, [join(root, 'node_modules/@typescript/native/bin/tsc'), '-p', 'tsconfig.json'], app);
    // Node 20 has no `using` syntax: target ES2022 compiles it to try/finally with Symbol.dispose
    expect(run('node', ['out/readme.js'], app).trim()).not.toBe('');
  });

  /**
   * `lines` as an entry module bundled by esbuild without splitting into `outfile`, written
   * (minified if `minify`); the build's one file.
   */
  async function bundleOneFile(
    entry: string,
    lines: string[],
    outfile: string,
    minify = false,
  ): Promise<{ path: string; text: string }[]> {
    writeFileSync(join(app, entry), lines.join('\n'));
    const result = await build({
      entryPoints: [join(app, entry)],
      bundle: true,
      format: 'esm',
      platform: 'node',
      write: false,
      outfile: join(app, outfile),
      minify,
      logLevel: 'silent',
    });
    writeFileSync(join(app, outfile), result.outputFiles[0]?.contents ?? '');
    return result.outputFiles;
  }

  it('bundles into one file that runs, with esbuild and no splitting or plugin', async () => {
    const files = await bundleOneFile(
      'bundle-entry.mjs',
      [
        "import { init, transpose, runtimeInfo } from 'wasm-memoryview';",
        `await init();\nconsole.log(runtimeInfo().build, ${TRANSPOSE_CHECK});`,
      ],
      'one-file.mjs',
    );
    expect(files.map((f) => f.path)).toEqual([join(app, 'one-file.mjs')]);
    expect(run('node', ['one-file.mjs'], app).trim()).toBe('simd 1,4,2,5,3,6');
    // the SIMD and scalar modules, once each: the shared build is edits of the SIMD one
    expect(files[0]?.text.match(/&\}1\}D\}>\(&&&/g)).toHaveLength(2);
  });

  it('runs the shared build from a one-file bundle, made from the SIMD build it holds', async () => {
    const files = await bundleOneFile(
      'bundle-shared.mjs',
      [
        "import { init, transpose, runtimeInfo } from 'wasm-memoryview';",
        'await init({ sharedMemory: true });',
        `const info = runtimeInfo();\nconsole.log(info.build, info.sharedMemory, ${TRANSPOSE_CHECK});`,
      ],
      'one-file-shared.mjs',
    );
    expect(files.map((f) => f.path)).toEqual([join(app, 'one-file-shared.mjs')]);
    expect(run('node', ['one-file-shared.mjs'], app).trim()).toBe('shared true 1,4,2,5,3,6');
  });

  it("names Python's types in its errors from a minified bundle, where class names are mangled", async () => {
    await bundleOneFile(
      'bundle-names.mjs',
      [
        "import { init, Bytes, ByteArray, Complex, Ellipsis, MemoryView, NDArray, slice } from 'wasm-memoryview';",
        'await init();',
        'const m = MemoryView.fromObject(new Bytes([1, 2]));',
        'const values = [new Complex(1, 2), slice(1), Ellipsis, new Bytes(1), new ByteArray(1), m, new NDArray([1], { shape: [1] })];',
        "const names = values.map((x) => { try { m.hex(':', x); } catch (e) { return e.message.split(\"'\")[1]; } });",
        'console.log(names.join());',
      ],
      'one-file-names.mjs',
      true,
    );
    expect(run('node', ['one-file-names.mjs'], app).trim()).toBe(
      'complex,slice,ellipsis,bytes,bytearray,memoryview,ndarray',
    );
  });

  it('bundles with esbuild --splitting into chunks where each Wasm build is its own, loaded by none statically', async () => {
    const result = await build({
      entryPoints: [join(app, 'bundle-entry.mjs')],
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      write: true,
      outdir: join(app, 'split'),
      metafile: true,
      logLevel: 'silent',
    });
    const outputs = result.metafile.outputs;
    const buildChunks = Object.keys(outputs).filter((f) => /build-(simd|scalar|shared)\.generated-/.test(f));
    expect(buildChunks).toHaveLength(3);
    const entry = Object.keys(outputs).find((f) => outputs[f]?.entryPoint?.endsWith('bundle-entry.mjs')) as string;
    const statics = (outputs[entry]?.imports ?? []).filter((i) => i.kind === 'import-statement').map((i) => i.path);
    expect(statics.filter((p) => buildChunks.includes(p))).toEqual([]);
    // the thread machinery is a chunk of its own too, loaded by init() only when threads are asked for
    const threadChunks = Object.keys(outputs).filter(
      (f) =>
        outputs[f]?.inputs !== undefined &&
        Object.keys(outputs[f]?.inputs ?? {}).some((i) => i.endsWith('dist/wasm/threads.js')),
    );
    expect(threadChunks).toHaveLength(1);
    const closure = new Set<string>();
    const visit = (f: string): void => {
      if (closure.has(f)) return;
      closure.add(f);
      for (const i of outputs[f]?.imports ?? []) if (i.kind === 'import-statement') visit(i.path);
    };
    visit(entry);
    expect([...closure].filter((f) => threadChunks.includes(f))).toEqual([]);
    expect(run('node', [join('split', 'bundle-entry.js')], app).trim()).toBe('simd 1,4,2,5,3,6');
  });
});
