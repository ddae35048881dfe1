// Python-style argument conversion: what PyArg_Parse's "n" and "i", PyNumber_AsSsize_t,
// PyLong_AsLong, _PyEval_SliceIndexNotNone and PyUnicode_AsASCIIString make of a JavaScript
// value, with CPython's errors, on wasm32 (a 32-bit Py_ssize_t and long). A Python int here is
// an integral number, a bigint, or a boolean (bool is an int subclass).
import { OverflowError, UnicodeEncodeError, pyTypeName } from './errors.js';
import { INT_MAX, INT_MIN, LONG_MAX, LONG_MIN, PY_SSIZE_T_MAX, PY_SSIZE_T_MIN } from './wasm32.js';

/** A Python int as JavaScript passes it. */
export type PyInt = number | bigint | boolean;

/** _PyIndex_Check for JavaScript values: an integral number, a bigint or a boolean. */
export function isPyInt(v: unknown): v is PyInt {
  return typeof v === 'bigint' || typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v));
}

/** The int `v` stands for (a boolean as 0 or 1). */
export function pyIntValue(v: PyInt): number | bigint {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

function notAnInteger(v: unknown): TypeError {
  return new TypeError(`'${pyTypeName(v)}' object cannot be interpreted as an integer`);
}

/**
 * PyArg "n" (PyNumber_AsSsize_t with OverflowError): a Py_ssize_t argument. Not an int:
 * TypeError, with `typeError` as the message when the caller's function words it its own way.
 */
export function asSsizeArg(v: unknown, typeError?: string): number {
  if (!isPyInt(v)) throw typeError === undefined ? notAnInteger(v) : new TypeError(typeError);
  const x = pyIntValue(v);
  if (x > PY_SSIZE_T_MAX || x < PY_SSIZE_T_MIN) throw new OverflowError('Python int too large to convert to C ssize_t');
  return Number(x);
}

/**
 * PyLong_AsLong, and PyArg "i" (a C int argument): convertsimple() takes PyLong_AsLong first,
 * and a C long is 32 bits on wasm32 like the int, so an out-of-range value fails there, with
 * PyLong_AsLong's message (64-bit CPython gets past it and says "signed integer is greater
 * than maximum"). Not an int: TypeError, with `typeError` as the message if given.
 */
export function asLongArg(v: unknown, typeError?: string): number {
  if (!isPyInt(v)) throw typeError === undefined ? notAnInteger(v) : new TypeError(typeError);
  const x = pyIntValue(v);
  if (x > LONG_MAX || x < LONG_MIN) throw new OverflowError('Python int too large to convert to C long');
  return Number(x);
}

/** The type an Argument Clinic error names (_PyArg_BadArgument): None by its name, else as pyTypeName. */
export function clinicTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  return pyTypeName(value);
}

/** Argument Clinic's int converter (PyLong_AsInt): ints and bools, else TypeError; OverflowError past a C int. */
export function clinicInt(value: unknown): number {
  if (!isPyInt(value)) throw notAnInteger(value);
  const x = pyIntValue(value);
  if (x > INT_MAX || x < INT_MIN) throw new OverflowError('Python int too large to convert to C int');
  return Number(x);
}

/** _PyEval_SliceIndexNotNone: an int clamped to Py_ssize_t, else TypeError. */
export function sliceIndexNotNone(v: unknown): number {
  if (!isPyInt(v)) throw new TypeError('slice indices must be integers or have an __index__ method');
  const x = pyIntValue(v);
  if (x > PY_SSIZE_T_MAX) return PY_SSIZE_T_MAX;
  if (x < PY_SSIZE_T_MIN) return PY_SSIZE_T_MIN;
  return Number(x);
}

/** CHECK_LIST_OR_TUPLE (Modules/_testbuffer.c): arrays stand for lists and tuples. */
export function checkListOrTuple(v: unknown, name: string): asserts v is readonly unknown[] {
  if (!Array.isArray(v)) throw new TypeError(`${name} must be a list or a tuple`);
}

/** Keyword arguments as an options object: an unknown key (with a value) is a TypeError. */
export function checkKeywords(options: object, allowed: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if ((options as Record<string, unknown>)[key] === undefined) continue;
    if (!allowed.includes(key)) throw new TypeError(`this function got an unexpected keyword argument '${key}'`);
  }
}

const NON_ASCII = /[\u0080-\uffff]/;

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** The error PyUnicode_AsASCIIString raises for `s`, or null when `s` is ASCII. */
export function asciiError(s: string): UnicodeEncodeError | null {
  if (!NON_ASCII.test(s)) return null;
  // Code points, as Python counts positions; lone surrogates count as one each.
  const chars = Array.from(s);
  const start = chars.findIndex((c) => c.codePointAt(0)! > 0x7f);
  if (start < 0) return null;
  let end = start + 1;
  while (end < chars.length && chars[end]!.codePointAt(0)! > 0x7f) end++;
  const head = "'ascii' codec can't encode";
  const tail = ': ordinal not in range(128)';
  if (end - start > 1) {
    return new UnicodeEncodeError(`${head} characters in position ${start}-${end - 1}${tail}`);
  }
  const cp = chars[start]!.codePointAt(0)!;
  const escaped = cp <= 0xff ? `\\x${hex(cp, 2)}` : cp <= 0xffff ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
  return new UnicodeEncodeError(`${head} character '${escaped}' in position ${start}${tail}`);
}
