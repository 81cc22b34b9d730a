// The sweep as one SVG: throughput and p99 against concurrency, and the CPU each
// process of the federation spent per exchange at each level. Pure: a string out.

export interface ChartLevel {
  concurrency: number;
  throughputPerSecond: number;
  /** The requester's own p99 (answeredAt − createdAt), ms; undefined when nothing completed. */
  p99Ms: number | undefined;
  /** CPU ms per exchange of each federation process (group name → ms), at this level. */
  cpuMsPerExchange: Record<string, number>;
}

export interface ChartInput {
  title: string;
  /** Lines under the title: the machine, what ran the databases, the ceiling. */
  notes: string[];
  levels: ChartLevel[];
}

const WIDTH = 960;
const PANEL = { top: 40, height: 230, width: 360 };
const LEFT_X = 70;
const RIGHT_X = 560;
const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
/** Bars show this many processes by their CPU; the rest are summed into one. */
const MAX_SERIES = 9;
const LEGEND_COLUMNS = 4;

/** Text for an SVG text node or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** The least of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k at or above `value` (an axis maximum); 1 for 0 or less. */
export function niceCeiling(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * power >= value - 1e-9) return step * power;
  return 10 * power;
}

const num = (value: number) => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)).replace(/\.0+$|(\.\d*[1-9])0+$/, '$1');

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attributes ? ` ${attributes}` : ''}>${escapeXml(content)}</text>`;
}

/** Processes ordered by their CPU summed over the levels; beyond MAX_SERIES, one "other" series. */
export function cpuSeries(levels: readonly ChartLevel[]): { names: string[]; values: number[][] } {
  const totals = new Map<string, number>();
  for (const level of levels) for (const [name, ms] of Object.entries(level.cpuMsPerExchange)) totals.set(name, (totals.get(name) ?? 0) + ms);
  const ordered = [...totals].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const shown = ordered.length > MAX_SERIES ? ordered.slice(0, MAX_SERIES - 1) : ordered;
  const rest = ordered.slice(shown.length);
  const names = rest.length ? [...shown, `${rest.length} more`] : shown;
  const values = levels.map((level) => {
    const row = shown.map((name) => level.cpuMsPerExchange[name] ?? 0);
    if (rest.length) row.push(rest.reduce((sum, name) => sum + (level.cpuMsPerExchange[name] ?? 0), 0));
    return row;
  });
  return { names, values };
}

export function sweepChart(input: ChartInput): string {
  const { levels } = input;
  const notesHeight = 18 * input.notes.length;
  const top = PANEL.top + notesHeight + 16;
  const bottom = top + PANEL.height;
  const { names, values } = cpuSeries(levels);
  // The legend: the processes' colours, under both panels.
  const legendRows = Math.ceil(names.length / LEGEND_COLUMNS);
  const height = bottom + 60 + 18 * legendRows;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    text(LEFT_X - 50, 22, input.title, 'font-size="15" font-weight="600"'),
    ...input.notes.map((note, index) => text(LEFT_X - 50, 40 + 18 * index, note, 'fill="#444"')),
  );
  const xAt = (index: number, left: number) => left + ((index + 0.5) * PANEL.width) / Math.max(levels.length, 1);
  const axes = (left: number, label: string) => {
    out.push(`<line x1="${left}" y1="${bottom}" x2="${left + PANEL.width}" y2="${bottom}" stroke="#888"/>`);
    levels.forEach((level, index) => out.push(text(xAt(index, left), bottom + 16, String(level.concurrency), 'text-anchor="middle"')));
    out.push(text(left + PANEL.width / 2, bottom + 34, label, 'text-anchor="middle" fill="#444"'));
  };
  const gridY = (left: number, max: number, color: string, side: 'left' | 'right', label: string) => {
    for (let step = 0; step <= 4; step++) {
      const y = bottom - (step / 4) * PANEL.height;
      const value = (max * step) / 4;
      if (side === 'left') out.push(`<line x1="${left}" y1="${y}" x2="${left + PANEL.width}" y2="${y}" stroke="#eee"/>`);
      const x = side === 'left' ? left - 6 : left + PANEL.width + 6;
      out.push(text(x, y + 4, num(value), `text-anchor="${side === 'left' ? 'end' : 'start'}" fill="${color}"`));
    }
    const x = side === 'left' ? left - 48 : left + PANEL.width + 48;
    out.push(text(x, top + PANEL.height / 2, label, `text-anchor="middle" fill="${color}" transform="rotate(-90 ${x} ${top + PANEL.height / 2})"`));
  };

  // Left: throughput (left axis) and p99 (right axis) against concurrency.
  const throughputMax = niceCeiling(Math.max(...levels.map((level) => level.throughputPerSecond), 0));
  const p99Max = niceCeiling(Math.max(...levels.map((level) => level.p99Ms ?? 0), 0));
  gridY(LEFT_X, throughputMax, COLORS[0], 'left', 'exchanges / s');
  gridY(LEFT_X, p99Max, COLORS[1], 'right', 'p99 latency (ms)');
  axes(LEFT_X, 'concurrency (inquiries in flight)');
  const line = (points: [number, number][], color: string, dashed: boolean) => {
    if (points.length > 1) out.push(`<polyline fill="none" stroke="${color}" stroke-width="2"${dashed ? ' stroke-dasharray="5 4"' : ''} points="${points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ')}"/>`);
    for (const [x, y] of points) out.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="3.5" fill="${color}"/>`);
  };
  const throughputPoints = levels.map((level, index): [number, number] => [xAt(index, LEFT_X), bottom - (level.throughputPerSecond / throughputMax) * PANEL.height]);
  const p99Points = levels.flatMap((level, index): [number, number][] => (level.p99Ms === undefined ? [] : [[xAt(index, LEFT_X), bottom - (level.p99Ms / p99Max) * PANEL.height]]));
  line(throughputPoints, COLORS[0], false);
  line(p99Points, COLORS[1], true);
  levels.forEach((level, index) => out.push(text(throughputPoints[index][0], throughputPoints[index][1] - 8, num(level.throughputPerSecond), `text-anchor="middle" fill="${COLORS[0]}"`)));
  out.push(text(LEFT_X, top - 8, 'throughput (solid) and p99 (dashed)', 'font-weight="600"'));

  // Right: CPU ms per exchange, stacked by process, at each level.
  const cpuMax = niceCeiling(Math.max(...values.map((row) => row.reduce((sum, ms) => sum + ms, 0)), 0));
  gridY(RIGHT_X, cpuMax, '#333', 'left', 'CPU ms per exchange');
  axes(RIGHT_X, 'concurrency (inquiries in flight)');
  const barWidth = Math.min(56, (PANEL.width / Math.max(levels.length, 1)) * 0.6);
  values.forEach((row, index) => {
    let y = bottom;
    row.forEach((ms, series) => {
      const h = (ms / cpuMax) * PANEL.height;
      if (h <= 0) return;
      y -= h;
      out.push(`<rect x="${(xAt(index, RIGHT_X) - barWidth / 2).toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[series % COLORS.length]}"><title>${escapeXml(`${names[series]}: ${num(ms)} ms`)}</title></rect>`);
    });
    out.push(text(xAt(index, RIGHT_X), y - 6, num(row.reduce((sum, ms) => sum + ms, 0)), 'text-anchor="middle" fill="#333"'));
  });
  out.push(text(RIGHT_X, top - 8, 'CPU per exchange, by process of the federation', 'font-weight="600"'));
  names.forEach((name, series) => {
    const x = LEFT_X - 50 + (series % LEGEND_COLUMNS) * 225;
    const y = bottom + 56 + 18 * Math.floor(series / LEGEND_COLUMNS);
    out.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${COLORS[series % COLORS.length]}"/>`, text(x + 17, y, name));
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
