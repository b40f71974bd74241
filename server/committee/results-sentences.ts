/**
 * The minutes' « Présentation de nos résultats », pre-written from the indicator board (pure):
 * one sentence per indicator with a value in the dossier's period, in the seed's style
 * (« 94 % des appels ont abouti en juillet, pour un objectif national de 90 %. »), each
 * carrying its source (indicator, month, value, target) so that the minutes can cite it.
 * No value → no sentence: the draft never states a figure Qualimètre does not hold.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { formatValue, verdictOf } from '../indicators/board';
import type { Indicator } from '../indicators/catalogue';
import { periodLabel } from '../reports/period';

const fileSchema = z.object({ comment: z.string().optional(), sentences: z.record(z.string(), z.string().min(1)), fallback: z.string().min(1), cumulative: z.array(z.string()).default([]) });
export type SentenceTemplates = z.infer<typeof fileSchema>;

let cached: SentenceTemplates | null = null;
export function sentenceTemplates(): SentenceTemplates {
  cached ??= fileSchema.parse(JSON.parse(fs.readFileSync(path.join(__dirname, 'sentences.json'), 'utf8')));
  return cached;
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

export interface IndicatorFigure {
  indicator: Pick<Indicator, 'id' | 'label' | 'unit' | 'polarity' | 'nationalTarget'>;
  /** YYYY-MM of the value (the latest month of the period that has one). */
  month: string;
  /** For a cumulated value (the indicators listed in `cumulative`): the days it covers. */
  span?: { from: string; to: string };
  value: number | null;
  /** The organisation's own target, or the national one, or null. */
  target: number | null;
  source: string;
}

export interface ResultSentence {
  indicatorId: string;
  text: string;
  /** « Source : … » — what the sentence's figure is, for the footnote. */
  reference: string;
}

export function monthWords(month: string, refYear: number): string {
  const m = MONTHS[Number(month.slice(5, 7)) - 1];
  return Number(month.slice(0, 4)) === refYear ? `en ${m}` : `en ${m} ${month.slice(0, 4)}`;
}

/** « du 1er janvier au 31 juillet » (the year said only when it is not the meeting's). */
export function spanWords(span: { from: string; to: string }, refYear: number): string {
  const label = periodLabel(span);
  return span.from.startsWith(String(refYear)) && span.to.startsWith(String(refYear)) ? label.replaceAll(` ${refYear}`, '') : label;
}

/** « , pour un objectif national de 90 %. » — or nothing when the indicator has no target. */
export function targetClause(f: IndicatorFigure): string {
  const i = f.indicator;
  if (f.target === null || f.value === null || i.polarity === 'none') return '';
  const kind = i.nationalTarget !== null && f.target === i.nationalTarget ? 'national' : 'fixé par la préfecture';
  const target = formatValue(i, f.target);
  const met = verdictOf(i as Indicator, f.value, f.target) === 'met';
  if (i.polarity === 'higher') return met ? `, pour un objectif ${kind} de ${target}` : `, en deçà de l’objectif ${kind} de ${target}`;
  return met ? `, dans la limite de l’objectif ${kind} de ${target}` : `, au-delà de l’objectif ${kind} de ${target}`;
}

export function resultSentence(f: IndicatorFigure, refYear: number, templates = sentenceTemplates()): ResultSentence | null {
  if (f.value === null || !Number.isFinite(f.value)) return null;
  const i = f.indicator;
  const value = formatValue(i, f.value);
  const template = templates.sentences[i.id] ?? templates.fallback;
  const when = f.span ? spanWords(f.span, refYear) : monthWords(f.month, refYear);
  let text = template.replace('{value}', value).replace('{month}', when).replace('{label}', i.label).replace(/\s+/g, ' ').trim();
  // formatValue says « 1 jour » below 2 (French singular): the template's « ouvrés » agrees.
  text = text.replace(/\bjour ouvrés\b/g, 'jour ouvré');
  text = `${text.charAt(0).toUpperCase()}${text.slice(1)}${targetClause(f)}.`;
  const target = f.target === null || i.polarity === 'none' ? '' : ` ; objectif : ${formatValue(i, f.target)}`;
  const at = f.span ? `${periodLabel(f.span)} (cumul)` : `${MONTHS[Number(f.month.slice(5, 7)) - 1]} ${f.month.slice(0, 4)}`;
  const reference = `Source : indicateur « ${i.label} », ${at}, valeur ${value}${target} (${f.source}) – tableau de suivi des indicateurs qualité.`;
  return { indicatorId: i.id, text, reference };
}

export function resultSentences(figures: readonly IndicatorFigure[], refYear: number, templates = sentenceTemplates()): ResultSentence[] {
  return figures.map((f) => resultSentence(f, refYear, templates)).filter((s): s is ResultSentence => s !== null);
}
