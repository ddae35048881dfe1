// The fast paths of a small view (fromObject + getContiguous + release of a Bytes): they skip
// work only where the result is the same, so a bad descriptor is still refused with the full
// check's error, every refusal gives the export back, and the finalization net still tracks
// exactly the buffers left unreleased at the end of a task.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BufferError,
  ByteArray,
  Bytes,
  MemoryView,
  PyBUF,
  Py_buffer,
  bf_getbuffer,
  bf_releasebuffer,
  capi,
  init,
} from '../src/index.js';
import { finalizeStats } from '../src/finalize.js';
import { thrownBy } from './helpers/errors.js';

beforeAll(async () => {
  await init();
});

/** A Bytes or ByteArray whose fields a subclass changed after construction (undone by restore()). */
function tampered(base: typeof Bytes | typeof ByteArray, change: (f: { ptr: number; size: number }) => void) {
  // typed as Bytes for the compiler (ptr and size are protected members of their common base)
  class Tampered extends (base as typeof Bytes) {
    saved: { ptr: number; size: number };
    constructor() {
      super(16);
      this.saved = { ptr: this.ptr, size: this.size };
      const fields = { ptr: this.ptr, size: this.size };
      change(fields);
      this.ptr = fields.ptr;
      this.size = fields.size;
    }
    restore(): void {
      this.ptr = this.saved.ptr;
      this.size = this.saved.size;
    }
  }
  return new Tampered();
}

/** Lets the finalization net's end-of-task flush run. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

describe('the fast check of a byte export (Bytes, ByteArray)', () => {
  const cases: Array<[string, (f: { ptr: number; size: number }) => void, RegExp]> = [
    [
      'a range past the end of the block',
      (f) => {
        f.ptr += 8;
      },
      /exporter returned an invalid buffer: the data \[\d+, \d+\) is not inside one live block/,
    ],
    [
      'a length past the end of the block',
      (f) => {
        f.size = 32;
      },
      /exporter returned an invalid buffer: the data \[\d+, \d+\) is not inside one live block/,
    ],
    [
      'a fractional address',
      (f) => {
        f.ptr += 0.5;
      },
      /exporter returned an invalid buffer: buf is not an address/,
    ],
    [
      'a negative address',
      (f) => {
        f.ptr = -16;
      },
      /exporter returned an invalid buffer: buf is not an address/,
    ],
    [
      'a length past Py_ssize_t',
      (f) => {
        f.size = 2 ** 40;
      },
      /exporter returned an invalid buffer: len is not a size/,
    ],
    [
      'a fractional length',
      (f) => {
        f.size = 3.5;
      },
      /exporter returned an invalid buffer: len is not a size/,
    ],
  ];
  for (const base of [Bytes, ByteArray]) {
    for (const [what, change, message] of cases) {
      it(`refuses ${what} in a ${base.name} and gives the export back`, () => {
        const obj = tampered(base, change);
        for (const make of [
          () => MemoryView.fromObject(obj),
          () => MemoryView.getContiguous(obj, PyBUF.READ, 'C'),
          () => capi.PyObject_GetBuffer(obj, PyBUF.FULL_RO),
          () => capi.PyObject_GetBuffer(obj, PyBUF.SIMPLE),
        ]) {
          const error = thrownBy(make);
          expect(error).toBeInstanceOf(BufferError);
          expect((error as Error).message).toMatch(message);
        }
        obj.restore();
        if (obj instanceof ByteArray) (obj as ByteArray).resize(4); // refused while exported
        obj.dispose();
      });
    }
  }

  it('accepts the untouched objects, empty ones included, and releases them', () => {
    for (const obj of [new Bytes(64), new ByteArray(64), new Bytes(0), new ByteArray(0)]) {
      const m = MemoryView.fromObject(obj);
      const g = MemoryView.getContiguous(m, PyBUF.READ, 'C');
      expect([m.nbytes, g.nbytes, g.obj === obj, m.shape, m.strides]).toEqual([
        obj.length,
        obj.length,
        true,
        [obj.length],
        [1],
      ]);
      g.release();
      m.release();
      obj.dispose();
    }
  });

  it('still checks fully an exporter that overrides the slot', () => {
    class Shifted extends Bytes {
      override [bf_getbuffer](view: Py_buffer, flags: number): void {
        super[bf_getbuffer](view, flags);
        view.buf += 1; // one byte past the block at the end
      }
    }
    const obj = new Shifted(8);
    expect(() => MemoryView.fromObject(obj)).toThrow(/is not inside one live block/);
    obj.dispose(); // the export was given back
  });
});

describe('the fast check of a byte export, whoever filled it', () => {
  /** An exporter of 16 heap bytes that fills the view as PyBuffer_FillInfo does, then `change`s it. */
  function exporter(change: (view: Py_buffer) => void) {
    const ptr = capi.PyMem_Malloc(16);
    let exports = 0;
    return {
      [bf_getbuffer](view: Py_buffer, flags: number): void {
        capi.PyBuffer_FillInfo(view, this, ptr, 16, 1, flags);
        change(view);
        exports++;
      },
      [bf_releasebuffer](): void {
        exports--;
      },
      exports: () => exports,
      free: () => capi.PyMem_Free(ptr),
    };
  }
  const cases: Array<[string, (view: Py_buffer) => void, RegExp | null]> = [
    ['the layout as filled', () => {}, null],
    ['an explicit format B', (v) => void (v.format = 'B'), null],
    ['a shape one item longer than len', (v) => void (v.shape = [17]), /len != product\(shape\) \* itemsize/],
    ['a stride of 2', (v) => void (v.strides = [2]), /is not inside one live block/],
    [
      'a format of wider items',
      (v) => void ((v.format = 'i'), (v.itemsize = 4), (v.shape = [4]), (v.strides = [4])),
      null,
    ],
    ['a range past the block', (v) => void (v.buf += 8), /is not inside one live block/],
    [
      'a shape that is not an array',
      (v) => void (v.shape = { 0: 16, length: 1 } as unknown as number[]),
      /shape has fewer than ndim entries/,
    ],
    ['a fractional length', (v) => void ((v.len = 15.5), (v.shape = null)), /len is not a size/],
  ];
  for (const [what, change, refused] of cases) {
    it(`${refused === null ? 'accepts' : 'refuses'} ${what}${refused === null ? '' : ", with the full check's error"}`, () => {
      const obj = exporter(change);
      try {
        if (refused === null) {
          const m = MemoryView.fromObject(obj);
          expect(m.nbytes).toBe(16);
          m.release();
        } else {
          const error = thrownBy(() => MemoryView.fromObject(obj));
          expect(error).toBeInstanceOf(BufferError);
          expect((error as Error).message).toMatch(refused);
        }
        expect(obj.exports()).toBe(0);
      } finally {
        obj.free();
      }
    });
  }
});

