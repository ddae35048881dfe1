// The fuzz properties, shared by the bounded run in `npm test` (fuzz.test.ts) and the long
// run of `npm run fuzz` (scripts/fuzz.mjs). Each property runs random cases through the library
// and checks them against tests/reliability/reference.ts; after every case the canaries around
// every heap block are checked. A failure throws with the seed and path that replay it.
import fc from 'fast-check';
import {
  ByteArray,
  Bytes,
  MemoryView,
  ND,
  NDArray,
  PyBUF,
  Py_buffer,
  PyException,
  capi,
  slice,
  type BufferExporter,
  type CastFormat,
} from '../../src/index.js';
import { bf_getbuffer, bf_releasebuffer } from '../../src/buffer.js';
import { checkCanaries } from '../../src/wasm/guard.js';
import { free, heapStats, heapU8, malloc } from '../../src/wasm/heap.js';
import * as ref from './reference.js';

/** What a run tried. */
export interface FuzzStats {
  cases: number;
  casesByProperty: Record<string, number>;
  /** Errors the library raised (expected ones: Python classes), by class name. */
  errors: Record<string, number>;
  canaryViolations: number;
}

export function newStats(): FuzzStats {
  return { cases: 0, casesByProperty: {}, errors: {}, canaryViolations: 0 };
}

/** Options of one run: how many cases per property, and the seed (random if omitted). */
export interface FuzzOptions {
  runs: number;
  seed?: number;
  stats: FuzzStats;
}

// ------------------------------------------------------------------------------------------
// bookkeeping

function noteError(stats: FuzzStats, err: unknown): void {
  const name = err instanceof Error ? err.name : typeof err;
  stats.errors[name] = (stats.errors[name] ?? 0) + 1;
  // only Python's classes (and TypeError, which is JavaScript's and Python's) are expected
  if (!(err instanceof PyException) && !(err instanceof TypeError)) throw err;
}

/** Runs `fn`; an expected error is counted and returned, anything else is rethrown. */
function attempt<T>(stats: FuzzStats, fn: () => T): T | Error {
  try {
    return fn();
  } catch (err) {
    noteError(stats, err);
    return err as Error;
  }
}

function afterCase(stats: FuzzStats, property: string): void {
  stats.cases++;
  stats.casesByProperty[property] = (stats.casesByProperty[property] ?? 0) + 1;
  const bad = checkCanaries();
  stats.canaryViolations += bad.length;
  if (bad.length > 0) throw new Error(`canary violation after a ${property} case: ${JSON.stringify(bad)}`);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function expectBytes(what: string, got: Uint8Array, want: Uint8Array): void {
  if (!sameBytes(got, want)) {
    throw new Error(`${what}: got [${Array.from(got).join(',')}], want [${Array.from(want).join(',')}]`);
  }
}

function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(what);
}

function layoutOf(view: Py_buffer): ref.Layout {
  return {
    buf: view.buf,
    itemsize: view.itemsize,
    shape: view.shape ?? [],
    strides: view.strides ?? [],
    suboffsets: view.suboffsets,
  };
}

// ------------------------------------------------------------------------------------------
// random layouts, built with NDArray (as CPython's test_buffer builds them with ndarray)

const FORMATS: ReadonlyArray<readonly [string, number]> = [
  ['B', 1],
  ['b', 1],
  ['c', 1],
  ['h', 2],
  ['H', 2],
  ['e', 2],
  ['i', 4],
  ['I', 4],
  ['f', 4],
  ['q', 8],
  ['d', 8],
];

/** A random NDArray layout: format, shape, strides kind, slack, PIL. */
export interface LayoutSpec {
  format: string;
  itemsize: number;
  shape: number[];
  strides: 'C' | 'F' | number[];
  before: number;
  after: number;
  pil: boolean;
  seed: number;
}

