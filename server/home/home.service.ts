/**
 * The home page per role, as ready view models:
 * - referent / viewer: key figures of the last 12 months and the 12 before (satisfaction, the
 *   latest mystery e-mail campaign, the latest phone programme's marks), each linking to its
 *   page, the last month's indicators, then « À faire » (alerts.ts);
 * - evaluator: today's calls first, then the late ones;
 * - admin: organisations, their referents, their last activity.
 */
import type { Deps } from '../deps';
import { addCalendarDays, parisDateOf, startOfParisDay } from '../campaigns/calendar/working-days';
import { ratio } from '../campaigns/metrics';
import { emailCountsByOrg, probeSummariesOfCampaigns, rulesOfCampaign } from '../campaigns/probe-summaries';
import * as campaignStore from '../campaigns/campaign.store';
import { formatDate, formatDateTime, formatNumber, formatPercent, formatShortDateTime, plural } from '../format';
import { surveysWithAnswers } from '../reports/satisfaction.query';
import { satisfactionResults } from '../surveys/results.service';
import { buildAlerts, type Alert } from './alerts';
import { monthlyIndicatorsSummary } from '../indicators/board.service';
import * as phoneStore from '../phone/phone.store';
import { results as phoneResults } from '../phone/results.service';
import * as store from './home.store';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config' | 'surveys'>;

export interface Figure {
  label: string;
  current: string;
  previous: string;
  note: string;
  href: string;
}

interface Period { from: string; to: string; label: string }

function periods(today: string): [Period, Period] {
  const from = addCalendarDays(today, -364);
  const prevTo = addCalendarDays(from, -1);
  const prevFrom = addCalendarDays(prevTo, -364);
  return [
    { from, to: today, label: `du ${formatDate(from)} au ${formatDate(today)}` },
    { from: prevFrom, to: prevTo, label: `du ${formatDate(prevFrom)} au ${formatDate(prevTo)}` },
  ];
}

async function satisfactionFigures(ctx: Ctx, orgId: string, cur: Period, prev: Period): Promise<Figure[]> {
  const surveys = await surveysWithAnswers(ctx.db, orgId, { from: cur.from, to: cur.to });
  const main = [...surveys].sort((a, b) => b.answers - a.answers)[0];
  if (!main) return [{ label: 'Satisfaction des visiteurs', current: 'aucune réponse', previous: '–', note: 'Aucune borne n’a reçu de réponse sur les 12 derniers mois.', href: '/bornes' }];
  const [now, before] = await Promise.all([
    satisfactionResults(ctx, orgId, { survey: main.surveyId, from: cur.from, to: cur.to }),
    satisfactionResults(ctx, orgId, { survey: main.surveyId, from: prev.from, to: prev.to }),
  ]);
  const insufficient = 'effectif insuffisant';
  const overall = (r: typeof now) => {
    if (r.overall.insufficient) return insufficient;
    const good = r.overall.values.find((v) => v.value === 'tres_bien');
    return `${formatPercent(good?.share ?? null)} « très bien » (n = ${formatNumber(r.overall.total)})`;
  };
  const weakest = [...now.items].filter((i) => i.share !== null).sort((a, b) => a.share! - b.share!)[0];
  const weakBefore = weakest && before.items.find((i) => i.item === weakest.item);
  const href = `/resultats/satisfaction?survey=${encodeURIComponent(main.surveyId)}&from=${cur.from}&to=${cur.to}`;
  return [
    { label: `Satisfaction globale – ${now.survey.title}`, current: overall(now), previous: overall(before), note: '', href },
    weakest
      ? { label: `Point le plus faible : ${weakest.label}`, current: `${formatPercent(weakest.share)} satisfaits (n = ${formatNumber(weakest.n)})`, previous: weakBefore && weakBefore.share !== null ? `${formatPercent(weakBefore.share)} (n = ${formatNumber(weakBefore.n)})` : insufficient, note: 'Part « satisfait » et « très satisfait » parmi les réponses avec un avis.', href }
      : { label: 'Point le plus faible', current: insufficient, previous: '–', note: `Moins de ${plural(ctx.config.MIN_CELL_SIZE, 'réponse')} par question.`, href },
  ];
}

