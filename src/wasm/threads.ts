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
// This module imports nothing of the library at run time but the split (src/split.ts, which
// imports types only): the runtime hands it what it needs when it loads it (bindThreads), and
// every copy its executor, so that bundlers give it a chunk of its own (src/wasm/parallel.ts).
import type { CopyPlan } from '../copy/plan.js';
import { canSplit, planBytes, splitPlan } from '../split.js';
import type { ControlLayout, CopyWorkerMessage, CopyWorkerSetup } from './copy-worker.js';
import type { ParallelHooks, PlanExecutor, ThreadsHost } from './parallel.js';
import type { WasmMemory } from './instance.js';

let host: ThreadsHost | null = null;

/** @internal Hands this module the runtime's functions; src/wasm/runtime.ts calls it when it loads the module. */
export function bindThreads(h: ThreadsHost): void {
  host = h;
}

function runtime(): ThreadsHost {
  if (host === null) throw new Error('wasm-memoryview: the thread machinery was not loaded by init()');
  return host;
}

function wasm(): ReturnType<ThreadsHost['wasm']> {
  return runtime().wasm();
}

function setThreadsInfo(threads: number, reason: string | undefined): void {
  runtime().setThreadsInfo(threads, reason);
}

/** The options of init() that concern threads (see InitOptions in src/wasm/runtime.ts). */
export interface ThreadOptions {
  threads?: number | 'auto';
  threadTimeout?: number;
  workerUrl?: string | { readonly href: string };
  simd?: boolean;
  sharedMemory?: boolean | WasmMemory;
  attach?: unknown;
}

/** The most workers 'auto' starts, whatever the hardware has: past that, memory bandwidth is spent. */
export const AUTO_MAX_THREADS = 8;
/** The most threads init() accepts. */
export const MAX_THREADS = 64;
/**
 * Copies of fewer bytes run on the calling thread alone: below this, waking a worker and
 * waiting for it costs more than the share it takes (measured: bench/tune-threads.ts).
 */
export const PARALLEL_MIN_BYTES = 1 << 20;
/** Default of init({ threadTimeout }): how long a copy waits for a worker beyond its own share. */
export const DEFAULT_THREAD_TIMEOUT_MS = 10_000;
// Chunks per thread a copy is cut into: the threads claim them one by one, so that one that is
// late (descheduled on a busy machine) leaves its chunks to the others instead of holding them
// up; more chunks balance better and cost a claim and a plan each.
const CHUNKS_PER_THREAD = 4;
// Chunks are never smaller than this (but a copy has at least one per thread).
const MIN_CHUNK_BYTES = 256 * 1024;
let chunking = { perThread: CHUNKS_PER_THREAD, minBytes: MIN_CHUNK_BYTES };
// The most words a chunk's plan takes: its header and 3 * ndim, ndim <= 64.
function maxPlanWords(): number {
  return runtime().planHeaderWords + 3 * 64;
}
// How long (ms) a worker spins for its next job, and the calling thread for the workers, before
// sleeping in Atomics.wait: waking a sleeping thread takes tens of microseconds.
const SPIN_MS = 0.05;
let spinMs = SPIN_MS;
// How long a worker may take to start (instantiate the kernels) before init() gives up on threads.
const START_TIMEOUT_MS = 30_000;
// Each worker's scratch area: a chunk's plan (at most maxPlanWords() words) and the 8 KiB
// staging area of 1-byte tiles after it, 64-byte aligned.
const SCRATCH_BYTES = 16 * 1024;

// The control block: the done counter, the job's words and the claim word on cache lines of
// their own (every thread writes the first and the last), then one slot per worker (384 bytes,
// whole lines, so that no two workers' words share a line).
const SLOT_WORDS = 96;
const LAYOUT: ControlLayout = {
  done: 0, seq: 16, op: 17, area: 18, stride: 19, failed: 20, post: 21, workers: 22, spin: 23, claim: 32, claimBits: 12,
  busy: 0, claims: 1, hold: 2, messageLength: 3, message: 16, messageChars: 2 * (SLOT_WORDS - 16),
  opRun: 1, opExit: 2,
};
const HEADER_WORDS = 48;
const MAX_CHUNKS = (1 << LAYOUT.claimBits) - 1;
// the job area has room for this many chunks per thread (the tuners may ask for up to that many)
const MAX_CHUNKS_PER_THREAD = 16;

