#!/usr/bin/env python3
"""Generate tests/fixtures/core-vectors.json: CPython conformance vectors for the core.

Run in CPython 3.14 for wasm32 (Pyodide, a devDependency), no native Python needed:

    node scripts/run-in-pyodide.mjs scripts/gen-core-fixtures.py    (or: npm run fixtures)

The output is deterministic (fixed seed, no hash- or time-dependent values).
Each vector builds one `_testbuffer.ndarray` and records what CPython says
about `memoryview(nd)`, `_testbuffer.is_contiguous`,
`_testbuffer.py_buffer_to_contiguous` and `_testbuffer.get_contiguous`
(PyMemoryView_GetContiguous). The random layouts follow the ideas of
Lib/test/test_buffer.py (randitems, rand_structure): random shapes with
zeros and ones, strides with any sign including zero, random offsets,
and the ND_WRITABLE / ND_FORTRAN / ND_PIL / ND_SCALAR flags.

JSON encoding of values that JSON cannot carry (see tests/helpers/fixtures.ts):
  {"$int": "123..."}        an int outside Number.isSafeInteger
  {"$float": "nan"|"inf"|"-inf"|"-0"}
  {"$bytes": "hex"}         a bytes item (formats 'c' and 'Ns')
  [a, b, ...]               a struct item of a multi-item format (a Python tuple);
                            in tolist() results, nested lists are dimensions
  true / false              '?' items and every boolean attribute
  hex strings               tobytes()/py_buffer_to_contiguous() results

Platform note: the library targets wasm32, where a pointer is 4 bytes, and so
does the CPython that generates these vectors. The pointer size shows in
strides[0] of an ND_PIL array (sizeof(char *)).
"""

import json
import math
import os
import random
import struct
import sys

from _testbuffer import (
    ND_FORTRAN, ND_PIL, ND_SCALAR, ND_WRITABLE,
    PyBUF_FULL_RO, PyBUF_READ, PyBUF_WRITE,
    get_contiguous, get_sizeof_void_p, is_contiguous, ndarray,
    py_buffer_to_contiguous,
)

SEED = 0x3118  # PEP 3118
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'fixtures', 'core-vectors.json')

HOST_PTR = get_sizeof_void_p()
WASM_PTR = 4

R = random.Random(SEED)
randrange = R.randrange
choice = R.choice

# --------------------------------------------------------------------------
# Formats and random items
# --------------------------------------------------------------------------

# Every native single-character memoryview format ('l' 'L' 'n' 'N' 'P' are 4 bytes on wasm32).
NATIVE = list('bBhHiIlLnNPqQfde?c')
# Non-native (standard size, no alignment) and '@'-prefixed formats.
NON_NATIVE = ['<i', '>h', '=Q', '<l', '>L', '!d', '<e', '>q', '<H', '=b', '!f', '@i', '@B', '@d', '<?', '>c']
# Multi-item formats (tolist() refuses them; only bytes are compared).
MULTI = ['hb', 'bh', '2h', '3s', '5s', '<hb', '>iB', '=bq', '2B', 'Bc', 'bD', '2F', 'nP']

STD_RANGE = {
    '?': (0, 2), 'c': (0, 256),
    'b': (-(1 << 7), 1 << 7), 'B': (0, 1 << 8),
    'h': (-(1 << 15), 1 << 15), 'H': (0, 1 << 16),
    'i': (-(1 << 31), 1 << 31), 'I': (0, 1 << 32),
    'l': (-(1 << 31), 1 << 31), 'L': (0, 1 << 32),
    'q': (-(1 << 63), 1 << 63), 'Q': (0, 1 << 64),
    'n': (-(1 << 31), 1 << 31), 'N': (0, 1 << 32), 'P': (0, 1 << 32),
}


def split_codes(fmt):
    """The struct codes of fmt, one per item slot ('3s' is one slot, '2h' two)."""
    body = fmt[1:] if fmt and fmt[0] in '@=<>!' else fmt
    codes = []
    i = 0
    while i < len(body):
        n = ''
        while body[i].isdigit():
            n += body[i]
            i += 1
        c = body[i]
        i += 1
        count = int(n) if n else 1
        if c == 's':
            codes.append((c, count))
        else:
            codes.extend((c, 1) for _ in range(count))
    return codes


