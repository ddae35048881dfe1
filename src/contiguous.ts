// A view's items as one contiguous block: buffer_to_contiguous in Objects/memoryobject.c, and
// the bytes that tobytes(), hex(), hash() and bytes(obj) are made of. Every order-changing
// copy goes through the copy planner (src/copy/dispatch.ts).
import { type Py_buffer, isContiguous } from './buffer.js';
import { contiguousOperand } from './copy/plan.js';
import { copyStrided } from './copy/dispatch.js';
import { copyContiguous } from './copy/encode.js';
import { free, heapU8, malloc } from './wasm/heap.js';

/** Order argument of tobytes(): 'C', 'F', 'A', or null/undefined for 'C'. */
export type Order = 'C' | 'F' | 'A';

/** The data of `view` as a new Uint8Array laid out in `order` ('A': the physical order if contiguous, else C). */
export function viewToBytes(view: Py_buffer, order: Order): Uint8Array {
  const len = view.len;
  if (isContiguous(view, order)) {
    return heapU8().slice(view.buf, view.buf + len);
  }
  const mem = malloc(len);
  try {
    bufferToContiguous(mem, view, order);
    return heapU8().slice(mem, mem + len);
  } finally {
    free(mem);
  }
}

/**
 * buffer_to_contiguous: copies a full-information view (shape and strides present) into `mem`,
 * laid out in C order ('C', 'A') or Fortran order ('F'). `mem` must not overlap the view.
 */
export function bufferToContiguous(mem: number, src: Py_buffer, order: Order): void {
  const ndim = src.ndim;
  if (ndim === 0 || src.shape === null || src.strides === null) {
    copyContiguous(mem, src.buf, src.len);
    return;
  }
  const shape = src.shape;
  copyStrided(
    ndim,
    src.itemsize,
    shape,
    contiguousOperand(mem, ndim, shape, src.itemsize, order),
    { buf: src.buf, strides: src.strides, suboffsets: src.suboffsets },
    true,
  );
}
