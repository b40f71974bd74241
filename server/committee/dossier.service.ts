/**
 * « Préparer le dossier »: the meeting's dossier as one PDF. Parts, in order: a cover listing
 * the contents, the interim bilan (the saved bilan chosen for the meeting, else one built by
 * the report service for the dossier's period), the registered sections (dossier-sections.ts),
 * then the referent's PDF attachments. The HTML parts are rendered by one Chromium
 * (reports/pdf.ts), then merged with the attachments by pdf-lib (pdf-merge.ts).
 *
 * Also the figures the minutes' draft restates (results-sentences.ts).
 */
import type { Deps } from '../deps';
import { notFound } from '../errors';
import { formatDate } from '../format';
import * as orgStore from '../org/org.store';
import { indicatorSeries, periodFigures } from '../indicators/board.service';
import { blocMarqueLines } from '../reports/bloc-marque';
import { renderPdfs, type PdfOptions } from '../reports/pdf';
import { periodLabel } from '../reports/period';
import { buildReport, requireReport } from '../reports/report.service';
import type { SavedReport } from '../reports/report.store';
import { buildSections, tableMonths, type DossierSection } from './dossier-sections';
import { mergePdfs } from './pdf-merge';
import { meetingTitle } from './meeting.service';
import type { MeetingRow } from './meeting.store';
import * as store from './meeting.store';
import { resultSentences, sentenceTemplates, type IndicatorFigure, type ResultSentence } from './results-sentences';
import { SOURCE_LABELS } from '../indicators/catalogue';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config' | 'surveys'>;
export type RenderView = (view: string, locals: Record<string, unknown>) => Promise<string>;

/** The bilan of the dossier: the meeting's saved bilan, or one of the dossier's period. */
async function interimReport(ctx: Ctx, orgId: string, m: MeetingRow): Promise<SavedReport> {
  if (m.reportId) return requireReport(ctx, orgId, m.reportId);
  return {
    id: m.id, orgId, title: 'Bilan annuel intermédiaire', periodStart: m.periodStart, periodEnd: m.periodEnd, comparison: 'none',
    sections: ['satisfaction', 'email', 'phone', 'indicators'], surveyIds: [], comments: {}, improvements: '',
    createdBy: null, createdAt: ctx.clock.now(), updatedAt: ctx.clock.now(),
  };
}

/** What the dossier holds, in order: for its cover and for the minutes' list of documents handed out. */
export function contentsOf(bilanTitle: string, sections: Pick<DossierSection, 'title'>[], attachments: { title: string }[]): string[] {
  return [bilanTitle, ...sections.map((s) => s.title), ...attachments.map((a) => a.title)];
}

/** The dossier's list of documents without building it (the minutes' draft lists them). */
export async function dossierContents(ctx: Ctx, orgId: string, m: MeetingRow, attachments: { title: string }[]): Promise<string[]> {
  const report = await interimReport(ctx, orgId, m);
  const sections = await buildSections(ctx, orgId, { from: m.periodStart, to: m.periodEnd });
  return contentsOf(`${report.title} (${periodLabel({ from: report.periodStart, to: report.periodEnd })})`, sections, attachments);
}

export async function buildDossier(ctx: Ctx, orgId: string, meetingId: string, render: RenderView, pdf: PdfOptions) {
  const m = await store.getMeeting(ctx.db, orgId, meetingId);
  if (!m) throw notFound('Réunion');
  const org = await orgStore.getOrg(ctx.db, orgId);
  if (!org) throw notFound('Organisation');
  const period = { from: m.periodStart, to: m.periodEnd };
  const [report, sections, attachments] = await Promise.all([
    interimReport(ctx, orgId, m).then((r) => buildReport(ctx, orgId, r)),
    buildSections(ctx, orgId, period),
    store.attachmentFiles(ctx.db, orgId, m.id),
  ]);
  const bilanTitle = `${report.title} (${report.periodLabel})`;
  const title = `Dossier du ${meetingTitle(m).charAt(0).toLowerCase()}${meetingTitle(m).slice(1)}`;
  const blocMarque = blocMarqueLines(org.name);
  const common = { title, orgName: org.name, blocMarque, periodLabel: periodLabel(period), producedAt: formatDate(ctx.clock.now()) };
  const htmls = await Promise.all([
    render('committee/dossier-cover', { ...common, contents: contentsOf(bilanTitle, sections, attachments) }),
    render('reports/bilan', { m: report, blocMarque, pdfReady: true, forPdf: true }),
    render('committee/dossier-sections', { ...common, sections }),
  ]);
  const rendered = await renderPdfs(htmls, pdf);
  const merged = await mergePdfs([...rendered, ...attachments.map((a) => a.data)], { title, author: org.name, createdAt: ctx.clock.now() });
  return { pdf: merged, filename: `${title} ${org.code}.pdf`.replace(/[\\/:*?"<>|’]+/g, '-') };
}

/**
 * Each indicator's latest value in the dossier's period, with its target: the figures the
 * minutes' « Présentation de nos résultats » restates.
 */
export async function periodIndicatorFigures(ctx: Pick<Deps, 'db' | 'clock' | 'config'>, orgId: string, period: { from: string; to: string }): Promise<IndicatorFigure[]> {
  const months = tableMonths(period);
  const [series, totals] = await Promise.all([indicatorSeries(ctx, orgId, months[0], months[months.length - 1]), periodFigures(ctx, orgId, months[0], period.to)]);
  const cumulative = new Set(sentenceTemplates().cumulative);
  const span = { from: months[0], to: period.to };
  return series.indicators.flatMap((i): IndicatorFigure[] => {
    const latest = i.values.filter((v) => v.breakdown === null).sort((a, b) => b.month.localeCompare(a.month))[0];
    if (!latest) return [];
    const source = latest.source === 'computed' ? SOURCE_LABELS.computed : latest.source === 'typed' ? 'valeur saisie' : 'valeur importée';
    if (cumulative.has(i.id)) return [{ indicator: i, month: latest.month, span, value: totals.find((t) => t.indicator.id === i.id)?.value ?? null, target: i.target, source }];
    return [{ indicator: i, month: latest.month, value: latest.value, target: i.target, source }];
  });
}

export async function meetingSentences(ctx: Pick<Deps, 'db' | 'clock' | 'config'>, orgId: string, m: MeetingRow): Promise<ResultSentence[]> {
  const figures = await periodIndicatorFigures(ctx, orgId, { from: m.periodStart, to: m.periodEnd });
  return resultSentences(figures, Number(m.heldOn.slice(0, 4)));
}
