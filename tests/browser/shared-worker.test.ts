// Memory shared between the page and a Web Worker: the page owns the runtime, on a shared
// WebAssembly.Memory (the page is cross-origin isolated: COOP/COEP from the test server); the
// worker attaches to it and transposes the page's bytes in place.
import { beforeAll, describe, expect, it } from 'vitest';
import { capi, init, runtimeInfo, shareRuntime, type SharedRuntimeHandle } from '../../src/index.js';
import { askWorker } from './worker-client.js';

const rows = 64;
const cols = 48;
const nbytes = rows * cols * 4;
let src = 0;
let dst = 0;
let handle: SharedRuntimeHandle;

beforeAll(async () => {
  await init({ sharedMemory: true });
  src = capi.PyMem_Malloc(nbytes);
  dst = capi.PyMem_Malloc(nbytes);
  handle = shareRuntime({
    blocks: [
      [src, nbytes],
      [dst, nbytes],
    ],
  });
});

describe('shared memory between the page and a worker', () => {
  it('needs, and has, a cross-origin isolated page', () => {
    expect(crossOriginIsolated).toBe(true);
    expect(runtimeInfo()).toMatchObject({ build: 'shared', sharedMemory: true, attached: false });
    expect(handle.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it("lets the worker transpose the page's bytes in place", async () => {
    const values = Int32Array.from({ length: rows * cols }, (_, k) => (k * 7919) % 100_003);
    new Int32Array(handle.memory.buffer, src, rows * cols).set(values);
    new Int32Array(handle.memory.buffer, dst, rows * cols).fill(-1);
    const reply = await askWorker({ kind: 'attach-transpose', handle, src, dst, rows, cols });
    expect(reply).toMatchObject({ ok: true, build: 'shared', attached: true, crossOriginIsolated: true });
    const got = new Int32Array(handle.memory.buffer, dst, rows * cols);
    let mismatches = 0;
    for (let j = 0; j < cols; j++) {
      for (let i = 0; i < rows; i++) if (got[j * rows + i] !== values[i * cols + j]) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it("refuses allocation in the worker, and the page's heap is unchanged", async () => {
    const before = capi.PyMem_Malloc(1);
    capi.PyMem_Free(before);
    const reply = await askWorker({ kind: 'allocate', handle });
    expect(reply).toMatchObject({ ok: false, name: 'MemoryError' });
    const after = capi.PyMem_Malloc(1);
    expect(after).toBe(before);
    capi.PyMem_Free(after);
  });
});
