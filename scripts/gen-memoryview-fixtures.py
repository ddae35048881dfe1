#!/usr/bin/env python3
"""Generate tests/fixtures/memoryview-*.json: CPython vectors for the Python-level memoryview.

Run in CPython 3.14 for wasm32 (Pyodide, a devDependency), no native Python needed:

    node scripts/run-in-pyodide.mjs scripts/gen-memoryview-fixtures.py    (or: npm run fixtures)

scripts/run-in-pyodide.mjs starts the interpreter with PYTHONHASHSEED=0 (hash(bytes) is
randomised per process otherwise), and the output is deterministic (fixed seed).

Files (each {"python": version, "vectors": [...]}):
  memoryview-slices.json    random 1-D layouts, chains of 1-3 slices: every view's attributes,
                            tolist and tobytes, or the error
  memoryview-indexing.json  random 0-4 dim layouts (C, strided, PIL, scalar) and random keys
                            (ints, tuples, slices, Ellipsis, (), slices tuples, junk): the item,
                            the sliced view, or the error
  memoryview-casts.json     casts between random formats and shapes (and cast chains)
  memoryview-assign.json    item and slice assignment: the view's bytes after, or the error
                            (with the bytes checked unchanged)
  memoryview-equality.json  == across random pairs of formats and layouts
  memoryview-hex.json       hex() with str/bytes separators and bytes_per_sep
  memoryview-hash.json      hash() of read-only B/b/c views under PYTHONHASHSEED=0 (wasm32: FNV)

Encoding (tests/helpers/fixtures.ts): {"$int": "..."} for ints beyond 2**53, {"$float": "nan"
|"inf"|"-inf"|"-0"}, {"$bytes": "hex"} for bytes items; errors are [class name, message].
Keys are {"int": n} | {"tuple": [...]} | {"slice": [start, stop, step]} | {"ellipsis": true} |
{"float": x} | {"str": s} | {"none": true} | {"bool": b}; tuple members are ints or
{"slice": [...]}.

Platform: wasm32, as the library: 4-byte 'l', 'L', 'n', 'N', 'P', pointers and Py_ssize_t.
"""

import json
import math
import os
import random
import struct
import sys

from _testbuffer import ND_FORTRAN, ND_PIL, ND_SCALAR, ND_WRITABLE, get_sizeof_void_p, ndarray  # noqa: E402

SEED = 0x6d76  # 'mv'
HERE = os.path.dirname(os.path.abspath(__file__))
OUTDIR = os.path.join(HERE, '..', 'tests', 'fixtures')
HOST_PTR = get_sizeof_void_p()
WASM_PTR = 4

R = random.Random(SEED)
randrange = R.randrange
choice = R.choice

# every native memoryview format, 'l' 'L' 'n' 'N' 'P' included (4 bytes here, as on wasm32)
NATIVE = list('bBhHiIlLnNPqQfde?c')
NON_NATIVE = ['<i', '>h', '=Q', '!d', '<e', '@i', '@B', '@d', '<?', '>c', '=b', '<l', '@N']
# struct-only formats: 3.14's complex codes compare through struct and are refused elsewhere
MULTI = ['hb', '2h', '3s', '<hb', 'Bc', 'D', 'bF']
RANGES = {
    '?': (0, 2), 'c': (0, 256), 'b': (-128, 128), 'B': (0, 256), 'h': (-(1 << 15), 1 << 15),
    'H': (0, 1 << 16), 'i': (-(1 << 31), 1 << 31), 'I': (0, 1 << 32), 'q': (-(1 << 63), 1 << 63),
    'Q': (0, 1 << 64), 'l': (-(1 << 31), 1 << 31), 'L': (0, 1 << 32), 'n': (-(1 << 31), 1 << 31),
    'N': (0, 1 << 32), 'P': (0, 1 << 32),
}


# ---------------------------------------------------------------------------------------------
# Values and layouts

def codes(fmt):
    body = fmt[1:] if fmt and fmt[0] in '@=<>!' else fmt
    out, n = [], ''
    for c in body:
        if c.isdigit():
            n += c
            continue
        k = int(n) if n else 1
        n = ''
        if c == 's':
            out.append(('s', k))
        else:
            out.extend((c, 1) for _ in range(k))
    return out


