// Running a split copy on the copy workers' pool (src/wasm/thread-pool.ts): a copy the planner
// judges large enough is cut into chunks (src/split.ts), posted as a job in the control block,
// and claimed one at a time by the calling thread and the workers; then the calling thread waits
// for the chunks in progress. copyAsyncWith() leaves every chunk to the workers and returns a
// promise instead.
import type { CopyPlan } from '../copy/plan.js';
import { canSplit, planBytes, splitPlan } from '../split.js';
import type { PlanExecutor } from './parallel.js';
import {
  LAYOUT,
  MAX_CHUNKS_PER_THREAD,
  breakPool,
  busy,
  closeJob,
  currentPool,
  runtime,
  type InFlight,
  type Pool,
} from './thread-pool.js';

/**
 * Copies of fewer bytes run on the calling thread alone: below this, waking a worker and
 * waiting for it costs more than the share it takes (measured: bench/tune-threads.ts).
 */
export const PARALLEL_MIN_BYTES = 1 << 20;

// Chunks per thread a copy is cut into: the threads claim them one by one, so that one that is
// late (descheduled on a busy machine) leaves its chunks to the others instead of holding them
// up; more chunks balance better and cost a claim and a plan each.
const CHUNKS_PER_THREAD = 4;
// Chunks are never smaller than this (but a copy has at least one per thread).
const MIN_CHUNK_BYTES = 256 * 1024;
let chunking = { perThread: CHUNKS_PER_THREAD, minBytes: MIN_CHUNK_BYTES };
// How long (ms) a worker spins for its next job, and the calling thread for the workers, before
// sleeping in Atomics.wait: waking a sleeping thread takes tens of microseconds.
const SPIN_MS = 0.05;
let minBytesOverride: number | null = null;
// asynchronous copies run one after the other
let asyncQueue: Promise<void> = Promise.resolve();
// set while copyAsyncWith() runs its copy: the first large plan goes to the workers, unawaited
let deferral: { pending: Promise<void> | null } | null = null;

/** Settles once the asynchronous copies queued so far are done (shutdown() waits for them). */
export function asyncCopiesDone(): Promise<void> {
  return asyncQueue;
}

/** Fault injection points (threadsForTesting in src/wasm/threads.ts). */
export const testHooks: {
  afterDispatch: (() => void) | null;
  replaceChunk: ((chunk: CopyPlan) => CopyPlan | undefined) | null;
} = { afterDispatch: null, replaceChunk: null };

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

/** Forces how copies are cut: chunks per thread (at most 16) and their least size (null: the defaults); for tuners. */
export function setChunkingForTuning(perThread: number | null, minBytes: number | null): void {
  chunking = {
    perThread: Math.min(perThread ?? CHUNKS_PER_THREAD, MAX_CHUNKS_PER_THREAD),
    minBytes: minBytes ?? MIN_CHUNK_BYTES,
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
  c[LAYOUT.spin] = Math.round(SPIN_MS * 1000);
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
  return new (runtime().RuntimeError)(
    `parallel copy failed: ${reason}; the destination may be partly written (memory ` +
      'outside it is untouched), and copies run on one thread from now on',
  );
}

/** Waits, blocking or spinning, until the done counter reaches `target` or `deadline` (performance.now()) passes. */
function waitFor(p: Pool, target: number, deadline: number): boolean {
  const c = p.control;
  for (const until = performance.now() + SPIN_MS; Atomics.load(c, LAYOUT.done) < target && performance.now() < until;);
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
  return (
    p.workers
      .filter((w) => busy(p, w))
      .map((w) => w.index)
      .join(', ') || 'none'
  );
}

/**
 * Finishes the job in flight synchronously, allowing the workers `allowMs` more; throws
 * RuntimeError if it failed.
 */
function finishSync(p: Pool, allowMs: number): void {
  const flight = p.busy as InFlight;
  const finished = waitFor(p, flight.target, performance.now() + allowMs);
  p.busy = null;
  const reason = finished
    ? workerFailure(p)
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
 * The hook of runCopyPlan (src/copy/encode.ts): runs `plan` split across the threads and returns true,
 * or returns false (nothing done) when it is too small, cannot be split, or the workers are busy.
 */
export function runParallel(plan: CopyPlan, executor: PlanExecutor): boolean {
  const p = currentPool();
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
  const waitAsync = (
    Atomics as unknown as {
      waitAsync?(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string };
    }
  ).waitAsync;
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
      if (reason === null) resolve();
      else reject(failure(reason));
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
        if (r.async) void (r.value as Promise<string>).then(check);
        else queueMicrotask(check);
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
  asyncQueue = job.then(
    () => {},
    () => {},
  );
  return job;
}
