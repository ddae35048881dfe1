"""Conformance vectors for src/struct.ts, computed by CPython's own struct module.

Run in CPython 3.14 for wasm32 (Pyodide, a devDependency), no native Python needed:
    node scripts/run-in-pyodide.mjs --out tests/fixtures/struct.json scripts/gen-struct-fixtures.py

JSON encoding of Python values (the test decodes them the same way):
  int   -> a JSON number when it is a safe integer and not a 'q'/'Q' item or an int given
           to a float code; otherwise {"$int": "123"} (a JS bigint)
  float -> a JSON number, or {"$float": "nan" | "inf" | "-inf" | "-0"}
  complex -> {"$complex": [re, im]}, each part encoded as a float
  bytes -> {"$bytes": "hex"};  str -> JSON string;  None -> null;  list -> JSON array

Every native code is generated, 'l', 'L', 'n', 'N', 'P' included: the generator runs on wasm32.
"""

import json
import math
import random
import re
import struct
import sys

rng = random.Random(20240613)

NATIVE_PREFIXES = ['', '@']
STANDARD_PREFIXES = ['=', '<', '>', '!']
PREFIXES = NATIVE_PREFIXES + STANDARD_PREFIXES
NATIVE = 'xbBchHiIlLqQnN?efdFDspP'
STANDARD = 'xbBchHiIlLqQ?efdFDsp'
INT_CODES = 'bBhHiIlLqQnNP'
FLOAT_CODES = 'efd'
COMPLEX_CODES = 'FD'
SAFE = 2 ** 53


def codes_of(prefix):
    return NATIVE if prefix in NATIVE_PREFIXES else STANDARD


def item_codes(fmt):
    """The code of each value pack() takes for `fmt` (a struct format)."""
    body = fmt[1:] if fmt[:1] in '@=<>!' and fmt else fmt
    out = []
    for count, code in re.findall(r'(\d*)([^\d\s])', body):
        n = int(count) if count else 1
        if code in 'sp':
            out.append(code)
        elif code != 'x':
            out.extend(code * n)
    return out


def enc_float(x):
    if math.isnan(x):
        return {'$float': 'nan'}
    if math.isinf(x):
        return {'$float': 'inf' if x > 0 else '-inf'}
    if x == 0 and math.copysign(1, x) < 0:
        return {'$float': '-0'}
    return x


def enc(v, code=None):
    """A Python value as JSON, for the item of `code` (None when unknown)."""
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        if code in ('q', 'Q') or (code is not None and code in FLOAT_CODES + COMPLEX_CODES) or abs(v) > SAFE:
            return {'$int': str(v)}
        return v
    if isinstance(v, float):
        if code is not None and code in INT_CODES and v.is_integer():
            raise ValueError('an integral float is an int in JS; use a fractional one')
        return enc_float(v)
    if isinstance(v, complex):
        return {'$complex': [enc_float(v.real), enc_float(v.imag)]}
    if isinstance(v, (bytes, bytearray)):
        return {'$bytes': bytes(v).hex()}
    if isinstance(v, (list, tuple)):
        return [enc(x) for x in v]
    raise TypeError(type(v))


def enc_values(fmt, values):
    codes = item_codes(fmt)
    if len(codes) != len(values):
        return [enc(v) for v in values]
    return [enc(v, c) for v, c in zip(values, codes)]


def exc(e):
    name = 'struct.error' if isinstance(e, struct.error) else type(e).__name__
    return [name, str(e)]


# ---- value generators -------------------------------------------------------------

def int_range(code, prefix):
    size = struct.calcsize(prefix + code) if prefix else struct.calcsize(code)
    if code in 'bhilqn':
        return -(1 << (8 * size - 1)), (1 << (8 * size - 1)) - 1
    if code == 'P':
        # PyLong_AsVoidPtr: a negative value as a long, others as an unsigned long
        return -(1 << (8 * size - 1)), (1 << (8 * size)) - 1
    return 0, (1 << (8 * size)) - 1


