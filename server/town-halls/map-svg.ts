/**
 * The town-hall delay map as an inline SVG string, drawn on the server (pure): the
 * department's outline, one symbol per town hall whose colour, shape and letter all tell its
 * delay class (a black-and-white print still reads), the delay in days beside each symbol, a
 * legend, a scale bar and the sources with their licences. No tile, no script, no network.
 */
import { escapeXml } from '../reports/charts';
import { DELAY_CLASSES, NO_SLOT_CLASS, UNCHECKED_CLASS, type DelayClassKey } from './delays';
import type { Ring } from './geo';

export interface MapPoint {
  name: string;
  /** Position in the projected frame (the outline's coordinates). */
  x: number;
  y: number;
  cls: DelayClassKey;
  /** Printed beside the symbol after the name: « 12 j », « pas de créneau ». */
  label: string;
}

export interface MapInput {
  id: string;
  title: string;
  outline: Ring[] | null;
  points: MapPoint[];
  /** Projected units per kilometre (for the scale bar). */
  unitsPerKm: number;
  sources: string;
  /** Town halls without coordinates, named under the map. */
  unplaced: number;
}

const ALL_CLASSES = [...DELAY_CLASSES, NO_SLOT_CLASS, UNCHECKED_CLASS];
const classOf = (k: DelayClassKey) => ALL_CLASSES.find((c) => c.key === k)!;
const FONT = 'font-family="Marianne, Arial, sans-serif"';
const r1 = (v: number) => Math.round(v * 10) / 10;

/** One symbol centred on (x, y): shape and fill of its class, with its letter inside. */
export function symbol(k: DelayClassKey, x: number, y: number, size = 7): string {
  const c = classOf(k);
  const stroke = 'stroke="#161616" stroke-width="1.2"';
  let shape: string;
  switch (c.shape) {
    case 'square': shape = `<rect x="${r1(x - size)}" y="${r1(y - size)}" width="${2 * size}" height="${2 * size}" fill="${c.colour}" ${stroke}/>`; break;
    case 'triangle': shape = `<polygon points="${r1(x)},${r1(y - size * 1.25)} ${r1(x + size * 1.2)},${r1(y + size)} ${r1(x - size * 1.2)},${r1(y + size)}" fill="${c.colour}" ${stroke}/>`; break;
    case 'diamond': shape = `<polygon points="${r1(x)},${r1(y - size * 1.3)} ${r1(x + size * 1.3)},${r1(y)} ${r1(x)},${r1(y + size * 1.3)} ${r1(x - size * 1.3)},${r1(y)}" fill="${c.colour}" ${stroke}/>`; break;
    case 'cross': shape = `<path d="M${r1(x - size)},${r1(y - size)}L${r1(x + size)},${r1(y + size)}M${r1(x + size)},${r1(y - size)}L${r1(x - size)},${r1(y + size)}" stroke="${c.colour}" stroke-width="3"/>`; break;
    case 'ring': shape = `<circle cx="${r1(x)}" cy="${r1(y)}" r="${size}" fill="#ffffff" stroke="#161616" stroke-width="1.2" stroke-dasharray="2 2"/>`; break;
    default: shape = `<circle cx="${r1(x)}" cy="${r1(y)}" r="${size}" fill="${c.colour}" ${stroke}/>`;
  }
  const letterFill = c.key === 'a' || c.key === 'd' ? '#ffffff' : '#161616';
  const letter = c.shape === 'cross' || c.shape === 'ring' ? '' : `<text x="${r1(x)}" y="${r1(y + 3.2)}" ${FONT} font-size="8.5" font-weight="bold" text-anchor="middle" fill="${letterFill}">${c.key.toUpperCase()}</text>`;
  return shape + letter;
}

/** A round scale-bar length (km) about a fifth of the map's width. */
export function scaleKm(widthKm: number): number {
  const target = widthKm / 5;
  const steps = [1, 2, 5, 10, 20, 25, 50, 100, 200];
  return steps.reduce((best, s) => (Math.abs(s - target) < Math.abs(best - target) ? s : best), steps[0]);
}

/** [left, top, right, bottom] in SVG units. */
type Box = [number, number, number, number];
const overlap = (a: Box, b: Box) => Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0])) * Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
/** Approximate width of a 10-unit label (Marianne/Arial average glyph ≈ 0.56 em). */
const labelWidth = (text: string) => text.length * 5.6;

export interface PlacedLabel { x: number; y: number; anchor: 'start' | 'middle' | 'end' }

