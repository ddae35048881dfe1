// The base buffers of an ndarray (ndbuf_t in Modules/_testbuffer.c) and their initialisation:
// init_ndbuf, init_simple, init_structure (seq_as_ssize_array, verify_structure, init_len,
// init_flags) and, for ND_PIL, init_suboffsets.
import { asSsizeArg, checkListOrTuple, isPyInt } from '../../args.js';
import { Py_buffer, isContiguous } from '../../buffer.js';
import { copyContiguous } from '../../copy/encode.js';
import { OverflowError, ValueError } from '../../errors.js';
import { ND } from '../../flags.js';
import { free, heapView, malloc } from '../../wasm/heap.js';
import { PY_SSIZE_T_MAX, SIZEOF_VOID_P, contiguousStrides } from '../../wasm32.js';
import { itemArgs, structFor } from './items.js';

// Internal flags of a base buffer (not user-settable), at _testbuffer's values.
/** ND_C: the base buffer is C-contiguous. */
export const ND_C = 0x100;
/** ND_OWN_ARRAYS: a consumer owns its shape/strides/suboffsets (after slicing). */
export const ND_OWN_ARRAYS = 0x200;
/** ND_C_CONTIGUOUS(flags). */
export const ndCContiguous = (flags: number): boolean => (flags & (ND.SCALAR | ND_C)) !== 0;
/** ND_FORTRAN_CONTIGUOUS(flags). */
export const ndFortranContiguous = (flags: number): boolean => (flags & (ND.SCALAR | ND.FORTRAN)) !== 0;
/** ND_ANY_CONTIGUOUS(flags). */
export const ndAnyContiguous = (flags: number): boolean => (flags & (ND.SCALAR | ND_C | ND.FORTRAN)) !== 0;

/** One base buffer (ndbuf_t): the data, its layout, and its export count. */
export class NDBuf {
  /** Bytes of `data` (-1 for a re-exporter's static buffer). */
  len: number;
  /** Offset of the array start in `data` (-1 for a re-exporter). */
  offset: number;
  /** Address of the raw data from malloc (0 for a re-exporter). */
  data: number;
  flags: number;
  exports = 0;
  readonly base = new Py_buffer();

  constructor(len: number, offset: number, data: number, flags: number) {
    this.len = len;
    this.offset = offset;
    this.data = data;
    this.flags = flags;
  }
}

/** seq_as_ssize_array: shape or strides as numbers. */
function seqAsSsizeArray(seq: readonly unknown[], len: number, isShape: boolean): number[] {
  const dest = new Array<number>(len);
  for (let i = 0; i < len; i++) {
    const tmp = seq[i];
    if (!isPyInt(tmp)) throw new ValueError(`elements of ${isShape ? 'shape' : 'strides'} must be integers`);
    const x = asSsizeArg(tmp);
    if (isShape && x < 0) throw new ValueError('elements of shape must be integers >= 0');
    dest[i] = x;
  }
  return dest;
}

/** init_len: len = product(shape) * itemsize, which must fit Py_ssize_t. */
export function initLen(base: Py_buffer): void {
  let len = 1;
  for (let i = 0; i < base.ndim; i++) len *= (base.shape as number[])[i];
  len *= base.itemsize;
  // Py_ssize_t is 32 bits on wasm32: a layout CPython (64-bit) accepts may not fit here.
  if (len > PY_SSIZE_T_MAX) throw new OverflowError('ndarray: product(shape) * itemsize does not fit in Py_ssize_t');
  base.len = len;
}

/** init_flags: derive the contiguity flags of a re-exported base from its layout. */
export function initFlags(ndbuf: NDBuf): void {
  if (ndbuf.base.ndim === 0) ndbuf.flags |= ND.SCALAR;
  if (ndbuf.base.suboffsets !== null) ndbuf.flags |= ND.PIL;
  if (isContiguous(ndbuf.base, 'C')) ndbuf.flags |= ND_C;
  if (isContiguous(ndbuf.base, 'F')) ndbuf.flags |= ND.FORTRAN;
}

/** verify_structure: every item of the layout lies inside the `len` bytes of the buffer. */
function verifyStructure(
  len: number,
  itemsize: number,
  offset: number,
  shape: readonly number[],
  strides: readonly number[],
  ndim: number,
): void {
  const invalid = (): never => {
    throw new ValueError('invalid combination of buffer, shape and strides');
  };
  if (ndim === 0 && (offset < 0 || offset + itemsize > len)) invalid();
  for (let n = 0; n < ndim; n++) {
    if (strides[n] % itemsize !== 0) throw new ValueError('strides must be a multiple of itemsize');
  }
  for (let n = 0; n < ndim; n++) if (shape[n] === 0) return;
  let imin = 0;
  let imax = 0;
  for (let n = 0; n < ndim; n++) {
    if (strides[n] <= 0) imin += (shape[n] - 1) * strides[n];
    else imax += (shape[n] - 1) * strides[n];
  }
  if (imin + offset < 0 || imax + offset + itemsize > len) invalid();
}

/**
 * init_suboffsets: converts a strided array into a PIL-style one whose dimension 0 is a table of
 * pointers (in linear memory, in front of the data) to the ndim-1 dimensional sub-arrays.
 */
