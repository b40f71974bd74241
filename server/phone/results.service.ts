/**
 * Results for the called organisation: per number and overall, from the grids submitted on
 * calls made to it (never who made them). Every figure carries its n; a figure whose n is
 * below MIN_CELL_SIZE is withheld (null, « effectif insuffisant » on the page).
 */
import type { Deps } from '../deps';
import { formatNumber, formatPercent } from '../format';
import { findings, passMarkText } from './findings';
import { NUMBER_KIND_LABELS, formatWait } from './phone.format';
import { requireCalled } from './programme.service';
import { ANSWERED_RATE_TARGET, WEIGHTS_TABLE, callFacts, summarise, type Mean, type Rate, type Summary } from './scoring';
import * as store from './phone.store';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config'>;

export interface Figure {
  value: number | null;
  n: number;
  insufficient: boolean;
}

export interface SummaryJson {
  calls: number;
  answeredRate: Figure & { answered: number };
  meanWaitSeconds: Figure;
  formMark: Figure;
  substanceMark: Figure;
  formPassRate: Figure;
  substancePassRate: Figure;
}

function fromRate(r: Rate, min: number): Figure {
  const insufficient = r.n < min;
  return { value: insufficient ? null : r.rate, n: r.n, insufficient };
}

function fromMean(m: Mean, min: number): Figure {
  const insufficient = m.n < min;
  return { value: insufficient || m.mean === null ? null : Math.round(m.mean * 100) / 100, n: m.n, insufficient };
}

function toJson(s: Summary, min: number): SummaryJson {
  return {
    calls: s.calls,
    answeredRate: { ...fromRate(s.answered, min), answered: s.answered.count },
    meanWaitSeconds: fromMean(s.wait, min),
    formMark: fromMean(s.form, min),
    substanceMark: fromMean(s.substance, min),
    formPassRate: fromRate(s.formPass, min),
    substancePassRate: fromRate(s.substancePass, min),
  };
}

export async function results(ctx: Ctx, orgId: string, programmeId: string) {
  const { programme } = await requireCalled(ctx, orgId, programmeId, { accepted: false });
  const min = ctx.config.MIN_CELL_SIZE;
  const [numbers, grids] = await Promise.all([store.listNumbers(ctx.db, orgId, programmeId), store.listSubmittedGrids(ctx.db, orgId, programmeId)]);
  const factsByNumber = new Map<string, ReturnType<typeof callFacts>[]>();
  for (const g of grids) {
    const list = factsByNumber.get(g.numberId) ?? [];
    list.push(callFacts(g.answers as Record<string, unknown>));
    factsByNumber.set(g.numberId, list);
  }
  const perNumber = numbers.map((n) => ({ number: n, summary: summarise(factsByNumber.get(n.id) ?? [], programme.passMark) }));
  const overall = summarise([...factsByNumber.values()].flat(), programme.passMark);
  return {
    programme,
    overall,
    perNumber,
    findings: findings(overall, perNumber.map((x) => ({ label: x.number.label, summary: x.summary })), { passMark: programme.passMark, minCellSize: min }),
    json: {
      programme: { id: programme.id, name: programme.name, startsOn: programme.startsOn, endsOn: programme.endsOn },
      settings: {
        passMark: programme.passMark, maxAttempts: programme.maxAttempts, attemptWaitSeconds: programme.attemptWaitSeconds,
        minCellSize: min, answeredRateTarget: ANSWERED_RATE_TARGET, weights: WEIGHTS_TABLE,
      },
      overall: toJson(overall, min),
      numbers: perNumber.map(({ number, summary }) => ({
        id: number.id, kind: number.kind, label: number.label, phone: number.phone, serviceId: number.serviceId, ...toJson(summary, min),
      })),
      findings: [] as string[],
    },
  };
}

const INSUFFICIENT = 'effectif insuffisant';

/** One figure as printed: the value, or « effectif insuffisant » below the minimum cell size. */
function cell(f: Figure, format: (v: number) => string) {
  return { text: f.insufficient || f.value === null ? INSUFFICIENT : format(f.value), n: f.n, insufficient: f.insufficient };
}

const mark = (v: number) => `${formatNumber(v, 1)}/10`;

export function resultRow(label: string, kindLabel: string, s: SummaryJson) {
  return {
    label, kindLabel, calls: s.calls,
    answeredRate: cell(s.answeredRate, formatPercent),
    meanWait: cell(s.meanWaitSeconds, formatWait),
    formMark: cell(s.formMark, mark),
    substanceMark: cell(s.substanceMark, mark),
    formPass: cell(s.formPassRate, formatPercent),
    substancePass: cell(s.substancePassRate, formatPercent),
  };
}

/** The results page's view model. */
export async function resultsView(ctx: Ctx, orgId: string, programmeId: string) {
  const r = await results(ctx, orgId, programmeId);
  return {
    programme: r.programme,
    rows: r.json.numbers.map((n) => resultRow(n.label, NUMBER_KIND_LABELS[n.kind], n)),
    overall: resultRow('Ensemble des numéros', '', r.json.overall),
    findings: r.findings,
    weights: WEIGHTS_TABLE,
    settings: {
      passMark: passMarkText(r.programme.passMark),
      attempts: `${r.programme.maxAttempts} tentative${r.programme.maxAttempts > 1 ? 's' : ''} de ${formatNumber(r.programme.attemptWaitSeconds / 60)} minute${r.programme.attemptWaitSeconds > 60 ? 's' : ''}`,
      minCellSize: ctx.config.MIN_CELL_SIZE,
      target: formatPercent(ANSWERED_RATE_TARGET),
    },
  };
}

export async function resultsJson(ctx: Ctx, orgId: string, programmeId: string) {
  const r = await results(ctx, orgId, programmeId);
  return { ...r.json, findings: r.findings };
}
