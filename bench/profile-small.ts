// Profiles the small-view sequence (fromObject + getContiguous + release of 64 bytes):
// node --cpu-prof bench/results/.build/profile-small.mjs, or node bench/run.mjs profile-small.
import { Bytes, MemoryView, PyBUF, init } from '../src/index.js';

await init();
const b = new Bytes(new Uint8Array(64));
const calls = Number(process.env.CALLS ?? 2_000_000);
for (let round = 0; round < 3; round++) {
  const t = performance.now();
  for (let i = 0; i < calls; i++) {
    const m = MemoryView.fromObject(b);
    const g = MemoryView.getContiguous(m, PyBUF.READ, 'C');
    g.release();
    m.release();
  }
  console.log(`${(((performance.now() - t) * 1e3) / calls).toFixed(3)} µs per call`);
}
