/**
 * Pages of a French public service's obligations: the public legal pages (accessibility
 * statement, legal notices, personal data; linked from every page's footer) and the referent's
 * compliance area (settings, statement versions, processing register, rights requests).
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Deps } from '../deps';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import { input, validate } from '../http/validate';
import { flash } from '../http/flash';
import { notFound } from '../errors';
import { buildCsv } from './register-csv';
import { attachment } from '../reports/export-stream';
import { renderPdf, selfOrigin } from '../reports/pdf';
import * as svc from './compliance.service';
import * as rights from './rights.service';
import { settingsSchema, statementSchema } from './compliance.schemas';

const STATUS_OPTIONS = [
  { value: 'non', label: 'Non conforme (moins de 50 % des critères, ou pas d’audit)' },
  { value: 'partiel', label: 'Partiellement conforme (de 50 % à moins de 100 %)' },
  { value: 'total', label: 'Totalement conforme (100 %)' },
];

function renderView(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => res.app.render(view, { ...res.locals, ...locals }, (err, html) => (err ? reject(err) : resolve(html))));
}

/** Sets `res.locals.footer` for the signed-in user's organisation (public pages set their own). */
export function footerLocals(deps: Deps) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (!req.wantsJson) {
      const p = req.principal;
      res.locals.footer = await svc.footerModel(deps, { id: p?.orgId ?? null, code: p?.orgCode ?? null });
    }
    next();
  };
}

