// Embeds the Wasm builds into the package, one generated module per build, so that a bundler
// that splits dynamic imports ships only the build init() picks, and the bundle needs no
// separate asset and no `fs` at import time:
//   src/wasm/build-{simd,scalar}.generated.ts   the build as `text` (scripts/wasm-text.mjs;
//                                               imported on demand)
//   src/wasm/build-shared.generated.ts          the shared build as edits of the SIMD build's
//                                               bytes
//   src/wasm/builds.generated.ts                each build's short sha256 (always loaded)
//   dist/wasm/{simd,scalar,shared}.wasm         the raw builds, published under the subpath
//                                               export wasm-memoryview/wasm/*.wasm
// Three builds of the same assembly/ sources:
//   simd    (asconfig.json target release) Wasm SIMD, the default where WebAssembly.validate
//           accepts SIMD
//   scalar  (target release-scalar) no SIMD: engines without it, or init({ simd: false })
//   shared  the SIMD build with its memory import declared shared (a maximum of 65536 pages):
//           init({ sharedMemory }), init({ threads }) and the copy workers. Both builds import
//           their memory (src/wasm/instance.ts makes it), so that they are the same module
//           but for that import: compiled by asc with sharedMemory, the shared build differed
//           only in where the allocator reads memory.size, and a bundle that holds both (one
//           without code splitting) carried 11 KiB of gzipped Wasm twice. Nothing in the
//           kernels synchronizes through the memory (the threads meet in Atomics calls of the
//           JavaScript around them), so the SIMD build's code is the shared build's.
//
// Every build gets a custom section "wasm-memoryview" holding {"build","sha256"}, so that
// init({ module | bytes | url }) can tell which build a host-loaded module is, and whether it
// came with this version of the JavaScript, from the compiled module alone
// (WebAssembly.Module.customSections): a WebAssembly.Module cannot be hashed.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { encodeText } from './wasm-text.mjs';

const builds = [
  ['simd', 'build/release.wasm'],
  ['scalar', 'build/release-scalar.wasm'],
  ['shared', 'build/release.wasm'],
];
const SECTION = 'wasm-memoryview';

