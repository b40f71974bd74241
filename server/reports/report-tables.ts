/**
 * The tables of a report as flat rows (pure): the CSV and XLSX of a bilan, one line per
 * figure printed on screen and in the PDF, with the same rounded numbers.
 */
import type { Cell } from './csv';
import type { ExportColumn } from './export-stream';
import { UNITS, type ReportRow } from './metrics';
import type { ReportModel } from './report.model';

export const TABLE_COLUMNS: ExportColumn[] = [
  { header: 'Rubrique', width: 28 },
  { header: 'Tableau', width: 40 },
  { header: 'Site', width: 24 },
  { header: 'Indicateur', width: 48 },
  { header: 'Valeur', type: 'number' },
  { header: 'Unité' },
  { header: 'n', type: 'number' },
  { header: 'Sans avis', type: 'number' },
  { header: 'IC 95 % bas', type: 'number' },
  { header: 'IC 95 % haut', type: 'number' },
  { header: 'Objectif national', type: 'number' },
  { header: 'Valeur (période de comparaison)', type: 'number' },
  { header: 'n (période de comparaison)', type: 'number' },
  { header: 'Évolution', type: 'number' },
  { header: 'Période' },
  { header: 'Période de comparaison' },
];

const printedTarget = (r: ReportRow) => (r.target ? (r.kind === 'share' ? Math.round(r.target.value * 100) : r.target.value) : null);

function line(m: ReportModel, section: string, table: string, site: string, r: ReportRow): Cell[] {
  return [
    section, table, site, r.label,
    r.printed ?? r.display,
    UNITS[r.kind],
    r.n,
    r.sansAvis,
    r.ci?.lowPrinted ?? null,
    r.ci?.highPrinted ?? null,
    printedTarget(r),
    r.comparison ? r.comparison.printed ?? r.comparison.display : null,
    r.comparison ? r.comparison.n : null,
    r.comparison?.change ?? null,
    m.periodShort,
    m.comparison?.periodShort ?? '',
  ];
}

export function reportTableRows(m: ReportModel): Cell[][] {
  const out: Cell[][] = [];
  for (const s of m.sections) {
    for (const b of s.blocks) {
      for (const r of b.rows) out.push(line(m, s.title, b.title, 'Tous les sites', r));
      for (const site of b.bySite) for (const r of site.rows) out.push(line(m, s.title, b.title, site.siteName, r));
    }
  }
  return out;
}

/** The model for the JSON API: the same figures, without the SVG. */
export function reportJson(m: ReportModel) {
  return {
    ...m,
    sections: m.sections.map((s) => ({ ...s, blocks: s.blocks.map(({ charts: _charts, ...b }) => b) })),
    definitions: {
      share: '(tres_satisfait + satisfait) / (tres_satisfait + satisfait + peu_satisfait + pas_du_tout_satisfait); sans_avis excluded and counted apart',
      value: 'ratio for shares, working days for delays, marks out of 10; null when withheld (n < minCellSize)',
      printed: 'the rounded figure printed on screen, in the PDF and in the CSV (96 for 96 %)',
      ci: '95 % Wilson interval',
      change: 'printed figure minus the printed figure of the comparison period (points for shares)',
    },
  };
}
