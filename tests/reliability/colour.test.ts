// Cache colouring of large blocks (src/wasm/heap.ts): blocks of 256 KiB and more start on a
// cache line at a page offset that moves 512 bytes from one block to the next, so that two
// arrays allocated in a row do not share L1 sets line for line. Small blocks are not moved. The
// slack before a coloured block is not the caller's, is counted by the limit, and comes back on free.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { heapStats, init } from '../../src/index.js';
import { checkCanaries, disableCanaries, enableCanaries } from '../../src/wasm/guard.js';
import { free, heapU8, malloc, memorySize, ownedRange, setMemoryLimit } from '../../src/wasm/heap.js';

beforeAll(async () => {
  await init();
});
afterEach(() => {
  setMemoryLimit(null);
  disableCanaries();
});

const LARGE = 256 * 1024;
const SLACK = 4096 - 16;

/** Circular distance between two page offsets. */
function pageDistance(a: number, b: number): number {
  const d = (((a - b) % 4096) + 4096) % 4096;
  return Math.min(d, 4096 - d);
}

describe('large blocks', () => {
  it('start on cache lines, at eight page offsets in turn, 512 bytes on from one block to the next', () => {
    const blocks: number[] = [];
    try {
      for (let i = 0; i < 16; i++) blocks.push(malloc(LARGE + 4 * i));
      for (const p of blocks) expect(p % 64).toBe(0);
      expect(new Set(blocks.map((p) => p % 4096)).size).toBe(8);
      for (let i = 1; i < blocks.length; i++) expect((blocks[i] - blocks[i - 1] + 4096 * 1024) % 4096).toBe(512);
    } finally {
      for (const p of blocks) free(p);
    }
  });

  it('two equal arrays allocated in a row start at least 512 bytes apart modulo 4096 (the transpose case)', () => {
    for (let i = 0; i < 8; i++) {
      const n = 4097 * 4097 * 4;
      const a = malloc(n);
      const b = malloc(n);
      try {
        expect(pageDistance(a, b)).toBeGreaterThanOrEqual(512);
      } finally {
        free(b);
        free(a);
      }
    }
  });

  it("own only their own bytes: the slack before a block is no one's", () => {
    const p = malloc(LARGE);
    try {
      expect(ownedRange(p, p + LARGE)).toBe(true);
      expect(ownedRange(p - 1, p + 1)).toBe(false);
      expect(ownedRange(p, p + LARGE + 1)).toBe(false);
    } finally {
      free(p);
    }
  });

  it('count their slack in the statistics and give it all back when freed; the memory is reused', () => {
    const before = heapStats();
    const p = malloc(LARGE);
    expect(heapStats().liveBytes - before.liveBytes).toBe(LARGE + SLACK);
    free(p);
    expect(heapStats()).toEqual(before);
    for (let i = 0; i < 200; i++) free(malloc(LARGE));
    expect(heapStats()).toEqual(before);
    expect(memorySize()).toBe(before.memoryBytes);
  });

  it('are allocated plain (not coloured) when the limit admits the block but not its slack', () => {
    const before = heapStats();
    setMemoryLimit(before.liveBytes + LARGE + 1024);
    const p = malloc(LARGE);
    try {
      expect(p % 16).toBe(0);
      expect(heapStats().liveBytes - before.liveBytes).toBe(LARGE);
      expect(ownedRange(p, p + LARGE)).toBe(true);
    } finally {
      free(p);
    }
    expect(heapStats()).toEqual(before);
  });

  it('keep their guard bytes in canary builds, where a stray write before the block is still caught', () => {
    enableCanaries(32);
    const p = malloc(LARGE);
    heapU8().fill(9, p, p + LARGE);
    expect(checkCanaries()).toEqual([]);
    heapU8()[p - 1] ^= 0xff;
    const q = malloc(LARGE);
    free(q);
    expect(checkCanaries()).toEqual([{ ptr: p, size: LARGE, side: 'before', offset: 31, atFree: false }]);
    heapU8()[p - 1] ^= 0xff;
    free(p);
    expect(checkCanaries()).toEqual([]);
  });
});

describe('small blocks', () => {
  it('are not moved: exactly their size is counted', () => {
    const before = heapStats();
    const p = malloc(LARGE - 16);
    expect(heapStats().liveBytes - before.liveBytes).toBe(LARGE - 16);
    free(p);
    expect(heapStats()).toEqual(before);
  });
});
