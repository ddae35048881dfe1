// init({ module | bytes | url }): a build the host loaded itself (Deno, edge runtimes, a .wasm
// served as a file), compiled where needed and checked to be one of this version's builds before
// anything runs. init() imports this module only when one of the three options is given (a
// dynamic import): pages that run the embedded builds never download it. It imports nothing of
// the library at run time but the builds' hashes, which nothing else imports (the runtime hands
// it the rest, SuppliedContext), so that a bundler that splits dynamic imports gives it a chunk
// of its own rather than cutting the page's code in two around modules the two would share.
import { buildHashes } from './builds.generated.js';
import type { CompiledBuild, InitOptions, WasmBuild } from './instance.js';

/** What the checks take from the runtime (src/wasm/instance.ts, src/wasm/init.ts). */
export interface SuppliedContext {
  readonly ValueError: new (message: string) => Error;
  simdSupported(): boolean;
  /** The WASM_MEMORYVIEW_SIMD switch: forced on or off, or undefined. */
  simdSwitch(): boolean | undefined;
  /** The options ask for the shared build (sharedMemory or attach). */
  readonly shared: boolean;
  /** init({ threads }) asks for the shared build where copy workers can run. */
  readonly threadsShared: boolean;
}

/** The package's file of each build (the subpath export `wasm-memoryview/wasm/<file>`). */
const BUILD_FILES: Record<WasmBuild, string> = { simd: 'simd.wasm', scalar: 'scalar.wasm', shared: 'shared.wasm' };
/** The custom section of every build that names it: {"build": ..., "sha256": ...} (scripts/embed-wasm.mjs). */
const IDENTITY_SECTION = 'wasm-memoryview';

/**
 * @internal The module the host supplied through `module`, `bytes` or `url`, which build it is and
 * its hash (null when none is given); TypeError or ValueError, before anything runs, when it is not
 * one of this version's builds or not the one the options call for.
 */
export async function suppliedRuntime(
  options: InitOptions,
  ctx: SuppliedContext,
): Promise<(CompiledBuild & { build: WasmBuild }) | null> {
  const supplied = await suppliedModule(options, ctx);
  if (supplied === null) return null;
  const build = suppliedBuild(supplied.module, supplied.key, options, ctx);
  return { module: supplied.module, build, hash: buildHashes[build] };
}

type SuppliedKey = 'module' | 'bytes' | 'url';

/** The module the host supplied through `module`, `bytes` or `url`, or null for the embedded build. */
async function suppliedModule(
  options: InitOptions,
  ctx: SuppliedContext,
): Promise<{ module: WebAssembly.Module; key: SuppliedKey } | null> {
  const { ValueError } = ctx;
  const given = (['module', 'bytes', 'url'] as const).filter((k) => options[k] !== undefined);
  if (given.length === 0) return null;
  if (given.length > 1) throw new ValueError(`init(): give one of module, bytes and url, not ${given.join(' and ')}`);
  const key = given[0] as SuppliedKey;
  if (key === 'module') {
    // the tag rather than instanceof: a module compiled in another realm (an iframe) is one too
    if (Object.prototype.toString.call(options.module) !== '[object WebAssembly.Module]') {
      throw new TypeError(`init({ module }): expected a WebAssembly.Module, not ${describe(options.module)}`);
    }
    return { module: options.module as WebAssembly.Module, key };
  }
  let bytes: ArrayBuffer | ArrayBufferView;
  if (key === 'bytes') {
    const b = options.bytes;
    if (!(b instanceof ArrayBuffer || ArrayBuffer.isView(b))) {
      throw new TypeError(`init({ bytes }): expected an ArrayBuffer or a typed array, not ${describe(b)}`);
    }
    bytes = b;
  } else {
    const url = options.url;
    const href = typeof url === 'string' ? url : typeof url?.href === 'string' ? url.href : null;
    if (href === null) throw new TypeError(`init({ url }): expected a string or a URL, not ${describe(url)}`);
    let response: Response;
    try {
      response = await fetch(href);
    } catch (err) {
      throw new ValueError(`init({ url }): could not fetch ${href}: ${String(err)}`);
    }
    if (!response.ok) throw new ValueError(`init({ url }): fetching ${href} gave HTTP ${response.status}`);
    bytes = await response.arrayBuffer();
  }
  try {
    return { module: await WebAssembly.compile(bytes as BufferSource), key };
  } catch (err) {
    const hint = ctx.simdSupported()
      ? ''
      : '; this engine has no Wasm SIMD, which simd.wasm and shared.wasm need: give scalar.wasm';
    throw new ValueError(`init({ ${key} }): not a WebAssembly module this engine compiles (${String(err)})${hint}`);
  }
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? 'a string' : String(value);
  return Object.prototype.toString.call(value).slice(8, -1);
}

/** The payload of a build's identity section, as parsed (not yet trusted). */
interface BuildStamp {
  build?: unknown;
  sha256?: unknown;
}

/**
 * Which of this version's builds a supplied module is, checked against the options; a
 * ValueError that says what to pass instead when it is none of them or the wrong one.
 */
function suppliedBuild(
  module: WebAssembly.Module,
  key: SuppliedKey,
  options: InitOptions,
  ctx: SuppliedContext,
): WasmBuild {
  const { ValueError } = ctx;
  const where = `init({ ${key} })`;
  const sections = WebAssembly.Module.customSections(module, IDENTITY_SECTION);
  let stamp: BuildStamp | null = null;
  if (sections.length === 1) {
    try {
      stamp = JSON.parse(String.fromCharCode(...new Uint8Array(sections[0] as ArrayBuffer))) as BuildStamp | null;
    } catch {
      stamp = null;
    }
  }
  const build = stamp?.build;
  if (build !== 'simd' && build !== 'scalar' && build !== 'shared') {
    throw new ValueError(
      `${where}: not a wasm-memoryview build (it has no "${IDENTITY_SECTION}" section); ` +
        "give one of the package's wasm-memoryview/wasm/simd.wasm, scalar.wasm or shared.wasm",
    );
  }
  const file = BUILD_FILES[build];
  if (stamp?.sha256 !== buildHashes[build]) {
    throw new ValueError(
      `${where}: ${file} of another version of wasm-memoryview (build sha256 ` +
        `${String(stamp?.sha256)}, this version's is ${buildHashes[build]}); give wasm-memoryview/wasm/${file} ` +
        'from the same version as the JavaScript',
    );
  }
  const shared = ctx.shared;
  if (shared && build !== 'shared') {
    throw new ValueError(`${where}: sharedMemory and attach run the shared-memory build (shared.wasm), not ${file}`);
  }
  // with threads, shared.wasm runs the copy workers too; simd.wasm or scalar.wasm leave copies on one thread
  if (!shared && build === 'shared' && !ctx.threadsShared) {
    throw new ValueError(
      `${where}: shared.wasm runs only with sharedMemory or attach; for a private heap give ` +
        'simd.wasm or scalar.wasm',
    );
  }
  const wanted = options.simd ?? ctx.simdSwitch();
  if (wanted !== undefined && wanted !== (build !== 'scalar')) {
    const asked = options.simd === undefined ? 'the WASM_MEMORYVIEW_SIMD switch' : `simd: ${String(wanted)}`;
    throw new ValueError(
      `${where}: ${asked} asks for ${wanted ? 'a SIMD build' : 'the scalar build (scalar.wasm)'}, ` + `not ${file}`,
    );
  }
  return build;
}
