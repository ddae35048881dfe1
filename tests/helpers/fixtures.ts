// Decoding helpers for the CPython-generated fixture files in tests/fixtures/.
//
// The generators (scripts/gen-*-fixtures.py) write plain JSON and mark the values that
// JSON cannot carry:
//   {"$int": "123"}                          an int outside Number.isSafeInteger -> bigint
//   {"$float": "nan"|"inf"|"-inf"|"-0"}      a float JSON has no literal for -> number
//   {"$bytes": "00ff"}                       a bytes value (items of 'c' and 'Ns') -> Uint8Array
//   {"$complex": [re, im]}                   a complex (items of 'F' and 'D') -> Complex
//   [a, b, ...]                              a list; among ndarray items, a struct tuple
// Byte strings (tobytes() and friends) are lowercase hex strings.
import { readFileSync } from 'node:fs';
import { Complex } from '../../src/complex.js';
import { errorRecord, type PyErrorRecord } from './errors.js';

/** An encoded fixture value, as it is in the JSON. */
export type Encoded =
  | number
  | string
  | boolean
  | null
  | { $int: string }
  | { $float: 'nan' | 'inf' | '-inf' | '-0' }
  | { $bytes: string }
  | { $complex: [Encoded, Encoded] }
  | Encoded[];

/** A decoded fixture value: what the library's items and lists are made of. */
export type Decoded = number | bigint | boolean | string | null | Uint8Array | Complex | Decoded[];

/** The arguments of a _testbuffer.ndarray(items, shape, strides, offset, format, flags) call in a fixture. */
export interface NDArrayArgs {
  items: Encoded[];
  shape: number[];
  /** null: the constructor was called without strides. */
  strides: number[] | null;
  offset: number;
  format: string;
  flags: number;
}

/** A fixture's record of tolist(): the value, or the Python error it raised. */
export type ListRecord = { value: Encoded } | { error: PyErrorRecord };

/** Reads and parses a JSON fixture (path relative to the tests/ directory). */
export function loadFixture<T>(relativePath: string): T {
  const url = new URL(`../${relativePath}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

/** Lowercase hex of `bytes`, as Python's bytes.hex(). */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** The bytes of a hex string, as Python's bytes.fromhex() (no separators). */
export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0) throw new Error(`odd-length hex string: ${hex}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    const byte = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    if (Number.isNaN(byte)) throw new Error(`bad hex string: ${hex}`);
    out[i] = byte;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Decodes one marked scalar, or returns undefined when `v` is not a marker object. */
function decodeMarker(v: Record<string, unknown>): number | bigint | Uint8Array | Complex | undefined {
  if (typeof v.$int === 'string') return BigInt(v.$int);
  if (Array.isArray(v.$complex)) return new Complex(decode(v.$complex[0]) as number, decode(v.$complex[1]) as number);
  if (typeof v.$bytes === 'string') return hexToBytes(v.$bytes);
  if (typeof v.$float === 'string') {
    switch (v.$float) {
      case 'nan':
        return Number.NaN;
      case 'inf':
        return Number.POSITIVE_INFINITY;
      case '-inf':
        return Number.NEGATIVE_INFINITY;
      case '-0':
        return -0;
      default:
        throw new Error(`bad $float marker: ${v.$float}`);
    }
  }
  return undefined;
}

/** Decodes any fixture value: markers become bigint/number/Uint8Array, arrays recursively. */
export function decode(v: unknown): Decoded {
  if (Array.isArray(v)) return v.map(decode);
  if (isObject(v)) {
    const m = decodeMarker(v);
    if (m === undefined) throw new Error(`not a fixture value: ${JSON.stringify(v)}`);
    return m;
  }
  return v as Decoded;
}

/**
 * The struct codes of a format, one per item slot: '3s' is one slot ('s'), '2h' two ('h', 'h'),
 * '<hb' two. Lenient: an unknown character is returned as a code of its own, '' gives [].
 */
export function formatCodes(format: string): string[] {
  const body = /^[@=<>!]/.test(format) ? format.slice(1) : format;
  const codes: string[] = [];
  let count = '';
  for (const ch of body) {
    if (ch >= '0' && ch <= '9') {
      count += ch;
      continue;
    }
    const n = count === '' ? 1 : Number(count);
    count = '';
    if (ch === 's' || ch === 'p') codes.push(ch);
    else for (let i = 0; i < n; i++) codes.push(ch);
  }
  return codes;
}

/** Converts a decoded value to what the library uses for struct code `code` ('q'/'Q' -> bigint). */
function asItemOf(code: string | undefined, v: Decoded): Decoded {
  if ((code === 'q' || code === 'Q') && typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return v;
}

/** Decodes one ndarray item of `format`: a struct tuple (array) for multi-slot formats. */
export function decodeItem(v: unknown, format: string): Decoded {
  const codes = formatCodes(format);
  const d = decode(v);
  if (codes.length > 1 && Array.isArray(d)) return d.map((x, i) => asItemOf(codes[i], x));
  return asItemOf(codes[0], d);
}

/** Decodes a flat list of ndarray constructor items of `format`. */
export function decodeItems(items: unknown, format: string): Decoded[] {
  if (!Array.isArray(items)) return [decodeItem(items, format)];
  return items.map((x) => decodeItem(x, format));
}

/**
 * Decodes a tolist() result of a single-slot `format`: nested arrays are dimensions, the
 * leaves are items ('q'/'Q' -> bigint, 'c' -> Uint8Array(1), '?' -> boolean). A 0-dim
 * result is the item itself.
 */
export function decodeList(v: unknown, format: string): Decoded {
  const code = formatCodes(format)[0];
  const walk = (x: unknown): Decoded => (Array.isArray(x) ? x.map(walk) : asItemOf(code, decode(x)));
  return walk(v);
}

/** Runs fn and returns {value} or {error: [name, message]}. */
export function attempt<T>(fn: () => T): { value: T } | { error: PyErrorRecord } {
  try {
    return { value: fn() };
  } catch (e) {
    return { error: errorRecord(e) };
  }
}
