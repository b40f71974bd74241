/**
 * Live tracking in a worker process: one MailboxTracker (one IMAP connection, IDLE + poll) per
 * mystery mailbox that has a running campaign, held under the mailbox lock so that only one
 * worker tracks a mailbox at a time. The list is refreshed periodically: new campaigns start a
 * tracker, closed ones stop theirs, a lost lock stops its tracker (another worker takes over).
 *
 * Mount in the worker role (server/main.ts):
 *   const tracking = startTracking(deps);  lifecycle.onShutdown('mail tracking', () => tracking.stop());
 * Without it the `campaigns.sync-mailboxes` schedule still polls every mailbox.
 */
import type { Deps } from '../../deps';
import * as mailboxStore from '../mailbox.store';
import { imapSettingsOf } from '../mailbox.service';
import { MailboxTracker } from './imap-tracker';
import { tryLockMailbox, type MailboxLock } from './mailbox-lock';
import { recordOutcome, syncMailbox } from './tracking.service';

type Ctx = Pick<Deps, 'db' | 'dbKind' | 'clock' | 'logger' | 'encryptionKey' | 'config'>;

export interface TrackingOptions {
  pollMs?: number;
  idleDelayMs?: number;
  refreshMs?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
}

interface Entry {
  tracker: MailboxTracker;
  lock: MailboxLock;
}

export class TrackingSupervisor {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: Ctx, private readonly opts: TrackingOptions = {}) {}

  start(): this {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.opts.refreshMs ?? 60_000);
    return this;
  }

  tracker(mailboxId: string): MailboxTracker | undefined {
    return this.entries.get(mailboxId)?.tracker;
  }

  /** Starts and stops trackers to match the mailboxes to watch; serialised. */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.then(() => this.doRefresh()).catch((err) => {
      this.deps.logger.warn({ err }, 'tracking refresh failed');
    });
    return this.refreshing;
  }

  private async doRefresh() {
    if (this.stopped) return;
    const wanted = new Map((await mailboxStore.mailboxesToTrackForWorker(this.deps.db)).map((m) => [m.id, m.orgId]));
    for (const [id, e] of [...this.entries]) {
      if (!wanted.has(id) || e.lock.lost) await this.drop(id);
    }
    for (const [id, orgIdOf] of wanted) {
      if (this.entries.has(id) || this.stopped) continue;
      const lock = await tryLockMailbox(this.deps, id);
      if (!lock) continue;
      const log = this.deps.logger.child({ module: 'campaigns.tracking', mailboxId: id });
      const load = async () => {
        const m = await mailboxStore.getMailboxForWorker(this.deps.db, id);
        if (!m) throw new Error('mailbox deleted');
        return m;
      };
      const tracker = new MailboxTracker({
        settings: async () => imapSettingsOf(this.deps, await load()),
        sync: async (session) => {
          if (lock.lost) throw new Error('mailbox lock lost');
          const m = await load();
          try {
            await syncMailbox(this.deps, m, session);
          } catch (err) {
            await recordOutcome(this.deps, m, { step: 'read', err });
            throw err;
          }
          await recordOutcome(this.deps, m);
        },
        onConnectError: (err) => recordOutcome(this.deps, { id, orgId: orgIdOf }, { step: 'connect', err }),
        logger: log,
        pollMs: this.opts.pollMs,
        idleDelayMs: this.opts.idleDelayMs,
        backoffMinMs: this.opts.backoffMinMs,
        backoffMaxMs: this.opts.backoffMaxMs,
      });
      this.entries.set(id, { tracker, lock });
      tracker.start();
      log.info('tracking started');
    }
  }

  private async drop(id: string) {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    await e.tracker.stop();
    await e.lock.release();
  }

  async stop() {
    this.stopped = true;
    clearInterval(this.timer);
    await this.refreshing;
    for (const id of [...this.entries.keys()]) await this.drop(id);
  }
}

export function startTracking(deps: Ctx, opts: TrackingOptions = {}): TrackingSupervisor {
  return new TrackingSupervisor(deps, opts).start();
}
