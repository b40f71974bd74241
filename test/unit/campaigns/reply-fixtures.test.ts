/**
 * Table-driven classification of the .eml fixtures in test/fixtures/eml (written for this
 * project: fictitious people, realistic layouts of Exchange/Outlook, Gmail, Thunderbird, Zimbra,
 * Postfix, Exim).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import {
  CLASSIFIER_PARSER_OPTIONS,
  REPLY_CLASSES,
  classifyReply,
  fromParsedMail,
  type ClassifyOptions,
  type ReplyClass,
  type ReplyClassification,
  type ReplyInput,
} from '../../../server/campaigns/classification/reply-classifier';
import { signatureConformity, type SignatureItemKey } from '../../../server/campaigns/classification/signature';

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'eml');

interface Case {
  file: string;
  cls: ReplyClass;
  reasons?: string[];
  opts?: ClassifyOptions;
  /** Signature items expected present (the others absent), for answers. */
  present?: SignatureItemKey[];
  /** Exact span texts for some items. */
  spans?: Partial<Record<SignatureItemKey, string>>;
  bounce?: { kind: 'failed' | 'delayed'; failedRecipient: string; status: string; originalMessageId: string | null };
  contains?: string[];
  excludes?: string[];
}

const ALL: SignatureItemKey[] = ['firstName', 'lastName', 'function', 'service', 'address', 'phone'];

