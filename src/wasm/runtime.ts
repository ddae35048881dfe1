// Instantiates the Wasm module once and hands out typed access to its exports and to its
// linear memory.
import { buildHashes } from './builds.generated.js';
import { MemoryError, RuntimeError, ValueError } from '../errors.js';
import { installParallelHooks, type ThreadsHost } from './parallel.js';

// The typings must compile without the DOM lib: a Node-only project (`types: ["node"]`) has no
// WebAssembly namespace in its types. These take WebAssembly's own types from globalThis where
// a lib declares them, and a structural stand-in where none does.
type WebAssemblyNamespace = typeof globalThis extends { WebAssembly: infer W } ? W : unknown;
/** A `WebAssembly.Memory` (structurally typed where the DOM lib is absent). */
export type WasmMemory = WebAssemblyNamespace extends { Memory: { prototype: infer M } } ? M
  : { readonly buffer: ArrayBuffer | SharedArrayBuffer; grow(delta: number): number };
/** A compiled `WebAssembly.Module` (an opaque object where the DOM lib is absent). */
export type WasmModule = WebAssemblyNamespace extends { Module: { prototype: infer M } } ? M : object;

/** @internal The Wasm module's exports: numbers and pointers only. */
export interface WasmExports {
  readonly memory: WasmMemory;
  malloc(size: number): number;
  free(ptr: number, size: number): void;
  heapLiveBlocks(): number;
  heapLiveBytes(): number;
  isContiguous(ndim: number, itemsize: number, len: number, shape: number, strides: number,
    hasSuboffsets: number, order: number): number;
  copy(plan: number): void;
  /** A planned copy (layout in assembly/plan.ts): the fast paths of src/copy.ts. */
  copyPlanned(plan: number): void;
  /** A copy through suboffsets whose plain inner dims run as a planned copy (assembly/plan.ts). */
  copyIndirect(plan: number): void;
  /** memory.copy of n bytes, overlap-safe. */
  copyBytes(dst: number, src: number, n: number): void;
}

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
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0,
  65, 0, 253, 15, 253, 98, 11]);

