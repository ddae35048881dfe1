// Reports of a harness run: the console table, and a self-contained HTML page with inline SVG
// charts (no scripts, no CDN), plus the summary chart as a standalone SVG.

/** One peer's figures in one scenario. */
export interface PeerResult {
  id: string;
  label: string;
  /** Seconds per operation. */
  samples: number[];
  median: number;
  min: number;
  /** (read + write) bytes per second at the median. */
  bytesPerSecond: number;
  sha1: string | null;
  /** null: not compared (the memcpy bounds). */
  identical: boolean | null;
  api?: string;
  /** Threaded peers: the median of the one-thread samples taken in alternation with this peer's. */
  baseline?: number;
}

export interface Target {
  text: string;
  measured: string;
  met: boolean;
}

export interface ScenarioResult {
  name: string;
  group: string;
  /** Bytes of the output (the view's items). */
  bytes: number;
  peers: PeerResult[];
  /** Peers without an implementation for this scenario, and why. */
  skipped: Array<{ id: string; label: string; note: string }>;
  /** Speedups of wasm-memoryview over each peer (peer median / ours), and memcpy fraction. */
  ratios: Record<string, number>;
  targets: Target[];
}

export interface RunReport {
  date: string;
  machine: Record<string, string | number>;
  versions: Record<string, string>;
  notes: string[];
  scenarios: ScenarioResult[];
}

const RATIO_COLUMNS: Array<[string, string]> = [
  ['numpy', 'vs numpy'], ['numpy-alloc', 'tobytes vs numpy alloc'], ['stdlib', 'vs stdlib'], ['ndarray-ops', 'vs ndarray-ops'], ['js', 'vs plain JS'],
  ['memoryview', 'vs CPython mv'], ['memcpy', '% memcpy'],
];

/** The ratio columns, with one speed-up and one memcpy column per thread count the run measured (--threads). */
function ratioColumns(report: RunReport): Array<[string, string]> {
  const counts = new Set<number>();
  for (const s of report.scenarios) for (const k of Object.keys(s.ratios)) if (k.startsWith('threads-')) counts.add(Number(k.slice(8)));
  const threaded = [...counts].sort((a, b) => a - b)
    .flatMap((t): Array<[string, string]> => [[`threads-${t}`, `${t} threads`], [`memcpy-t${t}`, `% memcpy ${t}t`]]);
  return [...RATIO_COLUMNS, ...threaded];
}

function fmtTime(s: number): string {
  if (s < 1e-6) return `${(s * 1e9).toFixed(0)} ns`;
  if (s < 1e-3) return `${(s * 1e6).toFixed(2)} µs`;
  if (s < 1) return `${(s * 1e3).toFixed(2)} ms`;
  return `${s.toFixed(2)} s`;
}

function fmtRatio(key: string, r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return '—';
  return key.startsWith('memcpy') ? `${(r * 100).toFixed(0)}%` : `${r.toFixed(r >= 10 ? 1 : 2)}x`;
}

function fmtRate(p: PeerResult, group: string): string {
  return group === 'small' ? `${fmtTime(p.median)}/call` : `${(p.bytesPerSecond / 1e9).toFixed(2)} GB/s`;
}

