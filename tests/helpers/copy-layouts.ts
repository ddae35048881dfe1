// Random strided layouts for the copy planner's property tests: each operand is a view of its
// own base array, with its axes permuted, stepped and reversed at random, so the planner meets
// transposes, crops, flips, step slices and their mixtures in any number of dims.
import fc from 'fast-check';

/** One operand's layout relative to its block: the offset of item [0, ..., 0] and strides. */
export interface LayoutSpec {
  offset: number;
  strides: number[];
  /** Bytes the layout can reach from the start of its block. */
  span: number;
}

/** A copy: extents, item size, and the two operands' layouts. */
export interface CopyCase {
  shape: number[];
  itemsize: number;
  dst: LayoutSpec;
  src: LayoutSpec;
}

interface AxisChoice {
  perm: number[];
  steps: number[];
  flips: boolean[];
  pad: number;
}

/** Builds the layout of `shape` inside a base array whose axes are `perm` of the view's. */
export function layoutOf(shape: readonly number[], itemsize: number, choice: AxisChoice): LayoutSpec {
  const ndim = shape.length;
  const strides = new Array<number>(ndim).fill(0);
  // base extents in base-axis order (perm[0] outermost), with a step on each and padding inside
  let sd = itemsize + choice.pad * itemsize;
  for (let b = ndim - 1; b >= 0; b--) {
    const axis = choice.perm[b];
    strides[axis] = sd * choice.steps[axis];
    sd *= Math.max(1, shape[axis] * choice.steps[axis]);
  }
  let offset = 0;
  for (let i = 0; i < ndim; i++) {
    if (choice.flips[i]) {
      offset += strides[i] * Math.max(0, shape[i] - 1);
      strides[i] = -strides[i];
    }
  }
  return { offset, strides, span: sd };
}

function axisChoice(ndim: number): fc.Arbitrary<AxisChoice> {
  const indices = Array.from({ length: ndim }, (_, i) => i);
  return fc.record({
    perm: fc.shuffledSubarray(indices, { minLength: ndim, maxLength: ndim }),
    steps: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: ndim, maxLength: ndim }),
    flips: fc.array(fc.boolean(), { minLength: ndim, maxLength: ndim }),
    pad: fc.integer({ min: 0, max: 2 }),
  });
}

/** Random copies of 0 to 4 dims; `maxExtent` bounds each extent (large enough for SIMD tiles). */
export function copyCases(maxExtent = 40): fc.Arbitrary<CopyCase> {
  return fc
    .integer({ min: 0, max: 4 })
    .chain((ndim) => {
      const extent = ndim <= 2 ? maxExtent : Math.min(maxExtent, 9);
      return fc.record({
        shape: fc.array(fc.oneof(fc.constant(1), fc.integer({ min: 1, max: extent })), {
          minLength: ndim,
          maxLength: ndim,
        }),
        itemsize: fc.constantFrom(1, 2, 3, 4, 8, 16, 5, 12),
        dstChoice: axisChoice(ndim),
        srcChoice: axisChoice(ndim),
      });
    })
    .map(({ shape, itemsize, dstChoice, srcChoice }) => ({
      shape,
      itemsize,
      dst: layoutOf(shape, itemsize, dstChoice),
      src: layoutOf(shape, itemsize, srcChoice),
    }));
}

/** A pseudo-random byte pattern (xorshift), reproducible from its seed. */
export function pattern(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * The index of the first byte where `a` and `b` differ, or -1; arrays of different lengths differ
 * at the shorter one's end. Tests compare heap blocks with it: toEqual takes about 2 s a megabyte
 * and the random layouts reach several.
 */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/**
 * The copy as plain JS semantics define it: read every source item first (a snapshot), then
 * write them in C order, so overlapping operands behave as through a temporary.
 */
export function expectedCopy(memory: Uint8Array, c: CopyCase, dstBase: number, srcBase: number): Uint8Array {
  const out = memory.slice();
  const ndim = c.shape.length;
  const total = c.shape.reduce((a, b) => a * b, 1);
  const index = new Array<number>(ndim).fill(0);
  const items: Array<[number, Uint8Array]> = [];
  for (let e = 0; e < total; e++) {
    let d = dstBase + c.dst.offset;
    let s = srcBase + c.src.offset;
    for (let i = 0; i < ndim; i++) {
      d += index[i] * c.dst.strides[i];
      s += index[i] * c.src.strides[i];
    }
    items.push([d, memory.slice(s, s + c.itemsize)]);
    for (let i = ndim - 1; i >= 0; i--) {
      if (++index[i] < c.shape[i]) break;
      index[i] = 0;
    }
  }
  for (const [d, bytes] of items) out.set(bytes, d);
  return out;
}
