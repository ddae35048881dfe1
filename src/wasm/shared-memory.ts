// The shared-memory build (init({ sharedMemory }), init({ attach }), and init({ threads }) where
// copy workers can run): whether it can run here, its bytes (the SIMD build's, edited), and its
// memory (the owner's memory handed to an attached realm, the one the caller gave, or a new
// one). init() imports this module only when it runs the shared build (a dynamic import), so
// that pages on the other builds never download it or its messages; like src/wasm/supplied.ts
// it imports nothing of the library at run time (the runtime hands it the error class, its SIMD
// probes and the text decoder), so that a bundler that splits dynamic imports gives it a chunk
// of its own.
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

/** An edit of a build's bytes: at an offset, so many bytes replaced by the bytes of a text. */
export type BuildEdit = readonly [at: number, cut: number, text: string];

/**
 * @internal `bytes` with `edits` made, each at an offset into `bytes` as given (in increasing
 * order, not overlapping), the texts decoded by `decodeText` (src/wasm/instance.ts): the shared
 * build from the SIMD build's bytes (src/wasm/build-shared.generated.ts).
 */
export function edited(
  bytes: Uint8Array<ArrayBuffer>,
  edits: readonly BuildEdit[],
  decodeText: (text: string) => Uint8Array<ArrayBuffer>,
): Uint8Array<ArrayBuffer> {
  // from the last edit to the first, so that each offset still counts in the unedited bytes
  for (let i = edits.length; i-- > 0;) {
    const [at, cut, text] = edits[i];
    const put = decodeText(text);
    const out = new Uint8Array(bytes.length - cut + put.length);
    out.set(bytes.subarray(0, at));
    out.set(put, at);
    out.set(bytes.subarray(at + cut), at + put.length);
    bytes = out;
  }
  return bytes;
}
