"""Buffer requests under every PyBUF flag combination, answered by CPython 3.14 for wasm32.

For each exporter (bytes, bytearray, array.array('f') -- a Float32Array here -- and
memoryviews of several layouts) and each request (the seven base requests, each with and
without WRITABLE and FORMAT), records what PyObject_GetBuffer returned, seen through
_testbuffer.ndarray(exporter, getbuf=flags), or the error.

Run in CPython 3.14 for wasm32 (Pyodide, a devDependency), no native Python needed:
    node scripts/run-in-pyodide.mjs --out tests/fixtures/getbuf.json scripts/gen-getbuf-fixtures.py
"""
import array
import json
import sys
from _testbuffer import *

BASE = {
    'SIMPLE': PyBUF_SIMPLE, 'ND': PyBUF_ND, 'STRIDES': PyBUF_STRIDES,
    'C_CONTIGUOUS': PyBUF_C_CONTIGUOUS, 'F_CONTIGUOUS': PyBUF_F_CONTIGUOUS,
    'ANY_CONTIGUOUS': PyBUF_ANY_CONTIGUOUS, 'INDIRECT': PyBUF_INDIRECT,
}


def requests():
    for name, base in BASE.items():
        for writable in (0, PyBUF_WRITABLE):
            for fmt in (0, PyBUF_FORMAT):
                yield base | writable | fmt


def views():
    """Memoryview layouts; 'items' lets the JS side rebuild the same descriptor."""
    c3 = ndarray(list(range(24)), shape=[2, 3, 4], format='i', flags=ND_WRITABLE)
    yield 'C-contiguous 2x3x4 int32', memoryview(c3)
    f3 = ndarray(list(range(24)), shape=[2, 3, 4], format='i', flags=ND_WRITABLE | ND_FORTRAN)
    yield 'Fortran-contiguous 2x3x4 int32', memoryview(f3)
    s1 = ndarray(list(range(12)), shape=[12], format='h', flags=ND_WRITABLE)
    yield 'strided 1-D int16, step 2', memoryview(s1)[::2]
    s2 = ndarray(list(range(12)), shape=[3, 4], format='B', flags=ND_WRITABLE)
    yield 'read-only C-contiguous 3x4 bytes', memoryview(s2).toreadonly()
    yield 'non-contiguous 2-D (negative strides)', memoryview(ndarray(list(range(12)), shape=[3, 4], strides=[-4, -1], offset=11, format='B', flags=ND_WRITABLE))
    yield 'PIL 3x4 bytes', memoryview(ndarray(list(range(12)), shape=[3, 4], format='B', flags=ND_WRITABLE | ND_PIL))
    yield '0-dim double', memoryview(ndarray(1.5, shape=[], format='d', flags=ND_WRITABLE))
    yield 'empty 1-D', memoryview(ndarray([1], shape=[0], format='B', flags=ND_WRITABLE))


def describe(mv):
    return {'format': mv.format, 'itemsize': mv.itemsize, 'ndim': mv.ndim, 'shape': list(mv.shape),
            'strides': list(mv.strides), 'suboffsets': list(mv.suboffsets), 'readonly': mv.readonly,
            'nbytes': mv.nbytes, 'items': mv.tolist()}


def answer(exporter, flags, source_view=None):
    try:
        nd = ndarray(exporter, getbuf=flags)
    except Exception as e:
        return {'error': [type(e).__name__, str(e)]}
    result = {'format': nd.format or None, 'itemsize': nd.itemsize, 'ndim': nd.ndim,
              'readonly': bool(nd.readonly), 'len': nd.nbytes}
    for field in ('shape', 'strides', 'suboffsets'):
        value = list(getattr(nd, field))
        if source_view is not None and value and value == list(getattr(source_view, field)):
            result[field] = 'same'   # the exporter's own array (its layout differs on wasm32 for PIL)
        else:
            result[field] = value or None
    return result


if sys.platform != 'emscripten' or sys.version_info[:2] != (3, 14):
    sys.exit('run in Pyodide: npm run fixtures')

cases = []
for kind, exporter in (('bytes', b'abcdef'), ('bytearray', bytearray(b'abcdef')),
                       ('float32', array.array('f', [1.0, 2.0, 3.0]))):
    cases.append({'exporter': kind, 'answers': [[f, answer(exporter, f)] for f in requests()]})
for name, mv in views():
    cases.append({'exporter': 'view', 'name': name, 'view': describe(mv),
                  'answers': [[f, answer(mv, f, mv)] for f in requests()]})
json.dump({'generator': 'scripts/gen-getbuf-fixtures.py', 'python': sys.version.split()[0], 'cases': cases},
          sys.stdout, indent=1)
