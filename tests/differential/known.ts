// TEMPORARY: the known differences between this project and CPython 3.14 for wasm32, each a
// classifier with its reason. They are being fixed in src/ on their own; once a kind is fixed,
// its entry goes and the suite checks that behaviour like any other. Nothing else may be
// listed here: any other difference is a bug to fix in src/.
import type { StepFacts } from './js-runner.js';
import type { Scenario, Step } from './scenario.js';

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

/** Steps that name a complex format: ndarray/push formats, cast targets, SizeFromFormat. */
function namesComplex(s: Step): boolean {
  if ((s.op === 'ndarray' || s.op === 'push' || s.op === 'sizefromformat') && formatIs(s.format, 'FD')) return true;
  return s.op === 'cast' && s.format.k === 'str' && /^@?[FD]$/.test(s.format.v);
}

/** The strides of a view, ndarray or Py_buffer summary (results.ts), or []. */
function stridesOf(r: unknown): number[] {
  const strides = (r as { strides?: unknown }).strides;
  return Array.isArray(strides) ? strides as number[] : [];
}

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
    name: 'Py_ssize_t is 32 bits',
    reason: 'CPython for wasm32 wraps Py_ssize_t and pointer arithmetic at 32 bits (a huge slice step gives a wrapped stride or moves buf past 0, PyBuffer_FillContiguousStrides and PySlice_AdjustIndices wrap); the project keeps exact values and then refuses its own view',
    diverges: true,
    matches: (c) => {
      if (c.facts.wide) return true;
      if (c.step.op === 'fillstrides') {
        return c.step.shape.reduce((a, b) => a * b, c.step.itemsize) > 0x7fffffff;
      }
      // slice_indices(key, length) with a length near Py_ssize_t's bounds: PySlice_AdjustIndices wraps
      if (c.step.op === 'slice_indices' && c.step.length.k === 'int') {
        const n = BigInt(c.step.length.v);
        if (n >= 2n ** 30n || n <= -(2n ** 30n)) return true;
      }
      // a view whose stride, as the project computes it, lies outside Py_ssize_t: CPython's wraps
      return stridesOf(c.js).some((x) => x > 0x7fffffff || x < -0x80000000);
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
