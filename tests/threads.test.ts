// Parallel copies in Node: init({ threads }) starts copy workers (worker_threads) on the shared
// heap, large copies are split across them (src/split.ts, src/wasm/threads.ts), and the result is
// byte for byte the single-threaded one. Faults are injected through threadsForTesting: a worker
// handed a part that traps, a worker held mid-copy and terminated.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { copyStrided } from '../src/copy/dispatch.js';
import { type StridedOperand } from '../src/copy/plan.js';
import {
  PyBUF,
  RuntimeError,
  StridedView,
  ValueError,
  capi,
  copyLayout,
  copyLayoutAsync,
  heapStats,
  init,
  runtimeInfo,
  runtimeMemory,
  shutdown,
  transpose,
  transposeAsync,
} from '../src/index.js';
import { setParallelMinBytesForTuning, threadsForTesting } from '../src/wasm/threads.js';
import { copyPlannerProperties } from './helpers/copy-properties.js';
import { firstDifference } from './helpers/copy-layouts.js';
import { copyWorkerUrl } from './helpers/threads.js';

const workerUrl = copyWorkerUrl();

beforeAll(async () => {
  await init({ threads: 4, workerUrl });
});

afterEach(() => {
  threadsForTesting.afterDispatch(null);
  threadsForTesting.replaceChunks(null);
  setParallelMinBytesForTuning(null);
});

afterAll(async () => {
  await shutdown();
});

/** A block of `n` bytes of a pattern, freed by the returned function. */
function patterned(n: number, seed: number): number {
  const p = capi.PyMem_Malloc(n);
  const u = new Uint8Array(runtimeMemory().buffer, p, n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    u[i] = x & 0xff;
  }
  return p;
}

function bytes(p: number, n: number): Uint8Array {
  return new Uint8Array(runtimeMemory().buffer, p, n).slice();
}

interface Layout {
  name: string;
  itemsize: number;
  shape: number[];
  src: number[];
  offset?: number;
  span: number;
}

// the harness's kinds of copy at 4-16 MiB: one memory.copy, tiles, rows, strided rows, 3-D permutations
const LAYOUTS: Layout[] = [
  { name: 'a contiguous 16 MiB copy', itemsize: 1, shape: [16 << 20], src: [1], span: 16 << 20 },
  { name: 'a float32 2048x2048 transpose', itemsize: 4, shape: [2048, 2048], src: [4, 8192], span: 16 << 20 },
  {
    name: 'a float32 1025x1023 transpose (ragged edges)',
    itemsize: 4,
    shape: [1025, 1023],
    src: [4, 4100],
    span: 1025 * 1023 * 4,
  },
  {
    name: 'a uint8 4096x4096 transpose (staged tiles)',
    itemsize: 1,
    shape: [4096, 4096],
    src: [1, 4096],
    span: 16 << 20,
  },
  {
    name: 'a uint16 2048x2048 transpose (staged tiles)',
    itemsize: 2,
    shape: [2048, 2048],
    src: [2, 4096],
    span: 8 << 20,
  },
  { name: 'a float64 1024x2048 transpose', itemsize: 8, shape: [1024, 2048], src: [8, 8192], span: 16 << 20 },
  {
    name: 'a crop of 1600x900 RGBA pixels',
    itemsize: 1,
    shape: [900, 1600, 4],
    src: [7680, 4, 1],
    offset: 100 * 7680 + 800,
    span: 1080 * 7680,
  },
  {
    name: 'a horizontal flip of 1920x1080 RGBA pixels',
    itemsize: 1,
    shape: [1080, 1920, 4],
    src: [7680, -4, 1],
    offset: 7676,
    span: 1080 * 7680,
  },
  {
    name: 'a 128^3 float32 permutation (2, 0, 1)',
    itemsize: 4,
    shape: [128, 128, 128],
    src: [4, 65536, 512],
    span: 8 << 20,
  },
  { name: 'a 1-D float32 step 3', itemsize: 4, shape: [1398101], src: [12], span: 16 << 20 },
  { name: 'a 2-D float32 step 2', itemsize: 4, shape: [1024, 1024], src: [16384, 8], span: 16 << 20 },
  // channel moves (assembly/tile.ts interleave kernels): cut along the pixels, the channels whole
  {
    name: 'HWC to CHW of 1920x1080 RGB pixels (channel move)',
    itemsize: 1,
    shape: [3, 1080, 1920],
    src: [1, 5760, 3],
    span: 1080 * 5760,
  },
  {
    name: 'CHW to HWC of 1920x1080 RGB float32 planes (channel move)',
    itemsize: 4,
    shape: [1080, 1920, 3],
    src: [7680, 4, 8294400],
    span: 3 * 8294400,
  },
  // a dim walked backwards on the source (the planner walks the destination forwards)
  {
    name: 'a float32 2048x2048 rotation by 90 degrees',
    itemsize: 4,
    shape: [2048, 2048],
    src: [4, -8192],
    offset: 2047 * 8192,
    span: 16 << 20,
  },
];

