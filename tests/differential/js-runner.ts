// The JavaScript side of the differential suite: runs a scenario through this project's public
// API (src/index.ts), one call per step, and encodes each answer as python.ts's enc() does.
import {
  BufferError,
  ByteArray,
  Bytes,
  Complex,
  Ellipsis,
  MemoryView,
  NDArray,
  PySlice,
  Py_buffer,
  bf_getbuffer,
  bf_releasebuffer,
  capi,
  heapStats,
  readMemory,
  runtimeMemory,
  struct,
  testbuffer,
  writeMemory,
  type BufferExporter,
  type BufferLike,
} from '../../src/index.js';
import {
  fromHex,
  reads,
  toHex,
  type ExporterMode,
  type PackTarget,
  type PV,
  type Scenario,
  type Step,
} from './scenario.js';
import { ambiguousValue, integralFloat } from './python.js';
import { canonicalNumber, type Result } from './results.js';

interface TypedArrayConstructor {
  new (buffer: ArrayBufferLike, offset: number, length: number): ArrayLike<unknown> & Record<number, unknown>;
  BYTES_PER_ELEMENT: number;
}

/** array.array's typecodes as TypedArrays over the runtime's memory (src/exporters/typed.ts). */
const TYPED: Readonly<Record<string, TypedArrayConstructor>> = {
  b: Int8Array,
  B: Uint8Array,
  h: Int16Array,
  H: Uint16Array,
  i: Int32Array,
  I: Uint32Array,
  f: Float32Array,
  d: Float64Array,
  q: BigInt64Array,
  Q: BigUint64Array,
};

/**
 * A TypedArray of the runtime's memory would be detached by memory.grow: the heap is grown
 * once, before the first one is made, so that no scenario's allocations grow it.
 */
let headroom = false;
function ensureHeadroom(): void {
  if (headroom) return;
  capi.PyMem_Free(capi.PyMem_Malloc(8 << 20));
  headroom = true;
}

/** A Py_buffer variable: the descriptor and the object it was requested from (null: FillInfo over raw memory). */
class JsBuf {
  constructor(
    readonly view: Py_buffer,
    readonly src: unknown,
    readonly flags: number,
  ) {}
}

/**
 * python.ts's PyExp through the exporter protocol: what CPython's slot_bf_getbuffer does for a
 * class whose __buffer__ returns a memoryview (PyObject_GetBuffer on that memoryview, with the
 * request's flags), and slot_bf_releasebuffer (__release_buffer__, then the memoryview's
 * buffer goes). The 'nonmv' mode raises slot_bf_getbuffer's TypeError.
 */
class PyExp implements BufferExporter {
  gets = 0;
  rels = 0;
  flags: number | null = null;
  readonly target: Bytes | ByteArray;

  constructor(
    readonly mode: ExporterMode,
    data: Uint8Array,
  ) {
    this.target = mode === 'ro' ? new Bytes(data) : new ByteArray(data);
  }

  [bf_getbuffer](view: Py_buffer, flags: number): void {
    this.gets++;
    this.flags = flags;
    if (this.mode === 'raise') throw new BufferError('__buffer__ refused the request');
    if (this.mode === 'nonmv') throw new TypeError('__buffer__ returned non-memoryview object');
    const mv = MemoryView.fromObject(this.target);
    let inner: Py_buffer;
    try {
      inner = capi.PyObject_GetBuffer(mv, flags);
    } catch (err) {
      mv.release();
      throw err;
    }
    Object.assign(view, inner.copy());
    view.obj = this;
    view.internal = { mv, inner };
  }

  [bf_releasebuffer](view: Py_buffer): void {
    this.rels++;
    const held = view.internal as { mv: MemoryView; inner: Py_buffer };
    capi.PyBuffer_Release(held.inner);
    held.mv.release();
  }
}

const SKIPPED: unique symbol = Symbol('skipped');

/** The guard of python.ts _shapeless_wide(): item access there is undefined in _testbuffer. */
function shapelessWide(x: unknown): boolean {
  return x instanceof NDArray && x.format === '' && x.itemsize !== 1;
}

