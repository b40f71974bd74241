/**
 * The Programme Transparence measures: `measures.json` beside this file (data, not code: the
 * words users read and each measure's polarity, which is configurable and printed). Checked
 * once at first use and in a test; every problem listed at once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';

const measureSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  label: z.string().min(3),
  short: z.string().min(3),
  unit: z.enum(['percent', 'days', 'score5']),
  polarity: z.enum(['higher', 'lower']),
  source: z.enum(['computed', 'typed']),
  computedFrom: z.string().regex(/^(board:[a-z0-9-]+|survey:[a-z0-9-]+:[a-z0-9_]+)$/).optional(),
  origin: z.string().min(3),
}).strict().refine((m) => (m.source === 'computed') === (m.computedFrom !== undefined), { message: 'a computed measure, and only it, names computedFrom', path: ['computedFrom'] });

const fileSchema = z.object({ version: z.number().int().positive(), measures: z.array(measureSchema).min(1) }).strict()
  .refine((f) => new Set(f.measures.map((m) => m.id)).size === f.measures.length, { message: 'duplicate measure id', path: ['measures'] });

export type Measure = z.infer<typeof measureSchema>;

export function parseMeasures(text: string): Measure[] {
  const parsed = fileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`measures.json: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data.measures;
}

let loaded: Measure[] | undefined;
export function transparenceMeasures(): Measure[] {
  loaded ??= parseMeasures(fs.readFileSync(path.join(__dirname, 'measures.json'), 'utf8'));
  return loaded;
}

export const POLARITY_LABELS = { higher: 'plus haut = meilleur', lower: 'plus bas = meilleur' } as const;
