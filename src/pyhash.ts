// Python's hash of a byte string (_Py_HashBytes in Python/pyhash.c): 0 for empty input, else
// the build's hash function keyed with _Py_HashSecret, with -1 (the error marker) replaced by -2.
//
// The build's function differs by platform. CPython for wasm32 (Pyodide, this project's
// reference) is configured with Py_HASH_ALGORITHM = Py_HASH_FNV: the modified FNV of fnv() in
// pyhash.c over 4-byte Py_uhash_t blocks (sys.hash_info: algorithm 'fnv', hash_bits 32, cutoff
// 0, so no small-string DJBX33A). 64-bit CPython (x86-64, aarch64) uses SipHash-1-3 over the
// whole input and a 64-bit Py_hash_t. Both are here: pyHashBytes32 and pyHashBytes64.
//
// _Py_HashSecret comes from PYTHONHASHSEED (_Py_HashRandomization_Init, Python/bootstrap_hash.c):
// 0 zeroes it ("disable the randomized hash"); any other value N fills its 24 bytes with
// lcg_urandom(N); unset, it is random per process (Pyodide included). The default seed here is
// 0, so results equal hash(bytes) of a CPython started with PYTHONHASHSEED=0.
//
// The 64-bit arithmetic is done on pairs of 32-bit halves: BigInt would be ~50x slower.

/** _PyHASH_MULTIPLIER in Include/internal/pycore_pyhash.h (the FNV prime of pyhash.c). */
const PYHASH_MULTIPLIER = 1000003;

/**
 * The 24 bytes of _Py_HashSecret for PYTHONHASHSEED=`seed` (0 to 4294967295), as
 * _Py_HashRandomization_Init fills them: zeros for 0, lcg_urandom(seed) otherwise.
 */
export function hashSecret(seed: number): Uint8Array {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`PYTHONHASHSEED must be an integer in [0, 4294967295], got ${seed}`);
  }
  const secret = new Uint8Array(24);
  if (seed === 0) return secret;
  // lcg_urandom: unsigned int arithmetic modulo 2**32, one byte (bits 16-23) per step
  let x = seed >>> 0;
  for (let i = 0; i < secret.length; i++) {
    x = (Math.imul(x, 214013) + 2531011) >>> 0;
    secret[i] = (x >>> 16) & 0xff;
  }
  return secret;
}

/**
 * fnv() of Python/pyhash.c with a 4-byte Py_uhash_t (wasm32): x starts as the prefix xor the
 * first byte shifted by 7; whole 4-byte blocks (little-endian, as the union reads them) are
 * mixed in one multiply each, except that the last 1-4 bytes always go byte by byte; then the
 * length and the suffix are xored in. `bytes` must not be empty (_Py_HashBytes returns 0 first).
 * Returns the signed 32-bit Py_hash_t, -1 already mapped to -2.
 */
export function fnv32(bytes: Uint8Array, prefix = 0, suffix = 0): number {
  const len = bytes.length;
  let remainder = len % 4;
  if (remainder === 0) remainder = 4; // "process at least one block byte by byte"
  let blocks = (len - remainder) / 4;
  let x = (prefix ^ (bytes[0]! << 7)) | 0;
  let p = 0;
  while (blocks-- > 0) {
    const block = bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24);
    x = Math.imul(PYHASH_MULTIPLIER, x) ^ block;
    p += 4;
  }
  for (; remainder > 0; remainder--) x = Math.imul(PYHASH_MULTIPLIER, x) ^ bytes[p++]!;
  x ^= len; // (Py_uhash_t)len: Py_ssize_t is 32 bits, so every length fits
  x ^= suffix;
  return x === -1 ? -2 : x;
}

/** SipHash state: v0..v3 as [hi, lo] pairs in one array. */
type State = Uint32Array;

// Index of each half in the state array.
const V0H = 0,
  V0L = 1,
  V1H = 2,
  V1L = 3,
  V2H = 4,
  V2L = 5,
  V3H = 6,
  V3L = 7;

/** a += b (64-bit, wrapping) on the halves at ah/al and bh/bl. */
function add(s: State, ah: number, al: number, bh: number, bl: number): void {
  const lo = (s[al]! + s[bl]!) >>> 0;
  const carry = lo < s[al]! ? 1 : 0;
  s[ah] = (s[ah]! + s[bh]! + carry) >>> 0;
  s[al] = lo;
}

/** x = rotl(x, b) for 0 < b < 32. */
function rotl(s: State, h: number, l: number, b: number): void {
  const hi = s[h]!;
  const lo = s[l]!;
  s[h] = ((hi << b) | (lo >>> (32 - b))) >>> 0;
  s[l] = ((lo << b) | (hi >>> (32 - b))) >>> 0;
}

/** x = rotl(x, 32): swap the halves. */
function swap(s: State, h: number, l: number): void {
  const t = s[h]!;
  s[h] = s[l]!;
  s[l] = t;
}

