export { init } from './wasm/init.js';
export {
  runtimeInfo,
  runtimeMemory,
  simdSupported,
  type InitOptions,
  type RuntimeInfo,
  type SharedRuntimeHandle,
  type WasmBuild,
  type WasmMemory,
  type WasmModule,
} from './wasm/instance.js';
export { attachBlocks, shareRuntime, heapStats, setMemoryLimit, memoryLimit } from './wasm/heap.js';
export { shutdown } from './wasm/parallel.js';
export { MemoryView, type NestedList, type Order, type MemoryViewKey, type IndexLike } from './memoryview.js';
export { ManagedBuffer } from './memoryview/managed-buffer.js';
export { pyHashBytes32, pyHashBytes64 } from './pyhash.js';
export { Complex } from './complex.js';
export { capi, readMemory, writeMemory } from './capi.js';
export { StridedView } from './layout/strided-view.js';
export { copyLayout, copyLayoutAsync, transpose, transposeAsync } from './layout/copy-layout.js';
export type {
  AnyTypedArray,
  ArrayLayout,
  Float16ArrayLike,
  MemoryRegion,
  NdarrayLike,
  NdarrayView,
  NumericArray,
  TypedArrayConstructor,
  UntypedNdarrayLike,
  ViewLayout,
} from './layout/types.js';
export { PyBUF, ND } from './flags.js';
export {
  Py_buffer,
  bf_getbuffer,
  bf_releasebuffer,
  type BufferExporter,
  type BufferLike,
  type JsBufferSource,
} from './buffer.js';
export { Bytes, ByteArray, type BytesSource } from './exporters/bytes.js';
export {
  NDArray,
  type NDArrayOptions,
  type NDItemInput,
  type NDKey,
  type NDList,
  type NDValue,
} from './exporters/ndarray.js';
export * as testbuffer from './testbuffer.js';
export * as struct from './struct.js';
export type { StructItem } from './struct.js';
export { slice, Ellipsis, PySlice, type SliceBound, type EllipsisType } from './slice.js';
export type { Item } from './items.js';
export type { CastFormat, FormatOf, ItemOf, NativeFormat, NumberFormat } from './formats.js';
export {
  PyException,
  BufferError,
  ValueError,
  IndexError,
  NotImplementedError,
  MemoryError,
  OverflowError,
  SystemError,
  StructError,
  RuntimeError,
  UnicodeEncodeError,
} from './errors.js';
