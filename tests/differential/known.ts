// Accepted differences between this project and CPython 3.14 for wasm32, each a classifier with
// its reason, listed only together with a row in docs/conformance.md. There are none: any
// difference the suite finds is a bug to fix in src/. The mechanism stays so that a difference
// JavaScript forces on us can be documented and classified rather than hidden in the generator.
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

export const KNOWN: KnownDifference[] = [];

/** The known difference explaining a mismatch, or null. */
export function classify(c: MismatchContext): KnownDifference | null {
  return KNOWN.find((k) => k.matches(c)) ?? null;
}
