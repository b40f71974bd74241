/**
 * The registry of the committee dossier's sections: each is an async function
 * `(ctx, orgId, period) => { title, html }` whose HTML fragment (escaped by its EJS view) is
 * printed on its own pages after the interim bilan, in the order of DOSSIER_SECTIONS. The
 * minutes' draft lists the same titles as the dossier's content.
 *
 * To add a part of the dossier, write one such function (its view under
 * views/committee/sections/) and register it below: nothing else changes.
 */
import path from 'node:path';
import ejs from 'ejs';
import type { Deps } from '../deps';
import { planForPeriod } from '../actions/action.service';
import { PLAN_HEADERS, planCells } from '../actions/action-plan';
import { attendanceModel, indicatorSeries, periodFigures } from '../indicators/board.service';
import { addMonths, formatValue, shortMonthLabel } from '../indicators/board';
import { periodLabel } from '../reports/period';
import { transparenceSection } from '../transparence/transparence.section';
import { townHallSection } from '../town-halls/town-hall.section';

export interface DossierSection {
  title: string;
  html: string;
}
export interface DossierPeriod {
  from: string;
  to: string;
}
export type DossierCtx = Pick<Deps, 'db' | 'clock' | 'config'>;
export type DossierSectionBuilder = (ctx: DossierCtx, orgId: string, period: DossierPeriod) => Promise<DossierSection>;

const VIEWS = path.join(__dirname, '..', '..', 'views', 'committee', 'sections');
/** Renders a section's fragment with EJS (escaping by default, like every page). */
export function renderSection(view: string, locals: Record<string, unknown>): Promise<string> {
  return ejs.renderFile(path.join(VIEWS, `${view}.ejs`), locals, { async: false });
}

/** Months shown in the indicator table: those of the period, twelve at most (the last twelve). */
export function tableMonths(period: DossierPeriod): string[] {
  const last = `${period.to.slice(0, 7)}-01`;
  let first = `${period.from.slice(0, 7)}-01`;
  if (first < addMonths(last, -11)) first = addMonths(last, -11);
  const out: string[] = [];
  for (let m = first; m <= last; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** « Tableau de suivi des indicateurs qualité »: one row per indicator with a value, one column per month. */
export const indicatorTableSection: DossierSectionBuilder = async (ctx, orgId, period) => {
  const title = 'Tableau de suivi des indicateurs qualité';
  const months = tableMonths(period);
  const [series, totals] = await Promise.all([indicatorSeries(ctx, orgId, months[0], months[months.length - 1]), periodFigures(ctx, orgId, months[0], period.to)]);
  const rows = series.indicators.map((i) => {
    const own = i.values.filter((v) => v.breakdown === null);
    if (!own.length) return null;
    const total = totals.find((t) => t.indicator.id === i.id);
    return {
      label: i.label,
      target: i.target === null ? '–' : formatValue(i, i.target),
      cells: months.map((m) => {
        const v = own.find((x) => x.month === m.slice(0, 7));
        return v ? { text: formatValue(i, v.value), missed: v.verdict === 'missed' } : { text: '–', missed: false };
      }),
      total: total?.display ?? '–',
    };
  }).filter((r) => r !== null);
  const html = await renderSection('indicators', { rows, months: months.map(shortMonthLabel), periodLabel: periodLabel(period) });
  return { title, html };
};

/** « Tableau de fréquentation du point numérique » of the period's year and the year before. */
export const attendanceSection: DossierSectionBuilder = async (ctx, orgId, period) => {
  const year = Number(period.to.slice(0, 4));
  const m = await attendanceModel(ctx, orgId, year);
  return { title: `Tableau de fréquentation du point numérique (${year - 1} et ${year})`, html: await renderSection('attendance', m) };
};

/** « Plan d’actions correctives », as it stands for the period. */
export const actionPlanSection: DossierSectionBuilder = async (ctx, orgId, period) => {
  const rows = await planForPeriod(ctx, orgId, period);
  return {
    title: 'Plan d’actions correctives',
    html: await renderSection('action-plan', { headers: PLAN_HEADERS, rows: rows.map((r) => ({ overdue: r.overdue, cells: planCells(r) })) }),
  };
};

/**
 * The dossier's sections, in print order (after the interim bilan, before the attachments).
 * After the merge of issue 16's items 1–2, register here, after attendanceSection:
 *   transparenceSection  (the Programme Transparence table, server/transparence/)
 *   townHallSection      (the town halls' appointment delays: map and table, server/town-halls/)
 */
/** The dossier's days at noon UTC (the same Paris day) for the sections that take dates. */
const asDates = (period: DossierPeriod) => ({ from: new Date(`${period.from}T12:00:00Z`), to: new Date(`${period.to}T12:00:00Z`) });
/** « Programme Transparence »: the table of each quarter ending in the period. */
export const transparenceDossierSection: DossierSectionBuilder = (ctx, orgId, period) => transparenceSection(ctx, orgId, asDates(period));
/** Town-hall appointment delays: the table and the map of the checks of the period. */
export const townHallDossierSection: DossierSectionBuilder = (ctx, orgId, period) => townHallSection(ctx, orgId, asDates(period));

export const DOSSIER_SECTIONS: DossierSectionBuilder[] = [
  indicatorTableSection,
  attendanceSection,
  transparenceDossierSection,
  townHallDossierSection,
  actionPlanSection,
];

export async function buildSections(ctx: DossierCtx, orgId: string, period: DossierPeriod, builders = DOSSIER_SECTIONS): Promise<DossierSection[]> {
  const out: DossierSection[] = [];
  // One after the other: each reads the database; the dossier is built on demand, rarely.
  for (const build of builders) out.push(await build(ctx, orgId, period));
  return out;
}
