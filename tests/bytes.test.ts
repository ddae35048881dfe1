// Bytes and ByteArray: construction from every source, Python's errors, and extend().
import { beforeAll, describe, expect, it } from 'vitest';
import { ByteArray, Bytes, MemoryView, NDArray, ND, init, slice } from '../src/index.js';
import { heapU8 } from '../src/wasm/heap.js';
import { errorOf } from './helpers/errors.js';

beforeAll(async () => {
  await init();
});

describe('Bytes and ByteArray are built', () => {
  const sources: Array<[string, () => unknown, number[]]> = [
    ['from a Uint8Array', () => new Uint8Array([1, 2, 3]), [1, 2, 3]],
    ['from another TypedArray, by its bytes', () => new Uint16Array([0x0201]), [1, 2]],
    ['from an ArrayBuffer', () => new Uint8Array([4, 5]).buffer, [4, 5]],
    ['from an array of byte values', () => [7, 8, 9], [7, 8, 9]],
    ['from an iterable', () => new Set([1, 2]), [1, 2]],
    ['from a size, as zeros', () => 3, [0, 0, 0]],
    ['from a Latin-1 string', () => 'a\xff', [97, 255]],
    [
      'from a strided memoryview, in C order (bytes(memoryview))',
      () => {
        const nd = new NDArray([1, 2, 3, 4, 5, 6], { shape: [6] });
        return MemoryView.fromObject(nd).get(slice(null, null, 2));
      },
      [1, 3, 5],
    ],
    [
      'from a Fortran NDArray, in C order',
      () => new NDArray([1, 2, 3, 4], { shape: [2, 2], flags: ND.FORTRAN }),
      [1, 3, 2, 4],
    ],
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
    [
      'extend with a plain object',
      () => new ByteArray(1).extend({} as never),
      ['TypeError', "can't extend bytearray with Object"],
    ],
    [
      'extend with a byte out of range',
      () => new ByteArray(1).extend([256]),
      ['ValueError', 'byte must be in range(0, 256)'],
    ],
  ];
  for (const [name, fn, expected] of cases) {
    it(`${name}, with Python's error`, () => {
      expect(errorOf(fn)).toEqual(expected);
    });
  }
});