def rand_float(code):
    n = randrange(100)
    if n < 4:
        return choice([math.nan, math.inf, -math.inf, -0.0])
    x = float(randrange(-1000, 1000)) if n < 50 else R.uniform(-60000, 60000)
    return struct.unpack('<' + code, struct.pack('<' + code, x))[0]


def rand_value(code, count=1):
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
    lo, hi = RANGES[code]
    n = randrange(8)
    if n == 0:
        return lo
    if n == 1:
        return hi - 1
    if n < 4:
        return randrange(max(lo, -3), min(hi, 4))
    return randrange(lo, hi)


def rand_item(fmt):
    vals = [rand_value(c, k) for c, k in codes(fmt)]
    if len(vals) == 1 and codes(fmt)[0][0] in 'FD':
        return tuple(vals)  # _testbuffer packs a lone int, float or bytes item, not a complex
    return vals[0] if len(vals) == 1 else tuple(vals)


def rand_format(native_only=False):
    n = randrange(100)
    if native_only or n < 70:
        return choice(NATIVE)
    if n < 90:
        return choice(NON_NATIVE)
    return choice(MULTI)


def place(shape, strides, itemsize):
    imin = imax = 0
    if 0 not in shape:
        imin = sum(s * (n - 1) for n, s in zip(shape, strides) if s < 0)
        imax = sum(s * (n - 1) for n, s in zip(shape, strides) if s > 0)
    front = randrange(0, 3) * itemsize
    offset = -imin + front
    memlen = offset + imax + itemsize + randrange(0, 3) * itemsize
    return offset, memlen // itemsize


def layout(ndim, fmt=None, writable=None, pil=None, maxshape=None):
    """A random ndarray layout: C, Fortran, strided (gaps, negative, zero) or PIL."""
    fmt = fmt or rand_format()
    itemsize = struct.calcsize(fmt)
    maxshape = maxshape or {0: 1, 1: 10, 2: 5, 3: 4, 4: 3}[ndim]
    shape = [randrange(0 if randrange(8) == 0 else 1, maxshape + 1) for _ in range(ndim)]
    flags = ND_WRITABLE if (writable if writable is not None else randrange(3) != 0) else 0
    if ndim == 0:
        if randrange(2):
            flags |= ND_SCALAR
        return dict(items=[rand_item(fmt)], shape=[], strides=None, offset=0, format=fmt, flags=flags)
    kind = randrange(4) if pil is None else (3 if pil else randrange(3))
    if kind == 3 and 0 not in shape:
        flags |= ND_PIL
    if kind in (0, 3) or 0 in shape:
        if kind == 1:
            flags |= ND_FORTRAN
        n = 1
        for s in shape:
            n *= s
        return dict(items=[rand_item(fmt) for _ in range(max(n, 1))], shape=shape, strides=None,
                    offset=0, format=fmt, flags=flags)
    if kind == 1:
        flags |= ND_FORTRAN
        n = 1
        for s in shape:
            n *= s
        return dict(items=[rand_item(fmt) for _ in range(n)], shape=shape, strides=None,
                    offset=0, format=fmt, flags=flags)
    # strided: a random dimension order with gaps and signs, sometimes a zero stride
    perm = list(range(ndim))
    R.shuffle(perm)
    strides = [0] * ndim
    sd = itemsize
    for i in reversed(perm):
        gap = choice([1, 1, 2, 3])
        strides[i] = sd * gap * choice([1, 1, -1])
        sd *= shape[i] * gap
    if randrange(8) == 0:
        strides[randrange(ndim)] = 0
    offset, nitems = place(shape, strides, itemsize)
    return dict(items=[rand_item(fmt) for _ in range(nitems)], shape=shape, strides=strides,
                offset=offset, format=fmt, flags=flags)


def make(lay):
    kw = dict(shape=lay['shape'], offset=lay['offset'], format=lay['format'], flags=lay['flags'])
    if lay['strides'] is not None:
        kw['strides'] = lay['strides']
    items = lay['items']
    if lay['shape'] == []:
        items = items[0]
    return ndarray(items, **kw)


# ---------------------------------------------------------------------------------------------
# Encoding

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
    raise TypeError(type(v).__name__)


def enc_layout(lay):
    return dict(lay, items=[enc(x) for x in lay['items']])


def err(e):
    t = type(e)
    name = t.__name__ if t.__module__ == 'builtins' else f'{t.__module__}.{t.__name__}'
    return [name, str(e)]


