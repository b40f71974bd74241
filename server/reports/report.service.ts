/**
 * Report use cases: saved reports of an organisation (create, edit, comment, delete,
 * publish) and the one function that builds a report's model from SQL counts — used by the
 * preview, the print view, the PDF, the poster, the public page, the CSV/XLSX of the tables
 * and the JSON API alike.
 */
import type { Deps } from '../deps';
import { ValidationError, notFound } from '../errors';
import { formatDate } from '../format';
import * as orgStore from '../org/org.store';
import type { ReportSection } from '../storage/schema';
import { getSurvey, listSurveys } from '../surveys/surveys.service';
import { emailSection, holidayZoneLabel, phoneSection } from './mystery.sections';
import { COMPARISON_LABELS, comparisonPeriod, periodLabel, shortLabel, trendPeriods, type Period } from './period';
import type { ReportModel, ReportSectionModel } from './report.model';
import type { ReportForm } from './report.schemas';
import * as store from './report.store';
import { satisfactionSection, type SectionParams } from './satisfaction.section';
import { indicatorsSection } from './indicators.section';
import { actionsSection } from './actions.section';
import { satisfactionItems } from './survey-columns';
import { defaultSources, type ReportSources } from './sources';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config' | 'surveys'>;

export const SECTION_LABELS: Record<ReportSection, string> = {
  satisfaction: 'Enquêtes de satisfaction (par questionnaire et par site)',
  email: 'Enquête mystère « courriel »',
  phone: 'Enquête mystère téléphonique',
  indicators: 'Indicateurs qualité du tableau de suivi mensuel',
  actions: 'Plan d’actions correctives',
};

/** Number of periods in the trend charts (the report's period and the ones before it). */
export const TREND_PERIODS = 4;

export async function requireReport(ctx: Pick<Deps, 'db'>, orgId: string, id: string) {
  const row = await store.getReport(ctx.db, orgId, id);
  if (!row) throw notFound('Bilan');
  return row;
}

/** Surveys a report can show: those with items on the satisfaction scale (not the phone grid). */
function isSatisfactionSurvey(json: unknown): boolean {
  return satisfactionItems(json).length > 0;
}

function checkSurveys(ctx: Ctx, surveyIds: string[]) {
  const unknown = surveyIds.filter((s) => {
    const entry = getSurvey(ctx, s);
    return !entry || !isSatisfactionSurvey(entry.json);
  });
  if (unknown.length) throw new ValidationError({ surveyIds: 'Questionnaire inconnu.' });
}

export async function createReport(ctx: Ctx, orgId: string, userId: string | null, v: ReportForm) {
  checkSurveys(ctx, v.surveyIds);
  return store.insertReport(ctx.db, orgId, { ...v, createdBy: userId });
}

export async function updateSettings(ctx: Ctx, orgId: string, id: string, v: ReportForm) {
  checkSurveys(ctx, v.surveyIds);
  const row = await store.updateReport(ctx.db, orgId, id, v);
  if (!row) throw notFound('Bilan');
  return row;
}

/** Saves the comment boxes (only those of blocks the report has) and the improvements. */
export async function saveComments(ctx: Ctx, orgId: string, id: string, v: { comments: Record<string, string>; improvements: string }, blockKeys: string[]) {
  const known = new Set(blockKeys);
  const comments = Object.fromEntries(Object.entries(v.comments).filter(([k]) => known.has(k)));
  const row = await store.updateReport(ctx.db, orgId, id, { comments, improvements: v.improvements });
  if (!row) throw notFound('Bilan');
  return row;
}

export async function deleteReport(ctx: Ctx, orgId: string, id: string) {
  if (!(await store.deleteReport(ctx.db, orgId, id))) throw notFound('Bilan');
}

export async function publishReport(ctx: Ctx, orgId: string, id: string, userId: string | null) {
  await requireReport(ctx, orgId, id);
  await store.publish(ctx.db, orgId, id, userId);
}

export function surveyChoices(ctx: Pick<Deps, 'surveys'>) {
  return listSurveys(ctx).filter((s) => isSatisfactionSurvey(s.json)).map((s) => ({ value: s.id, label: s.title }));
}

