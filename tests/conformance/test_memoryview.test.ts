// CPython's Lib/test/test_memoryview.py (main, whose count/index tests are 3.14's) ported.
// AbstractMemoryTests runs over the concrete classes CPython builds from it: bytes/bytearray
// (Bytes, ByteArray) and array.array('i') (an Int32Array over the runtime's memory), each as a
// memoryview, a slice of one, and a slice of a slice. One `it` per CPython test method, under its
// name, inside a describe named after CPython's concrete class. Tests CPython itself skips for a
// class (no read-only array type; unittest.skip on the array classes) are not registered there.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ByteArray,
  Bytes,
  IndexError,
  MemoryView,
  ND,
  NDArray,
  NotImplementedError,
  PyBUF,
  PySlice,
  ValueError,
  capi,
  init,
  readMemory,
  slice,
  struct,
  type CastFormat,
} from '../../src/index.js';
import { pyHashBytes32 } from '../../src/pyhash.js';
import {
  assertEq,
  assertMvEq,
  assertMvNe,
  memoryview,
  ndarray,
  raises,
  reserveMemory,
  typedArray,
  using,
} from './helpers.js';

beforeAll(async () => {
  await init();
  reserveMemory();
});

const S = (a: number | null, b: number | null, c: number | null = null): PySlice => slice(a, b, c);
const enc = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
const ord = (c: string): number => c.charCodeAt(0);
const SYS_MAXSIZE = 2 ** 31 - 1; // wasm32

type Exporter = object;
interface Kind {
  name: string;
  /** The read-only type (bytes), or null (array has none). */
  ro_type: ((b: number[]) => Exporter) | null;
  /** The writable type (bytearray, array('i')). */
  rw_type: (b: number[]) => Exporter;
  /** getitem_type(bytes([c])): the bytes one item of the source stands for. */
  getitem_type: (b: number[]) => number[];
  itemsize: number;
  format: string;
  /** The exporter's contents as a list of items (for _check_contents). */
  contents: (obj: Exporter) => number[];
}

const bytesKind: Kind = {
  name: 'Bytes',
  ro_type: (b) => new Bytes(b),
  rw_type: (b) => new ByteArray(b),
  getitem_type: (b) => b,
  itemsize: 1,
  format: 'B',
  contents: (obj) => Array.from((obj as Bytes).toUint8Array()),
};

const arrayKind: Kind = {
  name: 'Array',
  ro_type: null,
  rw_type: (b) => typedArray('i', b),
  getitem_type: (b) => Array.from(new Uint8Array(new Int32Array(b).buffer)),
  itemsize: 4,
  format: 'i',
  contents: (obj) => Array.from(obj as Int32Array),
};

interface Indirection {
  name: string;
  source_bytes: string;
  _view: (obj: Exporter) => MemoryView;
  /** _check_contents: the part of obj the view covers, as items. */
  covered: (items: number[]) => number[];
}

const memoryviewLevel: Indirection = {
  name: 'Memoryview',
  source_bytes: 'abcdef',
  _view: (obj) => memoryview(obj),
  covered: (x) => x,
};
const sliceLevel: Indirection = {
  name: 'MemorySlice',
  source_bytes: 'XabcdefY',
  _view: (obj) => memoryview(obj).get(S(1, 7)) as MemoryView,
  covered: (x) => x.slice(1, 7),
};
const sliceSliceLevel: Indirection = {
  name: 'MemorySliceSlice',
  source_bytes: 'XabcdefY',
  _view: (obj) => (memoryview(obj).get(S(null, 7)) as MemoryView).get(S(1, null)) as MemoryView,
  covered: (x) => x.slice(1, 7),
};

/** list.index(value, start, stop) with Python's index adjustment; -1 when absent. */
function listIndex(l: readonly unknown[], v: unknown, start: number, stop: number): number {
  const n = l.length;
  let lo = start < 0 ? Math.max(start + n, 0) : start;
  const hi = stop < 0 ? Math.max(stop + n, 0) : Math.min(stop, n);
  for (; lo < hi; lo++) if (l[lo] === v) return lo;
  return -1;
}

