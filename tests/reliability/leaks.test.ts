// Leaks: 100,000 create/copy/slice/cast/release cycles end with the heap exactly at its
// baseline (live blocks and live bytes, from the allocator's own counters).
import { beforeAll, describe, expect, it } from 'vitest';
import { ByteArray, Bytes, MemoryView, ND, NDArray, PyBUF, capi, heapStats, init, slice } from '../../src/index.js';

beforeAll(async () => {
  await init();
});

const CYCLES = Number(process.env.LEAK_CYCLES ?? 100_000);

function cycle(i: number): number {
  const ba = new ByteArray(48 + (i % 17));
  const m = MemoryView.fromObject(ba);
  const strided = m.get(slice(null, null, 2)) as MemoryView; // slice: a view of the same buffer
  const copy = MemoryView.getContiguous(strided, PyBUF.READ, 'C'); // copy: a new Bytes behind a view
  const cast = m.get(slice(0, 48)) as MemoryView;
  const ints = cast.cast('i', [3, 4]); // cast: 1-D -> 2-D
  const ro = ints.toreadonly();
  const view = capi.PyObject_GetBuffer(ro, PyBUF.FULL_RO); // an export from a view
  let n = copy.tobytes().length + ro.tobytes('F').length;
  capi.PyBuffer_Release(view);
  for (const v of [ro, ints, cast, copy, strided, m]) v.release();
  ba.resize(i % 5); // resize once unexported
  ba.dispose();
  const b = new Bytes(i % 9);
  using mb = MemoryView.fromObject(b);
  n += mb.nbytes;
  mb.release();
  b.dispose();
  return n;
}

describe('the heap after many cycles', () => {
  it(`is at its baseline after ${CYCLES} create/copy/slice/cast/export/release cycles`, () => {
    cycle(0); // warm up the scratch area and any cache
    const baseline = heapStats();
    let total = 0;
    for (let i = 1; i <= CYCLES; i++) total += cycle(i);
    const after = heapStats();
    console.log(
      `leaks: ${CYCLES} cycles, ${total} bytes copied; live blocks ${baseline.liveBlocks} -> ${after.liveBlocks}, ` +
        `live bytes ${baseline.liveBytes} -> ${after.liveBytes} (leaked ${after.liveBytes - baseline.liveBytes})`,
    );
    expect({ blocks: after.liveBlocks, bytes: after.liveBytes }).toEqual({
      blocks: baseline.liveBlocks,
      bytes: baseline.liveBytes,
    });
  });

  it('is at its baseline after NDArray layouts (PIL included) are viewed, copied and released', () => {
    const baseline = heapStats();
    for (let i = 0; i < 2000; i++) {
      const nd = new NDArray(
        Array.from({ length: 24 }, (_, k) => k),
        {
          shape: [2, 3, 4],
          format: 'h',
          flags: ND.WRITABLE | (i % 2 ? ND.PIL : 0) | (i % 3 ? 0 : ND.FORTRAN),
        },
      );
      const m = MemoryView.fromObject(nd);
      const sub = m.get(slice(null, null, -1)) as MemoryView;
      sub.tobytes();
      sub.tolist();
      const c = MemoryView.getContiguous(sub, PyBUF.READ, 'F');
      c.release();
      sub.release();
      m.release();
      nd.release();
    }
    expect(heapStats()).toMatchObject({ liveBlocks: baseline.liveBlocks, liveBytes: baseline.liveBytes });
  });
});