/** Builds the model of a saved report: every figure of every output comes from here. */
export async function buildReport(ctx: Ctx, orgId: string, report: store.SavedReport, sources: ReportSources = defaultSources(ctx as Deps)): Promise<ReportModel> {
  const org = await orgStore.getOrg(ctx.db, orgId);
  if (!org) throw notFound('Organisation');
  const sites = await orgStore.listSites(ctx.db, orgId);
  const period: Period = { from: report.periodStart, to: report.periodEnd };
  const comparison = comparisonPeriod(period, report.comparison);
  const params: SectionParams = {
    period,
    comparison,
    trend: trendPeriods(period, TREND_PERIODS),
    minCell: ctx.config.MIN_CELL_SIZE,
    comments: report.comments ?? {},
    siteNames: new Map(sites.map((s) => [s.id, s.name])),
  };
  const sections: ReportSectionModel[] = [];
  for (const id of ['satisfaction', 'email', 'phone', 'indicators', 'actions'] as const) {
    if (!report.sections.includes(id)) continue;
    if (id === 'satisfaction') sections.push(await satisfactionSection(ctx, orgId, report.surveyIds, params));
    if (id === 'email') sections.push(await emailSection(sources.email, orgId, params));
    if (id === 'phone') sections.push(await phoneSection(sources.phone, orgId, params));
    if (id === 'indicators') sections.push(await indicatorsSection(ctx, orgId, params));
    if (id === 'actions') sections.push(await actionsSection(ctx, orgId, params));
  }
  const now = ctx.clock.now();
  return {
    id: report.id,
    title: report.title,
    org: { id: org.id, code: org.code, name: org.name, holidayZone: org.holidayZone, holidayZoneLabel: holidayZoneLabel(org.holidayZone) },
    period,
    periodLabel: periodLabel(period),
    periodShort: shortLabel(period),
    comparison: comparison
      ? { kind: report.comparison, label: COMPARISON_LABELS[report.comparison], period: comparison, periodLabel: periodLabel(comparison), periodShort: shortLabel(comparison) }
      : null,
    producedAt: now.toISOString(),
    producedAtLabel: formatDate(now),
    minCellSize: ctx.config.MIN_CELL_SIZE,
    sections,
    improvements: report.improvements.split(/\r?\n/).map((l) => l.replace(/^[-•✓*\s]+/, '').trim()).filter(Boolean),
    methods: [
      `Organisation : ${org.name} ; jours fériés de la zone ${holidayZoneLabel(org.holidayZone)}.`,
      `Période étudiée : ${periodLabel(period)}${comparison ? ` ; comparée à la ${COMPARISON_LABELS[report.comparison]} (${periodLabel(comparison)}).` : '.'}`,
      'Évolution : écart, en points, entre les chiffres arrondis affichés pour les deux périodes.',
      `Tendance : la période étudiée et les ${TREND_PERIODS - 1} périodes de même durée qui la précèdent.`,
    ],
  };
}

/** Every block key of a model (the comment boxes it can hold). */
export function blockKeys(model: ReportModel): string[] {
  return model.sections.flatMap((s) => s.blocks.map((b) => b.key));
}

export function periodText(r: Pick<store.SavedReport, 'periodStart' | 'periodEnd'>): string {
  return periodLabel({ from: r.periodStart, to: r.periodEnd });
}

const QUARTERS = ['1er', '2e', '3e', '4e'];

/** The builder's defaults: the last full quarter (Paris time), compared with the one before, every section. */
export function defaultForm(now: Date) {
  const [y, m] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit' }).format(now).split('-').map(Number);
  const q = Math.floor((m - 1) / 3); // current quarter, 0-based
  const year = q === 0 ? y - 1 : y;
  const prevQ = (q + 3) % 4;
  const from = `${year}-${String(prevQ * 3 + 1).padStart(2, '0')}-01`;
  const end = new Date(Date.UTC(year, prevQ * 3 + 3, 0)).toISOString().slice(0, 10);
  return {
    title: `Bilan qualité – ${QUARTERS[prevQ]} trimestre ${year}`,
    periodStart: from,
    periodEnd: end,
    comparison: 'previous',
    sections: ['satisfaction', 'email', 'phone'],
    surveyIds: [] as string[],
  };
}
