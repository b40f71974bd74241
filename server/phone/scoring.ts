/**
 * Scoring of mystery phone calls (pure): the facts of one grid (answered or not, waiting
 * time, a mark /10 for form and one /10 for substance) and the summary of a set of grids.
 *
 * Every weight lives here, once, and is printed on the results (WEIGHTS_TABLE), so a mark can
 * always be recomputed by hand from the grid. Marks exist only for calls answered by a person:
 * a call that did not get through weighs on the answered-call rate, not on the marks.
 */

/** Points of the form mark, out of 10. Keys are the grid items they grade. */
export const FORM_WEIGHTS = {
  decroche_rapide: 1, // picked up before the 5th ring (Marianne)
  annonce_service: 1, // the service is named
  bonjour: 1,
  nom_agent: 1, // the agent gives their name
  courtoisie: 2,
  ecoute: 2, // listening and reformulation
  transfert: 1, // no transfer needed, or one that worked without repeating the question
  prise_de_conge: 1, // polite closing
} as const;

/** Share of the points of a 4-level item (courtoisie, ecoute). */
export const LEVEL_FACTORS: Record<string, number> = {
  tres_satisfaisant: 1,
  satisfaisant: 0.75,
  peu_satisfaisant: 0.25,
  pas_satisfaisant: 0,
};

/** Share of the transfer points. */
export const TRANSFER_FACTORS = {
  sans_objet: 1,
  reussi: 1,
  reussi_en_repetant: 0.5,
  echoue: 0,
} as const;

/** The substance mark, out of 10, by the answer given compared with the expected answer. */
export const SUBSTANCE_MARKS: Record<string, number> = { aucune: 0, partielle: 5, complete: 10 };

/** « Décroché avant la 5e sonnerie »; when rings were not counted, waiting time stands in for them. */
export const MAX_RINGS_BEFORE_PICKUP = 4;
export const MAX_WAIT_SECONDS_BEFORE_PICKUP = 20;

/** National target of the answered-call rate (taux d'appels aboutis). */
export const ANSWERED_RATE_TARGET = 0.9;

/** The weights as printed under the results. */
export const WEIGHTS_TABLE: readonly { item: string; points: string }[] = [
  { item: `Décroché avant la 5e sonnerie (ou en ${MAX_WAIT_SECONDS_BEFORE_PICKUP} secondes au plus si les sonneries ne sont pas comptées)`, points: '1' },
  { item: 'Nom du service annoncé', points: '1' },
  { item: '« Bonjour »', points: '1' },
  { item: 'L’agent donne son nom', points: '1' },
  { item: 'Courtoisie (très satisfaisante 2 ; satisfaisante 1,5 ; peu satisfaisante 0,5 ; pas satisfaisante 0)', points: '2' },
  { item: 'Écoute et reformulation (même barème que la courtoisie)', points: '2' },
  { item: 'Transfert (sans objet ou réussi 1 ; réussi en répétant la question 0,5 ; échoué 0)', points: '1' },
  { item: 'Prise de congé courtoise', points: '1' },
  { item: 'Note de fond : réponse complète et exacte 10 ; partielle 5 ; aucune ou erronée 0', points: '10' },
];

export type Answers = Record<string, unknown>;

export interface CallFacts {
  answered: boolean;
  /** Seconds before pick-up (answered calls only). */
  waitSeconds: number | null;
  form: number | null;
  substance: number | null;
  /** Not answered, and only an answering machine ever picked up. */
  machineOnly: boolean;
}

const yes = (a: Answers, k: string) => a[k] === 'oui';
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
/** Marks are kept to two decimals so sums of weights stay exact in reports. */
const round2 = (x: number) => Math.round(x * 100) / 100;

export function pickedUpQuickly(a: Answers): boolean {
  const rings = num(a.sonneries);
  if (rings !== null) return rings <= MAX_RINGS_BEFORE_PICKUP;
  const wait = num(a.attente_secondes);
  return wait !== null && wait <= MAX_WAIT_SECONDS_BEFORE_PICKUP;
}

function transferFactor(a: Answers): number {
  switch (a.transfert) {
    case 'sans_objet':
      return TRANSFER_FACTORS.sans_objet;
    case 'reussi':
      return a.transfert_repetition === 'oui' ? TRANSFER_FACTORS.reussi_en_repetant : TRANSFER_FACTORS.reussi;
    default:
      return TRANSFER_FACTORS.echoue;
  }
}

/** The form mark /10 of an answered call's grid. */
export function formMark(a: Answers): number {
  const w = FORM_WEIGHTS;
  let points = 0;
  if (pickedUpQuickly(a)) points += w.decroche_rapide;
  if (yes(a, 'annonce_service')) points += w.annonce_service;
  if (yes(a, 'bonjour')) points += w.bonjour;
  if (yes(a, 'nom_agent')) points += w.nom_agent;
  points += w.courtoisie * (LEVEL_FACTORS[String(a.courtoisie)] ?? 0);
  points += w.ecoute * (LEVEL_FACTORS[String(a.ecoute)] ?? 0);
  points += w.transfert * transferFactor(a);
  if (yes(a, 'prise_de_conge')) points += w.prise_de_conge;
  return round2(points);
}

export function substanceMark(a: Answers): number {
  return SUBSTANCE_MARKS[String(a.reponse_fond)] ?? 0;
}

/** What one submitted grid says. */
export function callFacts(a: Answers): CallFacts {
  if (a.decroche !== 'oui') {
    return { answered: false, waitSeconds: null, form: null, substance: null, machineOnly: a.motif_non_abouti === 'repondeur_seul' };
  }
  return { answered: true, waitSeconds: num(a.attente_secondes), form: formMark(a), substance: substanceMark(a), machineOnly: false };
}

export interface Mean {
  mean: number | null;
  n: number;
}

export interface Rate {
  /** Between 0 and 1; null when n is 0. */
  rate: number | null;
  count: number;
  n: number;
}

export interface Summary {
  /** Calls attempted: grids submitted (a call that never got through counts after the attempts rule). */
  calls: number;
  answered: Rate;
  wait: Mean;
  form: Mean;
  substance: Mean;
  /** Share of answered calls whose mark reaches the pass mark. */
  formPass: Rate;
  substancePass: Rate;
  machineOnly: number;
}

function mean(values: number[]): Mean {
  if (values.length === 0) return { mean: null, n: 0 };
  return { mean: values.reduce((s, v) => s + v, 0) / values.length, n: values.length };
}

function rate(count: number, n: number): Rate {
  return { rate: n === 0 ? null : count / n, count, n };
}

/** Summary of a set of calls; `passMark` is out of 10 and a mark equal to it passes. */
export function summarise(facts: readonly CallFacts[], passMark: number): Summary {
  const answered = facts.filter((f) => f.answered);
  const forms = answered.map((f) => f.form).filter((x): x is number => x !== null);
  const substances = answered.map((f) => f.substance).filter((x): x is number => x !== null);
  const waits = answered.map((f) => f.waitSeconds).filter((x): x is number => x !== null);
  return {
    calls: facts.length,
    answered: rate(answered.length, facts.length),
    wait: mean(waits),
    form: mean(forms),
    substance: mean(substances),
    formPass: rate(forms.filter((m) => m >= passMark).length, forms.length),
    substancePass: rate(substances.filter((m) => m >= passMark).length, substances.length),
    machineOnly: facts.filter((f) => f.machineOnly).length,
  };
}
