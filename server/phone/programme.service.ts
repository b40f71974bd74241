/**
 * Programme use cases: a referent creates a programme (their organisation coordinates it and
 * has accepted it), naming the pairs « appelant > appelé » by organisation code; each other
 * organisation's referent accepts it. The called organisation lists its numbers and
 * scenarios; the calling organisation names its evaluators.
 *
 * Access is decided here, by the role the organisation plays in the programme; anything
 * outside it reads as 404 (an organisation that takes no part learns nothing, not even that
 * the programme exists).
 */
import crypto from 'node:crypto';
import type { Deps } from '../deps';
import { AppError, ValidationError, conflict, notFound } from '../errors';
import * as authStore from '../auth/auth.store';
import * as orgStore from '../org/org.store';
import type { z } from 'zod';
import { PHONE_NUMBER, type numberSchema, type programmeSchema, type scenarioSchema } from './phone.schemas';
import * as store from './phone.store';

type Ctx = Pick<Deps, 'db' | 'clock'>;

export interface ProgrammeAccess extends store.Participation {
  caller: boolean;
  called: boolean;
}

/** The programme if the organisation takes part in it, with the roles it plays. */
export async function requireProgramme(ctx: Ctx, orgId: string, programmeId: string): Promise<ProgrammeAccess> {
  const p = await store.getProgramme(ctx.db, orgId, programmeId);
  if (!p) throw notFound('Enquête');
  return { ...p, ...(await store.rolesIn(ctx.db, orgId, programmeId)) };
}

const notAccepted = () => new AppError(409, 'not_accepted', 'Votre organisation n’a pas encore accepté cette enquête.');

/** The organisation is called in the programme (else 404) and has accepted it (else 409). */
export async function requireCalled(ctx: Ctx, orgId: string, programmeId: string, opts: { accepted?: boolean } = {}) {
  const p = await requireProgramme(ctx, orgId, programmeId);
  if (!p.called) throw notFound('Enquête');
  if (opts.accepted !== false && !p.acceptedAt) throw notAccepted();
  return p;
}

/** The organisation calls others in the programme (else 404) and has accepted it (else 409). */
export async function requireCaller(ctx: Ctx, orgId: string, programmeId: string, opts: { accepted?: boolean } = {}) {
  const p = await requireProgramme(ctx, orgId, programmeId);
  if (!p.caller) throw notFound('Enquête');
  if (opts.accepted !== false && !p.acceptedAt) throw notAccepted();
  return p;
}

export async function createProgramme(ctx: Ctx, orgId: string, userId: string | null, v: z.output<typeof programmeSchema>) {
  const codes = [...new Set(v.pairs.flatMap((p) => [p.caller, p.called]))];
  const orgs = new Map<string, string>();
  const unknown: string[] = [];
  for (const code of codes) {
    const org = await orgStore.findOrgByCode(ctx.db, code);
    if (org) orgs.set(code, org.id);
    else unknown.push(code);
  }
  if (unknown.length) throw new ValidationError({ pairs: `Organisation inconnue : ${unknown.join(', ')}.` });
  const pairs = v.pairs.map((p) => ({ callerOrgId: orgs.get(p.caller)!, calledOrgId: orgs.get(p.called)! }));
  const distinct = new Map(pairs.map((p) => [`${p.callerOrgId}>${p.calledOrgId}`, p]));
  if (!pairs.some((p) => p.callerOrgId === orgId || p.calledOrgId === orgId)) {
    throw new ValidationError({ pairs: 'Votre organisation doit figurer dans au moins un couple.' });
  }
  return store.insertProgramme(ctx.db, orgId, userId, {
    name: v.name, startsOn: v.startsOn, endsOn: v.endsOn, callsPerNumber: v.callsPerNumber, maxAttempts: v.maxAttempts,
    attemptWaitSeconds: v.attemptWaitMinutes * 60, passMark: v.passMark, seed: crypto.randomInt(1, 2 ** 31 - 1),
  }, [...distinct.values()], ctx.clock.now());
}

export async function acceptProgramme(ctx: Ctx, orgId: string, userId: string | null, programmeId: string) {
  await requireProgramme(ctx, orgId, programmeId);
  if (!(await store.acceptProgramme(ctx.db, orgId, programmeId, userId, ctx.clock.now()))) throw conflict('Votre organisation a déjà accepté cette enquête.');
}

// Numbers and scenarios of the called organisation ----------------------------------------------

export async function addNumber(ctx: Ctx, orgId: string, programmeId: string, v: z.output<typeof numberSchema>) {
  await requireCalled(ctx, orgId, programmeId);
  let { label, phone } = v;
  if (v.serviceId) {
    const service = await orgStore.getService(ctx.db, orgId, v.serviceId);
    if (!service) throw new ValidationError({ serviceId: 'Service introuvable.' });
    if (!phone) {
      if (!service.phones.length) throw new ValidationError({ phone: 'Ce service n’a pas de numéro : saisissez-le.' });
      phone = service.phones[0];
    }
    if (!label) label = v.kind === 'repondeur' ? `${service.name} (répondeur)` : service.name;
  }
  return store.insertNumber(ctx.db, orgId, programmeId, { kind: v.kind, label, phone, serviceId: v.serviceId });
}

