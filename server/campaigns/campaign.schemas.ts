import { z } from 'zod';
import { calendarDay } from '../dates';
import { HOLIDAY_ZONES, type HolidayZone } from './calendar/holidays';
import { SIGNATURE_ITEMS, type SignatureItemKey } from './classification/signature';
import { REPLY_CLASSES } from './classification/reply-classifier';
import { CAMPAIGN_MODES } from '../storage/schema';
import { checkbox } from './mailbox.schemas';

export const QUESTION_CATEGORIES = ['horaires', 'rendez-vous', 'pieces', 'associations', 'urbanisme', 'cabinet', 'sejour', 'autre'] as const;
export type QuestionCategory = (typeof QUESTION_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<QuestionCategory, string> = {
  horaires: 'Horaires',
  'rendez-vous': 'Rendez-vous',
  pieces: 'Liste de pièces',
  associations: 'Associations',
  urbanisme: 'Urbanisme',
  cabinet: 'Cabinet',
  sejour: 'Titres de séjour',
  autre: 'Question générale',
};

export const SIGNATURE_LABELS: Record<SignatureItemKey, string> = {
  firstName: 'Prénom',
  lastName: 'Nom',
  function: 'Fonction (qualité)',
  service: 'Service',
  address: 'Adresse administrative (postale ou électronique)',
  phone: 'Téléphone',
};

export const CLASS_LABELS: Record<(typeof REPLY_CLASSES)[number], string> = {
  acknowledgement: 'Accusé de réception',
  answer: 'Réponse',
  out_of_office: 'Absence (message d’un agent)',
  bounce: 'Non distribué (adresse invalide)',
  unrelated: 'Sans rapport',
};

export const MODE_LABELS = { send: 'Envoi par Qualimètre', analyse: 'Analyse d’une boîte (envois faits à la main)' } as const;

const many = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean));

const isoDate = calendarDay('Date attendue (AAAA-MM-JJ), une date qui existe.');
const hhmm = z.string().trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Heure attendue (HH:MM).').transform((s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3)));

/** « prenom = Camille; Louise » lines → { prenom: ['Camille', 'Louise'] }. */
const variables = z
  .union([z.string(), z.record(z.string(), z.array(z.string()))])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return {};
    if (typeof v !== 'string') return v;
    const out: Record<string, string[]> = {};
    for (const line of v.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
      const m = /^([a-zA-Z_]{2,30})\s*[=:]\s*(.+)$/.exec(line);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: `Ligne invalide : « ${line.slice(0, 40)} » (attendu : nom = valeur1; valeur2).` });
        return z.NEVER;
      }
      out[m[1].toLowerCase()] = m[2].split(';').map((s) => s.trim()).filter(Boolean);
    }
    return out;
  });

export const campaignSchema = z.object({
  name: z.string().trim().min(3, 'Indiquez le nom de la campagne.').max(160),
  mode: z.enum(CAMPAIGN_MODES, { message: 'Choisissez le mode.' }),
  mailboxId: z.string().uuid('Choisissez une boîte mystère.'),
  periodStart: isoDate,
  periodEnd: isoDate,
  // "serviceId|address" values of the checkboxes.
  targets: many.pipe(z.array(z.string().regex(/^[0-9a-f-]{36}\|[^|\s]+@[^|\s]+$/i, 'Cible invalide.')).min(1, 'Choisissez au moins un service.').max(200)),
  probesPerService: z.coerce.number().int().min(1, 'Au moins 1.').max(10, 'Au plus 10.').default(1),
  windowStart: hhmm.default(9 * 60),
  windowEnd: hhmm.default(17 * 60),
  seed: z.string().trim().max(64).optional().transform((v) => v || undefined),
  signatureChecklist: many.pipe(z.array(z.enum(SIGNATURE_ITEMS as [SignatureItemKey, ...SignatureItemKey[]])).min(1, 'Cochez au moins un élément.')),
  deadlineDays: z.coerce.number().int().min(1).max(60).default(5),
  holidayZone: z.enum(HOLIDAY_ZONES.map((z) => z.zone) as [HolidayZone, ...HolidayZone[]]).default('metropole'),
  whitMondayWorked: checkbox,
  retentionDays: z.coerce.number().int().min(30, 'Au moins 30 jours.').max(3650).default(365),
  variables,
  defaultQuestions: checkbox,
}).superRefine((v, ctx) => {
  if (v.periodEnd < v.periodStart) ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: 'La fin doit suivre le début.' });
  if (v.windowEnd - v.windowStart < 30) ctx.addIssue({ code: 'custom', path: ['windowEnd'], message: 'La plage d’envoi doit durer au moins 30 minutes.' });
});
export type CampaignInput = z.output<typeof campaignSchema>;

