/**
 * Pages of mystery e-mail campaigns: /campagnes-courriel (list, creation), /:id (live
 * follow-up: settings, question bank, probes and their timeline), /:id/resultats (the seed's
 * table), /:id/messages/:probeId (a probe and its replies), /:id/reponses/:replyId (one
 * reply), corrections by the referent. Referents manage; viewers read.
 */
import { simpleParser } from 'mailparser';
import { Router, type Request } from 'express';
import type { Deps } from '../deps';
import { notFound } from '../errors';
import { formatDateTime, plural } from '../format';
import { CONFIRM, confirmFirst, type Confirmation } from '../http/confirm';
import { flash } from '../http/flash';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import * as orgStore from '../org/org.store';
import { HOLIDAY_ZONES } from './calendar/holidays';
import { REPLY_CLASSES, type ReplyClass } from './classification/reply-classifier';
import { SIGNATURE_ITEMS } from './classification/signature';
import {
  CATEGORY_LABELS, CLASS_LABELS, MODE_LABELS, QUESTION_CATEGORIES, SIGNATURE_LABELS, campaignSchema, correctionSchema, questionSchema,
} from './campaign.schemas';
import * as service from './campaign.service';
import * as store from './campaign.store';
import { STATUS_LABELS, indicatorRows, probeRow, resultsJson, settingsOf } from './campaign.views';
import * as mailboxStore from './mailbox.store';
import * as replyService from './reply.service';
import * as replyStore from './reply.store';
import { readingLine } from './tracking/sync-outcome';

const MATCH_LABELS: Record<string, string> = {
  'in-reply-to': 'réponse au message (In-Reply-To)', references: 'fil de discussion (References)', 'bounce-message-id': 'rapport de non-distribution',
  token: 'repère du message', 'bounce-recipient': 'adresse en échec', subject: 'objet, domaine et date',
};

