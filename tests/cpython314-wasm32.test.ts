// Behaviours where CPython 3.14 for wasm32 (Pyodide 314.0.7, this project's reference) answers
// differently from 64-bit CPython or from CPython 3.13. Every expected value below is what
// Pyodide printed for the Python expression in the test's name or table (run through
// scripts/run-in-pyodide.mjs); docs/conformance.md tabulates them against 64-bit CPython.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BufferError,
  ByteArray,
  Bytes,
  Complex,
  IndexError,
  NotImplementedError,
  MemoryView,
  NDArray,
  OverflowError,
  StructError,
  ValueError,
  capi,
  init,
  slice,
  struct,
  testbuffer,
  type CastFormat,
  type Order,
} from '../src/index.js';
import { thrownBy } from './helpers/errors.js';

beforeAll(async () => {
  await init();
});

const live: Array<{ release(): void }> = [];
afterEach(() => {
  while (live.length > 0) live.pop()!.release();
});

/** memoryview(bytes(raw)).cast(format): a read-only view over exactly these bytes. */
function viewOf(raw: number[], format = 'B', writable = false): MemoryView {
  const exporter = writable ? new ByteArray(raw) : new Bytes(raw);
  live.push({ release: () => exporter.dispose() });
  const m = MemoryView.fromObject(exporter);
  live.push(m);
  if (format === 'B') return m;
  const c = m.cast(format as CastFormat);
  live.push(c);
  return c;
}

/** Asserts that `fn` throws an instance of `cls` (its class, not only its message) saying `message`. */
function raises(fn: () => unknown, cls: new (...args: never[]) => Error, message: string): void {
  const error = thrownBy(fn);
  expect(error).toBeInstanceOf(cls);
  expect((error as Error).message).toBe(message);
}

const f64 = new DataView(new ArrayBuffer(8));
/** The IEEE bits of a double as 16 hex digits, big-endian (struct.pack('>d', x).hex()). */
function bitsOf(x: number): string {
  f64.setFloat64(0, x);
  return f64.getBigUint64(0).toString(16).padStart(16, '0');
}
/** The double with these bits (struct.unpack('>d', bytes.fromhex(h))[0]). */
function fromBits(h: string): number {
  f64.setBigUint64(0, BigInt(`0x${h}`));
  return f64.getFloat64(0);
}
/** A little-endian byte list of a big-endian hex pattern (bytes.fromhex(h)[::-1]). */
function le(h: string): number[] {
  return (h.match(/../g) ?? []).map((b) => parseInt(b, 16)).reverse();
}
/** Bytes as a big-endian hex pattern (bytes(b)[::-1].hex()). */
function be(b: Uint8Array): string {
  return [...b]
    .reverse()
    .map((x) => x.toString(16).padStart(2, '0'))
    .join('');
}

// ------------------------------------------------------------------------------------------

describe("'?' items holding a byte other than 0 or 1 read as their lowest bit (*(_Bool *)p)", () => {
  // raw = bytes([0, 1, 2, 3, 255, 0x80, 0x10, 0x11]); m = memoryview(raw).cast('?')
  const RAW = [0, 1, 2, 3, 255, 0x80, 0x10, 0x11];
  const LOW_BITS = [false, true, false, true, true, false, false, true];

  it('m.tolist() is [False, True, False, True, True, False, False, True]', () => {
    expect(viewOf(RAW, '?').tolist()).toEqual(LOW_BITS);
  });
  it('m[i] reads the lowest bit for every i', () => {
    const m = viewOf(RAW, '?');
    expect(RAW.map((_, i) => m.get(i))).toEqual(LOW_BITS);
  });
  it('iteration list(m) reads the lowest bits', () => {
    expect([...viewOf(RAW, '?')]).toEqual(LOW_BITS);
  });
  it.each([
    ['m.count(True)', (m: MemoryView) => m.count(true), 4],
    ['m.count(False)', (m: MemoryView) => m.count(false), 4],
    ['m.index(True)', (m: MemoryView) => m.index(true), 1],
    ['m.index(False, 1)', (m: MemoryView) => m.index(false, 1), 2],
    ['m.count(1)', (m: MemoryView) => m.count(1), 4],
  ])('%s is %i', (_name, op, expected) => {
    expect(op(viewOf(RAW, '?'))).toBe(expected);
  });
  it.each([
    ['b"\\x02" == b"\\x00" (both False)', [2], [0], true],
    ['b"\\x02" == b"\\x01"', [2], [1], false],
    ['b"\\x03" == b"\\x01" (both True)', [3], [1], true],
    ['b"\\xfe\\xff" == b"\\x00\\x01"', [0xfe, 0xff], [0, 1], true],
  ])("memoryview(%s).cast('?') compare on the fast path by lowest bits", (_name, a, b, expected) => {
    expect(viewOf(a, '?').equals(viewOf(b, '?'))).toBe(expected);
  });
  it("a '?' view against a '<?' exporter compares through struct, where any non-zero byte is True", () => {
    // memoryview(b'\x02').cast('?') == ndarray([False], shape=[1], format='<?') -> False
    const nd = new NDArray([false], { shape: [1], format: '<?' });
    live.push(nd);
    expect(viewOf([2], '?').equals(nd)).toBe(false);
    const ndTrue = new NDArray([true], { shape: [1], format: '<?' });
    live.push(ndTrue);
    expect(viewOf([2], '?').equals(ndTrue)).toBe(true);
  });
  it.each([
    ["struct.unpack('8?', raw)", '8?'],
    ["struct.unpack('<8?', raw)", '<8?'],
    ["struct.unpack('>8?', raw)", '>8?'],
  ])('%s reads any non-zero byte as True', (_name, fmt) => {
    expect(struct.unpack(fmt, Uint8Array.from(RAW))).toEqual([false, true, true, true, true, true, true, true]);
  });
  it("an NDArray re-exporting a '?' view reads its items through struct: [True, True] for b'\\x02\\x03'", () => {
    const nd = new NDArray(viewOf([2, 3], '?'));
    live.push(nd);
    expect(nd.tolist()).toEqual([true, true]);
    expect(nd.get(0)).toBe(true);
  });
  it("writing a '?' item stores 0 or 1", () => {
    const m = viewOf([7, 7], '?', true);
    m.set(0, 2);
    m.set(1, 0);
    expect([...m.tobytes()]).toEqual([1, 0]);
  });
});

