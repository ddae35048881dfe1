// hash(bytes) as CPython computes it: FNV into 32 bits on wasm32 (Pyodide's CPython 3.14, the
// reference), SipHash-1-3 into 64 bits on x86-64 (CPython 3.13), under PYTHONHASHSEED=0 and
// other fixed seeds. Every expected value below was printed by those interpreters:
//   PYTHONHASHSEED=N node scripts/run-in-pyodide.mjs ...        (wasm32; the runner pins N=0,
//                                                               other seeds via loadPyodide env)
//   PYTHONHASHSEED=N PYENV_VERSION=3.13.0 python3 -c 'print(hash(b"..."))'   (64-bit)
import { describe, expect, it } from 'vitest';
import { fnv32, hashSecret, pyHashBytes32, pyHashBytes64 } from '../src/pyhash.js';

const enc = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

const INPUTS: Array<[string, Uint8Array]> = [
  ["b''", new Uint8Array(0)],
  ["b'a'", enc('a')],
  ["b'ab'", enc('ab')],
  ["b'abc'", enc('abc')],
  ["b'abcd' (one whole block, still byte by byte)", enc('abcd')],
  ["b'abcde'", enc('abcde')],
  ["b'abcdefgh'", enc('abcdefgh')],
  ["b'abcdefghi'", enc('abcdefghi')],
  ["b'\\xff'", Uint8Array.of(0xff)],
  ["b'\\x00'", Uint8Array.of(0)],
  ["b'\\x00' * 4", new Uint8Array(4)],
  ['bytes(range(256))', Uint8Array.from({ length: 256 }, (_, i) => i)],
  ["b'x' * 1000", new Uint8Array(1000).fill(0x78)],
];

// [seed, wasm32 hashes, 64-bit hashes], in the order of INPUTS
const EXPECTED: Array<[number, number[], bigint[]]> = [
  [
    0,
    [
      0, -468864544, -1549758589, -1600925533, 1540938112, -1714391677, 103585041, -1697863566, -1719640450, 1, 4,
      -396399516, -131242064,
    ],
    [
      0n,
      4644417185603328019n,
      6148830537548944441n,
      -4594863902769663758n,
      -2030606670787596663n,
      2674923165546153122n,
      4574395652268504554n,
      -532774252720507163n,
      3476900567878811119n,
      7541581120933061747n,
      -3737345886862931216n,
      3579909164457460488n,
      1965751746081988357n,
    ],
  ],
  [
    1,
    [
      0, 1264704442, -1804182513, 747358533, 1456866356, -148019697, -1097362633, 521960192, -1857372636, 2095884635,
      -2013395428, -62036966, -941640134,
    ],
    [
      0n,
      -3012895188637184397n,
      -5163905947448004250n,
      -4667308735975688587n,
      -558410499034126547n,
      -1968606221024290444n,
      -202642195356325900n,
      7871229953815684364n,
      -911257459897288558n,
      -1381508117420989255n,
      8938307324899852729n,
      3004724726907416612n,
      6726838983539171191n,
    ],
  ],
  [
    123456789,
    [
      0, 2020918996, 1016462901, 1769363603, 1361200826, 1056247861, -793204607, 1424894426, -744818358, 1710346293,
      1771649578, 681273172, -53353100,
    ],
    [
      0n,
      -2771344550508810466n,
      3841945266183231888n,
      -9014179971215494434n,
      -8927889627995118103n,
      -7623786603393633861n,
      8935538293506355082n,
      337412557029741824n,
      6846390812068248934n,
      -1497365330529075120n,
      5202610749387405622n,
      1984876096227203883n,
      8374643066187801455n,
    ],
  ],
  [
    4294967295,
    [
      0, -784597115, -1594001036, 1004185090, 640649227, 1884574580, -1379512944, -356870949, 1341821467, -993726876,
      -2012266149, 1035237301, -1513488475,
    ],
    [
      0n,
      -5989683813037840249n,
      8710342733626678031n,
      -6122489556238538401n,
      -2975018177931727368n,
      2110116221662748902n,
      3424456984880118976n,
      6340115119033867570n,
      7922069895195128591n,
      -889612793812661694n,
      1127975419992765003n,
      -7168183994577827003n,
      -4977940461965940875n,
    ],
  ],
];

describe('pyHashBytes32 is hash(bytes) of CPython for wasm32 (FNV, 32-bit Py_hash_t)', () => {
  for (const [seed, wasm32] of EXPECTED) {
    it.each(INPUTS.map(([name, bytes], i) => [name, bytes, wasm32[i]!] as const))(
      `with PYTHONHASHSEED=${seed}: hash(%s) is %i`,
      (_name, bytes, expected) => {
        expect(pyHashBytes32(bytes, seed)).toBe(expected);
      },
    );
  }

  it('defaults to PYTHONHASHSEED=0', () => {
    for (const [, bytes] of INPUTS) expect(pyHashBytes32(bytes)).toBe(pyHashBytes32(bytes, 0));
  });

  it.each([[[0, 149, 101, 126, 250]], [[1, 21, 191, 78, 57]], [[2, 42, 126, 157, 124]]])(
    'maps an FNV result of -1 to -2, as fnv() and _Py_HashBytes do: hash(bytes(%j)) is -2',
    (bytes) => {
      const b = Uint8Array.from(bytes);
      expect(pyHashBytes32(b)).toBe(-2);
      expect(fnv32(b)).toBe(-2);
    },
  );

  it('hashes every length from 1 to 64 differently from its prefix (the length is mixed in)', () => {
    const seen = new Set<number>();
    for (let n = 1; n <= 64; n++) seen.add(pyHashBytes32(new Uint8Array(n)));
    expect(seen.size).toBe(64);
  });
});

describe('pyHashBytes64 is hash(bytes) of 64-bit CPython (SipHash-1-3, 64-bit Py_hash_t)', () => {
  for (const [seed, , sixtyFour] of EXPECTED) {
    it.each(INPUTS.map(([name, bytes], i) => [name, bytes, sixtyFour[i]!] as const))(
      `with PYTHONHASHSEED=${seed}: hash(%s) is %s`,
      (_name, bytes, expected) => {
        expect(pyHashBytes64(bytes, seed)).toBe(expected);
      },
    );
  }
});

describe('hashSecret is _Py_HashSecret as PYTHONHASHSEED sets it', () => {
  it('is 24 zero bytes for seed 0 (randomization disabled)', () => {
    expect([...hashSecret(0)]).toEqual(new Array(24).fill(0));
  });
  it('is lcg_urandom(seed) otherwise', () => {
    // lcg_urandom(1): x = 1*214013+2531011 = 2745024, byte (x >> 16) & 0xff = 41, ...
    expect(hashSecret(1)[0]).toBe(41);
    expect(hashSecret(1)).not.toEqual(hashSecret(2));
  });
  it.each([[-1], [2 ** 32], [1.5], [Number.NaN]])('refuses seed %s with a RangeError', (seed) => {
    expect(() => hashSecret(seed)).toThrow(RangeError);
    expect(() => pyHashBytes32(new Uint8Array(1), seed)).toThrow(RangeError);
  });
});