/** The guard of python.ts _too_many_slices(): more slices than dimensions is undefined in _testbuffer. */
function tooManySlices(nd: unknown, key: unknown): boolean {
  return (
    nd instanceof NDArray &&
    Array.isArray(key) &&
    key.length > 0 &&
    key.every((k) => k instanceof PySlice) &&
    key.length > exportNdim(nd)
  );
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
    case 'nan':
      return NaN;
    case 'inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    default:
      return Number(v);
  }
}

class Context {
  readonly vars = new Map<string, unknown>();
  /** Objects made for values (bytes used as exporters), disposed at the end. */
  readonly temps: Bytes[] = [];
  /** TypedArrays made as exporters (array.array in Python). */
  readonly typed = new Set<unknown>();
  /** Raw memory (PyMem_Malloc) that FromMemory and FillInfo views read, freed at the end. */
  readonly blocks: number[] = [];

  /** A new block of raw memory holding `data`. */
  raw(data: Uint8Array): number {
    const p = capi.PyMem_Malloc(Math.max(data.length, 1));
    this.blocks.push(p);
    writeMemory(p, data);
    return p;
  }

  value(v: PV): unknown {
    switch (v.k) {
      case 'int': {
        const x = BigInt(v.v);
        return x >= BigInt(Number.MIN_SAFE_INTEGER) && x <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x;
      }
      case 'float':
        return floatOf(v.v);
      case 'bool':
        return v.v;
      case 'bytes':
        return fromHex(v.hex);
      case 'bytesobj': {
        const b = new Bytes(fromHex(v.hex));
        this.temps.push(b);
        return b;
      }
      case 'str':
        return v.v;
      case 'none':
        return null;
      case 'ellipsis':
        return Ellipsis;
      case 'slice':
        return new PySlice(this.value(v.start) as never, this.value(v.stop) as never, this.value(v.step) as never);
      case 'tuple':
      case 'list':
        return v.items.map((x) => this.value(x));
      case 'complex':
        return new Complex(floatOf(v.re), floatOf(v.im));
      case 'ref':
        return this.vars.get(v.name);
    }
  }

  /**
   * Bytes that CPython would have made one shared object: every empty bytes, and the bytes of
   * one byte made by bytes.fromhex() or bytes([x]) (its cache of characters).
   */
  readonly interned = new Set<Bytes>();

  name(o: unknown): string {
    if (o === null || o === undefined) return 'None';
    if (o instanceof Bytes && (this.interned.has(o) || bytesLength(o) === 0)) {
      // the first variable holding that one object, as Python's identity search finds it
      const content = bytesHex(o);
      for (const [k, v] of this.vars) {
        if (v instanceof Bytes && (this.interned.has(v) || bytesLength(v) === 0) && bytesHex(v) === content) return k;
      }
    }
    for (const [k, v] of this.vars) if (v === o) return k;
    return typeName(o);
  }
}

function bytesLength(b: Bytes): number {
  try {
    return b.length;
  } catch {
    return -1; // disposed
  }
}

function bytesHex(b: Bytes): string | null {
  try {
    return toHex(b.toUint8Array());
  } catch {
    return null; // disposed
  }
}