def rand_float(code):
    n = randrange(100)
    if n < 3:
        return choice([math.nan, math.inf, -math.inf, -0.0, 0.0])
    if code == 'e':
        x = R.uniform(-65504, 65504) if n < 50 else R.uniform(-8, 8)
    elif code == 'f':
        x = R.uniform(-1e30, 1e30) if n < 30 else R.uniform(-1000, 1000)
    else:
        x = R.uniform(-1e300, 1e300) if n < 20 else R.uniform(-1e6, 1e6)
    if n < 40:
        x = float(randrange(-1000, 1000))
    return struct.unpack('<' + code, struct.pack('<' + code, x))[0]


def rand_value(code, count):
    if code == 's':
        return bytes(randrange(256) for _ in range(count))
    if code == 'c':
        return bytes([randrange(256)])
    if code == '?':
        return bool(randrange(2))
    if code in 'efd':
        return rand_float(code)
    if code in 'FD':
        part = 'f' if code == 'F' else 'd'
        return complex(rand_float(part), rand_float(part))
    lo, hi = STD_RANGE[code]
    n = randrange(10)
    if n == 0:
        return lo
    if n == 1:
        return hi - 1
    if n < 4:
        return randrange(max(lo, -3), min(hi, 4))
    return randrange(lo, hi)


def rand_item(fmt):
    codes = split_codes(fmt)
    vals = [rand_value(c, n) for c, n in codes]
    return vals[0] if len(vals) == 1 else tuple(vals)


def rand_items(fmt, n):
    return [rand_item(fmt) for _ in range(n)]


def rand_format():
    n = randrange(100)
    if n < 65:
        return choice(NATIVE)
    if n < 88:
        return choice(NON_NATIVE)
    return choice(MULTI)


# --------------------------------------------------------------------------
# JSON encoding
# --------------------------------------------------------------------------

def enc(v):
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return v if abs(v) <= (1 << 53) - 1 else {'$int': str(v)}
    if isinstance(v, float):
        if math.isnan(v):
            return {'$float': 'nan'}
        if math.isinf(v):
            return {'$float': 'inf' if v > 0 else '-inf'}
        if v == 0.0 and math.copysign(1.0, v) < 0:
            return {'$float': '-0'}
        return v
    if isinstance(v, (bytes, bytearray)):
        return {'$bytes': bytes(v).hex()}
    if isinstance(v, complex):
        return {'$complex': [enc(v.real), enc(v.imag)]}
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    if isinstance(v, str):
        return v
    raise TypeError(f'cannot encode {type(v).__name__}')


def err(e):
    t = type(e)
    name = t.__name__ if t.__module__ == 'builtins' else f'{t.__module__}.{t.__name__}'
    return [name, str(e)]


def attempt(fn):
    try:
        return True, fn()
    except Exception as e:  # noqa: BLE001 - every CPython error is data here
        return False, err(e)


# --------------------------------------------------------------------------
# Layouts
# --------------------------------------------------------------------------

def verify(memlen, itemsize, shape, strides, offset):
    """test_buffer.verify_structure: does the view fit in memlen bytes?"""
    if offset < 0 or offset + itemsize > memlen:
        return False
    if 0 in shape:
        return True
    imin = sum(s * (n - 1) for n, s in zip(shape, strides) if s <= 0)
    imax = sum(s * (n - 1) for n, s in zip(shape, strides) if s > 0)
    return 0 <= offset + imin and offset + imax + itemsize <= memlen


def rand_shape(ndim, maxshape):
    n = randrange(100)
    minshape = 0 if n >= 88 else 1 if n >= 70 else 2
    return [randrange(minshape, maxshape + 1) for _ in range(ndim)]


def contiguous_strides(shape, itemsize, order):
    strides = [0] * len(shape)
    sd = itemsize
    dims = range(len(shape) - 1, -1, -1) if order == 'C' else range(len(shape))
    for i in dims:
        strides[i] = sd
        sd *= max(shape[i], 1)
    return strides


