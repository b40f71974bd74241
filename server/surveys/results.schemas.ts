import { z } from 'zod';
import { calendarDay } from '../dates';

const day = z
  .string()
  .optional()
  .transform((v) => v || undefined)
  .pipe(calendarDay('Date attendue au format AAAA-MM-JJ (une date qui existe).').optional());

export const resultsQuerySchema = z
  .object({
    survey: z.string().optional().transform((v) => v || undefined),
    site: z.string().optional().transform((v) => v || undefined).pipe(z.string().uuid('Site inconnu.').optional()),
    from: day,
    to: day,
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'La date de début doit précéder la date de fin.', path: ['to'] });

export type ResultsQuery = z.output<typeof resultsQuerySchema>;
