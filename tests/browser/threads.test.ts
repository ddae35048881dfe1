// Parallel copies on a cross-origin isolated page: init({ threads }) starts module Web Workers
// (the copy worker found by new URL('./copy-worker.js', import.meta.url), next to this page's
// bundle), a synchronous copy on the main thread takes its share and spins until the workers are
// done (Atomics.wait is not allowed here), copyFromAsync leaves the copy to the workers, and a
// worker that fails or dies fails its copy with RuntimeError. Web Workers have no exit event:
// deaths are noticed by the copy's deadline.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeError, StridedView, capi, init, runtimeInfo, runtimeMemory, shutdown } from '../../src/index.js';
import { setParallelMinBytesForTuning, threadsForTesting } from '../../src/wasm/threads.js';
import { copyPlannerProperties } from '../helpers/copy-properties.js';
import { rejectionOf } from '../helpers/errors.js';

// The copies' deadline only notices dead workers: the fault tests below set a short one; the
// property tests keep a long one, so that a worker a busy machine leaves waiting (4 threads on 2
// cores) is never taken for dead and a failure there is the copy's own
const PROPERTY_DEADLINE_MS = 30_000;

beforeAll(async () => {
  await init({ threads: 2, threadTimeout: PROPERTY_DEADLINE_MS });
});

afterEach(() => {
  threadsForTesting.afterDispatch(null);
  threadsForTesting.replaceChunks(null);
});

afterAll(async () => {
  await shutdown();
});

function filled(n: number, seed: number): number {
  const p = capi.PyMem_Malloc(n);
  const u = new Uint8Array(runtimeMemory().buffer, p, n);
  for (let i = 0; i < n; i++) u[i] = (i * 131 + seed) & 0xff;
  return p;
}

function sameBytes(a: number, b: number, n: number): boolean {
  const u = new Uint8Array(runtimeMemory().buffer);
  for (let i = 0; i < n; i++) if (u[a + i] !== u[b + i]) return false;
  return true;
}

/** A float32 n x n transpose from a patterned block, and the single-threaded result to compare with. */
function transposeCase(n: number) {
  const size = n * n * 4;
  const src = filled(size, 1);
  const dst = filled(size, 2);
  const ref = filled(size, 3);
  const view = (p: number) => StridedView.over({ ptr: p, len: size }, { shape: [n, n], format: 'f' });
  setParallelMinBytesForTuning(Number.MAX_SAFE_INTEGER);
  view(ref).copyFrom(view(src).transpose());
  setParallelMinBytesForTuning(null);
  return {
    dst: view(dst),
    src: view(src).transpose(),
    correct: () => sameBytes(dst, ref, size),
    free: () => {
      for (const p of [src, dst, ref]) capi.PyMem_Free(p);
    },
  };
}

/**
 * After the next split copy posts its chunks, waits until worker 0 has claimed one before the
 * calling thread claims any (so that a fault injected into worker 0 hits the copy), then runs `then`.
 */
function waitForWorker0(then?: () => void): void {
  const before = threadsForTesting.claims(0);
  threadsForTesting.afterDispatch(() => {
    threadsForTesting.waitForClaim(0, before);
    then?.();
  });
}

describe('threads on a cross-origin isolated page', () => {
  it('start two module Web Workers on the shared build', () => {
    expect(crossOriginIsolated).toBe(true);
    expect(runtimeInfo()).toMatchObject({ build: 'shared', sharedMemory: true, threads: 2 });
    expect(threadsForTesting.workers()).toBe(1);
  });

  it('split a 2048x2048 float32 transpose, the main thread spinning for its worker, with the single-threaded bytes', () => {
    const t = transposeCase(2048);
    try {
      let dispatched = 0;
      threadsForTesting.afterDispatch(() => {
        dispatched++;
      });
      t.dst.copyFrom(t.src);
      expect(dispatched).toBe(1);
      expect(t.correct()).toBe(true);
    } finally {
      t.free();
    }
  });

  it('leave an asynchronous copy to the workers, with the single-threaded bytes', async () => {
    const t = transposeCase(2048);
    try {
      await t.dst.copyFromAsync(t.src);
      expect(t.correct()).toBe(true);
    } finally {
      t.free();
    }
  });
});

