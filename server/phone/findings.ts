/**
 * Findings (constats) worded like the seed's minutes, from summaries (pure). A finding on a
 * figure is given only when that figure's n reaches the minimum cell size; the answering-machine
 * finding is a fact about every call made to a number, and says how many calls it rests on.
 */
import { formatNumber, formatPercent } from '../format';
import { ANSWERED_RATE_TARGET, type Summary } from './scoring';

export interface NumberSummary {
  label: string;
  summary: Summary;
}

const mark = (x: number) => `${formatNumber(x, 1)}/10`;
/** The pass mark as set: « 7/10 », « 6,5/10 ». */
export const passMarkText = (x: number) => `${new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 }).format(x)}/10`;
const calls = (n: number) => `${n} appel${n > 1 ? 's' : ''}`;

export function findings(overall: Summary, numbers: readonly NumberSummary[], opts: { passMark: number; minCellSize: number }): string[] {
  const out: string[] = [];
  const min = opts.minCellSize;
  const pass = passMarkText(opts.passMark);

  for (const { label, summary: s } of numbers) {
    if (s.calls > 0 && s.machineOnly === s.calls) {
      out.push(`${label} : absence de permanence téléphonique et renvoi systématique vers un répondeur (${calls(s.calls)} sur ${s.calls}).`);
    }
  }

  const a = overall.answered;
  if (a.rate !== null && a.n >= min) {
    const target = formatPercent(ANSWERED_RATE_TARGET);
    out.push(
      a.rate >= ANSWERED_RATE_TARGET
        ? `Taux d’appels aboutis de ${formatPercent(a.rate)}, conforme à l’objectif national de ${target}.`
        : `Taux d’appels aboutis de ${formatPercent(a.rate)}, inférieur à l’objectif national de ${target}.`,
    );
  }
  const f = overall.form;
  if (f.mean !== null && f.n >= min) {
    out.push(
      f.mean >= opts.passMark
        ? `Professionnalisme et courtoisie de l’accueil téléphonique : note de forme de ${mark(f.mean)}, qui atteint le seuil de réussite (${pass}).`
        : `Accueil téléphonique à améliorer sur la forme : note de ${mark(f.mean)}, sous le seuil de réussite (${pass}).`,
    );
  }
  const sub = overall.substance;
  if (sub.mean !== null && sub.n >= min) {
    out.push(
      sub.mean >= opts.passMark
        ? `Qualité des réponses apportées : note de fond de ${mark(sub.mean)}, qui atteint le seuil de réussite (${pass}).`
        : `Qualité des réponses sur le fond insuffisante : note de ${mark(sub.mean)}, sous le seuil de réussite (${pass}).`,
    );
  }
  return out;
}
