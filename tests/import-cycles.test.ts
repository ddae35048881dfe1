// The modules under src/ import one another without cycles (scripts/check-cycles.mjs): a cycle
// lets evaluation order decide which module sees the other's bindings still uninitialised.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../scripts/check-cycles.mjs', import.meta.url));

describe('the modules of src/', () => {
  it('import one another without a cycle', () => {
    let output: string;
    try {
      output = execFileSync(process.execPath, [script], { encoding: 'utf8' });
    } catch (err) {
      output = String((err as { stdout?: unknown }).stdout ?? err);
    }
    expect(output.trim()).toMatch(/^check-cycles: no import cycles among \d+ modules in src$/);
  });
});
