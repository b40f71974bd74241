/**
 * The call plan (pure, deterministic with a seed): N calls per number, spread over the
 * period's working days and over the time slots that matter.
 *
 * Constraints, each covered by a table-driven test:
 * - exactly `callsPerNumber` calls per number, on the working days given (never another day);
 * - the calls of one number fall on different days while there are enough days, spread over
 *   the period (one call per equal share of it);
 * - for each number, its first three calls take the three key slots (opening, lunch time,
 *   late afternoon) in some order; beyond three, the other slots, then the key ones again;
 * - each number with two calls or more is called at least once on a Monday (the busy day)
 *   when the period has one;
 * - never the same evaluator twice on the same number the same day, nor twice in one slot of
 *   one day on the same number;
 * - an evaluator's calls of one day are at least MIN_GAP_MINUTES apart when the slot allows it;
 * - the work is balanced between evaluators (total calls differ by one at most);
 * - scenarios of a number are used in turn.
 * Inputs are sorted by id first, so the same sets and seed always give the same plan.
 */

export interface Slot {
  id: string;
  label: string;
  /** Minutes after midnight, Paris time; a call starts in [start, end). */
  start: number;
  end: number;
  key: boolean;
}

export const SLOTS: readonly Slot[] = [
  { id: 'ouverture', label: 'Ouverture (9 h – 10 h)', start: 9 * 60, end: 10 * 60, key: true },
  { id: 'matinee', label: 'Matinée (10 h – 12 h)', start: 10 * 60, end: 12 * 60, key: false },
  { id: 'midi', label: 'Pause de midi (12 h – 14 h)', start: 12 * 60, end: 14 * 60, key: true },
  { id: 'apres_midi', label: 'Après-midi (14 h – 16 h)', start: 14 * 60, end: 16 * 60, key: false },
  { id: 'fin_apres_midi', label: 'Fin d’après-midi (16 h – 17 h 30)', start: 16 * 60, end: 17 * 60 + 30, key: true },
];

export const SLOT_LABELS: Record<string, string> = Object.fromEntries(SLOTS.map((s) => [s.id, s.label]));

export const MIN_GAP_MINUTES = 15;
const STEP_MINUTES = 5;

export interface PlanInput {
  numbers: readonly { id: string; scenarioIds: readonly string[] }[];
  evaluatorIds: readonly string[];
  /** Working days, ISO 'YYYY-MM-DD'. */
  days: readonly string[];
  callsPerNumber: number;
  seed: number;
  slots?: readonly Slot[];
}

export interface PlannedCall {
  numberId: string;
  scenarioId: string;
  evaluatorId: string;
  date: string;
  slot: string;
  /** Minutes after midnight, Paris time. */
  minutes: number;
}

export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

/** A small seeded generator (32-bit state, xorshift-multiply mix): uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], rnd: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

export function isMonday(iso: string): boolean {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay() === 1;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Days of one number's calls: spread over the period, a Monday among them when possible. */
function chooseDays(days: readonly string[], n: number, rnd: () => number): string[] {
  const d = days.length;
  if (d < n) {
    // Not enough days: every day is used, some twice or more (with different evaluators).
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(days[i % d]);
    return out;
  }
  const bucketOf = (k: number) => [Math.floor((k * d) / n), Math.floor(((k + 1) * d) / n)] as const;
  const picked: number[] = [];
  for (let k = 0; k < n; k++) {
    const [lo, hi] = bucketOf(k);
    picked.push(lo + Math.floor(rnd() * (hi - lo)));
  }
  const mondays = days.map((day, i) => (isMonday(day) ? i : -1)).filter((i) => i >= 0);
  if (n >= 2 && mondays.length > 0 && !picked.some((i) => isMonday(days[i]))) {
    const m = mondays[Math.floor(rnd() * mondays.length)];
    const k = picked.findIndex((_, b) => bucketOf(b)[0] <= m && m < bucketOf(b)[1]);
    picked[k] = m;
  }
  return picked.map((i) => days[i]);
}

/** Slots of one number's calls: the key slots first (shuffled), then the others, in turn. */
function chooseSlots(slots: readonly Slot[], n: number, rnd: () => number): string[] {
  const key = slots.filter((s) => s.key).map((s) => s.id);
  const other = slots.filter((s) => !s.key).map((s) => s.id);
  const out: string[] = [];
  while (out.length < n) out.push(...shuffle(key, rnd), ...shuffle(other, rnd));
  return out.slice(0, n);
}

