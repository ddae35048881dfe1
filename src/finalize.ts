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
  /** Whether the buffer is on the registry (registration is deferred, see below). */
  registered: boolean;
}

/** The managed buffer as the net sees it. */
interface Tracked {
  readonly released: boolean;
}

const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry<ManagedBufferRemains>(collect)
  : null;

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
// A buffer is kept alive by this list only until the next flush.
const PENDING_MAX = 256;
const pendingBuffers: Tracked[] = [];
const pendingRemains: ManagedBufferRemains[] = [];
let flushScheduled = false;

function flush(): void {
  flushScheduled = false;
  for (let i = 0; i < pendingBuffers.length; i++) {
    const mbuf = pendingBuffers[i];
    const remains = pendingRemains[i];
    if (!mbuf.released && registry !== null) {
      registry.register(mbuf, remains, mbuf);
      remains.registered = true;
      finalizeStats.tracked++;
    }
  }
  pendingBuffers.length = 0;
  pendingRemains.length = 0;
}

/** Puts a new managed buffer on the net (called by its constructor). */
export function trackManagedBuffer(mbuf: Tracked, remains: ManagedBufferRemains): void {
  if (registry === null) return;
  pendingBuffers.push(mbuf);
  pendingRemains.push(remains);
  if (pendingBuffers.length >= PENDING_MAX) {
    flush();
  } else if (!flushScheduled) {
    flushScheduled = true;
    queueMicrotask(flush);
  }
}

/** Takes a released managed buffer off the net (called by its release()). */
export function untrackManagedBuffer(mbuf: Tracked, remains: ManagedBufferRemains): void {
  if (remains.registered) {
    registry?.unregister(mbuf);
    remains.registered = false;
  }
}
