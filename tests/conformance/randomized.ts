// The random generators and list helpers of CPython's Lib/test/test_buffer.py (3.13), ported
// one to one under their Python names, so that the ported tests read like the originals.
//
// Randomness: one module-level seeded PRNG stands for Python's `random` module. `withSeeds`
// runs a test body twice, first with the fixed seed FIXED_SEED, then with a fresh random seed
// (or CONFORMANCE_SEED from the environment); a failure names the seed so that
// `CONFORMANCE_SEED=<seed> npx vitest run tests/conformance` replays it exactly.
//
// Bounds: CPython's own module runs with SHORT_TEST = True (ITERATIONS 10, MAXDIM 3, MAXSHAPE 4,
// genslices = rslices, permutations = rpermutation); the port keeps exactly those settings.
import { ND, NDArray, PySlice, ValueError, slice, struct, testbuffer } from '../../src/index.js';

// ---------------------------------------------------------------------------------------------
// PRNG and Python's random module

/** The seed every randomized test runs with first. */
export const FIXED_SEED = 0x5eed_3118;

let state = 0;
/** Whether withSeeds is in its second (random-seed) pass. */
let randomPass = false;

/** sfc32-style 32-bit generator state, seeded by splitmix32. */
let s0 = 0;
let s1 = 0;
let s2 = 0;
let s3 = 0;

