// Subscripts and assignments of an ndarray (ndarray_subscript and ndarray_ass_subscript in
// Modules/_testbuffer.c): init_slice, copy_structure, ptr_from_index, and copy_buffer with its
// cmp_structure check.
import { type Py_buffer } from '../../buffer.js';
import { checkItemOwned, loadOwnedPointer } from '../../reach.js';
import { copyStrided } from '../../copy/dispatch.js';
import { type StridedOperand } from '../../copy/plan.js';
import { BufferError, IndexError, ValueError, pyTypeName } from '../../errors.js';
import { Ellipsis, PySlice, adjustIndices, unpackSlice } from '../../slice.js';
import { adjustPtr, contiguousStrides, hasIndirection, reachableRange } from '../../wasm32.js';

/** cmp_structure: same format (None as 'B'), itemsize, ndim, and shape up to the first 0. */
function cmpStructure(dest: Py_buffer, src: Py_buffer): boolean {
  if ((dest.format ?? 'B') !== (src.format ?? 'B') || dest.itemsize !== src.itemsize || dest.ndim !== src.ndim) {
    return false;
  }
  const ds = shapeOf(dest);
  const ss = shapeOf(src);
  for (let i = 0; i < dest.ndim; i++) {
    if (ds[i] !== ss[i]) return false;
    if (ds[i] === 0) break;
  }
  return true;
}

/** The shape of a view, rebuilt for a 1-dim view exported without one. */
function shapeOf(view: Py_buffer): readonly number[] {
  if (view.shape !== null) return view.shape;
  return view.ndim === 0 ? [] : [view.itemsize === 0 ? 0 : Math.floor(view.len / view.itemsize)];
}

function operand(view: Py_buffer): StridedOperand {
  const strides = view.strides ?? contiguousStrides(view.ndim, shapeOf(view), view.itemsize, 'C');
  return { buf: view.buf, strides, suboffsets: view.suboffsets };
}

/**
 * copy_buffer: copies src into dest (same structure). copy_rec walks the outer dimensions in C
 * order and copies one last-dimension row at a time (copy_base: memmove, or through a row-sized
 * temporary), so when the two overlap a later row reads what an earlier one wrote
 * (`nd[::-1] = nd` of a 3-row array leaves rows 0, 1, 0). Without overlap the order cannot
 * show, and the whole copy is one planned copy.
 */
export function copyBuffer(dest: Py_buffer, src: Py_buffer): void {
  if (!cmpStructure(dest, src)) {
    throw new ValueError('ndarray assignment: lvalue and rvalue have different structures');
  }
  const { ndim, itemsize } = dest;
  const shape = shapeOf(dest);
  const d = operand(dest);
  const s = operand(src);
  if (ndim <= 1 || !mayShareBytes(ndim, itemsize, shape, d, s)) {
    copyStrided(ndim, itemsize, shape, d, s);
    return;
  }
  const last = ndim - 1;
  const row = [shape[last]];
  const rowOperand = (op: StridedOperand, buf: number): StridedOperand => ({
    buf,
    strides: [op.strides[last]],
    suboffsets: op.suboffsets === null ? null : [op.suboffsets[last]],
  });
  const copyRec = (dim: number, dptr: number, sptr: number): void => {
    if (dim === last) {
      copyStrided(1, itemsize, row, rowOperand(d, dptr), rowOperand(s, sptr));
      return;
    }
    for (let i = 0; i < shape[dim]; i++, dptr += d.strides[dim], sptr += s.strides[dim]) {
      copyRec(dim + 1, adjustPtr(dptr, d.suboffsets, dim), adjustPtr(sptr, s.suboffsets, dim));
    }
  };
  copyRec(0, d.buf, s.buf);
}

/** Whether two operands may share a byte: their reachable ranges meet, or either follows pointers. */
function mayShareBytes(
  ndim: number,
  itemsize: number,
  shape: readonly number[],
  d: StridedOperand,
  s: StridedOperand,
): boolean {
  if (hasIndirection(d.suboffsets, ndim) || hasIndirection(s.suboffsets, ndim)) return true;
  const [dlo, dhi] = reachableRange(d.buf, ndim, itemsize, shape, d.strides);
  const [slo, shi] = reachableRange(s.buf, ndim, itemsize, shape, s.strides);
  return dlo < shi && slo < dhi;
}