function cStrides(shape: number[], itemsize: number): number[] {
  const s: number[] = [];
  let sd = itemsize;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = sd;
    sd *= shape[i];
  }
  return s;
}

/** Copies `layout` with the current threads and on one thread; returns both destinations' bytes. */
function copyBoth(layout: Layout, seed: number): [Uint8Array, Uint8Array] {
  const n = layout.shape.reduce((a, b) => a * b, layout.itemsize);
  const src = patterned(layout.span, seed);
  const a = patterned(n, seed + 1);
  const b = patterned(n, seed + 1);
  try {
    const srcOp: StridedOperand = { buf: src + (layout.offset ?? 0), strides: layout.src, suboffsets: null };
    const dstOp = (p: number): StridedOperand => ({
      buf: p,
      strides: cStrides(layout.shape, layout.itemsize),
      suboffsets: null,
    });
    copyStrided(layout.shape.length, layout.itemsize, layout.shape, dstOp(a), srcOp);
    setParallelMinBytesForTuning(Number.MAX_SAFE_INTEGER);
    copyStrided(layout.shape.length, layout.itemsize, layout.shape, dstOp(b), srcOp);
    setParallelMinBytesForTuning(null);
    return [bytes(a, n), bytes(b, n)];
  } finally {
    for (const p of [src, a, b]) capi.PyMem_Free(p);
  }
}

/**
 * After the next split copy posts its chunks, waits until worker 0 has claimed one before the
 * calling thread claims any (so that a fault injected into worker 0 hits the copy), then runs `then`.
 */
function waitForWorker0(then?: () => void): void {
  const before = threadsForTesting.claims(0);
  threadsForTesting.afterDispatch(() => {
    threadsForTesting.waitForClaim(0, before);
    then?.();
  });
}

