// The Python side of the differential suite: a prelude loaded once into Pyodide (result
// encoding, the Py_buffer structure and the C API through ctypes), and the Python source of a
// scenario, which is also what a mismatch report prints so that the scenario can be replayed
// in any CPython 3.14 with _testbuffer.
import { reads, type PV, type Scenario, type Step } from './scenario.js';

/**
 * Loaded once. S() runs one step: 'missing' when a variable it reads does not exist, else the
 * encoded value or exception. The C API is called through ctypes.pythonapi with the exact wasm32
 * signatures (a wrong signature traps in Wasm). Functions whose C contract a caller must keep
 * (no writes through read-only buffers, strides present for GetPointer/FromContiguous) are only
 * reached with arguments that keep it: the guards below answer 'skipped' on both sides.
 */
export const PRELUDE = String.raw`
import json, math, struct, ctypes, gc, array, _testbuffer
from _testbuffer import (ndarray, staticarray, get_contiguous, cmp_contig, is_contiguous, get_pointer,
    py_buffer_to_contiguous, get_sizeof_void_p, slice_indices)

class PyBuf(ctypes.Structure):
    _fields_ = [('buf', ctypes.c_void_p), ('obj', ctypes.c_void_p), ('len', ctypes.c_ssize_t),
                ('itemsize', ctypes.c_ssize_t), ('readonly', ctypes.c_int), ('ndim', ctypes.c_int),
                ('format', ctypes.c_char_p), ('shape', ctypes.POINTER(ctypes.c_ssize_t)),
                ('strides', ctypes.POINTER(ctypes.c_ssize_t)),
                ('suboffsets', ctypes.POINTER(ctypes.c_ssize_t)), ('internal', ctypes.c_void_p)]

_api = ctypes.pythonapi
def _sig(name, args, res):
    f = getattr(_api, name); f.argtypes = args; f.restype = res; return f
_P = ctypes.POINTER(PyBuf)
_GetBuffer = _sig('PyObject_GetBuffer', [ctypes.py_object, _P, ctypes.c_int], ctypes.c_int)
_Release = _sig('PyBuffer_Release', [_P], None)
_IsContiguous = _sig('PyBuffer_IsContiguous', [_P, ctypes.c_char], ctypes.c_int)
_ToContiguous = _sig('PyBuffer_ToContiguous', [ctypes.c_void_p, _P, ctypes.c_ssize_t, ctypes.c_char], ctypes.c_int)
_FromContiguous = _sig('PyBuffer_FromContiguous', [_P, ctypes.c_void_p, ctypes.c_ssize_t, ctypes.c_char], ctypes.c_int)
_GetPointer = _sig('PyBuffer_GetPointer', [_P, ctypes.POINTER(ctypes.c_ssize_t)], ctypes.c_void_p)
_FromBuffer = _sig('PyMemoryView_FromBuffer', [_P], ctypes.py_object)
_CopyData = _sig('PyObject_CopyData', [ctypes.py_object, ctypes.py_object], ctypes.c_int)
_FillStrides = _sig('PyBuffer_FillContiguousStrides', [ctypes.c_int, ctypes.POINTER(ctypes.c_ssize_t),
    ctypes.POINTER(ctypes.c_ssize_t), ctypes.c_int, ctypes.c_char], None)
_SizeFromFormat = _sig('PyBuffer_SizeFromFormat', [ctypes.c_char_p], ctypes.c_ssize_t)
_FromMemory = _sig('PyMemoryView_FromMemory', [ctypes.c_void_p, ctypes.c_ssize_t, ctypes.c_int], ctypes.py_object)
_FillInfo = _sig('PyBuffer_FillInfo', [_P, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ssize_t, ctypes.c_int,
    ctypes.c_int], ctypes.c_int)
_CheckBuffer = _sig('PyObject_CheckBuffer', [ctypes.py_object], ctypes.c_int)
_GetContiguous = _sig('PyMemoryView_GetContiguous', [ctypes.py_object, ctypes.c_int, ctypes.c_char], ctypes.py_object)

# raw memory that FromMemory and FillInfo views read, kept until the scenario ends
_KEEP = []

class Buf:
    """A Py_buffer filled by PyObject_GetBuffer(src, flags)."""
    def __init__(self, src, flags):
        self.v = PyBuf(); self.src = src; self.flags = flags
        _GetBuffer(src, ctypes.byref(self.v), flags)
    def release(self):
        _Release(ctypes.byref(self.v))

class RawBuf(Buf):
    """A Py_buffer filled by PyBuffer_FillInfo over raw memory (obj by address: NULL for None)."""
    def __init__(self, data, obj, readonly, flags):
        self.v = PyBuf(); self.src = None; self.flags = flags; self.obj = obj
        self.mem = ctypes.create_string_buffer(data, max(len(data), 1)); _KEEP.append(self.mem)
        _FillInfo(ctypes.byref(self.v), None if obj is None else id(obj), ctypes.addressof(self.mem), len(data),
                  readonly, flags)

def getbuf(obj, flags): return Buf(obj, flags)
def fillinfo(data, obj, readonly, flags): return RawBuf(data, obj, readonly, flags)
def frommemory(data, flags):
    mem = ctypes.create_string_buffer(data, max(len(data), 1)); _KEEP.append(mem)
    return _FromMemory(ctypes.addressof(mem), len(data), flags)
def frommemory_over(ba, flags):
    # the bytearray's own memory, not exported: the scenario never resizes it afterwards
    v = PyBuf(); _GetBuffer(ba, ctypes.byref(v), 0); addr = v.buf; n = v.len; _Release(ctypes.byref(v))
    return _FromMemory(addr, n, flags)
def checkbuffer(x): return [bool(_CheckBuffer(x)), type(x) is memoryview]
def capi_getcontig(x, buffertype, order): return _GetContiguous(x, buffertype, order.encode())
def attr(m, name):
    x = getattr(m, name)
    return _name(x, _V[0]) if name == 'obj' else x
def setslices(m, key, srckey): m[key] = m[srckey]
def ndsetslices(nd, key, srckey):
    # more slices than dimensions: see ndsub
    for k in (key, srckey):
        if isinstance(k, tuple) and len(k) > nd.ndim: return SKIPPED
    nd[key] = nd[srckey]
    return nd

class PyExp:
    """A PEP 688 exporter: __buffer__ per mode (see ExporterMode in scenario.ts), counting calls."""
    def __init__(self, mode, data):
        self.mode = mode; self.gets = 0; self.rels = 0; self.flags = None
        self.target = bytes(data) if mode == 'ro' else bytearray(data)
    def __buffer__(self, flags):
        self.gets += 1; self.flags = flags
        if self.mode == 'raise': raise BufferError('__buffer__ refused the request')
        if self.mode == 'nonmv': return self.target
        return memoryview(self.target)
    def __release_buffer__(self, view):
        self.rels += 1
def expstate(e): return [e.gets, e.rels, e.flags, bytes(e.target)]

def struct_call(fn, fmt, args):
    if fn == 'calcsize': return struct.calcsize(fmt)
    if fn == 'pack': return struct.pack(fmt, *args)
    if fn == 'unpack': return struct.unpack(fmt, *args)
    if fn == 'unpack_from': return struct.unpack_from(fmt, *args)
    if fn == 'iter_unpack': return list(struct.iter_unpack(fmt, *args))
    if fn == 'pack_into':
        ba = bytearray(args[0]); struct.pack_into(fmt, ba, *args[1:]); return bytes(ba)
    s = struct.Struct(fmt); return [s.size, s.format]
def buf_is_contiguous(b, order): return bool(_IsContiguous(ctypes.byref(b.v), order.encode()))
def buf_to_contiguous(b, order, delta):
    n = b.v.len + delta
    mem = ctypes.create_string_buffer(max(n, 1))
    _ToContiguous(ctypes.addressof(mem), ctypes.byref(b.v), n, order.encode())
    return mem.raw[:n]
def buf_from_contiguous(b, order, data):
    if b.v.readonly or (b.flags & 0x18) != 0x18: return SKIPPED
    mem = ctypes.create_string_buffer(data, max(len(data), 1))
    _FromContiguous(ctypes.byref(b.v), ctypes.addressof(mem), len(data), order.encode())
    if b.src is None: return ctypes.string_at(b.v.buf, b.v.len)
    with memoryview(b.src) as m: return m.tobytes()
def buf_get_pointer(b, idx):
    v = b.v
    if (b.flags & 0x18) != 0x18 or len(idx) != v.ndim or not v.shape: return SKIPPED
    if any(i < 0 or i >= v.shape[k] for k, i in enumerate(idx)): return SKIPPED
    arr = (ctypes.c_ssize_t * max(len(idx), 1))(*idx)
    p = _GetPointer(ctypes.byref(b.v), arr) or 0
    rel = None if b.v.suboffsets else p - (b.v.buf or 0)
    return [rel, ctypes.string_at(p, b.v.itemsize)]
def _shapeless_wide(nd):
    # a re-export without PyBUF_ND and PyBUF_FORMAT has no shape: ptr_from_index then counts len
    # items of itemsize bytes (it assumes one-byte items), reaching past the buffer
    return isinstance(nd, ndarray) and nd.format == '' and nd.itemsize != 1
def _item_outside(nd, key):
    # the same without shape but with a format (a re-export of a memoryview with PyBUF_FORMAT
    # alone): an int key past len // itemsize reads or writes outside the buffer
    if not (isinstance(nd, ndarray) and isinstance(key, int) and nd.ndim == 1 and nd.shape == ()): return False
    n = nd.nbytes
    i = key + n if key < 0 else key
    return 0 <= i < n and (i + 1) * nd.itemsize > n
def _list_outside(nd):
    # ndarray_tolist of a buffer without shape takes len items of itemsize bytes: past the buffer
    return nd.ndim == 1 and nd.shape == () and nd.itemsize > 1 and nd.nbytes > 0 and bool(nd.format)
def _export_ndim(nd):
    # ndarray_subscript slices a buffer it gets from nd: with ND_REDIRECT that is the base's
    # buffer as it is now, whose ndim may differ from nd's own
    try:
        with memoryview(nd) as m: return min(nd.ndim, m.ndim)
    except Exception:
        return nd.ndim
def _too_many_slices(nd, key):
    # ndarray_subscript (and ndarray_ass_sub through it) slices dimension i for the i-th slice of
    # a tuple without checking it against ndim: a longer tuple writes past the shape and strides
    return (isinstance(nd, ndarray) and isinstance(key, tuple) and key and all(isinstance(k, slice) for k in key)
            and len(key) > _export_ndim(nd))
def ndsub(nd, key):
    if _too_many_slices(nd, key): return SKIPPED
    if _shapeless_wide(nd) and isinstance(key, int): return SKIPPED
    if _item_outside(nd, key): return SKIPPED
    return nd[key]
def iterlist(x):
    # an ndarray iterates through ptr_from_index: items past a buffer without shape (see
    # _shapeless_wide and _item_outside), with or without a format
    if _shapeless_wide(x): return SKIPPED
    if isinstance(x, ndarray) and x.ndim == 1 and x.shape == () and x.itemsize > 1 and x.nbytes > 0: return SKIPPED
    return list(x)
def setfloat(m, key, value):
    # JavaScript has no float 2.0 distinct from the int 2: an integral float is only assigned
    # where every number is a float
    try: f = m.format
    except Exception: f = 'd'
    if f[-1:] not in ('e', 'f', 'd'): return SKIPPED
    m[key] = value
def ndset(nd, key, value, ambiguous, intfloat):
    # a value JavaScript spells like another type (a tuple is an array, an integral float an
    # int, bytes a Uint8Array) is only assigned to one item, where both read it as an item:
    # ndarray_ass_sub packs an item for an int on 1-D or ... and () on 0-dim, and takes any
    # other key's value as an exporter
    if ambiguous:
        n = nd.ndim
        item = (n == 0 and (key is Ellipsis or key == ())) or (n == 1 and isinstance(key, int))
        if not item: return SKIPPED
    if intfloat and nd.format[-1:] not in ('e', 'f', 'd'): return SKIPPED
    if _shapeless_wide(nd) and isinstance(key, int): return SKIPPED
    if _item_outside(nd, key): return SKIPPED
    if _too_many_slices(nd, key): return SKIPPED
    nd[key] = value
    return nd
def frombuffer(b): return _FromBuffer(ctypes.byref(b.v))
def _copy_loops_outside(dest, src):
    # PyObject_CopyData's item loop addresses dest with src's indices and copies src's itemsize
    # bytes there: C trusts its caller on both (items wider than dest's may run past its memory)
    try:
        with memoryview(dest) as d, memoryview(src) as s:
            if (d.c_contiguous and s.c_contiguous) or (d.f_contiguous and s.f_contiguous): return False
            return d.ndim != s.ndim or d.itemsize < s.itemsize or any(x < y for x, y in zip(d.shape, s.shape))
    except Exception:
        return False
def copydata(dest, src):
    if _copy_loops_outside(dest, src): return SKIPPED
    _CopyData(dest, src)
    with memoryview(dest) as m: return m.tobytes()
def fillstrides(shape, itemsize, order):
    n = len(shape)
    sh = (ctypes.c_ssize_t * max(n, 1))(*shape); st = (ctypes.c_ssize_t * max(n, 1))()
    _FillStrides(n, sh, st, itemsize, order.encode())
    return list(st)[:n]
def sizefromformat(fmt): return _SizeFromFormat(fmt.encode())

class _Skipped: pass
SKIPPED = _Skipped()

def _fl(x):
    if x != x: return {'t': 'float', 'v': '-nan' if math.copysign(1.0, x) < 0 else 'nan'}
    return {'t': 'float', 'v': repr(x)}

def _name(o, V):
    if o is None: return 'None'
    if type(o).__name__ == '_buffer_wrapper':
        # slot_bf_getbuffer wraps a PEP 688 class's export: name the instance the wrapper holds,
        # as the JavaScript protocol (the C slot itself) names its exporter
        for r in gc.get_referents(o):
            if not isinstance(r, memoryview): o = r; break
    for k, v in V.items():
        if v is o: return k
    return type(o).__name__

def _arr(p, n): return None if not p else [p[i] for i in range(n)]

def _try(f):
    try: return f()
    except Exception as e: return _exc(e)

def _exc(e):
    t = type(e)
    cls = t.__name__ if t.__module__ == 'builtins' else t.__module__ + '.' + t.__name__
    return {'t': 'exc', 'cls': cls, 'msg': str(e)}

def enc(x, V):
    if x is SKIPPED: return {'t': 'skipped'}
    if isinstance(x, bool): return {'t': 'bool', 'v': x}
    if isinstance(x, int): return {'t': 'num', 'v': str(x)}
    if isinstance(x, float): return _fl(x)
    if isinstance(x, complex): return {'t': 'complex', 're': _fl(x.real), 'im': _fl(x.imag)}
    if isinstance(x, (bytes, bytearray)): return {'t': 'bytes', 'v': x.hex()}
    if isinstance(x, str): return {'t': 'str', 'v': x}
    if x is None: return {'t': 'none'}
    if isinstance(x, (list, tuple)): return {'t': 'list', 'v': [enc(y, V) for y in x]}
    if isinstance(x, memoryview):
        try:
            d = {'t': 'mv', 'format': x.format, 'itemsize': x.itemsize, 'ndim': x.ndim,
                 'shape': list(x.shape), 'strides': list(x.strides), 'suboffsets': list(x.suboffsets),
                 'readonly': x.readonly, 'nbytes': x.nbytes, 'c': x.c_contiguous, 'f': x.f_contiguous,
                 'a': x.contiguous, 'obj': _name(x.obj, V)}
        except ValueError as e:
            return {'t': 'mv', 'released': _exc(e)}
        d['bytes'] = _try(lambda: x.tobytes().hex())
        return d
    if isinstance(x, ndarray):
        return {'t': 'nd', 'format': x.format, 'itemsize': x.itemsize, 'ndim': x.ndim, 'shape': list(x.shape),
                'strides': list(x.strides), 'suboffsets': list(x.suboffsets), 'readonly': x.readonly,
                'nbytes': x.nbytes, 'flags': x.flags, 'offset': x.offset, 'c': x.c_contiguous,
                'f': x.f_contiguous, 'a': x.contiguous, 'bytes': _try(lambda: x.tobytes().hex()),
                'list': {'t': 'skipped'} if _list_outside(x) else _try(lambda: enc(x.tolist(), V))}
    if isinstance(x, Buf):
        v = x.v; n = v.ndim
        obj = ctypes.cast(ctypes.c_void_p(v.obj), ctypes.py_object).value if v.obj else None
        return {'t': 'buf', 'len': v.len, 'itemsize': v.itemsize, 'readonly': bool(v.readonly), 'ndim': n,
                'format': v.format.decode('latin-1') if v.format is not None else None,
                'shape': _arr(v.shape, n) if n else None, 'strides': _arr(v.strides, n) if n else None,
                'suboffsets': _arr(v.suboffsets, n) if n else None, 'obj': _name(obj, V)}
    return {'t': 'other', 'v': type(x).__name__}

_V = [None]

def S(R, V, out, needs, fn):
    _V[0] = V
    for n in needs:
        if n not in V:
            R.append({'t': 'missing'}); return
    try:
        x = fn()
    except Exception as e:
        R.append(_exc(e)); return
    if out is not None and x is not SKIPPED: V[out] = x
    R.append(_try(lambda: enc(x, V)))

def cleanup(V):
    bufs = [x for x in V.values() if isinstance(x, Buf)]
    V.clear()
    for b in bufs: b.release()
    _KEEP.clear()
`;

