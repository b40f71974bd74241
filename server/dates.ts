/**
 * The one parser of calendar days (`YYYY-MM-DD`) for every input of the app: forms, query
 * strings, JSON. A day is accepted only if it exists (no 2026-02-30) and lies in the years
 * the product can mean (no 0000-01-01, which PostgreSQL refuses with a 500). Pure.
 */
import { z } from 'zod';

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC midnight of a real calendar day, or null. */
export function parseCalendarDay(d: unknown): Date | null {
  if (typeof d !== 'string') return null;
  const m = DAY.exec(d);
  if (!m) return null;
  const [y, mo, da] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || da < 1) return null;
  const date = new Date(Date.UTC(y, mo - 1, da));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === da ? date : null;
}

export function isCalendarDay(d: unknown): d is string {
  return parseCalendarDay(d) !== null;
}

/** A form/JSON field holding a calendar day; `message` (French) when it is not one. */
export const calendarDay = (message: string) => z.string({ message }).trim().refine(isCalendarDay, message);
