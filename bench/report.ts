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
  /** The seed the layouts suite's random shapes were drawn from. */
  seed?: number;
}

const RATIO_COLUMNS: Array<[string, string]> = [
  ['numpy', 'vs numpy'],
  ['numpy-alloc', 'tobytes vs numpy alloc'],
  ['stdlib', 'vs stdlib'],
  ['ndarray-ops', 'vs ndarray-ops'],
  ['js', 'vs plain JS'],
  ['copylayout-js', 'transpose()/copyLayout() vs plain JS'],
  ['memoryview', 'vs CPython mv'],
  ['memcpy', '% memcpy'],
];

/** The thread counts a run measured (--threads), beyond one: those with a `threads-N` ratio somewhere. */
function threadCounts(report: RunReport): number[] {
  const counts = new Set<number>();
  for (const s of report.scenarios)
    for (const k of Object.keys(s.ratios)) if (k.startsWith('threads-')) counts.add(Number(k.slice(8)));
  return [...counts].sort((a, b) => a - b);
}

/** The ratio columns, with one speed-up and one memcpy column per thread count the run measured (--threads). */
function ratioColumns(report: RunReport): Array<[string, string]> {
  const threaded = threadCounts(report).flatMap((t): Array<[string, string]> => [
    [`threads-${t}`, `${t} threads`],
    [`memcpy-t${t}`, `% memcpy ${t} threads`],
  ]);
  return [...RATIO_COLUMNS, ...threaded];
}

/** The console's columns (short headers, to stay within CONSOLE_WIDTH; the HTML has them all). */
const CONSOLE_COLUMNS: Array<[string, string]> = [
  ['numpy', 'numpy'],
  ['stdlib', 'stdlib'],
  ['ndarray-ops', 'nd-ops'],
  ['js', 'JS'],
  ['copylayout-js', 'arr/JS'],
  ['memoryview', 'CPy mv'],
  ['memcpy', 'memcpy'],
];

/** The console output's width in columns. */
export const CONSOLE_WIDTH = 120;

const LEGEND =
  "GB/s: wasm-memoryview's copy, bytes read plus written per second (small-view: time per call). Ratios are medians of this run: how many " +
  "times faster wasm-memoryview's copy into preallocated memory is than " +
  'each peer (numpy np.copyto, @stdlib/ndarray assign, ndarray-ops assign, a plain JS loop, CPython memoryview.tobytes); ' +
  'above 1x we are faster. arr/JS: transpose()/copyLayout() on plain JS arrays (copies in and out included) against the ' +
  'plain JS loop. memcpy: our rate as a share of a same-size contiguous copy. targets: one mark per target of the ' +
  'scenario, ✓ met, ✗ missed (each is listed in latest.html). Full names, every peer and the samples: latest.json.';

const THREADS_LEGEND =
  'tN: the speed-up of the same copy split across N threads (init({ threads: N })) over one thread, ' +
  'from samples taken in alternation; mc tN: its rate as a share of the memcpy bound (a one-thread memcpy)' +
  '; the mc columns that do not fit the width are in latest.html.';

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

/** Breaks `text` at spaces into lines of at most `width` columns, continuation lines indented by `indent`. */
export function wrap(text: string, width = CONSOLE_WIDTH, indent = '  '): string[] {
  const lines: string[] = [];
  const lead = /^ */.exec(text)?.[0] ?? '';
  let line = lead;
  for (const word of text.slice(lead.length).split(' ')) {
    const next = line.trim() === '' ? `${line}${word}` : `${line} ${word}`;
    if ([...next].length > width && line.trim() !== '') {
      lines.push(line);
      line = `${indent}${word}`;
    } else {
      line = next;
    }
  }
  if (line.trim() !== '') lines.push(line);
  return lines;
}

/**
 * The console table: one row per scenario, wasm-memoryview's rate and its ratios, within
 * CONSOLE_WIDTH columns. Scenarios are listed under their kind (`transpose:`, `layout:`), by the
 * rest of their name; a name longer than its column gets a line of its own, the figures go on
 * the next one. Columns no scenario of the run has are left out.
 */