/** Whether this engine runs Wasm SIMD (fixed-width 128-bit). */
export function simdSupported(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** The switch that forces the scalar build without code changes (tests, bug reports). */
function simdSwitch(): boolean | undefined {
  const g = globalThis as { WASM_MEMORYVIEW_SIMD?: unknown; process?: { env?: Record<string, string | undefined> } };
  if (g.WASM_MEMORYVIEW_SIMD !== undefined) return Boolean(g.WASM_MEMORYVIEW_SIMD);
  const env = g.process?.env?.WASM_MEMORYVIEW_SIMD;
  if (env === undefined || env === '') return undefined;
  return !(env === '0' || env.toLowerCase() === 'false');
}

// One import() per build, each with a literal path, so that bundlers see three separate chunks.
// They run inside init(), never at the top level of a module: require() of the package (Node's
// require of ES modules) refuses a module graph with top-level await.
const EMBEDDED: Record<WasmBuild, () => Promise<{ base64: string }>> = {
  simd: () => import('./build-simd.generated.js'),
  scalar: () => import('./build-scalar.generated.js'),
  shared: () => import('./build-shared.generated.js'),
};

/** The options by which a host supplies a build (src/wasm/supplied.ts). */
const SUPPLIED_KEYS = ['module', 'bytes', 'url'] as const;

const modulePromises = new Map<WasmBuild, Promise<WebAssembly.Module>>();
let initPromise: Promise<void> | null = null;
let wasmExports: WasmExports | null = null;
let info: RuntimeInfo | null = null;
// An attached realm must never run the allocator: its instance's allocator state (the TLSF
// root pointer is a Wasm global) is empty, and initializing it would wipe the owner's heap.
let attached = false;

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** @internal The compiled module of an embedded build, imported and compiled once per realm and cached. */
export function wasmModule(build: WasmBuild = 'simd'): Promise<WasmModule> {
  let promise = modulePromises.get(build);
  if (promise === undefined) {
    const compiling = EMBEDDED[build]().then(({ base64 }) =>
      WebAssembly.compile(decodeBase64(base64) as Uint8Array<ArrayBuffer>));
    // a chunk that failed to load (a network error in a page) is tried again on the next call
    compiling.catch(() => { if (modulePromises.get(build) === compiling) modulePromises.delete(build); });
    modulePromises.set(build, compiling);
    promise = compiling;
  }
  return promise;
}

function wantsSharedBuild(options: InitOptions): boolean {
  return options.attach !== undefined || (options.sharedMemory !== undefined && options.sharedMemory !== false);
}

function chooseBuild(options: InitOptions, threadsShared: boolean): WasmBuild {
  if (wantsSharedBuild(options) || threadsShared) {
    if (options.simd === false || simdSwitch() === false) {
      throw new ValueError('init(): the shared-memory build needs Wasm SIMD; simd: false is not available with sharedMemory');
    }
    if (!simdSupported()) throw new ValueError('init(): the shared-memory build needs Wasm SIMD, which this engine lacks');
    return 'shared';
  }
  const wanted = options.simd ?? simdSwitch();
  if (wanted === false) return 'scalar';
  const supported = simdSupported();
  if (wanted === true && !supported) throw new ValueError('init(): simd: true, but this engine has no Wasm SIMD');
  return supported ? 'simd' : 'scalar';
}

function sharedMemoryFor(options: InitOptions): WebAssembly.Memory {
  // a structured clone of the owner's WebAssembly.Memory (the handle's type names it structurally)
  if (options.attach !== undefined) return options.attach.memory as WebAssembly.Memory;
  if (options.sharedMemory instanceof WebAssembly.Memory) return options.sharedMemory;
  if (typeof SharedArrayBuffer === 'undefined') {
    throw new ValueError('init(): sharedMemory needs SharedArrayBuffer; in a browser the page must be ' +
      'cross-origin isolated (Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp)');
  }
  return new WebAssembly.Memory({ initial: 2, maximum: options.maximumPages ?? 16384, shared: true });
}

/** An AssemblyScript string in linear memory: UTF-16 code units, their byte length in the word before. */
function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  try {
    const bytes = new DataView(memory.buffer).getUint32(ptr - 4, true);
    return String.fromCharCode(...new Uint16Array(memory.buffer, ptr, Math.min(bytes >>> 1, 1024)));
  } catch {
    return `<string at ${ptr}>`;
  }
}

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
    loading.catch(() => { if (threadsModule === loading) threadsModule = null; });
    threadsModule = loading;
  }
  return threadsModule;
}

/** What the thread machinery takes from the runtime: it imports none of the library itself (src/wasm/parallel.ts). */
const THREADS_HOST: ThreadsHost = {
  runtimeInfo, setThreadsInfo, simdSupported, wasm, runtimeModule: () => runningModule as WasmModule, installParallelHooks,
  RuntimeError, ValueError,
};

/** Whether `options` ask for more than one thread (or for a value that threads.ts refuses). */
function wantsThreads(options: InitOptions): boolean {
  return options.threads !== undefined && options.threads !== 1;
}

// The compiled module the runtime runs: copy workers instantiate the same one on its memory.
let runningModule: WasmModule | null = null;

