// Disposing exporters (Bytes, ByteArray, NDArray) while buffers of them are still exported. JS has
// no reference counts to free an unnamed intermediate view, and dispose() has no CPython
// counterpart, so it lets go as CPython's last reference would: it never throws, new exports
// are refused, and the memory goes back to the heap with the last export (released, or
// collected by the finalization net). Where CPython refuses because of exports, its message
// stays and BufferError.exports says how many.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BufferError,
  ByteArray,
  Bytes,
  MemoryView,
  ND,
  NDArray,
  PyBUF,
  capi,
  heapStats,
  init,
  slice,
  type BufferExporter,
} from '../src/index.js';
import { errorOf, thrownBy } from './helpers/errors.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

beforeAll(async () => {
  await init();
  // warm up what the first view allocates once (the kernels' scratch area, the struct cache)
  using warm = new Bytes(16);
  using m = MemoryView.fromObject(warm);
  using f = m.cast('f', [2, 2]);
  f.tolist();
});

/** Collects garbage until `done()` holds (finalizers run asynchronously after a collection). */
async function collectUntil(done: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100 && !done(); i++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
  }
  return done();
}

const live = (): number => heapStats().liveBytes;
const floats = Array.from({ length: 16 }, (_, i) => i / 2);

interface Exporter extends BufferExporter {
  dispose(): void;
  [Symbol.dispose](): void;
}

/** Each exporter that owns memory, made holding the 16 floats above, and the error it gives once disposed. */
const exporters: ReadonlyArray<readonly [string, () => Exporter, string]> = [
  ['Bytes', () => Bytes.from(new Float32Array(floats)), 'operation forbidden on disposed bytes object'],
  ['ByteArray', () => ByteArray.from(new Float32Array(floats)), 'operation forbidden on disposed bytearray object'],
  [
    'NDArray',
    () => new NDArray(floats, { shape: [16], format: 'f', flags: ND.WRITABLE }),
    'operation forbidden on released ndarray object',
  ],
  [
    'NDArray with a pushed base (ND_VAREXPORT)',
    () => {
      const nd = new NDArray([1, 2], { shape: [2], format: 'f', flags: ND.VAREXPORT });
      nd.push(floats, { shape: [16], format: 'f' });
      return nd;
    },
    'operation forbidden on released ndarray object',
  ],
];

/** The 64 bytes of `m` as 16 floats, whatever its format. */
function floatsOf(m: MemoryView): number[] {
  using view = MemoryView.fromObject(m);
  using bytes = view.cast('B');
  using f = bytes.cast('f');
  return f.tolist() as number[];
}

describe('dispose() of an exporter with live exports', () => {
  it.each(exporters)('%s: never throws, and the memory goes back when the last view is released', (_name, make) => {
    const baseline = live();
    const obj = make();
    const m = MemoryView.fromObject(obj);
    expect(() => obj.dispose()).not.toThrow();
    expect(live()).toBeGreaterThan(baseline); // the view still holds the memory (an unexported pushed-over base is freed)
    expect(floatsOf(m)).toEqual(floats);
    obj.dispose(); // twice is harmless
    m.release();
    expect(live()).toBe(baseline);
  });

  it.each(exporters)(
    '%s: refuses new exports with ValueError, leaving the exported memory untouched',
    (_name, make, message) => {
      const baseline = live();
      const obj = make();
      const m = MemoryView.fromObject(obj);
      obj.dispose();
      for (const use of [
        () => MemoryView.fromObject(obj),
        () => capi.PyObject_GetBuffer(obj, PyBUF.SIMPLE),
        () => capi.PyObject_GetBuffer(obj, PyBUF.FULL_RO),
        () => new NDArray(obj),
        () => Bytes.from(obj),
      ]) {
        expect(errorOf(use)).toEqual(['ValueError', message]);
      }
      expect(floatsOf(m)).toEqual(floats);
      // views of the view share its managed buffer, as in CPython: not a new export of obj
      const again = MemoryView.fromObject(m);
      expect(again.nbytes).toBe(64);
      again.release();
      m.release();
      expect(live()).toBe(baseline);
    },
  );

  it.each(exporters)(
    '%s: a Py_buffer from PyObject_GetBuffer keeps the memory until PyBuffer_Release',
    (_name, make) => {
      const baseline = live();
      const obj = make();
      const view = capi.PyObject_GetBuffer(obj, PyBUF.FULL_RO);
      obj.dispose();
      expect(live()).toBeGreaterThan(baseline);
      capi.PyBuffer_Release(view);
      expect(live()).toBe(baseline);
    },
  );

  it('NDArray: a re-exporter and its base can be disposed in either order while a view holds the chain', () => {
    for (const order of ['base first', 're-exporter first'] as const) {
      const baseline = live();
      const base = new NDArray(floats, { shape: [4, 4], format: 'f' });
      const re = new NDArray(base, { getbuf: PyBUF.FULL_RO });
      const m = MemoryView.fromObject(re);
      if (order === 'base first') {
        base.dispose();
        re.dispose();
      } else {
        re.dispose();
        base.dispose();
      }
      expect(m.tolist()).toEqual([
        [0, 0.5, 1, 1.5],
        [2, 2.5, 3, 3.5],
        [4, 4.5, 5, 5.5],
        [6, 6.5, 7, 7.5],
      ]);
      m.release();
      expect(live()).toBe(baseline);
    }
  });

  it('NDArray: a slice (a consumer NDArray) outlives the disposed array it was cut from', () => {
    const baseline = live();
    const nd = new NDArray(floats, { shape: [16], format: 'f' });
    const tail = nd.get(slice(12, null));
    nd.release(); // the old name: an alias of dispose()
    expect(tail.tolist()).toEqual([6, 6.5, 7, 7.5]);
    tail.dispose();
    expect(live()).toBe(baseline);
  });
});

