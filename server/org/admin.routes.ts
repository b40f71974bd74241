/** Platform administration: /admin/organisations (admin role only). */
import { Router } from 'express';
import type { Deps } from '../deps';
import { flash } from '../http/flash';
import { input, validate } from '../http/validate';
import { requireAuth, requireRole } from '../auth/policies';
import { organisationSchema } from './org.schemas';
import * as svc from './org.service';
import * as store from './org.store';

export function adminRouter(deps: Deps): Router {
  const r = Router();
  const guard = [requireAuth, requireRole('admin')];
  const view = async () => ({ title: 'Organisations', organisations: await store.listOrganisations(deps.db) });
  r.get('/admin/organisations', ...guard, async (_req, res) => {
    res.render('admin/organisations', { ...(await view()), values: {}, errors: {} });
  });
  r.post('/admin/organisations', ...guard, validate(organisationSchema, { view: 'admin/organisations', viewModel: view }), async (req, res) => {
    await svc.createOrganisation(deps, input(req, organisationSchema));
    flash(res, 'success', 'L’organisation est créée.');
    res.redirect(303, '/admin/organisations');
  });
  return r;
}
