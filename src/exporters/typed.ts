// TypedArrays, DataViews and ArrayBuffers as exporters. Those that view the runtime's linear
// memory export it zero-copy, like array.array (array_buffer_getbuf in Modules/arraymodule.c);
// JavaScript memory elsewhere is never copied silently: copy it in with Bytes/ByteArray/NDArray.
import type { JsBufferSource, Py_buffer } from '../buffer.js';
import { BufferError } from '../errors.js';
import { reqFormat, reqShape, reqStrides } from '../flags.js';
import { ownedRange } from '../wasm/heap.js';
import { wasm } from '../wasm/instance.js';

/** The struct format of each TypedArray type's items. */
const TYPED_FORMATS: ReadonlyArray<readonly [string, string]> = [
  ['Int8Array', 'b'],
  ['Uint8Array', 'B'],
  ['Uint8ClampedArray', 'B'],
  ['Int16Array', 'h'],
  ['Uint16Array', 'H'],
  ['Int32Array', 'i'],
  ['Uint32Array', 'I'],
  ['Float32Array', 'f'],
  ['Float64Array', 'd'],
  ['BigInt64Array', 'q'],
  ['BigUint64Array', 'Q'],
  ['Float16Array', 'e'],
];

// Made on first use rather than when the module loads: a page that never asks for a format
// (one that only transposes) then carries neither the table nor the loop.
let formatByConstructor: Map<unknown, string> | null = null;

function formatsByConstructor(): Map<unknown, string> {
  if (formatByConstructor === null) {
    formatByConstructor = new Map();
    for (const [name, format] of TYPED_FORMATS) {
      const ctor = (globalThis as Record<string, unknown>)[name];
      if (typeof ctor === 'function') formatByConstructor.set(ctor, format);
    }
  }
  return formatByConstructor;
}

/**
 * The struct format of a TypedArray's items ('B' for DataViews and ArrayBuffers). Subclasses
 * (Node's Buffer, a user's class) take their base type's format; a Float16Array that arrived
 * after this module loaded (a polyfill) is recognised when first seen.
 */
export function typedArrayFormat(obj: JsBufferSource): string {
  const formats = formatsByConstructor();
  for (let ctor: unknown = obj.constructor; typeof ctor === 'function'; ctor = Object.getPrototypeOf(ctor)) {
    const format = formats.get(ctor);
    if (format !== undefined) return format;
    if (ctor === (globalThis as { Float16Array?: unknown }).Float16Array) {
      formats.set(ctor, 'e');
      return 'e';
    }
  }
  return 'B';
}

/** Whether `obj` views the runtime's linear memory (and can be exported without a copy). */
export function viewsRuntimeMemory(obj: JsBufferSource): boolean {
  const buffer = obj instanceof ArrayBuffer ? obj : obj.buffer;
  return buffer === wasm().memory.buffer;
}

/** The bf_getbuffer of TypedArrays, DataViews and ArrayBuffers over linear memory. */
export function exportJsSource(obj: JsBufferSource, view: Py_buffer, flags: number): void {
  if (!viewsRuntimeMemory(obj)) {
    // memory.grow detaches typed arrays of the old memory: say so rather than "outside"
    const detached = (obj instanceof ArrayBuffer ? obj : obj.buffer).byteLength === 0 && obj.byteLength === 0;
    throw new BufferError(
      detached
        ? `${obj.constructor.name} views a detached buffer (linear memory grew since it was made); take a new view`
        : `${obj.constructor.name} does not view the runtime's memory: copy it in explicitly (Bytes.from, ByteArray.from or new NDArray)`,
    );
  }
  const itemsize =
    obj instanceof ArrayBuffer || obj instanceof DataView
      ? 1
      : (obj as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  const byteOffset = obj instanceof ArrayBuffer ? 0 : obj.byteOffset;
  const len = obj.byteLength;
  // a TypedArray over the runtime's memory may only export bytes a live heap block
  // holds (never the allocator's structures, the scratch area or free memory)
  if (len > 0 && !ownedRange(byteOffset, byteOffset + len)) {
    throw new BufferError(
      `${obj.constructor.name} views runtime memory [${byteOffset}, ${byteOffset + len}) that is not ` +
        'inside one live block from PyMem_Malloc',
    );
  }
  // As array_buffer_getbuf: writable, shape and strides on request, itemsize even without FORMAT.
  view.buf = byteOffset;
  view.obj = obj;
  view.len = len;
  view.readonly = false;
  view.ndim = 1;
  view.itemsize = itemsize;
  view.suboffsets = null;
  view.shape = reqShape(flags) ? [len / itemsize] : null;
  view.strides = reqStrides(flags) ? [itemsize] : null;
  view.format = reqFormat(flags) ? typedArrayFormat(obj) : null;
  view.internal = null;
}
