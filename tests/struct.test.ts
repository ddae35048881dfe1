// src/struct.ts against the struct module of CPython 3.14 for wasm32: every vector of
// tests/fixtures/struct.json (scripts/gen-struct-fixtures.py, run in Pyodide), then
// hand-written tables for how JS values map to Python's.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Struct,
  calcsize,
  clearCache,
  nativeSingleChar,
  pack,
  packHalf,
  packInto,
  unpack,
  unpackFrom,
  unpackHalf,
  UnicodeEncodeError,
  type StructItem,
} from '../src/struct.js';
import { BufferError, OverflowError, StructError, ValueError } from '../src/errors.js';
import { ByteArray, Bytes, Ellipsis, MemoryView, NDArray, init, slice } from '../src/index.js';
import { Complex } from '../src/complex.js';
import { errorOf, type PyErrorRecord } from './helpers/errors.js';

// ---- the fixture and its value encoding (see the generator's docstring) ----------------

type Encoded =
  | number
  | boolean
  | string
  | null
  | Encoded[]
  | { $int: string }
  | { $float: 'nan' | 'inf' | '-inf' | '-0' }
  | { $bytes: string }
  | { $complex: [Encoded, Encoded] };

interface Fixture {
  python: string;
  calcsize: ({ format: string; size: number; nitems: number | null } | { format: string; error: PyErrorRecord })[];
  pack: { format: string; values: Encoded[]; hex: string }[];
  unpack: { format: string; hex: string; values: Encoded[] }[];
  pack_into: { format: string; size: number; offset: number; values: Encoded[]; hex: string; error?: PyErrorRecord }[];
  unpack_from: { format: string; hex: string; offset: number; values: Encoded[] }[];
  errors: ({ format: string; error: PyErrorRecord } & (
    | { op: 'pack'; values: Encoded[] }
    | { op: 'unpack'; hex: string }
    | { op: 'unpack_from'; hex: string; offset: number }
    | { op: 'pack_into'; size: number; offset: number; values: Encoded[] }
  ))[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/struct.json', import.meta.url), 'utf8')) as Fixture;

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function decode(v: Encoded): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(decode);
  if ('$int' in v) return BigInt(v.$int);
  if ('$bytes' in v) return fromHex(v.$bytes);
  if ('$complex' in v) return new Complex(decode(v.$complex[0]) as number, decode(v.$complex[1]) as number);
  return { nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 }[v.$float];
}

/** Items compared as Python would see them: bigint vs number, -0 vs 0 and NaN all matter. */
function expectItems(actual: StructItem[], expected: Encoded[], context: string): void {
  expect(actual.length, context).toBe(expected.length);
  expected.forEach((e, i) => {
    const want = decode(e);
    const got = actual[i];
    const where = `${context} item ${i}`;
    if (want instanceof Uint8Array) {
      expect(got, where).toBeInstanceOf(Uint8Array);
      expect(toHex(got as Uint8Array), where).toBe(toHex(want));
    } else if (want instanceof Complex) {
      expect(got, where).toBeInstanceOf(Complex);
      const z = got as Complex;
      expect([Object.is(z.re, want.re), Object.is(z.im, want.im)], `${where}: ${String(z)} is ${String(want)}`).toEqual(
        [true, true],
      );
    } else {
      expect(typeof got, where).toBe(typeof want);
      expect(Object.is(got, want), `${where}: ${String(got)} is ${String(want)}`).toBe(true);
    }
  });
}

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// ---- CPython's vectors --------------------------------------------------------------------

describe(`struct matches CPython ${fixture.python}`, () => {
  it('computes calcsize and the item count of every fixture format, or its error', () => {
    for (const c of fixture.calcsize) {
      if ('error' in c) {
        expect(
          errorOf(() => calcsize(c.format)),
          JSON.stringify(c.format),
        ).toEqual(c.error);
      } else {
        const s = new Struct(c.format);
        expect(s.size, JSON.stringify(c.format)).toBe(c.size);
        if (c.nitems !== null) expect(s.nitems, JSON.stringify(c.format)).toBe(c.nitems);
      }
    }
  });

  it(`packs ${fixture.pack.length} vectors to CPython's bytes`, () => {
    for (const p of fixture.pack) {
      const values = p.values.map(decode);
      const context = `pack(${JSON.stringify(p.format)}, ${JSON.stringify(p.values)})`;
      expect(toHex(pack(p.format, ...values)), context).toBe(p.hex);
    }
  });

  it(`unpacks ${fixture.unpack.length} vectors to CPython's values`, () => {
    for (const u of fixture.unpack) {
      expectItems(unpack(u.format, fromHex(u.hex)), u.values, `unpack(${JSON.stringify(u.format)}, ${u.hex})`);
    }
  });

  it('leaves the same bytes as CPython after pack_into, including after an error', () => {
    for (const p of fixture.pack_into) {
      const buf = new Uint8Array(p.size).fill(0xaa);
      const context = `pack_into(${JSON.stringify(p.format)}, ${p.offset}, ${JSON.stringify(p.values)})`;
      const outcome = errorOf(() => packInto(p.format, dataView(buf), p.offset, ...p.values.map(decode)));
      expect(outcome, context).toEqual(p.error ?? 'no error');
      expect(toHex(buf), context).toBe(p.hex);
    }
  });

  it('unpacks from offsets, negative ones counting from the end', () => {
    for (const u of fixture.unpack_from) {
      const got = unpackFrom(u.format, dataView(fromHex(u.hex)), u.offset);
      expectItems(got, u.values, `unpack_from(${JSON.stringify(u.format)}, ${u.offset})`);
    }
  });

  it(`raises CPython's exception class and message in ${fixture.errors.length} error cases`, () => {
    for (const e of fixture.errors) {
      let run: () => unknown;
      switch (e.op) {
        case 'pack':
          run = () => pack(e.format, ...e.values.map(decode));
          break;
        case 'unpack':
          run = () => unpack(e.format, fromHex(e.hex));
          break;
        case 'unpack_from':
          run = () => unpackFrom(e.format, dataView(fromHex(e.hex)), e.offset);
          break;
        case 'pack_into': {
          const buf = new Uint8Array(e.size).fill(0xaa);
          run = () => packInto(e.format, dataView(buf), e.offset, ...e.values.map(decode));
          break;
        }
      }
      expect(errorOf(run), `${e.op} ${JSON.stringify(e)}`).toEqual(e.error);
    }
  });
});

// ---- wasm32 native sizes and alignment ----------------------------------------------------

describe('native mode follows the wasm32 ABI', () => {
  const sizes: [string, number][] = [
    ['l', 4],
    ['L', 4],
    ['n', 4],
    ['N', 4],
    ['P', 4],
    ['@P', 4],
    ['i', 4],
    ['q', 8],
    ['d', 8],
    ['e', 2],
    ['?', 1],
    // each item is aligned to its own size, and the struct is not padded at the end
    ['cl', 8],
    ['lc', 5],
    ['cn', 8],
    ['cN', 8],
    ['cP', 8],
    ['Pc', 5],
    ['cL', 8],
    ['hl', 8],
    ['cq', 16],
    ['cd', 16],
    ['ce', 4],
    ['cPq', 16],
    ['lq', 16],
    ['c0l', 4],
    ['3P', 12],
    ['c3P', 16],
    // standard sizes: 'l' and 'L' are 4 bytes there too, and nothing is aligned
    ['<l', 4],
    ['=L', 4],
    ['>cl', 5],
    ['!cq', 9],
  ];
  it.each(sizes)('calcsize(%j) is %i', (format, size) => {
    expect(calcsize(format)).toBe(size);
  });

  const packed: [string, unknown[], string][] = [
    ['l', [-2], 'feffffff'],
    ['L', [0xfffffffe], 'feffffff'],
    ['n', [-2147483648], '00000080'],
    ['N', [4294967295], 'ffffffff'],
    ['P', [0x12345678], '78563412'],
    ['P', [-1], 'ffffffff'],
    ['P', [-2147483648], '00000080'],
    ['cl', [Uint8Array.of(0x41), 1], '4100000001000000'],
    ['cP', [Uint8Array.of(0x41), 2n], '4100000002000000'],
    ['hlq', [1, 2, 3n], '01000000020000000300000000000000'],
  ];
  it.each(packed)('pack(%j, ...[%s]) is %s', (format, values, hex) => {
    expect(toHex(pack(format, ...values))).toBe(hex);
  });

  const unpacked: [string, string, StructItem[]][] = [
    ['l', 'feffffff', [-2]],
    ['L', 'feffffff', [4294967294]],
    ['n', 'ffffffff', [-1]],
    ['N', 'ffffffff', [4294967295]],
    // PyLong_FromVoidPtr is unsigned
    ['P', 'ffffffff', [4294967295]],
    ['cP', '41000000ffffffff', [Uint8Array.of(0x41), 4294967295]],
  ];
  it.each(unpacked)('unpack(%j, %s) gives %j', (format, hex, items) => {
    expect(unpack(format, fromHex(hex))).toEqual(items);
  });

  const rangeErrors: [string, unknown, string][] = [
    ['l', 2 ** 31, "'l' format requires -2147483648 <= number <= 2147483647"],
    ['l', -(2 ** 31) - 1, "'l' format requires -2147483648 <= number <= 2147483647"],
    ['l', 2n ** 64n, "'l' format requires -2147483648 <= number <= 2147483647"],
    ['L', -1, "'L' format requires 0 <= number <= 4294967295"],
    ['L', 2 ** 32, "'L' format requires 0 <= number <= 4294967295"],
    ['n', 2 ** 31, "'n' format requires -2147483648 <= number <= 2147483647"],
    ['N', -1, "'N' format requires 0 <= number <= 4294967295"],
    ['N', 2n ** 40n, "'N' format requires 0 <= number <= 4294967295"],
    // PyLong_AsVoidPtr overflows; s_pack_internal turns that into this message
    ['P', 2 ** 32, 'int too large to convert'],
    ['P', -(2 ** 31) - 1, 'int too large to convert'],
    ['P', 1.5, 'required argument is not an integer'],
  ];
  it.each(rangeErrors)('pack(%j, %s) raises struct.error %j', (format, value, message) => {
    expect(errorOf(() => pack(format, value))).toEqual(['struct.error', message]);
  });

  const refusedOutsideNative = ['<n', '=N', '>P', '!P', '<P', '=n'];
  it.each(refusedOutsideNative)("refuses %j: 'n', 'N' and 'P' exist only in native mode", (format) => {
    expect(errorOf(() => calcsize(format))).toEqual(['struct.error', 'bad char in struct format']);
  });

  const sizeLimits: [string, number | string][] = [
    ['2147483647x', 2147483647],
    ['2147483648x', 'total struct size too long'],
    ['1073741824h', 'total struct size too long'],
    ['1073741823hx', 2147483647],
    ['268435455q', 2147483640],
    ['c268435455q', 'total struct size too long'],
    ['536870911i', 2147483644],
    ['c536870911i', 'total struct size too long'],
  ];
  it.each(sizeLimits)("uses wasm32's Py_ssize_t for the size limit: %j -> %j", (format, outcome) => {
    if (typeof outcome === 'number') expect(calcsize(format)).toBe(outcome);
    else expect(errorOf(() => calcsize(format))).toEqual(['struct.error', outcome]);
  });
});

// ---- the JS value mapping -----------------------------------------------------------------

describe('values map between JS and Python as the design says', () => {
  it("unpacks 'q' and 'Q' as bigint and every other integer code as number", () => {
    expect(unpack('<qQ', new Uint8Array(16))).toEqual([0n, 0n]);
    expect(unpack('bBhHiIlL', pack('bBhHiIlL', 1, 2, 3, 4, 5, 6, 7, 8))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  const integerInputs: [string, unknown, string][] = [
    ['a safe integer number', 5, '05000000'],
    ['a bigint', 5n, '05000000'],
    ['an integral float number (1.0 is 1 in JS)', 1.0, '01000000'],
    ['negative zero', -0, '00000000'],
    ['true (Python bool is an int)', true, '01000000'],
    ['false', false, '00000000'],
  ];
  it.each(integerInputs)('an integer code accepts %s', (_what, value, hex) => {
    expect(toHex(pack('<i', value))).toBe(hex);
  });

  it("'q' and 'Q' accept numbers as well as bigints", () => {
    expect(toHex(pack('<q', -1))).toBe('ffffffffffffffff');
    expect(toHex(pack('<Q', 2 ** 53))).toBe('0000000000002000');
    expect(toHex(pack('<Q', 2 ** 64 - 2048))).toBe('00f8ffffffffffff');
    expect(errorOf(() => pack('<Q', 2 ** 64))).toEqual([
      'struct.error',
      "'Q' format requires 0 <= number <= 18446744073709551615",
    ]);
  });

  const notIntegers: [string, unknown][] = [
    ['a fractional number', 0.5],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['a string', '1'],
    ['null', null],
    ['undefined', undefined],
    ['an object', {}],
    ['bytes', Uint8Array.of(1)],
    ['an array', [1]],
  ];
  it.each(notIntegers)('an integer code refuses %s', (_what, value) => {
    for (const format of ['b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'q', 'Q', 'n', 'N', 'P', '>q']) {
      expect(
        errorOf(() => pack(format, value)),
        format,
      ).toEqual(['struct.error', 'required argument is not an integer']);
    }
  });

  const floatInputs: [string, unknown, string][] = [
    ['a number', 1.5, '0000c03f'],
    ['a bigint, converted like int.__float__', 16777217n, '0000804b'],
    ['a bigint that needs rounding to a double first', 2n ** 60n + 1n, '0000805d'],
    ['true', true, '0000803f'],
  ];
  it.each(floatInputs)("'f' accepts %s", (_what, value, hex) => {
    expect(toHex(pack('<f', value))).toBe(hex);
  });

  const notFloats: [string, unknown][] = [
    ['a string', '1.5'],
    ['null', null],
    ['undefined', undefined],
    ['bytes', Uint8Array.of(1)],
    ['a bigint beyond the double range', 10n ** 400n],
  ];
  it.each(notFloats)("'e', 'f' and 'd' refuse %s", (_what, value) => {
    for (const format of ['e', 'f', 'd', '<e', '>f', '!d']) {
      expect(
        errorOf(() => pack(format, value)),
        format,
      ).toEqual(['struct.error', 'required argument is not a float']);
    }
  });

  it('treats a number as a Python float and a bigint as a Python int when a float overflows', () => {
    expect(errorOf(() => pack('<e', 1e6))).toEqual(['OverflowError', 'float too large to pack with e format']);
    expect(errorOf(() => pack('<e', 1000000n))).toEqual(['struct.error', 'int too large to convert']);
    expect(errorOf(() => pack('>f', 1e39))).toEqual(['OverflowError', 'float too large to pack with f format']);
    expect(errorOf(() => pack('>f', 10n ** 39n))).toEqual(['struct.error', 'int too large to convert']);
    expect(() => pack('e', 1e6)).toThrow(OverflowError);
  });

  it("casts native 'f' like C (overflow gives inf) but raises for standard 'f'", () => {
    expect(toHex(pack('f', 1e300))).toBe('0000807f');
    expect(toHex(pack('@f', -1e300))).toBe('000080ff');
    expect(() => pack('=f', 1e300)).toThrow(OverflowError);
  });

  const truthiness: [string, unknown, boolean][] = [
    ['0', 0, false],
    ['-0', -0, false],
    ['NaN (true in Python)', NaN, true],
    ['2', 2, true],
    ['0n', 0n, false],
    ['1n', 1n, true],
    ["''", '', false],
    ["'a'", 'a', true],
    ['false', false, false],
    ['true', true, true],
    ['null', null, false],
    ['undefined', undefined, false],
    ['an empty Uint8Array', new Uint8Array(0), false],
    ['Uint8Array [0]', Uint8Array.of(0), true],
    ['[]', [], false],
    ['[0]', [0], true],
    ['an empty Map', new Map(), false],
    ['{}', {}, true],
    ['complex 0j', new Complex(0, 0), false],
    ['complex -0j (zero parts)', new Complex(-0, -0), false],
    ['complex 1j', new Complex(0, 1), true],
    ['complex nan', new Complex(NaN, 0), true],
  ];
  it.each(truthiness)("'?' packs %s as %s", (_what, value, truth) => {
    expect(pack('?', value)).toEqual(Uint8Array.of(truth ? 1 : 0));
  });

  it("unpacks '?' as a boolean, any non-zero byte being true", () => {
    expect(unpack('??', Uint8Array.of(0, 2))).toEqual([false, true]);
    expect(unpack('<?', Uint8Array.of(0xff))).toEqual([true]);
  });

  it("packs and unpacks 'c' as a one-byte Uint8Array", () => {
    expect(pack('c', Uint8Array.of(0xff))).toEqual(Uint8Array.of(0xff));
    expect(unpack('2c', Uint8Array.of(1, 2))).toEqual([Uint8Array.of(1), Uint8Array.of(2)]);
    for (const bad of [new Uint8Array(0), Uint8Array.of(1, 2), 'a', 97, [97], new Int8Array(1)]) {
      expect(errorOf(() => pack('c', bad))).toEqual([
        'struct.error',
        'char format requires a bytes object of length 1',
      ]);
    }
  });

  it("pads and truncates 's', and stores 'p' with its length byte", () => {
    expect(toHex(pack('4s', Uint8Array.of(1, 2)))).toBe('01020000');
    expect(toHex(pack('2s', Uint8Array.of(1, 2, 3)))).toBe('0102');
    expect(toHex(pack('4p', Uint8Array.of(1, 2, 3, 4, 5)))).toBe('03010203');
    expect(unpack('4p', fromHex('09010203'))).toEqual([Uint8Array.of(1, 2, 3)]);
    expect(unpack('0s0p', new Uint8Array(0))).toEqual([new Uint8Array(0), new Uint8Array(0)]);
  });

  it('returns copies, not views, of the unpacked bytes', () => {
    const src = Uint8Array.of(1, 2, 3);
    const [s] = unpack('3s', src) as [Uint8Array];
    src[0] = 9;
    expect(s[0]).toBe(1);
  });

  it('accepts a Node Buffer as bytes (it is a Uint8Array)', () => {
    expect(toHex(pack('2s', Buffer.from('ab')))).toBe('6162');
  });
});

// ---- IEEE half precision ------------------------------------------------------------------

describe("'e' rounds like PyFloat_Pack2", () => {
  const cases: [number, number][] = [
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff],
    [65519.99, 0x7bff],
    [2 ** -24, 0x0001],
    [2 ** -25, 0x0000],
    [2 ** -25 * 1.0000001, 0x0001],
    [3 * 2 ** -25, 0x0002],
    [2 ** -14, 0x0400],
    [1 + 2 ** -11, 0x3c00],
    [1 + 3 * 2 ** -11, 0x3c02],
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
    [NaN, 0x7e00],
    [-0, 0x8000],
    [0, 0],
  ];
  it.each(cases)('packHalf(%d) is %i', (x, bits) => {
    expect(packHalf(x)).toBe(bits);
  });

  it('round-trips every finite half-precision value', () => {
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) === 0x7c00) continue;
      expect(packHalf(unpackHalf(h))).toBe(h);
    }
  });

  it("keeps a NaN's sign, as copysign does in PyFloat_Pack2", () => {
    const bits = new DataView(new ArrayBuffer(8));
    bits.setUint32(0, 0xfff80000);
    expect(packHalf(bits.getFloat64(0))).toBe(0xfe00);
  });

  it('raises OverflowError from 65520 up', () => {
    for (const x of [65520, -65520, 1e300]) expect(() => packHalf(x)).toThrow(OverflowError);
  });
});

// ---- the API around the codecs ------------------------------------------------------------

describe('the Struct object and the module functions', () => {
  it('exposes format, size and nitems', () => {
    const s = new Struct('<2h3sx?');
    expect([s.format, s.size, s.nitems]).toEqual(['<2h3sx?', 9, 4]);
  });

  it('checks the number of values before anything else', () => {
    const s = new Struct('hh');
    expect(errorOf(() => s.pack([1]))).toEqual(['struct.error', 'pack expected 2 items for packing (got 1)']);
    const buf = new Uint8Array(4).fill(7);
    expect(errorOf(() => s.packInto(dataView(buf), 0, [1, 2, 3]))).toEqual([
      'struct.error',
      'pack_into expected 2 items for packing (got 3)',
    ]);
    expect(buf).toEqual(new Uint8Array(4).fill(7));
  });

  it('packs into and unpacks from a DataView at its own byte offset', () => {
    const backing = new Uint8Array(16).fill(0xee);
    const view = new DataView(backing.buffer, 4, 8);
    packInto('<hi', view, 2, -1, 0x01020304);
    expect(toHex(backing)).toBe('eeeeeeeeeeeeffff04030201eeeeeeee');
    expect(unpackFrom('<hi', view, -6)).toEqual([-1, 0x01020304]);
    expect(unpackFrom('<h', view)).toEqual([-4370]);
  });

  const badOffsets: [string, unknown, string, string][] = [
    ['a fractional number', 1.5, 'TypeError', "'float' object cannot be interpreted as an integer"],
    ['a string', '1', 'TypeError', "'str' object cannot be interpreted as an integer"],
  ];
  it.each(badOffsets)('refuses %s as an offset', (_what, offset, name, message) => {
    const view = new DataView(new ArrayBuffer(4));
    expect(errorOf(() => unpackFrom('h', view, offset as number))).toEqual([name, message]);
    expect(errorOf(() => packInto('h', view, offset as number, 1))).toEqual([name, message]);
  });

  it("refuses offsets beyond wasm32's Py_ssize_t as CPython does", () => {
    const view = new DataView(new ArrayBuffer(4));
    expect(errorOf(() => packInto('h', view, 2 ** 31, 1))).toEqual([
      'IndexError',
      "cannot fit 'int' into an index-sized integer",
    ]);
    expect(errorOf(() => unpackFrom('h', view, -(2 ** 31) - 1))).toEqual([
      'OverflowError',
      'Python int too large to convert to C ssize_t',
    ]);
  });

  it('takes any Python int as an offset: a bigint (refused past Py_ssize_t as CPython does) or a bool', () => {
    // Pyodide 314.0.7: unpack_from('b', b'\x05\x06', o) and pack_into('b', bytearray(2), o, 7)
    const view = new DataView(Uint8Array.of(5, 6).buffer);
    for (const offset of [2n ** 64n, 2n ** 31n, -(2n ** 31n) - 1n]) {
      expect(errorOf(() => unpackFrom('b', view, offset))).toEqual([
        'OverflowError',
        'Python int too large to convert to C ssize_t',
      ]);
      expect(errorOf(() => packInto('b', new DataView(new ArrayBuffer(2)), offset, 7))).toEqual([
        'IndexError',
        "cannot fit 'int' into an index-sized integer",
      ]);
    }
    expect([
      unpackFrom('b', view, true as never),
      unpackFrom('b', view, false as never),
      unpackFrom('b', view, 1n),
    ]).toEqual([[6], [5], [6]]);
    const out = new Uint8Array(2);
    packInto('b', new DataView(out.buffer), true as never, 7);
    expect(Array.from(out)).toEqual([0, 7]);
    expect(errorOf(() => unpackFrom('b', view, 2n ** 31n - 1n))).toEqual([
      'struct.error',
      'unpack_from requires a buffer of at least 2147483648 bytes for unpacking 1 bytes at offset 2147483647 (actual buffer size is 2)',
    ]);
  });

  it('raises struct.error as a StructError and a non-ASCII format as UnicodeEncodeError', () => {
    expect(() => calcsize('z')).toThrow(StructError);
    expect(() => calcsize('é')).toThrow(UnicodeEncodeError);
    expect(errorOf(() => calcsize('\ud800h'))).toEqual([
      'UnicodeEncodeError',
      "'ascii' codec can't encode character '\\ud800' in position 0: ordinal not in range(128)",
    ]);
  });

  it('refuses a format that is not a string with a TypeError', () => {
    expect(errorOf(() => new Struct(3 as unknown as string))).toEqual([
      'TypeError',
      'Struct() argument 1 must be a str or bytes object, not int',
    ]);
  });

  it('gives the same answers from the cache, and after clearing it', () => {
    const first = pack('<3h', 1, 2, 3);
    for (let i = 0; i < 300; i++) calcsize(`${i}x`);
    expect(pack('<3h', 1, 2, 3)).toEqual(first);
    clearCache();
    expect(pack('<3h', 1, 2, 3)).toEqual(first);
  });
});

describe("the library's Bytes and ByteArray are Python's bytes and bytearray to struct", () => {
  // expected values: struct in Pyodide 314.0.7 with bytes(...) and bytearray(...) in their place
  beforeAll(async () => {
    await init();
  });

  it("packs a Bytes for 'c', 's' and 'p', and a ByteArray for 's' and 'p' only", () => {
    using b = new Bytes([7]);
    using ba = new ByteArray([7, 8]);
    using one = new ByteArray([7]);
    expect([pack('c', b), pack('3s', b), pack('3p', b)].map(toHex)).toEqual(['07', '070000', '010700']);
    expect([pack('3s', ba), pack('3p', ba), pack('s', ba)].map(toHex)).toEqual(['070800', '020708', '07']);
    // struct.pack('c', bytearray(b'\x07')): np_char takes bytes only
    expect(errorOf(() => pack('c', one))).toEqual(['struct.error', 'char format requires a bytes object of length 1']);
    using m = MemoryView.fromObject(b);
    expect(errorOf(() => pack('s', m))).toEqual(['struct.error', "argument for 's' must be a bytes object"]);
    expect(errorOf(() => pack('p', m))).toEqual(['struct.error', "argument for 'p' must be a bytes object"]);
  });

  it('unpacks from any exporter, as CPython takes any bytes-like object', () => {
    using b = new Bytes([58, 1]);
    using ba = new ByteArray([58, 1]);
    using m = MemoryView.fromObject(b);
    using nd = new NDArray([58, 1], { shape: [2] });
    for (const buffer of [b, ba, m, nd]) {
      expect(unpack('<H', buffer)).toEqual([314]);
      expect(new Struct('B').unpackFrom(buffer, 1)).toEqual([1]);
      expect(unpackFrom('B', buffer, -2)).toEqual([58]);
      expect(errorOf(() => unpack('B', buffer))).toEqual(['struct.error', 'unpack requires a buffer of 1 bytes']);
    }
  });

  it("refuses a non-contiguous exporter with the exporter's BufferError and a released view with ValueError", () => {
    // struct.unpack('H', memoryview(b'abcd')[::2]), struct.unpack('H', ndarray([1, 2, 3, 4], shape=[4])[::2])
    using b = new Bytes([1, 2, 3, 4]);
    using m = MemoryView.fromObject(b);
    using strided = m.get(slice(null, null, 2));
    expect(errorOf(() => unpack('H', strided))).toEqual([
      'BufferError',
      'memoryview: underlying buffer is not C-contiguous',
    ]);
    using nd = new NDArray([1, 2, 3, 4], { shape: [4] });
    using ndStrided = nd.get(slice(null, null, 2));
    expect(errorOf(() => unpackFrom('H', ndStrided))).toEqual(['BufferError', 'ndarray is not C-contiguous']);
    expect(() => unpack('H', strided)).toThrow(BufferError);
    const released = MemoryView.fromObject(b);
    released.release();
    expect(errorOf(() => unpack('B', released))).toEqual([
      'ValueError',
      'operation forbidden on released memoryview object',
    ]);
    expect(() => unpack('B', released)).toThrow(ValueError);
    expect(errorOf(() => unpack('B', null as never))).toEqual([
      'TypeError',
      "a bytes-like object is required, not 'NoneType'",
    ]);
    // every buffer taken was given back: the exporters dispose at once
    expect(m.exports).toBe(0);
  });

  it("packs '?' as bool() of bytes, bytearray, memoryview, ndarray, slice and Ellipsis", () => {
    // struct.pack('?', x) in Pyodide 314.0.7: b'' and bytearray() are false, bytes(1) true; a
    // memoryview is its len() (0-dim: TypeError, released: ValueError); an ndarray has no len()
    // and is true, as are slices and Ellipsis
    using empty = new Bytes(0);
    using zero = new Bytes(1);
    using emptyArray = new ByteArray(0);
    using zeroArray = new ByteArray(1);
    using emptyView = MemoryView.fromObject(empty);
    using zeroView = MemoryView.fromObject(zero);
    using nd = new NDArray([0], { shape: [1] });
    using scalar = new NDArray(0, { shape: [] });
    const truths = [empty, zero, emptyArray, zeroArray, emptyView, zeroView, nd, scalar, slice(0), Ellipsis];
    expect(truths.map((v) => pack('?', v)[0])).toEqual([0, 1, 0, 1, 0, 1, 1, 1, 1, 1]);
    using dim0 = zeroView.cast('B', []);
    expect(errorOf(() => pack('?', dim0))).toEqual(['TypeError', '0-dim memory has no length']);
    const released = MemoryView.fromObject(zero);
    released.release();
    expect(errorOf(() => pack('?', released))).toEqual([
      'ValueError',
      'operation forbidden on released memoryview object',
    ]);
  });

  it('takes a format as bytes (a Uint8Array or a Bytes), with the errors of a bytes format', () => {
    using bi = new Bytes('<i');
    expect([calcsize(Uint8Array.of(0x69)), calcsize(bi), new Struct(bi).format]).toEqual([4, 4, '<i']);
    expect(toHex(pack(Uint8Array.of(0x68), 1))).toBe('0100');
    expect(unpack(bi, Uint8Array.of(1, 0, 0, 0))).toEqual([1]);
    // struct.calcsize(b'\xff'), struct.calcsize(b'i\x00'): not the str format's UnicodeEncodeError
    expect(errorOf(() => calcsize(Uint8Array.of(0xff)))).toEqual(['struct.error', 'bad char in struct format']);
    expect(errorOf(() => calcsize(Uint8Array.of(0x69, 0)))).toEqual(['struct.error', 'embedded null character']);
  });

  it('refuses a bytearray format: unhashable to the module functions, not bytes to Struct()', () => {
    using ba = new ByteArray('i');
    for (const f of [
      () => calcsize(ba as never),
      () => pack(ba as never, 1),
      () => unpack(ba as never, new Uint8Array(4)),
    ]) {
      expect(errorOf(f)).toEqual(['TypeError', "cannot use 'bytearray' as a dict key (unhashable type: 'bytearray')"]);
    }
    expect(errorOf(() => calcsize([] as never))).toEqual([
      'TypeError',
      "cannot use 'list' as a dict key (unhashable type: 'list')",
    ]);
    expect(errorOf(() => new Struct(ba as never))).toEqual([
      'TypeError',
      'Struct() argument 1 must be a str or bytes object, not bytearray',
    ]);
  });
});

describe('nativeSingleChar', () => {
  const cases: [string, string | null][] = [
    ['B', 'B'],
    ['@i', 'i'],
    ['P', 'P'],
    ['?', '?'],
    ['e', 'e'],
    ['c', 'c'],
    ['@q', 'q'],
    ['<i', null],
    ['=B', null],
    ['2i', null],
    ['ii', null],
    ['', null],
    ['@', null],
    ['x', null],
    ['s', null],
    ['p', null],
    ['@@i', null],
    ['z', null],
    [' i', null],
  ];
  it.each(cases)('nativeSingleChar(%j) is %j', (format, expected) => {
    expect(nativeSingleChar(format)).toBe(expected);
  });
});
