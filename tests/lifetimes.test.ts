// Lifetimes: managed buffers shared by views, releases with exports, resizing while exported,
// views after their exporter's buffer is released, and views that survive memory.grow.
import { beforeAll, describe, expect, it } from 'vitest';
import { ByteArray, Bytes, MemoryView, PyBUF, Py_buffer, capi, heapStats, init } from '../src/index.js';
import { heapU8 } from '../src/wasm/heap.js';
import { wasm } from '../src/wasm/instance.js';
import { errorOf } from './helpers/errors.js';

beforeAll(async () => {
  await init();
});

const RELEASED: [string, string] = ['ValueError', 'operation forbidden on released memoryview object'];

describe('a released memoryview', () => {
  it('raises ValueError on every attribute and method, and releasing again is harmless', () => {
    const b = new Bytes('abc');
    const m = MemoryView.fromObject(b);
    m.release();
    m.release();
    const uses: Array<() => unknown> = [
      () => m.obj,
      () => m.nbytes,
      () => m.readonly,
      () => m.itemsize,
      () => m.format,
      () => m.ndim,
      () => m.shape,
      () => m.strides,
      () => m.suboffsets,
      () => m.c_contiguous,
      () => m.f_contiguous,
      () => m.contiguous,
      () => m.tobytes(),
      () => m.tolist(),
      () => m.hex(),
      () => m.toreadonly(),
      () => capi.PyObject_GetBuffer(m, PyBUF.SIMPLE),
      () => MemoryView.fromObject(m),
    ];
    for (const use of uses) expect(errorOf(use)).toEqual(RELEASED);
    expect(String(m)).toBe('<released memory>');
    b.dispose();
  });

  it('works as a `using` declaration, released even when the block throws', () => {
    const ba = new ByteArray('ab');
    let escaped: MemoryView | null = null;
    expect(() => {
      using m = MemoryView.fromObject(ba);
      escaped = m;
      throw new Error('boom');
    }).toThrow('boom');
    expect(errorOf(() => (escaped as unknown as MemoryView).nbytes)).toEqual(RELEASED);
    ba.resize(3); // no export left
    ba.dispose();
  });
});

describe('exports from a memoryview', () => {
  it('block its release with a BufferError naming the count', () => {
    const b = new Bytes('abcd');
    const m = MemoryView.fromObject(b);
    const v1 = capi.PyObject_GetBuffer(m, PyBUF.FULL_RO);
    expect(errorOf(() => m.release())).toEqual(['BufferError', 'memoryview has 1 exported buffer']);
    const v2 = capi.PyObject_GetBuffer(m, PyBUF.SIMPLE);
    expect(errorOf(() => m.release())).toEqual(['BufferError', 'memoryview has 2 exported buffers']);
    capi.PyBuffer_Release(v1);
    capi.PyBuffer_Release(v2);
    m.release();
    b.dispose();
  });

  it('give a memoryview of a memoryview the same managed buffer and the original obj', () => {
    const b = new Bytes('abcd');
    const m = MemoryView.fromObject(b);
    const m2 = MemoryView.fromObject(m);
    const ro = m.toreadonly();
    expect([m2.obj, ro.obj, m2.mbuf === m.mbuf, ro.mbuf === m.mbuf, m.mbuf.exports]).toEqual([b, b, true, true, 3]);
    m.release();
    m2.release();
    expect(m.mbuf.released).toBe(false);
    ro.release();
    expect(m.mbuf.released).toBe(true);
    b.dispose();
  });
});

describe('a managed buffer', () => {
  it('releases the exporter buffer exactly once, when the last view goes', () => {
    let gets = 0;
    let releases = 0;
    const p = capi.PyMem_Malloc(4);
    const exporter = {
      [Symbol.for('wasm-memoryview.bf_getbuffer')](view: Py_buffer, flags: number) {
        gets++;
        capi.PyBuffer_FillInfo(view, exporter, p, 4, false, flags);
      },
      [Symbol.for('wasm-memoryview.bf_releasebuffer')]() {
        releases++;
      },
    };
    const views = [MemoryView.fromObject(exporter)];
    views.push(MemoryView.fromObject(views[0]), views[0].toreadonly());
    expect(gets).toBe(1);
    for (const v of views) {
      expect(releases).toBe(0);
      v.release();
    }
    expect([gets, releases]).toEqual([1, 1]);
    capi.PyMem_Free(p);
  });
});

