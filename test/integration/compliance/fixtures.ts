/**
 * A closed mystery-mail campaign written straight into the campaign tables: 4 probes, 3
 * answers signed by named agents (one of them Claire Dupont <claire.dupont@pref.test>), one
 * acknowledgement, raw messages kept. Used by the retention and rights-request tests, which
 * check that the figures stay the same after erasure.
 */
import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../../server/deps';

export const AGENT_EMAIL = 'claire.dupont@pref.test';
export const AGENT_NAME = 'Claire Dupont';

export async function seedCampaign(deps: Deps, orgId: string, opts: { periodEnd: string }) {
  const mailboxId = crypto.randomUUID();
  const campaignId = crypto.randomUUID();
  const db = deps.db;
  await db.execute(sql`insert into mystery_mailboxes (id, org_id, display_name, address, smtp_host, smtp_port, imap_host, imap_port, imap_user)
    values (${mailboxId}, ${orgId}, 'Camille Martin', ${`camille-${campaignId.slice(0, 8)}@example.test`}, '127.0.0.1', 2525, '127.0.0.1', 1143, 'camille')`);
  await db.execute(sql`insert into mail_campaigns (id, org_id, mailbox_id, name, mode, status, period_start, period_end, seed, signature_checklist)
    values (${campaignId}, ${orgId}, ${mailboxId}, 'Campagne test', 'send', 'closed', '2019-05-15', ${opts.periodEnd}, 'seed',
            array['firstName','lastName','function','service','address','phone'])`);
  const targetId = crypto.randomUUID();
  await db.execute(sql`insert into mail_campaign_targets (id, org_id, campaign_id, service_name, address) values
    (${targetId}, ${orgId}, ${campaignId}, 'Bureau du séjour', 'sejour@example.test')`);
  const probes: string[] = [];
  for (let i = 0; i < 4; i++) {
    const id = crypto.randomUUID();
    probes.push(id);
    await db.execute(sql`insert into mail_probes (id, org_id, campaign_id, target_id, origin, state, to_address, subject, body, message_id, sent_at)
      values (${id}, ${orgId}, ${campaignId}, ${targetId}, 'planned', 'sent', 'sejour@example.test', 'Question', 'Bonjour', ${`<p${i}-${id}@example.test>`},
              '2019-05-15T08:00:00Z')`);
  }
  const sig = { firstName: true, lastName: true, function: true, service: true, address: false, phone: true };
  const agents = [[AGENT_EMAIL, AGENT_NAME], ['paul.martin@pref.test', 'Paul Martin'], ['lea.bernard@pref.test', 'Léa Bernard']];
  const replyIds: string[] = [];
  for (let i = 0; i < 3; i++) {
    const id = crypto.randomUUID();
    replyIds.push(id);
    const [email, name] = agents[i];
    const text = `Bonjour, le bureau ouvre à 9 h.\n\n${name}\nAdjointe au chef du bureau du séjour\nTél. 04 50 00 00 0${i}`;
    await db.execute(sql`insert into mail_replies (id, org_id, mailbox_id, campaign_id, probe_id, folder, uid_validity, uid, dedupe_key, received_at, size,
        detected_class, reply_class, from_address, subject, text, full_text, signature, match_method)
      values (${id}, ${orgId}, ${mailboxId}, ${campaignId}, ${probes[i]}, 'INBOX', '1', ${i + 1}, ${crypto.randomUUID()}, ${`2019-05-1${6 + i}T09:00:00Z`}, 1000,
              'answer', 'answer', ${email}, 'RE: Question', ${text}, ${text}, ${JSON.stringify(sig)}::jsonb, 'headers')`);
    await db.execute(sql`insert into mail_raw_messages (reply_id, org_id, raw, size) values (${id}, ${orgId}, ${Buffer.from(`From: ${email}\r\n\r\n${text}`)}, 100)`);
  }
  await db.execute(sql`insert into mail_replies (id, org_id, mailbox_id, campaign_id, probe_id, folder, uid_validity, uid, dedupe_key, received_at, size,
      detected_class, reply_class, from_address, subject, text, full_text, match_method)
    values (${crypto.randomUUID()}, ${orgId}, ${mailboxId}, ${campaignId}, ${probes[3]}, 'INBOX', '1', 9, ${crypto.randomUUID()}, '2019-05-15T08:05:00Z', 500,
            'acknowledgement', 'acknowledgement', 'sejour@example.test', 'Accusé de réception', 'Nous avons bien reçu votre message.', 'idem', 'headers')`);
  return { campaignId, mailboxId, replyIds };
}
