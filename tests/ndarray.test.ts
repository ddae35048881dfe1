// NDArray (_testbuffer.ndarray) and the testbuffer module functions, against CPython 3.14 for wasm32.
// The vectors in tests/fixtures/ndarray.json come from scripts/gen-ndarray-fixtures.py; the
// hand-written cases below were each checked against `PYENV_VERSION=3.13.0 python3` (wasm32 and
// 3.14 differences: cpython314-wasm32.test.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ByteArray,
  Bytes,
  BufferError,
  Complex,
  Ellipsis,
  MemoryView,
  ND,
  NDArray,
  PyBUF,
  capi,
  heapStats,
  init,
  runtimeMemory,
  slice,
} from '../src/index.js';
import * as tb from '../src/testbuffer.js';
import { RuntimeError } from '../src/exporters/ndarray.js';
import type { NDArrayOptions, NDKey, NDValue } from '../src/exporters/ndarray.js';
import { errorOf, type PyErrorRecord } from './helpers/errors.js';
import { attempt, bytesToHex, decode, decodeItem, hexToBytes, loadFixture } from './helpers/fixtures.js';

type Outcome<T> = { value: T } | { error: PyErrorRecord };

interface Attrs {
  flags: number;
  offset: number;
  nbytes: number;
  readonly: boolean;
  itemsize: number;
  format: string;
  ndim: number;
  shape: number[];
  strides: number[];
  suboffsets: number[];
  contig: Array<Outcome<boolean>>;
  tobytes: Outcome<string>;
  tolist?: Outcome<unknown>;
}
interface Layout {
  items: unknown;
  shape: number[];
  strides?: number[];
  offset?: number;
  format: string;
  flags: number;
}
interface LayoutCase {
  args: Layout;
  error?: PyErrorRecord;
  attrs: Attrs;
  items?: Array<[number, Outcome<unknown>]>;
  slices?: Array<{ key: Array<[number | null, number | null, number | null]>; error?: PyErrorRecord; attrs?: Attrs }>;
  get_pointer?: Array<[number[], Outcome<unknown>]>;
  scalar_item?: Outcome<unknown>;
  is_contiguous: [boolean, boolean, boolean];
  getbuf: Array<[number, Attrs | { error: PyErrorRecord }]>;
}
interface CtorCase {
  items: unknown;
  kw: Record<string, unknown>;
  error?: PyErrorRecord;
  attrs?: Attrs;
  /** CPython for wasm32 accepted a view reaching past its buffer (its extent sum wrapped). */
  accepted_outside_buffer?: { shape: number[]; strides: number[] };
}
interface Fixture {
  ctor_errors: CtorCase[];
  layouts: LayoutCase[];
  slice_indices: Array<[[number | null, number | null, number | null], number, Outcome<number[]>]>;
}

const fixture = loadFixture<Fixture>('fixtures/ndarray.json');

beforeAll(async () => {
  await init();
  // warm up the lazily allocated scratch area so that heap counts compare like for like
  new NDArray([1, 2, 3, 4], { shape: [2, 2], strides: [1, 2] }).release();
});

// ---- helpers ------------------------------------------------------------------------------

/** A fixture argument as JS: {"$bytesobj"} -> a Bytes exporter, items decoded for `format`. */
function jsArg(v: unknown, format: string): unknown {
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && '$bytesobj' in v) {
    return new Bytes(hexToBytes((v as { $bytesobj: string }).$bytesobj));
  }
  if (Array.isArray(v)) return v.map((x) => jsItem(x, format));
  return jsItem(v, format);
}

function jsItem(v: unknown, format: string): unknown {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return decode(v);
  if (Array.isArray(v) || typeof v === 'number') return decodeItem(v, format);
  return v;
}

/** Decodes a nested fixture list whose leaves (at `depth`) are items of `format`. */
function decodeNested(v: unknown, depth: number, format: string): unknown {
  if (depth === 0) return decodeItem(v, format);
  return (v as unknown[]).map((x) => decodeNested(x, depth - 1, format));
}

function makeLayout(args: Layout): NDArray {
  const options: NDArrayOptions = { shape: args.shape, format: args.format, flags: args.flags };
  if (args.strides !== undefined) options.strides = args.strides;
  if (args.offset !== undefined) options.offset = args.offset;
  const items = args.shape.length === 0 ? jsItem(args.items, args.format) : jsArg(args.items, args.format);
  return new NDArray(items, options);
}

function outcome<T>(fn: () => T): Outcome<T> {
  return attempt(fn);
}

/** The attributes the generator records, read from `nd`. */
function describeND(nd: NDArray): Omit<Attrs, 'tolist'> {
  return {
    flags: nd.flags,
    offset: nd.offset,
    nbytes: nd.nbytes,
    readonly: nd.readonly,
    itemsize: nd.itemsize,
    format: nd.format,
    ndim: nd.ndim,
    shape: nd.shape,
    strides: nd.strides,
    suboffsets: nd.suboffsets,
    contig: [outcome(() => nd.c_contiguous), outcome(() => nd.f_contiguous), outcome(() => nd.contiguous)],
    tobytes: outcome(() => bytesToHex(nd.tobytes())),
  };
}

function expectAttrs(nd: NDArray, exp: Attrs, what: string): void {
  const { tolist, ...rest } = exp;
  expect(describeND(nd), what).toEqual(rest);
  if (tolist !== undefined) {
    const got = outcome(() => nd.tolist());
    if ('error' in tolist) expect(got, `${what}.tolist()`).toEqual(tolist);
    else expect(got, `${what}.tolist()`).toEqual({ value: decodeNested(tolist.value, exp.ndim, exp.format) });
  }
}

function liveBlocks(): number {
  return heapStats().liveBlocks;
}

function layoutName(c: LayoutCase, i: number): string {
  const a = c.args;
  const parts = [`shape=${JSON.stringify(a.shape)}`, `format='${a.format}'`, `flags=${a.flags}`];
  if (a.strides !== undefined) parts.push(`strides=${JSON.stringify(a.strides)}`);
  if (a.offset !== undefined) parts.push(`offset=${a.offset}`);
  return `layout ${i}: ${parts.join(', ')}`;
}

// ---- CPython vectors ------------------------------------------------------------------------

