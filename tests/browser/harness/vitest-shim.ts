// A small stand-in for the parts of vitest's API that the unit tests use (describe, it/test
// with .each, hooks, expect), so that the same test files run in a browser page. expect is
// vitest's own (@vitest/expect on chai), so matchers and messages are the ones Node shows.
// Each page runs one test file, so its module state is as isolated as a vitest worker's.
// `any` below is vitest's own typing of these APIs: the test files compile against vitest's .d.ts.
/* eslint-disable @typescript-eslint/no-explicit-any */
import * as chai from 'chai';
import {
  ASYMMETRIC_MATCHERS_OBJECT,
  ChaiStyleAssertions,
  JestAsymmetricMatchers,
  JestChaiExpect,
  JestExtend,
  getState,
  setState,
} from '@vitest/expect';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(ChaiStyleAssertions);
chai.use(JestAsymmetricMatchers);

type Fn = () => unknown;
interface Suite {
  name: string;
  beforeAll: Fn[];
  afterAll: Fn[];
  beforeEach: Fn[];
  afterEach: Fn[];
  children: Array<Suite | TestCase>;
  parent: Suite | null;
}
interface TestCase {
  name: string;
  fn: Fn;
  skip: boolean;
}
/** One test's outcome, in the shape of vitest's JSON report's assertionResults. */
export interface AssertionResult {
  ancestorTitles: string[];
  title: string;
  fullName: string;
  status: 'passed' | 'failed' | 'skipped';
  duration: number;
  failureMessages: string[];
}

const root: Suite = {
  name: '',
  beforeAll: [],
  afterAll: [],
  beforeEach: [],
  afterEach: [],
  children: [],
  parent: null,
};
let current = root;

function newSuite(name: string): Suite {
  return { name, beforeAll: [], afterAll: [], beforeEach: [], afterEach: [], children: [], parent: current };
}

export function describe(name: string, fn: () => void): void {
  const suite = newSuite(name);
  current.children.push(suite);
  const saved = current;
  current = suite;
  try {
    fn();
  } finally {
    current = saved;
  }
}

/** vitest's name templates: %s %i %d %j %o %f %%, and $name / $0 for object rows. */
function formatName(template: string, row: unknown, index: number): string {
  const args = Array.isArray(row) ? [...row] : [row];
  let name = template.replace(/%[sidjfo%#]/g, (spec) => {
    if (spec === '%%') return '%';
    if (spec === '%#') return String(index);
    const value = args.shift();
    if (spec === '%i' || spec === '%d') return String(Math.trunc(Number(value)));
    if (spec === '%f') return String(Number(value));
    if (spec === '%j' || spec === '%o')
      return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    return typeof value === 'object' && value !== null
      ? JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))
      : String(value);
  });
  if (row !== null && typeof row === 'object' && !Array.isArray(row)) {
    name = name.replace(/\$([A-Za-z_][\w.]*)/g, (_m, key: string) => {
      let v: unknown = row;
      for (const part of key.split('.')) v = (v as Record<string, unknown> | undefined)?.[part];
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    });
  }
  return name;
}

type TestFn = ((name: string, fn: Fn, timeout?: number) => void) & {
  each: <T>(table: readonly T[]) => (name: string, fn: (...args: any[]) => unknown) => void;
  skip: (name: string, fn: Fn) => void;
  skipIf: (cond: boolean) => (name: string, fn: Fn) => void;
  runIf: (cond: boolean) => (name: string, fn: Fn) => void;
  concurrent: (name: string, fn: Fn) => void;
};

function makeTest(): TestFn {
  const test = ((name: string, fn: Fn) => {
    current.children.push({ name, fn, skip: false });
  }) as TestFn;
  test.each =
    <T>(table: readonly T[]) =>
    (name: string, fn: (...args: any[]) => unknown) => {
      table.forEach((row, i) => {
        const args = Array.isArray(row) ? row : [row];
        current.children.push({ name: formatName(name, row, i), fn: () => fn(...args), skip: false });
      });
    };
  test.skip = (name: string, fn: Fn) => {
    current.children.push({ name, fn, skip: true });
  };
  test.skipIf = (cond: boolean) => (name: string, fn: Fn) => {
    current.children.push({ name, fn, skip: cond });
  };
  test.runIf = (cond: boolean) => (name: string, fn: Fn) => {
    current.children.push({ name, fn, skip: !cond });
  };
  test.concurrent = test;
  return test;
}
export const it = makeTest();
/** @alias vitest exports the same function under both names */
export const test = it;

