// The kernels' scratch area: the small integer arrays passed to the kernels (shapes, strides,
// plans) are written here, never allocated per call. One block, grown when a call needs more; in
// an attached realm, the block the owner reserved for it (it cannot allocate).
import { free, malloc, setScratchBlock } from './heap.js';
import { attached } from './instance.js';

let scratchPtr = 0;
let scratchWords = 0;

/** @internal Adopts the scratch block an owner reserved for this attached realm (SharedRuntimeHandle.scratch). */
export function attachScratch(ptr: number, bytes: number): void {
  scratchPtr = ptr;
  scratchWords = Math.floor(bytes / 4);
  setScratchBlock(ptr);
}

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
    setScratchBlock(ptr);
    scratchWords = wanted;
  }
  return scratchPtr;
}
