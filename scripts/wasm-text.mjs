// The text the Wasm builds are embedded as (scripts/embed-wasm.mjs writes it into
// src/wasm/build-*.generated.ts; decodeText in src/wasm/instance.ts reads it back). One
// character for most bytes, two for the rest, all printable ASCII that no quote, escape, template
// or HTML rule touches, so that bundlers and minifiers pass the string through as it is:
// - ALPHABET: the 89 characters from ' ' to '~' but " $ ' < \ and `;
// - a byte b goes by its index i = (b + 4) & 255 (the rotation puts 0xfc-0xff, the SIMD prefix
//   0xfd among them, with the small values that Wasm's opcodes and LEB128 immediates favour):
//   i < 87 is ALPHABET[i]; any other i, ALPHABET[87 + floor((i - 87) / 89)] then
//   ALPHABET[(i - 87) % 89].
// Each byte value keeps one spelling, so the compressor sees the module's repeats, as with hex,
// in about half the characters: the SIMD build's chunk gzipped 11.1 KiB against 12.3 as hex
// (the raw module 10.9), brotli 9.4 against 9.7.
export const ALPHABET = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i))
  .filter((c) => !`"$'<\\\``.includes(c))
  .join('');
const SINGLE = ALPHABET.length - 2;

/** `bytes` (a Uint8Array or Buffer) as text. */
export function encodeText(bytes) {
  const parts = [];
  for (const b of bytes) {
    const i = (b + 4) & 255;
    parts.push(
      i < SINGLE
        ? ALPHABET[i]
        : ALPHABET[SINGLE + Math.floor((i - SINGLE) / ALPHABET.length)] + ALPHABET[(i - SINGLE) % ALPHABET.length],
    );
  }
  return parts.join('');
}
