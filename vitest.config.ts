import { defineConfig } from 'vitest/config';

const EXCLUDE = ['tests/browser/**', 'node_modules/**'];

// The suites the scalar project leaves out: the build cannot change what they check (or they
// choose their build themselves), or they assert the SIMD build. Everything else runs twice.
const NOT_ON_SCALAR = [
  // asserts the SIMD build's plans and kernels; copy-planner-scalar.test.ts is its scalar twin
  'tests/copy-planner.test.ts',
  // choose their build with init() options, whatever the switch says
  'tests/copy-planner-scalar.test.ts',
  'tests/runtime-scalar.test.ts',
  'tests/runtime-shared.test.ts',
  // the module a host supplies decides the build: under the switch a SIMD module is refused as
  // a contradiction (src/wasm/supplied.ts), as it should be
  'tests/runtime-module.test.ts',
  // copy workers run the shared-memory build, which is SIMD only: under the switch init({ threads })
  // falls back to one thread, and the fallback tests expect the SIMD build's fallbacks (the
  // switch's own fallback is one of their cases, on the simd project)
  'tests/threads.test.ts',
  'tests/threads-fallback.test.ts',
  // the package as users get it (npm pack, installs, tsc, the docs' examples run by Node in
  // processes of their own, on the build their engine picks): slow and build-independent
  'tests/package.test.ts',
  'tests/install-from-source.test.ts',
  'tests/docs-examples.test.ts',
  // no Wasm at all: committed files against their generators, the import graph, and the
  // pure-JS hash against the reference interpreter (which it starts, a few seconds)
  'tests/generated.test.ts',
  'tests/import-cycles.test.ts',
  'tests/pyodide-reference.test.ts',
  // V8's shapes of the host's objects, seen from a process of its own
  'tests/object-shape.test.ts',
  // the typings' doc comments, read from the sources
  'tests/public-docs.test.ts',
  // the heap, memory growth, finalizers and the allocator's limits: the host's and the
  // allocator's code, the same in both builds (bounds.test.ts and fuzz.test.ts, which move
  // bytes through the kernels, do run on the scalar build)
  'tests/reliability/colour.test.ts',
  'tests/reliability/finalize.test.ts',
  'tests/reliability/growth.test.ts',
  'tests/reliability/leaks.test.ts',
  'tests/reliability/oom.test.ts',
];

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: EXCLUDE,
    testTimeout: 60_000,
    // the JSON report (both projects, each test once per project that ran it) is what .ci/run counts
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    projects: [
      // the whole suite, on the build init() picks here (SIMD in Node)
      { extends: true, test: { name: 'simd' } },
      // the same suites again on the scalar build, as engines without Wasm SIMD run them; the
      // library reads WASM_MEMORYVIEW_SIMD=0 from process.env in init() (src/wasm/runtime.ts)
      {
        extends: true,
        test: { name: 'scalar', exclude: [...EXCLUDE, ...NOT_ON_SCALAR], env: { WASM_MEMORYVIEW_SIMD: '0' } },
      },
    ],
  },
});
