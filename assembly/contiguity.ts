// Contiguity tests, ported from PyBuffer_IsContiguous, _IsCContiguous and
// _IsFortranContiguous in CPython's Objects/abstract.c.
// Shape and strides are arrays of i32 (Py_ssize_t on wasm32) in linear memory.

import { ORDER_A, ORDER_C, ORDER_F } from "./abi.generated";

// @ts-ignore: decorator
@inline function at(array: usize, i: i32): i32 {
  return load<i32>(array + (<usize>i << 2));
}

function isCContiguous(ndim: i32, itemsize: i32, len: i32, shape: usize, strides: usize): bool {
  if (len == 0 || strides == 0) return true;
  let sd: i64 = itemsize;
  for (let i = ndim - 1; i >= 0; i--) {
    const dim = at(shape, i);
    if (dim > 1 && <i64>at(strides, i) != sd) return false;
    sd *= dim;
  }
  return true;
}

function isFortranContiguous(ndim: i32, itemsize: i32, len: i32, shape: usize, strides: usize): bool {
  if (len == 0) return true;
  if (strides == 0) {
    // C-contiguous by definition: F-contiguous only when at most one extent exceeds 1
    if (ndim <= 1) return true;
    let big = 0;
    for (let i = 0; i < ndim; i++) if (at(shape, i) > 1) big++;
    return big <= 1;
  }
  let sd: i64 = itemsize;
  for (let i = 0; i < ndim; i++) {
    const dim = at(shape, i);
    if (dim > 1 && <i64>at(strides, i) != sd) return false;
    sd *= dim;
  }
  return true;
}

/**
 * Whether a buffer is contiguous in `order` ('C', 'F' or 'A' as char codes), as PyBuffer_IsContiguous.
 * `strides` is 0 for a NULL strides array; any suboffsets array makes the buffer non-contiguous.
 */
export function isContiguous(ndim: i32, itemsize: i32, len: i32, shape: usize, strides: usize, hasSuboffsets: bool, order: i32): bool {
  if (hasSuboffsets) return false;
  if (order == ORDER_C) return isCContiguous(ndim, itemsize, len, shape, strides);
  if (order == ORDER_F) return isFortranContiguous(ndim, itemsize, len, shape, strides);
  if (order == ORDER_A) {
    return isCContiguous(ndim, itemsize, len, shape, strides) || isFortranContiguous(ndim, itemsize, len, shape, strides);
  }
  return false;
}
