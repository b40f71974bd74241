/**
 * What the outcome rules read of each mystery probe's replies, kept on the probe by the
 * triggers of migration 0018 (a failed delivery report came back, the first acknowledgement,
 * the first answer), and the e-mail counts computed from it in one pass. Read by the national
 * table (every organisation of a quarter), an organisation's monthly board and its home (its own
 * campaigns): one row per probe instead of every reply. No address, subject, body, sender or
 * signature is read. Instants travel as milliseconds since the epoch (a float parses several
 * times faster than a timestamp). The counts equal `probeOutcome` + `campaigns/metrics.ts`
 * (national-figures.test.ts, national-probe-firsts.test.ts).
 */
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Db } from '../storage/db';
import type { Period } from '../reports/period';
import type { CampaignRow } from './campaign.store';
import type { HolidayZone } from './calendar/holidays';
import { withinDeadline, workingDaysBetween } from './calendar/working-days';

const parisStart = (day: string) => sql`(${day}::date)::timestamp at time zone 'Europe/Paris'`;
const parisEnd = (day: string) => sql`(${day}::date + 1)::timestamp at time zone 'Europe/Paris'`;
const epochMs = (column: SQL) => sql`(extract(epoch from ${column}) * 1000)::float8`;
const onlyOrg = (column: SQL, orgId?: string) => (orgId ? sql` and ${column} = ${orgId}` : sql``);

export interface CampaignRulesRow { campaignId: string; periodStart: string; periodEnd: string; deadlineDays: number; checklist: string[]; holidayZone: string; whitMondayWorked: boolean }

/** The outcome rules of the campaigns (not drafts) whose dates overlap the period. */
export async function campaignRules(db: Db, period: Period, orgId?: string): Promise<CampaignRulesRow[]> {
  const r = await db.execute(sql`
    select c.id, to_char(c.period_start, 'YYYY-MM-DD') as period_start, to_char(c.period_end, 'YYYY-MM-DD') as period_end,
      c.deadline_days, c.signature_checklist, c.holiday_zone, c.whit_monday_worked
    from mail_campaigns c
    where c.status <> 'draft' and c.period_start <= ${period.to}::date and c.period_end >= ${period.from}::date${onlyOrg(sql`c.org_id`, orgId)}`);
  return rows<{ id: string; period_start: string; period_end: string; deadline_days: number; signature_checklist: string[] | string; holiday_zone: string; whit_monday_worked: boolean }>(r)
    .map((x) => ({ campaignId: x.id, periodStart: x.period_start, periodEnd: x.period_end, deadlineDays: Number(x.deadline_days), checklist: pgTextArray(x.signature_checklist), holidayZone: x.holiday_zone, whitMondayWorked: !!x.whit_monday_worked }));
}

export interface ProbeSummaryRow {
  orgId: string; campaignId: string; state: 'planned' | 'sending' | 'sent' | 'failed' | 'cancelled'; sentAt: Date | null;
  /** A failed delivery report came back (a delayed one is only a warning). */
  bounced: boolean;
  /** The first acknowledgement's and the first answer's times. */
  acknowledgedAt: Date | null;
  answeredAt: Date | null;
}

/**
 * The probes sent during the period by campaigns (not drafts) whose dates overlap it — what
 * the bilan's e-mail section counts (reports/email.source.ts) — one row each with what the
 * national figures read of its replies, kept on the probe by the triggers of migration 0018:
 * whether one is a failed delivery report, the first acknowledgement's and the first answer's
 * times. No address, subject, body, sender or signature is read. Read through an index-only
 * scan of `mail_probes_outcome_idx`; instants travel as milliseconds since the epoch.
 */
export async function probeSummaries(db: Db, period: Period, orgId?: string): Promise<ProbeSummaryRow[]> {
  const r = await db.execute(sql`
    select p.org_id, p.campaign_id, p.state, ${epochMs(sql`p.sent_at`)} as sent_at, p.reply_bounced as bounced,
      ${epochMs(sql`p.first_acknowledged_at`)} as acknowledged_at, ${epochMs(sql`p.first_answered_at`)} as answered_at
    from mail_probes p
    join mail_campaigns c on c.id = p.campaign_id and c.org_id = p.org_id
    where c.status <> 'draft' and c.period_start <= ${period.to}::date and c.period_end >= ${period.from}::date
      and p.sent_at >= ${parisStart(period.from)} and p.sent_at < ${parisEnd(period.to)}${onlyOrg(sql`p.org_id`, orgId)}`);
  return summaryRows(r);
}

