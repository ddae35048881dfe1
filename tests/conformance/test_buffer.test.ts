// CPython's Lib/test/test_buffer.py (3.13), class TestBufferProtocol, part 1: the ndarray tests
// (test_ndarray_* and test_py_buffer_to_contiguous). One `it` per CPython test method, under its
// name and in its order; test_buffer_memoryview.test.ts holds the test_memoryview_* methods.
// Python's `x[k]` is x.get(k), `x[k] = v` is x.set(k, v), `memoryview(x)` is MemoryView.fromObject.
// Random tests run twice (fixed seed, then a random one; see randomized.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BufferError,
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
  ValueError,
  init,
  slice,
  struct,
  testbuffer,
} from '../../src/index.js';
import { UnicodeEncodeError } from '../../src/struct.js';
import type { NDKey } from '../../src/exporters/ndarray.js';
import {
  assertEq,
  assertMvEq,
  contains,
  reserveMemory,
  errorClass,
  memoryview,
  ndarray,
  raises,
  typedArray,
  verify,
  verify_getbuf,
} from './helpers.js';
import {
  ITERATIONS,
  MAXDIM,
  MAXSHAPE,
  carray,
  farray,
  fmtdict,
  genslices,
  getSlice,
  is_memoryview_format,
  iter_format,
  multislice,
  multislice_assign,
  ndarray_from_structure,
  permutations,
  prod,
  rand_aligned_slices,
  rand_structure,
  randitems,
  randitems_from_structure,
  randint,
  randslice_from_shape,
  rslices_ndim,
  setSlice,
  strides_from_shape,
  transpose,
  tuple,
  verify_structure,
  withSeeds,
  type PyValue,
} from './randomized.js';

const { get_pointer, get_contiguous, cmp_contig, is_contiguous, py_buffer_to_contiguous, slice_indices } = testbuffer;
const S = (a: number | null, b: number | null, c: number | null): PySlice => slice(a, b, c);
/** x[k] for an NDArray result that is itself indexed (nd[i][j]). */
const at = (x: unknown, k: NDKey): unknown => (x as NDArray).get(k);

beforeAll(async () => {
  await init();
  reserveMemory();
});

type Ctor = (items: unknown, kw?: Record<string, unknown>) => unknown;

