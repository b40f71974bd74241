/**
 * The phone grid: `surveys/mystere-telephone.json` from the survey catalogue (checked at boot
 * like every survey), its validator, and readable answers for the read-only views.
 */
import type { Deps } from '../deps';
import { getSurvey } from '../surveys/surveys.service';
import type { SurveyCatalogueEntry } from '../surveys/catalogue';

export const GRID_SURVEY_ID = 'mystere-telephone';

export function gridEntry(ctx: Pick<Deps, 'surveys'>): SurveyCatalogueEntry {
  const entry = getSurvey(ctx, GRID_SURVEY_ID);
  if (!entry) throw new Error(`surveys/${GRID_SURVEY_ID}.json is missing from the survey catalogue`);
  return entry;
}

type Json = Record<string, unknown>;

const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : v && typeof v === 'object' && typeof (v as Json).default === 'string' ? ((v as Json).default as string) : undefined;

/** Question titles and choice labels, by question name, in document order. */
export function gridLabels(json: Readonly<Json>): Map<string, { title: string; choices: Map<string, string> }> {
  const out = new Map<string, { title: string; choices: Map<string, string> }>();
  const walk = (elements: unknown) => {
    if (!Array.isArray(elements)) return;
    for (const el of elements as Json[]) {
      if (typeof el.name === 'string' && el.type !== 'panel') {
        const choices = new Map<string, string>();
        for (const c of (Array.isArray(el.choices) ? el.choices : []) as Json[]) choices.set(String(c.value), text(c.text) ?? String(c.value));
        out.set(el.name, { title: text(el.title) ?? el.name, choices });
      }
      walk(el.elements);
    }
  };
  for (const page of (Array.isArray(json.pages) ? json.pages : []) as Json[]) walk(page.elements);
  return out;
}

/** The answers of a grid as (question, answer) lines, in the grid's order. */
export function readableAnswers(json: Readonly<Json>, answers: Record<string, unknown> | null): { question: string; answer: string }[] {
  if (!answers) return [];
  const lines: { question: string; answer: string }[] = [];
  for (const [name, meta] of gridLabels(json)) {
    const v = answers[name];
    if (v === undefined || v === null || v === '') continue;
    lines.push({ question: meta.title, answer: meta.choices.get(String(v)) ?? String(v) });
  }
  return lines;
}
