// Committed files that a script generates must match their generator.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('generated sources', () => {
  it('assembly/transpose.ts is what scripts/gen-transpose.mjs writes', () => {
    // --check exits non-zero (execFileSync throws) when the committed file differs
    expect(() =>
      execFileSync(process.execPath, ['scripts/gen-transpose.mjs', '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('the Wasm interface constants on both sides are what scripts/gen-wasm-abi.mjs writes', () => {
    expect(() =>
      execFileSync(process.execPath, ['scripts/gen-wasm-abi.mjs', '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it("the WasmExports type matches every build's export names, kinds and signatures", () => {
    // --check regenerates from the compiler's bindings and reads build/release*.wasm and .wat
    expect(() =>
      execFileSync(process.execPath, ['scripts/gen-wasm-exports.mjs', '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });
});