describe('the constructor validates its arguments as _testbuffer.ndarray does', () => {
  it.each(fixture.ctor_errors.map((c) => [JSON.stringify(c.kw).slice(0, 90), c] as const))(
    'ndarray(items, %s) fails or succeeds as CPython',
    (_name, c) => {
      const before = liveBlocks();
      const format = typeof c.kw.format === 'string' ? c.kw.format : 'B';
      const options: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(c.kw)) {
        options[k] = k === 'shape' || k === 'strides' || k === 'format' ? decode(v) : jsItem(v, 'B');
      }
      const items = jsArg(c.items, format);
      const made = outcome(() => new NDArray(items, options as NDArrayOptions));
      if (c.error !== undefined) {
        expect('error' in made ? made.error : ['<no error>', '']).toEqual(c.error);
      } else if (c.accepted_outside_buffer !== undefined) {
        // never read outside an exporter: refused where CPython's Py_ssize_t sum wrapped
        // (docs/conformance.md, "wasm32 and 3.14")
        expect('error' in made ? made.error : ['<no error>', '']).toEqual([
          'ValueError',
          'invalid combination of buffer, shape and strides',
        ]);
      } else {
        if ('error' in made) throw new Error(`unexpected ${made.error.join(': ')}`);
        expectAttrs(made.value, c.attrs as Attrs, 'nd');
        made.value.release();
      }
      if (items instanceof Bytes) items.dispose();
      // a failed construction frees what it allocated
      expect(liveBlocks()).toBe(before);
    },
  );
});

describe('initializer items of bytes', () => {
  it('take a Bytes where _testbuffer takes bytes, and refuse a ByteArray as it refuses bytearray', () => {
    // Pyodide 314.0.7: ndarray([b'\x07', b'\x08'], shape=[2], format='c').tolist(), ndarray([[b'\x07', 1]],
    // shape=[1], format='ci'), ndarray([bytearray(b'\x07')], shape=[1], format='c'), and with format='ci'
    // and '3si'
    using b7 = new Bytes([7]);
    using b8 = new Bytes([8]);
    using ba = new ByteArray([7]);
    using c = new NDArray([b7, b8], { shape: [2], format: 'c' });
    expect(c.tolist()).toEqual([Uint8Array.of(7), Uint8Array.of(8)]);
    using ci = new NDArray([[b7, 1]], { shape: [1], format: 'ci' });
    expect(ci.tolist()).toEqual([[Uint8Array.of(7), 1]]);
    expect(errorOf(() => new NDArray([ba], { shape: [1], format: 'c' }))).toEqual([
      'ValueError',
      'mismatch between initializer element and format string',
    ]);
    expect(errorOf(() => new NDArray([[ba, 1]], { shape: [1], format: 'ci' }))).toEqual([
      'struct.error',
      'char format requires a bytes object of length 1',
    ]);
    using si = new NDArray([[ba, 1]], { shape: [1], format: '3si' });
    expect(si.tolist()).toEqual([[Uint8Array.of(7, 0, 0), 1]]);
  });

  it("of format '?' are bool() of a Bytes, and a Complex is refused as _testbuffer refuses complex", () => {
    // ndarray([b'', b'x'], shape=[2], format='?').tolist() is [False, True]; with [0j], a mismatch
    using empty = new Bytes(0);
    using x = new Bytes('x');
    using bools = new NDArray([empty, x], { shape: [2], format: '?' });
    expect(bools.tolist()).toEqual([false, true]);
    expect(errorOf(() => new NDArray([new Complex(0, 0)], { shape: [1], format: '?' }))).toEqual([
      'ValueError',
      'mismatch between initializer element and format string',
    ]);
  });
});

describe('random layouts behave as in CPython', () => {
  it.each(fixture.layouts.map((c, i) => [layoutName(c, i), c] as const))('%s', (_name, c) => {
    const before = liveBlocks();
    const nd = makeLayout(c.args);
    expectAttrs(nd, c.attrs, 'nd');
    const format = c.args.format;

    for (const [i, exp] of c.items ?? []) {
      const got = outcome(() => {
        const x = nd.get(i);
        if (x instanceof NDArray) {
          const list = x.tolist();
          x.release();
          return list;
        }
        return x;
      });
      if ('error' in exp) expect(got, `nd[${i}]`).toEqual(exp);
      else expect(got, `nd[${i}]`).toEqual({ value: decodeNested(exp.value, nd.ndim - 1, format) });
    }

    for (const s of c.slices ?? []) {
      const key = s.key.map(([a, b, st]) => slice(a, b, st));
      const what = `nd[${s.key.map((k) => k.map((x) => x ?? '').join(':')).join(', ')}]`;
      const got = outcome(() => nd.get(key) as NDArray);
      if (s.error !== undefined) {
        expect(got, what).toEqual({ error: s.error });
        continue;
      }
      if ('error' in got) throw new Error(`${what}: unexpected ${got.error.join(': ')}`);
      expectAttrs(got.value, s.attrs as Attrs, what);
      got.value.release();
    }

    for (const [idx, exp] of c.get_pointer ?? []) {
      const got = outcome(() => tb.get_pointer(nd, idx));
      if ('error' in exp) expect(got, `get_pointer(nd, ${JSON.stringify(idx)})`).toEqual(exp);
      else expect(got, `get_pointer(nd, ${JSON.stringify(idx)})`).toEqual({ value: decodeItem(exp.value, format) });
    }
    if (c.scalar_item !== undefined) {
      const exp = c.scalar_item;
      const got = outcome(() => nd.get([]));
      if ('error' in exp) expect(got).toEqual(exp);
      else expect(got, 'nd[()]').toEqual({ value: decodeItem(exp.value, format) });
    }

    expect(['C', 'F', 'A'].map((o) => tb.is_contiguous(nd, o))).toEqual(c.is_contiguous);

    for (const [req, exp] of c.getbuf) {
      const what = `ndarray(nd, getbuf=${req})`;
      const got = outcome(() => new NDArray(nd, { getbuf: req }));
      if ('error' in exp) {
        expect(got, what).toEqual(exp);
        continue;
      }
      if ('error' in got) throw new Error(`${what}: unexpected ${got.error.join(': ')}`);
      expectAttrs(got.value, exp, what);
      got.value.release();
    }

    nd.release();
    expect(liveBlocks(), 'every allocation of the case is freed').toBe(before);
  });
});