const CASES: Case[] = [
  {
    file: '01-exchange-autoreply-ack-fr.eml',
    cls: 'acknowledgement',
    reasons: ['header:auto-submitted=auto-generated', 'subject:automatic-reply', 'body:acknowledgement-phrase'],
  },
  {
    file: '02-outlook-answer-conforming.eml',
    cls: 'answer',
    present: ALL,
    spans: { firstName: 'Sophie', lastName: 'BERTHIER', phone: '04 50 33 60 54', service: 'Direction de la citoyenneté et de la légalité' },
    excludes: ['Pourriez-vous', 'Envoyé :'],
    contains: ['8h30 à 11h30'],
  },
  {
    file: '03-gmail-reply-fr.eml',
    cls: 'answer',
    present: ['firstName'],
    excludes: ['Quel est le délai', 'a écrit'],
    contains: ['mardi 18 juin'],
  },
  {
    file: '04-thunderbird-reply.eml',
    cls: 'answer',
    present: ['firstName', 'lastName', 'function', 'service', 'phone'],
    spans: { phone: '04.76.60.34.00', service: 'Service des titres' },
    excludes: ['Combien de temps', '>'],
    contains: ['5 jours ouvrés'],
  },
  {
    file: '05-zimbra-reply.eml',
    cls: 'answer',
    present: ALL,
    spans: { address: 'laurence.giraud@haute-savoie.gouv.fr', phone: '+33 (0)4 50 71 03 03', firstName: 'Laurence', lastName: 'GIRAUD' },
    excludes: ['Mail original', 'Puis-je'],
  },
  {
    file: '06-postfix-bounce.eml',
    cls: 'bounce',
    reasons: ['content-type:multipart/report;delivery-status', 'part:message/delivery-status', 'from:mailer-daemon'],
    bounce: { kind: 'failed', failedRecipient: 'pref-urbanisme@haute-savoie.gouv.fr', status: '5.1.1', originalMessageId: '<qm-20190603-0006.c0ffee@qualimetre.example>' },
  },
  {
    file: '07-exchange-ndr-fr.eml',
    cls: 'bounce',
    reasons: ['header:x-ms-exchange-message-is-ndr', 'subject:delivery-failure'],
    bounce: { kind: 'failed', failedRecipient: 'pref-cabinet@isere.gouv.fr', status: '5.1.10', originalMessageId: '<qm-20190603-0007.0f0f0f@qualimetre.example>' },
  },
  {
    file: '08-postfix-delayed-dsn.eml',
    cls: 'bounce',
    reasons: ['subject:delivery-delay', 'bounce:delayed'],
    bounce: { kind: 'delayed', failedRecipient: 'sp-albertville@savoie.gouv.fr', status: '4.4.1', originalMessageId: '<qm-20190603-0008.d1e2f3@qualimetre.example>' },
  },
  {
    file: '09-outlook-out-of-office-fr.eml',
    cls: 'out_of_office',
    reasons: ['header:auto-submitted=auto-generated', 'subject:automatic-reply', 'body:out-of-office-phrase'],
  },
  { file: '10-human-short-ack.eml', cls: 'acknowledgement', reasons: ['body:acknowledgement-phrase', 'short-human-acknowledgement'] },
  {
    file: '11-answer-nonconforming-signature.eml',
    cls: 'answer',
    present: ['service'],
    spans: { service: 'service des étrangers' },
    excludes: ["Message d'origine", 'quels documents'],
  },
  {
    file: '12-html-only-answer.eml',
    cls: 'answer',
    reasons: ['body:from-html'],
    present: ALL,
    spans: { firstName: 'Pierre-Yves', lastName: 'KERMARREC', address: 'BP 1801 – 73018 Chambéry Cedex', phone: '04 79 75 50 00' },
    excludes: ['never shown', 'MsoNormal', 'je vends ma voiture'],
    contains: ['cerfa n° 15776', 'l’acheteur & conservé'],
  },
  { file: '13-malformed-mime.eml', cls: 'answer', reasons: ['body:salvaged-from-raw'], contains: ['mardi et le jeudi de 9h à 12h'] },
  { file: '14-gmail-vacation-fr.eml', cls: 'out_of_office', reasons: ['header:auto-submitted=auto-replied', 'subject:out-of-office'] },
  { file: '15-exchange-out-of-office-en.eml', cls: 'out_of_office', reasons: ['subject:automatic-reply', 'body:out-of-office-phrase'] },
  { file: '16-zimbra-vacation-ack.eml', cls: 'acknowledgement', reasons: ['header:auto-submitted=auto-replied', 'body:acknowledgement-phrase'] },
  { file: '17-noreply-portal-ack.eml', cls: 'acknowledgement', reasons: ['from:no-reply', 'subject:acknowledgement'] },
  { file: '18-newsletter-unrelated.eml', cls: 'unrelated', reasons: ['header:list', 'bulk-not-linked'] },
  { file: '18-newsletter-unrelated.eml', cls: 'unrelated', opts: { isLinkedToProbe: false }, reasons: ['bulk-not-linked'] },
  { file: '19-spam-unrelated.eml', cls: 'unrelated', reasons: ['header:x-spam-flag'] },
  { file: '19-spam-unrelated.eml', cls: 'unrelated', opts: { isLinkedToProbe: false }, reasons: ['not-linked-to-probe'] },
  {
    file: '20-answer-with-ack-phrase.eml',
    cls: 'answer',
    reasons: ['body:acknowledgement-phrase', 'acknowledgement-phrase-in-answer'],
    present: ['lastName', 'function', 'service', 'address', 'phone'],
    spans: { lastName: 'DURAND', function: "Agent d'accueil", address: '12 place de Verdun\n38000 Grenoble' },
  },
  {
    file: '21-exim-bounce-text-only.eml',
    cls: 'bounce',
    reasons: ['header:x-failed-recipients', 'from:mailer-daemon'],
    bounce: { kind: 'failed', failedRecipient: 'accueil@sous-prefecture-exemple.fr', status: '5.1.1', originalMessageId: '<qm-20190603-0021.ccddee@qualimetre.example>' },
  },
  { file: '22-read-receipt.eml', cls: 'acknowledgement', reasons: ['read-receipt'] },
  {
    file: '23-inline-reply.eml',
    cls: 'answer',
    present: ALL,
    contains: ['Du lundi au vendredi, de 8h30 à 11h30', 'Oui, un médiateur numérique'],
    excludes: ['>', 'a écrit', 'Quels sont'],
  },
  {
    file: '24-latin1-owa-answer.eml',
    cls: 'answer',
    present: ALL,
    spans: { firstName: 'Isabelle', lastName: 'MOREAU', phone: '04-50-33-60-00', function: 'Secrétaire administrative' },
    excludes: ['________________________________', 'Permis en candidat libre'],
  },
  { file: '25-answer-attachment-only.eml', cls: 'answer', reasons: ['attachment-only'], present: [] },
  {
    file: '26-name-on-closing-line.eml',
    cls: 'answer',
    present: ['firstName', 'lastName', 'function', 'service', 'phone'],
    spans: { firstName: 'Marie-Claire', lastName: 'DUPONT-MOREL', service: 'Pôle accueil et relations avec les usagers', phone: '0450336054' },
    excludes: ['Original Message'],
  },
  { file: '27-bad-encoding.eml', cls: 'answer', present: ['firstName', 'lastName'] },
  // The same messages, once the caller knows they answer a probe or not.
  { file: '02-outlook-answer-conforming.eml', cls: 'unrelated', opts: { isLinkedToProbe: false }, reasons: ['not-linked-to-probe'] },
  { file: '01-exchange-autoreply-ack-fr.eml', cls: 'acknowledgement', opts: { isLinkedToProbe: true } },
];

const raws = new Map<string, Buffer>();
const inputs = new Map<string, ReplyInput>();
const inputsDefault = new Map<string, ReplyInput>();