/** The Python spelling of a value. */
export function pyValue(v: PV): string {
  switch (v.k) {
    case 'int':
      return v.v;
    case 'float':
      return `float('${v.v === '-0.0' ? '-0.0' : v.v}')`;
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'bytes':
    case 'bytesobj':
      return `bytes.fromhex('${v.hex}')`;
    case 'str':
      return JSON.stringify(v.v);
    case 'none':
      return 'None';
    case 'ellipsis':
      return 'Ellipsis';
    case 'slice':
      return `slice(${pyValue(v.start)}, ${pyValue(v.stop)}, ${pyValue(v.step)})`;
    case 'tuple':
      return v.items.length === 1 ? `(${pyValue(v.items[0])},)` : `(${v.items.map(pyValue).join(', ')})`;
    case 'list':
      return `[${v.items.map(pyValue).join(', ')}]`;
    case 'complex':
      return `complex(float('${v.re}'), float('${v.im}'))`;
    case 'ref':
      return `V['${v.name}']`;
  }
}

const ref = (name: string): string => `V['${name}']`;

/** A value JavaScript spells like another Python type: a tuple or list, an integral float, bytes. */
export function ambiguousValue(v: PV): boolean {
  return v.k === 'tuple' || v.k === 'list' || v.k === 'bytes' || integralFloat(v);
}

