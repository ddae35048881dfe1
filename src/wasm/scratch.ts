// The kernels' scratch area: the small integer arrays passed to the kernels (shapes, strides,
// plans) are written here, never allocated per call. One block, grown when a call needs more; in
// an attached realm, the block the owner reserved for it (it cannot allocate). Its first
// allocation already holds a plan and a staging area (staged and stepped tiles, src/copy/encode.ts),
// so that it grows only for plans of many dimensions: heapStats() stays put from copy to copy,
// whatever layouts come (a stepped uint8 tile once grew it from 1 to 8 KiB in mid-run).
import { STAGE_ALIGN, STAGE_BYTES } from './abi.generated.js';
import { free, malloc, setScratchBlock } from './heap.js';
import { attached } from './instance.js';

/** The first allocation's words: 256 for a plan and its arrays, and a staging area. */
const FIRST_WORDS = 256 + (STAGE_BYTES + STAGE_ALIGN) / 4;

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
    const wanted = Math.max(words, FIRST_WORDS);
    const ptr = malloc(wanted * 4);
    if (scratchPtr !== 0) free(scratchPtr);
    scratchPtr = ptr;
    setScratchBlock(ptr);
    scratchWords = wanted;
  }
  return scratchPtr;
}
