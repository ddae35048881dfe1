// Python's complex in JavaScript: the items of the struct formats 'F' (float complex) and 'D'
// (double complex) that CPython 3.14 added (Modules/_struct.c). A small immutable value class
// rather than a plain { re, im } object, so that an item is told apart from an arbitrary
// object when packing ("required argument is not a complex") and compares by value.
import { pyType } from './errors.js';
import { settleObjectShape } from './object-shape.js';

/** A complex number: real part `re`, imaginary part `im`, both doubles. */
export class Complex {
  /** The real part. */
  readonly re: number;
  /** The imaginary part. */
  readonly im: number;

  /** complex(re, im); `im` defaults to 0 as in Python. */
  constructor(re: number, im = 0) {
    if (typeof re !== 'number' || typeof im !== 'number') {
      throw new TypeError('Complex(re, im) takes two numbers');
    }
    this.re = re;
    this.im = im;
    Object.freeze(this);
  }

  /** @internal Python's name for the type (pyTypeName). */
  get [pyType](): string {
    return 'complex';
  }

  /**
   * Python's `==` between a complex and `other`: equal parts with a complex (NaN is never
   * equal), and for an int, float or bool (a number, bigint or boolean) a zero imaginary part
   * and an equal real part, as `(1+0j) == 1` is True.
   */
  equals(other: unknown): boolean {
    if (other instanceof Complex) return this.re === other.re && this.im === other.im;
    if (this.im !== 0) return false;
    if (typeof other === 'number') return this.re === other;
    if (typeof other === 'boolean') return this.re === (other ? 1 : 0);
    if (typeof other === 'bigint') return Number.isInteger(this.re) && BigInt(this.re) === other;
    return false;
  }

  /** Python's repr: `1j`, `(1+2j)`, `(-0-0j)`, `(nan+infj)`, `(1e+16-1e-05j)`. */
  toString(): string {
    const im = reprPart(this.im);
    if (this.re === 0 && !Object.is(this.re, -0)) return `${im}j`;
    return `(${reprPart(this.re)}${im.startsWith('-') ? '' : '+'}${im}j)`;
  }
}

/** repr() of one part as complex_repr writes it: shortest digits, no forced '.0'. */
function reprPart(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0';
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e16 || a < 1e-4)) {
    // float_repr_style 'r': exponent form past 16 digits or below 1e-4, two exponent digits
    return x.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  }
  return String(x);
}

// items are made by the thousand (tolist, unpack): their fields inline (src/object-shape.ts)
settleObjectShape(() => new Complex(0, 0));
