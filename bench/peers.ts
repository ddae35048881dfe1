// The JavaScript peers of the harness: this library through its public API, a plain JS loop,
// @stdlib/ndarray's assign, scijs ndarray-ops' assign, and the memcpy bounds. Each peer sets up
// its own copy of the base array (untimed) and returns a run() that is timed and an output()
// whose bytes are compared across peers.
import { createRequire } from 'node:module';
import {
  Bytes,
  MemoryView,
  PyBUF,
  Py_buffer,
  StridedView,
  capi,
  copyLayout,
  readMemory,
  transpose,
  type NumericArray,
} from '../src/index.js';
import { wasm } from '../src/wasm/instance.js';
import { DTYPES, count, itemValue, type ItemView, type Scenario } from './scenarios.js';

const require = createRequire(import.meta.url);

/** A peer prepared for one scenario. */
export interface PeerRun {
  /** Runs the measured operation `calls` times (1 except for per-call overheads). */
  run(): void;
  /** Operations per run() (timings are divided by it). */
  calls: number;
  /** The call measured, when the label does not say it. */
  api?: string;
  /** The bytes it produced (for the identical-bytes check), or null for the memcpy bounds. */
  output(): Uint8Array | null;
  dispose(): void;
}

export interface Peer {
  id: string;
  label: string;
  /** The peer's implementation of a scenario, or a note saying why it has none. */
  prepare(s: Scenario): PeerRun | string;
}

type TypedCtor = {
  new (n: number): NumericArray;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): NumericArray;
};

const CTORS = { uint8: Uint8Array, uint16: Uint16Array, float32: Float32Array, float64: Float64Array } as const;

export function ctorOf(s: Scenario): TypedCtor {
  return CTORS[s.dtype] as unknown as TypedCtor;
}

function fillBase(a: NumericArray, s: Scenario): void {
  const n = a.length;
  const x = a as unknown as number[];
  for (let i = 0; i < n; i++) x[i] = itemValue(s.dtype, i);
}

export function jsBase(s: Scenario): NumericArray {
  const a = new (ctorOf(s))(count(s.baseShape));
  fillBase(a, s);
  return a;
}

