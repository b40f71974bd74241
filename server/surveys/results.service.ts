/**
 * Satisfaction results of one survey (optionally one site and one period): per item the
 * top-2-box share « satisfait ou très satisfait » = (très satisfait + satisfait) / answers with
 * an opinion, « sans avis » excluded from the denominator and counted apart, with n and a 95 %
 * Wilson interval; the distribution of the overall smileys. Any figure computed from fewer
 * than config.MIN_CELL_SIZE answers is withheld (« effectif insuffisant »).
 */
import type { Deps } from '../deps';
import { AppError, ValidationError } from '../errors';
import * as orgSvc from '../org/org.service';
import { OVERALL_QUESTION, SATISFACTION_SCALE, type SurveyCatalogueEntry } from './catalogue';
import * as store from './results.store';
import type { ResultsQuery } from './results.schemas';
import { OVERALL_ORDER } from './survey-page';
import { getVisitorSurvey, listSurveys, questionTitles } from './surveys.service';
import { wilsonInterval, type Interval } from './wilson';

type Ctx = Pick<Deps, 'db' | 'clock' | 'surveys' | 'config'>;

export const OVERALL_LABELS: Record<string, string> = { tres_bien: 'Très bien', moyen: 'Moyen', pas_bien: 'Pas bien' };

export interface ItemFigure {
  item: string;
  label: string;
  /** Answers with an opinion (the denominator). */
  n: number;
  top2: number;
  sansAvis: number;
  /** null when n < minCellSize */
  share: number | null;
  ci: Interval | null;
  insufficient: boolean;
}

export interface SatisfactionResults {
  survey: { id: string; title: string };
  siteId: string | null;
  siteName: string | null;
  from: string | null;
  to: string | null;
  minCellSize: number;
  items: ItemFigure[];
  overall: { total: number; insufficient: boolean; values: { value: string; label: string; n: number | null; share: number | null }[] };
}

/** Items of the 4-point satisfaction scale in the current definition, in document order. */
function satisfactionItems(entry: SurveyCatalogueEntry) {
  const titles = questionTitles(entry.json);
  return entry.validator.questions
    .filter((q) => q.values && q.values.length === SATISFACTION_SCALE.length && SATISFACTION_SCALE.every((v, i) => q.values![i] === v))
    .map((q) => ({ item: q.name, label: titles.get(q.name) ?? q.name }));
}

export async function satisfactionResults(ctx: Ctx, orgId: string, q: ResultsQuery): Promise<SatisfactionResults> {
  const surveyId = q.survey ?? listSurveys(ctx)[0]?.id;
  const entry = surveyId ? getVisitorSurvey(ctx, surveyId) : undefined;
  if (!entry) throw new ValidationError({ survey: 'Questionnaire inconnu.' });
  let siteName: string | null = null;
  if (q.site) {
    try {
      siteName = (await orgSvc.requireSite(ctx, orgId, q.site)).name;
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw new ValidationError({ site: 'Site inconnu.' });
      throw err;
    }
  }
  const min = ctx.config.MIN_CELL_SIZE;
  const filter: store.ResultsFilter = { surveyId: entry.id, siteId: q.site ?? null, from: q.from ?? null, to: q.to ?? null };
  const items = satisfactionItems(entry);
  const counts = await store.answerCounts(ctx.db, orgId, filter, [...items.map((i) => i.item), OVERALL_QUESTION]);
  const overall = counts.get(OVERALL_QUESTION) ?? new Map<string, number>();
  const total = OVERALL_ORDER.reduce((sum, value) => sum + (overall.get(value) ?? 0), 0);
  const overallInsufficient = total < min;
  return {
    survey: { id: entry.id, title: entry.title },
    siteId: q.site ?? null,
    siteName,
    from: q.from ?? null,
    to: q.to ?? null,
    minCellSize: min,
    items: items.map(({ item, label }) => {
      const c = store.scaleCounts(item, counts.get(item));
      const insufficient = c.n < min;
      return {
        item, label, n: c.n, top2: c.top2, sansAvis: c.sansAvis,
        share: insufficient ? null : c.top2 / c.n,
        ci: insufficient ? null : wilsonInterval(c.top2, c.n),
        insufficient,
      };
    }),
    overall: {
      total,
      insufficient: overallInsufficient,
      values: OVERALL_ORDER.map((value) => ({
        value,
        label: OVERALL_LABELS[value],
        n: overallInsufficient ? null : overall.get(value) ?? 0,
        share: overallInsufficient ? null : (overall.get(value) ?? 0) / total,
      })),
    },
  };
}

/** Issue 16: the mean of a numeric answer (e.g. the 1–5 effort score) over Paris calendar days, with its n. */
export async function numericItemMean(ctx: Pick<Deps, 'db'>, orgId: string, surveyId: string, item: string, from: string, to: string): Promise<{ n: number; mean: number | null }> {
  const s = await store.numericAnswerStats(ctx.db, orgId, surveyId, item, from, to);
  return { n: s.n, mean: s.n ? s.sum / s.n : null };
}