export const arbLayoutSpec: fc.Arbitrary<LayoutSpec> = fc
  .record({
    fmt: fc.constantFrom(...FORMATS),
    shape: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 4 }),
    kind: fc.constantFrom('C', 'F', 'random', 'random'),
    muls: fc.array(fc.integer({ min: -7, max: 7 }), { minLength: 4, maxLength: 4 }),
    before: fc.integer({ min: 0, max: 2 }),
    after: fc.integer({ min: 0, max: 2 }),
    pil: fc.boolean(),
    seed: fc.integer({ min: 0, max: 255 }),
  })
  .map(({ fmt, shape, kind, muls, before, after, pil, seed }) => ({
    format: fmt[0],
    itemsize: fmt[1],
    shape,
    strides: kind === 'random' ? shape.map((_, i) => muls[i] * fmt[1]) : (kind as 'C' | 'F'),
    before,
    after,
    pil: pil && shape.length > 0,
    seed,
  }));

function itemValue(format: string, k: number): unknown {
  const v = (k * 37 + 11) & 0x7f;
  if (format === 'c') return Uint8Array.of(v);
  if (format === 'q') return BigInt(v) - 50n;
  return v;
}

/** Builds the NDArray a spec describes (writable); the caller releases it. */
export function buildNDArray(spec: LayoutSpec, writable = true): NDArray {
  const { shape, itemsize } = spec;
  let flags = writable ? ND.WRITABLE : 0;
  let strides: number[] | undefined;
  let offset = 0;
  let nitems = Math.max(
    1,
    shape.reduce((a, b) => a * b, 1),
  );
  if (spec.strides === 'F') flags |= ND.FORTRAN;
  else if (spec.strides !== 'C') {
    strides = spec.strides;
    let imin = 0;
    let imax = 0;
    if (!shape.includes(0)) {
      shape.forEach((n, i) => {
        const x = (n - 1) * (strides as number[])[i];
        if (x < 0) imin += x;
        else imax += x;
      });
    }
    offset = -imin + spec.before * itemsize;
    nitems = (imax - imin) / itemsize + 1 + spec.before + spec.after;
  }
  if (spec.pil) flags |= ND.PIL;
  const items = Array.from({ length: nitems }, (_, k) => itemValue(spec.format, k + spec.seed));
  return new NDArray(shape.length === 0 ? items[0] : items, {
    shape,
    strides: strides ?? [],
    offset,
    format: spec.format,
    flags,
  });
}

// ------------------------------------------------------------------------------------------
// properties

type Order = 'C' | 'F' | 'A';

function physicalOrder(layout: ref.Layout, order: Order): 'C' | 'F' {
  if (order !== 'A') return order;
  return !ref.isContiguous(layout, 'C') && ref.isContiguous(layout, 'F') ? 'F' : 'C';
}

/** tobytes, GetContiguous and PyBuffer_ToContiguous against the reference gather. */
function copiesProperty(o: FuzzOptions): fc.IPropertyWithHooks<[LayoutSpec, Order]> {
  return fc.property(arbLayoutSpec, fc.constantFrom<Order>('C', 'F', 'A'), (spec, order) => {
    const nd = attempt(o.stats, () => buildNDArray(spec));
    if (nd instanceof Error) {
      afterCase(o.stats, 'copies');
      return;
    }
    try {
      const m = MemoryView.fromObject(nd);
      const layout = layoutOf(m.view);
      const heap = heapU8();
      const want = ref.gather(heap, layout, physicalOrder(layout, order));
      expectBytes(`tobytes('${order}')`, m.tobytes(order), want);
      const c = MemoryView.getContiguous(nd, PyBUF.READ, order);
      expectBytes(`GetContiguous('${order}')`, c.tobytes('A'), want);
      check(
        c.c_contiguous || c.f_contiguous || m.view.len === 0 || m.ndim === 0,
        'GetContiguous gave a non-contiguous view',
      );
      c.release();
      const view = capi.PyObject_GetBuffer(nd, PyBUF.FULL_RO);
      const dst = malloc(view.len);
      try {
        capi.PyBuffer_ToContiguous(dst, view, view.len, order);
        expectBytes(
          `PyBuffer_ToContiguous('${order}')`,
          heapU8().slice(dst, dst + view.len),
          ref.gather(heapU8(), layout, physicalOrder(layout, order)),
        );
      } finally {
        free(dst);
        capi.PyBuffer_Release(view);
      }
      m.release();
    } finally {
      nd.release();
    }
    afterCase(o.stats, 'copies');
  });
}

