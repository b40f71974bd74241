/** The classifier benchmark's own logic: mbox line, reference recipient, figures, arguments. */
import path from 'node:path';
import { figures, parseArgs, report, runCorpus, stripMboxLine, type BenchResult } from '../../../scripts/bench-classifier';

const PATTERNS = path.join(__dirname, '..', '..', 'fixtures', 'eml', 'patterns');

it('when a message starts with an mbox "From " line, then it is dropped, and only then', () => {
  expect(stripMboxLine(Buffer.from('From MAILER-DAEMON Thu Apr 29 2009\nReturn-Path: <>\n')).toString()).toBe('Return-Path: <>\n');
  expect(stripMboxLine(Buffer.from('From: a@b.fr\n')).toString()).toBe('From: a@b.fr\n');
});

it('when no corpus is given, then ../shared/mail-corpora from the repository root is read', () => {
  expect(parseArgs([]).corpora).toEqual([path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'mail-corpora')]);
  expect(parseArgs(['--corpus', '/tmp/x', '--list', 'all', '--own'])).toEqual({ corpora: ['/tmp/x'], own: true, list: 'all' });
  expect(() => parseArgs(['--bogus'])).toThrow(/unknown argument/);
});

describe('figures', () => {
  const r = (group: string, cls: string, extra: Partial<BenchResult> = {}, kind?: 'failed' | 'delayed'): BenchResult => ({
    corpus: 'c', file: `${group}-${cls}`, expect: { group, ...(kind ? { kind } : {}) }, detected: cls, referenceRecipient: null, errors: [],
    classification: { class: cls as never, reasons: [], confidence: 1, answerText: '', ...(cls === 'bounce' ? { bounce: { kind: 'failed', recipients: [], failedRecipient: 'a@b.fr', status: null, diagnostic: null, originalMessageId: null, originalRecipients: [], reasons: [] } } : {}) },
    ...extra,
  });

  it('when results are counted, then each figure has the expected numerator and denominator', () => {
    const results = [
      r('bounce', 'bounce', { referenceRecipient: 'a@b.fr' }, 'failed'),
      r('bounce', 'answer', {}, 'failed'),
      r('other-report', 'bounce'),
      r('automatic', 'out_of_office'),
      r('answer', 'acknowledgement'),
    ];
    const f = Object.fromEntries(figures(results).map((x) => [x.label.split(' ')[0] + x.label.split(' ')[1], [x.num, x.den]]));
    expect(f).toEqual({
      bouncerecall: [1, 2], bounceprecision: [1, 2], hardbounce: [1, 2], 'failedrecipient:': [1, 1], automaticreply: [1, 2], quotedhistory: [0, 0],
    });
  });
});

it('when the own patterns are measured, then every figure meets its target and the table lists every group', async () => {
  const results = await runCorpus(PATTERNS);
  const out = report('own', results, 'errors');
  expect(results.filter((x) => x.errors.length).map((x) => `${x.file}: ${x.errors.join('; ')}`)).toEqual([]);
  expect(out.met).toBe(true);
  expect(out.lines.join('\n')).toMatch(/expected \\ detected[\s\S]*automatic[\s\S]*bounce \(failed\)[\s\S]*other-report/);
});
