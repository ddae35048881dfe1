// The benchmark harness: `npm run bench` (see bench/README.md for the options).
// Runs every scenario of bench/scenarios.ts through every peer in one process (JS peers) and
// one python3 subprocess (numpy, CPython memoryview; asked for each scenario right after the
// JS peers it is compared with), checks that all peers produced the same bytes, and writes the
// console table, JSON, and a self-contained HTML report.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, runtimeInfo } from '../src/index.js';
import { setParallelMinBytesForTuning } from '../src/wasm/threads.js';
import { JS_PEERS, threadedPeer, type Peer } from './peers.js';
import { PythonServer } from './python-server.js';
import {
  CONSOLE_WIDTH,
  consoleTable,
  htmlReport,
  layoutSummary,
  summaryChart,
  wrap,
  type PeerResult,
  type RunReport,
  type ScenarioResult,
  type Target,
} from './report.js';
import { DEFAULT_LAYOUT_SEED, DTYPES, count, scenarios as allScenarios, type Scenario } from './scenarios.js';

const here = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench');
const root = join(here, '..');

interface Options {
  filter: string[];
  all: boolean;
  python: boolean;
  budgetMs: number;
  out: string;
  sample: boolean;
  seed: number;
  help: boolean;
  threads: number[];
  threadsOnly: boolean;
}

/** The thread counts measured by default: 1 and 2, and 4 and 8 where the machine has that many cores. */
function defaultThreads(): number[] {
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  return [1, 2, ...[4, 8].filter((t) => t <= cores)];
}

function parseThreads(v: string): number[] {
  const list = v.split(',').map(Number);
  if (list.some((t) => !Number.isInteger(t) || t < 1 || t > 64))
    throw new Error(`--threads takes counts from 1 to 64, got ${v}`);
  return [...new Set([1, ...list])].sort((a, b) => a - b);
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    filter: [],
    all: false,
    python: true,
    budgetMs: 300,
    out: join(here, 'results'),
    sample: false,
    seed: DEFAULT_LAYOUT_SEED,
    help: false,
    threads: defaultThreads(),
    threadsOnly: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    // split at the first '=' only: filter texts hold '=' themselves (--filter=dtype=uint8)
    const eq = a.indexOf('=');
    const k = eq < 0 ? a : a.slice(0, eq);
    const v = eq < 0 ? '' : a.slice(eq + 1);
    if (k === '--filter') o.filter.push(v);
    else if (k === '--all') o.all = true;
    else if (k === '--no-python') o.python = false;
    else if (k === '--budget') o.budgetMs = Number(v);
    else if (k === '--out') o.out = v;
    else if (k === '--sample') o.sample = true;
    else if (k === '--seed') o.seed = Number(v);
    else if (k === '--threads') o.threads = parseThreads(eq < 0 ? (argv[++i] ?? '') : v);
    else if (k === '--threads-only') {
      o.threadsOnly = true;
      o.python = false;
    } else if (k === '--help' || k === '-h') o.help = true;
    else throw new Error(`unknown option ${a} (try --help)`);
  }
  return o;
}

const USAGE = `npm run bench -- [options]
  --filter=TEXT   only scenarios whose name contains TEXT (repeatable)
  --budget=MS     time budget per peer and scenario (default 300; at least 3 samples each)
  --no-python     skip numpy and CPython memoryview
  --out=DIR       where to write results (default bench/results)
  --seed=N        draw the layouts suite's random shapes from seed N (default ${DEFAULT_LAYOUT_SEED})
  --sample        also write bench/sample/ and docs/performance-chart.svg (the committed sample)
  --threads=1,2   thread counts to measure wasm-memoryview with (init({ threads })); 1 is always
                  measured and is what the other peers are compared with (default: 1,2, and 4
                  and 8 where the machine has the cores)
  --threads-only  only wasm-memoryview on each thread count and the memcpy bounds (no other
                  peer, no python): the thread figures in a fraction of the time`;

