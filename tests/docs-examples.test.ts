// Every ```ts block of README.md and docs/*.md, as a user gets it: typechecked against the
// built typings (dist/*.d.ts from tsconfig.build.json) under the strictest settings users turn
// on (strict, noUncheckedIndexedAccess, exactOptionalPropertyTypes, skipLibCheck: false, Node
// types and no DOM lib), then run by Node against the built package. A `console.log(...)` with a
// `// comment` on the same line must print what the comment says (whitespace ignored).
//
// Conventions for writers (docs/cookbook.md repeats them):
// - ```ts          typechecked and run; each block is a module of its own (import what it uses).
// - ```ts no-run   typechecked only (code that needs a browser, a server or user data).
// - ```ts ignore   neither (a fragment that cannot stand alone); use sparingly.
// The package is built into a temporary folder, never into dist/, so that other test files are
// not disturbed.
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const tsc = join(root, 'node_modules', '.bin', 'tsc');
const run = promisify(execFile);

interface Block {
  readonly id: string;
  readonly file: string;
  /** 1-based line of the block's first code line in its Markdown file. */
  readonly line: number;
  readonly code: string;
  readonly mode: 'run' | 'no-run';
}

/** The ```ts blocks of a Markdown file (```ts ignore left out). */
function blocksOf(file: string): Block[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```ts(?:\s+(\S+))?\s*$/.exec(lines[i] as string);
    if (open === null) continue;
    const flag = open[1] ?? '';
    if (flag !== '' && flag !== 'no-run' && flag !== 'ignore')
      throw new Error(`${file}:${i + 1}: unknown flag '${flag}'`);
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end] as string)) end++;
    if (flag !== 'ignore') {
      blocks.push({
        id: `${file.replace(/[^A-Za-z0-9]+/g, '_')}_${start + 1}`,
        file,
        line: start + 1,
        code: lines.slice(start, end).join('\n'),
        mode: flag === 'no-run' ? 'no-run' : 'run',
      });
    }
    i = end;
  }
  return blocks;
}

const markdown = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
const blocks = markdown.flatMap(blocksOf);

/** `console.log(` becomes `__log(<markdown line>, ` on the same line: same types, same line numbers. */
function instrument(block: Block): string {
  return (
    block.code
      .split('\n')
      .map((text, k) => text.replaceAll('console.log(', `__log(${block.line + k}, `))
      .join('\n') + "\nimport '../log.js';\n"
  ); // hoisted like every import; after the code so that no line moves
}

/** The outputs a block's comments promise: markdown line -> expected text, whitespace removed. */
function promised(block: Block): Map<number, string> {
  const out = new Map<number, string>();
  block.code.split('\n').forEach((text, k) => {
    const m = /console\.log\(.*\);\s*\/\/\s?(.*)$/.exec(text);
    if (m !== null) out.set(block.line + k, (m[1] as string).replace(/\s+/g, ''));
  });
  return out;
}

const STRICT = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['ES2022', 'ESNext.Disposable'],
  types: ['node'],
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  skipLibCheck: false,
  outDir: 'js',
  rootDir: '.',
  declaration: false,
  sourceMap: false,
};

// What the published typings must not show (the internals the issue list named, and friends).
const INTERNALS = `import { Bytes, ManagedBuffer, MemoryView, NDArray, struct } from 'wasm-memoryview';
declare const m: MemoryView;
declare const b: Bytes;
declare const mb: ManagedBuffer;
// @ts-expect-error internal
void m.mbuf;
// @ts-expect-error internal
void m.view;
// @ts-expect-error internal
void m.flags;
// @ts-expect-error internal
void m.exports;
// @ts-expect-error internal
void m.hashValue;
// @ts-expect-error internal
m.initFlags();
// @ts-expect-error internal
m.checkReleased();
// @ts-expect-error internal
void m.isPIL;
// @ts-expect-error internal
void m.isReleased;
// @ts-expect-error internal
void m.isCContiguous;
// @ts-expect-error internal
MemoryView.create(mb, null);
// @ts-expect-error private constructor
new MemoryView();
// @ts-expect-error private constructor
new ManagedBuffer();
// @ts-expect-error internal
ManagedBuffer.fromObject(b, 0);
// @ts-expect-error internal
void mb.master;
// @ts-expect-error internal
mb.release();
// @ts-expect-error protected
void b.ptr;
// @ts-expect-error protected
void b.exportCount;
// @ts-expect-error internal
NDArray.baseOf(new NDArray([1], { shape: [1] }));
// @ts-expect-error internal
struct.packHalf(1);
// @ts-expect-error internal
void struct.NATIVE_ITEMSIZE;
`;

let work = '';
let diagnostics = '';
const outcomes = new Map<string, { code: number; stdout: string; stderr: string }>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'wasm-memoryview-docs-'));
  // The package as npm would install it: package.json and the build of tsconfig.build.json.
  const pkg = join(work, 'node_modules', 'wasm-memoryview');
  mkdirSync(pkg, { recursive: true });
  execFileSync(tsc, ['-p', join(root, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')], { cwd: root });
  writeFileSync(join(pkg, 'package.json'), readFileSync(join(root, 'package.json')));
  // Everything else the examples import: the project's own dependencies, as an app would have them.
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === 'wasm-memoryview' || entry.startsWith('.')) continue;
    symlinkSync(join(root, 'node_modules', entry), join(work, 'node_modules', entry));
  }
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'docs-examples', type: 'module', private: true }));
  writeFileSync(
    join(work, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: STRICT, include: ['examples/*.ts', 'log.d.ts'] }),
  );
  writeFileSync(join(work, 'log.d.ts'), 'declare function __log(line: number, ...data: unknown[]): void;\n');
  // __log prints each record as one marked line, from the main thread and from workers alike
  mkdirSync(join(work, 'js'));
  writeFileSync(
    join(work, 'js', 'log.js'),
    [
      "import { format } from 'node:util';",
      'globalThis.__log = (line, ...data) => { process.stdout.write(`\\u0001${JSON.stringify([line, format(...data)])}\\n`); };',
    ].join('\n'),
  );
  mkdirSync(join(work, 'examples'));
  for (const block of blocks) writeFileSync(join(work, 'examples', `${block.id}.ts`), instrument(block));
  writeFileSync(join(work, 'examples', 'internals.ts'), INTERNALS);
  try {
    execFileSync(tsc, ['-p', work], { cwd: work, encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    diagnostics = String((err as { stdout?: string }).stdout ?? err);
  }
  // Run two at a time (the machine is shared); each in its own Node, as a user's script.
  const queue = blocks.filter((b) => b.mode === 'run');
  // as a user runs them: without the test suite's switch that forces the scalar build
  const env = { ...process.env };
  delete env.WASM_MEMORYVIEW_SIMD;
  const worker = async (): Promise<void> => {
    for (let block = queue.shift(); block !== undefined; block = queue.shift()) {
      try {
        const { stdout, stderr } = await run(process.execPath, [join(work, 'js', 'examples', `${block.id}.js`)], {
          cwd: work,
          env,
          timeout: 120_000,
          maxBuffer: 1 << 24,
        });
        outcomes.set(block.id, { code: 0, stdout, stderr });
      } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string };
        outcomes.set(block.id, { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) });
      }
    }
  };
  await Promise.all([worker(), worker()]);
}, 600_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

/** The type errors of one example file, with the Markdown file and line they point at. */
function errorsOf(block: Block | null): string[] {
  const name = block === null ? 'internals.ts' : `${block.id}.ts`;
  return diagnostics
    .split('\n')
    .filter((l) => l.startsWith(`examples/${name}(`))
    .map((l) => {
      if (block === null) return l;
      const m = /\((\d+),(\d+)\)/.exec(l);
      return m === null ? l : `${block.file}:${block.line + Number(m[1]) - 1}:${m[2]} ${l.slice(l.indexOf(': ') + 2)}`;
    });
}

/** Errors inside installed typings (not in the examples themselves). */
function libraryErrors(): string[] {
  return diagnostics.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('examples/') && !l.startsWith(' '));
}

// Pyodide's own typings name DOM types (HTMLCanvasElement, WebAssembly, FileSystemDirectoryHandle):
// a project that imports it needs the DOM lib for Pyodide's sake, not for this package's.
const NEEDS_DOM = /node_modules\/pyodide\//;

describe('the published typings', () => {
  it('compile without the DOM lib and with skipLibCheck: false', () => {
    expect(libraryErrors().filter((l) => !NEEDS_DOM.test(l))).toEqual([]);
  });

  it('hide the internals: every access in the probe is a type error', () => {
    expect(errorsOf(null)).toEqual([]);
  });

  it('are found by every block (a docs file without ```ts blocks is fine, no blocks at all is not)', () => {
    expect(blocks.length).toBeGreaterThan(10);
  });
});

describe.each(blocks.map((b) => [`${b.file}:${b.line}`, b] as const))('the example at %s', (_where, block) => {
  it('compiles under strict settings against the built typings', () => {
    expect(errorsOf(block)).toEqual([]);
  });

  if (block.mode === 'run') {
    it('runs on Node and prints what its comments say', () => {
      const outcome = outcomes.get(block.id);
      expect(outcome, 'the example did not run').toBeDefined();
      expect(outcome?.stderr ?? '').not.toMatch(/Error/);
      expect(outcome?.code).toBe(0);
      const printed = new Map<number, string>();
      for (const line of (outcome?.stdout ?? '').split('\n')) {
        if (!line.startsWith('\u0001')) continue;
        const [at, text] = JSON.parse(line.slice(1)) as [number, string];
        if (!printed.has(at)) printed.set(at, text.replace(/\s+/g, ''));
      }
      for (const [at, expected] of promised(block)) {
        expect(printed.get(at), `${block.file}:${at}`).toBe(expected);
      }
    });
  }
});