export function consoleTable(report: RunReport): string {
  const threads = threadCounts(report);
  const present = (k: string): boolean => report.scenarios.some((s) => s.ratios[k] !== undefined);
  const base = CONSOLE_COLUMNS.filter(([k]) => present(k));
  const speedups = threads.map((t): [string, string] => [`threads-${t}`, `t${t}`]);
  // the memcpy share of the largest thread count first: the others only where the width allows
  const shares = threads
    .filter((t) => present(`memcpy-t${t}`))
    .reverse()
    .map((t): [string, string] => [`memcpy-t${t}`, `mc t${t}`]);
  const cellsOf = (columns: Array<[string, string]>): Array<{ kind: string; name: string; cells: string[] }> =>
    report.scenarios.map((s) => {
      const ours = s.peers.find((p) => p.id === 'ours');
      const identical = s.peers.every((p) => p.identical !== false);
      const colon = s.name.indexOf(':');
      return {
        kind: colon < 0 ? '' : s.name.slice(0, colon + 1),
        name: colon < 0 ? s.name : s.name.slice(colon + 1),
        cells: [
          ours === undefined
            ? '—'
            : s.group === 'small'
              ? fmtTime(ours.median)
              : (ours.bytesPerSecond / 1e9).toFixed(1),
          ...columns.map(([k]) => fmtRatio(k, s.ratios[k])),
          identical ? 'same' : 'DIFFER',
          s.targets.map((t) => (t.met ? '✓' : '✗')).join(''),
        ],
      };
    });
  const headerOf = (columns: Array<[string, string]>): string[] => [
    'GB/s',
    ...columns.map(([, h]) => h),
    'bytes',
    'targets',
  ];
  const widthsOf = (columns: Array<[string, string]>, rows: Array<{ cells: string[] }>): number[] =>
    headerOf(columns).map((h, i) => Math.max([...h].length, ...rows.map((r) => [...r.cells[i]].length)));
  // the thread columns go after the others' (the speed-ups always; each memcpy share while the
  // figures leave the scenario column its 20 characters)
  let columns = [...base, ...speedups];
  for (const share of shares) {
    const tried = [...base, ...speedups, ...columns.slice(base.length + speedups.length), share];
    if (widthsOf(tried, cellsOf(tried)).reduce((a, w) => a + w + 2, 0) + 20 <= CONSOLE_WIDTH) columns = tried;
  }
  // in the order of the thread counts
  const rank = (k: string): number =>
    k.startsWith('threads-') ? 2 * Number(k.slice(8)) : k.startsWith('memcpy-t') ? 2 * Number(k.slice(8)) + 1 : 0;
  columns = [...base, ...columns.slice(base.length).sort((a, b) => rank(a[0]) - rank(b[0]))];
  const header = headerOf(columns);
  const rows = cellsOf(columns);
  const widths = widthsOf(columns, rows);
  const figures = widths.reduce((a, w) => a + w + 2, 0);
  const nameWidth = Math.max(20, Math.min(CONSOLE_WIDTH - figures, Math.max(...rows.map((r) => r.name.length + 2))));
  const line = (name: string, cells: string[]): string =>
    [name.padEnd(nameWidth), ...cells.map((c, i) => c.padStart(widths[i]))].join('  ').trimEnd();
  const out = [line('scenario', header), [nameWidth, ...widths].map((w) => '-'.repeat(w)).join('  ')];
  let kind = '';
  for (const r of rows) {
    if (r.kind !== kind) {
      out.push(r.kind);
      kind = r.kind;
    }
    const name = `  ${r.name}`;
    if (name.length <= nameWidth) {
      out.push(line(name, r.cells));
    } else {
      out.push(name.length <= CONSOLE_WIDTH ? name : `${name.slice(0, CONSOLE_WIDTH - 1)}…`);
      out.push(line('', r.cells));
    }
  }
  out.push(...wrap(threads.length === 0 ? LEGEND : `${LEGEND} ${THREADS_LEGEND}`, CONSOLE_WIDTH, ''));
  return out.join('\n');
}

/** The layouts suite's summary: the spread of the share of memcpy and of the ratio to each peer. */
export interface LayoutSummary {
  layouts: number;
  seed: number | null;
  memcpy: { min: number; median: number; worst: string };
  /** The same share from each peer's fastest sample: steadier when other tenants load the memory intermittently. */
  memcpyFastest: { min: number; median: number };
  /** Per ratio key: the worst (lowest) ratio, where, and the median. */
  peers: Record<string, { worst: number; median: number; at: string; count: number }>;
  /** The suite's targets, each met or not. */
  targets: Target[];
  /** The summary as console lines (within CONSOLE_WIDTH). */
  lines: string[];
}

