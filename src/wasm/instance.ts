// The Wasm instance: which build runs (three builds of the same assembly/ sources), its
// compilation (once per realm, cached), its instantiation, and typed access to its exports.
// init() (src/wasm/init.ts) drives it; everything else reaches the kernels through wasm().
import { ValueError } from '../errors.js';
import type { WasmExports } from './exports.generated.js';
import type { WasmMemory, WasmModule } from './types.js';

export type { WasmMemory, WasmModule } from './types.js';

// ---- Builds, feature detection and instantiation --------------------------------------
// The same assembly/ sources are compiled three ways (asconfig.json), because an engine that
// cannot validate a module cannot run any of it: a SIMD instruction anywhere makes the whole
// module invalid. Each build is embedded in a module of its own (scripts/embed-wasm.mjs) that
// init() imports only when it picks that build, so that a bundler that splits dynamic imports
// ships one build to a page, not three.

/** Which of the Wasm builds the runtime runs. */
export type WasmBuild = 'simd' | 'scalar' | 'shared';

/** Options of {@link init}; only the first successful call's options count. */
export interface InitOptions {
  /**
   * Wasm SIMD. Default: used when the engine validates a SIMD module
   * (`WebAssembly.validate`). `false` forces the scalar build, as do
   * `globalThis.WASM_MEMORYVIEW_SIMD = false` and the environment variable
   * `WASM_MEMORYVIEW_SIMD=0`. `true` fails on an engine without SIMD.
   */
  simd?: boolean;
  /**
   * Run on a shared `WebAssembly.Memory`, so that workers can attach to the same heap.
   * `true` creates one (needs `SharedArrayBuffer`, i.e. a cross-origin isolated page in
   * browsers); a `WebAssembly.Memory({ shared: true, ... })` is used as given. Default:
   * false (a private, growable memory). The shared build needs Wasm SIMD.
   */
  sharedMemory?: boolean | WasmMemory;
  /** Maximum pages (64 KiB) of a memory created by `sharedMemory: true`; default 16384 (1 GiB). */
  maximumPages?: number;
  /**
   * Attach this realm (a worker) to a runtime that another realm owns, from
   * {@link shareRuntime}. The attached runtime runs the kernels on the owner's memory
   * but never allocates: the allocator's state lives in the owner's instance.
   */
  attach?: SharedRuntimeHandle;
  /**
   * A build that the host compiled itself, run instead of the embedded one (for hosts that load
   * Wasm themselves: Deno, edge runtimes that hand out imported `.wasm` files as compiled
   * modules, pages that serve the `.wasm` as a file of its own). It must be one of this package's
   * files `wasm-memoryview/wasm/simd.wasm`, `scalar.wasm` or `shared.wasm`, from the same
   * version as the JavaScript, and the file decides the build: `simd.wasm` on engines with
   * Wasm SIMD, `scalar.wasm` on engines without it (or with `simd: false`), `shared.wasm` with
   * `sharedMemory` or `attach`. A module that is none of them, comes from another version, or
   * contradicts `simd`/`sharedMemory`/`attach` is refused with a ValueError before anything
   * runs. Give at most one of `module`, `bytes` and `url`.
   */
  module?: WasmModule;
  /** The bytes of one of the package's `.wasm` files, compiled by init(); see `module`. */
  bytes?: ArrayBuffer | ArrayBufferView;
  /**
   * Where to `fetch()` one of the package's `.wasm` files (absolute, or relative to the page);
   * see `module`. A string or a `URL`.
   */
  url?: string | { readonly href: string };
  /**
   * Threads for large copies, the calling thread included: 1 (default) copies on the calling
   * thread only; N > 1 runs the runtime on shared memory and starts N-1 copy workers
   * (worker_threads in Node, Web Workers on cross-origin isolated pages) that take a share of
   * every copy of 1 MiB or more; `'auto'` takes the hardware's concurrency, at most 8. Falls
   * back to 1, with a warning and `runtimeInfo().threadsReason`, where workers or shared memory
   * are not available (and with `simd: false`). Unlike the other options, later calls may
   * change it (after {@link shutdown}, or to use fewer threads). See docs/api.md, "Threads".
   */
  threads?: number | 'auto';
  /**
   * How long (ms) a synchronous copy waits for the workers' last chunks once it has none left
   * before it declares a worker dead and fails with RuntimeError; default 10000 (and at least 20
   * times one of the calling thread's chunks).
   */
  threadTimeout?: number;
  /**
   * Where the copy worker script (`dist/wasm/copy-worker.js`) is, a string or a `URL`; default
   * `new URL('./copy-worker.js', import.meta.url)`, next to the thread machinery's module.
   */
  workerUrl?: string | { readonly href: string };
}