describe('a runtime with threads', () => {
  it('runs the shared build with the threads asked for, the calling thread included', () => {
    expect(runtimeInfo()).toMatchObject({ build: 'shared', sharedMemory: true, threads: 4 });
    expect(runtimeInfo().threadsReason).toBeUndefined();
    expect(threadsForTesting.workers()).toBe(3);
  });

  for (const layout of LAYOUTS) {
    it(`splits ${layout.name} across the threads, giving the single-threaded bytes`, () => {
      let dispatched = 0;
      threadsForTesting.afterDispatch(() => {
        dispatched++;
      });
      const [threaded, single] = copyBoth(layout, 7);
      expect(dispatched).toBe(1);
      expect(firstDifference(threaded, single)).toBe(-1);
    });
  }

  it("splits the C API's contiguous copies (ToContiguous, FromContiguous, CopyData) as one memory.copy would be", () => {
    const n = 4 << 20;
    const src = patterned(n, 51);
    const dst = patterned(n, 52);
    const mv = capi.PyMemoryView_FromMemory(src, n, PyBUF.READ);
    const out = capi.PyMemoryView_FromMemory(dst, n, PyBUF.WRITE);
    try {
      let dispatched = 0;
      threadsForTesting.afterDispatch(() => {
        dispatched++;
      });
      const view = capi.PyMemoryView_GET_BUFFER(mv);
      const target = capi.PyMemoryView_GET_BUFFER(out);
      capi.PyBuffer_ToContiguous(dst, view, n, 'C');
      expect(firstDifference(bytes(dst, n), bytes(src, n))).toBe(-1);
      new Uint8Array(runtimeMemory().buffer, dst, n).fill(0);
      capi.PyBuffer_FromContiguous(target, src, n, 'C');
      expect(firstDifference(bytes(dst, n), bytes(src, n))).toBe(-1);
      new Uint8Array(runtimeMemory().buffer, dst, n).fill(0);
      capi.PyObject_CopyData(out, mv);
      expect(firstDifference(bytes(dst, n), bytes(src, n))).toBe(-1);
      expect(dispatched).toBe(3);
    } finally {
      out.release();
      mv.release();
      capi.PyMem_Free(src);
      capi.PyMem_Free(dst);
    }
  });

  it('copies below the threshold on the calling thread alone', () => {
    let dispatched = 0;
    threadsForTesting.afterDispatch(() => {
      dispatched++;
    });
    const [threaded, single] = copyBoth(
      { name: 'small', itemsize: 4, shape: [256, 256], src: [4, 1024], span: 1 << 18 },
      3,
    );
    expect(dispatched).toBe(0);
    expect(firstDifference(threaded, single)).toBe(-1);
  });

  it("refuses threads that are not a count from 1 to 64 or 'auto', with ValueError", async () => {
    for (const bad of [0, -1, 1.5, 65, Number.NaN, 'many']) {
      await expect(init({ threads: bad as number })).rejects.toThrow(ValueError);
    }
    expect(runtimeInfo().threads).toBe(4);
  });
});

describe('copyFromAsync with threads', () => {
  // one worker: it takes every chunk of an asynchronous copy, so that holding it holds the copy
  beforeAll(async () => {
    await init({ threads: 2, workerUrl });
  });

  it('leaves the whole copy to the workers: the calling thread is free until the promise resolves', async () => {
    const n = 2048;
    const src = patterned(n * n * 4, 11);
    const a = patterned(n * n * 4, 12);
    const b = patterned(n * n * 4, 12);
    try {
      const view = (p: number) => StridedView.over({ ptr: p, len: n * n * 4 }, { shape: [n, n], format: 'f' });
      view(b).copyFrom(view(src).transpose());
      threadsForTesting.hold(0, true);
      waitForWorker0();
      let settled = false;
      const pending = view(a)
        .copyFromAsync(view(src).transpose())
        .then(() => {
          settled = true;
        });
      // the workers have the copy and worker 0 is held in it; this thread goes on with other work
      await new Promise((r) => setTimeout(r, 50));
      expect(settled).toBe(false);
      const small = StridedView.over({ ptr: src, len: 64 }, { shape: [16], format: 'f' });
      expect(small.toBytes()).toEqual(bytes(src, 64));
      threadsForTesting.hold(0, false);
      await pending;
      expect(firstDifference(bytes(a, n * n * 4), bytes(b, n * n * 4))).toBe(-1);
    } finally {
      threadsForTesting.hold(0, false);
      for (const p of [src, a, b]) capi.PyMem_Free(p);
    }
  });

  it('runs asynchronous copies one after another, in call order', async () => {
    const n = 1 << 21;
    const src = patterned(n, 21);
    const mid = patterned(n, 22);
    const dst = patterned(n, 23);
    try {
      const view = (p: number) => StridedView.over({ ptr: p, len: n }, { shape: [n] });
      // the second copy reads what the first writes
      const first = view(mid).copyFromAsync(view(src));
      const second = view(dst).copyFromAsync(view(mid));
      await Promise.all([first, second]);
      expect(firstDifference(bytes(dst, n), bytes(src, n))).toBe(-1);
    } finally {
      for (const p of [src, mid, dst]) capi.PyMem_Free(p);
    }
  });

  it('copies in place through a temporary (a transpose onto itself), the second half waiting for the first', async () => {
    const n = 1024;
    const size = n * n * 4;
    const a = patterned(size, 41);
    const b = patterned(size, 41);
    try {
      const view = (p: number) => StridedView.over({ ptr: p, len: size }, { shape: [n, n], format: 'f' });
      setParallelMinBytesForTuning(Number.MAX_SAFE_INTEGER);
      view(b).copyFrom(view(b).transpose());
      setParallelMinBytesForTuning(null);
      let dispatched = 0;
      threadsForTesting.afterDispatch(() => {
        dispatched++;
      });
      await view(a).copyFromAsync(view(a).transpose());
      expect(dispatched).toBe(2);
      expect(firstDifference(bytes(a, size), bytes(b, size))).toBe(-1);
    } finally {
      for (const p of [a, b]) capi.PyMem_Free(p);
    }
  });

  it('rejects a mismatched copy before touching memory, as copyFrom() throws', async () => {
    const p = capi.PyMem_Malloc(64);
    try {
      const a = StridedView.over({ ptr: p, len: 64 }, { shape: [16], format: 'f' });
      const b = StridedView.over({ ptr: p, len: 64 }, { shape: [8], format: 'd' });
      await expect(a.copyFromAsync(b)).rejects.toThrow(ValueError);
    } finally {
      capi.PyMem_Free(p);
    }
  });
});