function abstractMemoryTests(kind: Kind, level: Indirection): void {
  const _source = enc(level.source_bytes);
  const _types = [kind.ro_type, kind.rw_type].filter((t): t is (b: number[]) => Exporter => t !== null);
  const _view = level._view;
  const _check_contents = (_tp: unknown, obj: Exporter, contents: string): void => {
    assertEq(level.covered(kind.contents(obj)), enc(contents));
  };

  it('test_getitem', () => {
    for (const tp of _types) {
      const b = tp(_source);
      const m = _view(b);
      expect(m.get(0)).toBe(ord('a'));
      expect(typeof m.get(0)).toBe('number');
      expect(m.get(5)).toBe(ord('f'));
      expect(m.get(-1)).toBe(ord('f'));
      expect(m.get(-6)).toBe(ord('a'));
      // Bounds checking
      raises(IndexError, () => m.get(6));
      raises(IndexError, () => m.get(-7));
      raises(IndexError, () => m.get(SYS_MAXSIZE));
      raises(IndexError, () => m.get(-SYS_MAXSIZE));
      // Type checking (m[0.0]: JS's 0.0 is the int 0, so the float key is 0.5)
      raises(TypeError, () => m.get(null as never));
      raises(TypeError, () => m.get(0.5 as never));
      raises(TypeError, () => m.get('a' as never));
    }
  });

  it('test_index', () => {
    for (const tp of _types) {
      const b = tp(_source);
      const m = _view(b); // may be a sub-view
      const l = m.tolist() as number[];
      const k = 2 * _source.length;
      for (const chi of _source) {
        if (l.includes(chi)) expect(m.index(chi)).toBe(l.indexOf(chi));
        else raises(ValueError, () => m.index(chi));
        for (let start = -k; start < k; start++) {
          for (let stop = -k; stop < k; stop++) {
            const index = listIndex(l, chi, start, stop);
            if (index === -1) raises(ValueError, () => m.index(chi, start, stop));
            else expect(m.index(chi, start, stop)).toBe(index);
          }
        }
      }
    }
  });

  it('test_iter', () => {
    for (const tp of _types) {
      const m = _view(tp(_source));
      assertEq(
        [...m],
        Array.from({ length: m.length }, (_, i) => m.get(i)),
      );
    }
  });

  it('test_count', () => {
    for (const tp of _types) {
      let m = _view(tp(_source));
      let l = m.tolist() as number[];
      for (const ch of m) expect(m.count(ch)).toBe(l.filter((x) => x === ch).length);

      const b = tp([...enc('aaaaa'), ...enc('ccc')]);
      m = _view(b); // may be sliced
      l = m.tolist() as number[];
      for (const c of 'abc') expect(m.count(ord(c))).toBe(l.filter((x) => x === ord(c)).length);

      if (level === memoryviewLevel) {
        // BaseMemoryviewTests.test_count: the view is not sliced
        m = _view(b);
        expect(m.length).toBe(8);
        expect(m.count(ord('a'))).toBe(5);
        expect(m.count(ord('b'))).toBe(0);
        expect(m.count(ord('c'))).toBe(3);
      }
    }
  });

  if (kind.ro_type !== null) {
    const ro_type = kind.ro_type;
    it('test_setitem_readonly', () => {
      const b = ro_type(_source);
      const m = _view(b);
      raises(TypeError, () => m.set(0, new Uint8Array([97])));
      raises(TypeError, () => m.set(0, 65));
      raises(TypeError, () => m.set(0, memoryview(new Bytes('a'))));
    });
  }

  it('test_setitem_writable', () => {
    const tp = kind.rw_type;
    const b = tp(_source);
    const m = _view(b);
    m.set(0, ord('1'));
    _check_contents(tp, b, '1bcdef');
    m.set(S(0, 1), tp(enc('0')));
    _check_contents(tp, b, '0bcdef');
    m.set(S(1, 3), tp(enc('12')));
    _check_contents(tp, b, '012def');
    m.set(S(1, 1), tp([]));
    _check_contents(tp, b, '012def');
    m.set(S(null, null), tp(enc('abcdef')));
    _check_contents(tp, b, 'abcdef');

    // Overlapping copies of a view into itself
    m.set(S(0, 3), m.get(S(2, 5)));
    _check_contents(tp, b, 'cdedef');
    m.set(S(null, null), tp(enc('abcdef')));
    m.set(S(2, 5), m.get(S(0, 3)));
    _check_contents(tp, b, 'ababcf');

    const setitem = (key: unknown, value: string): void => m.set(key as never, tp(enc(value)));
    // Bounds checking
    raises(IndexError, () => setitem(6, 'a'));
    raises(IndexError, () => setitem(-7, 'a'));
    raises(IndexError, () => setitem(SYS_MAXSIZE, 'a'));
    raises(IndexError, () => setitem(-SYS_MAXSIZE, 'a'));
    // Wrong index/slice types
    raises(TypeError, () => setitem(0.5, 'a'));
    raises(TypeError, () => setitem([0], 'a'));
    raises(TypeError, () => setitem([S(0, 1, 1), 0], 'a'));
    raises(TypeError, () => setitem([0, S(0, 1, 1)], 'a'));
    raises(TypeError, () => setitem([0], 'a'));
    raises(TypeError, () => setitem('a', 'a'));
    // Not implemented: multidimensional slices
    raises(NotImplementedError, () => setitem([S(0, 1, 1), S(0, 1, 2)], 'a'));
    // Trying to resize the memory object
    const exc = m.format === 'c' ? ValueError : TypeError;
    raises(exc, () => setitem(0, ''));
    raises(exc, () => setitem(0, 'ab'));
    raises(ValueError, () => setitem(S(1, 1), 'a'));
    raises(ValueError, () => setitem(S(0, 2), 'a'));
  });

  it('test_delitem', () => {
    for (const tp of _types) {
      const m = _view(tp(_source));
      raises(TypeError, () => m.delete(1));
      raises(TypeError, () => m.delete(S(1, 4)));
    }
  });

  it('test_tobytes', () => {
    for (const tp of _types) {
      const m = _view(tp(_source));
      const expected = enc('abcdef').flatMap((c) => kind.getitem_type([c]));
      assertEq(m.tobytes(), Uint8Array.from(expected));
      expect(m.tobytes()).toBeInstanceOf(Uint8Array);
    }
  });

  if (kind === bytesKind) {
    // BaseArrayMemoryTests skips it
    it('test_tolist', () => {
      for (const tp of _types) assertEq(_view(tp(_source)).tolist(), enc('abcdef'));
    });
  }

  it('test_compare', () => {
    for (const tp of _types) {
      const m = _view(tp(_source));
      for (const tp_comp of _types) {
        assertMvEq(m, tp_comp(enc('abcdef')));
        assertMvNe(m, tp_comp(enc('abcde')));
        assertMvNe(m, tp_comp(enc('abcde1')));
      }
      assertMvEq(m, m);
      assertMvEq(m, m.get(S(null, null)));
      assertMvEq(m.get(S(0, 6)), m.get(S(null, null)));
      assertMvNe(m.get(S(0, 5)), m);
      // Comparison with objects which don't support the buffer API
      assertMvNe(m, 'abcdef');
      // (Unordered comparisons raising TypeError: JS has no rich comparison protocol)
    }
  });

  const check_attributes_with_type = (tp: (b: number[]) => Exporter): MemoryView => {
    const m = _view(tp(_source));
    expect(m.format).toBe(kind.format);
    expect(m.itemsize).toBe(kind.itemsize);
    expect(m.ndim).toBe(1);
    expect(m.shape).toEqual([6]);
    expect(m.length).toBe(6);
    expect(m.strides).toEqual([kind.itemsize]);
    expect(m.suboffsets).toEqual([]);
    return m;
  };

  if (kind.ro_type !== null) {
    const ro_type = kind.ro_type;
    it('test_attributes_readonly', () => {
      expect(check_attributes_with_type(ro_type).readonly).toBe(true);
    });
  }

  it('test_attributes_writable', () => {
    expect(check_attributes_with_type(kind.rw_type).readonly).toBe(false);
  });

  if (kind === bytesKind) {
    // BaseArrayMemoryTests skips it
    it('test_getbuffer', () => {
      // PyObject_GetBuffer() on a memoryview object: str(m, "utf-8") decodes a simple buffer of it
      for (const tp of _types) {
        const b = tp(_source);
        const m = _view(b);
        const view = capi.PyObject_GetBuffer(m, PyBUF.SIMPLE);
        let s: string;
        try {
          s = new TextDecoder('utf-8').decode(readMemory(view.buf, view.len));
        } finally {
          capi.PyBuffer_Release(view);
        }
        _check_contents(tp, b, s);
        m.release(); // the exported buffer was given back: the view can go
      }
    });
  }

  const _check_released = (m: MemoryView, tp: (b: number[]) => Exporter): void => {
    const check = (fn: () => unknown): void => {
      raises(ValueError, fn, /released/);
    };
    check(() => capi.PyObject_GetBuffer(m, PyBUF.SIMPLE)); // bytes(m)
    check(() => m.tobytes());
    check(() => m.tolist());
    check(() => m.get(0));
    check(() => m.set(0, new Uint8Array([0x78])));
    check(() => m.length);
    check(() => m.format);
    check(() => m.itemsize);
    check(() => m.ndim);
    check(() => m.readonly);
    check(() => m.shape);
    check(() => m.strides);
    // (`with m:` on a released view: a `using` declaration has no enter hook to refuse it)
    // str() and repr() still function
    expect(String(m)).toContain('released memory');
    assertMvEq(m, m);
    assertMvNe(m, memoryview(tp(_source)));
    assertMvNe(m, tp(_source));
  };

  it('test_contextmanager', () => {
    for (const tp of _types) {
      const b = tp(_source);
      let m = _view(b);
      using(m, (cm) => expect(cm).toBe(m));
      _check_released(m, tp);
      m = _view(b);
      // Can release explicitly inside the context manager
      using(m, () => m.release());
    }
  });

  it('test_release', () => {
    for (const tp of _types) {
      const b = tp(_source);
      const m = _view(b);
      m.release();
      _check_released(m, tp);
      // Can be called a second time (it's a no-op)
      m.release();
      _check_released(m, tp);
    }
  });

  if (kind.ro_type !== null) {
    const ro_type = kind.ro_type;
    it('test_writable_readonly', () => {
      // Issue #10451: io.BytesIO.readinto(m) asks m for a writable buffer, which a read-only
      // view refuses (readinto turns the refusal into its TypeError).
      const m = _view(ro_type(_source));
      expect(() => capi.PyObject_GetBuffer(m, PyBUF.WRITABLE)).toThrow(/not writable/);
    });
  }

  it('test_getbuf_fail', () => {
    raises(TypeError, () => _view({}));
  });

  if (kind.ro_type !== null) {
    const ro_type = kind.ro_type;
    it('test_hash', () => {
      const b = ro_type(_source);
      let m = _view(b);
      const h = pyHashBytes32(Uint8Array.from(enc('abcdef')));
      expect(m.hash()).toBe(h);
      // Releasing the memoryview keeps the stored hash value (as with weakrefs)
      m.release();
      expect(m.hash()).toBe(h);
      // Hashing a memoryview for the first time after it is released results in an error.
      m = _view(b);
      m.release();
      raises(ValueError, () => m.hash());
    });
  }

  it('test_hash_writable', () => {
    const m = _view(kind.rw_type(_source));
    raises(ValueError, () => m.hash());
  });

  it('test_reversed', () => {
    for (const tp of _types) {
      const m = _view(tp(_source));
      const aslist = (m.tolist() as number[]).slice().reverse();
      const reversed = Array.from({ length: m.length }, (_, i) => m.get(m.length - 1 - i));
      assertEq(reversed, aslist);
      assertEq(reversed, [...(m.get(S(null, null, -1)) as MemoryView)]);
    }
  });

  it('test_toreadonly', () => {
    for (const tp of _types) {
      const m = _view(tp(_source));
      const mm = m.toreadonly();
      expect(mm.readonly).toBe(true);
      expect(memoryview(mm).readonly).toBe(true);
      assertEq(mm.tolist(), m.tolist());
      mm.release();
      m.tolist();
    }
  });

  it('test_issue22668', () => {
    const a = typedArray('H', [256, 256, 256, 256]);
    const x = memoryview(a);
    const m = x.cast('B');
    const b = m.cast('H');
    const c = b.get(S(0, 2)) as MemoryView;
    const d = memoryview(b);
    b.release(); // del b
    expect(c.get(0)).toBe(256);
    expect(d.get(0)).toBe(256);
    expect(c.format).toBe('H');
    expect(d.format).toBe('H');
    m.cast('I');
    expect(c.get(0)).toBe(256);
    expect(d.get(0)).toBe(256);
    expect(c.format).toBe('H');
    expect(d.format).toBe('H');
  });
}

