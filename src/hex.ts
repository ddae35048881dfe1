// bytes.hex / memoryview.hex with a separator, as _Py_strhex_with_sep in Python/pystrhex.c.
import { OverflowError, ValueError, pyTypeName } from './errors.js';
import { ByteArray, Bytes, pyBytesOf } from './exporters/bytes.js';
import { INT_MAX, INT_MIN } from './wasm32.js';

const DIGITS = '0123456789abcdef';

/** len(sep) as PyObject_Length: str, bytes, bytearray, list and memoryview have one. */
function separatorLength(sep: unknown): number {
  if (typeof sep === 'string') return [...sep].length;
  if (sep instanceof Uint8Array || Array.isArray(sep) || sep instanceof Bytes || sep instanceof ByteArray) {
    return sep.length;
  }
  // a MemoryView (memoryview.ts imports this module, so not by its class): its len() and errors
  if (pyTypeName(sep) === 'memoryview') return (sep as { length: number }).length;
  throw new TypeError(`object of type '${pyTypeName(sep)}' has no len()`);
}

/** Validates `sep` as _Py_strhex_impl does and returns its character code. */
function separatorCode(sep: unknown): number {
  if (separatorLength(sep) !== 1) throw new ValueError('sep must be length 1.');
  let code: number;
  const bytes = typeof sep === 'string' ? null : pyBytesOf(sep);
  if (typeof sep === 'string') {
    code = sep.codePointAt(0) ?? 0;
    if (code > 0xff) throw new ValueError('sep must be ASCII.');
  } else if (bytes !== null) {
    code = bytes[0];
  } else {
    // PyBytes_Check: a bytearray or a memoryview of length 1 is still refused
    throw new TypeError('sep must be str or bytes.');
  }
  if (code > 127) throw new ValueError('sep must be ASCII.');
  return code;
}

/** Hex digits of `bytes`, with `sep` every |bytesPerSep| bytes (from the right if positive). */
export function strhex(bytes: Uint8Array, sep?: unknown, bytesPerSep = 1): string {
  if (!Number.isInteger(bytesPerSep)) {
    throw new TypeError(`'${pyTypeName(bytesPerSep)}' object cannot be interpreted as an integer`);
  }
  if (bytesPerSep > INT_MAX || bytesPerSep < INT_MIN) {
    throw new OverflowError('Python int too large to convert to C int');
  }
  // An omitted separator (undefined) means none; None (null) is refused like any object without len().
  const group = sep === undefined ? 0 : bytesPerSep;
  const sepChar = sep === undefined ? '' : String.fromCharCode(separatorCode(sep));
  const n = bytes.length;
  const parts: string[] = [];
  const abs = Math.abs(group);
  for (let i = 0; i < n; i++) {
    if (group !== 0 && i > 0) {
      // positive groups count from the right, negative from the left
      const boundary = group > 0 ? (n - i) % abs === 0 : i % abs === 0;
      if (boundary) parts.push(sepChar);
    }
    const b = bytes[i];
    parts.push(DIGITS[b >> 4] + DIGITS[b & 15]);
  }
  return parts.join('');
}
