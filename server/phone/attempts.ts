/**
 * The attempts rule (pure): a call is answered as soon as a person picks up; it counts as not
 * answered once the programme's number of attempts (default 3, each waiting up to 5 minutes)
 * has been made without a person picking up. Until then it is pending.
 */
import type { PhoneAttemptOutcome } from '../storage/schema';

export interface Attempt {
  n: number;
  outcome: PhoneAttemptOutcome;
  waitSeconds: number;
  rings: number | null;
}

export type CallState = 'pending' | 'answered' | 'not_answered';

export interface AttemptsProgress {
  state: CallState;
  made: number;
  /** Attempts still allowed (0 once the call is answered or not answered). */
  left: number;
  /** The attempt on which a person picked up. */
  answeredBy?: Attempt;
}

export const ATTEMPT_OUTCOME_LABELS: Record<PhoneAttemptOutcome, string> = {
  personne: 'Décroché par une personne',
  occupe: 'Occupé',
  sonne_dans_le_vide: 'Sonne dans le vide',
  repondeur: 'Répondeur ou serveur vocal seulement',
  raccroche: 'Raccroché sans réponse',
};

/** Grid value of « motif_non_abouti » for an attempt outcome. */
const REASON_OF: Record<Exclude<PhoneAttemptOutcome, 'personne'>, string> = {
  occupe: 'occupe',
  sonne_dans_le_vide: 'sonne_dans_le_vide',
  repondeur: 'repondeur_seul',
  raccroche: 'raccroche',
};

export function attemptsProgress(attempts: readonly Attempt[], maxAttempts: number): AttemptsProgress {
  const sorted = [...attempts].sort((a, b) => a.n - b.n);
  const answeredBy = sorted.find((a) => a.outcome === 'personne');
  if (answeredBy) return { state: 'answered', made: sorted.length, left: 0, answeredBy };
  if (sorted.length >= maxAttempts) return { state: 'not_answered', made: sorted.length, left: 0 };
  return { state: 'pending', made: sorted.length, left: maxAttempts - sorted.length };
}

/**
 * What the grid starts with once the call is settled: for an answered call the waiting time and
 * rings of the attempt a person picked up; for a call not answered the most frequent reason
 * (the latest one on a tie) and whether a machine answered.
 */
export function gridPrefill(attempts: readonly Attempt[], maxAttempts: number): Record<string, unknown> {
  const p = attemptsProgress(attempts, maxAttempts);
  if (p.state === 'answered') {
    const a = p.answeredBy!;
    const out: Record<string, unknown> = { decroche: 'oui', attente_secondes: a.waitSeconds };
    if (a.rings !== null) out.sonneries = a.rings;
    return out;
  }
  if (p.state === 'not_answered') {
    const counts = new Map<string, number>();
    let best = '';
    let bestCount = 0;
    for (const a of [...attempts].sort((x, y) => x.n - y.n)) {
      if (a.outcome === 'personne') continue;
      const reason = REASON_OF[a.outcome];
      const c = (counts.get(reason) ?? 0) + 1;
      counts.set(reason, c);
      if (c >= bestCount) {
        best = reason;
        bestCount = c;
      }
    }
    const out: Record<string, unknown> = { decroche: 'non', motif_non_abouti: best };
    if (attempts.some((a) => a.outcome === 'repondeur')) out.serveur_vocal = 'oui';
    return out;
  }
  return {};
}

/** Why a grid cannot be submitted given the attempts, or null when it can. */
export function gridConsistencyError(answers: Record<string, unknown>, attempts: readonly Attempt[], maxAttempts: number): string | null {
  const p = attemptsProgress(attempts, maxAttempts);
  if (p.state === 'pending') {
    return `L’appel n’est pas terminé : notez chaque tentative (${p.made} sur ${maxAttempts}) jusqu’au décroché ou jusqu’à la dernière.`;
  }
  if (p.state === 'answered' && answers.decroche !== 'oui') return 'Une personne a décroché lors d’une tentative : l’appel a abouti.';
  if (p.state === 'not_answered' && answers.decroche !== 'non') {
    return `Personne n’a décroché en ${maxAttempts} tentatives : l’appel n’a pas abouti.`;
  }
  return null;
}
