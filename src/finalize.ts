// A safety net for memoryviews the program forgot to release. Views hold their managed buffer
// and nothing else does, so when every view of a managed buffer has been garbage collected
// unreleased, the managed buffer is collected too, and the net releases the exporter's buffer
// as the last release() would have done (which lets a Bytes/ByteArray/NDArray be disposed,
// resized or collected in turn, and frees the Bytes behind a contiguous copy).
//
// It is a net, not a substitute for release() / `using`: collection happens at the engine's
// discretion (maybe never before the program ends), and until it does the exporter stays
// exported (a ByteArray cannot resize) and its Wasm memory stays allocated.
//
// One registration per managed buffer, not per view: registering is the dearest part of making
// a small view, and a buffer shared by many views is released once anyway.
import { releaseBuffer, type Py_buffer } from './buffer.js';

/** Counters of the net, for tests and diagnostics. */
export const finalizeStats = { tracked: 0, collected: 0, errors: 0 };

/** What releasing a managed buffer needs; never the managed buffer itself (that would keep it alive). */
export interface ManagedBufferRemains {
  readonly master: Py_buffer;
  owned: { dispose(): void } | null;
}

/** The managed buffer as the net sees it. */
export interface TrackedBuffer {
  readonly released: boolean;
  readonly master: Py_buffer;
  readonly owned: { dispose(): void } | null;
  /**
   * Set by the net when it registers the buffer (null until then): what the net releases if the
   * buffer is collected unreleased. The buffer keeps `owned` in it up to date.
   */
  remains: ManagedBufferRemains | null;
}

const registry =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<ManagedBufferRemains>(collect) : null;

function collect(remains: ManagedBufferRemains): void {
  finalizeStats.collected++;
  try {
    releaseBuffer(remains.master);
    const owned = remains.owned;
    remains.owned = null;
    owned?.dispose();
  } catch {
    // an exporter's release hook threw: nothing to report it to from a finalizer
    finalizeStats.errors++;
  }
}

// Registration is deferred to the end of the current task (or every PENDING_MAX buffers):
// most views are released right after use, and those never pay for FinalizationRegistry's
// register/unregister, which would otherwise be the dearest part of making a small view.
// A buffer is kept alive by this list only until the next flush; one released while it is the
// newest entry (the usual make, use, release pattern) leaves the list at once, so that pattern
// neither grows the list nor keeps dead buffers alive through minor collections (measured: most
// of what the net cost a small view).
const PENDING_MAX = 256;
const pendingBuffers: TrackedBuffer[] = [];
let flushScheduled = false;

function flush(): void {
  flushScheduled = false;
  for (let i = 0; i < pendingBuffers.length; i++) {
    const mbuf = pendingBuffers[i];
    if (!mbuf.released && registry !== null) {
      // made now, not with the buffer: a buffer released before the flush never needs it
      const remains: ManagedBufferRemains = { master: mbuf.master, owned: mbuf.owned };
      mbuf.remains = remains;
      registry.register(mbuf, remains, mbuf);
      finalizeStats.tracked++;
    }
  }
  pendingBuffers.length = 0;
}

/** Puts a new managed buffer on the net (called by its constructor). */
export function trackManagedBuffer(mbuf: TrackedBuffer): void {
  if (registry === null) return;
  pendingBuffers.push(mbuf);
  if (pendingBuffers.length >= PENDING_MAX) {
    flush();
  } else if (!flushScheduled) {
    flushScheduled = true;
    queueMicrotask(flush);
  }
}

/** Takes a released managed buffer off the net (called by its release()). */
export function untrackManagedBuffer(mbuf: TrackedBuffer): void {
  const last = pendingBuffers.length - 1;
  if (last >= 0 && pendingBuffers[last] === mbuf) {
    pendingBuffers.pop();
  } else if (mbuf.remains !== null) {
    registry?.unregister(mbuf);
    mbuf.remains = null;
  }
}
