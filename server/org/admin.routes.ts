/** Platform administration: /admin/organisations (admin role only). */
import { Router } from 'express';
import type { Deps } from '../deps';
import { flash } from '../http/flash';
import { input, validate } from '../http/validate';
import { requireAuth, requireRole } from '../auth/policies';
import { organisationSchema } from './org.schemas';
import * as svc from './org.service';
import * as store from './org.store';
import { HOLIDAY_ZONES } from '../campaigns/calendar/holidays';

const zoneOptions = HOLIDAY_ZONES.map((z) => ({ value: z.zone, label: z.label }));
const zoneLabel = new Map(HOLIDAY_ZONES.map((z) => [z.zone as string, z.label]));

export function adminRouter(deps: Deps): Router {
  const r = Router();
  const guard = [requireAuth, requireRole('admin')];
  const view = async () => ({
    title: 'Organisations',
    zoneOptions,
    organisations: (await store.listOrganisations(deps.db)).map((o) => ({ ...o, zoneLabel: zoneLabel.get(o.holidayZone) ?? o.holidayZone })),
  });
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
