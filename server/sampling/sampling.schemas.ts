/**
 * The referent's forms: the sampling form (which mailbox, which month, which rule — by default
 * a week drawn at random) and the review of a doubtful message.
 */
import { z } from 'zod';
import { monthSchema } from '../indicators/indicators.schemas';
import { monthLabel } from '../indicators/board';
import { isMonday, weekInMonth } from './sampling-rule';
import type { RuleRequest } from './sampling.job';

export const samplingSchema = z.object({
  mailboxId: z.string().trim().uuid('Choisissez une boîte de service.'),
  mois: monthSchema,
  regle: z.enum(['random-week', 'week', 'all', 'first'], { message: 'Choisissez une règle d’échantillonnage.' }),
  semaine: z.string().trim().optional().default(''),
  nombre: z.string().trim().optional().default(''),
}).transform((v, ctx): { mailboxId: string; month: string; rule: RuleRequest } => {
  const base = { mailboxId: v.mailboxId, month: v.mois };
  switch (v.regle) {
    case 'all': return { ...base, rule: { kind: 'all' } };
    case 'random-week': return { ...base, rule: { kind: 'draw' } };
    case 'week': {
      if (!isMonday(v.semaine)) {
        ctx.addIssue({ code: 'custom', path: ['semaine'], message: 'Indiquez le lundi de la semaine choisie (AAAA-MM-JJ).' });
        return z.NEVER;
      }
      if (!weekInMonth(v.semaine, v.mois)) {
        ctx.addIssue({ code: 'custom', path: ['semaine'], message: `Ce lundi n’est pas en ${monthLabel(v.mois)} : choisissez le lundi d’une semaine du mois échantillonné.` });
        return z.NEVER;
      }
      return { ...base, rule: { kind: 'week', monday: v.semaine } };
    }
    case 'first': {
      const n = Number(v.nombre);
      if (!/^\d{1,5}$/.test(v.nombre) || n < 1) {
        ctx.addIssue({ code: 'custom', path: ['nombre'], message: 'Nombre de courriels attendu (un entier supérieur à 0).' });
        return z.NEVER;
      }
      return { ...base, rule: { kind: 'first', n } };
    }
  }
});

/** « Réponse trouvée » (with the reply picked, by its uid in the sent folder), « Pas de réponse », « Exclure ». */
export const reviewSchema = z.object({
  decision: z.enum(['answered', 'unanswered', 'excluded'], { message: 'Choisissez une décision.' }),
  reponse: z.string().trim().optional().default(''),
}).transform((v, ctx) => {
  if (v.decision !== 'answered') return { decision: v.decision, replyUid: null };
  if (!/^\d{1,10}$/.test(v.reponse)) {
    ctx.addIssue({ code: 'custom', path: ['reponse'], message: 'Choisissez la réponse trouvée parmi celles du dossier des envoyés.' });
    return z.NEVER;
  }
  return { decision: v.decision, replyUid: Number(v.reponse) };
});
