export { init } from './wasm/runtime.js';
export {
  attachBlocks, runtimeInfo, runtimeMemory, shareRuntime, simdSupported, type InitOptions, type RuntimeInfo,
  type SharedRuntimeHandle, type WasmBuild, type WasmMemory, type WasmModule,
} from './wasm/runtime.js';
export { heapStats, setMemoryLimit, memoryLimit } from './wasm/runtime.js';
export { shutdown } from './wasm/parallel.js';
export {
  MemoryView, type NestedList, type Order, type MemoryViewKey, type IndexLike,
} from './memoryview.js';
export { ManagedBuffer } from './memoryview/managed-buffer.js';
export { pyHashBytes32, pyHashBytes64 } from './pyhash.js';
export { Complex } from './complex.js';
export { capi, readMemory, writeMemory } from './capi.js';
export {
  StridedView, copyLayout, copyLayoutAsync, transpose, transposeAsync, type AnyTypedArray, type ArrayLayout,
  type Float16ArrayLike, type MemoryRegion, type NdarrayLike, type NdarrayView, type NumericArray, type TypedArrayConstructor,
  type UntypedNdarrayLike, type ViewLayout,
} from './strided.js';
export { PyBUF, ND } from './flags.js';
export {
  Py_buffer, bf_getbuffer, bf_releasebuffer, type BufferExporter, type BufferLike, type JsBufferSource,
} from './buffer.js';
export { Bytes, ByteArray, type BytesSource } from './exporters/bytes.js';
export {
  NDArray, type NDArrayOptions, type NDItemInput, type NDKey, type NDList, type NDValue,
} from './exporters/ndarray.js';
export * as testbuffer from './testbuffer.js';
export * as struct from './struct.js';
export type { StructItem } from './struct.js';
export { slice, Ellipsis, PySlice, type SliceBound, type EllipsisType } from './slice.js';
export type { Item } from './items.js';
export type { CastFormat, FormatOf, ItemOf, NativeFormat, NumberFormat } from './formats.js';
export {
  PyException, BufferError, ValueError, IndexError, NotImplementedError, MemoryError, OverflowError,
  SystemError, StructError, RuntimeError, UnicodeEncodeError,
} from './errors.js';
