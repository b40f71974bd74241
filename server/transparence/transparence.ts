/**
 * The Programme Transparence table (pure): each measure's value of a quarter, formatted in
 * French with its polarity, its source and its n; a computed figure resting on fewer answers
 * than the minimum is withheld, a missing one says so. Nothing is dropped.
 */
import { formatNumber } from '../format';
import { POLARITY_LABELS, type Measure } from './measures';

export interface RawValue {
  value: number | null;
  /** Answers or calls behind a computed value; null for a typed or imported one. */
  n: number | null;
  source: 'computed' | 'typed' | 'imported' | null;
}

export interface TransparenceRow {
  id: string;
  label: string;
  short: string;
  unit: Measure['unit'];
  value: number | null;
  /** « 94 % », « 22 jours », « 3,4 / 5 », « non renseigné », « résultat non publié ». */
  display: string;
  withheld: boolean;
  missing: boolean;
  polarity: string;
  /** Where the figure comes from, for the reader. */
  source: string;
  /** « sur 2 500 appels », « sur 10 réponses », or null. */
  basis: string | null;
}

export function formatMeasure(unit: Measure['unit'], v: number): string {
  if (unit === 'percent') return `${formatNumber(v)}\u202f%`;
  if (unit === 'days') {
    const r = Math.round(v * 10) / 10;
    return `${formatNumber(r, Number.isInteger(r) ? 0 : 1)}\u00a0jour${r >= 2 ? 's' : ''}`;
  }
  return `${formatNumber(v, 1)}\u00a0/\u00a05`;
}

const SOURCE_WORDS = { computed: 'calculé par Qualimètre', typed: 'saisi', imported: 'importé' } as const;

export function transparenceRow(m: Measure, raw: RawValue, minCell: number): TransparenceRow {
  const who = m.computedFrom?.startsWith('board:') ? ['appel', 'appels'] : ['réponse', 'réponses'];
  const basis = raw.n === null ? null : `sur ${formatNumber(raw.n)}\u00a0${raw.n > 1 ? who[1] : who[0]}`;
  const base = { id: m.id, label: m.label, short: m.short, unit: m.unit, polarity: POLARITY_LABELS[m.polarity], basis };
  const source = `${m.origin}${raw.source ? ` ; ${SOURCE_WORDS[raw.source]}` : ''}`;
  if (raw.value === null) return { ...base, basis: null, value: null, display: 'non renseigné', withheld: false, missing: true, source };
  // The minimum applies to answers of a survey (the effort score), not to the telephony's counts.
  if (raw.source === 'computed' && m.computedFrom?.startsWith('survey:') && (raw.n ?? 0) < minCell) {
    return { ...base, value: null, display: 'résultat non publié', withheld: true, missing: false, source: `${source} ; moins de ${formatNumber(minCell)} réponses` };
  }
  return { ...base, value: raw.value, display: formatMeasure(m.unit, raw.value), withheld: false, missing: false, source };
}