async function mailFigures(ctx: Ctx, orgId: string): Promise<Figure[]> {
  const campaigns = (await campaignStore.listCampaigns(ctx.db, orgId)).filter((c) => c.status !== 'draft').sort((a, b) => b.periodEnd.localeCompare(a.periodEnd));
  const [latest, previous] = campaigns;
  if (!latest) return [{ label: 'Courriels mystères', current: 'aucune campagne', previous: '–', note: '', href: '/campagnes-courriel' }];
  // Counted from the replies' summary kept on each probe (the same counts as the campaign's
  // results page: national-probe-firsts.test.ts), every probe of the two campaigns.
  const probes = await probeSummariesOfCampaigns(ctx.db, orgId, previous ? [latest.id, previous.id] : [latest.id]);
  const min = ctx.config.MIN_CELL_SIZE;
  const metricsOf = (c: typeof latest) => {
    const x = emailCountsByOrg(probes.filter((p) => p.campaignId === c.id), [rulesOfCampaign(c)]).get(orgId) ?? { delivered: 0, answered: 0, withinDeadline: 0 };
    return { delivered: x.delivered, answers: ratio(x.answered, x.delivered, min), withinDeadline: ratio(x.withinDeadline, x.answered, min) };
  };
  const m = metricsOf(latest);
  const p = previous ? metricsOf(previous) : null;
  return [
    { label: `Courriels mystères – réponses (« ${latest.name} »)`, current: `${m.answers.display} (${plural(m.delivered, 'message remis', 'messages remis')})`, previous: p ? p.answers.display : '–', note: previous ? `Comparé à « ${previous.name} ».` : '', href: `/campagnes-courriel/${latest.id}/resultats` },
    { label: 'Courriels mystères – réponses dans le délai', current: m.withinDeadline.display, previous: p ? p.withinDeadline.display : '–', note: '', href: `/campagnes-courriel/${latest.id}/resultats` },
  ];
}

/**
 * Phone marks: the mean form and substance marks /10 of the calls made TO this organisation in
 * its latest programme with graded calls (the called organisation's results), with n, compared
 * with the programme before.
 */
async function phoneFigures(ctx: Ctx, orgId: string): Promise<Figure[]> {
  // The programmes are read together; only those where this organisation is called have results for it.
  const read = await Promise.all((await phoneStore.listProgrammes(ctx.db, orgId)).map(async ({ programme }) => {
    if (!(await phoneStore.rolesIn(ctx.db, orgId, programme.id)).called) return null;
    return { id: programme.id, name: programme.name, endsOn: programme.endsOn, r: await phoneResults(ctx, orgId, programme.id) };
  }));
  const graded = read.filter((x): x is NonNullable<typeof x> => x !== null && x.r.overall.calls > 0);
  graded.sort((a, b) => b.endsOn.localeCompare(a.endsOn));
  const [latest, previous] = graded;
  if (!latest) return [{ label: 'Appels mystères', current: 'aucun appel noté', previous: '–', note: '', href: '/enquetes-telephoniques' }];
  const min = ctx.config.MIN_CELL_SIZE;
  const mark = (m: { mean: number | null; n: number }) => (m.mean === null || m.n < min ? 'effectif insuffisant' : `${formatNumber(m.mean, 1)}/10 (n = ${formatNumber(m.n)})`);
  const rate = (x: { rate: number | null; count: number; n: number }) => (x.rate === null || x.n < min ? 'effectif insuffisant' : `${formatPercent(x.rate)} (${x.count} sur ${plural(x.n, 'appel')})`);
  const href = `/enquetes-telephoniques/${latest.id}/resultats`;
  const note = `${previous ? `Comparé à « ${previous.name} ». ` : ''}Notes sur 10 des appels reçus par votre organisation ; seuil de réussite ${formatNumber(latest.r.programme.passMark)}/10.`;
  return [
    { label: `Appels mystères – appels aboutis (« ${latest.name} »)`, current: rate(latest.r.overall.answered), previous: previous ? rate(previous.r.overall.answered) : '–', note, href },
    { label: 'Appels mystères – note de forme', current: mark(latest.r.overall.form), previous: previous ? mark(previous.r.overall.form) : '–', note: '', href },
    { label: 'Appels mystères – note de fond', current: mark(latest.r.overall.substance), previous: previous ? mark(previous.r.overall.substance) : '–', note: '', href },
  ];
}

