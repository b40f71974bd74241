/**
 * JSON API of mystery e-mail campaigns under /api/v1 (Bearer token or session; same roles and
 * tenancy as the pages): campaigns, their results, probes with their replies, mailboxes (never
 * their passwords). Another organisation's object reads as 404.
 */
import { Router } from 'express';
import type { Deps } from '../deps';
import { notFound } from '../errors';
import { uuidParam } from '../http/params';
import { orgOf, requireAuth, requireRole } from '../auth/policies';
import * as service from './campaign.service';
import * as store from './campaign.store';
import { probeJson, resultsJson, settingsOf } from './campaign.views';
import * as mailboxService from './mailbox.service';
import * as mailboxStore from './mailbox.store';
import * as replyStore from './reply.store';

const mailboxJson = (m: mailboxStore.MailboxRow) => ({
  id: m.id, displayName: m.displayName, address: m.address,
  smtp: { host: m.smtpHost, port: m.smtpPort, security: m.smtpSecurity, user: m.smtpUser, passwordSet: !!m.smtpPasswordSealed },
  imap: { host: m.imapHost, port: m.imapPort, tls: m.imapTls, user: m.imapUser, passwordSet: !!m.imapPasswordSealed, inboxFolder: m.inboxFolder, sentFolder: m.sentFolder },
  serverSavesSent: m.serverSavesSent, plusAddressing: m.plusAddressing,
  lastCheck: m.lastCheckAt ? { at: m.lastCheckAt, ok: m.lastCheckOk, message: m.lastCheckMessage } : null,
});

const campaignJson = (c: store.CampaignRow) => ({
  id: c.id, name: c.name, mode: c.mode, status: c.status, mailboxId: c.mailboxId, periodStart: c.periodStart, periodEnd: c.periodEnd,
  launchedAt: c.launchedAt, closedAt: c.closedAt, lastAnalysedAt: c.lastAnalysedAt, purgedAt: c.purgedAt,
});

export function campaignApiRouter(deps: Deps): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];
  const manage = [requireAuth, requireRole('referent')];

  r.get('/boites-mysteres', ...manage, async (req, res) => {
    res.json({ mailboxes: (await mailboxStore.listMailboxes(deps.db, orgOf(req))).map(mailboxJson) });
  });
  r.get('/boites-mysteres/:id', ...manage, async (req, res) => {
    res.json(mailboxJson(await mailboxService.requireMailbox(deps, orgOf(req), uuidParam(req))));
  });

  r.get('/campagnes-courriel', ...read, async (req, res) => {
    res.json({ campaigns: (await store.listCampaigns(deps.db, orgOf(req))).map(campaignJson) });
  });
  r.get('/campagnes-courriel/:id', ...read, async (req, res) => {
    const orgId = orgOf(req);
    const c = await service.requireCampaign(deps, orgId, uuidParam(req));
    const [targets, questions] = await Promise.all([store.listTargets(deps.db, orgId, c.id), store.listQuestions(deps.db, orgId, c.id)]);
    res.json({
      ...campaignJson(c), settings: settingsOf(c, deps.config.MIN_CELL_SIZE),
      targets: targets.map((t) => ({ id: t.id, serviceId: t.serviceId, service: t.serviceName, address: t.address })),
      questions: questions.map((q) => ({ id: q.id, category: q.category, subject: q.subject, body: q.body })),
    });
  });
  r.get('/campagnes-courriel/:id/resultats', ...read, async (req, res) => {
    const results = await service.campaignResults(deps, orgOf(req), uuidParam(req));
    res.json(resultsJson(results, deps.config.MIN_CELL_SIZE));
  });
  r.get('/campagnes-courriel/:id/messages', ...read, async (req, res) => {
    const results = await service.campaignResults(deps, orgOf(req), uuidParam(req));
    const outcome = new Map(results.outcomes.map((o) => [o.probeId, o]));
    res.json({ probes: results.probes.map((p) => probeJson(p, outcome.get(p.id))) });
  });
  r.get('/campagnes-courriel/:id/messages/:probeId', ...read, async (req, res) => {
    const orgId = orgOf(req);
    const results = await service.campaignResults(deps, orgId, uuidParam(req));
    const probeId = uuidParam(req, 'probeId');
    const probe = results.probes.find((p) => p.id === probeId);
    if (!probe) throw notFound('Message mystère');
    const replies = await replyStore.listProbeReplies(deps.db, orgId, probe.id);
    const corrections = await replyStore.listCorrections(deps.db, orgId, replies.map((x) => x.id));
    res.json({
      ...probeJson(probe, results.outcomes.find((o) => o.probeId === probe.id)),
      body: probe.body,
      replies: replies.map((x) => ({
        id: x.id, receivedAt: x.receivedAt, from: x.fromAddress, subject: x.subject, class: x.replyClass, detectedClass: x.detectedClass,
        matchMethod: x.matchMethod, signature: x.signature, anonymityJustified: x.anonymityJustified, text: x.text, malformed: x.malformed,
        corrections: corrections.filter((k) => k.replyId === x.id).map((k) => ({ field: k.field, before: k.before, after: k.after, by: k.userName, at: k.createdAt })),
      })),
    });
  });
  return r;
}