/** A worker, Node's or the browser's, as the pool uses it. */
interface WorkerHandle {
  terminate(): Promise<void>;
}

interface PoolWorker {
  readonly index: number;
  /** Word index of its slot in the control block. */
  readonly slot: number;
  readonly scratch: number;
  readonly handle: WorkerHandle;
  exited: boolean;
  /** Its scratch area went back to the heap. */
  freed: boolean;
}

interface InFlight {
  /** The done counter's value once every chunk is done. */
  readonly target: number;
}

interface Pool {
  readonly control: Int32Array;
  readonly workers: PoolWorker[];
  /** The job area: the chunks' plans, in linear memory, and its size in words. */
  readonly area: number;
  readonly areaWords: number;
  /** Threads copies use, the calling thread included (at most workers + 1). */
  active: number;
  /** A copy is using the workers. */
  busy: InFlight | null;
  /** Why the pool failed, once it has. */
  broken: string | null;
  timeoutMs: number;
  /** Callbacks that re-check an asynchronous copy (done messages, exits). */
  readonly wakers: Set<() => void>;
}

let pool: Pool | null = null;
let minBytesOverride: number | null = null;
let warned = false;
// init() calls that change threads run one after the other
let configuring: Promise<void> = Promise.resolve();
// asynchronous copies run one after the other
let asyncQueue: Promise<void> = Promise.resolve();
// set while copyAsyncWith() runs its copy: the first large plan goes to the workers, unawaited
let deferral: { pending: Promise<void> | null } | null = null;

/** Whether copies may be split across threads now. */
export function threadsActive(): boolean {
  return pool !== null && pool.active > 1;
}

// ---- environment --------------------------------------------------------------------------------

interface NodeProcessLike {
  readonly versions?: { readonly node?: string };
  getBuiltinModule?(id: string): unknown;
}

function nodeProcess(): NodeProcessLike | undefined {
  const p = (globalThis as { process?: NodeProcessLike }).process;
  return p?.versions?.node !== undefined ? p : undefined;
}

/** A Node built-in module, without a static import that browser bundlers would try to resolve. */
async function nodeBuiltin<T>(id: string): Promise<T> {
  const fromProcess = nodeProcess()?.getBuiltinModule?.(id);
  if (fromProcess !== undefined) return fromProcess as T;
  return (await import(/* @vite-ignore */ id)) as T;
}

/** Why this environment cannot run copy workers on shared memory, or null when it can. */
function environmentReason(options: ThreadOptions): string | null {
  if (options.attach !== undefined) return 'a realm attached to another runtime does not start copy workers';
  if (typeof SharedArrayBuffer === 'undefined' || (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === false) {
    return 'SharedArrayBuffer is not available: in a browser the page must be cross-origin isolated ' +
      '(Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp)';
  }
  if (nodeProcess() === undefined && typeof Worker === 'undefined') return 'this engine has no Web Workers';
  if (options.simd === false || simdSwitchedOff()) {
    return 'simd: false: copy workers run the shared-memory build, which needs Wasm SIMD (there is no scalar shared build)';
  }
  if (!runtime().simdSupported()) return 'this engine has no Wasm SIMD, which the shared-memory build of copy workers needs';
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
    throw new (runtime().ValueError)(`init(): threads must be 'auto' or an integer from 1 to ${MAX_THREADS}, got ${String(threads)}`);
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
    throw new (runtime().ValueError)(`init(): threadTimeout must be a positive number of milliseconds, got ${String(options.threadTimeout)}`);
  }
  if (count === 1) {
    if (pool !== null) pool.active = 1;
    setThreadsInfo(1, requested === 'auto' ? "threads: 'auto' found one core" : undefined);
    return;
  }
  const env = environmentReason(options);
  if (env !== null) { fallBack(env, requested, true); return; }
  if (!sharedMemory) {
    fallBack(runtime().runtimeInfo().build === 'scalar'
      ? 'the runtime runs the scalar build (simd: false, or no Wasm SIMD); copy workers run the shared-memory build, which needs Wasm SIMD'
      : 'the runtime was initialized without shared memory: pass threads (or sharedMemory: true) to the first init() call, ' +
        'and give it shared.wasm if it takes a module, bytes or url',
    requested, true);
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
    pool = await startPool(count - 1, options);
    setThreadsInfo(count, undefined);
  } catch (err) {
    fallBack(`the copy workers did not start: ${err instanceof Error ? err.message : String(err)}`, requested, true);
  }
}

