/**
 * The satisfaction section of a report: one block per survey, one line per item of the
 * 4-point scale (share « satisfait et très satisfait », n, « sans avis », 95 % interval,
 * change against the comparison period), the same items per site, a bar chart and the trend
 * of the overall item over the last periods.
 */
import type { Deps } from '../deps';
import { formatNumber } from '../format';
import { OVERALL_QUESTION } from '../surveys/catalogue';
import { getSurvey } from '../surveys/surveys.service';
import { barChart, trendChart } from './charts';
import { buildRow, INSUFFICIENT } from './metrics';
import { shortLabel, type Period } from './period';
import type { ReportBlock, ReportSectionModel, SiteBreakdown } from './report.model';
import { NO_SITE, satisfactionCounts, surveysWithAnswers, type ItemCounts, type PeriodKey } from './satisfaction.query';
import { headlineItem, satisfactionItems } from './survey-columns';

export interface SectionParams {
  period: Period;
  comparison: Period | null;
  trend: Period[];
  minCell: number;
  comments: Record<string, string>;
  /** Site id → name, for the organisation. */
  siteNames: Map<string, string>;
}

export function satisfactionMethods(minCell: number): string[] {
  return [
    'Satisfaction : part des réponses « satisfait » et « très satisfait » parmi les réponses exprimant un avis sur l’échelle à quatre niveaux (très satisfait, satisfait, peu satisfait, pas du tout satisfait).',
    'Les réponses « sans avis / non concerné » sont exclues du dénominateur et comptées à part ; n est le nombre de réponses exprimant un avis.',
    'Intervalle de confiance à 95 % calculé par la méthode de Wilson.',
    `Aucun chiffre n’est publié lorsqu’il repose sur moins de ${formatNumber(minCell)} réponses : « ${INSUFFICIENT} ».`,
    'Questionnaires anonymes remplis sur les bornes des halls d’accueil et par les liens publics ; la date retenue est celle de fin du questionnaire, en heure de Paris.',
  ];
}

const keyOf = (c: { period: string; siteId: string | null; item: string }) => `${c.period}|${c.siteId ?? '*'}|${c.item}`;

export async function satisfactionSection(deps: Pick<Deps, 'db' | 'surveys'>, orgId: string, surveyIds: string[], p: SectionParams): Promise<ReportSectionModel> {
  const ids = surveyIds.length > 0 ? surveyIds : (await surveysWithAnswers(deps.db, orgId, p.period)).map((s) => s.surveyId);
  const blocks: ReportBlock[] = [];
  for (const surveyId of ids) {
    const entry = getSurvey(deps, surveyId);
    if (!entry) continue;
    blocks.push(await surveyBlock(deps, orgId, entry.id, entry.title, entry.json, p));
  }
  return {
    id: 'satisfaction',
    title: 'Enquêtes de satisfaction',
    unavailable: blocks.length === 0 ? 'Aucune réponse aux questionnaires de satisfaction sur la période.' : null,
    blocks,
    methods: satisfactionMethods(p.minCell),
  };
}

async function surveyBlock(deps: Pick<Deps, 'db'>, orgId: string, surveyId: string, title: string, definition: unknown, p: SectionParams): Promise<ReportBlock> {
  const items = satisfactionItems(definition);
  const periods: PeriodKey[] = [{ key: 'main', ...p.period }];
  if (p.comparison) periods.push({ key: 'comparison', ...p.comparison });
  p.trend.forEach((t, i) => periods.push({ key: `trend${i}`, ...t }));
  const counts = await satisfactionCounts(deps.db, orgId, surveyId, [...items.map((i) => i.name), OVERALL_QUESTION], periods);
  const byKey = new Map<string, ItemCounts>(counts.map((c) => [keyOf(c), c]));
  const get = (period: string, siteId: string | null, item: string) => byKey.get(keyOf({ period, siteId, item }));

  const rowsFor = (siteId: string | null, withComparison: boolean) =>
    items.map((it) => {
      const c = get('main', siteId, it.name);
      const prev = withComparison && p.comparison ? get('comparison', siteId, it.name) : undefined;
      return buildRow({
        key: it.name, label: it.title, kind: 'share',
        num: c?.top2 ?? 0, den: c?.opinions ?? 0, sansAvis: c?.sansAvis ?? 0,
        previous: withComparison && p.comparison ? { num: prev?.top2 ?? 0, den: prev?.opinions ?? 0 } : null,
      }, p.minCell);
    });
  const rows = rowsFor(null, true);

  // Answer sets: the overall smileys question is required in kiosk surveys, so its count is
  // the number of answer sets; without it, the most answered item gives a lower bound.
  const overall = get('main', null, OVERALL_QUESTION);
  const answerSets = overall ? overall.total : Math.max(0, ...items.map((it) => get('main', null, it.name)?.total ?? 0));

  const siteIds = [...new Set(counts.filter((c) => c.period === 'main' && c.siteId !== null).map((c) => c.siteId!))];
  const siteName = (id: string) => (id === NO_SITE ? 'Sans site (lien public)' : p.siteNames.get(id) ?? 'Site supprimé');
  const bySite: SiteBreakdown[] = siteIds
    .map((id) => ({ siteId: id, siteName: siteName(id), rows: rowsFor(id, false) }))
    .sort((a, b) => a.siteName.localeCompare(b.siteName, 'fr'));

  const headline = headlineItem(items);
  const headlineTitle = items.find((i) => i.name === headline)?.title ?? null;
  const trend = headline
    ? p.trend.map((period, i) => {
        const c = get(`trend${i}`, null, headline);
        const r = buildRow({ key: headline, label: headlineTitle ?? headline, kind: 'share', num: c?.top2 ?? 0, den: c?.opinions ?? 0 }, p.minCell);
        return { period, label: shortLabel(period), value: r.value, display: r.display, n: r.n };
      })
    : [];

  const key = `satisfaction:${surveyId}`;
  const bars = rows.length
    ? barChart({
        id: `chart-${key}`,
        title: `${title} : part de satisfaits par point`,
        bars: rows.map((r) => ({ label: r.label, value: r.value, low: r.ci?.low, high: r.ci?.high, target: r.target?.value, note: r.display })),
      })
    : null;
  const trendSvg = headline && trend.length > 1
    ? trendChart({
        id: `trend-${key}`,
        title: `${headlineTitle} : évolution de la part de satisfaits`,
        points: trend.map((t) => ({ label: t.label, value: t.value, note: t.display })),
      })
    : null;

  return {
    key,
    title,
    subtitle: `${formatNumber(answerSets)} questionnaire${answerSets > 1 ? 's' : ''} sur la période`,
    rows,
    trendLabel: headlineTitle,
    trend,
    charts: { bars, trend: trendSvg },
    bySite,
    findings: null,
    comment: p.comments[key] ?? '',
  };
}
