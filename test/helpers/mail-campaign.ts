/**
 * A closed mystery-mail campaign written straight into the campaign tables (mailbox, campaign,
 * one target, its sent probes), for tests that read what the tracker would have stored. Replies
 * are added by each test with the classes it needs.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../server/deps';

export interface ClosedCampaign { mailboxId: string; campaignId: string; targetId: string; probes: string[] }

export async function insertClosedCampaign(deps: Pick<Deps, 'db'>, orgId: string, o: {
  name: string; periodStart: string; periodEnd: string; checklist: string[]; sentAt: Date[]; subject?: string;
  mailbox?: string; service?: string; serviceAddress?: string;
}): Promise<ClosedCampaign> {
  const mailboxId = crypto.randomUUID();
  const campaignId = crypto.randomUUID();
  const targetId = crypto.randomUUID();
  const serviceAddress = o.serviceAddress ?? 'sejour@example.test';
  await deps.db.execute(sql`insert into mystery_mailboxes (id, org_id, display_name, address, smtp_host, smtp_port, imap_host, imap_port, imap_user)
    values (${mailboxId}, ${orgId}, 'Camille Martin', ${o.mailbox ?? 'camille@example.test'}, '127.0.0.1', 2525, '127.0.0.1', 1143, 'camille')`);
  await deps.db.execute(sql`insert into mail_campaigns (id, org_id, mailbox_id, name, mode, status, period_start, period_end, seed, signature_checklist)
    values (${campaignId}, ${orgId}, ${mailboxId}, ${o.name}, 'send', 'closed', ${o.periodStart}, ${o.periodEnd}, 'seed',
            array[${sql.join(o.checklist.map((k) => sql`${k}`), sql`, `)}]::text[])`);
  await deps.db.execute(sql`insert into mail_campaign_targets (id, org_id, campaign_id, service_name, address)
    values (${targetId}, ${orgId}, ${campaignId}, ${o.service ?? 'Bureau du séjour'}, ${serviceAddress})`);
  const probes: string[] = [];
  for (const sentAt of o.sentAt) {
    const id = crypto.randomUUID();
    probes.push(id);
    await deps.db.execute(sql`insert into mail_probes (id, org_id, campaign_id, target_id, origin, state, to_address, subject, body, message_id, sent_at)
      values (${id}, ${orgId}, ${campaignId}, ${targetId}, 'planned', 'sent', ${serviceAddress}, ${o.subject ?? 'Question'}, 'Bonjour', ${`<${id}@example.test>`}, ${sentAt})`);
  }
  return { mailboxId, campaignId, targetId, probes };
}
