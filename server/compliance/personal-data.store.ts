/**
 * The SQL that finds, erases or anonymises personal data held by other features' tables
 * (users, invitations, mystery-mail replies, corrections). It lives here, in one file, so that
 * what the notices promise and what the purge and rights requests do can be read side by side.
 * Erasure never deletes a row a figure counts: replies keep their class, dates and signature
 * items; anonymised users keep their id (their calls, grades and corrections stay).
 */
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../storage/db';

export const ANONYMOUS_NAME = 'Personne anonymisée';

// Mystery-mail replies: the answering agent's identity --------------------------------------

/** Replies of campaigns whose period ended more than `days` ago, identity not yet erased. */
export async function eraseAgentIdentityAfterCampaign(db: Db, orgId: string, before: Date, now: Date): Promise<number> {
  const r = await db.execute(sql`
    with target as (
      select r.id from mail_replies r join mail_campaigns c on c.id = r.campaign_id and c.org_id = r.org_id
      where r.org_id = ${orgId} and c.status <> 'draft' and (c.period_end::timestamptz + interval '1 day') <= ${before.toISOString()}::timestamptz
        and (r.from_address is not null or r.text is not null or r.full_text is not null or r.subject is not null
             or exists (select 1 from mail_raw_messages m where m.reply_id = r.id))
    ), raw as (
      delete from mail_raw_messages m using target where m.reply_id = target.id and m.org_id = ${orgId}
    )
    update mail_replies r set from_address = null, subject = null, text = null, full_text = null,
           purged_at = coalesce(r.purged_at, ${now.toISOString()}::timestamptz)
    from target where r.id = target.id and r.org_id = ${orgId}
    returning r.id`);
  return rows(r).length;
}

export interface ReplyHit {
  id: string;
  campaign: string | null;
  fromAddress: string | null;
  subject: string | null;
  text: string | null;
  receivedAt: string;
  replyClass: string;
}

/** Replies whose sender is this address, or whose text names this person (signature). */
export async function findReplies(db: Db, orgId: string, q: { email?: string; name?: string }): Promise<ReplyHit[]> {
  const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const conds = [];
  if (q.email) conds.push(sql`lower(r.from_address) = lower(${q.email}) or r.full_text ilike ${like(q.email)} or r.text ilike ${like(q.email)}`);
  if (q.name) conds.push(sql`r.full_text ilike ${like(q.name)} or r.text ilike ${like(q.name)}`);
  if (!conds.length) return [];
  const r = await db.execute(sql`
    select r.id, c.name as campaign, r.from_address, r.subject, coalesce(r.full_text, r.text) as text, r.received_at, r.reply_class
    from mail_replies r left join mail_campaigns c on c.id = r.campaign_id
    where r.org_id = ${orgId} and (${sql.join(conds.map((c) => sql`(${c})`), sql` or `)})
    order by r.received_at`);
  return rows<Record<string, unknown>>(r).map((x) => ({
    id: String(x.id), campaign: (x.campaign as string) ?? null, fromAddress: (x.from_address as string) ?? null, subject: (x.subject as string) ?? null,
    text: (x.text as string) ?? null, receivedAt: new Date(x.received_at as string).toISOString(), replyClass: String(x.reply_class),
  }));
}

export async function eraseReplies(db: Db, orgId: string, ids: string[], now: Date): Promise<number> {
  if (!ids.length) return 0;
  const list = sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
  await db.execute(sql`delete from mail_raw_messages where org_id = ${orgId} and reply_id in (${list})`);
  const r = await db.execute(sql`update mail_replies set from_address = null, subject = null, text = null, full_text = null,
      purged_at = coalesce(purged_at, ${now.toISOString()}::timestamptz)
    where org_id = ${orgId} and id in (${list}) returning id`);
  return rows(r).length;
}

// Accounts ----------------------------------------------------------------------------------

export interface UserHit {
  id: string;
  email: string;
  displayName: string;
  role: string;
  active: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  evaluatedCalls: number;
  corrections: number;
}

