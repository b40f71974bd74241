/**
 * The national view's reads (issue 18): one grouped query per kind of figure over every
 * organisation at once — never a loop over organisations. Only counts, marks and facts
 * without personal data leave these functions: no answer set, no message subject or body, no
 * address, no name, no comment.
 *
 * These are the only queries without an `orgId` first: they serve the `national` role, which
 * belongs to no organisation and reads everyone's aggregates (requireRole('national') on every
 * route). Each one also accepts an optional organisation, for the drill-down page and the
 * tests that check a national figure against the organisation's own.
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../storage/db';
import type { Period } from '../reports/period';

/** The satisfaction item the national table follows: « accueil global » (overall reception). */
export const NATIONAL_SATISFACTION_ITEM = 'accueil_global';

const TOP2 = sql`('tres_satisfait', 'satisfait')`;
const OPINIONS = sql`('tres_satisfait', 'satisfait', 'peu_satisfait', 'pas_du_tout_satisfait')`;
const onlyOrg = (column: SQL, orgId?: string) => (orgId ? sql` and ${column} = ${orgId}` : sql``);

export interface OrgListRow { id: string; code: string; name: string; active: boolean; departmentCode: string | null }

export async function listOrganisations(db: Db): Promise<OrgListRow[]> {
  const r = await db.execute(sql`select id, code, name, deactivated_at is null as active, department_code from organisations order by code`);
  return rows<{ id: string; code: string; name: string; active: boolean; department_code: string | null }>(r)
    .map((o) => ({ id: o.id, code: o.code, name: o.name, active: !!o.active, departmentCode: o.department_code }));
}

export interface SatisfactionCounts { orgId: string; top2: number; opinions: number; sansAvis: number }

/** Overall reception (« accueil global ») of every survey that asks it, per organisation, from the report counters. */
export async function satisfactionByOrg(db: Db, period: Period, orgId?: string): Promise<SatisfactionCounts[]> {
  const r = await db.execute(sql`
    select c.org_id,
      coalesce(sum(c.n) filter (where c.value in ${TOP2}), 0)::int as top2,
      coalesce(sum(c.n) filter (where c.value in ${OPINIONS}), 0)::int as opinions,
      coalesce(sum(c.n) filter (where c.value = 'sans_avis'), 0)::int as sans_avis
    from report_answer_counts c
    where c.item = ${NATIONAL_SATISFACTION_ITEM} and c.day between ${period.from}::date and ${period.to}::date${onlyOrg(sql`c.org_id`, orgId)}
    group by c.org_id`);
  return rows<{ org_id: string; top2: number | string; opinions: number | string; sans_avis: number | string }>(r)
    .map((x) => ({ orgId: x.org_id, top2: Number(x.top2), opinions: Number(x.opinions), sansAvis: Number(x.sans_avis) }));
}

export interface GridRow { calledOrgId: string; programmeId: string; passMark: number; answers: Record<string, unknown> }

/**
 * The grids submitted on calls to each organisation, in programmes whose dates overlap the
 * period (as the bilan's phone section counts them). Grids carry marks and yes/no answers; the
 * caller and the evaluator are not read.
 */
export async function submittedGrids(db: Db, period: Period, orgId?: string): Promise<GridRow[]> {
  const r = await db.execute(sql`
    select c.called_org_id, c.programme_id, p.pass_mark, c.answers
    from phone_calls c
    join phone_programmes p on p.id = c.programme_id
    where c.status = 'submitted' and c.answers is not null
      and p.starts_on <= ${period.to}::date and p.ends_on >= ${period.from}::date${onlyOrg(sql`c.called_org_id`, orgId)}`);
  return rows<{ called_org_id: string; programme_id: string; pass_mark: number | string; answers: Record<string, unknown> | string }>(r)
    .map((x) => ({ calledOrgId: x.called_org_id, programmeId: x.programme_id, passMark: Number(x.pass_mark), answers: typeof x.answers === 'string' ? JSON.parse(x.answers) : x.answers }));
}

export interface ComplaintCounts { orgId: string; count: number; answered: number; withinDeadline: number; pending: number; delaySum: number }

/**
 * The complaints register's figures per organisation for complaints received in the period
 * (counts and working-day delays only: no subject, contact or matricule is read); `asOf` (a
 * Paris date) decides which unanswered complaints are still within their deadline.
 */
export async function complaintsByOrg(db: Db, period: Period, asOf: string, orgId?: string): Promise<ComplaintCounts[]> {
  const r = await db.execute(sql`
    select org_id, count(*)::int as count, count(answered_on)::int as answered,
      count(*) filter (where answered_on <= deadline_on)::int as within,
      count(*) filter (where answered_on is null and deadline_on >= ${asOf}::date)::int as pending,
      coalesce(sum(delay_days), 0)::int as delay_sum
    from complaints
    where received_on between ${period.from}::date and ${period.to}::date${onlyOrg(sql`org_id`, orgId)}
    group by org_id`);
  return rows<{ org_id: string; count: number | string; answered: number | string; within: number | string; pending: number | string; delay_sum: number | string }>(r)
    .map((x) => ({ orgId: x.org_id, count: Number(x.count), answered: Number(x.answered), withinDeadline: Number(x.within), pending: Number(x.pending), delaySum: Number(x.delay_sum) }));
}

export interface MonthValueRow { orgId: string; indicatorId: string; month: string; value: number; numerator: number | null; denominator: number | null }

/** Current monthly values (whole organisation, typed or imported) of the months `from`..`to` (first days). */
export async function monthlyValues(db: Db, from: string, to: string, orgId?: string): Promise<MonthValueRow[]> {
  const r = await db.execute(sql`
    select org_id, indicator_id, to_char(month, 'YYYY-MM-DD') as month, value, numerator, denominator
    from indicator_values
    where replaced_at is null and breakdown = '' and month between ${from}::date and ${to}::date${onlyOrg(sql`org_id`, orgId)}`);
  return rows<{ org_id: string; indicator_id: string; month: string; value: number | string; numerator: number | string | null; denominator: number | string | null }>(r)
    .map((x) => ({
      orgId: x.org_id, indicatorId: x.indicator_id, month: x.month, value: Number(x.value),
      numerator: x.numerator === null ? null : Number(x.numerator), denominator: x.denominator === null ? null : Number(x.denominator),
    }));
}

/** Every organisation's own targets: orgId → indicator → target. */
export async function ownTargets(db: Db, orgId?: string): Promise<Map<string, Map<string, number>>> {
  const r = await db.execute(sql`select org_id, indicator_id, target from indicator_targets where true${onlyOrg(sql`org_id`, orgId)}`);
  const out = new Map<string, Map<string, number>>();
  for (const x of rows<{ org_id: string; indicator_id: string; target: number | string }>(r)) {
    const m = out.get(x.org_id) ?? new Map<string, number>();
    m.set(x.indicator_id, Number(x.target));
    out.set(x.org_id, m);
  }
  return out;
}
