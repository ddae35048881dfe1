// The shared-memory build (init({ sharedMemory }), init({ attach }), and init({ threads }) where
// copy workers can run): whether it can run here, and its memory (the owner's memory handed to an
// attached realm, the one the caller gave, or a new one). init() imports this module only when it
// runs the shared build (a dynamic import), so that pages on the other builds never download it
// or its messages; like src/wasm/supplied.ts it imports nothing of the library at run time (the
// runtime hands it the error class and its SIMD probes), so that a bundler that splits dynamic
// imports gives it a chunk of its own.
import type { InitOptions } from './instance.js';

/**
 * 'shared' where the shared build can run for `options`: it needs Wasm SIMD (there is no scalar
 * shared build), so a ValueError where SIMD is switched off (`simd: false`, or the
 * WASM_MEMORYVIEW_SIMD switch as `simdSwitch` reads it) or the engine lacks it (`simdSupported`).
 */
export function sharedBuild(
  options: InitOptions,
  ValueError: new (message: string) => Error,
  simdSwitch: () => boolean | undefined,
  simdSupported: () => boolean,
): 'shared' {
  if (options.simd === false || simdSwitch() === false) {
    throw new ValueError(
      'init(): the shared-memory build needs Wasm SIMD; simd: false is not available with sharedMemory',
    );
  }
  if (!simdSupported())
    throw new ValueError('init(): the shared-memory build needs Wasm SIMD, which this engine lacks');
  return 'shared';
}

/** The linear memory the shared build runs on, for `options`; ValueError where the engine has no SharedArrayBuffer. */
export function sharedMemoryFor(options: InitOptions, ValueError: new (message: string) => Error): WebAssembly.Memory {
  // a structured clone of the owner's WebAssembly.Memory (the handle's type names it structurally)
  if (options.attach !== undefined) return options.attach.memory as WebAssembly.Memory;
  if (options.sharedMemory instanceof WebAssembly.Memory) return options.sharedMemory;
  if (typeof SharedArrayBuffer === 'undefined') {
    throw new ValueError(
      'init(): sharedMemory needs SharedArrayBuffer; in a browser the page must be ' +
        'cross-origin isolated (Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp)',
    );
  }
  return new WebAssembly.Memory({ initial: 2, maximum: options.maximumPages ?? 16384, shared: true });
}