/** `spec`'s strides and slack with `like`'s format and shape (so that the two can be copied). */
function sameStructure(spec: LayoutSpec, like: LayoutSpec): LayoutSpec {
  const strides = Array.isArray(spec.strides)
    ? like.shape.map((_, i) => {
        const mul = (spec.strides as number[])[i] === undefined ? 1 : (spec.strides as number[])[i] / spec.itemsize;
        return mul * like.itemsize;
      })
    : spec.strides;
  return { ...spec, format: like.format, itemsize: like.itemsize, shape: like.shape, strides };
}

/** PyBuffer_FromContiguous and PyObject_CopyData against the reference scatter. */
function scatterProperty(o: FuzzOptions): fc.IPropertyWithHooks<[LayoutSpec, LayoutSpec, 'C' | 'F', number]> {
  return fc.property(
    arbLayoutSpec,
    arbLayoutSpec,
    fc.constantFrom<'C' | 'F'>('C', 'F'),
    fc.integer({ min: 0, max: 255 }),
    (dspec, sspec, order, fill) => {
      // the source takes the destination's shape and format so that CopyData's structures agree
      const src = attempt(o.stats, () => buildNDArray(sameStructure(sspec, dspec), false));
      const dst = attempt(o.stats, () => buildNDArray(dspec));
      try {
        if (src instanceof Error || dst instanceof Error) return;
        const dview = capi.PyObject_GetBuffer(dst, PyBUF.FULL);
        const dlayout = layoutOf(dview);
        const block = malloc(dview.len);
        try {
          // FromContiguous
          const bytes = Uint8Array.from({ length: dview.len }, (_, k) => (k * 13 + fill) & 0xff);
          heapU8().set(bytes, block);
          const before = heapU8().slice();
          capi.PyBuffer_FromContiguous(dview, block, dview.len, order);
          const want = ref.scatter(before, dlayout, bytes, order);
          expectBytes(
            `PyBuffer_FromContiguous('${order}')`,
            ref.gather(heapU8(), dlayout, 'C'),
            ref.gather(want, dlayout, 'C'),
          );
          // CopyData
          const sview = capi.PyObject_GetBuffer(src, PyBUF.FULL_RO);
          const slayout = layoutOf(sview);
          const items = ref.gather(heapU8(), slayout, 'C');
          capi.PyBuffer_Release(sview);
          const beforeCopy = heapU8().slice();
          const r = attempt(o.stats, () => capi.PyObject_CopyData(dst, src));
          // where destination items share bytes, the last write in CPython's order wins
          if (!(r instanceof Error)) {
            expectBytes(
              'PyObject_CopyData',
              ref.gather(heapU8(), dlayout, 'C'),
              ref.gather(ref.scatterAt(beforeCopy, dlayout, items, ref.copyDataOrder(dlayout.shape)), dlayout, 'C'),
            );
          }
        } finally {
          free(block);
          capi.PyBuffer_Release(dview);
        }
      } finally {
        if (!(src instanceof Error)) src.release();
        if (!(dst instanceof Error)) dst.release();
        afterCase(o.stats, 'scatter');
      }
    },
  );
}

const arbBound = fc.option(fc.integer({ min: -8, max: 8 }), { nil: null });
const arbSlice = fc.tuple(arbBound, arbBound, fc.integer({ min: -4, max: 4 }));

