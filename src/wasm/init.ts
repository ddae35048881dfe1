// init(): the runtime's one entry point. Picks and instantiates a build (src/wasm/instance.ts),
// sets up the heap and the kernels' scratch area (src/wasm/heap.ts, src/wasm/scratch.ts), and
// loads the thread machinery when more than one thread is asked for.
import { RuntimeError, ValueError } from '../errors.js';
import { PLAN_HEADER, PLAN_STAGE } from './abi.generated.js';
import { attachBlocks } from './heap.js';
import {
  SUPPLIED_KEYS,
  attached,
  chooseBuild,
  instantiate,
  instantiated,
  runningWasmModule,
  runtimeInfo,
  setThreadsInfo,
  simdSupported,
  simdSwitch,
  wantsSharedBuild,
  wasm,
  wasmModule,
  type InitOptions,
} from './instance.js';
import { installParallelHooks, type ThreadsHost } from './parallel.js';
import { attachScratch, scratch } from './scratch.js';

let initPromise: Promise<void> | null = null;

// The thread machinery (src/wasm/threads.ts), loaded by init() when it is asked for more than one
// thread: a dynamic import, so that bundlers put it in a chunk of its own that pages which never
// ask for threads do not download. It installs its hooks (src/wasm/parallel.ts) when configured.
type ThreadsModule = typeof import('./threads.js');
let threadsModule: Promise<ThreadsModule> | null = null;

function loadThreads(): Promise<ThreadsModule> {
  if (threadsModule === null) {
    const loading = import('./threads.js').then((threads) => {
      threads.bindThreads(THREADS_HOST);
      return threads;
    });
    // a chunk that failed to load (a network error in a page) is tried again on the next call
    loading.catch(() => {
      if (threadsModule === loading) threadsModule = null;
    });
    threadsModule = loading;
  }
  return threadsModule;
}

/** What the thread machinery takes from the runtime: it imports none of the library itself (src/wasm/parallel.ts). */
const THREADS_HOST: ThreadsHost = {
  runtimeInfo,
  setThreadsInfo,
  simdSupported,
  wasm,
  runtimeModule: runningWasmModule,
  installParallelHooks,
  RuntimeError,
  ValueError,
  planHeaderWords: PLAN_HEADER,
  planStageWord: PLAN_STAGE,
};

/** Whether `options` ask for more than one thread (or for a value that threads.ts refuses). */
function wantsThreads(options: InitOptions): boolean {
  return options.threads !== undefined && options.threads !== 1;
}

async function instantiateRuntime(options: InitOptions): Promise<void> {
  // threads need the shared-memory build where the environment can run copy workers; decided
  // before the build is picked (and a bad threads value refused before anything runs)
  const threadsShared = wantsThreads(options) && (await loadThreads()).threadsNeedSharedMemory(options);
  // a module the host supplied (module, bytes or url), checked by code that only such hosts load
  const supplied = SUPPLIED_KEYS.some((k) => options[k] !== undefined)
    ? await (
        await import('./supplied.js')
      ).suppliedRuntime(options, {
        ValueError,
        simdSupported,
        simdSwitch,
        shared: wantsSharedBuild(options),
        threadsShared,
      })
    : null;
  // the shared build's checks (and their messages) come with its memory's module
  const build =
    supplied?.build ??
    (wantsSharedBuild(options) || threadsShared
      ? (await import('./shared-memory.js')).sharedBuild(options, ValueError, simdSwitch, simdSupported)
      : chooseBuild(options));
  await instantiate(options, build, supplied ?? (await wasmModule(build)), () => {
    if (options.attach !== undefined) {
      attachScratch(options.attach.scratch, options.attach.scratchBytes);
      attachBlocks(options.attach.blocks);
    } else {
      // The kernels' scratch area exists from the start, so that heap statistics taken after
      // init() already count it (a lazily made one would look like a leak).
      scratch(256);
    }
  });
}

/**
 * Instantiates the runtime; idempotent, and concurrent calls share one instantiation. A call
 * that fails before the runtime exists (a wrong option or module, a failed fetch) leaves
 * nothing behind, so that the next call can try again.
 * @param options which build and memory (see {@link InitOptions}); only the first successful call's count.
 * @example await init();                      // SIMD where the engine has it
 * @example await init({ simd: false });       // force the scalar build
 * @example await init({ sharedMemory: true }); // a heap that workers can attach to
 * @example await init({ module });            // a module the host compiled from wasm-memoryview/wasm/simd.wasm
 * @example await init({ threads: 'auto' });   // large copies split across copy workers
 */
export function init(options: InitOptions = {}): Promise<void> {
  const first = initPromise === null;
  if (initPromise === null) {
    const starting = instantiateRuntime(options);
    initPromise = starting;
    starting.catch(() => {
      if (initPromise === starting && !instantiated()) initPromise = null;
    });
  }
  if (options.threads === undefined) return initPromise;
  // threads is settled after the runtime exists, on the first call and on later ones alike; the
  // thread machinery is loaded only when more than one thread is asked for (or it ran before)
  return initPromise.then(async () => {
    // one thread, and no workers were ever started: nothing to load, nothing to end
    if (!wantsThreads(options) && threadsModule === null) return;
    const threads = await loadThreads();
    await threads.configureThreads(
      first ? options : { ...options, attach: attached ? true : undefined },
      runtimeInfo().sharedMemory,
    );
  });
}