/** What a worker needs to attach to a shared runtime; structured-cloneable (postMessage). */
export interface SharedRuntimeHandle {
  readonly memory: WasmMemory;
  /** The address and size of a scratch block reserved for the attached realm. */
  readonly scratch: number;
  readonly scratchBytes: number;
  /** Live blocks of the owner's heap that the attached realm may use: [address, size] pairs. */
  readonly blocks: ReadonlyArray<readonly [ptr: number, size: number]>;
}

/** Which build runs and on what memory, after init(). */
export interface RuntimeInfo {
  readonly build: WasmBuild;
  /** Short sha256 of the running build's bytes. */
  readonly hash: string;
  readonly simd: boolean;
  readonly sharedMemory: boolean;
  /** true in a realm attached to another realm's runtime (it cannot allocate). */
  readonly attached: boolean;
  /** Threads large copies run on, the calling thread included (init({ threads })). */
  readonly threads: number;
  /** Why `threads` is less than init() was asked for (no SharedArrayBuffer, a failed worker, shutdown(), ...). */
  readonly threadsReason?: string | undefined;
}

// (module (func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)), as wasm-feature-detect's simd test.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

/** Whether this engine runs Wasm SIMD (fixed-width 128-bit). */
export function simdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** The switch that forces the scalar build without code changes (tests, bug reports). */
export function simdSwitch(): boolean | undefined {
  const g = globalThis as { WASM_MEMORYVIEW_SIMD?: unknown; process?: { env?: Record<string, string | undefined> } };
  if (g.WASM_MEMORYVIEW_SIMD !== undefined) return Boolean(g.WASM_MEMORYVIEW_SIMD);
  const env = g.process?.env?.WASM_MEMORYVIEW_SIMD;
  if (env === undefined || env === '') return undefined;
  return !(env === '0' || env.toLowerCase() === 'false');
}

// One import() per build, each with a literal path, so that bundlers see three separate chunks.
// They run inside init(), never at the top level of a module: require() of the package (Node's
// require of ES modules) refuses a module graph with top-level await. The shared build's module
// holds edits of the SIMD build's bytes (scripts/embed-wasm.mjs), and the code that makes them
// comes with its memory's (src/wasm/shared-memory.ts).
const EMBEDDED: Record<WasmBuild, () => Promise<{ bytes: Uint8Array<ArrayBuffer>; hash: string }>> = {
  simd: () => import('./build-simd.generated.js').then(decoded),
  scalar: () => import('./build-scalar.generated.js').then(decoded),
  shared: () =>
    Promise.all([EMBEDDED.simd(), import('./build-shared.generated.js'), import('./shared-memory.js')]).then(
      ([simd, shared, m]) => ({ bytes: m.edited(simd.bytes, shared.edits, decodeText), hash: shared.hash }),
    ),
};

function decoded({ text, hash }: { text: string; hash: string }): { bytes: Uint8Array<ArrayBuffer>; hash: string } {
  return { bytes: decodeText(text), hash };
}

/** The options by which a host supplies a build (src/wasm/supplied.ts). */
export const SUPPLIED_KEYS = ['module', 'bytes', 'url'] as const;

const modulePromises = new Map<WasmBuild, Promise<CompiledBuild>>();
let wasmExports: WasmExports | null = null;
let info: RuntimeInfo | null = null;
// The compiled module the runtime runs: copy workers instantiate the same one on its memory.
let runningModule: WasmModule | null = null;
/**
 * Whether this realm is attached to another realm's runtime (init({ attach })). An attached realm
 * must never run the allocator: its instance's allocator state (the TLSF root pointer is a Wasm
 * global) is empty, and initializing it would wipe the owner's heap.
 */
export let attached = false;

/**
 * @internal The bytes of an embedded build from its text (scripts/wasm-text.mjs): printable ASCII
 * but " $ ' < \ and `, one character a byte, or two for the bytes whose index (b + 4) & 255 is 87
 * or more (the first of them one of the last two characters). A loop that runs once per realm.
 */
export function decodeText(text: string): Uint8Array<ArrayBuffer> {
  // each character's place in the alphabet
  const place = new Uint8Array(127);
  for (let c = 32, i = 0; c < 127; c++) if (!'"$\'<\\`'.includes(String.fromCharCode(c))) place[c] = i++;
  const bytes = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let v = place[text.charCodeAt(i)];
    if (v >= 87) v = 87 + (v - 87) * 89 + place[text.charCodeAt(++i)];
    bytes[n++] = v - 4; // stored modulo 256
  }
  return bytes.slice(0, n);
}

/** A compiled build and its short sha256 (runtimeInfo().hash). */
export interface CompiledBuild {
  module: WasmModule;
  hash: string;
}

