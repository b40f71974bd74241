/**
 * Report figures (pure): from counts that SQL computed to the lines every output prints —
 * screen, print, PDF, CSV, XLSX and JSON all read these same rows, so they cannot disagree.
 *
 * - A share is num / den with its 95 % Wilson interval; « sans avis » never enters den and is
 *   carried apart.
 * - A figure from fewer than `minCell` answers is withheld: value null, « effectif insuffisant ».
 * - The change against the comparison period is the difference of the printed (rounded)
 *   figures, so a reader checking 96 % against 93 % finds +3 pts.
 */
import { formatNumber, formatPercent } from '../format';
import { wilsonInterval } from '../surveys/wilson';

export const INSUFFICIENT = 'effectif insuffisant';
const MINUS = '\u2212';
const NNBSP = '\u202f';

export type RowKind = 'share' | 'days' | 'mark' | 'count';

export interface RowFigure {
  /** Ratio (share), days or a mark out of 10; null when withheld or without data. */
  value: number | null;
  /** The figure as printed: « 96 % », « 1,5 jours », « 7,4 / 10 », « effectif insuffisant ». */
  display: string;
  /** The rounded number printed (96 for 96 %, 1.5 for 1,5 jours); null when withheld. */
  printed: number | null;
  /** Answers the figure is computed from (the denominator). */
  n: number;
  insufficient: boolean;
}

export interface ReportRow extends RowFigure {
  key: string;
  label: string;
  kind: RowKind;
  /** « sans avis » answers, counted apart (satisfaction items only). */
  sansAvis: number | null;
  /** 95 % Wilson interval of a share, printed as whole percentages. */
  ci: { low: number; high: number; lowPrinted: number; highPrinted: number; display: string } | null;
  target: { value: number; display: string } | null;
  comparison: (RowFigure & { change: number | null; changeDisplay: string }) | null;
}

const roundTo = (v: number, decimals: number) => Math.round(v * 10 ** decimals) / 10 ** decimals;

function printedOf(kind: RowKind, value: number): number {
  return kind === 'share' ? Math.round(value * 100) : kind === 'count' ? roundTo(value, Number.isInteger(value) ? 0 : 1) : roundTo(value, 1);
}

export function displayOf(kind: RowKind, value: number | null): string {
  if (value == null) return '–';
  if (kind === 'share') return formatPercent(value);
  if (kind === 'days') return `${formatNumber(value, 1)}${NNBSP}${Math.abs(value) < 2 ? 'jour' : 'jours'}`;
  if (kind === 'count') return formatNumber(value, Number.isInteger(value) ? 0 : 1);
  return `${formatNumber(value, 1)}${NNBSP}/${NNBSP}10`;
}

/** A figure from a ratio or mean and its n, withheld below the minimum cell size. */
export function figure(kind: RowKind, value: number | null, n: number, minCell: number): RowFigure {
  if (n < minCell) return { value: null, display: INSUFFICIENT, printed: null, n, insufficient: true };
  if (value == null) return { value: null, display: '–', printed: null, n, insufficient: false };
  return { value, display: displayOf(kind, value), printed: printedOf(kind, value), n, insufficient: false };
}

export function shareFigure(num: number, den: number, minCell: number): RowFigure {
  return figure('share', den > 0 ? num / den : null, den, minCell);
}

/** « +3 pts », « −2 pts », « 0 pt »; « +0,4 jour ». */
export function changeDisplay(kind: RowKind, change: number | null): string {
  if (change == null) return '–';
  const sign = change > 0 ? '+' : change < 0 ? MINUS : '';
  const abs = Math.abs(change);
  if (kind === 'share') return `${sign}${formatNumber(abs)}${NNBSP}${abs >= 2 ? 'pts' : 'pt'}`;
  if (kind === 'days') return `${sign}${formatNumber(abs, 1)}${NNBSP}${abs >= 2 ? 'jours' : 'jour'}`;
  if (kind === 'count') return `${sign}${formatNumber(abs, Number.isInteger(abs) ? 0 : 1)}`;
  return `${sign}${formatNumber(abs, 1)}`;
}

export interface RowInput {
  key: string;
  label: string;
  kind: RowKind;
  /** For shares: successes and denominator. */
  num?: number;
  den: number;
  /** For means: the mean itself (den is its n). */
  mean?: number | null;
  sansAvis?: number | null;
  target?: number | null;
  /** The same counts over the comparison period, when there is one. */
  previous?: { num?: number; den: number; mean?: number | null } | null;
}

export function buildRow(input: RowInput, minCell: number): ReportRow {
  const calc = (x: { num?: number; den: number; mean?: number | null }) =>
    input.kind === 'share' ? shareFigure(x.num ?? 0, x.den, minCell) : figure(input.kind, x.mean ?? null, x.den, minCell);
  const current = calc(input);
  let ci: ReportRow['ci'] = null;
  if (input.kind === 'share' && current.value != null) {
    const w = wilsonInterval(input.num ?? 0, input.den)!;
    const lowPrinted = Math.round(w.low * 100);
    const highPrinted = Math.round(w.high * 100);
    ci = { low: w.low, high: w.high, lowPrinted, highPrinted, display: `${formatPercent(w.low)} – ${formatPercent(w.high)}` };
  }
  let comparison: ReportRow['comparison'] = null;
  if (input.previous) {
    const prev = calc(input.previous);
    const change = current.printed != null && prev.printed != null ? roundTo(current.printed - prev.printed, 1) : null;
    comparison = { ...prev, change, changeDisplay: changeDisplay(input.kind, change) };
  }
  return {
    key: input.key,
    label: input.label,
    kind: input.kind,
    ...current,
    sansAvis: input.sansAvis ?? null,
    ci,
    target: input.target != null ? { value: input.target, display: displayOf(input.kind, input.target) } : null,
    comparison,
  };
}

/** Unit of a printed number, for the CSV and XLSX column « Unité ». */
export const UNITS: Record<RowKind, string> = { share: '%', days: 'jours ouvrés', mark: 'sur 10', count: 'nombre' };
