// Python's hash of a byte string (_Py_HashBytes in Python/pyhash.c, 3.13): SipHash-1-3 keyed
// with _Py_HashSecret, 0 for empty input, and -1 (the error marker) replaced by -2.
//
// CPython randomises the key per process unless PYTHONHASHSEED is set; PYTHONHASHSEED=0 zeroes
// it ("disable the randomized hash" in Python/bootstrap_hash.c), which is the key used here, so
// results equal `hash(bytes)` of a CPython started with PYTHONHASHSEED=0.
//
// Py_hash_t is Py_ssize_t: 32 bits on wasm32, where pysiphash() converts SipHash's 64-bit result
// to Py_hash_t by truncation; 64 bits on x86-64/aarch64. Both are offered (pyHashBytes32/64).
//
// The 64-bit arithmetic is done on pairs of 32-bit halves: BigInt would be ~50x slower.

/** SipHash state: v0..v3 as [hi, lo] pairs in one array. */
type State = Uint32Array;

// Index of each half in the state array.
const V0H = 0, V0L = 1, V1H = 2, V1L = 3, V2H = 4, V2L = 5, V3H = 6, V3L = 7;

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
  add(s, V0H, V0L, V1H, V1L); rotl(s, V1H, V1L, 13); xor(s, V1H, V1L, V0H, V0L); swap(s, V0H, V0L);
  add(s, V2H, V2L, V3H, V3L); rotl(s, V3H, V3L, 16); xor(s, V3H, V3L, V2H, V2L);
  add(s, V0H, V0L, V3H, V3L); rotl(s, V3H, V3L, 21); xor(s, V3H, V3L, V0H, V0L);
  add(s, V2H, V2L, V1H, V1L); rotl(s, V1H, V1L, 17); xor(s, V1H, V1L, V2H, V2L); swap(s, V2H, V2L);
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
export function siphash13(bytes: Uint8Array, k0: readonly [number, number] = [0, 0],
  k1: readonly [number, number] = [0, 0]): [number, number] {
  const s: State = new Uint32Array(8);
  s[V0H] = (k0[0] ^ 0x736f6d65) >>> 0; s[V0L] = (k0[1] ^ 0x70736575) >>> 0;
  s[V1H] = (k1[0] ^ 0x646f7261) >>> 0; s[V1L] = (k1[1] ^ 0x6e646f6d) >>> 0;
  s[V2H] = (k0[0] ^ 0x6c796765) >>> 0; s[V2L] = (k0[1] ^ 0x6e657261) >>> 0;
  s[V3H] = (k1[0] ^ 0x74656462) >>> 0; s[V3L] = (k1[1] ^ 0x79746573) >>> 0;
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
  return [
    (s[V0H]! ^ s[V1H]! ^ s[V2H]! ^ s[V3H]!) >>> 0,
    (s[V0L]! ^ s[V1L]! ^ s[V2L]! ^ s[V3L]!) >>> 0,
  ];
}

/** hash(bytes) of a wasm32 CPython with PYTHONHASHSEED=0: a signed 32-bit Py_hash_t. */
export function pyHashBytes32(bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  const x = siphash13(bytes)[1] | 0; // (Py_hash_t) truncates to the low 32 bits
  return x === -1 ? -2 : x;
}

/** hash(bytes) of a 64-bit CPython (x86-64, aarch64) with PYTHONHASHSEED=0, as a bigint. */
export function pyHashBytes64(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  const [hi, lo] = siphash13(bytes);
  const x = BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
  return x === -1n ? -2n : x;
}
