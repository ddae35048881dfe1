// The copy workers' pool (src/wasm/threads.ts): starting the workers (src/wasm/copy-worker.ts;
// worker_threads in Node, module Web Workers in browsers) on the runtime's memory with a scratch
// area each, the control block they share with the calling thread, and ending them, on
// shutdown() or when one fails. Like the rest of the thread machinery it imports nothing of the
// library at run time: the runtime's functions come through bindThreads() (src/wasm/parallel.ts).
import type { ControlLayout, CopyWorkerMessage, CopyWorkerSetup } from './copy-worker.js';
import type { ThreadsHost } from './parallel.js';
import type { WasmMemory } from './instance.js';

let host: ThreadsHost | null = null;

/** @internal Hands this module the runtime's functions; src/wasm/init.ts calls it when it loads the machinery. */
export function bindThreads(h: ThreadsHost): void {
  host = h;
}

/** The runtime's functions, as bindThreads() handed them over. */
export function runtime(): ThreadsHost {
  if (host === null) throw new Error('wasm-memoryview: the thread machinery was not loaded by init()');
  return host;
}

export function wasm(): ReturnType<ThreadsHost['wasm']> {
  return runtime().wasm();
}

export function setThreadsInfo(threads: number, reason: string | undefined): void {
  runtime().setThreadsInfo(threads, reason);
}

/** The options of init() that concern threads (see InitOptions in src/wasm/instance.ts). */
export interface ThreadOptions {
  threads?: number | 'auto';
  threadTimeout?: number;
  workerUrl?: string | { readonly href: string };
  simd?: boolean;
  sharedMemory?: boolean | WasmMemory;
  attach?: unknown;
}

/** Default of init({ threadTimeout }): how long a copy waits for a worker beyond its own share. */
export const DEFAULT_THREAD_TIMEOUT_MS = 10_000;
// The most words a chunk's plan takes: its header and 3 * ndim, ndim <= 64.
export function maxPlanWords(): number {
  return runtime().planHeaderWords + 3 * 64;
}
// How long a worker may take to start (instantiate the kernels) before init() gives up on threads.
const START_TIMEOUT_MS = 30_000;
// Each worker's scratch area: a chunk's plan (at most maxPlanWords() words) and the 8 KiB
// staging area of 1-byte tiles after it, 64-byte aligned.
const SCRATCH_BYTES = 16 * 1024;

// The control block: the done counter, the job's words and the claim word on cache lines of
// their own (every thread writes the first and the last), then one slot per worker (384 bytes,
// whole lines, so that no two workers' words share a line).
export const SLOT_WORDS = 96;
export const LAYOUT: ControlLayout = {
  done: 0,
  seq: 16,
  op: 17,
  area: 18,
  stride: 19,
  failed: 20,
  post: 21,
  workers: 22,
  spin: 23,
  claim: 32,
  claimBits: 12,
  busy: 0,
  claims: 1,
  hold: 2,
  messageLength: 3,
  message: 16,
  messageChars: 2 * (SLOT_WORDS - 16),
  opRun: 1,
  opExit: 2,
};
export const HEADER_WORDS = 48;
export const MAX_CHUNKS = (1 << LAYOUT.claimBits) - 1;
// the job area has room for this many chunks per thread (the tuners may ask for up to that many)
export const MAX_CHUNKS_PER_THREAD = 16;

/** A worker, Node's or the browser's, as the pool uses it. */
export interface WorkerHandle {
  terminate(): Promise<void>;
}

export interface PoolWorker {
  readonly index: number;
  /** Word index of its slot in the control block. */
  readonly slot: number;
  readonly scratch: number;
  readonly handle: WorkerHandle;
  exited: boolean;
  /** Its scratch area went back to the heap. */
  freed: boolean;
}

export interface InFlight {
  /** The done counter's value once every chunk is done. */
  readonly target: number;
}

export interface Pool {
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

/** The running pool, or null (none started, ended, or broken). */
export function currentPool(): Pool | null {
  return pool;
}

/** Records `p` as the running pool (configureThreads, src/wasm/threads.ts). */
export function setPool(p: Pool | null): void {
  pool = p;
}

interface NodeProcessLike {
  readonly versions?: { readonly node?: string };
  getBuiltinModule?(id: string): unknown;
}

export function nodeProcess(): NodeProcessLike | undefined {
  const p = (globalThis as { process?: NodeProcessLike }).process;
  return p?.versions?.node !== undefined ? p : undefined;
}

/** A Node built-in module, without a static import that browser bundlers would try to resolve. */
export async function nodeBuiltin<T>(id: string): Promise<T> {
  const fromProcess = nodeProcess()?.getBuiltinModule?.(id);
  if (fromProcess !== undefined) return fromProcess as T;
  return (await import(/* @vite-ignore */ id)) as T;
}

/** Starts `n` copy workers; rejects (leaving nothing behind) if any fails to start. */
export async function startPool(n: number, options: ThreadOptions): Promise<Pool> {
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
    control,
    workers: [],
    area,
    areaWords,
    active: n + 1,
    busy: null,
    broken: null,
    timeoutMs: options.threadTimeout ?? DEFAULT_THREAD_TIMEOUT_MS,
    wakers: new Set(),
  };
  const started = await Promise.allSettled(
    blocks.slice(0, n).map(([scratch], index) => {
      const setup: CopyWorkerSetup = {
        kind: 'wasm-memoryview-copy-worker',
        module,
        memory,
        control: control.buffer as SharedArrayBuffer,
        slot: HEADER_WORDS + index * SLOT_WORDS,
        index,
        scratch,
        layout: LAYOUT,
        planStage: runtime().planStageWord,
      };
      return spawn(setup, options.workerUrl, (event) => onWorkerEvent(p, index, event));
    }),
  );
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
      index,
      slot: HEADER_WORDS + index * SLOT_WORDS,
      scratch: blocks[index][0],
      handle: (r as PromiseFulfilledResult<WorkerHandle>).value,
      exited: false,
      freed: false,
    });
  });
  return p;
}