/**
 * Places each symbol's label (greedily, in the given order) at the first of eight positions
 * around it (right first, then left, below, above, the diagonals) that covers no symbol, no
 * label already placed, no box of `avoid` and stays inside the width; when none is free, the
 * least covering one. Pure and deterministic.
 */
export function placeLabels(points: { x: number; y: number; text: string }[], avoid: Box[], width: number): PlacedLabel[] {
  const symbols: Box[] = points.map((p) => [p.x - 9, p.y - 9, p.x + 9, p.y + 9]);
  const taken: Box[] = [];
  return points.map((p, i) => {
    const w = labelWidth(p.text);
    const candidates: (PlacedLabel & { box: Box })[] = [
      { x: p.x + 10, y: p.y + 4, anchor: 'start', box: [p.x + 10, p.y - 5, p.x + 10 + w, p.y + 6] },
      { x: p.x - 10, y: p.y + 4, anchor: 'end', box: [p.x - 10 - w, p.y - 5, p.x - 10, p.y + 6] },
      { x: p.x, y: p.y + 20, anchor: 'middle', box: [p.x - w / 2, p.y + 11, p.x + w / 2, p.y + 22] },
      { x: p.x, y: p.y - 12, anchor: 'middle', box: [p.x - w / 2, p.y - 21, p.x + w / 2, p.y - 10] },
      { x: p.x + 8, y: p.y + 17, anchor: 'start', box: [p.x + 8, p.y + 8, p.x + 8 + w, p.y + 19] },
      { x: p.x + 8, y: p.y - 9, anchor: 'start', box: [p.x + 8, p.y - 18, p.x + 8 + w, p.y - 7] },
      { x: p.x - 8, y: p.y + 17, anchor: 'end', box: [p.x - 8 - w, p.y + 8, p.x - 8, p.y + 19] },
      { x: p.x - 8, y: p.y - 9, anchor: 'end', box: [p.x - 8 - w, p.y - 18, p.x - 8, p.y - 7] },
    ];
    const cost = (b: Box) => [...taken, ...avoid, ...symbols.filter((_, j) => j !== i)].reduce((s, o) => s + overlap(b, o), 0)
      + (b[0] < 0 || b[2] > width ? 1e6 : 0);
    let best = candidates[0], bestCost = Infinity;
    for (const c of candidates) {
      const v = cost(c.box);
      if (v < bestCost) { best = c; bestCost = v; }
      if (v === 0) break;
    }
    taken.push(best.box);
    return { x: best.x, y: best.y, anchor: best.anchor };
  });
}

