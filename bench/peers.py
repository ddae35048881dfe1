"""The Python peers of the benchmark harness: numpy and CPython's memoryview.

A server of one scenario at a time, so that bench/main.ts measures them right after its own
peers of the same scenario (seconds apart, not the minutes a run of every scenario takes, over
which a shared machine's memory bandwidth drifts): writes one JSON line of versions on stdout,
then reads one JSON line a request from stdin ({"budget": seconds, "scenario": ...}), rebuilds
the scenario's base array with the same items (bench/scenarios.ts: itemValue), times each peer,
and answers with one JSON line: per peer the samples (seconds per call), calls, and the sha1 of
the bytes produced. Ends at the end of its input.

  numpy         np.copyto(out, view) into a preallocated C-contiguous array (the kernel)
  numpy-alloc   np.ascontiguousarray(view), allocating its result (a.tobytes() when contiguous)
  memoryview    memoryview(view).tobytes(): CPython's copy_rec/copy_base in memoryobject.c;
                PIL layouts through _testbuffer.ndarray(..., flags=ND_PIL); the small-view
                sequence memoryview(b) + _testbuffer.get_contiguous + release
"""
import hashlib
import json
import platform
import sys
import time

try:
    import numpy as np
except ImportError:  # the harness reports numpy as absent
    np = None
try:
    import _testbuffer
except ImportError:
    _testbuffer = None

DTYPES = {'uint8': ('B', 1), 'uint16': ('H', 2), 'float32': ('f', 4), 'float64': ('d', 8)}
NP_DTYPES = {'uint8': 'uint8', 'uint16': 'uint16', 'float32': 'float32', 'float64': 'float64'}
# the layouts suite compares copies into preallocated memory only (np.copyto), to keep its run short
COPYTO_ONLY = ('layout',)


def base_array(s):
    n = 1
    for d in s['baseShape']:
        n *= d
    idx = np.arange(n, dtype=np.int64)
    vals = idx % 251 if s['dtype'] == 'uint8' else idx % 65521
    return vals.astype(NP_DTYPES[s['dtype']]).reshape(s['baseShape'])


def strided_view(base, s):
    itemsize = base.itemsize
    v = s['view']
    flat = base.reshape(-1)
    # as the JS peers: item [0,...,0] at `offset`, strides in items
    return np.lib.stride_tricks.as_strided(flat[v['offset']:], shape=v['shape'],
                                           strides=[x * itemsize for x in v['strides']], writeable=False)


