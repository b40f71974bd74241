/** Input schema of a complaint (the referent's form and the API); contact details are optional, never required. */
import { z } from 'zod';
import { COMPLAINT_CHANNELS, COMPLAINT_KINDS } from '../storage/schema';

const day = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'Date attendue (AAAA-MM-JJ).')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'Date invalide.');
const optionalText = (max: number) => z.string().trim().max(max, `${max} caractères au plus.`).optional().transform((s) => (s ? s : null));
const text = (max: number) => z.string().trim().max(max, `${max} caractères au plus.`).optional().transform((s) => s ?? '');
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const complaintSchema = z.object({
  channel: z.enum(COMPLAINT_CHANNELS, 'Choisissez le canal.'),
  kind: z.enum(COMPLAINT_KINDS, 'Choisissez le type.').default('reclamation'),
  serviceId: z.string().trim().optional().transform((s) => (s ? s : null)).refine((s) => s === null || uuid.test(s), 'Service inconnu.'),
  matricule: optionalText(20),
  receivedOn: day,
  answeredOn: z.union([day, z.literal('')]).optional().transform((s) => (s ? s : null)),
  subject: text(2000),
  answerSummary: text(2000),
  correctiveMeasure: text(2000),
  contactName: optionalText(200),
  contactEmail: z.union([z.email('Adresse électronique invalide.').max(200), z.literal('')]).optional().transform((s) => (s ? s : null)),
  contactPhone: optionalText(40),
  contactAddress: optionalText(400),
});

export type ComplaintForm = z.output<typeof complaintSchema>;

export const CHANNEL_LABELS = {
  borne: 'Formulaire sur borne (hall)', lien_public: 'Formulaire en ligne (lien public)', papier: 'Formulaire papier (urne)', site: 'Site internet', courriel: 'Courriel',
} as const;
export const KIND_LABELS = { reclamation: 'Réclamation', suggestion: 'Suggestion' } as const;
