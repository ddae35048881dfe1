// Types of scripts/wasm-text.mjs for the tests that import it (tests/runtime-module.test.ts).
export declare const ALPHABET: string;
export declare function encodeText(bytes: Uint8Array): string;
