// The seeded generator of memoryview scenarios. Scenario `index` of run `seed` depends on
// those two numbers alone (its own PRNG is seeded from both), so any one scenario replays by
// itself: DIFF_SEED=<seed> DIFF_INDEX=<index>.
//
// Each scenario builds one exporter of a random layout (bytes, bytearray, staticarray, or an
// ndarray of 0-4 dimensions with zero extents, negative strides, offsets, Fortran order,
// suboffsets, any format), takes a memoryview of it in one of several ways, then runs a chain
// of steps over the views it makes. The generator keeps a rough model of every variable (format, shape,
// read-only, released) so that most steps are valid and the rest are the edge of validity;
// the model is only a guide, never an expected answer: CPython gives the answers.
import {
  NDF,
  pv,
  toHex,
  type ExporterMode,
  type PackTarget,
  type PV,
  type Scenario,
  type Step,
  type StructFn,
} from './scenario.js';

// ------------------------------------------------------------------------------------------
// PRNG (sfc32 seeded by splitmix32)

export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  private s: number;

  constructor(seed: number, index = 0) {
    this.s = (seed ^ Math.imul(index + 1, 0x9e3779b1)) | 0;
    this.a = this.mix();
    this.b = this.mix();
    this.c = this.mix();
    this.d = this.mix();
    for (let i = 0; i < 12; i++) this.u32();
  }

  private mix(): number {
    this.s = (this.s + 0x9e3779b9) | 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor((this.u32() / 2 ** 32) * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)];
  }

  /** A key of `weights` drawn in proportion to its weight. */
  weighted<K extends string>(weights: Partial<Record<K, number>>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    let total = 0;
    for (const [, w] of entries) total += w;
    let x = (this.u32() / 2 ** 32) * total;
    for (const [k, w] of entries) {
      x -= w;
      if (x < 0) return k;
    }
    return entries[entries.length - 1][0];
  }
}

// ------------------------------------------------------------------------------------------
// formats and items (wasm32 sizes: 'l', 'L', 'n', 'N', 'P' are 4 bytes)

const NATIVE_SIZE: Readonly<Record<string, number>> = {
  c: 1,
  b: 1,
  B: 1,
  '?': 1,
  h: 2,
  H: 2,
  e: 2,
  i: 4,
  I: 4,
  l: 4,
  L: 4,
  n: 4,
  N: 4,
  P: 4,
  f: 4,
  q: 8,
  Q: 8,
  d: 8,
  F: 8,
  D: 16,
};
/** The native single-character formats memoryview knows (3.14 added 'F' and 'D'). */
const NATIVE_CHARS = ['b', 'B', 'c', '?', 'h', 'H', 'i', 'I', 'l', 'L', 'q', 'Q', 'n', 'N', 'P', 'e', 'f', 'd'];
const COMPLEX_CHARS = ['F', 'D'];

const INT_RANGE: Readonly<Record<string, readonly [bigint, bigint]>> = {
  b: [-128n, 127n],
  B: [0n, 255n],
  h: [-32768n, 32767n],
  H: [0n, 65535n],
  i: [-(2n ** 31n), 2n ** 31n - 1n],
  I: [0n, 2n ** 32n - 1n],
  l: [-(2n ** 31n), 2n ** 31n - 1n],
  L: [0n, 2n ** 32n - 1n],
  n: [-(2n ** 31n), 2n ** 31n - 1n],
  N: [0n, 2n ** 32n - 1n],
  q: [-(2n ** 63n), 2n ** 63n - 1n],
  Q: [0n, 2n ** 64n - 1n],
  P: [0n, 2n ** 32n - 1n],
};

/** An ndarray format: its struct string, its members' codes ('s3' for '3s'), its itemsize. */
interface Fmt {
  fmt: string;
  members: string[];
  itemsize: number;
}

const single = (c: string, prefix = ''): Fmt => ({ fmt: prefix + c, members: [c], itemsize: NATIVE_SIZE[c] });

/** Formats ndarray accepts: native, '@'-prefixed, standard-size ('<>=!'), multi-member, complex. */
const ND_FORMATS: readonly Fmt[] = [
  ...NATIVE_CHARS.map((c) => single(c)),
  ...['B', 'i', 'd', 'q', 'e', '?', 'c', 'P'].map((c) => single(c, '@')),
  ...['b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'q', 'Q', 'e', 'f', 'd', '?', 'c'].map((c) => single(c, '<')),
  single('h', '>'),
  single('i', '>'),
  single('d', '>'),
  single('e', '>'),
  single('Q', '>'),
  single('i', '='),
  single('q', '='),
  single('B', '='),
  single('f', '!'),
  single('H', '!'),
  { fmt: 'ii', members: ['i', 'i'], itemsize: 8 },
  { fmt: '2h', members: ['h', 'h'], itemsize: 4 },
  { fmt: 'hb', members: ['h', 'b'], itemsize: 3 },
  { fmt: 'bh', members: ['b', 'h'], itemsize: 4 },
  { fmt: '<hq', members: ['h', 'q'], itemsize: 10 },
  { fmt: '3s', members: ['s3'], itemsize: 3 },
  { fmt: 'xB', members: ['B'], itemsize: 2 },
  { fmt: '?c', members: ['?', 'c'], itemsize: 2 },
  { fmt: 'dB', members: ['d', 'B'], itemsize: 9 },
  ...COMPLEX_CHARS.map((c) => single(c)),
];

/** Bytes that make interesting items: NaNs of both signs with payloads, infinities, -0, 2 for '?'. */
const SPECIAL_BYTES = [0x00, 0x01, 0x02, 0x7f, 0x80, 0xff, 0xfe, 0x7c, 0x7e, 0xfc, 0x7d, 0xf8, 0xc0, 0x41];

// Float values; NaN only as float('nan'): ECMAScript lets an engine write any NaN encoding when
// a Number is stored in a buffer (NumericToRawBytes), so a NaN's sign and payload cannot travel
// through a JavaScript value. NaNs of every sign and payload come in through bytes instead.
const FLOATS = [
  '0.0',
  '-0.0',
  '1.5',
  '-2.25',
  '3.0',
  '0.1',
  '65504.0',
  '6.1e-05',
  '1e-07',
  '1e+16',
  '-1e+300',
  'nan',
  'inf',
  '-inf',
];
const HALF_SAFE = ['0.0', '-0.0', '1.5', '-2.25', '3.0', '0.1', '65504.0', '6.1e-05', '1e-07', 'nan', 'inf', '-inf'];
/** Rounding and overflow edges of PyFloat_Pack2 ('e'): the largest half, ties, subnormals. */
const HALF_EDGES = [
  '65519.0',
  '65520.0',
  '65504.0',
  '-65519.99',
  '6.103515625e-05',
  '5.960464477539063e-08',
  '2.9802322387695312e-08',
  '2.980232238769532e-08',
  '1.0009765625',
  '1.00048828125',
  '1.00146484375',
  '-1e-10',
  '3.0517578125e-05',
];
/** Rounding and overflow edges of float32 ('f'; PyFloat_Pack4 for the standard sizes, a C cast natively). */
const FLOAT32_EDGES = [
  '3.4028234663852886e+38',
  '3.4028235677973366e+38',
  '3.402823669209385e+38',
  '-3.4028235677973362e+38',
  '1.401298464324817e-45',
  '7.006492321624085e-46',
  '7.006492321624087e-46',
  '1e-46',
  '1.0000000596046448',
  '16777217.0',
];

function randInt(r: Rng, c: string): bigint {
  const [lo, hi] = INT_RANGE[c];
  switch (r.int(0, 5)) {
    case 0:
      return lo;
    case 1:
      return hi;
    case 2:
      return lo < 0n ? -1n : 1n;
    case 3:
      return 0n;
    default: {
      const span = hi - lo + 1n;
      const x = BigInt(r.u32()) * 2n ** 32n + BigInt(r.u32());
      return lo + (x % span);
    }
  }
}

/** A valid member value (what struct.pack accepts for `code`). */
function memberValue(r: Rng, code: string): PV {
  if (code in INT_RANGE) return pv.int(randInt(r, code));
  switch (code) {
    case '?':
      return r.chance(0.8) ? pv.bool(r.chance(0.5)) : pv.int(r.int(0, 3));
    case 'c':
      return pv.bytes([r.chance(0.5) ? r.pick(SPECIAL_BYTES) : r.int(0, 255)]);
    case 'e':
      return pv.float(r.chance(0.95) ? r.pick(HALF_SAFE) : r.pick(HALF_EDGES));
    case 'f':
      return pv.float(r.chance(0.95) ? r.pick(FLOATS) : r.pick(FLOAT32_EDGES));
    case 'd':
    case 'F':
    case 'D':
      return pv.float(r.pick(FLOATS));
    default: {
      // 's3': bytes of any length (struct pads or truncates)
      const n = r.int(0, 4);
      return pv.bytes(Array.from({ length: n }, () => r.int(0, 255)));
    }
  }
}

function itemValue(r: Rng, f: Fmt): PV {
  if (f.members.length === 1) return memberValue(r, f.members[0]);
  return pv.tuple(f.members.map((m) => memberValue(r, m)));
}

/**
 * A value for `m[i] = value` on a view of native char `c`: valid, or of the wrong type or range.
 * JavaScript has no float distinct from an integral int (2.0, 1e300): those are offered for
 * float formats only, and the harnesses skip them when a view's format turns out otherwise.
 */
function setValue(r: Rng, c: string, itemKey = true): PV {
  const valid = r.chance(0.65);
  if (valid) {
    return memberValue(r, c === 'F' || c === 'D' ? 'd' : c);
  }
  const pool: PV[] = [
    pv.float('1.5'),
    pv.float('nan'),
    pv.str('a'),
    pv.none(),
    pv.bytes([1, 2]),
    pv.bytes([]),
    pv.list([pv.int(1)]),
    pv.bool(true),
    pv.int(2n ** 64n),
    pv.int(-(2n ** 63n) - 1n),
  ];
  const float = c === 'e' || c === 'f' || c === 'd';
  if (float && itemKey) pool.push(pv.float('1e+300'));
  if (c in INT_RANGE) {
    const [lo, hi] = INT_RANGE[c];
    pool.push(pv.int(lo - 1n), pv.int(hi + 1n), pv.int(hi + 1n), pv.int(lo - 1n));
  }
  if (c === 'e' && itemKey) pool.push(pv.float('65520.0'), pv.float('1e+10'), pv.float('-70000.0'));
  if (c === 'f' && itemKey) pool.push(pv.float('3.5e+38'), pv.float('-1e+39'));
  return r.pick(pool);
}

// ------------------------------------------------------------------------------------------
// the model of a scenario's variables

type Kind = 'bytes' | 'bytearray' | 'nd' | 'mv' | 'buf' | 'pyexp' | 'static' | 'typed';

interface Var {
  name: string;
  kind: Kind;
  /** The struct format of the items (views, ndarrays, buffers). */
  format: string;
  itemsize: number;
  shape: number[];
  readonly: boolean;
  released: boolean;
  /** Something holds a reference to it (a view's obj, a consumer, a Py_buffer): never deleted. */
  pinned: boolean;
  /** A Py_buffer that a PyMemoryView_FromBuffer view reads: never released (C would dangle). */
  lent: boolean;
  /** An ndarray re-exporting another exporter's buffer (ndarray(obj), a slice): never pushed or popped. */
  consumer: boolean;
  /** A bytearray whose memory a PyMemoryView_FromMemory view reads unexported: never resized. */
  aliased: boolean;
}

const PYBUF = {
  SIMPLE: 0,
  WRITABLE: 1,
  FORMAT: 4,
  ND: 8,
  STRIDES: 0x18,
  C_CONTIGUOUS: 0x38,
  F_CONTIGUOUS: 0x58,
  ANY_CONTIGUOUS: 0x98,
  INDIRECT: 0x118,
  FULL: 0x11d,
  FULL_RO: 0x11c,
  RECORDS: 0x1d,
  RECORDS_RO: 0x1c,
  STRIDED: 0x19,
  STRIDED_RO: 0x18,
  CONTIG: 0x9,
  CONTIG_RO: 0x8,
  READ: 0x100,
  WRITE: 0x200,
} as const;

/** Buffer requests, the common ones more often. */
const REQUESTS = [
  PYBUF.FULL_RO,
  PYBUF.FULL_RO,
  PYBUF.FULL,
  PYBUF.RECORDS_RO,
  PYBUF.RECORDS,
  PYBUF.STRIDED_RO,
  PYBUF.STRIDED,
  PYBUF.CONTIG_RO,
  PYBUF.CONTIG,
  PYBUF.SIMPLE,
  PYBUF.WRITABLE,
  PYBUF.FORMAT,
  PYBUF.ND,
  PYBUF.ND | PYBUF.FORMAT,
  PYBUF.STRIDES | PYBUF.FORMAT,
  PYBUF.C_CONTIGUOUS | PYBUF.FORMAT,
  PYBUF.F_CONTIGUOUS | PYBUF.FORMAT,
  PYBUF.ANY_CONTIGUOUS | PYBUF.FORMAT,
  PYBUF.INDIRECT,
  PYBUF.INDIRECT | PYBUF.FORMAT | PYBUF.WRITABLE,
  PYBUF.FORMAT | PYBUF.WRITABLE,
];

/** The request bits exporters test (Include/pybuffer.h), for requests of any combination. */
const REQUEST_BITS = [0x1, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100];

/** A buffer request: a common one, any combination of the request bits, or READ/WRITE. */
function randomRequest(r: Rng): number {
  const x = r.weighted({ common: 7, bits: 3, readwrite: 0.2 });
  if (x === 'common') return r.pick(REQUESTS);
  if (x === 'readwrite') return r.pick([PYBUF.READ, PYBUF.WRITE, PYBUF.READ | PYBUF.WRITE, PYBUF.WRITE | PYBUF.FORMAT]);
  let flags = 0;
  for (const bit of REQUEST_BITS) if (r.chance(0.4)) flags |= bit;
  return flags;
}

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/** PySlice_AdjustIndices' slice length (the model's guess at a slice's extent). */
function sliceLength(n: number, start: number | null, stop: number | null, step: number): number {
  const clamp = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    if (v < 0) {
      v += n;
      if (v < 0) v = step < 0 ? -1 : 0;
    } else if (v >= n) v = step < 0 ? n - 1 : n;
    return v;
  };
  const a = clamp(start, step < 0 ? n - 1 : 0);
  const b = clamp(stop, step < 0 ? -1 : n);
  if (step < 0) return b < a ? Math.floor((a - b - 1) / -step) + 1 : 0;
  return a < b ? Math.floor((b - a - 1) / step) + 1 : 0;
}