def rand_strides(shape, itemsize):
    """Strides in bytes, in the spirit of test_buffer.rand_structure."""
    ndim = len(shape)
    kind = randrange(100)
    if kind < 45:
        # contiguous in a random dimension order, with gaps and flipped signs
        perm = list(range(ndim))
        R.shuffle(perm)
        strides = [0] * ndim
        sd = itemsize
        for i in reversed(perm):
            gap = choice([1, 1, 1, 2, 3])
            strides[i] = sd * gap
            sd *= max(shape[i], 1) * gap
        for i in range(ndim):
            if randrange(3) == 0:
                strides[i] = -strides[i]
        return strides
    if kind < 85:
        # test_buffer's scheme: growing bounds, random sign, optionally zero
        zero_stride = randrange(100) >= 85
        maxstride = 3
        strides = [0] * ndim
        strides[-1] = itemsize * randrange(-maxstride, maxstride + 1)
        if not zero_stride and strides[-1] == 0:
            strides[-1] = itemsize
        for i in range(ndim - 2, -1, -1):
            maxstride *= shape[i + 1] if shape[i + 1] else 1
            maxstride = min(maxstride, 40)
            if zero_stride:
                strides[i] = itemsize * randrange(-maxstride, maxstride + 1)
            else:
                strides[i] = (1, -1)[randrange(2)] * itemsize * randrange(1, maxstride + 1)
        return strides
    # small random strides: overlapping, zero and negative
    return [itemsize * randrange(-4, 5) for _ in range(ndim)]


def place(shape, strides, itemsize, slack=True):
    """Offset and number of items so that the view fits, with random slack."""
    imin = imax = 0
    if 0 not in shape:
        imin = sum(s * (n - 1) for n, s in zip(shape, strides) if s <= 0)
        imax = sum(s * (n - 1) for n, s in zip(shape, strides) if s > 0)
    front = randrange(0, 4) if slack and randrange(2) else 0
    back = randrange(0, 4) if slack and randrange(2) else 0
    offset = -imin + front * itemsize
    memlen = offset + imax + itemsize + back * itemsize
    return offset, memlen // itemsize


MAX_ITEMS = 260


def strided_layout(flags_choices):
    while True:
        ndim = choice([1, 1, 2, 2, 2, 3, 3, 4])
        maxshape = {1: 9, 2: 6, 3: 4, 4: 3}[ndim]
        fmt = rand_format()
        itemsize = struct.calcsize(fmt)
        shape = rand_shape(ndim, maxshape)
        strides = rand_strides(shape, itemsize)
        offset, nitems = place(shape, strides, itemsize)
        if nitems > MAX_ITEMS:
            continue
        flags = choice(flags_choices)
        return dict(items=rand_items(fmt, nitems), shape=shape, strides=strides,
                    offset=offset, format=fmt, flags=flags)


def default_layout(flags_choices, ndim=None):
    """strides omitted: C strides, or Fortran strides with ND_FORTRAN."""
    if ndim is None:
        ndim = choice([1, 1, 2, 2, 3, 3, 4])
    maxshape = {0: 1, 1: 9, 2: 6, 3: 4, 4: 3}[ndim]
    fmt = rand_format()
    itemsize = struct.calcsize(fmt)
    shape = rand_shape(ndim, maxshape)
    n = 1
    for v in shape:
        n *= v
    front = randrange(0, 3) if randrange(3) == 0 else 0
    back = randrange(0, 3) if randrange(3) == 0 else 0
    nitems = max(n, 1) + front + back
    return dict(items=rand_items(fmt, nitems), shape=shape, strides=None,
                offset=front * itemsize, format=fmt, flags=choice(flags_choices))


def scalar_layout():
    # With shape [], _testbuffer takes a multi-item format's tuple as the items
    # themselves (not [tuple]); only single-slot formats are used here.
    fmt = rand_format()
    while len(split_codes(fmt)) != 1:
        fmt = rand_format()
    itemsize = struct.calcsize(fmt)
    nitems = 1  # shape [] takes exactly one item at offset 0 (see INVALID)
    offset = 0
    flags = choice([ND_SCALAR, ND_SCALAR | ND_WRITABLE, 0, ND_WRITABLE, ND_FORTRAN, ND_SCALAR | ND_FORTRAN])
    layout = dict(items=rand_items(fmt, nitems), shape=[], strides=None,
                  offset=offset, format=fmt, flags=flags)
    if randrange(3) == 0:
        layout['strides'] = []
        layout['flags'] &= ~ND_FORTRAN
    return layout


