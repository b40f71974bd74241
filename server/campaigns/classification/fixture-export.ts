/**
 * Turns a reply and its verdict (as the referent left it, corrections included) into a test
 * fixture: the raw message as an .eml file and an entry of the patterns manifest
 * (test/fixtures/eml/patterns/manifest.json), which test/unit/campaigns/reply-patterns.test.ts
 * and scripts/bench-classifier.ts read. A referent's correction thus becomes a test case.
 *
 * Pure: builds the file name, the bytes and the manifest text; the CLI command
 * (`campaigns:export-fixture`) reads the reply and writes the files.
 * The raw message holds real names and addresses: replace them before committing a fixture.
 */
import type { ReplyClass } from './reply-classifier';
import { SIGNATURE_ITEMS, type SignatureItemKey } from './signature';

export interface FixtureVerdict {
  replyClass: ReplyClass;
  bounceKind?: string | null;
  bounceRecipient?: string | null;
  signature?: Record<string, boolean> | null;
}

export interface FixtureSource {
  id: string;
  raw?: Buffer | null;
  subject?: string | null;
  fromAddress?: string | null;
  messageId?: string | null;
  /** The stored text (quoted history included), used when the raw source was purged. */
  fullText?: string | null;
}

export interface PatternEntry {
  file: string;
  pattern: string;
  expect: {
    group: string;
    class?: string;
    kind?: 'failed' | 'delayed';
    recipient?: string;
    signature?: SignatureItemKey[];
  };
}

/** The manifest entry that asserts the verdict. */
export function patternEntry(file: string, v: FixtureVerdict, pattern: string): PatternEntry {
  const expect: PatternEntry['expect'] = { group: v.replyClass };
  if (v.replyClass === 'bounce') {
    if (v.bounceKind === 'failed' || v.bounceKind === 'delayed') expect.kind = v.bounceKind;
    if (v.bounceRecipient) expect.recipient = v.bounceRecipient.toLowerCase();
  } else if (v.replyClass === 'acknowledgement' || v.replyClass === 'out_of_office') {
    expect.class = v.replyClass;
  } else if (v.replyClass === 'answer' && v.signature) {
    expect.signature = SIGNATURE_ITEMS.filter((k) => v.signature![k]);
  }
  return { file, pattern, expect };
}

export function fixtureFileName(replyId: string, replyClass: ReplyClass): string {
  return `exported-${replyClass.replace(/_/g, '-')}-${replyId.replace(/[^a-zA-Z0-9-]/g, '').slice(0, 36)}.eml`;
}

/** The raw source, or a plain-text message rebuilt from the stored fields when it was purged. */
export function fixtureBytes(src: FixtureSource): Buffer {
  if (src.raw && src.raw.length) return src.raw;
  const oneLine = (s: string | null | undefined) => (s ?? '').replace(/[\r\n]+/g, ' ').trim();
  const headers = [
    `From: ${oneLine(src.fromAddress) || 'unknown@example.invalid'}`,
    `Subject: =?utf-8?B?${Buffer.from(oneLine(src.subject)).toString('base64')}?=`,
    ...(src.messageId ? [`Message-ID: ${oneLine(src.messageId)}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
  ];
  const body = Buffer.from(src.fullText ?? '', 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}\r\n`, 'utf8');
}

/** The manifest text with the entry added (or replacing the entry of the same file). */
export function withEntry(manifestText: string | null, entry: PatternEntry): string {
  const manifest = manifestText ? (JSON.parse(manifestText) as { items?: PatternEntry[] } & Record<string, unknown>) : { items: [] };
  const items = (manifest.items ?? []).filter((i) => i.file !== entry.file);
  items.push(entry);
  return `${JSON.stringify({ ...manifest, items }, null, 1)}\n`;
}