def half_cases():
    """Exact ties, neighbours of ties, subnormals and overflow edges for 'e'."""
    out = [0.0, -0.0, 1.0, -2.5, 65504.0, -65504.0, 65519.99, 6.103515625e-05,
           2 ** -14, 2 ** -24, 2 ** -25, 2 ** -25 * 1.0000001, 3 * 2 ** -26, 2 ** -26,
           1e-10, 5.960464477539063e-08, 0.333251953125, 1 / 3, 65503.0, 0.1,
           float('inf'), float('-inf'), float('nan')]
    for _ in range(20):
        e = rng.randint(-14, 15)
        k = rng.randint(0, 1023)
        ulp = 2.0 ** (e - 10)
        base = (2.0 ** e) + k * ulp
        out += [base + ulp / 2, base + ulp / 2 * (1 + 2 ** -40), base + ulp / 2 * (1 - 2 ** -40)]
        ks = rng.randint(0, 1023)
        out.append((ks + 0.5) * 2 ** -24)  # subnormal tie
    out += [(1023 + 0.5) * 2 ** -24, (2047 + 0.5) * 2 ** 5]  # carries into the exponent
    out = [x if x > 65519 or x != x or rng.random() < 0.5 else -x for x in out]
    return [x for x in out if not (abs(x) >= 65520.0)]


def float32_cases():
    out = [0.0, -0.0, 1.0, 0.1, -1 / 3, 3.4028234663852886e+38, 3.4028235677973362e+38,
           -3.4028235677973362e+38, 1.401298464324817e-45, 2 ** -150, 3 * 2 ** -150, 2 ** -151,
           1.1754942106924411e-38, 1.1754943508222875e-38, 1e-50, 1e30, 16777217.0, 16777219.0,
           float('inf'), float('-inf'), float('nan')]
    for _ in range(20):
        e = rng.randint(-126, 127)
        m = rng.getrandbits(23)
        ulp = 2.0 ** (e - 23)
        base = (2.0 ** e) + m * ulp
        out += [base + ulp / 2, base + ulp / 2 * (1 + 2 ** -25)]
        out.append(rng.uniform(-1e6, 1e6))
    return out


def double_cases():
    out = [0.0, -0.0, 1.0, 0.1, -1e300, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e+308,
           float('inf'), float('-inf'), float('nan')]
    out += [rng.uniform(-1e3, 1e3) for _ in range(6)]
    out += [struct.unpack('<d', rng.getrandbits(64).to_bytes(8, 'little'))[0] for _ in range(6)]
    return out


def values_for(code, prefix):
    if code in INT_CODES:
        lo, hi = int_range(code, prefix)
        vals = [lo, hi, 0, 1, -1 if lo < 0 else 2, lo + 1, hi - 1]
        vals += [rng.randint(lo, hi) for _ in range(8)]
        return vals
    if code == 'e':
        return half_cases()
    if code == 'f':
        return float32_cases()
    if code == 'd':
        return double_cases()
    if code in COMPLEX_CODES:
        parts = float32_cases() if code == 'F' else double_cases()
        out = [complex(rng.choice(parts), rng.choice(parts)) for _ in range(12)]
        out += [complex(x, 0.0) for x in parts[:4]] + [1, -3, True, 2.5, 2 ** 60, complex(-0.0, -0.0)]
        if code == 'F' and prefix in ('>', '!'):
            # bp_float_complex packs with PyFloat_Pack4: past FLT_MAX is an error, not inf
            out = [z for z in out if not any(math.isfinite(p) and abs(p) > 3.4028234663852886e+38
                                             for p in (complex(z).real, complex(z).imag))]
        return out
    if code == '?':
        return [True, False, 0, 1, 2, -1, 0.0, 0.5, float('nan'), '', 'a', None, [], [0],
                b'', b'\x00']
    if code == 'c':
        return [bytes([b]) for b in (0, 0x41, 0x7f, 0x80, 0xff)]
    return []


