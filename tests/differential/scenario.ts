// The scenario language of the differential suite: Python values (PV), steps, and scenarios.
// A scenario is plain JSON, so the same description is turned into Python source (python.ts)
// and run through this project's public API (js-runner.ts); both answer with one normalized
// result per step (results.ts), which compare.ts diffs.

/**
 * A Python value, as the generator writes it. Each kind has one Python spelling and one
 * JavaScript value (js-runner.ts toJs):
 * - int: a number when it is a safe integer, else a bigint
 * - float: a number ('nan', 'inf', '-inf', '-0.0' or a repr)
 * - bytes: a Uint8Array (an item, a separator); 'bytesobj' is a bytes object used as an
 *   exporter (a Bytes in JavaScript)
 * - tuple: an array (keys, items of multi-member formats); list: an array (shapes, non-exporters)
 * - complex: a Complex (struct's 'F' and 'D' items)
 * - ref: a variable of the scenario (an exporter, a view or a Py_buffer)
 */
export type PV =
  | { k: 'int'; v: string }
  | { k: 'float'; v: string }
  | { k: 'bool'; v: boolean }
  | { k: 'bytes'; hex: string }
  | { k: 'bytesobj'; hex: string }
  | { k: 'str'; v: string }
  | { k: 'none' }
  | { k: 'ellipsis' }
  | { k: 'slice'; start: PV; stop: PV; step: PV }
  | { k: 'tuple'; items: PV[] }
  | { k: 'list'; items: PV[] }
  | { k: 'complex'; re: string; im: string }
  | { k: 'ref'; name: string };

export const pv = {
  int: (v: number | bigint): PV => ({ k: 'int', v: String(v) }),
  float: (v: number | string): PV => ({ k: 'float', v: typeof v === 'string' ? v : floatRepr(v) }),
  bool: (v: boolean): PV => ({ k: 'bool', v }),
  bytes: (b: ArrayLike<number>): PV => ({ k: 'bytes', hex: toHex(b) }),
  bytesobj: (b: ArrayLike<number>): PV => ({ k: 'bytesobj', hex: toHex(b) }),
  str: (v: string): PV => ({ k: 'str', v }),
  none: (): PV => ({ k: 'none' }),
  ellipsis: (): PV => ({ k: 'ellipsis' }),
  slice: (start: PV, stop: PV, step: PV): PV => ({ k: 'slice', start, stop, step }),
  tuple: (items: PV[]): PV => ({ k: 'tuple', items }),
  list: (items: PV[]): PV => ({ k: 'list', items }),
  complex: (re: string, im: string): PV => ({ k: 'complex', re, im }),
  ref: (name: string): PV => ({ k: 'ref', name }),
};

/** A float's spelling in a PV: what Python's float() accepts, the sign of zero and NaN kept. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0.0';
  return String(x);
}

export function toHex(b: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] & 0xff).toString(16).padStart(2, '0');
  return s;
}

export function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** ND_* and PyBUF_* values (Modules/_testbuffer.c, Include/pybuffer.h), for the generator. */
export const NDF = {
  VAREXPORT: 0x1,
  WRITABLE: 0x2,
  FORTRAN: 0x4,
  SCALAR: 0x8,
  PIL: 0x10,
  REDIRECT: 0x20,
  GETBUF_FAIL: 0x40,
  GETBUF_UNDEFINED: 0x80,
} as const;

/**
 * What a PEP 688 exporter's `__buffer__` does: 'ok' returns a memoryview of a bytearray, 'ro' of
 * a bytes, 'raise' raises BufferError, 'nonmv' returns the bytearray itself (not a memoryview).
 */
export type ExporterMode = 'ok' | 'ro' | 'raise' | 'nonmv';

/** The struct module's functions the suite calls (src/struct.ts). */
export type StructFn = 'calcsize' | 'pack' | 'unpack' | 'pack_into' | 'unpack_from' | 'iter_unpack' | 'Struct';

/**
 * The writable buffer pack_into packs into on the JavaScript side (Python's is a bytearray every
 * time; all of these are writable buffers of the same bytes to CPython's w* converter).
 */
export type PackTarget = 'dataview' | 'uint8array' | 'arraybuffer' | 'bytearray' | 'memoryview';

