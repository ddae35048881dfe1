// The JavaScript side of the differential suite: runs a scenario through this project's public
// API (src/index.ts), one call per step, and encodes each answer as python.ts's enc() does.
import {
  ByteArray, Bytes, Ellipsis, MemoryView, NDArray, PySlice, Py_buffer, capi, heapStats, readMemory, testbuffer,
  writeMemory,
} from '../../src/index.js';
import { fromHex, reads, toHex, type PV, type Scenario, type Step } from './scenario.js';
import { ambiguousValue, integralFloat } from './python.js';
import { canonicalNumber, type Result } from './results.js';

/** A Py_buffer variable: the descriptor and the object it was requested from. */
class JsBuf {
  constructor(readonly view: Py_buffer, readonly src: unknown, readonly flags: number) {}
}

const SKIPPED: unique symbol = Symbol('skipped');

/** The guard of python.ts _shapeless_wide(): item access there is undefined in _testbuffer. */
function shapelessWide(x: unknown): boolean {
  return x instanceof NDArray && x.format === '' && x.itemsize !== 1;
}

/** The guard of python.ts _too_many_slices(): more slices than dimensions is undefined in _testbuffer. */
function tooManySlices(nd: unknown, key: unknown): boolean {
  return nd instanceof NDArray && Array.isArray(key) && key.length > 0 && key.every((k) => k instanceof PySlice) &&
    key.length > exportNdim(nd);
}

/** The guard of python.ts _export_ndim(): with ND_REDIRECT the sliced buffer is the base's. */
function exportNdim(nd: NDArray): number {
  try {
    const m = MemoryView.fromObject(nd);
    const ndim = m.ndim;
    m.release();
    return Math.min(nd.ndim, ndim);
  } catch {
    return nd.ndim;
  }
}

/** A Python int key as the runner passes it (isinstance(k, int): bools included, NaN not). */
function isIntKey(k: unknown): boolean {
  return (typeof k === 'number' && Number.isInteger(k)) || typeof k === 'bigint' || typeof k === 'boolean';
}

/** What the known-difference classifiers may look at, besides the two answers. */
export interface StepFacts {
  /** Format and bytes (C order) of every view or exporter the step reads, before it runs. */
  operands: Array<{ name: string; format: string; bytes: Uint8Array | null }>;
  /** PyObject_CopyData: whether the two operands' memory overlaps. */
  overlap?: boolean;
  /**
   * Whether an operand has a stride, suboffset or length outside wasm32's Py_ssize_t, or an
   * address outside its 32-bit pointers (where CPython's arithmetic wraps).
   */
  wide: boolean;
}

const outsideSsize = (x: number): boolean => x > 0x7fffffff || x < -0x80000000;

export interface JsRun {
  results: Result[];
  facts: StepFacts[];
  /** Heap blocks still live after the scenario released everything it made. */
  leakedBlocks: number;
}

function floatOf(v: string): number {
  switch (v) {
    case 'nan': return NaN;
    case 'inf': return Infinity;
    case '-inf': return -Infinity;
    default: return Number(v);
  }
}

class Context {
  readonly vars = new Map<string, unknown>();
  /** Objects made for values (bytes used as exporters), disposed at the end. */
  readonly temps: Bytes[] = [];

  value(v: PV): unknown {
    switch (v.k) {
      case 'int': {
        const x = BigInt(v.v);
        return x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x;
      }
      case 'float': return floatOf(v.v);
      case 'bool': return v.v;
      case 'bytes': return fromHex(v.hex);
      case 'bytesobj': {
        const b = new Bytes(fromHex(v.hex));
        this.temps.push(b);
        return b;
      }
      case 'str': return v.v;
      case 'none': return null;
      case 'ellipsis': return Ellipsis;
      case 'slice': return new PySlice(this.value(v.start) as never, this.value(v.stop) as never, this.value(v.step) as never);
      case 'tuple': case 'list': return v.items.map((x) => this.value(x));
      case 'ref': return this.vars.get(v.name);
    }
  }

  name(o: unknown): string {
    if (o === null || o === undefined) return 'None';
    for (const [k, v] of this.vars) if (v === o) return k;
    return typeName(o);
  }
}

function typeName(o: unknown): string {
  if (o instanceof MemoryView) return 'memoryview';
  if (o instanceof NDArray) return 'ndarray';
  if (o instanceof ByteArray) return 'bytearray';
  if (o instanceof Bytes) return 'bytes';
  return typeof o;
}

