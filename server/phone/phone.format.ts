/** French labels and formats of the phone feature, for view models (views compute nothing). */
import type { PhoneNumberKind } from '../storage/schema';

const TZ = 'Europe/Paris';

export const NUMBER_KIND_LABELS: Record<PhoneNumberKind, string> = {
  standard: 'Standard',
  service: 'Service',
  repondeur: 'Répondeur d’un service',
};

export const SCENARIO_CATEGORIES = [
  { value: 'informations_generales', label: 'Informations générales (horaires, accès, rendez-vous)' },
  { value: 'titres', label: 'Carte d’identité et passeport' },
  { value: 'permis', label: 'Permis de conduire' },
  { value: 'immatriculation', label: 'Immatriculation des véhicules' },
  { value: 'etrangers', label: 'Séjour des étrangers' },
  { value: 'associations', label: 'Associations' },
  { value: 'autre', label: 'Autre' },
] as const;

export const CATEGORY_LABELS: Record<string, string> = Object.fromEntries(SCENARIO_CATEGORIES.map((c) => [c.value, c.label]));

const dayFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, hour: '2-digit', minute: '2-digit' });

/** « lundi 17 juin 2019 » for an ISO date or an instant. */
export function formatDay(d: string | Date): string {
  const date = typeof d === 'string' ? new Date(`${d}T12:00:00Z`) : d;
  return dayFormat.format(date);
}

/** « 09:15 », Paris time. */
export function formatTime(d: Date): string {
  return timeFormat.format(d);
}

/** « 45 s », « 2 min 05 s ». */
export function formatWait(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** « 5 minutes », « 90 secondes »: a setting, not a measure. */
export function formatDuration(seconds: number): string {
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds > 60 ? 's' : ''}`;
  return `${seconds} secondes`;
}

/** A `tel:` link: digits and a leading +, nothing else. */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^0-9+]/g, '')}`;
}
