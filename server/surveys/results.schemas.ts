import { z } from 'zod';

const day = z
  .string()
  .optional()
  .transform((v) => v || undefined)
  .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Date attendue au format AAAA-MM-JJ.').refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'Date invalide.').optional());

export const resultsQuerySchema = z
  .object({
    survey: z.string().optional().transform((v) => v || undefined),
    site: z.string().optional().transform((v) => v || undefined).pipe(z.string().uuid('Site inconnu.').optional()),
    from: day,
    to: day,
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'La date de début doit précéder la date de fin.', path: ['to'] });

export type ResultsQuery = z.output<typeof resultsQuerySchema>;