// ---- progress ---------------------------------------------------------------------------------
const tty = process.stderr.isTTY === true;
function progress(text: string): void {
  if (tty) process.stderr.write(`\r\x1b[2K${text}`);
  else process.stderr.write(`${text}\n`);
}
function progressDone(): void {
  if (tty) process.stderr.write('\r\x1b[2K');
}

// ---- measuring --------------------------------------------------------------------------------
/**
 * Seconds per operation: warm up (until 3 runs, or as many as the budget holds when runs are
 * slower than that, and 1/3 of the budget: JIT tiers, page faults), then samples of k runs each
 * (k so that a sample lasts >= 2 ms, above timer noise), until the budget is spent (3 to 15
 * samples).
 */
function measure(run: () => void, calls: number, budgetMs: number): number[] {
  let runs = 0;
  const warm = performance.now();
  const elapsed = (): number => performance.now() - warm;
  while ((runs < 3 && elapsed() < budgetMs) || elapsed() < budgetMs / 3) {
    run();
    runs++;
  }
  const perRun = (performance.now() - warm) / runs;
  const k = Math.max(1, Math.ceil(2 / perRun));
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < 3 || (samples.length < 15 && performance.now() - start < budgetMs)) {
    const t = performance.now();
    for (let i = 0; i < k; i++) run();
    samples.push((performance.now() - t) / 1e3 / calls / k);
  }
  return samples;
}

/**
 * measure() for the threaded peers: samples of k runs on one thread (the split threshold
 * raised out of reach) and k runs split across the threads alternate, one-split-split-one, so
 * that both see the same load; 3 to 15 pairs of samples within the budget (twice measure()'s).
 */
function measurePaired(run: () => void, calls: number, budgetMs: number): { one: number[]; split: number[] } {
  const mode = (split: boolean): void => setParallelMinBytesForTuning(split ? null : Number.MAX_SAFE_INTEGER);
  try {
    let runs = 0;
    const warm = performance.now();
    while (runs < 6 || performance.now() - warm < (2 * budgetMs) / 3) {
      mode(runs % 2 === 1);
      run();
      runs++;
    }
    const perRun = (performance.now() - warm) / runs;
    const k = Math.max(1, Math.ceil(2 / perRun));
    const one: number[] = [];
    const split: number[] = [];
    const start = performance.now();
    while (one.length < 3 || (one.length < 15 && performance.now() - start < 2 * budgetMs)) {
      for (const s of one.length % 2 === 0 ? [false, true] : [true, false]) {
        mode(s);
        const t = performance.now();
        for (let i = 0; i < k; i++) run();
        (s ? split : one).push((performance.now() - t) / 1e3 / calls / k);
      }
    }
    return { one, split };
  } finally {
    setParallelMinBytesForTuning(null);
  }
}

/** A full garbage collection when node runs with --expose-gc (`npm run bench` does); else nothing. */
function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc !== undefined) {
    gc();
    gc();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function sha1(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

// ---- python peers -------------------------------------------------------------------------------
interface PySample {
  samples?: number[];
  calls?: number;
  sha1?: string;
  api?: string;
  note?: string;
}
interface PyVersions {
  python: string;
  numpy: string | null;
  testbuffer: boolean;
}

/** The Python peers' rows of scenario `r`, from the samples bench/peers.py gave for it. */
function addPythonRows(r: ScenarioResult, pr: Record<string, PySample>): void {
  for (const [id, label] of [
    ['numpy', 'numpy'],
    ['numpy-alloc', 'numpy ascontiguousarray'],
    ['memoryview', 'CPython memoryview'],
  ] as const) {
    const x = pr[id];
    if (x === undefined) continue;
    if (x.samples === undefined) {
      r.skipped.push({ id, label, note: x.note ?? 'no result' });
      continue;
    }
    const med = median(x.samples);
    r.peers.push({
      id,
      label,
      samples: x.samples,
      median: med,
      min: Math.min(...x.samples),
      bytesPerSecond: (2 * r.bytes) / med,
      sha1: x.sha1 ?? null,
      identical: null,
      api: x.api,
    });
  }
}

// ---- machine ------------------------------------------------------------------------------------
function machine(): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    'load average at start (1/5/15 min)': os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' / '),
  };
}

function pkgVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return 'not installed';
  }
}

// ---- targets ------------------------------------------------------------------------------------
function targetsOf(s: Scenario, ratios: Record<string, number>, ours: PeerResult | undefined): Target[] {
  const t: Target[] = [];
  const at = (key: string, min: number, text: string, pct = false): void => {
    const r = ratios[key];
    if (r === undefined) {
      t.push({ text, measured: 'not measured', met: false });
      return;
    }
    t.push({ text, measured: pct ? `${(r * 100).toFixed(0)}%` : `${r.toFixed(2)}x`, met: r >= min });
  };
  switch (s.group) {
    case 'transpose':
      at('numpy', 4, '>= 4x numpy');
      at('memcpy', 0.4, '>= 40% of the memcpy rate', true);
      at('stdlib', 3, '>= 3x @stdlib/ndarray');
      at('ndarray-ops', 3, '>= 3x ndarray-ops');
      break;
    case 'contiguous':
      at('memcpy', 0.9, '>= 90% of the memcpy rate', true);
      break;
    case 'image':
    case 'permute':
    case 'step':
      at('numpy', 2, '>= 2x numpy');
      break;
    case 'layout':
      at('memcpy', 0.4, '>= 40% of the memcpy rate', true);
      at('numpy', 1, 'faster than numpy');
      at('copylayout-js', 1, 'transpose()/copyLayout() faster than the plain JS loop');
      break;
    case 'small':
      if (ours !== undefined)
        t.push({ text: '< 1 µs per call', measured: `${(ours.median * 1e6).toFixed(3)} µs`, met: ours.median < 1e-6 });
      at('memoryview', 1, 'faster than CPython memoryview');
      break;
    default:
      break;
  }
  for (const key of Object.keys(ratios).filter((k) => k.startsWith('threads-'))) {
    const n = key.slice(8);
    if (s.group === 'contiguous') at(`memcpy-t${n}`, 1.3, `${n} threads >= 1.3x one thread's memcpy bound`, true);
    else if (count(s.view.shape) * DTYPES[s.dtype].itemsize >= THREADS_TARGET_BYTES)
      at(key, 0.9, `${n} threads >= 0.9x one thread`);
  }
  return t;
}

// the thread targets concern copies of 16 MiB and more: the median over them at least 1.5x one thread, none below 0.9x
const THREADS_TARGET_BYTES = 16 * 1024 * 1024;

/** The thread targets over all scenarios: the median speed-up of the copies of 16 MiB and more. */
function threadNotes(results: ScenarioResult[], threads: number[]): string[] {
  const notes: string[] = [];
  for (const n of threads.filter((t) => t > 1)) {
    const large = results.filter((r) => r.bytes >= THREADS_TARGET_BYTES && r.ratios[`threads-${n}`] !== undefined);
    if (large.length === 0) continue;
    const speedups = large.map((r) => r.ratios[`threads-${n}`]);
    const med = median(speedups);
    const worst = large.reduce((a, b) => (a.ratios[`threads-${n}`] <= b.ratios[`threads-${n}`] ? a : b));
    notes.push(
      `${n} threads, copies of 16 MiB and more (${large.length} scenarios): median speed-up ${med.toFixed(2)}x ` +
        `(target >= 1.5x: ${med >= 1.5 ? 'met' : 'MISSED'}), lowest ${worst.ratios[`threads-${n}`].toFixed(2)}x on ${worst.name} ` +
        `(target >= 0.9x: ${worst.ratios[`threads-${n}`] >= 0.9 ? 'met' : 'MISSED'})`,
    );
  }
  return notes;
}

/**
 * The thread counts' pass of a full run: this harness again in a child process with
 * --threads-only on the same scenarios, after this process's own pass (the two never share the
 * cores); resolves to its report.
 */
