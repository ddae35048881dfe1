// The managed buffer (_PyManagedBufferObject in Objects/memoryobject.c): the one buffer a
// memoryview and every view made from it share, acquired from the exporter once and released
// when the last view registered on it goes (or by the finalization net, src/finalize.ts).
import { Py_buffer, checkDescriptor, getBuffer, releaseBuffer } from '../buffer.js';
import { checkOwnedMemory } from '../reach.js';
import { ValueError } from '../errors.js';
import { trackManagedBuffer, untrackManagedBuffer, type ManagedBufferRemains } from '../finalize.js';
import { PyBUF } from '../flags.js';
import { heapU8 } from '../wasm/heap.js';
import { settleObjectShape } from '../object-shape.js';

/** An object whose memory a managed buffer owns outright (the bytes behind a contiguous copy). */
interface OwnedExporter {
  dispose(): void;
}

/**
 * The managed buffer (_PyManagedBufferObject): one buffer acquired from the exporter, shared by
 * every memoryview made from it; released when the last registered view goes.
 */
export class ManagedBuffer {
  /** @internal The buffer as the exporter filled it (read-only for all views). */
  readonly master: Py_buffer;
  /** @internal Views registered on this buffer. */
  exports = 0;
  /** @internal Whether the exporter's buffer has been released. */
  released = false;
  /**
   * @internal What the finalization net (src/finalize.ts) releases if this buffer is collected
   * unreleased; made by the net when it registers the buffer, null before.
   */
  remains: ManagedBufferRemains | null = null;
  /** An exporter created for this buffer alone (see `owned`). */
  private ownedExporter: OwnedExporter | null = null;

  // Private: a managed buffer exists only behind the memoryviews registered on it.
  private constructor(master: Py_buffer) {
    this.master = master;
    trackManagedBuffer(this);
  }

  /**
   * @internal A released buffer of no export: what settleObjectShape makes of this class (and
   * memoryview.ts of MemoryView) at load.
   */
  static detached(): ManagedBuffer {
    const mbuf = new ManagedBuffer(new Py_buffer());
    mbuf.release();
    return mbuf;
  }

  /** @internal An exporter created for this buffer alone, disposed with it. */
  get owned(): OwnedExporter | null {
    return this.ownedExporter;
  }

  /** @internal */
  set owned(exporter: OwnedExporter | null) {
    this.ownedExporter = exporter;
    if (this.remains !== null) this.remains.owned = exporter;
  }

  /** @internal _PyManagedBuffer_FromObject. */
  static fromObject(base: unknown, flags: number): ManagedBuffer {
    return new ManagedBuffer(getBuffer(base, flags));
  }

  /**
   * @internal PyMemoryView_FromMemory's buffer: `size` bytes at `ptr` as one dimension of 'B',
   * with no exporter; writable only for `flags` PyBUF.WRITE. The memory must be a caller's own.
   */
  static fromMemory(ptr: number, size: number, flags: number): ManagedBuffer {
    // flags other than READ and WRITE are only an assert() in PyMemoryView_FromMemory: release
    // builds (Pyodide's) make any flags but PyBUF_WRITE read-only, and so does this
    if (!Number.isInteger(ptr) || ptr <= 0) {
      throw new ValueError('PyMemoryView_FromMemory(): mem must not be NULL');
    }
    if (!Number.isInteger(size) || size < 0) {
      throw new ValueError('PyMemoryView_FromMemory(): size must not be negative');
    }
    if (ptr + size > heapU8().length) {
      throw new ValueError('PyMemoryView_FromMemory(): the memory lies outside the runtime');
    }
    checkOwnedMemory('PyMemoryView_FromMemory', ptr, size);
    const master = new Py_buffer();
    master.buf = ptr;
    master.len = size;
    master.readonly = flags !== PyBUF.WRITE;
    master.itemsize = 1;
    master.format = 'B';
    master.ndim = 1;
    master.shape = [size];
    master.strides = [1];
    return new ManagedBuffer(master);
  }

  /**
   * @internal PyMemoryView_FromBuffer's buffer: a copy of a descriptor the caller filled in,
   * without its exporter (the caller keeps it), checked as an exporter's would be.
   */
  static fromBuffer(info: Py_buffer): ManagedBuffer {
    if (info.buf === 0) {
      throw new ValueError('PyMemoryView_FromBuffer(): info->buf must not be NULL');
    }
    const master = info.copy();
    master.obj = null;
    // the fields a view is rebuilt from must exist
    if (master.ndim > 1 && master.shape === null) {
      throw new ValueError('PyMemoryView_FromBuffer(): ndim > 1 requires shape');
    }
    if (master.ndim === 1 && master.shape === null && master.itemsize <= 0) {
      throw new ValueError('PyMemoryView_FromBuffer(): itemsize must be positive');
    }
    checkDescriptor(master);
    return new ManagedBuffer(master);
  }

  /** @internal mbuf_release. */
  release(): void {
    if (this.released) return;
    this.released = true;
    untrackManagedBuffer(this);
    releaseBuffer(this.master);
    const owned = this.owned;
    this.owned = null;
    owned?.dispose();
  }
}

// V8 sizes the class's objects now, with their fields inline (src/object-shape.ts)
settleObjectShape(() => ManagedBuffer.detached());
