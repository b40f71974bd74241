/**
 * The plan of the calling organisation: generated per pair from the called organisation's
 * numbers and scenarios and the caller's evaluators, over the working days left in the period
 * (the called organisation's holidays); then calls moved or reassigned one by one; the
 * progress of evaluators (done, late, remaining); reopening a grid.
 */
import type { Deps } from '../deps';
import { AppError, ValidationError, conflict, notFound } from '../errors';
import * as orgStore from '../org/org.store';
import { addCalendarDays, isWorkingDate, parisDateOf, startOfParisDay } from '../campaigns/calendar/working-days';
import type { HolidayZone } from '../campaigns/calendar/holidays';
import { PlanError, SLOTS, generatePlan } from './plan-generator';
import { requireCaller } from './programme.service';
import * as store from './phone.store';

type Ctx = Pick<Deps, 'db' | 'clock'>;

/** FNV-1a: a stable 32-bit hash, so each pair of a programme gets its own plan from one seed. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function pairSeed(programmeSeed: number, callerCode: string, calledCode: string): number {
  return (programmeSeed ^ hash32(`${callerCode}>${calledCode}`)) >>> 0;
}

async function workingDayOptions(ctx: Ctx, calledOrgId: string) {
  const org = await orgStore.getOrg(ctx.db, calledOrgId);
  return { zone: (org?.holidayZone ?? 'metropole') as HolidayZone, whitMondayWorked: false };
}

/** Working days of the called organisation from `from` to `to` (ISO dates, inclusive). */
export async function workingDays(ctx: Ctx, calledOrgId: string, from: string, to: string): Promise<string[]> {
  const opts = await workingDayOptions(ctx, calledOrgId);
  const out: string[] = [];
  for (let d = from; d <= to; d = addCalendarDays(d, 1)) if (isWorkingDate(d, opts)) out.push(d);
  return out;
}

/** The instant of a Paris date and minutes after midnight (calls are never planned on a clock change). */
export function parisInstant(date: string, minutes: number): Date {
  return new Date(startOfParisDay(date).getTime() + minutes * 60_000);
}

export function slotOf(minutes: number): string {
  return SLOTS.find((s) => s.start <= minutes && minutes < s.end)?.id ?? 'hors_creneau';
}

const planStarted = () => conflict('Des appels de ce couple ont déjà commencé : déplacez ou réattribuez les appels un par un.');

async function requireOwnPair(ctx: Ctx, orgId: string, programmeId: string, pairId: string) {
  const pair = (await store.listPairs(ctx.db, orgId, programmeId)).find((p) => p.id === pairId && p.callerOrgId === orgId);
  if (!pair) throw notFound('Couple');
  return pair;
}

/** (Re)generates the plan of one pair where the organisation calls; refused once a call has started. */
export async function generatePairPlan(ctx: Ctx, orgId: string, programmeId: string, pairId: string): Promise<number> {
  const { programme } = await requireCaller(ctx, orgId, programmeId);
  const pair = await requireOwnPair(ctx, orgId, programmeId, pairId);
  if (!pair.calledAccepted) throw new ValidationError({ _: `${pair.calledName} n’a pas encore accepté l’enquête.` });
  // Said first: once calls have started, whether a new plan would fit the days left is moot.
  if (await store.pairHasStartedCalls(ctx.db, orgId, pairId)) throw planStarted();
  const [numbers, scenarios, evaluators] = await Promise.all([
    store.listNumbers(ctx.db, pair.calledOrgId, programmeId),
    store.listScenarios(ctx.db, pair.calledOrgId, programmeId),
    store.listEvaluators(ctx.db, orgId, programmeId),
  ]);
  const today = parisDateOf(ctx.clock.now());
  const from = programme.startsOn > today ? programme.startsOn : today;
  const days = await workingDays(ctx, pair.calledOrgId, from, programme.endsOn);
  let planned;
  try {
    planned = generatePlan({
      numbers: numbers.map((n) => ({ id: n.id, scenarioIds: scenarios.filter((s) => s.numberId === n.id || s.numberId === null).map((s) => s.id) })),
      evaluatorIds: evaluators.filter((e) => e.active && e.role === 'evaluator').map((e) => e.userId),
      days,
      callsPerNumber: programme.callsPerNumber,
      seed: pairSeed(programme.seed, pair.callerCode, pair.calledCode),
    });
  } catch (err) {
    if (err instanceof PlanError) throw new ValidationError({ _: err.message });
    throw err;
  }
  const rows: store.NewCall[] = planned.map((c) => ({
    programmeId, pairId, callerOrgId: orgId, calledOrgId: pair.calledOrgId, numberId: c.numberId, scenarioId: c.scenarioId,
    evaluatorId: c.evaluatorId, scheduledAt: parisInstant(c.date, c.minutes), slot: c.slot,
  }));
  // Checked again in the replacing transaction: a call may start in between.
  if (!(await store.replacePairCalls(ctx.db, orgId, pairId, rows, ctx.clock.now()))) throw planStarted();
  return rows.length;
}

export async function requirePlannedCall(ctx: Ctx, orgId: string, programmeId: string, callId: string) {
  const access = await requireCaller(ctx, orgId, programmeId);
  const call = await store.getCallerCall(ctx.db, orgId, programmeId, callId);
  if (!call) throw notFound('Appel');
  return { access, call };
}

