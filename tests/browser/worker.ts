// The Web Worker used by the browser tests: the library in a worker, on its own runtime or
// attached to the page's runtime through shared memory.
import { MemoryView, NDArray, Py_buffer, capi, init, runtimeInfo, type SharedRuntimeHandle } from '../../src/index.js';

/** Requests the page sends. */
export type WorkerRequest =
  | { kind: 'transpose'; rows: number; cols: number; values: number[]; simd?: boolean }
  | { kind: 'attach-transpose'; handle: SharedRuntimeHandle; src: number; dst: number; rows: number; cols: number }
  | { kind: 'allocate'; handle: SharedRuntimeHandle };

/** The worker's answers. */
export type WorkerReply =
  | { ok: true; build: string; attached: boolean; crossOriginIsolated: boolean; values?: number[] }
  | { ok: false; error: string; name: string };

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  if (request.kind === 'transpose') {
    await init(request.simd === undefined ? {} : { simd: request.simd });
    const nd = new NDArray(request.values, { shape: [request.rows, request.cols], format: 'i' });
    const view = MemoryView.fromObject(nd);
    const bytes = view.tobytes('F');
    view.release();
    const values = Array.from(new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    return { ok: true, build: runtimeInfo().build, attached: false, crossOriginIsolated, values };
  }
  await init({ attach: request.handle });
  if (request.kind === 'allocate') {
    capi.PyMem_Malloc(16);
    return { ok: true, build: runtimeInfo().build, attached: runtimeInfo().attached, crossOriginIsolated };
  }
  const { rows, cols } = request;
  const view = new Py_buffer();
  Object.assign(view, {
    buf: request.src,
    itemsize: 4,
    format: 'i',
    ndim: 2,
    shape: [rows, cols],
    strides: [cols * 4, 4],
    len: rows * cols * 4,
    readonly: true,
  });
  capi.PyBuffer_ToContiguous(request.dst, view, rows * cols * 4, 'F');
  return { ok: true, build: runtimeInfo().build, attached: runtimeInfo().attached, crossOriginIsolated };
}

self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  handle(event.data).then(
    (reply) => self.postMessage(reply),
    (err: unknown) =>
      self.postMessage({
        ok: false,
        name: err instanceof Error ? err.name : 'Error',
        error: err instanceof Error ? err.message : String(err),
      } satisfies WorkerReply),
  );
};
