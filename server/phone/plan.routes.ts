/**
 * Pages of the calling organisation: the plan (generate per pair, then move or reassign a
 * call), one call with its grid (reopen it), and the evaluators' progress (never the marks).
 */
import { Router, type Request } from 'express';
import type { Deps } from '../deps';
import { flash } from '../http/flash';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import { parisDateOf } from '../campaigns/calendar/working-days';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import { ATTEMPT_OUTCOME_LABELS } from './attempts';
import { gridEntry, readableAnswers } from './grid';
import { plural } from '../format';
import { CATEGORY_LABELS, formatDay, formatTime, formatWait } from './phone.format';
import { SLOT_LABELS } from './plan-generator';
import { generateSchema, moveSchema } from './phone.schemas';
import * as plan from './plan.service';
import { requireCaller } from './programme.service';
import { BASE } from './programme.routes';
import * as store from './phone.store';

const pid = (req: Request) => uuidParam(req, 'pid');

export const STATUS_LABELS: Record<string, string> = { planned: 'À faire', in_progress: 'Commencé', submitted: 'Grille envoyée' };
const PROGRESS_LABELS: Record<string, string> = { done: 'Fait', late: 'En retard', remaining: 'À venir' };

export function planRouter(deps: Deps): Router {
  const r = Router();
  const manage = [requireAuth, requireRole('referent')];
  const read = [requireAuth, requireRole('referent', 'viewer')];

  const planView = async (req: Request) => {
    const orgId = orgOf(req);
    const { programme } = await requireCaller(deps, orgId, pid(req));
    const [pairs, calls] = await Promise.all([store.listPairs(deps.db, orgId, programme.id), store.listCallerCalls(deps.db, orgId, programme.id)]);
    const today = parisDateOf(deps.clock.now());
    const days = new Map<string, { day: string; calls: unknown[] }>();
    for (const c of calls) {
      const iso = parisDateOf(c.call.scheduledAt);
      const group = days.get(iso) ?? { day: formatDay(iso), calls: [] };
      group.calls.push({
        id: c.call.id, time: formatTime(c.call.scheduledAt), slot: SLOT_LABELS[c.call.slot] ?? 'Hors créneau', called: c.calledCode, number: c.numberLabel, phone: c.phone,
        category: CATEGORY_LABELS[c.scenarioCategory] ?? c.scenarioCategory, evaluator: c.evaluatorName,
        status: PROGRESS_LABELS[plan.progressState(c.call, today)], started: c.call.status !== 'planned',
      });
      days.set(iso, group);
    }
    return {
      title: 'Plan d’appels',
      programme,
      seed: programme.seed,
      pairs: pairs.filter((p) => p.callerOrgId === orgId).map((p) => ({
        id: p.id, label: `${p.calledName} (${p.calledCode})`, generatedAt: p.planGeneratedAt ? formatDay(p.planGeneratedAt) : null, ready: p.calledAccepted,
      })),
      days: [...days.values()],
      count: calls.length,
      evaluators: (await store.listEvaluators(deps.db, orgId, programme.id)).filter((e) => e.active && e.role === 'evaluator').map((e) => ({ value: e.userId, label: e.displayName })),
      countLine: plural(calls.length, 'appel prévu', 'appels prévus'),
    };
  };
  r.get(`${BASE}/:pid/plan`, ...manage, async (req, res) => {
    res.render('phone/plan', { ...(await planView(req)), values: {}, errors: {} });
  });
  r.post(`${BASE}/:pid/plan`, ...manage, validate(generateSchema, { view: 'phone/plan', viewModel: planView }), async (req, res) => {
    const n = await plan.generatePairPlan(deps, orgOf(req), pid(req), input(req, generateSchema).pairId);
    flash(res, 'success', `Le plan est généré : ${n} appel${n > 1 ? 's' : ''}.`);
    res.redirect(303, `${BASE}/${pid(req)}/plan`);
  });

  const callView = async (req: Request) => {
    const orgId = orgOf(req);
    const { call } = await plan.requirePlannedCall(deps, orgId, pid(req), uuidParam(req));
    const [evaluators, attempts] = await Promise.all([store.listEvaluators(deps.db, orgId, pid(req)), store.listAttempts(deps.db, orgId, call.call.id)]);
    const answers = call.call.answers as Record<string, unknown> | null;
    return {
      title: 'Appel du plan',
      programmeId: pid(req),
      call: {
        id: call.call.id, day: formatDay(call.call.scheduledAt), time: formatTime(call.call.scheduledAt), number: call.numberLabel, phone: call.phone,
        called: `${call.calledName} (${call.calledCode})`, category: CATEGORY_LABELS[call.scenarioCategory] ?? call.scenarioCategory, question: call.question,
        evaluator: call.evaluatorName, status: call.call.status, statusLabel: STATUS_LABELS[call.call.status],
      },
      attempts: attempts.map((a) => ({ n: a.n, outcome: ATTEMPT_OUTCOME_LABELS[a.outcome], wait: formatWait(a.waitSeconds), rings: a.rings ?? '–' })),
      answers: answers ? readableAnswers(gridEntry(deps).json, answers) : [],
      evaluators: evaluators.filter((e) => e.active && e.role === 'evaluator').map((e) => ({ value: e.userId, label: e.displayName })),
      canMove: call.call.status === 'planned',
      canReopen: call.call.status !== 'planned',
      defaults: { date: parisDateOf(call.call.scheduledAt), time: formatTime(call.call.scheduledAt), evaluatorId: call.call.evaluatorId },
    };
  };
  r.get(`${BASE}/:pid/plan/:id`, ...manage, async (req, res) => {
    const vm = await callView(req);
    res.render('phone/plan-call', { ...vm, values: vm.defaults, errors: {} });
  });
  // Bulk reassignment: the checked calls to one evaluator (issue 14).
  r.post(`${BASE}/:pid/plan/reattribuer`, ...manage, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const ids = ([] as unknown[]).concat(body.callIds ?? []).filter((x): x is string => typeof x === 'string' && /^[0-9a-f-]{36}$/i.test(x));
    const evaluatorId = typeof body.evaluatorId === 'string' && /^[0-9a-f-]{36}$/i.test(body.evaluatorId) ? body.evaluatorId : '';
    if (!ids.length || !evaluatorId) {
      flash(res, 'error', !ids.length ? 'Cochez les appels à réattribuer.' : 'Choisissez l’évaluateur.');
      return res.redirect(303, `${BASE}/${pid(req)}/plan`);
    }
    const r2 = await plan.reassignCalls(deps, orgOf(req), pid(req), ids, evaluatorId);
    flash(res, r2.refused.length ? 'error' : 'success', `${plural(r2.done, 'appel réattribué', 'appels réattribués')}.${r2.refused.length ? ` Non réattribués : ${r2.refused.join(' ; ')}` : ''}`);
    res.redirect(303, `${BASE}/${pid(req)}/plan`);
  });
  r.post(`${BASE}/:pid/plan/:id`, ...manage, validate(moveSchema, { view: 'phone/plan-call', viewModel: callView }), async (req, res) => {
    await plan.moveCall(deps, orgOf(req), pid(req), uuidParam(req), input(req, moveSchema));
    flash(res, 'success', 'L’appel est modifié.');
    res.redirect(303, `${BASE}/${pid(req)}/plan`);
  });
  r.post(`${BASE}/:pid/plan/:id/rouvrir`, ...manage, async (req, res) => {
    await plan.reopenGrid(deps, orgOf(req), pid(req), uuidParam(req), principal(req).userId);
    flash(res, 'success', 'La grille est rouverte : l’évaluateur peut la compléter aujourd’hui.');
    res.redirect(303, `${BASE}/${pid(req)}/plan/${uuidParam(req)}`);
  });

  r.get(`${BASE}/:pid/avancement`, ...read, async (req, res) => {
    const { programme } = await requireCaller(deps, orgOf(req), pid(req), { accepted: false });
    res.render('phone/progress', { title: 'Avancement des évaluateurs', programme, ...(await plan.progress(deps, orgOf(req), programme.id)) });
  });
  return r;
}