/** A float PV whose value is an integer, -0.0 included (see setfloat in the prelude). */
export function integralFloat(v: PV): boolean {
  if (v.k !== 'float') return false;
  const x = Number(v.v);
  return Number.isFinite(x) && Number.isInteger(x);
}
const ints = (xs: readonly number[]): string => `[${xs.join(', ')}]`;

/** The Python expression of a step (statements are spelled as the calls they are). */
export function pyExpr(s: Step): string {
  switch (s.op) {
    case 'bytes':
      return `bytes.fromhex('${s.hex}')`;
    case 'bytearray':
      return `bytearray.fromhex('${s.hex}')`;
    case 'ndarray': {
      const strides = s.strides === null ? '' : `, strides=${ints(s.strides)}`;
      return `ndarray(${pyValue(s.items)}, shape=${ints(s.shape)}${strides}, offset=${s.offset}, format=${JSON.stringify(s.format)}, flags=${s.flags})`;
    }
    case 'reexport': {
      const getbuf = s.getbuf === null ? '' : `, getbuf=${s.getbuf}`;
      const flags = s.flags === null ? '' : `, flags=${s.flags}`;
      return `ndarray(${ref(s.base)}${getbuf}${flags})`;
    }
    case 'ndsub':
      return `ndsub(${ref(s.base)}, ${pyValue(s.key)})`;
    case 'memoryview':
      return `memoryview(${pyValue(s.arg)})`;
    case 'fromflags':
      return `memoryview._from_flags(${pyValue(s.arg)}, ${s.flags})`;
    case 'mvfrombuffer':
      return `${ref(s.base)}.memoryview_from_buffer()`;
    case 'getcontig':
      return `get_contiguous(${pyValue(s.arg)}, ${pyValue(s.buffertype)}, ${pyValue(s.order)})`;
    case 'cast':
      return s.shape === null
        ? `${ref(s.target)}.cast(${pyValue(s.format)})`
        : `${ref(s.target)}.cast(${pyValue(s.format)}, ${pyValue(s.shape)})`;
    case 'toreadonly':
      return `${ref(s.target)}.toreadonly()`;
    case 'addsub':
      return `${ref(s.target)}.add_suboffsets()`;
    case 'push':
      return `${ref(s.target)}.push(${pyValue(s.items)}, shape=${ints(s.shape)}, format=${JSON.stringify(s.format)})`;
    case 'pop':
      return `${ref(s.target)}.pop()`;
    case 'ndset': {
      const flags = [ambiguousValue(s.value), integralFloat(s.value)].map((x) => (x ? 'True' : 'False')).join(', ');
      return `ndset(${ref(s.target)}, ${pyValue(s.key)}, ${pyValue(s.value)}, ${flags})`;
    }
    case 'attrs':
      return ref(s.target);
    case 'get':
      return `${ref(s.target)}[${pyValue(s.key)}]`;
    case 'set':
      if (integralFloat(s.value)) return `setfloat(${ref(s.target)}, ${pyValue(s.key)}, ${pyValue(s.value)})`;
      return `${ref(s.target)}.__setitem__(${pyValue(s.key)}, ${pyValue(s.value)})`;
    case 'tolist':
      return `${ref(s.target)}.tolist()`;
    case 'tobytes':
      return s.order === undefined ? `${ref(s.target)}.tobytes()` : `${ref(s.target)}.tobytes(${pyValue(s.order)})`;
    case 'hex':
      return `${ref(s.target)}.hex(${s.args.map(pyValue).join(', ')})`;
    case 'eq':
      return `${ref(s.target)} == ${pyValue(s.other)}`;
    case 'hash':
      return `hash(${ref(s.target)})`;
    case 'count':
      return `${ref(s.target)}.count(${pyValue(s.value)})`;
    case 'index':
      return `${ref(s.target)}.index(${[s.value, ...s.args].map(pyValue).join(', ')})`;
    case 'len':
      return `len(${ref(s.target)})`;
    case 'iter':
      return `iterlist(${ref(s.target)})`;
    case 'delitem':
      return `${ref(s.target)}.__delitem__(${pyValue(s.key)})`;
    case 'bytesat':
      return `${ref(s.target)}[${pyValue(s.key)}]`;
    case 'bytesnew':
      return `${s.kind}(${pyValue(s.arg)})`;
    case 'release':
      return `${ref(s.target)}.release()`;
    case 'del':
      return `(V.pop('${s.target}'), None)[1]`;
    case 'bytearrayop': {
      const t = ref(s.target);
      const call =
        s.method === 'setitem'
          ? `${t}.__setitem__(${s.args.map(pyValue).join(', ')})`
          : `${t}.${s.method}(${s.args.map(pyValue).join(', ')})`;
      return `(${call}, ${t})[1]`;
    }
    case 'cmp_contig':
      return `cmp_contig(${pyValue(s.a)}, ${pyValue(s.b)})`;
    case 'is_contiguous':
      return `is_contiguous(${pyValue(s.a)}, ${pyValue(s.order)})`;
    case 'get_pointer':
      return `get_pointer(${pyValue(s.a)}, ${pyValue(s.indices)})`;
    case 'py_buffer_to_contiguous':
      return `py_buffer_to_contiguous(${pyValue(s.a)}, ${pyValue(s.order)}, ${s.flags})`;
    case 'sizeof_void_p':
      return 'get_sizeof_void_p()';
    case 'slice_indices':
      return `slice_indices(${pyValue(s.key)}, ${pyValue(s.length)})`;
    case 'getbuf':
      return `getbuf(${pyValue(s.arg)}, ${s.flags})`;
    case 'buf_is_contiguous':
      return `buf_is_contiguous(${ref(s.buf)}, '${s.order}')`;
    case 'buf_to_contiguous':
      return `buf_to_contiguous(${ref(s.buf)}, '${s.order}', ${s.lenDelta})`;
    case 'buf_from_contiguous':
      return `buf_from_contiguous(${ref(s.buf)}, '${s.order}', bytes.fromhex('${s.hex}'))`;
    case 'buf_get_pointer':
      return `buf_get_pointer(${ref(s.buf)}, ${ints(s.indices)})`;
    case 'buf_release':
      return `${ref(s.buf)}.release()`;
    case 'frombuffer':
      return `frombuffer(${ref(s.buf)})`;
    case 'copydata':
      return `copydata(${pyValue(s.dest)}, ${pyValue(s.src)})`;
    case 'fillstrides':
      return `fillstrides(${ints(s.shape)}, ${s.itemsize}, '${s.order}')`;
    case 'sizefromformat':
      return `sizefromformat(${JSON.stringify(s.format)})`;
    case 'attr':
      return `attr(${ref(s.target)}, '${s.name}')`;
    case 'exit':
      return `${ref(s.target)}.__exit__(None, None, None)`;
    case 'setslices':
      return `setslices(${ref(s.target)}, ${pyValue(s.key)}, ${pyValue(s.srckey)})`;
    case 'ndsetslices':
      return `ndsetslices(${ref(s.target)}, ${pyValue(s.key)}, ${pyValue(s.srckey)})`;
    case 'pyexp':
      return `PyExp('${s.mode}', bytes.fromhex('${s.hex}'))`;
    case 'expstate':
      return `expstate(${ref(s.target)})`;
    case 'static':
      return s.legacy ? 'staticarray(legacy_mode=True)' : 'staticarray()';
    case 'typed':
      return `array.array('${s.code}', [${s.items.map(pyValue).join(', ')}])`;
    case 'struct':
      return `struct_call('${s.fn}', ${JSON.stringify(s.format)}, [${s.args.map(pyValue).join(', ')}])`;
    case 'frommemory':
      return s.over === null
        ? `frommemory(bytes.fromhex('${s.hex}'), ${s.flags})`
        : `frommemory_over(${ref(s.over)}, ${s.flags})`;
    case 'fillinfo':
      return `fillinfo(bytes.fromhex('${s.hex}'), ${pyValue(s.obj)}, ${s.readonly}, ${s.flags})`;
    case 'checkbuffer':
      return `checkbuffer(${pyValue(s.arg)})`;
    case 'capi_getcontig':
      return `capi_getcontig(${pyValue(s.arg)}, ${s.buffertype}, '${s.order}')`;
  }
}