beforeAll(async () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.eml'))) {
    const raw = readFileSync(path.join(DIR, file));
    raws.set(file, raw);
    inputs.set(file, fromParsedMail(await simpleParser(raw, { ...CLASSIFIER_PARSER_OPTIONS }), raw));
    inputsDefault.set(file, fromParsedMail(await simpleParser(raw), raw));
  }
});

describe('fixtures', () => {
  it('has at least 20 fixtures and every one is in the table', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.eml'));
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const f of files) expect(CASES.map((c) => c.file)).toContain(f);
  });
});

describe.each(CASES)('$file → $cls', (c) => {
  let r: ReplyClassification;
  beforeAll(() => {
    r = classifyReply(inputs.get(c.file)!, c.opts);
  });

  it('has the expected class and reasons', () => {
    expect(REPLY_CLASSES).toContain(r.class);
    expect({ class: r.class, reasons: r.reasons }).toEqual({ class: c.cls, reasons: expect.arrayContaining(c.reasons ?? []) });
    expect(r.confidence).toBeGreaterThan(0);
    expect(r.confidence).toBeLessThanOrEqual(1);
  });

  if (c.present) {
    it('detects the signature items', () => {
      expect(r.signature).toBeDefined();
      const present = ALL.filter((k) => r.signature![k].present);
      expect(present).toEqual(c.present);
      for (const [k, text] of Object.entries(c.spans ?? {}) as [SignatureItemKey, string][]) {
        expect({ k, text: r.signature![k].span?.text }).toEqual({ k, text });
      }
      for (const k of present) {
        const s = r.signature![k].span!;
        expect(r.answerText.slice(s.start, s.end)).toBe(s.text);
      }
      expect(signatureConformity(r.signature!).conforming).toBe(c.present!.length === ALL.length);
    });
  }

  if (c.bounce) {
    it('extracts the bounce details', () => {
      expect(r.bounce).toMatchObject(c.bounce!);
    });
  }

  if (c.contains || c.excludes) {
    it('keeps the new text and drops the quoted history', () => {
      for (const s of c.contains ?? []) expect(r.answerText).toContain(s);
      for (const s of c.excludes ?? []) expect(r.answerText).not.toContain(s);
    });
  }

  it('gets the same class with mailparser default options', () => {
    expect(classifyReply(inputsDefault.get(c.file)!, c.opts).class).toBe(c.cls);
  });
});

describe('adapter', () => {
  it('keeps raw header values, threading fields and a parseable date only', () => {
    const a = inputs.get('02-outlook-answer-conforming.eml')!;
    expect(a.from).toBe('sophie.berthier@haute-savoie.gouv.fr');
    expect(a.inReplyTo).toBe('<qm-20190603-0002.1b2c3d@qualimetre.example>');
    expect(a.references).toEqual(['<qm-20190603-0002.1b2c3d@qualimetre.example>']);
    expect(a.date?.toISOString()).toBe('2019-06-04T12:37:02.000Z');
    expect((a.headers as Record<string, string[]>)['content-type'][0]).toMatch(/^multipart\/alternative;\s+boundary=/);
    // mailparser puts the current time in `date` when the Date header is invalid: dropped.
    expect(inputs.get('13-malformed-mime.eml')!.date).toBeNull();
  });

  it('classifies the malformed message without its raw source (no salvage) without throwing', async () => {
    const m = await simpleParser(raws.get('13-malformed-mime.eml')!, { ...CLASSIFIER_PARSER_OPTIONS });
    const r = classifyReply(fromParsedMail(m));
    expect(r).toMatchObject({ class: 'unrelated', reasons: expect.arrayContaining(['empty-body']) });
  });

  it('classifies answers from their HTML alternative alone the same way', () => {
    for (const file of ['02-outlook-answer-conforming.eml', '03-gmail-reply-fr.eml', '05-zimbra-reply.eml']) {
      const input = { ...inputs.get(file)!, text: null };
      const r = classifyReply(input);
      expect({ file, cls: r.class }).toEqual({ file, cls: 'answer' });
      expect(r.reasons).toContain('body:from-html');
      expect(r.answerText).not.toMatch(/Camille Martin|a écrit|Puis-je/);
      expect(r.signature!.firstName.present).toBe(true);
    }
  });

  it('never throws on junk input', () => {
    expect(() => classifyReply({ headers: {} })).not.toThrow();
    expect(classifyReply({ headers: {} }).class).toBe('unrelated');
    expect(() => classifyReply({ headers: new Map(), html: '<<<>>>&&&#;', subject: '\u0000' })).not.toThrow();
  });
});
