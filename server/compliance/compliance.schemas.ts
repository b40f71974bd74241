/** Input schemas of the compliance pages. */
import { z } from 'zod';
import { CONFORMITY_STATUSES } from '../storage/schema';
import { retentionRules } from './retention';

const text = (max: number) => z.string().trim().max(max, `${max} caractères au plus.`).default('');

/** Settings form: identity fields, then one `ret:<kind>` field per retention rule (days). */
export function settingsSchema() {
  const retention: Record<string, z.ZodType<number | undefined>> = {};
  for (const r of retentionRules()) {
    retention[`ret:${r.kind}`] = z.union([z.literal('').transform(() => undefined), z.coerce.number({ error: 'Nombre de jours attendu.' })
      .int('Nombre entier de jours.').min(r.minDays ?? 1, `Au moins ${r.minDays ?? 1} jours.`).max(36_500, 'Au plus 36 500 jours.')]).optional();
  }
  return z.object({
    publisher: text(300),
    publicationDirector: text(300),
    host: text(500),
    contactEmail: text(200).refine((v) => v === '' || /^[^\s@]+@[^\s@]+$/.test(v), 'Adresse électronique invalide.'),
    dpoContact: text(300),
    ...retention,
  }).transform((v) => {
    const out: Record<string, number> = {};
    for (const r of retentionRules()) {
      const days = (v as Record<string, unknown>)[`ret:${r.kind}`];
      if (typeof days === 'number') out[r.kind] = days;
    }
    return {
      publisher: v.publisher, publicationDirector: v.publicationDirector, host: v.host, contactEmail: v.contactEmail, dpoContact: v.dpoContact,
      retention: out,
    };
  });
}

export const statementSchema = z.object({
  status: z.enum(CONFORMITY_STATUSES, { error: 'Choisissez un état de conformité.' }),
  rate: z.union([z.literal('').transform(() => null), z.coerce.number({ error: 'Pourcentage attendu.' }).min(0, 'Entre 0 et 100.').max(100, 'Entre 0 et 100.')]).default(null),
  auditDate: z.union([z.literal('').transform(() => null), z.iso.date('Date au format AAAA-MM-JJ.')]).default(null),
  auditor: text(300),
  pagesAudited: text(5000),
  nonAccessible: text(10000),
  contact: text(500),
}).superRefine((v, ctx) => {
  // RGAA: « totalement » or « partiellement conforme » only on the strength of an audit.
  if (v.status !== 'non' && (v.rate == null || !v.auditDate)) {
    ctx.addIssue({ code: 'custom', path: ['status'], message: 'Sans audit (taux et date), la déclaration doit indiquer « non conforme ».' });
  }
  if (v.status === 'total' && v.rate != null && v.rate < 100) ctx.addIssue({ code: 'custom', path: ['status'], message: '« Totalement conforme » suppose 100 % des critères respectés.' });
  if (v.status === 'partiel' && v.rate != null && (v.rate < 50 || v.rate >= 100)) ctx.addIssue({ code: 'custom', path: ['status'], message: '« Partiellement conforme » : de 50 % à moins de 100 % des critères respectés.' });
  if (v.status === 'non' && v.rate != null && v.rate >= 50) ctx.addIssue({ code: 'custom', path: ['status'], message: 'Avec 50 % ou plus des critères respectés, la déclaration est au moins « partiellement conforme ».' });
});
