// malloc / free for the host, on the runtime's TLSF allocator (std/assembly/rt/tlsf.ts).
// Blocks are 16-byte aligned, so any item size up to 16 is naturally aligned at offset 0.

/** Number of blocks handed out by malloc and not yet freed. */
let liveBlocks: i32 = 0;
/** Bytes requested by the live blocks (not counting allocator overhead). */
let liveBytes: usize = 0;

/** Allocates `size` bytes (at least one) and returns the block's address; traps when memory cannot grow. */
export function malloc(size: usize): usize {
  const ptr = heap.alloc(size == 0 ? 1 : size);
  liveBlocks++;
  liveBytes += size;
  return ptr;
}

/** Frees a block returned by malloc; `size` must be the size it was allocated with (for the statistics). */
export function free(ptr: usize, size: usize): void {
  heap.free(ptr);
  liveBlocks--;
  liveBytes -= size;
}

/** Live blocks handed out by malloc. */
export function heapLiveBlocks(): i32 {
  return liveBlocks;
}

/** Bytes requested by the live blocks. */
export function heapLiveBytes(): usize {
  return liveBytes;
}