export function campaignRouter(deps: Deps): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];
  const manage = [requireAuth, requireRole('referent')];
  const canManage = (req: Request) => principal(req).role === 'referent';

  r.get('/campagnes-courriel', ...read, async (req, res) => {
    const list = await store.listCampaigns(deps.db, orgOf(req));
    res.render('campaigns/index', {
      title: 'Courriels mystères',
      canManage: canManage(req),
      campaigns: list.map((c) => ({ id: c.id, name: c.name, mode: MODE_LABELS[c.mode], status: STATUS_LABELS[c.status], period: settingsOf(c, 0).period })),
    });
  });

  // Creation ------------------------------------------------------------------------------------
  const newView = async (req: Request) => {
    const orgId = orgOf(req);
    const [mailboxes, services] = await Promise.all([mailboxStore.listMailboxes(deps.db, orgId), orgStore.listServices(deps.db, orgId)]);
    return {
      title: 'Nouvelle campagne de courriels mystères',
      mailboxes: [{ value: '', label: '— Choisir —' }, ...mailboxes.map((m) => ({ value: m.id, label: `${m.displayName} <${m.address}>` }))],
      modes: Object.entries(MODE_LABELS).map(([value, label]) => ({ value, label })),
      zones: HOLIDAY_ZONES.map((z) => ({ value: z.zone, label: z.label })),
      targets: services.flatMap((s) => s.emails.map((e) => ({ value: `${s.id}|${e}`, label: `${s.name} – ${e}` }))),
      signatureItems: SIGNATURE_ITEMS.map((k) => ({ value: k, label: SIGNATURE_LABELS[k] })),
    };
  };
  const many = (v: unknown) => (Array.isArray(v) ? v : v ? [v] : []) as string[];
  r.get('/campagnes-courriel/nouvelle', ...manage, async (req, res) => {
    const org = await orgStore.getOrg(deps.db, orgOf(req));
    res.render('campaigns/new', {
      ...(await newView(req)), errors: {}, many,
      values: { mode: 'send', probesPerService: 1, windowStart: '09:00', windowEnd: '17:00', deadlineDays: 5, holidayZone: org?.holidayZone ?? 'metropole', retentionDays: 365, signatureChecklist: [...SIGNATURE_ITEMS], defaultQuestions: 'on', variables: 'commune = Annecy; Thonon-les-Bains; Annemasse' },
    });
  });
  r.post('/campagnes-courriel', ...manage, validate(campaignSchema, { view: 'campaigns/new', viewModel: async (req) => ({ ...(await newView(req)), many }) }), async (req, res) => {
    const c = await service.createCampaign(deps, orgOf(req), principal(req).userId, input(req, campaignSchema));
    flash(res, 'success', 'La campagne est créée. Vérifiez la banque de questions, puis lancez-la.');
    res.redirect(303, `/campagnes-courriel/${c.id}`);
  });

  // Follow-up -----------------------------------------------------------------------------------
  const questionsLine = (fit: service.TargetFit | undefined) => !fit ? null : fit.fallback
    ? { fallback: true, text: 'Questions générales : la banque n’a aucune question des sujets que traite ce service (à déclarer dans Organisation › Services).' }
    : { fallback: false, text: `Questions sur : ${fit.categories.map((k) => CATEGORY_LABELS[k as keyof typeof CATEGORY_LABELS] ?? k).join(', ')}.` };
  const showView = async (req: Request) => {
    const orgId = orgOf(req);
    const results = await service.campaignResults(deps, orgId, uuidParam(req));
    const c = results.campaign;
    const [questions, mailbox, fits] = await Promise.all([store.listQuestions(deps.db, orgId, c.id), mailboxStore.getMailbox(deps.db, orgId, c.mailboxId), service.targetsFit(deps, orgId, c.id)]);
    const fitOf = new Map(fits.map((f) => [f.targetId, f]));
    const outcome = new Map(results.outcomes.map((o) => [o.probeId, o]));
    const unmatched = canManage(req) ? await replyStore.listUnmatchedReplies(deps.db, orgId, c.mailboxId, new Date(`${c.periodStart}T00:00:00Z`), 50) : [];
    return {
      title: c.name,
      canManage: canManage(req),
      campaign: { id: c.id, name: c.name, status: c.status, statusLabel: STATUS_LABELS[c.status], mode: c.mode, launchedAt: c.launchedAt ? formatDateTime(c.launchedAt) : null, lastAnalysedAt: c.lastAnalysedAt ? formatDateTime(c.lastAnalysedAt) : null, purged: !!c.purgedAt },
      mailbox: mailbox ? `${mailbox.displayName} <${mailbox.address}>` : '',
      reading: mailbox ? readingLine(mailbox, deps.clock.now()) : null,
      sendError: mailbox?.sendErrorAt ? `Envoi impossible depuis le ${formatDateTime(mailbox.sendErrorAt)} : ${mailbox.sendErrorMessage ?? 'cause inconnue'} Les messages prévus échouent tant que ce n’est pas corrigé.` : null,
      confirmations: { launch: CONFIRM.launchCampaign(c.name, c.mode), close: CONFIRM.closeCampaign(c.name), remove: CONFIRM.deleteCampaign(c.name) },
      settings: settingsOf(c, deps.config.MIN_CELL_SIZE),
      targets: results.targets.map((t) => ({ service: t.serviceName, address: t.address, questions: c.mode === 'send' ? questionsLine(fitOf.get(t.id)) : null })),
      questions: questions.map((q) => ({ id: q.id, category: CATEGORY_LABELS[q.category as keyof typeof CATEGORY_LABELS] ?? q.category, subject: q.subject, body: q.body, example: service.questionExample(mailbox?.displayName, c.variables, q) })),
      categories: QUESTION_CATEGORIES.map((k) => ({ value: k, label: CATEGORY_LABELS[k] })),
      probes: results.probes.map((p) => probeRow(p, outcome.get(p.id))),
      counts: results.metrics.overall,
      countsLine: countsLine(results.metrics.overall),
      unmatched: unmatched.map((u) => ({ id: u.id, receivedAt: formatDateTime(u.receivedAt), from: u.fromAddress ?? '', subject: u.subject ?? '', class: CLASS_LABELS[u.replyClass as ReplyClass] ?? u.replyClass })),
    };
  };
  r.get('/campagnes-courriel/:id', ...read, async (req, res) => {
    res.render('campaigns/show', { ...(await showView(req)), values: {}, errors: {} });
  });
  r.post('/campagnes-courriel/:id/questions', ...manage, validate(questionSchema, { view: 'campaigns/show', viewModel: showView }), async (req, res) => {
    await service.addQuestion(deps, orgOf(req), uuidParam(req), input(req, questionSchema));
    flash(res, 'success', 'La question est ajoutée.');
    res.redirect(303, `/campagnes-courriel/${uuidParam(req)}#questions`);
  });
  const questionEditView = async (req: Request) => {
    const q = await service.requireQuestion(deps, orgOf(req), uuidParam(req), uuidParam(req, 'questionId'));
    return { title: 'Modifier la question', campaignId: uuidParam(req), questionId: q.id, categories: QUESTION_CATEGORIES.map((k) => ({ value: k, label: CATEGORY_LABELS[k] })) };
  };
  r.get('/campagnes-courriel/:id/questions/:questionId', ...manage, async (req, res) => {
    const q = await service.requireQuestion(deps, orgOf(req), uuidParam(req), uuidParam(req, 'questionId'));
    res.render('campaigns/question-edit', { ...(await questionEditView(req)), values: { category: q.category, subject: q.subject, body: q.body }, errors: {} });
  });
  r.post('/campagnes-courriel/:id/questions/:questionId', ...manage, validate(questionSchema, { view: 'campaigns/question-edit', viewModel: questionEditView }), async (req, res) => {
    req.form = { view: 'campaigns/question-edit', params: { ...req.params }, viewModel: questionEditView };
    await service.editQuestion(deps, orgOf(req), uuidParam(req), uuidParam(req, 'questionId'), input(req, questionSchema));
    flash(res, 'success', 'La question est modifiée.');
    res.redirect(303, `/campagnes-courriel/${uuidParam(req)}#questions`);
  });
  r.post('/campagnes-courriel/:id/questions/:questionId/supprimer', ...manage, async (req, res) => {
    req.form = { view: 'campaigns/show', params: { ...req.params }, viewModel: showView };
    await service.removeQuestion(deps, orgOf(req), uuidParam(req), uuidParam(req, 'questionId'));
    flash(res, 'success', 'La question est retirée.');
    res.redirect(303, `/campagnes-courriel/${uuidParam(req)}#questions`);
  });
  const action = (path: string, run: (orgId: string, id: string) => Promise<unknown>, message: string, ask?: (c: store.CampaignRow) => Omit<Confirmation, 'cancelHref'>) => {
    const confirm = ask ? [confirmFirst(async (req) => {
      const c = await service.requireCampaign(deps, orgOf(req), uuidParam(req));
      return { ...ask(c), cancelHref: `/campagnes-courriel/${c.id}` };
    })] : [];
    r.post(`/campagnes-courriel/:id/${path}`, ...manage, ...confirm, async (req, res) => {
      req.form = { view: 'campaigns/show', params: { ...req.params }, viewModel: showView };
      await run(orgOf(req), uuidParam(req));
      flash(res, 'success', message);
      res.redirect(303, path === 'supprimer' ? '/campagnes-courriel' : `/campagnes-courriel/${uuidParam(req)}`);
    });
  };
  action('lancer', (orgId, id) => service.launchCampaign(deps, orgId, id), 'La campagne est lancée.', (c) => CONFIRM.launchCampaign(c.name, c.mode));
  action('analyser', (orgId, id) => service.reanalyse(deps, orgId, id), 'L’analyse de la boîte est relancée : les chiffres seront à jour dans quelques instants.');
  action('clore', (orgId, id) => service.closeCampaign(deps, orgId, id), 'La campagne est close : les messages encore prévus ne partiront pas.', (c) => CONFIRM.closeCampaign(c.name));
  action('supprimer', (orgId, id) => service.deleteDraft(deps, orgId, id), 'La campagne est supprimée.', (c) => CONFIRM.deleteCampaign(c.name));

  // Results -------------------------------------------------------------------------------------
  r.get('/campagnes-courriel/:id/resultats', ...read, async (req, res) => {
    const results = await service.campaignResults(deps, orgOf(req), uuidParam(req));
    const json = resultsJson(results, deps.config.MIN_CELL_SIZE);
    res.render('campaigns/results', {
      title: `Résultats – ${results.campaign.name}`,
      campaign: { id: results.campaign.id, name: results.campaign.name },
      settings: json.settings,
      counts: results.metrics.overall,
      countsLine: countsLine(results.metrics.overall),
      rows: indicatorRows(results.metrics.overall, results.campaign.deadlineDays),
      services: results.metrics.services.map((s) => ({ name: s.serviceName, rows: indicatorRows(s, results.campaign.deadlineDays), delivered: s.delivered, deliveredLine: plural(s.delivered, 'message distribué', 'messages distribués') })),
      bounces: json.bounces.map((b) => ({ ...b, receivedAt: b.receivedAt ? formatDateTime(b.receivedAt) : '–' })),
    });
  });

  // A probe and its replies; one reply ----------------------------------------------------------
  const replyView = async (req: Request, replies: replyStore.ReplyRow[], probes: store.ProbeRow[]) => {
    const orgId = orgOf(req);
    const corrections = await replyStore.listCorrections(deps.db, orgId, replies.map((x) => x.id));
    return replies.map((x) => ({
      id: x.id, receivedAt: formatDateTime(x.receivedAt), from: x.fromAddress ?? '', subject: x.subject ?? '', text: x.text ?? '', fullText: x.fullText ?? '',
      purged: !!x.purgedAt, malformed: x.malformed,
      replyClass: x.replyClass, classLabel: CLASS_LABELS[x.replyClass as ReplyClass] ?? x.replyClass,
      detectedLabel: CLASS_LABELS[x.detectedClass as ReplyClass] ?? x.detectedClass, corrected: x.replyClass !== x.detectedClass,
      match: x.matchMethod ? MATCH_LABELS[x.matchMethod] ?? x.matchMethod : 'non rattachée', probeId: x.probeId ?? '',
      signature: x.signature ? SIGNATURE_ITEMS.map((k) => ({ key: k, label: SIGNATURE_LABELS[k], present: !!(x.signature as Record<string, boolean>)[k] })) : null,
      anonymityJustified: x.anonymityJustified,
      bounce: x.bounceDiagnostic,
      corrections: corrections.filter((k) => k.replyId === x.id).map((k) => ({ field: k.field, by: k.userName, at: formatDateTime(k.createdAt), summary: correctionSummary(k.field, k.before, k.after) })),
    })).map((v) => ({ ...v, probeOptions: [{ value: '', label: '— Aucun (non rattachée) —' }, ...probes.map((p) => ({ value: p.id, label: `${p.toAddress} – ${p.subject}` }))] }));
  };
  const classOptions = REPLY_CLASSES.map((k) => ({ value: k, label: CLASS_LABELS[k] }));

  // « Aperçu des messages » of a draft: every probe a launch now would send, as composed.
  r.get('/campagnes-courriel/:id/apercu', ...read, async (req, res) => {
    const orgId = orgOf(req);
    const c = await service.requireCampaign(deps, orgId, uuidParam(req));
    const previews = await service.previewProbes(deps, orgId, c.id);
    res.render('campaigns/preview', {
      title: `Aperçu des messages – ${c.name}`,
      campaign: { id: c.id, name: c.name, draft: c.status === 'draft', send: c.mode === 'send' },
      probes: previews.map((p) => ({ ...p, plannedAt: formatDateTime(p.plannedAt) })),
    });
  });
  r.get('/campagnes-courriel/:id/messages/:probeId', ...read, async (req, res) => {
    const orgId = orgOf(req);
    const results = await service.campaignResults(deps, orgId, uuidParam(req));
    const probe = results.probes.find((p) => p.id === uuidParam(req, 'probeId'));
    if (!probe) throw notFound('Message mystère');
    const o = results.outcomes.find((x) => x.probeId === probe.id);
    // The page shows the message from the bytes that left (decoded), and those bytes themselves.
    const sent = probe.sentRaw ? await simpleParser(probe.sentRaw).catch(() => null) : null;
    res.render('campaigns/probe', {
      title: `Message mystère – ${probe.subject}`,
      canManage: canManage(req), classOptions, campaign: { id: results.campaign.id, name: results.campaign.name },
      probe: { ...probeRow(probe, o), body: probe.body },
      sent: probe.sentRaw ? {
        from: sent?.from?.text ?? '', to: sent ? [sent.to ?? []].flat().map((a) => a.text).join(', ') : '', replyTo: sent?.replyTo?.text ?? '',
        subject: sent?.subject ?? '', date: sent?.date ? formatDateTime(sent.date) : '', text: sent?.text ?? '', source: probe.sentRaw.toString('utf8'),
      } : null,
      replies: await replyView(req, await replyStore.listProbeReplies(deps.db, orgId, probe.id), results.probes),
    });
  });
  r.get('/campagnes-courriel/:id/reponses/:replyId', ...manage, async (req, res) => {
    const orgId = orgOf(req);
    const c = await service.requireCampaign(deps, orgId, uuidParam(req));
    const reply = await replyService.requireReply(deps, orgId, uuidParam(req, 'replyId'));
    if (reply.mailboxId !== c.mailboxId) throw notFound('Réponse');
    const probes = await store.listProbes(deps.db, orgId, c.id);
    res.render('campaigns/reply', {
      title: 'Message reçu', canManage: true, classOptions, campaign: { id: c.id, name: c.name },
      replies: await replyView(req, [reply], probes),
    });
  });
  r.post('/campagnes-courriel/:id/reponses/:replyId/corriger', ...manage, validate(correctionSchema), async (req, res) => {
    const orgId = orgOf(req);
    const c = await service.requireCampaign(deps, orgId, uuidParam(req));
    const reply = await replyService.requireReply(deps, orgId, uuidParam(req, 'replyId'));
    if (reply.mailboxId !== c.mailboxId) throw notFound('Réponse');
    const v = input(req, correctionSchema);
    await replyService.correctReply(deps, orgId, principal(req), reply.id, v);
    flash(res, 'success', 'La correction est enregistrée ; les chiffres sont recalculés.');
    const probeId = v.field === 'probe' ? v.probeId || null : reply.probeId;
    res.redirect(303, probeId ? `/campagnes-courriel/${c.id}/messages/${probeId}` : `/campagnes-courriel/${c.id}/reponses/${reply.id}`);
  });
  return r;
}