# ---- sections ----------------------------------------------------------------------

def gen_calcsize():
    fixed = ['', ' ', '@', '=', '<', '>', '!', 'c', 'ci', 'ic', 'cq', 'qc', 'ch', 'ce', 'cd', 'cf',
             'c0i', 'ci0s', 'x0q', '0i', '00h', '3s4p', 'bhiqd', 'dqihb', '<bhiqd', '>dqihb',
             '=bhiqd', '!dqihb', '10s', '0s', '0p', '255p', '256p', '\t\n\x0b\x0c\rh', ' 2h ',
             'x', '3x', 'xq', 'bxh', '?', 'c?', '?e', 'e?', 'hhh', '3h', '3ih', 'b 3h', '2q 3c',
             '<2q 3c', '1000000x', '1000000q', '@q', 'h@', 'q<', '<<h', '3', 'h 3', '3 h', 'z', 'F', 'D',
             'hhh\0', '3\0', 'é', 'ééh', 'aé€😀é', '😀', '\x7f', '<n', '=N', '!P', '>P', '<P',
             '99999999999999999999x', '9223372036854775808x', '2147483647x', '2147483646x0s']
    for _ in range(120):
        prefix = rng.choice(PREFIXES)
        parts = []
        for _ in range(rng.randint(1, 6)):
            code = rng.choice(codes_of(prefix))
            count = rng.choice(['', '', '0', '1', '2', '3', str(rng.randint(4, 20))])
            parts.append(count + code + rng.choice(['', '', '', ' ', '\t']))
        fixed.append(prefix + ''.join(parts))
    out = []
    for fmt in fixed:
        try:
            size = struct.calcsize(fmt)
            if size > 0x7fffffff:
                continue
            s = struct.Struct(fmt)
            nitems = len(struct.unpack(fmt, bytes(size))) if size < 1 << 20 else None
            out.append({'format': fmt, 'size': size, 'nitems': nitems})
        except Exception as e:  # noqa: BLE001 -- every class is recorded
            out.append({'format': fmt, 'error': exc(e)})
    return out


def gen_pack_unpack():
    packs = []
    unpacks = []
    for prefix in PREFIXES:
        for code in codes_of(prefix):
            fmt = prefix + code
            for v in values_for(code, prefix):
                try:
                    packed = struct.pack(fmt, v)
                except Exception as e:  # noqa: BLE001
                    raise SystemExit(f'unexpected error for {fmt!r} {v!r}: {e!r}')
                packs.append({'format': fmt, 'values': enc_values(fmt, [v]), 'hex': packed.hex()})
            # unpack random bytes, including every NaN payload and odd '?' byte
            size = struct.calcsize(fmt)
            for _ in range(6 if size else 1):
                data = bytes(rng.getrandbits(8) for _ in range(size))
                unpacks.append({'format': fmt, 'hex': data.hex(),
                                'values': enc_values(fmt, list(struct.unpack(fmt, data)))})
        # strings and Pascal strings
        for count in ['', '0', '1', '2', '5', '300']:
            for v in [b'', b'a', b'abc', b'hello world', bytes(range(256)) + b'tail']:
                for code in 'sp':
                    fmt = prefix + count + code
                    packs.append({'format': fmt, 'values': enc_values(fmt, [v]),
                                  'hex': struct.pack(fmt, v).hex()})
        for fmt, data in [('p', b'\x05'), ('3p', b'\x05ab'), ('3p', b'\x01ab'), ('3p', b'\x00ab'),
                          ('0p', b''), ('1p', b'\x00'), ('4s', b'a\x00b\x00'), ('300p', b'\xff' * 300)]:
            fmt = prefix + fmt
            unpacks.append({'format': fmt, 'hex': data.hex(),
                            'values': enc_values(fmt, list(struct.unpack(fmt, data)))})
        # multi-code formats with random values
        for _ in range(25):
            codes = codes_of(prefix)
            parts = []
            for _ in range(rng.randint(1, 6)):
                code = rng.choice(codes)
                count = rng.choice(['', '', '0', '1', '2', '3'])
                parts.append(count + code + rng.choice(['', '', ' ']))
            fmt = prefix + ''.join(parts)
            values = []
            for c in item_codes(fmt):
                if c in 'sp':
                    values.append(bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 6))))
                else:
                    values.append(rng.choice(values_for(c, prefix)))
            packed = struct.pack(fmt, *values)
            packs.append({'format': fmt, 'values': enc_values(fmt, values), 'hex': packed.hex()})
            unpacks.append({'format': fmt, 'hex': packed.hex(),
                            'values': enc_values(fmt, list(struct.unpack(fmt, packed)))})
    return packs, unpacks


