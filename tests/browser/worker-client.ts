// Starts the test worker (bundled next to the page as worker.js) and asks it one thing.
import type { WorkerReply, WorkerRequest } from './worker.js';

/** Sends one request to a fresh module worker and resolves with its reply. */
export function askWorker(request: WorkerRequest, timeoutMs = 20_000): Promise<WorkerReply> {
  const worker = new Worker(new URL('./worker.js', location.href), { type: 'module' });
  return new Promise<WorkerReply>((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.terminate();
      reject(new Error('the worker did not answer'));
    }, timeoutMs);
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => {
      clearTimeout(timer);
      worker.terminate();
      reject(new Error(`worker error: ${event.message}`));
    };
    worker.postMessage(request);
  });
}
