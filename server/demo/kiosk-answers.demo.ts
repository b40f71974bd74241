/**
 * Demo kiosk answers: one kiosk per site of Haute-Savoie and a year of answer sets of the
 * global survey, stored through the kiosk's own path (kiosk.service createKiosk, then the
 * answer-set writer's commitBatch: kiosk state, rate limit, insert, kiosk contact), in batches.
 * The last autumn (1 October – 30 November) gives exactly the seed's twelve figures over the
 * three sites; the other months drift around them. Deterministic: a fixed-seed PRNG draws
 * every id, time and answer, and dates are relative to the clock.
 */
import type { Deps } from '../deps';
import { createKiosk, heartbeat } from '../kiosk/kiosk.service';
import { commitBatch, type PendingAnswerSet } from '../surveys/answer-set-writer';
import { KIOSK_SUBMISSIONS, kioskKey } from '../surveys/rate-limit';
import { ensureCurrentVersion, getSurvey } from '../surveys/surveys.service';
import { seededRandom as prng } from '../random';

export const DEMO_SURVEY = 'satisfaction-accueil';

/** The seed's autumn-2018 figures (share « satisfait et très satisfait »), in the survey's order. */
export const DEMO_FIGURES: [item: string, percent: number][] = [
  ['courtoisie', 96], ['accessibilite_pmr', 87], ['langage_comprehensible', 97], ['orientation', 94],
  ['point_numerique', 94], ['signaletique', 96], ['equipements', 91], ['confort_attente', 95],
  ['temps_attente', 70], ['confidentialite', 89], ['accueil_telephonique', 53], ['accueil_global', 93],
];


/** A version-4 UUID drawn from the PRNG. */
export function prngUuid(rand: () => number): string {
  const b = Array.from({ length: 16 }, () => Math.floor(rand() * 256));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The last autumn fully before `now`: 1 October – 30 November (UTC dates). */
export function lastAutumn(now: Date): { start: Date; end: Date } {
  const y = now.getUTCMonth() >= 11 ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  return { start: new Date(Date.UTC(y, 9, 1)), end: new Date(Date.UTC(y, 10, 30)) };
}

const DAY = 86_400_000;
const isWeekday = (d: Date) => d.getUTCDay() !== 0 && d.getUTCDay() !== 6;

function shuffle<T>(rand: () => number, a: T[]): T[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** Weekdays from `from` (inclusive) to `to` (exclusive), at 00:00 UTC. */
function weekdays(from: Date, to: Date): Date[] {
  const out: Date[] = [];
  for (let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); t < to.getTime(); t += DAY) {
    const d = new Date(t);
    if (isWeekday(d)) out.push(d);
  }
  return out;
}

const satisfiedValue = (rand: () => number) => (rand() < 0.55 ? 'tres_satisfait' : 'satisfait');
const unsatisfiedValue = (rand: () => number) => (rand() < 0.7 ? 'peu_satisfait' : 'pas_du_tout_satisfait');

interface Draft {
  site: number;
  at: Date;
  answers: Record<string, string>;
}

function overall(rand: () => number, globalAnswer: string): string {
  if (globalAnswer === 'tres_satisfait' || globalAnswer === 'satisfait') return rand() < 0.85 ? 'tres_bien' : 'moyen';
  if (globalAnswer === 'sans_avis') return ['tres_bien', 'moyen', 'pas_bien'][Math.floor(rand() * 3)];
  return rand() < 0.5 ? 'moyen' : 'pas_bien';
}

/** A time during opening hours (08:30–16:30 Paris, taken as 07:30–15:30 UTC) of a day. */
const during = (rand: () => number, day: Date) => new Date(day.getTime() + (450 + Math.floor(rand() * 480)) * 60_000);

/**
 * The autumn answer sets: for each item, exactly round(p × n) of the n answers with an
 * opinion are « satisfait » or « très satisfait », spread at random over the answer sets.
 */
function autumnDrafts(rand: () => number, days: Date[], count: number, siteWeights: number[]): Draft[] {
  const drafts: Draft[] = Array.from({ length: count }, () => ({ site: pickSite(rand, siteWeights), at: during(rand, days[Math.floor(rand() * days.length)]), answers: {} }));
  for (const [item, percent] of DEMO_FIGURES) {
    const order = shuffle(rand, drafts.map((_, i) => i));
    const sansAvis = Math.floor(count * (0.03 + rand() * 0.05));
    const opinions = count - sansAvis;
    const satisfied = Math.round((percent * opinions) / 100);
    order.forEach((i, rank) => {
      drafts[i].answers[item] = rank < sansAvis ? 'sans_avis' : rank < sansAvis + satisfied ? satisfiedValue(rand) : unsatisfiedValue(rand);
    });
  }
  for (const d of drafts) d.answers.avis_global = overall(rand, d.answers.accueil_global);
  return drafts;
}

/** Answer sets of the rest of the year: each item satisfied with its figure's probability, drifting by month. */
function yearDrafts(rand: () => number, days: Date[], perDay: number, siteWeights: number[]): Draft[] {
  const drafts: Draft[] = [];
  for (const day of days) {
    const drift = (((day.getUTCMonth() * 7) % 11) - 5) / 100;
    const n = Math.max(1, Math.round(perDay * (0.5 + rand())));
    for (let k = 0; k < n; k++) {
      const answers: Record<string, string> = {};
      for (const [item, percent] of DEMO_FIGURES) {
        const r = rand();
        answers[item] = r < 0.05 ? 'sans_avis' : rand() < Math.min(0.99, percent / 100 + drift) ? satisfiedValue(rand) : unsatisfiedValue(rand);
      }
      answers.avis_global = overall(rand, answers.accueil_global);
      drafts.push({ site: pickSite(rand, siteWeights), at: during(rand, day), answers });
    }
  }
  return drafts;
}

function pickSite(rand: () => number, weights: number[]): number {
  let r = rand() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) if ((r -= weights[i]) < 0) return i;
  return weights.length - 1;
}

