// Committed files that a script generates must match their generator.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('generated sources', () => {
  it('assembly/transpose.ts is what scripts/gen-transpose.mjs writes', () => {
    // --check exits non-zero (execFileSync throws) when the committed file differs
    expect(() => execFileSync(process.execPath, ['scripts/gen-transpose.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