def wasm_strides(m):
    # the only pointer-size dependence: strides of a PIL dimension (a table of pointers, maybe sliced)
    st = list(m.strides)
    for i, so in enumerate(m.suboffsets):
        if so >= 0:
            assert st[i] % HOST_PTR == 0
            st[i] = st[i] // HOST_PTR * WASM_PTR
    return st


def describe(m):
    d = dict(format=m.format, itemsize=m.itemsize, ndim=m.ndim, shape=list(m.shape),
             strides=wasm_strides(m), suboffsets=list(m.suboffsets), nbytes=m.nbytes,
             readonly=m.readonly, c_contiguous=m.c_contiguous, f_contiguous=m.f_contiguous,
             contiguous=m.contiguous, tobytes=m.tobytes().hex())
    try:
        d['tolist'] = {'value': enc(m.tolist())}
    except Exception as e:  # noqa: BLE001
        d['tolist'] = {'error': err(e)}
    return d


def rand_bound(n):
    k = randrange(10)
    if k < 3:
        return None
    if k == 3:
        return choice([-(1 << 40), 1 << 40, 1 << 70])
    return randrange(-n - 3, n + 4)


def rand_slice(n):
    step = None if randrange(3) == 0 else choice([1, 1, 2, 3, -1, -1, -2, -3, 5, -7, 0] if randrange(10) else [0])
    return slice(rand_bound(n), rand_bound(n), step)


def enc_slice(s):
    return [enc(s.start), enc(s.stop), enc(s.step)]


def enc_key(k):
    if k is Ellipsis:
        return {'ellipsis': True}
    if k is None:
        return {'none': True}
    if isinstance(k, bool):
        return {'bool': k}
    if isinstance(k, int):
        return {'int': k}
    if isinstance(k, float):
        return {'float': k}
    if isinstance(k, str):
        return {'str': k}
    if isinstance(k, slice):
        return {'slice': enc_slice(k)}
    if isinstance(k, tuple):
        return {'tuple': [x if isinstance(x, int) else {'slice': enc_slice(x)} for x in k]}
    raise TypeError(k)


def write(name, vectors):
    path = os.path.join(OUTDIR, f'memoryview-{name}.json')
    with open(path, 'w') as f:
        json.dump({'python': sys.version.split()[0], 'seed': SEED, 'vectors': vectors}, f,
                  separators=(',', ':'))
        f.write('\n')
    print(f'{path}: {len(vectors)} vectors')


# ---------------------------------------------------------------------------------------------
# Categories

def gen_slices(count):
    out = []
    while len(out) < count:
        lay = layout(1, pil=randrange(5) == 0 or None)
        m = memoryview(make(lay))
        steps = []
        cur = m
        for _ in range(randrange(1, 4)):
            s = rand_slice(len(cur))
            try:
                cur = cur[s]
            except Exception as e:  # noqa: BLE001
                steps.append({'slice': enc_slice(s), 'error': err(e)})
                break
            steps.append({'slice': enc_slice(s), 'view': describe(cur)})
        out.append({'layout': enc_layout(lay), 'steps': steps})
    return out


def rand_key(m):
    ndim = m.ndim
    shape = list(m.shape)
    k = randrange(100)
    ext = shape[0] if shape else 1
    if k < 25:
        return randrange(-ext - 2, ext + 2)
    if k < 55:
        n = choice([ndim, ndim, ndim, max(ndim - 1, 0), ndim + 1, 0])
        return tuple(randrange(-(shape[i] if i < ndim else 1) - 1, (shape[i] if i < ndim else 1) + 1)
                     for i in range(n))
    if k < 68:
        return rand_slice(ext)
    if k < 74:
        return Ellipsis
    if k < 80:
        return tuple(rand_slice(ext) for _ in range(randrange(1, 3)))
    if k < 85:
        return (0, slice(None))
    if k < 90:
        return choice([True, False])
    return choice([1.5, 'a', None, 0.0])


def at_variant(fmt):
    body = fmt.lstrip('@')
    return '@' + body if body in NATIVE else fmt


def valid_key(m):
    if m.ndim == 0:
        return choice([(), Ellipsis])
    idx = tuple(randrange(-n, n) if n else 0 for n in m.shape)
    return idx[0] if m.ndim == 1 and randrange(2) else idx


