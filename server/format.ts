/**
 * French formats for view models: numbers, percentages, dates in Europe/Paris.
 * Views compute nothing; handlers call these.
 */
const TZ = 'Europe/Paris';
const NBSP = '\u202f'; // narrow no-break space, as French typography puts before %

export function formatPercent(ratio: number | null | undefined): string {
  if (ratio == null || !Number.isFinite(ratio)) return '–';
  return `${Math.round(ratio * 100)}${NBSP}%`;
}

export function formatNumber(n: number | null | undefined, decimals = 0): string {
  if (n == null || !Number.isFinite(n)) return '–';
  return new Intl.NumberFormat('fr-FR', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(n);
}

export function formatDate(d: Date | string | null | undefined): string {
  if (!d) return '–';
  return new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(d));
}

export function formatDateTime(d: Date | string | null | undefined): string {
  if (!d) return '–';
  return new Intl.DateTimeFormat('fr-FR', {
    timeZone: TZ, day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit',
  }).format(new Date(d));
}

/**
 * The one plural helper for every count users read: « 0 site », « 1 site », « 3 sites »,
 * « 1 200 réponses » (French puts 0 and 1 in the singular). Irregular plurals are given:
 * plural(n, 'bureau', 'bureaux').
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${Math.abs(n) < 2 ? one : many}`;
}

/** « à l’instant », « il y a 3 min », « il y a 2 h », « il y a 4 jours ». */
export function formatAgo(then: Date | string, now: Date): string {
  const min = Math.max(0, Math.floor((now.getTime() - new Date(then).getTime()) / 60_000));
  if (min < 1) return 'à l’instant';
  if (min < 60) return `il y a ${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return `il y a ${h} h`;
  return `il y a ${plural(Math.floor(h / 24), 'jour')}`;
}

/** « 12/06 », « 12/06 à 14:05 »: short dates for alert lines. */
export function formatShortDate(d: Date | string): string {
  return new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, day: '2-digit', month: '2-digit' }).format(new Date(d));
}

export function formatShortDateTime(d: Date | string): string {
  const x = new Date(d);
  const time = new Intl.DateTimeFormat('fr-FR', { timeZone: TZ, hour: '2-digit', minute: '2-digit' }).format(x);
  return `${formatShortDate(x)} à ${time}`;
}
