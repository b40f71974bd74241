/** Input schemas of the phone feature (forms and JSON alike); types are inferred from them. */
import { z } from 'zod';
import { calendarDay } from '../dates';
import { PHONE_ATTEMPT_OUTCOMES, PHONE_NUMBER_KINDS } from '../storage/schema';
import { SCENARIO_CATEGORIES } from './phone.format';

export const PHONE_NUMBER = /^\+?[0-9][0-9 .()-]{5,24}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isoDate = calendarDay;
/** A number field of a form ('' = absent), accepting a decimal comma. */
const formNumber = (schema: z.ZodNumber, fallback: number) =>
  z.union([z.string(), z.number()]).optional().transform((v) => (v === undefined || v === '' ? fallback : typeof v === 'number' ? v : Number(v.replace(',', '.')))).pipe(schema);
const optionalUuid = z.union([z.string(), z.null()]).optional().transform((v) => (v ? v : null)).pipe(z.string().regex(UUID, 'Choix invalide.').nullable());

/** « 38 > 74 », « 38 → 74 », « 38-74 » or « 38;74 », one pair a line. */
export const PAIR_LINE = /^\s*(2A|2B|97[1-6]|[0-9]{2,3})\s*(?:->|→|>|-|;|,)\s*(2A|2B|97[1-6]|[0-9]{2,3})\s*$/i;

export const programmeSchema = z
  .object({
    name: z.string().trim().min(3, 'Indiquez le nom de l’enquête.').max(160),
    startsOn: isoDate('Indiquez la date de début (AAAA-MM-JJ).'),
    endsOn: isoDate('Indiquez la date de fin (AAAA-MM-JJ).'),
    pairs: z
      .union([z.string(), z.array(z.string())])
      .transform((v) => (Array.isArray(v) ? v : v.split(/\r?\n/)).map((s) => s.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(PAIR_LINE, 'Écrivez un couple par ligne : « 38 > 74 » (l’organisation 38 appelle la 74).')).min(1, 'Indiquez au moins un couple « appelant > appelé ».').max(30))
      .transform((lines) => lines.map((l) => {
        const m = PAIR_LINE.exec(l)!;
        return { caller: m[1].toUpperCase(), called: m[2].toUpperCase() };
      })),
    callsPerNumber: formNumber(z.number().int('Nombre entier attendu.').min(1, 'Au moins 1 appel par numéro.').max(20, 'Au plus 20 appels par numéro.'), 3),
    maxAttempts: formNumber(z.number().int('Nombre entier attendu.').min(1, 'Au moins 1 tentative.').max(10, 'Au plus 10 tentatives.'), 3),
    attemptWaitMinutes: formNumber(z.number().int('Nombre entier attendu.').min(1, 'Au moins 1 minute.').max(30, 'Au plus 30 minutes.'), 5),
    passMark: formNumber(z.number({ message: 'Nombre attendu.' }).min(0, 'Entre 0 et 10.').max(10, 'Entre 0 et 10.'), 7),
  })
  .superRefine((v, ctx) => {
    if (v.endsOn < v.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'La fin doit suivre le début.' });
    else if (Date.parse(v.endsOn) - Date.parse(v.startsOn) > 366 * 86_400_000) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'Une enquête dure un an au plus.' });
    for (const p of v.pairs) if (p.caller === p.called) ctx.addIssue({ code: 'custom', path: ['pairs'], message: `Une organisation ne s’appelle pas elle-même (${p.caller}).` });
  });

export const numberSchema = z.object({
  kind: z.enum(PHONE_NUMBER_KINDS, { message: 'Choisissez le type de numéro.' }),
  label: z.string().trim().max(120).default(''),
  serviceId: optionalUuid,
  phone: z.string().trim().max(30).default('').refine((s) => s === '' || PHONE_NUMBER.test(s), 'Numéro de téléphone invalide.'),
}).superRefine((v, ctx) => {
  if (!v.serviceId && !v.phone) ctx.addIssue({ code: 'custom', path: ['phone'], message: 'Choisissez un service ou saisissez le numéro.' });
  if (!v.serviceId && v.label.length < 2) ctx.addIssue({ code: 'custom', path: ['label'], message: 'Indiquez un libellé (« Standard », « Bureau du séjour »…).' });
});

const categories = SCENARIO_CATEGORIES.map((c) => c.value) as [string, ...string[]];

export const scenarioSchema = z.object({
  numberId: optionalUuid,
  category: z.enum(categories, { message: 'Choisissez une catégorie.' }),
  question: z.string().trim().min(10, 'Écrivez la question telle qu’un usager la poserait.').max(1000),
  expectedAnswer: z.string().trim().min(3, 'Écrivez la réponse exacte attendue.').max(2000),
});

export const evaluatorsSchema = z.object({
  userIds: z.union([z.string(), z.array(z.string())]).optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string().regex(UUID, 'Choix invalide.')).max(200)),
});

export const generateSchema = z.object({ pairId: z.string().regex(UUID, 'Choix invalide.') });

export const moveSchema = z.object({
  date: isoDate('Indiquez la date (AAAA-MM-JJ).'),
  time: z.string().trim().regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'Indiquez l’heure (HH:MM).'),
  evaluatorId: z.string().regex(UUID, 'Choisissez un évaluateur.'),
});

export const attemptSchema = z.object({
  outcome: z.enum(PHONE_ATTEMPT_OUTCOMES, { message: 'Indiquez ce qui s’est passé.' }),
  waitSeconds: formNumber(z.number({ message: 'Nombre de secondes attendu.' }).int('Nombre entier de secondes attendu.').min(0).max(3600, 'Une heure au plus.'), NaN),
  rings: z.union([z.string(), z.number(), z.null()]).optional()
    .transform((v) => (v === undefined || v === null || v === '' ? null : Number(v)))
    .pipe(z.number({ message: 'Nombre attendu.' }).int('Nombre entier attendu.').min(0).max(100).nullable()),
});

export const gridSchema = z.object({
  action: z.enum(['draft', 'submit']),
  answers: z.record(z.string(), z.unknown()),
  /** '1' when the evaluator confirmed « Envoyer la grille » (a sent grid is locked). */
  confirme: z.literal('1').optional(),
});