describe('slice_indices', () => {
  it.each(fixture.slice_indices.map((v) => [JSON.stringify(v[0]), v[1], v[2]] as const))(
    'slice_indices(slice%s, %i) matches CPython',
    (key, len, exp) => {
      const [a, b, s] = JSON.parse(key) as [number | null, number | null, number | null];
      expect(outcome(() => tb.slice_indices(slice(a, b, s), len))).toEqual(exp);
    },
  );

  it.each([
    [() => tb.slice_indices(5, 3), 'TypeError', 'first argument must be a slice object'],
    [() => tb.slice_indices(slice(1, 2), 1.5), 'TypeError', "'float' object cannot be interpreted as an integer"],
    [() => tb.slice_indices(slice(1, 2), 2n ** 40n), 'OverflowError', 'Python int too large to convert to C ssize_t'],
  ] as const)("bad arguments raise CPython's errors (%#)", (fn, cls, msg) => {
    expect(errorOf(fn)).toEqual([cls, msg]);
  });
});

// ---- the PIL layout -------------------------------------------------------------------------

describe('ND_PIL builds a real pointer table in linear memory', () => {
  it('a contiguous array becomes pointers to its sub-arrays with suboffsets[0] = 0', () => {
    using nd = new NDArray([1, 2, 3, 4, 5, 6], { shape: [2, 3], flags: ND.PIL });
    expect([nd.strides, nd.suboffsets, nd.offset, nd.flags, nd.nbytes]).toEqual([[4, 1], [0, -1], 0, 16, 6]);
    expect(nd.tolist()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const view = MemoryView.fromObject(nd);
    expect(view.tolist()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    view.release();
  });

  it('negative strides and an offset give the example of _testbuffer.c (strides -8/-4, suboffsets[0] = 2)', () => {
    using nd = new NDArray([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], {
      shape: [2, 2, 3],
      strides: [-6, 3, -1],
      offset: 8,
      flags: ND.PIL,
    });
    expect([nd.strides, nd.suboffsets, nd.offset]).toEqual([[-4, 3, -1], [2, -1, -1], 0]);
    expect(nd.tolist()).toEqual([
      [
        [8, 7, 6],
        [11, 10, 9],
      ],
      [
        [2, 1, 0],
        [5, 4, 3],
      ],
    ]);
    expect(bytesToHex(nd.tobytes())).toBe('0807060b0a09020100050403');
    // slicing behind the pointers moves suboffsets[0], not buf
    using sub = nd.get([slice(null), slice(null, null, -1), slice(1, null)]) as NDArray;
    expect([sub.shape, sub.strides, sub.suboffsets]).toEqual([
      [2, 2, 2],
      [-4, -3, -1],
      [4, -1, -1],
    ]);
    expect(sub.tolist()).toEqual([
      [
        [10, 9],
        [7, 6],
      ],
      [
        [4, 3],
        [1, 0],
      ],
    ]);
  });

  it('get_sizeof_void_p() is 4 on wasm32', () => {
    expect(tb.get_sizeof_void_p()).toBe(4);
  });
});

// ---- exports and structure ------------------------------------------------------------------

describe('exports, push and pop', () => {
  it('ND_VAREXPORT lets the structure change while exported; the old base lives until released', () => {
    const before = liveBlocks();
    const nd = new NDArray([1, 2, 3, 4], { shape: [4], flags: ND.VAREXPORT | ND.WRITABLE });
    const m = MemoryView.fromObject(nd);
    nd.push([5, 6, 7], { shape: [3] });
    expect([nd.tolist(), m.tolist(), nd.flags]).toEqual([[5, 6, 7], [1, 2, 3, 4], 260]);
    nd.pop();
    expect(nd.tolist()).toEqual([1, 2, 3, 4]);
    const m2 = MemoryView.fromObject(nd);
    expect(errorOf(() => nd.pop())).toEqual(['BufferError', 'cannot change structure: 2 exported buffers']);
    m2.release();
    expect(errorOf(() => nd.pop())).toEqual(['BufferError', 'cannot change structure: 1 exported buffer']);
    // a base hidden by a push goes away with its last export
    nd.push([9], { shape: [1] });
    m.release();
    expect(nd.tolist()).toEqual([9]);
    expect(errorOf(() => nd.pop())).toEqual(['BufferError', 'list only has a single base']);
    nd.release();
    expect(liveBlocks()).toBe(before);
  });

  it.each([
    [
      'push without ND_VAREXPORT while exported',
      (nd: NDArray) => nd.push([1], { shape: [1] }),
      ['BufferError', 'cannot change structure: 1 exported buffer'],
    ],
    ['pop while exported', (nd: NDArray) => nd.pop(), ['BufferError', 'cannot change structure: 1 exported buffer']],
    [
      'push with ND_VAREXPORT',
      (nd: NDArray) => nd.push([1], { shape: [1], flags: ND.VAREXPORT }),
      ['ValueError', 'ND_VAREXPORT flag can only be used during object creation'],
    ],
    [
      'push without shape',
      (nd: NDArray) => nd.push([1], {} as { shape: number[] }),
      ['TypeError', "function missing required argument 'shape' (pos 2)"],
    ],
  ] as const)('%s is refused', (_name, fn, err) => {
    const nd = new NDArray([1, 2, 3], { shape: [3] });
    const m = MemoryView.fromObject(nd);
    expect(errorOf(() => fn(nd))).toEqual(err);
    expect(nd.tolist()).toEqual([1, 2, 3]);
    m.release();
    nd.release();
  });

  it('pop of the only base is refused', () => {
    using nd = new NDArray([1, 2, 3], { shape: [3] });
    expect(errorOf(() => nd.pop())).toEqual(['BufferError', 'list only has a single base']);
  });

  it('a re-exporter cannot push or pop', () => {
    using nd = new NDArray([1, 2, 3], { shape: [3] });
    using c = new NDArray(nd);
    expect(errorOf(() => c.push([1], { shape: [1] }))).toEqual([
      'BufferError',
      'structure of re-exporting object is immutable',
    ]);
    expect(errorOf(() => c.pop())).toEqual(['BufferError', 'structure of re-exporting object is immutable']);
    expect(c.obj).toBe(nd);
  });

  it('release frees every allocation, twice is harmless, and a released array refuses use', () => {
    const before = liveBlocks();
    const nd = new NDArray([1, 2, 3, 4, 5, 6], { shape: [2, 3], flags: ND.PIL | ND.VAREXPORT });
    nd.push([1, 2], { shape: [2] });
    const sub = nd.get(slice(null, null, -1));
    nd.release(); // the sliced consumer still holds a buffer: the memory waits for it
    expect(liveBlocks()).toBeGreaterThan(before);
    expect(sub.tolist()).toEqual([2, 1]);
    sub.release();
    nd.release();
    expect(liveBlocks()).toBe(before);
    expect(errorOf(() => nd.tolist())).toEqual(['ValueError', 'operation forbidden on released ndarray object']);
    expect(errorOf(() => nd.shape)).toEqual(['ValueError', 'operation forbidden on released ndarray object']);
    expect(errorOf(() => MemoryView.fromObject(nd))).toEqual([
      'ValueError',
      'operation forbidden on released ndarray object',
    ]);
  });

  it('ND_GETBUF_FAIL makes every request fail (also with ND_GETBUF_UNDEFINED)', () => {
    using g = new NDArray([1, 2, 3], { shape: [3], flags: ND.GETBUF_FAIL });
    using g2 = new NDArray([1, 2, 3], { shape: [3], flags: ND.GETBUF_FAIL | ND.GETBUF_UNDEFINED });
    for (const fn of [
      () => MemoryView.fromObject(g),
      () => new NDArray(g),
      () => MemoryView.fromObject(g2),
      () => g.get(slice(null)),
    ]) {
      expect(errorOf(fn)).toEqual(['BufferError', 'ND_GETBUF_FAIL: forced test exception']);
    }
  });

  it("ND_REDIRECT hands out the original exporter's buffer", () => {
    using base = new NDArray([1, 2, 3], { shape: [3], format: 'i' });
    using r = new NDArray(base, { flags: ND.REDIRECT });
    expect(r.flags).toBe(292);
    const m = MemoryView.fromObject(r);
    expect(m.obj).toBe(base);
    expect(m.tolist()).toEqual([1, 2, 3]);
    m.release();
  });

  it('a re-exporter without strides refuses sub-arrays, as CPython', () => {
    using nd = new NDArray([1, 2, 3, 4], { shape: [2, 2] });
    using cc = new NDArray(nd, { getbuf: PyBUF.ND });
    expect(errorOf(() => cc.get(0))).toEqual(['BufferError', 're-exporter does not provide format, shape or strides']);
    expect(errorOf(() => cc.tolist())).toEqual([
      'ValueError',
      'ndarray: tolist() does not support format=NULL, use tobytes()',
    ]);
    expect(cc.format).toBe('');
  });

  it('flags that lie (ND_SCALAR on a strided array) surface as in CPython, without reading past the data', () => {
    using x = new NDArray([1, 2, 3], { shape: [3], strides: [-1], offset: 2, flags: ND.SCALAR });
    expect(errorOf(() => x.c_contiguous)).toEqual([
      'RuntimeError',
      'results from PyBuffer_IsContiguous() and flags differ',
    ]);
    expect(errorOf(() => x.c_contiguous)[0]).toBe(new RuntimeError().name);
    expect(errorOf(() => MemoryView.fromObject(x))).toEqual([
      'BufferError',
      'ndarray: contiguity mismatch in getbuf()',
    ]);
    // CPython returns 03 plus two bytes from past the allocation here; we refuse such a view
    // and copy the items in logical order
    expect(errorOf(() => new NDArray(x, { getbuf: PyBUF.SIMPLE }))).toEqual([
      'BufferError',
      'ndarray: contiguity mismatch in getbuf()',
    ]);
    expect(bytesToHex(x.tobytes())).toBe('030201');
  });
});

// ---- indexing -------------------------------------------------------------------------------

describe('get (ndarray_subscript)', () => {
  it.each([
    ['Ellipsis', Ellipsis, 'TypeError', 'cannot index memory using "ellipsis"'],
    ['null', null, 'TypeError', 'cannot index memory using "NoneType"'],
    ['a string', 'a', 'TypeError', 'cannot index memory using "str"'],
    ['a float', 1.5, 'TypeError', 'cannot index memory using "float"'],
    ['a tuple of ints', [1], 'TypeError', 'cannot index memory using "int"'],
    ['an index past the end', 5, 'IndexError', 'index out of bounds'],
    ['an index before the start', -3, 'IndexError', 'index out of bounds'],
    ['an index beyond Py_ssize_t', 2n ** 63n, 'OverflowError', 'Python int too large to convert to C ssize_t'],
    ['a slice with step 0', slice(null, null, 0), 'ValueError', 'slice step cannot be zero'],
  ] as const)("%s as key raises CPython's error", (_name, key, cls, msg) => {
    using nd = new NDArray([1, 2], { shape: [2], format: 'i' });
    const before = liveBlocks();
    expect(errorOf(() => nd.get(key as NDKey))).toEqual([cls, msg]);
    expect(liveBlocks()).toBe(before);
  });

  it('true indexes as 1, and () gives a view of the whole array', () => {
    using nd = new NDArray([1, 2], { shape: [2], format: 'i' });
    expect(nd.get(true)).toBe(2);
    using all = nd.get([]) as NDArray;
    expect(all.tolist()).toEqual([1, 2]);
  });

  it('0-dim arrays take () and Ellipsis only', () => {
    using s = new NDArray(5, { shape: [] });
    expect(s.get([])).toBe(5);
    expect(s.get(Ellipsis)).toBe(s);
    expect(errorOf(() => s.get(0))).toEqual(['TypeError', 'invalid indexing of scalar']);
    expect(errorOf(() => [...s])).toEqual(['TypeError', 'invalid indexing of scalar']);
  });

  it('iteration yields items, or sub-arrays of ndim - 1', () => {
    using nd = new NDArray([1, 2, 3], { shape: [3] });
    expect([...nd]).toEqual([1, 2, 3]);
    using nd2 = new NDArray([1, 2, 3, 4], { shape: [2, 2] });
    const rows = [...nd2] as NDArray[];
    expect(rows.map((r) => r.tolist())).toEqual([
      [1, 2],
      [3, 4],
    ]);
    for (const r of rows) r.release();
  });

  it('more slices than dimensions are refused (CPython reads past its arrays there)', () => {
    using nd = new NDArray([1, 2, 3], { shape: [3] });
    expect(errorOf(() => nd.get([slice(null), slice(null)]))).toEqual([
      'TypeError',
      'cannot index 1-dimension ndarray with 2-element tuple',
    ]);
  });

  it('hash() hashes the exporter first, as ndarray_hash calls PyObject_Hash(view->obj)', () => {
    // Pyodide 314.0.7 (PYTHONHASHSEED=0): hash(ndarray(memoryview(ndarray([...], shape=[1, 1],
    // strides=[-8, 4], offset=4, format='l', flags=ND_VAREXPORT)))) raises the memoryview's
    // ValueError; hash(ndarray(b'ab')) is -1549758589, hash(ndarray(staticarray())) 1420961544
    using e0 = new NDArray([2147483647, 1726392539, 2147483647, 2147483647], {
      shape: [1, 1],
      strides: [-8, 4],
      offset: 4,
      format: 'l',
      flags: ND.VAREXPORT,
    });
    using m1 = MemoryView.fromObject(e0);
    using e2 = new NDArray(m1);
    expect(errorOf(() => e2.hash())).toEqual([
      'ValueError',
      "memoryview: hashing is restricted to formats 'B', 'b' or 'c'",
    ]);
    using b = new Bytes('ab');
    using overBytes = new NDArray(b);
    using overStatic = new NDArray(new tb.staticarray());
    expect([overBytes.hash(), overStatic.hash()]).toEqual([-1549758589, 1420961544]);
  });

  it('a buffer without shape is indexed as ptr_from_index does, and items past its len bytes are refused', () => {
    // Pyodide 314.0.7: e2 = ndarray(memoryview(ndarray([1, 2, 3, 4], shape=[4], format='l',
    // flags=ND_WRITABLE|ND_FORTRAN)), getbuf=PyBUF_WRITABLE) has shape (), itemsize 4, nbytes 16;
    // e2[0], e2[1], e2[3], e2[-13], e2[-16] are 1, 2, 4, 4, 1 (the index counts bytes, the step
    // is itemsize), e2[1] = 7 makes the base [1, 7, 3, 4], e2[16] and e2[-17] raise IndexError
    // 'index out of bounds'. e2[4] or e2[-1] pass CPython's check (an index up to 15 does) and
    // read past the buffer, which is undefined; here they raise BufferError (checkShapelessReach)
    using e0 = new NDArray([1, 2, 3, 4], { shape: [4], format: 'l', flags: ND.WRITABLE | ND.FORTRAN });
    using m1 = MemoryView.fromObject(e0);
    using e2 = new NDArray(m1, { getbuf: PyBUF.WRITABLE });
    expect([e2.shape, e2.itemsize, e2.nbytes]).toEqual([[], 4, 16]);
    expect([0, 1, 3, -13, -16].map((i) => e2.get(i))).toEqual([1, 2, 4, 4, 1]);
    for (const i of [16, -17]) expect(errorOf(() => e2.get(i))).toEqual(['IndexError', 'index out of bounds']);
    const before = e0.tobytes();
    for (const i of [4, 15, -1, -12]) {
      expect(errorOf(() => e2.get(i))[0]).toBe('BufferError');
      expect(errorOf(() => e2.set(i, 9))[0]).toBe('BufferError');
    }
    expect(e0.tobytes()).toEqual(before);
    e2.set(1, 7);
    expect(e0.tolist()).toEqual([1, 7, 3, 4]);
  });

  it('tolist() of a buffer without shape and items wider than a byte is refused (ndarray_tolist reads len items)', () => {
    // Pyodide 314.0.7: e2 = ndarray(array('i', [0, 1465990397, 2147483647]), getbuf=0x155) (FORMAT,
    // no ND) has shape (), itemsize 4, nbytes 12, tobytes() 00000000fd3c6157ffffff7f, e2[0], e2[2],
    // e2[-12], e2[-10] 0, 2147483647, 0, 2147483647; its tolist() unpacks 12 items of 4 bytes,
    // 36 bytes from a 12-byte buffer (undefined; BufferError here). With 1-byte items
    // (array('B', [1, 2, 3])) it is [1, 2, 3].
    const p = capi.PyMem_Malloc(12);
    try {
      const i32 = new Int32Array(runtimeMemory().buffer, p, 3);
      i32.set([0, 1465990397, 2147483647]);
      using e2 = new NDArray(i32, { getbuf: 0x155 });
      expect([e2.shape, e2.itemsize, e2.nbytes, bytesToHex(e2.tobytes())]).toEqual([
        [],
        4,
        12,
        '00000000fd3c6157ffffff7f',
      ]);
      expect([0, 2, -12, -10].map((i) => e2.get(i))).toEqual([0, 2147483647, 0, 2147483647]);
      expect(errorOf(() => e2.tolist())[0]).toBe('BufferError');
      expect(errorOf(() => e2.get(3))[0]).toBe('BufferError');
      const u8 = new Uint8Array(runtimeMemory().buffer, p, 3);
      u8.set([1, 2, 3]);
      using e3 = new NDArray(u8, { getbuf: 0x155 });
      expect(e3.tolist()).toEqual([1, 2, 3]);
    } finally {
      capi.PyMem_Free(p);
    }
  });
});

describe('set (ndarray_ass_subscript)', () => {
  it('keeps the last write where the destination items overlap (zero strides), as CPython', () => {
    // CPython 3.13: d = ndarray([0]*8, shape=[4], strides=[0], format='H', flags=ND_WRITABLE);
    // d[:] = ndarray([5,6,7,8], shape=[4], format='H') gives [8, 8, 8, 8]; with shape=[3, 2],
    // strides=[4, 0], d[:] = ndarray([1..6], shape=[3, 2], format='H') gives [[2, 2], [4, 4], [6, 6]]
    // (the reference kernel, assembly/copy.ts, one item at a time in C order)
    using d1 = new NDArray([0, 0, 0, 0, 0, 0, 0, 0], { shape: [4], strides: [0], format: 'H', flags: ND.WRITABLE });
    using s1 = new NDArray([5, 6, 7, 8], { shape: [4], format: 'H' });
    d1.set(slice(null, null), s1);
    expect(d1.tolist()).toEqual([8, 8, 8, 8]);
    using d2 = new NDArray([0, 0, 0, 0, 0, 0, 0, 0], {
      shape: [3, 2],
      strides: [4, 0],
      format: 'H',
      flags: ND.WRITABLE,
    });
    using s2 = new NDArray([1, 2, 3, 4, 5, 6], { shape: [3, 2], format: 'H' });
    d2.set(slice(null, null), s2);
    expect(d2.tolist()).toEqual([
      [2, 2],
      [4, 4],
      [6, 6],
    ]);
  });

  it('assigns items, 0-dim items, and exporters of the same structure', () => {
    using s = new NDArray(5, { shape: [], flags: ND.WRITABLE });
    s.set([], 6);
    expect(s.tolist()).toBe(6);
    s.set(Ellipsis, 7);
    expect(s.get([])).toBe(7);

    using w = new NDArray([0, 1, 2, 3, 4, 5], { shape: [6], flags: ND.WRITABLE });
    w.set(slice(null, null, -1), w);
    expect(w.tolist()).toEqual([5, 4, 3, 2, 1, 0]);
    w.set(-1, 9);
    expect(w.tolist()).toEqual([5, 4, 3, 2, 1, 9]);

    using p = new NDArray([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], { shape: [3, 4], flags: ND.WRITABLE | ND.PIL });
    using src = new NDArray([90, 91, 92, 93], { shape: [2, 2] });
    p.set([slice(1, null), slice(null, null, 2)], src);
    expect(p.tolist()).toEqual([
      [0, 1, 2, 3],
      [90, 5, 91, 7],
      [92, 9, 93, 11],
    ]);
    using row = new NDArray([7, 7, 7, 7], { shape: [4] });
    p.set(0, row);
    expect(p.tolist()).toEqual([
      [7, 7, 7, 7],
      [90, 5, 91, 7],
      [92, 9, 93, 11],
    ]);
  });

  it('writes through a re-exporter made without a format as unsigned bytes', () => {
    using base = new NDArray([1, 2, 3], { shape: [3], format: 'i', flags: ND.WRITABLE });
    using n2 = new NDArray(base, { getbuf: PyBUF.ND });
    expect(n2.get(0)).toBe(1);
    n2.set(0, 5);
    expect(bytesToHex(n2.tobytes())).toBe('050000000200000003000000');
  });

  it.each([
    ['a read-only array', () => new NDArray([1, 2], { shape: [2] }), 0, 1, ['TypeError', 'ndarray is not writable']],
    [
      'deletion',
      () => new NDArray([1, 2], { shape: [2], flags: ND.WRITABLE }),
      0,
      undefined,
      ['TypeError', 'ndarray data cannot be deleted'],
    ],
    [
      'an index into a 0-dim array',
      () => new NDArray(1, { shape: [], flags: ND.WRITABLE }),
      0,
      1,
      ['TypeError', 'invalid indexing of scalar'],
    ],
    [
      'an int into a row',
      () => new NDArray([1, 2, 3, 4], { shape: [2, 2], flags: ND.WRITABLE }),
      0,
      5,
      ['TypeError', "a bytes-like object is required, not 'int'"],
    ],
    [
      'a row of another format',
      () => new NDArray([1, 2, 3, 4], { shape: [2, 2], flags: ND.WRITABLE }),
      0,
      'b-row',
      ['ValueError', 'ndarray assignment: lvalue and rvalue have different structures'],
    ],
    [
      'a row of another length',
      () => new NDArray([1, 2, 3, 4], { shape: [2, 2], flags: ND.WRITABLE }),
      0,
      'long-row',
      ['ValueError', 'ndarray assignment: lvalue and rvalue have different structures'],
    ],
    [
      'a tuple for a one-member format',
      () => new NDArray([1, 2], { shape: [2], flags: ND.WRITABLE }),
      0,
      [1, 2],
      ['ValueError', 'mismatch between initializer element and format string'],
    ],
  ] as const)('%s is refused and leaves the memory untouched', (_name, make, key, value, err) => {
    using nd = make();
    const before = bytesToHex(nd.tobytes());
    let v: unknown = value;
    if (value === 'b-row') v = new NDArray([1, 2], { shape: [2], format: 'b' });
    if (value === 'long-row') v = new NDArray([1, 2, 3], { shape: [3] });
    expect(errorOf(() => nd.set(key, v))).toEqual(err);
    expect(bytesToHex(nd.tobytes())).toBe(before);
    if (v instanceof NDArray) v.release();
  });

  // pack_single calls struct.pack_into on the item: s_pack_internal zeroes it, then writes
  // member by member, so the members before the refused one stay written (CPython 3.14, wasm32)
  it.each([
    [
      'a value out of range',
      () => new NDArray([1, 2], { shape: [2], format: 'b', flags: ND.WRITABLE }),
      0,
      300,
      ['struct.error', "'b' format requires -128 <= number <= 127"],
      '0002',
    ],
    [
      'a second member out of range',
      () =>
        new NDArray(
          [
            [1, 2],
            [3, 4],
          ],
          { shape: [2], format: 'bb', flags: ND.WRITABLE },
        ),
      0,
      [5, 300],
      ['struct.error', "'b' format requires -128 <= number <= 127"],
      '05000304',
    ],
    [
      'a first member of the wrong type',
      () =>
        new NDArray(
          [
            [1, 2],
            [3, 4],
          ],
          { shape: [2], format: 'hb', flags: ND.WRITABLE },
        ),
      1,
      [1.5, 7],
      ['struct.error', 'required argument is not an integer'],
      '010002000000',
    ],
  ] as const)(
    '%s is refused after struct.pack_into zeroed the item, as CPython',
    (_name, make, key, value, err, after) => {
      using nd = make();
      expect(errorOf(() => nd.set(key, value))).toEqual(err);
      expect(bytesToHex(nd.tobytes())).toBe(after);
    },
  );
});

describe('slice assignment between overlapping parts of one ndarray (copy_rec order)', () => {
  // CPython 3.14 for wasm32 (Pyodide): copy_rec copies row by row in C order, so a later row
  // reads what an earlier row wrote
  const all = slice(null, null, null);
  const rev = slice(null, null, -1);
  const W = ND.WRITABLE;
  it.each([
    [
      'a[::-1] = a',
      9,
      [3, 3],
      W,
      (a: NDArray) => a.set(rev, a),
      [
        [0, 1, 2],
        [3, 4, 5],
        [0, 1, 2],
      ],
    ],
    [
      'a[1:] = a[:2]',
      9,
      [3, 3],
      W,
      (a: NDArray) => a.set(slice(1, null, null), a.get(slice(null, 2, null))),
      [
        [0, 1, 2],
        [0, 1, 2],
        [0, 1, 2],
      ],
    ],
    [
      'a[:2] = a[1:]',
      9,
      [3, 3],
      W,
      (a: NDArray) => a.set(slice(null, 2, null), a.get(slice(1, null, null))),
      [
        [3, 4, 5],
        [6, 7, 8],
        [6, 7, 8],
      ],
    ],
    [
      'a[::-1, ::-1] = a',
      12,
      [3, 4],
      W,
      (a: NDArray) => a.set([rev, rev], a),
      [
        [0, 1, 2, 3],
        [7, 6, 5, 4],
        [3, 2, 1, 0],
      ],
    ],
    [
      'a[::-1] = a (ND_PIL)',
      9,
      [3, 3],
      W | ND.PIL,
      (a: NDArray) => a.set(rev, a),
      [
        [0, 1, 2],
        [3, 4, 5],
        [0, 1, 2],
      ],
    ],
    [
      'a[:, ::2] = a[::-1][:, 1::2]',
      12,
      [3, 4],
      W,
      (a: NDArray) => a.set([all, slice(null, null, 2)], a.get(rev).get([all, slice(1, null, 2)])),
      [
        [9, 1, 11, 3],
        [5, 5, 7, 7],
        [1, 9, 3, 11],
      ],
    ],
    // Pyodide 314.0.7, nd = ndarray(list(range(12)), shape=[4, 3] (or [2, 6], [12]), format='i',
    // flags=ND_WRITABLE (| ND_PIL))
    [
      'a[::-1] = a (4 rows)',
      12,
      [4, 3],
      W,
      (a: NDArray) => a.set(rev, a),
      [
        [0, 1, 2],
        [3, 4, 5],
        [3, 4, 5],
        [0, 1, 2],
      ],
    ],
    [
      'a[::-1] = a (4 rows, ND_PIL)',
      12,
      [4, 3],
      W | ND.PIL,
      (a: NDArray) => a.set(rev, a),
      [
        [0, 1, 2],
        [3, 4, 5],
        [3, 4, 5],
        [0, 1, 2],
      ],
    ],
    [
      'a[1:] = a[:-1]',
      12,
      [4, 3],
      W,
      (a: NDArray) => a.set(slice(1, null, null), a.get(slice(null, -1, null))),
      [
        [0, 1, 2],
        [0, 1, 2],
        [0, 1, 2],
        [0, 1, 2],
      ],
    ],
    [
      'a[:, ::-1] = a (each row read whole first)',
      12,
      [2, 6],
      W,
      (a: NDArray) => a.set([all, rev], a),
      [
        [5, 4, 3, 2, 1, 0],
        [11, 10, 9, 8, 7, 6],
      ],
    ],
    ['a[::-1] = a (1-D)', 12, [12], W, (a: NDArray) => a.set(rev, a), [11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]],
  ] as const)('%s gives what CPython gives', (_name, n, shape, flags, assign, expected) => {
    using a = new NDArray([...Array(n).keys()], { shape: [...shape], format: 'i', flags });
    assign(a);
    expect(a.tolist()).toEqual(expected);
  });
});

describe('an item of dimension 0 reached through a pointer', () => {
  it('is an empty sub-array when the other dimensions hold no item (ndarray([7], shape=[2, 3, 0], format="!H", flags=ND_PIL)[True])', () => {
    // CPython 3.14 for wasm32: ((3, 0), (0, 2), (-1, -1), [[], [], []])
    using e = new NDArray([7], { shape: [2, 3, 0], format: '!H', flags: ND.PIL });
    using sub = e.get(true) as NDArray;
    expect([sub.shape, sub.strides, sub.suboffsets, sub.tolist()]).toEqual([
      [3, 0],
      [0, 2],
      [-1, -1],
      [[], [], []],
    ]);
  });
});

// ---- methods --------------------------------------------------------------------------------

describe('add_suboffsets and memoryview_from_buffer', () => {
  it('add_suboffsets adds -1 suboffsets and drops the contiguity flags', () => {
    using a = new NDArray([1, 2, 3], { shape: [3], flags: ND.WRITABLE });
    a.add_suboffsets();
    expect([a.suboffsets, a.flags, a.tolist(), bytesToHex(a.tobytes()), a.c_contiguous]).toEqual([
      [-1],
      2,
      [1, 2, 3],
      '010203',
      false,
    ]);
    expect(errorOf(() => a.add_suboffsets())).toEqual(['TypeError', 'cannot add suboffsets to PIL-style array']);
    using s = new NDArray(5, { shape: [] });
    expect(errorOf(() => s.add_suboffsets())).toEqual(['TypeError', 'cannot add suboffsets to array without strides']);
  });

  it('memoryview_from_buffer copies the raw data of the original exporter', () => {
    using nd = new NDArray([1, 2, 3, 4, 5, 6], { shape: [2, 3], strides: [-3, 1], offset: 3 });
    const mv = nd.memoryview_from_buffer();
    expect([mv.tolist(), mv.obj]).toEqual([
      [
        [4, 5, 6],
        [1, 2, 3],
      ],
      null,
    ]);
    mv.release();
    using whole = new NDArray([1, 2, 3, 4, 5, 6], { shape: [2, 3] });
    using sub = whole.get(slice(1, null)) as NDArray;
    const mv2 = sub.memoryview_from_buffer();
    expect(mv2.tolist()).toEqual([[4, 5, 6]]);
    mv2.release();
    using c2 = new NDArray(sub);
    expect(errorOf(() => c2.memoryview_from_buffer())).toEqual([
      'TypeError',
      'memoryview_from_buffer(): ndarray must be original exporter or consumer from ndarray/original exporter',
    ]);
  });
});

// ---- module functions -----------------------------------------------------------------------

describe('testbuffer module functions', () => {
  it('compute what CPython computes', () => {
    using nd = new NDArray([1, 2, 3, 4], { shape: [2, 2] });
    using simple = new NDArray(nd, { getbuf: PyBUF.SIMPLE });
    expect(tb.is_contiguous(simple, 'F')).toBe(true);
    using b = new Bytes(new Uint8Array([1, 2, 3]));
    using n3 = new NDArray([1, 2, 3], { shape: [3] });
    using n3b = new NDArray([1, 2, 3], { shape: [3], format: 'b' });
    expect([tb.cmp_contig(n3, b), tb.cmp_contig(n3b, b)]).toEqual([true, false]);
    using f = new NDArray([1, 2, 3, 4], { shape: [2, 2], flags: ND.FORTRAN });
    const m = tb.get_contiguous(f, PyBUF.READ, 'C');
    expect(m.tolist()).toEqual([
      [1, 3],
      [2, 4],
    ]);
    m.release();
    expect(bytesToHex(tb.py_buffer_to_contiguous(nd, 'F', PyBUF.FULL_RO))).toBe('01030204');
    using pil = new NDArray([1, 2, 3, 4], { shape: [2, 2], flags: ND.PIL });
    expect(bytesToHex(tb.py_buffer_to_contiguous(pil, 'F', PyBUF.FULL_RO))).toBe('01030204');
    expect(tb.get_pointer(b, [2])).toBe(3);
  });

  it.each([
    [
      'is_contiguous with a non-ASCII order',
      () => tb.is_contiguous(1, '\u00e9\u00e9'),
      ['UnicodeEncodeError', "'ascii' codec can't encode characters in position 0-1: ordinal not in range(128)"],
    ],
    [
      'is_contiguous with an empty order',
      () => tb.is_contiguous(1, ''),
      ['ValueError', 'invalid order, must be C, F or A'],
    ],
    [
      'is_contiguous of a non-exporter',
      () => tb.is_contiguous(5, 'C'),
      ['TypeError', 'is_contiguous: object does not implement the buffer protocol'],
    ],
    ['is_contiguous with a non-string order', () => tb.is_contiguous(5, 5), ['TypeError', 'order must be a string']],
    [
      'get_contiguous with a float buffertype',
      () => tb.get_contiguous(5, 1.5, 'C'),
      ['TypeError', 'buffertype must be PyBUF_READ or PyBUF_WRITE'],
    ],
    ['get_contiguous with buffertype 5', () => tb.get_contiguous(5, 5, 'C'), ['ValueError', 'invalid buffer type']],
    [
      'get_contiguous with order Q',
      () => tb.get_contiguous(5, PyBUF.READ, 'Q'),
      ['ValueError', 'invalid order, must be C, F or A'],
    ],
    [
      'py_buffer_to_contiguous of a non-exporter',
      () => tb.py_buffer_to_contiguous(5, 'Q', PyBUF.FULL_RO),
      ['TypeError', "a bytes-like object is required, not 'int'"],
    ],
    [
      'py_buffer_to_contiguous with string flags',
      () => tb.py_buffer_to_contiguous(5, 'C', 'a'),
      ['TypeError', "'str' object cannot be interpreted as an integer"],
    ],
    [
      'cmp_contig of a non-exporter first',
      () => tb.cmp_contig(5, 5),
      ['TypeError', 'cmp_contig: first argument does not implement the buffer protocol'],
    ],
    ['get_pointer with a non-list', () => tb.get_pointer(5, 1), ['TypeError', 'seq must be a list or a tuple']],
    [
      'get_pointer of a non-exporter',
      () => tb.get_pointer(5, [1]),
      ['TypeError', "a bytes-like object is required, not 'int'"],
    ],
    [
      'get_pointer with a float index',
      () => tb.get_pointer(new NDArray([1], { shape: [1] }), [1.5]),
      ['TypeError', 'an integer is required'],
    ],
  ] as const)("%s raises CPython's error", (_name, fn, err) => {
    expect(errorOf(fn)).toEqual(err);
  });

  it('errors of ndarrays pass through the functions that ask for buffers', () => {
    using pil = new NDArray([1, 2, 3, 4], { shape: [2, 2], flags: ND.PIL });
    expect(errorOf(() => tb.py_buffer_to_contiguous(pil, 'C', PyBUF.STRIDES))).toEqual([
      'BufferError',
      'ndarray cannot be represented without suboffsets',
    ]);
    using f = new NDArray([1, 2, 3, 4], { shape: [2, 2], flags: ND.FORTRAN });
    expect(errorOf(() => tb.get_contiguous(f, PyBUF.WRITE, 'C'))).toEqual([
      'BufferError',
      'underlying buffer is not writable',
    ]);
    using g = new NDArray([1], { shape: [1], flags: ND.GETBUF_FAIL });
    expect(errorOf(() => tb.cmp_contig(g, 5))).toEqual([
      'TypeError',
      'cmp_contig: first argument does not implement the buffer protocol',
    ]);
    using b = new Bytes(new Uint8Array([1, 2, 3]));
    expect(errorOf(() => tb.cmp_contig(b, 5))).toEqual([
      'TypeError',
      'cmp_contig: second argument does not implement the buffer protocol',
    ]);
    expect(errorOf(() => tb.get_pointer(b, [1, 2]))).toEqual(['ValueError', 'get_pointer(): len(indices) != ndim']);
    expect(errorOf(() => tb.get_pointer(b, [3]))).toEqual([
      'ValueError',
      'get_pointer(): invalid index 3 at position 0',
    ]);
    expect(errorOf(() => tb.get_pointer(b, [-1]))).toEqual([
      'ValueError',
      'get_pointer(): invalid index -1 at position 0',
    ]);
    expect(errorOf(() => tb.get_pointer(b, [2n ** 63n]))).toEqual([
      'OverflowError',
      'Python int too large to convert to C ssize_t',
    ]);
  });

  it('staticarray exports bytes 0..11, with obj null in legacy mode', () => {
    const m = MemoryView.fromObject(new tb.StaticArray());
    expect(m.tolist()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(m.readonly).toBe(true);
    m.release();
    const legacy = MemoryView.fromObject(new tb.staticarray({ legacy_mode: true }));
    expect(legacy.obj).toBe(null);
    legacy.release();
  });

  it("exports _testbuffer's constants", () => {
    expect([
      tb.ND_MAX_NDIM,
      tb.ND_VAREXPORT,
      tb.ND_WRITABLE,
      tb.ND_FORTRAN,
      tb.ND_SCALAR,
      tb.ND_PIL,
      tb.ND_REDIRECT,
      tb.ND_GETBUF_FAIL,
      tb.ND_GETBUF_UNDEFINED,
    ]).toEqual([128, 1, 2, 4, 8, 16, 32, 64, 128]);
    expect([tb.PyBUF_FULL_RO, tb.PyBUF_CONTIG, tb.PyBUF_READ, tb.PyBUF_WRITE]).toEqual([0x11c, 0x9, 0x100, 0x200]);
    expect(tb.ndarray).toBe(NDArray);
  });
});

// keep the type imports used (NDValue documents what get() returns for items)
export type { NDValue };
void BufferError;