/** Unsigned LEB128, as the Wasm binary format encodes sizes. */
function leb128(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** [value, bytes read] of the unsigned LEB128 at `at`. */
function readLeb128(bytes, at) {
  let value = 0;
  for (let shift = 0, i = at; ; shift += 7, i++) {
    value += (bytes[i] & 0x7f) * 2 ** shift;
    if (bytes[i] < 0x80) return [value, i + 1 - at];
  }
}

/**
 * Pages the shared build's memory import allows at most (4 GiB: wasm32's limit); the memory
 * src/wasm/shared-memory.ts makes has a maximum of its own, at most this.
 */
const SHARED_MAXIMUM_PAGES = 65536;

/**
 * The shared build from the SIMD build's bytes: its one import, env.memory (limits: flags 0, the
 * minimum), declared shared with a maximum (flags 3). Returns the bytes and the edit that makes
 * them: [offset, bytes cut, bytes put in].
 */
function sharedFrom(bytes) {
  const name = (s) => [s.length, ...Buffer.from(s, 'utf8')];
  const memoryImport = [1, ...name('env'), ...name('memory'), 2];
  for (let at = 8; at < bytes.length;) {
    const [size, sizeBytes] = readLeb128(bytes, at + 1);
    const start = at + 1 + sizeBytes;
    if (bytes[at] === 2) {
      const payload = bytes.subarray(start, start + size);
      const head = payload.subarray(0, memoryImport.length + 1);
      if (!head.equals(Buffer.from([...memoryImport, 0]))) {
        throw new Error('embed-wasm: the SIMD build imports more than a memory, or a shared one (asconfig.json)');
      }
      const [minimum] = readLeb128(payload, head.length);
      const body = [...memoryImport, 3, ...leb128(minimum), ...leb128(SHARED_MAXIMUM_PAGES)];
      const section = Buffer.from([2, ...leb128(body.length), ...body]);
      const cut = start + size - at;
      return {
        bytes: Buffer.concat([bytes.subarray(0, at), section, bytes.subarray(at + cut)]),
        edit: [at, cut, section],
      };
    }
    at = start + size;
  }
  throw new Error('embed-wasm: the SIMD build has no import section (asconfig.json: importMemory)');
}

/** `bytes` with a custom section (id 0: a name, then the payload) appended. */
function withCustomSection(bytes, name, payload) {
  const nameBytes = Buffer.from(name, 'utf8');
  const body = Buffer.concat([Buffer.from(leb128(nameBytes.length)), nameBytes, Buffer.from(payload, 'utf8')]);
  return Buffer.concat([bytes, Buffer.from([0, ...leb128(body.length)]), body]);
}

// What src/wasm/instance.ts supplies when it instantiates a build: a kernel change that makes asc
// import anything else (env.seed for Math.random, env.trace, a console binding) fails here, at
// build time, and not as a LinkError in init().
const SUPPLIED_IMPORTS = { simd: ['env.memory'], scalar: ['env.memory'], shared: ['env.memory'] };

const header = (input) => `// Generated by scripts/embed-wasm.mjs from ${input}; do not edit.\n`;
const hashes = {};
const stampedBuilds = {};
mkdirSync('dist/wasm', { recursive: true });
for (const [build, input] of builds) {
  const asWritten = readFileSync(input);
  const derived = build === 'shared' ? sharedFrom(asWritten) : null;
  const bytes = derived?.bytes ?? asWritten;
  const module = new WebAssembly.Module(bytes);
  const imports = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`);
  const unsupplied = imports.filter((i) => !SUPPLIED_IMPORTS[build].includes(i));
  if (unsupplied.length > 0) {
    console.error(
      `wasm: ${input} imports ${unsupplied.join(', ')}, which src/wasm/instance.ts does not supply ` +
        '(add it there and to SUPPLIED_IMPORTS in scripts/embed-wasm.mjs)',
    );
    process.exit(1);
  }
  // the memory instance.ts and shared-memory.ts make: 2 pages (asconfig.json, initialMemory)
  new WebAssembly.Instance(module, {
    env: { memory: new WebAssembly.Memory({ initial: 2, maximum: 16384, shared: build === 'shared' }) },
  });
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
  hashes[build] = hash;
  const stamped = withCustomSection(bytes, SECTION, JSON.stringify({ build, sha256: hash }));
  stampedBuilds[build] = stamped;
  writeFileSync(`dist/wasm/${build}.wasm`, stamped);
  const about =
    '/** Short sha256 of the build as asc wrote it (runtimeInfo().hash). */\n' +
    `export const hash: string = '${hash}';\n`;
  if (derived !== null) {
    // two edits of the SIMD build's stamped bytes: its import section, and its identity section
    // (at its end) for this build's
    const simd = stampedBuilds.simd;
    const [at, cut, section] = derived.edit;
    const edits = [
      [at, cut, section],
      [asWritten.length, simd.length - asWritten.length, stamped.subarray(bytes.length)],
    ];
    writeFileSync(
      `src/wasm/build-${build}.generated.ts`,
      header(`${input} (the SIMD build)`) +
        `\n/**\n * dist/wasm/${build}.wasm (${stamped.length} bytes) as edits of the SIMD build's bytes (its text:\n` +
        ` * build-simd.generated.ts), the same module with its memory import shared: [offset, bytes cut,\n` +
        ` * bytes put in as text].\n */\n` +
        `export const edits: readonly (readonly [number, number, string])[] = [\n` +
        edits.map(([a, c, b]) => `  [${a}, ${c}, '${encodeText(b)}'],\n`).join('') +
        '];\n' +
        `\n${about.replace('as asc wrote it', 'before its identity section')}`,
    );
  } else {
    // Text, not base64 nor hex: pages are served compressed, and the text spells each byte value
    // one way, in one character for most, so the compressor sees the module's repeats; base64
    // spreads a byte over character boundaries that shift with its position. The SIMD build's
    // chunk (37.2 KiB of Wasm), minified: gzip 15.8 KiB as base64, 12.3 as hex, 11.1 as text (the
    // raw module 10.9); brotli 13.5, 9.7 and 9.4 (8.9). Uncompressed, the text is 1.1 times the
    // module (hex 2, base64 1.33).
    // `: string`, so that the declaration file says `string` and does not repeat the module
    writeFileSync(
      `src/wasm/build-${build}.generated.ts`,
      header(input) +
        `\n/** ${input} with its "${SECTION}" section: ${stamped.length} bytes; sha256 of the build ${hash}... */\n` +
        `export const text: string =\n  '${encodeText(stamped)}';\n\n${about}`,
    );
  }
  console.log(
    `wasm: ${input}${derived !== null ? ' (shared)' : ''} (${bytes.length} bytes, sha256 ${hash}) -> ` +
      `src/wasm/build-${build}.generated.ts, dist/wasm/${build}.wasm (${stamped.length} bytes)`,
  );
}
writeFileSync(
  'src/wasm/builds.generated.ts',
  header('build/*.wasm') +
    '\n/** Short sha256 of each build as asc wrote it (before the identity section). */\n' +
    `export const buildHashes = {\n${builds.map(([build]) => `  ${build}: '${hashes[build]}',\n`).join('')}} as const;\n`,
);
// The single module that held all three builds before they were split: a stale copy would be
// compiled into dist/ and published (its declaration file repeated the builds).
for (const stale of [
  'src/wasm/module.generated.ts',
  'dist/wasm/module.generated.js',
  'dist/wasm/module.generated.d.ts',
]) {
  rmSync(stale, { force: true });
}
