// struct.pack_into into any writable bytes-like object ("w*") and struct.iter_unpack, against
// CPython 3.14 for wasm32: the expected values and messages are Pyodide 314.0.7's, with
// bytearray, memoryview and _testbuffer's ndarray in the place of ByteArray, MemoryView and
// NDArray.
import { beforeAll, describe, expect, it } from 'vitest';
import { Struct, iterUnpack, packInto, StructUnpackIterator } from '../src/struct.js';
import { ByteArray, Bytes, MemoryView, ND, NDArray, init, slice, struct } from '../src/index.js';
import { errorOf } from './helpers/errors.js';

beforeAll(async () => {
  await init();
});

const bytesOf = (obj: ByteArray | MemoryView | NDArray): number[] => {
  using m = MemoryView.fromObject(obj);
  return Array.from(m.tobytes());
};

describe('struct.pack_into takes any writable bytes-like object', () => {
  it('packs into JS memory where it is: a DataView, any TypedArray, an ArrayBuffer', () => {
    const u8 = new Uint8Array(6);
    packInto('<h', u8, 1, -2);
    expect(Array.from(u8)).toEqual([0, 254, 255, 0, 0, 0]);
    const i32 = new Int32Array(2);
    packInto('<i', i32, 4, 7); // struct.pack_into('<i', array('i', [0, 0]), 4, 7)
    expect(Array.from(i32)).toEqual([0, 7]);
    const ab = new ArrayBuffer(4);
    new Struct('<H').packInto(ab, -2, [0x0102]);
    expect(Array.from(new Uint8Array(ab))).toEqual([0, 0, 2, 1]);
    // a view into the middle of its buffer writes its own bytes only
    const whole = new Uint8Array(8);
    packInto('<I', whole.subarray(2, 6), 0, 0xffffffff);
    expect(Array.from(whole)).toEqual([0, 0, 255, 255, 255, 255, 0, 0]);
  });

  it("packs into an exporter's writable C-contiguous buffer and gives the buffer back", () => {
    // nd = ndarray([0, 0, 0, 0], shape=[4], format='B', flags=ND_WRITABLE); struct.pack_into('<h', nd, 1, -2)
    using nd = new NDArray([0, 0, 0, 0], { shape: [4], format: 'B', flags: ND.WRITABLE });
    packInto('<h', nd, 1, -2);
    expect(nd.tolist()).toEqual([0, 254, 255, 0]);
    using ba = new ByteArray(4);
    packInto('<hh', ba, 0, 1, 2);
    expect(bytesOf(ba)).toEqual([1, 0, 2, 0]);
    // every export ended: the bytearray resizes again
    ba.append(9);
    expect(ba.length).toBe(5);
    // memoryview(bytearray(8)).cast('i', (2, 1)): 2-D and C-contiguous; pack_into at -4 writes item (1, 0)
    using storage = new ByteArray(8);
    using m = MemoryView.fromObject(storage).cast('i', [2, 1]);
    packInto('<i', m, -4, 9);
    expect(bytesOf(m)).toEqual([0, 0, 0, 0, 9, 0, 0, 0]);
  });

  it('refuses read-only, non-contiguous and released buffers and non-buffers with TypeError, before the offset', () => {
    const refused = (what: string): [string, string] => [
      'TypeError',
      `argument must be read-write bytes-like object, not ${what}`,
    ];
    using b = new Bytes([1, 2]);
    // struct.pack_into('h', b'ab', 'x', 1): the buffer is checked before the offset
    expect(errorOf(() => packInto('h', b, 'x' as never, 1))).toEqual(refused('bytes'));
    using ro = MemoryView.fromObject(new ByteArray(4)).toreadonly();
    expect(errorOf(() => packInto('h', ro, 0, 1))).toEqual(refused('memoryview'));
    using rw = MemoryView.fromObject(new ByteArray(8));
    using strided = rw.get(slice(null, null, 2));
    expect(errorOf(() => packInto('h', strided, 0, 1))).toEqual(refused('memoryview'));
    const released = MemoryView.fromObject(new ByteArray(4));
    released.release();
    expect(errorOf(() => packInto('h', released, 0, 1))).toEqual(refused('memoryview'));
    using readonlyNd = new NDArray([0, 0, 0, 0], { shape: [4], format: 'B' });
    expect(errorOf(() => packInto('<h', readonlyNd, 1, -2))).toEqual(refused('ndarray'));
    expect(errorOf(() => packInto('h', 5 as never, 0, 1))).toEqual(refused('int'));
    expect(errorOf(() => packInto('h', 'abcd' as never, 0, 1))).toEqual(refused('str'));
    // the writable views that were refused are unchanged, and their exporters released
    expect(bytesOf(rw)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect([rw.exports, strided.exports]).toEqual([0, 0]);
    // struct.pack_into('h', bytearray(2), 'x', 1): then the offset's own error
    using ba = new ByteArray(2);
    expect(errorOf(() => packInto('h', ba, 'x' as never, 1))).toEqual([
      'TypeError',
      "'str' object cannot be interpreted as an integer",
    ]);
    ba.append(1); // released after the error too
  });

  it("keeps the items packed before a bad one, as CPython's loop does", () => {
    // ba = bytearray(4); struct.pack_into('<hh', ba, 0, 1, 'x') -> bytearray(b'\x01\x00\x00\x00')
    using ba = new ByteArray([7, 7, 7, 7]);
    expect(errorOf(() => packInto('<hh', ba, 0, 1, 'x'))).toEqual([
      'struct.error',
      'required argument is not an integer',
    ]);
    expect(bytesOf(ba)).toEqual([1, 0, 0, 0]);
  });

  it('names the argument left out: the buffer, then the offset, then the items', () => {
    // struct.pack_into('h'), struct.pack_into('h', 5), struct.pack_into('h', bytearray(2), 0)
    expect(errorOf(() => (packInto as (f: string) => void)('h'))).toEqual([
      'struct.error',
      'pack_into expected buffer argument',
    ]);
    expect(errorOf(() => (packInto as (f: string, b: unknown) => void)('h', 5))).toEqual([
      'struct.error',
      'pack_into expected offset argument',
    ]);
    expect(errorOf(() => packInto('h', new Uint8Array(2), 0))).toEqual([
      'struct.error',
      'pack_into expected 1 items for packing (got 0)',
    ]);
  });
});

describe('struct.iter_unpack', () => {
  it('unpacks each struct of the buffer in turn, for JS memory and exporters alike', () => {
    // list(struct.Struct('<hb').iter_unpack(bytes(range(6))))
    const expected = [
      [256, 2],
      [1027, 5],
    ];
    const raw = Uint8Array.from([0, 1, 2, 3, 4, 5]);
    expect([...new Struct('<hb').iterUnpack(raw)]).toEqual(expected);
    expect([...iterUnpack('<hb', raw.buffer)]).toEqual(expected);
    expect([...struct.iterUnpack('<hb', new DataView(raw.buffer))]).toEqual(expected);
    using b = new Bytes(raw);
    expect([...iterUnpack('<hb', b)]).toEqual(expected);
    expect([...iterUnpack('<h', new Uint8Array(0))]).toEqual([]);
    expect(iterUnpack('<h', raw)).toBeInstanceOf(StructUnpackIterator);
  });

  it('reads the buffer as it is at each step, holds the export until the end, and hints the length left', () => {
    // ba = bytearray(b'\x01\x00\x02\x00'); it = struct.iter_unpack('<h', ba); next(it); ba[2] = 9; next(it)
    using ba = new ByteArray([1, 0, 2, 0]);
    const it = iterUnpack('<h', ba);
    expect(it.lengthHint()).toBe(2);
    expect(it.next()).toEqual({ done: false, value: [1] });
    expect(it.lengthHint()).toBe(1);
    ba.setAt(2, 9);
    // the bytearray cannot resize while the iterator holds its buffer
    expect(errorOf(() => ba.append(1))).toEqual(['BufferError', 'Existing exports of data: object cannot be re-sized']);
    expect(it.next()).toEqual({ done: false, value: [9] });
    expect(it.next()).toEqual({ done: true, value: undefined });
    expect(it.lengthHint()).toBe(0);
    ba.append(1);
    expect(ba.length).toBe(5);
  });

  it('gives the buffer back when a loop leaves early', () => {
    using ba = new ByteArray([1, 0, 2, 0, 3, 0]);
    for (const items of iterUnpack('<h', ba)) {
      expect(items).toEqual([1]);
      break;
    }
    ba.append(0);
    expect(ba.length).toBe(7);
  });

  it("raises CPython's errors: a struct of no bytes, a buffer not a whole number of structs, no buffer", () => {
    expect(errorOf(() => iterUnpack('', new Uint8Array(2)))).toEqual([
      'struct.error',
      'cannot iteratively unpack with a struct of length 0',
    ]);
    expect(errorOf(() => iterUnpack('0h', new Uint8Array(0)))).toEqual([
      'struct.error',
      'cannot iteratively unpack with a struct of length 0',
    ]);
    using ba = new ByteArray(3);
    expect(errorOf(() => iterUnpack('h', ba))).toEqual([
      'struct.error',
      'iterative unpacking requires a buffer of a multiple of 2 bytes',
    ]);
    ba.append(0); // the buffer taken for the check was given back
    expect(errorOf(() => iterUnpack('h', 5 as never))).toEqual([
      'TypeError',
      "a bytes-like object is required, not 'int'",
    ]);
    expect(errorOf(() => iterUnpack('h', 'ab' as never))).toEqual([
      'TypeError',
      "a bytes-like object is required, not 'str'",
    ]);
    // ndarray(list(range(8)), shape=[8], format='B', flags=ND_WRITABLE)[::2]: the exporter's BufferError
    using nd = new NDArray([0, 1, 2, 3, 4, 5, 6, 7], { shape: [8], format: 'B', flags: ND.WRITABLE });
    using strided = nd.get(slice(null, null, 2));
    expect(errorOf(() => iterUnpack('<h', strided))).toEqual(['BufferError', 'ndarray is not C-contiguous']);
  });
});
