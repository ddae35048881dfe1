// Python's struct module for the wasm32 platform: format parsing, calcsize, pack and
// unpack. Ported from CPython 3.14 Modules/_struct.c (prepare_s, s_pack_internal,
// s_unpack_internal, the np_/nu_/lp_/bp_ converters), with Objects/floatobject.c's
// PyFloat_Pack2/Unpack2 and PyFloat_Pack4 in floatpack.ts. "Native" means what a CPython built for
// wasm32 would do: little-endian, int/long/size_t/void* are 4 bytes, long long and
// double are 8 bytes and 8-byte aligned.

import { Complex } from './complex.js';
import type { BufferLike } from './buffer.js';
import { StructUnpackIterator } from './struct/iter.js';
import { pyBytesOf } from './exporters/bytes.js';
import { cacheable, checkOffset, formatText, withBytes, type StructFormat } from './struct/args.js';
import { isTrue } from './truth.js';
import { asciiError } from './args.js';
import { packFloatBits, packHalf, unpackFloatBits, unpackHalf } from './floatpack.js';
import { OverflowError, StructError, IndexError } from './errors.js';
import { PY_SSIZE_T_MAX } from './wasm32.js';

/** One unpacked value: an integer (bigint for 'q'/'Q'), a float, a bool, bytes, or a complex ('F', 'D'). */
export type StructItem = number | bigint | boolean | Uint8Array | Complex;

// Part of the struct namespace since before their homes were errors.ts, args.ts and floatpack.ts.
export { UnicodeEncodeError } from './errors.js';
export type { StructFormat } from './struct/args.js';
export { StructUnpackIterator };
/** @internal PyFloat_Pack2 and PyFloat_Unpack2 (floatpack.ts). */
export { packHalf, unpackHalf };
/** @internal The error PyUnicode_AsASCIIString raises, or null when the string is ASCII. */
export { asciiError };

/** @internal Py_ssize_t's largest value on wasm32; formats whose size exceeds it are refused. */
export { PY_SSIZE_T_MAX };

// What a code does; one small integer so the pack/unpack loops are a single switch.
const enum Kind {
  Pad,
  Char,
  Bool,
  String,
  Pascal,
  Int8,
  UInt8,
  Int16,
  UInt16,
  Int32,
  UInt32,
  Int64,
  UInt64,
  VoidP,
  Half,
  Float,
  Double,
  FloatComplex,
  DoubleComplex,
}

interface FormatDef {
  readonly kind: Kind;
  readonly size: number;
  /** 0 when the table does not align (standard sizes), else the native alignment. */
  readonly alignment: number;
}

// native_table in _struct.c, with wasm32's sizes and alignments (clang's wasm32 ABI).
const NATIVE_TABLE: Readonly<Record<string, FormatDef>> = {
  x: { kind: Kind.Pad, size: 1, alignment: 0 },
  b: { kind: Kind.Int8, size: 1, alignment: 0 },
  B: { kind: Kind.UInt8, size: 1, alignment: 0 },
  c: { kind: Kind.Char, size: 1, alignment: 0 },
  s: { kind: Kind.String, size: 1, alignment: 0 },
  p: { kind: Kind.Pascal, size: 1, alignment: 0 },
  h: { kind: Kind.Int16, size: 2, alignment: 2 },
  H: { kind: Kind.UInt16, size: 2, alignment: 2 },
  i: { kind: Kind.Int32, size: 4, alignment: 4 },
  I: { kind: Kind.UInt32, size: 4, alignment: 4 },
  l: { kind: Kind.Int32, size: 4, alignment: 4 },
  L: { kind: Kind.UInt32, size: 4, alignment: 4 },
  q: { kind: Kind.Int64, size: 8, alignment: 8 },
  Q: { kind: Kind.UInt64, size: 8, alignment: 8 },
  n: { kind: Kind.Int32, size: 4, alignment: 4 },
  N: { kind: Kind.UInt32, size: 4, alignment: 4 },
  '?': { kind: Kind.Bool, size: 1, alignment: 0 },
  e: { kind: Kind.Half, size: 2, alignment: 2 },
  f: { kind: Kind.Float, size: 4, alignment: 4 },
  d: { kind: Kind.Double, size: 8, alignment: 8 },
  // 3.14: float complex and double complex, aligned as their parts
  F: { kind: Kind.FloatComplex, size: 8, alignment: 4 },
  D: { kind: Kind.DoubleComplex, size: 16, alignment: 8 },
  P: { kind: Kind.VoidP, size: 4, alignment: 4 },
};

