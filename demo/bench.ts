// Benchmark scenarios that fit in a browser tab: strided layouts copied into a contiguous
// block by the library (capi.PyBuffer_ToContiguous, the Wasm kernels) and by the plain-JS
// loop over the same memory. Named by parameters, as bench/ names its cases.
import { Py_buffer, capi, runtimeInfo, runtimeMemory } from 'wasm-memoryview';

/** One scenario: a strided view of a base block, copied to a C- or F-ordered block. */
export interface Scenario {
  name: string;
  format: 'B' | 'h' | 'i' | 'f' | 'd';
  itemsize: 1 | 2 | 4 | 8;
  baseItems: number;
  offsetItems: number;
  shape: number[];
  /** Strides in items (the descriptor gets them in bytes). */
  strides: number[];
  order: 'C' | 'F';
}

/** The figures of one scenario. */
export interface BenchResult {
  name: string;
  bytes: number;
  wasmMs: number;
  jsMs: number;
  wasmGBs: number;
  jsGBs: number;
  same: boolean;
  /** Threads the Wasm copy ran on (runtimeInfo().threads). */
  threads: number;
}

const c2 = (rows: number, cols: number) => [cols, 1];
export const scenarios: Scenario[] = [
  {
    name: 'transpose:shape=1024x1024,format=f,order=F',
    format: 'f',
    itemsize: 4,
    baseItems: 1 << 20,
    offsetItems: 0,
    shape: [1024, 1024],
    strides: c2(1024, 1024),
    order: 'F',
  },
  {
    name: 'transpose:shape=2048x2048,format=B,order=F',
    format: 'B',
    itemsize: 1,
    baseItems: 1 << 22,
    offsetItems: 0,
    shape: [2048, 2048],
    strides: c2(2048, 2048),
    order: 'F',
  },
  {
    name: 'crop:image=1920x1080x4,shape=720x1280x4,format=B',
    format: 'B',
    itemsize: 1,
    baseItems: 1080 * 1920 * 4,
    offsetItems: (180 * 1920 + 320) * 4,
    shape: [720, 1280, 4],
    strides: [1920 * 4, 4, 1],
    order: 'C',
  },
  {
    name: 'every-other:shape=1048576,format=d,step=2',
    format: 'd',
    itemsize: 8,
    baseItems: 1 << 21,
    offsetItems: 0,
    shape: [1 << 20],
    strides: [2],
    order: 'C',
  },
  {
    name: 'reverse:shape=4194304,format=h,step=-1',
    format: 'h',
    itemsize: 2,
    baseItems: 1 << 22,
    offsetItems: (1 << 22) - 1,
    shape: [1 << 22],
    strides: [-1],
    order: 'C',
  },
  {
    name: 'permute:shape=128x128x128,format=i,order=F',
    format: 'i',
    itemsize: 4,
    baseItems: 1 << 21,
    offsetItems: 0,
    shape: [128, 128, 128],
    strides: [128 * 128, 128, 1],
    order: 'F',
  },
  {
    name: 'copy:shape=4194304,format=i,contiguous',
    format: 'i',
    itemsize: 4,
    baseItems: 1 << 22,
    offsetItems: 0,
    shape: [1 << 22],
    strides: [1],
    order: 'C',
  },
];

type Items = Uint8Array | Uint16Array | Uint32Array | Float64Array;
function itemsView(buffer: ArrayBufferLike, ptr: number, itemsize: number, n: number): Items {
  if (itemsize === 1) return new Uint8Array(buffer, ptr, n);
  if (itemsize === 2) return new Uint16Array(buffer, ptr, n);
  if (itemsize === 4) return new Uint32Array(buffer, ptr, n);
  return new Float64Array(buffer, ptr, n);
}

