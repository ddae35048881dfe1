// CPython's Lib/test/test_buffer.py (main), class TestPythonBufferProtocol: PEP 688's Python-level
// buffer protocol, where it applies to JavaScript. The JS protocol is the slot pair
// [bf_getbuffer]/[bf_releasebuffer]; a Python class with `__buffer__`/`__release_buffer__` is a JS
// exporter built by `pyBufferClass` below, which does what CPython's slot_bf_getbuffer and
// slot_bf_releasebuffer (Objects/typeobject.c) do around those methods: call __buffer__(flags),
// require a memoryview, export a buffer of it under the same flags, and on release call
// __release_buffer__(mv) and give that buffer back. Subclassing bytearray is `extends ByteArray`
// with `super[bf_getbuffer]`.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BufferError,
  ByteArray,
  Bytes,
  MemoryView,
  OverflowError,
  PyBUF,
  Py_buffer,
  RuntimeError,
  SystemError,
  bf_getbuffer,
  bf_releasebuffer,
  capi,
  init,
  readMemory,
  type BufferExporter,
} from '../../src/index.js';
import { assertEq, memoryview, raises, using } from './helpers.js';

beforeAll(async () => {
  await init();
});

const enc = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

interface PyLevel {
  __buffer__(flags: number): unknown;
  __release_buffer__?(buffer: MemoryView): void;
}

/** A JS exporter around Python-level __buffer__/__release_buffer__, as typeobject.c's slots. */
function pyBufferClass<T extends PyLevel>(obj: T): T & BufferExporter {
  const held = new Map<Py_buffer, [MemoryView, Py_buffer]>();
  const exporter = obj as T & BufferExporter;
  exporter[bf_getbuffer] = (view: Py_buffer, flags: number): void => {
    const ret = obj.__buffer__(flags);
    if (!(ret instanceof MemoryView)) {
      throw new TypeError(`__buffer__ returned non-memoryview object`);
    }
    const inner = capi.PyObject_GetBuffer(ret, flags);
    Object.assign(view, inner.copy());
    view.obj = exporter;
    held.set(view, [ret, inner]);
  };
  exporter[bf_releasebuffer] = (view: Py_buffer): void => {
    const entry = held.get(view);
    if (entry === undefined) return;
    held.delete(view);
    const [mv, inner] = entry;
    try {
      obj.__release_buffer__?.(mv);
    } finally {
      capi.PyBuffer_Release(inner);
    }
  };
  return exporter;
}

/** bytes(x): the bytes of a simple buffer of x. */
function bytesOf(x: unknown): Uint8Array {
  const view = capi.PyObject_GetBuffer(x, PyBUF.SIMPLE);
  try {
    return readMemory(view.buf, view.len);
  } finally {
    capi.PyBuffer_Release(view);
  }
}

