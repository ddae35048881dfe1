// Format strings as types: the closed set memoryview.cast() accepts (get_native_fmtchar in
// Objects/memoryobject.c), and the JavaScript item each native format reads as. Types only:
// nothing here exists at run time.
import type { Item } from './items.js';

/** The native single-character formats of memoryview (wasm32 sizes in docs/api.md). */
export type NativeFormat =
  'c' | 'b' | 'B' | '?' | 'h' | 'H' | 'i' | 'I' | 'l' | 'L' | 'q' | 'Q' | 'n' | 'N' | 'f' | 'd' | 'e' | 'P';

/**
 * What `memoryview.cast(format)` accepts: a native single-character format with an optional
 * '@' prefix. A closed set, so `cast('flaot')` does not compile; struct formats in general
 * (`'<i'`, `'3f'`) are open and typed `string` elsewhere (NDArray, struct, StridedView).
 */
export type CastFormat = NativeFormat | `@${NativeFormat}`;

/** The native formats whose items are JavaScript numbers. */
export type NumberFormat = 'b' | 'B' | 'h' | 'H' | 'i' | 'I' | 'l' | 'L' | 'n' | 'N' | 'f' | 'd' | 'e' | 'P';

type ItemOfChar<C extends string> = C extends 'q' | 'Q'
  ? bigint
  : C extends '?'
    ? boolean
    : C extends 'c'
      ? Uint8Array
      : C extends NumberFormat
        ? number
        : Item;

type ItemOfOne<F extends string> = string extends F ? Item : F extends `@${infer C}` ? ItemOfChar<C> : ItemOfChar<F>;

/**
 * The JavaScript type of one item of format `F`: number, bigint ('q', 'Q'), boolean ('?'),
 * Uint8Array ('c'); `Item` (any of them) when the format is only known at run time.
 */
export type ItemOf<F extends string> = F extends string ? ItemOfOne<F> : never;

/**
 * The format a memoryview of `T` has, where the type says it: a TypedArray's element format,
 * 'B' for bytes-like objects, a memoryview's own format; `string` for any other exporter.
 */
export type FormatOf<T> = T extends { readonly [Symbol.toStringTag]: infer Tag }
  ? Tag extends 'Int8Array'
    ? 'b'
    : Tag extends 'Uint8Array' | 'Uint8ClampedArray' | 'DataView' | 'ArrayBuffer'
      ? 'B'
      : Tag extends 'Int16Array'
        ? 'h'
        : Tag extends 'Uint16Array'
          ? 'H'
          : Tag extends 'Int32Array'
            ? 'i'
            : Tag extends 'Uint32Array'
              ? 'I'
              : Tag extends 'Float16Array'
                ? 'e'
                : Tag extends 'Float32Array'
                  ? 'f'
                  : Tag extends 'Float64Array'
                    ? 'd'
                    : Tag extends 'BigInt64Array'
                      ? 'q'
                      : Tag extends 'BigUint64Array'
                        ? 'Q'
                        : string
  : string;
