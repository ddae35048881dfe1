// init({ module | bytes | url }): hosts that load the Wasm themselves give one of the package's
// files (wasm-memoryview/wasm/simd.wasm, scalar.wasm, shared.wasm). The file decides the build;
// a module that is not one of this version's builds, or contradicts the other options, is
// refused before anything runs, and init() can then be called again. Each test imports a fresh
// copy of the library (vi.resetModules), since a realm has one runtime.
import { readFileSync } from 'node:fs';
import { ALPHABET, encodeText } from '../scripts/wasm-text.mjs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

type Lib = typeof import('../src/index.js');
type Build = 'simd' | 'scalar' | 'shared';
const root = new URL('..', import.meta.url);
const file = (build: Build): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(readFileSync(new URL(`dist/wasm/${build}.wasm`, root)));
let lib: Lib;
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const match = /^\/wasm\/(simd|scalar|shared)\.wasm$/.exec(req.url ?? '');
    if (match === null) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/wasm' }).end(file(match[1] as Build));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

beforeEach(async () => {
  vi.resetModules();
  lib = await import('../src/index.js');
});

/** A 2x3 float32 transpose through the runtime that init() set up. */
function transposes(l: Lib): boolean {
  const out = l.transpose(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
  return Array.from(out).join() === '1,4,2,5,3,6';
}

/** `build`'s file as another version would have it: the same bytes with another build hash in the identity section. */
function otherVersion(build: Build): Uint8Array<ArrayBuffer> {
  const bytes = file(build);
  const text = new TextDecoder('latin1').decode(bytes);
  const at = text.lastIndexOf('"sha256":"') + '"sha256":"'.length;
  bytes.set(new TextEncoder().encode('000000000000'), at);
  return bytes;
}

describe('init() with a module the host loaded', () => {
  it('runs the build of a compiled module it is given', async () => {
    const module = await WebAssembly.compile(file('simd'));
    await lib.init({ module });
    expect(lib.runtimeInfo()).toMatchObject({ build: 'simd', simd: true, sharedMemory: false });
    expect(transposes(lib)).toBe(true);
  });

  it('compiles and runs the bytes it is given, the scalar build included', async () => {
    await lib.init({ bytes: file('scalar') });
    expect(lib.runtimeInfo()).toMatchObject({ build: 'scalar', simd: false });
    expect(transposes(lib)).toBe(true);
  });

  it('takes the bytes as an ArrayBuffer as well as a typed array', async () => {
    const bytes = file('scalar');
    await lib.init({ bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
    expect(lib.runtimeInfo().build).toBe('scalar');
  });

  it('fetches the file at a URL given as a string', async () => {
    await lib.init({ url: `${base}/wasm/simd.wasm` });
    expect(lib.runtimeInfo().build).toBe('simd');
    expect(transposes(lib)).toBe(true);
  });

  it('fetches the file at a URL given as a URL object', async () => {
    await lib.init({ url: new URL('/wasm/scalar.wasm', base) });
    expect(lib.runtimeInfo().build).toBe('scalar');
  });

  it('runs the shared-memory build from its file when sharedMemory is asked for', async () => {
    await lib.init({ bytes: file('shared'), sharedMemory: true });
    expect(lib.runtimeInfo()).toMatchObject({ build: 'shared', sharedMemory: true });
    expect(lib.runtimeMemory().buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(transposes(lib)).toBe(true);
  });

  it('reports the same build hash as the embedded build of the same file', async () => {
    await lib.init({ bytes: file('scalar') });
    const supplied = lib.runtimeInfo().hash;
    vi.resetModules();
    const embedded: Lib = await import('../src/index.js');
    await embedded.init({ simd: false });
    expect(embedded.runtimeInfo().hash).toBe(supplied);
  });

  it('stays idempotent: later calls, with or without options, keep the first runtime', async () => {
    await Promise.all([lib.init({ bytes: file('scalar') }), lib.init({ bytes: file('scalar') })]);
    const first = lib.runtimeInfo();
    await lib.init();
    await lib.init({ bytes: file('simd') });
    expect(lib.runtimeInfo()).toBe(first);
  });
});

describe('init() refuses a module that is not the build it can run', () => {
  const emptyModule = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
  const cases: Array<[string, () => Parameters<Lib['init']>[0], RegExp]> = [
    [
      'a Wasm module that is no build of this package',
      () => ({ bytes: emptyModule }),
      /not a wasm-memoryview build \(it has no "wasm-memoryview" section\)/,
    ],
    [
      'the build as asc wrote it, without the identity section',
      () => ({ bytes: new Uint8Array(readFileSync(new URL('build/release.wasm', root))) }),
      /not a wasm-memoryview build/,
    ],
    [
      'a build of another version',
      () => ({ bytes: otherVersion('simd') }),
      /simd\.wasm of another version of wasm-memoryview \(build sha256 000000000000, this version's is [0-9a-f]{12}\)/,
    ],
    [
      'the shared-memory build without sharedMemory',
      () => ({ bytes: file('shared') }),
      /shared\.wasm runs only with sharedMemory or attach/,
    ],
    [
      'the SIMD build with sharedMemory',
      () => ({ bytes: file('simd'), sharedMemory: true }),
      /sharedMemory and attach run the shared-memory build \(shared\.wasm\), not simd\.wasm/,
    ],
    [
      'the SIMD build with simd: false',
      () => ({ bytes: file('simd'), simd: false }),
      /simd: false asks for the scalar build \(scalar\.wasm\), not simd\.wasm/,
    ],
    [
      'the scalar build with simd: true',
      () => ({ bytes: file('scalar'), simd: true }),
      /simd: true asks for a SIMD build, not scalar\.wasm/,
    ],
    [
      'bytes that are not Wasm',
      () => ({ bytes: new Uint8Array([1, 2, 3, 4]) }),
      /init\(\{ bytes \}\): not a WebAssembly module this engine compiles/,
    ],
    [
      'a URL the server does not have',
      () => ({ url: `${base}/wasm/other.wasm` }),
      /init\(\{ url \}\): fetching http:\/\/127\.0\.0\.1:\d+\/wasm\/other\.wasm gave HTTP 404/,
    ],
    [
      'more than one source',
      () => ({ bytes: file('simd'), url: `${base}/wasm/simd.wasm` }),
      /give one of module, bytes and url, not bytes and url/,
    ],
  ];

  it.each(cases)(
    'refuses %s with a ValueError that says what to give, and leaves no runtime',
    async (_name, options, message) => {
      const error = await lib.init(options()).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(lib.ValueError);
      expect((error as Error).message).toMatch(message);
      expect(() => lib.runtimeInfo()).toThrow(/call `await init\(\)` first/);
    },
  );

  it.each([
    [
      'a module that is not a WebAssembly.Module',
      { module: {} },
      /init\(\{ module \}\): expected a WebAssembly.Module, not Object/,
    ],
    [
      'bytes that are a string',
      { bytes: 'AGFzbQ' },
      /init\(\{ bytes \}\): expected an ArrayBuffer or a typed array, not a string/,
    ],
    ['a URL that is a number', { url: 42 }, /init\(\{ url \}\): expected a string or a URL, not 42/],
  ])('refuses %s with a TypeError', async (_name, options, message) => {
    const error = await lib.init(options as never).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
  });

  it('lets init() run again after a refusal, with the right file', async () => {
    await expect(lib.init({ bytes: file('shared') })).rejects.toThrow(lib.ValueError);
    await lib.init({ bytes: file('scalar') });
    expect(lib.runtimeInfo().build).toBe('scalar');
    expect(transposes(lib)).toBe(true);
  });

  it('lets init() run again after a failed fetch, with the embedded build', async () => {
    await expect(lib.init({ url: `${base}/missing.wasm` })).rejects.toThrow(/HTTP 404/);
    await lib.init({ simd: false });
    expect(lib.runtimeInfo().build).toBe('scalar');
  });
});

describe('the runtime without @assemblyscript/loader', () => {
  it('imports nothing but its memory: a throw in the kernels traps, and the runtime stays usable', async () => {
    for (const build of ['simd', 'scalar', 'shared'] as const) {
      const module = new WebAssembly.Module(file(build));
      expect(WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`)).toEqual(['env.memory']);
      // a shared memory for the shared build only, of 2 pages or more (instance.ts, shared-memory.ts)
      for (const shared of [false, true]) {
        const memory = new WebAssembly.Memory({ initial: 2, maximum: 16384, shared });
        const instantiate = (): WebAssembly.Instance => new WebAssembly.Instance(module, { env: { memory } });
        if (shared === (build === 'shared')) expect(instantiate().exports.memory).toBe(memory);
        else expect(instantiate).toThrow(WebAssembly.LinkError);
      }
    }
    await lib.init();
    const runtime = await import('../src/wasm/instance.js');
    // the allocator's own size check, which runtime.malloc() never lets a request reach
    expect(() => runtime.wasm().malloc(2 ** 30)).toThrow(WebAssembly.RuntimeError);
    const p = lib.capi.PyMem_Malloc(64);
    expect(p).toBeGreaterThan(0);
    lib.capi.PyMem_Free(p);
  });
});

describe('the embedded builds (init() without a module)', () => {
  it('embed the same bytes as the published files, as text of 89 printable characters', async () => {
    const { decodeText } = await import('../src/wasm/instance.js');
    const embedded = {
      simd: await import('../src/wasm/build-simd.generated.js'),
      scalar: await import('../src/wasm/build-scalar.generated.js'),
    };
    for (const build of ['simd', 'scalar'] as const) {
      const { text } = embedded[build];
      // printable ASCII but the quotes, `$`, `<` and the backslash
      expect(text).toMatch(/^[ !#%&()*+,\-./0-9:;=>?@A-Z[\]^_a-z{|}~]+$/);
      expect(Buffer.from(decodeText(text)).equals(Buffer.from(file(build)))).toBe(true);
      expect(text).toBe(encodeText(file(build)));
      // most bytes take one character: the text is about 1.1 times the module
      expect(text.length).toBeLessThan(1.2 * file(build).length);
    }
  });

  it('embed the shared build as two small edits of the SIMD build', async () => {
    const { decodeText } = await import('../src/wasm/instance.js');
    const { edited } = await import('../src/wasm/shared-memory.js');
    const shared = await import('../src/wasm/build-shared.generated.js');
    const simd = await import('../src/wasm/build-simd.generated.js');
    // its import section (the memory declared shared) and its identity section, at the end
    expect(shared.edits).toHaveLength(2);
    expect(shared.edits.reduce((n, [, , text]) => n + text.length, 0)).toBeLessThan(200);
    expect(
      Buffer.from(edited(decodeText(simd.text), shared.edits, decodeText)).equals(Buffer.from(file('shared'))),
    ).toBe(true);
    // the code and data are the SIMD build's: past the import section, the files differ only
    // in their identity sections
    const [[at, cut, put], [end]] = shared.edits;
    const from = at + decodeText(put).length;
    const body = Buffer.from(file('simd').subarray(at + cut, end));
    expect(Buffer.from(file('shared').subarray(from, from + body.length)).equals(body)).toBe(true);
    expect(body.length).toBeGreaterThan(0.99 * file('simd').length);
  });

  it('make their edits from the last to the first, each at its offset in the unedited bytes', async () => {
    const { decodeText } = await import('../src/wasm/instance.js');
    const { edited } = await import('../src/wasm/shared-memory.js');
    const bytes = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
    const edits = [
      [1, 2, encodeText(Uint8Array.from([9]))],
      [5, 0, encodeText(Uint8Array.from([8, 8]))],
      [7, 1, ''],
    ] as const;
    expect(Array.from(edited(bytes, edits, decodeText))).toEqual([0, 9, 3, 4, 8, 8, 5, 6]);
    expect(Array.from(edited(bytes, [], decodeText))).toEqual(Array.from(bytes));
  });

  it('decode every byte value as the embed script encodes it', async () => {
    const { decodeText } = await import('../src/wasm/instance.js');
    expect(ALPHABET).toHaveLength(89);
    const every = Uint8Array.from({ length: 256 }, (_, b) => b);
    // 87 values in one character, the 169 others in two
    expect(encodeText(every)).toHaveLength(87 + 2 * 169);
    const mixed = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24);
    for (const bytes of [every, every.slice().reverse(), mixed, new Uint8Array(0)]) {
      expect(Array.from(decodeText(encodeText(bytes)))).toEqual(Array.from(bytes));
    }
  });
});