/** Slices (and slices of slices) of memoryviews, and slice assignment, against the reference. */
function sliceProperty(o: FuzzOptions): fc.IPropertyWithHooks<[LayoutSpec, [number | null, number | null, number][]]> {
  return fc.property(arbLayoutSpec, fc.array(arbSlice, { minLength: 1, maxLength: 3 }), (spec, keys) => {
    const nd = attempt(o.stats, () => buildNDArray(spec));
    if (nd instanceof Error) {
      afterCase(o.stats, 'slices');
      return;
    }
    const views: MemoryView[] = [];
    try {
      let m = MemoryView.fromObject(nd);
      views.push(m);
      let layout = layoutOf(m.view);
      for (const [start, stop, step] of keys) {
        const r = attempt(o.stats, () => m.get(slice(start, stop, step)) as MemoryView);
        if (r instanceof Error) {
          check(step === 0 || m.ndim === 0, `slice refused unexpectedly: ${r.name}: ${r.message}`);
          break;
        }
        views.push(r);
        layout = ref.sliceLayout(layout, start, stop, step);
        m = r;
        check(JSON.stringify(m.shape) === JSON.stringify(layout.shape), `slice shape ${m.shape} != ${layout.shape}`);
        expectBytes('slice tobytes', m.tobytes(), ref.gather(heapU8(), layout, 'C'));
      }
      // slice assignment of the reversed view onto itself (overlapping) on a 1-D result
      if (m.ndim === 1 && m.format.length === 1) {
        const rev = m.get(slice(null, null, -1)) as MemoryView;
        views.push(rev);
        const want = ref.gather(
          heapU8(),
          { ...layout, buf: layout.buf + layout.strides[0] * (layout.shape[0] - 1), strides: [-layout.strides[0]] },
          'C',
        );
        const r = attempt(o.stats, () => m.set(slice(null, null, null), rev));
        if (!(r instanceof Error)) expectBytes('m[:] = m[::-1]', m.tobytes(), want);
      }
    } finally {
      for (const v of views.reverse()) v.release();
      nd.release();
    }
    afterCase(o.stats, 'slices');
  });
}

const CAST_FORMATS = ['B', 'b', 'c', 'h', 'H', 'i', 'I', 'l', 'L', 'q', 'Q', 'f', 'd', 'e', '?', 'n', 'N', 'P'];

/** Casts to bytes and back to random formats and shapes: the bytes never change. */
function castProperty(o: FuzzOptions): fc.IPropertyWithHooks<[LayoutSpec, string, number[]]> {
  return fc.property(
    arbLayoutSpec,
    fc.constantFrom(...CAST_FORMATS),
    fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 3 }),
    (spec, format, shape) => {
      const nd = attempt(o.stats, () => buildNDArray(spec));
      if (nd instanceof Error) {
        afterCase(o.stats, 'casts');
        return;
      }
      const views: MemoryView[] = [];
      try {
        const m = MemoryView.fromObject(nd);
        views.push(m);
        const bytes = ref.gather(heapU8(), layoutOf(m.view), 'C');
        const b = attempt(o.stats, () => m.cast('B'));
        if (!(b instanceof Error)) {
          views.push(b);
          check(m.c_contiguous, 'cast of a non-C-contiguous view succeeded');
          expectBytes("cast('B')", b.tobytes(), bytes);
          const c = attempt(o.stats, () =>
            shape.length > 0 ? b.cast(format as CastFormat, shape) : b.cast(format as CastFormat),
          );
          if (!(c instanceof Error)) {
            views.push(c);
            expectBytes(`cast('${format}', [${shape}])`, c.tobytes(), bytes);
            check(c.nbytes === bytes.length, 'cast changed nbytes');
          }
        } else {
          check(!m.c_contiguous || m.ndim !== 1 || spec.shape.includes(0), `cast('B') refused: ${b.message}`);
        }
      } finally {
        for (const v of views.reverse()) v.release();
        nd.release();
      }
      afterCase(o.stats, 'casts');
    },
  );
}