describe("format 'e' keeps a NaN's sign and payload (PyFloat_Pack2/Unpack2 since 3.14)", () => {
  // for h in ...: x = memoryview(bytes.fromhex(h)[::-1]).cast('e')[0]; struct.pack('>d', x).hex()
  const READS: Array<[string, string]> = [
    ['7e00', '7ff8000000000000'],
    ['fe00', 'fff8000000000000'],
    ['7c01', '7ff0040000000000'],
    ['fc01', 'fff0040000000000'],
    ['7d55', '7ff5540000000000'],
    ['fdff', 'fff7fc0000000000'],
    ['7fff', '7ffffc0000000000'],
    ['ffff', 'fffffc0000000000'],
    ['7e01', '7ff8040000000000'],
    ['fe01', 'fff8040000000000'],
    ['7c00', '7ff0000000000000'],
    ['fc00', 'fff0000000000000'],
  ];
  it.each(READS)("memoryview(half %s).cast('e')[0] is the double %s", (half, double) => {
    expect(bitsOf(viewOf(le(half), 'e').get(0) as number)).toBe(double);
  });
  it.each(READS)("struct.unpack('<e', half %s) is the double %s, and packs back to the same half", (half, double) => {
    const x = struct.unpack('<e', Uint8Array.from(le(half)))[0] as number;
    expect(bitsOf(x)).toBe(double);
    expect(be(struct.pack('<e', x))).toBe(half);
  });
  it.each(READS)('m[0] = x writes the half %s back from the double %s', (half, double) => {
    const m = viewOf([0, 0], 'e', true);
    m.set(0, fromBits(double));
    expect(be(m.tobytes())).toBe(half);
  });
  it('tolist() of a negative quiet NaN keeps its sign (it read as +nan before)', () => {
    const [x] = viewOf(le('fe00'), 'e').tolist() as number[];
    expect(bitsOf(x!)).toBe('fff8000000000000');
  });
  // doubles with payloads packed into 'e': struct.pack('>e', x) and memoryview assignment agree
  it.each([
    ['7ff8000000000000', '7e00'],
    ['fff8000000000000', 'fe00'],
    ['7ff0000000000001', '7e00'],
    ['7ff4000000000000', '7d00'],
    ['fff0000000000001', 'fe00'],
    ['7ff8000000000001', '7e00'],
    ['7ffc000000000000', '7f00'],
    ['7ff0020000000000', '7e00'],
    ['7ff0040000000000', '7c01'],
    ['fff7ffffffffffff', 'fdff'],
  ])('the double %s packs into the half %s (a payload truncated to nothing is the quiet NaN)', (double, half) => {
    const x = fromBits(double);
    expect(be(struct.pack('>e', x).slice().reverse())).toBe(half);
    const m = viewOf([0, 0], 'e', true);
    m.set(0, x);
    expect(be(m.tobytes())).toBe(half);
  });
});

