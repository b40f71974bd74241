/**
 * The public results page's words (pure): the published report as sentences a visitor reads
 * without a statistics course. Every item is listed, weak and withheld ones included, each with
 * how many people it rests on (« 96 % des 212 usagers interrogés »); the uncertainty goes in a
 * note under the figure, not in an « IC 95 % » column. Never the referent's comments nor
 * internal findings (the report model's public copy has none).
 */
import { formatNumber } from '../format';
import type { ReportRow } from './metrics';
import type { ReportModel } from './report.model';

export interface PublicLine {
  /** The figure, large: « 96 % », or « Résultat non publié ». */
  figure: string;
  /** What it says: « des 212 usagers interrogés sont satisfaits ». */
  text: string;
  label: string;
  /** The uncertainty in words, or why the figure is withheld. */
  note: string | null;
  withheld: boolean;
}

export interface PublicBlock {
  title: string;
  subtitle: string | null;
  lines: PublicLine[];
  /** The SVG charts of the report (their text is escaped by charts.ts). */
  charts: { bars: string | null; trend: string | null };
}

export interface PublicSection {
  id: string;
  title: string;
  unavailable: string | null;
  blocks: PublicBlock[];
}

const plural = (n: number, one: string, many: string) => `${formatNumber(n)}\u00a0${n > 1 ? many : one}`;

const WHO: Record<string, [string, string]> = {
  satisfaction: ['usager interrogé', 'usagers interrogés'],
  email: ['courriel', 'courriels'],
  phone: ['appel', 'appels'],
};

function line(sectionId: string, r: ReportRow, minCell: number): PublicLine {
  const who = WHO[sectionId] ?? ['réponse', 'réponses'];
  if (r.insufficient) {
    return {
      figure: 'Résultat non publié', label: r.label, withheld: true, text: '',
      note: `Trop peu de réponses (${plural(r.n, 'réponse', 'réponses')}, il en faut au moins ${formatNumber(minCell)}) pour publier un résultat fiable.`,
    };
  }
  if (r.value == null) return { figure: '–', label: r.label, withheld: true, text: '', note: 'Aucune réponse sur cette période.' };
  const note = r.ci ? `Compte tenu du nombre de réponses, la valeur exacte se situe très probablement entre ${r.ci.lowPrinted}\u202f% et ${r.ci.highPrinted}\u202f%.` : null;
  if (r.kind === 'share') {
    const text = sectionId === 'satisfaction' ? `des ${plural(r.n, ...who)} se disent satisfaits` : `sur ${plural(r.n, ...who)}`;
    return { figure: r.display, label: r.label, text, note, withheld: false };
  }
  return { figure: r.display, label: r.label, text: `sur ${plural(r.n, ...who)}`, note, withheld: false };
}

export function publicSections(m: ReportModel): PublicSection[] {
  // The action plan is internal (services, evidence): never on the public page.
  return m.sections.filter((s) => s.id !== 'actions').map((s) => ({
    id: s.id, title: s.title, unavailable: s.unavailable,
    blocks: s.blocks.map((b) => ({ title: b.title, subtitle: b.subtitle, charts: b.charts, lines: b.rows.map((r) => line(s.id, r, m.minCellSize)) })),
  }));
}

/** How the figures are made, for the public. */
export function publicMethods(m: ReportModel): string[] {
  return [
    'Questionnaires : anonymes, remplis sur les bornes de nos halls d’accueil et par nos liens publics. Le pourcentage compte les réponses « satisfait » et « très satisfait » parmi les personnes qui ont donné un avis (les « sans avis » sont mis à part).',
    'Courriels et téléphone : des enquêteurs écrivent et appellent nos services comme le ferait un usager, sans se faire connaître, et notent les délais et la qualité des réponses.',
    `Un résultat n’est publié que s’il repose sur au moins ${formatNumber(m.minCellSize)} réponses ; sinon il est indiqué « Résultat non publié ».`,
    'Chaque question est affichée, y compris celles où nous devons progresser.',
  ];
}
