// The seam between the library and the copy workers (src/wasm/threads.ts). The thread machinery
// is loaded by init() only when it is asked for more than one thread (a dynamic import), so
// that a page that never uses threads does not download it. It imports nothing else of the
// library at run time either: what it needs it is handed (the runtime's functions when it is
// loaded, ThreadsHost; the copy executor with every plan, PlanExecutor), so that a bundler that
// splits the dynamic import puts the whole machinery in a chunk of its own and leaves the
// page's own code in one chunk, not cut in two around modules the two would share. The copies
// (src/copy/encode.ts), the asynchronous forms (src/layout/) and shutdown() reach it through the
// hooks it installs; until then every copy runs on the calling thread.
import type { CopyPlan } from '../copy/plan.js';
import type { RuntimeInfo, WasmMemory, WasmModule } from './instance.js';

/** @internal How src/copy/encode.ts runs plans, handed to the thread machinery with each plan. */
export interface PlanExecutor {
  /** The 32-bit words a plan takes in linear memory. */
  planWords(plan: CopyPlan): number;
  /** Runs a plan through this thread's Wasm executor. */
  runHere(plan: CopyPlan): void;
  /** Writes a plan at `ptr` for another thread's executor, with `stage` as its staging area's address. */
  writeAt(plan: CopyPlan, ptr: number, stage: number): void;
}

/** @internal What src/wasm/threads.ts provides once loaded. */
export interface ParallelHooks {
  /** Runs `plan` split across the threads and returns true, or returns false (nothing done). */
  runParallel(plan: CopyPlan, executor: PlanExecutor): boolean;
  /** Runs `copy` so that its large copy goes to the copy workers; resolves when it is done. */
  copyAsync(copy: () => void): Promise<void>;
  /** Ends the copy workers (see shutdown()). */
  shutdown(): Promise<void>;
}

/** The Wasm exports the thread machinery uses: the memory and the allocator (for its scratch areas). */
interface ThreadsWasm {
  readonly memory: WasmMemory;
  malloc(size: number): number;
  free(ptr: number, size: number): void;
}

/** @internal What the thread machinery takes from the runtime (src/wasm/init.ts hands it over when it loads it). */
export interface ThreadsHost {
  runtimeInfo(): RuntimeInfo;
  /** Records how many threads copies run on, and why fewer than asked. */
  setThreadsInfo(threads: number, reason: string | undefined): void;
  simdSupported(): boolean;
  wasm(): ThreadsWasm;
  runtimeModule(): WasmModule;
  installParallelHooks(hooks: ParallelHooks): void;
  readonly RuntimeError: new (message: string) => Error;
  readonly ValueError: new (message: string) => Error;
  /** The header words of a planned copy (PLAN_HEADER in src/wasm/abi.generated.ts). */
  readonly planHeaderWords: number;
  /** The word of a planned copy that holds its staging area's address (PLAN_STAGE). */
  readonly planStageWord: number;
}

let hooks: ParallelHooks | null = null;

/** @internal Installs the thread machinery's hooks (src/wasm/threads.ts, when it is configured). */
export function installParallelHooks(h: ParallelHooks): void {
  hooks = h;
}

/** @internal The hooks, or null while the thread machinery is not loaded. */
export function parallelHooks(): ParallelHooks | null {
  return hooks;
}

/**
 * @internal Runs `copy` (a function that makes one strided copy) as an asynchronous copy: on the copy
 * workers when there are any and it is large enough, at once otherwise. Rejects with the
 * copy's error.
 */
export function copyAsync(copy: () => void): Promise<void> {
  if (hooks !== null) return hooks.copyAsync(copy);
  try {
    copy();
    return Promise.resolve();
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Ends the copy workers started by `init({ threads })` (after any asynchronous copy in
 * progress); copies then run on the calling thread, and a later `init({ threads })` starts
 * workers again. Does nothing without workers. Resolves once every worker has exited.
 * @example await shutdown(); // a page's teardown, or to use the cores for something else
 */
export async function shutdown(): Promise<void> {
  if (hooks !== null) await hooks.shutdown();
}
