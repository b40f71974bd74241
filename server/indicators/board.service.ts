/**
 * The board's use cases: the month's table (with year to date, change, verdicts and trend
 * charts), lost calls per bureau, the JSON series of `GET /api/v1/indicateurs`, and the small
 * summary the home page shows (`monthlyIndicatorsSummary`).
 *
 * Computed indicators come from the product's own data through services: the complaints
 * register (complaints/complaint.service.ts) and, for the mystery e-mail and phone figures,
 * the report sources over the campaigns' and phone feature's results; the point numérique's
 * visits and the kiosk satisfaction from the surveys' answers (kiosk-values.ts).
 */
import type { Deps } from '../deps';
import { formatDate } from '../format';
import { complaintMonthlyValues } from '../complaints/complaint.service';
import { multiLineChart, trendChart } from '../reports/charts';
import { ATTENDANCE_INDICATOR, attendanceTable } from './attendance';
import { COUNTING_SURVEY, countedVisits, kioskMonthlyValues, ruleText } from './kiosk-values';
import { COUNTING_QUESTION } from '../surveys/catalogue';
import { getSurvey } from '../surveys/surveys.service';
import { campaignRules, emailCountsByOrg, probeSummaries } from '../campaigns/probe-summaries';
import { inPeriod, overlaps } from '../reports/period';
import { loadPhoneResults, phoneIndicatorsOf } from '../reports/phone.source';
import { indicatorCatalogue, type Indicator } from './catalogue';
import { addMonths, buildBoard, formatChange, formatValue, lostCallsByBureau, monthLabel, printedValue, verdictOf, yearToDate, previousMonth, shortMonthLabel, type BoardRow, type MonthValue } from './board';
import * as store from './indicators.store';
import { sampledMonthlyValues, samplingNote } from '../sampling/sampling.service';
import { SAMPLING_INDICATOR } from '../sampling/sampling';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config'>;

export const TREND_MONTHS = 12;

const lastDay = (month: string) => {
  const next = new Date(`${addMonths(month, 1)}T00:00:00Z`);
  return new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10);
};

/**
 * Mystery e-mail and phone figures per month (only months where a campaign ran), counted as
 * the bilan counts them: for e-mail, the probes sent in the month by campaigns overlapping it,
 * from the replies' summary kept on each probe (campaigns/probe-summaries.ts, the same counts as the
 * campaign's outcomes: national-probe-firsts.test.ts); for the phone, each programme
 * overlapping the month counted whole. The window is read once and each month counted from it.
 */
async function mysteryValues(ctx: Ctx, orgId: string, from: string, to: string): Promise<MonthValue[]> {
  const out: MonthValue[] = [];
  const whole = { from, to: lastDay(to) };
  const [probes, campaigns, calls] = await Promise.all([probeSummaries(ctx.db, whole, orgId), campaignRules(ctx.db, whole, orgId), loadPhoneResults(ctx, orgId, whole)]);
  if (!campaigns.length && !calls.length) return out;
  for (let m = from; m <= to; m = addMonths(m, 1)) {
    const period = { from: m, to: lastDay(m) };
    const running = campaigns.filter((c) => overlaps({ from: c.periodStart, to: c.periodEnd }, period));
    const ids = new Set(running.map((c) => c.campaignId));
    const email = running.length ? emailCountsByOrg(probes.filter((p) => ids.has(p.campaignId) && p.sentAt && inPeriod(p.sentAt, period)), running).get(orgId) : undefined;
    const phone = phoneIndicatorsOf(calls, period);
    if (email && email.answered > 0) {
      out.push({ indicatorId: 'mystere-courriel-5j', month: m, breakdown: '', value: (100 * email.withinDeadline) / email.answered, numerator: email.withinDeadline, denominator: email.answered, source: 'computed' });
    }
    if (phone && phone.calls > 0) {
      out.push({ indicatorId: 'mystere-telephone-aboutis', month: m, breakdown: '', value: (100 * phone.answered) / phone.calls, numerator: phone.answered, denominator: phone.calls, source: 'computed' });
    }
  }
  return out;
}

