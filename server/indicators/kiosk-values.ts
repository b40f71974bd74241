/**
 * Monthly values computed from what visitors tap on kiosks and public links, through the
 * surveys' services (never their stores):
 *
 * - `point-numerique-visiteurs`: the taps of the point numérique's counting form
 *   (`surveys/point-numerique-comptage.json`, one answer set per visit, stored once by its
 *   client id), per month and per reason;
 * - `satisfaction-borne`: the share of satisfied answers to the rule's question (catalogue
 *   `rule`: which question, which values count as satisfied, which are left out), from the
 *   per-day answer counters; withheld below MIN_CELL_SIZE answers, like the results pages.
 */
import type { Deps } from '../deps';
import { COUNTING_QUESTION } from '../surveys/catalogue';
import { monthlyChoiceCounts, monthlyCounterValues } from '../surveys/responses.service';
import { addMonths, type MonthValue } from './board';
import { ATTENDANCE_INDICATOR } from './attendance';
import { indicatorCatalogue, type Indicator } from './catalogue';

export const COUNTING_SURVEY = 'point-numerique-comptage';
export const SATISFACTION_INDICATOR = 'satisfaction-borne';

type Ctx = Pick<Deps, 'db' | 'config'>;

/** Visits counted on the kiosk, per month (YYYY-MM-01) → reason → taps, for months `from`..`to`. */
export async function countedVisits(ctx: Pick<Deps, 'db'>, orgId: string, from: string, to: string): Promise<Map<string, Map<string, number>>> {
  const rows = await monthlyChoiceCounts(ctx, orgId, COUNTING_SURVEY, COUNTING_QUESTION, from, addMonths(to, 1));
  const out = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const m = out.get(r.month) ?? new Map<string, number>();
    m.set(r.value, (m.get(r.value) ?? 0) + r.n);
    out.set(r.month, m);
  }
  return out;
}

/** The attendance months the kiosk counted (organisation-wide total; source `computed`). */
export function visitValues(counts: Map<string, Map<string, number>>): MonthValue[] {
  return [...counts].map(([month, byReason]) => ({
    indicatorId: ATTENDANCE_INDICATOR, month, breakdown: '', source: 'computed' as const,
    value: [...byReason.values()].reduce((a, b) => a + b, 0), numerator: null, denominator: null,
  }));
}

/** The satisfaction rule in French, printed on the board under the formula. */
export function ruleText(i: Indicator, minAnswers: number): string | null {
  if (!i.rule) return null;
  const list = (v: string[]) => (v.length ? v.map((x) => `« ${x} »`).join(', ') : 'aucune');
  return `Règle en vigueur (réglage du catalogue des indicateurs) : question « ${i.rule.question} » ; réponses comptées satisfaites : ${list(i.rule.satisfied)} ; réponses exclues du calcul : ${list(i.rule.excluded)} ; taux non publié en dessous de ${minAnswers} réponses.`;
}

/** Pure: the satisfaction share of each month from value counts; months below `minAnswers` are left out. */
export function satisfactionValues(i: Indicator, rows: { month: string; value: string; n: number }[], minAnswers: number): MonthValue[] {
  const rule = i.rule;
  if (!rule) return [];
  const byMonth = new Map<string, { satisfied: number; n: number }>();
  for (const r of rows) {
    if (rule.excluded.includes(r.value)) continue;
    const m = byMonth.get(r.month) ?? { satisfied: 0, n: 0 };
    m.n += r.n;
    if (rule.satisfied.includes(r.value)) m.satisfied += r.n;
    byMonth.set(r.month, m);
  }
  return [...byMonth].filter(([, m]) => m.n >= minAnswers).map(([month, m]) => ({
    indicatorId: i.id, month, breakdown: '', value: (100 * m.satisfied) / m.n, numerator: m.satisfied, denominator: m.n, source: 'computed' as const,
  }));
}

/**
 * Kiosk values of months `from`..`to` (first days). `storedMonths`: attendance months that
 * already have a typed or imported value, which wins over the kiosk's count for its month.
 */
export async function kioskMonthlyValues(ctx: Ctx, orgId: string, from: string, to: string, storedMonths: ReadonlySet<string>): Promise<MonthValue[]> {
  const satisfaction = indicatorCatalogue().byId.get(SATISFACTION_INDICATOR);
  const [visits, answers] = await Promise.all([
    countedVisits(ctx, orgId, from, to),
    satisfaction?.rule ? monthlyCounterValues(ctx, orgId, satisfaction.rule.question, from, addMonths(to, 1)) : Promise.resolve([]),
  ]);
  return [
    ...visitValues(visits).filter((v) => !storedMonths.has(v.month)),
    ...(satisfaction ? satisfactionValues(satisfaction, answers, ctx.config.MIN_CELL_SIZE) : []),
  ];
}