describe('ByteArray', () => {
  it('refuses to resize while exported and allows it after the last view is released', () => {
    const ba = new ByteArray('abc');
    const m = MemoryView.fromObject(ba);
    for (const resize of [() => ba.resize(10), () => ba.append(1), () => ba.extend([1, 2]), () => ba.clear()]) {
      expect(errorOf(resize)).toEqual(['BufferError', 'Existing exports of data: object cannot be re-sized']);
    }
    expect(Array.from(ba.toUint8Array())).toEqual([97, 98, 99]);
    ba.resize(3); // same size: allowed while exported
    ba.setAt(0, 65); // same-size writes are allowed too
    expect(m.tolist()).toEqual([65, 98, 99]);
    m.release();
    ba.append(100);
    expect(Array.from(ba.toUint8Array())).toEqual([65, 98, 99, 100]);
    ba.dispose();
  });

  it('lets go when disposed while exported: the view keeps the memory until it is released', () => {
    const ba = new ByteArray([1, 2]);
    const m = MemoryView.fromObject(ba);
    ba.dispose();
    expect(() => ba.length).toThrow('operation forbidden on disposed bytearray object');
    expect(m.tolist()).toEqual([1, 2]);
    m.release();
  });
});

describe('linear memory growth', () => {
  it('leaves memoryviews, descriptors and copies valid after memory.grow detaches old views', () => {
    const b = new Bytes([1, 2, 3, 4, 5, 6, 7, 8]);
    const m = MemoryView.fromObject(b);
    const view = capi.PyObject_GetBuffer(b, PyBUF.FULL_RO);
    const stale = heapU8();
    const before = stale.buffer.byteLength;
    // allocate past the current size so that the runtime must grow
    const big = capi.PyMem_Malloc(before + (1 << 20));
    expect(wasm().memory.buffer.byteLength).toBeGreaterThan(before);
    expect(stale.buffer.byteLength).toBe(0); // the old ArrayBuffer is detached
    expect(m.tolist()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(m.tobytes())).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const again = MemoryView.fromObject(m);
    const copy = capi.PyMemoryView_GetContiguous(again, PyBUF.READ, 'C');
    expect(copy.hex()).toBe('0102030405060708');
    copy.release();
    again.release();
    capi.PyBuffer_Release(view);
    m.release();
    capi.PyMem_Free(big);
    b.dispose();
  });

  it('explains that a TypedArray of the old memory is detached', () => {
    const p = capi.PyMem_Malloc(16);
    const old = new Uint8Array(heapU8().buffer, p, 16);
    const big = capi.PyMem_Malloc(wasm().memory.buffer.byteLength + (1 << 20));
    expect(errorOf(() => MemoryView.fromObject(old))[1]).toMatch(/detached/);
    const fresh = MemoryView.fromObject(new Uint8Array(heapU8().buffer, p, 16));
    expect(fresh.nbytes).toBe(16);
    fresh.release();
    capi.PyMem_Free(big);
    capi.PyMem_Free(p);
  });
});

describe('the heap', () => {
  it('returns to its baseline after creating, copying and releasing views', () => {
    const warm = new Bytes(4);
    MemoryView.fromObject(warm).release();
    warm.dispose();
    const baseline = heapStats();
    for (let i = 0; i < 200; i++) {
      const ba = new ByteArray(64);
      const m = MemoryView.fromObject(ba);
      const strided = capi.PyMemoryView_FromMemory(m.mbuf.master.buf, 64, PyBUF.READ);
      const info = capi.PyObject_GetBuffer(strided, PyBUF.FULL_RO);
      info.strides = [2];
      info.shape = [32];
      info.len = 32;
      const sub = capi.PyMemoryView_FromBuffer(info);
      const copy = capi.PyMemoryView_GetContiguous(sub, PyBUF.READ, 'C');
      copy.tobytes();
      copy.release();
      sub.release();
      capi.PyBuffer_Release(info);
      strided.release();
      m.release();
      ba.dispose();
    }
    expect(heapStats()).toEqual(baseline);
  });
});