function typeName(o: unknown): string {
  if (o instanceof MemoryView) return 'memoryview';
  if (o instanceof PyExp) return 'PyExp';
  if (ArrayBuffer.isView(o) && !(o instanceof DataView) && o.buffer === runtimeMemory().buffer) return 'array';
  if (o instanceof testbuffer.staticarray) return 'staticarray';
  if (Array.isArray(o)) return 'list';
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
  if (ctx.typed.has(x)) return { t: 'other', v: 'array' };
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
        t: 'mv',
        format: x.format,
        itemsize: x.itemsize,
        ndim: x.ndim,
        shape: x.shape,
        strides: x.strides,
        suboffsets: x.suboffsets,
        readonly: x.readonly,
        nbytes: x.nbytes,
        c: x.c_contiguous,
        f: x.f_contiguous,
        a: x.contiguous,
        obj: ctx.name(x.obj),
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
      t: 'nd',
      format: x.format,
      itemsize: x.itemsize,
      ndim: x.ndim,
      shape: x.shape,
      strides: x.strides,
      suboffsets: x.suboffsets,
      readonly: x.readonly,
      nbytes: x.nbytes,
      flags: x.flags,
      offset: x.offset,
      c: x.c_contiguous,
      f: x.f_contiguous,
      a: x.contiguous,
      bytes: bytes.t === 'str' ? bytes.v : bytes,
      list: listOutside(x) ? { t: 'skipped' } : attempt(() => encode(x.tolist(), ctx)),
    };
  }
  if (x instanceof Bytes || x instanceof ByteArray) return { t: 'bytes', v: toHex(x.toUint8Array()) };
  if (x instanceof JsBuf) {
    const v = x.view;
    const n = v.ndim;
    return {
      t: 'buf',
      len: v.len,
      itemsize: v.itemsize,
      readonly: Boolean(v.readonly),
      ndim: n,
      format: v.format,
      shape: n ? list(v.shape, n) : null,
      strides: n ? list(v.strides, n) : null,
      suboffsets: n ? list(v.suboffsets, n) : null,
      obj: ctx.name(v.obj),
    };
  }
  // a complex item ('F', 'D'): a Complex with numeric parts, compared as Python's complex
  if (typeof x === 'object' && (x as { constructor?: { name?: string } }).constructor?.name === 'Complex') {
    const c = x as { re?: unknown; im?: unknown };
    if (typeof c.re === 'number' && typeof c.im === 'number')
      return { t: 'complex', re: numberResult(c.re), im: numberResult(c.im) };
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
    case 'bytes': {
      const b = new Bytes(fromHex(s.hex));
      if (b.length <= 1) ctx.interned.add(b);
      return b;
    }
    case 'bytearray':
      return new ByteArray(fromHex(s.hex));
    case 'ndarray':
      return new NDArray(v(s.items), {
        shape: s.shape,
        strides: s.strides ?? undefined,
        offset: s.offset,
        format: s.format,
        flags: s.flags,
      });
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
      if (itemOutside(nd, key)) return SKIPPED;
      return (nd as NDArray).get(key as never);
    }
    case 'memoryview':
      return MemoryView.fromObject(v(s.arg));
    case 'fromflags':
      return MemoryView.fromObjectAndFlags(v(s.arg), s.flags);
    case 'mvfrombuffer':
      return (ctx.vars.get(s.base) as NDArray).memoryview_from_buffer();
    case 'getcontig':
      return testbuffer.get_contiguous(v(s.arg), v(s.buffertype), v(s.order));
    case 'cast':
      return s.shape === null ? call('cast', v(s.format)) : call('cast', v(s.format), v(s.shape));
    case 'toreadonly':
      return call('toreadonly');
    case 'addsub':
      return call('add_suboffsets');
    case 'push':
      return call('push', v(s.items), { shape: s.shape, format: s.format });
    case 'pop':
      return call('pop');
    case 'ndset': {
      // the guard of python.ts ndset()
      const nd = target();
      const key = v(s.key);
      if (ambiguousValue(s.value) && nd instanceof NDArray) {
        const n = nd.ndim;
        const isInt = (k: unknown): boolean => typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean';
        const item =
          (n === 0 && (key === Ellipsis || (Array.isArray(key) && key.length === 0))) || (n === 1 && isInt(key));
        if (!item) return SKIPPED;
      }
      if (integralFloat(s.value) && nd instanceof NDArray && !/[efd]$/.test(nd.format)) return SKIPPED;
      if (shapelessWide(nd) && isIntKey(key)) return SKIPPED;
      if (itemOutside(nd, key)) return SKIPPED;
      if (tooManySlices(nd, key)) return SKIPPED;
      call('set', key, v(s.value));
      return nd;
    }
    case 'attrs':
      return target();
    case 'get':
      return call('get', v(s.key));
    case 'set': {
      // the guard of python.ts setfloat()
      const m = target();
      if (integralFloat(s.value)) {
        let format: string;
        try {
          format = (m as MemoryView).format;
        } catch {
          format = 'd';
        }
        if (!/[efd]$/.test(format)) return SKIPPED;
      }
      return call('set', v(s.key), v(s.value));
    }
    case 'tolist':
      return call('tolist');
    case 'tobytes':
      return s.order === undefined ? call('tobytes') : call('tobytes', v(s.order));
    case 'hex':
      return call('hex', ...s.args.map(v));
    case 'eq':
      return call('equals', v(s.other));
    case 'hash':
      return call('hash');
    case 'count':
      return call('count', v(s.value));
    case 'index':
      return call('index', v(s.value), ...s.args.map(v));
    case 'len':
      return (target() as { length: number }).length;
    case 'iter': {
      // the guard of python.ts iterlist
      const x = target();
      if (shapelessWide(x)) return SKIPPED;
      if (x instanceof NDArray && x.ndim === 1 && x.shape.length === 0 && x.itemsize > 1 && x.nbytes > 0)
        return SKIPPED;
      return [...(x as Iterable<unknown>)];
    }
    case 'delitem':
      return call('delete', v(s.key));
    case 'bytesat':
      return call('at', v(s.key));
    case 'bytesnew': {
      const arg = v(s.arg);
      if (s.kind === 'bytearray') return new ByteArray(arg as never);
      // bytes(b) of a bytes is b itself in CPython; a JavaScript constructor makes a new object
      if (arg instanceof Bytes) return arg;
      const b = new Bytes(arg as never);
      if (b.length === 0 || (b.length === 1 && s.arg.k === 'list')) ctx.interned.add(b);
      return b;
    }
    case 'release':
      return call('release');
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
    case 'cmp_contig':
      return testbuffer.cmp_contig(v(s.a), v(s.b));
    case 'is_contiguous':
      return testbuffer.is_contiguous(v(s.a), v(s.order));
    case 'get_pointer':
      return testbuffer.get_pointer(v(s.a), v(s.indices));
    case 'py_buffer_to_contiguous':
      return testbuffer.py_buffer_to_contiguous(v(s.a), v(s.order), s.flags);
    case 'sizeof_void_p':
      return testbuffer.get_sizeof_void_p();
    case 'slice_indices':
      return testbuffer.slice_indices(v(s.key), v(s.length));
    case 'getbuf': {
      const src = v(s.arg);
      return new JsBuf(capi.PyObject_GetBuffer(src, s.flags), src, s.flags);
    }
    case 'buf_is_contiguous':
      return capi.PyBuffer_IsContiguous(bufOf(ctx, s.buf).view, s.order);
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
      return b.src === null ? readMemory(b.view.buf, b.view.len) : exporterBytes(b.src);
    }
    case 'buf_get_pointer': {
      const b = bufOf(ctx, s.buf);
      const shape = b.view.shape;
      if ((b.flags & 0x18) !== 0x18 || s.indices.length !== b.view.ndim || shape === null) return SKIPPED;
      if (s.indices.some((i, k) => i < 0 || i >= shape[k])) return SKIPPED;
      const p = capi.PyBuffer_GetPointer(b.view, s.indices);
      return [b.view.suboffsets ? null : p - b.view.buf, readMemory(p, b.view.itemsize)];
    }
    case 'buf_release':
      return capi.PyBuffer_Release(bufOf(ctx, s.buf).view);
    case 'frombuffer':
      return capi.PyMemoryView_FromBuffer(bufOf(ctx, s.buf).view);
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
    case 'sizefromformat':
      return capi.PyBuffer_SizeFromFormat(s.format);
    case 'attr': {
      const m = target() as Record<string, unknown>;
      const x = m[s.name];
      return s.name === 'obj' ? ctx.name(x) : x;
    }
    case 'exit':
      return (target() as MemoryView)[Symbol.dispose]();
    case 'setslices': {
      const m = target() as MemoryView;
      const src = m.get(v(s.srckey) as never) as unknown;
      try {
        return m.set(v(s.key) as never, src as never);
      } finally {
        if (src instanceof MemoryView) src.release();
      }
    }
    case 'ndsetslices': {
      // the guard of python.ts ndsetslices
      const nd = target() as NDArray;
      const key = v(s.key);
      const srckey = v(s.srckey);
      if ([key, srckey].some((k) => Array.isArray(k) && k.length > nd.ndim)) return SKIPPED;
      const src = nd.get(srckey as never);
      try {
        nd.set(key as never, src);
      } finally {
        if (src instanceof NDArray) src.release();
      }
      return nd;
    }
    case 'pyexp':
      return new PyExp(s.mode, fromHex(s.hex));
    case 'expstate': {
      const e = target() as PyExp;
      return [e.gets, e.rels, e.flags, e.target.toUint8Array()];
    }
    case 'static':
      return s.legacy ? new testbuffer.staticarray({ legacy_mode: true }) : new testbuffer.staticarray();
    case 'typed': {
      // array.array(code, items): a TypedArray over a block of the runtime's memory
      ensureHeadroom();
      const Ctor = TYPED[s.code];
      const values = s.items.map(v);
      const ptr = ctx.raw(new Uint8Array(Math.max(values.length, 1) * Ctor.BYTES_PER_ELEMENT));
      const ta = new Ctor(runtimeMemory().buffer, ptr, values.length);
      values.forEach((x, i) => {
        ta[i] = /[qQ]/.test(s.code) ? BigInt(x as number) : x;
      });
      ctx.typed.add(ta);
      return ta;
    }
    case 'struct':
      return structCall(s.fn, s.format, s.args.map(v), s.into);
    case 'frommemory': {
      if (s.over === null) return capi.PyMemoryView_FromMemory(ctx.raw(fromHex(s.hex)), s.hex.length / 2, s.flags);
      // the bytearray's own memory, not exported (python.ts frommemory_over)
      const view = capi.PyObject_GetBuffer(ctx.vars.get(s.over), 0);
      capi.PyBuffer_Release(view);
      return capi.PyMemoryView_FromMemory(view.buf, view.len, s.flags);
    }
    case 'fillinfo': {
      const data = fromHex(s.hex);
      const obj = v(s.obj) as object | null;
      return new JsBuf(
        capi.PyBuffer_FillInfo(null, obj, ctx.raw(data), data.length, s.readonly, s.flags),
        null,
        s.flags,
      );
    }
    case 'checkbuffer': {
      const x = v(s.arg);
      return [capi.PyObject_CheckBuffer(x), capi.PyMemoryView_Check(x)];
    }
    case 'capi_getcontig':
      return capi.PyMemoryView_GetContiguous(v(s.arg), s.buffertype, s.order);
  }
}