describe('the finalization net and views released at once', () => {
  it('does not register a buffer released in the task that made it', async () => {
    await nextTask();
    const before = finalizeStats.tracked;
    const b = new Bytes(8);
    for (let i = 0; i < 1000; i++) {
      const m = MemoryView.fromObject(b);
      MemoryView.getContiguous(m, PyBUF.READ, 'C').release();
      m.release();
    }
    await nextTask();
    expect(finalizeStats.tracked).toBe(before);
    b.dispose();
  });

  it('registers exactly the buffers still unreleased at the end of the task, whatever the release order', async () => {
    await nextTask();
    const before = finalizeStats.tracked;
    const b = new Bytes(8);
    const kept1 = MemoryView.fromObject(b);
    const gone1 = MemoryView.fromObject(b);
    gone1.release(); // the newest pending buffer
    const gone2 = MemoryView.fromObject(b);
    const kept2 = MemoryView.fromObject(b);
    gone2.release(); // not the newest: left for the flush, which skips it
    await nextTask();
    expect(finalizeStats.tracked - before).toBe(2);
    kept1.release();
    kept2.release();
    b.dispose(); // every export given back
  });

  it('keeps registering buffers made past the pending limit', async () => {
    await nextTask();
    const before = finalizeStats.tracked;
    const b = new Bytes(8);
    const kept = Array.from({ length: 600 }, () => MemoryView.fromObject(b));
    await nextTask();
    expect(finalizeStats.tracked - before).toBe(600);
    for (const m of kept) m.release();
    b.dispose();
  });
});
