/**
 * Charts as inline SVG strings, drawn on the server (no client script): horizontal bars
 * with the target marked and the 95 % interval as a whisker, and a trend over periods.
 * Pure. Every text is escaped; each chart is an image for assistive technologies
 * (role="img", <title> and a <desc> that spells the figures out).
 */
import { formatPercent } from '../format';

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const COLORS = { bar: '#000091', whisker: '#3a3a3a', target: '#ce0500', grid: '#dddddd', text: '#161616', muted: '#666666' };
const FONT = "font-family=\"Marianne, Arial, sans-serif\"";

/** Ratios in [0, 1]; null means "not shown" (effectif insuffisant or no data). */
export interface Bar {
  label: string;
  value: number | null;
  low?: number | null;
  high?: number | null;
  target?: number | null;
  /** Shown instead of the value when it is null. */
  note?: string;
}

export interface ChartOptions {
  /** Prefix of the element ids (unique in the page). */
  id: string;
  title: string;
  /** Defaults to a sentence listing every figure. */
  description?: string;
  format?: (ratio: number) => string;
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));
const r1 = (v: number) => Math.round(v * 10) / 10;
const safeId = (id: string) => id.toLowerCase().replace(/[^a-z0-9-]+/g, '-');

function frame(o: ChartOptions, width: number, height: number, body: string, desc: string): string {
  const id = safeId(o.id);
  return `<svg xmlns="http://www.w3.org/2000/svg" class="qm-chart" role="img" style="max-width:100%;height:auto" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" aria-labelledby="${id}-title ${id}-desc">`
    + `<title id="${id}-title">${escapeXml(o.title)}</title><desc id="${id}-desc">${escapeXml(o.description ?? desc)}</desc>${body}</svg>`;
}

function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${r1(x)}" y="${r1(y)}" ${FONT} font-size="12" fill="${COLORS.text}" ${attrs}>${escapeXml(s)}</text>`;
}

