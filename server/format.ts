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