function summaryRows(r: unknown): ProbeSummaryRow[] {
  type Raw = { org_id: string; campaign_id: string; state: ProbeSummaryRow['state']; sent_at: number | string | null; bounced: boolean; acknowledged_at: number | string | null; answered_at: number | string | null };
  const at = (v: number | string | null) => (v === null ? null : new Date(Number(v)));
  return rows<Raw>(r as Parameters<typeof rows>[0]).map((x) => ({
    orgId: x.org_id, campaignId: x.campaign_id, state: x.state, sentAt: at(x.sent_at), bounced: !!x.bounced, acknowledgedAt: at(x.acknowledged_at), answeredAt: at(x.answered_at),
  }));
}

/** Every probe of some campaigns of one organisation, with the same summary (the home's latest campaigns). */
export async function probeSummariesOfCampaigns(db: Db, orgId: string, campaignIds: readonly string[]): Promise<ProbeSummaryRow[]> {
  if (!campaignIds.length) return [];
  const r = await db.execute(sql`
    select p.org_id, p.campaign_id, p.state, ${epochMs(sql`p.sent_at`)} as sent_at, p.reply_bounced as bounced,
      ${epochMs(sql`p.first_acknowledged_at`)} as acknowledged_at, ${epochMs(sql`p.first_answered_at`)} as answered_at
    from mail_probes p
    where p.org_id = ${orgId} and p.campaign_id in (${sql.join(campaignIds.map((id) => sql`${id}`), sql`, `)})`);
  return summaryRows(r);
}

/** A campaign's rules as the counts read them. */
export function rulesOfCampaign(c: CampaignRow): CampaignRulesRow {
  return {
    campaignId: c.id, periodStart: c.periodStart, periodEnd: c.periodEnd, deadlineDays: c.deadlineDays, checklist: c.signatureChecklist,
    holidayZone: c.holidayZone, whitMondayWorked: c.whitMondayWorked,
  };
}

export interface EmailCounts { delivered: number; acknowledged: number; answered: number; withinDeadline: number; delaySum: number }

/**
 * E-mail counts per organisation, by the outcome rules of campaigns/outcomes.ts applied to each
 * probe with its campaign's deadline and calendar: sent = state « sent » with a sending time;
 * delivered = sent and no failed delivery report; acknowledged and answered among the
 * delivered (first acknowledgement, first answer); the answer's delay in working days and
 * whether it came within the deadline. Counted in one pass without building each probe's full
 * outcome (the national table reads ~40,000 probes a quarter); `probeOutcome` and
 * `campaigns/metrics.ts` give the same counts (tested in national-figures.test.ts).
 */
export function emailCountsByOrg(probes: readonly ProbeSummaryRow[], campaigns: readonly CampaignRulesRow[]): Map<string, EmailCounts> {
  const rules = new Map(campaigns.map((c) => [c.campaignId, { deadlineDays: c.deadlineDays, calendar: { zone: c.holidayZone as HolidayZone, whitMondayWorked: c.whitMondayWorked } }]));
  const out = new Map<string, EmailCounts>();
  for (const p of probes) {
    const r = rules.get(p.campaignId);
    if (!r || p.state !== 'sent' || p.sentAt === null) continue;
    let c = out.get(p.orgId);
    if (!c) {
      c = { delivered: 0, acknowledged: 0, answered: 0, withinDeadline: 0, delaySum: 0 };
      out.set(p.orgId, c);
    }
    if (p.bounced) continue;
    c.delivered++;
    if (p.acknowledgedAt) c.acknowledged++;
    if (p.answeredAt) {
      c.answered++;
      c.delaySum += workingDaysBetween(p.sentAt, p.answeredAt, r.calendar);
      if (withinDeadline(p.sentAt, p.answeredAt, r.deadlineDays, r.calendar)) c.withinDeadline++;
    }
  }
  return out;
}


/** node-postgres parses text[]; PGlite too, but a raw '{a,b}' string is accepted as well. */
function pgTextArray(v: string[] | string): string[] {
  if (Array.isArray(v)) return v;
  const inner = v.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',').map((s) => s.replace(/^"|"$/g, '')) : [];
}
