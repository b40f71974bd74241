/**
 * Committee meeting use cases: record a meeting (participants by category, agenda, the
 * dossier's period and bilan), add or remove its PDF attachments, record the committee's
 * suggestions and turn one into an action of the plan.
 */
import type { Deps } from '../deps';
import { AppError, ValidationError, notFound } from '../errors';
import type { UploadedFile } from '../http/multipart';
import { createAction } from '../actions/action.service';
import { requireReport } from '../reports/report.service';
import { PARTICIPANT_CATEGORIES } from '../storage/schema';
import { formatDate } from '../format';
import { inspectPdf } from './pdf-merge';
import { KIND_LABELS, MAX_ATTACHMENTS, MAX_ATTACHMENT_BYTES, type MeetingForm } from './meeting.schemas';
import * as store from './meeting.store';

type Ctx = Pick<Deps, 'db' | 'clock'>;

async function toInput(ctx: Ctx, orgId: string, v: MeetingForm): Promise<store.MeetingInput> {
  if (v.reportId) {
    try {
      await requireReport(ctx, orgId, v.reportId);
    } catch {
      throw new ValidationError({ reportId: 'Bilan inconnu.' });
    }
  }
  return {
    heldOn: v.heldOn, kind: v.kind, agenda: v.agenda, periodStart: v.periodStart, periodEnd: v.periodEnd, reportId: v.reportId,
    participants: PARTICIPANT_CATEGORIES.flatMap((category) => v[category].map((name) => ({ category, name }))),
  };
}

export async function createMeeting(ctx: Ctx, orgId: string, userId: string | null, v: MeetingForm) {
  return store.insertMeeting(ctx.db, orgId, await toInput(ctx, orgId, v), userId);
}

export async function requireMeeting(ctx: Pick<Deps, 'db'>, orgId: string, id: string) {
  const row = await store.getMeeting(ctx.db, orgId, id);
  if (!row) throw notFound('Réunion');
  return row;
}

export async function updateMeeting(ctx: Ctx, orgId: string, id: string, v: MeetingForm) {
  await requireMeeting(ctx, orgId, id);
  return store.updateMeeting(ctx.db, orgId, id, await toInput(ctx, orgId, v));
}

/** « Comité local des usagers du 9 septembre 2019 » */
export function meetingTitle(m: Pick<store.MeetingRow, 'kind' | 'heldOn'>): string {
  return `${KIND_LABELS[m.kind]} du ${formatDate(m.heldOn)}`;
}

export async function addAttachment(ctx: Ctx, orgId: string, meetingId: string, title: string, file: UploadedFile | undefined) {
  await requireMeeting(ctx, orgId, meetingId);
  if (!file || file.data.length === 0) throw new ValidationError({ file: 'Choisissez un fichier PDF.' });
  if (file.data.length > MAX_ATTACHMENT_BYTES) throw new AppError(413, 'too_large', 'Le fichier est trop volumineux (5 Mo au plus).');
  if ((await store.countAttachments(ctx.db, orgId, meetingId)) >= MAX_ATTACHMENTS) throw new ValidationError({ file: `${MAX_ATTACHMENTS} pièces jointes au plus par réunion.` });
  const check = await inspectPdf(file.data);
  if (!check.ok) throw new ValidationError({ file: check.reason });
  const filename = file.name.replace(/[\\/\r\n"]+/g, '-').slice(0, 200);
  return store.insertAttachment(ctx.db, orgId, meetingId, { title, filename, bytes: file.data.length, pages: check.pages, data: file.data });
}

export async function removeAttachment(ctx: Ctx, orgId: string, meetingId: string, id: string) {
  await requireMeeting(ctx, orgId, meetingId);
  if (!(await store.deleteAttachment(ctx.db, orgId, meetingId, id))) throw notFound('Pièce jointe');
}

export async function addSuggestion(ctx: Ctx, orgId: string, meetingId: string, text: string) {
  await requireMeeting(ctx, orgId, meetingId);
  return store.insertSuggestion(ctx.db, orgId, meetingId, text);
}

/**
 * Turns a suggestion into an action of the plan (origin « suggestion du comité »), in one
 * transaction: a suggestion already turned into an action keeps its action (409).
 */
export async function suggestionToAction(ctx: Ctx, orgId: string, meetingId: string, suggestionId: string, userId: string | null) {
  const meeting = await requireMeeting(ctx, orgId, meetingId);
  const s = await store.getSuggestion(ctx.db, orgId, meetingId, suggestionId);
  if (!s) throw notFound('Suggestion');
  if (s.actionId) throw new AppError(409, 'conflict', 'Cette suggestion est déjà inscrite au plan d’actions.');
  const title = s.text.length > 300 ? `${s.text.slice(0, 299)}…` : s.text;
  return ctx.db.transaction(async (tx) => {
    const action = await createAction({ ...ctx, db: tx }, orgId, userId, {
      title, origin: 'comite', originNote: meetingTitle(meeting), complaintId: null, serviceId: null, dueOn: null, status: 'a_faire', comment: '', doneOn: null,
    });
    if (!(await store.linkSuggestion(tx, orgId, s.id, action.id))) throw new AppError(409, 'conflict', 'Cette suggestion est déjà inscrite au plan d’actions.');
    return action;
  });
}
