/** Query strings of the national pages: the quarter and the sort. */
import { z } from 'zod';
import { COLUMN_KEYS } from './national-figures';

export const QUARTER_RE = /^(\d{4})-T([1-4])$/;

export const nationalQuerySchema = z.object({
  trimestre: z.string().regex(QUARTER_RE, 'Indiquez un trimestre sous la forme AAAA-T1 à AAAA-T4.').optional(),
  tri: z.enum(['code', 'name', ...COLUMN_KEYS], { message: 'Colonne de tri inconnue.' }).optional().default('code'),
  ordre: z.enum(['asc', 'desc'], { message: 'Ordre de tri inconnu.' }).optional().default('asc'),
});
export type NationalQuery = z.output<typeof nationalQuerySchema>;