describe('BytesMemoryviewTest', () => {
  abstractMemoryTests(bytesKind, memoryviewLevel);

  it('test_constructor', () => {
    for (const tp of [bytesKind.ro_type!, bytesKind.rw_type]) {
      const ob = tp(enc('abcdef'));
      expect(memoryview(ob)).toBeTruthy();
      // memoryview() without an argument (the keyword and two-argument forms are not applicable)
      raises(TypeError, () => MemoryView.fromObject(undefined));
    }
  });
});

describe('ArrayMemoryviewTest', () => {
  abstractMemoryTests(arrayKind, memoryviewLevel);

  it('test_array_assign', () => {
    // Issue #4569: segfault when mutating a memoryview with itemsize != 1
    const a = typedArray(
      'i',
      Array.from({ length: 10 }, (_, i) => i),
    );
    const m = memoryview(a);
    const new_a = typedArray(
      'i',
      Array.from({ length: 10 }, (_, i) => 9 - i),
    );
    m.set(S(null, null), new_a);
    assertEq(Array.from(a), Array.from(new_a));
  });
});

describe('BytesMemorySliceTest', () => {
  abstractMemoryTests(bytesKind, sliceLevel);
});

describe('ArrayMemorySliceTest', () => {
  abstractMemoryTests(arrayKind, sliceLevel);
});