class Builder {
  readonly steps: Step[] = [];
  readonly vars: Var[] = [];
  private counter = 0;
  /** A memoryview_from_buffer view exists: _testbuffer reallocates its one static copy per call. */
  staticInfo = false;
  /**
   * An ndarray was pushed: memoryview_from_buffer of a consumer would copy the exporter's new
   * base and address it with the old view's offsets (outside the copy in C).
   */
  pushed = false;

  constructor(readonly r: Rng) {}

  fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  add(step: Step): void {
    this.steps.push(step);
  }

  define(v: Omit<Var, 'released' | 'pinned' | 'lent' | 'consumer' | 'aliased'> & Partial<Var>): Var {
    const full: Var = { released: false, pinned: false, lent: false, consumer: false, aliased: false, ...v };
    this.vars.push(full);
    return full;
  }

  get(name: string): Var | undefined {
    return this.vars.find((v) => v.name === name);
  }

  live(kind?: Kind): Var[] {
    return this.vars.filter((v) => !v.released && (kind === undefined || v.kind === kind));
  }

  any(kind?: Kind): Var | undefined {
    const xs = this.live(kind);
    return xs.length === 0 ? undefined : this.r.pick(xs);
  }
}

// ------------------------------------------------------------------------------------------
// exporters

function randomBytes(r: Rng, n: number): number[] {
  return Array.from({ length: n }, () => (r.chance(0.4) ? r.pick(SPECIAL_BYTES) : r.int(0, 255)));
}

/** A bytes or bytearray of 0-24 bytes (lengths that cast to many item sizes come often). */
function makeBytesLike(b: Builder, kind: 'bytes' | 'bytearray'): Var {
  const r = b.r;
  const n = r.chance(0.6) ? r.pick([0, 1, 2, 4, 6, 8, 12, 16, 24]) : r.int(0, 24);
  const name = b.fresh('e');
  b.add({ op: kind, out: name, hex: toHex(randomBytes(r, n)) });
  return b.define({ name, kind, format: 'B', itemsize: 1, shape: [n], readonly: kind === 'bytes' });
}

/** A random ndarray: 0-4 dims, zero extents, C/F/strided (negative, zero) layouts, offsets, PIL. */
function makeNDArray(b: Builder, fmtChoice?: Fmt, shapeChoice?: number[]): Var {
  const r = b.r;
  const f = fmtChoice ?? (r.chance(0.55) ? single(r.pick(NATIVE_CHARS)) : r.pick(ND_FORMATS));
  const ndim = shapeChoice?.length ?? r.pick([0, 1, 1, 1, 2, 2, 2, 3, 3, 4]);
  const shape =
    shapeChoice ?? Array.from({ length: ndim }, () => (r.chance(0.08) ? 0 : r.chance(0.1) ? r.int(5, 7) : r.int(1, 4)));
  let flags = r.chance(0.7) ? NDF.WRITABLE : 0;
  const layout = ndim === 0 ? 'C' : r.weighted({ C: 4, F: 2, strided: 4 });
  let strides: number[] | null = null;
  let offset = 0;
  let nitems = Math.max(1, prod(shape));
  if (layout === 'F') flags |= NDF.FORTRAN;
  if (layout === 'strided') {
    strides = shape.map(() => f.itemsize * (r.chance(0.05) ? 0 : r.pick([1, 1, 2, 3, -1, -1, -2, 4, 5, -3])));
    if (r.chance(0.3)) {
      // a C-ordered array with reversed or stepped dimensions
      let s = f.itemsize * r.pick([1, 1, 2]);
      for (let i = ndim - 1; i >= 0; i--) {
        strides[i] = r.chance(0.3) ? -s : s;
        s *= Math.max(1, shape[i]) * r.pick([1, 1, 2]);
      }
    }
    let imin = 0;
    let imax = 0;
    if (!shape.includes(0)) {
      shape.forEach((n, i) => {
        const x = (n - 1) * (strides as number[])[i];
        if (x < 0) imin += x;
        else imax += x;
      });
    }
    const before = r.int(0, 2);
    offset = -imin + before * f.itemsize;
    nitems = (imax - imin) / f.itemsize + 1 + before + r.int(0, 2);
  }
  if (ndim > 0 && r.chance(0.15)) flags |= NDF.PIL;
  if (r.chance(0.1)) flags |= NDF.VAREXPORT;
  if (r.chance(0.02)) flags |= NDF.GETBUF_FAIL;
  // any combination of the ND flags (ND_REDIRECT, ND_GETBUF_UNDEFINED without a base, ...), but
  // ND_SCALAR only where it is true: _testbuffer trusts it (ND_C_CONTIGUOUS), so getbuf and
  // tobytes take a strided array flagged scalar as C-contiguous and read past it
  if (r.chance(0.04)) flags = r.int(0, 0xff) & (ndim === 0 ? 0xff : ~NDF.SCALAR);
  if (r.chance(0.04)) {
    // just past validity: out-of-bounds offsets, misaligned strides, Fortran with strides
    const bad = r.int(0, 3);
    if (bad === 0) offset += f.itemsize * nitems;
    else if (bad === 1 && strides !== null && strides.length > 0) strides[0] += 1;
    else if (bad === 2) {
      strides = strides ?? shape.map(() => f.itemsize);
      flags |= NDF.FORTRAN;
    } else offset = -f.itemsize;
  }
  const items = ndim === 0 ? itemValue(r, f) : pv.list(Array.from({ length: nitems }, () => itemValue(r, f)));
  const name = b.fresh('e');
  b.add({ op: 'ndarray', out: name, items, shape, strides, offset, format: f.fmt, flags });
  return b.define({
    name,
    kind: 'nd',
    format: f.fmt,
    itemsize: f.itemsize,
    shape,
    readonly: (flags & NDF.WRITABLE) === 0,
  });
}

