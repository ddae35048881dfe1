// Instantiates the embedded Wasm module once and hands out typed access to its exports
// and to its linear memory.
import { instantiate } from '@assemblyscript/loader';
import { wasmBase64 } from './module.generated.js';
import { MemoryError, ValueError } from '../errors.js';

/** The Wasm module's exports: numbers and pointers only. */
export interface WasmExports {
  readonly memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(ptr: number, size: number): void;
  heapLiveBlocks(): number;
  heapLiveBytes(): number;
  isContiguous(ndim: number, itemsize: number, len: number, shape: number, strides: number,
    hasSuboffsets: number, order: number): number;
  copy(plan: number): void;
}

let modulePromise: Promise<WebAssembly.Module> | null = null;
let initPromise: Promise<void> | null = null;
let wasmExports: WasmExports | null = null;

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The compiled module, compiled once per realm and cached. */
export function wasmModule(): Promise<WebAssembly.Module> {
  modulePromise ??= WebAssembly.compile(decodeBase64(wasmBase64) as Uint8Array<ArrayBuffer>);
  return modulePromise;
}

/** Instantiates the runtime; idempotent, and concurrent calls share one instantiation. */
export function init(): Promise<void> {
  initPromise ??= (async () => {
    const { exports } = await instantiate<Record<string, unknown>>(await wasmModule(), {});
    wasmExports = exports as unknown as WasmExports;
  })();
  return initPromise;
}

/** The Wasm exports; throws if init() has not completed. */
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

// The allocator (TLSF) refuses blocks of 1 GiB or more (BLOCK_MAXSIZE in std/assembly/rt/common.ts).
const MAX_BLOCK = (1 << 30) - 16;
// Sizes of the blocks handed out, so that free() can be checked and the statistics kept.
const blockSizes = new Map<number, number>();

/**
 * Allocates `size` bytes of linear memory. Raises MemoryError, leaving the heap as it was,
 * when the request cannot be met.
 */
export function malloc(size: number): number {
  if (!Number.isSafeInteger(size) || size < 0) throw new MemoryError();
  if (size > MAX_BLOCK) throw new MemoryError();
  let ptr: number;
  try {
    ptr = wasm().malloc(size) >>> 0;
  } catch (err) {
    // The allocator traps only when memory.grow fails, before it changes any state.
    if (err instanceof WebAssembly.RuntimeError) throw new MemoryError();
    throw err;
  }
  blockSizes.set(ptr, size);
  return ptr;
}

/** Frees a block from malloc(); freeing 0 is a no-op, anything else not from malloc() a ValueError. */
export function free(ptr: number): void {
  if (ptr === 0) return;
  const size = blockSizes.get(ptr);
  if (size === undefined) throw new ValueError(`PyMem_Free(): ${ptr} is not a live block from PyMem_Malloc()`);
  blockSizes.delete(ptr);
  wasm().free(ptr, size);
}

/** The size of the live block at `ptr`, or undefined. */
export function blockSize(ptr: number): number | undefined {
  return blockSizes.get(ptr);
}

/** Allocator statistics: live blocks and the bytes they were asked for. */
export function heapStats(): { liveBlocks: number; liveBytes: number; memoryBytes: number } {
  const w = wasm();
  return { liveBlocks: w.heapLiveBlocks(), liveBytes: w.heapLiveBytes() >>> 0, memoryBytes: memorySize() };
}

// A scratch area for the small integer arrays passed to kernels (shapes, strides, plans).
let scratchPtr = 0;
let scratchWords = 0;

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