describe('TestPythonBufferProtocol', () => {
  it('test_basic', () => {
    const MyBuffer = (): PyLevel & BufferExporter =>
      pyBufferClass({ __buffer__: () => memoryview(new Bytes('hello')) });
    const mv = memoryview(MyBuffer());
    assertEq(mv.tobytes(), enc('hello'));
    assertEq(bytesOf(MyBuffer()), enc('hello'));
  });

  it('test_bad_buffer_method', () => {
    raises(TypeError, () => memoryview(pyBufferClass({ __buffer__: () => 42 })));
    raises(TypeError, () => memoryview(pyBufferClass({ __buffer__: () => new Bytes('hello') })));
    // (WrongArity: JS functions take any number of arguments; not applicable)
  });

  it('test_release_buffer', () => {
    const ba = new ByteArray('hello');
    const wr = pyBufferClass({
      held: false,
      __buffer__(_flags: number) {
        if (this.held) throw new TypeError('already held');
        this.held = true;
        return memoryview(ba);
      },
      __release_buffer__(_buffer: MemoryView) {
        this.held = false;
      },
    });
    expect(wr.held).toBe(false);
    using(memoryview(wr), (mv) => {
      expect(wr.held).toBe(true);
      assertEq(mv.tobytes(), enc('hello'));
    });
    expect(wr.held).toBe(false);
  });

  it('test_same_buffer_returned', () => {
    const ba = new ByteArray('hello');
    let seen: MemoryView | null = null;
    let created_mv: MemoryView | null = null;
    const wr = pyBufferClass({
      held: false,
      __buffer__(_flags: number) {
        if (this.held) throw new TypeError('already held');
        this.held = true;
        created_mv = memoryview(ba);
        return created_mv;
      },
      __release_buffer__(buffer: MemoryView) {
        seen = buffer;
        this.held = false;
      },
    });
    using(memoryview(wr), (mv) => {
      expect(wr.held).toBe(true);
      assertEq(mv.tobytes(), enc('hello'));
    });
    expect(seen).toBe(created_mv);
    expect(wr.held).toBe(false);
  });

  it('test_buffer_flags', () => {
    const PossiblyMutable = (data: string, mutable: boolean): PyLevel & BufferExporter => {
      const _data = new ByteArray(data);
      return pyBufferClass({
        __buffer__(flags: number) {
          if (flags & PyBUF.WRITABLE) {
            if (!mutable) throw new RuntimeError('not mutable');
            return memoryview(_data);
          }
          return memoryview(new Bytes(_data.toUint8Array()));
        },
      });
    };
    const mutable = PossiblyMutable('hello', true);
    const immutable = PossiblyMutable('hello', false);
    using(MemoryView.fromObjectAndFlags(mutable, PyBUF.WRITABLE), (mv) => {
      assertEq(mv.tobytes(), enc('hello'));
      mv.set(0, 'x'.charCodeAt(0));
      assertEq(mv.tobytes(), enc('xello'));
    });
    using(MemoryView.fromObjectAndFlags(mutable, PyBUF.SIMPLE), (mv) => {
      assertEq(mv.tobytes(), enc('xello'));
      raises(TypeError, () => mv.set(0, 'h'.charCodeAt(0)));
      assertEq(mv.tobytes(), enc('xello'));
    });
    using(MemoryView.fromObjectAndFlags(immutable, PyBUF.SIMPLE), (mv) => {
      assertEq(mv.tobytes(), enc('hello'));
      raises(TypeError, () => mv.set(0, 'x'.charCodeAt(0)));
      assertEq(mv.tobytes(), enc('hello'));
    });
    raises(RuntimeError, () => MemoryView.fromObjectAndFlags(immutable, PyBUF.WRITABLE));
    using(memoryview(immutable), (mv) => {
      assertEq(mv.tobytes(), enc('hello'));
      raises(TypeError, () => mv.set(0, 'x'.charCodeAt(0)));
      assertEq(mv.tobytes(), enc('hello'));
    });
  });

  it('test_call_builtins', () => {
    // ba.__buffer__(flags) is a memoryview made with those flags; __release_buffer__ releases it
    const ba = new ByteArray('hello');
    const mv = MemoryView.fromObjectAndFlags(ba, 0);
    assertEq(mv.tobytes(), enc('hello'));
    mv.release();
    ba.resize(0); // no export is left
    // sys.maxsize + 1 on wasm32 is 2**31: OverflowError from PyNumber_AsSsize_t, before the
    // wrapper's own "buffer flags too large" (the message CPython for wasm32 gives)
    raises(OverflowError, () => capi.PyObject_GetBuffer(ba, 2 ** 31));
    expect(() => capi.PyObject_GetBuffer(ba, 2 ** 31)).toThrow("cannot fit 'int' into an index-sized integer");
  });

  /** _testcapi.testBuf: a C exporter of b"test" that counts its exports. */
  class TestBuf implements BufferExporter {
    references = 0;
    readonly data = new Bytes('test');
    [bf_getbuffer](view: Py_buffer, flags: number): void {
      const src = capi.PyObject_GetBuffer(this.data, PyBUF.SIMPLE);
      capi.PyBuffer_Release(src);
      capi.PyBuffer_FillInfo(view, this, src.buf, src.len, true, flags);
      this.references++;
    }
    [bf_releasebuffer](_view: Py_buffer): void {
      this.references--;
    }
  }

  it('test_c_buffer', () => {
    const buf = new TestBuf();
    expect(buf.references).toBe(0);
    const mv = MemoryView.fromObjectAndFlags(buf, 0);
    expect(mv).toBeInstanceOf(MemoryView);
    assertEq(mv.tobytes(), enc('test'));
    expect(buf.references).toBe(1);
    mv.release(); // buf.__release_buffer__(mv)
    expect(buf.references).toBe(0);
    expect(() => mv.tobytes()).toThrow(/released/);
    // Calling it again doesn't cause issues
    mv.release();
    expect(buf.references).toBe(0);
  });

  it('test_c_buffer_invalid_flags', () => {
    const buf = new TestBuf();
    raises(SystemError, () => capi.PyObject_GetBuffer(buf, PyBUF.READ));
    raises(SystemError, () => capi.PyObject_GetBuffer(buf, PyBUF.WRITE));
  });

  /** _testcapi.buffer_fill_info(obj, readonly, flags): FillInfo over obj's bytes, as a memoryview. */
  const buffer_fill_info = (source: Bytes, readonly: number, flags: number): MemoryView => {
    const src = capi.PyObject_GetBuffer(source, PyBUF.SIMPLE);
    capi.PyBuffer_Release(src);
    const info = capi.PyBuffer_FillInfo(null, source, src.buf, src.len, readonly, flags);
    return MemoryView.fromBuffer(info);
  };

  it('test_c_fill_buffer_invalid_flags', () => {
    const source = new Bytes('abc');
    raises(SystemError, () => buffer_fill_info(source, 0, PyBUF.READ));
    raises(SystemError, () => buffer_fill_info(source, 0, PyBUF.WRITE));
  });

  it('test_c_fill_buffer_readonly_and_writable', () => {
    const source = new Bytes('abc');
    using(buffer_fill_info(source, 1, PyBUF.SIMPLE), (m) => {
      assertEq(bytesOf(m), enc('abc'));
      expect(m.readonly).toBe(true);
    });
    using(buffer_fill_info(source, 0, PyBUF.WRITABLE), (m) => {
      assertEq(bytesOf(m), enc('abc'));
      expect(m.readonly).toBe(false);
    });
    raises(BufferError, () => buffer_fill_info(source, 1, PyBUF.WRITABLE));
  });

  it('test_inheritance', () => {
    class A extends ByteArray {
      override [bf_getbuffer](view: Py_buffer, flags: number): void {
        super[bf_getbuffer](view, flags);
      }
    }
    const a = new A('hello');
    assertEq(memoryview(a).tobytes(), enc('hello'));
  });

  it('test_inheritance_releasebuffer', () => {
    let rb_call_count = 0;
    class B extends ByteArray {
      override [bf_getbuffer](view: Py_buffer, flags: number): void {
        super[bf_getbuffer](view, flags);
      }
      override [bf_releasebuffer](view: Py_buffer): void {
        rb_call_count++;
        super[bf_releasebuffer](view);
      }
    }
    const b = new B('hello');
    using(memoryview(b), (mv) => {
      assertEq(mv.tobytes(), enc('hello'));
      expect(rb_call_count).toBe(0);
    });
    expect(rb_call_count).toBe(1);
    b.resize(0); // the export was given back
  });

  it('test_override_only_release', () => {
    class C extends ByteArray {
      override [bf_releasebuffer](view: Py_buffer): void {
        super[bf_releasebuffer](view);
      }
    }
    const c = new C('hello');
    using(memoryview(c), (mv) => assertEq(mv.tobytes(), enc('hello')));
    c.resize(0);
  });
});
