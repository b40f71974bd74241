/**
 * Satisfaction figures computed in SQL over the jsonb answers (GROUP BY per item and per
 * value): only counts leave the database, never answer sets. Tenancy: orgId first.
 * Periods are calendar days in Europe/Paris.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../storage/db';

export interface ResultsFilter {
  surveyId: string;
  siteId?: string | null;
  /** Inclusive calendar days, YYYY-MM-DD, Europe/Paris. */
  from?: string | null;
  to?: string | null;
}

function where(orgId: string, f: ResultsFilter): SQL {
  const conds: SQL[] = [sql`r.org_id = ${orgId}`, sql`r.survey_id = ${f.surveyId}`];
  if (f.siteId) conds.push(sql`r.site_id = ${f.siteId}`);
  if (f.from) conds.push(sql`r.completed_at >= (${f.from}::date)::timestamp at time zone 'Europe/Paris'`);
  if (f.to) conds.push(sql`r.completed_at < (${f.to}::date + 1)::timestamp at time zone 'Europe/Paris'`);
  return sql.join(conds, sql` and `);
}

export interface ItemCounts {
  item: string;
  /** très satisfait + satisfait */
  top2: number;
  /** answers with an opinion (the 4 points of the scale) */
  n: number;
  sansAvis: number;
}

/** Per item of the 4-point scale: top-2-box, answers with an opinion, « sans avis ». */
export async function satisfactionCounts(db: Db, orgId: string, f: ResultsFilter, items: string[]): Promise<ItemCounts[]> {
  if (items.length === 0) return [];
  const result = await db.execute(sql`
    select e.key as item,
      count(*) filter (where e.value #>> '{}' in ('tres_satisfait', 'satisfait'))::int as top2,
      count(*) filter (where e.value #>> '{}' in ('tres_satisfait', 'satisfait', 'peu_satisfait', 'pas_du_tout_satisfait'))::int as n,
      count(*) filter (where e.value #>> '{}' = 'sans_avis')::int as sans_avis
    from responses r cross join lateral jsonb_each(r.answers) e
    where ${where(orgId, f)} and e.key in (${sql.join(items.map((i) => sql`${i}`), sql`, `)})
    group by e.key`);
  return rows<{ item: string; top2: number | string; n: number | string; sans_avis: number | string }>(result).map((r) => ({
    item: r.item, top2: Number(r.top2), n: Number(r.n), sansAvis: Number(r.sans_avis),
  }));
}

/** Distribution of one single-choice question (the overall smileys): value → count. */
export async function valueDistribution(db: Db, orgId: string, f: ResultsFilter, question: string): Promise<Map<string, number>> {
  const result = await db.execute(sql`
    select r.answers ->> ${question} as value, count(*)::int as n
    from responses r
    where ${where(orgId, f)} and r.answers ->> ${question} is not null
    group by 1`);
  return new Map(rows<{ value: string; n: number | string }>(result).map((r) => [r.value, Number(r.n)]));
}
