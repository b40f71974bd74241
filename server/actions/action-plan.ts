/**
 * Rules of the action plan (pure): when an action is overdue, and the plan as printed rows
 * (the action-plan page, the bilan's section, the committee's dossier and a review's snapshot).
 */
import { formatDate } from '../format';
import type { ActionOrigin, ActionStatus } from '../storage/schema';
import { ORIGIN_LABELS, STATUS_LABELS } from './action.schemas';

export interface PlanAction {
  id: string | null;
  title: string;
  origin: ActionOrigin;
  originNote: string;
  serviceName: string | null;
  dueOn: string | null;
  status: ActionStatus;
  comment: string;
  doneOn: string | null;
}

export const OPEN_STATUSES: readonly ActionStatus[] = ['a_faire', 'en_cours'];

/** Open and past its due date (the due date itself is still on time). */
export function isOverdue(a: Pick<PlanAction, 'status' | 'dueOn'>, today: string): boolean {
  return OPEN_STATUSES.includes(a.status) && a.dueOn !== null && a.dueOn < today;
}

export interface PlanRow {
  id: string | null;
  title: string;
  origin: string;
  service: string;
  due: string;
  status: string;
  overdue: boolean;
  comment: string;
  done: string;
}

export function planRow(a: PlanAction, today: string): PlanRow {
  return {
    id: a.id,
    title: a.title,
    origin: a.originNote ? `${ORIGIN_LABELS[a.origin]} : ${a.originNote}` : ORIGIN_LABELS[a.origin],
    service: a.serviceName ?? '–',
    due: a.dueOn ? formatDate(a.dueOn) : '–',
    status: isOverdue(a, today) ? `${STATUS_LABELS[a.status]} (en retard)` : STATUS_LABELS[a.status],
    overdue: isOverdue(a, today),
    comment: a.comment,
    done: a.doneOn ? formatDate(a.doneOn) : '–',
  };
}

export const PLAN_HEADERS = ['Action', 'Origine', 'Service pilote', 'Échéance', 'État', 'Preuve / commentaire', 'Réalisée le'];

export function planCells(r: PlanRow): string[] {
  return [r.title, r.origin, r.service, r.due, r.status, r.comment || '–', r.done];
}

/** Order of the printed plan: overdue first, then open by due date, then done, then abandoned. */
export function sortPlan<T extends Pick<PlanAction, 'status' | 'dueOn' | 'title'>>(list: T[], today: string): T[] {
  const rank = (a: T) => (isOverdue(a, today) ? 0 : a.status === 'en_cours' ? 1 : a.status === 'a_faire' ? 2 : a.status === 'realisee' ? 3 : 4);
  return [...list].sort((a, b) => rank(a) - rank(b) || (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999') || a.title.localeCompare(b.title, 'fr'));
}
