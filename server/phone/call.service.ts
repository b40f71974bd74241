/**
 * The evaluator's side: their calls (only those assigned to them, in their own organisation),
 * the attempts of a call, and its grid: saved as a draft and completed the same Paris day it
 * was opened, then submitted and locked (the calling organisation's referent can reopen it).
 */
import type { Request } from 'express';
import type { Deps } from '../deps';
import { orgOf, principal } from '../auth/policies';
import { AppError, conflict, notFound } from '../errors';
import { parisDateOf } from '../campaigns/calendar/working-days';
import { ensureCurrentVersion } from '../surveys/surveys.service';
import type { PhoneAttemptOutcome } from '../storage/schema';
import { attemptsProgress, gridConsistencyError, gridPrefill, type Attempt, type AttemptsProgress } from './attempts';
import { gridEntry } from './grid';
import * as store from './phone.store';

type Ctx = Pick<Deps, 'db' | 'clock' | 'surveys'>;

export interface Me {
  orgId: string;
  userId: string;
}

/** The evaluator making the request; an organisation token (no user) has no calls. */
export function evaluatorOf(req: Request): Me {
  const userId = principal(req).userId;
  if (!userId) throw notFound('Appel');
  return { orgId: orgOf(req), userId };
}

export type GridState = 'none' | 'editable' | 'expired' | 'submitted';

export interface CallDetail {
  view: store.CallView;
  programme: store.ProgrammeRow;
  attempts: store.AttemptRow[];
  progress: AttemptsProgress;
  grid: GridState;
  /** The answers to show in the grid: saved ones, or those prefilled from the attempts. */
  answers: Record<string, unknown>;
  /** Planned on a later day: attempts are not open yet. */
  notYet: boolean;
}

const toAttempt = (a: store.AttemptRow): Attempt => ({ n: a.n, outcome: a.outcome, waitSeconds: a.waitSeconds, rings: a.rings });

export async function myCalls(ctx: Ctx, me: Me) {
  return store.listEvaluatorCalls(ctx.db, me.orgId, me.userId);
}

function gridState(call: store.CallRow, progress: AttemptsProgress, today: string): GridState {
  if (call.status === 'submitted') return 'submitted';
  if (progress.state === 'pending') return 'none';
  if (call.gridStartedAt && parisDateOf(call.gridStartedAt) !== today) return 'expired';
  return 'editable';
}

export async function callDetail(ctx: Ctx, me: Me, callId: string): Promise<CallDetail> {
  const view = await store.getEvaluatorCall(ctx.db, me.orgId, me.userId, callId);
  if (!view) throw notFound('Appel');
  const [participation, attempts] = await Promise.all([
    store.getProgramme(ctx.db, me.orgId, view.call.programmeId),
    store.listAttempts(ctx.db, me.orgId, callId),
  ]);
  if (!participation) throw notFound('Appel');
  const programme = participation.programme;
  const progress = attemptsProgress(attempts.map(toAttempt), programme.maxAttempts);
  const today = parisDateOf(ctx.clock.now());
  const saved = (view.call.answers as Record<string, unknown> | null) ?? null;
  return {
    view, programme, attempts, progress,
    grid: gridState(view.call, progress, today),
    answers: saved ?? gridPrefill(attempts.map(toAttempt), programme.maxAttempts),
    notYet: parisDateOf(view.call.scheduledAt) > today,
  };
}

/** Records the next attempt; the one that settles the call (answered, or the last one) opens the grid for the day. */
export async function recordAttempt(ctx: Ctx, me: Me, callId: string, v: { outcome: PhoneAttemptOutcome; waitSeconds: number; rings: number | null }) {
  const d = await callDetail(ctx, me, callId);
  if (d.notYet) throw conflict('Cet appel est prévu un autre jour : il ne peut pas encore être passé.');
  if (d.progress.state !== 'pending' || d.view.call.status === 'submitted') throw conflict('Toutes les tentatives de cet appel sont notées.');
  const now = ctx.clock.now();
  const attempt = await store.insertAttempt(ctx.db, me.orgId, callId, { n: d.progress.made + 1, ...v, rings: v.outcome === 'personne' ? v.rings : null, at: now });
  if (!attempt) throw conflict('Cette tentative est déjà notée.');
  const after = attemptsProgress([...d.attempts.map(toAttempt), { n: attempt.n, outcome: attempt.outcome, waitSeconds: attempt.waitSeconds, rings: attempt.rings }], d.programme.maxAttempts);
  await store.updateCall(ctx.db, me.orgId, callId, { status: 'in_progress', updatedAt: now, ...(after.state !== 'pending' ? { gridStartedAt: now } : {}) }, {
    status: ['planned', 'in_progress'], evaluatorId: me.userId,
  });
  return after;
}

export function gridRefused(message: string, details?: unknown) {
  return new AppError(422, 'invalid_grid', message, details);
}

/**
 * Saves the grid. A draft may lack required answers but nothing else may be wrong; a
 * submission is checked in full, must agree with the attempts, and locks the grid.
 */
export async function saveGrid(ctx: Ctx, me: Me, callId: string, action: 'draft' | 'submit', answers: Record<string, unknown>) {
  const d = await callDetail(ctx, me, callId);
  if (d.grid === 'submitted') throw conflict('La grille est envoyée et verrouillée : seul le référent de votre organisation peut la rouvrir.');
  if (d.grid === 'none') throw conflict('Notez d’abord les tentatives de l’appel : la grille s’ouvre au décroché ou après la dernière tentative.');
  if (d.grid === 'expired') throw conflict('Ce brouillon date d’un autre jour : demandez au référent de votre organisation de le rouvrir.');
  const entry = gridEntry(ctx);
  const result = entry.validator.validate(answers);
  let data: Record<string, unknown>;
  if (result.ok) {
    data = result.data;
  } else {
    const blocking = action === 'draft' ? result.errors.filter((e) => e.code !== 'required') : result.errors;
    if (blocking.length) {
      throw gridRefused(action === 'draft' ? 'Le brouillon contient des réponses invalides.' : 'La grille est incomplète ou contient des réponses invalides.',
        blocking.map((e) => ({ question: e.question, code: e.code, message: e.message })));
    }
    // A draft keeps only answers to questions of the grid (unknown keys were refused above).
    data = Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== undefined));
  }
  if (action === 'submit') {
    const inconsistent = gridConsistencyError(data, d.attempts.map(toAttempt), d.programme.maxAttempts);
    if (inconsistent) throw gridRefused(inconsistent, [{ question: 'decroche', code: 'inconsistent', message: inconsistent }]);
  }
  await ensureCurrentVersion(ctx, entry);
  const now = ctx.clock.now();
  const row = await store.updateCall(ctx.db, me.orgId, callId, {
    answers: data, surveyVersion: entry.version, updatedAt: now, ...(action === 'submit' ? { status: 'submitted' as const, submittedAt: now } : {}),
  }, { status: ['in_progress'], evaluatorId: me.userId });
  if (!row) throw conflict('La grille a changé entre-temps : rechargez la page.');
  return row;
}