/** An exporter with the same items as `like` in another layout and a related format (equality). */
function makeTwin(b: Builder, like: Step & { op: 'ndarray' }, likeVar: Var): Var | undefined {
  const r = b.r;
  const f = ND_FORMATS.find((x) => x.fmt === like.format);
  if (f === undefined || f.members.length !== 1) return undefined;
  const c = f.members[0];
  const related: Record<string, string[]> = {
    b: ['h', 'i', 'q', '<b', 'B'],
    B: ['H', 'I', 'Q', '<B', 'b', 'c'],
    h: ['i', '<h', '>h', 'H'],
    H: ['I', '<H', 'h'],
    i: ['q', '<i', '>i', 'l', 'I'],
    I: ['Q', 'L', '<I'],
    q: ['<q', '=q', 'Q'],
    Q: ['<Q', 'q'],
    f: ['d', '<f', '!f', 'e'],
    d: ['f', '<d', '>d', 'e'],
    e: ['f', 'd', '<e'],
    '?': ['<?', 'B'],
    c: ['<c', 'B'],
    l: ['i', 'q'],
    L: ['I'],
    n: ['i'],
    N: ['I'],
    P: ['I', 'L'],
  };
  const choices = related[c];
  if (choices === undefined) return undefined;
  const fmt = r.pick(choices);
  const g =
    ND_FORMATS.find((x) => x.fmt === fmt) ?? single(fmt.replace(/^[<>=!@]/, ''), fmt.length === 2 ? fmt[0] : '');
  const flags = (r.chance(0.5) ? NDF.FORTRAN : 0) | (r.chance(0.3) ? NDF.PIL : 0) | NDF.WRITABLE;
  // the same items in C order: ndarray's FORTRAN flag lays a list out in Fortran order, so the
  // twin holds the items of `like` as its C-ordered list only when both are C; that is enough
  // to make equal and unequal pairs in about equal numbers
  if (like.strides !== null || like.shape.length === 0) return undefined;
  const name = b.fresh('e');
  b.add({
    op: 'ndarray',
    out: name,
    items: like.items,
    shape: like.shape,
    strides: null,
    offset: 0,
    format: g.fmt,
    flags: like.shape.includes(0) ? flags & ~NDF.PIL : flags,
  });
  return b.define({ name, kind: 'nd', format: g.fmt, itemsize: g.itemsize, shape: likeVar.shape, readonly: false });
}

/** A view of `e`: memoryview(e), _from_flags, memoryview(memoryview(e)), memoryview_from_buffer, get_contiguous. */
function makeView(b: Builder, e: Var): Var {
  const r = b.r;
  const name = b.fresh('m');
  const how = r.weighted({
    plain: 14,
    flags: 2,
    nested: 2,
    frombuffer: e.kind === 'nd' && !b.staticInfo && !b.pushed ? 1 : 0,
    contig: 1,
  });
  e.pinned = true;
  switch (how) {
    case 'flags':
      b.add({ op: 'fromflags', out: name, arg: pv.ref(e.name), flags: randomRequest(r) });
      break;
    case 'nested': {
      const inner = b.fresh('m');
      b.add({ op: 'memoryview', out: inner, arg: pv.ref(e.name) });
      b.define({
        name: inner,
        kind: 'mv',
        format: e.format,
        itemsize: e.itemsize,
        shape: e.shape,
        readonly: e.readonly,
      });
      b.add({ op: 'memoryview', out: name, arg: pv.ref(inner) });
      break;
    }
    case 'frombuffer':
      b.staticInfo = true;
      b.add({ op: 'mvfrombuffer', out: name, base: e.name });
      break;
    case 'contig':
      b.add({
        op: 'getcontig',
        out: name,
        arg: pv.ref(e.name),
        buffertype: pv.int(PYBUF.READ),
        order: pv.str(r.pick(['C', 'F', 'A'])),
      });
      return b.define({ name, kind: 'mv', format: e.format, itemsize: e.itemsize, shape: e.shape, readonly: true });
    default:
      b.add({ op: 'memoryview', out: name, arg: pv.ref(e.name) });
  }
  return b.define({ name, kind: 'mv', format: e.format, itemsize: e.itemsize, shape: e.shape, readonly: e.readonly });
}

// ------------------------------------------------------------------------------------------
// keys

const HUGE = [
  2n ** 31n,
  2n ** 31n - 1n,
  -(2n ** 31n),
  -(2n ** 31n) - 1n,
  2n ** 63n,
  -(2n ** 63n),
  2n ** 64n,
  2n ** 62n,
];

function bound(r: Rng, n: number): PV {
  const x = r.weighted({ none: 3, small: 8, edge: 2, huge: 1, bool: 0.2 });
  if (x === 'none') return pv.none();
  if (x === 'bool') return pv.bool(r.chance(0.5));
  if (x === 'huge') return pv.int(r.pick(HUGE));
  if (x === 'edge') return pv.int(r.pick([n, -n, n + 1, -n - 1, 0, -1]));
  return pv.int(r.int(-n - 1, n + 1));
}

function randomSlice(r: Rng, n: number): { key: PV; len: number | null } {
  const stepKind = r.weighted({ none: 3, small: 6, neg: 4, zero: 0.3, huge: 0.7 });
  let step: PV = pv.none();
  let s = 1;
  if (stepKind === 'small') {
    s = r.pick([1, 2, 3, 5]);
    step = pv.int(s);
  } else if (stepKind === 'neg') {
    s = r.pick([-1, -1, -2, -3]);
    step = pv.int(s);
  } else if (stepKind === 'zero') {
    s = 0;
    step = pv.int(0);
  } else if (stepKind === 'huge') {
    const h = r.pick(HUGE);
    s = h > 0n ? 2 ** 31 - 1 : -(2 ** 31 - 1);
    step = pv.int(h);
  }
  const start = bound(r, n);
  const stop = bound(r, n);
  const val = (p: PV): number | null => {
    if (p.k !== 'int') return null;
    const x = BigInt(p.v);
    return x > 2n ** 31n - 1n ? 2 ** 31 - 1 : x < -(2n ** 31n) ? -(2 ** 31) : Number(x);
  };
  const len = s === 0 ? null : sliceLength(n, val(start), val(stop), s);
  return { key: pv.slice(start, stop, step), len };
}

function randomIndex(r: Rng, n: number): PV {
  const x = r.weighted({ inside: 8, negative: 3, outside: 2, huge: 1, bool: 0.5 });
  if (x === 'bool') return pv.bool(r.chance(0.5));
  if (x === 'huge') return pv.int(r.pick(HUGE));
  if (x === 'outside') return pv.int(r.pick([n, -n - 1, n + 3]));
  if (n === 0) return pv.int(0);
  if (x === 'negative') return pv.int(-r.int(1, n));
  return pv.int(r.int(0, n - 1));
}

function fullIndex(r: Rng, shape: readonly number[]): PV {
  return pv.tuple(shape.map((n) => (r.chance(0.9) && n > 0 ? pv.int(r.int(-n, n - 1)) : randomIndex(r, n))));
}

/** A key for m[key] on a view of `shape`, and the extent of dim 0 after it when it is a slice. */
function randomKey(r: Rng, shape: readonly number[]): { key: PV; len: number | null; slice: boolean } {
  const ndim = shape.length;
  const n = shape[0] ?? 0;
  const kind =
    ndim === 0
      ? r.weighted({ empty: 4, ellipsis: 3, int: 1, slice: 1, other: 1 })
      : r.weighted({
          int: 8,
          slice: 8,
          tuple: ndim > 1 ? 6 : 2,
          shorttuple: ndim > 1 ? 1 : 0.3,
          longtuple: 1,
          slices: 1,
          mixed: 0.7,
          empty: 0.5,
          ellipsis: 0.7,
          other: 1,
        });
  switch (kind) {
    case 'empty':
      return { key: pv.tuple([]), len: null, slice: false };
    case 'ellipsis':
      return { key: pv.ellipsis(), len: null, slice: false };
    case 'int':
      return { key: randomIndex(r, n), len: null, slice: false };
    case 'slice': {
      const s = randomSlice(r, n);
      return { key: s.key, len: s.len, slice: true };
    }
    case 'tuple':
      return { key: fullIndex(r, shape), len: null, slice: false };
    case 'shorttuple':
      return { key: fullIndex(r, shape.slice(0, ndim - 1)), len: null, slice: false };
    case 'longtuple':
      return { key: fullIndex(r, [...shape, 2]), len: null, slice: false };
    case 'slices':
      return { key: pv.tuple(shape.map((m) => randomSlice(r, m).key)), len: null, slice: false };
    case 'mixed':
      return { key: pv.tuple([randomIndex(r, n), randomSlice(r, shape[1] ?? 2).key]), len: null, slice: false };
    default:
      return { key: r.pick([pv.float('1.5'), pv.str('a'), pv.none(), pv.float('nan')]), len: null, slice: false };
  }
}

// ------------------------------------------------------------------------------------------
// steps over views

/** The native char a view's items are read with, or null for formats memoryview cannot read. */
function nativeChar(format: string): string | null {
  const f = format.startsWith('@') ? format.slice(1) : format;
  return f.length === 1 && f in NATIVE_SIZE ? f : null;
}

function stepGet(b: Builder, m: Var): void {
  const r = b.r;
  const { key, len, slice } = randomKey(r, m.shape);
  if (slice && len !== null && m.shape.length > 0 && r.chance(0.8)) {
    const out = b.fresh('m');
    b.add({ op: 'get', target: m.name, key, out });
    b.define({
      name: out,
      kind: 'mv',
      format: m.format,
      itemsize: m.itemsize,
      shape: [len, ...m.shape.slice(1)],
      readonly: m.readonly,
    });
    return;
  }
  b.add({ op: 'get', target: m.name, key });
}

