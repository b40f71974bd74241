/** Input schemas of the town-hall pages (positions, checks, department, commune picker). */
import { z } from 'zod';
import { TOWN_HALL_CHANNELS } from '../storage/schema';
import { isQuarterId } from '../quarters';

const day = z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, 'Date attendue (AAAA-MM-JJ).')
  .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'Date invalide.');
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** « 45,9 » or « 45.9 »; blank means « no position ». */
const coordinate = (min: number, max: number, what: string) => z.string().trim().optional().transform((s, ctx) => {
  if (!s) return null;
  const v = Number(s.replace(',', '.'));
  if (!Number.isFinite(v) || v < min || v > max) {
    ctx.addIssue({ code: 'custom', message: `${what} entre ${min} et ${max} (degrés décimaux).` });
    return z.NEVER;
  }
  return v;
});

export const positionSchema = z.object({
  lat: coordinate(-90, 90, 'Latitude'),
  lon: coordinate(-180, 180, 'Longitude'),
}).superRefine((v, ctx) => {
  if ((v.lat === null) !== (v.lon === null)) ctx.addIssue({ code: 'custom', message: 'Indiquez la latitude et la longitude, ou aucune des deux.', path: [v.lat === null ? 'lat' : 'lon'] });
});

export const checkSchema = z.object({
  townHallId: z.string().trim().regex(uuid, 'Choisissez la mairie.'),
  checkedOn: day,
  channel: z.enum(TOWN_HALL_CHANNELS, 'Choisissez le canal.'),
  noSlot: z.string().optional().transform((s) => s === 'on' || s === '1'),
  firstSlotOn: z.union([day, z.literal('')]).optional().transform((s) => (s ? s : null)),
}).superRefine((v, ctx) => {
  if (v.noSlot && v.firstSlotOn) ctx.addIssue({ code: 'custom', message: 'Une date de rendez-vous ou « pas de créneau », pas les deux.', path: ['firstSlotOn'] });
  if (!v.noSlot && !v.firstSlotOn) ctx.addIssue({ code: 'custom', message: 'Indiquez la date du premier rendez-vous proposé, ou cochez « pas de créneau ».', path: ['firstSlotOn'] });
  if (v.firstSlotOn && v.firstSlotOn < v.checkedOn) ctx.addIssue({ code: 'custom', message: 'Le rendez-vous ne peut précéder la date du contrôle.', path: ['firstSlotOn'] });
});
export type CheckForm = z.output<typeof checkSchema>;

export const departmentSchema = z.object({
  departmentCode: z.string().trim().toUpperCase().regex(/^(\d{2}|2A|2B|97\d)$/, 'Code de département attendu (« 74 », « 2A », « 974 »).'),
});

export const communesSchema = z.object({
  codes: z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .refine((a) => a.length > 0, 'Cochez au moins une commune.').refine((a) => a.every((c) => /^\d[0-9AB]\d{3}$/.test(c)), 'Code de commune invalide.'),
});

export const quarterQuerySchema = z.object({
  trimestre: z.string().optional().refine((s) => s === undefined || isQuarterId(s), 'Trimestre attendu (AAAA-Tn).'),
});

export const CHANNEL_LABELS = { online: 'Rendez-vous en ligne', phone: 'Téléphone' } as const;
