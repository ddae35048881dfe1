// One step's answer, encoded the same way on both sides (python.ts enc(), js-runner.ts
// encode()), and how two answers are compared.
//
// Normalization: Python's ints and floats and JavaScript's numbers and bigints all become one
// canonical number string (decimal for integral values, the shortest round-trip spelling
// otherwise, '-0' for negative zero), because JavaScript has one number type: an int answer
// and an integral float answer cannot be told apart there. Every NaN is 'nan': engines may
// canonicalize a NaN's bits when they store it (V8 does in some array paths), so a NaN's sign
// and payload are compared through bytes (tobytes, hex, summaries), never through values.
// Bytes are hex; lists and tuples are lists; views, ndarrays and Py_buffers are summaries of
// their attributes and bytes; exceptions are their class (struct.error qualified) and message.

export type Result =
  | { t: 'num'; v: string }
  | { t: 'float'; v: string }
  | { t: 'complex'; re: Result; im: Result }
  | { t: 'bool'; v: boolean }
  | { t: 'bytes'; v: string }
  | { t: 'str'; v: string }
  | { t: 'none' }
  | { t: 'list'; v: Result[] }
  | { t: 'exc'; cls: string; msg: string }
  | { t: 'missing' }
  | { t: 'skipped' }
  | { t: 'other'; v: string }
  | {
      t: 'mv';
      released?: Result;
      format?: string;
      itemsize?: number;
      ndim?: number;
      shape?: number[];
      strides?: number[];
      suboffsets?: number[];
      readonly?: boolean;
      nbytes?: number;
      c?: boolean;
      f?: boolean;
      a?: boolean;
      obj?: string;
      bytes?: string | Result;
    }
  | {
      t: 'nd';
      format: string;
      itemsize: number;
      ndim: number;
      shape: number[];
      strides: number[];
      suboffsets: number[];
      readonly: boolean;
      nbytes: number;
      flags: number;
      offset: number;
      c: boolean;
      f: boolean;
      a: boolean;
      bytes: string | Result;
      list: Result;
    }
  | {
      t: 'buf';
      len: number;
      itemsize: number;
      readonly: boolean;
      ndim: number;
      format: string | null;
      shape: number[] | null;
      strides: number[] | null;
      suboffsets: number[] | null;
      obj: string;
    };

/** One spelling per number, shared with the Python side's floats and ints (results.ts). */
export function canonicalNumber(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0';
  if (Number.isInteger(x)) return BigInt(x).toString();
  return String(x);
}

function pyFloat(v: string): number {
  switch (v) {
    case 'nan':
      return NaN;
    case '-nan':
      return NaN;
    case 'inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    default:
      return Number(v);
  }
}

/** Python's answers as JavaScript's: floats become canonical numbers (see the file comment). */
export function normalize(r: unknown): unknown {
  if (Array.isArray(r)) return r.map(normalize);
  if (typeof r !== 'object' || r === null) return r;
  const o = r as Record<string, unknown>;
  if (o.t === 'float' && typeof o.v === 'string') {
    return { t: 'num', v: canonicalNumber(pyFloat(o.v)) };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) out[k] = normalize(v);
  return out;
}

/** Canonical JSON: keys sorted, so that equal answers are equal strings. */
export function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (typeof x === 'object' && x !== null) {
    const keys = Object.keys(x)
      .filter((k) => (x as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((x as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(x);
}

export function sameResult(py: unknown, js: unknown): boolean {
  return canonical(py) === canonical(js);
}
