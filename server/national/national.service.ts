/**
 * The national view's use cases (issue 18): the table of organisations × key figures for a
 * quarter with the network's median and quartiles, one organisation against the network, and
 * the same figures as CSV and JSON. Reads go through national.store.ts, one grouped query per
 * kind of figure (satisfaction, e-mail probes, their replies, phone grids, monthly values,
 * targets), run together; nothing here loops over organisations with a query.
 */
import type { Deps } from '../deps';
import { notFound } from '../errors';
import { formatDate, formatNumber } from '../format';
import { parisDateOf } from '../campaigns/calendar/working-days';
import { indicatorCatalogue } from '../indicators/catalogue';
import { formatValue, previousMonth } from '../indicators/board';
import type { Cell } from '../reports/csv';
import type { ExportColumn, ExportFormat, ExportSpec } from '../reports/export-stream';
import { INSUFFICIENT } from '../reports/metrics';
import type { Period } from '../reports/period';
import { campaignRules, emailCountsByOrg, probeSummaries } from '../campaigns/probe-summaries';
import { COLUMNS, LOWER_IS_BETTER, orgFigures, phoneCountsByOrg, sortRows, spreadOf, type ColumnKey, type OrgFigures } from './national-figures';
import { QUARTER_RE, type NationalQuery } from './national.schemas';
import * as store from './national.store';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config'>;

export interface Quarter extends Period { key: string; label: string }

const pad = (n: number) => String(n).padStart(2, '0');
const LAST_DAY = ['03-31', '06-30', '09-30', '12-31'];
const ORDINAL = ['1er', '2e', '3e', '4e'];

export function quarterOf(key: string): Quarter {
  const m = QUARTER_RE.exec(key);
  if (!m) throw notFound();
  const y = Number(m[1]);
  const q = Number(m[2]);
  return { key, from: `${y}-${pad(q * 3 - 2)}-01`, to: `${y}-${LAST_DAY[q - 1]}`, label: `${ORDINAL[q - 1]} trimestre ${y}` };
}

/** The quarter of the last complete month (the board opens on it too). */
export function defaultQuarter(ctx: Pick<Deps, 'clock'>): Quarter {
  const month = previousMonth(ctx.clock.now());
  return quarterOf(`${month.slice(0, 4)}-T${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`);
}

const shiftQuarter = (q: Quarter, by: number): string => {
  const m = QUARTER_RE.exec(q.key)!;
  const i = Number(m[1]) * 4 + Number(m[2]) - 1 + by;
  return `${Math.floor(i / 4)}-T${(i % 4) + 1}`;
};

/** Every organisation's figures for the period: eight queries (organisations, then one grouped query per kind of figure), in parallel. */
export async function nationalFigures(ctx: Ctx, period: Period, orgId?: string): Promise<OrgFigures[]> {
  const cat = indicatorCatalogue();
  const asOf = parisDateOf(ctx.clock.now());
  const [orgs, satisfaction, probes, campaigns, grids, complaints, values, targets] = await Promise.all([
    store.listOrganisations(ctx.db),
    store.satisfactionByOrg(ctx.db, period, orgId),
    probeSummaries(ctx.db, period, orgId),
    campaignRules(ctx.db, period, orgId),
    store.submittedGrids(ctx.db, period, orgId),
    store.complaintsByOrg(ctx.db, period, asOf, orgId),
    store.monthlyValues(ctx.db, `${period.from.slice(0, 7)}-01`, `${period.to.slice(0, 7)}-01`, orgId),
    store.ownTargets(ctx.db, orgId),
  ]);
  return orgFigures({
    orgs: orgId ? orgs.filter((o) => o.id === orgId) : orgs,
    satisfaction, email: emailCountsByOrg(probes, campaigns), phone: phoneCountsByOrg(grids), complaints, values, targets,
    catalogue: cat.indicators, minCell: ctx.config.MIN_CELL_SIZE,
  });
}

const cellOf = (f: OrgFigures, key: ColumnKey) => ({ display: f.figures[key].display, n: f.figures[key].n, insufficient: f.figures[key].insufficient, value: f.figures[key].value });

/** The national page's view model. */
export async function nationalTable(ctx: Ctx, q: NationalQuery) {
  const quarter = q.trimestre ? quarterOf(q.trimestre) : defaultQuarter(ctx);
  const all = await nationalFigures(ctx, quarter);
  const rows = sortRows(all, q.tri, q.ordre);
  const sortLink = (key: string) => {
    const ordre = q.tri === key && q.ordre === 'asc' ? 'desc' : 'asc';
    return `/national?trimestre=${quarter.key}&tri=${key}&ordre=${ordre}`;
  };
  const ariaSort = (key: string) => (q.tri === key ? (q.ordre === 'asc' ? 'ascending' : 'descending') : 'none');
  return {
    quarter, previous: shiftQuarter(quarter, -1), next: shiftQuarter(quarter, 1),
    minCell: ctx.config.MIN_CELL_SIZE, insufficient: INSUFFICIENT,
    columns: COLUMNS.map((c) => ({ ...c, sortLink: sortLink(c.key), ariaSort: ariaSort(c.key), spread: spreadOf(c.key, all) })),
    codeSort: { link: sortLink('code'), aria: ariaSort('code') }, nameSort: { link: sortLink('name'), aria: ariaSort('name') },
    rows: rows.map((f) => ({
      code: f.org.code, name: f.org.name, active: f.org.active, href: `/national/organisations/${encodeURIComponent(f.org.code)}?trimestre=${quarter.key}`,
      cells: COLUMNS.map((c) => cellOf(f, c.key)),
    })),
    organisations: formatNumber(all.length),
    exportHref: `/national/export.csv?trimestre=${quarter.key}&tri=${q.tri}&ordre=${q.ordre}`,
    exportXlsxHref: `/national/export.xlsx?trimestre=${quarter.key}&tri=${q.tri}&ordre=${q.ordre}`,
    printedOn: formatDate(ctx.clock.now()),
  };
}

