/**
 * Organisation use cases: sites, services and members of one organisation, and the
 * platform admin's creation of organisations.
 */
import type { Deps } from '../deps';
import { ValidationError, notFound } from '../errors';
import * as authStore from '../auth/auth.store';
import type { Role } from '../storage/schema';
import * as store from './org.store';

type Ctx = Pick<Deps, 'db' | 'clock'>;

export async function createOrganisation(ctx: Ctx, v: { code: string; name: string; holidayZone?: string }) {
  if (await store.findOrgByCode(ctx.db, v.code)) throw new ValidationError({ code: 'Une organisation existe déjà avec ce code.' });
  return store.insertOrganisation(ctx.db, v);
}

export async function requireSite(ctx: Ctx, orgId: string, id: string) {
  const row = await store.getSite(ctx.db, orgId, id);
  if (!row) throw notFound('Site');
  return row;
}

export async function requireService(ctx: Ctx, orgId: string, id: string) {
  const row = await store.getService(ctx.db, orgId, id);
  if (!row) throw notFound('Service');
  return row;
}

export async function updateSite(ctx: Ctx, orgId: string, id: string, v: store.SiteInput) {
  const row = await store.updateSite(ctx.db, orgId, id, v);
  if (!row) throw notFound('Site');
  return row;
}

export async function deleteSite(ctx: Ctx, orgId: string, id: string) {
  if (!(await store.deleteSite(ctx.db, orgId, id))) throw notFound('Site');
}

export async function updateService(ctx: Ctx, orgId: string, id: string, v: store.ServiceInput) {
  const row = await store.updateService(ctx.db, orgId, id, v);
  if (!row) throw notFound('Service');
  return row;
}

export async function deleteService(ctx: Ctx, orgId: string, id: string) {
  if (!(await store.deleteService(ctx.db, orgId, id))) throw notFound('Service');
}

export async function requireMember(ctx: Ctx, orgId: string, userId: string) {
  const row = await authStore.getUser(ctx.db, orgId, userId);
  if (!row) throw notFound('Utilisateur');
  return row;
}

/** Change a member's role or deactivate them; an organisation always keeps one active referent. */
export async function updateMember(ctx: Ctx, orgId: string, userId: string, v: { role: Role; active: boolean }) {
  const user = await requireMember(ctx, orgId, userId);
  const losesReferent = user.role === 'referent' && user.active && (v.role !== 'referent' || !v.active);
  if (losesReferent && (await authStore.countActiveReferents(ctx.db, orgId)) <= 1) {
    throw new ValidationError({ role: 'L’organisation doit garder au moins un référent actif.' });
  }
  const row = await authStore.updateUser(ctx.db, orgId, userId, v);
  if (!v.active) await authStore.deleteUserSessions(ctx.db, userId);
  return row;
}
