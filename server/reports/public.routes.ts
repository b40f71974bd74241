/**
 * The public results page of an organisation that opted in: /nos-resultats/<code>, read-only,
 * no login, a stable address for the prefecture's website. It shows the published report's
 * figures, charts and improvements — never the referent's comments, never visitors' free text.
 */
import { footerFor } from '../compliance/compliance.service';
import { Router } from 'express';
import type { Deps } from '../deps';
import { notFound } from '../errors';
import { formatDate } from '../format';
import type { ReportModel } from './report.model';
import { publicMethods, publicSections } from './public-page';
import * as svc from './report.service';
import * as store from './report.store';
import { defaultSources, type ReportSources } from './sources';

/**
 * Lets any website frame this response: helmet's policy with frame-ancestors * instead of
 * 'none', and no X-Frame-Options. Only for the read-only public page (no session, no form).
 */
export function allowFraming(res: import('express').Response) {
  const csp = String(res.getHeader('Content-Security-Policy') ?? '');
  res.setHeader('Content-Security-Policy', csp.replace(/frame-ancestors [^;]*/, 'frame-ancestors *'));
  res.removeHeader('X-Frame-Options');
}

/** The model without anything written for internal readers. */
export function publicModel(m: ReportModel): ReportModel {
  return { ...m, sections: m.sections.map((s) => ({ ...s, blocks: s.blocks.map((b) => ({ ...b, comment: '', findings: null })) })) };
}

export function publicReportRouter(deps: Deps, sources: ReportSources = defaultSources(deps)): Router {
  const r = Router();
  const page = async (req: import('express').Request, res: import('express').Response, embedded: boolean) => {
    const code = String(req.params.code);
    if (!/^[0-9A-Za-z]{2,3}$/.test(code)) throw notFound('Page');
    const found = await store.findPublishedByCode(deps.db, code.toUpperCase());
    if (!found) throw notFound('Page');
    const m = publicModel(await svc.buildReport(deps, found.org.id, found.report, sources));
    res.locals.footer = await footerFor(deps, found.org.id); // compliance: this organisation's legal pages
    if (embedded) allowFraming(res);
    res.render('reports/public', {
      title: `Nos résultats – ${m.org.name}`, m, sections: publicSections(m), methods: publicMethods(m), publishedAtLabel: formatDate(found.publishedAt), embedded,
    });
  };
  r.get('/nos-resultats/:code', (req, res) => page(req, res, false));
  // The same page for an <iframe> on the prefecture's website (issue 14): the only route any
  // site may frame; every other page keeps frame-ancestors 'none'.
  r.get('/nos-resultats/:code/integre', (req, res) => page(req, res, true));
  return r;
}
