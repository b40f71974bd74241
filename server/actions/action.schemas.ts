/** Input schemas of the action plan (an action, a review) and the French labels users read. */
import { z } from 'zod';
import { ACTION_ORIGINS, ACTION_STATUSES, type ActionOrigin, type ActionStatus } from '../storage/schema';

const day = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'Date attendue (AAAA-MM-JJ).')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'Date invalide.');
const optionalDay = z.union([day, z.literal('')]).optional().transform((s) => (s ? s : null));
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const optionalId = (message: string) => z.string().trim().optional().transform((s) => (s ? s.toLowerCase() : null)).refine((s) => s === null || uuid.test(s), message);

export const actionSchema = z.object({
  title: z.string().trim().min(1, 'Indiquez l’intitulé de l’action.').max(300, '300 caractères au plus.'),
  origin: z.enum(ACTION_ORIGINS, 'Choisissez l’origine.'),
  originNote: z.string().trim().max(1000, '1000 caractères au plus.').optional().transform((s) => s ?? ''),
  complaintId: optionalId('Réclamation inconnue.'),
  serviceId: optionalId('Service inconnu.'),
  dueOn: optionalDay,
  status: z.enum(ACTION_STATUSES, 'Choisissez l’état.').default('a_faire'),
  comment: z.string().trim().max(2000, '2000 caractères au plus.').optional().transform((s) => s ?? ''),
  doneOn: optionalDay,
});
export type ActionForm = z.output<typeof actionSchema>;

export const reviewSchema = z.object({
  reviewedOn: day,
  note: z.string().trim().max(2000, '2000 caractères au plus.').optional().transform((s) => s ?? ''),
});
export type ReviewForm = z.output<typeof reviewSchema>;

export const ORIGIN_LABELS: Record<ActionOrigin, string> = {
  enquete: 'Constat d’une enquête de satisfaction',
  reclamation: 'Réclamation',
  campagne: 'Enquête mystère (courriel ou téléphone)',
  indicateur: 'Indicateur non atteint',
  comite: 'Suggestion du comité',
};
export const STATUS_LABELS: Record<ActionStatus, string> = {
  a_faire: 'À faire', en_cours: 'En cours', realisee: 'Réalisée', abandonnee: 'Abandonnée',
};