const toMinute = (d: Date) => new Date(Math.floor(d.getTime() / 60_000) * 60_000);

/**
 * Seeds one kiosk per site (in the given order, with the given names) and a year of answer
 * sets up to the day before the clock. Returns the number of answer sets stored.
 */
export async function seedKioskAnswersDemo(deps: Deps, orgId: string, sites: { id: string; kioskName: string }[]): Promise<number> {
  const rand = prng(0x5eed74);
  const entry = getSurvey(deps, DEMO_SURVEY);
  if (!entry) throw new Error(`demo: survey ${DEMO_SURVEY} missing from the catalogue`);
  await ensureCurrentVersion(deps, entry);
  const kiosks: { id: string; siteId: string }[] = [];
  const tokens: string[] = [];
  for (const s of sites) {
    const created = await createKiosk(deps, orgId, { name: s.kioskName, siteId: s.id, surveyId: DEMO_SURVEY, locales: [], inactivitySeconds: 60 });
    kiosks.push(created.kiosk);
    tokens.push(created.token);
  }

  const now = deps.clock.now();
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const autumn = lastAutumn(now);
  const autumnEnd = new Date(autumn.end.getTime() + DAY);
  const weights = [0.5, 0.3, 0.2].slice(0, sites.length);
  const yearStart = new Date(Math.min(today.getTime() - 365 * DAY, autumn.start.getTime()));
  const drafts = [
    ...autumnDrafts(rand, weekdays(autumn.start, autumnEnd), 300, weights),
    ...yearDrafts(rand, weekdays(yearStart, today).filter((d) => d < autumn.start || d >= autumnEnd), 5, weights),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());

  const pending: PendingAnswerSet[] = drafts.map((d) => {
    const checked = entry.validator.validate(d.answers);
    if (!checked.ok) throw new Error(`demo: invalid answer set ${JSON.stringify(checked.errors)}`);
    const kiosk = kiosks[d.site];
    const completedAt = toMinute(d.at);
    return {
      sender: { orgId, siteId: null, kioskId: kiosk.id, channel: 'kiosk', surveyId: DEMO_SURVEY },
      row: {
        id: prngUuid(rand), orgId, surveyId: DEMO_SURVEY, surveyVersion: entry.version, siteId: kiosk.siteId, kioskId: kiosk.id,
        channel: 'kiosk', locale: 'fr', answers: checked.data, completedAt, receivedAt: completedAt,
      },
      completedAt: d.at, rateKey: kioskKey(kiosk.id, 'submit'), limit: KIOSK_SUBMISSIONS, at: d.at.getTime(),
    };
  });
  for (let i = 0; i < pending.length; i += 250) {
    const results = await commitBatch(deps.db, pending.slice(i, i + 250));
    const refused = results.find((r) => r !== 'created');
    if (refused) throw new Error(`demo: answer set refused: ${refused instanceof Error ? refused.message : refused}`);
  }
  // The tablets are on at first start: each sends a heartbeat now (the kiosk's own path), so the
  // home does not call them silent from the last answer of the day before (KIOSK_SILENT_HOURS).
  for (const token of tokens) await heartbeat(deps, token, { queued: 0, parked: 0 });
  return pending.length;
}