// lilendian_table / bigendian_table: standard sizes, no alignment, no 'n', 'N', 'P'.
const STANDARD_TABLE: Readonly<Record<string, FormatDef>> = {
  x: { kind: Kind.Pad, size: 1, alignment: 0 },
  b: { kind: Kind.Int8, size: 1, alignment: 0 },
  B: { kind: Kind.UInt8, size: 1, alignment: 0 },
  c: { kind: Kind.Char, size: 1, alignment: 0 },
  s: { kind: Kind.String, size: 1, alignment: 0 },
  p: { kind: Kind.Pascal, size: 1, alignment: 0 },
  h: { kind: Kind.Int16, size: 2, alignment: 0 },
  H: { kind: Kind.UInt16, size: 2, alignment: 0 },
  i: { kind: Kind.Int32, size: 4, alignment: 0 },
  I: { kind: Kind.UInt32, size: 4, alignment: 0 },
  l: { kind: Kind.Int32, size: 4, alignment: 0 },
  L: { kind: Kind.UInt32, size: 4, alignment: 0 },
  q: { kind: Kind.Int64, size: 8, alignment: 0 },
  Q: { kind: Kind.UInt64, size: 8, alignment: 0 },
  '?': { kind: Kind.Bool, size: 1, alignment: 0 },
  e: { kind: Kind.Half, size: 2, alignment: 0 },
  f: { kind: Kind.Float, size: 4, alignment: 0 },
  d: { kind: Kind.Double, size: 8, alignment: 0 },
  F: { kind: Kind.FloatComplex, size: 8, alignment: 0 },
  D: { kind: Kind.DoubleComplex, size: 16, alignment: 0 },
};

/** One run of a code: `repeat` items of `itemsize` bytes from `offset` ('s'/'p': one item of `itemsize`). */
interface FormatCode {
  readonly char: string;
  readonly kind: Kind;
  readonly offset: number;
  readonly itemsize: number;
  readonly repeat: number;
}

/** A parsed format: what prepare_s in _struct.c stores in a PyStructObject. */
interface Layout {
  readonly size: number;
  readonly nitems: number;
  readonly littleEndian: boolean;
  readonly native: boolean;
  readonly codes: readonly FormatCode[];
}

const errors = {
  badChar: 'bad char in struct format',
  repeatWithoutCode: 'repeat count given without format specifier',
  tooLong: 'total struct size too long',
  embeddedNull: 'embedded null character',
  notInteger: 'required argument is not an integer',
  notFloat: 'required argument is not a float',
  notComplex: 'required argument is not a complex',
  // s_pack_internal's rewrite of an OverflowError raised while packing an int.
  intTooLarge: 'int too large to convert',
  charArg: 'char format requires a bytes object of length 1',
  stringArg: "argument for 's' must be a bytes object",
  pascalArg: "argument for 'p' must be a bytes object",
} as const;

function isSpace(c: string): boolean {
  // Py_ISSPACE: space, \t, \n, \v, \f, \r.
  return c === ' ' || (c >= '\t' && c <= '\r');
}

/**
 * prepare_s and whichtable/align/getentry in _struct.c, with wasm32's Py_ssize_t. `fromBytes`:
 * the format was bytes, decoded as Latin-1, so a non-ASCII char is a bad char, not an encoding error.
 */
