import { z } from 'zod';

/** Checkboxes arrive as one string or an array; a CLI gives "fr,en". */
const localeList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v : (v ?? '').split(',')).map((s) => s.trim()).filter(Boolean));

const inactivity = z.coerce
  .number({ message: 'Indiquez une durée en secondes.' })
  .int('Indiquez un nombre entier de secondes.')
  .min(20, 'Au moins 20 secondes.')
  .max(600, 'Au plus 600 secondes (10 minutes).');

const common = {
  name: z.string().trim().min(2, 'Indiquez un nom pour la borne.').max(80, 'Au plus 80 caractères.'),
  siteId: z.string({ message: 'Choisissez un site.' }).uuid('Choisissez un site.'),
  locales: localeList,
};

export const kioskCreateSchema = z.object({
  ...common,
  surveyId: z.string({ message: 'Choisissez un questionnaire.' }).min(1, 'Choisissez un questionnaire.'),
  inactivitySeconds: inactivity.default(60),
});

export const kioskUpdateSchema = z.object({
  ...common,
  inactivitySeconds: inactivity,
});

export const heartbeatSchema = z.object({
  queued: z.number().int().min(0).max(1_000_000).optional(),
  /** Answer sets refused for good (4xx) that the tablet keeps aside, not retried. */
  parked: z.number().int().min(0).max(1_000_000).optional(),
});
export type Heartbeat = z.output<typeof heartbeatSchema>;

export type KioskCreate = z.output<typeof kioskCreateSchema>;
export type KioskUpdate = z.output<typeof kioskUpdateSchema>;
