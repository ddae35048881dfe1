// The FinalizationRegistry net: a memoryview the program dropped without release() is released
// when the engine collects it, so its exporter can be resized/disposed and the Wasm memory goes
// back to the heap. A net, not a substitute for release(): these tests force a collection.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ByteArray, Bytes, MemoryView, PyBUF, capi, heapStats, init, slice } from '../../src/index.js';
import { finalizeStats } from '../../src/finalize.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

beforeAll(async () => {
  await init();
});

/** Collects garbage until `done()` holds (finalizers run asynchronously after a collection). */
async function collectUntil(done: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100 && !done(); i++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
  }
  return done();
}

describe('a memoryview dropped without release()', () => {
  it('is released when collected, so a ByteArray can resize again', async () => {
    const ba = new ByteArray(16);
    (() => {
      const m = MemoryView.fromObject(ba);
      (m.get(slice(1, 3)) as MemoryView).tobytes(); // a slice on the same managed buffer, dropped too
    })();
    expect(() => ba.resize(32)).toThrow('Existing exports of data: object cannot be re-sized');
    expect(
      await collectUntil(() => {
        try {
          ba.resize(32);
          return true;
        } catch {
          return false;
        }
      }),
    ).toBe(true);
    expect(ba.length).toBe(32);
    ba.dispose();
  });

  it('gives the Wasm memory of a contiguous copy back to the heap', async () => {
    const b = new Bytes(new Uint8Array(4096).fill(7));
    const m = MemoryView.fromObject(b);
    const strided = m.get(slice(null, null, 2)) as MemoryView;
    const baseline = heapStats().liveBytes;
    (() => {
      MemoryView.getContiguous(strided, PyBUF.READ, 'C').tobytes();
    })(); // a 2 KiB copy, dropped
    expect(heapStats().liveBytes).toBeGreaterThan(baseline);
    expect(await collectUntil(() => heapStats().liveBytes === baseline)).toBe(true);
    strided.release();
    m.release();
    b.dispose();
  });

  it('is never collected while it has exported buffers, and release() takes it off the net', async () => {
    const ba = new ByteArray(8);
    const collectedBefore = finalizeStats.collected;
    const exported = (() => capi.PyObject_GetBuffer(MemoryView.fromObject(ba), PyBUF.SIMPLE))();
    await collectUntil(() => false);
    expect(() => ba.resize(1)).toThrow('Existing exports of data'); // the view is still registered
    const released = MemoryView.fromObject(ba);
    released.release();
    capi.PyBuffer_Release(exported); // now the view can go
    expect(
      await collectUntil(() => {
        try {
          ba.resize(1);
          return true;
        } catch {
          return false;
        }
      }),
    ).toBe(true);
    expect(finalizeStats.collected - collectedBefore).toBe(1); // the released view was not finalized again
    ba.dispose();
  });
});
