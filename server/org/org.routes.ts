/**
 * Pages of one organisation: /organisation/sites, /organisation/services,
 * /organisation/utilisateurs. Referents manage; viewers read sites and services.
 */
import { Router, type Request } from 'express';
import type { Deps } from '../deps';
import { flash } from '../http/flash';
import { CONFIRM, confirmFirst } from '../http/confirm';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import { formatDateTime } from '../format';
import * as auth from '../auth/auth.service';
import * as authStore from '../auth/auth.store';
import { ROLE_LABELS, orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import { SITE_KINDS } from '../storage/schema';
import { SERVICE_CATEGORIES, SITE_KIND_LABELS, inviteSchema, serviceSchema, siteSchema, userUpdateSchema } from './org.schemas';
import { CATEGORY_LABELS, type QuestionCategory } from '../campaigns/campaign.schemas';
import * as svc from './org.service';
import * as store from './org.store';

const siteKinds = SITE_KINDS.map((k) => ({ value: k, label: SITE_KIND_LABELS[k] }));
const categoryOptions = SERVICE_CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }));
const categoriesLine = (list: string[]) => list.length ? list.map((c) => CATEGORY_LABELS[c as QuestionCategory] ?? c).join(', ') : 'Questions générales';
const assignableRoles = (['referent', 'viewer', 'evaluator'] as const).map((r) => ({ value: r, label: ROLE_LABELS[r] }));

