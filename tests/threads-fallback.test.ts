// Where copy workers cannot run, init({ threads }) falls back to one thread, warns once and
// says why in runtimeInfo().threadsReason. Each case runs in a fresh module graph (a runtime
// of its own, vi.resetModules), with the environment stubbed as a browser without cross-origin
// isolation, or without SharedArrayBuffer, would be. And copy workers never keep Node running.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LIBRARY, nodeScript } from './helpers/node-script.js';
import { copyWorkerUrl } from './helpers/threads.js';

type Lib = typeof import('../src/index.js');

async function freshRuntime(): Promise<Lib> {
  vi.resetModules();
  return import('../src/index.js');
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  delete (globalThis as { WASM_MEMORYVIEW_SIMD?: boolean }).WASM_MEMORYVIEW_SIMD;
});

const workerUrl = copyWorkerUrl();

describe('init({ threads }) where workers cannot run', () => {
  it('falls back to one thread on the scalar build with simd: false, and warns once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const lib = await freshRuntime();
    await lib.init({ threads: 2, simd: false, workerUrl });
    expect(lib.runtimeInfo()).toMatchObject({ build: 'scalar', threads: 1 });
    expect(lib.runtimeInfo().threadsReason).toMatch(
      /simd: false: copy workers run the shared-memory build, which needs Wasm SIMD/,
    );
    await lib.init({ threads: 4, workerUrl });
    expect(lib.runtimeInfo()).toMatchObject({ build: 'scalar', threads: 1 });
    expect(lib.runtimeInfo().threadsReason).toMatch(/the runtime runs the scalar build/);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(
      /^wasm-memoryview: init\(\{ threads: 2 \}\) runs on one thread: simd: false/,
    );
  });

  it('falls back to one thread without SharedArrayBuffer, on the private-memory build', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.stubGlobal('SharedArrayBuffer', undefined);
    const lib = await freshRuntime();
    await lib.init({ threads: 2, workerUrl });
    expect(lib.runtimeInfo()).toMatchObject({ build: 'simd', sharedMemory: false, threads: 1 });
    expect(lib.runtimeInfo().threadsReason).toMatch(/SharedArrayBuffer is not available/);
  });

  it('falls back to one thread on a page that is not cross-origin isolated, and names the two headers', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.stubGlobal('crossOriginIsolated', false);
    const lib = await freshRuntime();
    await lib.init({ threads: 'auto', workerUrl });
    expect(lib.runtimeInfo().threads).toBe(1);
    expect(lib.runtimeInfo().threadsReason).toMatch(
      /Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp/,
    );
  });

  it('cannot add threads to a runtime initialized without shared memory, and says so', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const lib = await freshRuntime();
    await lib.init();
    expect(lib.runtimeInfo()).toMatchObject({ threads: 1 });
    expect(lib.runtimeInfo().threadsReason).toBeUndefined();
    await lib.init({ threads: 2, workerUrl });
    expect(lib.runtimeInfo()).toMatchObject({ build: 'simd', threads: 1 });
    expect(lib.runtimeInfo().threadsReason).toMatch(/initialized without shared memory/);
  });

  it('falls back to one thread, and says why, when the worker script cannot be loaded', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const lib = await freshRuntime();
    await lib.init({ threads: 2, workerUrl: new URL('./no-such-worker.js', import.meta.url) });
    expect(lib.runtimeInfo()).toMatchObject({ build: 'shared', threads: 1 });
    expect(lib.runtimeInfo().threadsReason).toMatch(/^the copy workers did not start: /);
    expect(lib.heapStats().liveBlocks).toBe(1); // the calling thread's scratch area only
  });

  it("takes the hardware's concurrency for 'auto', at most 8", async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const lib = await freshRuntime();
    await lib.init({ threads: 'auto', workerUrl });
    const cores = Math.min(8, availableParallelism());
    expect(lib.runtimeInfo().threads).toBe(cores);
    await lib.shutdown();
  });
});

describe('the thread machinery (src/wasm/threads.ts), loaded only when threads are asked for', () => {
  it('is not loaded by init() without threads or with threads: 1: copies run here, with no hooks installed', async () => {
    const lib = await freshRuntime();
    const parallel = await import('../src/wasm/parallel.js');
    await lib.init();
    await lib.init({ threads: 1 });
    expect(parallel.parallelHooks()).toBeNull();
    expect(lib.runtimeInfo()).toMatchObject({ build: 'simd', threads: 1 });
    expect(Array.from(await lib.transposeAsync(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]))).toEqual([
      1, 4, 2, 5, 3, 6,
    ]);
    await lib.shutdown(); // nothing to end
  });

  it('runs its workers on the shared.wasm given to init({ bytes }), the build the runtime itself runs', async () => {
    const lib = await freshRuntime();
    const bytes = readFileSync(new URL('../dist/wasm/shared.wasm', import.meta.url));
    await lib.init({ threads: 2, bytes, workerUrl });
    expect(lib.runtimeInfo()).toMatchObject({ build: 'shared', threads: 2 });
    const n = 1024;
    const a = Float32Array.from({ length: n * n }, (_, k) => k);
    const t = await lib.transposeAsync(a, [n, n]);
    expect([t[1], t[n], t[n * n - 1]]).toEqual([n, 1, n * n - 1]);
    await lib.shutdown();
  });

  it('leaves copies on one thread, and says why, when init({ bytes }) gives a private build', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const lib = await freshRuntime();
    const bytes = readFileSync(new URL('../dist/wasm/simd.wasm', import.meta.url));
    await lib.init({ threads: 2, bytes, workerUrl });
    expect(lib.runtimeInfo()).toMatchObject({ build: 'simd', sharedMemory: false, threads: 1 });
    expect(lib.runtimeInfo().threadsReason).toMatch(/initialized without shared memory/);
  });
});

describe('copy workers in a Node program', () => {
  it('do not keep it running: it exits on its own after init({ threads: 2 }) and a split copy', () => {
    const script = nodeScript('threads', [
      `import { init, runtimeInfo, capi, StridedView } from ${LIBRARY};`,
      'await init({ threads: 2, workerUrl: process.argv[2] });',
      'const n = 1024, p = capi.PyMem_Malloc(n * n * 4), q = capi.PyMem_Malloc(n * n * 4);',
      "const view = (ptr) => StridedView.over({ ptr, len: n * n * 4 }, { shape: [n, n], format: 'f' });",
      'view(q).copyFrom(view(p).transpose());',
      'console.log(JSON.stringify(runtimeInfo()));',
    ]);
    // a generous bound only to turn a hang into a failure: the program ends as soon as its code does
    const out = execFileSync('node', [script, workerUrl.href], { encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(out.trim())).toMatchObject({ build: 'shared', threads: 2 });
  });
});
