/**
 * The point numérique's attendance table (pure), laid out like the prefectures' 2018/2019
 * tables: the twelve months in rows, one column per year, a total row per year. Only the
 * organisation-wide value of each month counts (breakdown ''); a month without a value is
 * « non renseigné » and is left out of the total, which says how many months it covers.
 */
import type { MonthValue } from './board';

export const ATTENDANCE_INDICATOR = 'point-numerique-visiteurs';

export interface AttendanceTable {
  years: number[];
  /** Twelve rows, January first; one cell per year, null where no value exists. */
  months: { month: number; cells: (number | null)[] }[];
  /** Per year: the sum of known months and how many months it covers. */
  totals: { year: number; total: number; monthsKnown: number }[];
}

export function attendanceTable(values: readonly MonthValue[], years: readonly number[]): AttendanceTable {
  const byKey = new Map<string, number>();
  for (const v of values) {
    if (v.indicatorId !== ATTENDANCE_INDICATOR || v.breakdown !== '') continue;
    byKey.set(v.month.slice(0, 7), v.value);
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  const months = Array.from({ length: 12 }, (_, i) => ({
    month: i + 1,
    cells: years.map((y) => byKey.get(`${y}-${pad(i + 1)}`) ?? null),
  }));
  const totals = years.map((year, c) => {
    const known = months.map((m) => m.cells[c]).filter((v): v is number => v !== null);
    return { year, total: known.reduce((a, b) => a + b, 0), monthsKnown: known.length };
  });
  return { years: [...years], months, totals };
}
