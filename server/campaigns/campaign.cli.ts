/**
 * CLI commands of mystery e-mail campaigns:
 * - `campaigns:sync [--mailbox <id>]`: read now the mailboxes of running campaigns (the sent
 *   folder of analyse campaigns, then the inbox), as the scheduled poll does;
 * - `campaigns:purge`: delete now the raw messages whose retention period is over.
 */
import type { Deps } from '../deps';
import { isUuid } from '../http/params';
import * as mailboxStore from './mailbox.store';
import { purgeRawJob } from './purge-raw.job';
import { closeLockConnection } from './tracking/mailbox-lock';
import { syncMailboxOnce } from './tracking/tracking.service';

export function campaignCommands(usage: (message: string) => Error) {
  return {
    'campaigns:sync': {
      summary: 'Read the mystery mailboxes of running campaigns now (sent folder in analyse mode, then inbox).',
      usage: 'campaigns:sync [--mailbox <mailbox id>]',
      options: { mailbox: { type: 'string' as const } },
      async run(deps: Deps, v: Record<string, string | boolean | undefined>) {
        if (v.mailbox !== undefined && !isUuid(v.mailbox)) throw usage('--mailbox must be a mailbox id');
        const ids = typeof v.mailbox === 'string' ? [v.mailbox.toLowerCase()] : (await mailboxStore.mailboxesToTrackForWorker(deps.db)).map((m) => m.id);
        const lines: string[] = [];
        try {
          for (const id of ids) {
            const r = await syncMailboxOnce(deps, id);
            lines.push(r.status === 'busy'
              ? `${id}\tbusy (tracked by a running worker)`
              : `${id}\t${r.imported} probe(s) imported, ${r.inbox?.fetched ?? 0} message(s) read, ${r.inbox?.recorded ?? 0} new`);
          }
        } finally {
          await closeLockConnection(deps);
        }
        return lines.length ? `${lines.join('\n')}\n` : 'No mailbox to read (no running campaign).\n';
      },
    },
    'campaigns:purge': {
      summary: 'Delete now the raw messages of campaigns whose retention period is over.',
      usage: 'campaigns:purge',
      options: {},
      async run(deps: Deps) {
        await purgeRawJob.run({}, { ...deps, jobId: 0, attempt: 1, signal: new AbortController().signal });
        return 'Purge done.\n';
      },
    },
  };
}