def special_layouts():
    """Hand-picked layouts for edge cases the random ones may miss."""
    out = []
    def add(items, shape, strides=None, offset=0, fmt='B', flags=0):
        out.append(dict(items=items, shape=shape, strides=strides, offset=offset, format=fmt, flags=flags))
    add([1, 2, 3, 4, 5, 6], [6], [1])
    add([1, 2, 3, 4, 5, 6], [2], [3], 1)                          # the [5:2:3]-like quirk: 1-D, stride != itemsize
    add([1, 2, 3, 4, 5, 6], [1], [3], 5)                          # 1-D extent 1 with a big stride
    add([1, 2, 3, 4, 5, 6], [6], [-1], 5)                         # reversed
    add([1, 2, 3, 4, 5, 6], [3, 2], [2, 1])                       # C
    add([1, 2, 3, 4, 5, 6], [3, 2], [1, 3])                       # F
    add([1, 2, 3, 4, 5, 6], [3, 2], [-2, -1], 5)                  # C reversed both
    add([1, 2, 3, 4, 5, 6], [3, 2], [-1, -3], 5)                  # F reversed both
    add([1, 2, 3, 4, 5, 6], [2, 3], [0, 1])                       # zero stride, extent 2
    add([1, 2, 3, 4, 5, 6], [1, 6], [0, 1])                       # zero stride, extent 1: still C
    add([1, 2, 3, 4, 5, 6], [6, 1], [1, 0])                       # zero stride, extent 1: still C and F
    add([1, 2, 3, 4, 5, 6], [1, 1, 6], [7, -5, 1])                # extent-1 strides never matter
    add([1, 2, 3, 4, 5, 6], [0, 3], [5, 2])                       # empty
    add([1, 2, 3, 4, 5, 6], [3, 0], [1, -9], 2)                   # empty, odd strides
    add([1, 2, 3, 4, 5, 6], [0], [1], 6 - 1)                      # empty 1-D at the end
    add([1, 2, 3, 4, 5, 6], [2, 2, 2], [0, 0, 0])                 # all-zero strides
    add([1, 2, 3, 4, 5, 6], [3, 2], flags=ND_FORTRAN | ND_WRITABLE)
    add([1, 2, 3, 4, 5, 6], [6], flags=ND_FORTRAN)
    add([1, 2, 3, 4, 5, 6], [1, 6], flags=ND_FORTRAN)
    add([1, 2, 3, 4, 5, 6], [3, 2], flags=ND_PIL)
    add([1, 2, 3, 4, 5, 6], [3, 2], [-2, -1], 5, flags=ND_PIL)
    add([1, 2, 3, 4, 5, 6], [3, 2], [1, 3], flags=ND_PIL | ND_WRITABLE)
    add([1, 2, 3, 4, 5, 6], [2, 3], [0, 1], flags=ND_PIL)
    add([1, 2, 3, 4, 5, 6], [0, 2], flags=ND_PIL)
    add([1, 2, 3, 4, 5, 6], [2, 0], flags=ND_PIL)
    add([1, 2, 3, 4, 5, 6], [6], flags=ND_PIL)
    add([1, 2, 3, 4, 5, 6], [1, 1], flags=ND_PIL)
    add([1, 2, 3, 4, 5, 6], [3, 2], flags=ND_PIL | ND_FORTRAN)
    add([1, 2, 3, 4, 5, 6], [2, 1, 3], [-3, 7, -1], 5, fmt='b', flags=ND_PIL)
    add([7], [], flags=ND_SCALAR)
    add([7], [], flags=ND_SCALAR | ND_WRITABLE)
    add([1.5, -0.0, math.inf, math.nan], [4], fmt='d')
    add([1.5, -0.0, math.inf, math.nan], [2, 2], [-4, 8], 4, fmt='f')
    add([1.5, -0.0, -math.inf, math.nan], [4], [-2], 6, fmt='e')
    add([-(1 << 63), (1 << 63) - 1, 0, -1], [2, 2], [8, 16], fmt='q')
    add([(1 << 64) - 1, 1 << 53, (1 << 53) + 1, 0], [2, 2], [-16, -8], 24, fmt='Q')
    add([b'a', b'\x00', b'\xff', b'z'], [2, 2], [1, 2], fmt='c')
    add([True, False, True, True], [2, 2], [-1, -2], 3, fmt='?', flags=ND_WRITABLE)
    add([b'abc', b'def', b'ghi', b'jkl'], [2, 2], [3, 6], fmt='3s')
    add([(1, -1), (2, -2), (3, -3), (4, -4)], [2, 2], [-8, 4], 8, fmt='bh')
    return out


