/**
 * The home page's alert queries: one cheap query per kind, on stored state only (kiosk
 * heartbeats, mailbox reading outcomes, campaign and programme states), never a scan of the
 * answers. Every function takes the organisation id first.
 */
import { sql } from 'drizzle-orm';
import { rows as rowsOf, type Db } from '../storage/db';

async function rows<T>(db: Db, q: ReturnType<typeof sql>): Promise<T[]> {
  return rowsOf<T>(await db.execute(q));
}

export interface KioskRow { id: string; name: string; siteName: string | null; lastActivityAt: Date | null; createdAt: Date; queued: number }
/** Kiosks in service that are quiet since `quietSince` (prefilter) or report a queue. */
export async function kiosksToWatch(db: Db, orgId: string, quietSince: Date): Promise<KioskRow[]> {
  return rows<KioskRow>(db, sql`
    select k.id, k.name, s.name as "siteName", greatest(k.last_seen_at, k.last_answer_at) as "lastActivityAt", k.created_at as "createdAt", k.queued_reported as queued
    from kiosks k left join sites s on s.id = k.site_id and s.org_id = k.org_id
    where k.org_id = ${orgId} and k.status = 'active'
      and (k.queued_reported > 0 or coalesce(greatest(k.last_seen_at, k.last_answer_at), k.created_at) < ${quietSince.toISOString()}::timestamptz)
    order by k.name`);
}

export interface MailboxRow { id: string; displayName: string; address: string; syncOkAt: Date | null; syncErrorAt: Date | null; syncErrorMessage: string | null; syncFailures: number; syncFailingSince: Date | null; syncStoppedAt: Date | null; sendErrorAt?: Date | null; sendErrorMessage?: string | null }
/** Mailboxes whose last reading failed or whose reading stopped. */
export async function failingMailboxes(db: Db, orgId: string): Promise<MailboxRow[]> {
  return rows<MailboxRow>(db, sql`
    select id, display_name as "displayName", address, sync_ok_at as "syncOkAt", sync_error_at as "syncErrorAt", sync_error_message as "syncErrorMessage",
           sync_failures as "syncFailures", sync_failing_since as "syncFailingSince", sync_stopped_at as "syncStoppedAt",
           send_error_at as "sendErrorAt", send_error_message as "sendErrorMessage"
    from mystery_mailboxes where org_id = ${orgId} and (sync_failures > 0 or sync_stopped_at is not null or send_error_at is not null) order by address`);
}

export interface CampaignRow { id: string; name: string; periodEnd: string; unmatched: number }
/** Running campaigns whose period has ended (to close), with their replies left unmatched. */
export async function endedRunningCampaigns(db: Db, orgId: string, today: string): Promise<CampaignRow[]> {
  return rows<CampaignRow>(db, sql`
    select c.id, c.name, c.period_end::text as "periodEnd",
           (select count(*)::int from mail_replies r where r.org_id = c.org_id and r.mailbox_id = c.mailbox_id and r.probe_id is null and r.received_at >= c.period_start::timestamptz) as unmatched
    from mail_campaigns c where c.org_id = ${orgId} and c.status = 'running' and c.period_end < ${today}::date order by c.period_end`);
}

export interface ProgrammeRow { id: string; name: string; awaitingAcceptance: boolean; needsNumbers: boolean; needsEvaluators: boolean }
/** Programmes this organisation takes part in that wait for something from it. */
export async function programmesWaiting(db: Db, orgId: string, today: string): Promise<ProgrammeRow[]> {
  return rows<ProgrammeRow>(db, sql`
    select p.id, p.name,
      (pa.accepted_at is null) as "awaitingAcceptance",
      (exists (select 1 from phone_pairs x where x.programme_id = p.id and x.called_org_id = ${orgId})
        and not exists (select 1 from phone_numbers n where n.programme_id = p.id and n.org_id = ${orgId})) as "needsNumbers",
      (exists (select 1 from phone_pairs x where x.programme_id = p.id and x.caller_org_id = ${orgId})
        and not exists (select 1 from phone_evaluators e where e.programme_id = p.id and e.org_id = ${orgId})) as "needsEvaluators"
    from phone_programmes p join phone_participants pa on pa.programme_id = p.id and pa.org_id = ${orgId}
    where p.ends_on >= ${today}::date
    order by p.starts_on`).then((r) => r.filter((p) => p.awaitingAcceptance || p.needsNumbers || p.needsEvaluators));
}

/** Calls of this organisation's evaluators scheduled before `before` and still not submitted. */
export async function lateCalls(db: Db, orgId: string, before: Date): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`
    select count(*)::int as n from phone_calls where caller_org_id = ${orgId} and status <> 'submitted' and scheduled_at < ${before.toISOString()}::timestamptz`);
  return Number(r?.n ?? 0);
}

export interface ReportRow { id: string; title: string; periodEnd: string }
/** The latest bilan whose period has ended: ready to print. */
export async function latestReadyReport(db: Db, orgId: string, today: string): Promise<ReportRow | undefined> {
  const [r] = await rows<ReportRow>(db, sql`
    select id, title, period_end::text as "periodEnd" from reports where org_id = ${orgId} and period_end < ${today}::date order by period_end desc, created_at desc limit 1`);
  return r;
}

/** Open actions of the plan past their due date (issue 16): one count on the (org, status, due) index. */
export async function overdueActions(db: Db, orgId: string, today: string): Promise<number> {
  const [r] = await rows<{ n: number }>(db, sql`
    select count(*)::int as n from actions where org_id = ${orgId} and status in ('a_faire', 'en_cours') and due_on < ${today}::date`);
  return Number(r?.n ?? 0);
}

export interface CallRow { id: string; scheduledAt: Date; calledOrg: string; status: string }
/** An evaluator's calls of a Paris day and those left from earlier days. */
export async function evaluatorCalls(db: Db, orgId: string, userId: string, dayEnd: Date): Promise<CallRow[]> {
  return rows<CallRow>(db, sql`
    select c.id, c.scheduled_at as "scheduledAt", o.name as "calledOrg", c.status
    from phone_calls c join organisations o on o.id = c.called_org_id
    where c.caller_org_id = ${orgId} and c.evaluator_id = ${userId} and c.status <> 'submitted' and c.scheduled_at < ${dayEnd.toISOString()}::timestamptz
    order by c.scheduled_at limit 50`);
}

export interface OrgActivityRow { id: string; code: string; name: string; deactivatedAt: Date | null; referents: string | null; lastLoginAt: Date | null }
/** Admin: every organisation, its referents and its last sign-in. */
export async function organisationsActivity(db: Db): Promise<OrgActivityRow[]> {
  return rows<OrgActivityRow>(db, sql`
    select o.id, o.code, o.name, o.deactivated_at as "deactivatedAt",
           (select string_agg(u.display_name, ', ' order by u.display_name) from users u where u.org_id = o.id and u.role = 'referent' and u.active) as referents,
           (select max(u.last_login_at) from users u where u.org_id = o.id) as "lastLoginAt"
    from organisations o order by o.code`);
}
