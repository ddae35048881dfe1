// TEMPORARY: the known differences between this project and CPython 3.14 for wasm32, each a
// classifier with its reason. They are being fixed in src/ on their own; once a kind is fixed,
// its entry goes and the suite checks that behaviour like any other. Nothing else may be
// listed here: any other difference is a bug to fix in src/.
import type { StepFacts } from './js-runner.js';
import { canonical } from './results.js';
import { fromHex, type PV, type Scenario, type Step } from './scenario.js';

/** What a classifier sees: the scenario, the step, both answers, and the JavaScript side's facts. */
export interface MismatchContext {
  scenario: Scenario;
  stepIndex: number;
  step: Step;
  py: unknown;
  js: unknown;
  facts: StepFacts;
  allFacts: StepFacts[];
}

export interface KnownDifference {
  name: string;
  reason: string;
  /**
   * Whether the two sides' state may differ after it, so that later mismatches of the same
   * scenario are its consequences (counted as downstream, not as new differences).
   */
  diverges: boolean;
  matches(c: MismatchContext): boolean;
}

const exc = (r: unknown): { cls: string; msg: string } | null =>
  (r as { t?: string }).t === 'exc' ? r as { cls: string; msg: string } : null;

/** Formats whose last character is `chars` (after any byte-order prefix). */
const formatIs = (format: string, chars: string): boolean => chars.includes(format.charAt(format.length - 1));

const isNaNValue = (v: PV): boolean =>
  (v.k === 'float' && (v.v === 'nan' || v.v === '-nan')) ||
  (v.k === 'fbits' && Number.isNaN(new DataView(fromHex(v.hex).buffer).getFloat64(0, true)));

/** Steps that name a complex format: ndarray/push formats, cast targets, SizeFromFormat. */
function namesComplex(s: Step): boolean {
  if ((s.op === 'ndarray' || s.op === 'push' || s.op === 'sizefromformat') && formatIs(s.format, 'FD')) return true;
  return s.op === 'cast' && s.format.k === 'str' && /^@?[FD]$/.test(s.format.v);
}

/** Whether a step holds a slice whose step is at least Py_ssize_t's largest value in size. */
function hugeSliceStep(s: Step): boolean {
  let found = false;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      const p = v as PV;
      if (p.k === 'slice' && p.step.k === 'int') {
        const x = BigInt(p.step.v);
        if (x >= 2n ** 31n - 1n || x <= -(2n ** 31n - 1n)) found = true;
      }
      Object.values(v).forEach(walk);
    }
  };
  walk(s);
  return found;
}

const halfFormat = (f: string): boolean => f.length > 0 && formatIs(f, 'e');

export const KNOWN: KnownDifference[] = [
  {
    name: 'hash: FNV on wasm32',
    reason: "CPython for wasm32 hashes bytes with FNV (sys.hash_info.algorithm == 'fnv'); hash() here is SipHash-1-3 cut to 32 bits",
    diverges: false,
    matches: (c) => c.step.op === 'hash' && (c.py as { t: string }).t === 'num' && (c.js as { t: string }).t === 'num',
  },
  {
    name: "complex formats 'F' and 'D'",
    reason: "CPython 3.14 added the complex formats 'F' and 'D' to struct, memoryview and _testbuffer; the project refuses them",
    diverges: true,
    matches: (c) => c.scenario.steps.slice(0, c.stepIndex + 1).some(namesComplex),
  },
  {
    name: "format 'e': NaN sign and payload",
    reason: "CPython 3.14 keeps the sign and payload bits of a NaN through 'e' (PyFloat_Pack2/Unpack2); the project reads a negative NaN as positive and drops payloads",
    diverges: true,
    matches: (c) => {
      const involvesHalf = c.facts.operands.some((o) => halfFormat(o.format)) ||
        ((c.step.op === 'ndarray' || c.step.op === 'push') && halfFormat(c.step.format)) ||
        (c.step.op === 'cast' && c.step.format.k === 'str' && halfFormat(c.step.format.v));
      if (involvesHalf && canonical(c.py).replaceAll('"-nan"', '"nan"') === canonical(c.js).replaceAll('"-nan"', '"nan"')) return true;
      // a NaN written through 'e' earlier in the scenario: its bits differ from there on
      return c.scenario.steps.slice(0, c.stepIndex + 1).some((s, j) =>
        (s.op === 'set' && isNaNValue(s.value) && c.allFacts[j].operands.some((o) => halfFormat(o.format))) ||
        ((s.op === 'ndarray' || s.op === 'push') && halfFormat(s.format) && /"(nan|-nan)"/.test(JSON.stringify(s.items))));
    },
  },
  {
    name: 'Py_ssize_t is 32 bits',
    reason: 'CPython for wasm32 wraps stride and stride-product arithmetic at 32 bits (a huge slice step gives a wrapped stride, PyBuffer_FillContiguousStrides wraps); the project keeps exact products',
    diverges: true,
    matches: (c) => {
      if (c.facts.wide) return true;
      if (c.step.op === 'fillstrides') {
        return c.step.shape.reduce((a, b) => a * b, c.step.itemsize) > 0x7fffffff;
      }
      // a view made by a slice whose step PySlice_Unpack clamps to Py_ssize_t: its stride wraps
      return /"strides":\[[^\]]*\d{10,}/.test(canonical(c.js)) && hugeSliceStep(c.step);
    },
  },
  {
    name: "'?' items other than 0 and 1",
    reason: "CPython on wasm32 reads a _Bool item through its lowest bit (b'\\x02' is False); the project reads any non-zero byte as True",
    diverges: false,
    matches: (c) => c.facts.operands.some((o) => formatIs(o.format, '?') && o.bytes !== null && o.bytes.some((x) => x > 1)),
  },
  {
    name: 'PyObject_CopyData with overlapping operands',
    reason: 'on the item-by-item path CPython copies in its order and reads items it has already overwritten; the project snapshots the source first',
    diverges: true,
    matches: (c) => c.step.op === 'copydata' && c.facts.overlap === true,
  },
  {
    name: 'bytearray.resize()',
    reason: 'bytearray.resize() is new in CPython 3.14, with its own messages',
    diverges: false,
    matches: (c) => c.step.op === 'bytearrayop' && c.step.method === 'resize' && exc(c.py) !== null && exc(c.js) !== null,
  },
];

/** The known difference explaining a mismatch, or null. */
export function classify(c: MismatchContext): KnownDifference | null {
  return KNOWN.find((k) => k.matches(c)) ?? null;
}
