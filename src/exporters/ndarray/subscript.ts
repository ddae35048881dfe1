// Subscripts and assignments of an ndarray (ndarray_subscript and ndarray_ass_subscript in
// Modules/_testbuffer.c): init_slice, copy_structure, ptr_from_index, and copy_buffer with its
// cmp_structure check.
import type { Py_buffer } from '../../buffer.js';
import { copyStrided, type StridedOperand } from '../../copy.js';
import { BufferError, IndexError, ValueError, pyTypeName } from '../../errors.js';
import { Ellipsis, PySlice, adjustIndices, unpackSlice } from '../../slice.js';
import { adjustPtr, contiguousStrides } from '../../wasm32.js';

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

/** copy_buffer: copies src into dest (same structure), atomically and overlap-safely. */
export function copyBuffer(dest: Py_buffer, src: Py_buffer): void {
  if (!cmpStructure(dest, src)) {
    throw new ValueError('ndarray assignment: lvalue and rvalue have different structures');
  }
  copyStrided(dest.ndim, dest.itemsize, shapeOf(dest), operand(dest), operand(src));
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

/** ptr_from_index: the address of item `index` of dimension 0, following suboffsets[0]. */
export function ptrFromIndex(base: Py_buffer, index: number): number {
  const nitems = base.shape !== null ? base.shape[0] : base.len;
  if (index < 0) index += nitems;
  if (index < 0 || index >= nitems) throw new IndexError('index out of bounds');
  let ptr = base.buf;
  ptr += (base.strides === null ? base.itemsize : base.strides[0]) * index;
  return adjustPtr(ptr, base.suboffsets, 0);
}
