/**
 * The hall poster « Vos avis nous font progresser » (pure): a few large figures taken from
 * the report model, and the improvements made. Never any free text from visitors (the model
 * holds none), never a withheld figure.
 */
import { formatNumber } from '../format';
import type { ReportRow } from './metrics';
import type { ReportModel } from './report.model';

export const MAX_POSTER_FIGURES = 4;
export const MAX_POSTER_IMPROVEMENTS = 6;

export interface PosterFigure {
  display: string;
  caption: string;
  label: string;
}

export interface PosterModel {
  title: string;
  orgName: string;
  periodLabel: string;
  figures: PosterFigure[];
  improvements: string[];
  footnotes: string[];
  producedAtLabel: string;
}

const shown = (r: ReportRow | undefined): r is ReportRow => !!r && r.value != null;

export function posterModel(m: ReportModel): PosterModel {
  const footnotes: string[] = [];
  // E-mail and phone figures first claim their slots; satisfaction fills the rest.
  const others: PosterFigure[] = [];
  const email = m.sections.find((s) => s.id === 'email')?.blocks[0]?.rows.find((r) => r.key === 'reponses_dans_delai');
  if (shown(email)) {
    others.push({ display: email.display, caption: 'des courriels', label: `ont reçu une réponse dans le délai (${email.label.toLowerCase()})` });
  }
  const phone = m.sections.find((s) => s.id === 'phone')?.blocks[0]?.rows.find((r) => r.key === 'appels_aboutis');
  if (shown(phone)) {
    others.push({ display: phone.display, caption: 'des appels', label: `aboutissent (objectif national ${phone.target?.display ?? '–'})` });
  }
  const figures: PosterFigure[] = [];
  const satisfaction = m.sections.find((s) => s.id === 'satisfaction');
  // The survey with the most answers carries the poster.
  const block = satisfaction?.blocks.slice().sort((a, b) => (b.rows[0]?.n ?? 0) - (a.rows[0]?.n ?? 0))[0];
  if (block) {
    // The overall item first, then the best-rated items.
    const overall = block.rows.find((r) => r.key === 'accueil_global');
    const best = block.rows.filter((r) => r !== overall && shown(r)).sort((a, b) => b.value! - a.value! || b.n - a.n);
    const slots = Math.max(2, MAX_POSTER_FIGURES - others.length);
    for (const r of [overall, ...best].filter(shown).slice(0, slots)) {
      figures.push({ display: r.display, caption: 'd’usagers satisfaits', label: r.label });
    }
    if (figures.length) {
      footnotes.push(`${block.title} : ${block.subtitle ?? ''}, ${m.periodLabel}. Part des réponses « satisfait » et « très satisfait » parmi les avis exprimés.`);
    }
  }
  if (shown(email)) footnotes.push(`Courriels : enquête mystère, ${formatNumber(email.n)} réponses.`);
  if (shown(phone)) footnotes.push(`Téléphone : enquête mystère, ${formatNumber(phone.n)} appels.`);
  figures.push(...others);
  return {
    title: 'Vos avis nous font progresser',
    orgName: m.org.name,
    periodLabel: m.periodLabel,
    figures: figures.slice(0, MAX_POSTER_FIGURES),
    improvements: m.improvements.slice(0, MAX_POSTER_IMPROVEMENTS),
    footnotes,
    producedAtLabel: m.producedAtLabel,
  };
}