/** Every monthly value (stored and computed) of months `from`..`to`. */
export async function monthValues(ctx: Ctx, orgId: string, from: string, to: string): Promise<MonthValue[]> {
  const asOf = formatIso(ctx.clock.now());
  const [allStored, complaints, mystery, sampled] = await Promise.all([
    store.currentValues(ctx.db, orgId, from, to),
    complaintMonthlyValues(ctx, orgId, from, lastDay(to), asOf),
    mysteryValues(ctx, orgId, from, to),
    sampledMonthlyValues(ctx, orgId, from, to),
  ]);
  // A month measured by real-mail sampling wins over a value typed for it.
  const sampledKeys = new Set(sampled.map((v) => `${v.month}|${v.breakdown}`));
  const stored = allStored.filter((v) => v.indicatorId !== SAMPLING_INDICATOR || !sampledKeys.has(`${v.month}|${v.breakdown}`));
  const typedAttendance = new Set(stored.filter((v) => v.indicatorId === ATTENDANCE_INDICATOR && v.breakdown === '').map((v) => v.month));
  const kiosk = await kioskMonthlyValues(ctx, orgId, from, to, typedAttendance);
  return [
    ...stored.map((v) => ({ indicatorId: v.indicatorId, month: v.month, breakdown: v.breakdown, value: v.value, numerator: v.numerator, denominator: v.denominator, source: v.source })),
    ...complaints, ...mystery, ...kiosk, ...sampled,
  ];
}

