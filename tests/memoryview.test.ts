// The Python-level memoryview, edge case by edge case (shared/reference/cpython-buffer-semantics.md,
// "The Python-level memoryview"). Expected values and messages were taken from CPython 3.13
// (count/index from 3.14's Objects/memoryobject.c) and agree with 3.14 for wasm32 except where
// cpython314-wasm32.test.ts says otherwise; the random cases are in memoryview-vectors.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  init,
  BufferError,
  ByteArray,
  Bytes,
  Complex,
  Ellipsis,
  IndexError,
  MemoryView,
  ND,
  NDArray,
  NotImplementedError,
  OverflowError,
  PyBUF,
  ValueError,
  capi,
  pyHashBytes32,
  pyHashBytes64,
  runtimeMemory,
  slice,
  type CastFormat,
} from '../src/index.js';
import { errorOf } from './helpers/errors.js';
import { bytesToHex } from './helpers/fixtures.js';

type View = MemoryView;
const owned: { release(): void }[] = [];

function keep<T extends { release(): void }>(x: T): T {
  owned.push(x);
  return x;
}

/** memoryview(bytearray(data)) or memoryview(bytes(data)). */
function mv(data: number[] | number, writable = true): View {
  const src = typeof data === 'number' ? data : Uint8Array.from(data);
  const exporter = writable ? new ByteArray(src) : new Bytes(src);
  owned.push({ release: () => exporter.dispose() });
  return keep(MemoryView.fromObject(exporter));
}

/** memoryview(ndarray(items, shape, format, flags)). */
function nd(items: unknown[], shape: number[], format = 'B', flags: number = ND.WRITABLE): View {
  const a = keep(new NDArray(items as never, { shape, format, flags }));
  return keep(MemoryView.fromObject(a));
}

beforeAll(async () => {
  await init();
});

afterEach(() => {
  for (const x of owned.reverse()) {
    try {
      x.release();
    } catch {
      /* exported: released with its owner */
    }
  }
  owned.length = 0;
});

const RELEASED: [string, string] = ['ValueError', 'operation forbidden on released memoryview object'];

describe('a released view', () => {
  const operations: [string, (m: View) => unknown][] = [
    ['obj', (m) => m.obj],
    ['nbytes', (m) => m.nbytes],
    ['readonly', (m) => m.readonly],
    ['itemsize', (m) => m.itemsize],
    ['format', (m) => m.format],
    ['ndim', (m) => m.ndim],
    ['shape', (m) => m.shape],
    ['strides', (m) => m.strides],
    ['suboffsets', (m) => m.suboffsets],
    ['c_contiguous', (m) => m.c_contiguous],
    ['f_contiguous', (m) => m.f_contiguous],
    ['contiguous', (m) => m.contiguous],
    ['tobytes()', (m) => m.tobytes()],
    ['tolist()', (m) => m.tolist()],
    ['hex()', (m) => m.hex()],
    ['cast()', (m) => m.cast('c')],
    ['toreadonly()', (m) => m.toreadonly()],
    ['get(0)', (m) => m.get(0)],
    ['get(slice)', (m) => m.get(slice(1))],
    ['set(0, 1)', (m) => m.set(0, 1)],
    ['length', (m) => m.length],
    ['iteration', (m) => [...m]],
    ['count(1)', (m) => m.count(1)],
    ['index(1)', (m) => m.index(1)],
    ['hash()', (m) => m.toreadonly().hash()],
    ['MemoryView.fromObject(m)', (m) => MemoryView.fromObject(m)],
  ];
  it.each(operations)('raises the release ValueError from %s', (_name, op) => {
    const m = mv([1, 2, 3]);
    m.release();
    expect(errorOf(() => op(m))).toEqual(RELEASED);
  });

  it('can be released twice, and by a using declaration', () => {
    const m = mv([1]);
    m.release();
    expect(() => m.release()).not.toThrow();
    const ba = new ByteArray(2);
    {
      using u = MemoryView.fromObject(ba);
      expect(u.length).toBe(2);
      expect(() => ba.resize(3)).toThrow(BufferError);
    }
    expect(() => ba.resize(3)).not.toThrow();
    ba.dispose();
  });

  it('equals only itself, and a hash computed before release stays cached', () => {
    const m = mv([1, 2], false);
    const h = m.hash();
    const other = mv([1, 2], false);
    m.release();
    expect(m.equals(m)).toBe(true);
    expect(m.equals(other)).toBe(false);
    expect(other.equals(m)).toBe(false);
    expect(m.hash()).toBe(h);
  });

  it('names its export count when it cannot be released', () => {
    const m = mv([1, 2]);
    const one = capi.PyObject_GetBuffer(m, PyBUF.SIMPLE);
    expect(errorOf(() => m.release())).toEqual(['BufferError', 'memoryview has 1 exported buffer']);
    const two = capi.PyObject_GetBuffer(m, PyBUF.SIMPLE);
    expect(errorOf(() => m.release())).toEqual(['BufferError', 'memoryview has 2 exported buffers']);
    capi.PyBuffer_Release(one);
    capi.PyBuffer_Release(two);
    expect(() => m.release()).not.toThrow();
  });
});

describe('views of views', () => {
  it('register on the same managed buffer and keep the exporter as obj', () => {
    const ba = new ByteArray([1, 2, 3, 4]);
    owned.push({ release: () => ba.dispose() });
    const m = MemoryView.fromObject(ba);
    const views = [m.get(slice(1, null)) as View, m.cast('c'), m.toreadonly(), MemoryView.fromObject(m)];
    expect(m.mbuf.exports).toBe(5);
    for (const v of views) expect(v.obj).toBe(ba);
    m.release();
    expect(() => ba.resize(1)).toThrow(BufferError); // the other views still hold the buffer
    for (const v of views) v.release();
    expect(() => ba.resize(1)).not.toThrow();
  });

  it('toreadonly() makes a read-only view that refuses assignment', () => {
    const r = keep(mv([1, 2]).toreadonly());
    expect(r.readonly).toBe(true);
    expect(errorOf(() => r.set(0, 5))).toEqual(['TypeError', 'cannot modify read-only memory']);
  });
});

