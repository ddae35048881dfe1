// Bytes and ByteArray: construction from every source, Python's errors, and extend().
import { beforeAll, describe, expect, it } from 'vitest';
import { ByteArray, Bytes, MemoryView, NDArray, ND, init, slice } from '../src/index.js';
import { heapU8 } from '../src/wasm/runtime.js';
import { errorOf } from './helpers/errors.js';

beforeAll(async () => { await init(); });

describe('Bytes and ByteArray are built', () => {
  const sources: Array<[string, () => unknown, number[]]> = [
    ['from a Uint8Array', () => new Uint8Array([1, 2, 3]), [1, 2, 3]],
    ['from another TypedArray, by its bytes', () => new Uint16Array([0x0201]), [1, 2]],
    ['from an ArrayBuffer', () => new Uint8Array([4, 5]).buffer, [4, 5]],
    ['from an array of byte values', () => [7, 8, 9], [7, 8, 9]],
    ['from an iterable', () => new Set([1, 2]), [1, 2]],
    ['from a size, as zeros', () => 3, [0, 0, 0]],
    ['from a Latin-1 string', () => 'a\xff', [97, 255]],
    ['from a strided memoryview, in C order (bytes(memoryview))', () => {
      const nd = new NDArray([1, 2, 3, 4, 5, 6], { shape: [6] });
      return MemoryView.fromObject(nd).get(slice(null, null, 2));
    }, [1, 3, 5]],
    ['from a Fortran NDArray, in C order', () => new NDArray([1, 2, 3, 4], { shape: [2, 2], flags: ND.FORTRAN }), [1, 3, 2, 4]],
  ];
  for (const [name, make, expected] of sources) {
    it(name, () => {
      for (const Kind of [Bytes, ByteArray]) {
        const value = Kind.from(make() as never);
        expect(Array.from(value.toUint8Array())).toEqual(expected);
        value.dispose();
      }
    });
  }

  it('from bytes of linear memory itself, even when the allocation grows memory', () => {
    // 1.5x the memory: the allocator grows by at most max(size, memory), leaving less than this free
    const big = new ByteArray(Math.floor(heapU8().length * 1.5));
    big.setAt(-1, 42);
    const inside = new Uint8Array(heapU8().buffer, big.address, big.length);
    const sizeBefore = heapU8().length;
    const copy = new Bytes(inside); // needs as much again: memory grows and `inside` detaches
    expect(heapU8().length).toBeGreaterThan(sizeBefore);
    expect([copy.length, copy.at(-1)]).toEqual([big.length, 42]);
    copy.dispose();
    big.dispose();
  });
});

describe('Bytes and ByteArray refuse', () => {
  const cases: Array<[string, () => unknown, [string, string]]> = [
    ['a non-integer size', () => new Bytes(1.5), ['TypeError', "cannot convert 'float' object to bytes"]],
    ['a negative size', () => new Bytes(-1), ['ValueError', 'negative count']],
    ['a plain object', () => new Bytes({} as never), ['TypeError', "cannot convert 'Object' object to bytes"]],
    ['values out of range', () => new Bytes([256]), ['ValueError', 'bytes must be in range(0, 256)']],
    ['non-integer values', () => new Bytes([1.5]), ['TypeError', "'float' object cannot be interpreted as an integer"]],
    ['characters above U+00FF', () => new Bytes('\u0100'), ['ValueError', 'bytes must be in range(0, 256)']],
    ['extend with a number', () => new ByteArray(1).extend(5), ['TypeError', "can't extend bytearray with int"]],
    ['extend with a plain object', () => new ByteArray(1).extend({} as never), ['TypeError', "can't extend bytearray with Object"]],
    ['extend with a byte out of range', () => new ByteArray(1).extend([256]), ['ValueError', 'byte must be in range(0, 256)']],
  ];
  for (const [name, fn, expected] of cases) {
    it(`${name}, with Python's error`, () => {
      expect(errorOf(fn)).toEqual(expected);
    });
  }
});

describe('ByteArray.extend', () => {
  it('appends any exporter, including itself', () => {
    const ba = new ByteArray([1, 2]);
    ba.extend(ba);
    const b = new Bytes([9]);
    ba.extend(b);
    expect(Array.from(ba.toUint8Array())).toEqual([1, 2, 1, 2, 9]);
    b.dispose();
    ba.dispose();
  });
});