/** One organisation against the network: « votre préfecture / médiane nationale / meilleur quart ». */
export async function organisationAgainstNetwork(ctx: Ctx, code: string, trimestre: string | undefined) {
  const quarter = trimestre ? quarterOf(trimestre) : defaultQuarter(ctx);
  const all = await nationalFigures(ctx, quarter);
  const mine = all.find((f) => f.org.code === code);
  if (!mine) throw notFound();
  return {
    quarter, previous: shiftQuarter(quarter, -1), next: shiftQuarter(quarter, 1),
    org: mine.org,
    lines: COLUMNS.map((c) => {
      const spread = spreadOf(c.key, all);
      const f = mine.figures[c.key];
      const better = LOWER_IS_BETTER.has(c.key) ? (a: number, b: number) => a <= b : (a: number, b: number) => a >= b;
      return {
        label: c.label, display: f.display, n: f.n ? formatNumber(f.n) : '–', median: spread.display.median, best: spread.display.best,
        orgs: formatNumber(spread.n),
        position: f.value === null || spread.best === null || spread.median === null ? ''
          : better(f.value, spread.best) ? 'Dans le meilleur quart' : better(f.value, spread.median) ? 'Au-dessus de la médiane' : 'Sous la médiane',
      };
    }),
    indicators: mine.indicators.filter((i) => i.months > 0).map((i) => ({
      label: i.indicator.label, value: formatValue(i.indicator, i.value), target: i.target === null ? '–' : formatValue(i.indicator, i.target),
      verdict: i.verdict === 'met' ? 'Atteint' : i.verdict === 'missed' ? 'Non atteint' : '–', verdictKey: i.verdict ?? 'none', months: formatNumber(i.months),
    })),
    minCell: ctx.config.MIN_CELL_SIZE,
    printedOn: formatDate(ctx.clock.now()),
  };
}

/**
 * The national table as a file (CSV in the French Excel dialect, or XLSX): per column the
 * printed figure (a number: 93 for 93 %, 1.5 for 1,5 jours; « effectif insuffisant » when
 * withheld) and its n, then the median and quartile lines.
 */
export async function nationalExport(ctx: Ctx, q: NationalQuery, format: ExportFormat): Promise<{ filename: string; spec: ExportSpec }> {
  const quarter = q.trimestre ? quarterOf(q.trimestre) : defaultQuarter(ctx);
  const all = await nationalFigures(ctx, quarter);
  const rows = sortRows(all, q.tri, q.ordre);
  const printed = (f: OrgFigures, key: ColumnKey): Cell => {
    const x = f.figures[key];
    if (x.insufficient) return INSUFFICIENT;
    if (key === 'indicatorsMet') return x.display;
    return x.printed;
  };
  const columns: ExportColumn[] = [
    { header: 'Code', repeats: false, width: 8 }, { header: 'Organisation', width: 32 },
    ...COLUMNS.flatMap((c): ExportColumn[] => [{ header: c.label, type: 'number', width: 16 }, { header: `${c.label} : n`, type: 'number', width: 10 }]),
  ];
  const lines: Cell[][] = rows.map((f) => [f.org.code, f.org.name, ...COLUMNS.flatMap((c) => [printed(f, c.key), f.figures[c.key].n])]);
  for (const [label, pick] of [['Médiane nationale', 'median'], ['Premier quartile', 'q1'], ['Troisième quartile', 'q3']] as const) {
    lines.push(['', label, ...COLUMNS.flatMap((c) => [spreadOf(c.key, all).display[pick], ''])]);
  }
  return {
    filename: `qualimetre-national-${quarter.key}.${format}`,
    spec: { columns, sheetName: `National ${quarter.key}`, batches: (async function* () { yield lines; })() },
  };
}

/** JSON of `GET /api/v1/national?trimestre=`: the same figures, raw values and n, withheld ones as null. */
export async function nationalJson(ctx: Ctx, q: NationalQuery) {
  const quarter = q.trimestre ? quarterOf(q.trimestre) : defaultQuarter(ctx);
  const all = await nationalFigures(ctx, quarter);
  return {
    quarter: quarter.key, from: quarter.from, to: quarter.to, minCellSize: ctx.config.MIN_CELL_SIZE,
    columns: COLUMNS.map((c) => ({ key: c.key, label: c.label, kind: c.kind, ...(({ n, q1, median, q3 }) => ({ organisations: n, q1, median, q3 }))(spreadOf(c.key, all)) })),
    organisations: sortRows(all, q.tri, q.ordre).map((f) => ({
      code: f.org.code, name: f.org.name,
      figures: Object.fromEntries(COLUMNS.map((c) => [c.key, { value: f.figures[c.key].value, n: f.figures[c.key].n, insufficient: f.figures[c.key].insufficient }])),
    })),
  };
}
