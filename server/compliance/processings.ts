/**
 * The one source of the personal-data notices and of the processing register (art. 30 GDPR):
 * processings.json, checked at load. Retention texts name a retention kind; the days come from
 * the organisation's settings or the rule's default, so the notice, the register and the purge
 * always agree. Also loads the list of RGAA criteria checked outside axe.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const processingSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  purpose: z.string().min(1),
  subjects: z.array(z.string().min(1)).min(1),
  data: z.array(z.string().min(1)).min(1),
  notCollected: z.string().min(1),
  recipients: z.array(z.string().min(1)).min(1),
  retention: z.array(z.object({ kind: z.string().optional(), text: z.string().min(1) }).strict()).min(1),
  security: z.string().min(1),
}).strict();

const fileSchema = z.object({
  legalBasis: z.string().min(1),
  rights: z.string().min(1),
  processings: z.array(processingSchema).min(1),
}).strict();

const checksSchema = z.object({
  checks: z.array(z.object({ criterion: z.string().regex(/^\d+\.\d+$/), title: z.string().min(1), how: z.string().min(1) }).strict()),
}).strict();

export type Processing = z.infer<typeof processingSchema>;
export type ProcessingsFile = z.infer<typeof fileSchema>;
export type ManualCheck = z.infer<typeof checksSchema>['checks'][number];

function load<T>(file: string, schema: z.ZodType<T>): T {
  const full = path.join(__dirname, file);
  const parsed = schema.safeParse(JSON.parse(fs.readFileSync(full, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`server/compliance/${file}: ${problems}`);
  }
  return parsed.data;
}

let cached: { processings: ProcessingsFile; checks: ManualCheck[] } | null = null;

export function complianceData() {
  cached ??= { processings: load('processings.json', fileSchema), checks: load('rgaa-manual-checks.json', checksSchema).checks };
  return cached;
}
