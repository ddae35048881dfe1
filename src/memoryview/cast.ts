// memoryview.cast (memory_cast, cast_to_1D and cast_to_ND in Objects/memoryobject.c): every
// check on the format and the shape, in CPython's order, before any view exists.
import { asSsizeArg, asciiError, checkListOrTuple } from '../args.js';
import { ValueError } from '../errors.js';
import { PyBUF } from '../flags.js';
import { NATIVE_ITEMSIZE, nativeSingleChar } from '../struct.js';
import { PY_SSIZE_T_MAX } from '../wasm32.js';
import type { ViewDescriptor } from './descriptor.js';

/** What a cast gives the new view: its format, itemsize and (C-contiguous) shape. */
export interface CastLayout {
  readonly format: string;
  readonly itemsize: number;
  /** [] for a 0-dim view. */
  readonly shape: number[];
}

function zeroInShape(view: ViewDescriptor): boolean {
  for (let i = 0; i < view.ndim; i++) if (view.shape[i] === 0) return true;
  return false;
}

/** IS_BYTE_FORMAT. */
function isByteFormat(c: string): boolean {
  return c === 'b' || c === 'B' || c === 'c';
}

/** copy_shape: the shape argument of cast(), checked as CPython does (wasm32's Py_ssize_t). */
function copyShape(shape: readonly unknown[], itemsize: number): number[] {
  const out: number[] = [];
  let len = itemsize;
  for (const item of shape) {
    const x = asSsizeArg(item, 'memoryview.cast(): elements of shape must be integers');
    if (x <= 0) throw new ValueError('memoryview.cast(): elements of shape must be integers > 0');
    if (x > Math.trunc(PY_SSIZE_T_MAX / len)) throw new ValueError('memoryview.cast(): product(shape) > SSIZE_MAX');
    len *= x;
    out.push(x);
  }
  return out;
}

/**
 * The layout `view.cast(format, shape)` gives, for a C-contiguous `view` (memory_cast checks
 * that first): TypeError, ValueError or UnicodeEncodeError with CPython's message otherwise.
 */
export function castLayout(view: ViewDescriptor, format: string, shape: readonly unknown[] | undefined): CastLayout {
  const hasShape = shape !== undefined;
  if ((hasShape || view.ndim !== 1) && zeroInShape(view)) {
    throw new TypeError('memoryview: cannot cast view with zeros in shape or strides');
  }
  if (hasShape) {
    checkListOrTuple(shape, 'shape');
    const ndim = shape.length;
    if (ndim > PyBUF.MAX_NDIM) throw new ValueError('memoryview: number of dimensions must not exceed 64');
    if (view.ndim !== 1 && ndim !== 1) throw new TypeError('memoryview: cast must be 1D -> ND or ND -> 1D');
  }
  // cast_to_1D: the format goes through PyUnicode_AsASCIIString and C's NUL-terminated strings
  const encodeError = asciiError(format);
  if (encodeError !== null) throw encodeError;
  const nul = format.indexOf('\0');
  const fmt = nul >= 0 ? format.slice(0, nul) : format;
  const destchar = nativeSingleChar(fmt);
  if (destchar === null) {
    throw new ValueError(
      "memoryview: destination format must be a native single character format prefixed with an optional '@'",
    );
  }
  const itemsize = NATIVE_ITEMSIZE[destchar];
  const srcchar = nativeSingleChar(view.format);
  if ((srcchar === null || !isByteFormat(srcchar)) && !isByteFormat(destchar)) {
    throw new TypeError('memoryview: cannot cast between two non-byte formats');
  }
  if (view.len % itemsize !== 0) throw new TypeError('memoryview: length is not a multiple of itemsize');
  // cast_to_ND
  let newShape = [view.len / itemsize];
  if (hasShape) {
    newShape = copyShape(shape, itemsize);
    const len = newShape.reduce((a, b) => a * b, itemsize);
    if (len !== view.len) throw new TypeError('memoryview: product(shape) * itemsize != buffer size');
  }
  return { format: fmt, itemsize, shape: newShape };
}

/** IS_BYTE_FORMAT of a format: 'B', 'b' or 'c' (after an optional '@'). */
export function isByteFormatString(format: string): boolean {
  const ch = nativeSingleChar(format);
  return ch !== null && isByteFormat(ch);
}
