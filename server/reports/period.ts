/**
 * Report periods (pure): inclusive calendar days `YYYY-MM-DD` in Europe/Paris, the period
 * they are compared with, the periods of a trend, and their French labels.
 *
 * A period made of whole calendar months moves by whole months (October–November 2018 is
 * preceded by August–September 2018); any other period moves by its length in days.
 */
import { startOfParisDay } from '../campaigns/calendar/working-days';
import { parseCalendarDay } from '../dates';

export interface Period {
  /** First day, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

export const COMPARISONS = ['previous', 'last_year', 'none'] as const;
export type Comparison = (typeof COMPARISONS)[number];

export const COMPARISON_LABELS: Record<Comparison, string> = {
  previous: 'période précédente',
  last_year: 'même période de l’année précédente',
  none: 'sans comparaison',
};

const DAY_MS = 86_400_000;

function parse(d: string): Date {
  const date = parseCalendarDay(d);
  if (!date) throw new RangeError(`not a date: ${d}`);
  return date;
}

const iso = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (d: string, n: number) => iso(new Date(parse(d).getTime() + n * DAY_MS));
const lastDayOfMonth = (y: number, m0: number) => new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();

export function isValidDay(d: string): boolean {
  try {
    parse(d);
    return true;
  } catch {
    return false;
  }
}

/** Number of days, both ends included. */
export function lengthInDays(p: Period): number {
  return Math.round((parse(p.to).getTime() - parse(p.from).getTime()) / DAY_MS) + 1;
}

/** Number of whole calendar months when the period is made of them, else null. */
export function wholeMonths(p: Period): number | null {
  const f = parse(p.from);
  const t = parse(p.to);
  if (f.getUTCDate() !== 1 || t.getUTCDate() !== lastDayOfMonth(t.getUTCFullYear(), t.getUTCMonth())) return null;
  return (t.getUTCFullYear() - f.getUTCFullYear()) * 12 + t.getUTCMonth() - f.getUTCMonth() + 1;
}

function shiftMonths(p: Period, months: number): Period {
  const f = parse(p.from);
  const t = parse(p.to);
  const from = new Date(Date.UTC(f.getUTCFullYear(), f.getUTCMonth() + months, 1));
  const toMonth = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + months, 1));
  const to = new Date(Date.UTC(toMonth.getUTCFullYear(), toMonth.getUTCMonth(), lastDayOfMonth(toMonth.getUTCFullYear(), toMonth.getUTCMonth())));
  return { from: iso(from), to: iso(to) };
}

/** The period of the same length just before. */
export function previousPeriod(p: Period): Period {
  const months = wholeMonths(p);
  if (months) return shiftMonths(p, -months);
  const len = lengthInDays(p);
  return { from: addDays(p.from, -len), to: addDays(p.from, -1) };
}

/** The same days one year earlier (29 February becomes 28 February). */
export function sameLastYear(p: Period): Period {
  if (wholeMonths(p)) return shiftMonths(p, -12);
  const back = (d: string) => {
    const x = parse(d);
    const y = x.getUTCFullYear() - 1;
    return iso(new Date(Date.UTC(y, x.getUTCMonth(), Math.min(x.getUTCDate(), lastDayOfMonth(y, x.getUTCMonth())))));
  };
  return { from: back(p.from), to: back(p.to) };
}

export function comparisonPeriod(p: Period, c: Comparison): Period | null {
  if (c === 'previous') return previousPeriod(p);
  if (c === 'last_year') return sameLastYear(p);
  return null;
}

/** `count` consecutive periods ending with `p`, oldest first. */
export function trendPeriods(p: Period, count = 4): Period[] {
  const out = [p];
  while (out.length < count) out.unshift(previousPeriod(out[0]));
  return out;
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const MONTHS_SHORT = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];

/** « 1er octobre 2018 », as French typography writes the first of the month. */
export function longDay(d: string): string {
  const x = parse(d);
  const day = x.getUTCDate();
  return `${day === 1 ? '1er' : day} ${MONTHS[x.getUTCMonth()]} ${x.getUTCFullYear()}`;
}

/** « du 1er octobre 2018 au 30 novembre 2018 » */
export function periodLabel(p: Period): string {
  return p.from === p.to ? `le ${longDay(p.from)}` : `du ${longDay(p.from)} au ${longDay(p.to)}`;
}

/** A short label for chart axes and table headers: « oct.–nov. 2018 », « 2018 », « 1–15 oct. 2018 ». */
export function shortLabel(p: Period): string {
  const f = parse(p.from);
  const t = parse(p.to);
  const fy = f.getUTCFullYear();
  const ty = t.getUTCFullYear();
  const months = wholeMonths(p);
  if (months) {
    if (months === 12 && f.getUTCMonth() === 0) return String(fy);
    if (months === 1) return `${MONTHS[f.getUTCMonth()]} ${fy}`;
    return fy === ty
      ? `${MONTHS_SHORT[f.getUTCMonth()]}–${MONTHS_SHORT[t.getUTCMonth()]} ${fy}`
      : `${MONTHS_SHORT[f.getUTCMonth()]} ${fy}–${MONTHS_SHORT[t.getUTCMonth()]} ${ty}`;
  }
  const day = (x: Date) => `${x.getUTCDate()} ${MONTHS_SHORT[x.getUTCMonth()]}`;
  return fy === ty ? `${day(f)}–${day(t)} ${fy}` : `${day(f)} ${fy}–${day(t)} ${ty}`;
}

/**
 * The instant a calendar day starts in Europe/Paris (for filtering timestamps by a period):
 * the working-day calendar's, whose offsets are looked up once per UTC hour (this runs for
 * every probe the reports, the board and the home count).
 */
export function parisDayStart(day: string): Date {
  parse(day);
  return startOfParisDay(day);
}

/** Is an instant inside the period (whole days, Europe/Paris)? */
export function inPeriod(at: Date, p: Period): boolean {
  return at >= parisDayStart(p.from) && at < parisDayStart(addDays(p.to, 1));
}

/** Do two periods share at least one day? */
export function overlaps(a: Period, b: Period): boolean {
  return a.from <= b.to && b.from <= a.to;
}