function stepSet(b: Builder, m: Var): void {
  const r = b.r;
  const c = nativeChar(m.format) ?? 'B';
  const ndim = m.shape.length;
  if (ndim === 1 && r.chance(0.1)) {
    // m[key] = m[srckey]: overlapping slices of the same memory (m[1:] = m[:-1] and the like)
    const n = m.shape[0];
    const k = r.int(1, 2);
    const pair = r.weighted({ right: 2, left: 2, reversed: 1, random: 2 });
    const s = (a: number | null, z: number | null, st: number | null = null): PV =>
      pv.slice(
        a === null ? pv.none() : pv.int(a),
        z === null ? pv.none() : pv.int(z),
        st === null ? pv.none() : pv.int(st),
      );
    if (pair === 'right') b.add({ op: 'setslices', target: m.name, key: s(k, null), srckey: s(null, -k) });
    else if (pair === 'left') b.add({ op: 'setslices', target: m.name, key: s(null, -k), srckey: s(k, null) });
    else if (pair === 'reversed')
      b.add({ op: 'setslices', target: m.name, key: s(null, null, -1), srckey: s(null, null) });
    // (the value is always a slice: an item of a float view may be an integral float, an int in JavaScript)
    else b.add({ op: 'setslices', target: m.name, key: randomSlice(r, n).key, srckey: randomSlice(r, n).key });
    return;
  }
  if (ndim === 1 && r.chance(0.45)) {
    // slice assignment: the value an exporter of (mostly) the same structure
    const s = randomSlice(r, m.shape[0]);
    const len = s.len ?? 0;
    const src = r.weighted({ nd: 5, self: 2, other: 2, bytes: 1, wrong: 1 });
    let value: PV;
    if (src === 'self') value = pv.ref(m.name);
    else if (src === 'other') value = pv.ref((b.any('mv') ?? m).name);
    else if (src === 'bytes') value = pv.bytesobj(randomBytes(r, r.chance(0.7) ? len * m.itemsize : r.int(0, 6)));
    else if (src === 'wrong') value = r.pick([pv.int(3), pv.list([pv.int(1)]), pv.str('ab'), pv.none()]);
    else {
      const f = ND_FORMATS.find((x) => x.fmt === m.format) ?? single(c);
      const g = r.chance(0.85) ? f : r.pick(ND_FORMATS.slice(0, 18));
      const e = makeNDArray(b, g, [r.chance(0.85) ? len : len + 1]);
      e.pinned = true;
      value = pv.ref(e.name);
    }
    b.add({ op: 'set', target: m.name, key: s.key, value });
    return;
  }
  const kind = r.weighted({ item: 8, key: 2 });
  let key: PV;
  if (ndim === 0) key = r.chance(0.5) ? pv.ellipsis() : pv.tuple([]);
  else if (kind === 'item') key = ndim === 1 ? randomIndex(r, m.shape[0]) : fullIndex(r, m.shape);
  else key = randomKey(r, m.shape).key;
  let value = setValue(r, c, kind === 'item');
  // bytes assigned to a slice are an exporter (a Bytes in JavaScript), to an item a value
  if (key.k === 'slice' && value.k === 'bytes') value = { k: 'bytesobj', hex: value.hex };
  // an integral float is an int in JavaScript: not offered where Python's error names its type
  const itemKey =
    key.k === 'int' ||
    key.k === 'bool' ||
    key.k === 'ellipsis' ||
    (key.k === 'tuple' && key.items.every((x) => x.k === 'int' || x.k === 'bool'));
  if (!itemKey && value.k === 'float' && Number.isInteger(Number(value.v))) value = pv.float('1.5');
  b.add({ op: 'set', target: m.name, key, value });
}

function factorShape(r: Rng, n: number): number[] {
  if (n === 0) return [0];
  const dims: number[] = [];
  let rest = n;
  const ndim = r.int(1, 3);
  for (let i = 0; i < ndim - 1; i++) {
    const divisors = [];
    for (let d = 1; d <= rest; d++) if (rest % d === 0) divisors.push(d);
    const d = r.pick(divisors);
    dims.push(d);
    rest /= d;
  }
  dims.push(rest);
  return dims;
}

/** A chain of casts: to bytes, to a format of N dimensions, and back to bytes (1-D -> N-D -> 1-D). */
function stepCastChain(b: Builder, m: Var): void {
  const r = b.r;
  const nbytes = prod(m.shape) * m.itemsize;
  const bytesName = b.fresh('m');
  const byteFmt = r.pick(['B', 'b', 'c']);
  b.add({ op: 'cast', target: m.name, format: pv.str(byteFmt), shape: null, out: bytesName });
  b.define({ name: bytesName, kind: 'mv', format: byteFmt, itemsize: 1, shape: [nbytes], readonly: m.readonly });
  const fmt = r.pick(NATIVE_CHARS);
  const n = Math.floor(nbytes / NATIVE_SIZE[fmt]);
  const shape = r.chance(0.15) ? [n, 0] : factorShape(r, n);
  const ndName = b.fresh('m');
  b.add({
    op: 'cast',
    target: bytesName,
    format: pv.str(fmt),
    shape: pv.list(shape.map((x) => pv.int(x))),
    out: ndName,
  });
  b.define({ name: ndName, kind: 'mv', format: fmt, itemsize: NATIVE_SIZE[fmt], shape, readonly: m.readonly });
  const back = b.fresh('m');
  const backFmt = r.pick(['B', 'b', 'c', fmt]);
  const backShape = r.chance(0.3) ? pv.list([pv.int(nbytes)]) : null;
  b.add({ op: 'cast', target: ndName, format: pv.str(backFmt), shape: backShape, out: back });
  b.define({ name: back, kind: 'mv', format: backFmt, itemsize: 1, shape: [nbytes], readonly: m.readonly });
}

function stepCast(b: Builder, m: Var): void {
  const r = b.r;
  if (r.chance(0.12)) {
    stepCastChain(b, m);
    return;
  }
  const nbytes = prod(m.shape) * m.itemsize;
  const kind = r.weighted({ tobyte: 4, frombyte: 6, invalid: 1, prefixed: 1, complex: 1 });
  let fmt: string;
  if (kind === 'tobyte') fmt = r.pick(['B', 'b', 'c']);
  else if (kind === 'frombyte') fmt = r.pick([...NATIVE_CHARS, '?', '?', 'e', 'e']);
  else if (kind === 'prefixed') fmt = '@' + r.pick(NATIVE_CHARS);
  else if (kind === 'complex') fmt = r.pick(COMPLEX_CHARS);
  else fmt = r.pick(['<i', 'ii', 'x', '', 'Z', '@', '3s', 's', 'p', '=B']);
  const c = nativeChar(fmt);
  const itemsize = c !== null ? NATIVE_SIZE[c] : 1;
  let shape: PV | null = null;
  let newShape = [Math.floor(nbytes / itemsize)];
  const shapeKind = r.weighted({ none: 5, factor: 4, zero: 0.4, wrong: 0.6, scalar: 0.4, huge: 0.2, tuple: 1 });
  if (shapeKind !== 'none') {
    let dims: PV[];
    if (shapeKind === 'factor' || shapeKind === 'tuple') {
      newShape = factorShape(r, Math.floor(nbytes / itemsize));
      dims = newShape.map((x) => pv.int(x));
    } else if (shapeKind === 'zero') {
      dims = [pv.int(0), pv.int(2)];
    } else if (shapeKind === 'scalar') {
      newShape = [];
      dims = [];
    } else if (shapeKind === 'huge') dims = [pv.int(2n ** 31n), pv.int(2)];
    else
      dims = [
        pv.int(r.int(1, 5)),
        r.pick([pv.int(-1), pv.str('2'), pv.float('1.5'), pv.none(), pv.bool(true), pv.int(2n ** 64n)]),
      ].slice(0, r.int(1, 2));
    shape = shapeKind === 'tuple' ? pv.tuple(dims) : pv.list(dims);
    if (r.chance(0.03)) shape = r.pick([pv.int(4), pv.str('4'), pv.none()]);
  }
  if (r.chance(0.02)) {
    b.add({
      op: 'cast',
      target: m.name,
      format: r.pick([pv.int(1), pv.none(), pv.bytes([0x42])]),
      shape,
      out: b.fresh('m'),
    });
    return;
  }
  const out = b.fresh('m');
  b.add({ op: 'cast', target: m.name, format: pv.str(fmt), shape, out });
  b.define({
    name: out,
    kind: 'mv',
    format: fmt.startsWith('@') ? fmt.slice(1) : fmt,
    itemsize,
    shape: newShape,
    readonly: m.readonly,
  });
}

function stepEq(b: Builder, m: Var): void {
  const r = b.r;
  const other = r.weighted({ self: 1, var: 6, bytes: 2, nonexporter: 1 });
  let value: PV;
  if (other === 'self') value = pv.ref(m.name);
  else if (other === 'var') value = pv.ref(r.pick(b.vars.filter((v) => v.kind !== 'buf')).name);
  else if (other === 'bytes') value = pv.bytesobj(randomBytes(r, prod(m.shape) * m.itemsize));
  else value = r.pick([pv.int(1), pv.str('abc'), pv.list([]), pv.none()]);
  b.add({ op: 'eq', target: m.name, other: value });
}

/** The memoryview attributes (each raises the release ValueError on a released view). */
const MV_ATTRS = [
  'obj',
  'nbytes',
  'readonly',
  'itemsize',
  'format',
  'ndim',
  'shape',
  'strides',
  'suboffsets',
  'c_contiguous',
  'f_contiguous',
  'contiguous',
];

/** One use of a view just released (or not, if it was exported): every attribute and method checks. */
function stepAfterRelease(b: Builder, m: Var): void {
  const r = b.r;
  const which = r.weighted({
    attr: 4,
    nested: 1,
    tolist: 1,
    tobytes: 1,
    hex: 1,
    cast: 1,
    toreadonly: 1,
    len: 1,
    hash: 1,
    count: 1,
    index: 1,
    eq: 1,
    get: 1,
    set: 1,
    iter: 1,
  });
  const t = m.name;
  switch (which) {
    case 'attr':
      b.add({ op: 'attr', target: t, name: r.pick(MV_ATTRS) });
      break;
    case 'nested':
      b.add({ op: 'memoryview', out: b.fresh('m'), arg: pv.ref(t) });
      break;
    case 'tolist':
      b.add({ op: 'tolist', target: t });
      break;
    case 'tobytes':
      b.add({ op: 'tobytes', target: t, order: r.pick([pv.str('C'), pv.none(), pv.int(1)]) });
      break;
    case 'hex':
      b.add({ op: 'hex', target: t, args: r.pick([[], [pv.str(':')], [pv.int(1)]]) });
      break;
    case 'cast':
      b.add({ op: 'cast', target: t, format: r.pick([pv.str('B'), pv.int(1)]), shape: null, out: b.fresh('m') });
      break;
    case 'toreadonly':
      b.add({ op: 'toreadonly', target: t, out: b.fresh('m') });
      break;
    case 'len':
      b.add({ op: 'len', target: t });
      break;
    case 'hash':
      b.add({ op: 'hash', target: t });
      break;
    case 'count':
      b.add({ op: 'count', target: t, value: pv.int(0) });
      break;
    case 'index':
      b.add({ op: 'index', target: t, value: pv.int(0), args: [] });
      break;
    case 'eq':
      b.add({
        op: 'eq',
        target: t,
        other: r.chance(0.5) ? pv.ref(t) : pv.ref(r.pick(b.vars.filter((v) => v.kind !== 'buf')).name),
      });
      break;
    case 'get':
      b.add({
        op: 'get',
        target: t,
        key: r.pick([pv.int(0), pv.slice(pv.none(), pv.none(), pv.none()), pv.tuple([]), pv.ellipsis()]),
      });
      break;
    case 'set':
      b.add({ op: 'set', target: t, key: pv.int(0), value: pv.int(0) });
      break;
    default:
      b.add({ op: 'iter', target: t });
  }
}

