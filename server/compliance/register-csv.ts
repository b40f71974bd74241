/** The processing register as a CSV for French Excel (the reports' dialect, reports/csv.ts). */
import { BOM, csvRow } from '../reports/csv';
import { REGISTER_COLUMNS } from './notices';

export function buildCsv(rows: string[][]): string {
  return BOM + [[...REGISTER_COLUMNS], ...rows].map((r) => csvRow(r)).join('');
}