describe("standard-size 'f' keeps a signalling NaN signalling (PyFloat_Pack4/Unpack4 since 3.14)", () => {
  // [double, '@f', '<f' ('>f' and '=f' agree)] from struct.pack(p + 'f', x)
  it.each([
    ['7ff4000000000000', '7fe00000', '7fa00000'],
    ['7ff0000020000000', '7fc00001', '7f800001'],
    ['fff0000000000001', 'ffc00000', 'ffc00000'],
    ['7ff0000000000001', '7fc00000', '7fc00000'],
    ['fff0000010000000', 'ffc00000', 'ffc00000'],
    ['7ff0000030000000', '7fc00001', '7f800001'],
    ['fff8000000000000', 'ffc00000', 'ffc00000'],
  ])('the double %s packs as native f %s (a C cast) and standard f %s', (double, native, standard) => {
    const x = fromBits(double);
    expect(be(struct.pack('@f', x))).toBe(native);
    expect(be(struct.pack('<f', x))).toBe(standard);
    expect(be(struct.pack('>f', x).slice().reverse())).toBe(standard);
    expect(be(struct.pack('=f', x))).toBe(standard);
  });
  it.each([
    ['7f800001', '7ff8000020000000', '7ff0000020000000'],
    ['ff800001', 'fff8000020000000', 'fff0000020000000'],
    ['7fa00000', '7ffc000000000000', '7ff4000000000000'],
    ['7fc00001', '7ff8000020000000', '7ff8000020000000'],
    ['ffbfffff', 'ffffffffe0000000', 'fff7ffffe0000000'],
  ])('the float %s unpacks as native f %s and standard f %s', (float, native, standard) => {
    const bytes = Uint8Array.from(le(float));
    expect(bitsOf(struct.unpack('@f', bytes)[0] as number)).toBe(native);
    expect(bitsOf(struct.unpack('<f', bytes)[0] as number)).toBe(standard);
    expect(bitsOf(struct.unpack('>f', bytes.slice().reverse())[0] as number)).toBe(standard);
  });
  it.each([
    ['7f800001', '7ff8000020000000', '7fc00001'],
    ['7fa00000', '7ffc000000000000', '7fe00000'],
    ['ffc00000', 'fff8000000000000', 'ffc00000'],
  ])("memoryview 'f' item %s reads as %s and writes back as %s (C casts both ways)", (float, double, back) => {
    const x = viewOf(le(float), 'f').get(0) as number;
    expect(bitsOf(x)).toBe(double);
    const m = viewOf([0, 0, 0, 0], 'f', true);
    m.set(0, x);
    expect(be(m.tobytes())).toBe(back);
  });
});