/** The console table: one row per scenario, ours and the ratios. */
export function consoleTable(report: RunReport): string {
  const columns = ratioColumns(report);
  const header = ['scenario', 'wasm-memoryview', ...columns.map(([, h]) => h), 'bytes', 'targets'];
  const rows: string[][] = [header];
  for (const s of report.scenarios) {
    const ours = s.peers.find((p) => p.id === 'ours');
    const identical = s.peers.every((p) => p.identical !== false);
    rows.push([
      s.name, ours === undefined ? '—' : `${fmtTime(ours.median)} ${s.group === 'small' ? '' : `(${(ours.bytesPerSecond / 1e9).toFixed(1)} GB/s)`}`.trim(),
      ...columns.map(([k]) => fmtRatio(k, s.ratios[k])),
      identical ? 'same' : 'DIFFER',
      s.targets.length === 0 ? '' : s.targets.map((t) => (t.met ? '✓' : '✗')).join(''),
    ]);
  }
  const widths = header.map((_, i) => Math.max(...rows.map((r) => [...r[i]].length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const COLORS: Record<string, string> = {
  ours: '#1b7837', 'ours-t2': '#00441b', 'ours-t4': '#00441b', 'ours-t8': '#00441b', 'ours-tobytes': '#5aae61', 'ours-copylayout': '#a6dba0', numpy: '#2166ac', 'numpy-alloc': '#67a9cf',
  memoryview: '#762a83', stdlib: '#e08214', 'ndarray-ops': '#fdb863', js: '#b2182b', 'memcpy-wasm': '#878787', 'memcpy-js': '#bababa',
};

/** A horizontal bar chart of one scenario's peers (GB/s, or calls/µs for per-call overheads). */
function scenarioChart(s: ScenarioResult): string {
  const peers = [...s.peers];
  const value = (p: PeerResult): number => (s.group === 'small' ? 1 / (p.median * 1e6) : p.bytesPerSecond / 1e9);
  const max = Math.max(...peers.map(value), 1e-9);
  const rowH = 18;
  const labelW = 260;
  const barW = 360;
  const h = peers.length * rowH + 10;
  const bars = peers.map((p, i) => {
    const w = Math.max(1, (value(p) / max) * barW);
    const y = 5 + i * rowH;
    const text = s.group === 'small' ? `${fmtTime(p.median)}/call` : `${value(p).toFixed(2)} GB/s`;
    return `<text x="${labelW - 6}" y="${y + 12}" text-anchor="end" font-size="11">${esc(p.label)}</text>` +
      `<rect x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 5}" fill="${COLORS[p.id] ?? '#999'}"/>` +
      `<text x="${labelW + w + 4}" y="${y + 12}" font-size="11">${esc(text)}${p.identical === false ? ' (bytes differ!)' : ''}</text>`;
  }).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + barW + 120}" height="${h}" font-family="sans-serif">${bars}</svg>`;
}

/**
 * The summary chart: per scenario, wasm-memoryview's speedup over numpy, @stdlib/ndarray,
 * ndarray-ops and plain JS (log scale), with 1x marked.
 */
export function summaryChart(report: RunReport): string {
  const keys: Array<[string, string]> = [['numpy', 'numpy'], ['stdlib', '@stdlib/ndarray'], ['ndarray-ops', 'ndarray-ops'], ['js', 'plain JS']];
  const colors = ['#2166ac', '#e08214', '#fdb863', '#b2182b'];
  const scenarios = report.scenarios.filter((s) => s.group !== 'small');
  const labelW = 430;
  const plotW = 420;
  const groupH = 4 * 7 + 8;
  const top = 40;
  const h = top + scenarios.length * groupH + 40;
  const lo = Math.log10(0.25);
  const hi = Math.log10(200);
  const x = (r: number): number => labelW + ((Math.log10(Math.min(Math.max(r, 0.25), 200)) - lo) / (hi - lo)) * plotW;
  let body = '';
  for (const tick of [0.25, 0.5, 1, 2, 4, 10, 20, 50, 100, 200]) {
    body += `<line x1="${x(tick).toFixed(1)}" y1="${top - 5}" x2="${x(tick).toFixed(1)}" y2="${h - 30}" stroke="${tick === 1 ? '#000' : '#ddd'}" stroke-width="${tick === 1 ? 1.2 : 1}"/>` +
      `<text x="${x(tick).toFixed(1)}" y="${h - 16}" font-size="10" text-anchor="middle">${tick}x</text>`;
  }
  scenarios.forEach((s, i) => {
    const y0 = top + i * groupH;
    body += `<text x="${labelW - 6}" y="${y0 + groupH / 2 + 2}" font-size="11" text-anchor="end">${esc(s.name)}</text>`;
    keys.forEach(([k], j) => {
      const r = s.ratios[k];
      if (r === undefined || !Number.isFinite(r)) return;
      const y = y0 + 2 + j * 7;
      body += `<rect x="${x(0.25).toFixed(1)}" y="${y}" width="${(x(r) - x(0.25)).toFixed(1)}" height="6" fill="${colors[j]}"><title>${esc(`${s.name}: ${r.toFixed(2)}x ${k}`)}</title></rect>`;
    });
  });
  const legend = keys.map(([, name], j) => `<rect x="${labelW + j * 110}" y="8" width="10" height="10" fill="${colors[j]}"/>` +
    `<text x="${labelW + j * 110 + 14}" y="17" font-size="11">vs ${esc(name)}</text>`).join('');
  const title = `<text x="8" y="17" font-size="13" font-weight="bold">wasm-memoryview speedup (log scale; right of the black line = faster)</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + plotW + 20}" height="${h}" font-family="sans-serif">` +
    `<rect width="100%" height="100%" fill="#fff"/>${title}${legend}${body}</svg>`;
}

/** The self-contained HTML report. */
export function htmlReport(report: RunReport): string {
  const machine = Object.entries(report.machine).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(String(v))}</td></tr>`).join('');
  const versions = Object.entries(report.versions).map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('');
  const columns = ratioColumns(report);
  const head = ['scenario', 'wasm-memoryview', ...columns.map(([, h]) => h), 'same bytes'];
  const rows = report.scenarios.map((s) => {
    const ours = s.peers.find((p) => p.id === 'ours');
    return `<tr><td><a href="#${esc(s.name)}">${esc(s.name)}</a></td><td>${ours === undefined ? '—' : esc(fmtRate(ours, s.group))}</td>` +
      columns.map(([k]) => `<td>${fmtRatio(k, s.ratios[k])}</td>`).join('') +
      `<td>${s.peers.every((p) => p.identical !== false) ? 'yes' : '<b>NO</b>'}</td></tr>`;
  }).join('');
  const details = report.scenarios.map((s) => {
    const peerRows = s.peers.map((p) => `<tr><td>${esc(p.label)}</td><td>${esc(p.api ?? '')}</td><td>${fmtTime(p.median)}</td><td>${fmtTime(p.min)}</td>` +
      `<td>${s.group === 'small' ? '' : (p.bytesPerSecond / 1e9).toFixed(2)}</td><td>${p.samples.length}</td><td>${p.identical === null ? '(bound)' : p.identical ? 'yes' : '<b>NO</b>'}</td></tr>`).join('');
    const skipped = s.skipped.map((k) => `<li>${esc(k.label)}: ${esc(k.note)}</li>`).join('');
    const targets = s.targets.map((t) => `<li>${t.met ? '✓' : '✗'} ${esc(t.text)}: ${esc(t.measured)}</li>`).join('');
    return `<section id="${esc(s.name)}"><h3>${esc(s.name)}</h3>${scenarioChart(s)}` +
      `<table><tr><th>peer</th><th>API</th><th>median</th><th>min</th><th>GB/s (r+w)</th><th>samples</th><th>same bytes</th></tr>${peerRows}</table>` +
      (targets ? `<p>Targets:</p><ul>${targets}</ul>` : '') + (skipped ? `<p>Not run:</p><ul>${skipped}</ul>` : '') + '</section>';
  }).join('');
  const notes = report.notes.map((n) => `<li>${esc(n)}</li>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>wasm-memoryview benchmarks ${esc(report.date)}</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px;text-align:right}td:first-child,th{text-align:left}section{margin-top:2em}</style>
</head><body><h1>wasm-memoryview benchmarks</h1><p>${esc(report.date)}. Ratios are speedups of wasm-memoryview (median of its samples)
over each peer's median in the same run (\"tobytes vs numpy alloc\": MemoryView.tobytes() against np.ascontiguousarray, both
allocating their result; every other ratio: copies into preallocated memory); % memcpy is the rate of the best memcpy bound (Wasm memory.copy or TypedArray.set of the
same number of bytes) that wasm-memoryview reaches. "N threads": the one-thread figure over the same copy split across N
threads (init({ threads: N })), and its % of the one-thread memcpy bound. GB/s counts bytes read plus bytes written.</p>
<h2>Summary</h2>${summaryChart(report)}<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows}</table>
<h2>Machine</h2><table>${machine}</table><h2>Versions</h2><table>${versions}</table><h2>Notes</h2><ul>${notes}</ul>
<h2>Scenarios</h2>${details}</body></html>\n`;
}