INVALID = [
    # (items, kwargs)
    ([1, 2, 3, 4], dict(shape=[2, 2], strides=[2, 1], flags=ND_FORTRAN)),
    ([5], dict(shape=[], flags=ND_PIL)),
    ([5, 6], dict(shape=[], offset=1)),
    ([7, 8, 9], dict(shape=[])),
    ([5, 6], dict(shape=[], offset=-1)),
    ([1, 2, 3, 4], dict(shape=[2], strides=[1], offset=-1)),
    ([1, 2, 3, 4], dict(shape=[2], strides=[1], offset=4)),
    ([1, 2, 3, 4], dict(shape=[0], offset=4)),
    ([1, 2, 3, 4], dict(shape=[2, 2], strides=[3, 1])),
    ([1, 2, 3, 4], dict(shape=[2], strides=[3], offset=1)),
    ([1, 2, 3, 4], dict(shape=[2], strides=[-1])),
    ([1, 2, 3, 4], dict(shape=[5])),
    ([1, 2, 3, 4], dict(shape=[2], offset=3, flags=ND_FORTRAN)),
    ([1, 2, 3, 4], dict(shape=[2], format='h', offset=1)),
    ([1, 2, 3, 4], dict(shape=[2], format='h', strides=[3])),
    ([1, 2, 3, 4], dict(shape=[2], strides=[1, 1])),
    ([1, 2, 3, 4], dict(shape=[-2])),
    ([], dict(shape=[0])),
    ([1], dict(shape=[1], format='')),
    ([1], dict(shape=[1], format='Z')),
    ([256], dict(shape=[1], format='B')),
    ([-129], dict(shape=[1], format='b')),
    ([-1], dict(shape=[1], format='Q')),
    ([1 << 63], dict(shape=[1], format='q')),
    ([1e300], dict(shape=[1], format='e')),
    ([1, 2], dict(shape=[2], format='hh')),
    ([b'ab'], dict(shape=[1], format='c')),
    ([1], dict(shape=[1] * 129)),
    ([1], dict(shape=[1] * 65)),  # the constructor accepts it; memoryview() refuses it
]


# --------------------------------------------------------------------------
# Recording
# --------------------------------------------------------------------------

def build(layout):
    kw = dict(shape=layout['shape'], offset=layout['offset'], format=layout['format'], flags=layout['flags'])
    if layout['strides'] is not None:
        kw['strides'] = layout['strides']
    return ndarray(layout['items'], **kw)


def fix_strides(strides, pil):
    strides = list(strides)
    if pil and strides:
        assert abs(strides[0]) == HOST_PTR, strides
        strides[0] = WASM_PTR if strides[0] > 0 else -WASM_PTR
    return strides


def view_attrs(m, pil):
    return dict(
        nbytes=m.nbytes, readonly=m.readonly, itemsize=m.itemsize, format=m.format,
        ndim=m.ndim, shape=list(m.shape), strides=fix_strides(m.strides, pil),
        suboffsets=list(m.suboffsets),
        c_contiguous=m.c_contiguous, f_contiguous=m.f_contiguous, contiguous=m.contiguous,
    )


def tolist_record(m):
    ok, v = attempt(m.tolist)
    return {'value': enc(v)} if ok else {'error': v}


def record(layout):
    nd = build(layout)
    pil = bool(layout['flags'] & ND_PIL)
    m = memoryview(nd)
    exp = dict(obj_is_nd=m.obj is nd)
    exp.update(view_attrs(m, pil))
    exp['tobytes'] = {o: m.tobytes(o).hex() for o in 'CFA'}
    exp['hex'] = m.hex()
    exp['tolist'] = tolist_record(m)
    exp['is_contiguous'] = {o: bool(is_contiguous(nd, o)) for o in 'CFA'}
    exp['to_contiguous'] = {o: py_buffer_to_contiguous(nd, o, PyBUF_FULL_RO).hex() for o in 'CFA'}
    gc = {}
    for bname, btype in (('READ', PyBUF_READ), ('WRITE', PyBUF_WRITE)):
        for o in 'CFA':
            ok, r = attempt(lambda: get_contiguous(nd, btype, o))
            if not ok:
                gc[f'{bname}_{o}'] = {'error': r}
                continue
            shares = r.obj is nd
            rec = view_attrs(r, pil and shares)
            del rec['nbytes'], rec['ndim'], rec['contiguous']
            rec['tobytes_A'] = r.tobytes('A').hex()
            rec['tolist'] = tolist_record(r)
            rec['shares'] = shares
            gc[f'{bname}_{o}'] = rec
            r.release()
    exp['get_contiguous'] = gc
    m.release()
    args = dict(layout)
    args['items'] = enc(layout['items'])
    return dict(args=args, expected=exp)