async function instantiateRuntime(options: InitOptions): Promise<void> {
  // threads need the shared-memory build where the environment can run copy workers; decided
  // before the build is picked (and a bad threads value refused before anything runs)
  const threadsShared = wantsThreads(options) && (await loadThreads()).threadsNeedSharedMemory(options);
  // a module the host supplied (module, bytes or url), checked by code that only such hosts load
  const supplied = SUPPLIED_KEYS.some((k) => options[k] !== undefined)
    ? await (await import('./supplied.js')).suppliedRuntime(options, {
      ValueError, buildHashes, simdSupported, simdSwitch, shared: wantsSharedBuild(options), threadsShared,
    })
    : null;
  const build = supplied?.build ?? chooseBuild(options, threadsShared);
  const module = supplied?.module ?? await wasmModule(build);
  let memory: WebAssembly.Memory | null = null;
  let instance: WebAssembly.Instance | null = null;
  // abort() is the one import of every build (scripts/embed-wasm.mjs keeps them to it): an
  // explicit throw in the kernels, reported as @assemblyscript/loader reports it. The loader
  // itself is not used: its string and class helpers serve no export here.
  const env: Record<string, unknown> = {
    abort(message: number, file: number, line: number, column: number): never {
      const mem = (instance?.exports.memory ?? memory) as WebAssembly.Memory;
      throw new Error(`abort: ${readAsString(mem, message)} at ${readAsString(mem, file)}:${line}:${column}`);
    },
  };
  if (build === 'shared') {
    memory = sharedMemoryFor(options);
    env.memory = memory;
  }
  instance = await WebAssembly.instantiate(module, { env } as WebAssembly.Imports);
  // the shared build imports its memory and re-exports it, so `memory` is there either way
  wasmExports = instance.exports as unknown as WasmExports;
  if (options.attach !== undefined) {
    attached = true;
    scratchPtr = options.attach.scratch;
    scratchWords = Math.floor(options.attach.scratchBytes / 4);
    attachBlocks(options.attach.blocks);
  } else {
    // The kernels' scratch area exists from the start, so that heap statistics taken after
    // init() already count it (a lazily made one would look like a leak).
    scratch(256);
  }
  info = {
    build, hash: buildHashes[build], simd: build !== 'scalar', sharedMemory: memory !== null,
    attached: options.attach !== undefined, threads: 1,
  };
  runningModule = module;
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
    starting.catch(() => { if (initPromise === starting && wasmExports === null) initPromise = null; });
  }
  if (options.threads === undefined) return initPromise;
  // threads is settled after the runtime exists, on the first call and on later ones alike; the
  // thread machinery is loaded only when more than one thread is asked for (or it ran before)
  return initPromise.then(async () => {
    // one thread, and no workers were ever started: nothing to load, nothing to end
    if (!wantsThreads(options) && threadsModule === null) return;
    const threads = await loadThreads();
    await threads.configureThreads(first ? options : { ...options, attach: attached ? true : undefined },
      (info as RuntimeInfo).sharedMemory);
  });
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
 */
export function shareRuntime(options: {
  blocks?: ReadonlyArray<readonly [ptr: number, size: number]>; scratchBytes?: number;
} = {}): SharedRuntimeHandle {
  if (info === null || !info.sharedMemory) {
    throw new ValueError('shareRuntime(): the runtime must be initialized with init({ sharedMemory: true })');
  }
  if (attached) throw new ValueError('shareRuntime(): only the realm that owns the heap can share it');
  const blocks = (options.blocks ?? []).map(([ptr, size]) => {
    const live = blockSizes.get(ptr);
    if (live === undefined || !Number.isInteger(size) || size < 0 || size > live) {
      throw new ValueError(`shareRuntime(): [${ptr}, ${ptr}+${size}) is not a live block from PyMem_Malloc()`);
    }
    return [ptr, size] as const;
  });
  const scratchBytes = options.scratchBytes ?? 4096;
  return { memory: wasm().memory, scratch: malloc(scratchBytes), scratchBytes, blocks };
}

/**
 * In an attached realm: lets this realm's views and C API calls use more of the owner's blocks
 * ([address, size] pairs the owner sent). Only the owner frees them, and only after the worker
 * is done: nothing here can know when the owner frees a block.
 */
export function attachBlocks(blocks: ReadonlyArray<readonly [ptr: number, size: number]>): void {
  if (!attached) throw new ValueError('attachBlocks(): only a realm attached with init({ attach }) adopts blocks');
  for (const [ptr, size] of blocks) {
    if (!Number.isInteger(ptr) || !Number.isInteger(size) || ptr <= 0 || size < 0 || ptr + size > memorySize()) {
      throw new ValueError(`attachBlocks(): [${ptr}, ${ptr}+${size}) lies outside the runtime's memory`);
    }
    if (blockSizes.has(ptr)) continue;
    blockSizes.set(ptr, size);
    blockStarts.splice(blockIndexAt(ptr) + 1, 0, ptr);
  }
}

