/**
 * Satisfaction counts for reports, in SQL, from `report_answer_counts` (kept in step with
 * `responses` by triggers, see migration 0005): per period, per item, for all sites and per
 * site, the top-2-box count, the answers with an opinion (the denominator) and the « sans
 * avis » counted apart. Only counts leave the database. Tenancy: orgId first.
 *
 * Every report output (screen, print, PDF, CSV, XLSX, JSON, poster, public page) gets its
 * satisfaction figures through this module.
 */
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../storage/db';
import type { Period } from './period';

/** Answer sets without a site are counted under this id (see the schema). */
export const NO_SITE = '00000000-0000-0000-0000-000000000000';

const TOP2 = sql`('tres_satisfait', 'satisfait')`;
const OPINIONS = sql`('tres_satisfait', 'satisfait', 'peu_satisfait', 'pas_du_tout_satisfait')`;

export interface PeriodKey extends Period {
  key: string;
}

export interface ItemCounts {
  period: string;
  /** null: all sites together; NO_SITE: answer sets without a site. */
  siteId: string | null;
  item: string;
  top2: number;
  opinions: number;
  sansAvis: number;
  /** Every counted answer of the item (for the overall smileys: the number of answer sets). */
  total: number;
}

/**
 * Counts for several periods at once (the report's period, its comparison, the trend), all
 * sites together and per site, in one query.
 */
export async function satisfactionCounts(db: Db, orgId: string, surveyId: string, items: string[], periods: PeriodKey[]): Promise<ItemCounts[]> {
  if (items.length === 0 || periods.length === 0) return [];
  const values = sql.join(periods.map((p) => sql`(${p.key}, ${p.from}::date, ${p.to}::date)`), sql`, `);
  const result = await db.execute(sql`
    select p.key as period, c.site_id::text as site_id, grouping(c.site_id) as all_sites, c.item,
      coalesce(sum(c.n) filter (where c.value in ${TOP2}), 0)::int as top2,
      coalesce(sum(c.n) filter (where c.value in ${OPINIONS}), 0)::int as opinions,
      coalesce(sum(c.n) filter (where c.value = 'sans_avis'), 0)::int as sans_avis,
      coalesce(sum(c.n), 0)::int as total
    from (values ${values}) as p(key, d_from, d_to)
    join report_answer_counts c
      on c.org_id = ${orgId} and c.survey_id = ${surveyId} and c.day between p.d_from and p.d_to
     and c.item in (${sql.join(items.map((i) => sql`${i}`), sql`, `)})
    group by grouping sets ((p.key, c.item), (p.key, c.site_id, c.item))`);
  return rows<{ period: string; site_id: string | null; all_sites: number | string; item: string; top2: number | string; opinions: number | string; sans_avis: number | string; total: number | string }>(result).map((r) => ({
    period: r.period,
    siteId: Number(r.all_sites) === 1 ? null : r.site_id,
    item: r.item,
    top2: Number(r.top2),
    opinions: Number(r.opinions),
    sansAvis: Number(r.sans_avis),
    total: Number(r.total),
  }));
}

/** Surveys with at least one counted answer in the period, with the number of answers counted. */
export async function surveysWithAnswers(db: Db, orgId: string, period: Period): Promise<{ surveyId: string; answers: number }[]> {
  // The counters' key leads on (organisation, survey, day): the organisation's surveys are found by
  // skipping from one survey id to the next in that key, then each survey's days are a range of
  // it — instead of reading every counter the organisation ever had to keep the period's.
  const result = await db.execute(sql`
    with recursive s(survey_id) as (
      (select survey_id from report_answer_counts where org_id = ${orgId} order by survey_id limit 1)
      union all
      select (select c.survey_id from report_answer_counts c where c.org_id = ${orgId} and c.survey_id > s.survey_id order by c.survey_id limit 1)
      from s where s.survey_id is not null
    )
    select s.survey_id, a.answers from s
    cross join lateral (
      select sum(c.n)::int as answers from report_answer_counts c
      where c.org_id = ${orgId} and c.survey_id = s.survey_id and c.day between ${period.from}::date and ${period.to}::date
    ) a
    where s.survey_id is not null and a.answers > 0
    order by s.survey_id`);
  return rows<{ survey_id: string; answers: number | string }>(result).map((r) => ({ surveyId: r.survey_id, answers: Number(r.answers) }));
}

/**
 * Number of answer sets of a survey in a period, from the responses index (no answer read):
 * printed beside the tables and used to size exports.
 */
export async function countAnswerSets(db: Db, orgId: string, surveyId: string, period: Period): Promise<number> {
  const result = await db.execute(sql`
    select count(*)::int as n from responses r
    where r.org_id = ${orgId} and r.survey_id = ${surveyId}
      and r.completed_at >= (${period.from}::date)::timestamp at time zone 'Europe/Paris'
      and r.completed_at < (${period.to}::date + 1)::timestamp at time zone 'Europe/Paris'`);
  return Number(rows<{ n: number | string }>(result)[0]?.n ?? 0);
}

/** The last day with a counted answer, and the survey answered most that day's quarter (export form's default). */
export async function latestAnswerDay(db: Db, orgId: string): Promise<string | null> {
  const result = await db.execute(sql`select to_char(max(day), 'YYYY-MM-DD') as day from report_answer_counts where org_id = ${orgId}`);
  return rows<{ day: string | null }>(result)[0]?.day ?? null;
}