describe('copyLayoutAsync and transposeAsync with threads', () => {
  it('transpose a plain Float32Array on the workers, as transpose() does on one thread', async () => {
    const rows = 1000;
    const cols = 1500;
    const a = Float32Array.from({ length: rows * cols }, (_, k) => (k * 7919) % 100_003);
    let dispatched = 0;
    threadsForTesting.afterDispatch(() => {
      dispatched++;
    });
    const t = await transposeAsync(a, [rows, cols]);
    expect(dispatched).toBe(1);
    setParallelMinBytesForTuning(Number.MAX_SAFE_INTEGER);
    const single = transpose(a, [rows, cols]);
    expect(firstDifference(new Uint8Array(t.buffer), new Uint8Array(single.buffer))).toBe(-1);
  });

  it('crop and flip a plain Uint8Array into a given array on the workers, as copyLayout() does', async () => {
    const h = 1080;
    const w = 1920 * 4;
    const img = Uint8Array.from({ length: h * w }, (_, k) => (k * 31) & 0xff);
    const layout = { shape: [900, 1600, 4], strides: [w, -4, 1], offset: 100 * w + (1800 - 1) * 4 };
    const out = new Uint8Array(900 * 1600 * 4);
    expect(await copyLayoutAsync(img, layout, out)).toBe(out);
    setParallelMinBytesForTuning(Number.MAX_SAFE_INTEGER);
    expect(firstDifference(out, copyLayout(img, layout))).toBe(-1);
  });

  it('take ndarray-like sources and strided destinations, as copyLayout() and transpose() do', async () => {
    // a scijs-shaped view (stride, offset in items): every other row of a 2000x1200 image, flipped
    const w = 1200;
    const data = Float32Array.from({ length: 2000 * w }, (_, k) => k % 65_521);
    const x = { data, shape: [1000, w], stride: [2 * w, -1], offset: w - 1 };
    // into padded rows of a larger array: the padding keeps its values
    const padded = new Float32Array(w * 1024).fill(-1);
    const out = { data: padded, shape: [w, 1000], stride: [1024, 1], offset: 0 };
    let dispatched = 0;
    threadsForTesting.afterDispatch(() => {
      dispatched++;
    });
    expect(await transposeAsync(x, [1, 0], out)).toBe(padded);
    expect(await copyLayoutAsync(x)).toBeInstanceOf(Float32Array);
    expect(dispatched).toBe(2);
    setParallelMinBytesForTuning(Number.MAX_SAFE_INTEGER);
    const single = new Float32Array(w * 1024).fill(-1);
    transpose(x, [1, 0], { ...out, data: single });
    expect(firstDifference(new Uint8Array(padded.buffer), new Uint8Array(single.buffer))).toBe(-1);
  });

  it('reject bad layouts with the errors of copyLayout() and transpose(), naming the async call', async () => {
    const a = new Float32Array(12);
    await expect(copyLayoutAsync(a, { shape: [4, 4] })).rejects.toThrow(
      /^copyLayoutAsync\(\): the layout reaches items/,
    );
    await expect(transposeAsync(a, [5, 3])).rejects.toThrow(ValueError);
    await expect(
      copyLayoutAsync(new DataView(new ArrayBuffer(4)) as unknown as Float32Array, { shape: [1] }),
    ).rejects.toThrow(TypeError);
  });
});

