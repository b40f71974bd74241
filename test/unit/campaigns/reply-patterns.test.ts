/**
 * Table-driven: every hand-written pattern of test/fixtures/eml/patterns (manifest.json: one
 * file per pattern of issue #12, French and English, with the expected verdict) goes through the
 * tracker's parse entry point and the classifier. A referent's correction exported with
 * `campaigns:export-fixture` lands in the same manifest and becomes a case here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { classifyReply, type ReplyClassification } from '../../../server/campaigns/classification/reply-classifier';
import { SIGNATURE_ITEMS, type SignatureItemKey } from '../../../server/campaigns/classification/signature';
import { parseReply } from '../../../server/campaigns/tracking/ingest';

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'eml', 'patterns');

interface Item {
  file: string;
  pattern: string;
  expect: {
    group: 'bounce' | 'automatic' | 'other-report' | 'answer' | 'unrelated';
    class?: string;
    kind?: 'failed' | 'delayed';
    recipient?: string;
    status?: string;
    originalMessageId?: string;
    newText?: string[];
    quoted?: string[];
    signature?: SignatureItemKey[];
  };
}

const manifest = JSON.parse(readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as { items: Item[] };

it('lists every .eml file of the folder once', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.eml')).sort();
  expect(manifest.items.map((i) => i.file).sort()).toEqual(files);
});

describe.each(manifest.items.map((i) => [i.file, i] as const))('%s', (_file, item) => {
  let r: ReplyClassification;
  beforeAll(async () => {
    const { input } = await parseReply(readFileSync(path.join(DIR, item.file)));
    r = classifyReply(input!, { isLinkedToProbe: true });
  });
  const e = item.expect;

  it(`when classified, then the verdict is ${e.class ?? e.group}${e.kind ? ` (${e.kind})` : ''}`, () => {
    const seen = { class: r.class, kind: r.bounce?.kind, reasons: r.reasons };
    if (e.group === 'bounce') expect(seen).toMatchObject({ class: 'bounce', ...(e.kind ? { kind: e.kind } : {}) });
    else if (e.group === 'automatic') expect(seen.class).toEqual(e.class ?? expect.stringMatching(/^(?:acknowledgement|out_of_office)$/));
    else if (e.group === 'other-report') expect(seen.class).toBe('unrelated');
    else expect(seen.class).toBe(e.class ?? e.group);
  });

  if (e.recipient || e.status || e.originalMessageId) {
    it('then the failed recipient, status and original Message-ID are read', () => {
      expect(r.bounce).toMatchObject({
        ...(e.recipient ? { failedRecipient: e.recipient } : {}),
        ...(e.status ? { status: e.status } : {}),
        ...(e.originalMessageId ? { originalMessageId: e.originalMessageId } : {}),
      });
    });
  }

  if (e.newText || e.quoted) {
    it('then the new text is kept whole and the quoted history removed', () => {
      for (const s of e.newText ?? []) expect({ kept: s, text: r.answerText }).toEqual({ kept: s, text: expect.stringContaining(s) });
      for (const s of e.quoted ?? []) expect({ dropped: s, text: r.answerText }).toEqual({ dropped: s, text: expect.not.stringContaining(s) });
    });
  }

  if (e.signature) {
    it('then the signature items are detected', () => {
      expect(SIGNATURE_ITEMS.filter((k) => r.signature?.[k].present)).toEqual(e.signature);
    });
  }
});