export function generatePlan(input: PlanInput): PlannedCall[] {
  const slots = input.slots ?? SLOTS;
  const n = input.callsPerNumber;
  const evaluators = [...new Set(input.evaluatorIds)].sort(byId);
  const days = [...new Set(input.days)].sort();
  const numbers = [...input.numbers].sort((a, b) => byId(a.id, b.id));
  if (!Number.isInteger(n) || n < 1) throw new PlanError('Le nombre d’appels par numéro doit être un entier positif.');
  if (numbers.length === 0) throw new PlanError('Aucun numéro à appeler : l’organisation appelée doit d’abord les indiquer.');
  if (evaluators.length === 0) throw new PlanError('Aucun évaluateur : désignez au moins un évaluateur.');
  if (days.length === 0) throw new PlanError('Aucun jour ouvré ne reste dans la période de l’enquête.');
  const noScenario = numbers.filter((x) => x.scenarioIds.length === 0);
  if (noScenario.length) throw new PlanError('Un numéro n’a aucun scénario : l’organisation appelée doit en écrire au moins un par numéro (ou un scénario commun).');
  if (days.length * Math.min(evaluators.length, slots.length) < n) {
    throw new PlanError(`Impossible de placer ${n} appels par numéro sans qu’un évaluateur appelle deux fois le même numéro le même jour : ajoutez des évaluateurs ou allongez la période.`);
  }

  const rnd = seededRandom(input.seed);
  const load = new Map<string, number>(evaluators.map((e) => [e, 0]));
  const dayLoad = new Map<string, number>();
  const times = new Map<string, number[]>(); // evaluator|date → minutes taken
  const plan: PlannedCall[] = [];

  for (const number of numbers) {
    const scenarios = [...number.scenarioIds].sort(byId);
    const firstScenario = Math.floor(rnd() * scenarios.length);
    const callDays = chooseDays(days, n, rnd);
    const callSlots = chooseSlots(slots, n, rnd);
    const usedOnDay = new Map<string, { evaluators: Set<string>; slots: Set<string> }>();
    for (let i = 0; i < n; i++) {
      const date = callDays[i];
      const used = usedOnDay.get(date) ?? { evaluators: new Set<string>(), slots: new Set<string>() };
      usedOnDay.set(date, used);
      let slotId = callSlots[i];
      if (used.slots.has(slotId)) slotId = slots.map((s) => s.id).find((s) => !used.slots.has(s))!;
      const candidates = shuffle(evaluators.filter((e) => !used.evaluators.has(e)), rnd).sort(
        (a, b) => load.get(a)! - load.get(b)! || (dayLoad.get(`${a}|${date}`) ?? 0) - (dayLoad.get(`${b}|${date}`) ?? 0),
      );
      const evaluatorId = candidates[0];
      const slot = slots.find((s) => s.id === slotId)!;
      const taken = times.get(`${evaluatorId}|${date}`) ?? [];
      const minutes = pickMinutes(slot, taken, rnd);
      taken.push(minutes);
      times.set(`${evaluatorId}|${date}`, taken);
      used.evaluators.add(evaluatorId);
      used.slots.add(slotId);
      load.set(evaluatorId, load.get(evaluatorId)! + 1);
      dayLoad.set(`${evaluatorId}|${date}`, (dayLoad.get(`${evaluatorId}|${date}`) ?? 0) + 1);
      plan.push({ numberId: number.id, scenarioId: scenarios[(firstScenario + i) % scenarios.length], evaluatorId, date, slot: slotId, minutes });
    }
  }
  return plan.sort((a, b) => byId(a.date, b.date) || a.minutes - b.minutes || byId(a.numberId, b.numberId));
}

/** A start time in the slot, on a 5-minute step, away from the evaluator's other calls of the day. */
function pickMinutes(slot: Slot, taken: readonly number[], rnd: () => number): number {
  const steps: number[] = [];
  for (let m = slot.start; m < slot.end; m += STEP_MINUTES) steps.push(m);
  const offset = Math.floor(rnd() * steps.length);
  const ordered = steps.map((_, i) => steps[(offset + i) % steps.length]);
  return (
    ordered.find((m) => taken.every((t) => Math.abs(t - m) >= MIN_GAP_MINUTES)) ??
    ordered.find((m) => !taken.includes(m)) ??
    ordered[0]
  );
}
