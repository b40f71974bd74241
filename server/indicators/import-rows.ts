/**
 * From a read table to monthly values (pure): the fields each kind of file must provide, a
 * first guess of the mapping from column titles, the check of every line (line, column,
 * value, why), and the monthly aggregates that become indicator values.
 *
 * Telephony statistics (answered and lost calls per bureau and per day, as the switchboard's
 * tool exports them) give « taux d'appels aboutis » = answered / (answered + lost), per month
 * for the organisation and per bureau. Website analytics give the connection rate per month.
 */
import type { ImportKind } from '../storage/schema';

export interface FieldSpec {
  key: string;
  label: string;
  required: boolean;
  /** Normalised column titles recognised for this field. */
  synonyms: string[];
  type: 'date' | 'month' | 'text' | 'count' | 'percent';
}

export const IMPORT_FIELDS: Record<ImportKind, FieldSpec[]> = {
  telephonie: [
    { key: 'date', label: 'Date (jour)', required: true, synonyms: ['date', 'jour', 'day'], type: 'date' },
    { key: 'bureau', label: 'Bureau ou service', required: false, synonyms: ['bureau', 'service', 'groupe', 'file', 'file dattente', 'direction'], type: 'text' },
    { key: 'decroches', label: 'Appels décrochés', required: true, synonyms: ['decroches', 'appels decroches', 'aboutis', 'appels aboutis', 'repondus', 'answered', 'traites'], type: 'count' },
    { key: 'perdus', label: 'Appels perdus', required: true, synonyms: ['perdus', 'appels perdus', 'abandonnes', 'non repondus', 'lost', 'abandoned'], type: 'count' },
  ],
  site: [
    { key: 'mois', label: 'Mois', required: true, synonyms: ['mois', 'month', 'periode', 'date'], type: 'month' },
    { key: 'taux', label: 'Taux de connexion (%)', required: true, synonyms: ['taux de connexion', 'taux', 'connexion', 'rate'], type: 'percent' },
  ],
};

export const IMPORT_KIND_LABELS: Record<ImportKind, string> = {
  telephonie: 'Statistiques de la téléphonie (appels décrochés et perdus par jour et par bureau)',
  site: 'Mesure d’audience du site internet (taux de connexion par mois)',
};

export function normaliseTitle(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Field key → column title, guessed from the titles (a previous mapping wins when its columns still exist). */
export function guessMapping(kind: ImportKind, header: string[], previous?: Record<string, string> | null): Record<string, string> {
  const out: Record<string, string> = {};
  const titles = header.map(normaliseTitle);
  for (const f of IMPORT_FIELDS[kind]) {
    const prev = previous?.[f.key];
    if (prev && header.includes(prev)) {
      out[f.key] = prev;
      continue;
    }
    const i = titles.findIndex((t) => f.synonyms.includes(t));
    if (i >= 0) out[f.key] = header[i];
  }
  return out;
}

export interface LineError {
  line: number;
  column: string;
  value: string;
  reason: string;
}

export interface MappingProblem {
  field: string;
  reason: string;
}

/** Problems of the mapping itself (a required field without a column, a column named twice). */
export function checkMapping(kind: ImportKind, header: string[], mapping: Record<string, string>): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const used = new Map<string, string>();
  for (const f of IMPORT_FIELDS[kind]) {
    const col = mapping[f.key];
    if (!col) {
      if (f.required) problems.push({ field: f.key, reason: `Choisissez la colonne « ${f.label} ».` });
      continue;
    }
    if (!header.includes(col)) problems.push({ field: f.key, reason: `La colonne « ${col} » n’existe pas dans le fichier.` });
    else if (used.has(col)) problems.push({ field: f.key, reason: `La colonne « ${col} » est déjà choisie pour « ${used.get(col)} ».` });
    else used.set(col, f.label);
  }
  return problems;
}

const pad = (n: number) => String(n).padStart(2, '0');