/** A scenario as one Python function appending its step results to R. */
export function scenarioSource(sc: Scenario): string {
  const lines = [`def scenario_${sc.index}():  # seed ${sc.seed}, index ${sc.index}`, '    V = {}; R = []'];
  for (const s of sc.steps) {
    const out = 'out' in s && s.out !== undefined ? `'${s.out}'` : 'None';
    const needs = reads(s).map((n) => `'${n}'`);
    const tuple = needs.length === 1 ? `(${needs[0]},)` : `(${needs.join(', ')})`;
    lines.push(`    S(R, V, ${out}, ${tuple}, lambda: ${pyExpr(s)})`);
  }
  lines.push('    cleanup(V)', '    return R');
  return lines.join('\n');
}

/** Source that runs a batch of scenarios and leaves their results, as JSON, in the last expression. */
export function batchSource(batch: readonly Scenario[]): string {
  const parts = batch.map((sc) => scenarioSource(sc));
  parts.push(`json.dumps([${batch.map((sc) => `scenario_${sc.index}()`).join(', ')}])`);
  return parts.join('\n');
}

/**
 * A scenario as a standalone script: the prelude, the scenario, and its results printed. For a
 * person replaying a mismatch (suite.ts's failure message names it), so no test calls it.
 * @public
 */
export function replaySource(sc: Scenario): string {
  return `${PRELUDE}\n${scenarioSource(sc)}\nfor i, r in enumerate(scenario_${sc.index}()): print(i, r)\n`;
}
