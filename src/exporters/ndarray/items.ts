// Items of an ndarray through the struct module (pack_single, unpack_single, unpack_rec and
// pack_from_list's item check in Modules/_testbuffer.c): any struct format, one member or several.
import { StructError, ValueError, pyTypeName } from '../../errors.js';
import { Struct, type StructItem } from '../../struct.js';
import { Bytes } from '../bytes.js';
import { heapU8, heapView } from '../../wasm/heap.js';
import { adjustPtr } from '../../wasm32.js';

/** One item as JavaScript sees it: a StructItem for one-member formats, an array for several. */
export type NDValue = StructItem | StructItem[];
/** tolist()'s result: an item (0-dim) or nested arrays of items. */
export type NDList = NDValue | NDList[];

const structCache = new Map<string, Struct>();

/** Struct(format), cached; non-strings fail as Python's Struct() does. */
export function structFor(format: unknown): Struct {
  if (typeof format !== 'string') {
    throw new TypeError(`Struct() argument 1 must be a str or bytes object, not ${pyTypeName(format)}`);
  }
  let s = structCache.get(format);
  if (s === undefined) {
    s = new Struct(format);
    if (structCache.size > 256) structCache.clear();
    structCache.set(format, s);
  }
  return s;
}

/**
 * The struct.pack_into arguments for one initializer item, as pack_from_list / pack_single: an
 * int, float or bytes (a Uint8Array or a Bytes; not a ByteArray, which _testbuffer refuses) for a
 * one-member format, else a list of one value per member.
 */
export function itemArgs(item: unknown, nmemb: number): unknown[] {
  if (
    (typeof item === 'number' ||
      typeof item === 'bigint' ||
      typeof item === 'boolean' ||
      item instanceof Uint8Array ||
      item instanceof Bytes) &&
    nmemb === 1
  ) {
    return [item];
  }
  if (Array.isArray(item) && item.length === nmemb) return item as unknown[];
  throw new ValueError('mismatch between initializer element and format string');
}

/** unpack_single: struct.unpack_from(fmt, memory[ptr:ptr+itemsize]), one member unwrapped. */
export function unpackSingle(ptr: number, fmt: string | null, itemsize: number): NDValue {
  if (fmt === null) {
    fmt = 'B';
    itemsize = 1;
  }
  const s = structFor(fmt);
  return unpackWith(s, ptr, itemsize);
}

function unpackWith(s: Struct, ptr: number, itemsize: number): NDValue {
  if (s.size > itemsize) {
    throw new StructError(
      `unpack_from requires a buffer of at least ${s.size} bytes for unpacking ${s.size} ` +
        `bytes at offset 0 (actual buffer size is ${itemsize})`,
    );
  }
  const x = s.unpackFrom(heapView(), ptr);
  return x.length === 1 ? x[0] : x;
}

/** pack_single: packs `item` at `ptr` (an item of `itemsize` bytes) with struct.pack_into. */
export function packSingle(ptr: number, item: unknown, fmt: string | null, itemsize: number): void {
  const s = structFor(fmt ?? 'B');
  const args = itemArgs(item, s.nitems);
  // struct.pack_into straight into the item, as _testbuffer's pack_single: s_pack_internal
  // zeroes the item, then writes member by member, so a value struct refuses leaves zeros from
  // there on (and the members before it written); CPython 3.14 for wasm32 does the same
  const heap = heapU8();
  s.packInto(new DataView(heap.buffer, heap.byteOffset + ptr, itemsize), 0, args);
}

/** unpack_rec: the nested list of items from `ptr`. */
export function unpackRec(
  s: Struct,
  ptr: number,
  shape: readonly number[],
  strides: readonly number[],
  suboffsets: readonly number[] | null,
  dim: number,
  ndim: number,
  itemsize: number,
): NDList {
  if (dim === ndim) return unpackWith(s, ptr, itemsize);
  const n = shape[dim];
  const lst = new Array<NDList>(n);
  const indirect = suboffsets !== null && suboffsets[dim] >= 0;
  for (let i = 0; i < n; i++, ptr += strides[dim]) {
    lst[i] = unpackRec(
      s,
      indirect ? adjustPtr(ptr, suboffsets, dim) : ptr,
      shape,
      strides,
      suboffsets,
      dim + 1,
      ndim,
      itemsize,
    );
  }
  return lst;
}
