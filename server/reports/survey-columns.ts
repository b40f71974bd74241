/**
 * What reports need from a SurveyJS definition (pure): the questions that carry an answer,
 * in document order, with their French title and the French label of each choice; and which
 * of them use the 4-point satisfaction scale (with « sans avis »).
 */
import { SATISFACTION_SCALE } from '../surveys/catalogue';

export interface QuestionColumn {
  name: string;
  type: string;
  title: string;
  /** value → French label (choices, rate values); empty for free text. */
  labels: Map<string, string>;
  /** Uses exactly the satisfaction scale. */
  satisfaction: boolean;
}

const NON_VALUE = new Set(['html', 'image', 'expression', 'panel']);

function frenchText(v: unknown, fallback: string): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.default === 'string') return o.default;
    if (typeof o.fr === 'string') return o.fr;
  }
  return fallback;
}

function choiceList(el: Record<string, unknown>): { value: string; label: string }[] {
  const raw = (Array.isArray(el.choices) ? el.choices : Array.isArray(el.rateValues) ? el.rateValues : []) as unknown[];
  return raw.map((c) => {
    if (c && typeof c === 'object') {
      const o = c as Record<string, unknown>;
      const value = String(o.value);
      return { value, label: frenchText(o.text, value) };
    }
    return { value: String(c), label: String(c) };
  });
}

/** Every question of a definition that carries an answer, pages and panels walked in order. */
export function questionColumns(definition: unknown): QuestionColumn[] {
  const out: QuestionColumn[] = [];
  const walk = (elements: unknown) => {
    if (!Array.isArray(elements)) return;
    for (const e of elements) {
      if (!e || typeof e !== 'object') continue;
      const el = e as Record<string, unknown>;
      const type = typeof el.type === 'string' ? el.type : '';
      if (type === 'panel') walk(el.elements);
      if (NON_VALUE.has(type) || typeof el.name !== 'string') continue;
      const choices = choiceList(el);
      const values = choices.map((c) => c.value);
      if (type === 'boolean') {
        choices.push({ value: 'true', label: frenchText(el.labelTrue, 'Oui') }, { value: 'false', label: frenchText(el.labelFalse, 'Non') });
      }
      out.push({
        name: el.name,
        type,
        title: frenchText(el.title, el.name),
        labels: new Map(choices.map((c) => [c.value, c.label])),
        satisfaction: values.length === SATISFACTION_SCALE.length && SATISFACTION_SCALE.every((v, i) => values[i] === v),
      });
    }
  };
  const pages = (definition as { pages?: unknown } | null)?.pages;
  if (Array.isArray(pages)) for (const p of pages) walk((p as { elements?: unknown } | null)?.elements);
  return out;
}

/** The satisfaction items of a definition, in order. */
export function satisfactionItems(definition: unknown): { name: string; title: string }[] {
  return questionColumns(definition).filter((q) => q.satisfaction).map((q) => ({ name: q.name, title: q.title }));
}

/** The item a trend follows: the overall reception item when the survey has one. */
export function headlineItem(items: { name: string }[]): string | null {
  return (items.find((i) => i.name === 'accueil_global') ?? items[items.length - 1])?.name ?? null;
}