/**
 * « Ajouter les numéros des services » (issue 14): every service of the organisation at once,
 * each with the number typed (its first known number proposed). Services left empty or already
 * among the programme's numbers are skipped; a number that is not a phone number is reported by
 * its service, and nothing is added then.
 */
export async function addServiceNumbers(ctx: Ctx, orgId: string, programmeId: string, phones: Record<string, string>) {
  await requireCalled(ctx, orgId, programmeId);
  const [services, existing] = await Promise.all([orgStore.listServices(ctx.db, orgId), store.listNumbers(ctx.db, orgId, programmeId)]);
  const taken = new Set(existing.filter((n) => n.kind === 'service' && n.serviceId).map((n) => n.serviceId));
  const errors: Record<string, string> = {};
  const toAdd: { serviceId: string; label: string; phone: string }[] = [];
  for (const s of services) {
    const phone = (phones[s.id] ?? '').trim();
    if (!phone || taken.has(s.id)) continue;
    if (!PHONE_NUMBER.test(phone) || phone.length > 30) errors[`phone_${s.id}`] = `${s.name} : numéro de téléphone invalide.`;
    else toAdd.push({ serviceId: s.id, label: s.name, phone });
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  for (const n of toAdd) await store.insertNumber(ctx.db, orgId, programmeId, { kind: 'service', label: n.label, phone: n.phone, serviceId: n.serviceId });
  return toAdd.length;
}

export async function deleteNumber(ctx: Ctx, orgId: string, programmeId: string, numberId: string) {
  await requireCalled(ctx, orgId, programmeId);
  const r = await store.deleteNumber(ctx.db, orgId, programmeId, numberId);
  if (r === 'not_found') throw notFound('Numéro');
  if (r === 'in_use') throw conflict('Ce numéro a des scénarios ou des appels : il ne peut plus être supprimé.');
}

async function checkScenarioNumber(ctx: Ctx, orgId: string, programmeId: string, numberId: string | null) {
  if (numberId && !(await store.getNumber(ctx.db, orgId, programmeId, numberId))) throw new ValidationError({ numberId: 'Numéro introuvable.' });
}

export async function addScenario(ctx: Ctx, orgId: string, programmeId: string, v: z.output<typeof scenarioSchema>) {
  await requireCalled(ctx, orgId, programmeId);
  await checkScenarioNumber(ctx, orgId, programmeId, v.numberId);
  return store.insertScenario(ctx.db, orgId, programmeId, v);
}

export async function requireScenario(ctx: Ctx, orgId: string, programmeId: string, scenarioId: string) {
  await requireCalled(ctx, orgId, programmeId);
  const s = await store.getScenario(ctx.db, orgId, programmeId, scenarioId);
  if (!s) throw notFound('Scénario');
  return s;
}

export async function updateScenario(ctx: Ctx, orgId: string, programmeId: string, scenarioId: string, v: z.output<typeof scenarioSchema>) {
  await requireScenario(ctx, orgId, programmeId, scenarioId);
  await checkScenarioNumber(ctx, orgId, programmeId, v.numberId);
  return store.updateScenario(ctx.db, orgId, programmeId, scenarioId, v);
}

export async function deleteScenario(ctx: Ctx, orgId: string, programmeId: string, scenarioId: string) {
  await requireCalled(ctx, orgId, programmeId);
  const r = await store.deleteScenario(ctx.db, orgId, programmeId, scenarioId);
  if (r === 'not_found') throw notFound('Scénario');
  if (r === 'in_use') throw conflict('Ce scénario est déjà prévu dans des appels : modifiez-le plutôt.');
}

// Evaluators of the calling organisation -------------------------------------------------------

/** Active users of the organisation with the evaluator role, and whether each is named. */
export async function evaluatorChoices(ctx: Ctx, orgId: string, programmeId: string) {
  await requireCaller(ctx, orgId, programmeId);
  const [users, named] = await Promise.all([authStore.listUsers(ctx.db, orgId), store.listEvaluators(ctx.db, orgId, programmeId)]);
  const namedIds = new Set(named.map((e) => e.userId));
  return users
    .filter((u) => u.role === 'evaluator' && (u.active || namedIds.has(u.id)))
    .map((u) => ({ id: u.id, displayName: u.displayName, email: u.email, checked: namedIds.has(u.id), active: u.active }));
}

export async function setEvaluators(ctx: Ctx, orgId: string, programmeId: string, userIds: string[]) {
  const choices = await evaluatorChoices(ctx, orgId, programmeId);
  const allowed = new Set(choices.filter((c) => c.active).map((c) => c.id));
  const ids = [...new Set(userIds)];
  if (ids.some((id) => !allowed.has(id))) throw new ValidationError({ userIds: 'Seuls les évaluateurs actifs de votre organisation peuvent être désignés.' });
  const busy = (await store.evaluatorsWithCalls(ctx.db, orgId, programmeId)).filter((id) => !ids.includes(id));
  if (busy.length) {
    const names = choices.filter((c) => busy.includes(c.id)).map((c) => c.displayName).join(', ');
    throw new ValidationError({ userIds: `Réattribuez d’abord les appels de : ${names}.` });
  }
  await store.setEvaluators(ctx.db, orgId, programmeId, ids);
}