/**
 * A block straight from the allocator: outside the blocks that views may reach (ownedRange in
 * src/wasm/heap.ts), like the calling thread's own scratch area.
 */
function reserveScratch(bytes: number): number {
  try {
    return wasm().malloc(bytes) >>> 0;
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError)
      throw new (runtime().RuntimeError)("no memory left for the copy workers' scratch areas");
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
async function spawn(
  setup: CopyWorkerSetup,
  url: string | { readonly href: string } | undefined,
  onEvent: (event: WorkerEvent) => void,
): Promise<WorkerHandle> {
  let ready!: () => void;
  let failed!: (reason: Error) => void;
  const readyPromise = new Promise<void>((resolve, reject) => {
    ready = resolve;
    failed = reject;
  });
  let isReady = false;
  const onMessage = (message: CopyWorkerMessage): void => {
    if (message.kind === 'ready') {
      isReady = true;
      ready();
    } else if (message.kind === 'failed' && !isReady) failed(new Error(message.error));
    else onEvent({ kind: 'message', message });
  };
  const onExit = (detail: string): void => {
    if (!isReady) failed(new Error(detail));
    else onEvent({ kind: 'exit', detail });
  };
  let handle: WorkerHandle;
  let afterReady = (): void => {};
  if (nodeProcess() !== undefined) {
    const { Worker: NodeWorkerClass } = await nodeBuiltin<{
      Worker: new (url: URL | string, options: object) => NodeWorker;
    }>('node:worker_threads');
    const location = url === undefined ? new URL('./copy-worker.js', import.meta.url) : toNodeUrl(url);
    const worker = new NodeWorkerClass(location, { workerData: setup });
    worker.on('message', onMessage);
    worker.on('error', (err) => onExit(`threw ${err.name}: ${err.message}`));
    worker.on('exit', (code) => onExit(`exited (code ${code})`));
    handle = {
      terminate: async () => {
        await worker.terminate();
      },
    };
    // copy workers never keep a Node program alive: unref once started (before, init() awaits them)
    afterReady = () => worker.unref();
  } else {
    // the literal new URL(...) inside new Worker(...) is the form bundlers (Vite, webpack 5)
    // recognise and emit the worker script for
    const worker =
      url === undefined
        ? new Worker(new URL('./copy-worker.js', import.meta.url), { type: 'module' })
        : new Worker(typeof url === 'string' ? url : url.href, { type: 'module' });
    worker.onmessage = (event: MessageEvent<CopyWorkerMessage>) => onMessage(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      onExit(`failed: ${event.message || 'could not load or run the worker script'}`);
    };
    worker.postMessage(setup);
    handle = {
      terminate: async () => {
        worker.terminate();
      },
    };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`a worker did not start within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
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
export function busy(p: Pool, w: PoolWorker): boolean {
  return Atomics.load(p.control, w.slot + LAYOUT.busy) !== 0;
}

function releaseScratch(w: PoolWorker): void {
  if (w.freed) return;
  w.freed = true;
  wasm().free(w.scratch, SCRATCH_BYTES);
}

/** Closes the job in progress: no thread can claim another of its chunks. Returns how many were left. */
export function closeJob(p: Pool): number {
  const c = p.control;
  const mask = (1 << LAYOUT.claimBits) - 1;
  for (;;) {
    const claim = Atomics.load(c, LAYOUT.claim);
    const count = claim >>> LAYOUT.claimBits;
    const next = claim & mask;
    if (next >= count) return 0;
    if (Atomics.compareExchange(c, LAYOUT.claim, claim, (count << LAYOUT.claimBits) | count) === claim)
      return count - next;
  }
}

/** Fails the pool: ends every worker and leaves copies to the calling thread from now on. */
export function breakPool(p: Pool, reason: string): void {
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

/** Ends the running pool's workers and frees their areas (shutdown(), or a pool of another size). */
export async function endPool(): Promise<void> {
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