describe('Py_ssize_t is 32 bits: CPython for wasm32 wraps where 64-bit CPython does not', () => {
  // mi = memoryview(bytearray(40)).cast('i'); mb = memoryview(bytearray(40)); (shape, strides)
  const P63 = 2n ** 63n;
  it.each([
    ['2**63', P63, -4, 2147483647],
    ['2**31', 2n ** 31n, -4, 2147483647],
    ['2**31-1', 2n ** 31n - 1n, -4, 2147483647],
    ['2**30', 2n ** 30n, 0, 1073741824],
    ['2**29', 2n ** 29n, -2147483648, 536870912],
    ['2**29+1', 2n ** 29n + 1n, -2147483644, 536870913],
    ['2**28', 2n ** 28n, 1073741824, 268435456],
    ['-2**31', -(2n ** 31n), 4, -2147483647],
    ['-2**63', -P63, 4, -2147483647],
    ['-2**29', -(2n ** 29n), -2147483648, -536870912],
    ['-2**30', -(2n ** 30n), 0, -1073741824],
  ])(
    "m[::%s] has one item and stride %i on an 'i' view, %i on a 'B' view (step * itemsize wraps)",
    (_name, step, iStride, bStride) => {
      const mb = viewOf(new Array(40).fill(0), 'B', true);
      const mi = mb.cast('i');
      live.push(mi);
      const si = mi.get(slice(null, null, step)) as MemoryView;
      live.push(si);
      const sb = mb.get(slice(null, null, step)) as MemoryView;
      live.push(sb);
      expect([si.shape, si.strides, si.nbytes, si.c_contiguous]).toEqual([[1], [iStride], 4, true]);
      expect([sb.shape, sb.strides, sb.nbytes, sb.c_contiguous]).toEqual([[1], [bStride], 1, true]);
      expect(si.tolist()).toEqual([0]);
    },
  );
  it("ndarray(list(range(10)), shape=[10], format='i')[::2**63] has shape (1,) and strides (-4,)", () => {
    const nd = new NDArray([...Array(10).keys()], { shape: [10], format: 'i' });
    live.push(nd);
    const s = nd.get([slice(null, null, P63)]) as NDArray;
    live.push(s);
    expect([s.shape, s.strides, s.tolist()]).toEqual([[1], [-4], [0]]);
  });
  it.each([
    ['2**31', 2 ** 31],
    ['2**63', P63],
    ['2**64', 2n ** 64n],
    ['-2**31-1', -(2 ** 31) - 1],
  ])('m[%s] is IndexError "cannot fit \'int\' into an index-sized integer", for reading and writing', (_name, key) => {
    const m = viewOf([1, 0, 0, 0, 2, 0, 0, 0], 'i', true);
    raises(() => m.get(key), IndexError, "cannot fit 'int' into an index-sized integer");
    raises(() => m.set(key, 9), IndexError, "cannot fit 'int' into an index-sized integer");
    expect(m.tolist()).toEqual([1, 2]);
  });
  it.each([
    ['2**31-1', 2 ** 31 - 1],
    ['-2**31', -(2 ** 31)],
  ])('m[%s] fits the index: IndexError "index out of bounds on dimension 1"', (_name, key) => {
    const m = viewOf([1, 0, 0, 0], 'i');
    raises(() => m.get(key), IndexError, 'index out of bounds on dimension 1');
  });
  it.each([
    ['2**31', 2 ** 31],
    ['-2**31-1', -(2 ** 31) - 1],
    ['2**63', 2 ** 63],
  ])("m.hex(':', %s) is OverflowError 'Python int too large to convert to C int'", (_name, n) => {
    raises(() => viewOf([1, 2]).hex(':', n), OverflowError, 'Python int too large to convert to C int');
  });
  it.each([
    ['2**16, 2**16', [2 ** 16, 2 ** 16]],
    ['2**16, 2**16, 10', [2 ** 16, 2 ** 16, 10]],
    ['2**20, 2**20, 2**20, 40', [2 ** 20, 2 ** 20, 2 ** 20, 40]],
  ])("m.cast('B', [%s]) is ValueError 'memoryview.cast(): product(shape) > SSIZE_MAX'", (_name, shape) => {
    raises(
      () => viewOf(new Array(40).fill(0)).cast('B', shape),
      ValueError,
      'memoryview.cast(): product(shape) > SSIZE_MAX',
    );
  });
  it.each([
    ['[2**31]', [2 ** 31]],
    ['[40, 2**32]', [40, 2 ** 32]],
  ])("m.cast('B', %s) is OverflowError 'Python int too large to convert to C ssize_t'", (_name, shape) => {
    raises(
      () => viewOf(new Array(40).fill(0)).cast('B', shape),
      OverflowError,
      'Python int too large to convert to C ssize_t',
    );
  });
  // ctypes.pythonapi.PyBuffer_FillContiguousStrides(ndim, shape, strides, itemsize, order)
  it.each([
    [[2 ** 16, 2 ** 16], 1, 'C', [65536, 1]],
    [[2 ** 16, 2 ** 16, 3], 4, 'C', [786432, 12, 4]],
    [[3, 2 ** 16, 2 ** 16], 4, 'F', [4, 12, 786432]],
    [[2 ** 20, 2 ** 12, 2], 8, 'C', [65536, 16, 8]],
    [[2 ** 31 - 1, 2], 1, 'F', [1, 2147483647]],
    [[5, 2 ** 30], 4, 'C', [0, 4]],
    [[0, 2 ** 31 - 1, 2 ** 31 - 1], 8, 'C', [8, -8, 8]],
  ])('PyBuffer_FillContiguousStrides(shape %j, itemsize %i, %s) is %j', (shape, itemsize, order, expected) => {
    const strides: number[] = [];
    expect(capi.PyBuffer_FillContiguousStrides(shape.length, shape, strides, itemsize, order as Order)).toEqual(
      expected,
    );
    expect(strides).toEqual(expected);
  });
  it.each([
    ['ndarray([1, 2], shape=[2], flags=2**31)', () => new NDArray([1, 2], { shape: [2], flags: 2 ** 31 })],
    ['ndarray([1, 2], shape=[2], flags=2**40)', () => new NDArray([1, 2], { shape: [2], flags: 2 ** 40 })],
    ['ndarray([1], shape=[1], flags=-2**31-1)', () => new NDArray([1], { shape: [1], flags: -(2 ** 31) - 1 })],
    ["ndarray(b'a', getbuf=2**31)", () => new NDArray(new Bytes([97]), { getbuf: 2 ** 31 })],
    [
      'nd.push([1], shape=[1], flags=2**40)',
      () => new NDArray([1, 2], { shape: [2], flags: 1 }).push([1], { shape: [1], flags: 2 ** 40 }),
    ],
    [
      "py_buffer_to_contiguous(b'a', 'C', 2**40)",
      () => testbuffer.py_buffer_to_contiguous(new Bytes([97]), 'C', 2 ** 40),
    ],
    ["get_contiguous(b'a', 2**40, 'C')", () => testbuffer.get_contiguous(new Bytes([97]), 2 ** 40, 'C')],
  ])("%s is OverflowError 'Python int too large to convert to C long' (a C long is 32 bits)", (_name, call) => {
    raises(call, OverflowError, 'Python int too large to convert to C long');
  });
  it.each([
    ['2147483648s', null],
    ['2147483647s', 2147483647],
    ['1073741824i', null],
    ['536870912q', null],
    ['536870911i4s', null],
  ])("struct.calcsize('%s') is %s (null: struct.error 'total struct size too long')", (fmt, size) => {
    if (size === null) raises(() => struct.calcsize(fmt), StructError, 'total struct size too long');
    else expect(struct.calcsize(fmt)).toBe(size);
  });
  it.each([
    ['2**31', 2 ** 31],
    ['-2**31-1', -(2 ** 31) - 1],
  ])(
    "b'abc'.__buffer__(%s) is OverflowError \"cannot fit 'int' into an index-sized integer\" (64-bit: 'buffer flags too large')",
    (_name, flags) => {
      const b = new Bytes([97, 98, 99]);
      live.push({ release: () => b.dispose() });
      raises(() => capi.PyObject_GetBuffer(b, flags), OverflowError, "cannot fit 'int' into an index-sized integer");
    },
  );
  it('bytearray(2**31) is OverflowError "cannot fit \'int\' into an index-sized integer"', () => {
    raises(() => new ByteArray(2 ** 31), OverflowError, "cannot fit 'int' into an index-sized integer");
  });
});

