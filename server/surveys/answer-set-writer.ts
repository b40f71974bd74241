/**
 * Group commit of checked answer sets. Kiosks in a busy hall and a survey link on the
 * prefecture's home page send many small answer sets at once; committing each alone costs
 * several round trips and a WAL flush apiece. Here the answer sets that arrive while a batch
 * is being stored wait for the next one, and each batch is stored by one statement
 * (responses.store.ts storeBatch: kiosk state, rate limits, insert, kiosk contact), whatever
 * its size.
 *
 * Each answer set still gets its own outcome, the same as if it had been sent alone in the
 * batch's order: 'created', 'duplicate' (same sender, same id: a double tap or a retry, even
 * within one batch), or an AppError (404 kiosk gone, 429 rate limit, 423 kiosk paused, 409 id
 * of another sender). If a batch fails as a whole (a lost connection, a deadlock with another
 * instance, a row the database refuses), each of its answer sets is retried alone, so one bad
 * row cannot sink the others.
 *
 * One batch is in flight per database handle and process (more would wait on each other's
 * locks on the report counters); there is no timer: an answer set that arrives when nothing
 * is in flight is stored on the next turn of the event loop.
 */
import { AppError, conflict, notFound } from '../errors';
import type { Db } from '../storage/db';
import { tooManyRequests, windowOf, type Limit } from './rate-limit';
import * as store from './responses.store';

export type StoreOutcome = 'created' | 'duplicate';

export interface Sender {
  orgId: string;
  siteId: string | null;
  kioskId: string | null;
  channel: 'kiosk' | 'web';
  /** The one survey this sender may answer. */
  surveyId: string;
}

export interface PendingAnswerSet {
  sender: Sender;
  row: store.NewResponse;
  /** The answer set's own completion time (not truncated): a paused kiosk compares it to its pause. */
  completedAt: Date;
  rateKey: string;
  limit: Limit;
  /** Arrival time in ms: the rate-limit window. */
  at: number;
  /** What a kiosk reports it still holds besides this one. */
  queued?: number;
}

type Result = StoreOutcome | AppError;

export const kioskPaused = () => new AppError(423, 'kiosk_paused', 'Cette borne est en pause : la réponse sera envoyée à sa reprise.');

/** Whether a stored row is this sender's own (a repeat) rather than a foreign id. */
function sameSender(sender: Sender, owner: store.Owner): boolean {
  return (
    owner.orgId === sender.orgId &&
    owner.channel === sender.channel &&
    owner.surveyId === sender.surveyId &&
    (sender.channel === 'kiosk' ? owner.kioskId === sender.kioskId : owner.kioskId === null)
  );
}

/** Stores one batch; one result per answer set, in order. */
export async function commitBatch(db: Db, items: PendingAnswerSet[]): Promise<Result[]> {
  const windows = items.map((it) => windowOf(it.limit, it.at));
  const verdicts = await store.storeBatch(
    db,
    items.map((it, i) => ({
      row: it.row, completedExact: it.completedAt, rateKey: it.rateKey, windowStart: windows[i].start, maxHits: it.limit.max, queued: it.queued,
    })),
  );
  const results: (Result | undefined)[] = verdicts.map((v, i) => {
    if (v.gone) return notFound('Borne');
    if (v.limited) return tooManyRequests(windows[i].retryAfter);
    if (v.paused) return kioskPaused();
    return v.created ? 'created' : undefined;
  });
  // Ids already stored (before, or earlier in this batch): the owner decides.
  const repeats = [...results.keys()].filter((i) => results[i] === undefined);
  if (repeats.length) {
    const owners = await store.findOwners(db, [...new Set(repeats.map((i) => items[i].row.id))]);
    for (const i of repeats) {
      const owner = owners.get(items[i].row.id);
      results[i] = owner && sameSender(items[i].sender, owner) ? 'duplicate' : conflict('Cet identifiant de réponse est déjà utilisé.');
    }
  }
  return results as Result[];
}

interface Waiting {
  item: PendingAnswerSet;
  resolve(outcome: StoreOutcome): void;
  reject(err: unknown): void;
}

/** The queue of one database handle. */
export class AnswerSetWriter {
  private queue: Waiting[] = [];
  private busy = false;
  /** Batches committed (retries of a failed batch's items included) and answer sets written. */
  readonly stats = { batches: 0, answerSets: 0 };

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 100,
  ) {}

  write(item: PendingAnswerSet): Promise<StoreOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.busy) {
        this.busy = true;
        // Let the requests already parsed in this turn of the event loop join the batch.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) await this.commit(this.queue.splice(0, this.maxBatch));
    } finally {
      this.busy = false;
    }
  }

  private async commit(batch: Waiting[]): Promise<void> {
    this.stats.batches++;
    this.stats.answerSets += batch.length;
    try {
      settle(batch, await commitBatch(this.db, batch.map((w) => w.item)));
      return;
    } catch (err) {
      if (batch.length === 1) {
        batch[0].reject(err);
        return;
      }
    }
    for (const w of batch) {
      this.stats.batches++;
      try {
        settle([w], await commitBatch(this.db, [w.item]));
      } catch (err) {
        w.reject(err);
      }
    }
  }
}

function settle(batch: Waiting[], results: Result[]): void {
  for (const [i, w] of batch.entries()) {
    const r = results[i];
    if (r instanceof AppError) w.reject(r);
    else w.resolve(r);
  }
}

const writers = new WeakMap<Db, AnswerSetWriter>();

/** The writer of a database handle (one queue per handle and process). */
export function writerFor(db: Db): AnswerSetWriter {
  let w = writers.get(db);
  if (!w) writers.set(db, (w = new AnswerSetWriter(db)));
  return w;
}
