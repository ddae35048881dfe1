// Canary test builds: guard bytes around every allocation of the runtime's heap, written by
// malloc() and checked by free() and by checkCanaries(). A write that strays past either end of
// a block (an unchecked bound, a kernel reading its plan wrong) changes a guard byte and is
// reported with the block it hit. Not for production: it costs 2 * pad bytes a block.
import { forEachBlock, heapU8, setAllocationGuard } from './heap.js';

/** One damaged guard: the block (address and size), which side, and the first bad offset. */
export interface CanaryViolation {
  readonly ptr: number;
  readonly size: number;
  readonly side: 'before' | 'after';
  /** Offset of the first changed guard byte from the start of that guard. */
  readonly offset: number;
  /** Whether it was found when the block was freed (else by checkCanaries()). */
  readonly atFree: boolean;
}

// Guard byte `i` of the guard that starts at `at`: depends on the address, so that a copy of
// one guard (or of a block including its guards) to another place is still noticed.
function pattern(at: number, i: number): number {
  return (((at + i) * 0x9e3779b1) >>> 24) ^ 0xa5;
}

function fillGuard(heap: Uint8Array, at: number, pad: number): void {
  for (let i = 0; i < pad; i++) heap[at + i] = pattern(at, i);
}

function firstBad(heap: Uint8Array, at: number, pad: number): number {
  for (let i = 0; i < pad; i++) if (heap[at + i] !== pattern(at, i)) return i;
  return -1;
}

const found: CanaryViolation[] = [];

function checkBlock(ptr: number, size: number, pad: number, atFree: boolean): number {
  const heap = heapU8();
  let bad = 0;
  const before = firstBad(heap, ptr - pad, pad);
  if (before >= 0) {
    found.push({ ptr, size, side: 'before', offset: before, atFree });
    bad++;
  }
  const after = firstBad(heap, ptr + size, pad);
  if (after >= 0) {
    found.push({ ptr, size, side: 'after', offset: after, atFree });
    bad++;
  }
  return bad;
}

/**
 * Turns guard bytes on for every block allocated from now on (`pad` bytes each side, a
 * multiple of 16). Blocks that already exist keep no guards.
 */
export function enableCanaries(pad = 32): void {
  setAllocationGuard({
    pad,
    fill(ptr, size, p) {
      const heap = heapU8();
      fillGuard(heap, ptr - p, p);
      fillGuard(heap, ptr + size, p);
    },
    check(ptr, size, p) {
      checkBlock(ptr, size, p, true);
    },
  });
}

/** Stops adding guards to new blocks (blocks that have them keep them until freed). */
export function disableCanaries(): void {
  setAllocationGuard(null);
}

/**
 * Checks the guards of every live block; returns the violations found now plus those found
 * by free() since the last call, and forgets them.
 */
export function checkCanaries(): CanaryViolation[] {
  forEachBlock((ptr, size, pad) => {
    if (pad !== 0) checkBlock(ptr, size, pad, false);
  });
  return found.splice(0, found.length);
}