/** @internal The Wasm exports; throws if init() has not completed. */
export function wasm(): WasmExports {
  if (wasmExports === null) throw new Error('wasm-memoryview: call `await init()` first');
  return wasmExports;
}

// Views of linear memory. `memory.grow` detaches the old ArrayBuffer, so every access
// goes through these accessors, which re-create the views when the buffer has changed.
let u8View = new Uint8Array(0);
let i32View = new Int32Array(0);
let dataView = new DataView(new ArrayBuffer(0));

function refreshViews(buffer: ArrayBuffer): void {
  u8View = new Uint8Array(buffer);
  i32View = new Int32Array(buffer);
  dataView = new DataView(buffer);
}

/** The linear memory as bytes (valid until the next call that may allocate). */
export function heapU8(): Uint8Array {
  const buffer = wasm().memory.buffer;
  if (u8View.buffer !== buffer) refreshViews(buffer);
  return u8View;
}

/** The linear memory as 32-bit words (valid until the next call that may allocate). */
export function heapI32(): Int32Array {
  const buffer = wasm().memory.buffer;
  if (i32View.buffer !== buffer) refreshViews(buffer);
  return i32View;
}

/** The linear memory as a DataView (valid until the next call that may allocate). */
export function heapView(): DataView {
  const buffer = wasm().memory.buffer;
  if (dataView.buffer !== buffer) refreshViews(buffer);
  return dataView;
}

/** The current size of linear memory in bytes. */
export function memorySize(): number {
  return wasm().memory.buffer.byteLength;
}

// ---- reliability: allocation limits, guard bytes and block ownership --------------------------
// (malloc/free/limits section, owned by the reliability work: tests/reliability, src/wasm/guard.ts)

// The allocator (TLSF) refuses blocks of 1 GiB or more (BLOCK_MAXSIZE in std/assembly/rt/common.ts).
const MAX_BLOCK = (1 << 30) - 16;
// Sizes of the blocks handed out, so that free() can be checked and the statistics kept.
const blockSizes = new Map<number, number>();
// Guard bytes on each side of a block made while a guard was installed (test builds only).
const blockPads = new Map<number, number>();
// Large blocks start at a chosen offset within a 4 KiB page ("cache colouring"), so that the
// address lies `shift` bytes past the allocator's block; see colourShift().
const blockShifts = new Map<number, number>();
// Addresses of the live blocks in increasing order, so that ownedRange() is a binary search.
const blockStarts: number[] = [];
// Bytes handed out by the allocator, guard bytes included (what setMemoryLimit() bounds).
let heapBytesInUse = 0;
let heapLimit = Infinity;

/**
 * Guard bytes around every allocation, for canary test builds: malloc() reserves `pad` more
 * bytes on each side of a block and calls `fill`; free() calls `check` before giving it back.
 */
export interface AllocationGuard {
  /** Bytes on each side of a block: a multiple of 16, so blocks stay 16-byte aligned. */
  readonly pad: number;
  fill(ptr: number, size: number, pad: number): void;
  check(ptr: number, size: number, pad: number): void;
}
let guard: AllocationGuard | null = null;

/** Installs (or with null removes) the allocation guard; blocks made before keep their layout. */
export function setAllocationGuard(g: AllocationGuard | null): void {
  if (g !== null && (!Number.isInteger(g.pad) || g.pad < 0 || g.pad % 16 !== 0)) {
    throw new ValueError('allocation guard: pad must be a non-negative multiple of 16');
  }
  guard = g;
}

/**
 * Sets the most bytes the heap may hand out at once (live blocks, guard bytes included), or
 * removes the limit with null. An allocation that would pass it raises MemoryError before the
 * allocator runs, so linear memory and the heap are left as they were. Without a limit, the
 * bound is what wasm32 linear memory can grow to (4 GiB), and 1 GiB per block.
 */
export function setMemoryLimit(bytes: number | null): void {
  if (bytes !== null && (!Number.isSafeInteger(bytes) || bytes < 0)) {
    throw new ValueError('setMemoryLimit(): the limit must be a non-negative integer or null');
  }
  heapLimit = bytes ?? Infinity;
}