export function complianceRouter(deps: Deps): Router {
  const r = Router();
  const org = (req: Request) => svc.pageOrg(deps, req.params.code === undefined ? undefined : String(req.params.code), req.principal?.orgId);
  const withFooter = async (res: Response, o: svc.PageOrg) => {
    res.locals.footer = await svc.footerModel(deps, o);
  };

  // Public pages ------------------------------------------------------------------------------
  r.get('/accessibilite{/:code}', async (req, res) => {
    const o = await org(req);
    await withFooter(res, o);
    res.render('compliance/accessibilite', { title: 'Déclaration d’accessibilité', m: await svc.statementModel(deps, o) });
  });
  r.get('/accessibilite/:code/versions/:version', async (req, res) => {
    const version = Number(req.params.version);
    if (!Number.isInteger(version) || version < 1 || version > 1e6) throw notFound('Version de la déclaration');
    const o = await org(req);
    await withFooter(res, o);
    res.render('compliance/accessibilite', { title: 'Déclaration d’accessibilité', m: await svc.statementModel(deps, o, version) });
  });
  r.get('/mentions-legales{/:code}', async (req, res) => {
    const o = await org(req);
    await withFooter(res, o);
    res.render('compliance/mentions-legales', { title: 'Mentions légales', m: await svc.legalNoticeModel(deps, o) });
  });
  r.get('/donnees-personnelles{/:code}', async (req, res) => {
    const o = await org(req);
    await withFooter(res, o);
    res.render('compliance/donnees-personnelles', { title: 'Données personnelles', m: await svc.noticesModel(deps, o) });
  });

  // The referent's compliance area ------------------------------------------------------------
  const manage = [requireAuth, requireRole('referent')];
  const settingsView = async (req: Request) => ({ title: 'Conformité', statusOptions: STATUS_OPTIONS, m: await svc.settingsModel(deps, orgOf(req)) });

  r.get('/conformite', ...manage, async (req, res) => {
    const view = await settingsView(req);
    res.render('compliance/conformite', { ...view, values: { ...view.m.settings, ...view.m.statement }, errors: {} });
  });
  r.post('/conformite/reglages', ...manage, validate(settingsSchema(), { view: 'compliance/conformite', viewModel: settingsView }), async (req, res) => {
    await svc.saveSettings(deps, orgOf(req), principal(req).userId, input(req, settingsSchema()));
    flash(res, 'success', 'Les réglages sont enregistrés ; les pages légales et le registre les reprennent.');
    res.redirect(303, '/conformite');
  });
  r.post('/conformite/declaration', ...manage, validate(statementSchema, { view: 'compliance/conformite', viewModel: settingsView }), async (req, res) => {
    const p = principal(req);
    const version = await svc.saveStatement(deps, orgOf(req), { id: p.userId, name: p.displayName }, input(req, statementSchema));
    flash(res, 'success', `La déclaration d’accessibilité est publiée (version ${version}).`);
    res.redirect(303, '/conformite');
  });

  r.get('/conformite/registre', ...manage, async (req, res) => {
    res.render('compliance/registre', { title: 'Registre des activités de traitement', m: await svc.registerModel(deps, orgOf(req)), forPdf: false });
  });
  r.get('/conformite/registre.csv', ...manage, async (req, res) => {
    const m = await svc.registerModel(deps, orgOf(req));
    res.type('text/csv; charset=utf-8').set('Content-Disposition', attachment(`Registre des traitements ${m.org.code}.csv`)).send(buildCsv(m.rows));
  });
  r.get('/conformite/registre.pdf', ...manage, async (req, res) => {
    const m = await svc.registerModel(deps, orgOf(req));
    const html = await renderView(res, 'compliance/registre', { title: 'Registre des activités de traitement', m, forPdf: true });
    const pdf = await renderPdf(html, { chromiumPath: deps.config.CHROMIUM_PATH, baseUrl: selfOrigin(req.socket) });
    res.type('application/pdf').set('Content-Disposition', attachment(`Registre des traitements ${m.org.code}.pdf`)).send(pdf);
  });

  // Rights requests ---------------------------------------------------------------------------
  const actor = (req: Request) => ({ id: principal(req).userId, name: principal(req).displayName });
  const rightsView = async (req: Request) => ({ title: 'Demandes d’exercice des droits', result: null, history: await rights.history(deps, orgOf(req)), query: '' });

  r.get('/conformite/droits', ...manage, async (req, res) => {
    res.render('compliance/droits', { ...(await rightsView(req)), values: {}, errors: {} });
  });
  r.get('/conformite/droits/recherche', ...manage, validate(rights.subjectQuerySchema, { source: 'query', view: 'compliance/droits', viewModel: rightsView }), async (req, res) => {
    const q = input(req, rights.subjectQuerySchema);
    const result = await rights.search(deps, orgOf(req), actor(req), q);
    const query = new URLSearchParams(Object.entries(q).filter(([, v]) => v) as [string, string][]).toString();
    res.render('compliance/droits', { ...(await rightsView(req)), result, query, values: q, errors: {} });
  });
  r.get('/conformite/droits/export.json', ...manage, validate(rights.subjectQuerySchema, { source: 'query' }), async (req, res) => {
    const data = await rights.exportData(deps, orgOf(req), actor(req), input(req, rights.subjectQuerySchema));
    res.set('Content-Disposition', attachment('donnees-personnelles.json')).type('application/json').send(JSON.stringify(data, null, 2));
  });
  r.get('/conformite/droits/export.pdf', ...manage, validate(rights.subjectQuerySchema, { source: 'query' }), async (req, res) => {
    const data = await rights.exportData(deps, orgOf(req), actor(req), input(req, rights.subjectQuerySchema));
    const html = await renderView(res, 'compliance/droits-export', { data, orgName: principal(req).orgName });
    const pdf = await renderPdf(html, { chromiumPath: deps.config.CHROMIUM_PATH, baseUrl: selfOrigin(req.socket) });
    res.type('application/pdf').set('Content-Disposition', attachment('donnees-personnelles.pdf')).send(pdf);
  });
  r.post('/conformite/droits/effacer', ...manage, validate(rights.subjectQuerySchema, { view: 'compliance/droits', viewModel: rightsView }), async (req, res) => {
    const counts = await rights.erase(deps, orgOf(req), actor(req), input(req, rights.subjectQuerySchema));
    const n = Object.values(counts).reduce((a, b) => a + b, 0);
    flash(res, 'success', `Effacement fait : ${n} élément(s) effacé(s) ou anonymisé(s). L’action est enregistrée.`);
    res.redirect(303, '/conformite/droits');
  });
  return r;
}