/** Long labels are cut with an ellipsis; the full text stays in the description. */
function fit(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, max - 1).trimEnd()}…`;
}

export function barChart(o: ChartOptions & { bars: Bar[] }): string {
  const fmt = o.format ?? ((v: number) => formatPercent(v));
  const labelW = 300;
  const x0 = labelW + 10;
  const barW = 330;
  const rowH = 24;
  const top = 22;
  const hasTarget = o.bars.some((b) => b.target != null);
  const height = top + o.bars.length * rowH + (hasTarget ? 30 : 10);
  const width = x0 + barW + 110;
  const x = (v: number) => x0 + clamp(v) * barW;
  let body = '';
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    body += `<line x1="${r1(x(t))}" y1="${top - 4}" x2="${r1(x(t))}" y2="${top + o.bars.length * rowH}" stroke="${COLORS.grid}" stroke-width="1"/>`;
    body += text(x(t), top - 8, fmt(t), `font-size="10" text-anchor="middle" fill="${COLORS.muted}"`);
  }
  o.bars.forEach((b, i) => {
    const y = top + i * rowH;
    const cy = y + rowH / 2;
    body += text(labelW, cy + 4, fit(b.label, 48), 'text-anchor="end"');
    if (b.value == null) {
      body += text(x0 + 4, cy + 4, b.note ?? 'non disponible', `font-style="italic" fill="${COLORS.muted}"`);
    } else {
      body += `<rect x="${x0}" y="${r1(y + 5)}" width="${r1(clamp(b.value) * barW)}" height="${rowH - 10}" fill="${COLORS.bar}"/>`;
      if (b.low != null && b.high != null) {
        body += `<line x1="${r1(x(b.low))}" y1="${r1(cy)}" x2="${r1(x(b.high))}" y2="${r1(cy)}" stroke="${COLORS.whisker}" stroke-width="1.5"/>`;
        for (const e of [b.low, b.high]) body += `<line x1="${r1(x(e))}" y1="${r1(cy - 4)}" x2="${r1(x(e))}" y2="${r1(cy + 4)}" stroke="${COLORS.whisker}" stroke-width="1.5"/>`;
      }
      body += text(x0 + barW + 8, cy + 4, fmt(b.value), 'font-weight="bold"');
    }
    if (b.target != null) {
      body += `<line x1="${r1(x(b.target))}" y1="${r1(y + 1)}" x2="${r1(x(b.target))}" y2="${r1(y + rowH - 1)}" stroke="${COLORS.target}" stroke-width="3"/>`;
    }
  });
  if (hasTarget) {
    const ly = top + o.bars.length * rowH + 18;
    body += `<line x1="${x0}" y1="${ly - 9}" x2="${x0}" y2="${ly + 3}" stroke="${COLORS.target}" stroke-width="3"/>`;
    body += text(x0 + 8, ly, 'objectif national', 'font-size="11"');
  }
  const desc = o.bars
    .map((b) => `${b.label} : ${b.value == null ? b.note ?? 'non disponible' : fmt(b.value)}${b.target != null ? ` (objectif ${fmt(b.target)})` : ''}`)
    .join(' ; ');
  return frame(o, width, height, body, desc);
}

export interface TrendPoint {
  label: string;
  value: number | null;
  note?: string;
}

export function trendChart(o: ChartOptions & { points: TrendPoint[]; target?: number | null }): string {
  const fmt = o.format ?? ((v: number) => formatPercent(v));
  const width = 720;
  const height = 220;
  // Room for the axis labels on the left and for the first and last period labels.
  const left = 110;
  const right = 70;
  const top = 20;
  const bottom = 40;
  const plotH = height - top - bottom;
  const n = o.points.length;
  const step = n > 1 ? (width - left - right) / (n - 1) : 0;
  const px = (i: number) => (n > 1 ? left + i * step : (left + width - right) / 2);
  const py = (v: number) => top + (1 - clamp(v)) * plotH;
  let body = '';
  for (const t of [0, 0.5, 1]) {
    body += `<line x1="${left}" y1="${r1(py(t))}" x2="${width - right}" y2="${r1(py(t))}" stroke="${COLORS.grid}" stroke-width="1"/>`;
    body += text(left - 6, py(t) + 4, fmt(t), `font-size="10" text-anchor="end" fill="${COLORS.muted}"`);
  }
  if (o.target != null) {
    body += `<line x1="${left}" y1="${r1(py(o.target))}" x2="${width - right}" y2="${r1(py(o.target))}" stroke="${COLORS.target}" stroke-width="2" stroke-dasharray="6 4"/>`;
    body += text(width - right, py(o.target) - 6, `objectif ${fmt(o.target)}`, `font-size="11" text-anchor="end" fill="${COLORS.target}"`);
  }
  // One polyline per run of consecutive known values: a withheld period leaves a gap.
  let run: string[] = [];
  const flush = () => {
    if (run.length > 1) body += `<polyline points="${run.join(' ')}" fill="none" stroke="${COLORS.bar}" stroke-width="2.5"/>`;
    run = [];
  };
  o.points.forEach((p, i) => {
    if (p.value == null) return flush();
    run.push(`${r1(px(i))},${r1(py(p.value))}`);
  });
  flush();
  o.points.forEach((p, i) => {
    body += text(px(i), height - bottom + 18, fit(p.label, 24), 'font-size="11" text-anchor="middle"');
    if (p.value == null) {
      // Between the 0 % and 50 % lines, clear of the axis labels.
      body += text(px(i), py(0.25) + 4, p.note ?? 'non disponible', `font-size="10" text-anchor="middle" font-style="italic" fill="${COLORS.muted}"`);
    } else {
      body += `<circle cx="${r1(px(i))}" cy="${r1(py(p.value))}" r="4" fill="${COLORS.bar}"/>`;
      body += text(px(i), py(p.value) - 9, fmt(p.value), 'font-size="11" font-weight="bold" text-anchor="middle"');
    }
  });
  const desc = o.points.map((p) => `${p.label} : ${p.value == null ? p.note ?? 'non disponible' : fmt(p.value)}`).join(' ; ')
    + (o.target != null ? ` ; objectif ${fmt(o.target)}` : '');
  return frame(o, width, height, body, desc);
}

/** One line per series over the same periods (a year per line over its twelve months); values in their own unit, scaled to the largest. */
export interface LineSeries {
  name: string;
  values: (number | null)[];
}

export function multiLineChart(o: ChartOptions & { labels: string[]; series: LineSeries[] }): string {
  const fmt = o.format ?? ((v: number) => String(v));
  const width = 720;
  const height = 250;
  const left = 60;
  const right = 30;
  const top = 20;
  const bottom = 70;
  const plotH = height - top - bottom;
  const n = o.labels.length;
  const step = n > 1 ? (width - left - right) / (n - 1) : 0;
  const known = o.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const max = Math.max(1, ...known);
  const px = (i: number) => (n > 1 ? left + i * step : (left + width - right) / 2);
  const py = (v: number) => top + (1 - clamp(v / max)) * plotH;
  // Series differ by dash and marker as well as colour (never by colour alone).
  const styles = [
    { color: COLORS.bar, dash: '', marker: (x: number, y: number, c: string) => `<circle cx="${r1(x)}" cy="${r1(y)}" r="4" fill="${c}"/>` },
    { color: COLORS.target, dash: ' stroke-dasharray="6 4"', marker: (x: number, y: number, c: string) => `<rect x="${r1(x - 4)}" y="${r1(y - 4)}" width="8" height="8" fill="${c}"/>` },
    { color: COLORS.whisker, dash: ' stroke-dasharray="2 3"', marker: (x: number, y: number, c: string) => `<path d="M${r1(x)} ${r1(y - 5)} L${r1(x + 5)} ${r1(y + 4)} L${r1(x - 5)} ${r1(y + 4)} Z" fill="${c}"/>` },
  ];
  let body = '';
  for (const t of [0, 0.5, 1]) {
    const y = top + (1 - t) * plotH;
    body += `<line x1="${left}" y1="${r1(y)}" x2="${width - right}" y2="${r1(y)}" stroke="${COLORS.grid}" stroke-width="1"/>`;
    body += text(left - 6, y + 4, fmt(Math.round(t * max)), `text-anchor="end" fill="${COLORS.muted}"`);
  }
  o.series.forEach((s, k) => {
    const st = styles[k % styles.length];
    let run: string[] = [];
    const flush = () => {
      if (run.length > 1) body += `<polyline points="${run.join(' ')}" fill="none" stroke="${st.color}" stroke-width="2.5"${st.dash}/>`;
      run = [];
    };
    s.values.forEach((v, i) => {
      if (v == null) return flush();
      run.push(`${r1(px(i))},${r1(py(v))}`);
    });
    flush();
    s.values.forEach((v, i) => { if (v != null) body += st.marker(px(i), py(v), st.color); });
    const ly = height - 18;
    const lx = left + k * 120;
    body += `<line x1="${lx}" y1="${ly - 4}" x2="${lx + 30}" y2="${ly - 4}" stroke="${st.color}" stroke-width="2.5"${st.dash}/>` + st.marker(lx + 15, ly - 4, st.color);
    body += text(lx + 36, ly, s.name);
  });
  o.labels.forEach((l, i) => { body += text(px(i), height - bottom + 18, fit(l, 12), 'text-anchor="middle"'); });
  const desc = o.series.map((s) => `${s.name} : ${s.values.map((v, i) => `${o.labels[i]} ${v == null ? 'non renseigné' : fmt(v)}`).join(', ')}`).join(' ; ');
  return frame(o, width, height, body, desc);
}