/** The last complete month's indicators (indicators/board.service.ts), each linking to the board of that month. */
async function monthlyFigures(ctx: Ctx, orgId: string) {
  const m = await monthlyIndicatorsSummary(ctx, orgId);
  const href = `/indicateurs?mois=${m.month}`;
  return {
    monthLabel: m.monthLabel,
    href,
    summary: m.rows.length
      ? `${plural(m.met, 'objectif atteint', 'objectifs atteints')}, ${plural(m.missed, 'objectif manqué', 'objectifs manqués')}.`
      : `Aucun indicateur renseigné pour ${m.monthLabel}.`,
    rows: m.rows.map((r) => ({ ...r, href: `${href}#indicateur-${encodeURIComponent(r.id)}` })),
  };
}

export async function orgHome(ctx: Ctx, orgId: string, canManage: boolean) {
  const now = ctx.clock.now();
  const today = parisDateOf(now);
  const [cur, prev] = periods(today);
  // The SQL prefilter uses calendar hours; alerts.ts then counts opening hours only.
  const quietSince = new Date(now.getTime() - ctx.config.KIOSK_SILENT_HOURS * 3_600_000);
  const [kiosks, mailboxes, campaigns, programmes, lateCalls, overdueActions, report, satisfaction, mail, phone, monthly] = await Promise.all([
    store.kiosksToWatch(ctx.db, orgId, quietSince),
    store.failingMailboxes(ctx.db, orgId),
    store.endedRunningCampaigns(ctx.db, orgId, today),
    store.programmesWaiting(ctx.db, orgId, today),
    store.lateCalls(ctx.db, orgId, new Date(now.getTime() - 24 * 3_600_000)),
    store.overdueActions(ctx.db, orgId, today),
    store.latestReadyReport(ctx.db, orgId, today),
    satisfactionFigures(ctx, orgId, cur, prev),
    mailFigures(ctx, orgId),
    phoneFigures(ctx, orgId),
    monthlyFigures(ctx, orgId),
  ]);
  const alerts: Alert[] = buildAlerts({ kiosks, mailboxes, campaigns, programmes, lateCalls, overdueActions, report, canManage }, now, ctx.config.KIOSK_SILENT_HOURS);
  return {
    periods: { current: cur.label, previous: prev.label },
    figures: [...satisfaction, ...mail, ...phone],
    monthly,
    alerts,
    todoSummary: alerts.length ? plural(alerts.length, 'point à traiter', 'points à traiter') : 'Rien à signaler.',
    settingsNote: `Une borne est signalée après ${plural(ctx.config.KIOSK_SILENT_HOURS, 'heure')} d’ouverture sans signe de vie (lundi–vendredi, 8 h 30–17 h ; réglage KIOSK_SILENT_HOURS).`,
  };
}

export async function evaluatorHome(ctx: Ctx, orgId: string, userId: string) {
  const now = ctx.clock.now();
  const today = parisDateOf(now);
  const todayStart = startOfParisDay(today);
  const calls = await store.evaluatorCalls(ctx.db, orgId, userId, startOfParisDay(addCalendarDays(today, 1)));
  const row = (c: store.CallRow) => ({ id: c.id, when: formatShortDateTime(c.scheduledAt), calledOrg: c.calledOrg, started: c.status === 'in_progress' });
  const todays = calls.filter((c) => new Date(c.scheduledAt) >= todayStart).map(row);
  const late = calls.filter((c) => new Date(c.scheduledAt) < todayStart).map(row);
  return { today: formatDate(now), todays, late, summary: `${plural(todays.length, 'appel', 'appels')} aujourd’hui, ${plural(late.length, 'appel en retard', 'appels en retard')}.` };
}

export async function adminHome(ctx: Pick<Deps, 'db'>) {
  const orgs = await store.organisationsActivity(ctx.db);
  return {
    summary: plural(orgs.length, 'organisation'),
    organisations: orgs.map((o) => ({
      id: o.id, code: o.code, name: o.name, active: !o.deactivatedAt,
      referents: o.referents ?? 'aucun référent',
      lastActivity: o.lastLoginAt ? formatDateTime(o.lastLoginAt) : 'aucune connexion',
    })),
  };
}