def describe(layout):
    flags = [n for n, f in (('WRITABLE', ND_WRITABLE), ('FORTRAN', ND_FORTRAN), ('PIL', ND_PIL), ('SCALAR', ND_SCALAR))
             if layout['flags'] & f]
    s = f"format '{layout['format']}', shape {layout['shape']}"
    s += f", strides {layout['strides']}" if layout['strides'] is not None else ', default strides'
    s += f", offset {layout['offset']}, {len(layout['items'])} items"
    s += ', flags ' + ('|'.join(flags) if flags else '0')
    return s


def record_invalid(items, kw):
    layout = dict(items=items, shape=kw['shape'], strides=kw.get('strides'), offset=kw.get('offset', 0),
                  format=kw.get('format', 'B'), flags=kw.get('flags', 0))
    args = dict(layout)
    args['items'] = enc(items)
    try:
        nd = build(layout)
    except Exception as e:  # noqa: BLE001
        return dict(description=describe(layout), args=args, stage='constructor', error=err(e))
    try:
        memoryview(nd)
    except Exception as e:  # noqa: BLE001
        return dict(description=describe(layout), args=args, stage='memoryview', error=err(e))
    raise AssertionError(f'expected an error for {layout}')


def require_reference():
    """The reference is CPython 3.14 built for wasm32 (the pinned `pyodide` package)."""
    if sys.platform != 'emscripten' or sys.version_info[:2] != (3, 14):
        sys.exit('run in Pyodide: npm run fixtures (node scripts/run-in-pyodide.mjs %s)'
                 % os.path.relpath(__file__))


def main():
    require_reference()
    groups = []

    def group(name, layouts):
        vectors = []
        for layout in layouts:
            v = record(layout)
            v['description'] = describe(layout)
            vectors.append({'description': v['description'], 'args': v['args'], 'expected': v['expected']})
        groups.append(dict(category=name, vectors=vectors))

    group('special', special_layouts())
    group('strided', [strided_layout([0, ND_WRITABLE]) for _ in range(220)])
    group('default-strides', [default_layout([0, ND_WRITABLE, ND_FORTRAN, ND_FORTRAN | ND_WRITABLE])
                              for _ in range(70)])
    group('pil', [strided_layout([ND_PIL, ND_PIL | ND_WRITABLE]) for _ in range(40)]
          + [default_layout([ND_PIL, ND_PIL | ND_FORTRAN, ND_PIL | ND_WRITABLE | ND_FORTRAN]) for _ in range(15)])
    group('scalar', [scalar_layout() for _ in range(25)])
    groups.append(dict(category='invalid', vectors=[record_invalid(i, k) for i, k in INVALID]))

    doc = dict(
        generator='scripts/gen-core-fixtures.py',
        python=sys.version.split()[0],
        seed=SEED,
        pointer_size=WASM_PTR,
        encoding={
            '$int': 'int outside Number.isSafeInteger, as a decimal string',
            '$float': "nan | inf | -inf | -0",
            '$bytes': "bytes item (format 'c' or 'Ns'), as hex",
            'tuple': 'a struct item of a multi-item format is a JSON array',
            'hex': 'tobytes / to_contiguous / tobytes_A / hex are lowercase hex strings',
            'strides': 'strides omitted (null) means the constructor was called without strides',
            'pil': 'strides[0] of ND_PIL arrays is recorded for 4-byte pointers',
        },
        groups=groups,
    )
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    # One vector per line, so that a regenerated file diffs readably.
    def dumps(v):
        return json.dumps(v, separators=(',', ':'), allow_nan=False)
    head = {k: v for k, v in doc.items() if k != 'groups'}
    lines = ['{' + dumps(head)[1:-1] + ',"groups":[']
    for gi, g in enumerate(groups):
        lines.append('{"category":' + dumps(g['category']) + ',"vectors":[')
        for vi, v in enumerate(g['vectors']):
            lines.append(dumps(v) + (',' if vi + 1 < len(g['vectors']) else ''))
        lines.append(']}' + (',' if gi + 1 < len(groups) else ''))
    lines.append(']}')
    text = '\n'.join(lines) + '\n'
    assert json.loads(text) == json.loads(dumps(doc))
    with open(OUT, 'w') as f:
        f.write(text)
    counts = {g['category']: len(g['vectors']) for g in groups}
    print(f'wrote {os.path.normpath(OUT)}: {os.path.getsize(OUT)} bytes, {counts}')


if __name__ == '__main__':
    main()