function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const SUMMARY_PEERS: Array<[string, string]> = [
  ['numpy', 'vs numpy'],
  ['stdlib', 'vs @stdlib/ndarray'],
  ['ndarray-ops', 'vs ndarray-ops'],
  ['js', 'vs plain JS'],
  ['copylayout-js', 'transpose()/copyLayout() on JS arrays vs plain JS'],
];

/** The summary of the layouts suite (group 'layout') in `report`, or null when it did not run. */
export function layoutSummary(report: RunReport): LayoutSummary | null {
  const suite = report.scenarios.filter((s) => s.group === 'layout' && s.ratios.memcpy !== undefined);
  if (suite.length === 0) return null;
  const shares = suite.map((s) => s.ratios.memcpy);
  const lowest = suite[shares.indexOf(Math.min(...shares))];
  const peers: LayoutSummary['peers'] = {};
  for (const [key] of SUMMARY_PEERS) {
    const have = suite.filter((s) => s.ratios[key] !== undefined && Number.isFinite(s.ratios[key]));
    if (have.length === 0) continue;
    const rs = have.map((s) => s.ratios[key]);
    const worst = Math.min(...rs);
    peers[key] = { worst, median: medianOf(rs), at: have[rs.indexOf(worst)].name, count: have.length };
  }
  const memcpy = { min: Math.min(...shares), median: medianOf(shares), worst: lowest.name };
  const fastest = suite
    .map((s) => {
      const ours = s.peers.find((p) => p.id === 'ours');
      const bounds = s.peers.filter((p) => p.id.startsWith('memcpy'));
      return ours === undefined || bounds.length === 0 ? NaN : Math.min(...bounds.map((b) => b.min)) / ours.min;
    })
    .filter((x) => Number.isFinite(x));
  const memcpyFastest = { min: Math.min(...fastest), median: medianOf(fastest) };
  const pct = (x: number): string => `${(x * 100).toFixed(0)}%`;
  const targets: Target[] = [
    { text: 'minimum share of memcpy >= 40%', measured: pct(memcpy.min), met: memcpy.min >= 0.4 },
    { text: 'median share of memcpy >= 55%', measured: pct(memcpy.median), met: memcpy.median >= 0.55 },
  ];
  if (peers.numpy !== undefined) {
    targets.push({
      text: 'ahead of numpy in every layout',
      measured: `worst ${peers.numpy.worst.toFixed(2)}x`,
      met: peers.numpy.worst > 1,
    });
    targets.push({
      text: '>= 1.5x numpy on the median',
      measured: `${peers.numpy.median.toFixed(2)}x`,
      met: peers.numpy.median >= 1.5,
    });
  }
  const cl = peers['copylayout-js'];
  if (cl !== undefined) {
    targets.push({
      text: 'transpose()/copyLayout() faster than plain JS in every layout',
      measured: `worst ${cl.worst.toFixed(2)}x`,
      met: cl.worst > 1,
    });
  }
  const mark = (t: Target | undefined): string => (t === undefined ? ' ' : t.met ? '✓' : '✗');
  const lines = [
    `layouts suite: ${suite.length} layouts${report.seed === undefined ? '' : `, random shapes from --seed=${report.seed}`}` +
      " (✓/✗: the suite's targets met or missed)",
    ...wrap(
      `${mark(targets[0])}${mark(targets[1])} share of memcpy: min ${pct(memcpy.min)} (target >= 40%), median ` +
        `${pct(memcpy.median)} (>= 55%); min at ${memcpy.worst}`,
      CONSOLE_WIDTH,
      '     ',
    ),
    ...wrap(
      `   share of memcpy from each peer's fastest sample: min ${pct(memcpyFastest.min)}, median ${pct(memcpyFastest.median)}`,
      CONSOLE_WIDTH,
      '     ',
    ),
  ];
  for (const [key, label] of SUMMARY_PEERS) {
    const p = peers[key];
    if (p === undefined) continue;
    let marks = '  ';
    let goal = '';
    if (key === 'numpy') {
      marks = `${mark(targets[2])}${mark(targets[3])}`;
      goal = ' (targets: > 1x, median >= 1.5x)';
    }
    if (key === 'copylayout-js') {
      marks = `${mark(targets[targets.length - 1])} `;
      goal = ' (target: > 1x)';
    }
    lines.push(
      ...wrap(
        `${marks} ${label}: worst ${p.worst.toFixed(2)}x, median ${p.median.toFixed(2)}x${goal}; worst at ${p.at}`,
        CONSOLE_WIDTH,
        '     ',
      ),
    );
  }
  return { layouts: suite.length, seed: report.seed ?? null, memcpy, memcpyFastest, peers, targets, lines };
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const COLORS: Record<string, string> = {
  ours: '#1b7837',
  'ours-t2': '#00441b',
  'ours-t4': '#00441b',
  'ours-t8': '#00441b',
  'ours-tobytes': '#5aae61',
  'ours-copylayout': '#a6dba0',
  numpy: '#2166ac',
  'numpy-alloc': '#67a9cf',
  memoryview: '#762a83',
  stdlib: '#e08214',
  'ndarray-ops': '#fdb863',
  js: '#b2182b',
  'memcpy-wasm': '#878787',
  'memcpy-js': '#bababa',
};

/** A horizontal bar chart of one scenario's peers (GB/s, or calls/µs for per-call overheads). */
function scenarioChart(s: ScenarioResult): string {
  const peers = [...s.peers];
  const value = (p: PeerResult): number => (s.group === 'small' ? 1 / (p.median * 1e6) : p.bytesPerSecond / 1e9);
  const max = Math.max(...peers.map(value), 1e-9);
  const rowH = 18;
  // as wide as the longest label, so none runs off the left edge
  const labelW = Math.ceil(Math.max(200, ...peers.map((p) => textWidth(p.label))) + 10);
  const barW = 360;
  const h = peers.length * rowH + 10;
  const bars = peers
    .map((p, i) => {
      const w = Math.max(1, (value(p) / max) * barW);
      const y = 5 + i * rowH;
      const text = s.group === 'small' ? `${fmtTime(p.median)}/call` : `${value(p).toFixed(2)} GB/s`;
      return (
        `<text x="${labelW - 6}" y="${y + 12}" text-anchor="end" font-size="11">${esc(p.label)}</text>` +
        `<rect x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 5}" fill="${COLORS[p.id] ?? '#999'}"/>` +
        `<text x="${labelW + w + 4}" y="${y + 12}" font-size="11">${esc(text)}${p.identical === false ? ' (bytes differ!)' : ''}</text>`
      );
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + barW + 120}" height="${h}" font-family="sans-serif">${bars}</svg>`;
}

/** Rough width in pixels of `text` in an 11px sans-serif font (digits and lower case ~6 px). */
function textWidth(text: string, px = 11): number {
  return [...text].length * px * 0.58;
}

const CHART_KEYS: Array<[string, string, string]> = [
  ['numpy', 'vs numpy', '#2166ac'],
  ['stdlib', 'vs @stdlib/ndarray', '#e08214'],
  ['ndarray-ops', 'vs ndarray-ops', '#fdb863'],
  ['js', 'vs plain JS', '#b2182b'],
  ['copylayout-js', 'transpose()/copyLayout() on JS arrays vs plain JS', '#5aae61'],
];

/**
 * The summary chart: per scenario, wasm-memoryview's speedup over numpy, @stdlib/ndarray,
 * ndarray-ops and plain JS, and transpose()/copyLayout() on JS arrays over plain JS (log scale),
 * with 1x marked; the classic scenarios, then the layouts suite under a heading of its own. The
 * title, the legend and the plot each have their own band, and the label column is as wide as the
 * longest name, so no text runs into another.
 */
export function summaryChart(report: RunReport): string {
  const scenarios = report.scenarios.filter((s) => s.group !== 'small');
  const sections: Array<[string, ScenarioResult[]]> = [
    ['scenarios', scenarios.filter((s) => s.group !== 'layout')],
    ['layouts suite', scenarios.filter((s) => s.group === 'layout')],
  ].filter(([, list]) => list.length > 0) as Array<[string, ScenarioResult[]]>;
  const barH = 4;
  const groupH = CHART_KEYS.length * (barH + 1) + 7;
  const headH = 22;
  const labelW = Math.ceil(Math.max(200, ...scenarios.map((s) => textWidth(s.name))) + 14);
  const plotW = 440;
  const title = 'wasm-memoryview speedup over each peer (log scale; right of the black line = faster)';
  const width = Math.max(labelW + plotW + 30, Math.ceil(textWidth(title, 13) + 24));
  const legendRows: string[][] = [[]];
  let legendX = 8;
  let legend = '';
  CHART_KEYS.forEach(([, name, color]) => {
    const w = 18 + textWidth(name) + 14;
    if (legendX + w > width - 8) {
      legendRows.push([]);
      legendX = 8;
    }
    const y = 30 + (legendRows.length - 1) * 18;
    legend +=
      `<rect x="${legendX}" y="${y}" width="10" height="10" fill="${color}"/>` +
      `<text x="${legendX + 14}" y="${y + 9}" font-size="11">${esc(name)}</text>`;
    legendRows[legendRows.length - 1].push(name);
    legendX += w;
  });
  const top = 30 + legendRows.length * 18 + 16;
  const plotH = sections.reduce((h, [, list]) => h + headH + list.length * groupH, 0);
  const h = top + plotH + 34;
  const lo = Math.log10(0.1);
  const hi = Math.log10(1000);
  const x = (r: number): number => labelW + ((Math.log10(Math.min(Math.max(r, 0.1), 1000)) - lo) / (hi - lo)) * plotW;
  let body = '';
  for (const tick of [0.1, 0.25, 0.5, 1, 2, 4, 10, 30, 100, 300, 1000]) {
    body +=
      `<line x1="${x(tick).toFixed(1)}" y1="${top - 4}" x2="${x(tick).toFixed(1)}" y2="${top + plotH}" stroke="${tick === 1 ? '#000' : '#ddd'}" stroke-width="${tick === 1 ? 1.2 : 1}"/>` +
      `<text x="${x(tick).toFixed(1)}" y="${top + plotH + 16}" font-size="10" text-anchor="middle">${tick}x</text>`;
  }
  let y0 = top;
  for (const [heading, list] of sections) {
    body += `<text x="8" y="${y0 + 15}" font-size="12" font-weight="bold">${esc(heading)}</text>`;
    y0 += headH;
    for (const s of list) {
      body += `<text x="${labelW - 8}" y="${y0 + groupH / 2 + 1}" font-size="11" text-anchor="end">${esc(s.name)}</text>`;
      CHART_KEYS.forEach(([k, , color], j) => {
        const r = s.ratios[k];
        if (r === undefined || !Number.isFinite(r)) return;
        const y = y0 + 3 + j * (barH + 1);
        body +=
          `<rect x="${x(0.1).toFixed(1)}" y="${y}" width="${(x(r) - x(0.1)).toFixed(1)}" height="${barH}" fill="${color}">` +
          `<title>${esc(`${s.name}: ${r.toFixed(2)}x ${k}`)}</title></rect>`;
      });
      y0 += groupH;
    }
  }
  const titleText = `<text x="8" y="18" font-size="13" font-weight="bold">${esc(title)}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" font-family="sans-serif">` +
    `<rect width="100%" height="100%" fill="#fff"/>${titleText}${legend}${body}</svg>`
  );
}

/** The self-contained HTML report. */
export function htmlReport(report: RunReport): string {
  const machine = Object.entries(report.machine)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(String(v))}</td></tr>`)
    .join('');
  const versions = Object.entries(report.versions)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('');
  const columns = ratioColumns(report);
  const head = ['scenario', 'wasm-memoryview', ...columns.map(([, h]) => h), 'same bytes'];
  const rows = report.scenarios
    .map((s) => {
      const ours = s.peers.find((p) => p.id === 'ours');
      return (
        `<tr><td><a href="#${esc(s.name)}">${esc(s.name)}</a></td><td>${ours === undefined ? '—' : esc(fmtRate(ours, s.group))}</td>` +
        columns.map(([k]) => `<td>${fmtRatio(k, s.ratios[k])}</td>`).join('') +
        `<td>${s.peers.every((p) => p.identical !== false) ? 'yes' : '<b>NO</b>'}</td></tr>`
      );
    })
    .join('');
  const details = report.scenarios
    .map((s) => {
      const peerRows = s.peers
        .map(
          (p) =>
            `<tr><td>${esc(p.label)}</td><td>${esc(p.api ?? '')}</td><td>${fmtTime(p.median)}</td><td>${fmtTime(p.min)}</td>` +
            `<td>${s.group === 'small' ? '' : (p.bytesPerSecond / 1e9).toFixed(2)}</td><td>${p.samples.length}</td><td>${p.identical === null ? '(bound)' : p.identical ? 'yes' : '<b>NO</b>'}</td></tr>`,
        )
        .join('');
      const skipped = s.skipped.map((k) => `<li>${esc(k.label)}: ${esc(k.note)}</li>`).join('');
      const targets = s.targets.map((t) => `<li>${t.met ? '✓' : '✗'} ${esc(t.text)}: ${esc(t.measured)}</li>`).join('');
      return (
        `<section id="${esc(s.name)}"><h3>${esc(s.name)}</h3>${scenarioChart(s)}` +
        `<table><tr><th>peer</th><th>API</th><th>median</th><th>min</th><th>GB/s (r+w)</th><th>samples</th><th>same bytes</th></tr>${peerRows}</table>` +
        (targets ? `<p>Targets:</p><ul>${targets}</ul>` : '') +
        (skipped ? `<p>Not run:</p><ul>${skipped}</ul>` : '') +
        '</section>'
      );
    })
    .join('');
  const notes = report.notes.map((n) => `<li>${esc(n)}</li>`).join('');
  const suite = layoutSummary(report);
  const suiteHtml =
    suite === null
      ? ''
      : `<h2>Layouts suite</h2><p>${suite.layouts} layouts of 8 MiB and more` +
        `${suite.seed === null ? '' : ` (random shapes drawn with --seed=${suite.seed})`}. Share of memcpy: min ` +
        `${(suite.memcpy.min * 100).toFixed(0)}% (${esc(suite.memcpy.worst)}), median ${(suite.memcpy.median * 100).toFixed(0)}%; ` +
        `from each peer's fastest sample, min ${(suite.memcpyFastest.min * 100).toFixed(0)}%, median ` +
        `${(suite.memcpyFastest.median * 100).toFixed(0)}%.</p>` +
        `<ul>${suite.targets.map((t) => `<li>${t.met ? '✓' : '✗'} ${esc(t.text)}: ${esc(t.measured)}</li>`).join('')}</ul>` +
        `<table><tr><th>peer</th><th>worst ratio</th><th>where</th><th>median ratio</th><th>layouts</th></tr>` +
        Object.entries(suite.peers)
          .map(
            ([k, p]) =>
              `<tr><td>${esc(k === 'copylayout-js' ? 'transpose()/copyLayout() vs plain JS' : k)}</td>` +
              `<td>${p.worst.toFixed(2)}x</td><td>${esc(p.at)}</td><td>${p.median.toFixed(2)}x</td><td>${p.count}</td></tr>`,
          )
          .join('') +
        '</table>';
  return `<!doctype html><html><head><meta charset="utf-8"><title>wasm-memoryview benchmarks ${esc(report.date)}</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px;text-align:right}td:first-child,th{text-align:left}section{margin-top:2em}</style>
</head><body><h1>wasm-memoryview benchmarks</h1><p>${esc(report.date)}. Ratios are speedups of wasm-memoryview (median of its samples)
over each peer's median in the same run ("tobytes vs numpy alloc": MemoryView.tobytes() against np.ascontiguousarray, both
allocating their result; "transpose()/copyLayout() vs plain JS": the plain-array API, copies in and out included, against the
plain JS loop; every other ratio: copies into preallocated memory); % memcpy is the rate of the best memcpy bound (Wasm memory.copy in 256 KiB pieces, or one TypedArray.set, of the
same number of bytes) that wasm-memoryview reaches. "N threads": the one-thread figure over the same copy split across N
threads (init({ threads: N })), and its % of the one-thread memcpy bound. GB/s counts bytes read plus bytes written.</p>
<h2>Summary</h2>${summaryChart(report)}<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows}</table>${suiteHtml}
<h2>Machine</h2><table>${machine}</table><h2>Versions</h2><table>${versions}</table><h2>Notes</h2><ul>${notes}</ul>
<h2>Scenarios</h2>${details}</body></html>\n`;
}