describe('PySlice_AdjustIndices wraps at 32 bits for lengths near -2**31 (_testbuffer.slice_indices)', () => {
  // values printed by _testbuffer.slice_indices in CPython 3.14 for wasm32 (Pyodide 314.0.7)
  it.each([
    [[-2, 6, 1], -(2 ** 31), [2147483646, -2147483648, 1, 0]],
    [[0, 0, -(2 ** 63)], -(2 ** 31), [2147483647, 2147483647, -2147483647, 0]],
    [[null, null, -1], -(2 ** 31), [2147483647, 0, -1, 2147483647]],
    [[-5, null, 2], -(2 ** 31) + 3, [2147483646, -2147483645, 2, 0]],
    [[null, -3, -1], -(2 ** 31), [2147483647, 2147483645, -1, 2]],
  ] as Array<[[number | null, number | null, number | null], number, number[]]>)(
    'slice_indices(slice%j, %i) is %j',
    ([start, stop, step], length, expected) => {
      expect(testbuffer.slice_indices(slice(start, stop, step), length)).toEqual(expected);
    },
  );
});

describe('an empty slice whose start wraps the pointer stays a valid empty view (init_slice)', () => {
  it('memoryview(bytearray())[:2**31:2**31-1][-1:2**62:-1] has shape (0,), strides (-2147483647,) and exports', () => {
    // CPython 3.14 for wasm32: buf moves by -2147483647 bytes (a wrapped char *), len stays 0
    const e = new ByteArray([]);
    const m = MemoryView.fromObject(e);
    const m2 = m.get(slice(null, 2 ** 31, 2 ** 31 - 1));
    const m4 = m2.get(slice(-1, 2 ** 62, -1));
    expect([m2.strides, m4.shape, m4.strides, m4.c_contiguous]).toEqual([[2147483647], [0], [-2147483647], false]);
    expect([m4.tobytes().length, m4.tolist()]).toEqual([0, []]);
    const view = capi.PyObject_GetBuffer(m4, 24);
    expect([view.len, view.strides]).toEqual([0, [-2147483647]]);
    capi.PyBuffer_Release(view);
    for (const v of [m4, m2, m]) v.release();
    e.dispose();
  });
});

describe('where CPython for wasm32 accepts a layout whose extent wraps, this project refuses it', () => {
  // _testbuffer's verify_structure() sums (shape[i]-1)*strides[i] in Py_ssize_t: the sum wraps
  // and CPython accepts a view reaching gigabytes past its buffer; reading it traps Pyodide
  // ("memory access out of bounds"). Reading outside an exporter is what this project never does.
  it.each([
    ['ndarray([1, 2, 3], shape=[3], strides=[2**30])', [1, 2, 3], { shape: [3], strides: [2 ** 30] }],
    ['ndarray([1], shape=[2**16, 2**16])', [1], { shape: [2 ** 16, 2 ** 16] }],
    ['ndarray([1], shape=[2**16, 2**15])', [1], { shape: [2 ** 16, 2 ** 15] }],
    ["ndarray([1], shape=[2**30, 4], format='i')", [1], { shape: [2 ** 30, 4], format: 'i' }],
  ])('%s (accepted by CPython for wasm32) is ValueError here', (_name, items, options) => {
    raises(() => new NDArray(items, options), ValueError, 'invalid combination of buffer, shape and strides');
  });
});

