// A slow, obviously-correct reference for the fuzz tests: every item visited one at a time by
// its multi-index, addresses computed from the definition (buf + sum(strides[i] * index[i]),
// following a suboffset by reading a 4-byte little-endian pointer), bytes read from a snapshot.
// No planning, no merging of dimensions, no kernels: nothing shared with the code under test.

/** A strided (optionally PIL-style) layout over the runtime's memory. */
export interface Layout {
  readonly buf: number;
  readonly itemsize: number;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly suboffsets: readonly number[] | null;
}

/** Every multi-index of `shape`, in C order (last index fastest) or Fortran order. */
export function* indices(shape: readonly number[], order: 'C' | 'F' = 'C'): Generator<number[]> {
  const ndim = shape.length;
  if (shape.some((n) => n === 0)) return;
  const index = new Array<number>(ndim).fill(0);
  for (;;) {
    yield index.slice();
    let k = order === 'C' ? ndim - 1 : 0;
    const step = order === 'C' ? -1 : 1;
    while (k >= 0 && k < ndim) {
      if (++index[k] < shape[k]) break;
      index[k] = 0;
      k += step;
    }
    if (k < 0 || k >= ndim) return;
  }
}

function readPointer(mem: Uint8Array, at: number): number {
  return (mem[at] | (mem[at + 1] << 8) | (mem[at + 2] << 16) | (mem[at + 3] << 24)) >>> 0;
}

/**
 * The address of the item at `index`, and every pointer slot read on the way
 * (PyBuffer_GetPointer by its definition).
 */
export function address(mem: Uint8Array, layout: Layout, index: readonly number[]): { ptr: number; slots: number[] } {
  let ptr = layout.buf;
  const slots: number[] = [];
  for (let i = 0; i < layout.shape.length; i++) {
    ptr += layout.strides[i] * index[i];
    if (layout.suboffsets !== null && layout.suboffsets[i] >= 0) {
      slots.push(ptr);
      ptr = readPointer(mem, ptr) + layout.suboffsets[i];
    }
  }
  return { ptr, slots };
}

/** Whether every byte the layout reaches (items and pointer slots) lies in [lo, hi). */
export function reachesOnlyInside(mem: Uint8Array, layout: Layout, lo: number, hi: number): boolean {
  for (const index of indices(layout.shape)) {
    // pointer slots are checked before they are read
    let ptr = layout.buf;
    for (let i = 0; i < layout.shape.length; i++) {
      ptr += layout.strides[i] * index[i];
      if (layout.suboffsets !== null && layout.suboffsets[i] >= 0) {
        if (ptr < lo || ptr + 4 > hi) return false;
        ptr = readPointer(mem, ptr) + layout.suboffsets[i];
      }
    }
    if (ptr < lo || ptr + layout.itemsize > hi) return false;
  }
  if (layout.shape.length === 0 && (layout.buf < lo || layout.buf + layout.itemsize > hi)) return false;
  return true;
}

/** The items of `layout` as contiguous bytes in C or Fortran order. */
export function gather(mem: Uint8Array, layout: Layout, order: 'C' | 'F'): Uint8Array {
  const n = layout.shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(n * layout.itemsize);
  let o = 0;
  for (const index of indices(layout.shape, order)) {
    const { ptr } = address(mem, layout, index);
    for (let b = 0; b < layout.itemsize; b++) out[o++] = mem[ptr + b];
  }
  return out;
}

/** A copy of `mem` with the contiguous `bytes` written item by item into `layout`. */
export function scatter(mem: Uint8Array, layout: Layout, bytes: Uint8Array, order: 'C' | 'F'): Uint8Array {
  const out = mem.slice();
  let o = 0;
  for (const index of indices(layout.shape, order)) {
    const { ptr } = address(mem, layout, index);
    for (let b = 0; b < layout.itemsize; b++) out[ptr + b] = bytes[o++];
  }
  return out;
}

/**
 * A copy of `mem` with the items of `bytes` (contiguous, in C order) written to the indices
 * `order` lists, in that sequence (where items share bytes, the last write wins).
 */
export function scatterAt(mem: Uint8Array, layout: Layout, bytes: Uint8Array, order: readonly number[][]): Uint8Array {
  const out = mem.slice();
  const cIndex = new Map<string, number>();
  let k = 0;
  for (const index of indices(layout.shape, 'C')) cIndex.set(index.join(','), k++);
  for (const index of order) {
    const { ptr } = address(mem, layout, index);
    const o = (cIndex.get(index.join(',')) as number) * layout.itemsize;
    for (let b = 0; b < layout.itemsize; b++) out[ptr + b] = bytes[o + b];
  }
  return out;
}

/** PyObject_CopyData's item order: C order starting at the second item, the first one last. */
export function copyDataOrder(shape: readonly number[]): number[][] {
  const all = [...indices(shape, 'C')];
  return all.length === 0 ? all : [...all.slice(1), all[0]];
}

/** PySlice_AdjustIndices for a step that is not zero. */
export function adjustSlice(
  length: number,
  start: number | null,
  stop: number | null,
  step: number,
): { start: number; slicelength: number } {
  const clamp = (v: number | null, dflt: number, lo: number, hi: number): number => {
    if (v === null) return dflt;
    if (v < 0) v += length;
    return Math.min(Math.max(v, lo), hi);
  };
  const s = step > 0 ? clamp(start, 0, 0, length) : clamp(start, length - 1, -1, length - 1);
  const e = step > 0 ? clamp(stop, length, 0, length) : clamp(stop, -1, -1, length - 1);
  let slicelength = 0;
  if (step > 0 && s < e) slicelength = Math.floor((e - s - 1) / step) + 1;
  if (step < 0 && e < s) slicelength = Math.floor((s - e - 1) / -step) + 1;
  return { start: s, slicelength };
}

/** The layout of `layout[start:stop:step]` (dimension 0; no suboffset in dimension 0). */
export function sliceLayout(layout: Layout, start: number | null, stop: number | null, step: number): Layout {
  const { start: s, slicelength } = adjustSlice(layout.shape[0], start, stop, step);
  return {
    ...layout,
    buf: layout.buf + layout.strides[0] * s,
    shape: [slicelength, ...layout.shape.slice(1)],
    strides: [layout.strides[0] * step, ...layout.strides.slice(1)],
  };
}

/** PyBuffer_IsContiguous by its definition: C/F strides for every dimension of extent > 1. */
export function isContiguous(layout: Layout, order: 'C' | 'F'): boolean {
  if (layout.suboffsets !== null) return false;
  if (layout.shape.some((n) => n === 0)) return true;
  const ndim = layout.shape.length;
  let sd = layout.itemsize;
  for (let k = 0; k < ndim; k++) {
    const i = order === 'C' ? ndim - 1 - k : k;
    if (layout.shape[i] > 1 && layout.strides[i] !== sd) return false;
    sd *= layout.shape[i];
  }
  return true;
}
