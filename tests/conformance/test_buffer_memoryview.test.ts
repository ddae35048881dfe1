// CPython's Lib/test/test_buffer.py (3.13), class TestBufferProtocol, part 2: the
// test_memoryview_* methods and the rest of the class (plus the test_bytearray_* and
// test_flags_overflow methods added since 3.13). One `it` per CPython test method, under its name and in its order.
// array.array is played by TypedArrays over the runtime's memory (typedArray in helpers.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BufferError,
  ByteArray,
  Bytes,
  Ellipsis,
  IndexError,
  MemoryView,
  ND,
  NDArray,
  NotImplementedError,
  OverflowError,
  PyBUF,
  PySlice,
  StructError,
  SystemError,
  ValueError,
  capi,
  init,
  readMemory,
  slice,
  struct,
  testbuffer,
  type CastFormat,
} from '../../src/index.js';
import { pyHashBytes32 } from '../../src/pyhash.js';
import { wasm } from '../../src/wasm/instance.js';
import {
  assertEq,
  assertMvEq,
  assertMvNe,
  contains,
  errorClass,
  len,
  memoryview,
  ndarray,
  raises,
  reserveMemory,
  typedArray,
  using,
  verify,
} from './helpers.js';
import {
  NON_BYTE_FORMAT,
  carray,
  cast_items,
  farray,
  fmtdict,
  gencastshapes,
  genslices,
  getSlice,
  is_byte_format,
  is_memoryview_format,
  iter_format,
  prod,
  randint,
  randitems,
  setSlice,
  strides_from_shape,
  transpose,
  tuple,
  withSeeds,
  type PyValue,
} from './randomized.js';

const { get_contiguous, staticarray } = testbuffer;
const S = (a: number | null, b: number | null, c: number | null = null): PySlice => slice(a, b, c);
const range = (a: number, b?: number): number[] =>
  b === undefined ? Array.from({ length: a }, (_, i) => i) : Array.from({ length: b - a }, (_, i) => a + i);
const b_ = (s: string): Bytes => new Bytes(s);
const mvget = (m: MemoryView, k: Parameters<MemoryView['get']>[0]): MemoryView => m.get(k) as MemoryView;
const ndget = (n: NDArray, k: Parameters<NDArray['get']>[0]): NDArray => n.get(k) as NDArray;
/** The formats array.array has that a TypedArray can play ('e' needs Float16Array). */
const HAS_TYPED = (fmt: string): boolean => 'bBhHiIlLqQfd'.includes(fmt);
/** array.array's tolist() for a TypedArray stand-in. */
const alist = (a: ArrayLike<number | bigint>): PyValue[] => Array.from(a as ArrayLike<number>);

beforeAll(async () => {
  await init();
  reserveMemory();
});