function validDate(y: number, m: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (y < 2000 || y > 2100 || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** 2019-07-01, 01/07/2019, 1/7/2019 (French order) → ISO date; anything else null. */
export function parseDay(s: string): string | null {
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$/.exec(s);
  if (m) return validDate(+m[1], +m[2], +m[3]);
  m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(s);
  if (m) return validDate(+m[3], +m[2], +m[1]);
  return null;
}

const FR_MONTHS = ['janvier', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'aout', 'septembre', 'octobre', 'novembre', 'decembre'];

/** 2019-07, 07/2019, juillet 2019, or a day of that month → first day of the month. */
export function parseMonth(s: string): string | null {
  let m = /^(\d{4})-(\d{2})$/.exec(s);
  if (m && +m[2] >= 1 && +m[2] <= 12) return `${m[1]}-${m[2]}-01`;
  m = /^(\d{1,2})[/.](\d{4})$/.exec(s);
  if (m && +m[1] >= 1 && +m[1] <= 12) return `${m[2]}-${pad(+m[1])}-01`;
  m = /^([a-z]+) (\d{4})$/.exec(normaliseTitle(s));
  if (m && FR_MONTHS.includes(m[1])) return `${m[2]}-${pad(FR_MONTHS.indexOf(m[1]) + 1)}-01`;
  const day = parseDay(s);
  return day ? `${day.slice(0, 7)}-01` : null;
}

/** A count: digits, French thousands separators allowed ("1 234"). */
export function parseCount(s: string): number | null {
  const t = s.replace(/[\s\u00a0\u202f]/g, '');
  return /^\d{1,9}$/.test(t) ? Number(t) : null;
}

/** A percentage 0–100: "11", "11,5", "11 %", "0,115" is read as 0,115 % (not guessed). */
export function parsePercent(s: string): number | null {
  const t = s.replace(/[\s\u00a0\u202f]/g, '').replace(/%$/, '').replace(',', '.');
  if (!/^\d{1,3}(\.\d+)?$/.test(t)) return null;
  const v = Number(t);
  return v <= 100 ? v : null;
}

export type CheckedRow = Record<string, string | number>;

export interface CheckResult {
  good: { line: number; row: CheckedRow }[];
  errors: LineError[];
  /** Lines with at least one error. */
  badLines: number[];
}

const REASONS: Record<FieldSpec['type'], string> = {
  date: 'date illisible (attendu JJ/MM/AAAA ou AAAA-MM-JJ)',
  month: 'mois illisible (attendu MM/AAAA, AAAA-MM ou « juillet 2019 »)',
  count: 'nombre entier positif attendu',
  percent: 'pourcentage entre 0 et 100 attendu',
  text: '',
};

/** Checks every line against the mapping: each problem with its line, column, value and why. */
export function checkRows(kind: ImportKind, header: string[], rows: string[][], lines: number[], mapping: Record<string, string>): CheckResult {
  const fields = IMPORT_FIELDS[kind].filter((f) => mapping[f.key]);
  const index = Object.fromEntries(fields.map((f) => [f.key, header.indexOf(mapping[f.key])]));
  const good: CheckResult['good'] = [];
  const errors: LineError[] = [];
  const bad = new Set<number>();
  const seen = new Map<string, number>();
  rows.forEach((cells, i) => {
    const line = lines[i];
    const row: CheckedRow = {};
    let ok = true;
    for (const f of fields) {
      const raw = (cells[index[f.key]] ?? '').trim();
      const column = mapping[f.key];
      if (raw === '') {
        if (f.required) {
          errors.push({ line, column, value: '', reason: 'valeur manquante' });
          ok = false;
        } else row[f.key] = '';
        continue;
      }
      const v = f.type === 'date' ? parseDay(raw) : f.type === 'month' ? parseMonth(raw) : f.type === 'count' ? parseCount(raw) : f.type === 'percent' ? parsePercent(raw) : raw;
      if (v === null) {
        errors.push({ line, column, value: raw, reason: REASONS[f.type] });
        ok = false;
      } else row[f.key] = v;
    }
    if (ok) {
      const key = kind === 'telephonie' ? `${row.date}|${row.bureau ?? ''}` : String(row.mois);
      const first = seen.get(key);
      if (first !== undefined) {
        const column = kind === 'telephonie' ? mapping.date : mapping.mois;
        errors.push({ line, column, value: String(cells[index[kind === 'telephonie' ? 'date' : 'mois']]), reason: `doublon de la ligne ${first} (même ${kind === 'telephonie' ? 'jour et même bureau' : 'mois'})` });
        ok = false;
      } else seen.set(key, line);
    }
    if (ok) good.push({ line, row });
    else bad.add(line);
  });
  return { good, errors, badLines: [...bad].sort((a, b) => a - b) };
}

export interface MonthlyValue {
  indicatorId: string;
  month: string;
  breakdown: string;
  value: number;
  numerator: number | null;
  denominator: number | null;
}

/** Monthly values from checked rows: per month (and per bureau for telephony). */
export function monthlyValues(kind: ImportKind, good: CheckResult['good']): MonthlyValue[] {
  if (kind === 'site') {
    return good.map(({ row }) => ({ indicatorId: 'site-taux-connexion', month: String(row.mois), breakdown: '', value: Number(row.taux), numerator: null, denominator: null }));
  }
  const sums = new Map<string, { answered: number; lost: number }>();
  const add = (key: string, a: number, l: number) => {
    const s = sums.get(key) ?? { answered: 0, lost: 0 };
    s.answered += a;
    s.lost += l;
    sums.set(key, s);
  };
  for (const { row } of good) {
    const month = `${String(row.date).slice(0, 7)}-01`;
    add(`${month}\u001f`, Number(row.decroches), Number(row.perdus));
    if (row.bureau) add(`${month}\u001f${row.bureau}`, Number(row.decroches), Number(row.perdus));
  }
  return [...sums].filter(([, s]) => s.answered + s.lost > 0).map(([key, s]) => {
    const [month, breakdown] = key.split('\u001f');
    const offered = s.answered + s.lost;
    return { indicatorId: 'appels-aboutis', month, breakdown, value: (100 * s.answered) / offered, numerator: s.answered, denominator: offered };
  }).sort((a, b) => a.month.localeCompare(b.month) || a.breakdown.localeCompare(b.breakdown));
}