/** A third-party exporter returning an arbitrary descriptor around one block of its own. */
interface BadSpec {
  offset: number;
  itemsize: number;
  shape: number[];
  strides: number[];
  suboffsets: number[] | null;
  table: number[];
  lenDelta: number;
}

const arbBadSpec: fc.Arbitrary<BadSpec> = fc
  .record({
    offset: fc.integer({ min: -48, max: 112 }),
    itemsize: fc.constantFrom(1, 2, 4, 8),
    shape: fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 3 }),
    strides: fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 3, maxLength: 3 }),
    suboffsets: fc.option(fc.array(fc.integer({ min: -1, max: 40 }), { minLength: 3, maxLength: 3 }), { nil: null }),
    table: fc.array(fc.integer({ min: -32, max: 96 }), { minLength: 8, maxLength: 8 }),
    lenDelta: fc.constantFrom(0, 0, 0, 1, -1),
  })
  .map((s) => ({
    ...s,
    strides: s.strides.slice(0, s.shape.length),
    suboffsets: s.suboffsets?.slice(0, s.shape.length) ?? null,
  }));

const BLOCK = 64;

/**
 * Bad descriptors are refused (BufferError) exactly when they reach outside the exporter's
 * block; accepted ones copy what the reference reads; nothing outside the block changes.
 */
function descriptorProperty(o: FuzzOptions): fc.IPropertyWithHooks<[BadSpec]> {
  return fc.property(arbBadSpec, (spec) => {
    const block = malloc(BLOCK);
    // the first 32 bytes hold pointers (relative offsets into the block, some pointing out)
    const dv = new DataView(heapU8().buffer);
    spec.table.forEach((t, k) => dv.setUint32(block + 4 * k, (block + t) >>> 0, true));
    for (let k = 32; k < BLOCK; k++) heapU8()[block + k] = k;
    let gets = 0;
    let releases = 0;
    const exporter: BufferExporter = {
      [bf_getbuffer](view: Py_buffer) {
        gets++;
        view.obj = exporter;
        view.buf = block + spec.offset;
        view.itemsize = spec.itemsize;
        view.ndim = spec.shape.length;
        view.shape = spec.shape;
        view.strides = spec.strides;
        view.suboffsets = spec.suboffsets;
        view.format = ({ 1: 'B', 2: 'H', 4: 'I', 8: 'Q' } as Record<number, string>)[spec.itemsize];
        view.len = spec.shape.reduce((a, b) => a * b, 1) * spec.itemsize + spec.lenDelta;
        view.readonly = true;
      },
      [bf_releasebuffer]() {
        releases++;
      },
    };
    try {
      const before = heapU8().slice(block, block + BLOCK);
      const layout: ref.Layout = {
        buf: block + spec.offset,
        itemsize: spec.itemsize,
        shape: spec.shape,
        strides: spec.strides,
        suboffsets: spec.suboffsets,
      };
      const inside =
        spec.lenDelta === 0 &&
        (spec.shape.includes(0) || ref.reachesOnlyInside(heapU8(), layout, block, block + BLOCK));
      const m = attempt(o.stats, () => MemoryView.fromObject(exporter));
      if (m instanceof Error) {
        check(m.name === 'BufferError' || m.name === 'ValueError', `descriptor refused with ${m.name}: ${m.message}`);
        check(!inside || m.name === 'ValueError', `a descriptor inside the block was refused: ${m.message}`);
        check(releases === gets, 'the exporter buffer of a refused descriptor was not released');
      } else {
        check(inside, `a descriptor reaching outside its block was accepted: ${JSON.stringify(spec)}`);
        expectBytes('tobytes of a third-party descriptor', m.tobytes(), ref.gather(heapU8(), layout, 'C'));
        m.release();
        check(releases === 1, 'the exporter buffer was not released once');
      }
      expectBytes('the exporter block', heapU8().slice(block, block + BLOCK), before);
    } finally {
      free(block);
    }
    afterCase(o.stats, 'descriptors');
  });
}