/** a ^= b. */
function xor(s: State, ah: number, al: number, bh: number, bl: number): void {
  s[ah] = (s[ah]! ^ s[bh]!) >>> 0;
  s[al] = (s[al]! ^ s[bl]!) >>> 0;
}

/** One SipRound (HALF_ROUND twice in pyhash.c). */
function sipRound(s: State): void {
  add(s, V0H, V0L, V1H, V1L);
  rotl(s, V1H, V1L, 13);
  xor(s, V1H, V1L, V0H, V0L);
  swap(s, V0H, V0L);
  add(s, V2H, V2L, V3H, V3L);
  rotl(s, V3H, V3L, 16);
  xor(s, V3H, V3L, V2H, V2L);
  add(s, V0H, V0L, V3H, V3L);
  rotl(s, V3H, V3L, 21);
  xor(s, V3H, V3L, V0H, V0L);
  add(s, V2H, V2L, V1H, V1L);
  rotl(s, V1H, V1L, 17);
  xor(s, V1H, V1L, V2H, V2L);
  swap(s, V2H, V2L);
}

function absorb(s: State, hi: number, lo: number): void {
  s[V3H] = (s[V3H]! ^ hi) >>> 0;
  s[V3L] = (s[V3L]! ^ lo) >>> 0;
  sipRound(s);
  s[V0H] = (s[V0H]! ^ hi) >>> 0;
  s[V0L] = (s[V0L]! ^ lo) >>> 0;
}

/**
 * SipHash-1-3 of `bytes` (siphash13 in Python/pyhash.c) with the 128-bit key (k0, k1), each
 * given as [hi, lo] 32-bit halves. Returns [hi, lo] of the unsigned 64-bit result.
 */
export function siphash13(
  bytes: Uint8Array,
  k0: readonly [number, number] = [0, 0],
  k1: readonly [number, number] = [0, 0],
): [number, number] {
  const s: State = new Uint32Array(8);
  s[V0H] = (k0[0] ^ 0x736f6d65) >>> 0;
  s[V0L] = (k0[1] ^ 0x70736575) >>> 0;
  s[V1H] = (k1[0] ^ 0x646f7261) >>> 0;
  s[V1L] = (k1[1] ^ 0x6e646f6d) >>> 0;
  s[V2H] = (k0[0] ^ 0x6c796765) >>> 0;
  s[V2L] = (k0[1] ^ 0x6e657261) >>> 0;
  s[V3H] = (k1[0] ^ 0x74656462) >>> 0;
  s[V3L] = (k1[1] ^ 0x79746573) >>> 0;
  const n = bytes.length;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, n);
  let i = 0;
  for (; n - i >= 8; i += 8) absorb(s, dv.getUint32(i + 4, true), dv.getUint32(i, true));
  // the last block: up to 7 bytes, little-endian, with the length's low byte on top
  let lo = 0;
  let hi = (n & 0xff) << 24;
  for (let k = 0; i + k < n; k++) {
    const b = bytes[i + k]!;
    if (k < 4) lo |= b << (8 * k);
    else hi |= b << (8 * (k - 4));
  }
  absorb(s, hi >>> 0, lo >>> 0);
  s[V2L] = (s[V2L]! ^ 0xff) >>> 0;
  sipRound(s);
  sipRound(s);
  sipRound(s);
  return [(s[V0H]! ^ s[V1H]! ^ s[V2H]! ^ s[V3H]!) >>> 0, (s[V0L]! ^ s[V1L]! ^ s[V2L]! ^ s[V3L]!) >>> 0];
}

/** A little-endian 32-bit word of `secret` at byte `at`, as a signed int. */
function word(secret: Uint8Array, at: number): number {
  return secret[at]! | (secret[at + 1]! << 8) | (secret[at + 2]! << 16) | (secret[at + 3]! << 24);
}

/**
 * hash(bytes) of CPython for wasm32 (Pyodide) started with PYTHONHASHSEED=`seed` (default 0):
 * a signed 32-bit Py_hash_t, FNV keyed with _Py_HashSecret.fnv.prefix and .suffix (the first
 * two 4-byte words of the secret).
 */
export function pyHashBytes32(bytes: Uint8Array, seed = 0): number {
  const secret = hashSecret(seed);
  if (bytes.length === 0) return 0;
  return fnv32(bytes, word(secret, 0), word(secret, 4));
}

/**
 * hash(bytes) of a 64-bit CPython (x86-64, aarch64) started with PYTHONHASHSEED=`seed`
 * (default 0), as a bigint: SipHash-1-3 keyed with _Py_HashSecret.siphash.k0 and .k1 (the
 * first two little-endian 8-byte words of the secret).
 */
export function pyHashBytes64(bytes: Uint8Array, seed = 0): bigint {
  const secret = hashSecret(seed);
  if (bytes.length === 0) return 0n;
  const k0: [number, number] = [word(secret, 4) >>> 0, word(secret, 0) >>> 0];
  const k1: [number, number] = [word(secret, 12) >>> 0, word(secret, 8) >>> 0];
  const [hi, lo] = siphash13(bytes, k0, k1);
  const x = BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
  return x === -1n ? -2n : x;
}