describe('contiguity flags', () => {
  it('follow the one-dimensional quirk: an empty slice with a step is not contiguous', () => {
    const m = mv([1, 2, 3, 4, 5, 6], false);
    const quirk = keep(m.get(slice(5, 2, 3)) as View);
    expect([quirk.shape, quirk.c_contiguous, quirk.f_contiguous, quirk.contiguous]).toEqual([[0], false, false, false]);
    const single = keep(m.get(slice(0, 1, 5)) as View);
    expect([single.c_contiguous, single.f_contiguous]).toEqual([true, true]);
  });

  it('are all true for a 0-dim view and all false with suboffsets', () => {
    const s = nd([7], [], 'i');
    expect([s.c_contiguous, s.f_contiguous, s.contiguous]).toEqual([true, true, true]);
    const pil = nd([1, 2, 3, 4], [2, 2], 'B', ND.PIL);
    expect([pil.c_contiguous, pil.f_contiguous, pil.contiguous, pil.suboffsets]).toEqual([
      false,
      false,
      false,
      [0, -1],
    ]);
  });
});

describe('tobytes(order)', () => {
  const m2 = (): View => nd([1, 2, 3, 4, 5, 6], [2, 3], 'B', ND.FORTRAN);
  it.each([
    ['C', '010305020406'],
    [null, '010305020406'],
    ['F', '010203040506'],
    ['A', '010203040506'],
  ] as const)('order %s gives %s for a Fortran array', (order, hex) => {
    expect(bytesToHex(m2().tobytes(order))).toBe(hex);
  });
  it('refuses any other order', () => {
    expect(errorOf(() => m2().tobytes('X' as never))).toEqual(['ValueError', "order must be 'C', 'F' or 'A'"]);
  });
});

describe('hex(sep, bytes_per_sep)', () => {
  const m = (): View => mv([0xb9, 0x01, 0xef, 0x12], false);
  it.each([
    [undefined, 1, 'b901ef12'],
    [':', 1, 'b9:01:ef:12'],
    [':', 3, 'b9:01ef12'],
    [':', -3, 'b901ef:12'],
    [new Uint8Array([0x7c]), 2, 'b901|ef12'],
    ['-', 0, 'b901ef12'],
  ] as const)('sep %s every %i bytes gives %s', (sep, n, out) => {
    expect(sep === undefined ? m().hex() : m().hex(sep, n)).toBe(out);
  });
  it.each([
    ['', ['ValueError', 'sep must be length 1.']],
    ['ab', ['ValueError', 'sep must be length 1.']],
    ['\u00e9', ['ValueError', 'sep must be ASCII.']],
    [new Uint8Array([0xff]), ['ValueError', 'sep must be ASCII.']],
  ] as const)('refuses the separator %s', (sep, err) => {
    expect(errorOf(() => m().hex(sep))).toEqual(err);
  });
  it('converts a non-contiguous view to C order first', () => {
    expect(keep(m().get(slice(null, null, -2)) as View).hex(':')).toBe('12:01');
  });
  it('takes a Bytes as a bytes separator, and refuses a ByteArray or a MemoryView as CPython refuses bytearray and memoryview', () => {
    // memoryview(b'\xb9\x01\xef\x12').hex(sep, 2) with sep b'|', bytearray(b'|'), memoryview(b'|'),
    // bytearray(b'||') and ndarray([124], shape=[1]), in Pyodide 314.0.7
    using bar = new Bytes('|');
    using bars = new ByteArray('||');
    using barArray = new ByteArray('|');
    using barView = MemoryView.fromObject(bar);
    using barNd = new NDArray([124], { shape: [1] });
    expect(m().hex(bar, 2)).toBe('b901|ef12');
    expect(errorOf(() => m().hex(barArray as never))).toEqual(['TypeError', 'sep must be str or bytes.']);
    expect(errorOf(() => m().hex(barView as never))).toEqual(['TypeError', 'sep must be str or bytes.']);
    expect(errorOf(() => m().hex(bars as never))).toEqual(['ValueError', 'sep must be length 1.']);
    expect(errorOf(() => m().hex(barNd as never))).toEqual(['TypeError', "object of type 'ndarray' has no len()"]);
    expect(errorOf(() => m().hex(keep(barView.cast('B', [])) as never))).toEqual([
      'TypeError',
      '0-dim memory has no length',
    ]);
  });
});

