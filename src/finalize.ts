// A safety net for memoryviews the program forgot to release: when a MemoryView is garbage
// collected while still registered on its managed buffer, the view is unregistered as
// release() would have done, and the last view of a managed buffer releases the exporter's
// buffer (which lets a Bytes/ByteArray/NDArray be disposed, resized or collected in turn).
//
// It is a net, not a substitute for release() / `using`: collection happens at the engine's
// discretion (maybe never before the program ends), and until it does the exporter stays
// exported (a ByteArray cannot resize) and its Wasm memory stays allocated.
import type { ManagedBuffer, MemoryView } from './memoryview.js';

/** Counters of the net, for tests and diagnostics. */
export const finalizeStats = { tracked: 0, collected: 0, errors: 0 };

// The held value is the managed buffer, never the view (a held value that refers to its target
// would keep the target alive forever). A view that has exported buffers is reachable through
// those buffers' `obj`, so it is never collected while exported.
const registry = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry<ManagedBuffer>(collectView)
  : null;

function collectView(mbuf: ManagedBuffer): void {
  finalizeStats.collected++;
  try {
    if (mbuf.exports > 0 && --mbuf.exports === 0) mbuf.release();
  } catch {
    // an exporter's release hook threw: nothing to report it to from a finalizer
    finalizeStats.errors++;
  }
}

/** Registers a new view with the net (called by the MemoryView constructor). */
export function trackView(mv: MemoryView, mbuf: ManagedBuffer): void {
  if (registry === null) return;
  registry.register(mv, mbuf, mv);
  finalizeStats.tracked++;
}

/** Takes a released view off the net (called by MemoryView.release()). */
export function untrackView(mv: MemoryView): void {
  registry?.unregister(mv);
}
