// The demo page: runtime facts, correctness checks, the benchmark with its chart, the
// interactive example and the Web Worker panel. Everything it found is also published on
// globalThis.__demo for the browser tests (tests/browser/run.mjs).
import { capi, init, runtimeInfo, runtimeMemory, shareRuntime, simdSupported } from 'wasm-memoryview';
import { drawChart } from './chart.js';
import { runExample, type ExampleResult } from './example.js';
import { runScenario, scenarios, type BenchResult } from './bench.js';

interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}
interface DemoState {
  done: boolean;
  runtime?: ReturnType<typeof runtimeInfo> & {
    simdSupported: boolean;
    crossOriginIsolated: boolean;
    userAgent: string;
  };
  checks: Check[];
  bench: BenchResult[];
  example?: ExampleResult;
  worker: Array<{ name: string; ok: boolean; detail: string }>;
}
const state: DemoState = { done: false, checks: [], bench: [], worker: [] };
(globalThis as { __demo?: DemoState }).__demo = state;

const params = new URLSearchParams(location.search);
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function addCheck(check: Check): void {
  state.checks.push(check);
  const li = document.createElement('li');
  li.className = check.ok ? 'ok' : 'bad';
  li.textContent = `${check.ok ? '✓' : '✗'} ${check.name}${check.detail ? ` — ${check.detail}` : ''}`;
  $('checks').append(li);
}

function showExample(): ExampleResult {
  const form = $<HTMLFormElement>('example');
  const data = new FormData(form);
  return runExample(
    {
      shape: String(data.get('shape')),
      format: String(data.get('format')),
      slice: String(data.get('slice')),
      order: String(data.get('order')),
    },
    { info: $('example-info'), grid: $('example-grid'), out: $('example-out'), check: $('example-check') },
  );
}

async function runBench(keep = false): Promise<void> {
  const button = $<HTMLButtonElement>('run-bench');
  button.disabled = true;
  if (!keep) state.bench = [];
  const run: BenchResult[] = [];
  const body = $('bench-table').querySelector('tbody') as HTMLTableSectionElement;
  if (!keep) body.replaceChildren();
  for (const sc of scenarios) {
    $('bench-status').textContent = `running ${sc.name}…`;
    const r = await runScenario(sc);
    state.bench.push(r);
    run.push(r);
    addCheck({
      name: `benchmark ${r.name} on ${r.threads} thread(s): Wasm and plain JS give the same bytes`,
      ok: r.same,
    });
    const row = document.createElement('tr');
    for (const v of [
      r.name,
      r.wasmMs.toFixed(3),
      r.jsMs.toFixed(3),
      r.wasmGBs.toFixed(2),
      r.jsGBs.toFixed(2),
      `×${(r.jsMs / r.wasmMs).toFixed(2)}`,
      String(r.threads),
      r.same ? '✓' : '✗',
    ]) {
      const td = document.createElement('td');
      td.textContent = v;
      row.append(td);
    }
    body.append(row);
    drawChart($('chart'), run);
  }
  $('bench-status').textContent =
    `done: median of 7 runs per scenario, ${runtimeInfo().build} build, ` + `${runtimeInfo().threads} thread(s)`;
  button.disabled = false;
}

/** The threads toggle: init({ threads }) may change the thread count after the first call. */
async function setThreads(on: boolean): Promise<void> {
  await init({ threads: on ? 'auto' : 1 });
  const info = runtimeInfo();
  $<HTMLInputElement>('threads').checked = info.threads > 1;
  $('threads-count').textContent = on ? String(info.threads) : `${Math.min(navigator.hardwareConcurrency, 8)}`;
  $('threads-note').textContent = info.threadsReason !== undefined && on ? `(one thread: ${info.threadsReason})` : '';
}

function askWorker<T>(request: unknown, transfer: Transferable[] = []): Promise<T> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.terminate();
      reject(new Error('no answer in 20 s'));
    }, 20_000);
    worker.onmessage = (e: MessageEvent<T>) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e) => {
      clearTimeout(timer);
      worker.terminate();
      reject(new Error(e.message));
    };
    worker.postMessage(request, transfer);
  });
}

