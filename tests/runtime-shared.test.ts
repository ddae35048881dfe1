// The shared-memory build: init({ sharedMemory: true }) runs the heap on a shared
// WebAssembly.Memory, and a second realm attached with shareRuntime() runs the kernels on the
// same bytes without allocating. In Node a second realm is simulated by a fresh module graph
// (vi.resetModules); the browser tests do the same with a real Web Worker.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as owner from '../src/index.js';

type Lib = typeof owner;
let guest: Lib;
let handle: owner.SharedRuntimeHandle;
const rows = 3;
const cols = 4;
const nbytes = rows * cols * 4;
let src = 0;
let dst = 0;

beforeAll(async () => {
  // the shared build is a SIMD build: this file ignores a WASM_MEMORYVIEW_SIMD=0 run's switch
  (globalThis as { WASM_MEMORYVIEW_SIMD?: boolean }).WASM_MEMORYVIEW_SIMD = true;
  await owner.init({ sharedMemory: true });
  src = owner.capi.PyMem_Malloc(nbytes);
  dst = owner.capi.PyMem_Malloc(nbytes);
  handle = owner.shareRuntime({
    blocks: [
      [src, nbytes],
      [dst, nbytes],
    ],
  });
  vi.resetModules();
  guest = await import('../src/index.js');
  await guest.init({ attach: handle });
});

/** A descriptor, made in `lib`, of a rows x cols C-contiguous matrix of int32 at `buf`. */
function matrix(lib: Lib, buf: number): owner.Py_buffer {
  const view = new lib.Py_buffer();
  Object.assign(view, {
    buf,
    itemsize: 4,
    format: 'i',
    ndim: 2,
    shape: [rows, cols],
    strides: [cols * 4, 4],
    len: nbytes,
    readonly: true,
  });
  return view;
}

describe('a runtime on shared memory', () => {
  it('runs the shared build on a SharedArrayBuffer', () => {
    expect(owner.runtimeInfo()).toMatchObject({ build: 'shared', simd: true, sharedMemory: true, attached: false });
    expect(handle.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it("lets an attached realm transpose the owner's bytes in place, with no copy in between", () => {
    expect(guest.runtimeInfo()).toMatchObject({ build: 'shared', attached: true });
    const values = Int32Array.from({ length: rows * cols }, (_, k) => k * 10 - 7);
    new Int32Array(handle.memory.buffer, src, rows * cols).set(values);
    guest.capi.PyBuffer_ToContiguous(dst, matrix(guest, src), nbytes, 'F');
    const got = Array.from(new Int32Array(handle.memory.buffer, dst, rows * cols));
    const want: number[] = [];
    for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) want.push(values[i * cols + j]);
    expect(got).toEqual(want);
  });

  it('refuses to allocate or free in an attached realm, with a MemoryError that says where to', () => {
    const before = owner.heapStats();
    expect(() => guest.capi.PyMem_Malloc(16)).toThrow(guest.MemoryError);
    expect(() => guest.capi.PyMem_Malloc(16)).toThrow(/attached to a shared runtime cannot allocate/);
    expect(() => guest.capi.PyMem_Free(src)).toThrow(/attached to a shared runtime cannot free/);
    expect(owner.heapStats()).toEqual(before);
  });

  it('refuses, in an attached realm, blocks the owner did not share, until they are attached', () => {
    const other = owner.capi.PyMem_Malloc(nbytes);
    expect(() => guest.capi.PyBuffer_ToContiguous(other, matrix(guest, src), nbytes, 'C')).toThrow(guest.ValueError);
    guest.attachBlocks([[other, nbytes]]);
    guest.capi.PyBuffer_ToContiguous(other, matrix(guest, src), nbytes, 'C');
    expect(new Uint8Array(handle.memory.buffer, other, nbytes)).toEqual(
      new Uint8Array(handle.memory.buffer, src, nbytes),
    );
    owner.capi.PyMem_Free(other);
  });

  it("keeps the owner's heap working, memory.grow included, after the attach", () => {
    const p = owner.capi.PyMem_Malloc(1 << 22);
    expect(p).toBeGreaterThan(0);
    // the attached realm sees the grown memory through the same accessors
    guest.capi.PyBuffer_ToContiguous(dst, matrix(guest, src), nbytes, 'C');
    owner.capi.PyMem_Free(p);
  });

  it('refuses to share a runtime from an attached realm, or attach blocks in the owner', () => {
    expect(() => guest.shareRuntime()).toThrow(guest.ValueError);
    expect(() => owner.attachBlocks([[src, 4]])).toThrow(owner.ValueError);
  });
});

describe('init({ sharedMemory: true }) without SharedArrayBuffer', () => {
  it('fails with a ValueError that names the two headers, and leaves init() free to run again', async () => {
    vi.stubGlobal('SharedArrayBuffer', undefined);
    try {
      vi.resetModules();
      const lib: Lib = await import('../src/index.js');
      const failed = lib.init({ sharedMemory: true });
      await expect(failed).rejects.toThrow(lib.ValueError);
      await expect(failed).rejects.toThrow(
        /sharedMemory needs SharedArrayBuffer; .*Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp/,
      );
      expect(() => lib.runtimeInfo()).toThrow(/call `await init\(\)` first/);
      // a memory the caller made is taken as given, with SharedArrayBuffer gone from the global scope
      vi.unstubAllGlobals();
      const memory = new WebAssembly.Memory({ initial: 2, maximum: 64, shared: true });
      vi.stubGlobal('SharedArrayBuffer', undefined);
      await lib.init({ sharedMemory: memory });
      expect(lib.runtimeInfo()).toMatchObject({ build: 'shared', sharedMemory: true });
      expect(lib.runtimeMemory()).toBe(memory);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('init({ sharedMemory: true }) without Wasm SIMD (there is no scalar shared build)', () => {
  it('fails with a ValueError where SIMD is switched off or missing, and leaves init() free to run again', async () => {
    vi.resetModules();
    const lib: Lib = await import('../src/index.js');
    const off = lib.init({ sharedMemory: true, simd: false });
    await expect(off).rejects.toThrow(lib.ValueError);
    await expect(off).rejects.toThrow(
      /^init\(\): the shared-memory build needs Wasm SIMD; simd: false is not available with sharedMemory$/,
    );
    vi.stubGlobal('WASM_MEMORYVIEW_SIMD', false);
    try {
      await expect(lib.init({ sharedMemory: true })).rejects.toThrow(/simd: false is not available with sharedMemory/);
    } finally {
      vi.unstubAllGlobals();
    }
    const validate = vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    try {
      const missing = lib.init({ sharedMemory: true });
      await expect(missing).rejects.toThrow(lib.ValueError);
      await expect(missing).rejects.toThrow(
        /^init\(\): the shared-memory build needs Wasm SIMD, which this engine lacks$/,
      );
    } finally {
      validate.mockRestore();
    }
    expect(() => lib.runtimeInfo()).toThrow(/call `await init\(\)` first/);
    await lib.init({ sharedMemory: true });
    expect(lib.runtimeInfo()).toMatchObject({ build: 'shared', sharedMemory: true });
  });
});