// ------------------------------------------------------------------------------------------
// lifetimes: random operations against a model

type Op =
  | { op: 'bytes' | 'bytearray'; n: number }
  | { op: 'view'; e: number }
  | { op: 'viewOfView' | 'readonly' | 'release' | 'export' | 'tobytes' | 'cast'; v: number }
  | { op: 'slice'; v: number; start: number | null; stop: number | null; step: number }
  | { op: 'unexport'; x: number }
  | { op: 'resize'; e: number; n: number }
  | { op: 'dispose'; e: number }
  | { op: 'usingThrows'; e: number }
  | { op: 'grow' };

const arbOp: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constantFrom('bytes' as const, 'bytearray' as const), n: fc.integer({ min: 0, max: 40 }) }),
  fc.record({ op: fc.constant('view' as const), e: fc.nat(7) }),
  fc.record({
    op: fc.constantFrom(
      'viewOfView' as const,
      'readonly' as const,
      'release' as const,
      'export' as const,
      'tobytes' as const,
      'cast' as const,
    ),
    v: fc.nat(15),
  }),
  fc.record({
    op: fc.constant('slice' as const),
    v: fc.nat(15),
    start: arbBound,
    stop: arbBound,
    step: fc.integer({ min: -3, max: 3 }),
  }),
  fc.record({ op: fc.constant('unexport' as const), x: fc.nat(7) }),
  fc.record({ op: fc.constant('resize' as const), e: fc.nat(7), n: fc.integer({ min: 0, max: 64 }) }),
  fc.record({ op: fc.constant('dispose' as const), e: fc.nat(7) }),
  fc.record({ op: fc.constant('usingThrows' as const), e: fc.nat(7) }),
  fc.record({ op: fc.constant('grow' as const) }),
);

interface ModelExporter {
  obj: Bytes | ByteArray;
  disposed: boolean;
  exports: number;
  bytes: number[];
}
interface ModelView {
  mv: MemoryView;
  exporter: ModelExporter;
  mbuf: object;
  released: boolean;
  exports: number;
}

/**
 * Random sequences of operations on exporters, views, exports and memory growth, checked
 * against a model of CPython's rules (a managed buffer per exporter acquisition, released with
 * its last view; views with exports cannot be released; exported bytearrays cannot resize;
 * dispose() lets go at once and the memory follows the last view);
 * at the end everything is released and the heap is back at its baseline.
 */
