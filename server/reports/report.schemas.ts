import { z } from 'zod';
import { REPORT_COMPARISONS, REPORT_SECTIONS } from '../storage/schema';
import { calendarDay } from '../dates';

export const MAX_COMMENT_LENGTH = 1000;
export const MAX_IMPROVEMENTS_LENGTH = 3000;
/** A report period longer than this is refused (the trend would span decades). */
export const MAX_PERIOD_DAYS = 3 * 366;

const day = calendarDay;
/** A checkbox group: absent, one value or several. */
const many = <T extends string>(values: readonly [T, ...T[]]) =>
  z.union([z.enum(values), z.array(z.enum(values))]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? [...new Set(v)] : [v]));

export const reportSchema = z
  .object({
    title: z.string().trim().min(3, 'Indiquez un titre (3 caractères au moins).').max(160),
    periodStart: day('Indiquez la date de début (AAAA-MM-JJ).'),
    periodEnd: day('Indiquez la date de fin (AAAA-MM-JJ).'),
    comparison: z.enum(REPORT_COMPARISONS, { message: 'Choisissez une comparaison.' }).default('previous'),
    sections: many(REPORT_SECTIONS).pipe(z.array(z.enum(REPORT_SECTIONS)).min(1, 'Choisissez au moins une rubrique.')),
    surveyIds: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => (v === undefined ? [] : Array.isArray(v) ? [...new Set(v)] : [v]).filter(Boolean)),
  })
  .refine((v) => v.periodStart <= v.periodEnd, { message: 'La date de fin doit suivre la date de début.', path: ['periodEnd'] })
  .refine((v) => (Date.parse(v.periodEnd) - Date.parse(v.periodStart)) / 86_400_000 < MAX_PERIOD_DAYS, {
    message: 'La période ne peut dépasser trois ans.', path: ['periodEnd'],
  });
export type ReportForm = z.output<typeof reportSchema>;

/** Form fields of the comment boxes: `comment:<block key>`. */
export const COMMENT_PREFIX = 'comment:';

/** The comment boxes and the improvements of a report (forms post flat field names). */
export const commentsSchema = z
  .object({
    improvements: z.string().max(MAX_IMPROVEMENTS_LENGTH, `La liste des améliorations ne peut dépasser ${MAX_IMPROVEMENTS_LENGTH} caractères.`).optional().default(''),
  })
  .catchall(z.union([z.string(), z.array(z.string())]))
  .superRefine((v, ctx) => {
    for (const [k, text] of Object.entries(v)) {
      if (k.startsWith(COMMENT_PREFIX) && (typeof text !== 'string' || text.length > MAX_COMMENT_LENGTH)) {
        ctx.addIssue({ code: 'custom', path: [k], message: `Un commentaire ne peut dépasser ${MAX_COMMENT_LENGTH} caractères.` });
      }
    }
  })
  .transform((v) => ({
    improvements: v.improvements.trim(),
    comments: Object.fromEntries(
      Object.entries(v)
        .filter(([k, text]) => k.startsWith(COMMENT_PREFIX) && typeof text === 'string' && text.trim() !== '')
        .map(([k, text]) => [k.slice(COMMENT_PREFIX.length), (text as string).trim()]),
    ),
  }));

export const posterQuerySchema = z.object({
  format: z.enum(['a4', 'a3']).optional().default('a4'),
  // The referent's explicit selection of items (keys), printed as such on the poster (issue 14).
  items: z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? null : [v].flat().flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean).slice(0, 200))),
});

export const EXPORT_KINDS = ['reponses', 'courriels', 'appels'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const exportQuerySchema = z
  .object({
    kind: z.enum(EXPORT_KINDS, { message: 'Choisissez les données à exporter.' }),
    format: z.enum(['csv', 'xlsx'], { message: 'Choisissez un format.' }).default('csv'),
    survey: z.string().trim().optional().transform((v) => v || undefined),
    from: day('Indiquez la date de début (AAAA-MM-JJ).'),
    to: day('Indiquez la date de fin (AAAA-MM-JJ).'),
  })
  .refine((v) => v.from <= v.to, { message: 'La date de fin doit suivre la date de début.', path: ['to'] })
  .refine((v) => v.kind !== 'reponses' || !!v.survey, { message: 'Choisissez un questionnaire.', path: ['survey'] });
export type ExportQuery = z.output<typeof exportQuerySchema>;
