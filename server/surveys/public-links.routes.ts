/**
 * Public web links: /liens-publics (referents manage, viewers read) and the anonymous pages
 * /avis/:slug and POST /avis/:slug/reponses (no session, no cookie, no CSRF, rate-limited per
 * visitor with a daily-rotating HMAC of the address).
 */
import { surveyPageInfo } from '../compliance/compliance.service';
import { Router, type Request } from 'express';
import QRCode from 'qrcode';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { notFound } from '../errors';
import { formatDate } from '../format';
import { flash } from '../http/flash';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import * as orgStore from '../org/org.store';
import { publicLinkSchema } from './public-links.schemas';
import * as svc from './public-links.service';
import { SUBMISSION_BODY_LIMIT, jsonBody, withRetryAfter } from './submission-http';
import { buildSurveyPage, outOfServicePage } from './survey-page';
import { ensureCurrentVersion, getSurvey, listKioskForms, surveyKind } from './surveys.service';

export function publicLinksRouter(deps: Deps): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];
  const manage = [requireAuth, requireRole('referent')];
  const baseUrl = (req: Request) => deps.config.PUBLIC_URL ?? `${req.protocol}://${req.get('host')}`;

  const listView = async (req: Request) => {
    const orgId = orgOf(req);
    const links = await svc.listLinks(deps, orgId);
    return {
      title: 'Liens publics',
      canManage: principal(req).role === 'referent',
      surveys: listKioskForms(deps, 'web').map((s) => ({ value: s.id, label: s.title })),
      sites: [{ value: '', label: 'Aucun site en particulier' }, ...(await orgStore.listSites(deps.db, orgId)).map((s) => ({ value: s.id, label: s.name }))],
      links: links.map((l) => ({
        id: l.id,
        url: `${baseUrl(req)}/avis/${l.slug}`,
        // For the prefecture's website: a plain link (the survey page refuses to be framed).
        snippet: (() => {
          const entry = getSurvey(deps, l.surveyId);
          const lead = entry && surveyKind(entry) === 'complaint' ? 'Déposer une suggestion ou une réclamation' : `Donnez votre avis sur notre accueil : ${entry?.title ?? 'questionnaire'}`;
          return `<a href="${baseUrl(req)}/avis/${l.slug}">${lead}</a>`;
        })(),
        surveyTitle: getSurvey(deps, l.surveyId)?.title ?? l.surveyId,
        siteName: l.siteName ?? '–',
        active: l.active,
        createdAt: formatDate(l.createdAt),
      })),
    };
  };

  // QR code of a link, to print or to put on the website (PNG or SVG).
  r.get('/liens-publics/:id/qr.:format', ...read, async (req, res) => {
    const format = String(req.params.format);
    if (format !== 'svg' && format !== 'png') throw notFound('Code QR');
    const link = (await svc.listLinks(deps, orgOf(req))).find((l) => l.id === req.params.id);
    if (!link) throw notFound('Lien public');
    const url = `${baseUrl(req)}/avis/${link.slug}`;
    const options = { errorCorrectionLevel: 'M' as const, margin: 2, width: 512 };
    res.set('Content-Disposition', `attachment; filename="qr-${link.slug}.${format}"`);
    if (format === 'svg') res.type('image/svg+xml').send(await QRCode.toString(url, { ...options, type: 'svg' }));
    else res.type('image/png').send(await QRCode.toBuffer(url, { ...options, type: 'png' }));
  });
  r.get('/liens-publics', ...read, async (req, res) => {
    res.render('surveys/liens-publics', { ...(await listView(req)), values: {}, errors: {} });
  });
  r.post('/liens-publics', ...manage, validate(publicLinkSchema, { view: 'surveys/liens-publics', viewModel: listView }), async (req, res) => {
    await svc.createLink(deps, orgOf(req), input(req, publicLinkSchema));
    flash(res, 'success', 'Le lien public est créé.');
    res.redirect(303, '/liens-publics');
  });
  r.post('/liens-publics/:id/desactiver', ...manage, async (req, res) => {
    await svc.setLinkActive(deps, orgOf(req), uuidParam(req), false);
    flash(res, 'success', 'Le lien est désactivé.');
    res.redirect(303, '/liens-publics');
  });
  r.post('/liens-publics/:id/activer', ...manage, async (req, res) => {
    await svc.setLinkActive(deps, orgOf(req), uuidParam(req), true);
    flash(res, 'success', 'Le lien est de nouveau actif.');
    res.redirect(303, '/liens-publics');
  });

  // The anonymous side -------------------------------------------------------------------------
  r.get('/avis/:slug', async (req, res) => {
    const slug = String(req.params.slug);
    const link = await svc.requireActiveLink(deps, slug).catch((err: unknown) => {
      if (err instanceof AppError && err.status === 404) return null;
      throw err;
    });
    if (!link) {
      // A visitor never reaches the back office: a neutral sentence, no link, no error code.
      res.set({ 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex' });
      return res.status(404).render('kiosk/hors-service', outOfServicePage('web'));
    }
    const survey = getSurvey(deps, link.surveyId)!;
    await ensureCurrentVersion(deps, survey);
    res.set({ 'Cache-Control': 'no-cache' });
    res.locals.surveyInfo = await surveyPageInfo(deps, link.orgId); // compliance: footer links
    res.render('kiosk/kiosque', buildSurveyPage({
      mode: 'web',
      queueScope: `web:${link.id}`,
      survey,
      locales: survey.locales,
      inactivitySeconds: 0,
      status: 'active',
      submitUrl: `/avis/${slug}/reponses`,
    }));
  });
  return r;
}

/** A visitor's answer set through a public link, mounted ahead of the page plumbing (see routes.ts). */
export function publicSubmissionRouter(deps: Deps): Router {
  const r = Router();
  r.post('/avis/:slug/reponses', jsonBody(SUBMISSION_BODY_LIMIT), async (req, res) => {
    // req.ip only feeds the HMAC of the rate-limit key: it is never stored or logged.
    const outcome = await svc.submitFromWeb(deps, String(req.params.slug), req.ip ?? '', req.body).catch(withRetryAfter(res));
    res.status(outcome === 'created' ? 201 : 200).json({ id: String(req.body.id).toLowerCase(), status: outcome });
  });
  return r;
}
