// A memoryview's own descriptor (mv->view in Objects/memoryobject.c), the flags its layout
// gives the view (init_flags), and the descriptors it exports (memory_getbuf).
import { BufferError } from '../errors.js';
import { Py_buffer, isContiguous } from '../buffer.js';
import {
  reqAnyContiguous,
  reqCContiguous,
  reqFContiguous,
  reqFormat,
  reqIndirect,
  reqShape,
  reqStrides,
  reqWritable,
} from '../flags.js';

/**
 * The descriptor a memoryview owns: a Py_buffer whose format, shape and strides are always
 * there, since mbuf_add_view rebuilds whatever the exporter left out (init_shared_values: format
 * 'B'; init_shape_strides: a 1-dim shape of len / itemsize, C strides). Each array has ndim
 * entries and belongs to this view alone, so slicing may edit it in place. A 0-dim view has
 * empty shape and strides, as its Python attributes are (); CPython leaves them NULL, and
 * memory_getbuf exports them as null. Descriptors an exporter fills stay plain Py_buffers,
 * with CPython's nullable fields.
 */
export interface ViewDescriptor extends Py_buffer {
  format: string;
  shape: number[];
  strides: number[];
}

/**
 * A ViewDescriptor with the given format, shape and strides (the other fields as a new
 * Py_buffer's). A plain Py_buffer rather than a subclass: every descriptor then has one object
 * shape, which keeps the functions that take both kinds monomorphic (a subclass cost a small
 * view about a third of its time).
 */
export function viewDescriptor(format: string, shape: number[], strides: number[]): ViewDescriptor {
  const view = new Py_buffer();
  view.format = format;
  view.shape = shape;
  view.strides = strides;
  return view as ViewDescriptor;
}

// Memoryview flags (_Py_MEMORYVIEW_* in Include/cpython/memoryobject.h).
/** The view was released. */
export const MV_RELEASED = 0x001;
/** C-contiguous. */
export const MV_C = 0x002;
/** Fortran-contiguous. */
export const MV_FORTRAN = 0x004;
/** 0-dim. */
export const MV_SCALAR = 0x008;
/** Has suboffsets. */
export const MV_PIL = 0x010;

/** MV_C_CONTIGUOUS(flags). */
export function mvCContiguous(flags: number): boolean {
  return (flags & (MV_SCALAR | MV_C)) !== 0;
}

/** MV_F_CONTIGUOUS(flags). */
export function mvFContiguous(flags: number): boolean {
  return (flags & (MV_SCALAR | MV_FORTRAN)) !== 0;
}

/** MV_ANY_CONTIGUOUS(flags). */
export function mvAnyContiguous(flags: number): boolean {
  return (flags & (MV_SCALAR | MV_C | MV_FORTRAN)) !== 0;
}

/** init_flags: the flags the layout of `view` gives (MV_RELEASED aside). */
export function layoutFlags(view: ViewDescriptor): number {
  let flags = 0;
  if (view.ndim === 0) {
    flags |= MV_SCALAR | MV_C | MV_FORTRAN;
  } else if (view.ndim === 1) {
    // MV_CONTIGUOUS_NDIM1: a quirk kept from CPython (an empty view with a step is not contiguous)
    if (view.shape[0] === 1 || view.strides[0] === view.itemsize) flags |= MV_C | MV_FORTRAN;
  } else {
    if (isContiguous(view, 'C')) flags |= MV_C;
    if (isContiguous(view, 'F')) flags |= MV_FORTRAN;
  }
  if (view.suboffsets !== null) {
    flags |= MV_PIL;
    flags &= ~(MV_C | MV_FORTRAN);
  }
  return flags;
}

/**
 * memory_getbuf, but for `view.obj` and the export count: fills `view` with what `base` (a view
 * with flags `mvFlags`) exports under the request `flags`, or throws BufferError.
 */
export function memoryGetbuf(base: ViewDescriptor, mvFlags: number, view: Py_buffer, flags: number): void {
  if (reqWritable(flags) && base.readonly) {
    throw new BufferError('memoryview: underlying buffer is not writable');
  }
  let format: string | null = base.format;
  // No format: the consumer sees unsigned bytes; itemsize stays the previous itemsize.
  if (!reqFormat(flags)) format = null;
  if (reqCContiguous(flags) && !mvCContiguous(mvFlags)) {
    throw new BufferError('memoryview: underlying buffer is not C-contiguous');
  }
  if (reqFContiguous(flags) && !mvFContiguous(mvFlags)) {
    throw new BufferError('memoryview: underlying buffer is not Fortran contiguous');
  }
  if (reqAnyContiguous(flags) && !mvAnyContiguous(mvFlags)) {
    throw new BufferError('memoryview: underlying buffer is not contiguous');
  }
  if (!reqIndirect(flags) && (mvFlags & MV_PIL) !== 0) {
    throw new BufferError('memoryview: underlying buffer requires suboffsets');
  }
  // a 0-dim view's shape and strides are NULL in CPython: exported as null
  let strides: number[] | null = base.ndim === 0 ? null : base.strides;
  if (!reqStrides(flags)) {
    if (!mvCContiguous(mvFlags)) {
      throw new BufferError('memoryview: underlying buffer is not C-contiguous');
    }
    strides = null;
  }
  let ndim = base.ndim;
  let shape: number[] | null = base.ndim === 0 ? null : base.shape;
  if (!reqShape(flags)) {
    if (format !== null) {
      throw new BufferError('memoryview: cannot cast to unsigned bytes if the format flag is present');
    }
    ndim = 1;
    shape = null;
  }
  view.buf = base.buf;
  view.len = base.len;
  view.itemsize = base.itemsize;
  view.readonly = base.readonly;
  view.ndim = ndim;
  view.format = format;
  view.shape = shape;
  view.strides = strides;
  view.suboffsets = base.suboffsets;
  view.internal = base.internal;
}
