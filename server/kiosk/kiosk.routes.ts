/**
 * Kiosk management pages: /bornes. Referents enrol, rename, move, pause, resume and revoke
 * kiosks and regenerate their links; viewers read the list. Another organisation's kiosk
 * reads as 404.
 */
import { Router, type Request } from 'express';
import type { Deps } from '../deps';
import { formatDateTime, formatNumber } from '../format';
import { CONFIRM, confirmFirst } from '../http/confirm';
import { flash } from '../http/flash';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import * as orgStore from '../org/org.store';
import { countAnswersByKiosk } from '../surveys/responses.service';
import { languageNames, kioskLanguage } from '../surveys/languages';
import { getSurvey, listKioskForms } from '../surveys/surveys.service';
import type { KioskStatus } from '../storage/schema';
import { kioskCreateSchema, kioskUpdateSchema } from './kiosk.schemas';
import * as svc from './kiosk.service';
import * as store from './kiosk.store';

export const KIOSK_STATUS_LABELS: Record<KioskStatus, string> = { active: 'En service', paused: 'En pause', revoked: 'Révoquée' };
const STATUS_BADGES: Record<KioskStatus, string> = { active: 'fr-badge--success', paused: 'fr-badge--warning', revoked: 'fr-badge--error' };

export function kioskRouter(deps: Deps): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];
  const manage = [requireAuth, requireRole('referent')];

  const surveyOptions = () => listKioskForms(deps, 'kiosk').map((s) => ({ value: s.id, label: s.title }));
  const localeOptions = () => {
    const codes = [...new Set(listKioskForms(deps, 'kiosk').flatMap((s) => [...s.locales]))];
    return codes.map((c) => ({ value: c, label: kioskLanguage(c).name, lang: c, dir: kioskLanguage(c).dir }));
  };
  const siteOptions = async (orgId: string) => (await orgStore.listSites(deps.db, orgId)).map((s) => ({ value: s.id, label: s.name }));
  const baseUrl = (req: Request) => deps.config.PUBLIC_URL ?? `${req.protocol}://${req.get('host')}`;

  const listView = async (req: Request) => {
    const orgId = orgOf(req);
    const kiosks = await store.listKiosks(deps.db, orgId);
    const counts = await countAnswersByKiosk(deps, orgId, kiosks.map((k) => k.id));
    return {
      title: 'Bornes',
      canManage: principal(req).role === 'referent',
      surveys: surveyOptions(),
      sites: await siteOptions(orgId),
      localeOptions: localeOptions(),
      kiosks: kiosks.map((k) => ({
        id: k.id,
        name: k.name,
        siteName: k.siteName,
        surveyTitle: getSurvey(deps, k.surveyId)?.title ?? k.surveyId,
        languages: languageNames(k.locales),
        status: k.status,
        statusLabel: KIOSK_STATUS_LABELS[k.status],
        statusBadge: STATUS_BADGES[k.status],
        lastAnswerAt: k.lastAnswerAt ? formatDateTime(k.lastAnswerAt) : 'jamais',
        lastSeenAt: k.lastSeenAt ? formatDateTime(k.lastSeenAt) : 'jamais',
        queued: formatNumber(k.queuedReported),
        parked: formatNumber(k.parkedReported),
        hasParked: k.parkedReported > 0,
        answers: formatNumber(counts.get(k.id) ?? 0),
        confirmRevoke: CONFIRM.revokeKiosk(k.name),
        confirmLink: CONFIRM.newKioskLink(k.name),
      })),
    };
  };

  r.get('/bornes', ...read, async (req, res) => {
    res.render('kiosk/bornes', { ...(await listView(req)), values: { inactivitySeconds: 60 }, errors: {} });
  });

  const linkView = async (req: Request, kiosk: { id: string; name: string }, token: string, created: boolean) => {
    const url = `${baseUrl(req)}${svc.kioskPath(token)}`;
    return { title: created ? 'Borne créée' : 'Nouveau lien de la borne', kiosk, url, qrSvg: await svc.qrCodeSvg(url), created };
  };

  r.post('/bornes', ...manage, validate(kioskCreateSchema, { view: 'kiosk/bornes', viewModel: listView }), async (req, res) => {
    const { kiosk, token } = await svc.createKiosk(deps, orgOf(req), input(req, kioskCreateSchema));
    // The link holds the kiosk's secret: shown once, here, for the referent to open on the tablet.
    res.status(201).render('kiosk/borne-lien', await linkView(req, kiosk, token, true));
  });

  const editView = async (req: Request) => {
    const orgId = orgOf(req);
    const kiosk = await svc.requireKiosk(deps, orgId, uuidParam(req));
    const survey = getSurvey(deps, kiosk.surveyId);
    return {
      title: 'Modifier la borne',
      kiosk: { id: kiosk.id, name: kiosk.name, status: kiosk.status, statusLabel: KIOSK_STATUS_LABELS[kiosk.status], surveyTitle: survey?.title ?? kiosk.surveyId },
      sites: await siteOptions(orgId),
      localeOptions: (survey?.locales ?? kiosk.locales).map((c) => ({ value: c, label: kioskLanguage(c).name, lang: c, dir: kioskLanguage(c).dir })),
    };
  };
  r.get('/bornes/:id', ...manage, async (req, res) => {
    const vm = await editView(req);
    const k = await svc.requireKiosk(deps, orgOf(req), uuidParam(req));
    res.render('kiosk/borne-edit', { ...vm, values: { name: k.name, siteId: k.siteId, locales: k.locales, inactivitySeconds: k.inactivitySeconds }, errors: {} });
  });
  r.post('/bornes/:id', ...manage, validate(kioskUpdateSchema, { view: 'kiosk/borne-edit', viewModel: editView }), async (req, res) => {
    await svc.updateKiosk(deps, orgOf(req), uuidParam(req), input(req, kioskUpdateSchema));
    flash(res, 'success', 'La borne est modifiée.');
    res.redirect(303, '/bornes');
  });

  const statusAction = (action: (orgId: string, id: string) => Promise<boolean>, done: string, refused: string) =>
    async (req: Request, res: import('express').Response) => {
      const ok = await action(orgOf(req), uuidParam(req));
      flash(res, ok ? 'success' : 'error', ok ? done : refused);
      res.redirect(303, '/bornes');
    };
  r.post('/bornes/:id/pause', ...manage, statusAction((o, i) => svc.pauseKiosk(deps, o, i), 'La borne est en pause.', 'Seule une borne en service peut être mise en pause.'));
  r.post('/bornes/:id/reprendre', ...manage, statusAction((o, i) => svc.resumeKiosk(deps, o, i), 'La borne est de nouveau en service.', 'Seule une borne en pause peut reprendre.'));
  // Irreversible or disruptive: asked first (a modal with JavaScript, a page without).
  const kioskConfirm = (text: (name: string) => Omit<import('../http/confirm').Confirmation, 'cancelHref'>) => confirmFirst(async (req) => {
    const k = await svc.requireKiosk(deps, orgOf(req), uuidParam(req));
    return { ...text(k.name), cancelHref: '/bornes' };
  });
  r.post('/bornes/:id/revoquer', ...manage, kioskConfirm(CONFIRM.revokeKiosk), statusAction((o, i) => svc.revokeKiosk(deps, o, i), 'La borne est révoquée : son lien ne fonctionne plus.', 'Cette borne est déjà révoquée.'));

  r.post('/bornes/:id/lien', ...manage, kioskConfirm(CONFIRM.newKioskLink), async (req, res) => {
    const result = await svc.regenerateLink(deps, orgOf(req), uuidParam(req));
    if (!result) {
      flash(res, 'error', 'Une borne révoquée ne peut pas recevoir de nouveau lien.');
      return res.redirect(303, '/bornes');
    }
    res.render('kiosk/borne-lien', await linkView(req, result.kiosk, result.token, false));
  });

  return r;
}