function stepView(b: Builder, m: Var): void {
  const r = b.r;
  const c = nativeChar(m.format) ?? 'B';
  const which = r.weighted({
    get: 14,
    set: 10,
    tolist: 5,
    tobytes: 5,
    hex: 4,
    cast: 8,
    eq: 7,
    hash: 3,
    count: 2,
    index: 3,
    len: 2,
    iter: 2,
    release: 2,
    toreadonly: 2,
    nested: 2,
    attrs: 2,
    del: 1,
    attr: 2,
    exit: 0.7,
    delitem: 0.3,
  });
  switch (which) {
    case 'get':
      stepGet(b, m);
      break;
    case 'set':
      stepSet(b, m);
      break;
    case 'tolist':
      b.add({ op: 'tolist', target: m.name });
      break;
    case 'tobytes': {
      const order = r.weighted({ none: 2, C: 2, F: 3, A: 3, None: 1, bad: 0.5 });
      if (order === 'none') b.add({ op: 'tobytes', target: m.name });
      else if (order === 'None') b.add({ op: 'tobytes', target: m.name, order: pv.none() });
      else if (order === 'bad')
        b.add({
          op: 'tobytes',
          target: m.name,
          order: r.pick([
            pv.str('X'),
            pv.str('c'),
            pv.str('CF'),
            pv.str(''),
            pv.int(1),
            pv.bytes([0x43]),
            pv.float('1.5'),
          ]),
        });
      else b.add({ op: 'tobytes', target: m.name, order: pv.str(order) });
      break;
    }
    case 'hex': {
      const n = r.int(0, 2);
      const args: PV[] = [];
      if (n >= 1) {
        args.push(
          r.pick([
            pv.str(':'),
            pv.str('-'),
            pv.bytes([0x2c]),
            pv.str(''),
            pv.str('ab'),
            pv.str('\u00e9'),
            pv.bytes([0xff]),
            pv.int(1),
            pv.str(' '),
            pv.bytes([0x2c, 0x2c]),
            pv.bytes([]),
            pv.str('\u0100'),
            pv.bytes([0x80]),
            pv.str('\u00ff'),
            pv.none(),
            pv.str('\u0000'),
          ]),
        );
      }
      if (n >= 2) {
        const len = prod(m.shape) * m.itemsize;
        args.push(
          r.chance(0.9)
            ? pv.int(r.pick([1, 2, 3, -1, -2, -4, 0, 100, -100, len, len + 1, -len, -len - 1, 7, -5]))
            : r.pick([
                pv.int(2n ** 31n),
                pv.int(-(2n ** 31n) - 1n),
                pv.float('1.5'),
                pv.str('2'),
                pv.none(),
                pv.bool(true),
                pv.int(2n ** 31n - 1n),
                pv.int(-(2n ** 31n)),
              ]),
        );
      }
      b.add({ op: 'hex', target: m.name, args });
      break;
    }
    case 'cast':
      stepCast(b, m);
      break;
    case 'eq':
      stepEq(b, m);
      break;
    case 'hash':
      b.add({ op: 'hash', target: m.name });
      break;
    case 'count':
      b.add({ op: 'count', target: m.name, value: r.chance(0.8) ? memberValue(r, c) : setValue(r, c) });
      break;
    case 'index': {
      const args: PV[] = [];
      const n = m.shape[0] ?? 0;
      if (r.chance(0.5))
        args.push(r.chance(0.95) ? pv.int(r.int(-n - 2, n + 2)) : r.pick([pv.float('1.5'), pv.none(), pv.bool(true)]));
      if (args.length > 0 && r.chance(0.5))
        args.push(r.chance(0.9) ? pv.int(r.int(-n - 2, n + 2)) : pv.int(r.pick(HUGE)));
      if (args.length < 2 && r.chance(0.05)) args.push(pv.str('x'));
      b.add({ op: 'index', target: m.name, value: r.chance(0.8) ? memberValue(r, c) : setValue(r, c), args });
      break;
    }
    case 'len':
      b.add({ op: 'len', target: m.name });
      break;
    case 'iter':
      b.add({ op: 'iter', target: m.name });
      break;
    case 'release':
      b.add({ op: 'release', target: m.name });
      if (r.chance(0.5)) stepAfterRelease(b, m);
      if (!m.pinned) m.released = r.chance(0.5);
      break;
    case 'toreadonly': {
      const out = b.fresh('m');
      b.add({ op: 'toreadonly', out, target: m.name });
      b.define({ name: out, kind: 'mv', format: m.format, itemsize: m.itemsize, shape: m.shape, readonly: true });
      break;
    }
    case 'nested': {
      const out = b.fresh('m');
      b.add({ op: 'memoryview', out, arg: pv.ref(m.name) });
      b.define({ name: out, kind: 'mv', format: m.format, itemsize: m.itemsize, shape: m.shape, readonly: m.readonly });
      break;
    }
    case 'attrs':
      b.add({ op: 'attrs', target: m.name });
      break;
    case 'delitem':
      b.add({ op: 'delitem', target: m.name, key: randomKey(r, m.shape).key });
      break;
    case 'attr':
      b.add({ op: 'attr', target: m.name, name: r.pick(MV_ATTRS) });
      break;
    case 'exit':
      b.add({ op: 'exit', target: m.name });
      if (r.chance(0.5)) stepAfterRelease(b, m);
      if (!m.pinned) m.released = r.chance(0.5);
      break;
    default:
      if (!m.pinned) {
        b.add({ op: 'del', target: m.name });
        m.released = true;
      } else {
        b.add({ op: 'attrs', target: m.name });
      }
  }
}

// ------------------------------------------------------------------------------------------
// steps of the C API

function anyExporterArg(b: Builder): PV {
  const r = b.r;
  if (r.chance(0.05)) return r.pick([pv.int(7), pv.str('s'), pv.none(), pv.list([])]);
  const v = r.pick(b.vars.filter((x) => x.kind !== 'buf'));
  return pv.ref(v.name);
}

/** One C API call on a Py_buffer: IsContiguous, ToContiguous, FromContiguous, GetPointer, Release, FromBuffer. */
function stepBuffer(b: Builder, buf: Var): void {
  const r = b.r;
  const op = r.weighted({ is: 2, to: 3, from: buf.readonly ? 0 : 2, ptr: 2, release: 1, frombuffer: 2 });
  const order = r.pick(['C', 'F', 'A'] as const);
  if (op === 'is') b.add({ op: 'buf_is_contiguous', buf: buf.name, order });
  else if (op === 'to')
    b.add({ op: 'buf_to_contiguous', buf: buf.name, order, lenDelta: r.chance(0.9) ? 0 : r.pick([1, -1]) });
  else if (op === 'from') {
    const n = prod(buf.shape) * buf.itemsize;
    b.add({
      op: 'buf_from_contiguous',
      buf: buf.name,
      order,
      hex: toHex(randomBytes(r, r.chance(0.8) ? n : r.int(0, n + 4))),
    });
  } else if (op === 'ptr') {
    if (buf.shape.includes(0)) return;
    b.add({ op: 'buf_get_pointer', buf: buf.name, indices: buf.shape.map((n) => r.int(0, n - 1)) });
  } else if (op === 'release') {
    if (buf.lent) return;
    b.add({ op: 'buf_release', buf: buf.name });
    buf.released = true;
  } else {
    const out = b.fresh('m');
    b.add({ op: 'frombuffer', out, buf: buf.name });
    buf.lent = true;
    b.define({
      name: out,
      kind: 'mv',
      format: buf.format,
      itemsize: buf.itemsize,
      shape: buf.shape,
      readonly: buf.readonly,
    });
  }
}