function numberResult(x: number): Result {
  return { t: 'num', v: canonicalNumber(x) };
}

function excResult(err: unknown): Result {
  if (err instanceof Error) return { t: 'exc', cls: err.name, msg: err.message };
  return { t: 'exc', cls: `JS:${typeof err}`, msg: String(err) };
}

function attempt(f: () => Result): Result {
  try {
    return f();
  } catch (err) {
    return excResult(err);
  }
}

function list(xs: readonly number[] | null, n: number): number[] | null {
  return xs === null ? null : xs.slice(0, n);
}

/** The encoding of python.ts's enc() for a JavaScript answer. */
function encode(x: unknown, ctx: Context): Result {
  if (x === SKIPPED) return { t: 'skipped' };
  if (typeof x === 'boolean') return { t: 'bool', v: x };
  if (typeof x === 'number') return numberResult(x);
  if (typeof x === 'bigint') return { t: 'num', v: x.toString() };
  if (typeof x === 'string') return { t: 'str', v: x };
  if (x === null || x === undefined) return { t: 'none' };
  if (x instanceof Uint8Array) return { t: 'bytes', v: toHex(x) };
  if (Array.isArray(x)) return { t: 'list', v: x.map((y) => encode(y, ctx)) };
  if (x instanceof MemoryView) {
    let d: Extract<Result, { t: 'mv' }>;
    try {
      d = {
        t: 'mv', format: x.format, itemsize: x.itemsize, ndim: x.ndim, shape: x.shape, strides: x.strides,
        suboffsets: x.suboffsets, readonly: x.readonly, nbytes: x.nbytes, c: x.c_contiguous, f: x.f_contiguous,
        a: x.contiguous, obj: ctx.name(x.obj),
      };
    } catch (err) {
      return { t: 'mv', released: excResult(err) };
    }
    d.bytes = attempt(() => ({ t: 'str', v: toHex(x.tobytes()) }));
    if (d.bytes.t === 'str') d.bytes = d.bytes.v;
    return d;
  }
  if (x instanceof NDArray) {
    const bytes = attempt(() => ({ t: 'str', v: toHex(x.tobytes()) }));
    return {
      t: 'nd', format: x.format, itemsize: x.itemsize, ndim: x.ndim, shape: x.shape, strides: x.strides,
      suboffsets: x.suboffsets, readonly: x.readonly, nbytes: x.nbytes, flags: x.flags, offset: x.offset,
      c: x.c_contiguous, f: x.f_contiguous, a: x.contiguous, bytes: bytes.t === 'str' ? bytes.v : bytes,
      list: attempt(() => encode(x.tolist(), ctx)),
    };
  }
  if (x instanceof Bytes || x instanceof ByteArray) return { t: 'bytes', v: toHex(x.toUint8Array()) };
  if (x instanceof JsBuf) {
    const v = x.view;
    const n = v.ndim;
    return {
      t: 'buf', len: v.len, itemsize: v.itemsize, readonly: Boolean(v.readonly), ndim: n, format: v.format,
      shape: n ? list(v.shape, n) : null, strides: n ? list(v.strides, n) : null,
      suboffsets: n ? list(v.suboffsets, n) : null, obj: ctx.name(v.obj),
    };
  }
  // a complex item ('F', 'D'): a Complex with numeric parts, compared as Python's complex
  if (typeof x === 'object' && (x as { constructor?: { name?: string } }).constructor?.name === 'Complex') {
    const c = x as { re?: unknown; im?: unknown };
    if (typeof c.re === 'number' && typeof c.im === 'number') return { t: 'complex', re: numberResult(c.re), im: numberResult(c.im) };
  }
  return { t: 'other', v: typeName(x) };
}

/** tobytes() of any exporter through a temporary view (released before returning). */
function exporterBytes(obj: unknown): Uint8Array {
  const m = MemoryView.fromObject(obj);
  try {
    return m.tobytes();
  } finally {
    m.release();
  }
}

function bufOf(ctx: Context, name: string): JsBuf {
  return ctx.vars.get(name) as JsBuf;
}