def gen_indexing(count):
    out = []
    while len(out) < count:
        ndim = choice([0, 1, 1, 2, 2, 3, 4])
        lay = layout(ndim)
        m = memoryview(make(lay))
        keys = []
        for _ in range(6):
            key = rand_key(m)
            rec = {'key': enc_key(key)}
            try:
                v = m[key]
                if isinstance(v, memoryview):
                    rec['view'] = 'self' if v is m else describe(v)
                else:
                    rec['value'] = enc(v)
            except Exception as e:  # noqa: BLE001
                rec['error'] = err(e)
            keys.append(rec)
        out.append({'layout': enc_layout(lay), 'keys': keys})
    return out


CAST_FORMATS = NATIVE + ['@' + c for c in 'bBhiqfde?c'] + ['<i', 'ii', '', 'x', 'Z', '@', '2B', 'B ']


def factor_shape(n, ndim):
    shape = []
    for _ in range(ndim - 1):
        divs = [d for d in range(1, n + 1) if n % d == 0]
        d = choice(divs)
        shape.append(d)
        n //= d
    shape.append(n)
    R.shuffle(shape)
    return shape


def rand_cast_shape(m, fmt):
    k = randrange(100)
    try:
        isz = struct.calcsize(fmt)
    except struct.error:
        isz = 1
    n = m.nbytes // isz if isz else 0
    if k < 30:
        return None
    if k < 75 and n > 0:
        return factor_shape(n, choice([1, 1, 2, 2, 3]))
    if k < 80:
        return []
    if k < 85:
        return [n + 1]
    if k < 90:
        return [0, n] if randrange(2) else [-1, -n]
    if k < 93:
        return 'notalist'
    if k < 96:
        return [1.5]
    return [2, 2] if randrange(2) else [n, 1]


def gen_casts(count):
    out = []
    while len(out) < count:
        ndim = choice([0, 1, 1, 1, 2, 3])
        fmt0 = choice(['B', 'b', 'c', '@B']) if randrange(2) else rand_format()
        lay = layout(ndim, fmt=fmt0, pil=False if randrange(5) else None)
        if randrange(3) and lay['strides'] is not None and 0 not in lay['shape']:
            lay = dict(lay, strides=None, offset=0, flags=lay['flags'] & ~ND_FORTRAN)
            n = 1
            for x in lay['shape']:
                n *= x
            lay['items'] = lay['items'][:n] + [rand_item(fmt0) for _ in range(n - len(lay['items']))]
        m = memoryview(make(lay))
        chain = []
        cur = m
        for _ in range(randrange(1, 3)):
            src_byte = cur.format.lstrip('@') in ('B', 'b', 'c')
            fmt = choice(CAST_FORMATS) if src_byte or randrange(4) == 0 else choice(['B', 'b', 'c', '@B'])
            shape = rand_cast_shape(cur, fmt)
            rec = {'format': fmt, 'shape': shape if shape != 'notalist' else {'notalist': 7}}
            try:
                cur = cur.cast(fmt) if shape is None else cur.cast(fmt, 7 if shape == 'notalist' else shape)
            except Exception as e:  # noqa: BLE001
                rec['error'] = err(e)
                chain.append(rec)
                break
            rec['view'] = describe(cur)
            chain.append(rec)
        out.append({'layout': enc_layout(lay), 'casts': chain})
    return out


def rand_assign_value(fmt):
    code = fmt.lstrip('@')
    k = randrange(100)
    if k < 70 and len(code) == 1 and code in 'bBhHiIqQfde?c':
        return rand_value(code)
    if k < 60 and code in RANGES and code not in '?c':
        lo, hi = RANGES[code]
        return choice([lo - 1, hi, hi + 1000, lo - (1 << 70), 1 << 70])
    return choice([1.5, -2.0, True, False, b'x', b'xy', b'', None, 'a', 0, -1, 255, 256, 1e300, -1e300,
                   1 << 64, math.nan, 65520.0, 65519.0])