function parse(format: string, fromBytes: boolean): Layout {
  const encodeError = fromBytes ? null : asciiError(format);
  if (encodeError !== null) throw encodeError;
  if (format.includes('\0')) throw new StructError(errors.embeddedNull);

  let table = NATIVE_TABLE;
  let littleEndian = true;
  let native = true;
  let s = 0;
  switch (format[0]) {
    case '<':
    case '=':
      table = STANDARD_TABLE;
      native = false;
      s = 1;
      break;
    case '>':
    case '!':
      table = STANDARD_TABLE;
      native = false;
      littleEndian = false;
      s = 1;
      break;
    case '@':
      s = 1;
      break;
    default:
      break;
  }

  const codes: FormatCode[] = [];
  let size = 0;
  let nitems = 0;
  const n = format.length;
  while (s < n) {
    let c = format[s++]!;
    if (isSpace(c)) continue;
    let num = 1;
    if (c >= '0' && c <= '9') {
      num = c.charCodeAt(0) - 48;
      for (;;) {
        if (s >= n) throw new StructError(errors.repeatWithoutCode);
        c = format[s++]!;
        if (c < '0' || c > '9') break;
        const digit = c.charCodeAt(0) - 48;
        if (num > (PY_SSIZE_T_MAX - digit) / 10) throw new StructError(errors.tooLong);
        num = num * 10 + digit;
      }
    }
    const def = Object.hasOwn(table, c) ? table[c]! : undefined;
    if (def === undefined) throw new StructError(errors.badChar);

    // align() in _struct.c: padding comes before the item, even for a zero repeat count.
    if (def.alignment !== 0 && size > 0) {
      const extra = def.alignment - 1 - ((size - 1) % def.alignment);
      if (extra > PY_SSIZE_T_MAX - size) throw new StructError(errors.tooLong);
      size += extra;
    }
    if (num > Math.floor((PY_SSIZE_T_MAX - size) / def.size)) throw new StructError(errors.tooLong);

    if (def.kind === Kind.String || def.kind === Kind.Pascal) {
      // One value whatever the count: the count is the byte length.
      codes.push({ char: c, kind: def.kind, offset: size, itemsize: num, repeat: 1 });
      nitems++;
    } else if (def.kind !== Kind.Pad && num > 0) {
      codes.push({ char: c, kind: def.kind, offset: size, itemsize: def.size, repeat: num });
      nitems += num;
    }
    size += num * def.size;
  }
  return { size, nitems, littleEndian, native, codes };
}

// CPython keeps up to 100 compiled formats and drops them all when full (cache_struct_converter).
const MAXCACHE = 100;
const cache = new Map<string, Layout>();

function layoutOf(format: string, fromBytes: boolean): Layout {
  // a cached layout is an ASCII format's, which is the same parsed from str or bytes
  let layout = cache.get(format);
  if (layout === undefined) {
    layout = parse(format, fromBytes);
    if (cache.size >= MAXCACHE) cache.clear();
    cache.set(format, layout);
  }
  return layout;
}

/** Empty the format cache (Python's struct._clearcache). */
export function clearCache(): void {
  cache.clear();
}

// ---- value conversion (get_pylong, PyFloat_AsDouble, PyObject_IsTrue) ----

/** get_pylong: a Python int as a JS number (safe integers) or bigint; bools are ints. */
function toInteger(v: unknown): number | bigint {
  switch (typeof v) {
    case 'number':
      if (Number.isInteger(v)) return v;
      break;
    case 'bigint':
      return v;
    case 'boolean':
      return v ? 1 : 0;
    default:
      break;
  }
  throw new StructError(errors.notInteger);
}

/** PyFloat_AsDouble: numbers are floats; bigints convert unless they overflow a double. */
function toDouble(v: unknown): number {
  switch (typeof v) {
    case 'number':
      return v;
    case 'bigint': {
      // Number(bigint) rounds half-even like int.__float__, and gives Infinity exactly
      // where Python raises "int too large to convert to float".
      const x = Number(v);
      if (Number.isFinite(x)) return x;
      break;
    }
    case 'boolean':
      return v ? 1 : 0;
    default:
      break;
  }
  throw new StructError(errors.notFloat);
}

/** The parts toComplex() found: a typed array, since V8 quiets signalling NaNs in plain arrays. */
const complexParts = new Float64Array(2);

/**
 * PyComplex_AsCComplex as the 'F'/'D' converters use it, into complexParts: a Complex gives
 * its parts, an int, float or bool is the real part (an int past DBL_MAX fails); any failure
 * is struct.error.
 */