// ---- starting and ending workers --------------------------------------------------------------------

async function startPool(n: number, options: ThreadOptions): Promise<Pool> {
  // the runtime's own build (the embedded shared.wasm, or the one given to init()): the workers
  // instantiate it on the runtime's memory
  const module = runtime().runtimeModule() as WebAssembly.Module;
  const memory = wasm().memory;
  const control = new Int32Array(new SharedArrayBuffer(4 * (HEADER_WORDS + n * SLOT_WORDS)));
  const areaWords = Math.min(MAX_CHUNKS, (n + 1) * MAX_CHUNKS_PER_THREAD) * maxPlanWords();
  const blocks: Array<[number, number]> = [];
  try {
    for (let i = 0; i < n; i++) blocks.push([reserveScratch(SCRATCH_BYTES), SCRATCH_BYTES]);
    blocks.push([reserveScratch(4 * areaWords), 4 * areaWords]);
  } catch (err) {
    for (const [ptr, size] of blocks) wasm().free(ptr, size);
    throw err;
  }
  const area = blocks[n][0];
  const p: Pool = {
    control, workers: [], area, areaWords, active: n + 1, busy: null, broken: null,
    timeoutMs: options.threadTimeout ?? DEFAULT_THREAD_TIMEOUT_MS, wakers: new Set(),
  };
  const started = await Promise.allSettled(blocks.slice(0, n).map(([scratch], index) => {
    const setup: CopyWorkerSetup = {
      kind: 'wasm-memoryview-copy-worker', module, memory, control: control.buffer as SharedArrayBuffer,
      slot: HEADER_WORDS + index * SLOT_WORDS, index, scratch, layout: LAYOUT, planStage: runtime().planStageWord,
    };
    return spawn(setup, options.workerUrl, (event) => onWorkerEvent(p, index, event));
  }));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed !== undefined) {
    // the started ones' exit events must not break (and free) this pool a second time
    p.broken = 'did not start';
    for (const r of started) if (r.status === 'fulfilled') await r.value.terminate();
    for (const [ptr, size] of blocks) wasm().free(ptr, size);
    throw (failed as PromiseRejectedResult).reason;
  }
  started.forEach((r, index) => {
    p.workers.push({
      index, slot: HEADER_WORDS + index * SLOT_WORDS, scratch: blocks[index][0],
      handle: (r as PromiseFulfilledResult<WorkerHandle>).value, exited: false, freed: false,
    });
  });
  return p;
}

/**
 * A block straight from the allocator: outside the blocks that views may reach (ownedRange in
 * src/wasm/runtime.ts), like the calling thread's own scratch area.
 */
function reserveScratch(bytes: number): number {
  try {
    return wasm().malloc(bytes) >>> 0;
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) throw new (runtime().RuntimeError)('no memory left for the copy workers\' scratch areas');
    throw err;
  }
}

type WorkerEvent = { kind: 'message'; message: CopyWorkerMessage } | { kind: 'exit'; detail: string };

