// A grouped horizontal bar chart in SVG (no library): GB/s of the Wasm copy and of the
// plain-JS loop for each scenario.
import type { BenchResult } from './bench.js';

const SVG = 'http://www.w3.org/2000/svg';

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Draws the results into `host`, replacing what was there. */
export function drawChart(host: HTMLElement, results: BenchResult[]): void {
  const labelWidth = 360;
  const barArea = 640;
  const rowHeight = 46;
  const top = 34;
  const width = labelWidth + barArea + 110;
  const height = top + rowHeight * results.length + 16;
  const max = Math.max(...results.flatMap((r) => [r.wasmGBs, r.jsGBs]), 0.001);
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': 'copy throughput, GB/s: Wasm against the plain-JS loop',
  });
  svg.append(el('rect', { x: labelWidth, y: 8, width: 12, height: 12, fill: '#2f6fdf' }));
  svg.append(el('text', { x: labelWidth + 18, y: 19, 'font-size': 12 }, 'wasm-memoryview (Wasm)'));
  svg.append(el('rect', { x: labelWidth + 200, y: 8, width: 12, height: 12, fill: '#9aa3b5' }));
  svg.append(el('text', { x: labelWidth + 218, y: 19, 'font-size': 12 }, 'plain-JS loop'));
  svg.append(el('text', { x: labelWidth + 340, y: 19, 'font-size': 12, fill: '#555' }, 'GB/s, higher is better'));
  results.forEach((r, i) => {
    const y = top + i * rowHeight;
    svg.append(el('text', { x: 0, y: y + 22, 'font-size': 11.5, 'font-family': 'ui-monospace, monospace' }, r.name));
    for (const [k, value, fill] of [
      [0, r.wasmGBs, '#2f6fdf'],
      [1, r.jsGBs, '#9aa3b5'],
    ] as const) {
      const w = Math.max(1, (value / max) * barArea);
      const by = y + 4 + k * 18;
      svg.append(el('rect', { x: labelWidth, y: by, width: w, height: 15, fill, rx: 2 }));
      svg.append(el('text', { x: labelWidth + w + 6, y: by + 12, 'font-size': 11 }, value.toFixed(2)));
    }
    svg.append(
      el(
        'text',
        { x: width - 4, y: y + 22, 'font-size': 12, 'text-anchor': 'end', 'font-weight': 'bold' },
        `×${(r.jsMs / r.wasmMs).toFixed(1)}`,
      ),
    );
  });
  host.replaceChildren(svg);
}
