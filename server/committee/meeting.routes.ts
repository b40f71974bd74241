/**
 * Pages of committee meetings: the list, a meeting's form (date, kind, participants by
 * category, agenda, the dossier's period and bilan), a meeting's page with its PDF
 * attachments and the suggestions recorded after it, « Préparer le dossier » (one PDF) and
 * the draft of the minutes (DOCX). Referents edit; viewers read and download.
 */
import { Router, type Request, type Response } from 'express';
import type { Deps } from '../deps';
import { formatDate, plural } from '../format';
import { flash } from '../http/flash';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import { parisDateOf } from '../campaigns/calendar/working-days';
import { attachment } from '../reports/export-stream';
import { pdfAvailable, selfOrigin } from '../reports/pdf';
import { periodLabel } from '../reports/period';
import { renderView } from '../reports/report.routes';
import * as reportStore from '../reports/report.store';
import * as orgStore from '../org/org.store';
import { MEETING_KINDS, PARTICIPANT_CATEGORIES } from '../storage/schema';
import { DOSSIER_SECTIONS } from './dossier-sections';
import { buildDossier, dossierContents, meetingSentences } from './dossier.service';
import { minutesDocx, minutesTitle } from './minutes.docx';
import { CATEGORY_LABELS, DEFAULT_AGENDA, KIND_LABELS, MAX_ATTACHMENTS, attachmentSchema, meetingSchema, suggestionSchema } from './meeting.schemas';
import * as svc from './meeting.service';
import * as store from './meeting.store';

export const BASE = '/comites';
const kinds = MEETING_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }));

/** Paths of the attachment upload form (multipart, parsed in app.ts before the CSRF check). */
export const isAttachmentUpload = (p: string) => /^\/comites\/[0-9a-f-]{36}\/pieces-jointes$/i.test(p);

function formValues(m: store.MeetingRow) {
  const byCategory = Object.fromEntries(PARTICIPANT_CATEGORIES.map((c) => [c, m.participants.filter((p) => p.category === c).map((p) => p.name).join('\n')]));
  return { heldOn: m.heldOn, kind: m.kind, agenda: m.agenda.join('\n'), periodStart: m.periodStart, periodEnd: m.periodEnd, reportId: m.reportId ?? '', ...byCategory };
}

