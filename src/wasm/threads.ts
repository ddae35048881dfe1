// Parallel copies: with init({ threads: N }) the runtime runs on shared memory and starts N-1
// copy workers (src/wasm/copy-worker.ts; worker_threads in Node, module Web Workers in
// browsers), each with its own instance of the kernels on the same memory and its own scratch
// area. A copy the planner judges large enough (PARALLEL_MIN_BYTES) is cut into chunks
// (src/split.ts: sub-plans on cache-line boundaries of the destination), about four per thread;
// the calling thread and the workers claim them one at a time until none is left, so that a
// thread that is late (descheduled on a busy machine) leaves its share to the others. Then the
// calling thread waits for the chunks in progress: Atomics.wait where the thread may block
// (Node, workers), a spin on the same counter on a browser's main thread, where Atomics.wait
// throws. copyAsyncWith() leaves every chunk to the workers and returns a promise instead, so
// that a page's main thread stays free.
//
// Faults: a worker that throws reports it in the control block; one that dies is noticed by its
// exit event (when the thread that owns the pool is free to receive it) or, during a synchronous
// copy, by a deadline. Either way the copy fails with RuntimeError (as Python's
// concurrent.futures.process.BrokenProcessPool, a RuntimeError, when a worker dies), the
// workers are ended and copies run on one thread from then on. Chunks only ever write the
// destination, so memory outside it is untouched whatever happened.
//
// This module (with src/wasm/thread-pool.ts, the workers, and src/wasm/thread-jobs.ts, the split
// copies) imports nothing of the library at run time but the split (src/split.ts, which imports
// types only): the runtime hands it what it needs when it loads it (bindThreads), and every copy
// its executor, so that bundlers give it a chunk of its own (src/wasm/parallel.ts).
import type { CopyPlan } from '../copy/plan.js';
import type { ParallelHooks } from './parallel.js';
import { asyncCopiesDone, copyAsyncWith, runParallel, testHooks } from './thread-jobs.js';
import {
  LAYOUT,
  currentPool,
  endPool,
  nodeBuiltin,
  nodeProcess,
  runtime,
  setPool,
  setThreadsInfo,
  startPool,
  type Pool,
  type ThreadOptions,
} from './thread-pool.js';

export { bindThreads, type ThreadOptions } from './thread-pool.js';
export { setChunkingForTuning, setParallelMinBytesForTuning } from './thread-jobs.js';

/** The most workers 'auto' starts, whatever the hardware has: past that, memory bandwidth is spent. */
export const AUTO_MAX_THREADS = 8;
/** The most threads init() accepts. */
export const MAX_THREADS = 64;
let warned = false;
// init() calls that change threads run one after the other
let configuring: Promise<void> = Promise.resolve();

// ---- environment --------------------------------------------------------------------------------

/** Why this environment cannot run copy workers on shared memory, or null when it can. */
function environmentReason(options: ThreadOptions): string | null {
  if (options.attach !== undefined) return 'a realm attached to another runtime does not start copy workers';
  if (
    typeof SharedArrayBuffer === 'undefined' ||
    (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false
  ) {
    return (
      'SharedArrayBuffer is not available: in a browser the page must be cross-origin isolated ' +
      '(Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp)'
    );
  }
  if (nodeProcess() === undefined && typeof Worker === 'undefined') return 'this engine has no Web Workers';
  if (options.simd === false || simdSwitchedOff()) {
    return 'simd: false: copy workers run the shared-memory build, which needs Wasm SIMD (there is no scalar shared build)';
  }
  if (!runtime().simdSupported())
    return 'this engine has no Wasm SIMD, which the shared-memory build of copy workers needs';
  return null;
}

function simdSwitchedOff(): boolean {
  const g = globalThis as { WASM_MEMORYVIEW_SIMD?: unknown; process?: { env?: Record<string, string | undefined> } };
  if (g.WASM_MEMORYVIEW_SIMD !== undefined) return !g.WASM_MEMORYVIEW_SIMD;
  const env = g.process?.env?.WASM_MEMORYVIEW_SIMD;
  return env === '0' || env?.toLowerCase() === 'false';
}

function checkThreads(threads: number | 'auto'): void {
  if (threads === 'auto') return;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new (runtime().ValueError)(
      `init(): threads must be 'auto' or an integer from 1 to ${MAX_THREADS}, got ${String(threads)}`,
    );
  }
}

/** The hardware's concurrency where the engine says (browsers, Node), or null. */
async function hardwareThreads(): Promise<number | null> {
  const fromNavigator = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  if (typeof fromNavigator === 'number' && fromNavigator > 0) return fromNavigator;
  if (nodeProcess() === undefined) return null;
  const os = await nodeBuiltin<{ availableParallelism?(): number; cpus(): unknown[] }>('node:os');
  return os.availableParallelism?.() ?? os.cpus().length;
}

/**
 * Whether init() should run the shared-memory build because of `threads` (decided before the
 * build is instantiated; the count itself is settled by configureThreads()).
 * @public (for knip: src/wasm/init.ts calls it on this module's dynamic import)
 */
export function threadsNeedSharedMemory(options: ThreadOptions): boolean {
  if (options.threads === undefined || options.threads === 1) return false;
  checkThreads(options.threads);
  if (options.threads === 'auto') {
    const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
    if (typeof n === 'number' && n < 2) return false;
  }
  return environmentReason(options) === null;
}