/** python.ts struct_call: the struct module's functions with Python's argument lists. */
function structCall(fn: string, format: string, args: unknown[], into: PackTarget | undefined): unknown {
  switch (fn) {
    case 'calcsize':
      return struct.calcsize(format);
    case 'pack':
      return struct.pack(format, ...args);
    case 'unpack':
      return struct.unpack(format, args[0] as Uint8Array);
    case 'unpack_from':
      return struct.unpackFrom(format, args[0] as DataView, ...(args.slice(1) as [number]));
    case 'iter_unpack':
      return [...struct.iterUnpack(format, args[0] as Uint8Array)];
    case 'pack_into':
      return packInto(format, args[0] as number, into ?? 'dataview', args.slice(1));
    default: {
      const st = new struct.Struct(format);
      return [st.size, st.format];
    }
  }
}

/** pack_into into a new writable buffer of `n` zero bytes of the kind `into`; its bytes afterwards. */
function packInto(format: string, n: number, into: PackTarget, rest: unknown[]): Uint8Array {
  const run = (target: BufferLike, bytes: () => Uint8Array): Uint8Array => {
    struct.packInto(format, target, rest[0] as number, ...rest.slice(1));
    return bytes();
  };
  switch (into) {
    case 'uint8array': {
      const out = new Uint8Array(n);
      return run(out, () => out);
    }
    case 'arraybuffer': {
      const out = new ArrayBuffer(n);
      return run(out, () => new Uint8Array(out));
    }
    case 'bytearray':
    case 'memoryview': {
      const ba = new ByteArray(n);
      const target = into === 'bytearray' ? ba : MemoryView.fromObject(ba);
      try {
        return run(target, () => ba.toUint8Array());
      } finally {
        if (target instanceof MemoryView) target.release();
        ba.dispose();
      }
    }
    default: {
      const out = new Uint8Array(n);
      return run(new DataView(out.buffer), () => out);
    }
  }
}