describe('with 2 threads on the page, every copy split', () => {
  beforeAll(() => setParallelMinBytesForTuning(0));
  afterAll(() => setParallelMinBytesForTuning(null));
  copyPlannerProperties(60);
});

describe('with 4 threads on the page (more threads than cores), every copy split', () => {
  beforeAll(async () => {
    await init({ threads: 4, threadTimeout: PROPERTY_DEADLINE_MS });
    setParallelMinBytesForTuning(0);
  });
  afterAll(async () => {
    setParallelMinBytesForTuning(null);
    await init({ threads: 2 });
  });
  it('uses 4 threads', () => {
    expect(runtimeInfo().threads).toBe(4);
  });
  copyPlannerProperties(60);
});

describe('a copy worker that fails on the page', () => {
  it('fails a copy with RuntimeError when it throws; one thread copies from then on', async () => {
    await init({ threads: 2, threadTimeout: 500 });
    expect(runtimeInfo().threads).toBe(2);
    const t = transposeCase(1024);
    try {
      threadsForTesting.replaceChunks((chunk) => ({ ...chunk, dst: 0x7ff0_0000 }));
      waitForWorker0();
      expect(() => t.dst.copyFrom(t.src)).toThrow(RuntimeError);
      threadsForTesting.replaceChunks(null);
      expect(runtimeInfo().threads).toBe(1);
      expect(runtimeInfo().threadsReason).toMatch(/copy worker 0 threw RuntimeError/);
      t.dst.copyFrom(t.src);
      expect(t.correct()).toBe(true);
    } finally {
      t.free();
    }
  });

  it('fails a synchronous copy by the deadline when a worker is terminated mid-copy', async () => {
    await init({ threads: 2, threadTimeout: 500 });
    expect(runtimeInfo().threads).toBe(2);
    const t = transposeCase(1024);
    try {
      threadsForTesting.hold(0, true);
      waitForWorker0(() => {
        void threadsForTesting.terminate(0);
      });
      expect(() => t.dst.copyFrom(t.src)).toThrow(/copy worker 0 did not finish within 500 ms/);
      expect(runtimeInfo().threads).toBe(1);
      t.dst.copyFrom(t.src);
      expect(t.correct()).toBe(true);
    } finally {
      t.free();
    }
  });

  it('rejects an asynchronous copy by its deadline when a worker is terminated mid-copy', async () => {
    await init({ threads: 2, threadTimeout: 500 });
    expect(runtimeInfo().threads).toBe(2);
    const t = transposeCase(1024);
    try {
      threadsForTesting.hold(0, true);
      waitForWorker0(() => {
        void threadsForTesting.terminate(0);
      });
      const err = await rejectionOf(t.dst.copyFromAsync(t.src));
      expect(err).toBeInstanceOf(RuntimeError);
      expect(String((err as Error).message)).toMatch(/copy worker 0 did not finish within \d+ ms/);
      expect(runtimeInfo().threads).toBe(1);
      await t.dst.copyFromAsync(t.src);
      expect(t.correct()).toBe(true);
    } finally {
      t.free();
    }
  });

  it('starts workers again after shutdown()', async () => {
    await init({ threads: 2 });
    expect(runtimeInfo().threads).toBe(2);
    await shutdown();
    expect(runtimeInfo()).toMatchObject({ threads: 1, threadsReason: 'shutdown() ended the copy workers' });
    await init({ threads: 2 });
    expect(runtimeInfo().threads).toBe(2);
    const t = transposeCase(1024);
    try {
      t.dst.copyFrom(t.src);
      expect(t.correct()).toBe(true);
    } finally {
      t.free();
    }
  });
});
