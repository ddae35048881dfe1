#!/usr/bin/env python3
"""Generate tests/fixtures/ndarray.json: CPython 3.14 (wasm32) vectors for NDArray and testbuffer.

Run in CPython 3.14 for wasm32 (Pyodide, a devDependency), no native Python needed:

    node scripts/run-in-pyodide.mjs scripts/gen-ndarray-fixtures.py    (or: npm run fixtures)

Deterministic (fixed seed). Sections:
  ctor_errors  bad ndarray(...) argument combinations -> [exception class, message]
  layouts      random layouts (C, Fortran, strided with any sign, offsets, PIL, scalars,
               zeros in shape, multi-member formats): attributes, tolist(), tobytes(),
               every item nd[i], random (multi-dimensional) slices, get_pointer(),
               is_contiguous(), and the re-exporter ndarray(nd, getbuf=flags) for every
               PyBUF request (its attributes, or the BufferError)
  slice_indices  _testbuffer.slice_indices vectors

Value encoding as in tests/helpers/fixtures.ts ($int, $float, $bytes markers; tuples as
lists; bytes results as hex strings). Exceptions are [type name, message] with struct.error
spelt 'struct.error'.

Platform note: the library targets wasm32 (4-byte pointers); this CPython is x86-64. The
pointer size shows only in the strides of PIL dimensions (those with suboffsets >= 0), which
are recorded as their wasm32 value (+-4 per pointer). Formats whose native size differs
('l', 'L', 'n', 'N', 'P') are only used with a byte-order prefix.
"""

import json
import math
import os
import random
import struct
import sys

from _testbuffer import (
    ND_FORTRAN, ND_PIL, ND_SCALAR, ND_WRITABLE, ND_VAREXPORT, ND_REDIRECT, ND_GETBUF_FAIL,
    PyBUF_SIMPLE, PyBUF_WRITABLE, PyBUF_FORMAT, PyBUF_ND, PyBUF_STRIDES, PyBUF_INDIRECT,
    PyBUF_C_CONTIGUOUS, PyBUF_F_CONTIGUOUS, PyBUF_ANY_CONTIGUOUS, PyBUF_FULL, PyBUF_FULL_RO,
    PyBUF_RECORDS, PyBUF_RECORDS_RO, PyBUF_STRIDED, PyBUF_STRIDED_RO, PyBUF_CONTIG, PyBUF_CONTIG_RO,
    get_pointer, get_sizeof_void_p, is_contiguous, ndarray, slice_indices,
)

SEED = 0x7E57  # "test"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures', 'ndarray.json')
HOST_PTR = get_sizeof_void_p()
WASM_PTR = 4

R = random.Random(SEED)

# --------------------------------------------------------------------------
# Encoding
# --------------------------------------------------------------------------