function toComplex(v: unknown): Float64Array {
  let re: number;
  let im = 0;
  if (v instanceof Complex) {
    re = v.re;
    im = v.im;
  } else if (typeof v === 'number') {
    re = v;
  } else if (typeof v === 'boolean') {
    re = v ? 1 : 0;
  } else if (typeof v === 'bigint' && Number.isFinite(Number(v))) {
    re = Number(v); // PyLong_AsDouble: half-even, OverflowError past DBL_MAX
  } else {
    throw new StructError(errors.notComplex);
  }
  complexParts[0] = re;
  complexParts[1] = im;
  return complexParts;
}

/** _range_error in _struct.c, for a code of `size` bytes on wasm32. */
function rangeError(char: string, size: number, unsigned: boolean): StructError {
  const bits = BigInt(size * 8);
  if (unsigned) return new StructError(`'${char}' format requires 0 <= number <= ${(1n << bits) - 1n}`);
  const largest = (1n << (bits - 1n)) - 1n;
  return new StructError(`'${char}' format requires ${-largest - 1n} <= number <= ${largest}`);
}

const INT_BOUNDS: Readonly<Partial<Record<Kind, readonly [number, number]>>> = {
  [Kind.Int8]: [-0x80, 0x7f],
  [Kind.UInt8]: [0, 0xff],
  [Kind.Int16]: [-0x8000, 0x7fff],
  [Kind.UInt16]: [0, 0xffff],
  [Kind.Int32]: [-0x80000000, 0x7fffffff],
  [Kind.UInt32]: [0, 0xffffffff],
  // PyLong_AsVoidPtr on wasm32: negative values as long, others as unsigned long.
  [Kind.VoidP]: [-0x80000000, 0xffffffff],
};

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

// ---- pack / unpack (s_pack_internal, s_unpack_internal) ----

function packItem(view: DataView, at: number, code: FormatCode, v: unknown, le: boolean, native: boolean): void {
  switch (code.kind) {
    case Kind.Char: {
      // np_char: PyBytes_Check, so a bytearray is refused here but not for 's' and 'p'
      const bytes = pyBytesOf(v);
      if (bytes === null || bytes.length !== 1) throw new StructError(errors.charArg);
      view.setUint8(at, bytes[0]!);
      return;
    }
    case Kind.Bool:
      view.setUint8(at, isTrue(v) ? 1 : 0);
      return;
    case Kind.String: {
      // s_pack_internal takes bytes or bytearray for 's' and 'p'
      const bytes = pyBytesOf(v, true);
      if (bytes === null) throw new StructError(errors.stringArg);
      const n = Math.min(bytes.length, code.itemsize);
      new Uint8Array(view.buffer, view.byteOffset + at, n).set(bytes.subarray(0, n));
      return;
    }
    case Kind.Pascal: {
      const bytes = pyBytesOf(v, true);
      if (bytes === null) throw new StructError(errors.pascalArg);
      // A '0p' field has no room even for its length byte: CPython writes nothing useful.
      if (code.itemsize === 0) return;
      const n = Math.min(bytes.length, code.itemsize - 1);
      if (n > 0) new Uint8Array(view.buffer, view.byteOffset + at + 1, n).set(bytes.subarray(0, n));
      view.setUint8(at, Math.min(n, 255));
      return;
    }
    case Kind.Int64:
    case Kind.UInt64: {
      const x = BigInt(toInteger(v));
      if (code.kind === Kind.Int64) {
        if (x < INT64_MIN || x > INT64_MAX) throw rangeError(code.char, 8, false);
        view.setBigInt64(at, x, le);
      } else {
        if (x < 0n || x > UINT64_MAX) throw rangeError(code.char, 8, true);
        view.setBigUint64(at, x, le);
      }
      return;
    }
    case Kind.FloatComplex:
    case Kind.DoubleComplex: {
      const parts = toComplex(v);
      const re = parts[0]!;
      const im = parts[1]!;
      if (code.kind === Kind.DoubleComplex) {
        view.setFloat64(at, re, le);
        view.setFloat64(at + 8, im, le);
      } else if (native || le) {
        // np_float_complex: (float) casts; on a little-endian machine _struct's init swaps the
        // native converters into the '<' and '=' tables for every code of the same size
        // except 'f', 'd' and '?', so '<F' and '=F' cast too (inf on overflow)
        view.setFloat32(at, re, le);
        view.setFloat32(at + 4, im, le);
      } else {
        // bp_float_complex: PyFloat_Pack4 for each part
        if (
          (Number.isFinite(re) && !Number.isFinite(Math.fround(re))) ||
          (Number.isFinite(im) && !Number.isFinite(Math.fround(im)))
        ) {
          throw new OverflowError('float too large to pack with f format');
        }
        view.setUint32(at, packFloatBits(re), le);
        view.setUint32(at + 4, packFloatBits(im), le);
      }
      return;
    }
    case Kind.Half:
    case Kind.Float:
    case Kind.Double: {
      const x = toDouble(v);
      try {
        if (code.kind === Kind.Double) {
          view.setFloat64(at, x, le);
        } else if (code.kind === Kind.Float) {
          // np_float is a C cast (inf on overflow); lp_float/bp_float are PyFloat_Pack4.
          if (!native && Number.isFinite(x) && !Number.isFinite(Math.fround(x))) {
            throw new OverflowError('float too large to pack with f format');
          }
          if (native) view.setFloat32(at, x, le);
          else view.setUint32(at, packFloatBits(x), le);
        } else {
          view.setUint16(at, packHalf(x), le);
        }
      } catch (err) {
        // s_pack_internal: an OverflowError while packing an int becomes struct.error.
        if (err instanceof OverflowError && (typeof v === 'bigint' || typeof v === 'boolean')) {
          throw new StructError(errors.intTooLarge);
        }
        throw err;
      }
      return;
    }
    default: {
      // b B h H i I l L n N P: every size here is at most 4 bytes, so numbers are exact.
      const raw = toInteger(v);
      const x = typeof raw === 'bigint' ? Number(raw) : raw;
      const [min, max] = INT_BOUNDS[code.kind]!;
      if (x < min || x > max) {
        if (code.kind === Kind.VoidP) throw new StructError(errors.intTooLarge);
        throw rangeError(code.char, code.itemsize, min === 0);
      }
      switch (code.kind) {
        case Kind.Int8:
        case Kind.UInt8:
          view.setUint8(at, x & 0xff);
          return;
        case Kind.Int16:
        case Kind.UInt16:
          view.setUint16(at, x & 0xffff, le);
          return;
        default:
          view.setUint32(at, x >>> 0, le);
          return;
      }
    }
  }
}

