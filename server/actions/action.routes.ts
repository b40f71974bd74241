/**
 * Pages of the corrective action plan: the plan (with its overdue actions flagged), an
 * action's form, the reviews recorded at steering committees and each review's snapshot.
 * Referents edit; viewers read.
 */
import { Router, type Request } from 'express';
import type { Deps } from '../deps';
import { formatDate, plural } from '../format';
import { flash } from '../http/flash';
import { uuidParam } from '../http/params';
import { input, validate } from '../http/validate';
import * as orgStore from '../org/org.store';
import { orgOf, principal, requireAuth, requireRole } from '../auth/policies';
import { addCalendarDays } from '../campaigns/calendar/working-days';
import { listComplaintChoices } from '../complaints/complaint.service';
import { ACTION_ORIGINS, ACTION_STATUSES } from '../storage/schema';
import { PLAN_HEADERS, planCells, planRow, sortPlan } from './action-plan';
import { ORIGIN_LABELS, STATUS_LABELS, actionSchema, reviewSchema } from './action.schemas';
import * as svc from './action.service';
import * as store from './action.store';

export const BASE = '/plan-actions';
const origins = ACTION_ORIGINS.map((o) => ({ value: o, label: ORIGIN_LABELS[o] }));
const statuses = ACTION_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }));

export function actionRouter(deps: Deps): Router {
  const r = Router();
  const read = [requireAuth, requireRole('referent', 'viewer')];
  const manage = [requireAuth, requireRole('referent')];

  const indexView = async (req: Request) => {
    const orgId = orgOf(req);
    const today = svc.todayOf(deps);
    const [list, reviews] = await Promise.all([store.listActions(deps.db, orgId), store.listReviews(deps.db, orgId)]);
    const onlyLate = req.query.filtre === 'en-retard';
    const rows = sortPlan(list.map(svc.toPlanAction), today).map((a) => planRow(a, today)).filter((row) => !onlyLate || row.overdue);
    return {
      title: 'Plan d’actions correctives', canManage: principal(req).role === 'referent', onlyLate,
      headers: PLAN_HEADERS, rows: rows.map((row) => ({ id: row.id, overdue: row.overdue, cells: planCells(row) })),
      overdue: plural(list.map(svc.toPlanAction).filter((a) => planRow(a, today).overdue).length, 'action en retard', 'actions en retard'),
      reviews: reviews.map((v) => ({ id: v.id, date: formatDate(v.reviewedOn), note: v.note, actions: plural(Number(v.actions), 'action') })),
    };
  };
  r.get(BASE, ...read, async (req, res) => {
    res.render('actions/index', { ...(await indexView(req)), values: { reviewedOn: svc.todayOf(deps) }, errors: {} });
  });

  const formView = async (req: Request) => {
    const orgId = orgOf(req);
    const today = svc.todayOf(deps);
    const [services, complaints] = await Promise.all([orgStore.listServices(deps.db, orgId), listComplaintChoices(deps, orgId, addCalendarDays(today, -730), today)]);
    return {
      origins, statuses,
      services: [{ value: '', label: '— non précisé —' }, ...services.map((s) => ({ value: s.id, label: s.name }))],
      complaints: [{ value: '', label: '— aucune —' }, ...complaints.map((c) => ({ value: c.id, label: `${formatDate(c.receivedOn)} – ${c.subject.slice(0, 80) || 'sans objet'}` }))],
    };
  };
  const newView = async (req: Request) => ({ title: 'Nouvelle action', ...(await formView(req)), action: `${BASE}/nouvelle`, deleteAction: null });
  r.get(`${BASE}/nouvelle`, ...manage, async (req, res) => {
    res.render('actions/edit', { ...(await newView(req)), values: { origin: 'enquete', status: 'a_faire' }, errors: {} });
  });
  r.post(`${BASE}/nouvelle`, ...manage, validate(actionSchema, { view: 'actions/edit', viewModel: newView }), async (req, res) => {
    await svc.createAction(deps, orgOf(req), principal(req).userId, input(req, actionSchema));
    flash(res, 'success', 'L’action est ajoutée au plan.');
    res.redirect(303, BASE);
  });

  r.post(`${BASE}/revues`, ...manage, validate(reviewSchema, { view: 'actions/index', viewModel: indexView }), async (req, res) => {
    const review = await svc.recordReview(deps, orgOf(req), principal(req).userId, input(req, reviewSchema));
    flash(res, 'success', 'La revue du plan d’actions est enregistrée : l’état de chaque action à cette date est conservé.');
    res.redirect(303, `${BASE}/revues/${review.id}`);
  });
  r.get(`${BASE}/revues/:id`, ...read, async (req, res) => {
    const { review, rows } = await svc.requireReview(deps, orgOf(req), uuidParam(req));
    const rowsOut = rows.map((x) => planRow({ ...x, id: x.actionId, originNote: '' }, review.reviewedOn));
    res.render('actions/review', { title: `Revue du plan d’actions du ${formatDate(review.reviewedOn)}`, note: review.note, headers: PLAN_HEADERS, rows: rowsOut.map((row) => ({ overdue: row.overdue, cells: planCells(row) })) });
  });

  const editView = async (req: Request) => {
    const id = uuidParam(req);
    await svc.requireAction(deps, orgOf(req), id);
    return { title: 'Action du plan', ...(await formView(req)), action: `${BASE}/${id}`, deleteAction: `${BASE}/${id}/supprimer` };
  };
  r.get(`${BASE}/:id`, ...manage, async (req, res) => {
    const { a } = await svc.requireAction(deps, orgOf(req), uuidParam(req));
    const values = Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v ?? '']));
    res.render('actions/edit', { ...(await editView(req)), values, errors: {} });
  });
  r.post(`${BASE}/:id`, ...manage, validate(actionSchema, { view: 'actions/edit', viewModel: editView }), async (req, res) => {
    await svc.updateAction(deps, orgOf(req), uuidParam(req), input(req, actionSchema));
    flash(res, 'success', 'L’action est mise à jour.');
    res.redirect(303, BASE);
  });
  r.post(`${BASE}/:id/supprimer`, ...manage, async (req, res) => {
    await svc.deleteAction(deps, orgOf(req), uuidParam(req));
    flash(res, 'success', 'L’action est supprimée du plan.');
    res.redirect(303, BASE);
  });
  return r;
}
