/**
 * The monthly board (pure): for a month, each indicator's value against its target (met /
 * missed), the change from the previous month, the year to date, and the months of its
 * trend. Inputs are monthly values (typed, imported or computed), all of the same shape.
 *
 * Year to date: when every month has a numerator and a denominator (answered / offered calls,
 * complaints within 15 days / complaints, delay sum / answers), the sums are divided, never
 * the monthly rates averaged. Otherwise a count is summed, a percentage averaged over the
 * months with a value, and a delay in days (« mis à jour sous 3 jours ») is the longest one.
 */
import { formatNumber } from '../format';
import type { Indicator } from './catalogue';

export interface MonthValue {
  indicatorId: string;
  /** First day of the month, YYYY-MM-01. */
  month: string;
  /** '' for the whole organisation, else a bureau or service. */
  breakdown: string;
  value: number;
  numerator: number | null;
  denominator: number | null;
  source: 'typed' | 'imported' | 'computed';
}

export type Verdict = 'met' | 'missed' | null;

export interface BoardCell {
  value: number | null;
  verdict: Verdict;
}

export interface BoardRow {
  indicator: Indicator;
  target: number | null;
  targetIsOwn: boolean;
  month: BoardCell;
  previous: number | null;
  /** value − previous, in the indicator's unit (points for a percentage). */
  change: number | null;
  ytd: BoardCell;
  /** Months of the trend, oldest first, with null where no value exists. */
  trend: { month: string; value: number | null }[];
  source: MonthValue['source'] | null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2019-07-01" ± n months. */
export function addMonths(month: string, n: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  const yy = y + Math.floor(m / 12);
  return `${yy}-${pad(((m % 12) + 12) % 12 + 1)}-01`;
}

/** The month before the one of `now` (the board opens on the last complete month). */
export function previousMonth(now: Date): string {
  const paris = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' }).format(now);
  return addMonths(`${paris.slice(0, 7)}-01`, -1);
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
export function monthLabel(month: string): string {
  return `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}
export function shortMonthLabel(month: string): string {
  return `${MONTHS[Number(month.slice(5, 7)) - 1].slice(0, 4).replace(/\.$/, '')}. ${month.slice(2, 4)}`;
}

/** Decimals printed: whole percentages from 10 % up (94 %), two below (2,75 %); days to one decimal. */
function decimalsOf(i: Pick<Indicator, 'unit'>, v: number): number {
  if (i.unit === 'percent') return v >= 10 || Math.abs(v - Math.round(v)) < 0.005 ? 0 : 2;
  if (i.unit === 'days') return Number.isInteger(v) ? 0 : 1;
  return 0;
}

/** The value as printed, so that a verdict never contradicts the figure shown. */
export function printedValue(i: Pick<Indicator, 'unit'>, v: number): number {
  const f = 10 ** decimalsOf(i, v);
  return Math.round(v * f) / f;
}

export function formatValue(i: Pick<Indicator, 'unit'>, v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '–';
  if (i.unit === 'percent') return `${formatNumber(v, decimalsOf(i, v))}\u202f%`;
  if (i.unit === 'days') return `${formatNumber(v, Number.isInteger(v) ? 0 : 1)} ${v >= 2 ? 'jours' : 'jour'}`;
  return formatNumber(v, 0);
}

export function formatChange(i: Pick<Indicator, 'unit'>, d: number | null): string {
  if (d === null || !Number.isFinite(d)) return '–';
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  const a = Math.abs(d);
  if (i.unit === 'percent') return `${sign}${formatNumber(a, a < 10 && a !== Math.round(a) ? 1 : 0)} pt`;
  if (i.unit === 'days') return `${sign}${formatNumber(a, Number.isInteger(a) ? 0 : 1)} j`;
  return `${sign}${formatNumber(a, 0)}`;
}

export function verdictOf(i: Indicator, value: number | null, target: number | null): Verdict {
  if (value === null || target === null || i.polarity === 'none') return null;
  // Figures are compared as printed (94,6 % prints 95 % and meets 95 %).
  const v = printedValue(i, value);
  return (i.polarity === 'higher' ? v >= target : v <= target) ? 'met' : 'missed';
}

export function yearToDate(i: Indicator, months: MonthValue[]): number | null {
  if (!months.length) return null;
  if (months.every((m) => m.numerator !== null && m.denominator !== null)) {
    const num = months.reduce((s, m) => s + m.numerator!, 0);
    const den = months.reduce((s, m) => s + m.denominator!, 0);
    if (den === 0) return null;
    return i.unit === 'percent' ? (100 * num) / den : num / den;
  }
  if (i.unit === 'count') return months.reduce((s, m) => s + m.value, 0);
  if (i.unit === 'days') return Math.max(...months.map((m) => m.value));
  return months.reduce((s, m) => s + m.value, 0) / months.length;
}

/**
 * The board of `month` from the values of the trend window (at least January of that year to
 * `month`, and the 11 months before `month` for the trend).
 */
export function buildBoard(indicators: readonly Indicator[], targets: ReadonlyMap<string, number>, values: MonthValue[], month: string, trendMonths = 12): BoardRow[] {
  const jan = `${month.slice(0, 4)}-01-01`;
  const prev = addMonths(month, -1);
  const totals = values.filter((v) => v.breakdown === '');
  const trendStart = addMonths(month, -(trendMonths - 1));
  return indicators.map((i) => {
    const mine = totals.filter((v) => v.indicatorId === i.id);
    const at = (m: string) => mine.find((v) => v.month === m) ?? null;
    const own = targets.get(i.id);
    const target = i.polarity === 'none' ? null : own ?? i.nationalTarget;
    const cur = at(month);
    const before = at(prev);
    const ytd = yearToDate(i, mine.filter((v) => v.month >= jan && v.month <= month));
    const trend: BoardRow['trend'] = [];
    for (let m = trendStart; m <= month; m = addMonths(m, 1)) trend.push({ month: m, value: at(m)?.value ?? null });
    return {
      indicator: i, target, targetIsOwn: own !== undefined && i.polarity !== 'none',
      month: { value: cur?.value ?? null, verdict: verdictOf(i, cur?.value ?? null, target) },
      previous: before?.value ?? null,
      change: cur && before ? cur.value - before.value : null,
      ytd: { value: ytd, verdict: verdictOf(i, ytd, target) },
      trend, source: cur?.source ?? null,
    };
  });
}

export interface BureauRow {
  bureau: string;
  answered: number;
  lost: number;
  offered: number;
  rate: number;
}

/** Lost calls per bureau for a month (the table sent to each director), biggest loss first. */
export function lostCallsByBureau(values: MonthValue[], month: string): BureauRow[] {
  return values.filter((v) => v.indicatorId === 'appels-aboutis' && v.month === month && v.breakdown !== '' && v.denominator !== null && v.numerator !== null)
    .map((v) => ({ bureau: v.breakdown, answered: v.numerator!, offered: v.denominator!, lost: v.denominator! - v.numerator!, rate: (100 * v.numerator!) / v.denominator! }))
    .sort((a, b) => b.lost - a.lost || a.bureau.localeCompare(b.bureau));
}
