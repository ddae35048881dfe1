// ndarray_getbuf of Modules/_testbuffer.c: the view an NDArray exports for a request's flags, with
// _testbuffer's checks and errors in its order.
import { Py_buffer, getBuffer, isContiguous } from '../../buffer.js';
import { BufferError } from '../../errors.js';
import {
  ND,
  reqAnyContiguous,
  reqCContiguous,
  reqFContiguous,
  reqFormat,
  reqIndirect,
  reqShape,
  reqStrides,
  reqWritable,
} from '../../flags.js';
import { NDBuf, ndAnyContiguous, ndCContiguous, ndFortranContiguous } from './ndbuf.js';
import { assignView } from './subscript.js';

// What ND_GETBUF_UNDEFINED leaves in view.obj: not the exporter.
const UNDEFINED_OBJ: object = Object.freeze({});

/**
 * Fills `view` from the head base `ndbuf` for the request `flags`: a re-exporter with
 * ND_REDIRECT passes the request on to its base's exporter (false: `view` is that exporter's);
 * otherwise true, and the caller makes itself `view.obj` and counts the export. `insideData`
 * says whether the filled view stays inside the base's allocation.
 */
export function fillView(
  view: Py_buffer,
  ndbuf: NDBuf,
  flags: number,
  insideData: (view: Py_buffer) => boolean,
): boolean {
  const base = ndbuf.base;
  const baseflags = ndbuf.flags;

  if (base.obj !== null && baseflags & ND.REDIRECT) {
    assignView(view, getBuffer(base.obj, flags));
    return false;
  }

  assignView(view, base);
  view.obj = null;
  if (view.format === null) view.format = 'B';

  if (base.ndim !== 0 && ((reqShape(flags) && base.shape === null) || (reqStrides(flags) && base.strides === null))) {
    throw new BufferError('re-exporter does not provide format, shape or strides');
  }
  if (baseflags & ND.GETBUF_FAIL) {
    // "wrong but permitted in <= 3.2": a view.obj that is not the exporter
    if (baseflags & ND.GETBUF_UNDEFINED) view.obj = UNDEFINED_OBJ;
    throw new BufferError('ND_GETBUF_FAIL: forced test exception');
  }
  if (reqWritable(flags) && base.readonly) throw new BufferError('ndarray is not writable');
  // NULL: the data type has been cast to 'B'; itemsize stays the previous one
  if (!reqFormat(flags)) view.format = null;

  if (reqCContiguous(flags) && !ndCContiguous(baseflags)) throw new BufferError('ndarray is not C-contiguous');
  if (reqFContiguous(flags) && !ndFortranContiguous(baseflags)) {
    throw new BufferError('ndarray is not Fortran contiguous');
  }
  if (reqAnyContiguous(flags) && !ndAnyContiguous(baseflags)) throw new BufferError('ndarray is not contiguous');
  if (!reqIndirect(flags) && baseflags & ND.PIL) {
    throw new BufferError('ndarray cannot be represented without suboffsets');
  }
  if (!reqStrides(flags)) {
    if (!ndCContiguous(baseflags)) throw new BufferError('ndarray is not C-contiguous');
    view.strides = null;
  }
  if (!reqShape(flags)) {
    // PyBUF_SIMPLE|PyBUF_FORMAT and PyBUF_WRITABLE|PyBUF_FORMAT do not make sense
    if (view.format !== null) {
      throw new BufferError('ndarray: cannot cast to unsigned bytes if the format flag is present');
    }
    view.ndim = 1;
    view.shape = null;
  }
  // the new buffer must have the same contiguity as the exporter
  if (
    ndCContiguous(baseflags) !== isContiguous(view, 'C') ||
    (view.format !== null && view.shape !== null && ndFortranContiguous(baseflags) !== isContiguous(view, 'F')) ||
    (view.format === null && view.shape === null && !isContiguous(view, 'F')) ||
    !insideData(view)
  ) {
    throw new BufferError('ndarray: contiguity mismatch in getbuf()');
  }
  return true;
}
