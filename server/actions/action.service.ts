/**
 * Action-plan use cases: record and edit an action (its service and complaint must belong to
 * the organisation), record a review, and the plan as printed rows for the bilan and the dossier.
 */
import type { Deps } from '../deps';
import { ValidationError, notFound } from '../errors';
import { parisDateOf } from '../campaigns/calendar/working-days';
import * as orgStore from '../org/org.store';
import { requireComplaint } from '../complaints/complaint.service';
import { planRow, sortPlan, type PlanAction, type PlanRow } from './action-plan';
import type { ActionForm, ReviewForm } from './action.schemas';
import * as store from './action.store';

type Ctx = Pick<Deps, 'db' | 'clock'>;

export const todayOf = (ctx: Pick<Deps, 'clock'>) => parisDateOf(ctx.clock.now());

async function toInput(ctx: Ctx, orgId: string, v: ActionForm): Promise<store.ActionInput> {
  if (v.serviceId && !(await orgStore.getService(ctx.db, orgId, v.serviceId))) throw new ValidationError({ serviceId: 'Service inconnu.' });
  if (v.complaintId) {
    try {
      await requireComplaint(ctx, orgId, v.complaintId);
    } catch {
      throw new ValidationError({ complaintId: 'Réclamation inconnue.' });
    }
  }
  if (v.origin === 'reclamation' && !v.complaintId && !v.originNote) throw new ValidationError({ complaintId: 'Choisissez la réclamation à l’origine de l’action.' });
  if (v.status === 'realisee' && !v.doneOn) throw new ValidationError({ doneOn: 'Indiquez la date de réalisation.' });
  if (v.status !== 'realisee' && v.doneOn) throw new ValidationError({ doneOn: 'Seule une action réalisée a une date de réalisation.' });
  return { ...v, complaintId: v.origin === 'reclamation' ? v.complaintId : null };
}

export async function createAction(ctx: Ctx, orgId: string, userId: string | null, v: ActionForm) {
  return store.insertAction(ctx.db, orgId, await toInput(ctx, orgId, v), userId);
}

export async function requireAction(ctx: Pick<Deps, 'db'>, orgId: string, id: string) {
  const row = await store.getAction(ctx.db, orgId, id);
  if (!row) throw notFound('Action');
  return row;
}

export async function updateAction(ctx: Ctx, orgId: string, id: string, v: ActionForm) {
  await requireAction(ctx, orgId, id);
  return store.updateAction(ctx.db, orgId, id, await toInput(ctx, orgId, v));
}

export async function deleteAction(ctx: Ctx, orgId: string, id: string) {
  if (!(await store.deleteAction(ctx.db, orgId, id))) throw notFound('Action');
}

export async function recordReview(ctx: Ctx, orgId: string, userId: string | null, v: ReviewForm) {
  return store.insertReview(ctx.db, orgId, v, userId);
}

export async function requireReview(ctx: Pick<Deps, 'db'>, orgId: string, id: string) {
  const r = await store.getReview(ctx.db, orgId, id);
  if (!r) throw notFound('Revue du plan d’actions');
  return r;
}

type Listed = Awaited<ReturnType<typeof store.listActions>>[number];
export function toPlanAction({ a, serviceName, complaintReceivedOn }: Listed): PlanAction {
  const note = a.origin === 'reclamation' && complaintReceivedOn && !a.originNote ? `reçue le ${complaintReceivedOn.split('-').reverse().join('/')}` : a.originNote;
  return { id: a.id, title: a.title, origin: a.origin, originNote: note, serviceName, dueOn: a.dueOn, status: a.status, comment: a.comment, doneOn: a.doneOn };
}

/**
 * The plan for a period (bilan, dossier): every action but those done before the period
 * began; overdue as of the period's end or today, whichever is earlier.
 */
export async function planForPeriod(ctx: Ctx, orgId: string, period: { from: string; to: string }): Promise<PlanRow[]> {
  const today = todayOf(ctx);
  const asOf = period.to < today ? period.to : today;
  const list = (await store.listActions(ctx.db, orgId))
    .filter(({ a }) => !(a.status === 'realisee' && a.doneOn && a.doneOn < period.from))
    .map(toPlanAction);
  return sortPlan(list, asOf).map((a) => planRow(a, asOf));
}
