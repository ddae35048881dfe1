// Float16Array exports as format 'e' where the engine has it, and nothing breaks where it does
// not (Node 20). The library is loaded while no Float16Array exists, as on Node 20; then each
// implementation available here is installed: a stand-in (a Uint16Array subclass holding the
// half-precision bits, so the 'e' path runs on every engine) and the engine's own when it has one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Lib = typeof import('../src/index.js');
type HalfArray = Uint16Array | (ArrayLike<number> & ArrayBufferView);
type HalfCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => HalfArray;

const g = globalThis as { Float16Array?: HalfCtor };
const native = g.Float16Array;
let lib: Lib;

/** A stand-in for engines without Float16Array: the same name and item size, holding raw bits. */
class StandInFloat16Array extends Uint16Array {}
Object.defineProperty(StandInFloat16Array, 'name', { value: 'Float16Array' });

// 1.0, -2.0, 0.5 and +infinity in IEEE binary16
const BITS = [0x3c00, 0xc000, 0x3800, 0x7c00];
const VALUES = [1, -2, 0.5, Infinity];

beforeAll(async () => {
  delete g.Float16Array;
  lib = await import('../src/index.js');
  await lib.init();
});

afterAll(() => {
  if (native === undefined) delete g.Float16Array;
  else g.Float16Array = native;
});

describe('without Float16Array', () => {
  it('a half-precision view cannot be handed out as a TypedArray, and says why', () => {
    const p = lib.capi.PyMem_Malloc(8);
    try {
      const v = lib.StridedView.over({ ptr: p, len: 8 }, { shape: [4], format: 'e' });
      expect(() => v.asNdarrayLike()).toThrow(lib.NotImplementedError);
      expect(() => v.asNdarrayLike()).toThrow(/needs Float16Array, which this engine lacks/);
      // half-precision items are still readable through the buffer protocol
      new Uint16Array(lib.runtimeMemory().buffer, p, 4).set(BITS);
      using h = lib.MemoryView.fromObject(new Uint16Array(lib.runtimeMemory().buffer, p, 4));
      using bytes = h.cast('B');
      using m = bytes.cast('e');
      expect([h.format, m.tolist()]).toEqual(['H', VALUES]);
    } finally {
      lib.capi.PyMem_Free(p);
    }
  });
});

const implementations: Array<readonly [string, HalfCtor, (a: HalfArray) => void]> = [
  ['a stand-in installed after the library loaded', StandInFloat16Array, (a) => (a as Uint16Array).set(BITS)],
];
if (native !== undefined) {
  implementations.push([
    "the engine's own Float16Array",
    native,
    (a) => {
      for (let i = 0; i < 4; i++) (a as unknown as number[])[i] = VALUES[i] as number;
    },
  ]);
}

describe.each(implementations)('with %s', (_name, ctor, fill) => {
  beforeAll(() => {
    g.Float16Array = ctor;
  });

  it("a Float16Array over runtime memory exports format 'e' with 2-byte items", () => {
    const p = lib.capi.PyMem_Malloc(8);
    try {
      const arr = new ctor(lib.runtimeMemory().buffer, p, 4);
      fill(arr);
      using m = lib.MemoryView.fromObject(arr);
      expect([m.format, m.itemsize, m.shape, m.tolist()]).toEqual(['e', 2, [4], VALUES]);
      const v = lib.StridedView.over(arr, { shape: [4], strides: [-2], offset: 6 });
      expect(v.format).toBe('e');
      const nd = v.asNdarrayLike();
      expect([nd.data instanceof ctor, nd.dtype, nd.stride, nd.offset]).toEqual([true, 'float16', [-1], 3]);
    } finally {
      lib.capi.PyMem_Free(p);
    }
  });

  it('copyLayout and transpose move 2-byte items of a plain Float16Array', () => {
    const arr = new ctor(new ArrayBuffer(8), 0, 4);
    fill(arr);
    const flipped = lib.copyLayout(arr as unknown as Uint16Array, { shape: [4], strides: [-1], offset: 3 });
    expect(flipped.constructor).toBe(ctor);
    const t = lib.transpose(arr as unknown as Uint16Array, [2, 2]);
    const bits = (x: ArrayBufferView): number[] => [...new Uint16Array(x.buffer, x.byteOffset, 4)];
    const b = bits(arr);
    expect([bits(flipped), bits(t)]).toEqual([
      [b[3], b[2], b[1], b[0]],
      [b[0], b[2], b[1], b[3]],
    ]);
  });
});