/** copy_structure: `dest` becomes a copy of `src` whose shape, strides and suboffsets are its own. */
export function assignView(dest: Py_buffer, src: Py_buffer): void {
  Object.assign(dest, src.copy());
  // the arrays are the consumer's own (ND_OWN_ARRAYS), not shared
  dest.shape = src.shape === null ? null : src.shape.slice();
  dest.strides = src.strides === null ? null : src.strides.slice();
  dest.suboffsets = src.suboffsets === null ? null : src.suboffsets.slice();
}

/** The name of a key's type as Python would print it (arrays in keys stand for tuples). */
export function keyTypeName(key: unknown): string {
  if (key === Ellipsis) return 'ellipsis';
  if (Array.isArray(key)) return 'tuple';
  if (key instanceof PySlice) return 'slice';
  return pyTypeName(key);
}

/** init_slice: applies one slice to dimension `dim` of a consumer's (own) arrays. */
export function initSlice(base: Py_buffer, key: PySlice, dim: number): void {
  const shape = base.shape as number[];
  const strides = base.strides as number[];
  const [start0, stop0, step] = unpackSlice(key);
  const { start, slicelength } = adjustIndices(shape[dim], start0, stop0, step);
  const suboffsets = base.suboffsets;
  let n = dim - 1;
  if (suboffsets !== null) while (n >= 0 && suboffsets[n] < 0) n--;
  if (suboffsets === null || dim === 0 || n < 0) {
    base.buf += strides[dim] * start;
  } else {
    // behind a pointer the start cannot move buf: it moves the sub-arrays' suboffset
    suboffsets[n] = suboffsets[n] + strides[dim] * start || 0;
  }
  shape[dim] = slicelength;
  // Py_ssize_t arithmetic wraps at 32 bits on wasm32 (only for slicelength <= 1: harmless)
  strides[dim] = Math.imul(strides[dim], step);
}

/** The BufferError of a structure change (push, pop) while `exports` buffers are exported. */
export function changeError(exports: number): BufferError {
  return new BufferError(`cannot change structure: ${exports} exported buffer${exports === 1 ? '' : 's'}`, exports);
}

/** BufferError unless [ptr, ptr+size) lies in the `len` bytes of a shape-less buffer. */
export function checkShapelessReach(base: Py_buffer, ptr: number, size: number): void {
  if (ptr < base.buf || ptr + size > base.buf + base.len) {
    throw new BufferError(
      `item access refused: [${ptr}, ${ptr + size}) lies outside the ${base.len} bytes of a buffer ` + 'without shape',
    );
  }
}

/** ptr_from_index: the address of item `index` of dimension 0, following suboffsets[0]. */
export function ptrFromIndex(base: Py_buffer, index: number): number {
  const nitems = base.shape !== null ? base.shape[0] : base.len;
  if (index < 0) index += nitems;
  if (index < 0 || index >= nitems) throw new IndexError('index out of bounds');
  let ptr = base.buf;
  ptr += (base.strides === null ? base.itemsize : base.strides[0]) * index;
  // _testbuffer trusts the layout: without a shape it counts len items (it assumes one-byte
  // items, which a request without PyBUF_FORMAT does not make so), and pointer tables may have
  // been written since. An item outside the buffer (outside the heap's live blocks, through a
  // pointer) is refused, not read or written
  if (base.shape === null) checkShapelessReach(base, ptr, base.itemsize);
  const suboffsets = base.suboffsets;
  if (suboffsets !== null && suboffsets[0] >= 0) {
    ptr = loadOwnedPointer(ptr) + suboffsets[0];
    // an item is checked here; a sub-array (ndim > 1), which may be empty, by its caller
    if (base.ndim === 1) checkItemOwned(ptr, base.itemsize);
  }
  return ptr;
}
