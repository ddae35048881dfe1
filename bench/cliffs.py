"""numpy's side of bench/cliffs.ts: reads the views (JSON) on stdin, writes the seconds per
np.copyto(out, view) of each (best of 7 samples of at least 2 ms) as a JSON list on stdout."""
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


out = []
for v in json.load(sys.stdin):
    dt = np.dtype(v['dtype'])
    # filled, so that no page is the shared zero page (reads from it would flatter numpy)
    base = np.full(int(np.prod(v['base'])), 5, dtype=dt)
    view = np.lib.stride_tricks.as_strided(
        base[v['offset']:], shape=v['shape'], strides=[s * dt.itemsize for s in v['strides']]
    )
    dst = np.full(v['shape'], 6, dtype=dt)
    out.append(best(lambda: np.copyto(dst, view)) * 1e3)
print(json.dumps(out))
