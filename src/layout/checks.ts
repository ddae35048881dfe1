// Checks and layout arithmetic shared by StridedView (src/layout/strided-view.ts) and the
// TypedArray copies (src/layout/copy-layout.ts).
import { ValueError } from '../errors.js';
import type { AnyTypedArray } from './types.js';

/** TypeError/ValueError unless `shape` is an array of integers >= 0. */
export function checkShape(what: string, shape: readonly number[]): void {
  if (!Array.isArray(shape)) throw new TypeError(`${what}: shape must be an array of integers`);
  for (const n of shape) {
    if (!Number.isSafeInteger(n) || n < 0)
      throw new ValueError(`${what}: shape entries must be integers >= 0, got ${n}`);
  }
}

/** ValueError unless `strides` has `ndim` integer entries. */
export function checkStrides(what: string, ndim: number, strides: readonly number[]): void {
  if (strides.length !== ndim)
    throw new ValueError(`${what}: strides must have ${ndim} entries, got ${strides.length}`);
  for (const s of strides) {
    if (!Number.isSafeInteger(s)) throw new ValueError(`${what}: strides must be integers, got ${s}`);
  }
}

/** The number of items of `shape`. */
export function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** [lo, hi) in the strides' unit, reachable from `offset`: items of `unit` size. */
export function reach(
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
  unit: number,
): [number, number] {
  let lo = offset;
  let hi = offset + unit;
  for (let i = 0; i < shape.length; i++) {
    const extent = strides[i] * (shape[i] - 1);
    if (extent < 0) lo += extent;
    else hi += extent;
  }
  return [lo, hi];
}

/** Whether `x` is a TypedArray (any ArrayBuffer view but a DataView). */
export function isTypedArray(x: unknown): x is AnyTypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}