describe('a size that is a bigint or a boolean is a Python int, as bytes(n) and bytearray(n) take it', () => {
  // bytes(3), bytearray(True), bytes(False), bytes(-1), bytes(2**31), bytes(-2**64),
  // bytes(2**31 - 1), bytearray(2**31 - 1), and bytearray(b'\x01').extend(True), in Pyodide 314.0.7
  it.each([
    ['3n', () => new Bytes(3n), [0, 0, 0]],
    ['true', () => new ByteArray(true), [0]],
    ['false', () => Bytes.from(false), []],
    ['2n (ByteArray.from)', () => ByteArray.from(2n), [0, 0]],
  ] as const)('%s gives that many zero bytes', (_what, make, bytes) => {
    using b = make();
    expect(Array.from(b.toUint8Array())).toEqual(bytes);
  });

  const refused: Array<[string, () => unknown, [string, string]]> = [
    ['-1n', () => new Bytes(-1n), ['ValueError', 'negative count']],
    ['2n**31n', () => new Bytes(2n ** 31n), ['OverflowError', "cannot fit 'int' into an index-sized integer"]],
    [
      '-(2n**64n)',
      () => new ByteArray(-(2n ** 64n)),
      ['OverflowError', "cannot fit 'int' into an index-sized integer"],
    ],
    [
      '-(2**40), past Py_ssize_t before negative',
      () => new Bytes(-(2 ** 40)),
      ['OverflowError', "cannot fit 'int' into an index-sized integer"],
    ],
    ['2n**31n - 1n for bytes', () => new Bytes(2n ** 31n - 1n), ['OverflowError', 'byte string is too large']],
    ['2n**31n - 1n for bytearray', () => new ByteArray(2n ** 31n - 1n), ['MemoryError', '']],
    ['extend(true)', () => new ByteArray(1).extend(true), ['TypeError', "can't extend bytearray with bool"]],
    ['extend(1n)', () => new ByteArray(1).extend(1n), ['TypeError', "can't extend bytearray with int"]],
  ];
  it.each(refused)("refuses %s with Python's error", (_what, fn, expected) => {
    expect(errorOf(fn)).toEqual(expected);
  });
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

describe('at(index) and setAt(index, value) are b[index] and b[index] = value', () => {
  // Pyodide 314.0.7, with ba = bytearray(b'ab')
  it.each([
    ["b'ab'[1.5]", () => new Bytes('ab').at(1.5), ['TypeError', 'byte indices must be integers or slices, not float']],
    [
      "bytearray(b'ab')[1.5]",
      () => new ByteArray('ab').at(1.5),
      ['TypeError', 'bytearray indices must be integers or slices, not float'],
    ],
    [
      "b'ab'[None]",
      () => new Bytes('ab').at(null as never),
      ['TypeError', 'byte indices must be integers or slices, not NoneType'],
    ],
    ["b'ab'[5]", () => new Bytes('ab').at(5), ['IndexError', 'index out of range']],
    ["bytearray(b'ab')[5]", () => new ByteArray('ab').at(5), ['IndexError', 'bytearray index out of range']],
    ["b'ab'[2**31]", () => new Bytes('ab').at(2 ** 31), ['IndexError', "cannot fit 'int' into an index-sized integer"]],
    [
      "bytearray(b'ab')[-2**31 - 1]",
      () => new ByteArray('ab').at((-(2n ** 31n) - 1n) as never),
      ['IndexError', "cannot fit 'int' into an index-sized integer"],
    ],
    [
      'ba[5] = 256 (the value is checked first)',
      () => new ByteArray('ab').setAt(5, 256),
      ['ValueError', 'byte must be in range(0, 256)'],
    ],
    [
      'ba[5] = 1.5',
      () => new ByteArray('ab').setAt(5, 1.5),
      ['TypeError', "'float' object cannot be interpreted as an integer"],
    ],
    [
      'ba[1.5] = 256 (the index type first)',
      () => new ByteArray('ab').setAt(1.5, 256),
      ['TypeError', 'bytearray indices must be integers or slices, not float'],
    ],
    [
      'ba[None] = 1',
      () => new ByteArray('ab').setAt(null as never, 1),
      ['TypeError', 'bytearray indices must be integers or slices, not NoneType'],
    ],
    [
      'ba[0] = 2**64',
      () => new ByteArray('ab').setAt(0, (2n ** 64n) as never),
      ['ValueError', 'byte must be in range(0, 256)'],
    ],
    [
      'ba[2**64] = 2**64',
      () => new ByteArray('ab').setAt((2n ** 64n) as never, (2n ** 64n) as never),
      ['IndexError', "cannot fit 'int' into an index-sized integer"],
    ],
  ] as const)('%s raises as CPython', (_what, f, error) => {
    expect(errorOf(f)).toEqual(error);
  });

  it('takes booleans as the ints 1 and 0, for the index and the value', () => {
    // b'ab'[True] is 98; ba[True] = 120 then ba[0] = True make bytearray(b'\x01x')
    using b = new Bytes('ab');
    expect([b.at(true as never), b.at(-2)]).toEqual([98, 97]);
    using ba = new ByteArray('ab');
    ba.setAt(true as never, 120);
    ba.setAt(0, true as never);
    expect(Array.from(ba.toUint8Array())).toEqual([1, 120]);
  });
});

describe('items of an iterable source are any Python int, with the messages of bytes(), bytearray() and extend()', () => {
  // Pyodide 314.0.7: bytes([True, 2]) is b'\x01\x02', bytearray([False, 255]) b'\x00\xff';
  // bytes([2**64]) raises "bytes must be in range(0, 256)", bytearray([-1]) "byte must be ...";
  // bytearray(1.5) and bytearray(None) "cannot convert 'float' object to bytearray" and
  // "... 'NoneType' object to bytearray"; ba.append(True), ba.extend([True]) append b'\x01',
  // ba.append(2**64) raises ValueError "byte must be in range(0, 256)"
  it('takes bools and bigints as ints', () => {
    using b = new Bytes([true, 2] as never);
    using ba = new ByteArray([false, 255] as never);
    expect([Array.from(b.toUint8Array()), Array.from(ba.toUint8Array())]).toEqual([
      [1, 2],
      [0, 255],
    ]);
    ba.append(true as never);
    ba.extend([true] as never);
    expect(Array.from(ba.toUint8Array())).toEqual([0, 255, 1, 1]);
    expect(errorOf(() => ba.append((2n ** 64n) as never))).toEqual(['ValueError', 'byte must be in range(0, 256)']);
  });

  it.each([
    ['bytes([2**64])', () => new Bytes([2n ** 64n] as never), ['ValueError', 'bytes must be in range(0, 256)']],
    ['bytearray([-1])', () => new ByteArray([-1]), ['ValueError', 'byte must be in range(0, 256)']],
    ['bytearray(1.5)', () => new ByteArray(1.5), ['TypeError', "cannot convert 'float' object to bytearray"]],
    [
      'bytearray(None)',
      () => new ByteArray(null as never),
      ['TypeError', "cannot convert 'NoneType' object to bytearray"],
    ],
    ['bytes(None)', () => new Bytes(null as never), ['TypeError', "cannot convert 'NoneType' object to bytes"]],
  ] as const)('%s raises as CPython', (_what, f, error) => {
    expect(errorOf(f)).toEqual(error);
  });
});
