/** Query strings of the national pages: the quarter and the sort. */
import { z } from 'zod';
import { calendarDay } from '../dates';
import { COLUMN_KEYS } from './national-figures';

export const QUARTER_RE = /^(\d{4})-T([1-4])$/;

export const nationalQuerySchema = z.object({
  trimestre: z.string().regex(QUARTER_RE, 'Indiquez un trimestre sous la forme AAAA-T1 à AAAA-T4.').optional(),
  tri: z.enum(['code', 'name', ...COLUMN_KEYS], { message: 'Colonne de tri inconnue.' }).optional().default('code'),
  ordre: z.enum(['asc', 'desc'], { message: 'Ordre de tri inconnu.' }).optional().default('asc'),
});
export type NationalQuery = z.output<typeof nationalQuerySchema>;

const toNumber = (v: string | number | undefined) => (v === undefined || v === '' ? undefined : typeof v === 'number' ? v : Number(v.replace(',', '.')));
/** A number field of a form ('' = the default), accepting a decimal comma. */
const formInt = (schema: z.ZodNumber, fallback: number) =>
  z.union([z.string(), z.number()]).optional().transform((v) => toNumber(v) ?? fallback).pipe(schema);
const optionalInt = (schema: z.ZodNumber) => z.union([z.string(), z.number()]).optional().transform(toNumber).pipe(schema.optional());

/** The national phone round's form: dates, the programme's settings, the organisations (all active ones when empty) and an optional seed. */
export const roundSchema = z
  .object({
    name: z.string().trim().min(3, 'Indiquez le nom de la tournée.').max(160),
    startsOn: calendarDay('Indiquez la date de début (AAAA-MM-JJ).'),
    endsOn: calendarDay('Indiquez la date de fin (AAAA-MM-JJ).'),
    organisations: z.string().optional().default('')
      .transform((v) => [...new Set(v.split(/[\s,;]+/).map((s) => s.trim().toUpperCase()).filter(Boolean))])
      .pipe(z.array(z.string().regex(/^[0-9A-Z]{1,4}$/, 'Séparez les codes des organisations par des espaces ou des virgules.'))),
    // « éviter » (the form's default): no organisation calls another of its own region when a cycle allows it.
    voisins: z.string().optional().transform((v) => v === 'eviter'),
    seed: optionalInt(z.number({ message: 'Nombre entier attendu.' }).int('Nombre entier attendu.').min(1, 'Entre 1 et 2 147 483 646.').max(2 ** 31 - 2, 'Entre 1 et 2 147 483 646.')),
    callsPerNumber: formInt(z.number({ message: 'Nombre attendu.' }).int('Nombre entier attendu.').min(1, 'Au moins 1 appel par numéro.').max(20, 'Au plus 20 appels par numéro.'), 3),
    maxAttempts: formInt(z.number({ message: 'Nombre attendu.' }).int('Nombre entier attendu.').min(1, 'Au moins 1 tentative.').max(10, 'Au plus 10 tentatives.'), 3),
    attemptWaitMinutes: formInt(z.number({ message: 'Nombre attendu.' }).int('Nombre entier attendu.').min(1, 'Au moins 1 minute.').max(30, 'Au plus 30 minutes.'), 5),
    passMark: formInt(z.number({ message: 'Nombre attendu.' }).min(0, 'Entre 0 et 10.').max(10, 'Entre 0 et 10.'), 7),
  })
  .superRefine((v, ctx) => {
    if (v.endsOn < v.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'La fin doit suivre le début.' });
    else if (Date.parse(v.endsOn) - Date.parse(v.startsOn) > 366 * 86_400_000) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'Une tournée dure un an au plus.' });
  });
export type RoundInput = z.output<typeof roundSchema>;