def gen_errors():
    out = []

    def record(op, fmt, args, fn):
        try:
            fn()
        except Exception as e:  # noqa: BLE001
            out.append(dict(op=op, format=fmt, **args, error=exc(e)))
            return
        raise SystemExit(f'expected an error: {op} {fmt!r} {args!r}')

    def pack_case(fmt, *values):
        record('pack', fmt, {'values': enc_values(fmt, list(values))}, lambda: struct.pack(fmt, *values))

    for prefix in PREFIXES:
        for code in codes_of(prefix):
            fmt = prefix + code
            if code in INT_CODES:
                lo, hi = int_range(code, prefix)
                for v in [lo - 1, hi + 1, 2 ** 64, -2 ** 64, 10 ** 30, -10 ** 30, 2 ** 63, 2 ** 32]:
                    if not lo <= v <= hi:
                        pack_case(fmt, v)
                for v in [1.5, -0.5, float('nan'), float('inf'), 'a', None, b'\x01', [1]]:
                    pack_case(fmt, v)
            elif code in FLOAT_CODES:
                for v in ['a', None, b'\x01', [1.0], 10 ** 400, -10 ** 400, 1j]:
                    pack_case(fmt, v)
                if code == 'e':
                    for v in [65520.0, -65520.0, 1e300, 1e5, 10 ** 6, 2 ** 16,
                              float(2 ** 16)]:
                        pack_case(fmt, v)
                if code == 'f' and prefix not in NATIVE_PREFIXES:
                    for v in [3.4028235677973366e+38, -3.4028235677973366e+38, 1e300, 10 ** 39, 2 ** 128]:
                        pack_case(fmt, v)
            elif code in COMPLEX_CODES:
                for v in ['a', None, b'\x01', [1.0], 10 ** 400, -10 ** 400]:
                    pack_case(fmt, v)
                if code == 'F' and prefix in ('>', '!'):
                    for v in [1e300, 1e300j, complex(1, -1e39)]:
                        pack_case(fmt, v)
            elif code == 'c':
                for v in [b'', b'ab', 'a', 1, None]:
                    pack_case(fmt, v)
            elif code in 'sp':
                for v in ['a', 1, None, [1]]:
                    pack_case(fmt, v)
        pack_case(prefix + 'hh', 1)
        pack_case(prefix + 'hh', 1, 2, 3)
        pack_case(prefix + '3s')
        pack_case(prefix + 'x', 1)
        pack_case(prefix + '0h', 1)
        pack_case(prefix + 'hbh', 1, 200, 3)
        pack_case(prefix + 'z', 1)

    for fmt, data in [('h', b'abc'), ('h', b''), ('<q', b'\x00' * 7), ('0s', b'a'), ('3x', b'')]:
        record('unpack', fmt, {'hex': data.hex()}, lambda: struct.unpack(fmt, data))

    for fmt, size, offset in [('h', 3, 2), ('h', 3, -1), ('h', 3, -4), ('h', 3, 5), ('5s', 3, -4),
                              ('2s', 3, -4), ('0s', 3, 4), ('<q', 16, 9), ('<q', 16, -17)]:
        data = bytes(range(size))
        record('unpack_from', fmt, {'hex': data.hex(), 'offset': offset},
               lambda: struct.unpack_from(fmt, data, offset))

    for fmt, size, offset, values in [('h', 3, 2, [1]), ('h', 3, -1, [1]), ('h', 3, -4, [1]),
                                      ('h', 3, 5, [1]), ('5s', 3, -4, [b'']), ('2s', 3, -4, [b'']),
                                      ('h', 3, 0, [1, 2]), ('2s', 3, 0, [1]), ('<q', 8, 1, [1])]:
        buf = bytearray(b'\xaa' * size)
        record('pack_into', fmt, {'size': size, 'offset': offset, 'values': enc_values(fmt, values)},
               lambda: struct.pack_into(fmt, buf, offset, *values))
    return out