export async function findUsers(db: Db, orgId: string, q: { email?: string; name?: string }): Promise<UserHit[]> {
  const conds = [];
  if (q.email) conds.push(sql`lower(u.email) = lower(${q.email})`);
  if (q.name) conds.push(sql`u.display_name ilike ${`%${q.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  if (!conds.length) return [];
  const r = await db.execute(sql`
    select u.id, u.email, u.display_name, u.role, u.active, u.created_at, u.last_login_at,
      (select count(*)::int from phone_calls pc where pc.evaluator_id = u.id and pc.caller_org_id = ${orgId}) as evaluated_calls,
      (select count(*)::int from mail_corrections mc where mc.user_id = u.id and mc.org_id = ${orgId}) as corrections
    from users u where u.org_id = ${orgId} and (${sql.join(conds.map((c) => sql`(${c})`), sql` or `)})
    order by u.display_name`);
  return rows<Record<string, unknown>>(r).map((x) => ({
    id: String(x.id), email: String(x.email), displayName: String(x.display_name), role: String(x.role), active: Boolean(x.active),
    createdAt: new Date(x.created_at as string).toISOString(), lastLoginAt: x.last_login_at ? new Date(x.last_login_at as string).toISOString() : null,
    evaluatedCalls: Number(x.evaluated_calls), corrections: Number(x.corrections),
  }));
}

/**
 * Anonymises accounts in place (their id stays, so calls, grades and corrections keep their
 * author's slot): name and e-mail replaced, password, sessions and tokens removed, deactivated.
 */
export async function anonymiseUsers(db: Db, orgId: string, ids: string[]): Promise<number> {
  if (!ids.length) return 0;
  const list = sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
  return db.transaction(async (tx) => {
    const r = await tx.execute(sql`update users set display_name = ${ANONYMOUS_NAME}, email = 'anonymise-' || id::text || '@invalid',
        password_hash = null, active = false
      where org_id = ${orgId} and id in (${list}) returning id`);
    const done = rows<{ id: string }>(r).map((x) => x.id);
    if (!done.length) return 0;
    const doneList = sql.join(done.map((id) => sql`${id}::uuid`), sql`, `);
    await tx.execute(sql`delete from sessions where user_id in (${doneList})`);
    await tx.execute(sql`delete from api_tokens where org_id = ${orgId} and user_id in (${doneList})`);
    await tx.execute(sql`update mail_corrections set user_name = ${ANONYMOUS_NAME} where org_id = ${orgId} and user_id in (${doneList})`);
    await tx.execute(sql`update accessibility_statements set created_by_name = ${ANONYMOUS_NAME} where org_id = ${orgId} and created_by in (${doneList})`);
    await tx.execute(sql`update rights_actions set user_name = ${ANONYMOUS_NAME} where org_id = ${orgId} and user_id in (${doneList})`);
    return done.length;
  });
}

/** Accounts of the organisation with no login (or, never logged in, no creation) since `before`. */
export async function inactiveUserIds(db: Db, orgId: string, before: Date): Promise<string[]> {
  const r = await db.execute(sql`select id from users
    where org_id = ${orgId} and email not like 'anonymise-%@invalid'
      and coalesce(last_login_at, created_at) < ${before.toISOString()}::timestamptz`);
  return rows<{ id: string }>(r).map((x) => x.id);
}

// Logs --------------------------------------------------------------------------------------

/** Invitations expired or accepted before `before` (they hold an e-mail address), for one organisation. */
export async function purgeInvitations(db: Db, orgId: string, before: Date): Promise<number> {
  const r = await db.execute(sql`delete from invitations where org_id = ${orgId}
    and (expires_at < ${before.toISOString()}::timestamptz or accepted_at < ${before.toISOString()}::timestamptz) returning id`);
  return rows(r).length;
}

/** Platform-wide technical traces: finished jobs (their errors may quote an address), expired sessions. */
export async function purgeTechnicalTraces(db: Db, before: Date): Promise<number> {
  const jobs = await db.execute(sql`delete from jobs where status in ('done', 'failed') and finished_at < ${before.toISOString()}::timestamptz returning id`);
  const sessions = await db.execute(sql`delete from sessions where expires_at < ${before.toISOString()}::timestamptz returning id`);
  return rows(jobs).length + rows(sessions).length;
}

export async function purgeRightsActions(db: Db, orgId: string, before: Date): Promise<number> {
  const r = await db.execute(sql`delete from rights_actions where org_id = ${orgId} and created_at < ${before.toISOString()}::timestamptz returning id`);
  return rows(r).length;
}
