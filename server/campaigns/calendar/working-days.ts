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

/** Paris civil time of an instant through Intl (exact, slow: a few microseconds a call). */
function intlParisParts(ms: number): CivilParts {
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

/** The offset of Paris from UTC at an instant, through Intl (whole seconds). */
function intlOffsetMs(ms: number): number {
  const whole = ms - (((ms % 1000) + 1000) % 1000);
  const p = intlParisParts(whole);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

const HOUR_MS = 3_600_000;
const hourOffsets = new Map<number, number>();

/**
 * The offset of Paris from UTC at an instant. Paris changes its clocks on whole UTC hours, so
 * the offset is looked up once per UTC hour and cached (the national table and the outcome
 * rules call this hundreds of thousands of times); an hour holding a change (checked at both
 * ends) is never cached and is computed exactly for each instant.
 */
export function parisOffsetAtMs(ms: number): number {
  const hour = Math.floor(ms / HOUR_MS);
  const cached = hourOffsets.get(hour);
  if (cached !== undefined) return cached;
  const first = intlOffsetMs(hour * HOUR_MS);
  if (first !== intlOffsetMs(hour * HOUR_MS + HOUR_MS - 1000)) return intlOffsetMs(ms);
  if (hourOffsets.size > 500_000) hourOffsets.clear();
  hourOffsets.set(hour, first);
  return first;
}

function parisParts(ms: number): CivilParts {
  const t = new Date(ms - (((ms % 1000) + 1000) % 1000) + parisOffsetAtMs(ms));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(), hour: t.getUTCHours(), minute: t.getUTCMinutes(), second: t.getUTCSeconds() };
}

/** Paris civil time through Intl, for tests comparing the cached path with the exact one. */
export const intlParisPartsForTests = intlParisParts;
export const parisPartsForTests = parisParts;

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
  return parisOffsetAtMs(toMs(instant));
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

/**
 * Day numbers: days since 1970-01-01 of a Paris calendar date. The walks below (delays,
 * deadlines) run on them — an integer per day instead of an ISO string parsed and rebuilt —
 * because the national table applies them to tens of thousands of messages per request.
 */
const DAY_MS = 86_400_000;

function dayOfIso(iso: string): number {
  const [y, m, d] = parseIso(iso);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

function isoOfDay(day: number): string {
  const t = new Date(day * DAY_MS);
  return `${t.getUTCFullYear()}-${pad2(t.getUTCMonth() + 1)}-${pad2(t.getUTCDate())}`;
}

/** The Paris calendar day of an instant. */
function parisDayOf(ms: number): number {
  return Math.floor((ms + parisOffsetAtMs(ms)) / DAY_MS);
}

/** 00:00 Paris time of a day (Paris never changes its clocks at midnight). */
function dayStartMsOf(day: number): number {
  const utcMidnight = day * DAY_MS;
  const t = utcMidnight - parisOffsetAtMs(utcMidnight);
  return utcMidnight - parisOffsetAtMs(t);
}

/** The instant of 00:00 Paris time on an ISO date. */
export function startOfParisDay(iso: string): Date {
  return new Date(dayStartMsOf(dayOfIso(iso)));
}

const workingMemos = new Map<string, Map<number, boolean>>();

/** Whether each day is a working day under these options, remembered per set of options. */
function workingMemo(opts: WorkingDayOptions): (day: number) => boolean {
  const key = `${opts.zone}|${opts.whitMondayWorked ? 1 : 0}|${opts.extraHolidays?.join(',') ?? ''}`;
  let memo = workingMemos.get(key);
  if (!memo) {
    if (workingMemos.size > 1000) workingMemos.clear();
    memo = new Map();
    workingMemos.set(key, memo);
  }
  const days = memo;
  return (day) => {
    let working = days.get(day);
    if (working === undefined) {
      const dow = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
      working = dow !== 0 && dow !== 6 && !isHoliday(isoOfDay(day), opts);
      if (days.size > 50_000) days.clear();
      days.set(day, working);
    }
    return working;
  };
}

/** Is this ISO date Monday–Friday and not a holiday? */
export function isWorkingDate(iso: string, opts: WorkingDayOptions): boolean {
  return workingMemo(opts)(dayOfIso(iso));
}

/**
 * Is this a working day? A Date is an instant, judged by its Paris calendar date; a string is an
 * ISO calendar date 'YYYY-MM-DD'.
 */
export function isWorkingDay(date: Date | string, opts: WorkingDayOptions): boolean {
  return isWorkingDate(typeof date === 'string' ? date : parisDateOf(date), opts);
}

function nthWorkingDayAfter(day: number, n: number, working: (day: number) => boolean): number {
  let d = day;
  let found = 0;
  let walked = 0;
  while (found < n) {
    d++;
    if (working(d)) found++;
    if (++walked > MAX_DAYS_WALKED) throw new RangeError('no working day found');
  }
  return d;
}

/** The n-th working date strictly after an ISO date (n ≥ 1); n = 0 returns the date itself. */
export function nthWorkingDateAfter(iso: string, n: number, opts: WorkingDayOptions): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be an integer ≥ 0, got ${n}`);
  if (n === 0) return iso;
  return isoOfDay(nthWorkingDayAfter(dayOfIso(iso), n, workingMemo(opts)));
}

/**
 * Working time elapsed between two instants, in working days (fractional, ≥ 0). Returns 0 when
 * `received` is not after `sent`. See rule 2 in the header.
 */
export function workingDaysBetween(sent: Date, received: Date, opts: WorkingDayOptions): number {
  const from = toMs(sent);
  const to = toMs(received);
  if (to <= from) return 0;
  const working = workingMemo(opts);
  const last = parisDayOf(to);
  let d = parisDayOf(from);
  let whole = 0;
  let partial = 0;
  let walked = 0;
  for (;;) {
    if (working(d)) {
      const start = dayStartMsOf(d);
      const end = dayStartMsOf(d + 1);
      const a = Math.max(from, start);
      const b = Math.min(to, end);
      if (b > a) {
        if (a === start && b === end) whole++;
        else partial += (b - a) / (end - start);
      }
    }
    if (d === last) break;
    d++;
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
  const working = workingMemo(opts);
  let base = parisDayOf(toMs(sent));
  const policy = opts.sentOnNonWorkingDay ?? 'first-working-day-is-day-1';
  if (policy === 'first-working-day-is-day-0' && !working(base)) base = nthWorkingDayAfter(base, 1, working);
  return new Date(dayStartMsOf(nthWorkingDayAfter(base, n, working) + 1));
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
  const working = workingMemo(opts);
  let remaining = n;
  let d = parisDayOf(start);
  let walked = 0;
  for (;;) {
    if (working(d)) {
      const dayStart = dayStartMsOf(d);
      const dayEnd = dayStartMsOf(d + 1);
      const len = dayEnd - dayStart;
      const a = Math.max(start, dayStart);
      const available = (dayEnd - a) / len;
      if (remaining <= available + 1e-12) {
        return new Date(Math.min(dayEnd, a + Math.round(remaining * len)));
      }
      remaining -= available;
    }
    d++;
    if (++walked > MAX_DAYS_WALKED) throw new RangeError('n too large');
  }
}