function runThreadPass(opts: Options): Promise<RunReport> {
  const out = join(opts.out, '.threads');
  const args = [
    '--expose-gc',
    process.argv[1] as string,
    '--threads-only',
    `--threads=${opts.threads.join(',')}`,
    `--budget=${opts.budgetMs}`,
    `--seed=${opts.seed}`,
    `--out=${out}`,
    ...opts.filter.map((f) => `--filter=${f}`),
    ...(opts.all ? ['--all'] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`the thread pass exited with ${code}`));
      else resolve(JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as RunReport);
    });
  });
}

// ---- main ---------------------------------------------------------------------------------------
async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  // The thread counts run on the shared build (one thread included), so that they differ only in
  // how many threads share a copy. A full run measures every peer on the build init() gives a
  // user by default (SIMD, unshared memory) in this process, and the thread counts in a child
  // process of its own (--threads-only) whose figures are merged in: one process cannot run both
  // builds.
  const maxThreads = Math.max(...opts.threads);
  const threadsHere = opts.threadsOnly ? opts.threads : [1];
  await init(opts.threadsOnly && maxThreads > 1 ? { threads: maxThreads } : {});
  if (runtimeInfo().threads !== Math.max(...threadsHere)) {
    throw new Error(`no ${maxThreads} threads: ${runtimeInfo().threadsReason}`);
  }
  await init({ threads: 1 });
  // wasm-memoryview first, then what its targets compare it with, the memcpy bounds and the
  // Python peers (numpy), so that those ratios come from samples seconds apart; then the other
  // JS peers
  const isBound = (peer: Peer): boolean => peer.id.startsWith('memcpy');
  const peers: Array<{ peer: Peer; threads: number } | 'python'> = [
    ...JS_PEERS.slice(0, 1).map((peer) => ({ peer, threads: 1 })),
    ...threadsHere.filter((n) => n > 1).map((n) => ({ peer: threadedPeer(n), threads: n })),
    ...JS_PEERS.slice(1)
      .filter(isBound)
      .map((peer) => ({ peer, threads: 1 })),
    ...(opts.python ? (['python'] as const) : []),
    ...JS_PEERS.slice(1)
      .filter((peer) => !opts.threadsOnly && !isBound(peer))
      .map((peer) => ({ peer, threads: 1 })),
  ];
  const every = allScenarios(opts.seed);
  const scenarios = every.filter(
    (s) => (opts.all || s.default) && (opts.filter.length === 0 || opts.filter.some((f) => s.name.includes(f))),
  );
  const started = Date.now();
  const notes: string[] = [];
  // numpy and CPython's memoryview (bench/peers.py), asked for each scenario in the loop below
  const python = opts.python ? new PythonServer(join(here, 'peers.py')) : null;
  const pyVersions = (await python?.read<PyVersions>('its versions')) ?? null;
  const results: ScenarioResult[] = [];
  const totalSteps = scenarios.length * peers.length;
  let step = 0;
  for (const s of scenarios) {
    const outBytes = count(s.view.shape) * DTYPES[s.dtype].itemsize;
    const r: ScenarioResult = {
      name: s.name,
      group: s.group,
      bytes: outBytes,
      peers: [],
      skipped: [],
      ratios: {},
      targets: [],
    };
    for (const entry of peers) {
      step++;
      if (entry === 'python') {
        progress(`[python ${step}/${totalSteps}] ${s.name} · numpy, CPython memoryview`);
        const pr = await python?.ask<Record<string, PySample>>({ budget: opts.budgetMs / 1e3, scenario: s }, s.name);
        if (pr !== undefined && pr !== null) addPythonRows(r, pr);
        continue;
      }
      const { peer, threads } = entry;
      if (threads > 1) await init({ threads });
      progress(
        `[js ${step}/${totalSteps}] ${s.name} · ${peer.label}  (${((Date.now() - started) / 1e3).toFixed(0)} s)`,
      );
      const prepared = peer.prepare(s);
      if (typeof prepared === 'string') {
        r.skipped.push({ id: peer.id, label: peer.label, note: prepared });
        continue;
      }
      try {
        // collect the previous peers' garbage first (their arrays of up to 64 MiB): otherwise its
        // collection, and V8's external-memory pressure from it, lands in this peer's samples
        collectGarbage();
        let samples: number[];
        let baseline: number | undefined;
        if (threads > 1) {
          // the same copy on one thread and split, sample for sample: the speed-up from pairs
          // taken moments apart, which a shared machine's drifting load moves far less
          const paired = measurePaired(() => prepared.run(), prepared.calls, opts.budgetMs);
          samples = paired.split;
          baseline = median(paired.one);
        } else {
          samples = measure(() => prepared.run(), prepared.calls, opts.budgetMs);
        }
        const out = prepared.output();
        const med = median(samples);
        r.peers.push({
          id: peer.id,
          label: peer.label,
          samples,
          median: med,
          min: Math.min(...samples),
          bytesPerSecond: (2 * outBytes) / med,
          sha1: out === null ? null : sha1(out),
          identical: null,
          api: prepared.api,
          ...(baseline === undefined ? {} : { baseline }),
        });
      } finally {
        prepared.dispose();
        if (threads > 1) await init({ threads: 1 });
      }
    }
    results.push(r);
  }
  progressDone();
  const threadPass = !opts.threadsOnly && maxThreads > 1;
  if (threadPass) {
    // the thread counts' peers of the child's run (ours-tN, with their one-thread baselines)
    const child = await runThreadPass(opts);
    for (const r of results) {
      const c = child.scenarios.find((x) => x.name === r.name);
      for (const p of c?.peers.filter((x) => /^ours-t\d+$/.test(x.id)) ?? []) r.peers.push(p);
    }
  }

  const versions: Record<string, string> = {
    'wasm-memoryview': pkgVersionSelf(),
    'wasm build': `${runtimeInfo().build} (${runtimeInfo().hash})${threadPass ? '; thread counts: shared' : ''}`,
    threads: opts.threads.join(', '),
    node: process.version,
    v8: process.versions.v8,
    '@stdlib/ndarray': pkgVersion('@stdlib/ndarray'),
    ndarray: pkgVersion('ndarray'),
    'ndarray-ops': pkgVersion('ndarray-ops'),
  };
  python?.close();
  if (python !== null) {
    if (pyVersions === null || python.failure !== null) {
      notes.push(`numpy and CPython memoryview skipped: ${python.failure ?? 'python3 gave no versions'}`);
    }
    if (pyVersions !== null) {
      versions.python = pyVersions.python;
      versions.numpy = pyVersions.numpy ?? 'not installed';
      if (pyVersions.numpy === null) notes.push('numpy is not installed for python3: numpy rows skipped');
    }
  } else {
    notes.push(`numpy and CPython memoryview skipped (${opts.threadsOnly ? '--threads-only' : '--no-python'})`);
  }

  // identical bytes, ratios, targets
  for (const r of results) {
    const ours = r.peers.find((p) => p.id === 'ours');
    const reference = ours?.sha1 ?? r.peers.find((p) => p.sha1 !== null)?.sha1 ?? null;
    for (const p of r.peers) p.identical = p.sha1 === null ? null : p.sha1 === reference;
    if (r.peers.some((p) => p.identical === false)) notes.push(`${r.name}: peers produced different bytes`);
    if (ours !== undefined) {
      for (const p of r.peers) {
        if (p.id === 'ours' || p.id.startsWith('memcpy')) continue;
        r.ratios[p.id] = p.median / ours.median;
      }
      // allocating APIs against allocating APIs: numpy's ascontiguousarray/tobytes vs MemoryView.tobytes()
      const oursAlloc = r.peers.find((p) => p.id === 'ours-tobytes');
      const numpyAlloc = r.peers.find((p) => p.id === 'numpy-alloc');
      if (oursAlloc !== undefined && numpyAlloc !== undefined)
        r.ratios['numpy-alloc'] = numpyAlloc.median / oursAlloc.median;
      else delete r.ratios['numpy-alloc'];
      // the fast path for plain JS arrays against the loop one writes for them
      const copyLayoutPeer = r.peers.find((p) => p.id === 'ours-copylayout');
      const js = r.peers.find((p) => p.id === 'js');
      if (copyLayoutPeer !== undefined && js !== undefined)
        r.ratios['copylayout-js'] = js.median / copyLayoutPeer.median;
      const bounds = r.peers.filter((p) => p.id.startsWith('memcpy'));
      if (bounds.length > 0) r.ratios.memcpy = Math.min(...bounds.map((b) => b.median)) / ours.median;
      for (const p of r.peers.filter((x) => /^ours-t\d+$/.test(x.id))) {
        const n = p.id.slice(6);
        delete r.ratios[p.id];
        r.ratios[`threads-${n}`] = (p.baseline ?? ours.median) / p.median;
        if (bounds.length > 0) r.ratios[`memcpy-t${n}`] = Math.min(...bounds.map((b) => b.median)) / p.median;
      }
    }
    r.targets = targetsOf(every.find((s) => s.name === r.name) as Scenario, r.ratios, ours);
  }
  notes.push(...threadNotes(results, opts.threads));
  const load = os.loadavg();
  notes.push(
    `load average at the end: ${load.map((x) => x.toFixed(2)).join(' / ')} on ${os.cpus().length} cores` +
      (load[0] > 0.5 * os.cpus().length
        ? ' — other processes were using the CPU; absolute figures are noisy, ratios within the run less so'
        : ''),
  );
  notes.push(
    `total run time ${((Date.now() - started) / 1e3).toFixed(0)} s; per peer and scenario: warm-up runs (at least 3 and a third of the budget), then samples of >= 2 ms until ${opts.budgetMs} ms (3 to 15); figures are medians`,
  );

  if (results.some((r) => r.group === 'layout')) {
    notes.push(`layouts suite: random shapes drawn with --seed=${opts.seed}`);
  }
  const report: RunReport = {
    date: new Date().toISOString(),
    machine: machine(),
    versions,
    notes,
    scenarios: results,
    seed: opts.seed,
  };
  console.log(consoleTable(report));
  const summary = layoutSummary(report);
  if (summary !== null) for (const line of summary.lines) console.log(line);
  // notes wrapped to the console's width, as the table
  for (const n of notes) for (const line of wrap(`note: ${n}`, CONSOLE_WIDTH, '      ')) console.log(line);
  mkdirSync(opts.out, { recursive: true });
  const stamp = report.date.replace(/[:.]/g, '-');
  const json = JSON.stringify(
    summary === null ? report : { ...report, layoutSummary: { ...summary, lines: undefined } },
    null,
    1,
  );
  const files: Array<[string, string]> = [
    [join(opts.out, `bench-${stamp}.json`), json],
    [join(opts.out, `bench-${stamp}.html`), htmlReport(report)],
    [join(opts.out, 'latest.json'), json],
    [join(opts.out, 'latest.html'), htmlReport(report)],
    [join(opts.out, 'summary.svg'), summaryChart(report)],
  ];
  if (opts.sample) {
    mkdirSync(join(here, 'sample'), { recursive: true });
    files.push(
      [join(here, 'sample', 'report.html'), htmlReport(report)],
      [join(here, 'sample', 'results.json'), json],
      [join(root, 'docs', 'performance-chart.svg'), summaryChart(report)],
    );
  }
  for (const [path, text] of files) writeFileSync(path, text);
  console.log(
    `wrote ${files
      .map(([p]) => p.replace(`${root}/`, ''))
      .filter((p) => !p.includes('bench-20'))
      .join(', ')} and the timestamped JSON/HTML`,
  );
}

function pkgVersionSelf(): string {
  const p = join(root, 'package.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as { version: string }).version : 'unknown';
}

await main();
