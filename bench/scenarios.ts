// The benchmark scenarios, named by their parameters. Each is a view (shape, item strides, item
// offset) of a C-contiguous base array whose items are a fixed function of their index, so that
// bench/peers.py rebuilds the same bytes and every peer's output can be compared by hash.
// The layouts suite (group 'layout') is the broad sweep: channel moves, NCHW<->NHWC, rotations,
// 3-D permutations in every axis order, and 2-D and 3-D layouts of odd, non-square extents drawn
// from a seed, all of 8 MiB and more.

/** Item types of the scenarios, with their sizes and struct formats. */
export const DTYPES = {
  uint8: { itemsize: 1, format: 'B' },
  uint16: { itemsize: 2, format: 'H' },
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

export type Group = 'transpose' | 'image' | 'permute' | 'step' | 'pil' | 'contiguous' | 'small' | 'layout';

export interface Scenario {
  /** `kind:param=value,...` */
  name: string;
  group: Group;
  dtype: DType;
  baseShape: number[];
  view: ItemView;
  /** In the default run (false: only with --all). */
  default: boolean;
  /** The view is the base array with these axes permuted (peers that take axes: transpose()). */
  axes?: number[];
}

function cStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let sd = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = sd;
    sd *= shape[i];
  }
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

/** The view of each image rotation (counter-clockwise, as np.rot90) of an H x W x C base. */
function rotated(h: number, w: number, c: number, degrees: 90 | 180 | 270): ItemView {
  const [sh, sw] = [w * c, c];
  if (degrees === 90) return { shape: [w, h, c], strides: [-sw, sh, 1], offset: (w - 1) * sw };
  if (degrees === 180) return { shape: [h, w, c], strides: [-sh, -sw, 1], offset: (h - 1) * sh + (w - 1) * sw };
  return { shape: [w, h, c], strides: [sw, -sh, 1], offset: (h - 1) * sh };
}

function layoutPermute(op: string, dtype: DType, shape: number[], axes: number[], withAxes = true): Scenario {
  const axesText = op === 'permute' ? `,axes=${axes.join(',')}` : '';
  return {
    name: `layout:op=${op},dtype=${dtype},shape=${shape.join('x')}${axesText}`,
    group: 'layout',
    dtype,
    baseShape: shape,
    view: permuted(shape, axes),
    default: true,
    ...(withAxes ? { axes } : {}),
  };
}

/** A small seeded generator (mulberry32): the random layouts are the same for the same seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of the random layouts when none is given (--seed=N draws others). */
export const DEFAULT_LAYOUT_SEED = 20261122;

const MIB = 1024 * 1024;

/**
 * Odd extents whose product times `itemsize` is `bytes` or a little more, each at least 3 and the
 * largest at most `maxRatio` times the smallest (for rank 2: non-square, at least 1.2:1).
 */
function oddShape(rand: () => number, rank: number, itemsize: number, bytes: number): number[] {
  const items = bytes / itemsize;
  for (;;) {
    const logs = Array.from({ length: rank }, () => rand() * 2 - 1); // spread of the extents' logs
    const mean = logs.reduce((a, b) => a + b, 0) / rank;
    const shape = logs.map((l) => Math.max(3, Math.round(Math.exp(Math.log(items) / rank + (l - mean) * 0.9)) | 1));
    const ratio = Math.max(...shape) / Math.min(...shape);
    if (ratio <= 8 && (rank !== 2 || ratio >= 1.2)) return shape;
  }
}

/**
 * The layouts suite: channel moves (HWC<->CHW with 1, 3 and 4 channels), NCHW<->NHWC, RGBA
 * rotations, RGB rotations (uint8 and float32 pixels), the non-square transposes, 3-D permutations in all six axis orders, and per
 * item size two 2-D transposes and one 3-D permutation of odd extents drawn from `seed`, each of
 * 8 to 24 MiB.
 */