function formatIso(d: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

export async function boardRows(ctx: Ctx, orgId: string, month: string) {
  const jan = `${month.slice(0, 4)}-01-01`;
  const from = addMonths(month, -(TREND_MONTHS - 1)) < jan ? addMonths(month, -(TREND_MONTHS - 1)) : jan;
  const [values, targets] = await Promise.all([monthValues(ctx, orgId, from, month), store.listTargets(ctx.db, orgId)]);
  return { rows: buildBoard(indicatorCatalogue().indicators, targets, values, month, TREND_MONTHS), values };
}

const VERDICT_LABELS = { met: 'atteint', missed: 'non atteint' } as const;

function chartOf(row: BoardRow): string | null {
  const known = row.trend.filter((t) => t.value !== null);
  if (known.length < 2) return null;
  // The chart starts at the first month with a value: months before the indicator was followed are not « missing ».
  const points = row.trend.slice(row.trend.findIndex((t) => t.value !== null));
  const i = row.indicator;
  // trendChart draws ratios in [0, 1]: percentages are divided by 100, other units by a rounded maximum.
  const scale = i.unit === 'percent' ? 100 : Math.max(1, ...known.map((t) => t.value!), row.target ?? 0) * 1.2;
  return trendChart({
    id: `trend-${i.id}`, title: `${i.label} : évolution sur ${TREND_MONTHS} mois`,
    points: points.map((t) => ({ label: shortMonthLabel(t.month), value: t.value === null ? null : t.value / scale, note: 'non renseigné' })),
    target: row.target === null ? null : row.target / scale,
    format: (r) => formatValue(i, r * scale),
  });
}

export interface BoardViewRow {
  id: string; label: string; formula: string; unit: string;
  value: string; target: string; national: string; targetIsOwn: boolean;
  verdict: string | null; verdictKey: 'met' | 'missed' | null;
  change: string; ytd: string; ytdVerdict: string | null; ytdVerdictKey: 'met' | 'missed' | null;
  source: string; chart: string | null;
}

export function boardViewRow(row: BoardRow, minAnswers = 5, notes: ReadonlyMap<string, string> = new Map()): BoardViewRow {
  const i: Indicator = row.indicator;
  const rule = ruleText(i, minAnswers) ?? notes.get(i.id) ?? null;
  return {
    id: i.id, label: i.label, formula: rule ? `${i.formula} ${rule}` : i.formula, unit: i.unit,
    value: formatValue(i, row.month.value), target: row.target === null ? '–' : formatValue(i, row.target),
    national: i.nationalTarget === null ? '–' : formatValue(i, i.nationalTarget), targetIsOwn: row.targetIsOwn,
    verdict: row.month.verdict ? VERDICT_LABELS[row.month.verdict] : null, verdictKey: row.month.verdict,
    change: formatChange(i, row.change), ytd: formatValue(i, row.ytd.value),
    ytdVerdict: row.ytd.verdict ? VERDICT_LABELS[row.ytd.verdict] : null, ytdVerdictKey: row.ytd.verdict,
    source: row.source === null ? '–' : row.source === 'computed' ? 'calculé' : row.source === 'typed' ? 'saisi' : 'importé',
    chart: chartOf(row),
  };
}

/** The view model of the board page and of the bilan's section. */
export async function boardModel(ctx: Ctx, orgId: string, month: string) {
  const [{ rows, values }, sampling] = await Promise.all([boardRows(ctx, orgId, month), samplingNote(ctx, orgId, month)]);
  const notes = new Map(sampling ? [[SAMPLING_INDICATOR, sampling]] : []);
  const bureaux = lostCallsByBureau(values, month);
  return {
    month: month.slice(0, 7), monthLabel: monthLabel(month),
    ytdLabel: month.slice(5, 7) === '01' ? monthLabel(month) : `janvier à ${monthLabel(month)}`,
    previousMonth: addMonths(month, -1).slice(0, 7), nextMonth: addMonths(month, 1).slice(0, 7),
    rows: rows.map((r) => boardViewRow(r, ctx.config.MIN_CELL_SIZE, notes)),
    met: rows.filter((r) => r.month.verdict === 'met').length,
    missed: rows.filter((r) => r.month.verdict === 'missed').length,
    bureaux: bureaux.map((b) => ({
      bureau: b.bureau, answered: formatValue({ unit: 'count' }, b.answered), lost: formatValue({ unit: 'count' }, b.lost),
      offered: formatValue({ unit: 'count' }, b.offered), rate: formatValue({ unit: 'percent' }, b.rate),
    })),
    printedOn: formatDate(ctx.clock.now()),
  };
}

export const defaultMonth = (ctx: Pick<Deps, 'clock'>) => previousMonth(ctx.clock.now());

/** JSON of `GET /api/v1/indicateurs?from=&to=`: every indicator's monthly values with targets and verdicts. */
export async function indicatorSeries(ctx: Ctx, orgId: string, from: string, to: string) {
  const [values, targets] = await Promise.all([monthValues(ctx, orgId, from, to), store.listTargets(ctx.db, orgId)]);
  const cat = indicatorCatalogue();
  return {
    from: from.slice(0, 7), to: to.slice(0, 7), catalogueVersion: cat.version,
    indicators: cat.indicators.map((i) => {
      const own = targets.get(i.id);
      const target = i.polarity === 'none' ? null : own ?? i.nationalTarget;
      return {
        id: i.id, label: i.label, unit: i.unit, polarity: i.polarity, periodicity: i.periodicity, source: i.source,
        nationalTarget: i.nationalTarget, target,
        values: values.filter((v) => v.indicatorId === i.id).sort((a, b) => a.month.localeCompare(b.month) || a.breakdown.localeCompare(b.breakdown)).map((v) => ({
          month: v.month.slice(0, 7), breakdown: v.breakdown || null, value: v.value, numerator: v.numerator, denominator: v.denominator, source: v.source,
          verdict: v.breakdown ? null : verdictOf(i, v.value, target),
        })),
      };
    }),
  };
}

/**
 * For the home page (issue 13): the last complete month's indicators that have a value, with
 * their target and verdict, formatted in French. `month` defaults to the previous month.
 */
export async function monthlyIndicatorsSummary(ctx: Ctx, orgId: string, month?: string) {
  let { month: m, shown } = await summaryOf(ctx, orgId, month ?? defaultMonth(ctx));
  // The home asks for no month: when last month has nothing yet, the latest month that has.
  if (!month && !shown.length) {
    const latest = await store.latestMonthWithValues(ctx.db, orgId, m);
    if (latest) ({ month: m, shown } = await summaryOf(ctx, orgId, latest));
  }
  return summaryModel(m, shown);
}

async function summaryOf(ctx: Ctx, orgId: string, month: string) {
  // Only the month's value, target and verdict are shown: its values alone are read (the board
  // itself reads a year for the trends and the year to date).
  const [values, targets] = await Promise.all([monthValues(ctx, orgId, month, month), store.listTargets(ctx.db, orgId)]);
  const rows = buildBoard(indicatorCatalogue().indicators, targets, values, month, 1);
  return { month, shown: rows.filter((r) => r.month.value !== null).map((r) => boardViewRow(r, ctx.config.MIN_CELL_SIZE)) };
}

function summaryModel(month: string, shown: ReturnType<typeof boardViewRow>[]) {
  return {
    month: month.slice(0, 7), monthLabel: monthLabel(month),
    met: shown.filter((r) => r.verdictKey === 'met').length, missed: shown.filter((r) => r.verdictKey === 'missed').length,
    rows: shown.map(({ id, label, value, target, verdict, verdictKey }) => ({ id, label, value, target, verdict, verdictKey })),
  };
}

/**
 * Each indicator over a period of whole or partial months (the bilan's section): the months
 * whose first day lies in the period, aggregated as the year to date is (sums divided, counts
 * summed, longest delay), with the target and verdict.
 */
export async function periodFigures(ctx: Ctx, orgId: string, from: string, to: string) {
  const first = `${from.slice(0, 7)}-01`;
  const last = `${to.slice(0, 7)}-01`;
  const [values, targets] = await Promise.all([monthValues(ctx, orgId, first, last), store.listTargets(ctx.db, orgId)]);
  return indicatorCatalogue().indicators.map((i) => {
    const months = values.filter((v) => v.indicatorId === i.id && v.breakdown === '');
    const value = yearToDate(i, months);
    const target = i.polarity === 'none' ? null : targets.get(i.id) ?? i.nationalTarget;
    const n = months.every((m) => m.denominator !== null) ? months.reduce((s, m) => s + (m.denominator ?? 0), 0) : months.length;
    return { indicator: i, value, display: formatValue(i, value), target, targetDisplay: target === null ? null : formatValue(i, target), verdict: verdictOf(i, value, target), n, months: months.length, printed: value === null ? null : printedValue(i, value) };
  });
}

/** The point numérique's page: the attendance of `year` and the year before, months in rows, and its chart. */
export async function attendanceModel(ctx: Ctx, orgId: string, year: number) {
  const years = [year - 1, year];
  const [values, counted] = await Promise.all([
    monthValues(ctx, orgId, `${year - 1}-01-01`, `${year}-12-01`),
    countedVisits(ctx, orgId, `${year}-01-01`, `${year}-12-01`),
  ]);
  const table = attendanceTable(values, years);
  const reasonLabels = attendanceReasons(ctx as Deps);
  const count = (v: number | null) => formatValue({ unit: 'count' }, v);
  const monthNames = Array.from({ length: 12 }, (_, i) => monthLabel(`2000-${String(i + 1).padStart(2, '0')}-01`).slice(0, -5));
  const hasValues = table.totals.some((t) => t.monthsKnown > 0);
  return {
    year, previousYear: year - 1, nextYear: year + 1, years,
    rows: table.months.map((m) => ({ label: monthNames[m.month - 1], cells: m.cells.map((c) => (c === null ? 'non renseigné' : count(c))) })),
    totals: table.totals.map((t) => ({ total: t.monthsKnown ? count(t.total) : '–', months: t.monthsKnown })),
    chart: hasValues ? multiLineChart({
      id: 'point-numerique', title: `Visiteurs du point numérique par mois, ${year - 1} et ${year}`,
      labels: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
      series: years.map((y, c) => ({ name: String(y), values: table.months.map((m) => m.cells[c]) })),
      format: (v) => count(v),
    }) : null,
    // The year's taps on the counting kiosk, per reason (months in rows, like the table above).
    reasons: reasonLabels,
    counted: counted.size === 0 ? null : {
      rows: Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}-01`).filter((m) => counted.has(m)).map((m) => ({
        label: monthNames[Number(m.slice(5, 7)) - 1],
        cells: reasonLabels.map((r) => count(counted.get(m)?.get(r.value) ?? 0)),
        total: count([...counted.get(m)!.values()].reduce((a, b) => a + b, 0)),
      })),
      totals: reasonLabels.map((r) => count([...counted.values()].reduce((a, m) => a + (m.get(r.value) ?? 0), 0))),
    },
    printedOn: formatDate(ctx.clock.now()),
  };
}

/** The reasons of the counting form, in its order, with their French labels. */
function attendanceReasons(ctx: Pick<Deps, 'surveys'>): { value: string; label: string }[] {
  const entry = getSurvey(ctx, COUNTING_SURVEY);
  const q = entry?.validator.questions.find((x) => x.name === COUNTING_QUESTION);
  const json = entry?.json as { pages?: { elements?: { name: string; choices?: { value: string; text?: string }[] }[] }[] } | undefined;
  const choices = json?.pages?.[0]?.elements?.find((e) => e.name === COUNTING_QUESTION)?.choices ?? [];
  return (q?.values ?? []).map((v) => ({ value: String(v), label: choices.find((c) => c.value === v)?.text ?? String(v) }));
}
