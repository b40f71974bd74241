/**
 * Reading Transparence values from a CSV or XLSX file (pure once the table is read): columns
 * « Trimestre » (2019-T3, T3 2019, 3e trimestre 2019), « Mesure » (its identifier or its label)
 * and « Valeur » (« 22 », « 70 % », « 3,4 »). Only typed measures may be imported; computed
 * ones come from their sources. Every problem is reported by line and column.
 */
import { normaliseTitle } from '../indicators/import-rows';
import type { Table } from '../indicators/import-file';
import { parseQuarterText } from '../quarters';
import type { Measure } from './measures';

export interface ImportedValue { line: number; quarter: string; measureId: string; value: number }
export interface ImportProblem { line: number; column: string; message: string }

export function readTransparence(table: Table, measures: readonly Measure[]): { values: ImportedValue[]; problems: ImportProblem[] } {
  const titles = table.header.map(normaliseTitle);
  const col = (names: string[]) => titles.findIndex((t) => names.includes(t));
  const idx = { quarter: col(['trimestre', 'periode']), measure: col(['mesure', 'indicateur']), value: col(['valeur', 'resultat']) };
  const missing = Object.entries({ Trimestre: idx.quarter, Mesure: idx.measure, Valeur: idx.value }).filter(([, i]) => i < 0).map(([n]) => `« ${n} »`);
  if (missing.length) return { values: [], problems: [{ line: 1, column: '–', message: `Colonne${missing.length > 1 ? 's' : ''} absente${missing.length > 1 ? 's' : ''} : ${missing.join(', ')} (titres attendus sur la première ligne).` }] };
  const byName = new Map<string, Measure>();
  for (const m of measures) { byName.set(normaliseTitle(m.id), m); byName.set(normaliseTitle(m.label), m); }
  const values: ImportedValue[] = [];
  const problems: ImportProblem[] = [];
  const title = (i: number) => table.header[i];
  table.rows.forEach((row, r) => {
    const line = table.lines[r];
    const cell = (i: number) => (row[i] ?? '').trim();
    const q = parseQuarterText(cell(idx.quarter));
    if (!q) problems.push({ line, column: title(idx.quarter), message: `« ${cell(idx.quarter)} » n’est pas un trimestre (par exemple 2019-T3 ou 3e trimestre 2019).` });
    const m = byName.get(normaliseTitle(cell(idx.measure)));
    if (!m) problems.push({ line, column: title(idx.measure), message: `Mesure inconnue : « ${cell(idx.measure)} ».` });
    else if (m.source === 'computed') problems.push({ line, column: title(idx.measure), message: `« ${m.label} » est calculé par Qualimètre : il ne s’importe pas.` });
    const t = cell(idx.value).replace(/[\s\u00a0\u202f]/g, '').replace(/%$/, '').replace(/(jours?|j|\/5)$/i, '').replace(',', '.');
    const v = /^\d{1,4}(\.\d+)?$/.test(t) ? Number(t) : null;
    const bad = v === null || (m && ((m.unit === 'percent' && v > 100) || (m.unit === 'score5' && (v < 1 || v > 5))));
    if (bad) problems.push({ line, column: title(idx.value), message: `« ${cell(idx.value)} » n’est pas une valeur valable${m ? ` pour « ${m.label} »` : ''}.` });
    if (q && m && m.source !== 'computed' && !bad) values.push({ line, quarter: q.id, measureId: m.id, value: v! });
  });
  if (!table.rows.length) problems.push({ line: 2, column: '–', message: 'Le fichier ne contient aucune ligne après les titres.' });
  return { values, problems };
}
