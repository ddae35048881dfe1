// The runtime's heap: views of linear memory that survive memory.grow, and the record of every
// block the host allocates (sizes, guard bytes, cache colouring), which bounds allocations
// (setMemoryLimit) and answers whether a range of addresses lies in a live block (ownedRange).
import { MemoryError, ValueError } from '../errors.js';
import { attached, runtimeInfoOrNull, wasm, type SharedRuntimeHandle } from './instance.js';

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
    if (blockStarts[mid] <= addr) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
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
  if (start === scratchBlock) return false;
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
  span.end = start === scratchBlock ? -Infinity : start + (blockSizes.get(start) as number);
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
    throw new MemoryError(
      'a realm attached to a shared runtime cannot allocate: allocate in the realm that called init({ sharedMemory })',
    );
  }
  if (!Number.isSafeInteger(size) || size < 0) throw new MemoryError();
  const pad = guard?.pad ?? 0;
  const plain = size + 2 * pad;
  if (plain > MAX_BLOCK || heapBytesInUse + plain > heapLimit) throw new MemoryError();
  // a large block is coloured when the slack fits under the limits; if memory cannot grow for
  // the slack, the plain block is tried (the allocator traps before it changes any state)
  const coloured =
    size >= COLOUR_MIN_BYTES && plain + COLOUR_SLACK <= MAX_BLOCK && heapBytesInUse + plain + COLOUR_SLACK <= heapLimit;
  let raw = coloured ? plain + COLOUR_SLACK : plain;
  let base = allocate(raw);
  if (base < 0 && coloured) base = allocate((raw = plain));
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
// COLOUR_STEP bytes apart, instead of wherever the allocator's 16-byte granule falls. Two equal
// arrays allocated one after the other otherwise start 16-32 bytes apart modulo 4096, and a
// transpose between them with rows near a multiple of 4096 bytes then maps the source and
// destination lines of every tile to the same L1 sets. 512 bytes is the distance the planner needs
// (groupLineBlocks in src/copy/tiling.ts). Costs at most 4 KiB per block, under 2% of the smallest
// coloured one. Measured: docs/performance.md, "Tiling measurements".
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
    throw new MemoryError(
      'a realm attached to a shared runtime cannot free: free in the realm that called init({ sharedMemory })',
    );
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

// The kernels' scratch area (src/wasm/scratch.ts) is a live block that no view may reach.
let scratchBlock = 0;

/** @internal Records which block is the kernels' scratch area (ownedRange() refuses it). */
export function setScratchBlock(ptr: number): void {
  scratchBlock = ptr;
}

/**
 * A handle for a worker to attach to this realm's runtime (`init({ attach: handle })` in the
 * worker, after `postMessage(handle)`). Needs `init({ sharedMemory: true })` here. Each call
 * reserves a scratch block for one worker; release it with `capi.PyMem_Free(handle.scratch)`.
 * @param options.blocks live blocks (from `capi.PyMem_Malloc`) the worker may use; keep them
 *   alive while it does. More can be sent later and passed to {@link attachBlocks} there.
 * @param options.scratchBytes the worker's scratch area for kernel arguments; default 4096.
 */
export function shareRuntime(
  options: {
    blocks?: ReadonlyArray<readonly [ptr: number, size: number]>;
    scratchBytes?: number;
  } = {},
): SharedRuntimeHandle {
  const info = runtimeInfoOrNull();
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