describe("PyObject_CopyData copies overlapping operands in CPython's order", () => {
  // ba = bytearray(range(12)); m = memoryview(ba); PyObject_CopyData(dest, src) through ctypes;
  // list(ba) afterwards (64-bit CPython 3.13 agrees)
  type Make = (m: MemoryView) => [MemoryView, MemoryView];
  const sub = (m: MemoryView, a: number | null, b: number | null, c: number | null = null): MemoryView =>
    m.get(slice(a, b, c)) as MemoryView;
  it.each<[string, Make, number[]]>([
    [
      'm[2:10] <- m[0:8] (both contiguous: memmove)',
      (m) => [sub(m, 2, 10), sub(m, 0, 8)],
      [0, 1, 0, 1, 2, 3, 4, 5, 6, 7, 10, 11],
    ],
    [
      'm[0:8] <- m[2:10] (both contiguous: memmove)',
      (m) => [sub(m, 0, 8), sub(m, 2, 10)],
      [2, 3, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11],
    ],
    ['m[::-1] <- m (index 0 goes last)', (m) => [sub(m, null, null, -1), m], [11, 1, 2, 3, 4, 5, 5, 4, 3, 2, 1, 11]],
    ['m <- m[::-1]', (m) => [m, sub(m, null, null, -1)], [0, 10, 9, 8, 7, 6, 6, 7, 8, 9, 10, 0]],
    [
      'm[::2] <- m[1::2] (interleaved, disjoint)',
      (m) => [sub(m, null, null, 2), sub(m, 1, null, 2)],
      [1, 1, 3, 3, 5, 5, 7, 7, 9, 9, 11, 11],
    ],
    ['m[1::2] <- m[:6]', (m) => [sub(m, 1, null, 2), sub(m, null, 6)], [0, 0, 2, 1, 4, 2, 6, 1, 8, 4, 10, 2]],
    ['m[:6] <- m[::2]', (m) => [sub(m, null, 6), sub(m, null, null, 2)], [0, 2, 4, 6, 8, 10, 6, 7, 8, 9, 10, 11]],
    ['m[::2] <- m[:6]', (m) => [sub(m, null, null, 2), sub(m, null, 6)], [0, 1, 1, 3, 1, 5, 3, 7, 1, 9, 5, 11]],
    [
      "m.cast('i')[::-1] <- m.cast('i')",
      (m) => {
        const i = m.cast('i');
        live.push(i);
        return [sub(i, null, null, -1), i];
      },
      [8, 9, 10, 11, 4, 5, 6, 7, 8, 9, 10, 11],
    ],
  ])('%s', (_name, make, expected) => {
    const ba = new ByteArray([...Array(12).keys()]);
    live.push({ release: () => ba.dispose() });
    const m = MemoryView.fromObject(ba);
    live.push(m);
    const [dest, src] = make(m);
    live.push(dest, src);
    capi.PyObject_CopyData(dest, src);
    expect([...ba.toUint8Array()]).toEqual(expected);
  });
  it('a too small destination is BufferError and leaves memory untouched', () => {
    const ba = new ByteArray([...Array(12).keys()]);
    live.push({ release: () => ba.dispose() });
    const m = MemoryView.fromObject(ba);
    live.push(m);
    const dest = m.get(slice(null, null, -2)) as MemoryView;
    live.push(dest);
    raises(() => capi.PyObject_CopyData(dest, m), BufferError, 'destination is too small to receive data from source');
    expect([...ba.toUint8Array()]).toEqual([...Array(12).keys()]);
  });
});

