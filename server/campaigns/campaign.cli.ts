/**
 * CLI commands of mystery e-mail campaigns:
 * - `campaigns:sync [--mailbox <id>]`: read now the mailboxes of running campaigns (the sent
 *   folder of analyse campaigns, then the inbox), as the scheduled poll does;
 * - `campaigns:purge`: delete now the raw messages whose retention period is over;
 * - `campaigns:export-fixture --org <code> --reply <id> [--out <dir>]`: write a reply and its
 *   verdict (corrections included) as a test fixture (classification/fixture-export.ts).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Deps } from '../deps';
import { isUuid } from '../http/params';
import { fixtureBytes, fixtureFileName, patternEntry, withEntry } from './classification/fixture-export';
import type { ReplyClass } from './classification/reply-classifier';
import * as mailboxStore from './mailbox.store';
import * as orgStore from '../org/org.store';
import * as replyStore from './reply.store';
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
    'campaigns:export-fixture': {
      summary: "Write a reply and its verdict (the referent's corrections included) as a classifier test fixture.",
      usage: 'campaigns:export-fixture --org <code> --reply <reply id> [--out <dir>] (default test/fixtures/eml/patterns)',
      options: { org: { type: 'string' as const }, reply: { type: 'string' as const }, out: { type: 'string' as const } },
      async run(deps: Deps, v: Record<string, string | boolean | undefined>) {
        if (typeof v.org !== 'string') throw usage('--org <code> is required');
        if (typeof v.reply !== 'string' || !isUuid(v.reply)) throw usage('--reply must be a reply id');
        const org = await orgStore.findOrgByCode(deps.db, v.org);
        if (!org) throw usage(`No organisation with code ${v.org}`);
        const reply = await replyStore.getReply(deps.db, org.id, v.reply.toLowerCase());
        if (!reply) throw usage(`No reply ${v.reply} in organisation ${v.org}`);
        const raw = await replyStore.getRaw(deps.db, org.id, reply.id);
        const dir = path.resolve(typeof v.out === 'string' ? v.out : path.join('test', 'fixtures', 'eml', 'patterns'));
        const file = fixtureFileName(reply.id, reply.replyClass as ReplyClass);
        const corrected = reply.replyClass !== reply.detectedClass ? ` (detected ${reply.detectedClass}, corrected)` : '';
        const entry = patternEntry(
          file,
          { replyClass: reply.replyClass as ReplyClass, bounceKind: reply.bounceKind, bounceRecipient: reply.bounceRecipient, signature: reply.signature as Record<string, boolean> | null },
          `exported reply ${reply.id}: ${reply.replyClass}${corrected}`,
        );
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, file), fixtureBytes({ id: reply.id, raw: raw?.raw ?? null, subject: reply.subject, fromAddress: reply.fromAddress, messageId: reply.messageId, fullText: reply.fullText }));
        const manifestPath = path.join(dir, 'manifest.json');
        writeFileSync(manifestPath, withEntry(existsSync(manifestPath) ? readFileSync(manifestPath, 'utf8') : null, entry));
        return `${path.join(dir, file)}\n${JSON.stringify(entry.expect)}\nReplace real names and addresses in the file before committing it.\n`;
      },
    },
  };
}
