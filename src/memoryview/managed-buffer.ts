// The managed buffer (_PyManagedBufferObject in Objects/memoryobject.c): the one buffer a
// memoryview and every view made from it share, acquired from the exporter once and released
// when the last view registered on it goes (or by the finalization net, src/finalize.ts).
import { type Py_buffer, getBuffer, releaseBuffer } from '../buffer.js';
import { trackManagedBuffer, untrackManagedBuffer, type ManagedBufferRemains } from '../finalize.js';

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

  /** @internal A managed buffer of a descriptor filled outside the exporter protocol. */
  static create(master: Py_buffer): ManagedBuffer {
    return new ManagedBuffer(master);
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