/** Runs one step; returns the answer (an object for `out`) or throws Python's exception. */
function run(s: Step, ctx: Context): unknown {
  const v = (p: PV): unknown => ctx.value(p);
  const target = (): unknown => ctx.vars.get((s as { target: string }).target);
  // a target of the wrong kind fails as a missing attribute does in Python
  const call = (name: string, ...args: unknown[]): unknown => {
    const o = target() as Record<string, unknown>;
    const f = o[name];
    if (typeof f !== 'function') throw new TypeError(`'${typeName(o)}' object has no attribute '${name}'`);
    return (f as (...a: unknown[]) => unknown).apply(o, args);
  };
  switch (s.op) {
    case 'bytes': return new Bytes(fromHex(s.hex));
    case 'bytearray': return new ByteArray(fromHex(s.hex));
    case 'ndarray':
      return new NDArray(v(s.items), { shape: s.shape, strides: s.strides ?? undefined, offset: s.offset, format: s.format, flags: s.flags });
    case 'reexport': {
      const opts: { getbuf?: number; flags?: number } = {};
      if (s.getbuf !== null) opts.getbuf = s.getbuf;
      if (s.flags !== null) opts.flags = s.flags;
      return new NDArray(ctx.vars.get(s.base), opts);
    }
    case 'ndsub': {
      // the guard of python.ts ndsub(): more slices than dimensions is undefined in _testbuffer
      const nd = ctx.vars.get(s.base);
      const key = v(s.key);
      if (tooManySlices(nd, key)) return SKIPPED;
      if (shapelessWide(nd) && isIntKey(key)) return SKIPPED;
      return (nd as NDArray).get(key as never);
    }
    case 'memoryview': return MemoryView.fromObject(v(s.arg));
    case 'fromflags': return MemoryView.fromObjectAndFlags(v(s.arg), s.flags);
    case 'mvfrombuffer': return (ctx.vars.get(s.base) as NDArray).memoryview_from_buffer();
    case 'getcontig': return testbuffer.get_contiguous(v(s.arg), v(s.buffertype), v(s.order));
    case 'cast': return s.shape === null ? call('cast', v(s.format)) : call('cast', v(s.format), v(s.shape));
    case 'toreadonly': return call('toreadonly');
    case 'addsub': return call('add_suboffsets');
    case 'push': return call('push', v(s.items), { shape: s.shape, format: s.format });
    case 'pop': return call('pop');
    case 'ndset': {
      // the guard of python.ts ndset()
      const nd = target();
      const key = v(s.key);
      if (ambiguousValue(s.value) && nd instanceof NDArray) {
        const n = nd.ndim;
        const isInt = (k: unknown): boolean => typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean';
        const item = (n === 0 && (key === Ellipsis || (Array.isArray(key) && key.length === 0))) || (n === 1 && isInt(key));
        if (!item) return SKIPPED;
      }
      if (integralFloat(s.value) && nd instanceof NDArray && !/[efd]$/.test(nd.format)) return SKIPPED;
      if (shapelessWide(nd) && isIntKey(key)) return SKIPPED;
      if (tooManySlices(nd, key)) return SKIPPED;
      call('set', key, v(s.value));
      return nd;
    }
    case 'attrs': return target();
    case 'get': return call('get', v(s.key));
    case 'set': {
      // the guard of python.ts setfloat()
      const m = target();
      if (integralFloat(s.value)) {
        let format = 'd';
        try {
          format = (m as MemoryView).format;
        } catch {
          format = 'd';
        }
        if (!/[efd]$/.test(format)) return SKIPPED;
      }
      return call('set', v(s.key), v(s.value));
    }
    case 'tolist': return call('tolist');
    case 'tobytes': return s.order === undefined ? call('tobytes') : call('tobytes', v(s.order));
    case 'hex': return call('hex', ...s.args.map(v));
    case 'eq': return call('equals', v(s.other));
    case 'hash': return call('hash');
    case 'count': return call('count', v(s.value));
    case 'index': return call('index', v(s.value), ...s.args.map(v));
    case 'len': return (target() as { length: number }).length;
    case 'iter': {
      const x = target();
      if (shapelessWide(x)) return SKIPPED;
      return [...(x as Iterable<unknown>)];
    }
    case 'release': return call('release');
    case 'del': {
      const o = ctx.vars.get(s.target);
      ctx.vars.delete(s.target);
      dispose(o);
      return null;
    }
    case 'bytearrayop': {
      const ba = target() as ByteArray;
      const args = s.args.map((a) => (a.k === 'bytesobj' ? fromHex(a.hex) : v(a)));
      if (s.method === 'setitem') ba.setAt(args[0] as number, args[1] as number);
      else if (s.method === 'append') ba.append(args[0] as number);
      else if (s.method === 'extend') ba.extend(args[0] as Uint8Array);
      else if (s.method === 'resize') ba.resize(args[0] as number);
      else ba.clear();
      return ba;
    }
    case 'cmp_contig': return testbuffer.cmp_contig(v(s.a), v(s.b));
    case 'is_contiguous': return testbuffer.is_contiguous(v(s.a), v(s.order));
    case 'get_pointer': return testbuffer.get_pointer(v(s.a), v(s.indices));
    case 'py_buffer_to_contiguous': return testbuffer.py_buffer_to_contiguous(v(s.a), v(s.order), s.flags);
    case 'sizeof_void_p': return testbuffer.get_sizeof_void_p();
    case 'slice_indices': return testbuffer.slice_indices(v(s.key), v(s.length));
    case 'getbuf': {
      const src = v(s.arg);
      return new JsBuf(capi.PyObject_GetBuffer(src, s.flags), src, s.flags);
    }
    case 'buf_is_contiguous': return capi.PyBuffer_IsContiguous(bufOf(ctx, s.buf).view, s.order);
    case 'buf_to_contiguous': {
      const b = bufOf(ctx, s.buf);
      const n = b.view.len + s.lenDelta;
      const mem = capi.PyMem_Malloc(Math.max(n, 1));
      try {
        capi.PyBuffer_ToContiguous(mem, b.view, n, s.order);
        return readMemory(mem, n);
      } finally {
        capi.PyMem_Free(mem);
      }
    }
    case 'buf_from_contiguous': {
      const b = bufOf(ctx, s.buf);
      if (b.view.readonly || (b.flags & 0x18) !== 0x18) return SKIPPED;
      const data = fromHex(s.hex);
      const mem = capi.PyMem_Malloc(Math.max(data.length, 1));
      try {
        writeMemory(mem, data);
        capi.PyBuffer_FromContiguous(b.view, mem, data.length, s.order);
      } finally {
        capi.PyMem_Free(mem);
      }
      return exporterBytes(b.src);
    }
    case 'buf_get_pointer': {
      const b = bufOf(ctx, s.buf);
      const shape = b.view.shape;
      if ((b.flags & 0x18) !== 0x18 || s.indices.length !== b.view.ndim || shape === null) return SKIPPED;
      if (s.indices.some((i, k) => i < 0 || i >= shape[k])) return SKIPPED;
      const p = capi.PyBuffer_GetPointer(b.view, s.indices);
      return [b.view.suboffsets ? null : p - b.view.buf, readMemory(p, b.view.itemsize)];
    }
    case 'buf_release': return capi.PyBuffer_Release(bufOf(ctx, s.buf).view);
    case 'frombuffer': return capi.PyMemoryView_FromBuffer(bufOf(ctx, s.buf).view);
    case 'copydata': {
      const dest = v(s.dest);
      const src = v(s.src);
      if (copyLoopsOutside(dest, src)) return SKIPPED;
      capi.PyObject_CopyData(dest, src);
      return exporterBytes(dest);
    }
    case 'fillstrides': {
      const strides = new Array<number>(s.shape.length).fill(0);
      return capi.PyBuffer_FillContiguousStrides(s.shape.length, s.shape, strides, s.itemsize, s.order);
    }
    case 'sizefromformat': return capi.PyBuffer_SizeFromFormat(s.format);
  }
}