describe("the complex formats 'F' and 'D' (new in 3.14's struct)", () => {
  const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  it.each([
    ['F', 8],
    ['D', 16],
    ['<F', 8],
    ['>D', 16],
    ['=F', 8],
    ['!D', 16],
    ['2F', 16],
    ['bF', 12],
    ['bD', 24],
    ['xD', 24],
    ['@bD', 24],
    ['3D', 48],
    ['<bF', 9],
    ['<bD', 17],
    ['@hF', 12],
    ['Fb', 9],
    ['@Fd', 16],
  ])("struct.calcsize('%s') is %i (native 'F' aligns to 4, 'D' to 8)", (fmt, size) => {
    expect(struct.calcsize(fmt)).toBe(size);
  });
  it.each<[string, string, unknown, string]>([
    ['D', '1', 1, '000000000000f03f0000000000000000'],
    ['D', '1.5', 1.5, '000000000000f83f0000000000000000'],
    ['D', 'True', true, '000000000000f03f0000000000000000'],
    ['D', '3+4j', new Complex(3, 4), '00000000000008400000000000001040'],
    ['<F', '1e300 (a cast: inf)', 1e300, '0000807f00000000'],
    ['F', '1e300', 1e300, '0000807f00000000'],
    ['<F', '1e300j', new Complex(0, 1e300), '000000000000807f'],
    ['>F', 'complex(nan, -0.0)', new Complex(NaN, -0), '7fc0000080000000'],
    ['>D', '1j', new Complex(0, 1), '00000000000000003ff0000000000000'],
  ])("struct.pack('%s', %s) is %s", (fmt, _name, value, expected) => {
    expect(hex(struct.pack(fmt, value))).toBe(expected);
  });
  it.each<[string, string, unknown]>([
    ['D', '2**1100', 2n ** 1100n],
    ['D', "'x'", 'x'],
    ['D', 'None', null],
    ['D', "b'x'", Uint8Array.of(120)],
    ['D', '[1]', [1]],
    ['F', "{'re': 1, 'im': 2} (a plain object)", { re: 1, im: 2 }],
  ])("struct.pack('%s', %s) is struct.error 'required argument is not a complex'", (fmt, _name, value) => {
    raises(() => struct.pack(fmt, value), StructError, 'required argument is not a complex');
  });
  it.each([['f'], ['d'], ['e']])("struct.pack('%s', 1j) is struct.error 'required argument is not a float'", (fmt) => {
    raises(() => struct.pack(fmt, new Complex(0, 1)), StructError, 'required argument is not a float');
  });
  it("struct.pack('>F', 1e300) is OverflowError (bp_float_complex packs with PyFloat_Pack4)", () => {
    raises(() => struct.pack('>F', 1e300), OverflowError, 'float too large to pack with f format');
  });
  it('struct.unpack gives Complex items', () => {
    expect(struct.unpack('<D', struct.pack('<D', new Complex(1.5, -2.25)))).toEqual([new Complex(1.5, -2.25)]);
    expect(struct.unpack('2F', struct.pack('2F', new Complex(0, 1), 2))).toEqual([
      new Complex(0, 1),
      new Complex(2, 0),
    ]);
    expect(struct.unpack('F', new Uint8Array(8))).toEqual([new Complex(0, 0)]);
    const [z] = struct.unpack('F', struct.pack('F', new Complex(-0, -0))) as Complex[];
    expect([Object.is(z!.re, -0), Object.is(z!.im, -0)]).toEqual([true, true]);
  });
  // the real part 7ff4000000000000 and the imaginary part fff0000020000000, both signalling NaNs
  it.each([
    ['@', '0000e07f0100c0ff'],
    ['<', '0000e07f0100c0ff'],
    ['>', '7fa00000ff800001'],
  ])(
    "struct.pack('%sF', signalling NaNs) is %s: casts quiet them, except big-endian's PyFloat_Pack4",
    (prefix, expected) => {
      expect(
        hex(struct.pack(`${prefix}F`, new Complex(fromBits('7ff4000000000000'), fromBits('fff0000020000000')))),
      ).toBe(expected);
    },
  );
  it.each([
    ['@', '010080ff0000a0ff', 'fff8000020000000', 'fffc000000000000'],
    ['<', '010080ff0000a0ff', 'fff8000020000000', 'fffc000000000000'],
    ['>', '7f800001ffa00000', '7ff0000020000000', 'fff4000000000000'],
  ])("struct.unpack('%sF', %s) has the parts %s and %s", (prefix, bytes, re, im) => {
    const [z] = struct.unpack(
      `${prefix}F`,
      Uint8Array.from((bytes.match(/../g) ?? []).map((b) => parseInt(b, 16))),
    ) as Complex[];
    expect([bitsOf(z!.re), bitsOf(z!.im)]).toEqual([re, im]);
  });

  function ndD(items: unknown[], format = 'D', writable = true): NDArray {
    const nd = new NDArray(items, { shape: [items.length], format, flags: writable ? 2 : 0 });
    live.push(nd);
    return nd;
  }
  it("ndarray([(1+2j,), (3,)], shape=[2], format='D') holds complex items: tolist, nd[1], nd[0] = (6j,)", () => {
    const nd = ndD([[new Complex(1, 2)], [3]]);
    expect(nd.tolist()).toEqual([new Complex(1, 2), new Complex(3, 0)]);
    expect(nd.get(1)).toEqual(new Complex(3, 0));
    nd.set(0, [new Complex(0, 6)]);
    expect(nd.tolist()).toEqual([new Complex(0, 6), new Complex(3, 0)]);
  });
  it("ndarray(..., format='D') takes a lone int or float but not a lone complex, as _testbuffer's pack_from_list", () => {
    expect(ndD([1.5, 2]).tolist()).toEqual([new Complex(1.5, 0), new Complex(2, 0)]);
    raises(() => ndD([new Complex(1, 2)]), ValueError, 'mismatch between initializer element and format string');
    const nd = ndD([[new Complex(1, 2)], [3]]);
    const before = hex(nd.tobytes());
    raises(() => nd.set(0, new Complex(0, 5)), ValueError, 'mismatch between initializer element and format string');
    raises(() => nd.set(0, 'x'), ValueError, 'mismatch between initializer element and format string');
    expect(hex(nd.tobytes())).toBe(before);
  });
  it("ndarray([(1+2j, 3j)], shape=[1], format='2D').tolist() is [((1+2j), 3j)], 'bD' mixes", () => {
    expect(ndD([[new Complex(1, 2), new Complex(0, 3)]], '2D').tolist()).toEqual([
      [new Complex(1, 2), new Complex(0, 3)],
    ]);
    expect(ndD([[1, new Complex(0, 3)]], 'bD').tolist()).toEqual([[1, new Complex(0, 3)]]);
  });

  describe("memoryview does not support 'F' and 'D' as item formats in 3.14", () => {
    const m = (): MemoryView => {
      const v = MemoryView.fromObject(ndD([[new Complex(1, 2)]]));
      live.push(v);
      return v;
    };
    it.each<[string, (v: MemoryView) => unknown]>([
      ['m.tolist()', (v) => v.tolist()],
      ['m[0]', (v) => v.get(0)],
      ['m[0] = 1j', (v) => v.set(0, new Complex(0, 1))],
      ['m.count(1+2j)', (v) => v.count(new Complex(1, 2))],
      ['m.index(1+2j)', (v) => v.index(new Complex(1, 2))],
      ['list(m)', (v) => [...v]],
    ])("%s is NotImplementedError 'memoryview: format D not supported'", (_name, op) => {
      const v = m();
      const before = hex(v.tobytes());
      raises(() => op(v), NotImplementedError, 'memoryview: format D not supported');
      expect(hex(v.tobytes())).toBe(before);
    });
    it.each([['F'], ['D'], ['@D']])(
      "memoryview(bytes(16)).cast('%s') is ValueError: not a native single character format",
      (fmt) => {
        raises(
          () => viewOf(new Array(16).fill(0)).cast(fmt as CastFormat),
          ValueError,
          "memoryview: destination format must be a native single character format prefixed with an optional '@'",
        );
      },
    );
    it("a 'D' view casts to 'B', hexes and compares through struct (== with 'D', '<D', 'F', 'd' and 'b')", () => {
      const v = m();
      const b = v.cast('B');
      live.push(b);
      expect(b.tolist()).toEqual([0, 0, 0, 0, 0, 0, 240, 63, 0, 0, 0, 0, 0, 0, 0, 64]);
      expect(v.hex()).toBe('000000000000f03f0000000000000040');
      expect(v.equals(ndD([[new Complex(1, 2)]]))).toBe(true);
      expect(v.equals(ndD([[new Complex(1, 2)]], '<D'))).toBe(true);
      expect(v.equals(ndD([[new Complex(1, 2)]], 'F'))).toBe(true);
      expect(v.equals(ndD([[new Complex(1, 3)]]))).toBe(false);
      // (1+0j) == 1.0 and == 1; 1j != 0
      const one = MemoryView.fromObject(ndD([[1]]));
      live.push(one);
      expect(one.equals(ndD([1], 'd'))).toBe(true);
      expect(one.equals(ndD([1], 'b'))).toBe(true);
      const j = MemoryView.fromObject(ndD([[new Complex(0, 1)]]));
      live.push(j);
      expect(j.equals(ndD([0], 'b'))).toBe(false);
    });
    it("complex NaN items are never equal: memoryview(ndarray([(nan, 0)], format='2F')) != itself copied", () => {
      const a = MemoryView.fromObject(ndD([[new Complex(NaN, 0), 0]], '2F'));
      live.push(a);
      expect(a.equals(ndD([[new Complex(NaN, 0), 0]], '2F'))).toBe(false);
    });
    it("hash() of a 'D' view is ValueError: hashing is restricted to formats 'B', 'b' or 'c'", () => {
      const v = MemoryView.fromObject(ndD([[new Complex(1, 2)]], 'D', false));
      live.push(v);
      raises(() => v.hash(), ValueError, "memoryview: hashing is restricted to formats 'B', 'b' or 'c'");
    });
  });

  it.each<[Complex, string]>([
    [new Complex(1, 2), '(1+2j)'],
    [new Complex(0, 1), '1j'],
    [new Complex(-0, -0), '(-0-0j)'],
    [new Complex(NaN, Infinity), '(nan+infj)'],
    [new Complex(1e16, -1e-5), '(1e+16-1e-05j)'],
    [new Complex(1.5, 0), '(1.5+0j)'],
  ])('Complex %s prints as Python repr %s', (z, repr) => {
    expect(String(z)).toBe(repr);
  });
});

