/**
 * Working days (jours ouvrés) and reply delays, in Europe/Paris civil time.
 *
 * Rules (domain.md §3), as implemented here:
 *
 * 1. A working date is a Paris calendar date that is Monday–Friday and not a public holiday of the
 *    configured zone (see holidays.ts; Whit Monday per `whitMondayWorked`).
 *
 * 2. Delay (workingDaysBetween): the working time elapsed between sending and receipt, in days.
 *    Each working date counts as one whole day of Paris civil time, 00:00 to 24:00 (no office
 *    hours: an answer written at 19:00 is not pushed to the next morning). The part of each
 *    working date that lies between the two instants is added, as a fraction of that date's
 *    length. Non-working dates add nothing, so a message sent on a Saturday or a holiday is
 *    counted from the start (00:00) of the next working date.
 *    Example (the domain's): sent Friday 16:00, answered Monday 10:00
 *      = 8 h of Friday + 10 h of Monday = 18 h / 24 h = 0.75 working day.
 *    DST changes happen on Sundays (non-working), and the computation walks Paris civil dates, so
 *    a 23-hour or 25-hour weekend never changes a result.
 *
 * 3. Deadline (deadlineFor / withinDeadline): "within n working days" = received before the end
 *    (24:00 Paris) of the n-th working date after the sending date. The sending date itself is
 *    day 0 and never counts, whatever the time of sending.
 *    Sent on a non-working date (Saturday, Sunday, holiday), the default policy
 *    `sentOnNonWorkingDay: 'first-working-day-is-day-1'` counts the next working date as day 1,
 *    which is the literal reading of "the n-th working day after the sending day" and agrees
 *    with rule 2 (the delay is counted from that date's 00:00, so the deadline is reached after
 *    exactly n working days). Example: sent Saturday 1 June 2019 → day 1 = Monday 3 June,
 *    deadline for 5 days = end of Friday 7 June.
 *    The alternative policy 'first-working-day-is-day-0' treats the next working date as the
 *    sending day (day 0), one working day more: deadline = end of Tuesday 11 June 2019
 *    (Whit Monday 10 June being a holiday).
 *
 * 4. addWorkingDays(from, n) is the inverse of rule 2: the earliest instant at which n (possibly
 *    fractional) working days have elapsed since `from`.
 *
 * Pure module: all instants are passed in; nothing reads the clock.
 */
import { isHoliday, type HolidayOptions } from './holidays';

export type SentOnNonWorkingDayPolicy = 'first-working-day-is-day-1' | 'first-working-day-is-day-0';

export interface WorkingDayOptions extends HolidayOptions {
  /** Deadline rule for a message sent on a non-working date (default 'first-working-day-is-day-1'). */
  sentOnNonWorkingDay?: SentOnNonWorkingDayPolicy;
}

export const PARIS_TIME_ZONE = 'Europe/Paris';
/** Safety bound on day-by-day walks (about 30 years). */
const MAX_DAYS_WALKED = 11_000;

const parisFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: PARIS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface CivilParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function parisParts(ms: number): CivilParts {
  const out: CivilParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of parisFormatter.formatToParts(new Date(ms))) {
    switch (p.type) {
      case 'year': out.year = Number(p.value); break;
      case 'month': out.month = Number(p.value); break;
      case 'day': out.day = Number(p.value); break;
      case 'hour': out.hour = Number(p.value) % 24; break;
      case 'minute': out.minute = Number(p.value); break;
      case 'second': out.second = Number(p.value); break;
      default: break;
    }
  }
  return out;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function toMs(d: Date): number {
  const ms = d.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('invalid Date');
  return ms;
}