/** The guard of python.ts _copy_loops_outside: CopyData's item loop would leave dest's shape. */
function copyLoopsOutside(dest: unknown, src: unknown): boolean {
  let d: MemoryView | null = null;
  let s: MemoryView | null = null;
  try {
    d = MemoryView.fromObject(dest);
    s = MemoryView.fromObject(src);
    if ((d.c_contiguous && s.c_contiguous) || (d.f_contiguous && s.f_contiguous)) return false;
    const ds = d.shape;
    return d.ndim !== s.ndim || s.shape.some((n, i) => ds[i] < n);
  } catch {
    return false;
  } finally {
    s?.release();
    d?.release();
  }
}

/** Releases what a variable holds, as Python's deallocation of its last reference would. */
function dispose(o: unknown): void {
  if (o instanceof MemoryView) o.release();
  else if (o instanceof NDArray) o.release();
  else if (o instanceof Bytes || o instanceof ByteArray) o.dispose();
  else if (o instanceof JsBuf) capi.PyBuffer_Release(o.view);
}

/** Format and C-order bytes of the views and exporters a step reads (for the classifiers). */
function factsOf(s: Step, ctx: Context): StepFacts {
  const operands: StepFacts['operands'] = [];
  let wide = false;
  for (const name of reads(s)) {
    const o = ctx.vars.get(name);
    let view: Py_buffer | null = null;
    try {
      view = o instanceof MemoryView || o instanceof JsBuf ? o.view : o instanceof NDArray ? NDArray.baseOf(o) : null;
    } catch {
      view = null; // a released ndarray
    }
    if (view !== null) {
      wide ||= outsideSsize(view.len) || (view.strides ?? []).some(outsideSsize) || (view.suboffsets ?? []).some(outsideSsize) ||
        view.buf < 0 || view.buf > 0xffffffff;
    }
    let format: string | null = null;
    if (o instanceof MemoryView && !o.isReleased) format = o.format;
    else if (o instanceof NDArray) format = o.format;
    else if (o instanceof JsBuf) format = o.view.format ?? 'B';
    if (format === null) continue;
    let bytes: Uint8Array | null = null;
    if (/[?eFD]/.test(format)) {
      try {
        bytes = o instanceof JsBuf ? null : exporterBytes(o);
      } catch {
        bytes = null;
      }
    }
    operands.push({ name, format, bytes });
  }
  const facts: StepFacts = { operands, wide };
  if (s.op === 'copydata') facts.overlap = overlaps(ctx.value(s.dest), ctx.value(s.src));
  return facts;
}