def gen_assign(count):
    out = []
    while len(out) < count:
        k = randrange(100)
        if k < 55:
            ndim = choice([0, 1, 1, 2, 3])
            lay = layout(ndim, fmt=rand_format() if randrange(10) == 0 else rand_format(True),
                         writable=randrange(12) != 0)
            m = memoryview(make(lay))
            key = valid_key(m) if randrange(10) < 7 else rand_key(m)
            value = rand_assign_value(m.format)
            rec = {'layout': enc_layout(lay), 'key': enc_key(key), 'value': enc(value),
                   'value_type': type(value).__name__}
        else:
            lay = layout(1, fmt=rand_format() if randrange(6) == 0 else rand_format(True),
                         writable=randrange(10) != 0, pil=randrange(5) == 0 or None)
            m = memoryview(make(lay))
            key = rand_slice(len(m))
            if randrange(10) == 0:
                key = (key,)
            try:
                target_len = len(range(*key.indices(len(m)))) if isinstance(key, slice) else 0
            except ValueError:
                target_len = 0
            kind = choice(['nd', 'nd', 'self', 'self', 'bytes', 'int'])
            if kind == 'nd':
                fmt = m.format if randrange(5) else choice([at_variant(m.format), choice(NATIVE), '<i'])
                n = target_len if randrange(6) else max(target_len + choice([-1, 1]), 0)
                shape = [n] if randrange(8) else [1, n]
                src_items = [rand_item(fmt) for _ in range(max(n, 1))]
                src = {'items': [enc(x) for x in src_items], 'shape': shape, 'strides': None,
                       'offset': 0, 'format': fmt, 'flags': 0}
                value = make(dict(src, items=src_items))
                rvalue = {'nd': src}
            elif kind == 'self':
                s2 = rand_slice(len(m))
                while s2.step == 0:
                    s2 = rand_slice(len(m))
                if target_len and randrange(4):
                    start = randrange(0, len(m))
                    step = choice([1, -1, 2, -2]) if randrange(2) else 1
                    s2 = slice(start, None, step)
                    idx = range(*s2.indices(len(m)))[:target_len]
                    if len(idx) == target_len and len(idx) > 0:
                        s2 = slice(idx.start, idx.stop if idx.stop >= 0 else None, idx.step)
                value = m[s2]
                rvalue = {'self': enc_slice(s2)}
            elif kind == 'bytes':
                value = bytes(randrange(256) for _ in range(target_len if randrange(5) else target_len + 1))
                rvalue = {'bytes': value.hex()}
            else:
                value = 7
                rvalue = {'int': 7}
            rec = {'layout': enc_layout(lay), 'key': enc_key(key), 'rvalue': rvalue}
        before = m.tobytes().hex()
        try:
            m[key] = value
            rec['after'] = m.tobytes().hex()
        except Exception as e:  # noqa: BLE001
            rec['error'] = err(e)
            assert m.tobytes().hex() == before
        out.append(rec)
    return out


EQ_INT_FORMATS = ['b', 'B', 'h', 'H', 'i', 'I', 'q', 'Q', '<i', '>h', '=q', '@B', '!Q', 'f', 'd', 'e', '<d']


def gen_equality(count):
    out = []
    while len(out) < count:
        ndim = choice([0, 1, 1, 2, 2, 3])
        shape = [randrange(0 if randrange(8) == 0 else 1, 5) for _ in range(ndim)]
        n = 1
        for s in shape:
            n *= s
        kind = randrange(10)
        if kind < 6:
            fa, fb = choice(EQ_INT_FORMATS), choice(EQ_INT_FORMATS)
            vals = [randrange(0, 100) for _ in range(max(n, 1))]
        elif kind < 8:
            fa, fb = choice(['f', 'd', 'e', '<f', '>d']), choice(['f', 'd', 'e', '<e'])
            vals = [choice([0.5, -2.25, 3.0, math.nan, math.inf, -0.0, 0.0, 1024.0]) for _ in range(max(n, 1))]
        else:
            fa = choice(['c', 'b', 'B', '?', 'hb', '2h', '3s', 'Bc'])
            fb = fa if randrange(3) else choice(['c', 'B', 'b', '@' + fa if len(fa) == 1 else fa])
            vals = [rand_item(fa) for _ in range(max(n, 1))]
        def build(fmt, vals):
            try:
                items = [_convert(v, fmt) for v in vals]
            except (struct.error, TypeError, ValueError, OverflowError):
                return None
            flags = choice([0, 0, ND_FORTRAN, ND_PIL]) if ndim > 0 and 0 not in shape else 0
            lay = dict(items=items, shape=shape, strides=None, offset=0, format=fmt, flags=flags)
            try:
                make(lay)
            except Exception:  # noqa: BLE001
                return None
            return lay
        la = build(fa, vals)
        vals_b = list(vals)
        if randrange(4) == 0 and vals_b:
            i = randrange(len(vals_b))
            vals_b[i] = vals_b[(i + 1) % len(vals_b)] if randrange(2) else rand_item(fb) if len(codes(fb)) == 1 else vals_b[i]
        lb = build(fb, vals_b)
        if la is None or lb is None:
            continue
        if randrange(6) == 0 and ndim > 0:
            lb = dict(lb, shape=list(reversed(shape)))
            try:
                make(lb)
            except Exception:  # noqa: BLE001
                continue
        reverse = ndim == 1 and randrange(4) == 0
        ma, mb = memoryview(make(la)), memoryview(make(lb))
        if reverse:
            ma = ma[::-1]
            mb = mb[::-1]
        rec = {'a': enc_layout(la), 'b': enc_layout(lb), 'reverse': reverse,
               'a_eq_b': ma == mb, 'b_eq_a': mb == ma, 'a_eq_a': ma == ma}
        if ma.format in ('B', 'b', 'c') and ma.ndim == 1 and randrange(2):
            bts = ma.tobytes() if randrange(2) else bytes(len(ma.tobytes()))
            rec['bytes'] = bts.hex()
            rec['a_eq_bytes'] = ma == bts
        out.append(rec)
    return out