export function committeeRouter(deps: Deps): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];
  const manage = [requireAuth, requireRole('referent')];
  const today = () => parisDateOf(deps.clock.now());

  r.get(BASE, ...read, async (req, res) => {
    const list = await store.listMeetings(deps.db, orgOf(req));
    res.render('committee/index', {
      title: 'Comités', canManage: principal(req).role === 'referent',
      meetings: list.map((m) => ({ id: m.id, title: svc.meetingTitle(m), period: periodLabel({ from: m.periodStart, to: m.periodEnd }), participants: plural(m.participants.length, 'participant') })),
    });
  });

  const formView = async (req: Request) => ({
    kinds, categories: PARTICIPANT_CATEGORIES.map((c) => ({ name: c, label: CATEGORY_LABELS[c] })),
    reports: [{ value: '', label: '— bilan établi pour la période du dossier —' }, ...(await reportStore.listReports(deps.db, orgOf(req))).map((x) => ({ value: x.id, label: `${x.title} (${periodLabel({ from: x.periodStart, to: x.periodEnd })})` }))],
  });
  const newView = async (req: Request) => ({ title: 'Nouvelle réunion', ...(await formView(req)), action: `${BASE}/nouveau` });
  r.get(`${BASE}/nouveau`, ...manage, async (req, res) => {
    const t = today();
    // The dossier's default period: 1 January to the end of the last complete month.
    const lastMonthEnd = new Date(Date.UTC(Number(t.slice(0, 4)), Number(t.slice(5, 7)) - 1, 0)).toISOString().slice(0, 10);
    const from = `${lastMonthEnd.slice(0, 4)}-01-01`;
    res.render('committee/edit', { ...(await newView(req)), values: { heldOn: t, kind: 'clu', agenda: DEFAULT_AGENDA.clu.join('\n'), periodStart: from, periodEnd: lastMonthEnd }, errors: {} });
  });
  r.post(`${BASE}/nouveau`, ...manage, validate(meetingSchema, { view: 'committee/edit', viewModel: newView }), async (req, res) => {
    const m = await svc.createMeeting(deps, orgOf(req), principal(req).userId, input(req, meetingSchema));
    flash(res, 'success', 'La réunion est enregistrée : ajoutez les pièces du dossier puis préparez-le.');
    res.redirect(303, `${BASE}/${m.id}`);
  });

  const editView = async (req: Request) => {
    const m = await svc.requireMeeting(deps, orgOf(req), uuidParam(req));
    return { title: `Modifier : ${svc.meetingTitle(m)}`, ...(await formView(req)), action: `${BASE}/${m.id}/modifier` };
  };
  r.get(`${BASE}/:id/modifier`, ...manage, async (req, res) => {
    const m = await svc.requireMeeting(deps, orgOf(req), uuidParam(req));
    res.render('committee/edit', { ...(await editView(req)), values: formValues(m), errors: {} });
  });
  r.post(`${BASE}/:id/modifier`, ...manage, validate(meetingSchema, { view: 'committee/edit', viewModel: editView }), async (req, res) => {
    const id = uuidParam(req);
    await svc.updateMeeting(deps, orgOf(req), id, input(req, meetingSchema));
    flash(res, 'success', 'La réunion est mise à jour.');
    res.redirect(303, `${BASE}/${id}`);
  });

  const showView = async (req: Request) => {
    const orgId = orgOf(req);
    const m = await svc.requireMeeting(deps, orgId, uuidParam(req));
    const [attachments, suggestions, report] = await Promise.all([
      store.listAttachments(deps.db, orgId, m.id), store.listSuggestions(deps.db, orgId, m.id),
      m.reportId ? reportStore.getReport(deps.db, orgId, m.reportId) : undefined,
    ]);
    return {
      title: svc.meetingTitle(m), id: m.id, canManage: principal(req).role === 'referent', pdfReady: pdfAvailable(deps.config.CHROMIUM_PATH),
      kind: KIND_LABELS[m.kind], date: formatDate(m.heldOn), period: periodLabel({ from: m.periodStart, to: m.periodEnd }),
      bilan: report ? report.title : 'Bilan établi pour la période du dossier',
      participants: PARTICIPANT_CATEGORIES.map((c) => ({ label: CATEGORY_LABELS[c], names: m.participants.filter((p) => p.category === c).map((p) => p.name) })).filter((c) => c.names.length),
      agenda: m.agenda,
      sectionsCount: DOSSIER_SECTIONS.length,
      attachments: attachments.map((a) => ({ id: a.id, title: a.title, filename: a.filename, size: `${plural(a.pages, 'page')}, ${(a.bytes / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 0 })} Ko` })),
      maxAttachments: MAX_ATTACHMENTS,
      suggestions: suggestions.map((s) => ({ id: s.id, text: s.text, actionId: s.actionId })),
    };
  };
  r.get(`${BASE}/:id`, ...read, async (req, res) => {
    res.render('committee/show', { ...(await showView(req)), values: {}, errors: {} });
  });

  r.post(`${BASE}/:id/pieces-jointes`, ...manage, validate(attachmentSchema, { view: 'committee/show', viewModel: showView }), async (req, res) => {
    const id = uuidParam(req);
    await svc.addAttachment(deps, orgOf(req), id, input(req, attachmentSchema).title, req.file);
    flash(res, 'success', 'La pièce jointe est ajoutée au dossier.');
    res.redirect(303, `${BASE}/${id}`);
  });
  r.post(`${BASE}/:id/pieces-jointes/:pid/supprimer`, ...manage, async (req, res) => {
    const id = uuidParam(req);
    await svc.removeAttachment(deps, orgOf(req), id, uuidParam(req, 'pid'));
    flash(res, 'success', 'La pièce jointe est retirée du dossier.');
    res.redirect(303, `${BASE}/${id}`);
  });

  r.post(`${BASE}/:id/suggestions`, ...manage, validate(suggestionSchema, { view: 'committee/show', viewModel: showView }), async (req, res) => {
    const id = uuidParam(req);
    await svc.addSuggestion(deps, orgOf(req), id, input(req, suggestionSchema).text);
    flash(res, 'success', 'La suggestion est enregistrée.');
    res.redirect(303, `${BASE}/${id}`);
  });
  r.post(`${BASE}/:id/suggestions/:sid/action`, ...manage, async (req, res) => {
    const action = await svc.suggestionToAction(deps, orgOf(req), uuidParam(req), uuidParam(req, 'sid'), principal(req).userId);
    flash(res, 'success', 'La suggestion est inscrite au plan d’actions : précisez le service pilote et l’échéance.');
    res.redirect(303, `/plan-actions/${action.id}`);
  });

  r.get(`${BASE}/:id/dossier.pdf`, ...read, async (req, res: Response) => {
    const { pdf, filename } = await buildDossier(deps, orgOf(req), uuidParam(req), (view, locals) => renderView(res, view, locals), { chromiumPath: deps.config.CHROMIUM_PATH, baseUrl: selfOrigin(req.socket) });
    res.type('application/pdf').set({ 'Content-Disposition': attachment(filename), 'Cache-Control': 'no-store' }).send(pdf);
  });

  r.get(`${BASE}/:id/compte-rendu.docx`, ...read, async (req, res) => {
    const orgId = orgOf(req);
    const m = await svc.requireMeeting(deps, orgId, uuidParam(req));
    const [org, sentences, suggestions, attachments] = await Promise.all([
      orgStore.getOrg(deps.db, orgId), meetingSentences(deps, orgId, m), store.listSuggestions(deps.db, orgId, m.id), store.listAttachments(deps.db, orgId, m.id),
    ]);
    const docx = await minutesDocx({
      orgName: org?.name ?? '', meeting: m, sentences, suggestions: suggestions.map((s) => s.text),
      contents: await dossierContents(deps, orgId, m, attachments),
    });
    res.type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
      .set({ 'Content-Disposition': attachment(`${minutesTitle(m)}.docx`.replace(/[\\/:*?"<>|’]+/g, '-')), 'Cache-Control': 'no-store' }).send(docx);
  });
  return r;
}
