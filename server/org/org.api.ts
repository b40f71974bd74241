/**
 * JSON API of one organisation, under /api/v1 (Bearer token or session, same roles and
 * tenancy as the pages): the organisation, its sites and services.
 */
import { Router } from 'express';
import type { Deps } from '../deps';
import { notFound } from '../errors';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import { orgOf, requireAuth, requireRole } from '../auth/policies';
import { serviceSchema, siteSchema } from './org.schemas';
import * as svc from './org.service';
import * as store from './org.store';

const siteJson = (s: store.SiteRow) => ({ id: s.id, name: s.name, kind: s.kind, address: s.address, createdAt: s.createdAt });
const serviceJson = (s: store.ServiceRow) => ({ id: s.id, name: s.name, emails: s.emails, phones: s.phones, categories: s.categories, createdAt: s.createdAt });

export function orgApiRouter(deps: Deps): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];
  const manage = [requireAuth, requireRole('referent')];

  r.get('/organisation', requireAuth, requireRole('referent', 'viewer', 'evaluator'), async (req, res) => {
    const org = await store.getOrg(deps.db, orgOf(req));
    if (!org) throw notFound();
    res.json({ id: org.id, code: org.code, name: org.name, holidayZone: org.holidayZone, role: req.principal!.role });
  });

  r.get('/sites', ...read, async (req, res) => {
    res.json({ sites: (await store.listSites(deps.db, orgOf(req))).map(siteJson) });
  });
  r.post('/sites', ...manage, validate(siteSchema), async (req, res) => {
    res.status(201).json(siteJson(await store.insertSite(deps.db, orgOf(req), input(req, siteSchema))));
  });
  r.get('/sites/:id', ...read, async (req, res) => {
    res.json(siteJson(await svc.requireSite(deps, orgOf(req), uuidParam(req))));
  });
  r.put('/sites/:id', ...manage, validate(siteSchema), async (req, res) => {
    res.json(siteJson(await svc.updateSite(deps, orgOf(req), uuidParam(req), input(req, siteSchema))));
  });
  r.delete('/sites/:id', ...manage, async (req, res) => {
    await svc.deleteSite(deps, orgOf(req), uuidParam(req));
    res.status(204).end();
  });

  r.get('/services', ...read, async (req, res) => {
    res.json({ services: (await store.listServices(deps.db, orgOf(req))).map(serviceJson) });
  });
  r.post('/services', ...manage, validate(serviceSchema), async (req, res) => {
    res.status(201).json(serviceJson(await store.insertService(deps.db, orgOf(req), input(req, serviceSchema))));
  });
  r.get('/services/:id', ...read, async (req, res) => {
    res.json(serviceJson(await svc.requireService(deps, orgOf(req), uuidParam(req))));
  });
  r.put('/services/:id', ...manage, validate(serviceSchema), async (req, res) => {
    res.json(serviceJson(await svc.updateService(deps, orgOf(req), uuidParam(req), input(req, serviceSchema))));
  });
  r.delete('/services/:id', ...manage, async (req, res) => {
    await svc.deleteService(deps, orgOf(req), uuidParam(req));
    res.status(204).end();
  });
  return r;
}
