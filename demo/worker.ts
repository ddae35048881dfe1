// The demo's Web Worker: the library bundled by Vite into a worker (new Worker(new URL(...))).
import { MemoryView, NDArray, Py_buffer, capi, init, runtimeInfo, type SharedRuntimeHandle } from 'wasm-memoryview';

export type DemoWorkerRequest =
  | { kind: 'transpose'; rows: number; cols: number }
  | { kind: 'attach-transpose'; handle: SharedRuntimeHandle; src: number; dst: number; rows: number; cols: number };

self.onmessage = async (event: MessageEvent<DemoWorkerRequest>) => {
  const req = event.data;
  try {
    const t = performance.now();
    if (req.kind === 'transpose') {
      await init();
      const values = Array.from({ length: req.rows * req.cols }, (_, k) => k);
      const view = MemoryView.fromObject(new NDArray(values, { shape: [req.rows, req.cols], format: 'i' }));
      const bytes = view.tobytes('F');
      const out = new Int32Array(bytes.buffer, bytes.byteOffset, req.rows * req.cols);
      let ok = true;
      for (let j = 0, k = 0; j < req.cols; j++)
        for (let i = 0; i < req.rows; i++, k++) if (out[k] !== i * req.cols + j) ok = false;
      view.release();
      self.postMessage({ ok, build: runtimeInfo().build, ms: performance.now() - t });
      return;
    }
    await init({ attach: req.handle });
    const view = new Py_buffer();
    Object.assign(view, {
      buf: req.src,
      itemsize: 4,
      format: 'i',
      ndim: 2,
      shape: [req.rows, req.cols],
      strides: [req.cols * 4, 4],
      len: req.rows * req.cols * 4,
      readonly: true,
    });
    capi.PyBuffer_ToContiguous(req.dst, view, req.rows * req.cols * 4, 'F');
    self.postMessage({
      ok: true,
      build: runtimeInfo().build,
      attached: runtimeInfo().attached,
      ms: performance.now() - t,
    });
  } catch (err) {
    self.postMessage({ ok: false, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
};