/** @internal The compiled module of an embedded build, imported and compiled once per realm and cached. */
export function wasmModule(build: WasmBuild = 'simd'): Promise<CompiledBuild> {
  let promise = modulePromises.get(build);
  if (promise === undefined) {
    const compiling = EMBEDDED[build]().then(async ({ bytes, hash }) => ({
      module: await WebAssembly.compile(bytes),
      hash,
    }));
    // a chunk that failed to load (a network error in a page) is tried again on the next call
    compiling.catch(() => {
      if (modulePromises.get(build) === compiling) modulePromises.delete(build);
    });
    modulePromises.set(build, compiling);
    promise = compiling;
  }
  return promise;
}

export function wantsSharedBuild(options: InitOptions): boolean {
  return options.attach !== undefined || (options.sharedMemory !== undefined && options.sharedMemory !== false);
}

/** The build for `options` that do not ask for the shared one (that choice: src/wasm/shared-memory.ts, sharedBuild). */
export function chooseBuild(options: InitOptions): WasmBuild {
  const wanted = options.simd ?? simdSwitch();
  if (wanted === false) return 'scalar';
  const supported = simdSupported();
  if (wanted === true && !supported) throw new ValueError('init(): simd: true, but this engine has no Wasm SIMD');
  return supported ? 'simd' : 'scalar';
}

/**
 * Instantiates the compiled `build` for `options`, then calls `prepareHeap` (the heap's and the
 * scratch area's setup, src/wasm/init.ts) before it records the runtime as running.
 */
export async function instantiate(
  options: InitOptions,
  build: WasmBuild,
  { module, hash }: CompiledBuild,
  prepareHeap: () => void,
): Promise<void> {
  const shared = build === 'shared';
  // The builds import nothing but their memory (scripts/embed-wasm.mjs keeps them to it), 2 pages
  // to start with (asconfig.json, initialMemory): asc compiles them without abort() (asconfig.json,
  // "use": ["abort="]), so the one throw left in the kernels, the allocator's own size check
  // (which malloc() never lets a request reach), traps as a WebAssembly.RuntimeError instead.
  // The shared build's memory setup (and its error where there is no SharedArrayBuffer) is a
  // module of its own, which pages on the other builds never download (src/wasm/shared-memory.ts).
  const memory = shared
    ? (await import('./shared-memory.js')).sharedMemoryFor(options, ValueError)
    : new WebAssembly.Memory({ initial: 2 });
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  // the builds re-export the memory they import
  wasmExports = instance.exports as WasmExports;
  attached = options.attach !== undefined;
  prepareHeap();
  info = {
    build,
    hash,
    simd: build !== 'scalar',
    sharedMemory: shared,
    attached: options.attach !== undefined,
    threads: 1,
  };
  runningModule = module;
}

/** @internal Records how many threads copies run on, and why fewer than asked (src/wasm/threads.ts). */
export function setThreadsInfo(threads: number, reason: string | undefined): void {
  if (info === null) return;
  info = { ...info, threads, threadsReason: reason };
}

/** Which build runs, on what memory; throws if init() has not completed. */
export function runtimeInfo(): RuntimeInfo {
  if (info === null) throw new Error('wasm-memoryview: call `await init()` first');
  return info;
}

/**
 * The runtime's linear memory: every pointer is an offset into `runtimeMemory().buffer`. Take
 * typed-array views of it afresh after any call that may allocate (memory.grow replaces the
 * buffer); in the shared build the buffer is a SharedArrayBuffer.
 */
export function runtimeMemory(): WasmMemory {
  return wasm().memory;
}

/**
 * A handle for a worker to attach to this realm's runtime (`init({ attach: handle })` in the
 * worker, after `postMessage(handle)`). Needs `init({ sharedMemory: true })` here. Each call
 * reserves a scratch block for one worker; release it with `capi.PyMem_Free(handle.scratch)`.
 * @param options.blocks live blocks (from `capi.PyMem_Malloc`) the worker may use; keep them
 *   alive while it does. More can be sent later and passed to {@link attachBlocks} there.
 * @param options.scratchBytes the worker's scratch area for kernel arguments; default 4096.

/** @internal The Wasm exports; throws if init() has not completed. */
export function wasm(): WasmExports {
  if (wasmExports === null) throw new Error('wasm-memoryview: call `await init()` first');
  return wasmExports;
}

/** @internal The compiled module the runtime runs (copy workers instantiate it too). */
export function runningWasmModule(): WasmModule {
  return runningModule as WasmModule;
}

/** @internal Whether the module has been instantiated (its exports are there, even if init() then failed). */
export function instantiated(): boolean {
  return wasmExports !== null;
}

/** @internal The runtime's description, or null before init() has completed. */
export function runtimeInfoOrNull(): RuntimeInfo | null {
  return info;
}