def _convert(v, fmt):
    cs = codes(fmt)
    if len(cs) == 1:
        c = cs[0][0]
        if c in 'efd':
            return struct.unpack(fmt, struct.pack(fmt, float(v)))[0]
        if c == '?':
            return bool(v)
        if c == 'c' and isinstance(v, int):
            return bytes([v % 256])
        struct.pack(fmt, v)
        return v
    if not isinstance(v, tuple):
        raise TypeError
    struct.pack(fmt, *v)
    return v


HEX_SEPS = [None, None, ':', '-', ' ', b'|', b'_', '', '::', '\u00e9', b'\xff', b'', 'ab']


def gen_hex(count):
    out = []
    while len(out) < count:
        lay = layout(choice([0, 1, 1, 2, 3]))
        m = memoryview(make(lay))
        sep = choice(HEX_SEPS)
        bps = choice([1, 1, 2, 3, 4, -1, -2, -3, 5, 0, 100])
        rec = {'layout': enc_layout(lay), 'sep': None if sep is None else
               ({'bytes': sep.hex()} if isinstance(sep, bytes) else sep), 'bytes_per_sep': bps}
        try:
            rec['result'] = m.hex() if sep is None else m.hex(sep, bps)
        except Exception as e:  # noqa: BLE001
            rec['error'] = err(e)
        out.append(rec)
    return out


def gen_hash(count):
    out = []
    for n in list(range(0, 20)) + [31, 32, 33, 63, 64, 65, 100, 255, 1000]:
        data = bytes(randrange(256) for _ in range(n))
        out.append({'bytes': data.hex(), 'hash': enc(hash(data)), 'hash_mv': enc(hash(memoryview(data)))})
    while len(out) < count:
        lay = layout(choice([0, 1, 2, 3]), fmt=choice(['B', 'b', 'c', '@B', 'h', 'B']),
                     writable=randrange(6) == 0)
        m = memoryview(make(lay))
        rec = {'layout': enc_layout(lay), 'tobytes': m.tobytes().hex()}
        try:
            rec['hash_mv'] = enc(hash(m))
        except Exception as e:  # noqa: BLE001
            rec['error'] = err(e)
        out.append(rec)
    return out


def require_reference():
    """The reference is CPython 3.14 built for wasm32 (the pinned `pyodide` package)."""
    if sys.platform != 'emscripten' or sys.version_info[:2] != (3, 14):
        sys.exit('run in Pyodide: npm run fixtures (node scripts/run-in-pyodide.mjs %s)'
                 % os.path.relpath(__file__))


def main():
    require_reference()
    assert hash(b'abc') == -1600925533, 'PYTHONHASHSEED=0 is not in effect'
    write('slices', gen_slices(300))
    write('indexing', gen_indexing(300))
    write('casts', gen_casts(400))
    write('assign', gen_assign(500))
    write('equality', gen_equality(400))
    write('hex', gen_hex(250))
    write('hash', gen_hash(120))


if __name__ == '__main__':
    main()