function lifetimeProperty(o: FuzzOptions): fc.IPropertyWithHooks<[Op[]]> {
  return fc.property(fc.array(arbOp, { maxLength: 40 }), (ops) => {
    const baseline = heapStats();
    const exporters: ModelExporter[] = [];
    const views: ModelView[] = [];
    const exported: Array<{ buf: Py_buffer; view: ModelView; done: boolean }> = [];
    const grown: number[] = [];
    const mbufViews = new Map<object, number>();
    const addView = (mv: MemoryView, e: ModelExporter): void => {
      views.push({ mv, exporter: e, mbuf: mv.mbuf, released: false, exports: 0 });
      mbufViews.set(mv.mbuf, (mbufViews.get(mv.mbuf) ?? 0) + 1);
      if (mbufViews.get(mv.mbuf) === 1) e.exports++;
    };
    const dropView = (v: ModelView): void => {
      v.released = true;
      const n = (mbufViews.get(v.mbuf) as number) - 1;
      mbufViews.set(v.mbuf, n);
      if (n === 0) v.exporter.exports--;
    };
    try {
      for (const op of ops) {
        switch (op.op) {
          case 'bytes':
          case 'bytearray': {
            const data = Array.from({ length: op.n }, (_, k) => (k * 7 + exporters.length) & 0xff);
            const obj = op.op === 'bytes' ? new Bytes(data) : new ByteArray(data);
            exporters.push({ obj, disposed: false, exports: 0, bytes: data });
            break;
          }
          case 'view': {
            const e = exporters[op.e % Math.max(1, exporters.length)];
            if (e === undefined) break;
            const r = attempt(o.stats, () => MemoryView.fromObject(e.obj));
            check(
              r instanceof Error === e.disposed,
              `fromObject on ${e.disposed ? 'a disposed' : 'a live'} exporter: ${r}`,
            );
            if (!(r instanceof Error)) addView(r, e);
            break;
          }
          case 'viewOfView':
          case 'readonly':
          case 'slice':
          case 'cast': {
            const v = views[op.v % Math.max(1, views.length)];
            if (v === undefined) break;
            const r = attempt(o.stats, (): MemoryView => {
              if (op.op === 'viewOfView') return MemoryView.fromObject(v.mv);
              if (op.op === 'readonly') return v.mv.toreadonly();
              if (op.op === 'cast') return v.mv.cast('B');
              const key = op as Extract<Op, { op: 'slice' }>;
              return v.mv.get(slice(key.start, key.stop, key.step)) as MemoryView;
            });
            if (r instanceof Error) {
              check(
                v.released || (op.op === 'slice' && op.step === 0) || op.op === 'cast',
                `${op.op} failed on a live view: ${r.message}`,
              );
            } else {
              check(!v.released, `${op.op} succeeded on a released view`);
              check(r.mbuf === v.mbuf, `${op.op} made a view on another managed buffer`);
              views.push({ mv: r, exporter: v.exporter, mbuf: r.mbuf, released: false, exports: 0 });
              mbufViews.set(r.mbuf, (mbufViews.get(r.mbuf) as number) + 1);
            }
            break;
          }
          case 'release': {
            const v = views[op.v % Math.max(1, views.length)];
            if (v === undefined) break;
            const r = attempt(o.stats, () => v.mv.release());
            if (v.released) check(!(r instanceof Error), 'a second release raised');
            else if (v.exports > 0)
              check(
                r instanceof Error && r.name === 'BufferError',
                'release of an exported view did not raise BufferError',
              );
            else {
              check(!(r instanceof Error), `release raised: ${r}`);
              dropView(v);
            }
            break;
          }
          case 'export': {
            const v = views[op.v % Math.max(1, views.length)];
            if (v === undefined) break;
            const r = attempt(o.stats, () => capi.PyObject_GetBuffer(v.mv, PyBUF.FULL_RO));
            check(r instanceof Error === v.released, `export of a ${v.released ? 'released' : 'live'} view: ${r}`);
            if (!(r instanceof Error)) {
              v.exports++;
              exported.push({ buf: r, view: v, done: false });
            }
            break;
          }
          case 'unexport': {
            const x =
              exported.find((e, k) => !e.done && k >= op.x % Math.max(1, exported.length)) ??
              exported.find((e) => !e.done);
            if (x === undefined) break;
            capi.PyBuffer_Release(x.buf);
            capi.PyBuffer_Release(x.buf); // a second release is harmless
            x.done = true;
            x.view.exports--;
            break;
          }
          case 'tobytes': {
            const v = views[op.v % Math.max(1, views.length)];
            if (v === undefined) break;
            const r = attempt(o.stats, () => v.mv.tobytes());
            check(r instanceof Error === v.released, `tobytes on a ${v.released ? 'released' : 'live'} view: ${r}`);
            break;
          }
          case 'resize': {
            const e = exporters[op.e % Math.max(1, exporters.length)];
            if (e === undefined || !(e.obj instanceof ByteArray)) break;
            const ba = e.obj;
            const r = attempt(o.stats, () => ba.resize(op.n));
            const allowed = !e.disposed && (e.exports === 0 || op.n === e.bytes.length);
            check(
              r instanceof Error !== allowed,
              `resize(${op.n}) with ${e.exports} exports, disposed=${e.disposed}: ${r}`,
            );
            if (!(r instanceof Error)) {
              e.bytes = Array.from({ length: op.n }, (_, k) => e.bytes[k] ?? 0);
              expectBytes('bytearray after resize', ba.toUint8Array(), Uint8Array.from(e.bytes));
            }
            break;
          }
          case 'dispose': {
            const e = exporters[op.e % Math.max(1, exporters.length)];
            if (e === undefined) break;
            // the owner lets go even while exported: the memory goes with the last view
            const r = attempt(o.stats, () => e.obj.dispose());
            check(!(r instanceof Error), `dispose with ${e.exports} exports: ${r}`);
            e.disposed = true;
            break;
          }
          case 'usingThrows': {
            const e = exporters[op.e % Math.max(1, exporters.length)];
            if (e === undefined || e.disposed) break;
            let inner: MemoryView | null = null;
            try {
              using m = MemoryView.fromObject(e.obj);
              inner = m;
              throw new RangeError('thrown inside using');
            } catch (err) {
              check(err instanceof RangeError, 'using block lost its error');
            }
            check(inner !== null && (inner as MemoryView).isReleased, 'a view declared with using was not released');
            break;
          }
          case 'grow': {
            // grow linear memory past its size: every live view must read the same bytes after
            const size = heapU8().length;
            // (up to 4 MiB: the reference snapshots linear memory, so keep it small)
            const p = attempt(o.stats, () => malloc(size < 4 << 20 ? size : 1 << 16));
            if (!(p instanceof Error)) grown.push(p);
            break;
          }
        }
        // every live view of a live exporter reads what the model says
        for (const v of views) {
          if (v.released || v.exporter.disposed || v.mv.ndim !== 1 || v.mv.format !== 'B' || v.mv.nbytes === 0)
            continue;
          const first = v.mv.view.buf - v.exporter.obj.address;
          check(first >= 0 && first < v.exporter.bytes.length, 'a live view points outside its exporter');
          check(v.mv.get(0) === v.exporter.bytes[first], 'a live view reads a byte the exporter does not hold');
        }
      }
    } finally {
      for (const x of exported) if (!x.done) capi.PyBuffer_Release(x.buf);
      for (const v of views) v.mv.release();
      for (const e of exporters) e.obj.dispose();
      for (const p of grown) free(p);
    }
    const after = heapStats();
    check(
      after.liveBlocks === baseline.liveBlocks && after.liveBytes === baseline.liveBytes,
      `heap not at baseline after a lifetime sequence: ${JSON.stringify(baseline)} -> ${JSON.stringify(after)}`,
    );
    afterCase(o.stats, 'lifetimes');
  });
}

