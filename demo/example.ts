// The interactive example: a base array whose items are their own indices, a slice of it,
// and the bytes tobytes(order) gives, next to what plain JS computes from slice semantics.
import { MemoryView, NDArray, slice, type PySlice } from 'wasm-memoryview';

/** The example's outcome, also read by the browser tests. */
export interface ExampleResult {
  ok: boolean;
  shape: number[];
  strides: number[];
  order: string;
  out: number[];
  expected: number[];
  error?: string;
}

const FORMATS: Record<string, { max: number; array: (b: ArrayBuffer) => ArrayLike<number> }> = {
  B: { max: 256, array: (b) => new Uint8Array(b) },
  h: { max: 32768, array: (b) => new Int16Array(b) },
  i: { max: 1 << 20, array: (b) => new Int32Array(b) },
  f: { max: 1 << 20, array: (b) => new Float32Array(b) },
  d: { max: 1 << 20, array: (b) => new Float64Array(b) },
};

/** Python's slice.indices(n) followed by range(): the indices a slice selects. */
function sliceIndices(start: number | null, stop: number | null, step: number | null, n: number): number[] {
  const st = step ?? 1;
  const clamp = (v: number | null, dflt: number, lo: number, hi: number) => {
    if (v === null) return dflt;
    const w = v < 0 ? v + n : v;
    return Math.min(Math.max(w, lo), hi);
  };
  const out: number[] = [];
  if (st > 0) {
    for (let i = clamp(start, 0, 0, n), end = clamp(stop, n, 0, n); i < end; i += st) out.push(i);
  } else {
    for (let i = clamp(start, n - 1, -1, n - 1), end = clamp(stop, -1, -1, n - 1); i > end; i += st) out.push(i);
  }
  return out;
}

function parseSlices(text: string, ndim: number): Array<[number | null, number | null, number | null]> {
  const parts = text.trim() === '' ? [] : text.split(',');
  if (parts.length > ndim) throw new Error(`${parts.length} slices for ${ndim} dimensions`);
  const num = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : Number.parseInt(s, 10));
  const out = parts.map((p) => {
    const [a, b, c] = p.split(':');
    if (p.split(':').length > 3) throw new Error(`bad slice '${p}'`);
    return [num(a), num(b), num(c)] as [number | null, number | null, number | null];
  });
  while (out.length < ndim) out.push([null, null, null]);
  return out;
}

/** Builds the example, renders it into the page, and returns its outcome. */
export function runExample(
  form: { shape: string; format: string; slice: string; order: string },
  hosts: {
    info: HTMLElement;
    grid: HTMLElement;
    out: HTMLElement;
    check: HTMLElement;
  },
): ExampleResult {
  const shape = form.shape.split(',').map((s) => Number.parseInt(s, 10));
  const order = form.order as 'C' | 'F' | 'A';
  const fmt = FORMATS[form.format];
  const n = shape.reduce((a, b) => a * b, 1);
  const result: ExampleResult = { ok: false, shape: [], strides: [], order, out: [], expected: [] };
  try {
    if (shape.some((d) => !Number.isInteger(d) || d < 1) || shape.length > 3)
      throw new Error('shape: 1 to 3 positive integers');
    if (n > Math.min(fmt.max, 4096))
      throw new Error(`at most ${Math.min(fmt.max, 4096)} items for format '${form.format}'`);
    const slices = parseSlices(form.slice, shape.length);
    const base = new NDArray(
      Array.from({ length: n }, (_, k) => k),
      { shape, format: form.format },
    );
    const key: PySlice[] = slices.map(([a, b, c]) => slice(a, b, c));
    const sub = base.get(key) as NDArray;
    const view = MemoryView.fromObject(sub);
    const bytes = view.tobytes(order);
    const copy = new Uint8Array(bytes).buffer;
    result.out = Array.from(fmt.array(copy));
    result.shape = view.shape;
    result.strides = view.strides;
    // plain JS: the selected indices of every dimension, visited in the output's order
    const picks = slices.map(([a, b, c], d) => sliceIndices(a, b, c, shape[d]));
    const cStrides = shape.map((_, d) => shape.slice(d + 1).reduce((x, y) => x * y, 1));
    const useF = order === 'F' || (order === 'A' && view.f_contiguous && !view.c_contiguous);
    const dims = useF ? [...picks.keys()].reverse() : [...picks.keys()];
    const visit = (level: number, acc: number[]) => {
      if (level === dims.length) {
        result.expected.push(acc.reduce((s, idx, d) => s + idx * cStrides[d], 0));
        return;
      }
      const d = dims[level];
      for (const idx of picks[d]) {
        acc[d] = idx;
        visit(level + 1, acc);
      }
    };
    if (picks.every((p) => p.length > 0)) visit(0, new Array<number>(shape.length).fill(0));
    result.ok = result.out.length === result.expected.length && result.out.every((v, i) => v === result.expected[i]);
    hosts.info.textContent =
      `view: shape=${JSON.stringify(view.shape)} strides=${JSON.stringify(view.strides)} ` +
      `(bytes) itemsize=${view.itemsize} nbytes=${view.nbytes} c_contiguous=${view.c_contiguous} ` +
      `f_contiguous=${view.f_contiguous}; base: shape=${JSON.stringify(shape)} strides=${JSON.stringify(base.strides)}`;
    view.release();
  } catch (err) {
    result.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    hosts.info.textContent = result.error;
  }
  // the base array as a grid (leading dimensions flattened into rows); the view's items are
  // highlighted with their position in the output
  const position = new Map(result.out.map((v, i) => [v, i]));
  const cols = shape[shape.length - 1] || 1;
  hosts.grid.className = 'grid';
  hosts.grid.style.gridTemplateColumns = `repeat(${cols}, minmax(2.1rem, max-content))`;
  hosts.grid.replaceChildren(
    ...Array.from({ length: Number.isFinite(n) && n <= 4096 ? n : 0 }, (_, k) => {
      const cell = document.createElement('div');
      cell.className = position.has(k) ? 'cell in' : 'cell';
      cell.textContent = String(k);
      if (position.has(k)) {
        const tag = document.createElement('small');
        tag.textContent = String(position.get(k));
        cell.append(tag);
      }
      return cell;
    }),
  );
  hosts.out.replaceChildren(
    ...result.out.map((v) => {
      const cell = document.createElement('div');
      cell.className = 'cell in';
      cell.textContent = String(v);
      return cell;
    }),
  );
  hosts.check.className = result.ok ? 'ok' : 'bad';
  hosts.check.textContent =
    result.error !== undefined
      ? ''
      : result.ok
        ? `✓ the same ${result.out.length} items as plain JS (slice semantics, order ${order})`
        : `✗ differs from plain JS: expected ${JSON.stringify(result.expected)}`;
  return result;
}
