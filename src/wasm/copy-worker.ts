// A copy worker of the threaded runtime (src/wasm/threads.ts): instantiates the shared-memory
// build on the owner's memory and runs the parts of large copies that the owner hands it. It
// never plans, allocates or reads JS objects: each job is a planned copy the owner wrote into
// this worker's scratch area (assembly/plan.ts), or one memory.copy, posted through a small
// control block of Int32 words in a SharedArrayBuffer, and waited for with Atomics.
//
// The file is self-contained (no imports), so that it ships as one script next to the library
// (dist/wasm/copy-worker.js, located with new URL('./copy-worker.js', import.meta.url)) and
// runs unchanged in Node's worker_threads and in a browser's module Web Worker. The owner
// sends the control block's layout with the setup, so the two sides cannot disagree on it.

/** Word offsets within a worker's slot of the control block, and the job codes. */
export interface ControlLayout {
  readonly done: number;
  readonly seq: number;
  readonly op: number;
  readonly args: number;
  readonly ack: number;
  readonly status: number;
  readonly hold: number;
  readonly post: number;
  readonly messageLength: number;
  readonly message: number;
  readonly messageChars: number;
  readonly opPlanned: number;
  readonly opBytes: number;
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
  readonly layout: ControlLayout;
  /** How long (ms) to spin for the next job before sleeping in Atomics.wait. */
  readonly spinMs: number;
}

/** Messages a worker posts to the owner. */
export type CopyWorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'done'; readonly seq: number }
  | { readonly kind: 'failed'; readonly error: string };

interface CopyExports {
  copyPlanned(plan: number): void;
  copyBytes(dst: number, src: number, n: number): void;
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
      env: {
        memory: setup.memory,
        // the kernels never call abort (noAssert); a call would mean a broken build
        abort: () => { throw new Error('wasm-memoryview copy worker: abort() called by the kernels'); },
      },
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
  let seq = 0;
  for (;;) {
    // a loop of copies posts its next job within microseconds, sooner than a sleeping thread wakes:
    // spin a little first, then block until the owner posts (this thread's event loop has nothing else to do)
    for (const until = performance.now() + setup.spinMs; Atomics.load(control, base + L.seq) === seq && performance.now() < until;);
    Atomics.wait(control, base + L.seq, seq);
    const next = Atomics.load(control, base + L.seq);
    if (next === seq) continue;
    seq = next;
    const op = control[base + L.op];
    if (op === L.opExit) return;
    // a test hook: a held worker waits here, mid-job, until released (or terminated)
    while (Atomics.load(control, base + L.hold) !== 0) Atomics.wait(control, base + L.hold, 1);
    let status = 0;
    try {
      const a = base + L.args;
      if (op === L.opPlanned) exports.copyPlanned(control[a]);
      else if (op === L.opBytes) exports.copyBytes(control[a], control[a + 1], control[a + 2]);
      else throw new Error(`unknown job ${op}`);
    } catch (err) {
      status = 1;
      const text = describe(err).slice(0, L.messageChars);
      const at = 2 * (base + L.message);
      for (let i = 0; i < text.length; i++) chars[at + i] = text.charCodeAt(i);
      control[base + L.messageLength] = text.length;
    }
    Atomics.store(control, base + L.status, status);
    Atomics.store(control, base + L.ack, seq);
    Atomics.add(control, L.done, 1);
    Atomics.notify(control, L.done);
    // where the owner cannot wait on the counter without blocking (no Atomics.waitAsync), it waits for this
    if (control[base + L.post] !== 0) post({ kind: 'done', seq });
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
      await import(/* @vite-ignore */ WORKER_THREADS)) as NodeWorkerThreads;
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