/** Whether the memory two exporters expose shares a byte (their views' address ranges meet). */
function overlaps(a: unknown, b: unknown): boolean {
  const range = (o: unknown): [number, number] | null => {
    try {
      const m = MemoryView.fromObject(o);
      try {
        const view = m.view;
        let lo = view.buf;
        let hi = view.buf + (view.ndim === 0 ? view.itemsize : 0);
        if (view.ndim > 0 && !(view.shape as number[]).includes(0)) {
          hi = view.buf + view.itemsize;
          (view.shape as number[]).forEach((n, i) => {
            const x = (n - 1) * (view.strides as number[])[i];
            if (x < 0) lo += x; else hi += x;
          });
        }
        return view.suboffsets !== null ? [0, 2 ** 32] : [lo, hi];
      } finally {
        m.release();
      }
    } catch {
      return null;
    }
  };
  const ra = range(a);
  const rb = range(b);
  return ra !== null && rb !== null && ra[0] < rb[1] && rb[0] < ra[1];
}

/** Runs a scenario through the public API, then releases everything it made. */
export function runScenarioJs(sc: Scenario): JsRun {
  const before = heapStats().liveBlocks;
  const ctx = new Context();
  const results: Result[] = [];
  const facts: StepFacts[] = [];
  for (const s of sc.steps) {
    if (reads(s).some((n) => !ctx.vars.has(n))) {
      results.push({ t: 'missing' });
      facts.push({ operands: [], wide: false });
      continue;
    }
    facts.push(factsOf(s, ctx));
    let x: unknown;
    try {
      x = run(s, ctx);
    } catch (err) {
      results.push(excResult(err));
      continue;
    }
    const out = 'out' in s ? s.out : undefined;
    if (out !== undefined && x !== SKIPPED) ctx.vars.set(out, x);
    results.push(attempt(() => encode(x, ctx)));
    // a view nobody keeps is released at once, as Python drops the temporary (not `m[...]`: itself)
    if (out === undefined && (x instanceof MemoryView || x instanceof NDArray) && ctx.name(x) === typeName(x)) dispose(x);
  }
  cleanup(ctx);
  return { results, facts, leakedBlocks: heapStats().liveBlocks - before };
}

/** Releases every variable, buffers first, then the rest until nothing more can be released. */
function cleanup(ctx: Context): void {
  for (const o of ctx.vars.values()) if (o instanceof JsBuf) capi.PyBuffer_Release(o.view);
  let pending = [...ctx.vars.values()].filter((o) => !(o instanceof JsBuf)).reverse();
  pending.push(...ctx.temps);
  for (let pass = 0; pass < 8 && pending.length > 0; pass++) {
    pending = pending.filter((o) => {
      try {
        dispose(o);
        return false;
      } catch {
        return true;
      }
    });
  }
  ctx.vars.clear();
}