def enc(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v if abs(v) <= 2**53 - 1 else {'$int': str(v)}
    if isinstance(v, float):
        if math.isnan(v):
            return {'$float': 'nan'}
        if math.isinf(v):
            return {'$float': 'inf' if v > 0 else '-inf'}
        if v == 0 and math.copysign(1, v) < 0:
            return {'$float': '-0'}
        return v
    if isinstance(v, bytes):
        return {'$bytes': v.hex()}
    if isinstance(v, complex):
        return {'$complex': [enc(v.real), enc(v.imag)]}
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if v is None:
        return None
    raise TypeError(repr(v))


def err(e):
    name = type(e).__name__
    if isinstance(e, struct.error):
        name = 'struct.error'
    return [name, str(e)]


def attempt(fn):
    try:
        return {'value': fn()}
    except Exception as e:  # noqa: BLE001 - every exception is a recorded outcome
        return {'error': err(e)}


def wasm_strides(strides, pil):
    """strides as wasm32 has them: in an ND_PIL array (and its slices and re-exporters)
    dimension 0 steps over pointers. Its suboffset cannot tell: slicing can make it negative."""
    strides = list(strides)
    if pil and strides:
        strides[0] = strides[0] // HOST_PTR * WASM_PTR
    return strides


# --------------------------------------------------------------------------
# Random items and layouts
# --------------------------------------------------------------------------

HALVES = [0.0, -0.0, 1.0, -2.5, 0.125, 65504.0, 6.103515625e-05, -1024.0]
FLOATS = [0.0, -0.0, 1.5, -2.25, 3.0, 0.1875, 1e10, -7.5]


def rand_item(fmt):
    code = fmt.lstrip('<>=!@')
    if code in ('B',):
        return R.randrange(256)
    if code == 'b':
        return R.randrange(-128, 128)
    if code == 'h':
        return R.randrange(-2**15, 2**15)
    if code in ('i', 'l'):
        return R.randrange(-2**31, 2**31)
    if code == 'I':
        return R.randrange(2**32)
    if code == 'q':
        return R.randrange(-2**63, 2**63)
    if code == 'Q':
        return R.randrange(2**64)
    if code == 'f':
        return R.choice(FLOATS)
    if code == 'd':
        return R.choice(FLOATS + [R.random() * 1e6])
    if code == 'e':
        return R.choice(HALVES)
    if code == '?':
        return R.random() < 0.5
    if code == 'c':
        return bytes([R.randrange(256)])
    if code == 'bb':
        return (R.randrange(-128, 128), R.randrange(-128, 128))
    if code == 'hi':
        return (R.randrange(-2**15, 2**15), R.randrange(-2**31, 2**31))
    if code == '3s':
        return bytes(R.randrange(256) for _ in range(3))
    if code in ('n', 'l'):
        return R.randrange(-2**31, 2**31)
    if code in ('N', 'L', 'P'):
        return R.randrange(2**32)
    if code == 'bD':
        return (R.randrange(-128, 128), complex(R.choice(FLOATS), R.choice(FLOATS)))
    if code == '2F':
        return (complex(R.choice(FLOATS), R.choice(FLOATS)), complex(R.choice(FLOATS), 0.0))
    raise ValueError(fmt)


# native 'l', 'n', 'N', 'P' are 4 bytes here as on every wasm32 build; 'bD' and '2F' hold 3.14's complex
FORMATS = ['B', 'B', 'B', 'b', 'h', 'i', '<l', '<I', '<q', 'Q', 'f', 'd', 'e', '?', 'c', 'bb', 'hi', '3s',
           'l', 'n', 'N', 'P', 'bD', '2F']


def rand_layout():
    fmt = R.choice(FORMATS)
    itemsize = struct.calcsize(fmt)
    kind = R.choice(['c', 'c', 'fortran', 'strided', 'strided', 'strided', 'pil', 'pil_strided', 'scalar'])
    flags = ND_WRITABLE if R.random() < 0.5 else 0
    if kind == 'scalar':
        return {'items': rand_item(fmt), 'shape': [], 'format': fmt, 'flags': flags}
    ndim = R.choice([1, 1, 2, 2, 3])
    shape = [R.choice([0, 1, 2, 3, 4]) if R.random() < 0.15 else R.randrange(1, 5) for _ in range(ndim)]
    if kind in ('c', 'fortran', 'pil'):
        n = max(1, math.prod(shape))
        extra = R.randrange(0, 3)
        layout = {'items': [rand_item(fmt) for _ in range(n + extra)], 'shape': shape, 'format': fmt,
                  'flags': flags}
        if kind == 'fortran':
            layout['flags'] |= ND_FORTRAN
        if kind == 'pil':
            layout['flags'] |= ND_PIL
        return layout
    # strided, any sign, zero strides on extent-1 dims sometimes
    strides = []
    for i in range(ndim):
        mult = R.choice([1, 1, 2, 3, -1, -1, -2, 0]) if shape[i] <= 1 or R.random() < 0.9 else 0
        strides.append(mult * itemsize)
    # give the steps room so items do not overlap (mostly): scale outer dims
    span = itemsize
    for i in reversed(range(ndim)):
        if strides[i] != 0 and abs(strides[i]) < span and R.random() < 0.8:
            strides[i] = span * (1 if strides[i] > 0 else -1) * R.choice([1, 1, 2])
        span = max(span, abs(strides[i]) * max(shape[i], 1))
    imin = sum((s - 1) * st for s, st in zip(shape, strides) if st < 0 and s > 0)
    imax = sum((s - 1) * st for s, st in zip(shape, strides) if st > 0 and s > 0)
    extra = R.randrange(0, 3)
    offset = -imin + itemsize * R.randrange(0, 2)
    nitems = (imax - imin) // itemsize + 1 + extra + 1
    layout = {'items': [rand_item(fmt) for _ in range(nitems)], 'shape': shape, 'strides': strides,
              'offset': offset, 'format': fmt, 'flags': flags}
    if kind == 'pil_strided':
        layout['flags'] |= ND_PIL
    return layout


def make(layout):
    kw = {k: layout[k] for k in ('shape', 'strides', 'offset', 'format', 'flags') if k in layout}
    return ndarray(layout['items'], **kw)


def rand_slice(n):
    def bound():
        return None if R.random() < 0.3 else R.randrange(-n - 2, n + 3)
    step = None if R.random() < 0.3 else R.choice([1, 2, 3, -1, -2, -3])
    return (bound(), bound(), step)


def describe(nd, pil=False, with_list=True):
    suboffsets = list(nd.suboffsets)
    d = {
        'flags': nd.flags, 'offset': nd.offset, 'nbytes': nd.nbytes, 'readonly': nd.readonly,
        'itemsize': nd.itemsize, 'format': nd.format, 'ndim': nd.ndim, 'shape': list(nd.shape),
        'strides': wasm_strides(nd.strides, pil), 'suboffsets': suboffsets,
        'contig': [attempt(lambda: nd.c_contiguous), attempt(lambda: nd.f_contiguous),
                   attempt(lambda: nd.contiguous)],
        'tobytes': attempt(lambda: nd.tobytes().hex()),
    }
    if with_list:
        d['tolist'] = attempt(lambda: enc(nd.tolist()))
    return d


REQUESTS = [
    PyBUF_SIMPLE, PyBUF_WRITABLE, PyBUF_FORMAT, PyBUF_WRITABLE | PyBUF_FORMAT,
    PyBUF_ND, PyBUF_ND | PyBUF_WRITABLE, PyBUF_ND | PyBUF_FORMAT, PyBUF_STRIDES, PyBUF_STRIDES | PyBUF_FORMAT,
    PyBUF_INDIRECT, PyBUF_INDIRECT | PyBUF_FORMAT, PyBUF_C_CONTIGUOUS, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT,
    PyBUF_F_CONTIGUOUS, PyBUF_F_CONTIGUOUS | PyBUF_FORMAT, PyBUF_ANY_CONTIGUOUS,
    PyBUF_ANY_CONTIGUOUS | PyBUF_FORMAT, PyBUF_FULL, PyBUF_FULL_RO, PyBUF_RECORDS, PyBUF_RECORDS_RO,
    PyBUF_STRIDED, PyBUF_STRIDED_RO, PyBUF_CONTIG, PyBUF_CONTIG_RO, PyBUF_INDIRECT | PyBUF_C_CONTIGUOUS,
    PyBUF_FULL_RO | PyBUF_F_CONTIGUOUS,
]


def gen_layout_case(layout):
    case = {'args': {k: enc(v) if k == 'items' else v for k, v in layout.items()}}
    made = attempt(lambda: make(layout))
    if 'error' in made:
        case['error'] = made['error']
        return case
    nd = made['value']
    pil = bool(layout['flags'] & ND_PIL)
    case['attrs'] = describe(nd, pil)
    if nd.ndim > 0:
        n = nd.shape[0]
        items = []
        for i in range(-n - 1, n + 1):
            r = attempt(lambda: nd[i])
            if 'value' in r:
                v = r['value']
                r = {'value': enc(v.tolist()) if isinstance(v, ndarray) else enc(v)}
            items.append([i, r])
        case['items'] = items
        slices = []
        for _ in range(4):
            key = tuple(rand_slice(s) for s in nd.shape[:R.randrange(1, nd.ndim + 1)])
            r = attempt(lambda: nd[tuple(slice(*k) for k in key)])
            out = {'key': [list(k) for k in key]}
            if 'error' in r:
                out['error'] = r['error']
            else:
                out['attrs'] = describe(r['value'], pil)
            slices.append(out)
        case['slices'] = slices
        pointers = []
        for _ in range(3):
            idx = [R.randrange(-1, s + 1) for s in nd.shape]
            r = attempt(lambda: enc(get_pointer(nd, idx)))
            pointers.append([idx, r])
        case['get_pointer'] = pointers
    else:
        case['scalar_item'] = attempt(lambda: enc(nd[()]))
    case['is_contiguous'] = [is_contiguous(nd, o) for o in 'CFA']
    getbuf = []
    for req in REQUESTS:
        r = attempt(lambda: ndarray(nd, getbuf=req))
        if 'error' in r:
            getbuf.append([req, {'error': r['error']}])
        else:
            getbuf.append([req, describe(r['value'], pil)])
    case['getbuf'] = getbuf
    return case


# --------------------------------------------------------------------------
# Constructor errors
# --------------------------------------------------------------------------

B = {'$bytesobj': '616263'}  # a bytes exporter, b'abc'

CTOR = [
    # (items, kwargs) with JSON-able stand-ins; B stands for the exporter b'abc'
    ([1, 2, 3], {}),
    ([1, 2, 3], {'shape': None}),
    ([1, 2, 3], {'shape': 3}),
    ([1, 2, 3], {'shape': [3], 'strides': None}),
    ([1, 2, 3], {'shape': [3], 'strides': 1}),
    ([1, 2, 3], {'shape': [3], 'strides': [1, 1]}),
    ([1, 2, 3], {'shape': [3], 'strides': [1], 'flags': ND_FORTRAN}),
    ([1, 2, 3], {'shape': [1] * 129}),
    ([1, 2, 3], {'shape': [3], 'format': 'Z'}),
    ([1, 2, 3], {'shape': [3], 'format': 5}),
    ([1, 2, 3], {'shape': [3], 'format': '0B'}),
    ([1, 2, 3], {'shape': [3], 'format': 'x'}),
    ([1, 2, 3], {'shape': [3], 'format': 'bb'}),
    ([1, 2, 3], {'shape': [3], 'format': 'b\u00e9'}),
    ('abc', {'shape': [3]}),
    (B, {'shape': [3]}),
    ([], {'shape': [0]}),
    ([1, 2, 3], {'shape': [3], 'offset': 1, 'format': '<h'}),
    ([1, 2, 3], {'shape': [3], 'offset': -1}),
    ([1, 2, 3], {'shape': [3], 'offset': 3}),
    ([1, 2, 3], {'shape': [3], 'offset': 1.5}),
    ([1, 2, 3], {'shape': [3], 'offset': None}),
    ([1, 2, 3], {'shape': [3], 'offset': 'a'}),
    ([1, 2, 3], {'shape': [3], 'flags': 1.5}),
    ([1, 2, 3], {'shape': [3], 'flags': 2**40}),
    ([1, 2, 3], {'shape': [3], 'flags': -2**40}),
    ([1, 2, 3], {'shape': [3], 'getbuf': PyBUF_FULL_RO}),
    ([1, 2, 3], {'shape': [3], 'x': 1}),
    ([1, 2, 3], {'shape': [3.5]}),
    ([1, 2, 3], {'shape': ['a']}),
    ([1, 2, 3], {'shape': [-1]}),
    ([1, 2, 3], {'shape': [2**30]}),
    ([1, 2, 3], {'shape': [3], 'strides': [1.5]}),
    ([1, 2, 3], {'shape': [3], 'strides': [2**30]}),
    ([1, 2, 3], {'shape': [4]}),
    ([1, 2, 3], {'shape': [2], 'strides': [2]}),
    ([1, 2, 3], {'shape': [2], 'strides': [-1]}),
    ([1, 2, 3], {'shape': [2], 'strides': [3], 'format': '<h'}),
    ([1, 2, 3], {'shape': [3], 'strides': [3], 'format': '<h'}),
    ([1, 2, 3], {'shape': [2], 'offset': 2}),
    ([1, 2, 3], {'shape': [3, 2], 'strides': [0, 1]}),
    ([1, 2, 3, 4], {'shape': [2, 2], 'flags': ND_FORTRAN | ND_PIL}),
    (1, {'shape': [], 'flags': ND_PIL}),
    (1, {'shape': [], 'offset': 1}),
    ([1, 2], {'shape': []}),
    ([1, 2, 'a'], {'shape': [3]}),
    ([1, 2, None], {'shape': [3]}),
    ([1, 2, 300], {'shape': [3]}),
    ([1, 2, 1.5], {'shape': [3]}),
    ([1, 2, -1], {'shape': [3]}),
    ([(1, 2)], {'shape': [1]}),
    ([(1, 2), (3,)], {'shape': [2], 'format': 'bb'}),
    ([(1, 2), 3], {'shape': [2], 'format': 'bb'}),
    ([(1, 200)], {'shape': [1], 'format': 'bb'}),
    ([1.5], {'shape': [1], 'format': 'e'}),
    ([70000.5], {'shape': [1], 'format': 'e'}),
    ([2**64], {'shape': [1], 'format': 'Q'}),
    ([-1], {'shape': [1], 'format': 'Q'}),
    ([b'ab'], {'shape': [1], 'format': 'c'}),
    ([1], {'shape': [1], 'format': 'c'}),
    ([1], {'shape': [1], 'format': 'f'}),
    ([1], {'shape': [1], 'flags': ND_VAREXPORT | ND_WRITABLE}),
    (B, {'strides': [1]}),
    (B, {'offset': 1}),
    (B, {'format': 'b'}),
    (B, {'format': 'B'}),
    (B, {'flags': ND_WRITABLE}),
    (B, {'flags': ND_REDIRECT}),
    (B, {'getbuf': PyBUF_WRITABLE}),
    (B, {'getbuf': PyBUF_FORMAT}),
    (B, {'getbuf': 1.5}),
    (B, {}),
]


def py_arg(v):
    if isinstance(v, dict) and '$bytesobj' in v:
        return bytes.fromhex(v['$bytesobj'])
    if isinstance(v, tuple):
        return tuple(py_arg(x) for x in v)
    if isinstance(v, list):
        return [py_arg(x) for x in v]
    return v


def json_arg(v):
    if isinstance(v, dict):
        return v
    if isinstance(v, bytes):
        return {'$bytes': v.hex()}
    if isinstance(v, complex):
        return {'$complex': [enc(v.real), enc(v.imag)]}
    if isinstance(v, (list, tuple)):
        return [json_arg(x) for x in v]
    if isinstance(v, float):
        assert not v.is_integer(), 'integral floats would turn into JS integers'
    return v


def inside_buffer(nd, items):
    """verify_structure() of Lib/test/test_buffer.py, in Python's exact integers, for an
    ndarray built from a list of items (its buffer holds len(items) items)."""
    if not isinstance(items, list) or nd.suboffsets or 0 in nd.shape:
        return True
    memlen = len(items) * nd.itemsize
    lo = sum(st * (n - 1) for n, st in zip(nd.shape, nd.strides) if st <= 0)
    hi = sum(st * (n - 1) for n, st in zip(nd.shape, nd.strides) if st > 0)
    return nd.offset + lo >= 0 and nd.offset + hi + nd.itemsize <= memlen


def gen_ctor():
    out = []
    for items, kw in CTOR:
        r = attempt(lambda: ndarray(py_arg(items), **{k: py_arg(v) for k, v in kw.items()}))
        rec = {'items': json_arg(items), 'kw': {k: json_arg(v) for k, v in kw.items()}}
        if 'error' in r:
            rec['error'] = r['error']
        elif not inside_buffer(r['value'], py_arg(items)):
            # Py_ssize_t is 32 bits here: verify_structure() in _testbuffer.c wraps its extent
            # sums and accepts a view that reaches gigabytes past the buffer, and reading it
            # traps the interpreter. Record that CPython accepted it, and nothing it would read.
            nd = r['value']
            rec['accepted_outside_buffer'] = {'shape': list(nd.shape), 'strides': list(nd.strides)}
        else:
            flags = kw.get('flags', 0)
            rec['attrs'] = describe(r['value'], isinstance(flags, int) and bool(flags & ND_PIL))
        out.append(rec)
    return out


def gen_slice_indices():
    out = []
    for _ in range(120):
        n = R.randrange(0, 10)
        start, stop, step = rand_slice(n)
        if step is None and R.random() < 0.1:
            step = 0
        r = attempt(lambda: list(slice_indices(slice(start, stop, step), n)))
        out.append([[start, stop, step], n, r])
    return out


def require_reference():
    """The reference is CPython 3.14 built for wasm32 (the pinned `pyodide` package)."""
    if sys.platform != 'emscripten' or sys.version_info[:2] != (3, 14):
        sys.exit('run in Pyodide: npm run fixtures (node scripts/run-in-pyodide.mjs %s)'
                 % os.path.relpath(__file__))


def main():
    require_reference()
    layouts = [gen_layout_case(rand_layout()) for _ in range(160)]
    data = {
        'python': sys.version.split()[0],
        'seed': SEED,
        'ctor_errors': gen_ctor(),
        'layouts': layouts,
        'slice_indices': gen_slice_indices(),
    }
    with open(OUT, 'w') as f:
        json.dump(data, f, separators=(',', ':'))
        f.write('\n')
    print(f'wrote {OUT}: {len(data["ctor_errors"])} ctor cases, {len(layouts)} layouts, '
          f'{len(data["slice_indices"])} slice_indices vectors')


if __name__ == '__main__':
    main()