function unpackItem(view: DataView, at: number, code: FormatCode, le: boolean, native: boolean): StructItem {
  switch (code.kind) {
    case Kind.Char:
      return Uint8Array.of(view.getUint8(at));
    case Kind.Bool:
      return view.getUint8(at) !== 0;
    case Kind.String:
      return new Uint8Array(view.buffer, view.byteOffset + at, code.itemsize).slice();
    case Kind.Pascal: {
      let n = 0;
      if (code.itemsize > 0) {
        n = view.getUint8(at);
        if (n >= code.itemsize) n = code.itemsize - 1;
      }
      // A '0p' field at the end of the buffer has no byte after it to view.
      if (n === 0) return new Uint8Array(0);
      return new Uint8Array(view.buffer, view.byteOffset + at + 1, n).slice();
    }
    case Kind.Int8:
      return view.getInt8(at);
    case Kind.UInt8:
      return view.getUint8(at);
    case Kind.Int16:
      return view.getInt16(at, le);
    case Kind.UInt16:
      return view.getUint16(at, le);
    case Kind.Int32:
      return view.getInt32(at, le);
    case Kind.UInt32:
    case Kind.VoidP:
      return view.getUint32(at, le);
    case Kind.Int64:
      return view.getBigInt64(at, le);
    case Kind.UInt64:
      return view.getBigUint64(at, le);
    case Kind.Half:
      return unpackHalf(view.getUint16(at, le));
    case Kind.Float:
      return native ? view.getFloat32(at, le) : unpackFloatBits(view.getUint32(at, le));
    case Kind.Double:
      return view.getFloat64(at, le);
    case Kind.DoubleComplex:
      return new Complex(view.getFloat64(at, le), view.getFloat64(at + 8, le));
    case Kind.FloatComplex:
      // native and little-endian tables: casts; big-endian: PyFloat_Unpack4 (see packItem)
      if (native || le) return new Complex(view.getFloat32(at, le), view.getFloat32(at + 4, le));
      return new Complex(unpackFloatBits(view.getUint32(at, le)), unpackFloatBits(view.getUint32(at + 4, le)));
    default:
      throw new Error('unreachable: pad bytes have no value');
  }
}

