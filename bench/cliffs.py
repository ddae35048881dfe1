"""numpy's side of bench/cliffs.ts, one view a request: writes one JSON line ({"numpy": version})
on starting, then answers each JSON line of stdin ({"view": ...}) with one JSON line, the
milliseconds per np.copyto(out, view) (best of 7 samples of at least 2 ms), so that the view is
timed right after wasm-memoryview's copy of it (bench/python-server.ts). Ends at the end of its
input."""
import json
import sys
import time

import numpy as np


def best(fn):
    calls = 1
    t = time.perf_counter()
    while time.perf_counter() - t < 0.002:
        fn()
        calls += 1
    result = float('inf')
    for _ in range(7):
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        result = min(result, (time.perf_counter() - t) / calls)
    return result


def copy_ms(v):
    dt = np.dtype(v['dtype'])
    # filled, so that no page is the shared zero page (reads from it would flatter numpy)
    base = np.full(int(np.prod(v['base'])), 5, dtype=dt)
    view = np.lib.stride_tricks.as_strided(
        base[v['offset']:], shape=v['shape'], strides=[s * dt.itemsize for s in v['strides']]
    )
    dst = np.full(v['shape'], 6, dtype=dt)
    return best(lambda: np.copyto(dst, view)) * 1e3


def answer(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


answer({'numpy': np.__version__})
for line in sys.stdin:
    if line.strip():
        answer({'ms': copy_ms(json.loads(line)['view'])})
