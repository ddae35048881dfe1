// Assertions of CPython's unittest and the verify()/verify_getbuf() methods of
// TestBufferProtocol (Lib/test/test_buffer.py, 3.13), ported for the conformance suite.
import { expect } from 'vitest';
import { MemoryView, ND, NDArray, PyBUF, capi, struct, testbuffer } from '../../src/index.js';
import { wasm } from '../../src/wasm/instance.js';
import {
  flatten,
  get_item,
  indices,
  is_memoryview_format,
  markTuples,
  prod,
  pyEq,
  show,
  transpose,
  type PyValue,
} from './randomized.js';
import { errorName, thrownBy } from '../helpers/errors.js';

/** What both NDArray and MemoryView offer (the attributes verify() reads). */
export interface BufferAttrs {
  obj: object | null;
  nbytes: number;
  itemsize: number;
  format: string;
  readonly: boolean;
  ndim: number;
  shape: number[];
  strides: number[];
  suboffsets: number[];
  tolist(): unknown;
  tobytes(): Uint8Array;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** assertRaises(cls, fn): `fn` throws an instance of `cls` (by class, or by Python name). */
export function raises(cls: ErrorClass, fn: () => unknown, message?: string | RegExp): Error {
  const err = thrownBy(fn);
  if (err === undefined) throw new Error(`expected ${cls.name} to be raised${message ? ` (${String(message)})` : ''}`);
  if (!(err instanceof cls)) {
    throw new Error(`expected ${cls.name}, got ${(err as Error).name}: ${(err as Error).message}`);
  }
  if (message !== undefined) {
    if (typeof message === 'string') expect((err as Error).message).toBe(message);
    else expect((err as Error).message).toMatch(message);
  }
  return err as Error;
}

/** The class of what `fn` throws, or null (CPython's `except Exception as e: err = e.__class__`). */
export function errorClass(fn: () => unknown): string | null {
  const name = errorName(fn);
  if (name === 'no error') return null;
  return name === 'RangeError' ? 'IndexError' : name;
}

/** Python's `==` on plain values. */
export function assertEq(a: unknown, b: unknown, context = ''): void {
  if (!pyEq(a, b)) throw new Error(`${context}${context ? ': ' : ''}${show(a)} != ${show(b)}`);
}

/** `a == b` where a or b may be a memoryview (the other side any exporter). */
export function mvEq(a: unknown, b: unknown): boolean {
  if (a instanceof MemoryView) return a.equals(b);
  if (b instanceof MemoryView) return b.equals(a);
  return pyEq(a, b);
}

export function assertMvEq(a: unknown, b: unknown, context = ''): void {
  if (!mvEq(a, b)) throw new Error(`${context}${context ? ': ' : ''}views are not equal`);
}

export function assertMvNe(a: unknown, b: unknown, context = ''): void {
  if (mvEq(a, b)) throw new Error(`${context}${context ? ': ' : ''}views are equal`);
}

/** memoryview(obj). */
export const memoryview = (obj: unknown): MemoryView => MemoryView.fromObject(obj);

/** ndarray(obj, **kw). */
export const ndarray = (obj: unknown, kw: ConstructorParameters<typeof NDArray>[1] = {}): NDArray =>
  new NDArray(obj, kw);

/** `with m as x: body(x)`: release at the end, also on failure. */
export function using<T extends { release(): void }, R>(m: T, body: (x: T) => R): R {
  try {
    return body(m);
  } finally {
    m.release();
  }
}

/** len(x) for a MemoryView. */
export const len = (m: MemoryView): number => m.length;

/** struct.unpack_from(fmt, bytes, offset) as an array. */
function unpackFrom(fmt: string, bytes: Uint8Array, offset: number): PyValue[] {
  return struct.unpackFrom(fmt, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset) as PyValue[];
}

function packItem(fmt: string, item: PyValue): Uint8Array {
  return Array.isArray(item) ? struct.pack(fmt, ...item) : struct.pack(fmt, item);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function hexOf(b: Uint8Array): string {
  return Array.from(b, (c) => c.toString(16).padStart(2, '0')).join('');
}

export interface VerifyArgs {
  obj: object | null;
  itemsize: number;
  fmt: string;
  readonly: boolean;
  ndim: number;
  shape: readonly number[];
  strides: readonly number[];
  lst: PyValue;
  sliced?: boolean;
  cast?: boolean;
}

/** TestBufferProtocol.verify: checks a buffer's attributes and contents against expected values. */
export function verify(result: BufferAttrs, args: VerifyArgs): void {
  const { obj, itemsize, fmt, readonly, ndim, lst } = args;
  const sliced = args.sliced ?? false;
  const cast = args.cast ?? false;
  const shape = args.shape.slice();
  let strides = args.strides.slice();
  let expected_len: number;
  if (shape.length > 0) expected_len = prod(shape) * itemsize;
  else if (!fmt) expected_len = (lst as Uint8Array | PyValue[]).length;
  else expected_len = itemsize;

  // Reconstruct suboffsets from strides.
  let suboffsets: number[] = [];
  if (result.suboffsets.length > 0) {
    expect(ndim).toBeGreaterThan(0);
    let suboffset0 = 0;
    for (let n = 1; n < ndim; n++) {
      if (shape[n] === 0) break;
      if (strides[n] <= 0) suboffset0 += -strides[n] * (shape[n] - 1);
    }
    suboffsets = [suboffset0, ...new Array<number>(ndim - 1).fill(-1)];
    let stride0 = testbuffer.get_sizeof_void_p();
    if (strides[0] < 0) stride0 = -stride0;
    strides = [stride0, ...strides.slice(1)];
  }

  expect(result.obj).toBe(obj);
  expect(result.nbytes).toBe(expected_len);
  expect(result.itemsize).toBe(itemsize);
  expect(result.format).toBe(fmt);
  expect(result.readonly).toBe(readonly);
  expect(result.ndim).toBe(ndim);
  expect(result.shape).toEqual(shape);
  if (!(sliced && suboffsets.length > 0)) expect(result.strides).toEqual(strides);
  expect(result.suboffsets).toEqual(suboffsets);

  if (result instanceof NDArray || is_memoryview_format(fmt)) {
    const rep = fmt ? result.tolist() : result.tobytes();
    assertEq(rep, lst, 'tolist()');
  }

  if (!fmt) return; // cast to unsigned bytes: the remaining tests won't work

  if (!cast) {
    const chunks: Uint8Array[] = [];
    let buf_err = false;
    for (const ind of indices(shape)) {
      let item1: unknown;
      let item2: PyValue;
      try {
        item1 = testbuffer.get_pointer(result, ind);
        item2 = get_item(lst, ind);
        chunks.push(packItem(fmt, item2));
      } catch (e) {
        if ((e as Error).name === 'BufferError') {
          buf_err = true;
          break;
        }
        throw e;
      }
      assertEq(item1, item2, `get_pointer(${ind})`);
    }
    if (!buf_err) {
      const b = concat(chunks);
      assertEq(result.tobytes(), b, 'tobytes()');

      const m = memoryview(result);
      expect(m.hex()).toBe(hexOf(b));

      const ff = fmt ? fmt : 'B';
      const flattened = flatten(markTuples(lst, ndim)) as PyValue[];

      for (const order of ['C', 'F', 'A']) {
        let expected: unknown = result;
        if (order === 'F') {
          if (!testbuffer.is_contiguous(result, 'A') || testbuffer.is_contiguous(result, 'C')) {
            const trans = transpose(ndim === 0 ? [flattened] : flattened, shape);
            expected = ndarray(ndim === 0 ? trans[0] : trans, { shape, format: ff, flags: ND.FORTRAN });
          }
        } else if (!testbuffer.is_contiguous(result, 'A') || (testbuffer.is_contiguous(result, 'F') && order === 'C')) {
          expected = ndarray(flattened, { shape, format: ff });
        }
        const contig = testbuffer.get_contiguous(result, PyBUF.READ, order);
        assertEq(contig.tobytes(), b, `get_contiguous(${order}).tobytes()`);
        expect(testbuffer.cmp_contig(contig, expected)).toBe(true);

        if (ndim === 0) continue;

        const nmemb = (flattened as PyValue[]).length;
        const ro = readonly ? 0 : ND.WRITABLE;
        const initlistOf = (contigBytes: Uint8Array): PyValue[] => {
          let initlst: PyValue[] = [];
          for (let n = 0; n < nmemb; n++) initlst.push(unpackFrom(fmt, contigBytes, n * itemsize));
          if ((initlst[0] as PyValue[]).length === 1) initlst = initlst.map((v) => (v as PyValue[])[0]);
          return initlst;
        };

        // To 'C'
        let c = testbuffer.py_buffer_to_contiguous(result, 'C', PyBUF.FULL_RO);
        expect(c.length).toBe(nmemb * itemsize);
        let y = ndarray(initlistOf(c), { shape, flags: ro, format: fmt });
        assertMvEq(memoryview(y), memoryview(result), "to 'C'");
        assertEq(memoryview(result).tobytes(), c);
        assertEq(memoryview(result).tobytes(null), c);
        assertEq(memoryview(result).tobytes('C'), c);

        // To 'F'
        c = testbuffer.py_buffer_to_contiguous(result, 'F', PyBUF.FULL_RO);
        expect(c.length).toBe(nmemb * itemsize);
        y = ndarray(initlistOf(c), { shape, flags: ro | ND.FORTRAN, format: fmt });
        assertMvEq(memoryview(y), memoryview(result), "to 'F'");
        assertEq(memoryview(result).tobytes('F'), c);

        // To 'A'
        c = testbuffer.py_buffer_to_contiguous(result, 'A', PyBUF.FULL_RO);
        expect(c.length).toBe(nmemb * itemsize);
        const f = testbuffer.is_contiguous(result, 'F') ? ND.FORTRAN : 0;
        y = ndarray(initlistOf(c), { shape, flags: f | ro, format: fmt });
        assertMvEq(memoryview(y), memoryview(result), "to 'A'");
        assertEq(memoryview(result).tobytes('A'), c);
      }
    }
  }

  if (is_memoryview_format(fmt)) {
    let m: MemoryView;
    try {
      m = memoryview(result);
    } catch (e) {
      if ((e as Error).name === 'BufferError') return; // re-exporter without full information
      throw e;
    }
    const ex = result instanceof MemoryView ? result.obj : result;
    const check_memoryview = (mv: MemoryView, expected_readonly = readonly): void => {
      expect(mv.obj).toBe(ex);
      expect(mv.nbytes).toBe(expected_len);
      expect(mv.itemsize).toBe(itemsize);
      expect(mv.format).toBe(fmt);
      expect(mv.readonly).toBe(expected_readonly);
      expect(mv.ndim).toBe(ndim);
      expect(mv.shape).toEqual(shape);
      if (!(sliced && suboffsets.length > 0)) expect(mv.strides).toEqual(strides);
      expect(mv.suboffsets).toEqual(suboffsets);
      if (ndim === 0) expect(() => mv.length).toThrow(TypeError);
      else expect(mv.length).toBe((lst as PyValue[]).length);
      const rep = fmt ? result.tolist() : result.tobytes();
      assertEq(rep, lst);
      assertMvEq(mv, result, 'm == result');
    };
    check_memoryview(m);
    using(m.toreadonly(), (mm) => check_memoryview(mm, true));
    m.tobytes(); // releasing mm didn't release m
  }
}

const match = (req: number, flag: number): boolean => (req & flag) === flag;

/** TestBufferProtocol.verify_getbuf. */
export function verify_getbuf(orig_ex: NDArray, ex: NDArray | MemoryView, req: number, sliced = false): void {
  if (
    (ex.readonly && match(req, PyBUF.WRITABLE)) ||
    (match(req, PyBUF.C_CONTIGUOUS) && !ex.c_contiguous) ||
    (match(req, PyBUF.F_CONTIGUOUS) && !ex.f_contiguous) ||
    (match(req, PyBUF.ANY_CONTIGUOUS) && !ex.contiguous) ||
    (!match(req, PyBUF.INDIRECT) && ex.suboffsets.length > 0) ||
    (!match(req, PyBUF.STRIDES) && !ex.c_contiguous) ||
    (!match(req, PyBUF.ND) && match(req, PyBUF.FORMAT))
  ) {
    expect(errorClass(() => ndarray(ex, { getbuf: req }))).toBe('BufferError');
    return;
  }
  let lst: PyValue;
  if (ex instanceof NDArray || is_memoryview_format(ex.format)) {
    lst = ex.tolist() as PyValue;
  } else {
    lst = ndarray(ex, { getbuf: PyBUF.FULL_RO }).tolist() as PyValue;
  }
  const ro = match(req, PyBUF.WRITABLE) ? false : ex.readonly;
  let fmt = ex.format;
  const itemsize = ex.itemsize;
  let ndim = ex.ndim;
  if (!match(req, PyBUF.FORMAT)) {
    fmt = '';
    lst = orig_ex.tobytes(); // Issue 12834
  }
  if (!match(req, PyBUF.ND)) ndim = 1;
  const shape = match(req, PyBUF.ND) ? orig_ex.shape : [];
  const strides = match(req, PyBUF.STRIDES) ? orig_ex.strides : [];
  const nd = ndarray(ex, { getbuf: req });
  verify(nd, { obj: ex, itemsize, fmt, readonly: ro, ndim, shape, strides, lst, sliced });
}

/** `v in seq` through iteration, as Python's sequence protocol falls back to. */
export function contains(seq: Iterable<unknown>, v: unknown): boolean {
  for (const x of seq) if (pyEq(x, v)) return true;
  return false;
}

const TYPED: Record<string, new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView> = {
  b: Int8Array,
  B: Uint8Array,
  h: Int16Array,
  H: Uint16Array,
  i: Int32Array,
  I: Uint32Array,
  l: Int32Array,
  L: Uint32Array,
  q: BigInt64Array,
  Q: BigUint64Array,
  f: Float32Array,
  d: Float64Array,
};

/**
 * array.array(fmt, items) over the runtime's memory: a TypedArray of linear memory (the
 * library's zero-copy JS exporter). 'l'/'L' map to Int32Array/Uint32Array, whose format is
 * 'i'/'I' (the same 4-byte items on wasm32).
 */
export function typedArray(
  fmt: string,
  items: readonly unknown[],
): ArrayBufferView & { [i: number]: number | bigint; length: number } {
  const Ctor = TYPED[fmt];
  const size = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  const ptr = capi.PyMem_Malloc(Math.max(items.length * size, 1));
  const a = new Ctor(wasm().memory.buffer as ArrayBuffer, ptr, items.length) as ArrayBufferView & {
    [i: number]: number | bigint;
    length: number;
  };
  items.forEach((v, i) => {
    a[i] = fmt === 'q' || fmt === 'Q' ? BigInt(v as number) : Number(v);
  });
  return a;
}

/**
 * Grows linear memory once, up front: typed arrays of linear memory are detached by
 * memory.grow, and the array.array stand-ins must survive the allocations a test makes.
 */
export function reserveMemory(bytes = 96 << 20): void {
  const p = capi.PyMem_Malloc(bytes);
  capi.PyMem_Free(p);
}
