/**
 * The sampling rule (a setting of the referent, printed on the board): every citizen message
 * of the month, the first n, or one week of the month — chosen by the referent or drawn at
 * random. A week runs from Monday 00:00 to the next Monday 00:00, Paris time, and belongs to
 * the month of its Monday (so every week belongs to exactly one month). Pure: the randomness
 * of a draw is passed in.
 */
import { addCalendarDays, parisDateOf, startOfParisDay } from '../campaigns/calendar/working-days';
import { formatDate } from '../format';
import { addMonths, monthLabel } from '../indicators/board';

/** Replies are looked for up to this many calendar days after the end of the sampled period. */
export const REPLY_WINDOW_DAYS = 21;

export type SamplingRule =
  | { kind: 'all' }
  | { kind: 'first'; n: number }
  /** A week chosen by the referent: its Monday (YYYY-MM-DD). */
  | { kind: 'week'; monday: string }
  /** A week drawn at random among those whose Monday lies in the month: the Monday drawn. */
  | { kind: 'random-week'; monday: string };

/** Who drew a random week, and when (printed with the rule). */
export interface DrawInfo {
  at: Date | null;
  by: string | null;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date (2019-02-30 is not) that is a Monday. */
export function isMonday(iso: string): boolean {
  const m = ISO.exec(iso);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === iso && d.getUTCDay() === 1;
}

export function parseRule(s: string | null | undefined): SamplingRule | null {
  if (!s || s === 'all') return { kind: 'all' };
  const first = /^first:(\d{1,5})$/.exec(s);
  if (first && Number(first[1]) > 0) return { kind: 'first', n: Number(first[1]) };
  const week = /^(week|random-week):(\d{4}-\d{2}-\d{2})$/.exec(s);
  if (week && isMonday(week[2])) return { kind: week[1] as 'week' | 'random-week', monday: week[2] };
  return null;
}

export function ruleKey(r: SamplingRule): string {
  switch (r.kind) {
    case 'all': return 'all';
    case 'first': return `first:${r.n}`;
    default: return `${r.kind}:${r.monday}`;
  }
}

/** The Mondays of a month (YYYY-MM-01), in order: the weeks that belong to it. */
export function mondaysOf(month: string): string[] {
  const out: string[] = [];
  for (let d = month; d.slice(0, 7) === month.slice(0, 7); d = addCalendarDays(d, 1)) if (isMonday(d)) out.push(d);
  return out;
}

/** Is this Monday one of the month's weeks? */
export function weekInMonth(monday: string, month: string): boolean {
  return isMonday(monday) && monday.slice(0, 7) === month.slice(0, 7);
}

/**
 * Draws one of the month's weeks. `randomInt(n)` returns an integer in [0, n) (node:crypto's
 * randomInt in production); anything else is refused rather than clamped.
 */
export function drawWeek(month: string, randomInt: (n: number) => number): string {
  const mondays = mondaysOf(month);
  const i = randomInt(mondays.length);
  if (!Number.isInteger(i) || i < 0 || i >= mondays.length) throw new RangeError(`random index out of range: ${i}`);
  return mondays[i];
}

/** [start, end) of a week: Monday 00:00 to the next Monday 00:00, Paris time (167 or 169 hours across a DST change). */
export function weekBounds(monday: string): { start: Date; end: Date } {
  return { start: startOfParisDay(monday), end: startOfParisDay(addCalendarDays(monday, 7)) };
}

/**
 * What a run reads: messages received in [start, end), replies sent before `replyUntil`
 * (REPLY_WINDOW_DAYS after the end of the period).
 */
export function samplingPeriod(rule: SamplingRule, month: string): { start: Date; end: Date; replyUntil: Date } {
  const { start, end } = rule.kind === 'week' || rule.kind === 'random-week'
    ? weekBounds(rule.monday)
    : { start: startOfParisDay(month), end: startOfParisDay(addMonths(month, 1)) };
  return { start, end, replyUntil: startOfParisDay(addCalendarDays(parisDateOf(end), REPLY_WINDOW_DAYS)) };
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
const day = (iso: string) => (iso.endsWith('-01') ? '1er' : String(Number(iso.slice(8, 10))));

/** « du 8 au 14 juillet 2019 », « du 30 septembre au 6 octobre 2019 », « du 30 décembre 2019 au 5 janvier 2020 ». */
export function weekLabel(monday: string): string {
  const sunday = addCalendarDays(monday, 6);
  const last = `${day(sunday)} ${monthLabel(sunday)}`;
  if (monday.slice(0, 4) !== sunday.slice(0, 4)) return `du ${day(monday)} ${monthLabel(monday)} au ${last}`;
  if (monday.slice(0, 7) !== sunday.slice(0, 7)) return `du ${day(monday)} ${MONTHS[Number(monday.slice(5, 7)) - 1]} au ${last}`;
  return `du ${day(monday)} au ${last}`;
}

/** What the rule samples, in French (« tous les courriels d’usagers reçus la semaine du 8 au 14 juillet 2019, tirée au sort … »). */
export function ruleWhat(r: SamplingRule, draw?: DrawInfo | null): string {
  switch (r.kind) {
    case 'all': return 'tous les courriels d’usagers reçus dans le mois';
    case 'first': return `les ${r.n} premiers courriels d’usagers reçus dans le mois`;
    case 'week': return `tous les courriels d’usagers reçus la semaine ${weekLabel(r.monday)}, choisie par le référent`;
    case 'random-week': {
      const when = draw?.at ? ` le ${formatDate(draw.at)}` : '';
      const who = draw?.by ? ` par ${draw.by}` : '';
      return `tous les courriels d’usagers reçus la semaine ${weekLabel(r.monday)}, tirée au sort${when}${who}`;
    }
  }
}

/** The rule in French, printed on the board under the formula. */
export function ruleLabel(r: SamplingRule, draw?: DrawInfo | null): string {
  return `Échantillon (réglage du référent) : ${ruleWhat(r, draw)} ; réponses automatiques, retours en erreur, lettres d’information et listes, messages des domaines internes exclus ; réponse cherchée dans le dossier des envoyés (In-Reply-To/References, sinon objet et correspondant).`;
}