/** « 10 messages envoyés, dont 9 distribués et 1 revenu en erreur » through the one plural helper. */
function countsLine(c: { sent: number; delivered: number; bounced: number }) {
  return { sent: plural(c.sent, 'message envoyé', 'messages envoyés'), delivered: plural(c.delivered, 'distribué', 'distribués'), bounced: plural(c.bounced, 'revenu en erreur', 'revenus en erreur') };
}

function correctionSummary(field: string, before: unknown, after: unknown): string {
  switch (field) {
    case 'class': return `classe : ${CLASS_LABELS[before as ReplyClass] ?? before} → ${CLASS_LABELS[after as ReplyClass] ?? after}`;
    case 'probe': return after ? 'rattachée à un autre message mystère' : 'détachée de son message mystère';
    case 'anonymity': return after ? 'anonymat justifié' : 'anonymat non justifié';
    case 'signature': {
      const b = (before ?? {}) as Record<string, boolean>;
      const a = (after ?? {}) as Record<string, boolean>;
      const changed = SIGNATURE_ITEMS.filter((k) => !!b[k] !== !!a[k]).map((k) => `${SIGNATURE_LABELS[k].toLowerCase()} ${a[k] ? 'présent' : 'absent'}`);
      return `signature : ${changed.join(', ') || 'inchangée'}`;
    }
    default: return field;
  }
}