describe('with 4 threads, every copy split (more threads than cores)', () => {
  beforeAll(async () => {
    await init({ threads: 4, workerUrl });
  });
  // the tests' copies are small: force the split so that every layout meets it
  beforeAll(() => setParallelMinBytesForTuning(0));
  afterAll(() => setParallelMinBytesForTuning(null));
  it('uses 4 threads', () => {
    expect(runtimeInfo().threads).toBe(4);
  });
  copyPlannerProperties(100);
});

describe('with 2 threads, every copy split', () => {
  beforeAll(async () => {
    await init({ threads: 2, workerUrl });
  });
  beforeAll(() => setParallelMinBytesForTuning(0));
  afterAll(() => setParallelMinBytesForTuning(null));
  it('uses 2 threads of the pool', () => {
    expect(runtimeInfo().threads).toBe(2);
  });
  copyPlannerProperties(100);
});

/** A 4 MiB float32 transpose into a destination with 4 KiB of guard bytes on each side. */
function guarded() {
  const n = 1024;
  const size = n * n * 4;
  const guard = 4096;
  const src = patterned(size, 31);
  const block = patterned(size + 2 * guard, 32);
  const before = bytes(block, size + 2 * guard);
  const from = StridedView.over({ ptr: src, len: size }, { shape: [n, n], format: 'f' }).transpose();
  const expected = from.toBytes();
  return {
    dst: StridedView.over({ ptr: block + guard, len: size }, { shape: [n, n], format: 'f' }),
    src: from,
    guardsIntact(): boolean {
      const now = bytes(block, size + 2 * guard);
      return (
        now.subarray(0, guard).every((x, i) => x === before[i]) &&
        now.subarray(guard + size).every((x, i) => x === before[guard + size + i])
      );
    },
    correct(): boolean {
      return bytes(block + guard, size).every((x, i) => x === expected[i]);
    },
    free(): void {
      capi.PyMem_Free(src);
      capi.PyMem_Free(block);
    },
  };
}

