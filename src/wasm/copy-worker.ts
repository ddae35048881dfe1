// A copy worker of the threaded runtime (src/wasm/threads.ts): instantiates the shared-memory
// build on the owner's memory and runs the parts of large copies that the owner hands it. It
// never plans, allocates or reads JS objects: each job is a list of planned copies (chunks of
// one copy, assembly/plan.ts) that the owner wrote into linear memory, posted through a small
// control block of Int32 words in a SharedArrayBuffer; the workers and the owner claim the
// chunks one by one with Atomics, so that a thread that is late (descheduled on a busy machine)
// leaves its share to the others instead of holding them up.
//
// The file is self-contained (no imports), so that it ships as one script next to the library
// (dist/wasm/copy-worker.js, located with new URL('./copy-worker.js', import.meta.url)) and
// runs unchanged in Node's worker_threads and in a browser's module Web Worker. The owner
// sends the control block's layout with the setup, so the two sides cannot disagree on it.

/**
 * The control block's layout: word indices of the shared words, offsets within a worker's slot,
 * and codes. A job is a list of chunks, each a planned copy (assembly/plan.ts) in the job area
 * of linear memory, `stride` words apart; the threads claim them one at a time from the claim
 * word, which holds the chunk count and the next chunk (count << CLAIM_BITS | next), so that a
 * claim names its job by itself: a thread that wakes late can only claim a chunk of the job that
 * is running, never one of a job gone by.
 */
export interface ControlLayout {
  /** Chunks finished, all jobs together. */
  readonly done: number;
  /** The job's number, bumped to post it. */
  readonly seq: number;
  readonly op: number;
  readonly area: number;
  readonly stride: number;
  /** The slot index + 1 of a worker whose chunk failed (0: none). */
  readonly failed: number;
  /** Nonzero: post a 'done' message after the job (the owner has no Atomics.waitAsync). */
  readonly post: number;
  /** How many workers take part in the job (those of a lower index). */
  readonly workers: number;
  /** How long (µs) a worker spins for the next job before sleeping in Atomics.wait. */
  readonly spin: number;
  readonly claim: number;
  readonly claimBits: number;
  /** Offsets in a slot: */
  readonly busy: number;
  readonly claims: number;
  readonly hold: number;
  readonly messageLength: number;
  readonly message: number;
  readonly messageChars: number;
  readonly opRun: number;
  readonly opExit: number;
}

/** What the owner sends a new worker (Node: workerData; browsers: the first message). */
export interface CopyWorkerSetup {
  readonly kind: 'wasm-memoryview-copy-worker';
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  /** Word index of this worker's slot in the control block. */
  readonly slot: number;
  /** This worker's index, as failures name it. */
  readonly index: number;
  /** This worker's scratch area: a chunk's plan, then its staging area (8 KiB, 64-byte aligned). */
  readonly scratch: number;
  readonly layout: ControlLayout;
  /** The word of a planned copy that holds its staging area's address (PLAN_STAGE, src/wasm/abi.generated.ts). */
  readonly planStage: number;
}

/** Messages a worker posts to the owner. */
export type CopyWorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'done'; readonly seq: number }
  | { readonly kind: 'failed'; readonly error: string };

interface CopyExports {
  copyPlanned(plan: number): void;
}

