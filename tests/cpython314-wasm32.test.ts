// Behaviours where CPython 3.14 for wasm32 (Pyodide 314.0.7, this project's reference) answers
// differently from 64-bit CPython or from CPython 3.13. Every expected value below is what
// Pyodide printed for the Python expression in the test's name or table (run through
// scripts/run-in-pyodide.mjs); docs/conformance.md tabulates them against 64-bit CPython.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ByteArray, Bytes, MemoryView, NDArray, init, struct,
} from '../src/index.js';

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
  const c = m.cast(format);
  live.push(c);
  return c;
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
  return [...b].reverse().map((x) => x.toString(16).padStart(2, '0')).join('');
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
  it.each(READS)("m[0] = x writes the half %s back from the double %s", (half, double) => {
    const m = viewOf([0, 0], 'e', true);
    m.set(0, fromBits(double));
    expect(be(m.tobytes())).toBe(half);
  });
  it("tolist() of a negative quiet NaN keeps its sign (it read as +nan before)", () => {
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
  ])("the double %s packs into the half %s (a payload truncated to nothing is the quiet NaN)", (double, half) => {
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