describe('a copy worker that fails', () => {
  it('fails the copy with RuntimeError when it throws, leaves memory outside the destination untouched, and one thread copies from then on', async () => {
    await init({ threads: 2, workerUrl, threadTimeout: 500 });
    expect(runtimeInfo().threads).toBe(2);
    const g = guarded();
    try {
      // the worker's part, moved past the end of memory: its kernel traps before writing anything
      threadsForTesting.replaceChunks((chunk) => ({ ...chunk, dst: 0x7ff0_0000 }));
      waitForWorker0();
      expect(() => g.dst.copyFrom(g.src)).toThrow(RuntimeError);
      threadsForTesting.replaceChunks(null);
      expect(g.guardsIntact()).toBe(true);
      expect(runtimeInfo().threads).toBe(1);
      expect(runtimeInfo().threadsReason).toMatch(/copy worker 0 threw RuntimeError: memory access out of bounds/);
      g.dst.copyFrom(g.src);
      expect(g.correct()).toBe(true);
    } finally {
      g.free();
    }
  });

  it('names the failure in the error: the worker, what happened, and what it means for the destination', async () => {
    await init({ threads: 2, workerUrl, threadTimeout: 500 });
    const g = guarded();
    try {
      threadsForTesting.replaceChunks((chunk) => ({ ...chunk, dst: 0x7ff0_0000 }));
      waitForWorker0();
      expect(() => g.dst.copyFrom(g.src)).toThrow(
        /^parallel copy failed: copy worker 0 threw RuntimeError: .*; the destination may be partly written \(memory outside it is untouched\), and copies run on one thread from now on$/,
      );
    } finally {
      threadsForTesting.replaceChunks(null);
      g.free();
    }
  });

  it('fails a synchronous copy by the deadline when a worker dies mid-copy (held, then terminated)', async () => {
    await init({ threads: 2, workerUrl, threadTimeout: 300 });
    expect(runtimeInfo().threads).toBe(2);
    const g = guarded();
    try {
      threadsForTesting.hold(0, true);
      waitForWorker0(() => {
        void threadsForTesting.terminate(0);
      });
      expect(() => g.dst.copyFrom(g.src)).toThrow(/copy worker 0 did not finish within 300 ms/);
      expect(g.guardsIntact()).toBe(true);
      expect(runtimeInfo().threads).toBe(1);
      g.dst.copyFrom(g.src);
      expect(g.correct()).toBe(true);
    } finally {
      g.free();
    }
  });

  it("rejects an asynchronous copy on the worker's exit event, not by a deadline, when it dies mid-copy", async () => {
    await init({ threads: 2, workerUrl, threadTimeout: 600_000 });
    expect(runtimeInfo().threads).toBe(2);
    const g = guarded();
    try {
      threadsForTesting.hold(0, true);
      waitForWorker0(() => {
        void threadsForTesting.terminate(0);
      });
      await expect(g.dst.copyFromAsync(g.src)).rejects.toThrow(/parallel copy failed: copy worker 0 exited/);
      expect(g.guardsIntact()).toBe(true);
      expect(runtimeInfo()).toMatchObject({ threads: 1 });
      await g.dst.copyFromAsync(g.src);
      expect(g.correct()).toBe(true);
    } finally {
      g.free();
    }
  });

  it('rejects an asynchronous copy by its deadline when a worker hangs mid-copy (held), and ends that worker', async () => {
    await init({ threads: 2, workerUrl, threadTimeout: 300 });
    const g = guarded();
    try {
      threadsForTesting.hold(0, true);
      waitForWorker0();
      await expect(g.dst.copyFromAsync(g.src)).rejects.toThrow(/copy worker 0 did not finish within \d+ ms/);
      expect(g.guardsIntact()).toBe(true);
      expect(runtimeInfo().threads).toBe(1);
      g.dst.copyFrom(g.src);
      expect(g.correct()).toBe(true);
    } finally {
      g.free();
    }
  });

  it('leaves the runtime on one thread when a worker dies while idle, and says why', async () => {
    await init({ threads: 2, workerUrl });
    expect(runtimeInfo().threads).toBe(2);
    await threadsForTesting.terminate(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(runtimeInfo().threads).toBe(1);
    expect(runtimeInfo().threadsReason).toMatch(/copy worker 0 exited/);
    const g = guarded();
    try {
      g.dst.copyFrom(g.src);
      expect(g.correct()).toBe(true);
    } finally {
      g.free();
    }
  });
});

describe('shutdown()', () => {
  it('ends the workers and returns their scratch areas and the job area; a later init({ threads }) starts them again', async () => {
    await shutdown();
    const baseline = heapStats().liveBlocks;
    await init({ threads: 3, workerUrl });
    expect(runtimeInfo().threads).toBe(3);
    expect(heapStats().liveBlocks).toBe(baseline + 3); // two scratch areas and the job area
    await shutdown();
    expect(runtimeInfo()).toMatchObject({ threads: 1, threadsReason: 'shutdown() ended the copy workers' });
    expect(threadsForTesting.workers()).toBe(0);
    expect(heapStats().liveBlocks).toBe(baseline);
    const [single] = copyBoth(LAYOUTS[1], 5);
    await init({ threads: 2, workerUrl });
    expect(runtimeInfo().threads).toBe(2);
    const [threaded] = copyBoth(LAYOUTS[1], 5);
    expect(firstDifference(threaded, single)).toBe(-1);
  });

  it('does nothing without workers', async () => {
    await shutdown();
    await shutdown();
    expect(runtimeInfo().threads).toBe(1);
  });
});