// ------------------------------------------------------------------------------------------

/** The properties by name. */
export const PROPERTIES: Record<string, (o: FuzzOptions) => fc.IPropertyWithHooks<never>> = {
  copies: copiesProperty as (o: FuzzOptions) => fc.IPropertyWithHooks<never>,
  scatter: scatterProperty as (o: FuzzOptions) => fc.IPropertyWithHooks<never>,
  slices: sliceProperty as (o: FuzzOptions) => fc.IPropertyWithHooks<never>,
  casts: castProperty as (o: FuzzOptions) => fc.IPropertyWithHooks<never>,
  descriptors: descriptorProperty as (o: FuzzOptions) => fc.IPropertyWithHooks<never>,
  lifetimes: lifetimeProperty as (o: FuzzOptions) => fc.IPropertyWithHooks<never>,
};

/**
 * Runs one property for `o.runs` cases from `o.seed`; a failure throws an Error whose message
 * holds fast-check's report (seed, path, shrunk counterexample) to replay it.
 */
export function runProperty(name: string, o: FuzzOptions): void {
  const seed = o.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
  const details = fc.check(PROPERTIES[name](o), { numRuns: o.runs, seed });
  if (details.failed) {
    const cause =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    const report = `${fc.defaultReportMessage(details) ?? 'failed'}\ncause: ${cause}`;
    throw new Error(
      `fuzz property '${name}' failed (replay: seed=${seed}, path=${details.counterexamplePath})\n${report}`,
    );
  }
}