/** The point numérique questionnaire of the demo (its effort question feeds the Programme Transparence). */
export const DEMO_POINT_SURVEY = 'point-numerique';
/** Quarters of the point numérique's demo answer sets: [first day, last day, answer sets, mean effort (1–5)]. */
export const DEMO_EFFORT: [from: string, to: string, count: number, mean: number][] = [
  ['2019-04-01', '2019-06-30', 60, 3.6],
  ['2019-07-01', '2019-09-30', 70, 3.4],
];

/** `count` efforts from 1 to 5 drawn from the PRNG, then nudged one by one until their mean is exactly `mean`. */
function efforts(rand: () => number, count: number, mean: number): number[] {
  const v = Array.from({ length: count }, () => 1 + Math.floor(rand() * 5));
  const target = Math.round(mean * count);
  let sum = v.reduce((s, x) => s + x, 0);
  while (sum !== target) {
    const i = Math.floor(rand() * count);
    if (sum < target && v[i] < 5) { v[i]++; sum++; } else if (sum > target && v[i] > 1) { v[i]--; sum--; }
  }
  return v;
}

/**
 * Seeds the point numérique's own kiosk (the mediator's tablet, running the point numérique
 * questionnaire) and its answer sets of 2019-T2 and 2019-T3 through the same writer path,
 * whose online-procedure effort averages DEMO_EFFORT (3,4 in 2019-T3: the seed's Transparence
 * score). Dates are fixed (2019, like the board and the committee). Returns the count stored.
 */
export async function seedPointNumeriqueAnswersDemo(deps: Deps, orgId: string, siteId: string): Promise<number> {
  const rand = prng(0x9e74);
  const entry = getSurvey(deps, DEMO_POINT_SURVEY);
  if (!entry) throw new Error(`demo: survey ${DEMO_POINT_SURVEY} missing from the catalogue`);
  await ensureCurrentVersion(deps, entry);
  const { kiosk, token } = await createKiosk(deps, orgId, { name: 'Point numérique – poste du médiateur', siteId, surveyId: DEMO_POINT_SURVEY, locales: [], inactivitySeconds: 60 });
  const drafts: { at: Date; answers: Record<string, unknown> }[] = [];
  for (const [from, to, count, mean] of DEMO_EFFORT) {
    const days = weekdays(new Date(`${from}T00:00:00Z`), new Date(new Date(`${to}T00:00:00Z`).getTime() + DAY));
    for (const effort of efforts(rand, count, mean)) {
      const avis = effort <= 2 ? 'tres_bien' : effort >= 5 ? 'pas_bien' : rand() < 0.6 ? 'tres_bien' : 'moyen';
      drafts.push({ at: during(rand, days[Math.floor(rand() * days.length)]), answers: { avis_global: avis, effort_demarche_en_ligne: effort, accueil_global: satisfiedValue(rand) } });
    }
  }
  drafts.sort((a, b) => a.at.getTime() - b.at.getTime());
  const pending: PendingAnswerSet[] = drafts.map((d) => {
    const checked = entry.validator.validate(d.answers);
    if (!checked.ok) throw new Error(`demo: invalid answer set ${JSON.stringify(checked.errors)}`);
    const completedAt = toMinute(d.at);
    return {
      sender: { orgId, siteId: null, kioskId: kiosk.id, channel: 'kiosk', surveyId: DEMO_POINT_SURVEY },
      row: {
        id: prngUuid(rand), orgId, surveyId: DEMO_POINT_SURVEY, surveyVersion: entry.version, siteId: kiosk.siteId, kioskId: kiosk.id,
        channel: 'kiosk', locale: 'fr', answers: checked.data, completedAt, receivedAt: completedAt,
      },
      completedAt: d.at, rateKey: kioskKey(kiosk.id, 'submit'), limit: KIOSK_SUBMISSIONS, at: d.at.getTime(),
    };
  });
  const results = await commitBatch(deps.db, pending);
  const refused = results.find((r) => r !== 'created');
  if (refused) throw new Error(`demo: answer set refused: ${refused instanceof Error ? refused.message : refused}`);
  await heartbeat(deps, token, { queued: 0, parked: 0 });
  return pending.length;
}