/** The guard of python.ts _list_outside: tolist() and iteration of a buffer without shape. */
function listOutside(x: NDArray): boolean {
  return x.ndim === 1 && x.shape.length === 0 && x.itemsize > 1 && x.nbytes > 0 && x.format !== '';
}

/** The guard of python.ts _item_outside: an int key past len / itemsize of a buffer without shape. */
function itemOutside(nd: unknown, key: unknown): boolean {
  if (!(nd instanceof NDArray) || nd.ndim !== 1 || nd.shape.length !== 0) return false;
  if (typeof key !== 'number' && typeof key !== 'bigint' && typeof key !== 'boolean') return false;
  const n = nd.nbytes;
  const k = Number(key);
  const i = k < 0 ? k + n : k;
  return i >= 0 && i < n && (i + 1) * nd.itemsize > n;
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
    return d.ndim !== s.ndim || d.itemsize < s.itemsize || s.shape.some((n, i) => ds[i] < n);
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
  else if (o instanceof PyExp) o.target.dispose();
}

/** Format and C-order bytes of the views and exporters a step reads (for the classifiers). */
function factsOf(s: Step, ctx: Context): StepFacts {
  const operands: StepFacts['operands'] = [];
  let wide = false;
  for (const name of reads(s)) {
    const o = ctx.vars.get(name);
    let view: Py_buffer | null;
    try {
      view = o instanceof MemoryView || o instanceof JsBuf ? o.view : o instanceof NDArray ? NDArray.baseOf(o) : null;
    } catch {
      view = null; // a released ndarray
    }
    if (view !== null) {
      wide ||=
        outsideSsize(view.len) ||
        (view.strides ?? []).some(outsideSsize) ||
        (view.suboffsets ?? []).some(outsideSsize) ||
        view.buf < 0 ||
        view.buf > 0xffffffff;
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
  // not for PEP 688 exporters: a fact would be one more __buffer__ call than Python's
  const dest = s.op === 'copydata' ? ctx.value(s.dest) : null;
  const src = s.op === 'copydata' ? ctx.value(s.src) : null;
  if (s.op === 'copydata' && !(dest instanceof PyExp) && !(src instanceof PyExp)) facts.overlap = overlaps(dest, src);
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
            if (x < 0) lo += x;
            else hi += x;
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
  // staticarray's 12 bytes are allocated at its first export and kept, as _testbuffer's static array
  if (sc.steps.some((s) => s.op === 'static')) MemoryView.fromObject(new testbuffer.staticarray()).release();
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
    // a view nobody keeps is released at once, as Python drops the temporary (not `m[...]`: itself),
    // and so are the sub-arrays an ndarray's iteration made
    if (out === undefined && (x instanceof MemoryView || x instanceof NDArray) && ctx.name(x) === typeName(x))
      dispose(x);
    if (s.op === 'iter' && Array.isArray(x))
      for (const y of x) if (y instanceof NDArray && ctx.name(y) === typeName(y)) dispose(y);
  }
  cleanup(ctx);
  for (const p of ctx.blocks) capi.PyMem_Free(p);
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
