// Types of WebAssembly objects in the public typings. They must compile without the DOM lib: a
// Node-only project (`types: ["node"]`) has no WebAssembly namespace in its types. These take
// WebAssembly's own types from globalThis where a lib declares them, and a structural stand-in
// where none does.
type WebAssemblyNamespace = typeof globalThis extends { WebAssembly: infer W } ? W : unknown;
/** A `WebAssembly.Memory` (structurally typed where the DOM lib is absent). */
export type WasmMemory = WebAssemblyNamespace extends { Memory: { prototype: infer M } }
  ? M
  : { readonly buffer: ArrayBuffer | SharedArrayBuffer; grow(delta: number): number };
/** A compiled `WebAssembly.Module` (an opaque object where the DOM lib is absent). */
export type WasmModule = WebAssemblyNamespace extends { Module: { prototype: infer M } } ? M : object;