export function renderMap(m: MapInput): string {
  const W = 640, MAP_H = 460, LEGEND_W = 200, PAD = 16;
  const xs: number[] = [], ys: number[] = [];
  for (const r of m.outline ?? []) for (const [x, y] of r) { xs.push(x); ys.push(y); }
  for (const p of m.points) { xs.push(p.x); ys.push(p.y); }
  if (!xs.length) { xs.push(0, 1); ys.push(0, 1); }
  let [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  // Without an outline, a frame around the points with a margin (and at least ~20 km wide).
  const minSpan = 20 * m.unitsPerKm;
  if (maxX - minX < minSpan) { const c = (minX + maxX) / 2; minX = c - minSpan / 2; maxX = c + minSpan / 2; }
  if (maxY - minY < minSpan) { const c = (minY + maxY) / 2; minY = c - minSpan / 2; maxY = c + minSpan / 2; }
  const mapW = W - LEGEND_W - 2 * PAD;
  const k = Math.min(mapW / (maxX - minX), (MAP_H - 2 * PAD) / (maxY - minY));
  const tx = (x: number) => PAD + (x - minX) * k;
  const ty = (y: number) => PAD + (y - minY) * k;
  const H = Math.max(MAP_H, 330);
  const parts: string[] = [];
  parts.push(`<rect x="0" y="0" width="${W}" height="${H + 40}" fill="#ffffff"/>`);
  if (m.outline) {
    const d = m.outline.map((r) => `M${r.map(([x, y]) => `${r1(tx(x))},${r1(ty(y))}`).join('L')}Z`).join('');
    parts.push(`<path d="${d}" fill="#f6f6f6" stroke="#3a3a3a" stroke-width="1.5" fill-rule="evenodd"/>`);
  } else {
    parts.push(`<rect x="${PAD}" y="${PAD}" width="${r1((maxX - minX) * k)}" height="${r1((maxY - minY) * k)}" fill="none" stroke="#929292" stroke-dasharray="4 3"/>`);
  }
  // Unchecked town halls first, so checked ones are drawn on top.
  const order = [...m.points].sort((a, b) => Number(b.cls === 'n') - Number(a.cls === 'n'));
  const legendBox: Box = [W - LEGEND_W - 6, 0, W, PAD + 34 + ALL_CLASSES.length * 24];
  const labels = placeLabels(order.map((p) => ({ x: tx(p.x), y: ty(p.y), text: `${p.name} (${p.label})` })), [legendBox], W);
  order.forEach((p, i) => {
    const x = tx(p.x), y = ty(p.y);
    const l = labels[i];
    parts.push(`<g><title>${escapeXml(`${p.name} : ${p.label}`)}</title>${symbol(p.cls, x, y)}`
      + `<text x="${r1(l.x)}" y="${r1(l.y)}"${l.anchor === 'start' ? '' : ` text-anchor="${l.anchor}"`} ${FONT} font-size="10" fill="#161616" stroke="#ffffff" stroke-width="2.5" paint-order="stroke">${escapeXml(`${p.name} (${p.label})`)}</text></g>`);
  });
  // Scale bar, bottom left of the map.
  const widthKm = (maxX - minX) / m.unitsPerKm;
  const km = scaleKm(widthKm);
  const barLen = km * m.unitsPerKm * k;
  const sy = PAD + (maxY - minY) * k + 14;
  parts.push(`<g aria-hidden="true"><rect x="${PAD}" y="${r1(sy)}" width="${r1(barLen / 2)}" height="5" fill="#161616"/><rect x="${r1(PAD + barLen / 2)}" y="${r1(sy)}" width="${r1(barLen / 2)}" height="5" fill="#ffffff" stroke="#161616"/>`
    + `<text x="${PAD}" y="${r1(sy + 17)}" ${FONT} font-size="10">0</text><text x="${r1(PAD + barLen)}" y="${r1(sy + 17)}" ${FONT} font-size="10" text-anchor="middle">${km} km</text></g>`);
  // Legend.
  const lx = W - LEGEND_W;
  parts.push(`<text x="${lx}" y="${PAD + 10}" ${FONT} font-size="12" font-weight="bold">Premier rendez-vous proposé</text>`);
  ALL_CLASSES.forEach((c, i) => {
    const y = PAD + 34 + i * 24;
    parts.push(symbol(c.key, lx + 9, y) + `<text x="${lx + 24}" y="${y + 4}" ${FONT} font-size="11">${c.shape === 'cross' || c.shape === 'ring' ? '' : `${c.key.toUpperCase()} : `}${escapeXml(c.label)}</text>`);
  });
  const note = m.unplaced ? `${m.unplaced} mairie${m.unplaced > 1 ? 's' : ''} sans position, absente${m.unplaced > 1 ? 's' : ''} de la carte (voir le tableau).` : '';
  const sourceLines = wrap(m.sources, 100);
  const total = Math.max(sy + 30, PAD + 34 + ALL_CLASSES.length * 24) + (note ? 16 : 0) + sourceLines.length * 13 + 8;
  let fy = Math.max(sy + 30, PAD + 34 + ALL_CLASSES.length * 24);
  if (note) { parts.push(`<text x="${PAD}" y="${r1(fy)}" ${FONT} font-size="10">${escapeXml(note)}</text>`); fy += 16; }
  for (const line of sourceLines) { parts.push(`<text x="${PAD}" y="${r1(fy)}" ${FONT} font-size="9" fill="#3a3a3a">${escapeXml(line)}</text>`); fy += 13; }
  parts[0] = `<rect x="0" y="0" width="${W}" height="${r1(total)}" fill="#ffffff"/>`;
  const desc = m.points.length
    ? m.points.map((p) => `${p.name} : ${p.label}`).join(' ; ')
    : 'Aucune mairie placée sur la carte.';
  const id = m.id.replace(/[^a-z0-9-]/gi, '-');
  return `<svg xmlns="http://www.w3.org/2000/svg" class="qm-map" role="img" style="max-width:100%;height:auto" viewBox="0 0 ${W} ${r1(total)}" width="${W}" height="${r1(total)}" aria-labelledby="${id}-title ${id}-desc">`
    + `<title id="${id}-title">${escapeXml(m.title)}</title><desc id="${id}-desc">${escapeXml(desc)}</desc>${parts.join('')}</svg>`;
}

function wrap(s: string, max: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const w of s.split(' ')) {
    if ((line + ' ' + w).trim().length > max) { out.push(line); line = w; } else line = `${line} ${w}`.trim();
  }
  if (line) out.push(line);
  return out;
}