function stepCapi(b: Builder): void {
  const r = b.r;
  const which = r.weighted({
    getcontig: 3,
    cmp_contig: 2,
    is_contiguous: 2,
    get_pointer: 3,
    py_buffer_to_contiguous: 2,
    getbuf: 5,
    bufop: 6,
    copydata: 3,
    fillstrides: 1,
    sizefromformat: 1.5,
    misc: 1,
    reexport: 2,
    ndsub: 2,
    frommemory: 2,
    fillinfo: 2,
    checkbuffer: 1,
    capi_getcontig: 2,
  });
  switch (which) {
    case 'frommemory':
      stepFromMemory(b);
      break;
    case 'fillinfo':
      stepFillInfo(b);
      break;
    case 'checkbuffer':
      stepCheckBuffer(b);
      break;
    case 'capi_getcontig':
      stepCapiGetContiguous(b);
      break;
    case 'getcontig': {
      const arg = anyExporterArg(b);
      const out = b.fresh('m');
      const bt = r.chance(0.9) ? pv.int(r.pick([PYBUF.READ, PYBUF.WRITE])) : pv.int(r.pick([0, 1, 2n ** 40n]));
      const order = r.chance(0.9)
        ? pv.str(r.pick(['C', 'F', 'A']))
        : r.pick([pv.str('X'), pv.str('Cx'), pv.str(''), pv.int(1)]);
      b.add({ op: 'getcontig', out, arg, buffertype: bt, order });
      if (arg.k === 'ref') {
        const src = b.get(arg.name);
        if (src !== undefined) {
          src.pinned = true;
          b.define({
            name: out,
            kind: 'mv',
            format: src.format,
            itemsize: src.itemsize,
            shape: src.shape,
            readonly: true,
          });
        }
      }
      break;
    }
    case 'cmp_contig':
      b.add({ op: 'cmp_contig', a: anyExporterArg(b), b: anyExporterArg(b) });
      break;
    case 'is_contiguous':
      b.add({
        op: 'is_contiguous',
        a: anyExporterArg(b),
        order: r.chance(0.9) ? pv.str(r.pick(['C', 'F', 'A'])) : pv.str('X'),
      });
      break;
    case 'get_pointer': {
      const v = r.pick(b.vars.filter((x) => x.kind !== 'buf'));
      const idx = r.chance(0.85)
        ? pv.list(v.shape.map((n) => pv.int(n > 0 ? r.int(0, n - 1) : 0)))
        : pv.list(v.shape.map((n) => pv.int(r.pick([n, -1, 0]))).concat(r.chance(0.3) ? [pv.int(0)] : []));
      b.add({ op: 'get_pointer', a: pv.ref(v.name), indices: idx });
      break;
    }
    case 'py_buffer_to_contiguous':
      b.add({
        op: 'py_buffer_to_contiguous',
        a: anyExporterArg(b),
        order: pv.str(r.pick(['C', 'F', 'A'])),
        flags: randomRequest(r),
      });
      break;
    case 'getbuf': {
      const arg = anyExporterArg(b);
      const out = b.fresh('b');
      b.add({ op: 'getbuf', out, arg, flags: randomRequest(r) });
      if (arg.k === 'ref') {
        const src = b.get(arg.name);
        if (src !== undefined) {
          src.pinned = true;
          const buf = b.define({
            name: out,
            kind: 'buf',
            format: src.format,
            itemsize: src.itemsize,
            shape: src.shape,
            readonly: src.readonly,
          });
          // a Py_buffer is there to be used: a few calls on it at once
          for (let k = r.int(1, 3); k > 0 && !buf.released; k--) stepBuffer(b, buf);
        }
      }
      break;
    }
    case 'bufop': {
      const buf = b.any('buf');
      if (buf === undefined) {
        stepCapi(b);
        return;
      }
      stepBuffer(b, buf);
      break;
    }
    case 'copydata': {
      const dest = anyExporterArg(b);
      const src =
        r.chance(0.5) && dest.k === 'ref'
          ? pv.ref(r.pick(b.vars.filter((x) => x.kind !== 'buf')).name)
          : anyExporterArg(b);
      b.add({ op: 'copydata', dest, src });
      break;
    }
    case 'fillstrides': {
      const ndim = r.int(0, 4);
      const big = r.chance(0.2);
      const shape = Array.from({ length: ndim }, () =>
        big ? r.pick([46341, 65536, 100000, 2 ** 30, 7]) : r.int(0, 9),
      );
      b.add({ op: 'fillstrides', shape, itemsize: r.pick([1, 2, 4, 8, 16]), order: r.pick(['C', 'F', 'A'] as const) });
      break;
    }
    case 'sizefromformat':
      b.add({
        op: 'sizefromformat',
        format: r.chance(0.5)
          ? r.pick([...ND_FORMATS.map((f) => f.fmt), 'Z', '', '3x', 'i0q', '<l', '@P', '!n', '5p'])
          : randomStructFormat(r).format,
      });
      break;
    case 'reexport': {
      const base = r.pick(b.vars.filter((x) => x.kind !== 'buf'));
      const out = b.fresh('e');
      base.pinned = true;
      // ND_REDIRECT asks the base buffer's obj for a buffer: for a PEP 688 class CPython's
      // slot_bf_getbuffer made that obj a _buffer_wrapper, which exports nothing
      const redirect = base.kind !== 'pyexp' && r.chance(0.2);
      b.add({
        op: 'reexport',
        out,
        base: base.name,
        getbuf: r.chance(0.8) ? randomRequest(r) : null,
        flags: redirect ? NDF.REDIRECT : null,
      });
      b.define({
        name: out,
        kind: 'nd',
        format: base.format,
        itemsize: base.itemsize,
        shape: base.shape,
        readonly: base.readonly,
        consumer: true,
      });
      break;
    }
    case 'ndsub': {
      const nd = b.any('nd');
      if (nd === undefined) {
        b.add({ op: 'sizeof_void_p' });
        return;
      }
      if (nd.shape.length === 0 || r.chance(0.3)) {
        // an item or an error: not kept (a 'c' item is bytes, an exporter in Python only)
        const key =
          nd.shape.length === 0 ? r.pick([pv.ellipsis(), pv.tuple([]), pv.int(0)]) : randomKey(r, nd.shape).key;
        b.add({ op: 'ndsub', base: nd.name, key });
        return;
      }
      const slices = nd.shape.map((n) => randomSlice(r, n));
      const out = b.fresh('e');
      nd.pinned = true;
      b.add({ op: 'ndsub', out, base: nd.name, key: pv.tuple(slices.map((x) => x.key)) });
      const shape = slices.map((x, i) => x.len ?? nd.shape[i]);
      b.define({
        name: out,
        kind: 'nd',
        format: nd.format,
        itemsize: nd.itemsize,
        shape,
        readonly: nd.readonly,
        consumer: true,
      });
      break;
    }
    default:
      if (r.chance(0.5)) b.add({ op: 'sizeof_void_p' });
      else
        b.add({
          op: 'slice_indices',
          key: randomSlice(r, r.int(0, 8)).key,
          length: r.chance(0.9) ? pv.int(r.int(0, 10)) : pv.int(r.pick(HUGE)),
        });
  }
}

/** Two slices of the same length over an extent of n (forward or backward, stepped or not). */
function matchedSlices(r: Rng, n: number): [PV, PV] {
  const one = (len: number): PV => {
    const step = r.pick([1, 1, 2, -1, -1, -2]);
    const span = (len - 1) * Math.abs(step);
    if (len === 0) return pv.slice(pv.int(0), pv.int(0), pv.none());
    const lo = r.int(0, Math.max(0, n - 1 - span));
    if (step > 0) return pv.slice(pv.int(lo), pv.int(lo + span + 1), pv.int(step));
    const hi = lo + span;
    return pv.slice(pv.int(hi), lo === 0 ? pv.none() : pv.int(lo - 1), pv.int(step));
  };
  // a length both can have: up to n for step 1, fewer when stepped
  const len = r.int(0, Math.max(0, Math.ceil(n / 2)));
  return [one(len), one(len)];
}

/** ndarray[key] = value (ndarray_ass_sub): items, slices of any dimension, exporters as values. */
function stepNdSet(b: Builder, nd: Var): void {
  const r = b.r;
  const f = ND_FORMATS.find((x) => x.fmt === nd.format) ?? single('B');
  const ndim = nd.shape.length;
  if (ndim > 0 && r.chance(0.2)) {
    // nd[key] = nd[srckey]: slices of the same shape over the same memory (copy_rec's row order)
    const pairs = nd.shape.map((n) =>
      r.chance(0.2)
        ? [pv.slice(pv.none(), pv.none(), pv.int(-1)), pv.slice(pv.none(), pv.none(), pv.none())]
        : matchedSlices(r, n),
    );
    if (r.chance(0.5))
      pairs.forEach((p) => {
        if (r.chance(0.5)) p.reverse();
      });
    b.add({
      op: 'ndsetslices',
      target: nd.name,
      key: pv.tuple(pairs.map((p) => p[0])),
      srckey: pv.tuple(pairs.map((p) => p[1])),
    });
    return;
  }
  if (ndim === 0 || r.chance(0.5)) {
    // an item (an int on 1-D, Ellipsis or () on 0-dim), or a tuple of ints, which
    // ndarray_ass_sub takes as a sub-array key whose value must be an exporter
    const key =
      ndim === 0
        ? r.pick([pv.ellipsis(), pv.tuple([])])
        : ndim === 1 && r.chance(0.8)
          ? randomIndex(r, nd.shape[0])
          : fullIndex(r, nd.shape);
    const value = r.chance(0.8) ? itemValue(r, f) : r.pick([pv.str('x'), pv.none(), pv.list([]), pv.float('1.5')]);
    b.add({ op: 'ndset', target: nd.name, key, value });
    return;
  }
  // slices: the value an ndarray of the slice's shape (mostly), or something else
  const slices = nd.shape.map((n) => randomSlice(r, n));
  const shape = slices.map((x, i) => x.len ?? nd.shape[i]);
  const key = r.chance(0.7) ? pv.tuple(slices.map((x) => x.key)) : slices[0].key;
  let value: PV;
  if (r.chance(0.75)) {
    const src = makeNDArray(
      b,
      r.chance(0.85) ? f : r.pick(ND_FORMATS.slice(0, 18)),
      key.k === 'slice' ? [shape[0], ...nd.shape.slice(1)] : shape,
    );
    src.pinned = true;
    value = pv.ref(src.name);
  } else {
    value = r.pick([pv.ref(nd.name), pv.int(1), pv.bytesobj(randomBytes(r, 3))]);
  }
  b.add({ op: 'ndset', target: nd.name, key, value });
}

/** Subscripts of bytes and bytearray beyond the in-range ints: bools, huge ints, other types. */
const BYTES_KEYS: readonly PV[] = [
  pv.bool(true),
  pv.bool(false),
  pv.int(2n ** 31n),
  pv.int(-(2n ** 31n) - 1n),
  pv.int(2n ** 64n),
  pv.float('1.5'),
  pv.none(),
  pv.str('a'),
  pv.int(99),
  pv.int(-99),
];
/** Values for bytearray[i] = value beyond range(256): bools, the edges, huge ints, other types. */
const BYTE_VALUES: readonly PV[] = [
  pv.bool(true),
  pv.int(256),
  pv.int(-1),
  pv.int(2n ** 64n),
  pv.float('1.5'),
  pv.none(),
  pv.str('a'),
];

/** A list of byte values for bytes(), bytearray() and extend(): mostly in range, some not ints. */
function byteItems(r: Rng): PV {
  return pv.list(
    Array.from({ length: r.int(0, 4) }, () => (r.chance(0.85) ? pv.int(r.int(0, 255)) : r.pick(BYTE_VALUES))),
  );
}