function initSuboffsets(ndbuf: NDBuf, shape: readonly number[], strides: number[]): void {
  const base = ndbuf.base;
  // room for shape[0] pointers, the data start aligned to 8
  const addsize = 8 * Math.floor((shape[0] * SIZEOF_VOID_P + 7) / 8);
  const data = malloc(ndbuf.len + addsize);
  copyContiguous(data + addsize, ndbuf.data, ndbuf.len);
  free(ndbuf.data);
  ndbuf.data = data;
  ndbuf.len += addsize;
  base.buf = data;

  // imin: lowest index of the input relative to offset; suboffset0: -imin of a sub-array
  let imin = 0;
  let suboffset0 = 0;
  for (let n = 0; n < base.ndim; n++) {
    if (shape[n] === 0) break;
    if (strides[n] <= 0) {
      const x = (shape[n] - 1) * strides[n];
      imin += x;
      suboffset0 += n >= 1 ? -x : 0;
    }
  }
  const start = addsize + ndbuf.offset + imin;
  const step = Math.abs(strides[0]);
  const dv = heapView();
  for (let n = 0; n < shape[0]; n++) dv.setUint32(base.buf + SIZEOF_VOID_P * n, base.buf + start + n * step, true);

  base.suboffsets = new Array<number>(base.ndim).fill(-1);
  base.suboffsets[0] = suboffset0;
  if (strides[0] >= 0) {
    strides[0] = SIZEOF_VOID_P;
  } else {
    // striding backwards over the pointers
    strides[0] = -SIZEOF_VOID_P;
    if (shape[0] > 0) base.buf += (shape[0] - 1) * SIZEOF_VOID_P;
  }
  ndbuf.flags &= ~(ND_C | ND.FORTRAN);
  ndbuf.offset = 0;
}

/** init_ndbuf: a new base buffer holding `items` in the layout given by the options. */
export function initNdbuf(
  items: unknown,
  shapeArg: unknown,
  stridesArg: unknown,
  offset: number,
  format: unknown,
  flags: number,
): NDBuf {
  checkListOrTuple(shapeArg, 'shape');
  const ndim = shapeArg.length;
  if (ndim > ND.MAX_NDIM) throw new ValueError(`ndim must not exceed ${ND.MAX_NDIM}`);

  let strides: readonly unknown[] | null = null;
  if (stridesArg !== undefined) {
    checkListOrTuple(stridesArg, 'strides');
    if (stridesArg.length === 0) {
      strides = null;
    } else if (flags & ND.FORTRAN) {
      throw new TypeError('ND_FORTRAN cannot be used together with strides');
    } else if (stridesArg.length !== ndim) {
      throw new ValueError('len(shape) != len(strides)');
    } else {
      strides = stridesArg;
    }
  }

  const s = structFor(format);
  const itemsize = s.size;
  if (itemsize === 0) throw new ValueError('itemsize must not be zero');

  let list: readonly unknown[];
  if (ndim === 0) {
    list = [items];
  } else {
    checkListOrTuple(items, 'items');
    list = items;
  }
  const nitems = list.length;
  if (nitems === 0) throw new ValueError('initializer list or tuple must not be empty');

  // ndbuf_new
  const len = nitems * itemsize;
  if (offset % itemsize !== 0) throw new ValueError('offset must be a multiple of itemsize');
  if (offset < 0 || offset + itemsize > len) throw new ValueError('offset out of bounds');
  const ndbuf = new NDBuf(len, offset, malloc(len), flags);
  const base = ndbuf.base;
  base.buf = ndbuf.data;
  base.len = len;
  base.itemsize = 1;
  base.readonly = false;
  base.format = null;
  base.ndim = 1;
  base.internal = ndbuf;
  try {
    // init_simple
    const nmemb = s.nitems;
    for (let i = 0; i < nitems; i++) {
      const args = itemArgs(list[i], nmemb);
      s.packInto(heapView(), ndbuf.data + i * itemsize, args);
    }
    base.readonly = !(ndbuf.flags & ND.WRITABLE);
    base.itemsize = itemsize;
    base.format = s.format; // the format string structFor() accepted
    initStructure(ndbuf, shapeArg, strides, ndim);
  } catch (err) {
    free(ndbuf.data);
    throw err;
  }
  return ndbuf;
}

/** init_structure: shape, strides, bounds, contiguity flags and (ND_PIL) suboffsets. */
function initStructure(
  ndbuf: NDBuf,
  shapeArg: readonly unknown[],
  stridesArg: readonly unknown[] | null,
  ndim: number,
): void {
  const base = ndbuf.base;
  base.ndim = ndim;
  if (ndim === 0) {
    if (ndbuf.flags & ND.PIL) throw new TypeError('ndim = 0 cannot be used in conjunction with ND_PIL');
    ndbuf.flags |= ND.SCALAR | ND_C | ND.FORTRAN;
    return;
  }
  const shape = seqAsSsizeArray(shapeArg, ndim, true);
  const strides =
    stridesArg !== null
      ? seqAsSsizeArray(stridesArg, ndim, false)
      : contiguousStrides(ndim, shape, base.itemsize, ndbuf.flags & ND.FORTRAN ? 'F' : 'C');
  verifyStructure(base.len, base.itemsize, ndbuf.offset, shape, strides, ndim);
  base.shape = shape;
  base.strides = strides;
  base.buf = ndbuf.data + ndbuf.offset;
  initLen(base);
  if (isContiguous(base, 'C')) ndbuf.flags |= ND_C;
  if (isContiguous(base, 'F')) ndbuf.flags |= ND.FORTRAN;
  if (ndbuf.flags & ND.PIL) initSuboffsets(ndbuf, shape, strides);
}
