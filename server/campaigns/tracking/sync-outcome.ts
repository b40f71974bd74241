/**
 * Pure rules about a mailbox's reading passes: when the poll job may try a failing mailbox
 * again (exponential backoff), how a failure is said in French (the step that fails), and the
 * line shown on the campaign page and the home (« Dernière lecture … », « Échec depuis … »).
 */
import { formatAgo, formatShortDate, formatShortDateTime, plural } from '../../format';
import { describeStep, failedStep } from '../mailbox-check';

export const POLL_BACKOFF_BASE_MS = 2 * 60_000;
export const POLL_BACKOFF_MAX_MS = 6 * 60 * 60_000;

export interface SyncState {
  syncOkAt: Date | null;
  syncErrorAt: Date | null;
  syncErrorMessage: string | null;
  syncFailures: number;
  syncFailingSince: Date | null;
  syncStoppedAt: Date | null;
}

/** After n failures the next poll waits base·2^(n-1), capped; no failure: always due. */
export function nextPollAt(s: Pick<SyncState, 'syncFailures' | 'syncErrorAt'>, baseMs = POLL_BACKOFF_BASE_MS, maxMs = POLL_BACKOFF_MAX_MS): Date | null {
  if (!s.syncFailures || !s.syncErrorAt) return null;
  const wait = Math.min(maxMs, baseMs * 2 ** Math.min(s.syncFailures - 1, 20));
  return new Date(s.syncErrorAt.getTime() + wait);
}

export function pollDue(s: Pick<SyncState, 'syncFailures' | 'syncErrorAt'>, now: Date): boolean {
  const at = nextPollAt(s);
  return !at || at.getTime() <= now.getTime();
}

export type SyncStep = 'connect' | 'read';

/** The failing step and its reason, in French, for the mailbox's record. */
export function describeSyncFailure(step: SyncStep, err: unknown): string {
  // Only the step, never the server's own words (see mailbox-check.ts).
  if (step === 'connect') return `connexion ${describeStep('IMAP', failedStep(err))}`;
  const e = err as { responseText?: string; message?: string };
  if (e?.responseText) return 'lecture de la boîte : le serveur a refusé une commande de lecture.';
  return `lecture de la boîte : ${e?.message || String(err)}`;
}

export interface ReadingLine {
  ok: boolean;
  text: string;
}

/** The one line saying how the reading of a mailbox goes; null when it was never read. */
export function readingLine(s: SyncState, now: Date): ReadingLine | null {
  if (s.syncStoppedAt && s.syncFailingSince) {
    return { ok: false, text: `Lecture de la boîte arrêtée le ${formatShortDateTime(s.syncStoppedAt)} après des échecs depuis le ${formatShortDate(s.syncFailingSince)} (${s.syncErrorMessage ?? 'cause inconnue'}). Corrigez les réglages puis testez la connexion pour la reprendre.` };
  }
  if (s.syncFailures > 0 && s.syncFailingSince) {
    return { ok: false, text: `Échec depuis le ${formatShortDate(s.syncFailingSince)} : ${s.syncErrorMessage ?? 'cause inconnue'} (${plural(s.syncFailures, 'tentative')}).` };
  }
  if (s.syncOkAt) return { ok: true, text: `Dernière lecture de la boîte : ${formatAgo(s.syncOkAt, now)}.` };
  return null;
}
