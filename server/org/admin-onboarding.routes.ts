/**
 * Platform administration of one organisation: /admin/organisations/:id — rename, change its
 * holiday zone, deactivate (its users are signed out, its data kept) or reactivate, and invite
 * its first referent (the invitation link is shown once, as referents do for their users).
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Deps } from '../deps';
import { notFound } from '../errors';
import { formatDateTime } from '../format';
import { confirmFirst } from '../http/confirm';
import { flash } from '../http/flash';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import * as auth from '../auth/auth.service';
import * as authStore from '../auth/auth.store';
import { requireAuth, requireRole, principal } from '../auth/policies';
import { HOLIDAY_ZONES } from '../campaigns/calendar/holidays';
import { organisationSchema } from './org.schemas';
import * as store from './org.store';

const zoneOptions = HOLIDAY_ZONES.map((z) => ({ value: z.zone, label: z.label }));
const renameSchema = organisationSchema.pick({ name: true, holidayZone: true });
const firstReferentSchema = z.object({ email: z.string().trim().toLowerCase().email('Saisissez une adresse électronique valide.') });

export function adminOnboardingRouter(deps: Deps): Router {
  const r = Router();
  const guard = [requireAuth, requireRole('admin')];
  const requireOrg = async (req: Request) => {
    const org = await store.getOrg(deps.db, uuidParam(req));
    if (!org) throw notFound('Organisation');
    return org;
  };
  const view = async (req: Request) => {
    const org = await requireOrg(req);
    const members = await authStore.listUsers(deps.db, org.id);
    const pending = await authStore.listPendingInvitations(deps.db, org.id, deps.clock.now());
    return {
      title: org.name, zoneOptions,
      org: { id: org.id, code: org.code, name: org.name, active: !org.deactivatedAt, deactivatedAt: org.deactivatedAt ? formatDateTime(org.deactivatedAt) : null },
      referents: members.filter((u) => u.role === 'referent').map((u) => ({ name: u.displayName, email: u.email, active: u.active })),
      pending: pending.filter((i) => i.role === 'referent').map((i) => ({ email: i.email, expiresAt: formatDateTime(i.expiresAt) })),
      deactivate: { title: `Désactiver l’organisation « ${org.name} » ?`, body: 'Ses utilisateurs sont déconnectés et ne peuvent plus se connecter ; ses jetons d’API cessent de fonctionner. Ses données sont conservées et l’organisation peut être réactivée.', confirmLabel: 'Désactiver l’organisation' },
    };
  };
  const render = async (req: Request, extra: Record<string, unknown> = {}) => {
    const vm = await view(req);
    return { ...vm, values: { name: vm.org.name, holidayZone: (await requireOrg(req)).holidayZone }, errors: {}, invitationLink: null, ...extra };
  };

  r.get('/admin/organisations/:id', ...guard, async (req, res) => {
    res.render('admin/organisation', await render(req));
  });
  r.post('/admin/organisations/:id', ...guard, validate(renameSchema, { view: 'admin/organisation', viewModel: async (req) => ({ ...(await view(req)), invitationLink: null }) }), async (req, res) => {
    const org = await requireOrg(req);
    const v = input(req, renameSchema);
    await store.updateOrganisation(deps.db, org.id, { name: v.name, holidayZone: v.holidayZone });
    flash(res, 'success', 'L’organisation est modifiée.');
    res.redirect(303, `/admin/organisations/${org.id}`);
  });
  r.post('/admin/organisations/:id/desactiver', ...guard, confirmFirst(async (req) => ({ ...(await view(req)).deactivate, cancelHref: `/admin/organisations/${uuidParam(req)}` })), async (req, res) => {
    const org = await requireOrg(req);
    await store.updateOrganisation(deps.db, org.id, { deactivatedAt: deps.clock.now() });
    flash(res, 'success', `L’organisation « ${org.name} » est désactivée.`);
    res.redirect(303, `/admin/organisations/${org.id}`);
  });
  r.post('/admin/organisations/:id/reactiver', ...guard, async (req, res) => {
    const org = await requireOrg(req);
    await store.updateOrganisation(deps.db, org.id, { deactivatedAt: null });
    flash(res, 'success', `L’organisation « ${org.name} » est réactivée.`);
    res.redirect(303, `/admin/organisations/${org.id}`);
  });
  r.post('/admin/organisations/:id/referent', ...guard, validate(firstReferentSchema, { view: 'admin/organisation', viewModel: async (req) => ({ ...(await view(req)), invitationLink: null }) }), async (req, res) => {
    const org = await requireOrg(req);
    const token = await auth.invite(deps, org.id, principal(req).userId, input(req, firstReferentSchema).email, 'referent');
    const base = deps.config.PUBLIC_URL ?? `${req.protocol}://${req.get('host')}`;
    // Shown once, for the administrator to send to the future referent.
    res.status(201).render('admin/organisation', await render(req, { invitationLink: `${base}/invitation/${token}` }));
  });
  return r;
}