describe('BytesMemorySliceSliceTest', () => {
  abstractMemoryTests(bytesKind, sliceSliceLevel);
});

describe('ArrayMemorySliceSliceTest', () => {
  abstractMemoryTests(arrayKind, sliceSliceLevel);
});

describe('OtherTest', () => {
  it('test_ctypes_cast', () => {
    // Issue 15944: allow all source formats when casting to bytes. ctypes.c_double exports a
    // 0-dim '<d' buffer; a writable 0-dim NDArray with format '<d' stands in for it.
    const c_double = (): NDArray => ndarray(0.0, { shape: [], format: '<d', flags: ND.WRITABLE });
    const p6 = Array.from(struct.pack('<d', 0.6));

    let d = c_double();
    let m: MemoryView = memoryview(d).cast('B');
    m.set(S(null, 2), new Bytes(p6.slice(0, 2)));
    m.set(S(2, null), new Bytes(p6.slice(2)));
    expect(d.get([])).toBe(0.6);

    for (const format of 'Bbc') {
      d = c_double();
      m = memoryview(d).cast(format as CastFormat);
      m.set(
        S(null, 2),
        memoryview(new Bytes(p6))
          .cast(format as CastFormat)
          .get(S(null, 2)),
      );
      m.set(
        S(2, null),
        memoryview(new Bytes(p6))
          .cast(format as CastFormat)
          .get(S(2, null)),
      );
      expect(d.get([]), format).toBe(0.6);
    }
  });

  it('test_half_float', () => {
    const half_data = new Bytes(struct.pack('eee', 0.0, -1.5, 1.5));
    const float_data = new Bytes(struct.pack('fff', 0.0, -1.5, 1.5));
    const half_view = memoryview(half_data).cast('e');
    const float_view = memoryview(float_data).cast('f');
    expect(half_view.nbytes * 2).toBe(float_view.nbytes);
    assertEq(half_view.tolist(), float_view.tolist());
  });

  it('test_memoryview_hex', () => {
    // Issue #9951: memoryview.hex() segfaults with non-contiguous buffers.
    const x = new Bytes(new Array(200000).fill(0x30));
    const m1 = memoryview(x);
    const m2 = m1.get(S(null, null, -1)) as MemoryView;
    expect(m2.hex()).toBe('30'.repeat(200000));
  });

  it('test_memoryview_hex_separator', () => {
    const x = new Bytes([97, 98, 99, 100, 101]);
    const m1 = memoryview(x);
    const m2 = m1.get(S(null, null, -1)) as MemoryView;
    expect(m2.hex(':')).toBe('65:64:63:62:61');
    expect(m2.hex(':', 2)).toBe('65:6463:6261');
    expect(m2.hex(':', -2)).toBe('6564:6362:61');
    for (const bytes_per_sep of [5, -5, 2 ** 31 - 1, -(2 ** 31 - 1)]) {
      expect(m2.hex(':', bytes_per_sep)).toBe('6564636261');
    }
    for (const bytes_per_sep of [2 ** 31, -(2 ** 31), 2 ** 1000, -(2 ** 1000)]) {
      try {
        expect(m2.hex(':', bytes_per_sep)).toBe('6564636261');
      } catch (e) {
        expect((e as Error).name).toBe('OverflowError');
      }
    }
  });
});