/**
 * One step. `out` names the variable a step's new object is stored in; every variable a step
 * reads is listed by `reads` (steps.ts), and a step whose variable does not exist (its maker
 * failed) answers 'missing' on both sides.
 */
export type Step =
  // exporters and views
  | { op: 'bytes'; out: string; hex: string }
  | { op: 'bytearray'; out: string; hex: string }
  | {
      op: 'ndarray';
      out: string;
      items: PV;
      shape: number[];
      strides: number[] | null;
      offset: number;
      format: string;
      flags: number;
    }
  | { op: 'reexport'; out: string; base: string; getbuf: number | null; flags: number | null }
  | { op: 'ndsub'; out?: string; base: string; key: PV }
  | { op: 'memoryview'; out: string; arg: PV }
  | { op: 'fromflags'; out: string; arg: PV; flags: number }
  | { op: 'mvfrombuffer'; out: string; base: string }
  | { op: 'getcontig'; out: string; arg: PV; buffertype: PV; order: PV }
  | { op: 'cast'; out: string; target: string; format: PV; shape: PV | null }
  | { op: 'toreadonly'; out: string; target: string }
  | { op: 'addsub'; target: string }
  | { op: 'push'; target: string; items: PV; shape: number[]; format: string }
  | { op: 'pop'; target: string }
  | { op: 'ndset'; target: string; key: PV; value: PV }
  // the Python-level memoryview
  | { op: 'attrs'; target: string }
  | { op: 'get'; target: string; key: PV; out?: string }
  | { op: 'set'; target: string; key: PV; value: PV }
  | { op: 'tolist'; target: string }
  | { op: 'tobytes'; target: string; order?: PV }
  | { op: 'hex'; target: string; args: PV[] }
  | { op: 'eq'; target: string; other: PV }
  | { op: 'hash'; target: string }
  | { op: 'count'; target: string; value: PV }
  | { op: 'index'; target: string; value: PV; args: PV[] }
  | { op: 'len'; target: string }
  | { op: 'iter'; target: string }
  | { op: 'release'; target: string }
  | { op: 'del'; target: string }
  | { op: 'bytearrayop'; target: string; method: 'append' | 'extend' | 'clear' | 'resize' | 'setitem'; args: PV[] }
  | { op: 'attr'; target: string; name: string }
  | { op: 'delitem'; target: string; key: PV }
  | { op: 'bytesat'; target: string; key: PV }
  | { op: 'bytesnew'; out: string; kind: 'bytes' | 'bytearray'; arg: PV }
  | { op: 'exit'; target: string }
  | { op: 'setslices'; target: string; key: PV; srckey: PV }
  | { op: 'ndsetslices'; target: string; key: PV; srckey: PV }
  // PEP 688 exporters (the exporter protocol) and _testbuffer.staticarray
  | { op: 'pyexp'; out: string; mode: ExporterMode; hex: string }
  | { op: 'expstate'; target: string }
  | { op: 'static'; out: string; legacy: boolean }
  | { op: 'typed'; out: string; code: string; items: PV[] }
  // the struct module
  | { op: 'struct'; fn: StructFn; format: string; args: PV[]; into?: PackTarget }
  // the C API, through _testbuffer and ctypes
  | { op: 'cmp_contig'; a: PV; b: PV }
  | { op: 'is_contiguous'; a: PV; order: PV }
  | { op: 'get_pointer'; a: PV; indices: PV }
  | { op: 'py_buffer_to_contiguous'; a: PV; order: PV; flags: number }
  | { op: 'sizeof_void_p' }
  | { op: 'slice_indices'; key: PV; length: PV }
  | { op: 'getbuf'; out: string; arg: PV; flags: number }
  | { op: 'buf_is_contiguous'; buf: string; order: 'C' | 'F' | 'A' }
  | { op: 'buf_to_contiguous'; buf: string; order: 'C' | 'F' | 'A'; lenDelta: number }
  | { op: 'buf_from_contiguous'; buf: string; order: 'C' | 'F' | 'A'; hex: string }
  | { op: 'buf_get_pointer'; buf: string; indices: number[] }
  | { op: 'buf_release'; buf: string }
  | { op: 'frombuffer'; out: string; buf: string }
  | { op: 'copydata'; dest: PV; src: PV }
  | { op: 'fillstrides'; shape: number[]; itemsize: number; order: 'C' | 'F' | 'A' }
  | { op: 'sizefromformat'; format: string }
  | { op: 'frommemory'; out: string; hex: string; flags: number; over: string | null }
  | { op: 'fillinfo'; out: string; hex: string; obj: PV; readonly: number; flags: number }
  | { op: 'checkbuffer'; arg: PV }
  | { op: 'capi_getcontig'; out: string; arg: PV; buffertype: number; order: 'C' | 'F' | 'A' };