function fallBack(reason: string, requested: number | 'auto', warn: boolean): void {
  setThreadsInfo(1, reason);
  if (warn && !warned) {
    warned = true;
    console.warn(`wasm-memoryview: init({ threads: ${JSON.stringify(requested)} }) runs on one thread: ${reason}`);
  }
}

/**
 * Settles `options.threads` once the runtime is instantiated: starts, reuses or parks copy
 * workers, or falls back to one thread and records why (runtimeInfo().threadsReason).
 */
export function configureThreads(options: ThreadOptions, sharedMemory: boolean): Promise<void> {
  runtime().installParallelHooks(HOOKS);
  const requested = options.threads;
  if (requested === undefined) return configuring;
  checkThreads(requested);
  configuring = configuring.then(() => applyThreads(requested, options, sharedMemory));
  return configuring;
}

async function applyThreads(requested: number | 'auto', options: ThreadOptions, sharedMemory: boolean): Promise<void> {
  let count = requested === 'auto' ? Math.min(AUTO_MAX_THREADS, (await hardwareThreads()) ?? 1) : requested;
  if (options.threadTimeout !== undefined && !(options.threadTimeout > 0)) {
    throw new (runtime().ValueError)(
      `init(): threadTimeout must be a positive number of milliseconds, got ${String(options.threadTimeout)}`,
    );
  }
  const pool = currentPool();
  if (count === 1) {
    if (pool !== null) pool.active = 1;
    setThreadsInfo(1, requested === 'auto' ? "threads: 'auto' found one core" : undefined);
    return;
  }
  const env = environmentReason(options);
  if (env !== null) {
    fallBack(env, requested, true);
    return;
  }
  if (!sharedMemory) {
    fallBack(
      runtime().runtimeInfo().build === 'scalar'
        ? 'the runtime runs the scalar build (simd: false, or no Wasm SIMD); copy workers run the shared-memory build, which needs Wasm SIMD'
        : 'the runtime was initialized without shared memory: pass threads (or sharedMemory: true) to the first init() call, ' +
            'and give it shared.wasm if it takes a module, bytes or url',
      requested,
      true,
    );
    return;
  }
  count = Math.min(count, MAX_THREADS);
  if (pool !== null && pool.workers.length >= count - 1) {
    pool.active = count;
    if (options.threadTimeout !== undefined) pool.timeoutMs = options.threadTimeout;
    setThreadsInfo(count, undefined);
    return;
  }
  // a pool of another size: end it and start the size asked for
  await endPool();
  try {
    setPool(await startPool(count - 1, options));
    setThreadsInfo(count, undefined);
  } catch (err) {
    fallBack(`the copy workers did not start: ${err instanceof Error ? err.message : String(err)}`, requested, true);
  }
}

/**
 * Ends the copy workers (after any asynchronous copy in progress); copies then run on the
 * calling thread, and a later `init({ threads })` starts workers again. Does nothing without
 * workers. Resolves once every worker has exited.
 */
export async function shutdown(): Promise<void> {
  await configuring;
  await asyncCopiesDone();
  const had = currentPool() !== null;
  await endPool();
  if (had) setThreadsInfo(1, 'shutdown() ended the copy workers');
}

const HOOKS: ParallelHooks = { runParallel, copyAsync: copyAsyncWith, shutdown };

// ---- test hooks -----------------------------------------------------------------------------------

/** Fault injection for the tests: not part of the API. */
export const threadsForTesting = {
  /** Calls `fn` right after a split copy has posted its chunks, before the caller claims any (null: none). */
  afterDispatch(fn: (() => void) | null): void {
    testHooks.afterDispatch = fn;
  },
  /** Lets `fn` replace the chunks the workers run (the calling thread runs the planned ones), e.g. by chunks that trap. */
  replaceChunks(fn: ((chunk: CopyPlan) => CopyPlan | undefined) | null): void {
    testHooks.replaceChunk = fn;
  },
  /** Holds worker `index` (true) after it claims its next chunk, mid-copy, until released. */
  hold(index: number, held: boolean): void {
    const p = currentPool() as Pool;
    const w = p.workers[index];
    Atomics.store(p.control, w.slot + LAYOUT.hold, held ? 1 : 0);
    if (!held) Atomics.notify(p.control, w.slot + LAYOUT.hold);
  },
  /** Chunks worker `index` has claimed so far. */
  claims(index: number): number {
    const p = currentPool() as Pool;
    return Atomics.load(p.control, p.workers[index].slot + LAYOUT.claims);
  },
  /** Spins until worker `index` has claimed more than `count` chunks (at most 10 s). */
  waitForClaim(index: number, count: number): void {
    const until = performance.now() + 10_000;
    while (this.claims(index) <= count) {
      if (performance.now() > until) throw new Error(`copy worker ${index} claimed no chunk in 10 s`);
    }
  },
  /** Ends worker `index` as a crash would, without telling the pool. */
  terminate(index: number): Promise<void> {
    return (currentPool() as Pool).workers[index].handle.terminate();
  },
  /** Workers in the pool (0 without one). */
  workers(): number {
    return currentPool()?.workers.length ?? 0;
  },
};
