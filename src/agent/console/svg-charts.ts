/**
 * Small inline SVG charts for the supervisor dashboard (no chart library): a line chart of one or
 * more daily series and a bar chart. Every data point is an element carrying its value
 * (`<circle class="point" data-value>` / `<rect class="bar" data-value>`) with a `<title>` tooltip;
 * days without data (null) draw nothing. Colours are SVG attributes, so the console's CSP (no inline
 * styles) holds. Charts scale to their container (viewBox, width 100%).
 *
 * @example
 * box.append(lineChart({ title: 'Containment', labels: days, series: [{ name: 'containment', color: '#0b6bcb', values }], max: 1, format: pct }));
 */

const NS = 'http://www.w3.org/2000/svg';
const W = 640;
const H = 220;
const PAD = { left: 48, right: 12, top: 14, bottom: 34 };

type Attrs = Record<string, string | number>;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, text?: string): SVGElementTagNameMap[K] {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** One series of a line chart. */
export interface LineSeries {
  readonly name: string;
  readonly color: string;
  readonly values: readonly (number | null)[];
}

/** A bar of a bar chart. */
export interface Bar {
  readonly label: string;
  readonly value: number | null;
}

/** A "nice" top for the y axis (1, 2, 4, 5 × 10^n) at or above `v`: 4 or 5 round steps. */
export function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 4, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function frame(title: string, max: number, format: (v: number) => string): { root: SVGSVGElement; plot: SVGGElement; y: (v: number) => number } {
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': title, class: 'chart', preserveAspectRatio: 'xMidYMid meet' });
  root.append(svg('title', {}, title));
  const innerH = H - PAD.top - PAD.bottom;
  const y = (v: number): number => PAD.top + innerH - (Math.min(v, max) / max) * innerH;
  const grid = svg('g', { class: 'grid' });
  // 5 steps when the top divides by 5 (0–5 ratings: 1, 2, 3…), else 4 (0–100 %: 25 % each)
  const steps = Math.abs(max / 5 - Math.round(max / 5)) < 1e-9 ? 5 : 4;
  for (let i = 0; i <= steps; i++) {
    const v = (max * i) / steps;
    grid.append(svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), stroke: '#dde1e6', 'stroke-width': 1 }));
    grid.append(svg('text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#5f6b7a' }, format(v)));
  }
  root.append(grid);
  const plot = svg('g', { class: 'plot' });
  root.append(plot);
  return { root, plot, y };
}

function xLabels(root: SVGSVGElement, labels: readonly string[], x: (i: number) => number): void {
  const every = Math.max(1, Math.ceil(labels.length / 8));
  const g = svg('g', { class: 'x-labels' });
  labels.forEach((l, i) => {
    // counted back from the last label (today), so the last is always there and never crowded
    if ((labels.length - 1 - i) % every !== 0) return;
    const last = i === labels.length - 1 && labels.length > 1;
    g.append(svg('text', { x: last ? W - PAD.right : x(i), y: H - PAD.bottom + 16, 'text-anchor': last ? 'end' : 'middle', 'font-size': 11, fill: '#5f6b7a' }, l));
  });
  root.append(g);
}

/**
 * Daily series as lines with a dot per day that has a value.
 *
 * @example
 * lineChart({ title: 'Satisfaction', labels, series: [{ name: 'CSAT', color: '#067647', values }], max: 5, format: (v) => v.toFixed(1) });
 */
export function lineChart(opts: { title: string; labels: readonly string[]; series: readonly LineSeries[]; max?: number; format: (v: number) => string }): SVGSVGElement {
  const top = opts.max ?? niceMax(Math.max(0, ...opts.series.flatMap((s) => s.values.filter((v): v is number => v !== null))));
  const { root, plot, y } = frame(opts.title, top, opts.format);
  const n = opts.labels.length;
  const x = (i: number): number => PAD.left + (n <= 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (n - 1));
  for (const s of opts.series) {
    const g = svg('g', { class: 'series', 'data-series': s.name });
    // a line through consecutive days with values; a gap where a day has none
    let run: string[] = [];
    const flush = (): void => {
      if (run.length > 1) g.append(svg('polyline', { points: run.join(' '), fill: 'none', stroke: s.color, 'stroke-width': 2 }));
      run = [];
    };
    s.values.forEach((v, i) => {
      if (v === null) return flush();
      run.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`);
    });
    flush();
    s.values.forEach((v, i) => {
      if (v === null) return;
      const dot = svg('circle', { class: 'point', cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 3.5, fill: s.color, 'data-value': v, 'data-label': opts.labels[i] ?? '' });
      dot.append(svg('title', {}, `${opts.labels[i] ?? ''} · ${s.name}: ${opts.format(v)}`));
      g.append(dot);
    });
    plot.append(g);
  }
  xLabels(root, opts.labels, x);
  // legend
  const legend = svg('g', { class: 'legend' });
  opts.series.forEach((s, i) => {
    legend.append(svg('rect', { x: PAD.left + i * 150, y: H - 12, width: 10, height: 10, fill: s.color }));
    legend.append(svg('text', { x: PAD.left + i * 150 + 14, y: H - 3, 'font-size': 11, fill: '#1d232b' }, s.name));
  });
  root.append(legend);
  return root;
}

/**
 * Bars, one per label; a null value draws no bar.
 *
 * @example
 * barChart({ title: 'Handoffs by reason today', bars: [{ label: 'explicit', value: 3 }], format: String });
 */
export function barChart(opts: { title: string; bars: readonly Bar[]; color: string; max?: number; format: (v: number) => string; labelEvery?: number }): SVGSVGElement {
  const top = opts.max ?? niceMax(Math.max(0, ...opts.bars.map((b) => b.value ?? 0)));
  const { root, plot, y } = frame(opts.title, top, opts.format);
  const n = Math.max(1, opts.bars.length);
  const slot = (W - PAD.left - PAD.right) / n;
  const width = Math.max(2, Math.min(48, slot * 0.7));
  const x = (i: number): number => PAD.left + slot * i + slot / 2;
  opts.bars.forEach((b, i) => {
    if (b.value === null) return;
    const h = Math.max(b.value > 0 ? 1 : 0, y(0) - y(b.value));
    const rect = svg('rect', { class: 'bar', x: (x(i) - width / 2).toFixed(1), y: (y(0) - h).toFixed(1), width: width.toFixed(1), height: h.toFixed(1), fill: opts.color, 'data-value': b.value, 'data-label': b.label });
    rect.append(svg('title', {}, `${b.label}: ${opts.format(b.value)}`));
    plot.append(rect);
  });
  if (opts.bars.length === 0) root.append(svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', 'font-size': 13, fill: '#5f6b7a' }, 'No data yet'));
  xLabels(root, opts.bars.map((b) => b.label), x);
  return root;
}
