/** Input schemas of the board's forms and API (types inferred, never written twice). */
import { z } from 'zod';
import { IMPORT_KINDS } from '../storage/schema';

export const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** "2019-07" → "2019-07-01". */
export const monthSchema = z.string().trim().regex(MONTH, 'Mois attendu au format AAAA-MM.').transform((m) => `${m}-01`);

/** A French decimal ("94,5") or blank (→ null). */
const decimal = z.string().trim().transform((s, ctx) => {
  if (s === '') return null;
  const t = s.replace(/[\s\u00a0\u202f]/g, '').replace(/%$/, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(t)) {
    ctx.addIssue({ code: 'custom', message: 'Nombre attendu (par exemple 94 ou 2,75).' });
    return z.NEVER;
  }
  return Number(t);
});

/** Fields named `<prefix><id>` → { id: number | null }. */
function prefixed(prefix: string) {
  return z.record(z.string(), z.unknown()).transform((body, ctx) => {
    const out: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(body)) {
      if (!k.startsWith(prefix)) continue;
      const parsed = decimal.safeParse(typeof v === 'string' ? v : '');
      if (!parsed.success) ctx.addIssue({ code: 'custom', path: [k], message: parsed.error.issues[0].message });
      else out[k.slice(prefix.length)] = parsed.data;
    }
    return out;
  });
}

export const targetsSchema = prefixed('target:');

export const typedValuesSchema = z.object({ mois: monthSchema }).passthrough().and(prefixed('value:'))
  .transform((v) => {
    const { mois, ...rest } = v as Record<string, unknown> & { mois: string };
    const values = Object.fromEntries(Object.entries(rest).filter(([k, x]) => k !== 'mois' && typeof x === 'number')) as Record<string, number>;
    return { month: mois, values };
  });

export const uploadSchema = z.object({ kind: z.enum(IMPORT_KINDS, 'Choisissez le type de fichier.') });

export const mappingSchema = z.record(z.string(), z.unknown()).transform((body) => {
  const mapping: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (k.startsWith('map:') && typeof v === 'string' && v) mapping[k.slice(4)] = v;
  return { mapping, skipBadLines: body.skipBadLines === 'on' || body.skipBadLines === '1', action: body.action === 'abandon' ? 'abandon' as const : body.action === 'store' ? 'store' as const : 'preview' as const };
});

export const boardQuerySchema = z.object({ mois: z.string().trim().regex(MONTH, 'Mois attendu au format AAAA-MM.').optional() });

export const attendanceQuerySchema = z.object({ annee: z.string().trim().regex(/^(19|20)\d{2}$/, 'Année attendue sur quatre chiffres.').transform(Number).optional() });

export const apiRangeSchema = z.object({
  from: monthSchema,
  to: monthSchema,
}).refine((v) => v.from <= v.to, { message: '`from` doit précéder `to`.', path: ['to'] })
  .refine((v) => Number(v.to.slice(0, 4)) * 12 + Number(v.to.slice(5, 7)) - (Number(v.from.slice(0, 4)) * 12 + Number(v.from.slice(5, 7))) < 60, { message: 'Cinq ans au plus.', path: ['to'] });
