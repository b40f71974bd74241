/**
 * The evaluator's pages: « Mes appels » (today, coming days, late, done) and one call: the
 * number to dial, the scenario, the attempts (timer in public/phone/call.js) and the grid
 * (SurveyJS in the browser, saved through JSON to POST /appels/:id/grille).
 */
import { Router, type Request } from 'express';
import type { Deps } from '../deps';
import { flash } from '../http/flash';
import { CONFIRM } from '../http/confirm';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import { parisDateOf } from '../campaigns/calendar/working-days';
import { requireAuth, requireRole } from '../auth/policies';
import { formatDateTime } from '../format';
import { ATTEMPT_OUTCOME_LABELS } from './attempts';
import * as calls from './call.service';
import { gridEntry, readableAnswers } from './grid';
import { CATEGORY_LABELS, formatDay, formatDuration, formatTime, formatWait, telHref } from './phone.format';
import { SLOT_LABELS } from './plan-generator';
import { attemptSchema, gridSchema } from './phone.schemas';
import { STATUS_LABELS } from './plan.routes';

const me = calls.evaluatorOf;

/** « Envoyer la grille de l’appel "Standard, 12 juin à 10:30" ? » */
const gridQuestion = (v: { numberLabel: string; call: { scheduledAt: Date } }) => CONFIRM.submitGrid(`${v.numberLabel}, ${formatDay(v.call.scheduledAt)} à ${formatTime(v.call.scheduledAt)}`);

/** JSON for a <script type="application/json"> block: `<` escaped so no text can close the element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function callRouter(deps: Deps): Router {
  const r = Router();
  const evaluator = [requireAuth, requireRole('evaluator')];

  r.get('/appels', ...evaluator, async (req, res) => {
    const today = parisDateOf(deps.clock.now());
    const groups = { today: [] as unknown[], upcoming: [] as unknown[], late: [] as unknown[], done: [] as unknown[] };
    for (const c of await calls.myCalls(deps, me(req))) {
      const day = parisDateOf(c.call.scheduledAt);
      const item = {
        id: c.call.id, day: formatDay(day), time: formatTime(c.call.scheduledAt), called: c.calledName, number: c.numberLabel,
        category: CATEGORY_LABELS[c.scenarioCategory] ?? c.scenarioCategory, status: STATUS_LABELS[c.call.status],
      };
      if (c.call.status === 'submitted') groups.done.push(item);
      else if (day < today) groups.late.push(item);
      else if (day === today) groups.today.push(item);
      else groups.upcoming.push(item);
    }
    res.render('phone/calls', { title: 'Mes appels', todayLabel: formatDay(today), ...groups });
  });

  const callView = async (req: Request) => {
    const d = await calls.callDetail(deps, me(req), uuidParam(req));
    const v = d.view;
    const entry = d.grid === 'editable' ? gridEntry(deps) : null;
    return {
      title: `Appel : ${v.numberLabel}`,
      call: {
        id: v.call.id, day: formatDay(v.call.scheduledAt), time: formatTime(v.call.scheduledAt), slot: SLOT_LABELS[v.call.slot] ?? 'Hors créneau',
        called: v.calledName, number: v.numberLabel, phone: v.phone, tel: telHref(v.phone),
        category: CATEGORY_LABELS[v.scenarioCategory] ?? v.scenarioCategory, question: v.question, expectedAnswer: v.expectedAnswer,
        submittedAt: v.call.submittedAt ? formatDateTime(v.call.submittedAt) : null,
      },
      rule: { maxAttempts: d.programme.maxAttempts, wait: formatDuration(d.programme.attemptWaitSeconds), waitSeconds: d.programme.attemptWaitSeconds },
      attempts: d.attempts.map((a) => ({ n: a.n, outcome: ATTEMPT_OUTCOME_LABELS[a.outcome], wait: formatWait(a.waitSeconds), rings: a.rings ?? '–' })),
      state: d.progress.state,
      nextAttempt: d.progress.made + 1,
      canAttempt: d.progress.state === 'pending' && !d.notYet && d.view.call.status !== 'submitted',
      notYet: d.notYet,
      grid: d.grid,
      outcomes: Object.entries(ATTEMPT_OUTCOME_LABELS).map(([value, label]) => ({ value, label })),
      answers: d.grid === 'submitted' || d.grid === 'expired' ? readableAnswers(gridEntry(deps).json, d.answers) : [],
      gridData: entry
        ? jsonForScript({ survey: entry.json, data: d.answers, saveUrl: `/appels/${v.call.id}/grille`, doneUrl: '/appels', csrf: req.csrfToken ?? '', confirm: gridQuestion(v) })
        : null,
    };
  };
  r.get('/appels/:id', ...evaluator, async (req, res) => {
    res.render('phone/call', { ...(await callView(req)), values: {}, errors: {} });
  });
  r.post('/appels/:id/tentatives', ...evaluator, validate(attemptSchema, { view: 'phone/call', viewModel: callView }), async (req, res) => {
    const after = await calls.recordAttempt(deps, me(req), uuidParam(req), input(req, attemptSchema));
    const message = after.state === 'answered' ? 'Tentative notée : remplissez la grille maintenant.'
      : after.state === 'not_answered' ? 'Dernière tentative notée : l’appel n’a pas abouti. Remplissez la grille.'
      : 'Tentative notée. Rappelez un peu plus tard.';
    flash(res, 'success', message);
    res.redirect(303, `/appels/${uuidParam(req)}${after.state === 'pending' ? '' : '#grille'}`);
  });
  r.post('/appels/:id/grille', ...evaluator, validate(gridSchema), async (req, res) => {
    const v = input(req, gridSchema);
    if (v.action === 'submit' && v.confirme !== '1') {
      // Nothing is saved: the grid is sent only once the evaluator confirmed (call.js asks first).
      const d = await calls.callDetail(deps, me(req), uuidParam(req));
      const confirm = gridQuestion(d.view);
      return res.status(428).json({ error: { code: 'confirmation_required', message: `${confirm.title} ${confirm.body}` }, confirm });
    }
    const row = await calls.saveGrid(deps, me(req), uuidParam(req), v.action, v.answers);
    if (v.action === 'submit') flash(res, 'success', 'La grille est envoyée. Merci !');
    res.json({ status: row.status, savedAt: formatTime(row.updatedAt), redirect: v.action === 'submit' ? '/appels' : null });
  });
  return r;
}