/** s_pack_internal: zero the struct's bytes, then write the values in order. */
function packLayout(layout: Layout, view: DataView, offset: number, values: readonly unknown[], zeroed: boolean): void {
  // Like CPython, a bad value stops the loop with the earlier items already written.
  if (!zeroed) new Uint8Array(view.buffer, view.byteOffset + offset, layout.size).fill(0);
  let i = 0;
  const le = layout.littleEndian;
  for (const code of layout.codes) {
    let at = offset + code.offset;
    for (let j = 0; j < code.repeat; j++) {
      packItem(view, at, code, values[i++], le, layout.native);
      at += code.itemsize;
    }
  }
}

function unpackLayout(layout: Layout, view: DataView, offset: number): StructItem[] {
  const out = new Array<StructItem>(layout.nitems);
  let i = 0;
  const le = layout.littleEndian;
  for (const code of layout.codes) {
    let at = offset + code.offset;
    for (let j = 0; j < code.repeat; j++) {
      out[i++] = unpackItem(view, at, code, le, layout.native);
      at += code.itemsize;
    }
  }
  return out;
}

/** A compiled struct format, as Python's struct.Struct. */
export class Struct {
  /** The format string as given. */
  readonly format: string;
  /** struct.calcsize(format): bytes taken by one packed struct. */
  readonly size: number;
  /** How many values pack() takes and unpack() returns. */
  readonly nitems: number;
  readonly #layout: Layout;

  /**
   * Parse `format` (a str, or bytes as a Uint8Array or a Bytes); a bad format raises
   * struct.error with CPython's message.
   */
  constructor(format: StructFormat) {
    const [text, fromBytes] = formatText(format);
    this.#layout = layoutOf(text, fromBytes);
    this.format = text;
    this.size = this.#layout.size;
    this.nitems = this.#layout.nitems;
  }