function splitmix32(): number {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Seeds the module's PRNG. */
export function seed(n: number): void {
  state = n | 0;
  s0 = splitmix32();
  s1 = splitmix32();
  s2 = splitmix32();
  s3 = splitmix32();
}

/** 32 random bits. */
function next32(): number {
  const t = (((s0 + s1) | 0) + s3) | 0;
  s3 = (s3 + 1) | 0;
  s0 = s1 ^ (s1 >>> 9);
  s1 = (s2 + (s2 << 3)) | 0;
  s2 = (s2 << 21) | (s2 >>> 11);
  s2 = (s2 + t) | 0;
  return t >>> 0;
}

/** A float in [0, 1). */
export function random(): number {
  return (next32() * 2 ** 21 + (next32() >>> 11)) / 2 ** 53;
}

/** A bigint uniformly in [0, n), n > 0. */
function randbelowBig(n: bigint): bigint {
  const bits = n.toString(2).length;
  for (;;) {
    let r = 0n;
    for (let b = 0; b < bits; b += 32) r = (r << 32n) | BigInt(next32());
    r &= (1n << BigInt(bits)) - 1n;
    if (r < n) return r;
  }
}

/**
 * random.randrange(start, stop) / randrange(stop): a number when the range is within the safe
 * integers, a bigint otherwise (the caller passes bigints for ranges beyond 2**53).
 */
export function randrange(a: number | bigint, b?: number | bigint): number | bigint {
  let lo: number | bigint = a;
  let hi: number | bigint;
  if (b === undefined) {
    lo = 0;
    hi = a;
  } else {
    hi = b;
  }
  if (typeof lo === 'number' && typeof hi === 'number' && Math.abs(lo) <= 2 ** 52 && Math.abs(hi) <= 2 ** 52) {
    if (hi <= lo) throw new ValueError(`empty range in randrange(${lo}, ${hi})`);
    return lo + Math.floor(random() * (hi - lo));
  }
  const L = BigInt(lo);
  const H = BigInt(hi);
  if (H <= L) throw new ValueError(`empty range in randrange(${L}, ${H})`);
  return L + randbelowBig(H - L);
}

/** randrange over small ranges, as a number. */
export function randint(a: number, b?: number): number {
  return Number(randrange(a, b));
}

/** random.choice. */
export function choice<T>(seq: readonly T[]): T {
  return seq[Math.floor(random() * seq.length)];
}

/** random.sample(pool, r). */
export function sample<T>(pool: readonly T[], r: number): T[] {
  const a = pool.slice();
  for (let i = 0; i < r; i++) {
    const j = i + Math.floor(random() * (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, r);
}

/**
 * Runs `body` with the fixed seed, then with a random one (CONFORMANCE_SEED if set); a failure
 * is rethrown with the seed that replays it.
 */
export function withSeeds(body: () => void): void {
  const env = typeof process !== 'undefined' ? process.env.CONFORMANCE_SEED : undefined;
  const second = env !== undefined && env !== '' ? Number(env) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
  for (const [i, s] of [FIXED_SEED, second].entries()) {
    seed(s);
    randomPass = i === 1;
    try {
      body();
    } catch (err) {
      if (err instanceof Error) {
        err.message = `[seed ${s}: replay with CONFORMANCE_SEED=${s}] ${err.message}`;
      }
      throw err;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Python values and their equality

/** A Python value as the library gives it to JS: items, bytes, and (nested) lists or tuples. */
export type PyValue = number | bigint | boolean | Uint8Array | string | null | PyValue[];

function asNumeric(v: unknown): number | bigint | null {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  return null;
}

/** Python's == between items, bytes and nested lists (1 == 1.0 == True; NaN != NaN). */
export function pyEq(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!pyEq(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  const x = asNumeric(a);
  const y = asNumeric(b);
  if (x !== null && y !== null) {
    if (typeof x === 'number' && typeof y === 'number') return x === y;
    const n = typeof x === 'number' ? x : (y as number);
    const big = typeof x === 'bigint' ? x : (y as bigint);
    if (typeof x === 'bigint' && typeof y === 'bigint') return x === y;
    return Number.isInteger(n) && BigInt(n) === big;
  }
  return a === b;
}

/** repr-ish text of a value for failure messages (bigint- and bytes-safe). */
export function show(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (v instanceof Uint8Array)
    return `b'${Array.from(v, (c) => (c >= 32 && c < 127 ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`)).join('')}'`;
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'object') return `<${v.constructor.name}>`;
  return String(v);
}

// ---------------------------------------------------------------------------------------------
// Python list slicing

/** lst[s] for a list and a slice. */
export function getSlice<T>(lst: readonly T[], s: PySlice): T[] {
  // a list's length keeps every index a safe integer, so a number
  const [start, stop, step] = s.indices(lst.length).map(Number) as [number, number, number];
  const out: T[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(lst[i]);
  else for (let i = start; i > stop; i += step) out.push(lst[i]);
  return out;
}

/** lst[s] = values for a list, with Python's rules (step 1 resizes; extended slices must match). */
export function setSlice<T>(lst: T[], s: PySlice, values: readonly T[]): void {
  // a list's length keeps every index a safe integer, so a number
  const [start, stop, step] = s.indices(lst.length).map(Number) as [number, number, number];
  if (step === 1) {
    const n = Math.max(stop - start, 0);
    lst.splice(start, n, ...values);
    return;
  }
  const idx: number[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) idx.push(i);
  else for (let i = start; i > stop; i += step) idx.push(i);
  if (idx.length !== values.length) {
    throw new ValueError(`attempt to assign sequence of size ${values.length} to extended slice of size ${idx.length}`);
  }
  const copy = values.slice();
  idx.forEach((i, k) => {
    lst[i] = copy[k];
  });
}

/** lst[i] with Python's negative indices and IndexError. */
export function pyIndex<T>(lst: readonly T[], i: number): T {
  const j = i < 0 ? i + lst.length : i;
  if (j < 0 || j >= lst.length) throw new RangeError('list index out of range');
  return lst[j];
}

// ---------------------------------------------------------------------------------------------
// Random lists by format specifier

type Range = [number | bigint, number | bigint];

/** Native format chars (wasm32 has 'q' and 'Q'). */
const NATIVE_CHARS = ['?', 'c', 'b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'n', 'N', 'e', 'f', 'd', 'P', 'q', 'Q'];

/** Standard format chars and their ranges. */
export const STANDARD: Record<string, Range> = {
  '?': [0, 2],
  c: [0, 1 << 8],
  b: [-(1 << 7), 1 << 7],
  B: [0, 1 << 8],
  h: [-(1 << 15), 1 << 15],
  H: [0, 1 << 16],
  i: [-(2 ** 31), 2 ** 31],
  I: [0, 2 ** 32],
  l: [-(2 ** 31), 2 ** 31],
  L: [0, 2 ** 32],
  q: [-(2n ** 63n), 2n ** 63n],
  Q: [0n, 2n ** 64n],
  e: [-65519, 65520],
  f: [-(2n ** 63n), 2n ** 63n],
  d: [-(2n ** 1023n), 2n ** 1023n],
};

/** native_type_range: the range of a native type, found by packing as CPython does. */
export function native_type_range(fmt: string): Range {
  if (fmt === 'c') return [0, 256];
  if (fmt === '?') return [0, 2];
  if (fmt === 'e') return [-65519, 65520];
  if (fmt === 'f') return [-(2n ** 63n), 2n ** 63n];
  if (fmt === 'd') return [-(2n ** 1023n), 2n ** 1023n];
  let exp = 7;
  for (const e of [128, 127, 64, 63, 32, 31, 16, 15, 8, 7]) {
    exp = e;
    try {
      struct.pack(fmt, (1n << BigInt(e)) - 1n);
      break;
    } catch {
      // struct.error: try a smaller width
    }
  }
  const big = 1n << BigInt(exp);
  const small = (v: bigint): number | bigint => (v >= -(2n ** 52n) && v <= 2n ** 52n ? Number(v) : v);
  return exp & 1 ? [small(-big), small(big)] : [0, small(big)];
}

export const NATIVE: Record<string, Range> = {};
for (const c of NATIVE_CHARS) NATIVE[c] = native_type_range(c);

/** Format codes supported by the memoryview object. */
export const MEMORYVIEW: Record<string, Range> = { ...NATIVE };
/** Format codes supported by array.array (the typed-array exporters cover bBhHiIfd of them). */
export const ARRAY: Record<string, Range> = {};
for (const k of Object.keys(NATIVE)) if ('bBhHiIlLefd'.includes(k)) ARRAY[k] = NATIVE[k];
export const BYTEFMT: Record<string, Range> = {};
for (const k of Object.keys(NATIVE)) if ('Bbc'.includes(k)) BYTEFMT[k] = NATIVE[k];

export const fmtdict: Record<string, Record<string, Range>> = {
  '': NATIVE,
  '@': NATIVE,
  '<': STANDARD,
  '>': STANDARD,
  '=': STANDARD,
  '!': STANDARD,
  m: MEMORYVIEW,
  '@m': MEMORYVIEW,
  a: ARRAY,
  b: BYTEFMT,
  '@b': BYTEFMT,
};

const MODE = 0;
const MULT = 1;
/** Capabilities of the test objects. */
export const cap: Record<string, [string[], string[]]> = {
  ndarray: [
    ['', '@', '<', '>', '=', '!'],
    ['', '1', '2', '3'],
  ],
  array: [['a'], ['']],
  memoryview: [['@m', 'm'], ['']],
  bytefmt: [['@b', 'b'], ['']],
};

/** randrange_fmt: a random item for a mode and a single format character. */
export function randrange_fmt(mode: string, char: string, _obj: string): PyValue {
  const [lo, hi] = fmtdict[mode][char];
  let x: PyValue = randrange(lo, hi);
  if (char === 'c') x = new Uint8Array([Number(x)]);
  if (char === '?') x = Number(x) !== 0;
  if ('efd'.includes(char)) x = struct.unpack(char, struct.pack(char, Number(x)))[0] as number;
  return x;
}

/** gen_item: a single random item (a tuple for several members). */
export function gen_item(fmt: string, obj: string): PyValue {
  const [mode, chars] = fmt.split('#');
  const x = Array.from(chars, (c) => randrange_fmt(mode, c, obj));
  return x.length === 1 ? x[0] : tuple(x);
}

/** gen_items: n random items (a scalar for n == 0). */
export function gen_items(n: number, fmt: string, obj: string): PyValue {
  if (n === 0) return gen_item(fmt, obj);
  const lst: PyValue[] = new Array(n);
  for (let i = 0; i < n; i++) lst[i] = gen_item(fmt, obj);
  return lst;
}

const strip = (mode: string): string => mode.replace(/^[amb]+|[amb]+$/g, '');

/** struct_items: a random compound format, items and one item. */
export function struct_items(n: number, obj: string): [string, PyValue, PyValue] {
  const mode = choice(cap[obj][MODE]);
  let xfmt = `${mode}#`;
  let fmt = strip(mode);
  const nmemb = randint(2, 10);
  for (let i = 0; i < nmemb; i++) {
    const char = choice(Object.keys(fmtdict[mode]));
    const multiplier = choice(cap[obj][MULT]);
    xfmt += char.repeat(multiplier ? Number(multiplier) : 1);
    fmt += multiplier + char;
  }
  return [fmt, gen_items(n, xfmt, obj), gen_item(xfmt, obj)];
}

/** randitems: a random format, items and one item. */
export function randitems(n: number, obj = 'ndarray', mode?: string, char?: string): [string, PyValue, PyValue] {
  const m = mode ?? choice(cap[obj][MODE]);
  const c = char ?? choice(Object.keys(fmtdict[m]));
  const multiplier = choice(cap[obj][MULT]);
  const xfmt = `${m}#${c.repeat(multiplier ? Number(multiplier) : 1)}`;
  const items = gen_items(n, xfmt, obj);
  const item = gen_item(xfmt, obj);
  return [strip(m) + multiplier + c, items, item];
}

/** iter_mode: every mode/char combination. */
export function* iter_mode(n: number, obj = 'ndarray'): Generator<[string, PyValue, PyValue]> {
  for (const mode of cap[obj][MODE]) {
    for (const char of Object.keys(fmtdict[mode])) yield randitems(n, obj, mode, char);
  }
}

/** iter_format: every mode/char combination plus one random compound format. */
export function* iter_format(nitems: number, testobj = 'ndarray'): Generator<[string, PyValue, PyValue]> {
  yield* iter_mode(nitems, testobj);
  if (testobj !== 'ndarray') return;
  yield struct_items(nitems, testobj);
}

export function is_byte_format(fmt: string): boolean {
  return fmt.includes('c') || fmt.includes('b') || fmt.includes('B');
}

/** format suitable for memoryview */
export function is_memoryview_format(fmt: string): boolean {
  const x = fmt.startsWith('@') ? fmt.slice(1) : fmt;
  return x.length === 1 && Object.hasOwn(MEMORYVIEW, x);
}

export const NON_BYTE_FORMAT = Object.keys(NATIVE).filter((c) => !is_byte_format(c));

// ---------------------------------------------------------------------------------------------
// Multi-dimensional tolist(), slicing and slice assignments

const TUPLE = Symbol('tuple');

/** Marks an array as a Python tuple (a struct item), which the list helpers treat as an atom. */
export function tuple<T extends PyValue>(xs: T[]): T[] {
  Object.defineProperty(xs, TUPLE, { value: true });
  return xs;
}

/** Tuple items (representing structs) are regarded as atoms. */
export function atomp(lst: unknown): boolean {
  return !Array.isArray(lst) || (lst as unknown as Record<symbol, boolean>)[TUPLE] === true;
}

/** Marks the arrays at depth `ndim` of a tolist() result as tuples (struct items). */
export function markTuples(lst: PyValue, ndim: number): PyValue {
  if (!Array.isArray(lst)) return lst;
  if (ndim === 0) return tuple(lst);
  for (const x of lst) markTuples(x, ndim - 1);
  return lst;
}

export function prod(lst: readonly number[]): number {
  if (lst.length === 0) return 0;
  return lst.reduce((x, v) => x * v, 1);
}

/** Strides of a contiguous array; layout 'C' or 'F'. */
export function strides_from_shape(ndim: number, shape: readonly number[], itemsize: number, layout: string): number[] {
  if (ndim === 0) return [];
  let strides: number[];
  if (layout === 'C') {
    strides = [...shape.slice(1), itemsize];
    for (let i = ndim - 2; i >= 0; i--) strides[i] *= strides[i + 1];
  } else {
    strides = [itemsize, ...shape.slice(0, -1)];
    for (let i = 1; i < ndim; i++) strides[i] *= strides[i - 1];
  }
  return strides;
}

function _ca(items: PyValue, s: readonly number[]): PyValue {
  if (atomp(items)) return items;
  const xs = items as PyValue[];
  if (s.length === 0) return xs[0];
  const lst: PyValue[] = new Array(s[0]);
  const stride = s[0] ? Math.floor(xs.length / s[0]) : 0;
  for (let i = 0; i < s[0]; i++) lst[i] = _ca(xs.slice(i * stride, i * stride + stride), s.slice(1));
  return lst;
}

function _fa(items: PyValue, s: readonly number[]): PyValue {
  if (atomp(items)) return items;
  const xs = items as PyValue[];
  if (s.length === 0) return xs[0];
  const lst: PyValue[] = new Array(s[0]);
  const stride = s[0];
  for (let i = 0; i < s[0]; i++)
    lst[i] = _fa(
      xs.filter((_, k) => k >= i && (k - i) % stride === 0),
      s.slice(1),
    );
  return lst;
}

/** The nested list of a C array of `shape` from its flat items. */
export function carray(items: PyValue, shape: readonly number[]): PyValue {
  if (!atomp(items) && !shape.includes(0) && prod(shape) !== (items as PyValue[]).length) {
    throw new ValueError('prod(shape) != len(items)');
  }
  return _ca(items, shape);
}

/** The nested list of a Fortran array of `shape` from its flat items. */
export function farray(items: PyValue, shape: readonly number[]): PyValue {
  if (!atomp(items) && !shape.includes(0) && prod(shape) !== (items as PyValue[]).length) {
    throw new ValueError('prod(shape) != len(items)');
  }
  return _fa(items, shape);
}

/** All tuples of indices of `shape` (itertools.product of ranges). */
export function* indices(shape: readonly number[]): Generator<number[]> {
  yield* product(shape.map((v) => Array.from({ length: v }, (_, i) => i)));
}

/** itertools.product. */
export function* product<T>(iterables: readonly (readonly T[])[]): Generator<T[]> {
  if (iterables.length === 0) {
    yield [];
    return;
  }
  if (iterables.some((it) => it.length === 0)) return;
  const idx = new Array<number>(iterables.length).fill(0);
  for (;;) {
    yield idx.map((k, d) => iterables[d][k]);
    let d = iterables.length - 1;
    while (d >= 0 && ++idx[d] === iterables[d].length) {
      idx[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}

export function getindex(ndim: number, ind: readonly number[], strides: readonly number[]): number {
  let ret = 0;
  for (let i = 0; i < ndim; i++) ret += strides[i] * ind[i];
  return ret;
}

/** Transposes a flat item list regarded as a matrix of `shape`. */
export function transpose<T>(src: readonly T[], shape: readonly number[]): T[] {
  if (shape.length === 0) return src.slice();
  const ndim = shape.length;
  const sstrides = strides_from_shape(ndim, shape, 1, 'C');
  const dstrides = strides_from_shape(ndim, shape.slice().reverse(), 1, 'C');
  const dest = new Array<T>(src.length);
  for (const ind of indices(shape)) {
    dest[getindex(ndim, ind.slice().reverse(), dstrides)] = src[getindex(ndim, ind, sstrides)];
  }
  return dest;
}

/** flatten list or return scalar */
export function flatten(lst: PyValue): PyValue {
  if (atomp(lst)) return lst;
  const out: PyValue[] = [];
  const rec = (x: PyValue): void => {
    if (atomp(x)) out.push(x);
    else for (const y of x as PyValue[]) rec(y);
  };
  rec(lst);
  return out;
}

export function get_item(lst: PyValue, ind: readonly number[]): PyValue {
  let x = lst;
  for (const i of ind) x = pyIndex(x as PyValue[], i);
  return x;
}

/** The shape of lst after slicing. */
export function slice_shape(lst: PyValue, slices: readonly PySlice[]): number[] {
  if (atomp(lst)) return [];
  const l = lst as PyValue[];
  return [getSlice(l, slices[0]).length, ...slice_shape(l[0], slices.slice(1))];
}

/** Multi-dimensional slicing. */
export function multislice(lst: PyValue, slices: readonly PySlice[]): PyValue {
  if (atomp(lst)) return lst;
  return getSlice(lst as PyValue[], slices[0]).map((sub) => multislice(sub, slices.slice(1)));
}

/** Multi-dimensional slice assignment llst[lslices] = rlst[rslices] (same structure). */
export function m_assign(
  llst: PyValue,
  rlst: PyValue,
  lslices: readonly PySlice[],
  rslices: readonly PySlice[],
): PyValue {
  if (atomp(rlst)) return rlst;
  const l = getSlice(llst as PyValue[], lslices[0]);
  const r = getSlice(rlst as PyValue[], rslices[0]);
  const n = Math.min(l.length, r.length);
  const res: PyValue[] = [];
  for (let i = 0; i < n; i++) res.push(m_assign(l[i], r[i], lslices.slice(1), rslices.slice(1)));
  setSlice(llst as PyValue[], lslices[0], res);
  return llst;
}

/** Compares the structure of llst[lslices] and rlst[rslices]. */
export function cmp_structure(
  llst: PyValue,
  rlst: PyValue,
  lslices: readonly PySlice[],
  rslices: readonly PySlice[],
): number {
  const lshape = slice_shape(llst, lslices);
  const rshape = slice_shape(rlst, rslices);
  if (lshape.length !== rshape.length) return -1;
  for (let i = 0; i < lshape.length; i++) {
    if (lshape[i] !== rshape[i]) return -1;
    if (lshape[i] === 0) return 0;
  }
  return 0;
}

/** Returns llst after llst[lslices] = rlst[rslices]. */
export function multislice_assign(
  llst: PyValue,
  rlst: PyValue,
  lslices: readonly PySlice[],
  rslices: readonly PySlice[],
): PyValue {
  if (cmp_structure(llst, rlst, lslices, rslices) < 0) {
    throw new ValueError('lvalue and rvalue have different structures');
  }
  return m_assign(llst, rlst, lslices, rslices);
}

// ---------------------------------------------------------------------------------------------
// Random structures: t = [memlen, itemsize, ndim, shape, strides, offset]

export type Structure = [number, number, number, number[], number[], number];

/** Whether the parameters describe a valid array inside memlen bytes. */
export function verify_structure(
  memlen: number,
  itemsize: number,
  ndim: number,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
): boolean {
  if (offset % itemsize) return false;
  if (offset < 0 || offset + itemsize > memlen) return false;
  if (strides.some((v) => v % itemsize)) return false;
  if (ndim <= 0) return ndim === 0 && shape.length === 0 && strides.length === 0;
  if (shape.includes(0)) return true;
  let imin = 0;
  let imax = 0;
  for (let j = 0; j < ndim; j++) {
    if (strides[j] <= 0) imin += strides[j] * (shape[j] - 1);
    else imax += strides[j] * (shape[j] - 1);
  }
  return offset + imin >= 0 && offset + imax + itemsize <= memlen;
}

/** A random (valid or invalid) structure; `shape` fixes the shape. */
export function rand_structure(
  itemsize: number,
  valid: boolean,
  maxdim = 5,
  maxshape = 16,
  shapeArg: readonly number[] = [],
): Structure {
  let ndim: number;
  let shape: number[];
  if (shapeArg.length === 0) {
    ndim = randint(maxdim + 1);
    if (ndim === 0) {
      if (valid) return [itemsize, itemsize, ndim, [], [], 0];
      const nitems = randint(1, 16 + 1);
      const memlen = nitems * itemsize;
      const offset = randint(2) === 0 ? -itemsize : memlen;
      return [memlen, itemsize, ndim, [], [], offset];
    }
    let minshape = 2;
    const n = randint(100);
    if (n >= 95 && valid) minshape = 0;
    else if (n >= 90) minshape = 1;
    shape = Array.from({ length: ndim }, () => randint(minshape, maxshape + 1));
  } else {
    shape = shapeArg.slice();
    ndim = shape.length;
  }
  let maxstride = 5;
  const n = randint(100);
  const zero_stride = n >= 95 && (n & 1) === 1;
  const strides = new Array<number>(ndim).fill(0);
  strides[ndim - 1] = itemsize * randint(-maxstride, maxstride + 1);
  if (!zero_stride && strides[ndim - 1] === 0) strides[ndim - 1] = itemsize;
  for (let i = ndim - 2; i >= 0; i--) {
    maxstride *= shape[i + 1] ? shape[i + 1] : 1;
    if (zero_stride) strides[i] = itemsize * randint(-maxstride, maxstride + 1);
    else strides[i] = (randint(2) ? -1 : 1) * itemsize * randint(1, maxstride + 1);
  }
  let imin = 0;
  let imax = 0;
  if (!shape.includes(0)) {
    for (let j = 0; j < ndim; j++) {
      if (strides[j] <= 0) imin += strides[j] * (shape[j] - 1);
      else imax += strides[j] * (shape[j] - 1);
    }
  }
  let offset: number;
  let memlen: number;
  if (valid) {
    offset = -imin * itemsize;
    memlen = offset + (imax + 1) * itemsize;
  } else {
    memlen = (-imin + imax) * itemsize;
    offset = randint(2) === 0 ? -imin - itemsize : memlen;
  }
  return [memlen, itemsize, ndim, shape, strides, offset];
}

/** A random slice of length slicelen that fits into listlen. */
export function randslice_from_slicelen(slicelen: number, listlen: number): PySlice {
  const maxstart = listlen - slicelen;
  const start = randint(maxstart + 1);
  const maxstep = slicelen ? Math.floor((listlen - start) / slicelen) : 1;
  const step = randint(1, maxstep + 1);
  const stop = start + slicelen * step;
  const s = slice(start, stop, step);
  const [, , , control] = testbuffer.slice_indices(s, listlen);
  if (control !== slicelen) throw new Error('RuntimeError: randslice_from_slicelen');
  return s;
}

/** Two slice tuples with equal resulting shapes for an array of `shape`. */
export function randslice_from_shape(ndim: number, shape: readonly number[]): [PySlice[], PySlice[]] {
  const lslices: PySlice[] = [];
  const rslices: PySlice[] = [];
  for (let n = 0; n < ndim; n++) {
    const l = shape[n];
    const slicelen = l > 0 ? randint(1, l + 1) : 0;
    lslices.push(randslice_from_slicelen(slicelen, l));
    rslices.push(randslice_from_slicelen(slicelen, l));
  }
  return [lslices, rslices];
}

/** (lshape, rshape, lslices, rslices) with shapeof(x[lslices]) == shapeof(y[rslices]). */
export function rand_aligned_slices(maxdim = 5, maxshape = 16): [number[], number[], PySlice[], PySlice[]] {
  const ndim = randint(1, maxdim + 1);
  let minshape = 2;
  const n = randint(100);
  if (n >= 95) minshape = 0;
  else if (n >= 90) minshape = 1;
  const all_random = randint(100) >= 80;
  const lshape: number[] = [];
  const rshape: number[] = [];
  const lslices: PySlice[] = [];
  const rslices: PySlice[] = [];
  for (let d = 0; d < ndim; d++) {
    let small = randint(minshape, maxshape + 1);
    let big = randint(minshape, maxshape + 1);
    if (big < small) [big, small] = [small, big];
    let s_small: PySlice;
    let slicelen: number;
    if (all_random) {
      const start = randint(-small, small + 1);
      const stop = randint(-small, small + 1);
      const step = (randint(2) ? -1 : 1) * randint(1, small + 2);
      s_small = slice(start, stop, step);
      slicelen = testbuffer.slice_indices(s_small, small)[3];
    } else {
      slicelen = small > 0 ? randint(1, small + 1) : 0;
      s_small = randslice_from_slicelen(slicelen, small);
    }
    const s_big = randslice_from_slicelen(slicelen, big);
    if (randint(2) === 0) {
      rshape.push(big);
      lshape.push(small);
      rslices.push(s_big);
      lslices.push(s_small);
    } else {
      rshape.push(small);
      lshape.push(big);
      rslices.push(s_small);
      lslices.push(s_big);
    }
  }
  return [lshape, rshape, lslices, rslices];
}

/** Random items for structure t with format fmt. */
export function randitems_from_structure(fmt: string, t: Structure): PyValue[] {
  const [memlen, itemsize] = t;
  return gen_items(Math.floor(memlen / itemsize), `#${fmt}`, 'numpy') as PyValue[];
}

/** An NDArray from the tuple rand_structure() returns. */
export function ndarray_from_structure(items: PyValue, fmt: string, t: Structure, flags = 0): NDArray {
  const [, , , shape, strides, offset] = t;
  return new NDArray(items, { shape, strides, format: fmt, offset, flags: ND.WRITABLE | flags });
}

// ---------------------------------------------------------------------------------------------
// memoryview casts

interface Sized {
  nbytes: number;
  ndim: number;
  tobytes(): Uint8Array;
}

/**
 * cast_items: the raw memory of `exporter` as items of `itemsize`; [null, shape] when the
 * constraints cannot be met, ['nan', shape] when a chunk is a NaN.
 */
export function cast_items(
  exporter: Sized,
  fmt: string,
  itemsize: number,
  shapeArg?: number[] | null,
): [PyValue | 'nan', number[] | null] {
  const bytelen = exporter.nbytes;
  let shape: number[];
  if (shapeArg && shapeArg.length > 0) {
    shape = shapeArg;
    if (prod(shape) * itemsize !== bytelen) return [null, shape];
  } else if (shapeArg && shapeArg.length === 0) {
    shape = shapeArg;
    if (exporter.ndim === 0 || itemsize !== bytelen) return [null, shape];
  } else {
    shape = [Math.floor(bytelen / itemsize)];
    if (bytelen % itemsize !== 0) return [null, shape];
  }
  const mem = exporter.tobytes();
  const items: PyValue[] = [];
  for (let i = 0; i < mem.length; i += itemsize) {
    const item = struct.unpack(fmt, mem.slice(i, i + itemsize))[0] as PyValue;
    if (typeof item === 'number' && Number.isNaN(item)) return ['nan', shape];
    items.push(item);
  }
  return shape.length !== 0 ? [items, shape] : [items[0], shape];
}

/**
 * Shapes to test casting. The 32 one-dimensional shapes do not depend on the seed: the fixed-seed
 * pass runs them all, the random-seed pass a random 8 of them (a bound on the suite's run time).
 */
export function* gencastshapes(): Generator<number[]> {
  const ns = Array.from({ length: 32 }, (_, n) => n);
  for (const n of randomPass ? sample(ns, 8) : ns) yield [n];
  let ndim = randint(4, 6);
  let minshape = randint(100) > 80 ? 1 : 2;
  yield Array.from({ length: ndim }, () => randint(minshape, 5));
  ndim = randint(2, 4);
  minshape = randint(100) > 80 ? 1 : 2;
  yield Array.from({ length: ndim }, () => randint(minshape, 5));
}

// ---------------------------------------------------------------------------------------------
// Slices for the tests (SHORT_TEST versions, as CPython runs them)

export const ITERATIONS = 10;
export const MAXDIM = 3;
export const MAXSHAPE = 4;

/** A random slice of a dimension of length n (non-empty unless allow_empty). */
export function rslice(n: number, allow_empty = false): PySlice {
  const minlen = allow_empty || n === 0 ? 0 : 1;
  const slicelen = randint(minlen, n + 1);
  return randslice_from_slicelen(slicelen, n);
}

/** genslices in SHORT_TEST mode (= rslices): five random slices of one dimension. */
export function* genslices(n: number, allow_empty = false): Generator<PySlice> {
  for (let i = 0; i < 5; i++) yield rslice(n, allow_empty);
}

/** genslices_ndim in SHORT_TEST mode (= rslices_ndim). */
export function* rslices_ndim(ndim: number, shape: readonly number[], iterations = 5): Generator<PySlice[]> {
  for (let i = 0; i < iterations; i++) yield Array.from({ length: ndim }, (_, n) => rslice(shape[n]));
  for (let i = 0; i < iterations; i++) yield Array.from({ length: ndim }, (_, n) => rslice(shape[n], true));
  yield Array.from({ length: ndim }, () => slice(0, 1, 0));
}

/** permutations in SHORT_TEST mode (= rpermutation): one random permutation. */
export function* permutations<T>(iterable: readonly T[], r?: number): Generator<T[]> {
  yield sample(iterable, r ?? iterable.length);
}