describe('`using` with unnamed intermediates', () => {
  it.each(exporters)('%s: a view cast from an unnamed view does not make the block throw', async (_name, make) => {
    const baseline = live();
    expect(() => {
      using obj = make();
      using m = MemoryView.fromObject(obj).cast('B').cast('f', [4, 4]);
      expect(m.get([3, 3]) * 2).toBe(15);
    }).not.toThrow();
    // the intermediate views were never released: the finalization net gives their memory back
    expect(await collectUntil(() => live() === baseline)).toBe(true);
  });

  it('Bytes.from(a) and a cast view, as the README writes it, free everything once collected', async () => {
    const baseline = live();
    const a = new Float32Array(floats);
    (() => {
      using b = Bytes.from(a);
      using m = MemoryView.fromObject(b).cast('f', [4, 4]);
      expect(m.tolist()).toEqual([
        [0, 0.5, 1, 1.5],
        [2, 2.5, 3, 3.5],
        [4, 4.5, 5, 5.5],
        [6, 6.5, 7, 7.5],
      ]);
    })();
    expect(live()).toBeGreaterThan(baseline); // the unnamed fromObject(b) view still holds the bytes
    expect(await collectUntil(() => live() === baseline)).toBe(true);
  });

  it('a disposed exporter whose Py_buffer was dropped unreleased is freed when both are collected', async () => {
    const baseline = live();
    (() => {
      const b = new Bytes(1024);
      capi.PyObject_GetBuffer(b, PyBUF.SIMPLE); // dropped without PyBuffer_Release
      b.dispose();
    })();
    expect(await collectUntil(() => live() === baseline)).toBe(true);
  });
});

describe('refusals CPython makes because of exports', () => {
  it("keep CPython's messages and carry the count in BufferError.exports", () => {
    const ba = new ByteArray(8);
    const nd = new NDArray([1, 2, 3], { shape: [3] });
    const views = [MemoryView.fromObject(ba), MemoryView.fromObject(ba), MemoryView.fromObject(nd)];
    const m = views[0] as MemoryView;
    const exported = [capi.PyObject_GetBuffer(m, PyBUF.SIMPLE), capi.PyObject_GetBuffer(m, PyBUF.SIMPLE)];
    const cases: ReadonlyArray<readonly [string, () => unknown, string, number]> = [
      ['bytearray resize', () => ba.resize(16), 'Existing exports of data: object cannot be re-sized', 2],
      ['bytearray append', () => ba.append(1), 'Existing exports of data: object cannot be re-sized', 2],
      ['memoryview release', () => m.release(), 'memoryview has 2 exported buffers', 2],
      ['ndarray push', () => nd.push([1], { shape: [1] }), 'cannot change structure: 1 exported buffer', 1],
      ['ndarray pop', () => nd.pop(), 'cannot change structure: 1 exported buffer', 1],
    ];
    for (const [what, fn, message, exports] of cases) {
      const error = thrownBy(fn);
      expect(error, what).toBeInstanceOf(BufferError);
      expect([(error as BufferError).message, (error as BufferError).exports], what).toEqual([message, exports]);
    }
    expect(Array.from(ba.toUint8Array())).toEqual([0, 0, 0, 0, 0, 0, 0, 0]); // untouched
    expect(nd.tolist()).toEqual([1, 2, 3]);
    expect(new BufferError('other').exports).toBeUndefined();
    for (const view of exported) capi.PyBuffer_Release(view);
    for (const view of views) view.release();
    ba.dispose();
    nd.dispose();
  });
});