function bytesOf(a: NumericArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** A block of runtime memory holding the base array (or zeros), freed by dispose(). */
function runtimeBlock(s: Scenario, items: number, fill: boolean): { ptr: number; len: number; free(): void } {
  const itemsize = DTYPES[s.dtype].itemsize;
  const len = items * itemsize;
  const ptr = capi.PyMem_Malloc(len);
  const view = new (ctorOf(s))(wasm().memory.buffer, ptr, items);
  if (fill) fillBase(view, s);
  else bytesOf(view).fill(0);
  return { ptr, len, free: () => capi.PyMem_Free(ptr) };
}

function byteView(s: Scenario): { shape: number[]; strides: number[]; offset: number } {
  const itemsize = DTYPES[s.dtype].itemsize;
  return { shape: s.view.shape, strides: s.view.strides.map((x) => x * itemsize), offset: s.view.offset * itemsize };
}

/** PIL layout in runtime memory: a row-pointer table and the rows (suboffsets [0, -1]). */
function pilDescriptor(s: Scenario, base: { ptr: number; len: number }, table: number): Py_buffer {
  const itemsize = DTYPES[s.dtype].itemsize;
  const [rows, cols] = s.baseShape;
  const dv = new DataView(wasm().memory.buffer);
  for (let r = 0; r < rows; r++) dv.setUint32(table + 4 * r, base.ptr + r * cols * itemsize, true);
  const info = new Py_buffer();
  info.buf = table;
  info.len = rows * cols * itemsize;
  info.itemsize = itemsize;
  info.ndim = 2;
  info.format = DTYPES[s.dtype].format;
  info.shape = [rows, cols];
  info.strides = [4, itemsize];
  info.suboffsets = [0, -1];
  info.readonly = true;
  return info;
}

/** A descriptor of the scenario's view of `base` (the layouts suite's in-runtime copy goes through the C API). */
function stridedDescriptor(s: Scenario, base: { ptr: number }): Py_buffer {
  const { shape, strides, offset } = byteView(s);
  const info = new Py_buffer();
  info.buf = base.ptr + offset;
  info.itemsize = DTYPES[s.dtype].itemsize;
  info.len = count(shape) * info.itemsize;
  info.ndim = shape.length;
  info.format = DTYPES[s.dtype].format;
  info.shape = [...shape];
  info.strides = [...strides];
  info.readonly = true;
  return info;
}

const SMALL_CALLS = 20000;

/** wasm-memoryview: a StridedView of runtime memory copied into a preallocated view. */
const oursView: Peer = {
  id: 'ours',
  label: 'wasm-memoryview',
  prepare(s) {
    const itemsize = DTYPES[s.dtype].itemsize;
    const outBytes = count(s.view.shape) * itemsize;
    if (s.group === 'small') {
      const b = new Bytes(new Uint8Array(64).map((_, i) => itemValue('uint8', i)));
      let last: MemoryView | null = null;
      return {
        calls: SMALL_CALLS,
        run() {
          for (let i = 0; i < SMALL_CALLS; i++) {
            const m = MemoryView.fromObject(b);
            const g = MemoryView.getContiguous(m, PyBUF.READ, 'C');
            g.release();
            m.release();
          }
        },
        output() {
          last = MemoryView.getContiguous(b, PyBUF.READ, 'C');
          const bytes = last.tobytes();
          last.release();
          return bytes;
        },
        dispose() {
          b.dispose();
        },
      };
    }
    const base = runtimeBlock(s, count(s.baseShape), true);
    const out = runtimeBlock(s, count(s.view.shape), false);
    if (s.group === 'pil') {
      // the C API a user would call: PyBuffer_ToContiguous of a suboffset descriptor
      const table = capi.PyMem_Malloc(4 * s.baseShape[0]);
      const info = pilDescriptor(s, base, table);
      const mv = capi.PyMemoryView_FromBuffer(info);
      const view = capi.PyMemoryView_GET_BUFFER(mv);
      return {
        calls: 1,
        run() {
          capi.PyBuffer_ToContiguous(out.ptr, view, outBytes, 'C');
        },
        output() {
          return readMemory(out.ptr, outBytes);
        },
        dispose() {
          mv.release();
          capi.PyMem_Free(table);
          base.free();
          out.free();
        },
      };
    }
    if (s.group === 'layout') {
      // the buffer protocol's copy into a preallocated block, as a runtime hands a permuted
      // Py_buffer to a consumer that needs C order
      const mv = capi.PyMemoryView_FromBuffer(stridedDescriptor(s, base));
      const view = capi.PyMemoryView_GET_BUFFER(mv);
      return {
        calls: 1,
        api: 'capi.PyBuffer_ToContiguous(out, view, len, "C") of the permuted Py_buffer',
        run() {
          capi.PyBuffer_ToContiguous(out.ptr, view, outBytes, 'C');
        },
        output() {
          return readMemory(out.ptr, outBytes);
        },
        dispose() {
          mv.release();
          base.free();
          out.free();
        },
      };
    }
    if (s.group === 'contiguous') {
      // into preallocated memory, as np.copyto; MemoryView.tobytes() is the allocating row
      const mv = capi.PyMemoryView_FromMemory(base.ptr, base.len, PyBUF.READ);
      const view = capi.PyMemoryView_GET_BUFFER(mv);
      return {
        calls: 1,
        api: 'capi.PyBuffer_ToContiguous(out, view, len, "C")',
        run() {
          capi.PyBuffer_ToContiguous(out.ptr, view, outBytes, 'C');
        },
        output() {
          return readMemory(out.ptr, outBytes);
        },
        dispose() {
          mv.release();
          base.free();
          out.free();
        },
      };
    }
    const src = StridedView.over(base, { ...byteView(s), format: DTYPES[s.dtype].format });
    const dst = StridedView.over(out, { shape: s.view.shape, format: DTYPES[s.dtype].format });
    return {
      calls: 1,
      run() {
        dst.copyFrom(src);
      },
      output() {
        return readMemory(out.ptr, outBytes);
      },
      dispose() {
        base.free();
        out.free();
      },
    };
  },
};

/**
 * wasm-memoryview as `oursView`, with the runtime's copies split across `threads` threads (the
 * harness calls init({ threads }) around this peer).
 */
export function threadedPeer(threads: number): Peer {
  return {
    id: `ours-t${threads}`,
    label: `wasm-memoryview, ${threads} threads`,
    prepare(s) {
      if (s.group === 'small') return 'a per-call overhead: one thread';
      const run = oursView.prepare(s);
      if (typeof run !== 'string')
        run.api = `${run.api ?? 'StridedView.copyFrom(src)'} with init({ threads: ${threads} })`;
      return run;
    },
  };
}

/** wasm-memoryview MemoryView.tobytes(): the buffer-protocol path, allocating its result. */
const oursToBytes: Peer = {
  id: 'ours-tobytes',
  label: 'wasm-memoryview tobytes()',
  prepare(s) {
    if (s.group === 'small') return 'the main wasm-memoryview row is this API';
    if (s.group === 'layout')
      return 'not run in the layouts suite (the same kernels as the in-runtime copy, plus an allocation)';
    const base = runtimeBlock(s, count(s.baseShape), true);
    let mv: MemoryView;
    let table = 0;
    if (s.group === 'contiguous') {
      mv = capi.PyMemoryView_FromMemory(base.ptr, base.len, PyBUF.READ);
    } else if (s.group === 'pil') {
      table = capi.PyMem_Malloc(4 * s.baseShape[0]);
      mv = capi.PyMemoryView_FromBuffer(pilDescriptor(s, base, table));
    } else {
      mv = StridedView.over(base, { ...byteView(s), format: DTYPES[s.dtype].format }).toMemoryView();
    }
    let last: Uint8Array | null = null;
    return {
      calls: 1,
      run() {
        last = mv.tobytes();
      },
      output() {
        return last ?? mv.tobytes();
      },
      dispose() {
        mv.release();
        if (table !== 0) capi.PyMem_Free(table);
        base.free();
      },
    };
  },
};

/**
 * wasm-memoryview transpose() (permutations) or copyLayout() (other views): plain JS arrays in
 * and out (copy in, plan, copy out).
 */
const oursCopyLayout: Peer = {
  id: 'ours-copylayout',
  label: 'wasm-memoryview transpose()/copyLayout() (JS arrays)',
  prepare(s) {
    if (s.group === 'small' || s.group === 'pil' || s.group === 'contiguous') return 'not a strided view of a JS array';
    const base = jsBase(s);
    const out = new (ctorOf(s))(count(s.view.shape));
    const axes = s.axes;
    if (axes !== undefined) {
      return {
        calls: 1,
        api: `transpose(a, [${s.baseShape.join(', ')}], [${axes.join(', ')}], out)`,
        run() {
          transpose(base, s.baseShape, axes, out);
        },
        output() {
          return bytesOf(out);
        },
        dispose() {},
      };
    }
    return {
      calls: 1,
      api: 'copyLayout(a, {shape, strides, offset}, out)',
      run() {
        copyLayout(base, s.view, out);
      },
      output() {
        return bytesOf(out);
      },
      dispose() {},
    };
  },
};

/** A plain JS loop per rank (1 to 4): what one writes without a library. */
function jsLoop(src: NumericArray, out: NumericArray, v: ItemView): void {
  const x = src as unknown as number[];
  const y = out as unknown as number[];
  const [n0, n1, n2, n3] = v.shape;
  const [s0, s1, s2, s3] = v.strides;
  let k = 0;
  if (v.shape.length === 1) {
    for (let i = 0, p = v.offset; i < n0; i++, p += s0) y[k++] = x[p];
  } else if (v.shape.length === 2) {
    for (let i = 0; i < n0; i++) {
      for (let j = 0, p = v.offset + i * s0; j < n1; j++, p += s1) y[k++] = x[p];
    }
  } else if (v.shape.length === 3) {
    for (let i = 0; i < n0; i++) {
      for (let j = 0; j < n1; j++) {
        for (let l = 0, p = v.offset + i * s0 + j * s1; l < n2; l++, p += s2) y[k++] = x[p];
      }
    }
  } else {
    for (let i = 0; i < n0; i++) {
      for (let j = 0; j < n1; j++) {
        for (let l = 0; l < n2; l++) {
          for (let m = 0, p = v.offset + i * s0 + j * s1 + l * s2; m < n3; m++, p += s3) y[k++] = x[p];
        }
      }
    }
  }
}

const plainJs: Peer = {
  id: 'js',
  label: 'plain JS loop',
  prepare(s) {
    if (s.group === 'small') return 'no buffer protocol in plain JS';
    const base = jsBase(s);
    const out = new (ctorOf(s))(count(s.view.shape));
    if (s.group === 'pil') {
      // rows through a table of row offsets, as a JS program would hold a PIL image
      const [rows, cols] = s.baseShape;
      const table = Int32Array.from({ length: rows }, (_, r) => r * cols);
      const x = base as unknown as number[];
      const y = out as unknown as number[];
      return {
        calls: 1,
        run() {
          let k = 0;
          for (let r = 0; r < rows; r++) for (let c = 0, p = table[r]; c < cols; c++) y[k++] = x[p + c];
        },
        output() {
          return bytesOf(out);
        },
        dispose() {},
      };
    }
    if (s.group === 'contiguous') {
      let last: NumericArray | null = null;
      return {
        calls: 1,
        run() {
          last = base.slice();
        },
        output() {
          return bytesOf(last ?? base.slice());
        },
        dispose() {},
      };
    }
    return {
      calls: 1,
      run() {
        jsLoop(base, out, s.view);
      },
      output() {
        return bytesOf(out);
      },
      dispose() {},
    };
  },
};

/** Whether items of extents `shape` and (item) strides `strides` fill a contiguous range in ascending order. */
function dense(shape: readonly number[], strides: readonly number[]): boolean {
  const dims = shape
    .map((n, i) => [strides[i], n])
    .filter(([, n]) => n > 1)
    .sort((a, b) => a[0] - b[0]);
  let expect = 1;
  for (const [st, n] of dims) {
    if (st !== expect) return false;
    expect *= n;
  }
  return true;
}

interface StdlibLike {
  dtype: string;
  data: NumericArray;
  shape: number[];
  strides: number[];
  offset: number;
  order: string;
}
type StdlibAssign = (arrays: StdlibLike[]) => void;

const stdlib: Peer = {
  id: 'stdlib',
  label: '@stdlib/ndarray assign',
  prepare(s) {
    if (s.group === 'small' || s.group === 'pil') return 'no suboffsets / buffer protocol';
    const assign = require('@stdlib/ndarray/base/assign') as StdlibAssign;
    const base = jsBase(s);
    const out = new (ctorOf(s))(count(s.view.shape));
    const x: StdlibLike = {
      dtype: s.dtype,
      data: base,
      shape: s.view.shape,
      strides: s.view.strides,
      offset: s.view.offset,
      order: 'row-major',
    };
    const cs: number[] = [];
    let sd = 1;
    for (let i = s.view.shape.length - 1; i >= 0; i--) {
      cs[i] = sd;
      sd *= s.view.shape[i];
    }
    const y: StdlibLike = {
      dtype: s.dtype,
      data: out,
      shape: s.view.shape,
      strides: cs,
      offset: 0,
      order: 'row-major',
    };
    // @stdlib/ndarray 0.3.3's assign copies linearly when both operands cover a contiguous range
    // in the same direction, whatever their layouts (a transpose of a whole matrix comes out
    // untransposed). Workaround: assign two halves separately, split along dim 0 unless a half
    // would still cover a contiguous range of the source (a permutation that keeps dim 0 outermost),
    // then along the source's fastest dim; the cost is one extra call.
    const halves: Array<[StdlibLike, StdlibLike]> = [];
    const split = (dim: number): void => {
      const n = s.view.shape[dim];
      const h = n >> 1;
      for (const [start, len] of [
        [0, h],
        [h, n - h],
      ]) {
        const shape = s.view.shape.map((e, i) => (i === dim ? len : e));
        halves.push([
          { ...x, shape, offset: x.offset + start * x.strides[dim] },
          { ...y, shape, offset: y.offset + start * y.strides[dim] },
        ]);
      }
    };
    const identity = s.view.strides.every((st, i) => s.view.shape[i] <= 1 || st === cs[i]);
    if (!identity && s.view.shape.length >= 2 && s.view.shape[0] >= 2) {
      const half = [s.view.shape[0] >> 1, ...s.view.shape.slice(1)];
      if (!dense(half, s.view.strides)) {
        split(0);
      } else {
        let fastest = 0;
        s.view.strides.forEach((st, i) => {
          if (s.view.shape[i] > 1 && Math.abs(st) < Math.abs(s.view.strides[fastest])) fastest = i;
        });
        split(fastest);
      }
    } else {
      halves.push([x, y]);
    }
    return {
      calls: 1,
      run() {
        for (const pair of halves) assign(pair);
      },
      output() {
        return bytesOf(out);
      },
      dispose() {},
      api: 'assign([x, y]) on each half of one dim (see the note)',
    };
  },
};

type NdArrayCtor = (data: NumericArray, shape: number[], stride?: number[], offset?: number) => unknown;

const ndarrayOps: Peer = {
  id: 'ndarray-ops',
  label: 'ndarray-ops assign',
  prepare(s) {
    if (s.group === 'small' || s.group === 'pil') return 'no suboffsets / buffer protocol';
    const ndarray = require('ndarray') as NdArrayCtor;
    const ops = require('ndarray-ops') as { assign(a: unknown, b: unknown): void };
    const base = jsBase(s);
    const out = new (ctorOf(s))(count(s.view.shape));
    const x = ndarray(base, s.view.shape, s.view.strides, s.view.offset);
    const y = ndarray(out, s.view.shape);
    return {
      calls: 1,
      run() {
        ops.assign(y, x);
      },
      output() {
        return bytesOf(out);
      },
      dispose() {},
    };
  },
};

/**
 * memcpy bounds: the same number of bytes as the scenario's output, contiguous to contiguous.
 * copyBytes is the library's contiguous copy, memory.copy in pieces of 256 KiB (one memmove of
 * many megabytes is up to 1.3x slower on some hosts, assembly/strided.ts moveBytes);
 * TypedArray.set is one memmove.
 */
const memcpyWasm: Peer = {
  id: 'memcpy-wasm',
  label: 'memcpy bound: Wasm memory.copy in 256 KiB pieces',
  prepare(s) {
    if (s.group === 'small') return 'not a bandwidth scenario';
    const n = count(s.view.shape) * DTYPES[s.dtype].itemsize;
    const a = capi.PyMem_Malloc(n);
    const b = capi.PyMem_Malloc(n);
    new Uint8Array(wasm().memory.buffer, a, n).fill(1);
    new Uint8Array(wasm().memory.buffer, b, n).fill(2);
    return {
      calls: 1,
      run() {
        wasm().copyBytes(b, a, n);
      },
      output() {
        return null;
      },
      dispose() {
        capi.PyMem_Free(a);
        capi.PyMem_Free(b);
      },
    };
  },
};

const memcpyJs: Peer = {
  id: 'memcpy-js',
  label: 'memcpy bound: TypedArray.set',
  prepare(s) {
    if (s.group === 'small') return 'not a bandwidth scenario';
    const n = count(s.view.shape) * DTYPES[s.dtype].itemsize;
    const a = new Uint8Array(n).fill(1);
    const b = new Uint8Array(n);
    return {
      calls: 1,
      run() {
        b.set(a);
      },
      output() {
        return null;
      },
      dispose() {},
    };
  },
};

/** The JS peers, in report order (the Python peers come from bench/peers.py). */
export const JS_PEERS: Peer[] = [
  oursView,
  oursToBytes,
  oursCopyLayout,
  plainJs,
  stdlib,
  ndarrayOps,
  memcpyWasm,
  memcpyJs,
];