def gen_pack_into():
    """pack_into results, including the bytes CPython leaves behind after an error."""
    out = []
    for fmt, size, offset, values in [('h', 4, 0, [1]), ('h', 4, 2, [-2]), ('h', 4, -2, [3]),
                                      ('<hhh', 8, 1, [1, 2, 3]), ('>i', 4, -4, [7]),
                                      ('<hhh', 8, 0, [1, 'x', 3]), ('<hhh', 8, 2, [1, 2, 70000]),
                                      ('<bxh', 6, 1, [5, 300]), ('3s', 5, 1, [b'ab']),
                                      ('3p', 5, 1, [b'abcdef']), ('0s', 3, 3, [b'']),
                                      ('0s', 3, -3, [b'']), ('ci', 10, 1, [b'z', 1])]:
        buf = bytearray(b'\xaa' * size)
        entry = {'format': fmt, 'size': size, 'offset': offset, 'values': enc_values(fmt, values)}
        try:
            struct.pack_into(fmt, buf, offset, *values)
        except Exception as e:  # noqa: BLE001
            entry['error'] = exc(e)
        entry['hex'] = buf.hex()
        out.append(entry)
    return out


def gen_unpack_from():
    out = []
    data = bytes(rng.getrandbits(8) for _ in range(24))
    for fmt, offset in [('<h', 0), ('<h', 5), ('>h', -2), ('<q', 16), ('<q', -8), ('ci', 3),
                        ('3s', -3), ('0s', 24), ('<d', 8), ('e', 1)]:
        out.append({'format': fmt, 'hex': data.hex(), 'offset': offset,
                    'values': enc_values(fmt, list(struct.unpack_from(fmt, data, offset)))})
    return out


def require_reference():
    """The reference is CPython 3.14 built for wasm32 (the pinned `pyodide` package)."""
    if sys.platform != 'emscripten' or sys.version_info[:2] != (3, 14):
        sys.exit('run in Pyodide: npm run fixtures')


def main():
    require_reference()
    packs, unpacks = gen_pack_unpack()
    doc = {
        'generator': 'scripts/gen-struct-fixtures.py',
        'python': sys.version.split()[0],
        'calcsize': gen_calcsize(),
        'pack': packs,
        'unpack': unpacks,
        'pack_into': gen_pack_into(),
        'unpack_from': gen_unpack_from(),
        'errors': gen_errors(),
    }
    # One vector a line: small, and a regenerated file diffs line by line.
    def dumps(v):
        return json.dumps(v, ensure_ascii=True, allow_nan=False, separators=(',', ':'))

    lines = []
    for key, value in doc.items():
        if isinstance(value, list):
            body = ',\n'.join('  ' + dumps(v) for v in value)
            lines.append(f' {dumps(key)}: [\n{body}\n ]')
        else:
            lines.append(f' {dumps(key)}: {dumps(value)}')
    sys.stdout.write('{\n' + ',\n'.join(lines) + '\n}\n')


if __name__ == '__main__':
    main()
