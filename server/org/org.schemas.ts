import { z } from 'zod';
import { SITE_KINDS } from '../storage/schema';
import { HOLIDAY_ZONES, type HolidayZone } from '../campaigns/calendar/holidays';
import { QUESTION_CATEGORIES } from '../campaigns/campaign.schemas';

/** Categories a service can declare it handles (general questions suit every service). */
export const SERVICE_CATEGORIES = QUESTION_CATEGORIES.filter((c) => c !== 'autre');
const checkboxes = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean));

const ZONES = HOLIDAY_ZONES.map((z) => z.zone) as [HolidayZone, ...HolidayZone[]];

/** A textarea or a JSON array: one value per line. */
const lines = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v : (v ?? '').split(/\r?\n|,|;/)).map((s) => s.trim()).filter(Boolean));

const PHONE = /^\+?[0-9][0-9 .()-]{5,24}$/;

export const siteSchema = z.object({
  name: z.string().trim().min(2, 'Indiquez le nom du site.').max(120),
  kind: z.enum(SITE_KINDS, { message: 'Choisissez un type de site.' }),
  address: z.string().trim().max(300).default(''),
});

export const serviceSchema = z.object({
  name: z.string().trim().min(2, 'Indiquez le nom du service.').max(160),
  emails: lines.pipe(z.array(z.string().email('Une des adresses électroniques est invalide.').max(254)).max(20)),
  phones: lines.pipe(z.array(z.string().regex(PHONE, 'Un des numéros de téléphone est invalide.')).max(20)),
  categories: checkboxes.pipe(z.array(z.enum(SERVICE_CATEGORIES as unknown as [string, ...string[]], { message: 'Catégorie inconnue.' })).max(20))
    .transform((l) => [...new Set(l)]),
});

export const organisationSchema = z.object({
  code: z.string().trim().regex(/^(2A|2B|97[1-6]|[0-9]{2,3})$/, 'Code de département attendu (74, 2A, 971…).'),
  name: z.string().trim().min(3, 'Indiquez le nom de la préfecture.').max(160),
  holidayZone: z.enum(ZONES).default('metropole'),
});

export const inviteSchema = z.object({
  email: z.string().trim().toLowerCase().email('Saisissez une adresse électronique valide.'),
  role: z.enum(['referent', 'viewer', 'evaluator'], { message: 'Choisissez un rôle.' }),
});

export const userUpdateSchema = z.object({
  role: z.enum(['referent', 'viewer', 'evaluator'], { message: 'Choisissez un rôle.' }),
  active: z.union([z.literal('on'), z.literal('true'), z.boolean()]).optional().transform((v) => v === true || v === 'on' || v === 'true'),
});

export const SITE_KIND_LABELS: Record<(typeof SITE_KINDS)[number], string> = {
  accueil_general: 'Accueil général',
  accueil_etrangers: 'Accueil des étrangers',
  point_numerique: 'Point numérique',
  autre: 'Autre',
};
