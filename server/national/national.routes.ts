/**
 * The national pages (issue 18), for the `national` role only (the DGSCGC / ministry team):
 * /national (organisations × key figures, sortable, with the network's median and quartiles),
 * /national/organisations/:code (one organisation against the network, read-only),
 * /national/export.csv and .xlsx, and GET /api/v1/national (the same figures in JSON). Every route is a
 * read: the national role writes nothing anywhere. /resultats/reseau shows an organisation's
 * referents and viewers their own figures against the network (medians only, no other name). The phone round's pages are in round.routes.ts.
 */
import { Router } from 'express';
import type { Deps } from '../deps';
import { input, validate } from '../http/validate';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import { CONTENT_TYPES, attachment, writeExport, type ExportFormat } from '../reports/export-stream';
import { nationalQuerySchema } from './national.schemas';
import { nationalExport, nationalJson, nationalTable, organisationAgainstNetwork } from './national.service';

export function nationalRouter(deps: Deps): Router {
  const r = Router();
  const guard = [requireAuth, requireRole('national')];
  r.get('/national', ...guard, validate(nationalQuerySchema, { source: 'query' }), async (req, res) => {
    const model = await nationalTable(deps, input(req, nationalQuerySchema));
    res.render('national/dashboard', { title: `Vue nationale : ${model.quarter.label}`, ...model });
  });
  for (const format of ['csv', 'xlsx'] as ExportFormat[]) {
    r.get(`/national/export.${format}`, ...guard, validate(nationalQuerySchema, { source: 'query' }), async (req, res) => {
      const { filename, spec } = await nationalExport(deps, input(req, nationalQuerySchema), format);
      res.status(200).set({ 'Content-Type': CONTENT_TYPES[format], 'Content-Disposition': attachment(filename), 'Cache-Control': 'no-store' });
      await writeExport(format, res, spec);
    });
  }
  r.get('/national/organisations/:code', ...guard, validate(nationalQuerySchema, { source: 'query' }), async (req, res) => {
    const model = await organisationAgainstNetwork(deps, String(req.params.code), input(req, nationalQuerySchema).trimestre);
    res.render('national/organisation', { title: `${model.org.name} face au réseau : ${model.quarter.label}`, ...model, own: false });
  });
  // The same page for the organisation's own referents and viewers: their figures against the network's.
  r.get('/resultats/reseau', requireAuth, requireRole('referent', 'viewer'), validate(nationalQuerySchema, { source: 'query' }), async (req, res) => {
    orgOf(req);
    const model = await organisationAgainstNetwork(deps, principal(req).orgCode ?? '', input(req, nationalQuerySchema).trimestre);
    res.render('national/organisation', { title: `Votre préfecture face au réseau : ${model.quarter.label}`, ...model, own: true });
  });
  return r;
}

export function nationalApiRouter(deps: Deps): Router {
  const r = Router();
  r.get('/national', requireAuth, requireRole('national'), validate(nationalQuerySchema, { source: 'query' }), async (req, res) => {
    res.json(await nationalJson(deps, input(req, nationalQuerySchema)));
  });
  return r;
}