export function layoutScenarios(seed = DEFAULT_LAYOUT_SEED): Scenario[] {
  const out: Scenario[] = [];
  // one channel is a plain copy (the planner's merge must see it); 2048 x 4096 keeps it at 8 MiB
  for (const c of [1, 3, 4]) out.push(layoutPermute('hwc2chw', 'uint8', [2048, c === 1 ? 4096 : 2048, c], [2, 0, 1]));
  for (const c of [1, 3, 4]) out.push(layoutPermute('chw2hwc', 'uint8', [c, 2048, c === 1 ? 4096 : 2048], [1, 2, 0]));
  out.push(layoutPermute('hwc2chw', 'float32', [1024, 1024, 3], [2, 0, 1]));
  out.push(layoutPermute('chw2hwc', 'float32', [3, 1024, 1024], [1, 2, 0]));
  out.push(layoutPermute('hwc2chw', 'uint16', [1024, 2048, 4], [2, 0, 1]));
  out.push(layoutPermute('nchw2nhwc', 'float32', [8, 64, 112, 112], [0, 2, 3, 1]));
  out.push(layoutPermute('nhwc2nchw', 'float32', [8, 112, 112, 64], [0, 3, 1, 2]));
  for (const degrees of [90, 180, 270] as const) {
    out.push({
      name: `layout:op=rot${degrees},dtype=uint8,image=1920x1080x4`,
      group: 'layout',
      dtype: 'uint8',
      baseShape: [1080, 1920, 4],
      view: rotated(1080, 1920, 4, degrees),
      default: true,
    });
  }
  // RGB pixels rotated (3-byte and 12-byte items): a 4K frame of uint8, an HD frame of float32
  for (const [dtype, w, h] of [
    ['uint8', 3840, 2160],
    ['float32', 1920, 1080],
  ] as const) {
    out.push({
      name: `layout:op=rot90,dtype=${dtype},image=${w}x${h}x3`,
      group: 'layout',
      dtype,
      baseShape: [h, w, 3],
      view: rotated(h, w, 3, 90),
      default: true,
    });
  }
  out.push(layoutPermute('transpose', 'uint8', [3001, 4999], [1, 0]));
  out.push(layoutPermute('transpose', 'uint16', [4096, 2048], [1, 0]));
  out.push(layoutPermute('transpose', 'float32', [1999, 3001], [1, 0]));
  out.push(layoutPermute('transpose', 'float64', [1500, 2500], [1, 0]));
  for (const axes of [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ]) {
    out.push(layoutPermute('permute', 'float32', [120, 160, 200], axes));
  }
  const rand = random(seed);
  const orders = [
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ];
  for (const dtype of ['uint8', 'uint16', 'float32', 'float64'] as const) {
    const itemsize = DTYPES[dtype].itemsize;
    for (let k = 0; k < 2; k++) {
      out.push(layoutPermute('transpose', dtype, oddShape(rand, 2, itemsize, (8 + 16 * rand()) * MIB), [1, 0]));
    }
    const axes = orders[Math.floor(rand() * orders.length)];
    out.push(layoutPermute('permute', dtype, oddShape(rand, 3, itemsize, (8 + 16 * rand()) * MIB), axes));
  }
  return out;
}

export function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function transpose2(dtype: DType, n: number, def = true): Scenario {
  return {
    name: `transpose:dtype=${dtype},shape=${n}x${n}`,
    group: 'transpose',
    dtype,
    baseShape: [n, n],
    view: permuted([n, n], [1, 0]),
    default: def,
  };
}

function step1(step: number, n: number): Scenario {
  return {
    name: `step:dtype=float32,shape=${n},step=${step}`,
    group: 'step',
    dtype: 'float32',
    baseShape: [n],
    view: sliced([n], [0], [Math.ceil(n / step)], [step]),
    default: true,
  };
}

function step2(step: number, n: number): Scenario {
  const m = Math.ceil(n / step);
  return {
    name: `step:dtype=float32,shape=${n}x${n},step=${step}`,
    group: 'step',
    dtype: 'float32',
    baseShape: [n, n],
    view: sliced([n, n], [0, 0], [m, m], [step, step]),
    default: true,
  };
}

const H = 1080;
const W = 1920;

/** Every scenario (the layouts suite's random ones drawn from `seed`); the default run is those with `default: true`. */
export function scenarios(seed = DEFAULT_LAYOUT_SEED): Scenario[] {
  return [...CLASSIC, ...layoutScenarios(seed)];
}

const CLASSIC: Scenario[] = [
  transpose2('float32', 4096),
  transpose2('float32', 4097),
  transpose2('float64', 2048),
  transpose2('uint8', 4096),
  transpose2('float32', 512),
  {
    name: `crop:dtype=uint8,image=${W}x${H}x4,box=1600x900+200+100`,
    group: 'image',
    dtype: 'uint8',
    baseShape: [H, W, 4],
    view: sliced([H, W, 4], [100, 200, 0], [900, 1600, 4], [1, 1, 1]),
    default: true,
  },
  {
    name: `flip:dtype=uint8,image=${W}x${H}x4,axis=horizontal`,
    group: 'image',
    dtype: 'uint8',
    baseShape: [H, W, 4],
    view: sliced([H, W, 4], [0, W - 1, 0], [H, W, 4], [1, -1, 1]),
    default: true,
  },
  {
    name: 'permute:dtype=float32,shape=256x256x256,axes=2,0,1',
    group: 'permute',
    dtype: 'float32',
    baseShape: [256, 256, 256],
    view: permuted([256, 256, 256], [2, 0, 1]),
    default: true,
  },
  {
    name: 'permute:dtype=float32,shape=256x256x256,axes=1,2,0',
    group: 'permute',
    dtype: 'float32',
    baseShape: [256, 256, 256],
    view: permuted([256, 256, 256], [1, 2, 0]),
    default: true,
  },
  step1(2, 1 << 23),
  step1(3, 1 << 23),
  step2(2, 4096),
  step2(3, 4096),
  // rows reached through a table of row pointers (suboffsets [0, -1]), as PIL images
  {
    name: 'pil:dtype=float32,shape=1024x1024,suboffsets=0,-1',
    group: 'pil',
    dtype: 'float32',
    baseShape: [1024, 1024],
    view: permuted([1024, 1024], [0, 1]),
    default: true,
  },
  {
    name: 'tobytes:dtype=uint8,shape=67108864',
    group: 'contiguous',
    dtype: 'uint8',
    baseShape: [1 << 26],
    view: permuted([1 << 26], [0]),
    default: true,
  },
  {
    name: 'small-view:dtype=uint8,shape=64,calls=fromObject+getContiguous+release',
    group: 'small',
    dtype: 'uint8',
    baseShape: [64],
    view: permuted([64], [0]),
    default: true,
  },
];