/** The plain-JS loop: visits the view in the output's order and stores item by item. */
export function copyJs(
  src: Items,
  offset: number,
  shape: number[],
  strides: number[],
  order: 'C' | 'F',
  out: Items,
): void {
  let k = 0;
  if (shape.length === 1) {
    const [n] = shape;
    const [s] = strides;
    for (let i = 0, p = offset; i < n; i++, p += s) out[k++] = src[p];
  } else if (shape.length === 2) {
    const [n0, n1] = shape;
    const [s0, s1] = strides;
    if (order === 'C') {
      for (let i = 0; i < n0; i++) for (let j = 0, p = offset + i * s0; j < n1; j++, p += s1) out[k++] = src[p];
    } else {
      for (let j = 0; j < n1; j++) for (let i = 0, p = offset + j * s1; i < n0; i++, p += s0) out[k++] = src[p];
    }
  } else {
    const [n0, n1, n2] = shape;
    const [s0, s1, s2] = strides;
    if (order === 'C') {
      for (let i = 0; i < n0; i++) {
        for (let j = 0; j < n1; j++) {
          for (let l = 0, p = offset + i * s0 + j * s1; l < n2; l++, p += s2) out[k++] = src[p];
        }
      }
    } else {
      for (let l = 0; l < n2; l++) {
        for (let j = 0; j < n1; j++) {
          for (let i = 0, p = offset + l * s2 + j * s1; i < n0; i++, p += s0) out[k++] = src[p];
        }
      }
    }
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

const nextFrame = () => new Promise((ok) => setTimeout(ok, 0));

/** Runs one scenario: checks both copies agree, then times them alternately. */
export async function runScenario(sc: Scenario, reps = 7): Promise<BenchResult> {
  const items = sc.shape.reduce((a, b) => a * b, 1);
  const len = items * sc.itemsize;
  const base = capi.PyMem_Malloc(sc.baseItems * sc.itemsize);
  const dstWasm = capi.PyMem_Malloc(len);
  const dstJs = capi.PyMem_Malloc(len);
  try {
    // views of linear memory are taken after the last allocation (memory.grow detaches them)
    const buffer = runtimeMemory().buffer;
    const src = itemsView(buffer, base, sc.itemsize, sc.baseItems);
    // data with no structure a copy could exploit (crypto.getRandomValues refuses shared memory)
    if (src instanceof Float64Array) for (let i = 0; i < src.length; i++) src[i] = i * 0.5 - 1e6;
    else {
      const bytes = new Uint8Array(buffer, base, sc.baseItems * sc.itemsize);
      for (let i = 0, x = 0x9e3779b9; i < bytes.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        bytes[i] = x;
      }
    }
    const view = new Py_buffer();
    Object.assign(view, {
      buf: base + sc.offsetItems * sc.itemsize,
      itemsize: sc.itemsize,
      format: sc.format,
      ndim: sc.shape.length,
      shape: sc.shape,
      strides: sc.strides.map((s) => s * sc.itemsize),
      len,
      readonly: true,
    });
    const outJs = itemsView(buffer, dstJs, sc.itemsize, items);
    const wasmRun = () => capi.PyBuffer_ToContiguous(dstWasm, view, len, sc.order);
    const jsRun = () => copyJs(src, sc.offsetItems, sc.shape, sc.strides, sc.order, outJs);
    wasmRun();
    jsRun();
    const a = new Uint8Array(buffer, dstWasm, len);
    const b = new Uint8Array(buffer, dstJs, len);
    let same = true;
    for (let i = 0; i < len; i++)
      if (a[i] !== b[i]) {
        same = false;
        break;
      }
    const wasmTimes: number[] = [];
    const jsTimes: number[] = [];
    for (let r = 0; r < reps; r++) {
      let t = performance.now();
      wasmRun();
      wasmTimes.push(performance.now() - t);
      t = performance.now();
      jsRun();
      jsTimes.push(performance.now() - t);
      await nextFrame();
    }
    // performance.now() may be coarsened: never report a zero time
    const wasmMs = Math.max(median(wasmTimes), 0.001);
    const jsMs = Math.max(median(jsTimes), 0.001);
    return {
      name: sc.name,
      bytes: len,
      wasmMs,
      jsMs,
      wasmGBs: len / wasmMs / 1e6,
      jsGBs: len / jsMs / 1e6,
      same,
      threads: runtimeInfo().threads,
    };
  } finally {
    capi.PyMem_Free(base);
    capi.PyMem_Free(dstWasm);
    capi.PyMem_Free(dstJs);
  }
}
