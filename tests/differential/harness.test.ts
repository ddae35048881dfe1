// The differential suite's own parts: scenarios replay from their coordinates, answers are
// normalized as documented, and no difference from CPython is accepted.
import { describe, expect, it } from 'vitest';
import { generateScenario } from './generator.js';
import { KNOWN } from './known.js';
import { pyExpr, pyValue, scenarioSource } from './python.js';
import { canonicalNumber, normalize, sameResult } from './results.js';
import { CATEGORY, pv, reads } from './scenario.js';

describe('the differential suite harness', () => {
  it('a scenario depends on its seed and index alone, so one scenario replays by itself', () => {
    for (const index of [0, 1, 57, 1749]) {
      expect(generateScenario(7, index)).toEqual(generateScenario(7, index));
      expect(scenarioSource(generateScenario(7, index))).toBe(scenarioSource(generateScenario(7, index)));
    }
    expect(generateScenario(7, 1)).not.toEqual(generateScenario(7, 2));
    expect(generateScenario(7, 1)).not.toEqual(generateScenario(8, 1));
  });

  it('every scenario makes an exporter first and every step has a category and a Python spelling', () => {
    for (let index = 0; index < 300; index++) {
      const sc = generateScenario(11, index);
      expect(reads(sc.steps[0])).toEqual([]);
      for (const step of sc.steps) {
        expect(CATEGORY[step.op]).toBeTypeOf('string');
        expect(pyExpr(step).length).toBeGreaterThan(0);
      }
    }
  });

  it('the generator makes every kind of step and every struct function within 2,000 scenarios', () => {
    const ops = new Set<string>();
    const fns = new Set<string>();
    for (let index = 0; index < 2000; index++) {
      for (const step of generateScenario(13, index).steps) {
        ops.add(step.op);
        if (step.op === 'struct') fns.add(step.fn);
      }
    }
    expect([...ops].sort()).toEqual(Object.keys(CATEGORY).sort());
    expect([...fns].sort()).toEqual([
      'Struct',
      'calcsize',
      'iter_unpack',
      'pack',
      'pack_into',
      'unpack',
      'unpack_from',
    ]);
  });

  it('values are spelled in Python as the JavaScript side reads them', () => {
    expect(pyValue(pv.tuple([pv.int(1)]))).toBe('(1,)');
    expect(pyValue(pv.slice(pv.none(), pv.int(-1), pv.int(2n ** 63n)))).toBe('slice(None, -1, 9223372036854775808)');
    expect(pyValue(pv.float(-0))).toBe("float('-0.0')");
    expect(pyValue(pv.bytesobj([0, 255]))).toBe("bytes.fromhex('00ff')");
    expect(pyValue(pv.ref('m1'))).toBe("V['m1']");
    expect(pyValue(pv.complex('1.5', 'nan'))).toBe("complex(float('1.5'), float('nan'))");
  });

  it('ints, integral floats and bigints are one number; -0 stays -0; every NaN is one NaN', () => {
    expect(sameResult(normalize({ t: 'float', v: '3.0' }), { t: 'num', v: canonicalNumber(3) })).toBe(true);
    expect(
      sameResult(normalize({ t: 'num', v: '18446744073709551615' }), { t: 'num', v: (2n ** 64n - 1n).toString() }),
    ).toBe(true);
    expect(sameResult(normalize({ t: 'float', v: '1e-05' }), { t: 'num', v: canonicalNumber(0.00001) })).toBe(true);
    expect(sameResult(normalize({ t: 'float', v: '-0.0' }), { t: 'num', v: canonicalNumber(0) })).toBe(false);
    expect(sameResult(normalize({ t: 'float', v: '-nan' }), { t: 'num', v: canonicalNumber(NaN) })).toBe(true);
    expect(sameResult({ t: 'exc', cls: 'TypeError', msg: 'a' }, { t: 'exc', cls: 'TypeError', msg: 'b' })).toBe(false);
  });

  it('accepts no difference from CPython: the list of accepted differences is empty', () => {
    // an entry would need its reason and a row in docs/conformance.md; there is none to accept
    expect(KNOWN.map((k) => k.name)).toEqual([]);
  });
});