type Post = (message: CopyWorkerMessage) => void;

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** Instantiates the kernels on the shared memory, says so, then serves jobs until told to exit. */
async function serve(setup: CopyWorkerSetup, post: Post): Promise<void> {
  let exports: CopyExports;
  try {
    const instance = await WebAssembly.instantiate(setup.module, {
      env: { memory: setup.memory },
    });
    exports = instance.exports as unknown as CopyExports;
  } catch (err) {
    post({ kind: 'failed', error: describe(err) });
    return;
  }
  post({ kind: 'ready' });
  const L = setup.layout;
  const control = new Int32Array(setup.control);
  const chars = new Uint16Array(setup.control);
  const base = setup.slot;
  const mask = (1 << L.claimBits) - 1;
  let seq = 0;
  for (;;) {
    // a loop of copies posts its next job within microseconds, sooner than a sleeping thread wakes:
    // spin a little first, then block until the owner posts (this thread's event loop has nothing else to do)
    const until = performance.now() + Atomics.load(control, L.spin) / 1000;
    while (Atomics.load(control, L.seq) === seq && performance.now() < until);
    Atomics.wait(control, L.seq, seq);
    seq = Atomics.load(control, L.seq);
    if (Atomics.load(control, L.op) === L.opExit) return;
    for (;;) {
      if (setup.index >= Atomics.load(control, L.workers)) break;
      const claim = Atomics.load(control, L.claim);
      const next = claim & mask;
      if (next >= claim >>> L.claimBits) break;
      // busy before the claim: the owner frees the scratch areas only of workers that are not
      Atomics.store(control, base + L.busy, 1);
      if (Atomics.compareExchange(control, L.claim, claim, claim + 1) !== claim) {
        Atomics.store(control, base + L.busy, 0);
        continue;
      }
      Atomics.add(control, base + L.claims, 1);
      // a test hook: a held worker waits here, mid-copy, until released (or terminated)
      while (Atomics.load(control, base + L.hold) !== 0) Atomics.wait(control, base + L.hold, 1);
      let ok = true;
      try {
        // the chunk's plan into this worker's scratch area, with this worker's staging area
        const stride = Atomics.load(control, L.stride);
        const words = new Int32Array(setup.memory.buffer);
        const from = (Atomics.load(control, L.area) >>> 2) + next * stride;
        const to = setup.scratch >>> 2;
        words.copyWithin(to, from, from + stride);
        if (words[to + setup.planStage] !== 0) words[to + setup.planStage] = (setup.scratch + 4 * stride + 63) & ~63;
        exports.copyPlanned(setup.scratch);
      } catch (err) {
        ok = false;
        const text = describe(err).slice(0, L.messageChars);
        const at = 2 * (base + L.message);
        for (let i = 0; i < text.length; i++) chars[at + i] = text.charCodeAt(i);
        control[base + L.messageLength] = text.length;
        Atomics.compareExchange(control, L.failed, 0, setup.index + 1);
      }
      Atomics.store(control, base + L.busy, 0);
      Atomics.add(control, L.done, 1);
      Atomics.notify(control, L.done);
      if (!ok) break;
    }
    // where the owner cannot wait on the counter without blocking (no Atomics.waitAsync), it waits for this
    if (Atomics.load(control, L.post) !== 0) post({ kind: 'done', seq });
  }
}

interface NodeWorkerThreads {
  readonly workerData: unknown;
  readonly parentPort: { postMessage(message: unknown): void } | null;
}

interface NodeProcess {
  readonly versions?: { readonly node?: string };
  getBuiltinModule?(id: string): unknown;
}

// In a variable, so that bundlers leave this Node-only module alone in browser builds.
const WORKER_THREADS = 'node:worker_threads';

async function main(): Promise<void> {
  const g = globalThis as unknown as {
    process?: NodeProcess;
    postMessage?(message: unknown): void;
    onmessage?: ((event: { data: unknown }) => void) | null;
  };
  if (g.process?.versions?.node !== undefined) {
    const threads = (g.process.getBuiltinModule?.(WORKER_THREADS) ??
      (await import(/* @vite-ignore */ WORKER_THREADS))) as NodeWorkerThreads;
    const setup = threads.workerData as CopyWorkerSetup | undefined;
    const port = threads.parentPort;
    if (port === null || setup?.kind !== 'wasm-memoryview-copy-worker') return;
    await serve(setup, (m) => port.postMessage(m));
    return;
  }
  g.onmessage = (event) => {
    const setup = event.data as CopyWorkerSetup;
    if (setup?.kind !== 'wasm-memoryview-copy-worker') return;
    g.onmessage = null;
    const post: Post = (m) => g.postMessage?.(m);
    serve(setup, post).catch((err: unknown) => post({ kind: 'failed', error: describe(err) }));
  };
}

void main();