  /** Struct.pack: the values packed into a new Uint8Array of `size` bytes. */
  pack(values: readonly unknown[]): Uint8Array {
    if (values.length !== this.nitems) {
      throw new StructError(`pack expected ${this.nitems} items for packing (got ${values.length})`);
    }
    const out = new Uint8Array(this.size);
    packLayout(this.#layout, new DataView(out.buffer), 0, values, true);
    return out;
  }

  /**
   * Struct.pack_into: pack at `offset` of `buffer` (negative offsets count from the end), any
   * writable bytes-like object: a DataView, TypedArray or ArrayBuffer, or an exporter with a
   * writable C-contiguous buffer (a ByteArray, a writable MemoryView, ...).
   */
  packInto(buffer: BufferLike, offset: number | bigint, values: readonly unknown[] = []): void {
    // Same order of checks as s_pack_into in _struct.c: the count (arguments left out are
    // undefined), the buffer, the offset.
    if (values.length === 0 && offset === undefined) {
      throw new StructError(`pack_into expected ${buffer === undefined ? 'buffer' : 'offset'} argument`);
    }
    if (values.length !== this.nitems) {
      throw new StructError(`pack_into expected ${this.nitems} items for packing (got ${values.length})`);
    }
    withBytes(buffer, true, (view) => {
      let at = checkOffset(offset, () => new IndexError("cannot fit 'int' into an index-sized integer"));
      const len = view.byteLength;
      if (at < 0) {
        if (at + this.size > 0) throw new StructError(`no space to pack ${this.size} bytes at offset ${at}`);
        if (at + len < 0) throw new StructError(`offset ${at} out of range for ${len}-byte buffer`);
        at += len;
      }
      if (len - at < this.size) {
        throw new StructError(
          `pack_into requires a buffer of at least ${this.size + at} bytes for packing ${this.size} ` +
            `bytes at offset ${at} (actual buffer size is ${len})`,
        );
      }
      packLayout(this.#layout, view, at, values, false);
    });
  }

  /**
   * Struct.iter_unpack: the structs one after another in `buffer` (any bytes-like object), each
   * unpacked when it is reached; an exporter's buffer is held until the end (StructUnpackIterator).
   */
  iterUnpack(buffer: BufferLike): StructUnpackIterator {
    return new StructUnpackIterator(this.size, (data, at) => unpackLayout(this.#layout, data, at), buffer);
  }

  /**
   * Struct.unpack: `bytes` (any bytes-like object: a TypedArray, DataView, ArrayBuffer or an
   * exporter such as Bytes) must be exactly `size` bytes long.
   */
  unpack(bytes: BufferLike): StructItem[] {
    return withBytes(bytes, false, (view) => {
      if (view.byteLength !== this.size) {
        throw new StructError(`unpack requires a buffer of ${this.size} bytes`);
      }
      return unpackLayout(this.#layout, view, 0);
    });
  }

  /**
   * Struct.unpack_from: unpack at `offset` of `view` (any bytes-like object, as unpack takes;
   * negative offsets count from the end).
   */
  unpackFrom(view: BufferLike, offset: number | bigint = 0): StructItem[] {
    // a DataView directly: NDArray reads every item through here
    if (view instanceof DataView) return this.#unpackFrom(view, offset);
    return withBytes(view, false, (data) => this.#unpackFrom(data, offset));
  }

  #unpackFrom(data: DataView, offset: number | bigint): StructItem[] {
    let at = checkOffset(offset, () => new OverflowError('Python int too large to convert to C ssize_t'));
    const len = data.byteLength;
    if (at < 0) {
      if (at + this.size > 0) throw new StructError(`not enough data to unpack ${this.size} bytes at offset ${at}`);
      if (at + len < 0) throw new StructError(`offset ${at} out of range for ${len}-byte buffer`);
      at += len;
    }
    if (len - at < this.size) {
      throw new StructError(
        `unpack_from requires a buffer of at least ${this.size + at} bytes for unpacking ${this.size} ` +
          `bytes at offset ${at} (actual buffer size is ${len})`,
      );
    }
    return unpackLayout(this.#layout, data, at);
  }
}

/** struct.calcsize: the size in bytes of a struct packed with `format` (a str or bytes). */
export function calcsize(format: StructFormat): number {
  return layoutOf(...formatText(cacheable(format))).size;
}

/** struct.pack(format, v1, v2, ...). */
export function pack(format: StructFormat, ...values: unknown[]): Uint8Array {
  return new Struct(cacheable(format)).pack(values);
}

/** struct.unpack(format, buffer): `bytes` (any bytes-like object) must be exactly calcsize(format) long. */
export function unpack(format: StructFormat, bytes: BufferLike): StructItem[] {
  return new Struct(cacheable(format)).unpack(bytes);
}

/** struct.pack_into(format, buffer, offset, v1, v2, ...): `buf` is any writable bytes-like object. */
export function packInto(format: StructFormat, buf: BufferLike, offset: number | bigint, ...values: unknown[]): void {
  new Struct(cacheable(format)).packInto(buf, offset, values);
}

/** struct.iter_unpack(format, buffer): an iterator of the structs in `buffer` (Struct.iterUnpack). */
export function iterUnpack(format: StructFormat, buffer: BufferLike): StructUnpackIterator {
  return new Struct(cacheable(format)).iterUnpack(buffer);
}

/** struct.unpack_from(format, buffer, offset=0): `buffer` is any bytes-like object. */
export function unpackFrom(format: StructFormat, view: BufferLike, offset: number | bigint = 0): StructItem[] {
  return new Struct(cacheable(format)).unpackFrom(view, offset);
}

/** @internal The wasm32 native size of each single-char code memoryview accepts (get_native_fmtchar). */
export const NATIVE_ITEMSIZE: Readonly<Record<string, number>> = Object.fromEntries(
  Array.from('cbBhHiIlLqQnNfde?P', (c) => [c, NATIVE_TABLE[c]!.size]),
);

/** @internal If `format` (after an optional '@') is one native single-char code, that char, else null. */
export function nativeSingleChar(format: string): string | null {
  // get_native_fmtchar in memoryobject.c: exactly one code char, no count, no padding codes.
  const start = format.charCodeAt(0) === 64 /* '@' */ ? 1 : 0;
  if (format.length !== start + 1) return null;
  const c = format[start]!;
  return Object.hasOwn(NATIVE_ITEMSIZE, c) ? c : null;
}