/** Offset of Paris civil time from UTC at an instant, in ms (3 600 000 in winter, 7 200 000 in summer). */
export function parisOffsetMs(instant: Date): number {
  const ms = toMs(instant);
  const whole = ms - (((ms % 1000) + 1000) % 1000);
  const p = parisParts(whole);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

/** The Paris calendar date ('YYYY-MM-DD') of an instant. */
export function parisDateOf(instant: Date): string {
  const p = parisParts(toMs(instant));
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseIso(iso: string): [number, number, number] {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new RangeError(`not an ISO date: ${iso}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** ISO date plus n calendar days. */
export function addCalendarDays(iso: string, n: number): string {
  const [y, m, d] = parseIso(iso);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
}

const dayStartCache = new Map<string, number>();

/** The instant of 00:00 Paris time on an ISO date (Paris never changes its clocks at midnight). */
export function startOfParisDay(iso: string): Date {
  const cached = dayStartCache.get(iso);
  if (cached !== undefined) return new Date(cached);
  const [y, m, d] = parseIso(iso);
  const utcMidnight = Date.UTC(y, m - 1, d);
  let t = utcMidnight - parisOffsetMs(new Date(utcMidnight));
  t = utcMidnight - parisOffsetMs(new Date(t));
  if (dayStartCache.size > 20_000) dayStartCache.clear();
  dayStartCache.set(iso, t);
  return new Date(t);
}

function dayStartMs(iso: string): number {
  return startOfParisDay(iso).getTime();
}

/** Is this ISO date Monday–Friday and not a holiday? */
export function isWorkingDate(iso: string, opts: WorkingDayOptions): boolean {
  const [y, m, d] = parseIso(iso);
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  if (dow === 0 || dow === 6) return false;
  return !isHoliday(iso, opts);
}

/**
 * Is this a working day? A Date is an instant, judged by its Paris calendar date; a string is an
 * ISO calendar date 'YYYY-MM-DD'.
 */
export function isWorkingDay(date: Date | string, opts: WorkingDayOptions): boolean {
  return isWorkingDate(typeof date === 'string' ? date : parisDateOf(date), opts);
}

/** The n-th working date strictly after an ISO date (n ≥ 1); n = 0 returns the date itself. */
export function nthWorkingDateAfter(iso: string, n: number, opts: WorkingDayOptions): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be an integer ≥ 0, got ${n}`);
  let d = iso;
  let found = 0;
  let walked = 0;
  while (found < n) {
    d = addCalendarDays(d, 1);
    if (isWorkingDate(d, opts)) found++;
    if (++walked > MAX_DAYS_WALKED) throw new RangeError('no working day found');
  }
  return d;
}

/**
 * Working time elapsed between two instants, in working days (fractional, ≥ 0). Returns 0 when
 * `received` is not after `sent`. See rule 2 in the header.
 */
export function workingDaysBetween(sent: Date, received: Date, opts: WorkingDayOptions): number {
  const from = toMs(sent);
  const to = toMs(received);
  if (to <= from) return 0;
  const lastDate = parisDateOf(received);
  let d = parisDateOf(sent);
  let whole = 0;
  let partial = 0;
  let walked = 0;
  for (;;) {
    if (isWorkingDate(d, opts)) {
      const start = dayStartMs(d);
      const end = dayStartMs(addCalendarDays(d, 1));
      const a = Math.max(from, start);
      const b = Math.min(to, end);
      if (b > a) {
        if (a === start && b === end) whole++;
        else partial += (b - a) / (end - start);
      }
    }
    if (d === lastDate) break;
    d = addCalendarDays(d, 1);
    if (++walked > MAX_DAYS_WALKED) throw new RangeError('interval too long');
  }
  return whole + partial;
}

/**
 * The instant (00:00 Paris of the following date) at which "within n working days" of a message
 * sent at `sent` expires. See rule 3 in the header. n is an integer ≥ 0 (0 = end of the sending day).
 */
export function deadlineFor(sent: Date, n: number, opts: WorkingDayOptions): Date {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be an integer ≥ 0, got ${n}`);
  let base = parisDateOf(sent);
  const policy = opts.sentOnNonWorkingDay ?? 'first-working-day-is-day-1';
  if (policy === 'first-working-day-is-day-0' && !isWorkingDate(base, opts)) {
    base = nthWorkingDateAfter(base, 1, opts);
  }
  const last = nthWorkingDateAfter(base, n, opts);
  return startOfParisDay(addCalendarDays(last, 1));
}

/** Was the message received strictly before the deadline of n working days? */
export function withinDeadline(sent: Date, received: Date, n: number, opts: WorkingDayOptions): boolean {
  return toMs(received) < deadlineFor(sent, n, opts).getTime();
}

/**
 * The earliest instant at which `n` working days (fractional allowed, ≥ 0) have elapsed since
 * `from`, in the sense of workingDaysBetween: workingDaysBetween(from, addWorkingDays(from, n)) = n
 * (to the millisecond). Example: Friday 16:00 + 0.75 = Monday 10:00; Friday 16:00 + 1 = Monday 16:00.
 */
export function addWorkingDays(from: Date, n: number, opts: WorkingDayOptions): Date {
  const start = toMs(from);
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`n must be a finite number ≥ 0, got ${n}`);
  if (n === 0) return new Date(start);
  let remaining = n;
  let d = parisDateOf(from);
  let walked = 0;
  for (;;) {
    if (isWorkingDate(d, opts)) {
      const dayStart = dayStartMs(d);
      const dayEnd = dayStartMs(addCalendarDays(d, 1));
      const len = dayEnd - dayStart;
      const a = Math.max(start, dayStart);
      const available = (dayEnd - a) / len;
      if (remaining <= available + 1e-12) {
        return new Date(Math.min(dayEnd, a + Math.round(remaining * len)));
      }
      remaining -= available;
    }
    d = addCalendarDays(d, 1);
    if (++walked > MAX_DAYS_WALKED) throw new RangeError('n too large');
  }
}