export function beforeAll(fn: Fn): void {
  current.beforeAll.push(fn);
}
export function afterAll(fn: Fn): void {
  current.afterAll.push(fn);
}
export function beforeEach(fn: Fn): void {
  current.beforeEach.push(fn);
}
export function afterEach(fn: Fn): void {
  current.afterEach.push(fn);
}

function createExpect() {
  const expect = ((value: unknown, message?: string) => {
    const { assertionCalls } = getState(expect);
    setState({ assertionCalls: assertionCalls + 1 }, expect);
    return chai.expect(value, message);
  }) as any;
  Object.assign(expect, chai.expect);
  Object.assign(expect, (globalThis as any)[ASYMMETRIC_MATCHERS_OBJECT]);
  expect.getState = () => getState(expect);
  expect.setState = (state: object) => setState(state, expect);
  setState(
    {
      assertionCalls: 0,
      isExpectingAssertions: false,
      isExpectingAssertionsError: null,
      expectedAssertionsNumber: null,
      expectedAssertionsNumberErrorGen: null,
      currentTestName: '',
    },
    expect,
  );
  expect.extend = (matchers: object) => (chai.expect as any).extend(expect, matchers);
  // soft assertions fail the test at the first failure here (vitest collects them): same verdict
  expect.soft = (value: unknown, message?: string) => expect(value, message);
  expect.unreachable = (message?: string) =>
    chai.assert.fail(`expected${message ? ` "${message}" ` : ' '}not to be reached`);
  expect.assert = chai.assert;
  return expect;
}
export const expect = createExpect();

/** vi: only what the browser can honour; module resets need vitest's module runner. */
export const vi = {
  resetModules(): never {
    throw new Error('vi.resetModules() is not available in the browser harness');
  },
};

function errorText(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}\n${err.stack ?? ''}`;
  return String(err);
}

async function runSuite(
  suite: Suite,
  titles: string[],
  inherited: { before: Fn[]; after: Fn[] },
  out: AssertionResult[],
  failedAbove: string | null,
): Promise<void> {
  let setupError = failedAbove;
  if (setupError === null) {
    try {
      for (const hook of suite.beforeAll) await hook();
    } catch (err) {
      setupError = `beforeAll failed: ${errorText(err)}`;
    }
  }
  const before = [...inherited.before, ...suite.beforeEach];
  const after = [...suite.afterEach, ...inherited.after];
  const path = suite.name === '' ? titles : [...titles, suite.name];
  for (const child of suite.children) {
    if ('children' in child) {
      await runSuite(child, path, { before, after }, out, setupError);
      continue;
    }
    const result: AssertionResult = {
      ancestorTitles: path,
      title: child.name,
      fullName: [...path, child.name].join(' '),
      status: 'passed',
      duration: 0,
      failureMessages: [],
    };
    if (child.skip) {
      result.status = 'skipped';
    } else if (setupError !== null) {
      result.status = 'failed';
      result.failureMessages.push(setupError);
    } else {
      const start = performance.now();
      try {
        for (const hook of before) await hook();
        await child.fn();
      } catch (err) {
        result.status = 'failed';
        result.failureMessages.push(errorText(err));
      }
      try {
        for (const hook of after) await hook();
      } catch (err) {
        result.status = 'failed';
        result.failureMessages.push(`afterEach failed: ${errorText(err)}`);
      }
      result.duration = performance.now() - start;
    }
    out.push(result);
  }
  if (failedAbove === null) {
    try {
      for (const hook of suite.afterAll) await hook();
    } catch (err) {
      out.push({
        ancestorTitles: path,
        title: '(afterAll)',
        fullName: `${path.join(' ')} (afterAll)`,
        status: 'failed',
        duration: 0,
        failureMessages: [errorText(err)],
      });
    }
  }
}

/** Runs every registered test, in order; the page's runner collects the results. */
export async function runAll(): Promise<AssertionResult[]> {
  const out: AssertionResult[] = [];
  await runSuite(root, [], { before: [], after: [] }, out, null);
  return out;
}