async function runWorkers(): Promise<void> {
  const list = $('worker-results');
  const show = (name: string, ok: boolean, detail: string) => {
    state.worker.push({ name, ok, detail });
    const li = document.createElement('li');
    li.className = ok ? 'ok' : 'bad';
    li.textContent = `${ok ? '✓' : '✗'} ${name}: ${detail}`;
    list.append(li);
    addCheck({ name: `worker: ${name}`, ok, detail });
  };
  try {
    const r = await askWorker<{ ok: boolean; build: string; ms: number; error?: string }>({
      kind: 'transpose',
      rows: 300,
      cols: 200,
    });
    show(
      'own runtime, 300x200 int32 transpose',
      r.ok,
      r.ok ? `${r.build} build, ${r.ms.toFixed(1)} ms with init` : String(r.error),
    );
  } catch (err) {
    show('own runtime, 300x200 int32 transpose', false, String(err));
  }
  if (!runtimeInfo().sharedMemory) {
    const li = document.createElement('li');
    li.textContent = crossOriginIsolated
      ? 'shared memory: off (page opened with ?shared=0 or ?simd=0)'
      : 'shared memory: not available — the page is not cross-origin isolated (serve it with COOP/COEP headers)';
    list.append(li);
    state.worker.push({ name: 'shared memory', ok: true, detail: li.textContent });
    return;
  }
  const rows = 512;
  const cols = 384;
  const nbytes = rows * cols * 4;
  const src = capi.PyMem_Malloc(nbytes);
  const dst = capi.PyMem_Malloc(nbytes);
  try {
    const handle = shareRuntime({
      blocks: [
        [src, nbytes],
        [dst, nbytes],
      ],
    });
    const a = new Int32Array(runtimeMemory().buffer, src, rows * cols);
    for (let k = 0; k < a.length; k++) a[k] = k;
    const r = await askWorker<{ ok: boolean; build: string; ms: number; error?: string }>({
      kind: 'attach-transpose',
      handle,
      src,
      dst,
      rows,
      cols,
    });
    const out = new Int32Array(runtimeMemory().buffer, dst, rows * cols);
    let ok = r.ok;
    for (let j = 0, k = 0; ok && j < cols; j++)
      for (let i = 0; i < rows; i++, k++)
        if (out[k] !== i * cols + j) {
          ok = false;
          break;
        }
    show(
      `shared memory, the worker transposes this page's ${rows}x${cols} int32 in place`,
      ok,
      ok
        ? `${r.build} build, ${r.ms.toFixed(1)} ms with attach, no copy between threads`
        : String(r.error ?? 'wrong bytes'),
    );
    capi.PyMem_Free(handle.scratch);
  } catch (err) {
    show('shared memory', false, String(err));
  } finally {
    capi.PyMem_Free(src);
    capi.PyMem_Free(dst);
  }
}

async function main(): Promise<void> {
  const forceScalar = params.get('simd') === '0';
  const shared = crossOriginIsolated && params.get('shared') !== '0' && !forceScalar && simdSupported();
  await init({ ...(forceScalar ? { simd: false } : {}), ...(shared ? { sharedMemory: true } : {}) });
  state.runtime = {
    ...runtimeInfo(),
    simdSupported: simdSupported(),
    crossOriginIsolated,
    userAgent: navigator.userAgent,
  };
  const info = runtimeInfo();
  $('runtime').textContent =
    `runtime: ${info.build} build (${info.hash}); engine SIMD: ${simdSupported()}; ` +
    `memory: ${info.sharedMemory ? 'shared (cross-origin isolated)' : 'private'}; ` +
    `${navigator.hardwareConcurrency} threads; ${navigator.userAgent}`;
  addCheck({ name: 'the runtime initialized', ok: true, detail: `${info.build} build` });

  const form = $<HTMLFormElement>('example');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    state.example = showExample();
  });
  state.example = showExample();
  addCheck({
    name: 'interactive example: tobytes matches plain JS',
    ok: state.example.ok,
    detail: state.example.error,
  });
  // more layouts through the same example code: every order, negative steps, 1-D to 3-D
  const cases = [
    { shape: '4,6', format: 'i', slice: '::-1, 1::2', order: 'F' },
    { shape: '3,4,5', format: 'h', slice: '1:, ::-2, ::3', order: 'C' },
    { shape: '3,4,5', format: 'd', slice: ':, :, ::-1', order: 'F' },
    { shape: '200', format: 'B', slice: '190:3:-7', order: 'A' },
    { shape: '8,8', format: 'f', slice: '::3, ::-3', order: 'A' },
  ];
  const scratchHosts = {
    info: document.createElement('p'),
    grid: document.createElement('div'),
    out: document.createElement('div'),
    check: document.createElement('p'),
  };
  for (const c of cases) {
    const r = runExample(c, scratchHosts);
    addCheck({
      name: `layout shape=${c.shape} format=${c.format} slice=[${c.slice}] order=${c.order}`,
      ok: r.ok,
      detail: r.error ?? `${r.out.length} items`,
    });
  }

  $<HTMLButtonElement>('run-bench').addEventListener('click', () => {
    void runBench();
  });
  const toggle = $<HTMLInputElement>('threads');
  toggle.disabled = !info.sharedMemory;
  $('threads-count').textContent = String(Math.min(navigator.hardwareConcurrency, 8));
  if (!info.sharedMemory) $('threads-note').textContent = '(needs a cross-origin isolated page and Wasm SIMD)';
  toggle.addEventListener('change', () => {
    void setThreads(toggle.checked);
  });
  await runWorkers();
  if (params.get('autorun') === '1') {
    await runBench();
    // and again with threads, where the page can have them: the table then holds both runs
    if (info.sharedMemory) {
      await setThreads(true);
      addCheck({
        name: 'threads: the toggle starts copy workers',
        ok: runtimeInfo().threads > 1,
        detail: `${runtimeInfo().threads} threads${runtimeInfo().threadsReason ? `: ${runtimeInfo().threadsReason}` : ''}`,
      });
      await runBench(true);
    }
  }
  state.done = true;
}

main().catch((err: unknown) => {
  addCheck({
    name: 'the page ran',
    ok: false,
    detail: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
  });
  state.done = true;
});