describe('bytearray.resize() (new in 3.14)', () => {
  function ba(bytes: number[]): ByteArray {
    const b = new ByteArray(bytes);
    live.push({ release: () => b.dispose() });
    return b;
  }
  it.each<[string, number | bigint | boolean, number[]]>([
    ["bytearray(b'abc').resize(5)", 5, [97, 98, 99, 0, 0]],
    ["bytearray(b'abc').resize(1)", 1, [97]],
    ["bytearray(b'abc').resize(0)", 0, []],
    ["bytearray(b'abc').resize(True)", true, [97]],
    ["bytearray(b'abc').resize(2n)", 2n, [97, 98]],
  ])('%s changes the size, new bytes zero', (_name, size, expected) => {
    const b = ba([97, 98, 99]);
    b.resize(size);
    expect([...b.toUint8Array()]).toEqual(expected);
  });
  it.each<[string, unknown, new (...args: never[]) => Error, string]>([
    ['-1', -1, ValueError, 'Can only resize to positive sizes, got -1'],
    ['-2**31', -(2 ** 31), ValueError, 'Can only resize to positive sizes, got -2147483648'],
    ['-2**40', -(2 ** 40), OverflowError, 'Python int too large to convert to C ssize_t'],
    ['2**31', 2 ** 31, OverflowError, 'Python int too large to convert to C ssize_t'],
    ['1.5', 1.5, TypeError, "'float' object cannot be interpreted as an integer"],
    ['None', null, TypeError, "'NoneType' object cannot be interpreted as an integer"],
    ["'x'", 'x', TypeError, "'str' object cannot be interpreted as an integer"],
  ])('resize(%s) is %s and leaves the bytes untouched', (_name, size, cls, message) => {
    const b = ba([97, 98, 99]);
    raises(() => b.resize(size as number), cls, message);
    expect([...b.toUint8Array()]).toEqual([97, 98, 99]);
  });
  it('while exported: the same size succeeds, another is BufferError, a negative one ValueError first', () => {
    const b = ba([1, 2, 3, 4, 5, 6]);
    const m = MemoryView.fromObject(b);
    live.push(m);
    b.resize(6);
    raises(() => b.resize(2), BufferError, 'Existing exports of data: object cannot be re-sized');
    raises(() => b.resize(-1), ValueError, 'Can only resize to positive sizes, got -1');
    raises(() => b.clear(), BufferError, 'Existing exports of data: object cannot be re-sized');
    raises(() => b.append(1), BufferError, 'Existing exports of data: object cannot be re-sized');
    expect([...b.toUint8Array()]).toEqual([1, 2, 3, 4, 5, 6]);
    m.release();
    b.resize(2);
    expect([...b.toUint8Array()]).toEqual([1, 2]);
  });
});