describe('TestBufferProtocol (ndarray)', () => {
  it('test_ndarray_getbuf', () => {
    const requests = [
      PyBUF.INDIRECT,
      PyBUF.STRIDES,
      PyBUF.ND,
      PyBUF.SIMPLE,
      PyBUF.C_CONTIGUOUS,
      PyBUF.F_CONTIGUOUS,
      PyBUF.ANY_CONTIGUOUS,
      PyBUF.FULL,
      PyBUF.FULL_RO,
      PyBUF.RECORDS,
      PyBUF.RECORDS_RO,
      PyBUF.STRIDED,
      PyBUF.STRIDED_RO,
      PyBUF.CONTIG,
      PyBUF.CONTIG_RO,
    ];
    const r12 = Array.from({ length: 12 }, (_, x) => x);
    const items_fmt: Array<[PyValue[], string]> = [
      [r12.map((x) => x % 2 !== 0), '?'],
      [r12.map((x) => x + 1), 'b'],
      [r12.map((x) => x + 1), 'B'],
      [r12.map((x) => (x % 2 ? 2 ** 31 - x : -(2 ** 31) + x)), 'l'],
    ];
    const structure: Array<[number[], number[], number]> = [
      [[], [], 0],
      [[1, 3, 1], [], 0],
      [[12], [], 0],
      [[12], [-1], 11],
      [[6], [2], 0],
      [[6], [-2], 11],
      [[3, 4], [], 0],
      [[3, 4], [-4, -1], 11],
      [[2, 2], [4, 1], 4],
      [[2, 2], [-4, -1], 8],
    ];
    const ndflags = [0, ND.WRITABLE, ND.FORTRAN, ND.FORTRAN | ND.WRITABLE, ND.PIL, ND.PIL | ND.WRITABLE];
    const real_flags = [0, PyBUF.WRITABLE, PyBUF.FORMAT, PyBUF.WRITABLE | PyBUF.FORMAT];

    for (const [items, fmt] of items_fmt) {
      const itemsize = struct.calcsize(fmt);
      for (const [shape, strides0, offset0] of structure) {
        const strides = strides0.map((v) => v * itemsize);
        const offset = offset0 * itemsize;
        for (const flags of ndflags) {
          if (strides.length && flags & ND.FORTRAN) continue;
          if (!shape.length && flags & ND.PIL) continue;
          const _items = shape.length ? items : items[0];
          const ex1 = ndarray(_items, { format: fmt, flags, shape, strides, offset });
          const ex2 = shape.length ? (ex1.get(S(null, null, -2)) as NDArray) : null;
          const m1 = memoryview(ex1);
          const m2 = ex2 ? memoryview(ex2) : null;
          if (ex1.ndim === 0 || (ex1.ndim === 1 && shape.length && strides.length)) assertMvEq(m1, ex1);
          if (ex2 && ex2.ndim === 1 && shape.length && strides.length) assertMvEq(m2, ex2);
          for (const req of requests) {
            for (const bits of real_flags) {
              verify_getbuf(ex1, ex1, req | bits);
              verify_getbuf(ex1, m1, req | bits);
              if (ex2 && m2) {
                verify_getbuf(ex2, ex2, req | bits, true);
                verify_getbuf(ex2, m2, req | bits, true);
              }
            }
          }
        }
      }
    }

    const items = r12.map((x) => x + 1);
    // ND_GETBUF_FAIL
    let ex = ndarray(items, { shape: [12], flags: ND.GETBUF_FAIL });
    raises(BufferError, () => ndarray(ex));

    // Request complex structure from a simple exporter (not PEP-3118 compliant).
    const base = ndarray([9], { shape: [1] });
    ex = ndarray(base, { getbuf: PyBUF.SIMPLE });
    for (const req of [
      PyBUF.WRITABLE,
      PyBUF.ND,
      PyBUF.STRIDES,
      PyBUF.C_CONTIGUOUS,
      PyBUF.F_CONTIGUOUS,
      PyBUF.ANY_CONTIGUOUS,
    ]) {
      raises(BufferError, () => ndarray(ex, { getbuf: req }));
    }
    ndarray(ex, { getbuf: PyBUF.SIMPLE });

    // Issue #22445: New precise contiguity definition.
    for (const shape of [
      [1, 12, 1],
      [7, 0, 7],
    ]) {
      for (const order of [0, ND.FORTRAN]) {
        const e = ndarray(items, { shape, flags: order | ND.WRITABLE });
        expect(is_contiguous(e, 'F')).toBe(true);
        expect(is_contiguous(e, 'C')).toBe(true);
        for (const flags of requests) {
          const nd = ndarray(e, { getbuf: flags });
          expect(is_contiguous(nd, 'F')).toBe(true);
          expect(is_contiguous(nd, 'C')).toBe(true);
        }
      }
    }
  });

  it('test_ndarray_exceptions', () => {
    let nd = ndarray([9], { shape: [1] });
    const ndm = ndarray([9], { shape: [1], flags: ND.VAREXPORT });

    const ctors: Ctor[] = [
      (items, kw) => new NDArray(items, kw as object),
      (items, kw) => nd.push(items, kw as never),
      (items, kw) => ndm.push(items, kw as never),
    ];
    for (const c of ctors) {
      // Invalid types.
      raises(TypeError, () => c(new Set([1, 2, 3])));
      raises(TypeError, () => c([1, 2, '3']));
      raises(TypeError, () => c([1, 2, tuple([3, 4])]));
      raises(TypeError, () => c([1, 2, 3], { shape: new Set([3]) }));
      raises(TypeError, () => c([1, 2, 3], { shape: [3], strides: new Set([1]) }));
      raises(TypeError, () => c([1, 2, 3], { shape: [3], offset: [] }));
      raises(TypeError, () => c([1], { shape: [1], format: {} }));
      raises(TypeError, () => c([1], { shape: [1], flags: {} }));
      raises(TypeError, () => c([1], { shape: [1], getbuf: {} }));

      // ND_FORTRAN flag is only valid without strides.
      raises(TypeError, () => c([1], { shape: [1], strides: [1], flags: ND.FORTRAN }));
      // ND_PIL flag is only valid with ndim > 0.
      raises(TypeError, () => c([1], { shape: [], flags: ND.PIL }));

      // Invalid items.
      raises(ValueError, () => c([], { shape: [1] }));
      raises(ValueError, () => c(['XXX'], { shape: [1], format: 'L' }));
      // Invalid combination of items and format.
      raises(StructError, () => c([1000], { shape: [1], format: 'B' }));
      raises(ValueError, () => c([1, tuple([2, 3])], { shape: [2], format: 'B' }));
      raises(ValueError, () => c([1, 2, 3], { shape: [3], format: 'QL' }));

      // Invalid ndim.
      const n = testbuffer.ND_MAX_NDIM + 1;
      raises(ValueError, () => c(new Array(n).fill(1), { shape: new Array(n).fill(1) }));

      // Invalid shape.
      raises(ValueError, () => c([1], { shape: [-1] }));
      raises(ValueError, () => c([1, 2, 3], { shape: ['3'] }));
      raises(OverflowError, () => c([1], { shape: [2n ** 128n] }));
      // prod(shape) * itemsize != len(items)
      raises(ValueError, () => c([1, 2, 3, 4, 5], { shape: [2, 2], offset: 3 }));

      // Invalid strides.
      raises(ValueError, () => c([1, 2, 3], { shape: [3], strides: ['1'] }));
      raises(OverflowError, () => c([1], { shape: [1], strides: [2n ** 128n] }));

      // Invalid combination of strides and shape.
      raises(ValueError, () => c([1, 2], { shape: [2, 1], strides: [1] }));
      // Invalid combination of strides and format.
      raises(ValueError, () => c([1, 2, 3, 4], { shape: [2], strides: [3], format: 'L' }));

      // Invalid offset.
      raises(ValueError, () => c([1, 2, 3], { shape: [3], offset: 4 }));
      raises(ValueError, () => c([1, 2, 3], { shape: [1], offset: 3, format: 'L' }));

      // Invalid format.
      raises(ValueError, () => c([1, 2, 3], { shape: [3], format: '' }));
      raises(StructError, () => c([tuple([1, 2, 3])], { shape: [1], format: '@#$' }));

      // Striding out of the memory bounds.
      const items = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
      raises(ValueError, () => c(items, { shape: [2, 3], strides: [-3, -2], offset: 5 }));

      // Constructing consumer: format argument invalid.
      raises(TypeError, () => c(new Bytes(0), { format: 'Q' }));

      // Constructing original base object: getbuf argument invalid.
      raises(TypeError, () => c([1], { shape: [1], getbuf: PyBUF.FULL }));

      // Shape argument is mandatory for original base objects.
      raises(TypeError, () => c([1]));
    }

    // PyBUF_WRITABLE request to read-only provider.
    raises(BufferError, () => ndarray(new Bytes('123'), { getbuf: PyBUF.WRITABLE }));

    // ND_VAREXPORT can only be specified during construction.
    nd = ndarray([9], { shape: [1], flags: ND.VAREXPORT });
    raises(ValueError, () => nd.push([1], { shape: [1], flags: ND.VAREXPORT }));

    // Invalid operation for consumers: push/pop
    nd = ndarray(new Bytes('123'));
    raises(BufferError, () => nd.push([1], { shape: [1] }));
    raises(BufferError, () => nd.pop());

    // ND_VAREXPORT not set: push/pop fail with exported buffers
    nd = ndarray([9], { shape: [1] });
    nd.push([1], { shape: [1] });
    const m = memoryview(nd);
    raises(BufferError, () => nd.push([1], { shape: [1] }));
    raises(BufferError, () => nd.pop());
    m.release();
    nd.pop();

    // Single remaining buffer: pop fails
    raises(BufferError, () => nd.pop());

    // get_pointer()
    raises(TypeError, () => get_pointer({}, [1, 2, 3]));
    raises(TypeError, () => get_pointer(new Bytes('123'), {}));

    nd = ndarray(
      Array.from({ length: 100 }, (_, i) => i),
      { shape: new Array(100).fill(1) },
    );
    raises(ValueError, () => get_pointer(nd, [5]));

    nd = ndarray(
      Array.from({ length: 12 }, (_, i) => i),
      { shape: [3, 4] },
    );
    raises(ValueError, () => get_pointer(nd, [2, 3, 4]));
    raises(ValueError, () => get_pointer(nd, [3, 3]));
    raises(ValueError, () => get_pointer(nd, [-3, 3]));
    raises(OverflowError, () => get_pointer(nd, [1n << 64n, 3]));

    // tolist() needs format
    const ex = ndarray([1, 2, 3], { shape: [3], format: 'L' });
    nd = ndarray(ex, { getbuf: PyBUF.SIMPLE });
    raises(ValueError, () => nd.tolist());

    // memoryview_from_buffer()
    const ex1 = ndarray([1, 2, 3], { shape: [3], format: 'L' });
    const ex2 = ndarray(ex1);
    nd = ndarray(ex2);
    raises(TypeError, () => nd.memoryview_from_buffer());

    nd = ndarray([tuple(new Array(200).fill(1))], { shape: [1], format: 'L'.repeat(200) });
    raises(TypeError, () => nd.memoryview_from_buffer());

    const n = testbuffer.ND_MAX_NDIM;
    nd = ndarray(
      Array.from({ length: n }, (_, i) => i),
      { shape: new Array(n).fill(1) },
    );
    raises(ValueError, () => nd.memoryview_from_buffer());

    // get_contiguous()  (the wrong-arity call get_contiguous(1, 2, 3, 4, 5) is not applicable)
    nd = ndarray([1], { shape: [1] });
    raises(TypeError, () => get_contiguous(nd, 'xyz', 'C'));
    raises(OverflowError, () => get_contiguous(nd, 2n ** 64n, 'C'));
    raises(TypeError, () => get_contiguous(nd, PyBUF.READ, 961));
    raises(UnicodeEncodeError, () => get_contiguous(nd, PyBUF.READ, '\u2007'));
    raises(ValueError, () => get_contiguous(nd, PyBUF.READ, 'Z'));
    raises(ValueError, () => get_contiguous(nd, 255, 'A'));

    // cmp_contig()  (wrong arity not applicable)
    nd = ndarray([1], { shape: [1] });
    raises(TypeError, () => cmp_contig({}, nd));
    raises(TypeError, () => cmp_contig(nd, {}));

    // is_contiguous()  (wrong arity not applicable)
    nd = ndarray([1], { shape: [1] });
    raises(TypeError, () => is_contiguous({}, 'A'));
    raises(TypeError, () => is_contiguous(nd, 201));
  });

  it('test_ndarray_linked_list', () =>
    withSeeds(() => {
      for (const perm of permutations([0, 1, 2, 3, 4])) {
        const m: MemoryView[] = [];
        const nd = ndarray([1, 2, 3], { shape: [3], flags: ND.VAREXPORT });
        m[0] = memoryview(nd);
        for (let i = 1; i < 5; i++) {
          nd.push([1, 2, 3], { shape: [3] });
          m[i] = memoryview(nd);
        }
        for (let i = 0; i < 5; i++) m[perm[i]].release();
        raises(BufferError, () => nd.pop());
      }
    }));

  it('test_ndarray_format_scalar', () =>
    withSeeds(() => {
      for (const [fmt, scalar] of iter_format(0)) {
        const itemsize = struct.calcsize(fmt);
        const nd = ndarray(scalar, { shape: [], format: fmt });
        verify(nd, { obj: null, itemsize, fmt, readonly: true, ndim: 0, shape: [], strides: [], lst: scalar });
      }
    }));

  it('test_ndarray_format_shape', () =>
    withSeeds(() => {
      const nitems = randint(1, 10);
      for (const [fmt, items] of iter_format(nitems)) {
        const itemsize = struct.calcsize(fmt);
        for (const flags of [0, ND.PIL]) {
          const nd = ndarray(items, { shape: [nitems], format: fmt, flags });
          verify(nd, {
            obj: null,
            itemsize,
            fmt,
            readonly: true,
            ndim: 1,
            shape: [nitems],
            strides: [itemsize],
            lst: items,
          });
        }
      }
    }));

  it('test_ndarray_format_strides', () =>
    withSeeds(() => {
      const nitems = randint(1, 30);
      for (const [fmt, items] of iter_format(nitems)) {
        const itemsize = struct.calcsize(fmt);
        for (let step = -5; step < 5; step++) {
          if (step === 0) continue;
          const sliced = getSlice(items as PyValue[], S(null, null, step));
          const shape = [sliced.length];
          const strides = [step * itemsize];
          const offset = step < 0 ? itemsize * (nitems - 1) : 0;
          for (const flags of [0, ND.PIL]) {
            const nd = ndarray(items, { shape, strides, format: fmt, offset, flags });
            verify(nd, { obj: null, itemsize, fmt, readonly: true, ndim: 1, shape, strides, lst: sliced });
          }
        }
      }
    }));

  it('test_ndarray_fortran', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const ex = ndarray(items, { shape: [3, 4], strides: [1, 3] });
    const nd = ndarray(ex, { getbuf: PyBUF.F_CONTIGUOUS | PyBUF.FORMAT });
    assertEq(nd.tolist(), farray(items, [3, 4]));
  });

  it('test_ndarray_multidim', () =>
    withSeeds(() => {
      for (let ndim = 0; ndim < 5; ndim++) {
        const shape_t = Array.from({ length: ndim }, () => randint(2, 10));
        const nitems = prod(shape_t);
        for (const shape of permutations(shape_t)) {
          const [fmt, items] = randitems(nitems);
          const itemsize = struct.calcsize(fmt);
          for (const flags of [0, ND.PIL]) {
            if (ndim === 0 && flags === ND.PIL) continue;
            // C array
            let nd = ndarray(items, { shape, format: fmt, flags });
            let strides = strides_from_shape(ndim, shape, itemsize, 'C');
            let lst = carray(items, shape);
            verify(nd, { obj: null, itemsize, fmt, readonly: true, ndim, shape, strides, lst });

            if (is_memoryview_format(fmt)) {
              // memoryview: reconstruct strides
              const ex = ndarray(items, { shape, format: fmt });
              nd = ndarray(ex, { getbuf: PyBUF.CONTIG_RO | PyBUF.FORMAT });
              expect(nd.strides).toEqual([]);
              const mv = nd.memoryview_from_buffer();
              verify(mv, { obj: null, itemsize, fmt, readonly: true, ndim, shape, strides, lst });
            }

            // Fortran array
            nd = ndarray(items, { shape, format: fmt, flags: flags | ND.FORTRAN });
            strides = strides_from_shape(ndim, shape, itemsize, 'F');
            lst = farray(items, shape);
            verify(nd, { obj: null, itemsize, fmt, readonly: true, ndim, shape, strides, lst });
          }
        }
      }
    }));

  it('test_ndarray_index_invalid', () => {
    // not writable
    let nd = ndarray([1], { shape: [1] });
    raises(TypeError, () => nd.set(1, 8));
    let mv = memoryview(nd);
    assertMvEq(mv, nd);
    raises(TypeError, () => mv.set(1, 8));

    // cannot be deleted
    nd = ndarray([1], { shape: [1], flags: ND.WRITABLE });
    raises(TypeError, () => nd.delete(1));
    mv = memoryview(nd);
    assertMvEq(mv, nd);
    raises(TypeError, () => mv.delete(1));

    // overflow
    nd = ndarray([1], { shape: [1], flags: ND.WRITABLE });
    raises(OverflowError, () => nd.get(1n << 64n));
    raises(OverflowError, () => nd.set(1n << 64n, 8));
    mv = memoryview(nd);
    assertMvEq(mv, nd);
    raises(IndexError, () => mv.get(1n << 64n));
    raises(IndexError, () => mv.set(1n << 64n, 8));

    // format
    let items: PyValue[] = [1, 2, 3, 4, 5, 6, 7, 8];
    nd = ndarray(items, { shape: [items.length], format: 'B', flags: ND.WRITABLE });
    raises(StructError, () => nd.set(2, 300));
    raises(ValueError, () => nd.set(1, tuple([100, 200])));
    mv = memoryview(nd);
    assertMvEq(mv, nd);
    raises(ValueError, () => mv.set(2, 300));
    raises(TypeError, () => mv.set(1, tuple([100, 200])));

    items = [tuple([1, 2]), tuple([3, 4]), tuple([5, 6])];
    nd = ndarray(items, { shape: [items.length], format: 'LQ', flags: ND.WRITABLE });
    raises(ValueError, () => nd.set(2, 300));
    raises(StructError, () => nd.set(1, tuple([new Uint8Array([0, 0x31]), 200])));
  });

  it('test_ndarray_index_scalar', () => {
    const nd = ndarray(1, { shape: [], flags: ND.WRITABLE });
    const mv = memoryview(nd);
    assertMvEq(mv, nd);

    assertEq(nd.get([]), 1);
    assertEq((nd.get(Ellipsis) as NDArray).tolist(), nd.tolist());
    assertEq(mv.get([]), 1);
    assertEq((mv.get(Ellipsis) as MemoryView).tolist(), nd.tolist());

    raises(TypeError, () => nd.get(0));
    raises(TypeError, () => mv.get(0));
    raises(TypeError, () => nd.set(0, 8));
    raises(TypeError, () => mv.set(0, 8));

    assertEq(nd.tolist(), 1);
    assertEq(mv.tolist(), 1);

    nd.set([], 9);
    assertEq(nd.tolist(), 9);
    mv.set([], 9);
    assertEq(mv.tolist(), 9);
    nd.set(Ellipsis, 5);
    assertEq(nd.tolist(), 5);
    mv.set(Ellipsis, 5);
    assertEq(mv.tolist(), 5);
  });

  it('test_ndarray_index_null_strides', () => {
    const ex = ndarray(
      Array.from({ length: 8 }, (_, i) => i),
      { shape: [2, 4], flags: ND.WRITABLE },
    );
    const nd = ndarray(ex, { getbuf: PyBUF.CONTIG });
    // Sub-views are only possible for full exporters.
    raises(BufferError, () => nd.get(1));
    // Same for slices.
    raises(BufferError, () => nd.get(S(3, 5, 1)));
  });

  it('test_ndarray_index_getitem_single', () =>
    withSeeds(() => {
      for (const [fmt, items0] of iter_format(5)) {
        const items = items0 as PyValue[];
        const nd = ndarray(items, { shape: [5], format: fmt });
        for (let i = -5; i < 5; i++) assertEq(nd.get(i), items.at(i));
        raises(IndexError, () => nd.get(-6));
        raises(IndexError, () => nd.get(5));
        if (is_memoryview_format(fmt)) {
          const mv = memoryview(nd);
          assertMvEq(mv, nd);
          for (let i = -5; i < 5; i++) assertEq(mv.get(i), items.at(i));
          raises(IndexError, () => mv.get(-6));
          raises(IndexError, () => mv.get(5));
        }
      }

      // getitem with null strides
      for (const [fmt, items0] of iter_format(5)) {
        const items = items0 as PyValue[];
        const ex = ndarray(items, { shape: [5], flags: ND.WRITABLE, format: fmt });
        const nd = ndarray(ex, { getbuf: PyBUF.CONTIG | PyBUF.FORMAT });
        for (let i = -5; i < 5; i++) assertEq(nd.get(i), items.at(i));
        if (is_memoryview_format(fmt)) {
          const mv = nd.memoryview_from_buffer();
          // mv.__eq__(nd) is NotImplemented (nd cannot export a full buffer), so mv == nd is False
          expect(mv.equals(nd)).toBe(false);
          for (let i = -5; i < 5; i++) assertEq(mv.get(i), items.at(i));
        }
      }

      // getitem with null format
      const items = [1, 2, 3, 4, 5];
      let ex = ndarray(items, { shape: [5] });
      let nd = ndarray(ex, { getbuf: PyBUF.CONTIG_RO });
      for (let i = -5; i < 5; i++) assertEq(nd.get(i), items.at(i));

      // getitem with null shape/strides/format
      ex = ndarray(items, { shape: [5] });
      nd = ndarray(ex, { getbuf: PyBUF.SIMPLE });
      for (let i = -5; i < 5; i++) assertEq(nd.get(i), items.at(i));
    }));

  it('test_ndarray_index_setitem_single', () =>
    withSeeds(() => {
      // assign single value
      for (const [fmt, items0, single_item] of iter_format(5)) {
        const items = items0 as PyValue[];
        let nd = ndarray(items, { shape: [5], format: fmt, flags: ND.WRITABLE });
        for (let i = 0; i < 5; i++) {
          items[i] = single_item;
          nd.set(i, single_item);
        }
        assertEq(nd.tolist(), items);
        raises(IndexError, () => nd.set(-6, single_item));
        raises(IndexError, () => nd.set(5, single_item));

        if (!is_memoryview_format(fmt)) continue;

        nd = ndarray(items, { shape: [5], format: fmt, flags: ND.WRITABLE });
        const mv = memoryview(nd);
        assertMvEq(mv, nd);
        for (let i = 0; i < 5; i++) {
          items[i] = single_item;
          mv.set(i, single_item);
        }
        assertEq(mv.tolist(), items);
        raises(IndexError, () => mv.set(-6, single_item));
        raises(IndexError, () => mv.set(5, single_item));
      }

      // assign single value: lobject = robject
      for (const [fmt, items0] of iter_format(5)) {
        const items = items0 as PyValue[];
        let nd = ndarray(items, { shape: [5], format: fmt, flags: ND.WRITABLE });
        for (let i = -5; i < 4; i++) {
          items[(i + 5) % 5] = items[i + 1 < 0 ? i + 6 : i + 1];
          nd.set(i, nd.get(i + 1));
        }
        assertEq(nd.tolist(), items);

        if (!is_memoryview_format(fmt)) continue;

        nd = ndarray(items, { shape: [5], format: fmt, flags: ND.WRITABLE });
        const mv = memoryview(nd);
        assertMvEq(mv, nd);
        for (let i = -5; i < 4; i++) {
          items[(i + 5) % 5] = items[i + 1 < 0 ? i + 6 : i + 1];
          mv.set(i, mv.get(i + 1));
        }
        assertEq(mv.tolist(), items);
      }
    }));

  it('test_ndarray_index_getitem_multidim', () =>
    withSeeds(() => {
      const shape_t = [2, 3, 5];
      const nitems = prod(shape_t);
      for (const shape of permutations(shape_t)) {
        const [fmt, items] = randitems(nitems);
        for (const flags of [0, ND.PIL]) {
          // C array
          let nd = ndarray(items, { shape, format: fmt, flags });
          let lst = carray(items, shape) as PyValue[][][];
          for (let i = -shape[0]; i < shape[0]; i++) {
            assertEq(lst.at(i), (nd.get(i) as NDArray).tolist());
            for (let j = -shape[1]; j < shape[1]; j++) {
              assertEq(lst.at(i)!.at(j), (at(nd.get(i), j) as NDArray).tolist());
              for (let k = -shape[2]; k < shape[2]; k++) {
                assertEq(lst.at(i)!.at(j)!.at(k), at(at(nd.get(i), j), k));
              }
            }
          }
          // Fortran array
          nd = ndarray(items, { shape, format: fmt, flags: flags | ND.FORTRAN });
          lst = farray(items, shape) as PyValue[][][];
          for (let i = -shape[0]; i < shape[0]; i++) {
            assertEq(lst.at(i), (nd.get(i) as NDArray).tolist());
            for (let j = -shape[1]; j < shape[1]; j++) {
              assertEq(lst.at(i)!.at(j), (at(nd.get(i), j) as NDArray).tolist());
              // CPython's innermost loop here is range(shape[2], shape[2]): empty
            }
          }
        }
      }
    }));

  it('test_ndarray_sequence', () =>
    withSeeds(() => {
      let nd = ndarray(1, { shape: [] });
      raises(TypeError, () => contains(nd as Iterable<unknown>, 1));
      let mv = memoryview(nd);
      assertMvEq(mv, nd);
      raises(TypeError, () => contains(mv, 1));

      for (const [fmt, items0] of iter_format(5)) {
        const items = items0 as PyValue[];
        nd = ndarray(items, { shape: [5], format: fmt });
        let i = 0;
        for (const v of nd) {
          assertEq(v, items[i++]);
          expect(contains(nd, v)).toBe(true);
        }
        if (is_memoryview_format(fmt)) {
          mv = memoryview(nd);
          i = 0;
          for (const v of mv) {
            assertEq(v, items[i++]);
            expect(contains(mv, v)).toBe(true);
          }
        }
      }
    }));

  it('test_ndarray_slice_invalid', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];

    // rvalue is not an exporter
    let xl = ndarray(items, { shape: [8], flags: ND.WRITABLE });
    let ml = memoryview(xl);
    raises(TypeError, () => xl.set(S(0, 8, 1), items));
    raises(TypeError, () => ml.set(S(0, 8, 1), items));

    // rvalue is not a full exporter
    xl = ndarray(items, { shape: [8], flags: ND.WRITABLE });
    const ex = ndarray(items, { shape: [8], flags: ND.WRITABLE });
    let xr = ndarray(ex, { getbuf: PyBUF.ND });
    raises(BufferError, () => xl.set(S(0, 8, 1), xr));

    // zero step
    let nd = ndarray(items, { shape: [8], format: 'L', flags: ND.WRITABLE });
    let mv = memoryview(nd);
    raises(ValueError, () => nd.get(S(0, 1, 0)));
    raises(ValueError, () => mv.get(S(0, 1, 0)));

    nd = ndarray(items, { shape: [2, 4], format: 'L', flags: ND.WRITABLE });
    mv = memoryview(nd);
    raises(ValueError, () => nd.get([S(0, 1, 1), S(0, 1, 0)]));
    raises(ValueError, () => nd.get([S(0, 1, 0), S(0, 1, 1)]));
    raises(TypeError, () => nd.get('@%$' as never));
    raises(TypeError, () => nd.get(['@%$', S(0, 1, 1)] as never));
    raises(TypeError, () => nd.get([S(0, 1, 1), {}] as never));

    // memoryview: not implemented
    raises(NotImplementedError, () => mv.get([S(0, 1, 1), S(0, 1, 0)]));
    raises(TypeError, () => mv.get('@%$' as never));

    // differing format
    xl = ndarray(items, { shape: [8], format: 'B', flags: ND.WRITABLE });
    xr = ndarray(items, { shape: [8], format: 'b' });
    ml = memoryview(xl);
    let mr = memoryview(xr);
    raises(ValueError, () => xl.set(S(0, 1, 1), xr.get(S(7, 8, null))));
    assertEq(xl.tolist(), items);
    raises(ValueError, () => ml.set(S(0, 1, 1), mr.get(S(7, 8, null))));
    assertEq(ml.tolist(), items);

    // differing itemsize
    xl = ndarray(items, { shape: [8], format: 'B', flags: ND.WRITABLE });
    ndarray(items, { shape: [8], format: 'L' }); // CPython builds yr and then uses xr (a slip kept as is)
    ml = memoryview(xl);
    mr = memoryview(xr);
    raises(ValueError, () => xl.set(S(0, 1, 1), xr.get(S(7, 8, null))));
    assertEq(xl.tolist(), items);
    raises(ValueError, () => ml.set(S(0, 1, 1), mr.get(S(7, 8, null))));
    assertEq(ml.tolist(), items);

    // differing ndim
    xl = ndarray(items, { shape: [2, 4], format: 'b', flags: ND.WRITABLE });
    xr = ndarray(items, { shape: [8], format: 'b' });
    ml = memoryview(xl);
    mr = memoryview(xr);
    raises(ValueError, () => xl.set(S(0, 1, 1), xr.get(S(7, 8, null))));
    assertEq(xl.tolist(), [
      [1, 2, 3, 4],
      [5, 6, 7, 8],
    ]);
    raises(NotImplementedError, () => ml.set(S(0, 1, 1), mr.get(S(7, 8, null))));

    // differing shape
    xl = ndarray(items, { shape: [8], format: 'b', flags: ND.WRITABLE });
    xr = ndarray(items, { shape: [8], format: 'b' });
    ml = memoryview(xl);
    mr = memoryview(xr);
    raises(ValueError, () => xl.set(S(0, 2, 1), xr.get(S(7, 8, null))));
    assertEq(xl.tolist(), items);
    raises(ValueError, () => ml.set(S(0, 2, 1), mr.get(S(7, 8, null))));
    assertEq(ml.tolist(), items);

    // _testbuffer.c module functions
    raises(TypeError, () => slice_indices(S(0, 1, 2), {}));
    raises(TypeError, () => slice_indices('###########', 1));
    raises(ValueError, () => slice_indices(S(0, 1, 0), 4));

    let x = ndarray(items, { shape: [8], format: 'b', flags: ND.PIL });
    raises(TypeError, () => x.add_suboffsets());

    const ex2 = ndarray(items, { shape: [8], format: 'B' });
    x = ndarray(ex2, { getbuf: PyBUF.SIMPLE });
    raises(TypeError, () => x.add_suboffsets());
  });

  it('test_ndarray_slice_zero_shape', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    let x = ndarray(items, { shape: [12], format: 'L', flags: ND.WRITABLE });
    let y = ndarray(items, { shape: [12], format: 'L' });
    x.set(S(4, 4, null), y.get(S(9, 9, null)));
    assertEq(x.tolist(), items);

    const ml = memoryview(x);
    const mr = memoryview(y);
    assertMvEq(ml, x);
    assertMvEq(ml, y);
    ml.set(S(4, 4, null), mr.get(S(9, 9, null)));
    assertEq(ml.tolist(), items);

    x = ndarray(items, { shape: [3, 4], format: 'L', flags: ND.WRITABLE });
    y = ndarray(items, { shape: [4, 3], format: 'L' });
    x.set([S(1, 2, null), S(2, 2, null)], y.get([S(1, 2, null), S(3, 3, null)]));
    assertEq(x.tolist(), carray(items, [3, 4]));
  });

  const sliceMultidim = (shape_t: number[], redundant: boolean): void => {
    const ndim = shape_t.length;
    const nitems = prod(shape_t);
    for (const shape of permutations(shape_t)) {
      const [fmt, items] = randitems(nitems);
      for (const flags of redundant ? [0] : [0, ND.PIL]) {
        const nd = ndarray(items, { shape, format: fmt, flags });
        if (redundant) {
          nd.add_suboffsets();
          const ex = ndarray(items, { shape, format: fmt });
          ex.add_suboffsets();
          memoryview(ex);
        }
        const lst = carray(items, shape);
        for (const slices of rslices_ndim(ndim, shape)) {
          let sliced: PyValue = null;
          const listerr = errorClass(() => {
            sliced = multislice(lst, slices);
          });
          let ndsliced: NDArray | null = null;
          const nderr = errorClass(() => {
            ndsliced = nd.get(slices) as NDArray;
          });
          if (nderr || listerr) expect(nderr).toBe(listerr);
          else assertEq((ndsliced as unknown as NDArray).tolist(), sliced);
        }
      }
    }
  };

  it('test_ndarray_slice_multidim', () => withSeeds(() => sliceMultidim([2, 3, 5], false)));

  it('test_ndarray_slice_redundant_suboffsets', () => withSeeds(() => sliceMultidim([2, 3, 5, 2], true)));

  it('test_ndarray_slice_assign_single', () =>
    withSeeds(() => {
      for (const [fmt, items0] of iter_format(5)) {
        const items = items0 as PyValue[];
        for (const lslice of genslices(5)) {
          for (const rslice of genslices(5)) {
            for (const flags of [0, ND.PIL]) {
              const f = flags | ND.WRITABLE;
              const nd = ndarray(items, { shape: [5], format: fmt, flags: f });
              const ex = ndarray(items, { shape: [5], format: fmt, flags: f });
              const mv = memoryview(ex);

              let diff_structure = false;
              const lst = items.slice();
              const lsterr = errorClass(() => {
                const lval = getSlice(lst, lslice);
                const rval = getSlice(lst, rslice);
                setSlice(lst, lslice, getSlice(lst, rslice));
                diff_structure = lval.length !== rval.length;
              });
              const nderr = errorClass(() => nd.set(lslice, nd.get(rslice)));
              if (diff_structure) {
                expect(nderr).toBe('ValueError');
              } else {
                assertEq(nd.tolist(), lst);
                expect(nderr).toBe(lsterr);
              }

              if (!is_memoryview_format(fmt)) continue;

              const mverr = errorClass(() => mv.set(lslice, mv.get(rslice)));
              if (diff_structure) {
                expect(mverr).toBe('ValueError');
              } else {
                assertEq(mv.tolist(), lst);
                assertMvEq(mv, nd);
                expect(mverr).toBe(lsterr);
                verify(mv, {
                  obj: ex,
                  itemsize: nd.itemsize,
                  fmt,
                  readonly: false,
                  ndim: nd.ndim,
                  shape: nd.shape,
                  strides: nd.strides,
                  lst: nd.tolist() as PyValue,
                });
              }
            }
          }
        }
      }
    }));

  it('test_ndarray_slice_assign_multidim', () =>
    withSeeds(() => {
      const shape_t = [2, 3, 5];
      const ndim = shape_t.length;
      const nitems = prod(shape_t);
      for (const shape of permutations(shape_t)) {
        const [fmt, items] = randitems(nitems);
        for (const flags of [0, ND.PIL]) {
          for (let it = 0; it < ITERATIONS; it++) {
            const [lslices, rslices] = randslice_from_shape(ndim, shape);
            const nd = ndarray(items, { shape, format: fmt, flags: flags | ND.WRITABLE });
            const lst = carray(items, shape);
            let result: PyValue = null;
            // as CPython's test: one list on both sides, so rows read what earlier rows wrote (copy_rec)
            const listerr = errorClass(() => {
              result = multislice_assign(lst, lst, lslices, rslices);
            });
            const nderr = errorClass(() => nd.set(lslices, nd.get(rslices)));
            if (nderr || listerr) expect(nderr).toBe(listerr);
            else assertEq(nd.tolist(), result);
          }
        }
      }
    }));

  it('test_ndarray_random', () =>
    withSeeds(() => {
      // construction of valid arrays
      for (let it = 0; it < ITERATIONS; it++) {
        for (const fmt of Object.keys(fmtdict['@'])) {
          const itemsize = struct.calcsize(fmt);
          const t = rand_structure(itemsize, true, MAXDIM, MAXSHAPE);
          expect(verify_structure(...t)).toBe(true);
          const items = randitems_from_structure(fmt, t);
          const x = ndarray_from_structure(items, fmt, t);
          const xlist = x.tolist();
          let mv = memoryview(x);
          if (is_memoryview_format(fmt)) assertEq(mv.tolist(), xlist);
          if (t[2] > 0) {
            // ndim > 0: test against suboffsets representation.
            const y = ndarray_from_structure(items, fmt, t, ND.PIL);
            const ylist = y.tolist();
            assertEq(xlist, ylist);
            mv = memoryview(y);
            if (is_memoryview_format(fmt)) {
              assertMvEq(mv, y);
              assertEq(mv.tolist(), ylist);
            }
          }
          // (numpy is not part of this port)
        }
      }
    }));

  it('test_ndarray_random_invalid', () =>
    withSeeds(() => {
      // exceptions during construction of invalid arrays
      for (let it = 0; it < ITERATIONS; it++) {
        for (const fmt of Object.keys(fmtdict['@'])) {
          const itemsize = struct.calcsize(fmt);
          const t = rand_structure(itemsize, false, MAXDIM, MAXSHAPE);
          expect(verify_structure(...t)).toBe(false);
          const items = randitems_from_structure(fmt, t);
          const nderr = errorClass(() => ndarray_from_structure(items, fmt, t));
          expect(nderr).toBeTruthy();
        }
      }
    }));

  it('test_ndarray_random_slice_assign', () =>
    withSeeds(() => {
      // valid slice assignments
      for (let it = 0; it < ITERATIONS; it++) {
        for (const fmt of Object.keys(fmtdict['@'])) {
          const itemsize = struct.calcsize(fmt);
          const [lshape, rshape, lslices, rslices] = rand_aligned_slices(MAXDIM, MAXSHAPE);
          const tl = rand_structure(itemsize, true, 5, 16, lshape);
          const tr = rand_structure(itemsize, true, 5, 16, rshape);
          expect(verify_structure(...tl)).toBe(true);
          expect(verify_structure(...tr)).toBe(true);
          const litems = randitems_from_structure(fmt, tl);
          const ritems = randitems_from_structure(fmt, tr);

          const xl = ndarray_from_structure(litems, fmt, tl);
          const xr = ndarray_from_structure(ritems, fmt, tr);
          xl.set(lslices, xr.get(rslices));
          const xllist = xl.tolist();
          const xrlist = xr.tolist();

          let ml = memoryview(xl);
          let mr = memoryview(xr);
          assertEq(ml.tolist(), xllist);
          assertEq(mr.tolist(), xrlist);

          if (tl[2] > 0 && tr[2] > 0) {
            // ndim > 0: test against suboffsets representation.
            const yl = ndarray_from_structure(litems, fmt, tl, ND.PIL);
            const yr = ndarray_from_structure(ritems, fmt, tr, ND.PIL);
            yl.set(lslices, yr.get(rslices));
            const yllist = yl.tolist();
            const yrlist = yr.tolist();
            assertEq(xllist, yllist);
            assertEq(xrlist, yrlist);
            ml = memoryview(yl);
            mr = memoryview(yr);
            assertEq(ml.tolist(), yllist);
            assertEq(mr.tolist(), yrlist);
          }
        }
      }
    }));

  it('test_ndarray_re_export', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const nd = ndarray(items, { shape: [3, 4], flags: ND.PIL });
    const ex = ndarray(nd);
    expect(ex.flags & ND.PIL).toBeTruthy();
    expect(ex.obj).toBe(nd);
    expect(ex.suboffsets).toEqual([0, -1]);
    expect(ex.c_contiguous).toBe(false);
    expect(ex.f_contiguous).toBe(false);
    expect(ex.contiguous).toBe(false);
  });

  it('test_ndarray_zero_shape', () => {
    for (const flags of [0, ND.PIL]) {
      let nd = ndarray([1, 2, 3], { shape: [0], flags });
      const mv = memoryview(nd);
      assertMvEq(mv, nd);
      assertEq(nd.tolist(), []);
      assertEq(mv.tolist(), []);
      nd = ndarray([1, 2, 3], { shape: [0, 3, 3], flags });
      assertEq(nd.tolist(), []);
      nd = ndarray([1, 2, 3], { shape: [3, 0, 3], flags });
      assertEq(nd.tolist(), [[], [], []]);
      nd = ndarray([1, 2, 3], { shape: [3, 3, 0], flags });
      assertEq(nd.tolist(), [
        [[], [], []],
        [[], [], []],
        [[], [], []],
      ]);
    }
  });

  it('test_ndarray_zero_strides', () => {
    for (const flags of [0, ND.PIL]) {
      const nd = ndarray([1], { shape: [5], strides: [0], flags });
      const mv = memoryview(nd);
      assertMvEq(mv, nd);
      assertEq(nd.tolist(), [1, 1, 1, 1, 1]);
      assertEq(mv.tolist(), [1, 1, 1, 1, 1]);
    }
  });

  it('test_ndarray_offset', () => {
    const nd = ndarray(
      Array.from({ length: 20 }, (_, i) => i),
      { shape: [3], offset: 7 },
    );
    expect(nd.offset).toBe(7);
    assertEq(nd.tolist(), [7, 8, 9]);
  });

  it('test_ndarray_memoryview_from_buffer', () => {
    for (const flags of [0, ND.PIL]) {
      const nd = ndarray([0, 1, 2], { shape: [3], flags });
      const m = nd.memoryview_from_buffer();
      assertMvEq(m, nd);
    }
  });

  it('test_ndarray_get_pointer', () => {
    for (const flags of [0, ND.PIL]) {
      const nd = ndarray([0, 1, 2], { shape: [3], flags });
      for (let i = 0; i < 3; i++) assertEq(nd.get(i), get_pointer(nd, [i]));
    }
  });

  it('test_ndarray_tolist_null_strides', () => {
    const ex = ndarray(
      Array.from({ length: 20 }, (_, i) => i),
      { shape: [2, 2, 5] },
    );
    const nd = ndarray(ex, { getbuf: PyBUF.ND | PyBUF.FORMAT });
    assertEq(nd.tolist(), ex.tolist());
    const m = memoryview(ex);
    assertEq(m.tolist(), ex.tolist());
  });

  it('test_ndarray_cmp_contig', () => {
    expect(cmp_contig(new Bytes('123'), new Bytes('456'))).toBe(false);
    let x = ndarray(
      Array.from({ length: 12 }, (_, i) => i),
      { shape: [3, 4] },
    );
    const y = ndarray(
      Array.from({ length: 12 }, (_, i) => i),
      { shape: [4, 3] },
    );
    expect(cmp_contig(x, y)).toBe(false);
    x = ndarray([1], { shape: [1], format: 'B' });
    expect(cmp_contig(x, new Bytes([1]))).toBe(true);
    expect(cmp_contig(new Bytes([1]), x)).toBe(true);
  });

  it('test_ndarray_hash', () => {
    const hashBytes = (b: number[]): number => memoryview(new Bytes(b)).hash();
    const r12 = Array.from({ length: 12 }, (_, i) => i);

    // array.array('L', [1, 2, 3]): a writable exporter
    const a = typedArray('L', [1, 2, 3]);
    const nd0 = ndarray(a);
    raises(ValueError, () => nd0.hash());

    // one-dimensional
    let b = hashBytes(r12);
    let nd = ndarray(r12, { shape: [12] });
    expect(nd.hash()).toBe(b);

    // C-contiguous
    nd = ndarray(r12, { shape: [3, 4] });
    expect(nd.hash()).toBe(b);
    nd = ndarray(r12, { shape: [3, 2, 2] });
    expect(nd.hash()).toBe(b);

    // Fortran contiguous
    b = hashBytes(transpose(r12, [4, 3]));
    nd = ndarray(r12, { shape: [3, 4], flags: ND.FORTRAN });
    expect(nd.hash()).toBe(b);
    b = hashBytes(transpose(r12, [2, 3, 2]));
    nd = ndarray(r12, { shape: [2, 3, 2], flags: ND.FORTRAN });
    expect(nd.hash()).toBe(b);

    // suboffsets
    b = hashBytes(r12);
    nd = ndarray(r12, { shape: [2, 2, 3], flags: ND.PIL });
    expect(nd.hash()).toBe(b);

    // non-byte formats
    nd = ndarray(r12, { shape: [2, 2, 3], format: 'L' });
    expect(nd.hash()).toBe(hashBytes(Array.from(nd.tobytes())));
  });

  it('test_py_buffer_to_contiguous', () => {
    const requests = [
      PyBUF.INDIRECT,
      PyBUF.STRIDES,
      PyBUF.ND,
      PyBUF.SIMPLE,
      PyBUF.FULL,
      PyBUF.FULL_RO,
      PyBUF.RECORDS,
      PyBUF.RECORDS_RO,
      PyBUF.STRIDED,
      PyBUF.STRIDED_RO,
      PyBUF.CONTIG,
      PyBUF.CONTIG_RO,
    ];
    const orders = ['C', 'F', 'A'];

    // no buffer interface
    raises(TypeError, () => py_buffer_to_contiguous({}, 'F', PyBUF.FULL_RO));

    // scalar, read-only request
    let nd = ndarray(9, { shape: [], format: 'L', flags: ND.WRITABLE });
    for (const order of orders) {
      for (const request of requests) assertEq(py_buffer_to_contiguous(nd, order, request), nd.tobytes());
    }

    // zeros in shape
    nd = ndarray([1], { shape: [0], format: 'L', flags: ND.WRITABLE });
    for (const order of orders) {
      for (const request of requests) assertEq(py_buffer_to_contiguous(nd, order, request), new Uint8Array(0));
    }
    nd = ndarray(
      Array.from({ length: 8 }, (_, i) => i),
      { shape: [2, 0, 7], format: 'L', flags: ND.WRITABLE },
    );
    for (const order of orders) {
      for (const request of requests) assertEq(py_buffer_to_contiguous(nd, order, request), new Uint8Array(0));
    }

    // one-dimensional
    for (const f of [0, ND.FORTRAN]) {
      nd = ndarray([1], { shape: [1], format: 'h', flags: f | ND.WRITABLE });
      let ndbytes = nd.tobytes();
      for (const order of orders) {
        for (const request of requests) assertEq(py_buffer_to_contiguous(nd, order, request), ndbytes);
      }
      nd = ndarray([1, 2, 3], { shape: [3], format: 'b', flags: f | ND.WRITABLE });
      ndbytes = nd.tobytes();
      for (const order of orders) {
        for (const request of requests) assertEq(py_buffer_to_contiguous(nd, order, request), ndbytes);
      }
    }

    // one-dimensional, non-contiguous input
    nd = ndarray([1, 2, 3], { shape: [2], strides: [2], flags: ND.WRITABLE });
    let ndbytes = nd.tobytes();
    for (const order of orders) {
      for (const request of [PyBUF.STRIDES, PyBUF.FULL]) {
        assertEq(py_buffer_to_contiguous(nd, order, request), ndbytes);
      }
    }
    nd = nd.get(S(null, null, -1)) as NDArray;
    ndbytes = nd.tobytes();
    for (const order of orders) {
      for (const request of requests) {
        let b: Uint8Array;
        try {
          b = py_buffer_to_contiguous(nd, order, request);
        } catch (e) {
          if (e instanceof BufferError) continue;
          throw e;
        }
        assertEq(b, ndbytes);
      }
    }

    // multi-dimensional, contiguous input
    const lst = Array.from({ length: 12 }, (_, i) => i);
    for (const f of [0, ND.FORTRAN]) {
      nd = ndarray(lst, { shape: [3, 4], flags: f | ND.WRITABLE });

      // 'C' request
      let expected: Uint8Array;
      if (f === ND.FORTRAN) {
        expected = ndarray(transpose(lst, [4, 3]), { shape: [3, 4], flags: ND.WRITABLE }).tobytes();
      } else {
        expected = nd.tobytes();
      }
      for (const request of requests) {
        let b: Uint8Array;
        try {
          b = py_buffer_to_contiguous(nd, 'C', request);
        } catch (e) {
          if (e instanceof BufferError) continue;
          throw e;
        }
        assertEq(b, expected);
        const y = ndarray(Array.from(b), { shape: [3, 4], flags: ND.WRITABLE });
        assertMvEq(memoryview(y), memoryview(nd));
      }

      // 'F' request
      const x =
        f === 0
          ? ndarray(transpose(lst, [3, 4]), { shape: [4, 3], flags: ND.WRITABLE })
          : ndarray(lst, { shape: [3, 4], flags: ND.WRITABLE });
      expected = x.tobytes();
      for (const request of [PyBUF.FULL, PyBUF.FULL_RO, PyBUF.INDIRECT, PyBUF.STRIDES, PyBUF.ND]) {
        let b: Uint8Array;
        try {
          b = py_buffer_to_contiguous(nd, 'F', request);
        } catch (e) {
          if (e instanceof BufferError) continue;
          throw e;
        }
        assertEq(b, expected);
        const y = ndarray(Array.from(b), { shape: [3, 4], flags: ND.FORTRAN | ND.WRITABLE });
        assertMvEq(memoryview(y), memoryview(nd));
      }

      // 'A' request
      expected = f === ND.FORTRAN ? ndarray(lst, { shape: [3, 4], flags: ND.WRITABLE }).tobytes() : nd.tobytes();
      for (const request of [PyBUF.FULL, PyBUF.FULL_RO, PyBUF.INDIRECT, PyBUF.STRIDES, PyBUF.ND]) {
        let b: Uint8Array;
        try {
          b = py_buffer_to_contiguous(nd, 'A', request);
        } catch (e) {
          if (e instanceof BufferError) continue;
          throw e;
        }
        assertEq(b, expected);
        const y = ndarray(Array.from(b), { shape: [3, 4], flags: f | ND.WRITABLE });
        assertMvEq(memoryview(y), memoryview(nd));
      }
    }

    // multi-dimensional, non-contiguous input
    nd = ndarray(lst, { shape: [3, 4], flags: ND.WRITABLE | ND.PIL });
    // 'C'
    let b = py_buffer_to_contiguous(nd, 'C', PyBUF.FULL_RO);
    assertEq(b, nd.tobytes());
    let y = ndarray(Array.from(b), { shape: [3, 4], flags: ND.WRITABLE });
    assertMvEq(memoryview(y), memoryview(nd));
    // 'F'
    b = py_buffer_to_contiguous(nd, 'F', PyBUF.FULL_RO);
    const x = ndarray(transpose(lst, [3, 4]), { shape: [4, 3], flags: ND.WRITABLE });
    assertEq(b, x.tobytes());
    y = ndarray(Array.from(b), { shape: [3, 4], flags: ND.FORTRAN | ND.WRITABLE });
    assertMvEq(memoryview(y), memoryview(nd));
    // 'A'
    b = py_buffer_to_contiguous(nd, 'A', PyBUF.FULL_RO);
    assertEq(b, nd.tobytes());
    y = ndarray(Array.from(b), { shape: [3, 4], flags: ND.WRITABLE });
    assertMvEq(memoryview(y), memoryview(nd));
  });
});