/** The limit set by setMemoryLimit(), or null. */
export function memoryLimit(): number | null {
  return heapLimit === Infinity ? null : heapLimit;
}

/** Index of the last live block starting at or below `addr`, or -1. */
function blockIndexAt(addr: number): number {
  let lo = 0;
  let hi = blockStarts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (blockStarts[mid] <= addr) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

/**
 * Whether the bytes [lo, hi) all lie inside one live block handed out by malloc() (other than
 * the runtime's own scratch area). An empty range is always owned.
 */
export function ownedRange(lo: number, hi: number): boolean {
  if (!(hi > lo)) return true;
  // an attached realm checks against the blocks the owner shared with it (attachBlocks)
  const i = blockIndexAt(lo);
  if (i < 0) return false;
  const start = blockStarts[i];
  if (start === scratchPtr) return false;
  return hi <= start + (blockSizes.get(start) as number);
}

/**
 * What ownedRange() decides for a run of addresses: for every `lo` in [start, limit),
 * ownedRange(lo, hi) with hi > lo is `hi <= end` (end is -Infinity when no owned block is there).
 * Valid until the next malloc() or free(); callers keep one for the length of a check.
 */
export interface OwnedSpan {
  start: number;
  limit: number;
  end: number;
}

/**
 * Fills `span` for the addresses around `addr`, so that a caller testing many ranges (the
 * regions behind a pointer table, which usually fall in one block) pays one binary search per
 * block rather than one per range.
 */
export function ownedSpanAt(addr: number, span: OwnedSpan): void {
  const i = blockIndexAt(addr);
  span.limit = i + 1 < blockStarts.length ? blockStarts[i + 1] : Infinity;
  if (i < 0) {
    span.start = -Infinity;
    span.end = -Infinity;
    return;
  }
  const start = blockStarts[i];
  span.start = start;
  span.end = start === scratchPtr ? -Infinity : start + (blockSizes.get(start) as number);
}

/** Calls `fn` for every live block: its address, its size, and its guard bytes on each side. */
export function forEachBlock(fn: (ptr: number, size: number, pad: number) => void): void {
  for (const [ptr, size] of blockSizes) fn(ptr, size, blockPads.get(ptr) ?? 0);
}

/**
 * Allocates `size` bytes of linear memory. Raises MemoryError, leaving the heap as it was,
 * when the request cannot be met.
 */
export function malloc(size: number): number {
  if (attached) {
    throw new MemoryError('a realm attached to a shared runtime cannot allocate: allocate in the realm that called init({ sharedMemory })');
  }
  if (!Number.isSafeInteger(size) || size < 0) throw new MemoryError();
  const pad = guard?.pad ?? 0;
  const plain = size + 2 * pad;
  if (plain > MAX_BLOCK || heapBytesInUse + plain > heapLimit) throw new MemoryError();
  // a large block is coloured when the slack fits under the limits; if memory cannot grow for
  // the slack, the plain block is tried (the allocator traps before it changes any state)
  const coloured = size >= COLOUR_MIN_BYTES && plain + COLOUR_SLACK <= MAX_BLOCK &&
    heapBytesInUse + plain + COLOUR_SLACK <= heapLimit;
  let raw = coloured ? plain + COLOUR_SLACK : plain;
  let base = allocate(raw);
  if (base < 0 && coloured) base = allocate(raw = plain);
  if (base < 0) throw new MemoryError();
  const shift = raw === plain ? 0 : colourShift(base + pad);
  const ptr = base + shift + pad;
  blockSizes.set(ptr, size);
  blockStarts.splice(blockIndexAt(ptr) + 1, 0, ptr);
  heapBytesInUse += raw;
  if (raw !== plain) blockShifts.set(ptr, shift);
  if (pad !== 0) {
    blockPads.set(ptr, pad);
    (guard as AllocationGuard).fill(ptr, size, pad);
  }
  return ptr;
}

/** The allocator's block of `raw` bytes, or -1 when linear memory cannot grow for it. */
function allocate(raw: number): number {
  try {
    return wasm().malloc(raw) >>> 0;
  } catch (err) {
    // The allocator traps only when memory.grow fails, before it changes any state.
    if (err instanceof WebAssembly.RuntimeError) return -1;
    throw err;
  }
}

// Cache colouring of large blocks, after jemalloc's for its large size classes: a block of at
// least COLOUR_MIN_BYTES starts on a cache line at the next of eight offsets within a 4 KiB page,
// 512 bytes apart, instead of wherever the allocator's 16-byte granule falls. Two equal arrays
// allocated one after the other otherwise start 16-32 bytes apart modulo 4096, and a transpose
// between them with rows near a multiple of 4096 bytes then maps the source and destination lines
// of every tile to the same L1 sets (4097² float32: 16.3 ms from bases 16 bytes apart against
// 13.3 from 512, 13.5 from 2496; 2049²: 4.1 against 3.0 and 3.6). 512 bytes is the distance the
// planner needs (groupLineBlocks in src/copy.ts). The engine's memmove is sensitive to the
// distance too, in ways measured but not controlled here: the contiguous 64 MiB copy from one
// block to the next ran at 85-113% of the memcpy bound in four harness runs with 512 bytes (mean
// 102%), 70-113% in fifteen with 2496 (mean 90%), 83-109% in eleven with the uncoloured 16 (mean
// 96%). Costs at most 4 KiB per block, under 2% of the smallest coloured one.
const COLOUR_MIN_BYTES = 256 * 1024;
const COLOUR_SLACK = 4096 - 16;
const COLOUR_STEP = 512;
let colourNext = 0;

/** Bytes past `addr` (16-byte aligned) to the next colour's offset in a page; advances the colour. */
function colourShift(addr: number): number {
  const target = colourNext;
  colourNext = (colourNext + COLOUR_STEP) % 4096;
  return (((target - addr) % 4096) + 4096) % 4096;
}

/** Frees a block from malloc(); freeing 0 is a no-op, anything else not from malloc() a ValueError. */
export function free(ptr: number): void {
  if (ptr === 0) return;
  if (attached) {
    throw new MemoryError('a realm attached to a shared runtime cannot free: free in the realm that called init({ sharedMemory })');
  }
  const size = blockSizes.get(ptr);
  if (size === undefined) throw new ValueError(`PyMem_Free(): ${ptr} is not a live block from PyMem_Malloc()`);
  const pad = blockPads.get(ptr) ?? 0;
  if (pad !== 0) {
    guard?.check(ptr, size, pad);
    blockPads.delete(ptr);
  }
  const shift = blockShifts.get(ptr);
  const raw = size + 2 * pad + (shift === undefined ? 0 : COLOUR_SLACK);
  if (shift !== undefined) blockShifts.delete(ptr);
  blockSizes.delete(ptr);
  blockStarts.splice(blockIndexAt(ptr), 1);
  heapBytesInUse -= raw;
  wasm().free(ptr - pad - (shift ?? 0), raw);
}

/** The size of the live block at `ptr`, or undefined. */
export function blockSize(ptr: number): number | undefined {
  return blockSizes.get(ptr);
}

/** Allocator statistics: live blocks and the bytes they took (guard bytes and the colouring slack of large blocks included). */
export function heapStats(): { liveBlocks: number; liveBytes: number; memoryBytes: number } {
  const w = wasm();
  return { liveBlocks: w.heapLiveBlocks(), liveBytes: w.heapLiveBytes() >>> 0, memoryBytes: memorySize() };
}
// ---- end of the reliability section ----------------------------------------------------------

// A scratch area for the small integer arrays passed to kernels (shapes, strides, plans).
let scratchPtr = 0;
let scratchWords = 0;

/** Whether scratch(words) can be had: always, but in an attached realm only within its reserved block. */
export function scratchAvailable(words: number): boolean {
  return !attached || words <= scratchWords;
}

/** A scratch area of at least `words` 32-bit words; valid until the next scratch() call. */
export function scratch(words: number): number {
  if (words > scratchWords) {
    const wanted = Math.max(words, 256);
    const ptr = malloc(wanted * 4);
    if (scratchPtr !== 0) free(scratchPtr);
    scratchPtr = ptr;
    scratchWords = wanted;
  }
  return scratchPtr;
}
