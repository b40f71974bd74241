/** The referent's sampling form: which mailbox, which month, which rule. */
import { z } from 'zod';
import { monthSchema } from '../indicators/indicators.schemas';

export const samplingSchema = z.object({
  mailboxId: z.string().trim().uuid('Choisissez une boîte de service.'),
  mois: monthSchema,
  regle: z.enum(['all', 'first'], { message: 'Choisissez une règle d’échantillonnage.' }),
  nombre: z.string().trim().optional().default(''),
}).transform((v, ctx) => {
  if (v.regle === 'all') return { mailboxId: v.mailboxId, month: v.mois, rule: { kind: 'all' as const } };
  const n = Number(v.nombre);
  if (!/^\d{1,5}$/.test(v.nombre) || n < 1) {
    ctx.addIssue({ code: 'custom', path: ['nombre'], message: 'Nombre de courriels attendu (un entier supérieur à 0).' });
    return z.NEVER;
  }
  return { mailboxId: v.mailboxId, month: v.mois, rule: { kind: 'first' as const, n } };
});
