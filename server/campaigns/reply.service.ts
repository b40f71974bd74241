/**
 * The referent's corrections of a reply: its class, the probe it answers (or none), each
 * signature item, « anonymat justifié ». Each correction is applied and kept with who made it
 * and when (mail_corrections); the figures are recomputed from the corrected values.
 */
import type { Deps } from '../deps';
import { ValidationError, notFound } from '../errors';
import type { Principal } from '../http/context';
import { SIGNATURE_ITEMS } from './classification/signature';
import type { CorrectionInput } from './campaign.schemas';
import * as campaignStore from './campaign.store';
import * as replyStore from './reply.store';

type Ctx = Pick<Deps, 'db' | 'clock'>;

export async function requireReply(ctx: Pick<Deps, 'db'>, orgId: string, id: string) {
  const row = await replyStore.getReply(ctx.db, orgId, id);
  if (!row) throw notFound('Réponse');
  return row;
}

export async function correctReply(ctx: Ctx, orgId: string, who: Principal, replyId: string, v: CorrectionInput) {
  const reply = await requireReply(ctx, orgId, replyId);
  const author = { userId: who.userId, userName: who.displayName };
  const at = ctx.clock.now();
  let change: Parameters<typeof replyStore.correctReply>[3];
  switch (v.field) {
    case 'class': {
      const set: Partial<replyStore.ReplyInsert> = { replyClass: v.replyClass! };
      // A message made an answer by hand gets a checklist to fill in.
      if (v.replyClass === 'answer' && !reply.signature) set.signature = Object.fromEntries(SIGNATURE_ITEMS.map((k) => [k, false]));
      change = { field: 'class', before: reply.replyClass, after: v.replyClass, set };
      break;
    }
    case 'probe': {
      let campaignId: string | null = null;
      if (v.probeId) {
        const probe = await campaignStore.getProbeForWorker(ctx.db, v.probeId);
        const campaign = probe && probe.orgId === orgId ? await campaignStore.getCampaign(ctx.db, orgId, probe.campaignId) : undefined;
        if (!probe || !campaign || campaign.mailboxId !== reply.mailboxId) throw new ValidationError({ probeId: 'Ce message mystère est introuvable pour cette boîte.' });
        campaignId = campaign.id;
      }
      change = { field: 'probe', before: reply.probeId, after: v.probeId || null, set: { probeId: v.probeId || null, campaignId: campaignId ?? reply.campaignId } };
      break;
    }
    case 'signature': {
      const after = Object.fromEntries(SIGNATURE_ITEMS.map((k) => [k, v.items.includes(k)]));
      change = { field: 'signature', before: reply.signature, after, set: { signature: after } };
      break;
    }
    case 'anonymity':
      change = { field: 'anonymity', before: reply.anonymityJustified, after: v.anonymityJustified, set: { anonymityJustified: v.anonymityJustified } };
      break;
  }
  if (!(await replyStore.correctReply(ctx.db, orgId, replyId, change, author, at))) throw notFound('Réponse');
  return reply;
}