function stepExporter(b: Builder): void {
  const r = b.r;
  const ba = b.any('bytearray');
  const nd = b.vars.find((v) => v.kind === 'nd' && !v.consumer && !v.released);
  const anyNd = b.any('nd');
  const pyexp = b.any('pyexp');
  const bytesLike = b.live().filter((v) => v.kind === 'bytes' || v.kind === 'bytearray');
  if (r.chance(0.06)) {
    // bytes(x) and bytearray(x): from a list of ints, a count, another exporter (a C-order copy)
    const kind = r.chance(0.5) ? 'bytes' : 'bytearray';
    const src = r.weighted({ list: 4, count: 1, exporter: 3, other: 0.5 });
    const others = b.vars.filter((v) => v.kind !== 'buf');
    const arg =
      src === 'list'
        ? byteItems(r)
        : src === 'count'
          ? pv.int(r.pick([0, 1, 3, 5, -1]))
          : src === 'exporter' && others.length > 0
            ? pv.ref(r.pick(others).name)
            : r.pick([pv.none(), pv.float('1.5'), pv.bytesobj(randomBytes(r, 3))]);
    const out = b.fresh('e');
    b.add({ op: 'bytesnew', out, kind, arg });
    b.define({
      name: out,
      kind,
      format: 'B',
      itemsize: 1,
      shape: [arg.k === 'list' ? arg.items.length : 0],
      readonly: kind === 'bytes',
    });
    return;
  }
  if (bytesLike.length > 0 && r.chance(0.12)) {
    // b[i]: bytes_subscript / bytearray_subscript
    const x = r.pick(bytesLike);
    b.add({ op: 'bytesat', target: x.name, key: r.chance(0.7) ? randomIndex(r, x.shape[0]) : r.pick(BYTES_KEYS) });
    return;
  }
  if (anyNd !== undefined && r.chance(0.2)) {
    // the ndarray itself: iteration, hash, attributes, del nd[key]
    const op = r.weighted({ iter: 2, hash: 1, attr: 2, delitem: 0.5 });
    if (op === 'attr') b.add({ op: 'attr', target: anyNd.name, name: r.pick([...MV_ATTRS, 'flags', 'offset']) });
    else if (op === 'delitem') b.add({ op: 'delitem', target: anyNd.name, key: randomKey(r, anyNd.shape).key });
    else b.add({ op, target: anyNd.name });
    return;
  }
  const which = r.weighted({
    bytearray: ba ? 4 : 0,
    push: nd ? 1 : 0,
    pop: nd ? 1 : 0,
    addsub: nd ? 1 : 0,
    ndset: anyNd ? 4 : 0,
    view: 3,
    pyexp: 1,
    expstate: pyexp ? 1 : 0,
    static: 0.2,
    typed: 0.6,
  });
  if (which === 'pyexp' || which === 'static' || which === 'typed') {
    const e = which === 'pyexp' ? makePyExporter(b) : which === 'static' ? makeStaticArray(b) : makeTypedArray(b);
    if (r.chance(0.7)) makeView(b, e);
    return;
  }
  if (which === 'expstate' && pyexp !== undefined) {
    b.add({ op: 'expstate', target: pyexp.name });
    return;
  }
  if (which === 'ndset' && anyNd !== undefined) {
    stepNdSet(b, anyNd);
    return;
  }
  if (which === 'bytearray' && ba !== undefined) {
    // a bytearray a FromMemory view reads unexported keeps its size (its memory must not move)
    const method = ba.aliased ? 'setitem' : r.weighted({ append: 2, extend: 2, clear: 1, resize: 2, setitem: 2 });
    const args: PV[] =
      method === 'append'
        ? [r.chance(0.85) ? pv.int(r.int(0, 255)) : r.pick(BYTE_VALUES)]
        : method === 'extend'
          ? [r.chance(0.75) ? pv.bytesobj(randomBytes(r, r.int(0, 3))) : byteItems(r)]
          : method === 'resize'
            ? [pv.int(r.chance(0.9) ? r.int(0, 20) : -1)]
            : method === 'setitem'
              ? [
                  r.chance(0.85) ? pv.int(r.int(-2, Math.max(0, ba.shape[0]))) : r.pick(BYTES_KEYS),
                  r.chance(0.85) ? pv.int(r.int(0, 255)) : r.pick(BYTE_VALUES),
                ]
              : [];
    b.add({ op: 'bytearrayop', target: ba.name, method, args });
    return;
  }
  if ((which === 'push' || which === 'pop' || which === 'addsub') && nd !== undefined) {
    if (which === 'push') {
      b.pushed = true;
      const f = ND_FORMATS.find((x) => x.fmt === nd.format) ?? single('B');
      const shape = [r.int(1, 4)];
      b.add({
        op: 'push',
        target: nd.name,
        items: pv.list(Array.from({ length: shape[0] }, () => itemValue(r, f))),
        shape,
        format: f.fmt,
      });
    } else if (which === 'pop') {
      if (!b.staticInfo) b.add({ op: 'pop', target: nd.name });
    } else b.add({ op: 'addsub', target: nd.name });
    return;
  }
  const e = r.pick(b.vars.filter((v) => v.kind !== 'buf' && v.kind !== 'mv'));
  makeView(b, e);
}

// ------------------------------------------------------------------------------------------
// the struct module

/** Sizes and native alignments of struct's codes on wasm32 (native_table in _struct.c). */
const STRUCT_SIZE: Readonly<Record<string, number>> = { ...NATIVE_SIZE, x: 1, s: 1, p: 1 };
const STRUCT_ALIGN: Readonly<Record<string, number>> = {
  h: 2,
  H: 2,
  e: 2,
  i: 4,
  I: 4,
  l: 4,
  L: 4,
  n: 4,
  N: 4,
  P: 4,
  f: 4,
  F: 4,
  q: 8,
  Q: 8,
  d: 8,
  D: 8,
};
const STRUCT_CODES = 'xcbB?hHiIlLqQnNPefdFDsp';

/** A random struct format: its text, the codes of its values, and its size (null: not a valid format). */
interface StructFormat {
  format: string;
  /** One code per value pack() takes ('s'/'p' once per run), or null when there are too many. */
  values: string[] | null;
  size: number | null;
}

function randomStructFormat(r: Rng): StructFormat {
  const prefix = r.weighted({ none: 5, '@': 1, '=': 1, '<': 2, '>': 2, '!': 1 });
  const native = prefix === 'none' || prefix === '@';
  let format = prefix === 'none' ? '' : prefix;
  let values: string[] | null = [];
  let size: number | null = 0;
  const parts = r.chance(0.03) ? 0 : r.pick([1, 1, 1, 1, 2, 2, 2, 3, 3, 4]);
  for (let i = 0; i < parts; i++) {
    if (i > 0 && r.chance(0.1)) format += r.pick([' ', '\t', '\n', '  ']);
    const countKind = r.weighted({ none: 6, small: 3, big: 0.25, edge: 0.1 });
    let count = 1;
    let countText = '';
    if (countKind === 'small') {
      count = r.int(0, 4);
      countText = String(count);
    } else if (countKind === 'big') {
      count = r.pick([1000000000, 536870912, 2147483647, 1073741824]);
      countText = String(count);
    } else if (countKind === 'edge') {
      count = -1;
      countText = r.pick(['2147483648', '99999999999', '0000000001']);
    }
    const bad = r.chance(0.03);
    // 'n', 'N' and 'P' are native only: mostly left out of standard-size formats
    const codes = native || r.chance(0.15) ? STRUCT_CODES : STRUCT_CODES.replace(/[nNP]/g, '');
    const code = bad ? r.pick(['Z', 'u', 'w', '%', 'g', 'j', '@', '<']) : codes[r.int(0, codes.length - 1)];
    if (countText !== '' && r.chance(0.04)) countText += ' '; // a space between count and code
    format += countText + code;
    if (count < 0) count = countText === '0000000001' ? 1 : 2 ** 40;
    const valid = !bad && !countText.endsWith(' ') && (native || !'nNP'.includes(code));
    if (!valid || size === null) {
      size = null;
      values = null;
      continue;
    }
    const align = native ? (STRUCT_ALIGN[code] ?? 1) : 1;
    size = Math.ceil(size / align) * align + count * STRUCT_SIZE[code];
    if (size > 0x7fffffff) {
      size = null;
      values = null;
      continue;
    }
    if (values === null) continue;
    if (code === 's' || code === 'p') values.push(code + count);
    else if (code !== 'x')
      for (let k = 0; k < count && values !== null; k++) {
        values.push(code);
        if (values.length > 16) values = null;
      }
  }
  if (r.chance(0.03)) {
    format += String(r.int(1, 9));
    size = null;
    values = null;
  } // a count without a code
  if (r.chance(0.01)) {
    format += r.pick(['\u0000', '\u00e9', 'i\u00e9\u00e8']);
    size = null;
    values = null;
  }
  if (size !== null && size > 4096) values = null;
  return { format, values, size };
}

/** A value for struct code `code` ('s3': a 3-byte string), mostly valid, the rest of a wrong type or range. */
function structValue(r: Rng, code: string, standard: boolean): PV {
  const c = code.charAt(0);
  if (r.chance(0.75)) {
    switch (c) {
      case '?':
        return r.pick([
          pv.bool(true),
          pv.bool(false),
          pv.int(r.int(0, 3)),
          pv.str(''),
          pv.str('a'),
          pv.list([]),
          pv.none(),
          pv.float('nan'),
          pv.float('0.0'),
        ]);
      case 'e':
        return r.chance(0.7)
          ? pv.float(r.pick(HALF_SAFE))
          : r.chance(0.6)
            ? pv.float(r.pick(HALF_EDGES))
            : pv.int(r.int(-3, 3));
      case 'f':
        return r.chance(0.7)
          ? pv.float(r.pick(FLOATS))
          : r.chance(0.6)
            ? pv.float(r.pick(FLOAT32_EDGES))
            : pv.int(r.pick([0n, -7n, 2n ** 53n + 1n, 2n ** 64n, 2n ** 128n]));
      case 'd':
        return r.chance(0.85)
          ? pv.float(r.pick(FLOATS))
          : pv.int(r.pick([0n, -7n, 2n ** 53n + 1n, 2n ** 64n, 2n ** 1024n]));
      case 'F':
      case 'D': {
        if (r.chance(0.3)) return pv.float(r.pick(FLOATS));
        return pv.complex(r.pick(FLOATS), r.pick(FLOATS));
      }
      case 'P':
        return pv.int(r.chance(0.8) ? randInt(r, 'P') : r.pick([-1n, -(2n ** 31n)]));
      case 'n':
        return pv.int(randInt(r, 'n'));
      case 'N':
        return pv.int(randInt(r, 'N'));
      default:
        return memberValue(
          r,
          c === 'l' && standard ? 'i' : c === 'L' && standard ? 'I' : c === 's' || c === 'p' ? 's3' : c,
        );
    }
  }
  const pool: PV[] = [
    pv.str('a'),
    pv.none(),
    pv.bytes([1, 2]),
    pv.bytes([]),
    pv.list([pv.int(1)]),
    pv.bool(true),
    pv.int(2n ** 64n),
    pv.int(-(2n ** 63n) - 1n),
    pv.int(2n ** 1100n),
  ];
  if ('eFfdD'.includes(c))
    pool.push(pv.float('1e+300'), pv.float('3.5e+38'), pv.float('65520.0'), pv.float('-1e+39'), pv.float('70000.0'));
  else pool.push(pv.float('1.5'), pv.float('nan'), pv.float('inf'));
  if (c in INT_RANGE) {
    const [lo, hi] = INT_RANGE[c];
    pool.push(pv.int(lo - 1n), pv.int(hi + 1n), pv.int(hi + 1n), pv.int(lo - 1n));
  }
  if (c === 'c') pool.push(pv.bytes([97, 98]), pv.int(97), pv.str('a'));
  if (c === 's' || c === 'p')
    pool.push(pv.str('abc'), pv.bytes(Array.from({ length: r.int(0, 300) }, (_, i) => i & 0xff)));
  if (c === 'F' || c === 'D') pool.push(pv.complex('1e+300', '0.0'), pv.str('1+2j'));
  return r.pick(pool);
}