describe('TestBufferProtocol (memoryview)', () => {
  it('test_memoryview_construction', () => {
    const items_shape: Array<[PyValue, number[]]> = [
      [9, []],
      [[1, 2, 3], [3]],
      [range(2 * 3 * 5), [2, 3, 5]],
    ];

    // NumPy style, C-contiguous:
    for (const [items, shape] of items_shape) {
      const ex = ndarray(items, { shape });
      let m = memoryview(ex);
      expect(m.c_contiguous).toBe(true);
      expect(m.contiguous).toBe(true);
      const ndim = shape.length;
      const strides = strides_from_shape(ndim, shape, 1, 'C');
      let lst = carray(items, shape);
      verify(m, { obj: ex, itemsize: 1, fmt: 'B', readonly: true, ndim, shape, strides, lst });
      // From memoryview:
      const m2 = memoryview(m);
      verify(m2, { obj: ex, itemsize: 1, fmt: 'B', readonly: true, ndim, shape, strides, lst });
      // PyMemoryView_FromBuffer(): no strides
      let nd = ndarray(ex, { getbuf: PyBUF.CONTIG_RO | PyBUF.FORMAT });
      expect(nd.strides).toEqual([]);
      m = nd.memoryview_from_buffer();
      verify(m, { obj: null, itemsize: 1, fmt: 'B', readonly: true, ndim, shape, strides, lst });
      // PyMemoryView_FromBuffer(): no format, shape, strides
      nd = ndarray(ex, { getbuf: PyBUF.SIMPLE });
      expect(nd.format).toBe('');
      expect(nd.shape).toEqual([]);
      expect(nd.strides).toEqual([]);
      m = nd.memoryview_from_buffer();
      lst = ndim === 0 ? [items] : items;
      verify(m, { obj: null, itemsize: 1, fmt: 'B', readonly: true, ndim: 1, shape: [ex.nbytes], strides: [1], lst });
    }

    // NumPy style, Fortran contiguous:
    for (const [items, shape] of items_shape) {
      const ex = ndarray(items, { shape, flags: ND.FORTRAN });
      const m = memoryview(ex);
      expect(m.f_contiguous).toBe(true);
      expect(m.contiguous).toBe(true);
      const ndim = shape.length;
      const strides = strides_from_shape(ndim, shape, 1, 'F');
      const lst = farray(items, shape);
      verify(m, { obj: ex, itemsize: 1, fmt: 'B', readonly: true, ndim, shape, strides, lst });
      const m2 = memoryview(m);
      verify(m2, { obj: ex, itemsize: 1, fmt: 'B', readonly: true, ndim, shape, strides, lst });
    }

    // PIL style:
    for (const [items, shape] of items_shape.slice(1)) {
      const ex = ndarray(items, { shape, flags: ND.PIL });
      const m = memoryview(ex);
      const ndim = shape.length;
      const lst = carray(items, shape);
      verify(m, { obj: ex, itemsize: 1, fmt: 'B', readonly: true, ndim, shape, strides: ex.strides, lst });
      const m2 = memoryview(m);
      verify(m2, { obj: ex, itemsize: 1, fmt: 'B', readonly: true, ndim, shape, strides: ex.strides, lst });
    }

    // (Invalid number of arguments, memoryview(b'9', 'x'): not applicable, see docs/conformance.md)
    // Not a buffer provider:
    raises(TypeError, () => memoryview({}));
    // Non-compliant buffer provider:
    const ex = ndarray([1, 2, 3], { shape: [3] });
    let nd = ndarray(ex, { getbuf: PyBUF.SIMPLE });
    raises(BufferError, () => memoryview(nd));
    nd = ndarray(ex, { getbuf: PyBUF.CONTIG_RO | PyBUF.FORMAT });
    raises(BufferError, () => memoryview(nd));

    // ndim > 64
    nd = ndarray(new Array(128).fill(1), { shape: new Array(128).fill(1), format: 'L' });
    raises(ValueError, () => memoryview(nd));
    raises(ValueError, () => nd.memoryview_from_buffer());
    raises(ValueError, () => get_contiguous(nd, PyBUF.READ, 'C'));
    raises(ValueError, () => get_contiguous(nd, PyBUF.READ, 'F'));
    raises(ValueError, () => get_contiguous(ndget(nd, S(null, null, -1)), PyBUF.READ, 'C'));
  });

  it('test_memoryview_cast_zero_shape', () =>
    withSeeds(() => {
      const items = [1, 2, 3];
      for (const shape of [
        [0, 3, 3],
        [3, 0, 3],
        [0, 3, 3],
      ]) {
        const ex = ndarray(items, { shape });
        expect(ex.c_contiguous).toBe(true);
        const msrc = memoryview(ex);
        raises(TypeError, () => msrc.cast('c'));
      }
      // Monodimensional empty view can be cast (issue #19014).
      for (const [fmt] of iter_format(1, 'memoryview')) {
        const msrc = memoryview(new Bytes(0));
        const m = msrc.cast(fmt as CastFormat);
        assertEq(m.tobytes(), new Uint8Array(0));
        assertEq(m.tolist(), []);
      }
    }));

  it('test_memoryview_struct_module', () =>
    withSeeds(() => {
      const f = (): number => 7;
      // Python's values, as JS has them: INT(9) (only __int__) is a plain object, () and (9,) arrays,
      // b'a' and bytearray(b'a') Uint8Arrays; IDX, complex, Decimal and Fraction have no JS counterpart.
      const values: unknown[] = [
        { val: 9 },
        12.2,
        [1, 2, 3],
        new Set([4, 5, 6]),
        new Map([[7, 8]]),
        tuple([]),
        tuple([9]),
        true,
        false,
        null,
        Ellipsis,
        new Uint8Array([97]),
        new Uint8Array([97, 98, 99]),
        'a',
        'abc',
        f,
        (x: unknown) => x,
      ];
      const packInto = (fmt: string, nd: NDArray, offset: number, v: unknown): void => {
        const view = capi.PyObject_GetBuffer(nd, PyBUF.WRITABLE);
        try {
          struct.packInto(fmt, new DataView(wasm().memory.buffer, view.buf, view.len), offset, v);
        } finally {
          capi.PyBuffer_Release(view);
        }
      };
      for (const [fmt, items, item] of iter_format(10, 'memoryview')) {
        const ex = ndarray(items, { shape: [10], format: fmt, flags: ND.WRITABLE });
        const nd = ndarray(items, { shape: [10], format: fmt, flags: ND.WRITABLE });
        const m = memoryview(ex);
        packInto(fmt, nd, 0, item);
        m.set(0, item);
        assertEq(m.get(0), nd.get(0));

        const itemsize = struct.calcsize(fmt);
        if (fmt.includes('P')) continue;
        for (const v of values) {
          let struct_err: string | null = null;
          try {
            packInto(fmt, nd, itemsize, v);
          } catch (e) {
            if (!(e instanceof StructError)) {
              throw new Error(`struct.pack_into(${fmt}, ${String(v)}) raised ${(e as Error).name}`, { cause: e });
            }
            struct_err = 'struct.error';
          }
          let mv_err: string | null = null;
          try {
            m.set(1, v);
          } catch (e) {
            if (!(e instanceof TypeError || e instanceof ValueError)) throw e;
            mv_err = (e as Error).name;
          }
          if (struct_err || mv_err) {
            expect(struct_err, `struct ${fmt} ${String(v)}`).not.toBeNull();
            expect(mv_err, `memoryview ${fmt} ${String(v)}`).not.toBeNull();
          } else {
            assertEq(m.get(1), nd.get(1));
          }
        }
      }
    }));

  it('test_memoryview_cast_zero_strides', () => {
    const ex = ndarray([1, 2, 3], { shape: [3], strides: [0] });
    expect(ex.c_contiguous).toBe(false);
    const msrc = memoryview(ex);
    raises(TypeError, () => msrc.cast('c'));
  });

  it('test_memoryview_cast_invalid', () =>
    withSeeds(() => {
      // invalid format
      let dsize = 0;
      for (const sfmt of NON_BYTE_FORMAT) {
        const sformat = randint(2) ? `@${sfmt}` : sfmt;
        const ssize = struct.calcsize(sformat);
        for (const dfmt of NON_BYTE_FORMAT) {
          const dformat = randint(2) ? `@${dfmt}` : dfmt;
          dsize = struct.calcsize(dformat);
          const ex = ndarray(range(32), { shape: [Math.floor(32 / ssize)], format: sformat });
          const msrc = memoryview(ex);
          raises(TypeError, () => msrc.cast(dfmt as CastFormat, [Math.floor(32 / dsize)]));
        }
      }
      for (const [sfmt, sitems] of iter_format(1)) {
        const ex = ndarray(sitems, { shape: [1], format: sfmt });
        const msrc = memoryview(ex);
        for (const [dfmt] of iter_format(1)) {
          if (!is_memoryview_format(dfmt)) {
            raises(ValueError, () => msrc.cast(dfmt as CastFormat, [Math.floor(32 / dsize)]));
          } else if (!is_byte_format(sfmt) && !is_byte_format(dfmt)) {
            raises(TypeError, () => msrc.cast(dfmt as CastFormat, [Math.floor(32 / dsize)]));
          }
        }
      }

      // invalid shape
      const size_h = struct.calcsize('h');
      const size_d = struct.calcsize('d');
      let ex = ndarray(range(2 * 2 * size_d), { shape: [2, 2, size_d], format: 'h' });
      let msrc = memoryview(ex);
      raises(TypeError, () => msrc.cast('d', [2, 2, size_h]));

      ex = ndarray(range(120), { shape: [1, 2, 3, 4, 5] });
      let m = memoryview(ex);
      const cast = m.cast.bind(m) as unknown as (...args: unknown[]) => MemoryView;
      // incorrect number of args: m.cast() (m.cast(1, 2, 3) is a wrong-arity call, not applicable)
      raises(TypeError, () => cast());
      // incorrect dest format type
      raises(TypeError, () => cast({}));
      // incorrect dest format
      for (const f of ['X', '@X', '@XY']) raises(ValueError, () => m.cast(f as CastFormat));
      // dest format not implemented
      for (const f of ['=B', '!L', '<P', '>l', 'BI', 'xBI']) raises(ValueError, () => m.cast(f as CastFormat));

      // src format not implemented
      ex = ndarray([tuple([1, 2]), tuple([3, 4])], { shape: [2], format: 'II' });
      m = memoryview(ex);
      raises(NotImplementedError, () => m.get(0));
      raises(NotImplementedError, () => m.set(0, 8));
      raises(NotImplementedError, () => m.tolist());

      // incorrect shape type
      ex = ndarray(range(120), { shape: [1, 2, 3, 4, 5] });
      m = memoryview(ex);
      raises(TypeError, () => m.cast('B', {} as never));

      // incorrect shape elements
      ex = ndarray(range(120), { shape: [2 * 3 * 4 * 5] });
      m = memoryview(ex);
      raises(OverflowError, () => m.cast('B', [2n ** 64n]));
      raises(ValueError, () => m.cast('B', [-1]));
      raises(ValueError, () => m.cast('B', [2, 3, 4, 5, 6, 7, -1]));
      raises(ValueError, () => m.cast('B', [2, 3, 4, 5, 6, 7, 0]));
      raises(TypeError, () => m.cast('B', [2, 3, 4, 5, 6, 7, 'x'] as never));

      // N-D -> N-D cast
      ex = ndarray(new Array(3 * 5 * 7 * 11).fill(9), { shape: [3, 5, 7, 11] });
      m = memoryview(ex);
      raises(TypeError, () => m.cast('I', [2, 3, 4, 5]));

      // cast with ndim > 64
      let nd = ndarray(range(128), { shape: [128], format: 'I' });
      m = memoryview(nd);
      raises(ValueError, () => m.cast('I', new Array(128).fill(1)));

      // view->len not a multiple of itemsize
      ex = ndarray(new Array(3 * 5 * 7 * 11).fill(9), { shape: [3 * 5 * 7 * 11] });
      m = memoryview(ex);
      raises(TypeError, () => m.cast('I', [2, 3, 4, 5]));

      // product(shape) * itemsize != buffer size
      ex = ndarray(new Array(3 * 5 * 7 * 11).fill(9), { shape: [3 * 5 * 7 * 11] });
      m = memoryview(ex);
      raises(TypeError, () => m.cast('B', [2, 3, 4, 5]));

      // product(shape) * itemsize overflow (wasm32: sys.maxsize == 2**31-1, CPython's else branch)
      nd = ndarray(range(128), { shape: [128], format: 'I' });
      const m1 = memoryview(nd);
      nd = ndarray(range(128), { shape: [128], format: 'B' });
      const m2 = memoryview(nd);
      raises(TypeError, () => m1.cast('B', [1, 2147483647]));
      raises(ValueError, () => m1.cast('B', [2 ** 10, 2 ** 10, 2 ** 5, 2 ** 5, 2 ** 1]));
      raises(ValueError, () => m2.cast('I', [2 ** 10, 2 ** 10, 2 ** 5, 2 ** 3, 2 ** 1]));
      msrc = m2;
    }));

  it('test_memoryview_cast', () =>
    withSeeds(() => {
      const bytespec: Array<[string, (ex: { tobytes(): Uint8Array }) => PyValue[]]> = [
        ['B', (ex) => Array.from(ex.tobytes())],
        ['b', (ex) => Array.from(ex.tobytes(), (x) => (x > 127 ? x - 256 : x))],
        ['c', (ex) => Array.from(ex.tobytes(), (x) => new Uint8Array([x]))],
      ];
      const tobytesOf = (ex: unknown): { tobytes(): Uint8Array } =>
        ex instanceof NDArray ? ex : { tobytes: () => memoryview(ex).tobytes() };
      const tolistOf = (ex: unknown): PyValue =>
        ex instanceof NDArray ? (ex.tolist() as PyValue) : alist(ex as Int8Array);

      const iter_roundtrip = (ex: object, m: MemoryView, fmt: string): void => {
        const srcsize = struct.calcsize(fmt);
        for (const [bytefmt, to_bytelist] of bytespec) {
          const m2 = m.cast(bytefmt as CastFormat);
          let lst = to_bytelist(tobytesOf(ex));
          verify(m2, {
            obj: ex,
            itemsize: 1,
            fmt: bytefmt,
            readonly: false,
            ndim: 1,
            shape: [31 * srcsize],
            strides: [1],
            lst,
            cast: true,
          });
          const m3 = m2.cast(fmt as CastFormat);
          assertMvEq(m3, ex);
          lst = tolistOf(ex) as PyValue[];
          verify(m3, {
            obj: ex,
            itemsize: srcsize,
            fmt,
            readonly: false,
            ndim: 1,
            shape: [31],
            strides: [srcsize],
            lst,
            cast: true,
          });
        }
      };

      // cast from ndim = 0 to ndim = 1
      let ex = ndarray(9, { shape: [], format: 'I' });
      let [destitems, destshape] = cast_items(ex, 'B', 1);
      let m = memoryview(ex);
      let m2 = m.cast('B');
      verify(m2, {
        obj: ex,
        itemsize: 1,
        fmt: 'B',
        readonly: true,
        ndim: 1,
        shape: destshape!,
        strides: [1],
        lst: destitems as PyValue,
        cast: true,
      });

      // cast from ndim = 1 to ndim = 0
      const destsize = struct.calcsize('I');
      ex = ndarray(new Array(destsize).fill(9), { shape: [destsize], format: 'B' });
      [destitems] = cast_items(ex, 'I', destsize, []);
      m = memoryview(ex);
      m2 = m.cast('I', []);
      verify(m2, {
        obj: ex,
        itemsize: destsize,
        fmt: 'I',
        readonly: true,
        ndim: 0,
        shape: [],
        strides: [],
        lst: destitems as PyValue,
        cast: true,
      });

      // array.array: roundtrip to/from bytes
      for (const [fmt, items] of iter_format(31, 'array')) {
        if (!HAS_TYPED(fmt)) continue; // array('e'): no Float16Array in this engine
        const a = typedArray(fmt, items as unknown[]);
        iter_roundtrip(a, memoryview(a), fmt);
      }

      // ndarray: roundtrip to/from bytes
      for (const [fmt, items] of iter_format(31, 'memoryview')) {
        const e = ndarray(items, { shape: [31], format: fmt, flags: ND.WRITABLE });
        iter_roundtrip(e, memoryview(e), fmt);
      }
    }));

  it('test_memoryview_cast_1D_ND', () =>
    withSeeds(() => {
      for (const _tshape of gencastshapes()) {
        for (const char of Object.keys(fmtdict['@'])) {
          // Casts to _Bool are undefined if the source contains values other than 0 or 1.
          if (char === '?') continue;
          const tfmt = (randint(2) ? '@' : '') + char;
          const tsize = struct.calcsize(tfmt);
          const n = prod(_tshape) * tsize;
          const obj = is_byte_format(tfmt) ? 'memoryview' : 'bytefmt';
          for (const [fmt, items] of iter_format(n, obj)) {
            const size = struct.calcsize(fmt);
            const shape = n > 0 ? [n] : [];
            const ex = ndarray(items, { shape, format: fmt });
            const m = memoryview(ex);
            const [titems, tshape] = cast_items(ex, tfmt, tsize, [..._tshape, size]);
            if (titems === null) {
              raises(TypeError, () => m.cast(tfmt as CastFormat, tshape!));
              continue;
            }
            if (titems === 'nan') continue; // NaNs in lists are a recipe for trouble.

            // 1D -> ND
            const nd = ndarray(titems, { shape: tshape!, format: tfmt });
            const m2 = m.cast(tfmt as CastFormat, tshape!);
            verify(m2, {
              obj: ex,
              itemsize: tsize,
              fmt: tfmt,
              readonly: true,
              ndim: tshape!.length,
              shape: tshape!,
              strides: nd.strides,
              lst: nd.tolist() as PyValue,
              cast: true,
            });

            // ND -> 1D
            const m3 = m2.cast(fmt as CastFormat);
            const m4 = m2.cast(fmt as CastFormat, shape);
            const args = {
              obj: ex,
              itemsize: size,
              fmt,
              readonly: true,
              ndim: shape.length,
              shape,
              strides: ex.strides,
              lst: ex.tolist() as PyValue,
              cast: true,
            };
            verify(m3, args);
            verify(m4, args);
          }
        }
      }
      // (the ctypes BEPoint and c_double casts are not applicable, see docs/conformance.md)
    }));

  it('test_memoryview_tolist', () => {
    let a = typedArray('h', range(-6, 6));
    let m = memoryview(a);
    assertMvEq(m, a);
    assertEq(m.tolist(), alist(a));

    a = typedArray('h', getSlice(alist(a), S(2, null, 3)));
    m = mvget(m, S(2, null, 3));
    assertMvEq(m, a);
    assertEq(m.tolist(), alist(a));

    let ex = ndarray(range(2 * 3 * 5 * 7 * 11), { shape: [11, 2, 7, 3, 5], format: 'L' });
    m = memoryview(ex);
    assertEq(m.tolist(), ex.tolist());

    ex = ndarray([tuple([2, 5]), tuple([7, 11])], { shape: [2], format: 'lh' });
    m = memoryview(ex);
    raises(NotImplementedError, () => m.tolist());

    ex = ndarray([new TextEncoder().encode('12345')], { shape: [1], format: 's' });
    m = memoryview(ex);
    raises(NotImplementedError, () => m.tolist());

    ex = ndarray(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((c) => new TextEncoder().encode(c)),
      { shape: [2, 3], format: 's' },
    );
    m = memoryview(ex);
    raises(NotImplementedError, () => m.tolist());
  });

  it('test_memoryview_repr', () => {
    const m = memoryview(new ByteArray(9));
    expect(String(m).startsWith('<memory')).toBe(true);
    m.release();
    expect(String(m).startsWith('<released')).toBe(true);
  });

  it('test_memoryview_sequence', () => {
    for (const fmt of ['d', 'f']) {
      const ex = typedArray(fmt, [1.0, Infinity, 3.0]);
      const m = memoryview(ex);
      expect(contains(m, 1.0)).toBe(true);
      // eslint-disable-next-line no-loss-of-precision -- CPython's test writes 5e700 (inf)
      expect(contains(m, 5e700)).toBe(true);
      expect(contains(m, 3.0)).toBe(true);
    }
    const ex = ndarray(9.0, { shape: [], format: 'f' });
    const m = memoryview(ex);
    raises(TypeError, () => contains(m, 9.0));
  });

  const assert_out_of_bounds_error = (dim: number, fn: () => unknown): void => {
    raises(IndexError, fn, `index out of bounds on dimension ${dim}`);
  };

  it('test_memoryview_index', () => {
    // ndim = 0
    let ex = ndarray(12.5, { shape: [], format: 'd' });
    let m = memoryview(ex);
    assertEq(m.get([]), 12.5);
    assertMvEq(m.get(Ellipsis), m);
    assertMvEq(m.get(Ellipsis), ex);
    raises(TypeError, () => m.get(0));

    ex = ndarray(tuple([1, 2, 3]), { shape: [], format: 'iii' });
    m = memoryview(ex);
    raises(NotImplementedError, () => m.get([]));

    // range
    ex = ndarray(range(7), { shape: [7], flags: ND.WRITABLE });
    m = memoryview(ex);
    raises(IndexError, () => m.get(2n ** 64n));
    // m[2.0] and m[0.0]: JS has no float 2.0 distinct from 2, so the float keys are 2.5 and 0.5
    raises(TypeError, () => m.get(2.5 as never));
    raises(TypeError, () => m.get(0.5 as never));
    // out of bounds
    raises(IndexError, () => m.get(-8));
    raises(IndexError, () => m.get(8));

    // multi-dimensional
    ex = ndarray(range(12), { shape: [3, 4], flags: ND.WRITABLE });
    m = memoryview(ex);
    assertEq(m.get([0, 0]), 0);
    assertEq(m.get([2, 0]), 8);
    assertEq(m.get([2, 3]), 11);
    assertEq(m.get([-1, -1]), 11);
    assertEq(m.get([-3, -4]), 0);
    // out of bounds
    for (const index of [3, -4]) assert_out_of_bounds_error(1, () => m.get([index, 0]));
    for (const index of [4, -5]) assert_out_of_bounds_error(2, () => m.get([0, index]));
    raises(IndexError, () => m.get([2n ** 64n, 0]));
    raises(IndexError, () => m.get([0, 2n ** 64n]));
    raises(TypeError, () => m.get([0, 0, 0]));
    raises(TypeError, () => m.get([0.5, 0.5] as never));
    // Not implemented: multidimensional sub-views
    raises(NotImplementedError, () => m.get([]));
    raises(NotImplementedError, () => m.get(0));
  });

  it('test_memoryview_assign', () =>
    withSeeds(() => {
      // ndim = 0
      let ex = ndarray(12.5, { shape: [], format: 'f', flags: ND.WRITABLE });
      let m = memoryview(ex);
      m.set([], 22.5);
      assertEq(m.get([]), 22.5);
      m.set(Ellipsis, 23.5);
      assertEq(m.get([]), 23.5);
      raises(TypeError, () => m.set(0, 24.7));

      // read-only
      ex = ndarray(range(7), { shape: [7] });
      m = memoryview(ex);
      raises(TypeError, () => m.set(2, 10));

      // range
      ex = ndarray(range(7), { shape: [7], flags: ND.WRITABLE });
      m = memoryview(ex);
      raises(IndexError, () => m.set(2n ** 64n, 9));
      raises(TypeError, () => m.set(2.5 as never, 10));
      raises(TypeError, () => m.set(0.5 as never, 11));
      // out of bounds
      raises(IndexError, () => m.set(-8, 20));
      raises(IndexError, () => m.set(8, 25));

      // pack_single() success:
      for (const fmt of Object.keys(fmtdict['@'])) {
        if (fmt === 'c' || fmt === '?') continue;
        const e = ndarray([1, 2, 3], { shape: [3], format: fmt, flags: ND.WRITABLE });
        const mm = memoryview(e);
        const i = randint(-3, 3);
        mm.set(i, 8);
        assertEq(mm.get(i), 8);
        assertEq(mm.get(i), e.get(i));
      }

      ex = ndarray([b1('1'), b1('2'), b1('3')], { shape: [3], format: 'c', flags: ND.WRITABLE });
      m = memoryview(ex);
      m.set(2, b1('9'));
      assertEq(m.get(2), b1('9'));

      ex = ndarray([true, false, true], { shape: [3], format: '?', flags: ND.WRITABLE });
      m = memoryview(ex);
      m.set(1, true);
      expect(m.get(1)).toBe(true);

      // pack_single() exceptions:
      const nd = ndarray([b1('x')], { shape: [1], format: 'c', flags: ND.WRITABLE });
      m = memoryview(nd);
      raises(TypeError, () => m.set(0, 100));

      ex = ndarray(range(120), { shape: [1, 2, 3, 4, 5], flags: ND.WRITABLE });
      const m1 = memoryview(ex);
      for (const [fmt, _range] of Object.entries(fmtdict['@'])) {
        if (fmt === '?') continue; // PyObject_IsTrue() accepts anything
        if (fmt === 'c') continue; // special case tested above
        const m2 = m1.cast(fmt as CastFormat);
        let [lo, hi] = _range.map(BigInt);
        if (fmt === 'd' || fmt === 'f') {
          lo = -(2n ** 1024n);
          hi = 2n ** 1024n;
        }
        if (fmt !== 'P') {
          // PyLong_AsVoidPtr() accepts negative numbers
          raises(ValueError, () => m2.set(0, lo - 1n));
          raises(TypeError, () => m2.set(0, 'xyz'));
        }
        raises(ValueError, () => m2.set(0, hi));
      }

      // invalid item
      const m2 = m1.cast('c');
      raises(ValueError, () => m2.set(0, new Uint8Array([0xff, 0xff])));

      // format not implemented
      ex = ndarray([0], { shape: [1], format: 'xL', flags: ND.WRITABLE });
      m = memoryview(ex);
      raises(NotImplementedError, () => m.set(0, 1));
      ex = ndarray([new TextEncoder().encode('12345')], { shape: [1], format: 's', flags: ND.WRITABLE });
      m = memoryview(ex);
      raises(NotImplementedError, () => m.set(0, 1));

      // multi-dimensional
      ex = ndarray(range(12), { shape: [3, 4], flags: ND.WRITABLE });
      m = memoryview(ex);
      m.set([0, 1], 42);
      assertEq((ex.get(0) as NDArray).get(1), 42);
      m.set([-1, -1], 43);
      assertEq((ex.get(2) as NDArray).get(3), 43);
      // errors
      for (const index of [3, -4]) assert_out_of_bounds_error(1, () => m.set([index, 0], 0));
      for (const index of [4, -5]) assert_out_of_bounds_error(2, () => m.set([0, index], 0));
      raises(IndexError, () => m.set([2n ** 64n, 0], 0));
      raises(IndexError, () => m.set([0, 2n ** 64n], 0));
      raises(TypeError, () => m.set([0, 0, 0], 0));
      raises(TypeError, () => m.set([0.5, 0.5] as never, 0));
      // Not implemented: multidimensional sub-views
      raises(NotImplementedError, () => m.set(0, [2, 3]));
    }));

  it('test_memoryview_slice', () => {
    let ex = ndarray(range(12), { shape: [12], flags: ND.WRITABLE });
    let m = memoryview(ex);
    // zero step
    raises(ValueError, () => m.get(S(0, 2, 0)));
    raises(ValueError, () => m.set(S(0, 2, 0), new ByteArray([1, 2])));
    // 0-dim slicing (identity function)
    raises(NotImplementedError, () => m.get([]));

    // multidimensional slices
    ex = ndarray(range(12), { shape: [12], flags: ND.WRITABLE });
    m = memoryview(ex);
    raises(NotImplementedError, () => m.get([S(0, 2, 1), S(0, 2, 1)]));
    raises(NotImplementedError, () => m.set([S(0, 2, 1), S(0, 2, 1)], new ByteArray([1, 2])));

    // invalid slice tuple
    raises(TypeError, () => m.get([S(0, 2, 1), {}] as never));
    raises(TypeError, () => m.set([S(0, 2, 1), {}] as never, new ByteArray([1, 2])));

    // rvalue is not an exporter
    raises(TypeError, () => m.set(S(0, 1, 1), [1]));

    // non-contiguous slice assignment
    for (const flags of [0, ND.PIL]) {
      const ex1 = ndarray(range(12), { shape: [12], strides: [-1], offset: 11, flags: ND.WRITABLE | flags });
      const ex2 = ndarray(range(24), { shape: [12], strides: [2], flags });
      const m1 = memoryview(ex1);
      const m2 = memoryview(ex2);

      ex1.set(S(2, 5), ex1.get(S(2, 5)));
      m1.set(S(2, 5), m2.get(S(2, 5)));
      assertMvEq(m1, ex1);
      assertMvEq(m2, ex2);

      ndget(ex1, S(1, 3)).set(S(null, null, -1), ndget(ex2, S(0, 2)).get(S(null, null, 1)));
      mvget(m1, S(1, 3)).set(S(null, null, -1), mvget(m2, S(0, 2)).get(S(null, null, 1)));
      assertMvEq(m1, ex1);
      assertMvEq(m2, ex2);

      ndget(ex1, S(4, 1, -2)).set(S(null, null, -1), ndget(ex1, S(1, 4, 2)).get(S(null, null, 1)));
      mvget(m1, S(4, 1, -2)).set(S(null, null, -1), mvget(m1, S(1, 4, 2)).get(S(null, null, 1)));
      assertMvEq(m1, ex1);
      assertMvEq(m2, ex2);
    }
  });

  it('test_memoryview_array', () =>
    withSeeds(() => {
      // a: array.array('fmt', items) as a list (its slice assignment is a list's); b: a TypedArray
      // over the runtime's memory that m views. `a == m` compares a TypedArray copy of a with m.
      const cmptest = (fmt: string, a: PyValue[], b: ArrayBufferView, m: MemoryView, singleitem: PyValue): void => {
        const arr = (): ArrayBufferView => typedArray(fmt, a as unknown[]);
        for (let i = 0; i < a.length; i++) {
          const ai = a[i];
          const mi = m.get(i);
          assertEq(ai, mi);
          a[i] = singleitem;
          if (!errorClass(() => assertEq(singleitem, ai))) {
            assertMvEq(arr(), m);
            assertEq(a, alist(b as Int8Array));
          } else {
            assertMvNe(arr(), m);
          }
          m.set(i, singleitem);
          assertMvEq(arr(), m);
          assertMvEq(b, m);
          a[i] = ai;
          m.set(i, mi);
        }
      };

      for (let n = 1; n < 5; n++) {
        for (const [fmt, items, singleitem] of iter_format(n, 'array')) {
          if (!HAS_TYPED(fmt)) continue; // array('e'): no Float16Array in this engine
          for (const lslice of genslices(n)) {
            for (const rslice of genslices(n)) {
              const a = (items as PyValue[]).slice();
              const b = typedArray(fmt, items as unknown[]);
              const m = memoryview(b);
              assertMvEq(m, typedArray(fmt, a as unknown[]));
              assertEq(m.tolist(), a);
              assertEq(m.tobytes(), memoryview(typedArray(fmt, a as unknown[])).tobytes());
              expect(len(m)).toBe(a.length);

              cmptest(fmt, a, b, m, singleitem);

              let have_resize = false;
              const array_err = errorClass(() => {
                const al = getSlice(a, lslice);
                const ar = getSlice(a, rslice);
                setSlice(a, lslice, getSlice(a, rslice));
                have_resize = al.length !== ar.length;
              });
              const m_err = errorClass(() => m.set(lslice, m.get(rslice)));
              if (have_resize) {
                expect(m_err).toBe('ValueError');
              } else if (m_err || array_err) {
                expect(m_err).toBe(array_err);
              } else {
                assertMvEq(m, typedArray(fmt, a as unknown[]));
                assertEq(m.tolist(), a);
                assertEq(m.tobytes(), memoryview(typedArray(fmt, a as unknown[])).tobytes());
                cmptest(fmt, a, b, m, singleitem);
              }
            }
          }
        }
      }
    }));

  it('test_memoryview_compare_special_cases', () => {
    const a = typedArray('L', [1, 2, 3]);
    // (Ordering comparisons returning NotImplemented: no rich comparison protocol in JS.)

    // Released views compare equal to themselves:
    let v = memoryview(a);
    v.release();
    assertMvEq(v, v);
    assertMvNe(v, a);

    v = memoryview(a);
    const w = memoryview(a);
    w.release();
    assertMvNe(v, w);
    assertMvNe(w, v);

    // Operand does not implement the buffer protocol:
    v = memoryview(a);
    assertMvNe(v, [1, 2, 3]);

    // NaNs
    const nd = ndarray([tuple([0, 0])], { shape: [1], format: 'l x d x', flags: ND.WRITABLE });
    nd.set(0, tuple([-1, NaN]));
    assertMvNe(memoryview(nd), nd);
    // (the ctypes BEPoint formats are not applicable, see docs/conformance.md)
  });

  it('test_memoryview_compare_ndim_zero', () => {
    let nd1 = ndarray(1729, { shape: [], format: '@L' });
    let nd2 = ndarray(1729, { shape: [], format: 'L', flags: ND.WRITABLE });
    let v = memoryview(nd1);
    let w = memoryview(nd2);
    const allEq = (): void => {
      assertMvEq(v, w);
      assertMvEq(w, v);
      assertMvEq(v, nd2);
      assertMvEq(nd2, v);
      assertMvEq(w, nd1);
      assertMvEq(nd1, w);
    };
    const allNe = (): void => {
      assertMvNe(v, w);
      assertMvNe(w, v);
      assertMvNe(v, nd2);
      assertMvNe(nd2, v);
      assertMvNe(w, nd1);
      assertMvNe(nd1, w);
    };
    allEq();
    w.set([], 1728);
    allNe();

    const nd = ndarray(range(12), { shape: [12], flags: ND.WRITABLE | ND.PIL });
    const ex = ndarray(range(12), { shape: [12], flags: ND.WRITABLE | ND.PIL });
    const m = memoryview(ex);
    assertMvEq(m, nd);
    m.set(9, 100);
    assertMvNe(m, nd);

    const s12345 = new TextEncoder().encode('12345');
    // struct module: equal
    nd1 = ndarray(tuple([1729, 1.2, s12345]), { shape: [], format: 'Lf5s' });
    nd2 = ndarray(tuple([1729, 1.2, s12345]), { shape: [], format: 'hf5s', flags: ND.WRITABLE });
    v = memoryview(nd1);
    w = memoryview(nd2);
    allEq();

    // struct module: not equal
    nd1 = ndarray(tuple([1729, 1.2, s12345]), { shape: [], format: 'Lf5s' });
    nd2 = ndarray(tuple([-1729, 1.2, s12345]), { shape: [], format: 'hf5s', flags: ND.WRITABLE });
    v = memoryview(nd1);
    w = memoryview(nd2);
    allNe();
    assertMvEq(v, nd1);
    assertMvEq(w, nd2);
  });

  /** The six comparisons CPython's compare tests repeat: v == nd1, w == nd2, then v/w against the other. */
  const cmp6 = (v: MemoryView, w: MemoryView, nd1: unknown, nd2: unknown, equal: boolean): void => {
    assertMvEq(v, nd1);
    assertMvEq(w, nd2);
    if (equal) {
      assertMvEq(v, nd2);
      assertMvEq(w, nd1);
      assertMvEq(v, w);
    } else {
      assertMvNe(v, nd2);
      assertMvNe(w, nd1);
      assertMvNe(v, w);
    }
  };
  /** The non-contiguous checks: v == nd2[::2], w[::2] == nd1, v == w[::2], v[::-1] == w[::-2]. */
  const cmpStrided = (v: MemoryView, w: MemoryView, nd1: NDArray, nd2: NDArray): void => {
    assertMvEq(v, ndget(nd2, S(null, null, 2)));
    assertMvEq(mvget(w, S(null, null, 2)), nd1);
    assertMvEq(v, mvget(w, S(null, null, 2)));
    assertMvEq(mvget(v, S(null, null, -1)), mvget(w, S(null, null, -2)));
  };

  it('test_memoryview_compare_ndim_one', () => {
    const pairs: Array<[string, string]> = [
      ['@h', '@h'],
      ['<i', '>h'],
    ];
    for (const [f1, f2] of pairs) {
      // contiguous (and contiguous, struct module)
      const nd1 = ndarray([-529, 576, -625, 676, -729], { shape: [5], format: f1 });
      const nd2 = ndarray([-529, 576, -625, 676, 729], { shape: [5], format: f2 });
      cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, false);
    }
    const strided: Array<[string, string, number]> = [
      ['@h', '@h', 0],
      ['!h', '<l', 0],
      ['@h', '@h', ND.PIL],
      ['h  0c', '>  h', ND.PIL],
    ];
    for (const [f1, f2, flags] of strided) {
      // non-contiguous, struct module, suboffsets
      const nd1 = ndarray([-529, -625, -729], { shape: [3], format: f1 });
      const nd2 = ndarray([-529, 576, -625, 676, -729], { shape: [5], format: f2, flags });
      cmpStrided(memoryview(nd1), memoryview(nd2), nd1, nd2);
    }
  });

  it('test_memoryview_compare_zero_shape', () => {
    for (const [f1, f2] of [
      ['@h', '@h'],
      ['= h0c', '@   i'],
    ]) {
      const nd1 = ndarray([900, 961], { shape: [0], format: f1 });
      const nd2 = ndarray([-900, -961], { shape: [0], format: f2 });
      cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, true);
    }
  });

  it('test_memoryview_compare_zero_strides', () => {
    let nd1 = ndarray([900, 900, 900, 900], { shape: [4], format: '@L' });
    let nd2 = ndarray([900], { shape: [4], strides: [0], format: 'L' });
    cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, true);
    nd1 = ndarray(
      new Array(4).fill(0).map(() => tuple([900, 900])),
      { shape: [4], format: '@ Li' },
    );
    nd2 = ndarray([tuple([900, 900])], { shape: [4], strides: [0], format: '!L  h' });
    cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, true);
  });

  it('test_memoryview_compare_random_formats', () =>
    withSeeds(() => {
      // random single character native formats
      const n = 10;
      for (const char of Object.keys(fmtdict['@m'])) {
        const [fmt, items] = randitems(n, 'memoryview', '@', char);
        for (const flags of [0, ND.PIL]) {
          let nd = ndarray(items, { shape: [n], format: fmt, flags });
          assertMvEq(memoryview(nd), nd);
          nd = ndget(nd, S(null, null, -3));
          assertMvEq(memoryview(nd), nd);
        }
      }
      // random formats
      for (let i = 0; i < 100; i++) {
        const [fmt, items] = randitems(n);
        for (const flags of [0, ND.PIL]) {
          let nd = ndarray(items, { shape: [n], format: fmt, flags });
          assertMvEq(memoryview(nd), nd, fmt);
          nd = ndget(nd, S(null, null, -3));
          assertMvEq(memoryview(nd), nd, fmt);
        }
      }
    }));

  const T = (...xs: PyValue[]): PyValue[] => tuple(xs);
  const rep = (x: PyValue, n: number): PyValue[] => new Array(n).fill(x);

  it('test_memoryview_compare_multidim_c', () => {
    const cases: Array<[PyValue, PyValue, number[], number[], string, string, boolean]> = [
      [range(-15, 15), range(0, 30), [3, 2, 5], [3, 2, 5], '@h', '@h', false],
      [rep(T(0, 1, 2), 30), rep(T(-1.2, 1, 2), 30), [3, 2, 5], [3, 2, 5], '=f q xxL', '< f 2Q', false],
      [range(30), range(30), [2, 3, 5], [3, 2, 5], 'L', 'L', false],
      [rep(T(0, 1, 2), 21), rep(T(0, 1, 2), 21), [3, 7], [7, 3], '! b B xL', '= Qx l xxL', false],
      [range(30), range(30), [2, 3, 5], [2, 3, 5], 'L', 'l', true],
    ];
    for (const [i1, i2, s1, s2, f1, f2, equal] of cases) {
      const nd1 = ndarray(i1, { shape: s1, format: f1 });
      const nd2 = ndarray(i2, { shape: s2, format: f2 });
      cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, equal);
    }
  });

  it('test_memoryview_compare_multidim_fortran', () => {
    const cases: Array<[PyValue, PyValue, number[], number[], string, string, boolean]> = [
      [range(-15, 15), range(0, 30), [5, 2, 3], [5, 2, 3], '@h', '@h', false],
      [rep(T(2n ** 64n - 1n, -1), 6), rep(T(-1, 2n ** 64n - 1n), 6), [2, 3], [2, 3], '=Qq', '=qQ', false],
      [range(-15, 15), range(-15, 15), [2, 3, 5], [3, 2, 5], 'l', 'l', false],
      [range(-15, 15), range(-15, 15), [2, 3, 5], [3, 2, 5], '0ll', 'l', false],
      [range(30), range(30), [5, 2, 3], [5, 2, 3], '@h', '@b', true],
    ];
    for (const [i1, i2, s1, s2, f1, f2, equal] of cases) {
      const nd1 = ndarray(i1, { shape: s1, format: f1, flags: ND.FORTRAN });
      const nd2 = ndarray(i2, { shape: s2, format: f2, flags: ND.FORTRAN });
      cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, equal);
    }
  });

  it('test_memoryview_compare_multidim_mixed', () => {
    // mixed C/Fortran contiguous
    let lst1: PyValue[] = range(-15, 15);
    let lst2 = transpose(lst1, [3, 2, 5]);
    let nd1 = ndarray(lst1, { shape: [3, 2, 5], format: '@l' });
    let nd2 = ndarray(lst2, { shape: [3, 2, 5], format: 'l', flags: ND.FORTRAN });
    let v = memoryview(nd1);
    let w = memoryview(nd2);
    assertMvEq(v, nd1);
    assertMvEq(w, nd2);
    assertMvEq(v, w);

    // mixed C/Fortran contiguous, struct module
    const x = new Uint8Array([0x78]);
    lst1 = rep(T(-3.3, -22, x), 30);
    lst1[5] = T(-2.2, -22, x);
    lst2 = transpose(lst1, [3, 2, 5]);
    nd1 = ndarray(lst1, { shape: [3, 2, 5], format: 'd b c' });
    nd2 = ndarray(lst2, { shape: [3, 2, 5], format: 'd h c', flags: ND.FORTRAN });
    v = memoryview(nd1);
    w = memoryview(nd2);
    assertMvEq(v, nd1);
    assertMvEq(w, nd2);
    assertMvEq(v, w);

    // different values, non-contiguous
    let ex1 = ndarray(range(40), { shape: [5, 8], format: '@I' });
    nd1 = ndget(ex1, [S(3, 1, -1), S(null, null, -2)]);
    let ex2 = ndarray(range(40), { shape: [5, 8], format: 'I' });
    nd2 = ndget(ex2, [S(1, 3, 1), S(null, null, -2)]);
    cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, false);

    // same values, non-contiguous, struct module
    ex1 = ndarray(rep(T(2 ** 31 - 1, -(2 ** 31)), 22), { shape: [11, 2], format: '=ii' });
    nd1 = ndget(ex1, [S(3, 1, -1), S(null, null, -2)]);
    ex2 = ndarray(rep(T(2 ** 31 - 1, -(2 ** 31)), 22), { shape: [11, 2], format: '>ii' });
    nd2 = ndget(ex2, [S(1, 3, 1), S(null, null, -2)]);
    cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, true);

    // different shape (CPython slices ex2 of the previous case for nd2; kept as is)
    ex1 = ndarray(range(30), { shape: [2, 3, 5], format: 'b' });
    nd1 = ndget(ex1, [S(1, 3), S(null, null, -2)]);
    nd2 = ndget(ex2, [S(1, 3), S(null, null, -2)]);
    cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, false);

    // different shape, struct module
    ex1 = ndarray(range(30), { shape: [2, 3, 5], format: 'B' });
    nd1 = ndget(ex1, [S(1, 3), S(null, null, -2)]);
    nd2 = ndget(ex2, [S(1, 3), S(null, null, -2)]);
    cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, false);

    // different format, struct module
    ex1 = ndarray(rep(T(2, new TextEncoder().encode('123')), 30), { shape: [5, 3, 2], format: 'b3s' });
    nd1 = ndget(ex1, [S(1, 3), S(null, null, -2)]);
    nd2 = ndget(ex2, [S(1, 3), S(null, null, -2)]);
    cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, false);
  });

  it('test_memoryview_compare_multidim_zero_shape', () => {
    for (let i = 0; i < 2; i++) {
      // CPython repeats the same case under "struct module"
      const nd1 = ndarray(range(30), { shape: [0, 3, 2], format: 'i' });
      const nd2 = ndarray(range(30), { shape: [5, 0, 2], format: '@i' });
      cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, false);
    }
  });

  it('test_memoryview_compare_multidim_zero_strides', () => {
    let nd1 = ndarray(rep(900, 80), { shape: [4, 5, 4], format: '@L' });
    let nd2 = ndarray([900], { shape: [4, 5, 4], strides: [0, 0, 0], format: 'L' });
    const v = memoryview(nd1);
    const w = memoryview(nd2);
    cmp6(v, w, nd1, nd2, true);
    assertEq(v.tolist(), w.tolist());

    nd1 = ndarray(rep(T(1, 2), 10), { shape: [2, 5], format: '=lQ' });
    nd2 = ndarray([T(1, 2)], { shape: [2, 5], strides: [0, 0], format: '<lQ' });
    cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, true);
  });

  it('test_memoryview_compare_multidim_suboffsets', () => {
    // suboffsets
    let ex1 = ndarray(range(40), { shape: [5, 8], format: '@I' });
    let nd1 = ndget(ex1, [S(3, 1, -1), S(null, null, -2)]);
    let ex2 = ndarray(range(40), { shape: [5, 8], format: 'I', flags: ND.PIL });
    let nd2 = ndget(ex2, [S(1, 3, 1), S(null, null, -2)]);
    cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, false);

    // suboffsets, struct module
    ex1 = ndarray(rep(T(2n ** 64n - 1n, -1), 40), { shape: [5, 8], format: '=Qq', flags: ND.WRITABLE });
    ndget(ex1, 2).set(7, T(1, -2));
    nd1 = ndget(ex1, [S(3, 1, -1), S(null, null, -2)]);
    ex2 = ndarray(rep(T(2n ** 64n - 1n, -1), 40), { shape: [5, 8], format: '>Qq', flags: ND.PIL | ND.WRITABLE });
    ndget(ex2, 2).set(7, T(1, -2));
    nd2 = ndget(ex2, [S(1, 3, 1), S(null, null, -2)]);
    cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, true);

    // suboffsets, different shape (nd2 slices ex2 of the previous case, as CPython does)
    ex1 = ndarray(range(30), { shape: [2, 3, 5], format: 'b', flags: ND.PIL });
    nd1 = ndget(ex1, [S(1, 3), S(null, null, -2)]);
    nd2 = ndget(ex2, [S(1, 3), S(null, null, -2)]);
    cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, false);

    // suboffsets, different shape, struct module
    ex1 = ndarray(rep(T(2 ** 8 - 1, -1), 40), { shape: [2, 3, 5], format: 'Bb', flags: ND.PIL | ND.WRITABLE });
    nd1 = ndget(ex1, [S(1, 2), S(null, null, -2)]);
    ex2 = ndarray(rep(T(2 ** 8 - 1, -1), 40), { shape: [3, 2, 5], format: 'Bb' });
    nd2 = ndget(ex2, [S(1, 2), S(null, null, -2)]);
    cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, false);

    // suboffsets, different format
    ex1 = ndarray(range(30), { shape: [5, 3, 2], format: 'i', flags: ND.PIL });
    nd1 = ndget(ex1, [S(1, 3), S(null, null, -2)]);
    ex2 = ndarray(range(30), { shape: [5, 3, 2], format: '@I', flags: ND.PIL });
    nd2 = ndget(ex2, [S(1, 3), S(null, null, -2)]);
    cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, true);

    // suboffsets, different format, struct module
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
    ex1 = ndarray(rep(T(enc('hello'), enc(''), 1), 27), {
      shape: [3, 3, 3],
      format: '5s0sP',
      flags: ND.PIL | ND.WRITABLE,
    });
    ndget(ndget(ex1, 1), 2).set(2, T(enc('sushi'), enc(''), 1));
    nd1 = ndget(ex1, [S(1, 3), S(null, null, -2)]);
    ex2 = ndarray(rep(T(enc('hello'), enc(''), 1), 27), {
      shape: [3, 3, 3],
      format: '5s0sP',
      flags: ND.PIL | ND.WRITABLE,
    });
    ndget(ndget(ex1, 1), 2).set(2, T(enc('sushi'), enc(''), 1));
    nd2 = ndget(ex2, [S(1, 3), S(null, null, -2)]);
    cmp6(memoryview(nd1), memoryview(nd2), nd1, nd2, false);

    // initialize mixed C/Fortran + suboffsets
    let lst1: PyValue[] = range(-15, 15);
    let lst2 = transpose(lst1, [3, 2, 5]);
    nd1 = ndarray(lst1, { shape: [3, 2, 5], format: '@l', flags: ND.PIL });
    nd2 = ndarray(lst2, { shape: [3, 2, 5], format: 'l', flags: ND.FORTRAN | ND.PIL });
    let v = memoryview(nd1);
    let w = memoryview(nd2);
    assertMvEq(v, nd1);
    assertMvEq(w, nd2);
    assertMvEq(v, w);

    // initialize mixed C/Fortran + suboffsets, struct module
    lst1 = rep(T(enc('sashimi'), enc('sliced'), 20.05), 30);
    lst1[11] = T(enc('ramen'), enc('spicy'), 9.45);
    lst2 = transpose(lst1, [3, 2, 5]);
    nd1 = ndarray(lst1, { shape: [3, 2, 5], format: '< 10p 9p d', flags: ND.PIL });
    nd2 = ndarray(lst2, { shape: [3, 2, 5], format: '> 10p 9p d', flags: ND.FORTRAN | ND.PIL });
    v = memoryview(nd1);
    w = memoryview(nd2);
    assertMvEq(v, nd1);
    assertMvEq(w, nd2);
    assertMvEq(v, w);
  });

  it('test_memoryview_compare_not_equal', () => {
    for (const byteorder of ['=', '<', '>', '!']) {
      let x = ndarray(rep(2n ** 63n, 120), { shape: [3, 5, 2, 2, 2], format: `${byteorder}Q` });
      let y = ndarray(rep(2n ** 63n, 120), {
        shape: [3, 5, 2, 2, 2],
        format: `${byteorder}Q`,
        flags: ND.WRITABLE | ND.FORTRAN,
      });
      ndget(ndget(ndget(ndget(y, 2), 3), 1), 1).set(1, 1);
      let a = memoryview(x);
      let b = memoryview(y);
      assertMvEq(a, x);
      assertMvEq(b, y);
      assertMvNe(a, b);
      assertMvNe(a, y);
      assertMvNe(b, x);

      x = ndarray(rep(T(2n ** 63n, 2 ** 31, 2 ** 15), 120), { shape: [3, 5, 2, 2, 2], format: `${byteorder}QLH` });
      y = ndarray(rep(T(2n ** 63n, 2 ** 31, 2 ** 15), 120), {
        shape: [3, 5, 2, 2, 2],
        format: `${byteorder}QLH`,
        flags: ND.WRITABLE | ND.FORTRAN,
      });
      ndget(ndget(ndget(ndget(y, 2), 3), 1), 1).set(1, T(1, 1, 1));
      a = memoryview(x);
      b = memoryview(y);
      assertMvEq(a, x);
      assertMvEq(b, y);
      assertMvNe(a, b);
      assertMvNe(a, y);
      assertMvNe(b, x);
    }
  });

  it('test_memoryview_check_released', () => {
    const a = typedArray('d', [1.1, 2.2, 3.3]);
    const m = memoryview(a);
    m.release();
    raises(ValueError, () => memoryview(m)); // PyMemoryView_FromObject()
    raises(ValueError, () => m.cast('c'));
    raises(ValueError, () => ndarray(m)); // getbuffer()
    raises(ValueError, () => m.tolist());
    raises(ValueError, () => m.tobytes());
    raises(ValueError, () => contains(m, 1.0)); // sequence
    raises(ValueError, () => m.get(0));
    raises(ValueError, () => m.set(0, 1));
    for (const attr of [
      'obj',
      'nbytes',
      'readonly',
      'itemsize',
      'format',
      'ndim',
      'shape',
      'strides',
      'suboffsets',
      'c_contiguous',
      'f_contiguous',
      'contiguous',
    ]) {
      raises(ValueError, () => (m as unknown as Record<string, unknown>)[attr]);
    }
    // richcompare
    const b = typedArray('d', [1.1, 2.2, 3.3]);
    const m1 = memoryview(a);
    const m2 = memoryview(b);
    assertMvEq(m1, m2);
    m1.release();
    assertMvNe(m1, m2);
    assertMvNe(m1, a);
    assertMvEq(m1, m1);
  });

  it('test_memoryview_tobytes', () => {
    const t = T(-529, 576, -625, 676, -729);
    let nd = ndarray(t, { shape: [5], format: '@h' });
    let m = memoryview(nd);
    assertMvEq(m, nd);
    assertEq(m.tobytes(), nd.tobytes());
    for (const [shape, format] of [
      [[1], '>hQiLl'],
      [[2, 2, 3], '=hQiLl'],
      [[5, 2, 2, 3, 2], '<hQiLl'],
    ] as Array<[number[], string]>) {
      nd = ndarray(rep(t, prod(shape)), { shape, format });
      m = memoryview(nd);
      assertMvEq(m, nd);
      assertEq(m.tobytes(), nd.tobytes());
    }
    // (ctypes BEPoint: not applicable)
  });

  it('test_memoryview_get_contiguous', () => {
    // no buffer interface
    raises(TypeError, () => get_contiguous({}, PyBUF.READ, 'F'));
    // writable request to read-only object
    raises(BufferError, () => get_contiguous(b_('x'), PyBUF.WRITE, 'C'));
    // writable request to non-contiguous object
    let nd = ndarray([1, 2, 3], { shape: [2], strides: [2] });
    raises(BufferError, () => get_contiguous(nd, PyBUF.WRITE, 'A'));

    // scalar, read-only request from read-only exporter
    nd = ndarray(9, { shape: [], format: 'L' });
    for (const order of ['C', 'F', 'A']) {
      const m = get_contiguous(nd, PyBUF.READ, order);
      assertMvEq(m, nd);
      assertEq(m.get([]), 9);
    }
    // scalar, read-only request from writable exporter
    nd = ndarray(9, { shape: [], format: 'L', flags: ND.WRITABLE });
    for (const order of ['C', 'F', 'A']) {
      const m = get_contiguous(nd, PyBUF.READ, order);
      assertMvEq(m, nd);
      assertEq(m.get([]), 9);
    }
    // scalar, writable request
    for (const order of ['C', 'F', 'A']) {
      nd.set([], 9);
      const m = get_contiguous(nd, PyBUF.WRITE, order);
      assertMvEq(m, nd);
      assertEq(m.get([]), 9);
      m.set([], 10);
      assertEq(m.get([]), 10);
      assertEq(nd.get([]), 10);
    }

    // zeros in shape
    nd = ndarray([1], { shape: [0], format: 'L', flags: ND.WRITABLE });
    for (const order of ['C', 'F', 'A']) {
      const m = get_contiguous(nd, PyBUF.READ, order);
      raises(IndexError, () => m.get(0));
      assertMvEq(m, nd);
      assertEq(m.tolist(), []);
    }
    nd = ndarray(range(8), { shape: [2, 0, 7], format: 'L', flags: ND.WRITABLE });
    for (const order of ['C', 'F', 'A']) {
      const m = get_contiguous(nd, PyBUF.READ, order);
      assertEq(ndarray(m).tolist(), [[], []]);
    }

    // one-dimensional
    nd = ndarray([1], { shape: [1], format: 'h', flags: ND.WRITABLE });
    for (const order of ['C', 'F', 'A']) {
      const m = get_contiguous(nd, PyBUF.WRITE, order);
      assertMvEq(m, nd);
      assertEq(m.tolist(), nd.tolist());
    }
    nd = ndarray([1, 2, 3], { shape: [3], format: 'b', flags: ND.WRITABLE });
    for (const order of ['C', 'F', 'A']) {
      const m = get_contiguous(nd, PyBUF.WRITE, order);
      assertMvEq(m, nd);
      assertEq(m.tolist(), nd.tolist());
    }

    // one-dimensional, non-contiguous
    nd = ndarray([1, 2, 3], { shape: [2], strides: [2], flags: ND.WRITABLE });
    for (const order of ['C', 'F', 'A']) {
      const m = get_contiguous(nd, PyBUF.READ, order);
      assertMvEq(m, nd);
      assertEq(m.tolist(), nd.tolist());
      raises(TypeError, () => m.set(1, 20));
      assertEq(m.get(1), 3);
      assertEq(nd.get(1), 3);
    }
    nd = ndget(nd, S(null, null, -1));
    for (const order of ['C', 'F', 'A']) {
      const m = get_contiguous(nd, PyBUF.READ, order);
      assertMvEq(m, nd);
      assertEq(m.tolist(), nd.tolist());
      raises(TypeError, () => m.set(1, 20));
      assertEq(m.get(1), 1);
      assertEq(nd.get(1), 1);
    }

    // multi-dimensional, contiguous input
    nd = ndarray(range(12), { shape: [3, 4], flags: ND.WRITABLE });
    let order = 'A';
    for (order of ['C', 'A']) {
      const m = get_contiguous(nd, PyBUF.WRITE, order);
      assertEq(ndarray(m).tolist(), nd.tolist());
    }
    raises(BufferError, () => get_contiguous(nd, PyBUF.WRITE, 'F'));
    let m = get_contiguous(nd, PyBUF.READ, order);
    assertEq(ndarray(m).tolist(), nd.tolist());

    nd = ndarray(range(12), { shape: [3, 4], flags: ND.WRITABLE | ND.FORTRAN });
    for (order of ['F', 'A']) {
      const mm = get_contiguous(nd, PyBUF.WRITE, order);
      assertEq(ndarray(mm).tolist(), nd.tolist());
    }
    raises(BufferError, () => get_contiguous(nd, PyBUF.WRITE, 'C'));
    m = get_contiguous(nd, PyBUF.READ, order);
    assertEq(ndarray(m).tolist(), nd.tolist());

    // multi-dimensional, non-contiguous input
    nd = ndarray(range(12), { shape: [3, 4], flags: ND.WRITABLE | ND.PIL });
    for (const o of ['C', 'F', 'A']) {
      raises(BufferError, () => get_contiguous(nd, PyBUF.WRITE, o));
      const mm = get_contiguous(nd, PyBUF.READ, o);
      assertEq(ndarray(mm).tolist(), nd.tolist());
    }

    // flags
    nd = ndarray([1, 2, 3, 4, 5], { shape: [3], strides: [2] });
    m = get_contiguous(nd, PyBUF.READ, 'C');
    expect(m.c_contiguous).toBe(true);
  });

  it('test_memoryview_serializing', () => {
    // io.BytesIO(m) copies the C-contiguous bytes of a simple buffer; readinto(b) reads them back.
    const readinto = (obj: unknown): Uint8Array => {
      const view = capi.PyObject_GetBuffer(obj, PyBUF.SIMPLE);
      try {
        return readMemory(view.buf, view.len);
      } finally {
        capi.PyBuffer_Release(view);
      }
    };
    // C-contiguous
    const a = typedArray('i', [1, 2, 3, 4, 5]);
    let m = memoryview(a);
    assertEq(m.tobytes(), readinto(m));
    // C-contiguous, multi-dimensional
    const nd = ndarray(range(12), { shape: [2, 3, 2], format: 'L' });
    m = memoryview(nd);
    assertEq(m.tobytes(), readinto(m));
  });

  it('test_memoryview_hash', () => {
    const hashOf = (xs: number[] | Uint8Array): number => pyHashBytes32(Uint8Array.from(xs));
    // bytes exporter
    let b = hashOf(range(12));
    let m = memoryview(new Bytes(range(12)));
    expect(m.hash()).toBe(b);
    // C-contiguous
    const mc = m.cast('c', [3, 4]);
    expect(mc.hash()).toBe(b);
    // non-contiguous
    const mx = mvget(m, S(null, null, -2));
    b = hashOf(getSlice(range(12), S(null, null, -2)));
    expect(mx.hash()).toBe(b);
    // Fortran contiguous
    let nd = ndarray(range(30), { shape: [3, 2, 5], flags: ND.FORTRAN });
    m = memoryview(nd);
    expect(m.hash()).toBe(nd.hash());
    // multi-dimensional slice
    nd = ndarray(range(30), { shape: [3, 2, 5] });
    let x = ndget(nd, [S(null, null, 2), S(null, null), S(null, null, -1)]);
    m = memoryview(x);
    expect(m.hash()).toBe(x.hash());
    // multi-dimensional slice with suboffsets
    nd = ndarray(range(30), { shape: [2, 5, 3], flags: ND.PIL });
    x = ndget(nd, [S(null, null, 2), S(null, null), S(null, null, -1)]);
    m = memoryview(x);
    expect(m.hash()).toBe(x.hash());
    // equality-hash invariant
    const xb = ndarray(range(12), { shape: [12], format: 'B' });
    const ma = memoryview(xb);
    const y = ndarray(range(12), { shape: [12], format: 'b' });
    const mb = memoryview(y);
    assertMvEq(ma, mb);
    expect(ma.hash()).toBe(mb.hash());
    // non-byte formats
    for (const [items, format] of [
      [range(12), 'L'],
      [range(-6, 6), 'h'],
      [range(12), '= L'],
      [range(-6, 6), '< h'],
    ] as Array<[number[], string]>) {
      nd = ndarray(items, { shape: [2, 2, 3], format });
      m = memoryview(nd);
      raises(ValueError, () => m.hash());
    }
  });

  it('test_memoryview_release', () => {
    // Create re-exporter from getbuffer(memoryview), then release the view.
    let a = new ByteArray([1, 2, 3]);
    let m = memoryview(a);
    let nd = ndarray(m); // re-exporter
    raises(BufferError, () => m.release());
    nd.release(); // del nd
    m.release();

    a = new ByteArray([1, 2, 3]);
    m = memoryview(a);
    let nd1 = ndarray(m, { getbuf: PyBUF.FULL_RO, flags: ND.REDIRECT });
    let nd2 = ndarray(nd1, { getbuf: PyBUF.FULL_RO, flags: ND.REDIRECT });
    expect(nd2.obj).toBe(m);
    raises(BufferError, () => m.release());
    nd2.release();
    nd1.release(); // del nd1, nd2
    m.release();

    // chained views
    a = new ByteArray([1, 2, 3]);
    let m1 = memoryview(a);
    let m2 = memoryview(m1);
    nd = ndarray(m2); // re-exporter
    m1.release();
    raises(BufferError, () => m2.release());
    nd.release();
    m2.release();

    a = new ByteArray([1, 2, 3]);
    m1 = memoryview(a);
    m2 = memoryview(m1);
    nd1 = ndarray(m2, { getbuf: PyBUF.FULL_RO, flags: ND.REDIRECT });
    nd2 = ndarray(nd1, { getbuf: PyBUF.FULL_RO, flags: ND.REDIRECT });
    expect(nd2.obj).toBe(m2);
    m1.release();
    raises(BufferError, () => m2.release());
    nd2.release();
    nd1.release();
    m2.release();

    // Allow changing layout while buffers are exported.
    nd = ndarray([1, 2, 3], { shape: [3], flags: ND.VAREXPORT });
    m1 = memoryview(nd);
    nd.push([4, 5, 6, 7, 8], { shape: [5] }); // mutate nd
    m2 = memoryview(nd);
    const x = memoryview(m1);
    assertEq(x.tolist(), m1.tolist());
    const y = memoryview(m2);
    assertEq(y.tolist(), m2.tolist());
    assertEq(y.tolist(), nd.tolist());
    m2.release();
    y.release();
    nd.pop(); // pop the current view
    assertEq(x.tolist(), nd.tolist());
    m1.release();
    x.release();

    // If multiple memoryviews share the same managed buffer, implicit release() in the context
    // manager's __exit__() method should still work.
    const catch22 = (b: unknown): void => using(memoryview(b), () => undefined);

    let xb = new ByteArray('123');
    using(memoryview(xb), (mm1) => {
      catch22(mm1);
      assertEq(mm1.get(0), '1'.charCodeAt(0));
    });

    const xn = ndarray(range(12), { shape: [2, 2, 3], format: 'l' });
    const yn = ndarray(xn, { getbuf: PyBUF.FULL_RO, flags: ND.REDIRECT });
    const zn = ndarray(yn, { getbuf: PyBUF.FULL_RO, flags: ND.REDIRECT });
    expect(zn.obj).toBe(xn);
    using(memoryview(zn), (mm) => {
      catch22(mm);
      assertEq(mvget(mm, S(0, 1)).tolist(), [
        [
          [0, 1, 2],
          [3, 4, 5],
        ],
      ]);
    });

    // Test garbage collection: CPython's `del` of the intermediate objects is the explicit
    // release() of each re-exporter once the view made from it is released.
    for (const flags of [0, ND.REDIRECT]) {
      for (const catchOrder of [
        [3, 2, 1],
        [1, 2, 3],
      ]) {
        xb = new ByteArray('123');
        using(memoryview(xb), (mm1) => {
          const yy = ndarray(mm1, { getbuf: PyBUF.FULL_RO, flags });
          using(memoryview(yy), (mm2) => {
            const zz = ndarray(mm2, { getbuf: PyBUF.FULL_RO, flags });
            using(memoryview(zz), (mm3) => {
              const views = [mm1, mm2, mm3];
              for (const k of catchOrder) catch22(views[k - 1]);
              assertEq(mm1.get(0), '1'.charCodeAt(0));
              assertEq(mm2.get(1), '2'.charCodeAt(0));
              assertEq(mm3.get(2), '3'.charCodeAt(0));
            });
            zz.release();
          });
          yy.release();
        });
      }
    }

    // memoryview.release() fails if the view has exported buffers.
    xb = new ByteArray('123');
    raises(BufferError, () =>
      using(memoryview(xb), (mm) => {
        ndarray(mm);
        assertEq(mm.get(0), '1'.charCodeAt(0));
      }),
    );
  });

  it('test_memoryview_redirect', () => {
    const nd = ndarray(
      range(12).map((x) => 1.0 * x),
      { shape: [12], format: 'd' },
    );
    const a = typedArray(
      'd',
      range(12).map((x) => 1.0 * x),
    );
    const slice13 = (x: unknown): unknown =>
      x instanceof NDArray ? x.get(S(1, 3)) : typedArray('d', alist(a).slice(1, 3));
    for (const x of [nd, a] as unknown[]) {
      const y = ndarray(x, { getbuf: PyBUF.FULL_RO, flags: ND.REDIRECT });
      const z = ndarray(y, { getbuf: PyBUF.FULL_RO, flags: ND.REDIRECT });
      const m = memoryview(z);
      expect(y.obj).toBe(x);
      expect(z.obj).toBe(x);
      expect(m.obj).toBe(x);
      assertMvEq(m, x);
      assertMvEq(m, y);
      assertMvEq(m, z);
      assertMvEq(mvget(m, S(1, 3)), slice13(x));
      assertMvEq(mvget(m, S(1, 3)), y.get(S(1, 3)));
      assertMvEq(mvget(m, S(1, 3)), z.get(S(1, 3)));
      z.release();
      y.release(); // del y, z
      assertMvEq(mvget(m, S(1, 3)), slice13(x));
    }
  });

  it('test_memoryview_from_static_exporter', () => {
    const fmt = 'B';
    const lst = range(12);
    const common = { itemsize: 1, fmt, readonly: true, ndim: 1, shape: [12], strides: [1], lst };
    // (exceptions: staticarray(1, 2, 3) is a wrong-arity call, not applicable)

    // view.obj==x
    let x = new staticarray();
    let y = memoryview(x);
    verify(y, { obj: x, ...common });
    for (let i = 0; i < 12; i++) assertEq(y.get(i), i);
    y.release();

    x = new staticarray();
    memoryview(x).release();

    x = new staticarray();
    let yn = ndarray(x, { getbuf: PyBUF.FULL_RO });
    let zn = ndarray(yn, { getbuf: PyBUF.FULL_RO });
    let m = memoryview(zn);
    expect(yn.obj).toBe(x);
    expect(m.obj).toBe(zn);
    verify(m, { obj: zn, ...common });

    x = new staticarray();
    yn = ndarray(x, { getbuf: PyBUF.FULL_RO, flags: ND.REDIRECT });
    zn = ndarray(yn, { getbuf: PyBUF.FULL_RO, flags: ND.REDIRECT });
    m = memoryview(zn);
    expect(yn.obj).toBe(x);
    expect(zn.obj).toBe(x);
    expect(m.obj).toBe(x);
    verify(m, { obj: x, ...common });

    // view.obj==NULL
    x = new staticarray({ legacy_mode: true });
    y = memoryview(x);
    verify(y, { obj: null, ...common });
    for (let i = 0; i < 12; i++) assertEq(y.get(i), i);
    y.release();

    x = new staticarray({ legacy_mode: true });
    memoryview(x).release();

    x = new staticarray({ legacy_mode: true });
    yn = ndarray(x, { getbuf: PyBUF.FULL_RO });
    zn = ndarray(yn, { getbuf: PyBUF.FULL_RO });
    m = memoryview(zn);
    expect(yn.obj).toBe(null);
    expect(m.obj).toBe(zn);
    verify(m, { obj: zn, ...common });

    x = new staticarray({ legacy_mode: true });
    yn = ndarray(x, { getbuf: PyBUF.FULL_RO, flags: ND.REDIRECT });
    zn = ndarray(yn, { getbuf: PyBUF.FULL_RO, flags: ND.REDIRECT });
    m = memoryview(zn);
    // Clearly setting view.obj==NULL is inferior, since it messes up the redirection chain:
    expect(yn.obj).toBe(null);
    expect(zn.obj).toBe(yn);
    expect(m.obj).toBe(yn);
    verify(m, { obj: yn, ...common });
  });

  it('test_memoryview_getbuffer_undefined', () => {
    // getbufferproc does not adhere to the new documentation
    const nd = ndarray([1, 2, 3], { shape: [3], flags: ND.GETBUF_FAIL | ND.GETBUF_UNDEFINED });
    raises(BufferError, () => memoryview(nd));
  });

  it('test_issue_7385', () => {
    const x = ndarray([1, 2, 3], { shape: [3], flags: ND.GETBUF_FAIL });
    raises(BufferError, () => memoryview(x));
  });

  it('test_bytearray_release_buffer_read_flag', () => {
    // (main) bytearray.__buffer__(READ or WRITE): SystemError
    const obj = new ByteArray('abc');
    raises(SystemError, () => capi.PyObject_GetBuffer(obj, PyBUF.READ));
    raises(SystemError, () => capi.PyObject_GetBuffer(obj, PyBUF.WRITE));
  });

  it('test_bytearray_alignment', () => {
    // (main) pointer alignment of buffers, including empty ones, is at least sizeof(size_t)
    const align = struct.calcsize('N');
    const cases = [new ByteArray(0), new ByteArray(1), new ByteArray('0123456789abcdef'), new ByteArray(16)];
    const ptrs = cases.map((c) => {
      const view = capi.PyObject_GetBuffer(c, PyBUF.SIMPLE);
      capi.PyBuffer_Release(view);
      return view.buf;
    });
    expect(ptrs.map((p) => p % align)).toEqual(new Array(cases.length).fill(0));
  });

  it('test_array_alignment', () => {
    // (main) the array.array stand-ins: TypedArrays over linear memory, empty and not
    const formats = ['b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'f'].filter(
      (f) => struct.calcsize(f) <= struct.calcsize('P'),
    );
    const align = Math.max(...formats.map((f) => struct.calcsize(f)));
    for (const n of [0, 1]) {
      const ptrs = formats.map((f) => {
        const view = capi.PyObject_GetBuffer(typedArray(f, new Array(n).fill(0)), PyBUF.SIMPLE);
        capi.PyBuffer_Release(view);
        return view.buf % align;
      });
      expect(ptrs).toEqual(new Array(formats.length).fill(0));
    }
  });

  it('test_pybuffer_size_from_format', () => {
    for (const format of ['', 'ii', '3s']) {
      expect(capi.PyBuffer_SizeFromFormat(format)).toBe(struct.calcsize(format));
    }
  });

  it('test_flags_overflow', () => {
    // (main) gh-126594: flags outside a C int are an OverflowError
    const obj = new Bytes('abc');
    for (const flags of [-(2 ** 31) - 1, 2 ** 31]) {
      raises(OverflowError, () => capi.PyObject_GetBuffer(obj, flags));
    }
  });
});

/** b'x': a one-byte item for format 'c'. */
function b1(s: string): Uint8Array {
  return new Uint8Array([s.charCodeAt(0)]);
}