/** Moves a planned call to another day or time, or gives it to another evaluator. */
export async function moveCall(ctx: Ctx, orgId: string, programmeId: string, callId: string, v: { date: string; time: string; evaluatorId: string }) {
  const { access, call } = await requirePlannedCall(ctx, orgId, programmeId, callId);
  if (call.call.status !== 'planned') throw conflict('Cet appel a commencé : il ne peut plus être déplacé ni réattribué.');
  const p = access.programme;
  if (v.date < p.startsOn || v.date > p.endsOn || !isWorkingDate(v.date, await workingDayOptions(ctx, call.call.calledOrgId))) {
    throw new ValidationError({ date: 'Choisissez un jour ouvré de la période de l’enquête.' });
  }
  const evaluators = await store.listEvaluators(ctx.db, orgId, programmeId);
  if (!evaluators.some((e) => e.userId === v.evaluatorId && e.active && e.role === 'evaluator')) {
    throw new ValidationError({ evaluatorId: 'Choisissez un évaluateur désigné pour cette enquête.' });
  }
  const others = await store.listNumberCalls(ctx.db, orgId, call.call.pairId, call.call.numberId);
  if (others.some((o) => o.id !== callId && o.evaluatorId === v.evaluatorId && parisDateOf(o.scheduledAt) === v.date)) {
    throw new ValidationError({ evaluatorId: 'Cet évaluateur appelle déjà ce numéro ce jour-là.' });
  }
  const [h, m] = v.time.split(':').map(Number);
  const minutes = h * 60 + m;
  const row = await store.updateCall(ctx.db, orgId, callId, { scheduledAt: parisInstant(v.date, minutes), slot: slotOf(minutes), evaluatorId: v.evaluatorId, updatedAt: ctx.clock.now() }, { status: ['planned'] });
  if (!row) throw conflict('Cet appel a commencé : il ne peut plus être déplacé ni réattribué.');
}

/**
 * Bulk reassignment (issue 14): the checked calls go to one evaluator, each at its own day and
 * time, with the same rules as one move. Calls already started, or that the evaluator cannot take
 * (already calling that number that day), are left as they were and reported.
 */
export async function reassignCalls(ctx: Ctx, orgId: string, programmeId: string, callIds: string[], evaluatorId: string) {
  const done: string[] = [];
  const refused: string[] = [];
  for (const id of [...new Set(callIds)]) {
    const { call } = await requirePlannedCall(ctx, orgId, programmeId, id);
    const at = call.call.scheduledAt;
    const label = `${parisDateOf(at)} ${String(Math.floor(parisMinutes(at) / 60)).padStart(2, '0')}:${String(parisMinutes(at) % 60).padStart(2, '0')} (${call.numberLabel})`;
    try {
      await moveCall(ctx, orgId, programmeId, id, { date: parisDateOf(at), time: label.slice(11, 16), evaluatorId });
      done.push(id);
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof AppError)) throw err;
      refused.push(`${label} : ${err instanceof ValidationError ? Object.values(err.fieldErrors).join(' ') : err.message}`);
    }
  }
  return { done: done.length, refused };
}

function parisMinutes(d: Date): number {
  const [h, m] = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d).split(':').map(Number);
  return h * 60 + m;
}

/** Reopens a submitted grid, or a draft left from another day, so the evaluator can complete it today. */
export async function reopenGrid(ctx: Ctx, orgId: string, programmeId: string, callId: string, userId: string | null) {
  const { call } = await requirePlannedCall(ctx, orgId, programmeId, callId);
  if (call.call.status === 'planned') throw conflict('Cet appel n’a pas encore de grille.');
  const now = ctx.clock.now();
  await store.updateCall(ctx.db, orgId, callId, { status: 'in_progress', gridStartedAt: now, submittedAt: null, reopenedAt: now, reopenedBy: userId, updatedAt: now }, { status: ['in_progress', 'submitted'] });
}

export type CallProgressState = 'done' | 'late' | 'remaining';

/** Done = grid submitted; late = planned on a past day and not submitted; remaining = the rest. */
export function progressState(call: { status: string; scheduledAt: Date }, today: string): CallProgressState {
  if (call.status === 'submitted') return 'done';
  return parisDateOf(call.scheduledAt) < today ? 'late' : 'remaining';
}

/** Per evaluator of the calling organisation: calls done, late and remaining (never marks). */
export async function progress(ctx: Ctx, orgId: string, programmeId: string) {
  await requireCaller(ctx, orgId, programmeId, { accepted: false });
  const calls = await store.listCallerCalls(ctx.db, orgId, programmeId);
  const today = parisDateOf(ctx.clock.now());
  const rows = new Map<string, { evaluatorId: string; evaluatorName: string; done: number; late: number; remaining: number; total: number }>();
  const total = { done: 0, late: 0, remaining: 0, total: 0 };
  for (const c of calls) {
    const r = rows.get(c.call.evaluatorId) ?? { evaluatorId: c.call.evaluatorId, evaluatorName: c.evaluatorName, done: 0, late: 0, remaining: 0, total: 0 };
    const s = progressState(c.call, today);
    r[s] += 1;
    r.total += 1;
    total[s] += 1;
    total.total += 1;
    rows.set(c.call.evaluatorId, r);
  }
  return { evaluators: [...rows.values()].sort((a, b) => a.evaluatorName.localeCompare(b.evaluatorName, 'fr')), total };
}
