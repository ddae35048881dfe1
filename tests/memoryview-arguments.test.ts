// Arguments of memoryview methods are checked as CPython's Argument Clinic checks them: before
// the method's body, so before CHECK_RELEASED, with _PyArg_BadArgument's type names. Expected
// errors are CPython 3.14's for wasm32 (Pyodide), found by the differential suite.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ByteArray,
  Bytes,
  Complex,
  Ellipsis,
  MemoryView,
  NDArray,
  OverflowError,
  ValueError,
  init,
  slice,
} from '../src/index.js';
import { errorOf } from './helpers/errors.js';

beforeAll(async () => {
  await init();
});

function view(): MemoryView {
  return MemoryView.fromObject(new Bytes(Uint8Array.of(1, 2, 3, 4)));
}

function released(): MemoryView {
  const m = view();
  m.release();
  return m;
}

const call = (f: (m: MemoryView) => unknown, m: MemoryView) => (): unknown => f(m as never);

describe('memoryview arguments are checked before the view is', () => {
  const cases: Array<[string, (m: MemoryView) => unknown, ErrorConstructor | typeof OverflowError, string]> = [
    ['tobytes(1)', (m) => m.tobytes(1 as never), TypeError, "tobytes() argument 'order' must be str or None, not int"],
    [
      'tobytes(1.5)',
      (m) => m.tobytes(1.5 as never),
      TypeError,
      "tobytes() argument 'order' must be str or None, not float",
    ],
    [
      "tobytes(b'C')",
      (m) => m.tobytes(Uint8Array.of(0x43) as never),
      TypeError,
      "tobytes() argument 'order' must be str or None, not bytes",
    ],
    ["hex(':', '2')", (m) => m.hex(':', '2' as never), TypeError, "'str' object cannot be interpreted as an integer"],
    [
      "hex(':', None)",
      (m) => m.hex(':', null as never),
      TypeError,
      "'NoneType' object cannot be interpreted as an integer",
    ],
    ["hex(':', 2**31)", (m) => m.hex(':', 2 ** 31), OverflowError, 'Python int too large to convert to C int'],
    ['cast(None)', (m) => m.cast(null as never), TypeError, "cast() argument 'format' must be str, not None"],
    [
      "cast(b'B')",
      (m) => m.cast(Uint8Array.of(0x42) as never),
      TypeError,
      "cast() argument 'format' must be str, not bytes",
    ],
  ];

  for (const [what, f, cls, message] of cases) {
    it(`${what} raises ${cls.name} "${message}" on a live view`, () => {
      const m = view();
      expect(call(f, m)).toThrow(cls);
      expect(call(f, m)).toThrow(message);
      m.release();
    });

    it(`${what} raises the same error on a released view, not the release error`, () => {
      expect(call(f, released())).toThrow(message);
    });
  }

  it('a valid order on a released view still raises the release error', () => {
    expect(() => released().tobytes('C')).toThrow(ValueError);
    expect(() => released().tobytes('X' as never)).toThrow('operation forbidden on released memoryview object');
  });

  it('an order of the right type but a wrong value is checked after the release check, as CPython', () => {
    expect(() => view().tobytes('X' as never)).toThrow("order must be 'C', 'F' or 'A'");
  });

  it('hex takes a bool or a bigint as bytes_per_sep, as Python takes any int', () => {
    const m = view();
    expect(m.hex(':', true as never)).toBe('01:02:03:04');
    expect(m.hex(':', 2n as never)).toBe('0102:0304');
    m.release();
  });
});

describe("errors name Python's types, not JavaScript's classes", () => {
  // m = memoryview(bytes([1, 2, 3, 4])); m.hex(':', x), m.cast(x), m.tobytes(x) and memoryview(x)
  // for x of each type, in Pyodide 314.0.7
  const values: Array<[string, () => unknown]> = [
    ['complex', () => new Complex(1, 2)],
    ['slice', () => slice(1)],
    ['ellipsis', () => Ellipsis],
    ['bytes', () => Uint8Array.of(1)],
    ['bytes', () => new Bytes(1)],
    ['bytearray', () => new ByteArray(1)],
    ['memoryview', () => view()],
    ['ndarray', () => new NDArray([1], { shape: [1] })],
  ];

  it.each(values)('a %s argument is named so in TypeErrors', (name, make) => {
    const m = view();
    const x = make();
    expect(() => m.hex(':', x as never)).toThrow(`'${name}' object cannot be interpreted as an integer`);
    expect(() => m.cast(x as never)).toThrow(`cast() argument 'format' must be str, not ${name}`);
    expect(() => m.tobytes(x as never)).toThrow(`tobytes() argument 'order' must be str or None, not ${name}`);
    m.release();
  });

  const notBytesLike: Array<[string, () => unknown]> = [
    ['complex', () => new Complex(1, 2)],
    ['slice', () => slice(1)],
    ['ellipsis', () => Ellipsis],
  ];
  it.each(notBytesLike)('memoryview() of a %s says it is not bytes-like', (name, make) => {
    expect(() => MemoryView.fromObject(make())).toThrow(`memoryview: a bytes-like object is required, not '${name}'`);
  });
});

describe('fromObjectAndFlags converts flags as memoryview._from_flags converts a C int', () => {
  // memoryview._from_flags(bytes([1]), flags) in Pyodide 314.0.7
  const refused: Array<[string, unknown, string, string]> = [
    ['2**31', 2 ** 31, 'OverflowError', 'Python int too large to convert to C int'],
    ['-(2**31) - 1', -(2 ** 31) - 1, 'OverflowError', 'Python int too large to convert to C int'],
    ['2n**40n', 2n ** 40n, 'OverflowError', 'Python int too large to convert to C int'],
    ['-(2n**100n)', -(2n ** 100n), 'OverflowError', 'Python int too large to convert to C int'],
    ['1.5', 1.5, 'TypeError', "'float' object cannot be interpreted as an integer"],
    ['null', null, 'TypeError', "'NoneType' object cannot be interpreted as an integer"],
    ["'a'", 'a', 'TypeError', "'str' object cannot be interpreted as an integer"],
  ];
  it.each(refused)('refuses %s', (_what, flags, name, message) => {
    using b = new Bytes([1]);
    expect(errorOf(() => MemoryView.fromObjectAndFlags(b, flags as never))).toEqual([name, message]);
  });

  it('checks the flags first: before the object, released or not an exporter', () => {
    const m = released();
    expect(errorOf(() => MemoryView.fromObjectAndFlags(m, 1.5))).toEqual([
      'TypeError',
      "'float' object cannot be interpreted as an integer",
    ]);
    expect(errorOf(() => MemoryView.fromObjectAndFlags(new Complex(1, 2), 2n ** 40n))).toEqual([
      'OverflowError',
      'Python int too large to convert to C int',
    ]);
  });

  it('takes a bigint or a bool as the int it is, and the whole C int range', () => {
    // _from_flags(bytes([1]), 5) and (..., True) ask for a writable buffer: BufferError; -2**31 is a valid int
    using b = new Bytes([1]);
    for (const flags of [5n, true, 2 ** 31 - 1]) {
      expect(errorOf(() => MemoryView.fromObjectAndFlags(b, flags))).toEqual([
        'BufferError',
        'Object is not writable.',
      ]);
    }
    using m = MemoryView.fromObjectAndFlags(b, -(2 ** 31));
    expect(m.format).toBe('B');
    using ba = new ByteArray([1]);
    using w = MemoryView.fromObjectAndFlags(ba, 1n);
    expect(w.readonly).toBe(false);
  });
});
