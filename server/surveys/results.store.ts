/**
 * Satisfaction figures of the results page and API, read from `report_answer_counts`: the
 * counts per day, site, item and value that triggers on `responses` keep in step with every
 * insert, update and delete (migration 0005; the reports read the same table). A query reads
 * a few hundred counter rows per period, never the answer sets. Tenancy: orgId first.
 * Periods are calendar days in Europe/Paris (the counters' day is the day of completion there).
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../storage/db';
import { SATISFACTION_SCALE } from './catalogue';

export interface ResultsFilter {
  surveyId: string;
  siteId?: string | null;
  /** Inclusive calendar days, YYYY-MM-DD, Europe/Paris. */
  from?: string | null;
  to?: string | null;
}

export interface ItemCounts {
  item: string;
  /** très satisfait + satisfait */
  top2: number;
  /** answers with an opinion (the 4 points of the scale) */
  n: number;
  sansAvis: number;
}

const [TRES_SATISFAIT, SATISFAIT, PEU_SATISFAIT, PAS_DU_TOUT_SATISFAIT, SANS_AVIS] = SATISFACTION_SCALE;

function where(orgId: string, f: ResultsFilter, items: string[]): SQL {
  const conds: SQL[] = [sql`c.org_id = ${orgId}`, sql`c.survey_id = ${f.surveyId}`];
  if (f.siteId) conds.push(sql`c.site_id = ${f.siteId}`);
  if (f.from) conds.push(sql`c.day >= ${f.from}::date`);
  if (f.to) conds.push(sql`c.day <= ${f.to}::date`);
  conds.push(sql`c.item in (${sql.join(items.map((i) => sql`${i}`), sql`, `)})`);
  return sql.join(conds, sql` and `);
}

/** Answers per item and value over the filter: item → value → count. */
export async function answerCounts(db: Db, orgId: string, f: ResultsFilter, items: string[]): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  if (items.length === 0) return out;
  const result = await db.execute(sql`
    select c.item, c.value, sum(c.n)::int as n
    from report_answer_counts c
    where ${where(orgId, f, items)}
    group by c.item, c.value`);
  for (const r of rows<{ item: string; value: string; n: number | string }>(result)) {
    const values = out.get(r.item) ?? new Map<string, number>();
    values.set(r.value, Number(r.n));
    out.set(r.item, values);
  }
  return out;
}

/** Per item of the 4-point scale: top-2-box, answers with an opinion, « sans avis ». */
export function scaleCounts(item: string, values: Map<string, number> | undefined): ItemCounts {
  const v = (value: string) => values?.get(value) ?? 0;
  const top2 = v(TRES_SATISFAIT) + v(SATISFAIT);
  return { item, top2, n: top2 + v(PEU_SATISFAIT) + v(PAS_DU_TOUT_SATISFAIT), sansAvis: v(SANS_AVIS) };
}

/**
 * Issue 16: the count and sum of a numeric answer (a 1–5 rating) over Paris calendar days,
 * read from the answer sets themselves (the counters keep only the satisfaction scale).
 */
export async function numericAnswerStats(db: Db, orgId: string, surveyId: string, item: string, from: string, to: string): Promise<{ n: number; sum: number }> {
  const result = await db.execute(sql`
    select count(*)::int as n, coalesce(sum((r.answers ->> ${item})::numeric), 0)::float8 as sum
    from responses r
    where r.org_id = ${orgId} and r.survey_id = ${surveyId}
      and r.completed_at >= (${from}::date)::timestamp at time zone 'Europe/Paris'
      and r.completed_at < ((${to}::date) + 1)::timestamp at time zone 'Europe/Paris'
      and jsonb_typeof(r.answers -> ${item}) = 'number'`);
  const [row] = rows<{ n: number | string; sum: number | string }>(result);
  return { n: Number(row?.n ?? 0), sum: Number(row?.sum ?? 0) };
}
