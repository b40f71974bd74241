/**
 * Pages of programmes: list and creation, overview and acceptance, the called organisation's
 * numbers and scenarios, the calling organisation's evaluators.
 */
import { ValidationError } from '../errors';
import { Router, type Request } from 'express';
import type { Deps } from '../deps';
import { notFound } from '../errors';
import { flash } from '../http/flash';
import { CONFIRM, confirmFirst } from '../http/confirm';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import { formatDate, plural } from '../format';
import * as orgStore from '../org/org.store';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import { passMarkText } from './findings';
import { CATEGORY_LABELS, NUMBER_KIND_LABELS, SCENARIO_CATEGORIES, formatDuration } from './phone.format';
import { evaluatorsSchema, numberSchema, programmeSchema, scenarioSchema } from './phone.schemas';
import * as svc from './programme.service';
import * as store from './phone.store';

export const BASE = '/enquetes-telephoniques';
const numberKinds = Object.entries(NUMBER_KIND_LABELS).map(([value, label]) => ({ value, label }));
const categories = SCENARIO_CATEGORIES.map((c) => ({ value: c.value, label: c.label }));
const pid = (req: Request) => uuidParam(req, 'pid');

export function programmeRouter(deps: Deps): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];
  const manage = [requireAuth, requireRole('referent')];

  // List and creation ------------------------------------------------------------------------------
  const listView = async (req: Request) => ({
    title: 'Enquêtes téléphoniques croisées',
    canManage: principal(req).role === 'referent',
    programmes: (await store.listProgrammes(deps.db, orgOf(req))).map(({ programme: p, acceptedAt }) => ({
      id: p.id, name: p.name, period: `du ${formatDate(p.startsOn)} au ${formatDate(p.endsOn)}`, accepted: acceptedAt !== null,
    })),
  });
  r.get(BASE, ...read, async (req, res) => {
    res.render('phone/programmes', { ...(await listView(req)), values: { callsPerNumber: '3', maxAttempts: '3', attemptWaitMinutes: '5', passMark: '7' }, errors: {} });
  });
  r.post(BASE, ...manage, validate(programmeSchema, { view: 'phone/programmes', viewModel: listView }), async (req, res) => {
    const p = await svc.createProgramme(deps, orgOf(req), principal(req).userId, input(req, programmeSchema));
    flash(res, 'success', 'L’enquête est créée. Les autres organisations doivent maintenant l’accepter.');
    res.redirect(303, `${BASE}/${p.id}`);
  });

  // Overview and acceptance ------------------------------------------------------------------------
  r.get(`${BASE}/:pid`, ...read, async (req, res) => {
    const orgId = orgOf(req);
    const access = await svc.requireProgramme(deps, orgId, pid(req));
    const [participants, pairs] = await Promise.all([store.listParticipants(deps.db, orgId, access.programme.id), store.listPairs(deps.db, orgId, access.programme.id)]);
    const p = access.programme;
    res.render('phone/programme', {
      title: p.name,
      programme: p,
      period: `du ${formatDate(p.startsOn)} au ${formatDate(p.endsOn)}`,
      accepted: access.acceptedAt !== null,
      isReferent: principal(req).role === 'referent',
      caller: access.caller,
      called: access.called,
      participants: participants.map((x) => ({ code: x.code, name: x.name, accepted: x.acceptedAt !== null })),
      calls: pairs.filter((x) => x.callerOrgId === orgId).map((x) => `${x.calledName} (${x.calledCode})`),
      calledBy: pairs.filter((x) => x.calledOrgId === orgId).map((x) => `${x.callerName} (${x.callerCode})`),
      settings: {
        callsPerNumber: p.callsPerNumber, maxAttempts: p.maxAttempts, callsPerNumberLine: plural(p.callsPerNumber, 'appel'), maxAttemptsLine: plural(p.maxAttempts, 'tentative'), attemptWait: formatDuration(p.attemptWaitSeconds), passMark: passMarkText(p.passMark),
      },
    });
  });
  r.post(`${BASE}/:pid/accepter`, ...manage, async (req, res) => {
    await svc.acceptProgramme(deps, orgOf(req), principal(req).userId, pid(req));
    flash(res, 'success', 'Votre organisation participe à l’enquête.');
    res.redirect(303, `${BASE}/${pid(req)}`);
  });

  // Numbers (called organisation) ------------------------------------------------------------------
  const numbersView = async (req: Request) => {
    const orgId = orgOf(req);
    const { programme } = await svc.requireCalled(deps, orgId, pid(req));
    const [numbers, services] = await Promise.all([store.listNumbers(deps.db, orgId, programme.id), orgStore.listServices(deps.db, orgId)]);
    return {
      title: 'Numéros à appeler',
      programme,
      numberKinds,
      services: [{ value: '', label: '— Aucun (numéro saisi) —' }].concat(services.map((s) => ({ value: s.id, label: s.phones.length ? `${s.name} (${s.phones.join(', ')})` : s.name }))),
      numbers: numbers.map((n) => ({ ...n, kindLabel: NUMBER_KIND_LABELS[n.kind] })),
      // « Ajouter les numéros des services »: the services not yet in the programme, their first number proposed.
      serviceRows: services.filter((s) => !numbers.some((n) => n.kind === 'service' && n.serviceId === s.id)).map((s) => ({ id: s.id, name: s.name, phone: s.phones[0] ?? '' })),
    };
  };
  r.get(`${BASE}/:pid/numeros`, ...manage, async (req, res) => {
    res.render('phone/numbers', { ...(await numbersView(req)), values: { kind: 'service' }, errors: {} });
  });
  r.post(`${BASE}/:pid/numeros`, ...manage, validate(numberSchema, { view: 'phone/numbers', viewModel: numbersView }), async (req, res) => {
    await svc.addNumber(deps, orgOf(req), pid(req), input(req, numberSchema));
    flash(res, 'success', 'Le numéro est ajouté.');
    res.redirect(303, `${BASE}/${pid(req)}/numeros`);
  });
  r.post(`${BASE}/:pid/numeros/services`, ...manage, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const phones: Record<string, string> = {};
    for (const [k, v] of Object.entries(body)) if (k.startsWith('phone_') && typeof v === 'string') phones[k.slice(6)] = v;
    try {
      const n = await svc.addServiceNumbers(deps, orgOf(req), pid(req), phones);
      flash(res, 'success', n ? `${n} numéro(s) de service ajouté(s).` : 'Aucun numéro ajouté : tous les champs étaient vides.');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const vm = await numbersView(req);
      return res.status(422).render('phone/numbers', { ...vm, values: { kind: 'service' }, errors: err.fieldErrors, typedPhones: phones });
    }
    res.redirect(303, `${BASE}/${pid(req)}/numeros`);
  });
  r.post(`${BASE}/:pid/numeros/:id/supprimer`, ...manage, confirmFirst(async (req) => {
    await svc.requireCalled(deps, orgOf(req), pid(req));
    const n = await store.getNumber(deps.db, orgOf(req), pid(req), uuidParam(req));
    if (!n) throw notFound('Numéro');
    return { ...CONFIRM.deletePhoneNumber(n.label), cancelHref: `${BASE}/${pid(req)}/numeros` };
  }), async (req, res) => {
    await svc.deleteNumber(deps, orgOf(req), pid(req), uuidParam(req));
    flash(res, 'success', 'Le numéro est supprimé.');
    res.redirect(303, `${BASE}/${pid(req)}/numeros`);
  });

  // Scenarios (called organisation) ----------------------------------------------------------------
  const numberOptions = async (orgId: string, programmeId: string) =>
    [{ value: '', label: 'Tous les numéros' }].concat((await store.listNumbers(deps.db, orgId, programmeId)).map((n) => ({ value: n.id, label: `${n.label} (${n.phone})` })));
  const scenariosView = async (req: Request) => {
    const orgId = orgOf(req);
    const { programme } = await svc.requireCalled(deps, orgId, pid(req));
    const [scenarios, numbers] = await Promise.all([store.listScenarios(deps.db, orgId, programme.id), store.listNumbers(deps.db, orgId, programme.id)]);
    const labels = new Map(numbers.map((n) => [n.id, n.label]));
    return {
      title: 'Scénarios d’appel',
      programme,
      categories,
      numberOptions: await numberOptions(orgId, programme.id),
      scenarios: scenarios.map((s) => ({ ...s, categoryLabel: CATEGORY_LABELS[s.category] ?? s.category, numberLabel: s.numberId ? labels.get(s.numberId) : 'Tous les numéros' })),
    };
  };
  r.get(`${BASE}/:pid/scenarios`, ...manage, async (req, res) => {
    res.render('phone/scenarios', { ...(await scenariosView(req)), values: {}, errors: {} });
  });
  r.post(`${BASE}/:pid/scenarios`, ...manage, validate(scenarioSchema, { view: 'phone/scenarios', viewModel: scenariosView }), async (req, res) => {
    await svc.addScenario(deps, orgOf(req), pid(req), input(req, scenarioSchema));
    flash(res, 'success', 'Le scénario est ajouté.');
    res.redirect(303, `${BASE}/${pid(req)}/scenarios`);
  });
  const scenarioEditView = async (req: Request) => {
    const orgId = orgOf(req);
    const scenario = await svc.requireScenario(deps, orgId, pid(req), uuidParam(req));
    return { title: 'Modifier le scénario', programmeId: pid(req), scenario, categories, numberOptions: await numberOptions(orgId, pid(req)) };
  };
  r.get(`${BASE}/:pid/scenarios/:id`, ...manage, async (req, res) => {
    const vm = await scenarioEditView(req);
    res.render('phone/scenario-edit', { ...vm, values: { ...vm.scenario, numberId: vm.scenario.numberId ?? '' }, errors: {} });
  });
  r.post(`${BASE}/:pid/scenarios/:id`, ...manage, validate(scenarioSchema, { view: 'phone/scenario-edit', viewModel: scenarioEditView }), async (req, res) => {
    await svc.updateScenario(deps, orgOf(req), pid(req), uuidParam(req), input(req, scenarioSchema));
    flash(res, 'success', 'Le scénario est modifié.');
    res.redirect(303, `${BASE}/${pid(req)}/scenarios`);
  });
  r.post(`${BASE}/:pid/scenarios/:id/supprimer`, ...manage, confirmFirst(async (req) => ({
    ...CONFIRM.deleteScenario((await svc.requireScenario(deps, orgOf(req), pid(req), uuidParam(req))).question), cancelHref: `${BASE}/${pid(req)}/scenarios/${uuidParam(req)}`,
  })), async (req, res) => {
    await svc.deleteScenario(deps, orgOf(req), pid(req), uuidParam(req));
    flash(res, 'success', 'Le scénario est supprimé.');
    res.redirect(303, `${BASE}/${pid(req)}/scenarios`);
  });

  // Evaluators (calling organisation) --------------------------------------------------------------
  const evaluatorsView = async (req: Request) => {
    const p = await svc.requireCaller(deps, orgOf(req), pid(req), { accepted: false });
    // Before acceptance the page says what is awaited and from whom, instead of a bare 409.
    if (!p.acceptedAt) {
      return { title: 'Évaluateurs', programme: p.programme, choices: [], awaiting: 'Votre organisation n’a pas encore accepté cette enquête. Un référent de votre organisation l’accepte sur la page de l’enquête (bouton « Accepter ») ; vous pourrez ensuite désigner vos évaluateurs ici.' };
    }
    return { title: 'Évaluateurs', programme: p.programme, choices: await svc.evaluatorChoices(deps, orgOf(req), p.programme.id), awaiting: null };
  };
  r.get(`${BASE}/:pid/evaluateurs`, ...manage, async (req, res) => {
    res.render('phone/evaluators', { ...(await evaluatorsView(req)), values: {}, errors: {} });
  });
  r.post(`${BASE}/:pid/evaluateurs`, ...manage, validate(evaluatorsSchema, { view: 'phone/evaluators', viewModel: evaluatorsView }), async (req, res) => {
    await svc.setEvaluators(deps, orgOf(req), pid(req), input(req, evaluatorsSchema).userIds);
    flash(res, 'success', 'Les évaluateurs sont enregistrés.');
    res.redirect(303, `${BASE}/${pid(req)}/evaluateurs`);
  });
  return r;
}