def measure(fn, budget, min_samples=3, max_samples=15, calls=1):
    """As bench/main.ts: warm up (3 runs, or the budget's worth of slow ones, and a third of the
    budget), then samples of k calls (>= 2 ms each) until the budget is spent."""
    runs = 0
    warm = time.perf_counter()
    while (runs < 3 and time.perf_counter() - warm < budget) or time.perf_counter() - warm < budget / 3:
        fn()
        runs += 1
    per_run = (time.perf_counter() - warm) / runs
    k = max(1, -(-0.002 // per_run)) if per_run > 0 else 1
    k = int(k)
    samples = []
    start = time.perf_counter()
    while len(samples) < min_samples or (len(samples) < max_samples and time.perf_counter() - start < budget):
        t = time.perf_counter()
        for _ in range(k):
            fn()
        samples.append((time.perf_counter() - t) / calls / k)
    return samples


def sha1(b):
    return hashlib.sha1(b).hexdigest()


def run_numpy(s, budget):
    if np is None:
        return {'note': 'numpy is not installed for this python3'}
    group = s['group']
    if group == 'small':
        return {'note': 'measured through memoryview (numpy adds nothing to the sequence)'}
    if group == 'pil':
        return {'note': 'numpy has no suboffsets (PIL layouts)'}
    base = base_array(s)
    axes = s.get('axes')
    view = base.transpose(axes) if axes is not None else strided_view(base, s)
    out = np.empty(view.shape, dtype=base.dtype)
    samples = measure(lambda: np.copyto(out, view), budget)
    api = f'np.copyto(out, a.transpose({tuple(axes)}))' if axes is not None else 'np.copyto(out, view)'
    return {'samples': samples, 'calls': 1, 'sha1': sha1(out.tobytes()), 'api': api}


def run_numpy_alloc(s, budget):
    if np is None or s['group'] in ('small', 'pil') or s['group'] in COPYTO_ONLY:
        return None
    if s['group'] == 'contiguous':
        base = base_array(s)
        res = {}
        samples = measure(lambda: res.__setitem__('b', base.tobytes()), budget)
        return {'samples': samples, 'calls': 1, 'sha1': sha1(res['b']), 'api': 'a.tobytes()'}
    view = strided_view(base_array(s), s)
    res = {}
    samples = measure(lambda: res.__setitem__('a', np.ascontiguousarray(view)), budget)
    return {'samples': samples, 'calls': 1, 'sha1': sha1(res['a'].tobytes()), 'api': 'np.ascontiguousarray(view)'}


SMALL_CALLS = 20000


def run_memoryview(s, budget):
    group = s['group']
    if group in COPYTO_ONLY:
        return {'note': 'not run in the layouts suite (np.copyto is its Python peer)'}
    if group == 'small':
        if _testbuffer is None:
            return {'note': '_testbuffer is not available'}
        b = bytes(i % 251 for i in range(64))
        get_contiguous = _testbuffer.get_contiguous
        PyBUF_READ = _testbuffer.PyBUF_READ

        def seq():
            for _ in range(SMALL_CALLS):
                m = memoryview(b)
                g = get_contiguous(m, PyBUF_READ, 'C')
                g.release()
                m.release()
        samples = measure(seq, budget, calls=SMALL_CALLS)
        g = get_contiguous(memoryview(b), PyBUF_READ, 'C')
        return {'samples': samples, 'calls': SMALL_CALLS, 'sha1': sha1(g.tobytes()),
                'api': 'memoryview(b) + _testbuffer.get_contiguous + release'}
    if group == 'pil':
        if _testbuffer is None:
            return {'note': '_testbuffer is not available'}
        fmt, _ = DTYPES[s['dtype']]
        n = 1
        for d in s['baseShape']:
            n *= d
        items = [float(i % 65521) if fmt != 'B' else i % 251 for i in range(n)]
        nd = _testbuffer.ndarray(items, shape=s['baseShape'], format=fmt, flags=_testbuffer.ND_PIL)
        m = memoryview(nd)
        res = {}
        samples = measure(lambda: res.__setitem__('b', m.tobytes()), budget)
        return {'samples': samples, 'calls': 1, 'sha1': sha1(res['b']),
                'api': 'memoryview(_testbuffer.ndarray(..., flags=ND_PIL)).tobytes()'}
    if np is None:
        return {'note': 'numpy is needed to build the strided views'}
    base = base_array(s)
    view = base if group == 'contiguous' else strided_view(base, s)
    m = memoryview(view)
    res = {}
    samples = measure(lambda: res.__setitem__('b', m.tobytes()), budget)
    return {'samples': samples, 'calls': 1, 'sha1': sha1(res['b']), 'api': 'memoryview(view).tobytes()'}


def run_scenario(s, budget):
    r = {'numpy': run_numpy(s, budget), 'memoryview': run_memoryview(s, budget)}
    alloc = run_numpy_alloc(s, budget)
    if alloc is not None:
        r['numpy-alloc'] = alloc
    return r


def answer(obj):
    sys.stdout.write(json.dumps(obj) + '\n')
    sys.stdout.flush()


def main():
    answer({
        'python': platform.python_version(),
        'numpy': None if np is None else np.__version__,
        'testbuffer': _testbuffer is not None,
    })
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        answer(run_scenario(request['scenario'], request.get('budget', 0.3)))


if __name__ == '__main__':
    main()
