// Python's truth value (PyObject_IsTrue) for the JavaScript values that stand for Python
// objects, as the '?' format packs them (memoryobject.c's pack_single, _struct.c's np_bool and
// lp_bool, _testbuffer's items through struct).
import { Complex } from './complex.js';
import { pyTypeName } from './errors.js';
import { ByteArray, Bytes } from './exporters/bytes.js';

/**
 * bool(value): None, zero numbers (not NaN) and complex 0j, and empty str, bytes, bytearray,
 * lists, Maps and Sets are false. A MemoryView is its len(), with len()'s errors: TypeError for
 * a 0-dim view, ValueError for a released one. An NDArray, like _testbuffer.ndarray, has no
 * len() and is always true, as are slices, Ellipsis and other objects.
 */
export function isTrue(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      return value !== 0; // bool(nan) is True in Python
    case 'bigint':
      return value !== 0n;
    case 'string':
      return value.length > 0;
    case 'object':
      break;
    default:
      return true;
  }
  if (ArrayBuffer.isView(value)) return value.byteLength > 0;
  if (value instanceof ArrayBuffer) return value.byteLength > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map || value instanceof Set) return value.size > 0;
  if (value instanceof Complex) return value.re !== 0 || value.im !== 0;
  if (value instanceof Bytes || value instanceof ByteArray) return value.length > 0;
  // a MemoryView (memoryview.ts imports the modules that import this one, so not by its class):
  // its length getter is len(), and raises len()'s errors
  if (pyTypeName(value) === 'memoryview') return (value as { length: number }).length > 0;
  return true;
}