function structValues(r: Rng, f: StructFormat): PV[] {
  const codes = f.values ?? Array.from({ length: r.int(0, 3) }, () => 'i');
  const standard = /^[<>=!]/.test(f.format);
  const values = codes.map((c) => structValue(r, c, standard));
  if (r.chance(0.06) && values.length > 0) values.pop();
  else if (r.chance(0.05)) values.push(pv.int(1));
  return values;
}

/** One call of the struct module: calcsize, pack, unpack, pack_into, unpack_from, iter_unpack, Struct. */
function stepStruct(b: Builder): void {
  const r = b.r;
  const f = randomStructFormat(r);
  const size = f.size ?? r.int(0, 12);
  // a struct of more than 4 KiB is only measured: pack() of '1000000000x' makes a gigabyte
  const big = f.size !== null && f.size > 4096;
  const fn: StructFn =
    big || (f.values === null && r.chance(0.6))
      ? r.pick(['calcsize', 'Struct'] as const)
      : r.weighted({ calcsize: 1.5, Struct: 1, pack: 4, unpack: 3, pack_into: 2, unpack_from: 2, iter_unpack: 1.5 });
  const offset = (n: number): PV =>
    r.chance(0.9)
      ? pv.int(r.pick([0, 0, 1, 2, -1, -size, -size - 1, n - size, n, n + 1]))
      : r.pick([
          pv.int(2n ** 31n),
          pv.int(-(2n ** 31n) - 1n),
          pv.int(2n ** 64n),
          pv.float('1.5'),
          pv.none(),
          pv.str('1'),
        ]);
  let args: PV[] = [];
  let into: PackTarget | undefined;
  if (fn === 'pack') args = structValues(r, f);
  else if (fn === 'iter_unpack') {
    // mostly whole structs (none included), else a byte short or over, or not a buffer
    const n = r.chance(0.8) ? size * r.int(0, 3) : Math.max(0, size * r.int(1, 2) + r.pick([-1, 1]));
    args = [
      r.chance(0.95) ? pv.bytes(randomBytes(r, Math.min(n, 4096))) : r.pick([pv.str('ab'), pv.int(3), pv.none()]),
    ];
  } else if (fn === 'unpack' || fn === 'unpack_from') {
    const n = fn === 'unpack' ? (r.chance(0.85) ? size : Math.max(0, size + r.pick([-1, 1, 2]))) : size + r.int(0, 4);
    const data = r.chance(0.97)
      ? pv.bytes(randomBytes(r, Math.min(n, 4096)))
      : r.pick([pv.str('ab'), pv.int(3), pv.none()]);
    args = [data];
    if (fn === 'unpack_from' && r.chance(0.7)) args.push(offset(n));
  } else if (fn === 'pack_into') {
    const n = Math.min(4096, r.chance(0.85) ? size + r.int(0, 4) : Math.max(0, size - 1));
    args = [pv.int(n), offset(n), ...structValues(r, f)];
    into = r.pick(['dataview', 'uint8array', 'arraybuffer', 'bytearray', 'memoryview'] as const);
  }
  b.add(
    into === undefined
      ? { op: 'struct', fn, format: f.format, args }
      : { op: 'struct', fn, format: f.format, args, into },
  );
}

// ------------------------------------------------------------------------------------------
// PEP 688 exporters, raw memory and the rest of the C API

/** A PEP 688 exporter (a class with __buffer__ in Python, the exporter protocol in JavaScript). */
function makePyExporter(b: Builder): Var {
  const r = b.r;
  const mode = r.weighted<ExporterMode>({ ok: 6, ro: 2, raise: 1, nonmv: 1 });
  const n = r.pick([0, 1, 2, 4, 6, 8, 12, 16]);
  const name = b.fresh('e');
  b.add({ op: 'pyexp', out: name, mode, hex: toHex(randomBytes(r, n)) });
  return b.define({ name, kind: 'pyexp', format: 'B', itemsize: 1, shape: [n], readonly: mode === 'ro' });
}

/** array.array(code, items) in Python; a TypedArray over the runtime's memory in JavaScript. */
function makeTypedArray(b: Builder): Var {
  const r = b.r;
  const code = r.pick(['b', 'B', 'h', 'H', 'i', 'I', 'f', 'd', 'q', 'Q']);
  const n = r.pick([0, 1, 2, 3, 4, 6, 8]);
  const name = b.fresh('e');
  b.add({ op: 'typed', out: name, code, items: Array.from({ length: n }, () => memberValue(r, code)) });
  return b.define({ name, kind: 'typed', format: code, itemsize: NATIVE_SIZE[code], shape: [n], readonly: false });
}

function makeStaticArray(b: Builder): Var {
  const name = b.fresh('e');
  b.add({ op: 'static', out: name, legacy: b.r.chance(0.3) });
  return b.define({ name, kind: 'static', format: 'B', itemsize: 1, shape: [12], readonly: true });
}

/** PyMemoryView_FromMemory over new raw memory or a bytearray's own, with READ, WRITE or other flags. */
function stepFromMemory(b: Builder): void {
  const r = b.r;
  const bas = b.live('bytearray').filter((v) => v.shape[0] > 0);
  const over = bas.length > 0 && r.chance(0.35) ? r.pick(bas) : null;
  const flags = r.chance(0.85)
    ? r.pick([PYBUF.READ, PYBUF.WRITE])
    : r.pick([0, 1, PYBUF.READ | PYBUF.WRITE, PYBUF.FULL, -1, 0x400]);
  const n = over !== null ? over.shape[0] : r.pick([0, 1, 2, 4, 6, 8, 12, 16, 24]);
  if (over !== null) {
    over.aliased = true;
    over.pinned = true;
  }
  const out = b.fresh('m');
  b.add({ op: 'frommemory', out, hex: over !== null ? '' : toHex(randomBytes(r, n)), flags, over: over?.name ?? null });
  b.define({ name: out, kind: 'mv', format: 'B', itemsize: 1, shape: [n], readonly: flags !== PYBUF.WRITE });
}

/** PyBuffer_FillInfo over raw memory, then a few calls on the Py_buffer it filled. */
function stepFillInfo(b: Builder): void {
  const r = b.r;
  const n = r.pick([0, 1, 2, 3, 4, 6, 8, 12]);
  const readonly = r.pick([0, 0, 1, 1, 2, -1]);
  const flags = r.chance(0.85) ? randomRequest(r) : r.pick([PYBUF.READ, PYBUF.WRITE, PYBUF.READ | PYBUF.WRITE]);
  const out = b.fresh('b');
  b.add({
    op: 'fillinfo',
    out,
    hex: toHex(randomBytes(r, n)),
    obj: r.chance(0.7) ? pv.none() : pv.list([]),
    readonly,
    flags,
  });
  const buf = b.define({ name: out, kind: 'buf', format: 'B', itemsize: 1, shape: [n], readonly: readonly !== 0 });
  for (let k = r.int(1, 3); k > 0 && !buf.released; k--) stepBuffer(b, buf);
}

function stepCheckBuffer(b: Builder): void {
  const r = b.r;
  const arg =
    r.chance(0.7) && b.vars.length > 0
      ? pv.ref(r.pick(b.vars).name)
      : r.pick([pv.int(7), pv.str('s'), pv.none(), pv.list([]), pv.bytesobj([1, 2]), pv.float('1.5'), pv.bytes([3])]);
  b.add({ op: 'checkbuffer', arg });
}

/** PyMemoryView_GetContiguous itself (not through _testbuffer), with any buffertype. */
function stepCapiGetContiguous(b: Builder): void {
  const r = b.r;
  const arg = anyExporterArg(b);
  const buffertype = r.chance(0.8)
    ? r.pick([PYBUF.READ, PYBUF.WRITE])
    : r.pick([0, 1, PYBUF.READ | PYBUF.WRITE, PYBUF.FULL_RO, -1]);
  const out = b.fresh('m');
  b.add({ op: 'capi_getcontig', out, arg, buffertype, order: r.pick(['C', 'F', 'A'] as const) });
  if (arg.k === 'ref') {
    const src = b.get(arg.name);
    if (src !== undefined) {
      src.pinned = true;
      b.define({ name: out, kind: 'mv', format: src.format, itemsize: src.itemsize, shape: src.shape, readonly: true });
    }
  }
}

// ------------------------------------------------------------------------------------------

/** Scenario `index` of run `seed`. */
export function generateScenario(seed: number, index: number): Scenario {
  const r = new Rng(seed, index);
  const b = new Builder(r);
  const kind = r.weighted({ bytes: 2, bytearray: 2, nd: 7, reexported: 1, pyexp: 1, static: 0.25, typed: 1 });
  let e: Var;
  if (kind === 'bytes' || kind === 'bytearray') e = makeBytesLike(b, kind);
  else if (kind === 'pyexp') e = makePyExporter(b);
  else if (kind === 'static') e = makeStaticArray(b);
  else if (kind === 'typed') e = makeTypedArray(b);
  else e = makeNDArray(b);
  if (kind === 'reexported') {
    const out = b.fresh('e');
    e.pinned = true;
    b.add({ op: 'reexport', out, base: e.name, getbuf: randomRequest(r), flags: r.chance(0.3) ? NDF.REDIRECT : null });
    e = b.define({
      name: out,
      kind: 'nd',
      format: e.format,
      itemsize: e.itemsize,
      shape: e.shape,
      readonly: e.readonly,
      consumer: true,
    });
  }
  if (e.kind === 'nd' && r.chance(0.25)) {
    const made = b.steps[b.steps.length - 1];
    if (made.op === 'ndarray') makeTwin(b, made, e);
  }
  if (e.kind === 'nd' && !e.consumer && r.chance(0.06)) b.add({ op: 'addsub', target: e.name });
  makeView(b, e);
  const n = r.int(5, 13);
  for (let i = 0; i < n; i++) {
    const m = b.any('mv');
    const which = r.weighted({ view: m ? 10 : 0, capi: 3.5, exporter: 1.4, struct: 1.2 });
    if (which === 'view' && m !== undefined) stepView(b, m);
    else if (which === 'capi') stepCapi(b);
    else if (which === 'struct') stepStruct(b);
    else stepExporter(b);
  }
  // what the PEP 688 exporters were asked and released, once everything above has run
  for (const x of b.vars) if (x.kind === 'pyexp') b.add({ op: 'expstate', target: x.name });
  return { seed, index, steps: b.steps };
}
