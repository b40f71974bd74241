/**
 * Appointment delays of the town-hall mystery checks (pure): the delay of one check in
 * calendar days, « pas de créneau » kept apart (never a number), mean and median per group,
 * and the delay classes the map draws.
 */
export interface CheckFacts {
  checkedOn: string;
  /** The first appointment offered; null: « pas de créneau ». */
  firstSlotOn: string | null;
}

const DAY_MS = 86_400_000;

/** Calendar days from the check to the first appointment offered; null for « pas de créneau ». */
export function delayDays(c: CheckFacts): number | null {
  if (c.firstSlotOn === null) return null;
  return Math.round((Date.parse(`${c.firstSlotOn}T00:00:00Z`) - Date.parse(`${c.checkedOn}T00:00:00Z`)) / DAY_MS);
}

export function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;
}

export function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export interface DelaySummary {
  /** Checks recorded. */
  checks: number;
  /** Checks with a slot offered (the mean's n). */
  withSlot: number;
  /** « pas de créneau » checks. */
  noSlot: number;
  mean: number | null;
  median: number | null;
  max: number | null;
}

export function summarise(checks: readonly CheckFacts[]): DelaySummary {
  const delays = checks.map(delayDays).filter((d): d is number => d !== null);
  return {
    checks: checks.length, withSlot: delays.length, noSlot: checks.length - delays.length,
    mean: mean(delays), median: median(delays), max: delays.length ? Math.max(...delays) : null,
  };
}

/** The map's classes: each a colour AND a shape AND a letter, so a black-and-white print reads. */
export const DELAY_CLASSES = [
  { key: 'a', max: 7, label: '7 jours ou moins', colour: '#18753c', shape: 'circle' },
  { key: 'b', max: 14, label: '8 à 14 jours', colour: '#b0c400', shape: 'square' },
  { key: 'c', max: 30, label: '15 à 30 jours', colour: '#e4794a', shape: 'triangle' },
  { key: 'd', max: Infinity, label: 'plus de 30 jours', colour: '#ce0500', shape: 'diamond' },
] as const;
export const NO_SLOT_CLASS = { key: 'x', label: 'pas de créneau proposé', colour: '#161616', shape: 'cross' } as const;
export const UNCHECKED_CLASS = { key: 'n', label: 'non contrôlée ce trimestre', colour: '#ffffff', shape: 'ring' } as const;

export type DelayClassKey = (typeof DELAY_CLASSES)[number]['key'] | 'x' | 'n';

/** The class of a town hall's quarter: its latest check's delay, « pas de créneau », or unchecked. */
export function delayClass(delay: number | null | undefined, checked: boolean): DelayClassKey {
  if (!checked) return 'n';
  if (delay === null || delay === undefined) return 'x';
  return DELAY_CLASSES.find((c) => delay <= c.max)!.key;
}

/** « 18 jours », « 10,5 jours », « – ». */
export function formatDays(v: number | null): string {
  if (v === null) return '–';
  const r = Math.round(v * 10) / 10;
  return `${String(r).replace('.', ',')}\u00a0jour${Math.abs(r) >= 2 ? 's' : ''}`;
}
