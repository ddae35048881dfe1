// Memory growth: memory.grow detaches every JS view of the old ArrayBuffer. Operations that grow
// memory while memoryviews, descriptors, NDArrays and typed arrays of runtime memory are live
// must keep working, read through fresh views only, and say so when handed a detached one.
import { beforeAll, describe, expect, it } from 'vitest';
import { ByteArray, ND, NDArray, MemoryView, PyBUF, capi, init, slice } from '../../src/index.js';
import { checkCanaries, enableCanaries } from '../../src/wasm/guard.js';
import { heapU8, memorySize } from '../../src/wasm/heap.js';
import { errorOf } from '../helpers/errors.js';
import * as ref from './reference.js';

beforeAll(async () => {
  enableCanaries(32);
  await init();
});

/** Allocates enough to make linear memory grow; returns the block (free it after). */
function forceGrowth(): number {
  const before = memorySize();
  const p = capi.PyMem_Malloc(before);
  expect(memorySize()).toBeGreaterThan(before);
  return p;
}

describe('linear memory growth', () => {
  it('keeps strided and PIL views, their descriptors and their copies valid', () => {
    const nd = new NDArray(
      Array.from({ length: 24 }, (_, k) => k * 3),
      { shape: [4, 6], format: 'h', flags: ND.PIL | ND.WRITABLE },
    );
    const m = MemoryView.fromObject(nd);
    const rev = m.get(slice(null, null, -1)) as MemoryView;
    const desc = capi.PyObject_GetBuffer(rev, PyBUF.FULL_RO);
    const want = rev.tobytes('F');
    const stale = heapU8();
    const big = forceGrowth();
    expect(stale.byteLength).toBe(0); // detached: nothing may read through it
    expect(rev.tobytes('F')).toEqual(want);
    expect(rev.tolist()).toEqual((m.tolist() as unknown[]).slice().reverse());
    const dst = capi.PyMem_Malloc(desc.len);
    capi.PyBuffer_ToContiguous(dst, desc, desc.len, 'F');
    expect(heapU8().slice(dst, dst + desc.len)).toEqual(want);
    capi.PyMem_Free(dst);
    capi.PyBuffer_Release(desc);
    rev.release();
    m.release();
    nd.release();
    capi.PyMem_Free(big);
    expect(checkCanaries()).toEqual([]);
  });

  it('lets a copy whose own temporary grows memory finish with the right bytes', () => {
    // the gather of this view needs a temporary as large as linear memory's free space
    const ba = new ByteArray(Array.from({ length: 1 << 16 }, (_, k) => k & 0xff));
    const m = MemoryView.fromObject(ba);
    const odd = m.get(slice(1, null, 2)) as MemoryView;
    const layout: ref.Layout = {
      buf: odd.view.buf,
      itemsize: 1,
      shape: odd.shape,
      strides: odd.strides,
      suboffsets: null,
    };
    const want = ref.gather(heapU8(), layout, 'C');
    const hog = capi.PyMem_Malloc(memorySize() - (1 << 16)); // fill the heap so the next temporary must grow it
    const copy = MemoryView.getContiguous(odd, PyBUF.READ, 'C');
    expect(copy.tobytes()).toEqual(want);
    copy.release();
    odd.release();
    m.release();
    capi.PyMem_Free(hog);
    ba.dispose();
    expect(checkCanaries()).toEqual([]);
  });

  it('refuses a typed array of the old memory with a message that says it is detached', () => {
    const p = capi.PyMem_Malloc(32);
    const old = new Int32Array(heapU8().buffer, p, 8);
    const big = forceGrowth();
    expect(errorOf(() => MemoryView.fromObject(old))).toEqual([
      'BufferError',
      'Int32Array views a detached buffer (linear memory grew since it was made); take a new view',
    ]);
    const fresh = new Int32Array(heapU8().buffer, p, 8);
    fresh.set([1, 2, 3, 4, 5, 6, 7, 8]);
    const m = MemoryView.fromObject(fresh);
    expect(m.tolist()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    m.release();
    capi.PyMem_Free(big);
    capi.PyMem_Free(p);
  });

  it('grows under a ByteArray that was exported and released, and under extend()', () => {
    const ba = new ByteArray([1, 2, 3]);
    MemoryView.fromObject(ba).release();
    const big = forceGrowth();
    ba.extend(new Uint8Array(memorySize() / 2).fill(9)); // extend itself grows memory again
    expect(Array.from(ba.toUint8Array().subarray(0, 5))).toEqual([1, 2, 3, 9, 9]);
    using m = MemoryView.fromObject(ba);
    expect(m.get(-1)).toBe(9);
    m.release();
    ba.dispose();
    capi.PyMem_Free(big);
    expect(checkCanaries()).toEqual([]);
  });
});
