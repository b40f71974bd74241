/**
 * The indicator catalogue: `catalogue.json` beside this file (data, not code; versioned by its
 * `version` field and by git). Loaded and checked once, at boot (main.ts) and in a test:
 * every problem of the file is listed at once, like the survey catalogue.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';

export const UNITS = ['percent', 'days', 'count'] as const;
export const POLARITIES = ['higher', 'lower', 'none'] as const;
export const PERIODICITIES = ['monthly', 'quarterly'] as const;
export const SOURCES = ['computed', 'imported', 'typed'] as const;

const indicatorSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'identifiant en minuscules et tirets'),
  label: z.string().min(3),
  unit: z.enum(UNITS),
  polarity: z.enum(POLARITIES),
  nationalTarget: z.number().finite().nonnegative().nullable(),
  periodicity: z.enum(PERIODICITIES),
  source: z.enum(SOURCES),
  breakdown: z.enum(['bureau']).optional(),
  formula: z.string().min(10),
  /**
   * A computed indicator's rule that is a choice rather than a fact (which answers count as
   * satisfied), kept as data and printed on the board under the formula.
   */
  rule: z.object({
    question: z.string().regex(/^[a-z][a-z0-9_]*$/),
    satisfied: z.array(z.string().min(1)).min(1),
    excluded: z.array(z.string().min(1)),
  }).strict().optional(),
}).strict().refine((i) => i.nationalTarget === null || i.polarity !== 'none', { message: 'a target needs a polarity', path: ['nationalTarget'] })
  .refine((i) => i.unit !== 'percent' || i.nationalTarget === null || i.nationalTarget <= 100, { message: 'a percentage target is at most 100', path: ['nationalTarget'] });

const catalogueSchema = z.object({
  version: z.number().int().positive(),
  indicators: z.array(indicatorSchema).min(1),
}).strict().superRefine((c, ctx) => {
  const seen = new Set<string>();
  c.indicators.forEach((i, n) => {
    if (seen.has(i.id)) ctx.addIssue({ code: 'custom', message: `duplicate id ${i.id}`, path: ['indicators', n, 'id'] });
    seen.add(i.id);
  });
});

export type Indicator = z.infer<typeof indicatorSchema>;
export interface IndicatorCatalogue {
  version: number;
  indicators: readonly Indicator[];
  byId: ReadonlyMap<string, Indicator>;
}

export class IndicatorCatalogueError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`${problems.length} problem(s) in the indicator catalogue:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'IndicatorCatalogueError';
  }
}

export const CATALOGUE_FILE = path.join(__dirname, 'catalogue.json');

/** Parses and checks a catalogue text; throws one error listing every problem. */
export function parseCatalogue(text: string, file = 'catalogue.json'): IndicatorCatalogue {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new IndicatorCatalogueError([`${file}: ${(err as Error).message}`]);
  }
  const parsed = catalogueSchema.safeParse(json);
  if (!parsed.success) {
    throw new IndicatorCatalogueError(parsed.error.issues.map((i) => `${file}: ${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const indicators = parsed.data.indicators;
  return { version: parsed.data.version, indicators, byId: new Map(indicators.map((i) => [i.id, i])) };
}

let loaded: IndicatorCatalogue | undefined;

/** The catalogue of this build (read once). */
export function indicatorCatalogue(): IndicatorCatalogue {
  loaded ??= parseCatalogue(fs.readFileSync(CATALOGUE_FILE, 'utf8'), CATALOGUE_FILE);
  return loaded;
}

export const UNIT_LABELS: Record<Indicator['unit'], string> = { percent: '%', days: 'jours ouvrés', count: 'nombre' };
export const SOURCE_LABELS: Record<Indicator['source'], string> = { computed: 'calculé par Qualimètre', imported: 'importé', typed: 'saisi' };
