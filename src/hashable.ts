// PyObject_Hash of an exporter, for the objects that hash a view of it (memoryview, ndarray):
// whether it is hashable at all. The hash values themselves are in pyhash.ts.
import { pyTypeName } from './errors.js';
import { ByteArray } from './exporters/bytes.js';

/**
 * @internal PyObject_Hash(obj) for the exporter of a view being hashed (memory_hash and
 * _testbuffer's ndarray_hash hash it first): TypeError for mutable ones, as bytearray and
 * array.array; an exporter with its own hash() may refuse too.
 */
export function pyHashCheck(obj: object): void {
  if (obj instanceof ByteArray) throw new TypeError("unhashable type: 'bytearray'");
  // a TypedArray exports as array.array does (array_buffer_getbuf), and is as unhashable
  if (ArrayBuffer.isView(obj) && !(obj instanceof DataView)) throw new TypeError("unhashable type: 'array.array'");
  if (ArrayBuffer.isView(obj) || obj instanceof ArrayBuffer) {
    throw new TypeError(`unhashable type: '${pyTypeName(obj)}'`);
  }
  // PyObject_Hash(obj): exporters with a hash() (MemoryView, NDArray) may refuse; plain objects
  // hash by identity in Python, which never fails
  const hash = (obj as { hash?: unknown }).hash;
  if (typeof hash === 'function') hash.call(obj);
}
