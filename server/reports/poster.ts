/**
 * The hall poster « Vos avis nous font progresser » (pure): every item of the survey with its
 * n and the period, the mystery e-mail and phone headline figures, and the improvements made.
 * Never any free text from visitors (the model holds none); a withheld figure is printed as
 * withheld, not dropped.
 */
import { formatNumber } from '../format';
import { blocMarqueLines } from './bloc-marque';
import type { ReportRow } from './metrics';
import type { ReportModel } from './report.model';

export const MAX_POSTER_IMPROVEMENTS = 6;

export interface PosterFigure {
  display: string;
  caption: string;
  label: string;
  /** What the figure rests on: « sur 212 réponses ». */
  basis: string;
  insufficient: boolean;
}

export interface PosterModel {
  title: string;
  orgName: string;
  /** The bloc-marque's lines (« Préfet », « de la Haute-Savoie »). */
  blocMarque: string[];
  periodLabel: string;
  /** The survey's overall question, printed first and larger; null when the survey has none. */
  overall: PosterFigure | null;
  /** Every other item of the survey, in the survey's order: weak and withheld ones included. */
  figures: PosterFigure[];
  /** Every item of the survey (key, label) and whether it is shown, for the selection form. */
  choices: { key: string; label: string; shown: boolean }[];
  /** What the figures cover: « Les 12 questions du questionnaire … ». */
  scope: string | null;
  /** The mystery e-mail and phone headline figures. */
  mystery: PosterFigure[];
  improvements: string[];
  footnotes: string[];
  producedAtLabel: string;
}

const OVERALL_KEYS = new Set(['accueil_global', 'satisfaction_globale', 'global']);

function basisOf(r: ReportRow, unit: [string, string], minCell: number): string {
  const n = `${formatNumber(r.n)}\u00a0${r.n > 1 ? unit[1] : unit[0]}`;
  return r.insufficient ? `${n} : moins de ${formatNumber(minCell)}, résultat non publié` : `sur ${n}`;
}

function item(r: ReportRow, minCell: number): PosterFigure {
  return { display: r.display, caption: r.insufficient ? '' : 'd’usagers satisfaits', label: r.label, basis: basisOf(r, ['réponse', 'réponses'], minCell), insufficient: !!r.insufficient };
}

/**
 * The poster shows every item of the survey (the one with the most answers), the overall
 * question first, each with its n, weak ones and « effectif insuffisant » ones included: a
 * poster that keeps only the best figures is what the label's auditors look for.
 */
export function posterModel(m: ReportModel, selection: readonly string[] | null = null): PosterModel {
  const footnotes: string[] = [];
  const minCell = m.minCellSize;
  const mystery: PosterFigure[] = [];
  const email = m.sections.find((s) => s.id === 'email')?.blocks[0]?.rows.find((r) => r.key === 'reponses_dans_delai');
  if (email) {
    mystery.push({ display: email.display, caption: email.insufficient ? '' : 'des courriels', label: `ont reçu une réponse dans le délai (${email.label.toLowerCase()})`, basis: basisOf(email, ['courriel envoyé', 'courriels envoyés'], minCell), insufficient: !!email.insufficient });
    footnotes.push('Courriels : enquête mystère (messages envoyés par des usagers fictifs).');
  }
  const phone = m.sections.find((s) => s.id === 'phone')?.blocks[0]?.rows.find((r) => r.key === 'appels_aboutis');
  if (phone) {
    mystery.push({ display: phone.display, caption: phone.insufficient ? '' : 'des appels', label: `aboutissent (objectif national ${phone.target?.display ?? '–'})`, basis: basisOf(phone, ['appel', 'appels'], minCell), insufficient: !!phone.insufficient });
    footnotes.push('Téléphone : enquête mystère (appels passés par des évaluateurs).');
  }
  const satisfaction = m.sections.find((s) => s.id === 'satisfaction');
  const block = satisfaction?.blocks.slice().sort((a, b) => Math.max(0, ...b.rows.map((r) => r.n)) - Math.max(0, ...a.rows.map((r) => r.n)))[0];
  let overall: PosterFigure | null = null;
  const figures: PosterFigure[] = [];
  let scope: string | null = null;
  const choices: PosterModel['choices'] = [];
  if (block && block.rows.length) {
    const overallRow = block.rows.find((r) => OVERALL_KEYS.has(r.key)) ?? null;
    overall = overallRow ? item(overallRow, minCell) : null;
    // A selection keeps the overall question, and is printed as a selection, never silently.
    const chosen = selection?.length ? new Set(selection) : null;
    for (const r of block.rows) {
      if (r === overallRow) continue;
      const shown = !chosen || chosen.has(r.key);
      choices.push({ key: r.key, label: r.label, shown });
      if (shown) figures.push(item(r, minCell));
    }
    const count = block.rows.length;
    const shownCount = figures.length + (overall ? 1 : 0);
    scope = chosen && shownCount < count
      ? `Sélection du référent : ${formatNumber(shownCount)} items sur ${formatNumber(count)} du questionnaire « ${block.title} »${block.subtitle ? ` (${block.subtitle})` : ''}.`
      : `${count > 1 ? `Les ${formatNumber(count)} questions` : 'La question'} du questionnaire « ${block.title} »${block.subtitle ? ` (${block.subtitle})` : ''}, toutes affichées, y compris celles où nous devons progresser.`;
    footnotes.push(`Part des réponses « satisfait » et « très satisfait » parmi les avis exprimés. Un résultat reposant sur moins de ${formatNumber(minCell)} réponses n’est pas publié (« effectif insuffisant »).`);
  }
  return {
    title: 'Vos avis nous font progresser',
    orgName: m.org.name,
    blocMarque: blocMarqueLines(m.org.name),
    periodLabel: m.periodLabel,
    overall,
    figures,
    choices,
    scope,
    mystery,
    improvements: m.improvements.slice(0, MAX_POSTER_IMPROVEMENTS),
    footnotes,
    producedAtLabel: m.producedAtLabel,
  };
}