export type Op = Step['op'];

/** The categories steps are counted under (docs/conformance.md lists them). */
export const CATEGORY: Readonly<Record<Op, string>> = {
  bytes: 'exporters',
  bytearray: 'exporters',
  ndarray: 'exporters',
  reexport: 'exporters',
  ndsub: 'exporters',
  addsub: 'exporters',
  push: 'exporters',
  pop: 'exporters',
  ndset: 'item and slice assignment',
  memoryview: 'views',
  fromflags: 'views',
  mvfrombuffer: 'views',
  toreadonly: 'views',
  attrs: 'views',
  get: 'indexing and slicing',
  set: 'item and slice assignment',
  cast: 'casts',
  tolist: 'tolist/tobytes/hex',
  tobytes: 'tolist/tobytes/hex',
  hex: 'tolist/tobytes/hex',
  eq: 'equality',
  hash: 'hash',
  count: 'count/index',
  index: 'count/index',
  len: 'len and iteration',
  iter: 'len and iteration',
  release: 'release and exports',
  del: 'release and exports',
  bytearrayop: 'release and exports',
  getcontig: 'C API',
  cmp_contig: 'C API',
  is_contiguous: 'C API',
  get_pointer: 'C API',
  py_buffer_to_contiguous: 'C API',
  sizeof_void_p: 'C API',
  slice_indices: 'C API',
  getbuf: 'C API',
  buf_is_contiguous: 'C API',
  buf_to_contiguous: 'C API',
  buf_from_contiguous: 'C API',
  buf_get_pointer: 'C API',
  buf_release: 'C API',
  frombuffer: 'C API',
  copydata: 'C API',
  fillstrides: 'C API',
  sizefromformat: 'C API',
  frommemory: 'C API',
  fillinfo: 'C API',
  checkbuffer: 'C API',
  capi_getcontig: 'C API',
  ndsetslices: 'item and slice assignment',
  attr: 'views',
  exit: 'release and exports',
  delitem: 'item and slice assignment',
  bytesat: 'indexing and slicing',
  bytesnew: 'exporters',
  setslices: 'item and slice assignment',
  pyexp: 'PEP 688 exporters',
  expstate: 'PEP 688 exporters',
  static: 'exporters',
  typed: 'exporters',
  struct: 'struct',
};

/** A scenario: its replay coordinates and its steps. */
export interface Scenario {
  seed: number;
  index: number;
  steps: Step[];
}

/** The variables a step reads (a step whose variable is missing answers 'missing'). */
export function reads(step: Step): string[] {
  const names: string[] = [];
  const walk = (v: PV | null | undefined): void => {
    if (v === null || v === undefined) return;
    if (v.k === 'ref') names.push(v.name);
    else if (v.k === 'tuple' || v.k === 'list') v.items.forEach(walk);
    else if (v.k === 'slice') {
      walk(v.start);
      walk(v.stop);
      walk(v.step);
    }
  };
  for (const [key, value] of Object.entries(step)) {
    if (key === 'op' || key === 'out') continue;
    if (key === 'target' || key === 'base' || key === 'buf') names.push(value as string);
    else if (key === 'over' && typeof value === 'string') names.push(value);
    else if (Array.isArray(value))
      (value as unknown[]).forEach((x) => {
        if (isPV(x)) walk(x);
      });
    else if (isPV(value)) walk(value);
  }
  return names;
}

function isPV(x: unknown): x is PV {
  return typeof x === 'object' && x !== null && typeof (x as { k?: unknown }).k === 'string';
}
