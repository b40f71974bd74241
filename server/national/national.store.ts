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
const parisStart = (day: string) => sql`(${day}::date)::timestamp at time zone 'Europe/Paris'`;
const parisEnd = (day: string) => sql`(${day}::date + 1)::timestamp at time zone 'Europe/Paris'`;
const onlyOrg = (column: SQL, orgId?: string) => (orgId ? sql` and ${column} = ${orgId}` : sql``);

export interface OrgListRow { id: string; code: string; name: string; active: boolean }

export async function listOrganisations(db: Db): Promise<OrgListRow[]> {
  const r = await db.execute(sql`select id, code, name, deactivated_at is null as active from organisations order by code`);
  return rows<{ id: string; code: string; name: string; active: boolean }>(r).map((o) => ({ ...o, active: !!o.active }));
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

export interface ProbeFactRow {
  orgId: string; probeId: string; campaignId: string; state: 'planned' | 'sending' | 'sent' | 'failed' | 'cancelled'; sentAt: Date | null;
  deadlineDays: number; checklist: string[]; holidayZone: string; whitMondayWorked: boolean;
}

/**
 * The probes sent during the period by campaigns (not drafts) whose dates overlap it, with
 * their campaign's rules — what the bilan's e-mail section counts (reports/email.source.ts).
 * No address, subject or body is read.
 */
export async function probeFacts(db: Db, period: Period, orgId?: string): Promise<ProbeFactRow[]> {
  const r = await db.execute(sql`
    select p.org_id, p.id as probe_id, p.campaign_id, p.state, p.sent_at,
           c.deadline_days, c.signature_checklist, c.holiday_zone, c.whit_monday_worked
    from mail_probes p
    join mail_campaigns c on c.id = p.campaign_id and c.org_id = p.org_id
    where c.status <> 'draft' and c.period_start <= ${period.to}::date and c.period_end >= ${period.from}::date
      and p.sent_at >= ${parisStart(period.from)} and p.sent_at < ${parisEnd(period.to)}${onlyOrg(sql`p.org_id`, orgId)}`);
  return rows<{ org_id: string; probe_id: string; campaign_id: string; state: ProbeFactRow['state']; sent_at: Date | string | null; deadline_days: number; signature_checklist: string[] | string; holiday_zone: string; whit_monday_worked: boolean }>(r)
    .map((x) => ({
      orgId: x.org_id, probeId: x.probe_id, campaignId: x.campaign_id, state: x.state, sentAt: x.sent_at ? new Date(x.sent_at) : null,
      deadlineDays: Number(x.deadline_days), checklist: pgTextArray(x.signature_checklist), holidayZone: x.holiday_zone, whitMondayWorked: !!x.whit_monday_worked,
    }));
}

export interface ReplyFactRow {
  probeId: string; id: string; replyClass: string; bounceKind: 'failed' | 'delayed' | null; receivedAt: Date;
  signature: Record<string, boolean> | null; anonymityJustified: boolean;
}

/** The replies matched to the probes `probeFacts` returns (class, time, signature items: no sender, no text). */
export async function replyFacts(db: Db, period: Period, orgId?: string): Promise<ReplyFactRow[]> {
  const r = await db.execute(sql`
    select r.probe_id, r.id, r.reply_class, r.bounce_kind, r.received_at, r.signature, r.anonymity_justified
    from mail_replies r
    join mail_probes p on p.id = r.probe_id and p.org_id = r.org_id and p.campaign_id = r.campaign_id
    join mail_campaigns c on c.id = p.campaign_id and c.org_id = p.org_id
    where c.status <> 'draft' and c.period_start <= ${period.to}::date and c.period_end >= ${period.from}::date
      and p.sent_at >= ${parisStart(period.from)} and p.sent_at < ${parisEnd(period.to)}${onlyOrg(sql`r.org_id`, orgId)}`);
  return rows<{ probe_id: string; id: string; reply_class: string; bounce_kind: 'failed' | 'delayed' | null; received_at: Date | string; signature: Record<string, boolean> | string | null; anonymity_justified: boolean }>(r)
    .map((x) => ({
      probeId: x.probe_id, id: x.id, replyClass: x.reply_class, bounceKind: x.bounce_kind, receivedAt: new Date(x.received_at),
      signature: typeof x.signature === 'string' ? JSON.parse(x.signature) : x.signature, anonymityJustified: !!x.anonymity_justified,
    }));
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

/** node-postgres parses text[]; PGlite too, but a raw '{a,b}' string is accepted as well. */
function pgTextArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v;
  const inner = v.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',').map((s) => s.replace(/^"|"$/g, '')) : [];
}
