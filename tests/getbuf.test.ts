// Every exporter answers every buffer request as CPython 3.14 for wasm32 does (fixtures from
// scripts/gen-getbuf-fixtures.py, run in Pyodide).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bytes, ByteArray, MemoryView, Py_buffer, capi, init } from '../src/index.js';
import { heapU8, heapView } from '../src/wasm/heap.js';
import { checkItem, type Item } from '../src/items.js';
import { errorOf } from './helpers/errors.js';

interface Answer {
  error?: [string, string];
  format?: string | null;
  itemsize?: number;
  ndim?: number;
  readonly?: boolean;
  len?: number;
  shape?: number[] | 'same' | null;
  strides?: number[] | 'same' | null;
  suboffsets?: number[] | 'same' | null;
}
interface ViewDescription {
  format: string;
  itemsize: number;
  ndim: number;
  shape: number[];
  strides: number[];
  suboffsets: number[];
  readonly: boolean;
  nbytes: number;
  items: unknown;
}
interface Case {
  exporter: string;
  name?: string;
  view?: ViewDescription;
  answers: Array<[number, Answer]>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/getbuf.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};
const allocations: number[] = [];

beforeAll(async () => {
  await init();
});
afterAll(() => {
  for (const p of allocations) capi.PyMem_Free(p);
});

function alloc(n: number): number {
  const p = capi.PyMem_Malloc(n);
  allocations.push(p);
  return p;
}

/** Builds a view with the described layout over fresh memory (PIL: a real pointer table). */
function buildView(d: ViewDescription): MemoryView {
  const info = new Py_buffer();
  info.itemsize = d.itemsize;
  info.format = d.format;
  info.ndim = d.ndim;
  info.readonly = d.readonly;
  info.len = d.nbytes;
  const flat = (d.ndim === 0 ? [d.items] : (d.items as unknown[]).flat(d.ndim)) as Item[];
  const write = (ptr: number, value: Item): void => checkItem(value, d.format)(heapView(), ptr);
  if (d.ndim === 0) {
    info.buf = alloc(d.itemsize);
    write(info.buf, flat[0]);
  } else if (d.suboffsets.length > 0) {
    // rows of contiguous items behind a table of row pointers (2-D only here)
    const [rows, cols] = d.shape;
    const table = alloc(4 * rows);
    for (let r = 0; r < rows; r++) {
      const row = alloc(cols * d.itemsize);
      heapView().setUint32(table + 4 * r, row, true);
      for (let c = 0; c < cols; c++) write(row + c * d.itemsize, flat[r * cols + c]);
    }
    info.buf = table;
    info.shape = d.shape.slice();
    info.strides = [4, d.itemsize];
    info.suboffsets = [0, -1];
  } else {
    let lo = 0;
    let hi = d.itemsize;
    d.shape.forEach((n, i) => {
      const e = d.strides[i] * (n - 1);
      if (n > 0) {
        if (e < 0) lo += e;
        else hi += e;
      }
    });
    const base = alloc(Math.max(hi - lo, 1));
    info.buf = base - lo;
    info.shape = d.shape.slice();
    info.strides = d.strides.slice();
    const index = new Array<number>(d.ndim).fill(0);
    for (const value of flat) {
      write(info.buf + index.reduce((acc, k, i) => acc + k * d.strides[i], 0), value);
      for (let k = d.ndim - 1; k >= 0; k--) {
        if (++index[k] < d.shape[k]) break;
        index[k] = 0;
      }
    }
  }
  return MemoryView.fromBuffer(info);
}

function buildExporter(c: Case): object {
  switch (c.exporter) {
    case 'bytes':
      return new Bytes('abcdef');
    case 'bytearray':
      return new ByteArray('abcdef');
    case 'float32': {
      const p = alloc(12);
      const f = new Float32Array(heapU8().buffer, p, 3);
      f.set([1, 2, 3]);
      return f;
    }
    default:
      return buildView(c.view as ViewDescription);
  }
}

function expectArray(
  actual: readonly number[] | null,
  expected: number[] | 'same' | null | undefined,
  own: readonly number[] | null,
): void {
  if (expected === 'same') expect(actual).toEqual(own);
  else expect(actual === null ? null : actual.slice()).toEqual(expected ?? null);
}

describe('PyObject_GetBuffer answers every request as CPython does', () => {
  for (const c of fixture.cases) {
    it(`for ${c.name ?? c.exporter} under all ${c.answers.length} flag combinations`, () => {
      const exporter = buildExporter(c);
      const own = exporter instanceof MemoryView ? capi.PyMemoryView_GET_BUFFER(exporter) : null;
      for (const [flags, answer] of c.answers) {
        const label = `flags ${flags}`;
        if (answer.error) {
          expect(
            errorOf(() => capi.PyObject_GetBuffer(exporter, flags)),
            label,
          ).toEqual(answer.error);
          continue;
        }
        const view = capi.PyObject_GetBuffer(exporter, flags);
        expect(view.obj, label).toBe(exporter);
        expect(
          { format: view.format, itemsize: view.itemsize, ndim: view.ndim, readonly: view.readonly, len: view.len },
          label,
        ).toEqual({
          format: answer.format,
          itemsize: answer.itemsize,
          ndim: answer.ndim,
          readonly: answer.readonly,
          len: answer.len,
        });
        expectArray(view.shape, answer.shape, own?.shape ?? null);
        expectArray(view.strides, answer.strides, own?.strides ?? null);
        expectArray(view.suboffsets, answer.suboffsets, own?.suboffsets ?? null);
        capi.PyBuffer_Release(view);
        expect(view.obj, label).toBe(null);
      }
      if (exporter instanceof MemoryView) {
        // every export was released: the view can be released now
        exporter.release();
      } else if (exporter instanceof Bytes || exporter instanceof ByteArray) {
        exporter.dispose();
      }
    });
  }
});
