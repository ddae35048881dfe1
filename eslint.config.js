// ESLint: correctness and unused code, not style (prettier owns the layout; `npm run lint` runs
// both, and knip for unused exports and files).
//
// TypeScript: the project compiles with TypeScript 7 (the native compiler, `tsc`, installed as
// the `@typescript/native` alias of typescript@7), which ships no JavaScript compiler API.
// typescript-eslint parses through that API (even without type information), so `typescript`
// in package.json is the TypeScript team's side-by-side package `@typescript/typescript6` (the
// 6.0 API; its binary is `tsc6`, so it never shadows `tsc`). Drop the alias once
// typescript-eslint supports TypeScript 7. The rules are the untyped ones: typed linting would
// build a second, TypeScript 6 program of the whole tree on every run, for rules
// (no-floating-promises and kin) that `tsc --noEmit` and the tests already cover well enough here.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: [
      'dist/**',
      'dist-check/**',
      'build/**',
      'node_modules/**',
      'test-results/**',
      'bench/sample/**',
      // what runs write, as .gitignore lists: the harness's results and the bundles it runs,
      // the browser tests' bundles, the demo's build, coverage
      'bench/results/**',
      'tests/browser/out/**',
      'demo/dist/**',
      'coverage/**',
      'tests/fixtures/**',
      '**/*.generated.ts',
      // AssemblyScript, not TypeScript: decorators on functions (`@inline`, `@unmanaged`), its
      // own number types and builtins (i32, usize, load<T>) that typescript-eslint's parser and
      // scope analysis do not know. asc type-checks it; tests/generated.test.ts checks the
      // generated transpose.ts.
      'assembly/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    settings: {
      // import-x only follows imports into files with these extensions, parsed by this parser
      'import-x/extensions': ['.ts', '.mts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mts'] },
      // resolves './x.js' to './x.ts' as NodeNext does
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // no import cycles anywhere (scripts/check-cycles.mjs checks src/ the same way, with names)
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      // `let [a, b] = ...` where only a is reassigned stays one statement
      'prefer-const': ['error', { destructuring: 'all' }],
      // unused code: a leading `_` marks a deliberately unused name
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // one concern a file: a library module that outgrows this is doing two jobs (docs/architecture.md)
    files: ['src/**'],
    rules: { 'max-lines': ['error', { max: 700 }] },
  },
  {
    // pages and workers: the browser's globals too
    files: ['demo/**', 'tests/browser/**', 'src/wasm/copy-worker.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker, ...globals.node } },
  },
);
