// The reference interpreter itself: scripts/run-in-pyodide.mjs starts CPython 3.14 for wasm32
// (the pinned `pyodide` devDependency) offline, with PYTHONHASHSEED=0, and the hash this project
// computes equals the one that interpreter computes, for byte strings of every length from 0 to
// 300 and a few longer ones (random contents, a fixed seed).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { pyHashBytes32 } from '../src/pyhash.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs `source` in Pyodide through the project's runner and returns its stdout. */
function runPython(source: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pyodide-ref-'));
  try {
    const file = path.join(dir, 'probe.py');
    writeFileSync(file, source);
    return execFileSync(process.execPath, [path.join(repo, 'scripts/run-in-pyodide.mjs'), file], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 120_000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** xorshift32: deterministic byte strings without Math.random. */
function* bytesStream(seed: number): Generator<number> {
  let x = seed >>> 0;
  for (;;) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    yield x & 0xff;
  }
}

describe('the reference interpreter (Pyodide) through scripts/run-in-pyodide.mjs', () => {
  it('is CPython 3.14 for wasm32 with FNV hashing, PYTHONHASHSEED=0, and agrees with pyHashBytes32', () => {
    const gen = bytesStream(0x3118);
    const inputs: Uint8Array[] = [];
    for (let n = 0; n <= 300; n++) inputs.push(Uint8Array.from({ length: n }, () => gen.next().value as number));
    for (const n of [1000, 4096, 65537]) inputs.push(Uint8Array.from({ length: n }, () => gen.next().value as number));
    const hexes = inputs.map((b) => Buffer.from(b).toString('hex'));
    const out = runPython(
      [
        'import json, sys, os',
        `data = ${JSON.stringify(hexes)}`,
        'print(json.dumps({"version": list(sys.version_info[:2]), "platform": sys.platform,',
        '  "maxsize": sys.maxsize, "algorithm": sys.hash_info.algorithm, "seed": os.environ.get("PYTHONHASHSEED"),',
        '  "hashes": [hash(bytes.fromhex(h)) for h in data],',
        '  "mv": [hash(memoryview(bytes.fromhex(h))) for h in data]}))',
      ].join('\n'),
    );
    const answer = JSON.parse(out) as {
      version: number[];
      platform: string;
      maxsize: number;
      algorithm: string;
      seed: string;
      hashes: number[];
      mv: number[];
    };
    expect([answer.version, answer.platform, answer.maxsize, answer.algorithm, answer.seed]).toEqual([
      [3, 14],
      'emscripten',
      2 ** 31 - 1,
      'fnv',
      '0',
    ]);
    expect(inputs.map((b) => pyHashBytes32(b))).toEqual(answer.hashes);
    expect(answer.mv).toEqual(answer.hashes);
  }, 180_000);
});