interface NodeWorker {
  on(event: 'message', listener: (m: CopyWorkerMessage) => void): void;
  on(event: 'error', listener: (e: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}

/** Starts one worker; resolves once its kernels are instantiated. */
async function spawn(setup: CopyWorkerSetup, url: string | { readonly href: string } | undefined,
  onEvent: (event: WorkerEvent) => void): Promise<WorkerHandle> {
  let ready!: () => void;
  let failed!: (reason: Error) => void;
  const readyPromise = new Promise<void>((resolve, reject) => { ready = resolve; failed = reject; });
  let isReady = false;
  const onMessage = (message: CopyWorkerMessage): void => {
    if (message.kind === 'ready') { isReady = true; ready(); } else if (message.kind === 'failed' && !isReady) failed(new Error(message.error));
    else onEvent({ kind: 'message', message });
  };
  const onExit = (detail: string): void => {
    if (!isReady) failed(new Error(detail));
    else onEvent({ kind: 'exit', detail });
  };
  let handle: WorkerHandle;
  let afterReady = (): void => {};
  if (nodeProcess() !== undefined) {
    const { Worker: NodeWorkerClass } = await nodeBuiltin<{ Worker: new (url: URL | string, options: object) => NodeWorker }>('node:worker_threads');
    const location = url === undefined ? new URL('./copy-worker.js', import.meta.url) : toNodeUrl(url);
    const worker = new NodeWorkerClass(location, { workerData: setup });
    worker.on('message', onMessage);
    worker.on('error', (err) => onExit(`threw ${err.name}: ${err.message}`));
    worker.on('exit', (code) => onExit(`exited (code ${code})`));
    handle = { terminate: async () => { await worker.terminate(); } };
    // copy workers never keep a Node program alive: unref once started (before, init() awaits them)
    afterReady = () => worker.unref();
  } else {
    // the literal new URL(...) inside new Worker(...) is the form bundlers (Vite, webpack 5)
    // recognise and emit the worker script for
    const worker = url === undefined
      ? new Worker(new URL('./copy-worker.js', import.meta.url), { type: 'module' })
      : new Worker(typeof url === 'string' ? url : url.href, { type: 'module' });
    worker.onmessage = (event: MessageEvent<CopyWorkerMessage>) => onMessage(event.data);
    worker.onerror = (event) => { event.preventDefault(); onExit(`failed: ${event.message || 'could not load or run the worker script'}`); };
    worker.postMessage(setup);
    handle = { terminate: async () => { worker.terminate(); } };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`a worker did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
  });
  try {
    await Promise.race([readyPromise, timeout]);
  } catch (err) {
    await handle.terminate();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  afterReady();
  return handle;
}

function toNodeUrl(url: string | { readonly href: string }): URL | string {
  if (url instanceof URL) return url;
  if (typeof url !== 'string') return new URL(url.href);
  try {
    return new URL(url);
  } catch {
    return url; // a path
  }
}

function onWorkerEvent(p: Pool, index: number, event: WorkerEvent): void {
  if (event.kind === 'message') {
    if (event.message.kind === 'done') for (const wake of [...p.wakers]) wake();
    return;
  }
  if (p.broken === null) breakPool(p, `copy worker ${index} ${event.detail}`);
  const w = p.workers[index];
  if (w !== undefined && !w.exited) {
    w.exited = true;
    // a worker that was running a chunk may have been using its scratch area until now
    releaseScratch(w);
  }
  Atomics.notify(p.control, LAYOUT.done);
  for (const wake of [...p.wakers]) wake();
}

/** Whether worker `w` runs a chunk (or is about to claim one). */
function busy(p: Pool, w: PoolWorker): boolean {
  return Atomics.load(p.control, w.slot + LAYOUT.busy) !== 0;
}

function releaseScratch(w: PoolWorker): void {
  if (w.freed) return;
  w.freed = true;
  wasm().free(w.scratch, SCRATCH_BYTES);
}

/** Closes the job in progress: no thread can claim another of its chunks. Returns how many were left. */
function closeJob(p: Pool): number {
  const c = p.control;
  const mask = (1 << LAYOUT.claimBits) - 1;
  for (;;) {
    const claim = Atomics.load(c, LAYOUT.claim);
    const count = claim >>> LAYOUT.claimBits;
    const next = claim & mask;
    if (next >= count) return 0;
    if (Atomics.compareExchange(c, LAYOUT.claim, claim, (count << LAYOUT.claimBits) | count) === claim) return count - next;
  }
}

/** Fails the pool: ends every worker and leaves copies to the calling thread from now on. */
function breakPool(p: Pool, reason: string): void {
  if (p.broken !== null) return;
  p.broken = reason;
  closeJob(p);
  if (pool === p) {
    pool = null;
    setThreadsInfo(1, `${reason}; copies run on one thread from now on`);
  }
  for (const w of p.workers) {
    // a worker that is not running a chunk cannot start one now (the job is closed): its scratch
    // area is free; a busy one keeps its area until its exit event (in browsers, for good)
    if (!busy(p, w)) releaseScratch(w);
    void w.handle.terminate().catch(() => {});
  }
  // the job area: a late worker reads a chunk's plan from it only after claiming the chunk, and
  // the job is closed; a busy one has its plan in its own scratch area already
  wasm().free(p.area, 4 * p.areaWords);
}

async function endPool(): Promise<void> {
  const p = pool;
  if (p === null) return;
  pool = null;
  p.broken = 'ended';
  closeJob(p);
  Atomics.store(p.control, LAYOUT.op, LAYOUT.opExit);
  Atomics.add(p.control, LAYOUT.seq, 1);
  Atomics.notify(p.control, LAYOUT.seq);
  await Promise.all(p.workers.map((w) => w.handle.terminate().catch(() => {})));
  for (const w of p.workers) releaseScratch(w);
  wasm().free(p.area, 4 * p.areaWords);
}

/**
 * Ends the copy workers (after any asynchronous copy in progress); copies then run on the
 * calling thread, and a later `init({ threads })` starts workers again. Does nothing without
 * workers. Resolves once every worker has exited.
 */
export async function shutdown(): Promise<void> {
  await configuring;
  await asyncQueue;
  const had = pool !== null;
  await endPool();
  if (had) setThreadsInfo(1, 'shutdown() ended the copy workers');
}

// ---- running a split copy -----------------------------------------------------------------------

let blockingAllowed: boolean | null = null;

/** Whether this thread may block in Atomics.wait (not on a browser's main thread). */
function canBlock(): boolean {
  if (blockingAllowed === null) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blockingAllowed = true;
    } catch {
      blockingAllowed = false;
    }
  }
  return blockingAllowed;
}

function minBytes(): number {
  return minBytesOverride ?? PARALLEL_MIN_BYTES;
}

/** Forces how long (ms) the threads spin before sleeping (null: the default); for tuners. */
export function setSpinForTuning(ms: number | null): void {
  spinMs = ms ?? SPIN_MS;
}

/** Forces how copies are cut: chunks per thread (at most 16) and their least size (null: the defaults); for tuners. */
export function setChunkingForTuning(perThread: number | null, minBytes: number | null): void {
  chunking = {
    perThread: Math.min(perThread ?? CHUNKS_PER_THREAD, MAX_CHUNKS_PER_THREAD), minBytes: minBytes ?? MIN_CHUNK_BYTES,
  };
}

/** Forces the size from which copies are split (null: PARALLEL_MIN_BYTES); for tests and tuners. */
export function setParallelMinBytesForTuning(bytes: number | null): void {
  minBytesOverride = bytes;
}

/**
 * Posts the chunks of a job: their plans into the job area, the claim word set to their count,
 * the job's number bumped, the workers woken. Returns the done counter's target.
 */
function postJob(p: Pool, chunks: readonly CopyPlan[], notifyByMessage: boolean, executor: PlanExecutor): number {
  const c = p.control;
  const stride = executor.planWords(chunks[0]);
  for (let i = 0; i < chunks.length; i++) {
    const chunk = testHooks.replaceChunk?.(chunks[i]) ?? chunks[i];
    // the stage word marks a staged chunk; each thread puts its own staging area there
    executor.writeAt(chunk, p.area + 4 * i * stride, chunk.staged ? 1 : 0);
  }
  const target = Atomics.load(c, LAYOUT.done) + chunks.length;
  c[LAYOUT.area] = p.area;
  c[LAYOUT.stride] = stride;
  c[LAYOUT.post] = notifyByMessage ? 1 : 0;
  // the workers beyond the threads asked for (init({ threads }) with fewer) stay parked
  c[LAYOUT.workers] = p.active - 1;
  c[LAYOUT.spin] = Math.round(spinMs * 1000);
  Atomics.store(c, LAYOUT.failed, 0);
  Atomics.store(c, LAYOUT.op, LAYOUT.opRun);
  // every word above (and the plans' plain stores) is visible to a thread that sees the claim word
  Atomics.store(c, LAYOUT.claim, chunks.length << LAYOUT.claimBits);
  Atomics.add(c, LAYOUT.seq, 1);
  Atomics.notify(c, LAYOUT.seq);
  return target;
}

/** Claims the next chunk of the job in progress for the calling thread; -1 when none is left. */
function claimChunk(p: Pool): number {
  const c = p.control;
  const mask = (1 << LAYOUT.claimBits) - 1;
  for (;;) {
    const claim = Atomics.load(c, LAYOUT.claim);
    const next = claim & mask;
    if (next >= claim >>> LAYOUT.claimBits) return -1;
    if (Atomics.compareExchange(c, LAYOUT.claim, claim, claim + 1) === claim) return next;
  }
}

/** The failure a worker reported for the job in progress, or null. */
function workerFailure(p: Pool): string | null {
  const failed = Atomics.load(p.control, LAYOUT.failed);
  if (failed === 0) return null;
  const w = p.workers[failed - 1];
  const chars = new Uint16Array(p.control.buffer);
  const n = p.control[w.slot + LAYOUT.messageLength];
  const at = 2 * (w.slot + LAYOUT.message);
  return `copy worker ${w.index} threw ${String.fromCharCode(...chars.subarray(at, at + n))}`;
}

function failure(reason: string): Error {
  return new (runtime().RuntimeError)(`parallel copy failed: ${reason}; the destination may be partly written (memory ` +
    'outside it is untouched), and copies run on one thread from now on');
}

/** Waits, blocking or spinning, until the done counter reaches `target` or `deadline` (performance.now()) passes. */
function waitFor(p: Pool, target: number, deadline: number): boolean {
  const c = p.control;
  for (const until = performance.now() + spinMs; Atomics.load(c, LAYOUT.done) < target && performance.now() < until;);
  if (canBlock()) {
    for (;;) {
      const done = Atomics.load(c, LAYOUT.done);
      if (done >= target) return true;
      const left = deadline - performance.now();
      if (left <= 0) return false;
      Atomics.wait(c, LAYOUT.done, done, Math.min(left, 100));
    }
  }
  // a browser's main thread may not block: spin on the counter, reading the clock now and then
  for (let spins = 1; Atomics.load(c, LAYOUT.done) < target; spins++) {
    if ((spins & 0x3ff) === 0 && performance.now() > deadline) return false;
  }
  return true;
}

/** The workers running a chunk, by index: those a deadline blames. */
function lateWorkers(p: Pool): string {
  return p.workers.filter((w) => busy(p, w)).map((w) => w.index).join(', ') || 'none';
}

/**
 * Finishes the job in flight synchronously, allowing the workers `allowMs` more; throws
 * RuntimeError if it failed.
 */
function finishSync(p: Pool, allowMs: number): void {
  const flight = p.busy as InFlight;
  const finished = waitFor(p, flight.target, performance.now() + allowMs);
  p.busy = null;
  const reason = finished ? workerFailure(p)
    : `copy worker ${lateWorkers(p)} did not finish within ${Math.round(allowMs)} ms (it died or hangs)`;
  if (reason !== null) {
    breakPool(p, reason);
    throw failure(reason);
  }
}

/** Into how many chunks a copy of `bytes` is cut for `threads` threads. */
function chunkCount(p: Pool, bytes: number, threads: number, stride: number): number {
  const wanted = Math.max(threads, Math.min(threads * chunking.perThread, Math.floor(bytes / chunking.minBytes)));
  return Math.min(wanted, Math.floor(p.areaWords / stride));
}

/**
 * The hook of runCopyPlan (src/copy.ts): runs `plan` split across the threads and returns true,
 * or returns false (nothing done) when it is too small, cannot be split, or the workers are busy.
 */
export function runParallel(plan: CopyPlan, executor: PlanExecutor): boolean {
  const p = pool;
  if (p === null) return false;
  if (p.busy !== null) {
    // a copy of someone else's is on the workers: this one runs on the calling thread alone,
    // unless it is a later plan of the same asynchronous copy (through a temporary), which
    // needs the first one done whatever its size
    if (deferral === null) return false;
    finishSync(p, p.timeoutMs);
  }
  if (p.active < 2) return false;
  const bytes = planBytes(plan);
  if (bytes < minBytes() || !canSplit(plan)) return false;
  const threads = deferral !== null && deferral.pending === null ? p.active - 1 : p.active;
  const chunks = splitPlan(plan, chunkCount(p, bytes, threads, executor.planWords(plan)), threads);
  if (chunks.length < 2 && threads > 1) return false;
  if (deferral !== null && deferral.pending === null) {
    deferral.pending = dispatchAsync(p, chunks, bytes, executor);
    return true;
  }
  p.busy = { target: postJob(p, chunks, false, executor) };
  testHooks.afterDispatch?.();
  // the calling thread's share: chunks until none is left
  const t0 = performance.now();
  let ran = 0;
  let ownError: unknown = null;
  try {
    for (let i = claimChunk(p); i >= 0; i = claimChunk(p)) {
      executor.runHere(chunks[i]);
      Atomics.add(p.control, LAYOUT.done, 1);
      ran++;
    }
  } catch (err) {
    ownError = err;
    // the chunks nobody took count as done: the workers finish theirs, and then this one throws
    Atomics.add(p.control, LAYOUT.done, closeJob(p) + 1);
  }
  // the workers may be writing the destination still: wait for them even if this share failed;
  // they have a chunk each at most left, which takes about as long as one of this thread's
  const perChunk = (performance.now() - t0) / Math.max(ran, 1);
  finishSync(p, Math.max(p.timeoutMs, 20 * perChunk));
  if (ownError !== null) throw ownError;
  return true;
}

/** Hands every chunk to the workers; the promise settles when they are done. */
function dispatchAsync(p: Pool, chunks: readonly CopyPlan[], bytes: number, executor: PlanExecutor): Promise<void> {
  const waitAsync = (Atomics as unknown as {
    waitAsync?(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string };
  }).waitAsync;
  const flight: InFlight = { target: postJob(p, chunks, waitAsync === undefined, executor) };
  p.busy = flight;
  testHooks.afterDispatch?.();
  // Web Workers have no exit event: a worker that dies is noticed by this deadline (the time
  // allowed, plus the copy at a pessimistic 100 MB/s)
  const allowMs = p.timeoutMs + bytes / 1e5;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (reason: string | null): void => {
      settled = true;
      clearTimeout(timer);
      p.wakers.delete(check);
      if (reason === null) resolve(); else reject(failure(reason));
    };
    const check = (): void => {
      if (settled) return;
      if (p.busy !== flight) {
        // finished synchronously by a later plan of the same copy (finishSync), which threw if it failed
        settle(p.broken);
        return;
      }
      const done = Atomics.load(p.control, LAYOUT.done);
      const reason = p.broken ?? (done >= flight.target ? workerFailure(p) : null);
      if (reason !== null || done >= flight.target) {
        p.busy = null;
        if (reason !== null) breakPool(p, reason);
        settle(reason);
        return;
      }
      if (waitAsync !== undefined) {
        const r = waitAsync(p.control, LAYOUT.done, done);
        if (r.async) void (r.value as Promise<string>).then(check); else queueMicrotask(check);
      }
      // otherwise a 'done' message, an exit event or the deadline calls check again (the wakers)
    };
    const timer = setTimeout(() => {
      if (settled || p.busy !== flight || Atomics.load(p.control, LAYOUT.done) >= flight.target) return;
      breakPool(p, `copy worker ${lateWorkers(p)} did not finish within ${Math.round(allowMs)} ms (it died or hangs)`);
      p.busy = null;
      settle(p.broken);
    }, allowMs);
    p.wakers.add(check);
    check();
  });
}

/**
 * Runs `copy` (a function that makes one strided copy) so that its copy, if large enough, runs
 * entirely on the copy workers; resolves when it is done. Small copies, and every copy when no
 * workers run, are made at once. Asynchronous copies run one after the other.
 */
export function copyAsyncWith(copy: () => void): Promise<void> {
  const job = asyncQueue.then(() => {
    const mine = { pending: null as Promise<void> | null };
    deferral = mine;
    try {
      copy();
    } catch (err) {
      // the part already on the workers settles on its own; the copy's error is the one to report
      mine.pending?.catch(() => {});
      throw err;
    } finally {
      deferral = null;
    }
    return mine.pending ?? undefined;
  });
  asyncQueue = job.then(() => {}, () => {});
  return job;
}

const HOOKS: ParallelHooks = { runParallel, copyAsync: copyAsyncWith, shutdown };

// ---- test hooks -----------------------------------------------------------------------------------

const testHooks: {
  afterDispatch: (() => void) | null;
  replaceChunk: ((chunk: CopyPlan) => CopyPlan | undefined) | null;
} = { afterDispatch: null, replaceChunk: null };

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
    const p = pool as Pool;
    const w = p.workers[index];
    Atomics.store(p.control, w.slot + LAYOUT.hold, held ? 1 : 0);
    if (!held) Atomics.notify(p.control, w.slot + LAYOUT.hold);
  },
  /** Chunks worker `index` has claimed so far. */
  claims(index: number): number {
    const p = pool as Pool;
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
    return (pool as Pool).workers[index].handle.terminate();
  },
  /** Workers in the pool (0 without one). */
  workers(): number {
    return pool?.workers.length ?? 0;
  },
};
