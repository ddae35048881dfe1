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

export const KNOWN: KnownDifference[] = [];

/** The known difference explaining a mismatch, or null. */
export function classify(c: MismatchContext): KnownDifference | null {
  return KNOWN.find((k) => k.matches(c)) ?? null;
}
