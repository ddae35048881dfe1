// The benchmark scenarios of issue 5, named by their parameters. Each is a view (shape, item
// strides, item offset) of a C-contiguous base array whose items are a fixed function of
// their index, so that bench/peers.py rebuilds the same bytes and every peer's output can be
// compared by hash.

/** Item types of the scenarios, with their sizes and struct formats. */
export const DTYPES = {
  uint8: { itemsize: 1, format: 'B' },
  float32: { itemsize: 4, format: 'f' },
  float64: { itemsize: 8, format: 'd' },
} as const;

export type DType = keyof typeof DTYPES;

/** A strided view in items. */
export interface ItemView {
  shape: number[];
  strides: number[];
  offset: number;
}

export type Group = 'transpose' | 'image' | 'permute' | 'step' | 'pil' | 'contiguous' | 'small';

export interface Scenario {
  /** `kind:param=value,...` */
  name: string;
  group: Group;
  dtype: DType;
  baseShape: number[];
  view: ItemView;
  /** In the default run (false: only with --all). */
  default: boolean;
}

function cStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let sd = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = sd; sd *= shape[i]; }
  return s;
}

function permuted(shape: number[], axes: number[]): ItemView {
  const s = cStrides(shape);
  return { shape: axes.map((a) => shape[a]), strides: axes.map((a) => s[a]), offset: 0 };
}

/** base[start_i : start_i + n_i * step_i : step_i] in every dim (step may be negative). */
function sliced(shape: number[], starts: number[], counts: number[], steps: number[]): ItemView {
  const s = cStrides(shape);
  let offset = 0;
  for (let i = 0; i < shape.length; i++) offset += starts[i] * s[i];
  return { shape: counts, strides: steps.map((st, i) => st * s[i]), offset };
}

/** The base array's item at index i: small integers, exact in every dtype (no NaN patterns). */
export function itemValue(dtype: DType, i: number): number {
  return dtype === 'uint8' ? i % 251 : i % 65521;
}

export function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function transpose2(dtype: DType, n: number, def = true): Scenario {
  return { name: `transpose:dtype=${dtype},shape=${n}x${n}`, group: 'transpose', dtype, baseShape: [n, n], view: permuted([n, n], [1, 0]), default: def };
}

function step1(step: number, n: number): Scenario {
  return { name: `step:dtype=float32,shape=${n},step=${step}`, group: 'step', dtype: 'float32', baseShape: [n],
    view: sliced([n], [0], [Math.ceil(n / step)], [step]), default: true };
}

function step2(step: number, n: number): Scenario {
  const m = Math.ceil(n / step);
  return { name: `step:dtype=float32,shape=${n}x${n},step=${step}`, group: 'step', dtype: 'float32', baseShape: [n, n],
    view: sliced([n, n], [0, 0], [m, m], [step, step]), default: true };
}

const H = 1080;
const W = 1920;

/** Every scenario; the default run is those with `default: true`. */
export const SCENARIOS: Scenario[] = [
  transpose2('float32', 4096),
  transpose2('float32', 4097),
  transpose2('float64', 2048),
  transpose2('uint8', 4096),
  transpose2('float32', 512),
  { name: `crop:dtype=uint8,image=${W}x${H}x4,box=1600x900+200+100`, group: 'image', dtype: 'uint8', baseShape: [H, W, 4],
    view: sliced([H, W, 4], [100, 200, 0], [900, 1600, 4], [1, 1, 1]), default: true },
  { name: `flip:dtype=uint8,image=${W}x${H}x4,axis=horizontal`, group: 'image', dtype: 'uint8', baseShape: [H, W, 4],
    view: sliced([H, W, 4], [0, W - 1, 0], [H, W, 4], [1, -1, 1]), default: true },
  { name: 'permute:dtype=float32,shape=256x256x256,axes=2,0,1', group: 'permute', dtype: 'float32', baseShape: [256, 256, 256],
    view: permuted([256, 256, 256], [2, 0, 1]), default: true },
  { name: 'permute:dtype=float32,shape=256x256x256,axes=1,2,0', group: 'permute', dtype: 'float32', baseShape: [256, 256, 256],
    view: permuted([256, 256, 256], [1, 2, 0]), default: true },
  step1(2, 1 << 23),
  step1(3, 1 << 23),
  step2(2, 4096),
  step2(3, 4096),
  // rows reached through a table of row pointers (suboffsets [0, -1]), as PIL images
  { name: 'pil:dtype=float32,shape=1024x1024,suboffsets=0,-1', group: 'pil', dtype: 'float32', baseShape: [1024, 1024],
    view: permuted([1024, 1024], [0, 1]), default: true },
  { name: 'tobytes:dtype=uint8,shape=67108864', group: 'contiguous', dtype: 'uint8', baseShape: [1 << 26],
    view: permuted([1 << 26], [0]), default: true },
  { name: 'small-view:dtype=uint8,shape=64,calls=fromObject+getContiguous+release', group: 'small', dtype: 'uint8', baseShape: [64],
    view: permuted([64], [0]), default: true },
];