export const questionSchema = z.object({
  category: z.enum(QUESTION_CATEGORIES, { message: 'Choisissez une catégorie.' }),
  subject: z.string().trim().min(3, 'Indiquez l’objet.').max(200),
  body: z.string().trim().min(10, 'Rédigez le message.').max(5000),
});

export const correctionSchema = z.object({
  field: z.enum(['class', 'probe', 'signature', 'anonymity']),
  replyClass: z.enum(REPLY_CLASSES as [string, ...string[]]).optional(),
  // '' = detach from any probe.
  probeId: z.union([z.literal(''), z.string().uuid()]).optional(),
  items: many.pipe(z.array(z.enum(SIGNATURE_ITEMS as [SignatureItemKey, ...SignatureItemKey[]]))),
  anonymityJustified: checkbox,
}).superRefine((v, ctx) => {
  if (v.field === 'class' && !v.replyClass) ctx.addIssue({ code: 'custom', path: ['replyClass'], message: 'Choisissez une classe.' });
  if (v.field === 'probe' && v.probeId === undefined) ctx.addIssue({ code: 'custom', path: ['probeId'], message: 'Choisissez un message.' });
});
export type CorrectionInput = z.output<typeof correctionSchema>;

/** A starting bank of questions, in a citizen's words (the referent edits them). */
export const DEFAULT_QUESTIONS: { category: QuestionCategory; subject: string; body: string }[] = [
  { category: 'horaires', subject: 'Horaires d’ouverture', body: 'Bonjour,\n\nPourriez-vous m’indiquer les horaires d’ouverture de votre accueil la semaine prochaine ? Je souhaiterais venir sans rendez-vous si c’est possible.\n\nMerci d’avance,\n{{prenom}} {{nom}}' },
  { category: 'rendez-vous', subject: 'Prise de rendez-vous', body: 'Bonjour,\n\nJe n’arrive pas à trouver de créneau sur le site pour déposer mon dossier. Comment puis-je obtenir un rendez-vous ?\n\nCordialement,\n{{prenom}} {{nom}}' },
  { category: 'pieces', subject: 'Pièces à fournir', body: 'Bonjour,\n\nQuelles sont les pièces à fournir pour ma démarche ? Je voudrais être sûr(e) de ne rien oublier avant de venir.\n\nBien à vous,\n{{prenom}} {{nom}}' },
  { category: 'associations', subject: 'Déclaration de modification d’une association', body: 'Bonjour,\n\nNotre association vient de changer de président. Quelle démarche devons-nous faire et dans quel délai ?\n\nMerci,\n{{prenom}} {{nom}}' },
  { category: 'urbanisme', subject: 'Question sur un permis de construire', body: 'Bonjour,\n\nJe souhaite construire un abri de jardin à {{commune}}. Dois-je déposer une déclaration préalable ou un permis ?\n\nCordialement,\n{{prenom}} {{nom}}' },
  { category: 'cabinet', subject: 'Demande d’information', body: 'Bonjour,\n\nÀ qui dois-je m’adresser pour inviter M. le Préfet à l’inauguration d’un équipement de notre commune ?\n\nRespectueusement,\n{{prenom}} {{nom}}' },
];