describe('tolist()', () => {
  it.each([
    ['b', [-1, 2], [-1, 2]],
    ['e', [1.5, -0], [1.5, -0]],
    ['?', [true, false], [true, false]],
    ['q', [-(2n ** 63n), 5n], [-(2n ** 63n), 5n]],
    ['Q', [2n ** 64n - 1n], [2n ** 64n - 1n]],
    ['c', [new Uint8Array([97])], [new Uint8Array([97])]],
    ['d', [Number.NaN], [Number.NaN]],
  ] as const)("unpacks format '%s' as JavaScript values", (format, items, out) => {
    expect(nd([...items], [items.length], format).tolist()).toEqual(out);
  });
  it('returns a scalar for a 0-dim view and nested arrays for N-dim views', () => {
    expect(nd([-3], [], 'h').tolist()).toBe(-3);
    expect(nd([1, 2, 3, 4, 5, 6], [2, 3]).tolist()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(nd([1, 2, 3, 4], [2, 2], 'B', ND.PIL).tolist()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
  it.each([
    ['<i', [1], ['NotImplementedError', 'memoryview: unsupported format <i']],
    ['2B', [[1, 2]], ['NotImplementedError', 'memoryview: unsupported format 2B']],
    ['s', [new Uint8Array([1])], ['NotImplementedError', 'memoryview: format s not supported']],
  ] as const)("refuses format '%s'", (format, items, err) => {
    expect(errorOf(() => nd([...items], [1], format).tolist())).toEqual(err);
  });
});

describe('get(key): memory_subscript', () => {
  const one = (): View => nd([10, 20, 30], [3], 'h');
  const two = (): View => nd([1, 2, 3, 4, 5, 6], [2, 3], 'B');
  const zero = (): View => nd([9], [], 'i');
  it.each([
    ['a negative index wraps', one, -1, 30],
    ['a bigint index works', one, 1n, 20],
    ['a boolean is an index', one, true, 20],
    ['a full tuple gives the item', two, [1, -1], 6],
    ['[] gives the item of a 0-dim view', zero, [], 9],
  ] as const)('%s', (_name, make, key, value) => {
    expect(make().get(key as never)).toBe(value);
  });
  it('Ellipsis on a 0-dim view gives the view itself', () => {
    const z = zero();
    expect(z.get(Ellipsis)).toBe(z);
  });
  it.each([
    ['an index past the end', one, 3, ['IndexError', 'index out of bounds on dimension 1']],
    ['an index before the start', one, -4, ['IndexError', 'index out of bounds on dimension 1']],
    [
      'an index that does not fit wasm32 Py_ssize_t',
      one,
      2n ** 31n,
      ['IndexError', "cannot fit 'int' into an index-sized integer"],
    ],
    ['a tuple index out of range in dimension 2', two, [0, 3], ['IndexError', 'index out of bounds on dimension 2']],
    ['an int on a 2-D view', two, 0, ['NotImplementedError', 'multi-dimensional sub-views are not implemented']],
    ['a short tuple', two, [0], ['NotImplementedError', 'sub-views are not implemented']],
    ['[] on a 1-D view', one, [], ['NotImplementedError', 'sub-views are not implemented']],
    ['a long tuple', two, [0, 1, 2], ['TypeError', 'cannot index 2-dimension view with 3-element tuple']],
    [
      'a tuple of slices',
      two,
      [slice(null), slice(null)],
      ['NotImplementedError', 'multi-dimensional slicing is not implemented'],
    ],
    ['a mixed tuple', two, [0, slice(null)], ['TypeError', 'memoryview: invalid slice key']],
    ['Ellipsis on a 1-D view', one, Ellipsis, ['TypeError', 'memoryview: invalid slice key']],
    ['a float', one, 1.5, ['TypeError', 'memoryview: invalid slice key']],
    ['a string', one, '0', ['TypeError', 'memoryview: invalid slice key']],
    ['null', one, null, ['TypeError', 'memoryview: invalid slice key']],
    ['an index on a 0-dim view', zero, 0, ['TypeError', 'invalid indexing of 0-dim memory']],
    ['a slice with step 0', one, slice(null, null, 0), ['ValueError', 'slice step cannot be zero']],
    [
      'a slice with a float bound',
      one,
      slice(0.5, 2),
      ['TypeError', 'slice indices must be integers or None or have an __index__ method'],
    ],
  ] as const)("refuses %s with CPython's error", (_name, make, key, err) => {
    expect(errorOf(() => make().get(key as never))).toEqual(err);
  });
  it('slices dimension 0 of an N-dim view and of a PIL view, sharing memory', () => {
    const s = keep(two().get(slice(null, null, -1)) as View);
    expect([s.shape, s.strides, s.tolist()]).toEqual([
      [2, 3],
      [-3, 1],
      [
        [4, 5, 6],
        [1, 2, 3],
      ],
    ]);
    const p = keep(nd([1, 2, 3, 4, 5, 6], [3, 2], 'B', ND.PIL | ND.WRITABLE).get(slice(1, null)) as View);
    expect([p.shape, p.suboffsets, p.tolist()]).toEqual([
      [2, 2],
      [0, -1],
      [
        [3, 4],
        [5, 6],
      ],
    ]);
  });
  it('slices of slices compose like Python', () => {
    const m = mv([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const s = keep(keep(m.get(slice(1, null, 2)) as View).get(slice(null, null, -2)) as View);
    expect([s.tolist(), s.strides]).toEqual([[9, 5, 1], [-4]]);
  });
});

describe('set(key, value): memory_ass_sub', () => {
  it('checks, in order: released, format, read-only, 0-dim keys, sub-views', () => {
    expect(errorOf(() => nd([1], [1], '<i').set(0, 1))).toEqual([
      'NotImplementedError',
      'memoryview: unsupported format <i',
    ]);
    expect(errorOf(() => nd([1], [1], '<i', 0).set(0, 1))).toEqual([
      'NotImplementedError',
      'memoryview: unsupported format <i',
    ]);
    expect(errorOf(() => mv([1], false).set(0, 1))).toEqual(['TypeError', 'cannot modify read-only memory']);
    expect(errorOf(() => nd([1], [], 'i').set(0, 1))).toEqual(['TypeError', 'invalid indexing of 0-dim memory']);
    expect(errorOf(() => nd([1, 2], [1, 2]).set(0, 1))).toEqual([
      'NotImplementedError',
      'sub-views are not implemented',
    ]);
    expect(errorOf(() => nd([1, 2], [1, 2]).set([0], 1))).toEqual([
      'NotImplementedError',
      'sub-views are not implemented',
    ]);
    expect(errorOf(() => nd([1, 2], [1, 2]).set(slice(null), mv([1, 2])))).toEqual([
      'NotImplementedError',
      'memoryview slice assignments are currently restricted to ndim = 1',
    ]);
    expect(errorOf(() => mv([1]).set(1.5, 1))).toEqual(['TypeError', 'memoryview: invalid slice key']);
    expect(errorOf(() => mv([1]).delete(0))).toEqual(['TypeError', 'cannot delete memory']);
  });

  it('writes 0-dim views through [] and Ellipsis, and N-dim items through tuples', () => {
    const z = nd([0], [], 'h');
    z.set([], -5);
    expect(z.tolist()).toBe(-5);
    z.set(Ellipsis, 7);
    expect(z.tolist()).toBe(7);
    const t = nd([1, 2, 3, 4], [2, 2], 'B', ND.PIL | ND.WRITABLE);
    t.set([1, 0], 99);
    expect(t.tolist()).toEqual([
      [1, 2],
      [99, 4],
    ]);
  });

  const packing: [string, string, unknown, [string, string] | number | bigint | boolean | Uint8Array][] = [
    ['an int in range', 'b', -128, -128],
    ['a boolean as an int', 'H', true, 1],
    ['a bigint', 'Q', 2n ** 64n - 1n, 2n ** 64n - 1n],
    ['a float into an int format', 'B', 1.5, ['TypeError', "memoryview: invalid type for format 'B'"]],
    ['a negative into an unsigned format', 'B', -1, ['ValueError', "memoryview: invalid value for format 'B'"]],
    ['an int past the range', 'h', 2 ** 15, ['ValueError', "memoryview: invalid value for format 'h'"]],
    ['2**63 into q', 'q', 2n ** 63n, ['ValueError', "memoryview: invalid value for format 'q'"]],
    ['a string into an int format', 'i', '1', ['TypeError', "memoryview: invalid type for format 'i'"]],
    ['null into a float format', 'd', null, ['TypeError', "memoryview: invalid type for format 'd'"]],
    ['an int too large for a double', 'd', 10n ** 400n, ['ValueError', "memoryview: invalid value for format 'd'"]],
    ['1e300 into f (infinity, as C)', 'f', 1e300, Number.POSITIVE_INFINITY],
    ['65520 into e (overflow)', 'e', 65520, ['ValueError', "memoryview: invalid value for format 'e'"]],
    ['65519 into e (rounds to 65504)', 'e', 65519, 65504],
    ['NaN into ? (truthy in Python)', '?', Number.NaN, true],
    ['an empty string into ?', '?', '', false],
    ['an object into ?', '?', {}, true],
    ['bytes of length 1 into c', 'c', new Uint8Array([120]), new Uint8Array([120])],
    [
      'bytes of length 2 into c',
      'c',
      new Uint8Array([1, 2]),
      ['ValueError', "memoryview: invalid value for format 'c'"],
    ],
    ['an int into c', 'c', 1, ['TypeError', "memoryview: invalid type for format 'c'"]],
  ];
  it("packs a Bytes of length 1 into 'c', and refuses a ByteArray or MemoryView as CPython refuses bytearray", () => {
    // m = memoryview(bytearray(2)).cast('c'); m[0] = b'\x07' (then bytearray(b'\x07'),
    // memoryview(b'\x07'), b''), in Pyodide 314.0.7
    const m = keep(mv([0, 0]).cast('c'));
    using seven = new Bytes([7]);
    using sevenArray = new ByteArray([7]);
    using empty = new Bytes(0);
    m.set(0, seven);
    expect(m.tolist()).toEqual([new Uint8Array([7]), new Uint8Array([0])]);
    expect(errorOf(() => m.set(1, sevenArray))).toEqual(['TypeError', "memoryview: invalid type for format 'c'"]);
    expect(errorOf(() => m.set(1, keep(MemoryView.fromObject(seven))))).toEqual([
      'TypeError',
      "memoryview: invalid type for format 'c'",
    ]);
    expect(errorOf(() => m.set(1, empty))).toEqual(['ValueError', "memoryview: invalid value for format 'c'"]);
    expect(m.tolist()).toEqual([new Uint8Array([7]), new Uint8Array([0])]);
  });
  it("packs bool() of a complex, bytes, bytearray, memoryview or ndarray into '?', len()'s errors leaving memory untouched", () => {
    // m = memoryview(bytearray(1)).cast('?'); m[0] = x for x = 0j, 1j, b'', b'x', bytearray(),
    // memoryview(b''), memoryview(bytes(1)), ndarray([0], shape=[1]), then a 0-dim and a
    // released memoryview, in Pyodide 314.0.7
    const m = keep(mv([1]).cast('?'));
    using empty = new Bytes(0);
    using x = new Bytes('x');
    using emptyArray = new ByteArray(0);
    using zero = new Bytes(1);
    const values = [
      new Complex(0, 0),
      new Complex(0, 1),
      empty,
      x,
      emptyArray,
      keep(MemoryView.fromObject(empty)),
      keep(MemoryView.fromObject(zero)),
      keep(new NDArray([0], { shape: [1] })),
    ];
    expect(
      values.map((v) => {
        m.set(0, v);
        return m.get(0);
      }),
    ).toEqual([false, true, false, true, false, false, true, true]);
    const dim0 = keep(MemoryView.fromObject(zero).cast('B', []));
    expect(errorOf(() => m.set(0, dim0))).toEqual(['TypeError', '0-dim memory has no length']);
    const released = MemoryView.fromObject(zero);
    released.release();
    expect(errorOf(() => m.set(0, released))).toEqual(RELEASED);
    expect(m.get(0)).toBe(true);
  });
  it.each(packing)('packs %s (format %s) or leaves memory untouched', (_name, format, value, out) => {
    const m = nd(
      [format === 'c' ? new Uint8Array([0]) : format === '?' ? false : format === 'q' || format === 'Q' ? 0n : 0],
      [1],
      format,
    );
    const before = bytesToHex(m.tobytes());
    const e = errorOf(() => m.set(0, value));
    if (Array.isArray(out)) {
      expect(e).toEqual(out);
      expect(bytesToHex(m.tobytes())).toBe(before);
    } else {
      expect(e).toBe('no error');
      expect(m.get(0)).toEqual(out);
    }
  });

  it('assigns slices from any exporter of the same structure', () => {
    const m = mv([0, 0, 0, 0, 0, 0]);
    m.set(slice(null, null, 2), mv([1, 2, 3], false));
    expect(m.tolist()).toEqual([1, 0, 2, 0, 3, 0]);
    const b = new Bytes([7, 8]);
    m.set(slice(-2, null), b);
    b.dispose();
    expect(m.tolist()).toEqual([1, 0, 2, 0, 7, 8]);
    m.set(slice(0, 0), mv([]));
    m.set(slice(1, 3), nd([5, 6], [2], '@B'));
    expect(m.tolist()).toEqual([1, 5, 6, 0, 7, 8]);
  });

  it.each([
    ['a different length', () => mv([1, 2])],
    ['a different format', () => nd([1, 2, 3], [3], 'b')],
    ['a different itemsize', () => nd([1, 2, 3], [3], 'h')],
    ['a different ndim', () => nd([1, 2, 3], [1, 3])],
  ])('refuses an rvalue of %s, before writing', (_name, make) => {
    const m = mv([9, 9, 9, 9]);
    expect(errorOf(() => m.set(slice(1, null), make()))).toEqual([
      'ValueError',
      'memoryview assignment: lvalue and rvalue have different structures',
    ]);
    expect(m.tolist()).toEqual([9, 9, 9, 9]);
  });

  it('refuses a non-exporter before looking at the slice', () => {
    expect(errorOf(() => mv([1]).set(slice(null, null, 0), 5))).toEqual([
      'TypeError',
      "a bytes-like object is required, not 'int'",
    ]);
    expect(errorOf(() => mv([1]).set(slice(null, null, 0), mv([1])))).toEqual([
      'ValueError',
      'slice step cannot be zero',
    ]);
  });

  it('is overlap-safe: m[::-1] = m reverses in place, m[1:] = m[:-1] shifts', () => {
    const m = nd([1, 2, 3, 4, 5], [5], 'i');
    m.set(slice(null, null, -1), m);
    expect(m.tolist()).toEqual([5, 4, 3, 2, 1]);
    const shifted = keep(m.get(slice(null, -1)) as View);
    m.set(slice(1, null), shifted);
    expect(m.tolist()).toEqual([5, 5, 4, 3, 2]);
    const p = nd([1, 2, 3, 4], [4], 'B', ND.PIL | ND.WRITABLE);
    p.set(slice(null, null, -1), p);
    expect(p.tolist()).toEqual([4, 3, 2, 1]);
  });
});

describe("cast(format, shape): every check in CPython's order", () => {
  const bytes8 = (): View => mv(8, false);
  it.each([
    [
      'a non-string format',
      () => bytes8().cast(1 as never),
      ['TypeError', "cast() argument 'format' must be str, not int"],
    ],
    [
      'a non-C-contiguous view',
      () => keep(bytes8().get(slice(null, null, 2)) as View).cast('c'),
      ['TypeError', 'memoryview: casts are restricted to C-contiguous views'],
    ],
    [
      'zeros in shape',
      () => mv(0).cast('B', [0]),
      ['TypeError', 'memoryview: cannot cast view with zeros in shape or strides'],
    ],
    [
      'a shape that is not an array',
      () => bytes8().cast('B', 7 as never),
      ['TypeError', 'shape must be a list or a tuple'],
    ],
    [
      'more than 64 dimensions',
      () => bytes8().cast('B', new Array(65).fill(1)),
      ['ValueError', 'memoryview: number of dimensions must not exceed 64'],
    ],
    [
      'N-D to N-D',
      () => keep(bytes8().cast('B', [2, 4])).cast('B', [4, 2]),
      ['TypeError', 'memoryview: cast must be 1D -> ND or ND -> 1D'],
    ],
    [
      'a non-ASCII format',
      () => bytes8().cast('@B\u00e9' as CastFormat),
      ['UnicodeEncodeError', "'ascii' codec can't encode character '\\xe9' in position 2: ordinal not in range(128)"],
    ],
    [
      'a non-native format',
      () => bytes8().cast('<i' as CastFormat),
      [
        'ValueError',
        "memoryview: destination format must be a native single character format prefixed with an optional '@'",
      ],
    ],
    [
      'two non-byte formats',
      () => keep(bytes8().cast('i')).cast('h'),
      ['TypeError', 'memoryview: cannot cast between two non-byte formats'],
    ],
    [
      'a length that is no multiple of itemsize',
      () => mv(6, false).cast('i'),
      ['TypeError', 'memoryview: length is not a multiple of itemsize'],
    ],
    [
      'a shape element that is not an int',
      () => bytes8().cast('i', [2, 'a'] as never),
      ['TypeError', 'memoryview.cast(): elements of shape must be integers'],
    ],
    [
      'a shape element below 1',
      () => bytes8().cast('i', [2, -1]),
      ['ValueError', 'memoryview.cast(): elements of shape must be integers > 0'],
    ],
    [
      'a shape element past wasm32 Py_ssize_t',
      () => bytes8().cast('B', [2n ** 40n, 2]),
      ['OverflowError', 'Python int too large to convert to C ssize_t'],
    ],
    [
      'a shape product past SSIZE_MAX',
      () => bytes8().cast('B', [2 ** 30, 4]),
      ['ValueError', 'memoryview.cast(): product(shape) > SSIZE_MAX'],
    ],
    [
      'a shape of the wrong size',
      () => bytes8().cast('i', [3]),
      ['TypeError', 'memoryview: product(shape) * itemsize != buffer size'],
    ],
    [
      'a 0-dim shape of the wrong size',
      () => bytes8().cast('B', []),
      ['TypeError', 'memoryview: product(shape) * itemsize != buffer size'],
    ],
  ] as const)('refuses %s', (_name, fn, err) => {
    expect(errorOf(fn as () => unknown)).toEqual(err);
  });

  it('makes a C-contiguous view on the same managed buffer', () => {
    const m = mv([1, 0, 0, 0, 2, 0, 0, 0]);
    const c = keep(m.cast('@i', [2, 1]));
    expect([c.format, c.itemsize, c.shape, c.strides, c.tolist(), c.obj === m.obj, c.mbuf === m.mbuf]).toEqual([
      '@i',
      4,
      [2, 1],
      [4, 4],
      [[1], [2]],
      true,
      true,
    ]);
    const back = keep(c.cast('B'));
    expect([back.shape, back.format]).toEqual([[8], 'B']);
    const scalar = keep(keep(m.cast('q')).cast('B').cast('q', []));
    expect([scalar.ndim, scalar.shape, scalar.strides, scalar.tolist()]).toEqual([0, [], [], 2n ** 32n * 2n + 1n]);
    expect(keep(m.cast('B\0ignored' as CastFormat)).format).toBe('B'); // C strings end at NUL
  });

  it('gives wasm32 sizes to l, L, n, N and P (4 bytes)', () => {
    for (const f of ['l', 'L', 'n', 'N', 'P'] as const) {
      const c = keep(mv(8).cast(f));
      expect([f, c.itemsize, c.shape]).toEqual([f, 4, [2]]);
    }
  });
});

describe("formats 'l', 'L', 'n', 'N', 'P' on wasm32", () => {
  it.each([
    ['l', -(2 ** 31), -(2 ** 31)],
    ['l', 2 ** 31, ['ValueError', "memoryview: invalid value for format 'l'"]],
    ['L', 2 ** 32 - 1, 2 ** 32 - 1],
    ['L', -1, ['ValueError', "memoryview: invalid value for format 'L'"]],
    ['n', 2 ** 31 - 1, 2 ** 31 - 1],
    ['n', 2 ** 31, ['ValueError', "memoryview: invalid value for format 'n'"]],
    ['N', 2 ** 32, ['ValueError', "memoryview: invalid value for format 'N'"]],
    ['P', -1, 2 ** 32 - 1],
    ['P', 2 ** 32, ['ValueError', "memoryview: invalid value for format 'P'"]],
    ['P', 1.5, ['TypeError', "memoryview: invalid type for format 'P'"]],
  ] as const)("format '%s' packs %s as 32-bit C types", (format, value, out) => {
    const m = keep(mv(8).cast(format));
    const e = errorOf(() => m.set(1, value));
    if (Array.isArray(out)) expect(e).toEqual(out);
    else expect(m.get(1)).toBe(out);
  });
  it('compares them natively and through struct', () => {
    const a = keep(mv([255, 255, 255, 255], false).cast('l'));
    expect(a.tolist()).toEqual([-1]);
    expect(a.equals(keep(mv([255, 255, 255, 255]).cast('i')))).toBe(true);
    expect(a.equals(keep(mv([255, 255, 255, 255]).cast('L')))).toBe(false);
  });
});

describe('length and iteration', () => {
  it('length is shape[0]; a 0-dim view has none', () => {
    expect(nd([1, 2, 3, 4, 5, 6], [3, 2]).length).toBe(3);
    expect(errorOf(() => nd([1], [], 'i').length)).toEqual(['TypeError', '0-dim memory has no length']);
  });
  it('iterates the items of a 1-D view, PIL included', () => {
    expect([...nd([1, -2, 3], [3], 'b')]).toEqual([1, -2, 3]);
    expect([...nd([1, 2, 3], [3], 'B', ND.PIL)]).toEqual([1, 2, 3]);
  });
  it.each([
    ['a 0-dim view', () => nd([1], [], 'i'), ['TypeError', 'invalid indexing of 0-dim memory']],
    [
      'a 2-D view',
      () => nd([1, 2], [1, 2]),
      ['NotImplementedError', 'multi-dimensional sub-views are not implemented'],
    ],
    [
      'a multi-character format',
      () => nd([1], [1], '<i'),
      ['NotImplementedError', 'memoryview: unsupported format <i'],
    ],
  ] as const)('refuses %s when the iterator is made', (_name, make, err) => {
    const m = make();
    expect(errorOf(() => m[Symbol.iterator]())).toEqual(err);
  });
  it('raises the release ValueError when the view is released mid-iteration', () => {
    const m = mv([1, 2, 3]);
    const it = m[Symbol.iterator]();
    expect(it.next().value).toBe(1);
    m.release();
    expect(errorOf(() => it.next())).toEqual(RELEASED);
  });
});

describe('count(value) and index(value, start, stop), as 3.14', () => {
  it('count compares with Python ==: ints, floats, bools and bigints meet', () => {
    expect(mv([1, 2, 1, 1]).count(1)).toBe(3);
    expect(mv([1, 2, 1, 1]).count(true)).toBe(3);
    expect(mv([1, 2, 1, 1]).count(1n)).toBe(3);
    expect(nd([1.0, 1.5, Number.NaN], [3], 'd').count(1)).toBe(1);
    expect(nd([Number.NaN], [1], 'd').count(Number.NaN)).toBe(0);
    expect(nd([5n, 5n], [2], 'q').count(5)).toBe(2);
    expect(nd([new Uint8Array([97])], [1], 'c').count(new Uint8Array([97]))).toBe(1);
    expect(nd([new Uint8Array([97])], [1], 'c').count(97)).toBe(0);
    expect(mv([1]).count('1')).toBe(0);
  });
  it('meets a memoryview value through its __eq__: a bytes item compares with it as a buffer, other items never', () => {
    // Pyodide 314.0.7: m = memoryview(b'abca').cast('c'); m.count(memoryview(b'a')) == 2, and so on
    using raw = new Bytes([97, 98, 99, 97]);
    using m = MemoryView.fromObject(raw).cast('c');
    using a = MemoryView.fromObject(new Bytes([97]));
    using c = MemoryView.fromObject(new Bytes([99]));
    expect(m.count(a)).toBe(2);
    expect(m.index(c)).toBe(2);
    using ab = MemoryView.fromObject(new Bytes([97, 98]));
    using first = ab.get(slice(null, 1));
    expect(m.count(first)).toBe(2);
    // a 'c' view holds bytes items, not 97: memoryview(b'a').cast('c') never equals b'a'
    using aAsC = a.cast('c');
    expect(m.count(aAsC)).toBe(0);
    // the value's items as its format unpacks them: 'h' 97 == 97, 'b' -1 != 255
    using ah = MemoryView.fromObject(new Bytes([97, 0])).cast('h');
    expect(m.count(ah)).toBe(2);
    using minus1 = MemoryView.fromObject(new Bytes([255])).cast('b');
    using ff = MemoryView.fromObject(new Bytes([255, 97])).cast('c');
    expect(ff.count(minus1)).toBe(0);
    // shape (1, 1) against a bytes item's (1,)
    using a2d = a.cast('B', [1, 1]);
    expect(m.count(a2d)).toBe(0);
    // int items: memoryview(b'ab').count(memoryview(b'a')) == 0
    expect(ab.count(a)).toBe(0);
    expect(errorOf(() => ab.index(a))).toEqual(['ValueError', 'memoryview.index(x): x not found']);
    // a released memoryview equals only itself
    const released = MemoryView.fromObject(new Bytes([97]));
    released.release();
    expect(m.count(released)).toBe(0);
  });
  it.each([
    [[1, 2, 3, 2], 2, undefined, undefined, 1],
    [[1, 2, 3, 2], 2, 2, undefined, 3],
    [[1, 2, 3, 2], 2, -1, undefined, 3],
    [[1, 2, 3, 2], 1, -100, 100, 0],
    [[1, 2, 3, 2], 2, 2n ** 70n, undefined, 'not found'],
    [[1, 2, 3, 2], 3, 0, -1, 2],
    [[1, 2, 3, 2], 2, 3, 1, 'not found'],
  ] as const)('index of %j (value %s, start %s, stop %s) is %s', (data, value, start, stop, out) => {
    const m = mv([...data]);
    if (out === 'not found') {
      expect(errorOf(() => m.index(value, start, stop))).toEqual(['ValueError', 'memoryview.index(x): x not found']);
    } else {
      expect(m.index(value, start, stop)).toBe(out);
    }
  });
  it.each([
    [
      'count on a 0-dim view',
      (): unknown => nd([1], [], 'i').count(1),
      ['TypeError', 'invalid indexing of 0-dim memory'],
    ],
    [
      'count on a 2-D view',
      (): unknown => nd([1, 2], [1, 2]).count(1),
      ['NotImplementedError', 'multi-dimensional sub-views are not implemented'],
    ],
    [
      'index on a 0-dim view',
      (): unknown => nd([1], [], 'i').index(1),
      ['TypeError', 'invalid lookup on 0-dim memory'],
    ],
    [
      'index on a 2-D view',
      (): unknown => nd([1, 2], [1, 2]).index(1),
      ['NotImplementedError', 'multi-dimensional lookup is not implemented'],
    ],
    [
      'index with a float start',
      (): unknown => mv([1]).index(1, 0.5 as never),
      ['TypeError', 'slice indices must be integers or have an __index__ method'],
    ],
    [
      'index with a multi-character format',
      (): unknown => nd([1], [1], '<i').index(1),
      ['NotImplementedError', 'memoryview: unsupported format <i'],
    ],
  ] as const)("raises CPython's error for %s", (_name, fn, err) => {
    expect(errorOf(fn)).toEqual(err);
  });
  it("count and index compare a 'c' item with a Bytes or ByteArray by content, as bytes == bytes or bytearray", () => {
    // memoryview(bytearray([5, 5, 7])).cast('c').count(b'\x05') is 2, .count(bytearray(b'\x05')) 2,
    // .index(b'\x07') 2, .index(bytearray(b'\x07')) 2
    const c = keep(mv([5, 5, 7]).cast('c'));
    using five = new Bytes([5]);
    using fiveArray = new ByteArray([5]);
    using seven = new Bytes([7]);
    using sevenArray = new ByteArray([7]);
    expect([c.count(five), c.count(fiveArray), c.index(seven), c.index(sevenArray)]).toEqual([2, 2, 2, 2]);
    expect(c.count(new Uint8Array([5, 5]))).toBe(0);
  });
  it('index over an empty range does not look at the format', () => {
    expect(errorOf(() => nd([1], [1], '<i').index(1, 1))).toEqual(['ValueError', 'memoryview.index(x): x not found']);
  });
});

describe('equals(other): memory_richcompare', () => {
  it.each([
    [
      'the same bytes in any layout',
      () => nd([1, 2, 3, 4], [2, 2]),
      () => nd([1, 3, 2, 4], [2, 2], 'B', ND.FORTRAN),
      true,
    ],
    ['a PIL view and a C view', () => nd([1, 2, 3, 4], [2, 2], 'B', ND.PIL), () => nd([1, 2, 3, 4], [2, 2]), true],
    ["'<i' and 'i'", () => nd([1, -2], [2], '<i'), () => nd([1, -2], [2], 'i'), true],
    ["'b' -1 and 'B' 255", () => nd([-1], [1], 'b'), () => nd([255], [1], 'B'), false],
    ["'B' 97 and 'c' b'a'", () => nd([97], [1], 'B'), () => nd([new Uint8Array([97])], [1], 'c'), false],
    ["'d' and 'e' with equal values", () => nd([1.5, -0], [2], 'd'), () => nd([1.5, 0], [2], 'e'), true],
    ['NaN and NaN', () => nd([Number.NaN], [1], 'd'), () => nd([Number.NaN], [1], 'd'), false],
    ['shapes that differ after a zero', () => nd([1], [0, 2]), () => nd([1], [0, 3]), true],
    ['shapes that differ before a zero', () => nd([1], [1, 0]), () => nd([1], [2, 0]), false],
    ['different ndim', () => nd([1, 2], [2]), () => nd([1, 2], [1, 2]), false],
    ['struct tuples', () => nd([[1, 2]], [1], 'hb'), () => nd([[1, 2]], [1], '<hb'), true],
    ['0-dim views', () => nd([3], [], 'h'), () => nd([3], [], 'q'), true],
  ] as const)('compares %s', (_name, a, b, out) => {
    expect(a().equals(b())).toBe(out);
  });
  it('compares with any exporter, and is false for non-exporters', () => {
    const b = new Bytes([1, 2]);
    expect(mv([1, 2]).equals(b)).toBe(true);
    b.dispose();
    expect(mv([1, 2]).equals([1, 2])).toBe(false);
    expect(mv([1, 2]).equals(null)).toBe(false);
    const failing = keep(new NDArray([1], { shape: [1], flags: ND.GETBUF_FAIL }));
    expect(mv([1]).equals(failing)).toBe(false);
  });

  it("compares views exported without PyBUF_FORMAT ('B' of a wider itemsize) by their first byte, as unpack_cmp", () => {
    // Pyodide 314.0.7: m = memoryview._from_flags(ndarray([1, 257, 513, 2], shape=[4],
    // format='i'), PyBUF_STRIDES) is format 'B', itemsize 4, tolist() [1, 1, 1, 2]; m == m[::-1],
    // m[:2] == m[2:] are False, m[1:3] == m[:2] and m == b'\x01\x01\x01\x02' True; the 'h'
    // arrays [1, 2] and [257, 258] exported that way compare equal
    const m = keep(
      MemoryView.fromObjectAndFlags(keep(new NDArray([1, 257, 513, 2], { shape: [4], format: 'i' })), PyBUF.STRIDES),
    );
    expect([m.format, m.itemsize, m.tolist()]).toEqual(['B', 4, [1, 1, 1, 2]]);
    const part = (start: number | null, stop: number | null, step: number | null = null): View =>
      keep(m.get(slice(start, stop, step)));
    const bytes = new Bytes([1, 1, 1, 2]);
    expect([
      m.equals(part(null, null, -1)),
      part(null, 2).equals(part(2, null)),
      part(1, 3).equals(part(null, 2)),
      m.equals(bytes),
    ]).toEqual([false, false, true, true]);
    bytes.dispose();
    const h = (items: number[]): View =>
      keep(MemoryView.fromObjectAndFlags(keep(new NDArray(items, { shape: [2], format: 'h' })), PyBUF.STRIDES));
    expect(h([1, 2]).equals(h([257, 258]))).toBe(true);
  });
});

describe('hash()', () => {
  it('equals the hash of the bytes: hash(b"abc") of wasm32 CPython (FNV) with PYTHONHASHSEED=0', () => {
    const m = mv([97, 98, 99], false);
    expect(m.hash()).toBe(-1600925533);
    expect(pyHashBytes32(new Uint8Array([97, 98, 99]))).toBe(m.hash());
    expect(mv([], false).hash()).toBe(0);
  });
  it('hash64() is the hash of 64-bit CPython (SipHash-1-3) with PYTHONHASHSEED=0', () => {
    const m = mv([97, 98, 99], false);
    expect(m.hash64()).toBe(-4594863902769663758n);
    expect(pyHashBytes64(new Uint8Array([97, 98, 99]))).toBe(-4594863902769663758n);
    expect(mv([], false).hash64()).toBe(0n);
  });
  it('keeps both hashes after release, and refuses a first hash of a released view', () => {
    const m = mv([1, 2, 3], false);
    const h = m.hash();
    const h64 = m.hash64();
    m.release();
    expect(m.hash()).toBe(h);
    expect(m.hash64()).toBe(h64);
    const r = mv([1, 2, 3], false);
    r.release();
    expect(() => r.hash()).toThrow(ValueError);
    expect(() => r.hash64()).toThrow('operation forbidden on released memoryview object');
  });
  it('maps a hash of -1 to -2 (b"\\x00\\x95e~\\xfa" under FNV)', () => {
    expect(mv([0, 149, 101, 126, 250], false).hash()).toBe(-2);
  });
  it('hashes non-contiguous views by their C-order bytes, formats b and c too', () => {
    const m = mv([1, 2, 3, 4, 5], false);
    const s = keep(m.get(slice(null, null, -2)) as View);
    expect(s.hash()).toBe(pyHashBytes32(new Uint8Array([5, 3, 1])));
    expect(keep(m.cast('c')).hash()).toBe(m.hash());
    expect(keep(m.cast('b')).hash()).toBe(m.hash());
  });
  it.each([
    ['a writable view', () => mv([1]), ['ValueError', 'cannot hash writable memoryview object']],
    [
      'format h',
      () => keep(mv([1, 2], false).cast('h')),
      ['ValueError', "memoryview: hashing is restricted to formats 'B', 'b' or 'c'"],
    ],
    ['a bytearray', () => keep(mv([1]).toreadonly()), ['TypeError', "unhashable type: 'bytearray'"]],
  ] as const)('refuses %s', (_name, make, err) => {
    expect(errorOf(() => make().hash())).toEqual(err);
  });
  it('refuses a view of a TypedArray as CPython refuses one of an array.array', () => {
    // Pyodide 314.0.7: hash(memoryview(array.array(code, [1])).toreadonly().cast('B')) raises
    // TypeError "unhashable type: 'array.array'" for every typecode
    const p = capi.PyMem_Malloc(8);
    try {
      for (const Ctor of [
        Int8Array,
        Uint8Array,
        Int16Array,
        Uint16Array,
        Int32Array,
        Uint32Array,
        Float32Array,
        Float64Array,
      ]) {
        const base = MemoryView.fromObject(new Ctor(runtimeMemory().buffer, p, 1));
        const readonly = base.toreadonly();
        const m = readonly.cast('B');
        expect(errorOf(() => m.hash())).toEqual(['TypeError', "unhashable type: 'array.array'"]);
        for (const v of [m, readonly, base]) v.release();
      }
    } finally {
      capi.PyMem_Free(p);
    }
  });
});

describe('errors of the JS value conventions', () => {
  it('uses the Python exception classes', () => {
    expect(() => mv([1]).get(5)).toThrow(IndexError);
    expect(() => mv([1]).set(0, 256)).toThrow(ValueError);
    expect(() => nd([1, 2], [1, 2]).get(0)).toThrow(NotImplementedError);
    expect(() => mv(8, false).cast('B', [2n ** 40n])).toThrow(OverflowError);
  });
});