export function orgRouter(deps: Deps): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];
  const manage = [requireAuth, requireRole('referent')];

  // Sites ---------------------------------------------------------------------------------------
  const sitesView = async (req: Request) => ({
    title: 'Sites d’accueil',
    canManage: principal(req).role === 'referent',
    siteKinds,
    sites: (await store.listSites(deps.db, orgOf(req))).map((s) => ({ ...s, kindLabel: SITE_KIND_LABELS[s.kind] })),
  });
  r.get('/organisation/sites', ...read, async (req, res) => {
    res.render('org/sites', { ...(await sitesView(req)), values: {}, errors: {} });
  });
  r.post('/organisation/sites', ...manage, validate(siteSchema, { view: 'org/sites', viewModel: sitesView }), async (req, res) => {
    await store.insertSite(deps.db, orgOf(req), input(req, siteSchema));
    flash(res, 'success', 'Le site est ajouté.');
    res.redirect(303, '/organisation/sites');
  });
  const siteEditView = async (req: Request) => ({ title: 'Modifier le site', siteKinds, site: await svc.requireSite(deps, orgOf(req), uuidParam(req)) });
  r.get('/organisation/sites/:id', ...manage, async (req, res) => {
    const vm = await siteEditView(req);
    res.render('org/site-edit', { ...vm, values: vm.site, errors: {} });
  });
  r.post('/organisation/sites/:id', ...manage, validate(siteSchema, { view: 'org/site-edit', viewModel: siteEditView }), async (req, res) => {
    await svc.updateSite(deps, orgOf(req), uuidParam(req), input(req, siteSchema));
    flash(res, 'success', 'Le site est modifié.');
    res.redirect(303, '/organisation/sites');
  });
  r.post('/organisation/sites/:id/supprimer', ...manage, confirmFirst(async (req) => ({
    ...CONFIRM.deleteSite((await svc.requireSite(deps, orgOf(req), uuidParam(req))).name), cancelHref: `/organisation/sites/${uuidParam(req)}`,
  })), async (req, res) => {
    await svc.deleteSite(deps, orgOf(req), uuidParam(req));
    flash(res, 'success', 'Le site est supprimé.');
    res.redirect(303, '/organisation/sites');
  });

  // Services ------------------------------------------------------------------------------------
  const servicesView = async (req: Request) => ({
    title: 'Services',
    canManage: principal(req).role === 'referent',
    services: (await store.listServices(deps.db, orgOf(req))).map((s) => ({ ...s, categoriesLine: categoriesLine(s.categories) })),
    categoryOptions,
  });
  r.get('/organisation/services', ...read, async (req, res) => {
    res.render('org/services', { ...(await servicesView(req)), values: {}, errors: {} });
  });
  r.post('/organisation/services', ...manage, validate(serviceSchema, { view: 'org/services', viewModel: servicesView }), async (req, res) => {
    await store.insertService(deps.db, orgOf(req), input(req, serviceSchema));
    flash(res, 'success', 'Le service est ajouté.');
    res.redirect(303, '/organisation/services');
  });
  const serviceEditView = async (req: Request) => ({ title: 'Modifier le service', service: await svc.requireService(deps, orgOf(req), uuidParam(req)), categoryOptions });
  r.get('/organisation/services/:id', ...manage, async (req, res) => {
    const vm = await serviceEditView(req);
    res.render('org/service-edit', { ...vm, values: { name: vm.service.name, emails: vm.service.emails.join('\n'), phones: vm.service.phones.join('\n'), categories: vm.service.categories }, errors: {} });
  });
  r.post('/organisation/services/:id', ...manage, validate(serviceSchema, { view: 'org/service-edit', viewModel: serviceEditView }), async (req, res) => {
    await svc.updateService(deps, orgOf(req), uuidParam(req), input(req, serviceSchema));
    flash(res, 'success', 'Le service est modifié.');
    res.redirect(303, '/organisation/services');
  });
  r.post('/organisation/services/:id/supprimer', ...manage, confirmFirst(async (req) => ({
    ...CONFIRM.deleteService((await svc.requireService(deps, orgOf(req), uuidParam(req))).name), cancelHref: `/organisation/services/${uuidParam(req)}`,
  })), async (req, res) => {
    await svc.deleteService(deps, orgOf(req), uuidParam(req));
    flash(res, 'success', 'Le service est supprimé.');
    res.redirect(303, '/organisation/services');
  });

  // Members and invitations ---------------------------------------------------------------------
  const usersView = async (req: Request) => {
    const orgId = orgOf(req);
    const [members, pending] = await Promise.all([
      authStore.listUsers(deps.db, orgId),
      authStore.listPendingInvitations(deps.db, orgId, deps.clock.now()),
    ]);
    return {
      title: 'Utilisateurs',
      roles: assignableRoles,
      members: members.map((u) => ({
        id: u.id, displayName: u.displayName, email: u.email, roleLabel: ROLE_LABELS[u.role], active: u.active,
        lastLoginAt: u.lastLoginAt ? formatDateTime(u.lastLoginAt) : 'jamais',
      })),
      pending: pending.map((i) => ({ email: i.email, roleLabel: ROLE_LABELS[i.role], expiresAt: formatDateTime(i.expiresAt) })),
      invitationLink: null as string | null,
    };
  };
  r.get('/organisation/utilisateurs', ...manage, async (req, res) => {
    res.render('org/users', { ...(await usersView(req)), values: {}, errors: {} });
  });
  r.post('/organisation/utilisateurs', ...manage, validate(inviteSchema, { view: 'org/users', viewModel: usersView }), async (req, res) => {
    const v = input(req, inviteSchema);
    const token = await auth.invite(deps, orgOf(req), principal(req).userId, v.email, v.role);
    const base = deps.config.PUBLIC_URL ?? `${req.protocol}://${req.get('host')}`;
    // The link is shown once to the referent, who sends it to the person invited.
    res.status(201).render('org/users', { ...(await usersView(req)), invitationLink: `${base}/invitation/${token}`, values: {}, errors: {} });
  });
  const userEditView = async (req: Request) => ({ title: 'Modifier l’utilisateur', roles: assignableRoles, member: await svc.requireMember(deps, orgOf(req), uuidParam(req)) });
  r.get('/organisation/utilisateurs/:id', ...manage, async (req, res) => {
    const vm = await userEditView(req);
    res.render('org/user-edit', { ...vm, values: { role: vm.member.role, active: vm.member.active }, errors: {} });
  });
  r.post('/organisation/utilisateurs/:id', ...manage, validate(userUpdateSchema, { view: 'org/user-edit', viewModel: userEditView }), async (req, res) => {
    await svc.updateMember(deps, orgOf(req), uuidParam(req), input(req, userUpdateSchema));
    flash(res, 'success', 'L’utilisateur est modifié.');
    res.redirect(303, '/organisation/utilisateurs');
  });
  return r;
}
