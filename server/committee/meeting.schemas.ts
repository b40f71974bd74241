/** Input schemas of committee meetings (the meeting, an attachment's title, a suggestion) and the labels users read. */
import { z } from 'zod';
import { MEETING_KINDS, PARTICIPANT_CATEGORIES, type MeetingKind, type ParticipantCategory } from '../storage/schema';

const day = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'Date attendue (AAAA-MM-JJ).')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'Date invalide.');
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A textarea of one entry per line (participants, agenda): blank lines dropped. */
const lines = (maxLines: number, maxLength: number) => z.string().optional().transform((s) => (s ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean))
  .refine((l) => l.length <= maxLines, `${maxLines} lignes au plus.`)
  .refine((l) => l.every((x) => x.length <= maxLength), `${maxLength} caractères au plus par ligne.`);

export const meetingSchema = z.object({
  heldOn: day,
  kind: z.enum(MEETING_KINDS, 'Choisissez le type de comité.'),
  administration: lines(40, 200),
  usagers: lines(40, 200),
  collectivites: lines(40, 200),
  defenseur: lines(10, 200),
  agenda: lines(20, 300).refine((l) => l.length > 0, 'Indiquez au moins un point à l’ordre du jour.'),
  periodStart: day,
  periodEnd: day,
  reportId: z.string().trim().optional().transform((s) => (s ? s.toLowerCase() : null)).refine((s) => s === null || uuid.test(s), 'Bilan inconnu.'),
}).refine((v) => v.periodStart <= v.periodEnd, { path: ['periodEnd'], message: 'La fin de la période précède son début.' });
export type MeetingForm = z.output<typeof meetingSchema>;

export const attachmentSchema = z.object({
  title: z.string().trim().min(1, 'Indiquez le titre de la pièce (ex. : Charte de l’utilisateur).').max(200, '200 caractères au plus.'),
});

export const suggestionSchema = z.object({
  text: z.string().trim().min(1, 'Écrivez la suggestion.').max(2000, '2000 caractères au plus.'),
});

export const KIND_LABELS: Record<MeetingKind, string> = { clu: 'Comité local des usagers', copil: 'Comité de pilotage' };
export const CATEGORY_LABELS: Record<ParticipantCategory, string> = {
  administration: 'Représentants de l’administration',
  usagers: 'Représentants des usagers (associations)',
  collectivites: 'Représentants des collectivités territoriales',
  defenseur: 'Délégué du Défenseur des droits',
};
export { PARTICIPANT_CATEGORIES };

/** The seed's agenda of a comité local des usagers, and a steering committee's usual one. */
export const DEFAULT_AGENDA: Record<MeetingKind, string[]> = {
  clu: ['Présentation de la démarche', 'Présentation de nos résultats', 'Recueil des suggestions des représentants des usagers', 'Visite des locaux'],
  copil: ['Revue du plan d’actions', 'Présentation de nos résultats', 'Questions diverses'],
};

/** Attachments: PDF only, at most this many per meeting (each at most 5 MB: the upload limit). */
export const MAX_ATTACHMENTS = 10;
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
