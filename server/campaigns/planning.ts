/**
 * Planning the probes of a campaign in send mode (pure, deterministic for a given seed):
 * - each service receives its probes on distinct working days (never two the same day), spread
 *   over the period: the period's working days are cut into as many strata as the service has
 *   probes, one day drawn in each stratum;
 * - each probe gets a time drawn in the sending window (Paris time), at least MIN_GAP_MINUTES
 *   away from any other probe of the campaign the same day, so messages never leave together;
 * - each probe gets a question of the bank of a category its service handles (the service's
 *   probes use different questions while the bank allows); when the bank has none for the
 *   service, general questions (category GENERAL_CATEGORY, or the whole bank if it has none) and
 *   the probe says so (`fallback`); then values for the question's variables.
 * Same inputs and seed → same plan.
 */
import crypto from 'node:crypto';
import { addCalendarDays, isWorkingDate, startOfParisDay, type WorkingDayOptions } from './calendar/working-days';
import { seededRandom } from '../random';

export const MIN_GAP_MINUTES = 7;

export class PlanningError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanningError';
  }
}

/** The bank's category of questions any service can answer. */
export const GENERAL_CATEGORY = 'autre';

export interface PlanTarget {
  targetId: string;
  serviceKey: string;
  /** Categories of questions the service handles (none declared: general questions). */
  categories?: readonly string[];
}

export interface PlanInput {
  periodStart: string;
  periodEnd: string;
  targets: readonly PlanTarget[];
  probesPerTarget: number;
  /** Minutes after midnight, Paris time: [windowStart, windowEnd). */
  windowStart: number;
  windowEnd: number;
  seed: string;
  calendar: WorkingDayOptions;
  /** The category of each question of the bank, in bank order. */
  questionCategories: readonly string[];
  variables: Readonly<Record<string, readonly string[]>>;
  /** Nothing is planned before this instant (the launch). */
  notBefore: Date;
}

export interface PlannedProbe {
  targetId: string;
  serviceKey: string;
  at: Date;
  questionIndex: number;
  /** True when the bank has no question of a category the service handles. */
  fallback: boolean;
  values: Record<string, string>;
}

/**
 * The bank's questions fit for a service: those of the categories it handles; failing that,
 * the general ones (or the whole bank when it has none), with fallback = true.
 */
export function questionsFor(categories: readonly string[], questionCategories: readonly string[]): { indices: number[]; fallback: boolean } {
  const all = questionCategories.map((_, i) => i);
  const handled = new Set(categories);
  const fit = all.filter((i) => handled.has(questionCategories[i]));
  if (fit.length) return { indices: fit, fallback: false };
  const general = all.filter((i) => questionCategories[i] === GENERAL_CATEGORY);
  return { indices: general.length ? general : all, fallback: true };
}

/** mulberry32 seeded from a hash of the seed string. */
export function rng(seed: string): () => number {
  return seededRandom(crypto.createHash('sha256').update(seed).digest().readUInt32LE(0));
}

function shuffle<T>(list: T[], rand: () => number): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

/** Working dates of the period whose sending window has not closed at `notBefore`. */
export function sendingDates(input: Pick<PlanInput, 'periodStart' | 'periodEnd' | 'calendar' | 'windowEnd' | 'notBefore'>): string[] {
  const out: string[] = [];
  for (let d = input.periodStart; d <= input.periodEnd; d = addCalendarDays(d, 1)) {
    if (!isWorkingDate(d, input.calendar)) continue;
    const windowEnd = startOfParisDay(d).getTime() + input.windowEnd * 60_000;
    if (windowEnd - MIN_GAP_MINUTES * 60_000 <= input.notBefore.getTime()) continue;
    out.push(d);
  }
  return out;
}

export function planProbes(input: PlanInput): PlannedProbe[] {
  if (input.windowEnd - input.windowStart < 30) throw new PlanningError('La plage d’envoi doit durer au moins 30 minutes.');
  if (input.questionCategories.length < 1) throw new PlanningError('Ajoutez au moins une question à la banque.');
  const dates = sendingDates(input);
  const rand = rng(input.seed);
  const perService = new Map<string, PlanTarget[]>();
  for (const t of input.targets) perService.set(t.serviceKey, [...(perService.get(t.serviceKey) ?? []), t]);

  const byDate = new Map<string, number[]>();
  const out: PlannedProbe[] = [];
  for (const [serviceKey, targets] of [...perService.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const count = targets.length * input.probesPerTarget;
    if (count > dates.length) {
      throw new PlanningError(`Il reste ${dates.length} jour(s) ouvré(s) dans la période : impossible d’envoyer ${count} messages au même service sans en envoyer deux le même jour.`);
    }
    // Stratified draw: one day in each of `count` equal slices of the remaining working days.
    const chosen: string[] = [];
    for (let k = 0; k < count; k++) {
      const from = Math.floor((k * dates.length) / count);
      const to = Math.floor(((k + 1) * dates.length) / count);
      chosen.push(dates[from + Math.floor(rand() * (to - from))]);
    }
    shuffle(chosen, rand);
    const fit = questionsFor(targets[0].categories ?? [], input.questionCategories);
    const questions = shuffle(fit.indices, rand);
    let i = 0;
    for (const target of targets) {
      for (let n = 0; n < input.probesPerTarget; n++, i++) {
        const date = chosen[i];
        const at = drawTime(date, input, byDate, rand);
        const values: Record<string, string> = {};
        for (const [name, list] of Object.entries(input.variables)) {
          if (list.length) values[name] = list[Math.floor(rand() * list.length)];
        }
        out.push({ targetId: target.targetId, serviceKey, at, questionIndex: questions[i % questions.length], fallback: fit.fallback, values });
      }
    }
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime());
}

function drawTime(date: string, input: PlanInput, byDate: Map<string, number[]>, rand: () => number): Date {
  const used = byDate.get(date) ?? [];
  const dayStart = startOfParisDay(date).getTime();
  const earliest = Math.max(input.windowStart, Math.ceil((input.notBefore.getTime() - dayStart) / 60_000) + 1);
  const span = input.windowEnd - earliest;
  let minute = earliest + Math.floor(rand() * span);
  for (let tries = 0; tries < 100 && used.some((u) => Math.abs(u - minute) < MIN_GAP_MINUTES); tries++) {
    minute = earliest + Math.floor(rand() * span);
  }
  used.push(minute);
  byDate.set(date, used);
  // Sending happens on working days, never on the Sunday of a DST change: day start + minutes is exact.
  return new Date(dayStart + minute * 60_000 + Math.floor(rand() * 60) * 1000);
}

/** Replaces {{name}} by its value; unknown names are left as they are, for the referent to see. */
export function renderTemplate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{\s*([a-zA-Zéèà_]+)\s*\}\}/g, (whole, name: string) => values[name.toLowerCase()] ?? whole);
}

/** A random token for matching: 8 characters of lower-case base 32 (no 0/1/l/o). */
export function newToken(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = crypto.randomBytes(8);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
