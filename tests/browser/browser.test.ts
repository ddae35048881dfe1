// Browser-only behaviour: which build Chromium runs, the library in a Web Worker, and the
// scalar build in a worker. Runs in a page of the browser runner (tests/browser/run.mjs).
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryView, NDArray, init, runtimeInfo, simdSupported } from '../../src/index.js';
import { askWorker } from './worker-client.js';

const rows = 5;
const cols = 7;
const values = Array.from({ length: rows * cols }, (_, k) => k * 3 - 50);
const transposed: number[] = [];
for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) transposed.push(values[i * cols + j]);

beforeAll(async () => {
  await init();
});

describe('in Chromium', () => {
  it('detects Wasm SIMD and runs the SIMD build, unless the page forced the scalar one', () => {
    expect(simdSupported()).toBe(true);
    const forced = (globalThis as { WASM_MEMORYVIEW_SIMD?: boolean }).WASM_MEMORYVIEW_SIMD === false;
    expect(runtimeInfo().build).toBe(forced ? 'scalar' : 'simd');
  });

  it('transposes on the page as plain JS does', () => {
    const view = MemoryView.fromObject(new NDArray(values, { shape: [rows, cols], format: 'i' }));
    const bytes = view.tobytes('F');
    expect(Array.from(new Int32Array(bytes.buffer, bytes.byteOffset, rows * cols))).toEqual(transposed);
    view.release();
  });
});

describe('in a Web Worker', () => {
  it('initializes its own runtime and transposes as plain JS does', async () => {
    const reply = await askWorker({ kind: 'transpose', rows, cols, values });
    expect(reply).toMatchObject({ ok: true, build: 'simd', attached: false, values: transposed });
  });

  it('runs the scalar build when asked to', async () => {
    const reply = await askWorker({ kind: 'transpose', rows, cols, values, simd: false });
    expect(reply).toMatchObject({ ok: true, build: 'scalar', values: transposed });
  });
});
