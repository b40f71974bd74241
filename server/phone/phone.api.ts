/**
 * JSON API of mystery phone programmes under /api/v1 (token or session; same roles and
 * tenancy as the pages): programmes of the organisation, results of the called organisation,
 * the calling organisation's plan, the called organisation's scenarios, an evaluator's calls.
 */
import { Router } from 'express';
import type { Deps } from '../deps';
import { uuidParam } from '../http/params';
import { parisDateOf } from '../campaigns/calendar/working-days';
import { orgOf, requireAuth, requireRole } from '../auth/policies';
import * as calls from './call.service';
import * as plan from './plan.service';
import { requireCalled, requireCaller, requireProgramme } from './programme.service';
import { resultsJson } from './results.service';
import * as store from './phone.store';

export function phoneApiRouter(deps: Deps): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];
  const manage = [requireAuth, requireRole('referent')];
  const evaluator = [requireAuth, requireRole('evaluator')];
  const base = '/enquetes-telephoniques';

  r.get(base, ...read, async (req, res) => {
    const rows = await store.listProgrammes(deps.db, orgOf(req));
    res.json({ programmes: rows.map(({ programme: p, acceptedAt }) => ({ id: p.id, name: p.name, startsOn: p.startsOn, endsOn: p.endsOn, accepted: acceptedAt !== null })) });
  });
  r.get(`${base}/:pid`, ...read, async (req, res) => {
    const a = await requireProgramme(deps, orgOf(req), uuidParam(req, 'pid'));
    const p = a.programme;
    res.json({
      id: p.id, name: p.name, startsOn: p.startsOn, endsOn: p.endsOn, accepted: a.acceptedAt !== null, caller: a.caller, called: a.called,
      settings: { callsPerNumber: p.callsPerNumber, maxAttempts: p.maxAttempts, attemptWaitSeconds: p.attemptWaitSeconds, passMark: p.passMark },
    });
  });
  r.get(`${base}/:pid/resultats`, ...read, async (req, res) => {
    res.json(await resultsJson(deps, orgOf(req), uuidParam(req, 'pid')));
  });
  r.get(`${base}/:pid/avancement`, ...read, async (req, res) => {
    res.json(await plan.progress(deps, orgOf(req), uuidParam(req, 'pid')));
  });
  r.get(`${base}/:pid/plan`, ...manage, async (req, res) => {
    const { programme } = await requireCaller(deps, orgOf(req), uuidParam(req, 'pid'));
    const rows = await store.listCallerCalls(deps.db, orgOf(req), programme.id);
    res.json({
      calls: rows.map((c) => ({
        id: c.call.id, scheduledAt: c.call.scheduledAt, slot: c.call.slot, status: c.call.status, calledOrganisation: c.calledCode,
        number: { id: c.call.numberId, label: c.numberLabel, phone: c.phone }, scenarioId: c.call.scenarioId,
        evaluator: { id: c.call.evaluatorId, name: c.evaluatorName },
      })),
    });
  });
  r.get(`${base}/:pid/scenarios`, ...manage, async (req, res) => {
    const { programme } = await requireCalled(deps, orgOf(req), uuidParam(req, 'pid'));
    const [numbers, scenarios] = await Promise.all([store.listNumbers(deps.db, orgOf(req), programme.id), store.listScenarios(deps.db, orgOf(req), programme.id)]);
    res.json({
      numbers: numbers.map((n) => ({ id: n.id, kind: n.kind, label: n.label, phone: n.phone, serviceId: n.serviceId })),
      scenarios: scenarios.map((s) => ({ id: s.id, numberId: s.numberId, category: s.category, question: s.question, expectedAnswer: s.expectedAnswer })),
    });
  });

  const callJson = (d: Awaited<ReturnType<typeof calls.callDetail>>) => ({
    id: d.view.call.id, scheduledAt: d.view.call.scheduledAt, status: d.view.call.status, state: d.progress.state, grid: d.grid,
    calledOrganisation: d.view.calledName, number: { label: d.view.numberLabel, phone: d.view.phone },
    scenario: { category: d.view.scenarioCategory, question: d.view.question, expectedAnswer: d.view.expectedAnswer },
    attempts: d.attempts.map((a) => ({ n: a.n, outcome: a.outcome, waitSeconds: a.waitSeconds, rings: a.rings })),
    answers: d.view.call.answers ?? null,
  });
  r.get('/appels', ...evaluator, async (req, res) => {
    const rows = await calls.myCalls(deps, calls.evaluatorOf(req));
    res.json({
      today: parisDateOf(deps.clock.now()),
      calls: rows.map((c) => ({ id: c.call.id, scheduledAt: c.call.scheduledAt, status: c.call.status, calledOrganisation: c.calledName, number: { label: c.numberLabel, phone: c.phone } })),
    });
  });
  r.get('/appels/:id', ...evaluator, async (req, res) => {
    res.json(callJson(await calls.callDetail(deps, calls.evaluatorOf(req), uuidParam(req))));
  });
  return r;
}
