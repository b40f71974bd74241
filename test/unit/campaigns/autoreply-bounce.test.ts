import { detectAutoReply } from '../../../server/campaigns/classification/autoreply';
import { detectBounce, parseDeliveryStatus } from '../../../server/campaigns/classification/bounce';
import { headerParam, headerValues } from '../../../server/campaigns/classification/headers';

describe('detectAutoReply: headers', () => {
  it.each<[string, Record<string, string>, boolean]>([
    ['Auto-Submitted: auto-replied', { 'auto-submitted': 'auto-replied' }, true],
    ['Auto-Submitted: auto-generated', { 'auto-submitted': 'auto-generated' }, true],
    ['Auto-Submitted: auto-replied (zimbra; vacation)', { 'auto-submitted': 'auto-replied (zimbra; vacation)' }, true],
    ['Auto-Submitted: no', { 'auto-submitted': 'no' }, false],
    ['X-Autoreply: yes', { 'x-autoreply': 'yes' }, true],
    ['X-Autorespond', { 'x-autorespond': 'Thank you' }, true],
    ['Precedence: auto_reply', { precedence: 'auto_reply' }, true],
    ['Precedence: bulk alone is weak', { precedence: 'bulk' }, false],
    ['X-Auto-Response-Suppress is not a sign', { 'x-auto-response-suppress': 'All' }, false],
    ['Exchange rules loop alone is weak', { 'x-ms-exchange-inbox-rules-loop': 'a@b.fr' }, false],
    ['mixed-case header names', { 'Auto-Submitted': 'auto-replied' }, true],
  ])('%s → automatic=%s', (_name, headers, automatic) => {
    expect(detectAutoReply({ headers, subject: 'RE: Horaires', text: 'Les horaires sont de 8h30 à 11h30.' }).automatic).toBe(automatic);
  });

  it('flags bulk and weak signals', () => {
    const v = detectAutoReply({ headers: { precedence: 'bulk', 'list-unsubscribe': '<mailto:x@y>' }, subject: 'Lettre' });
    expect(v).toMatchObject({ automatic: false, bulk: true, weak: true });
  });

  it('treats a no-reply sender as automatic', () => {
    expect(detectAutoReply({ headers: {}, from: 'ne-pas-repondre@haute-savoie.gouv.fr' }).reasons).toContain('from:no-reply');
    expect(detectAutoReply({ headers: {}, from: 'noreply+abc@example.fr' }).automatic).toBe(true);
    expect(detectAutoReply({ headers: {}, from: 'marie.noreply@example.fr' }).automatic).toBe(false);
  });
});

describe('detectAutoReply: subjects and kinds', () => {
  it.each<[string, string, 'acknowledgement' | 'out_of_office']>([
    ['Réponse automatique : Horaires', 'Nous avons bien reçu votre message.', 'acknowledgement'],
    ['Réponse automatique : Horaires', 'Je suis absente du 3 au 14 juin.', 'out_of_office'],
    ['Automatic reply: Opening hours', 'I am out of the office until Monday.', 'out_of_office'],
    ['Accusé de réception', 'Votre courriel a bien été reçu.', 'acknowledgement'],
    ['Absence du bureau', '', 'out_of_office'],
    ['Out of Office: Horaires', 'Back on Monday.', 'out_of_office'],
    ['Auto: Horaires', 'Le service est fermé le vendredi après-midi.', 'acknowledgement'],
    ['AR : Votre demande', 'Votre demande sera traitée dans les meilleurs délais.', 'acknowledgement'],
    ['Réponse automatique', 'Je suis en congés jusqu’au 17 juin, votre message a bien été reçu et sera lu à mon retour.', 'out_of_office'],
    ['Réponse automatique', "L'agent est en congés jusqu'au 17 juin.", 'out_of_office'],
  ])('"%s" + "%s" → %s', (subject, text, kind) => {
    const v = detectAutoReply({ headers: {}, subject, text });
    expect(v.automatic).toBe(true);
    expect(v.kind).toBe(kind);
  });

  it('does not take an ordinary reply subject for an automatic one', () => {
    const v = detectAutoReply({ headers: {}, subject: 'RE: Demande de rendez-vous', text: 'Bonjour, le guichet est ouvert le matin.' });
    expect(v).toMatchObject({ automatic: false, kind: null });
  });
});

describe('bounces', () => {
  const DSN = [
    'Reporting-MTA: dns; mx1.example',
    'Arrival-Date: Mon,  3 Jun 2019 10:13:05 +0200',
    '',
    'Final-Recipient: rfc822; Pref-Urbanisme@haute-savoie.gouv.fr',
    'Action: failed',
    'Status: 5.1.1 (user unknown)',
    'Diagnostic-Code: smtp; 550 5.1.1 <pref-urbanisme@haute-savoie.gouv.fr>:',
    '    Recipient address rejected',
    '',
    'Final-Recipient: rfc822; other@example.fr',
    'Action: delayed',
    'Status: 4.4.1',
  ].join('\r\n');

  it('parses per-recipient fields with folded lines', () => {
    expect(parseDeliveryStatus(DSN)).toEqual([
      {
        address: 'pref-urbanisme@haute-savoie.gouv.fr',
        action: 'failed',
        status: '5.1.1',
        diagnostic: 'smtp; 550 5.1.1 <pref-urbanisme@haute-savoie.gouv.fr>: Recipient address rejected',
      },
      { address: 'other@example.fr', action: 'delayed', status: '4.4.1', diagnostic: null },
    ]);
  });

  it('reads a delivery-status part and prefers the failed recipient', () => {
    const b = detectBounce({
      headers: { 'content-type': 'multipart/report; report-type="delivery-status"; boundary=x' },
      attachments: [
        { contentType: 'message/delivery-status', content: DSN },
        { contentType: 'text/rfc822-headers', content: 'From: a@b\nMessage-ID: <qm-1@qualimetre.example>\n' },
      ],
    });
    expect(b).toMatchObject({ kind: 'failed', failedRecipient: 'pref-urbanisme@haute-savoie.gouv.fr', status: '5.1.1', originalMessageId: '<qm-1@qualimetre.example>' });
  });

  it('reads DSN fields left in the text (mailparser default options)', () => {
    const b = detectBounce({ headers: { 'content-type': 'multipart/report; report-type=delivery-status' }, text: `Notification\n\n${DSN}` });
    expect(b?.kind).toBe('failed');
    expect(b?.recipients).toHaveLength(2);
  });

  it('needs body evidence for a subject-only bounce', () => {
    expect(detectBounce({ headers: {}, subject: 'Non remis : Horaires', text: 'Bonjour' })).toBeNull();
    expect(detectBounce({ headers: {}, subject: 'Non remis : Horaires', text: "Votre message n'a pas pu être remis à x@y.fr. 550 5.1.1" })?.failedRecipient).toBe('x@y.fr');
    expect(detectBounce({ headers: {}, from: 'MAILER-DAEMON@mx.example', subject: 'Returned mail: see transcript' })?.kind).toBe('failed');
  });

  it('tells delayed from failed', () => {
    expect(detectBounce({ headers: {}, from: 'postmaster@example.fr', subject: 'Delivery Status Notification (Delay)', text: 'Status: 4.4.7' })?.kind).toBe('delayed');
  });

  it('is not fooled by a read receipt or an ordinary reply', () => {
    expect(detectBounce({ headers: { 'content-type': 'multipart/report; report-type=disposition-notification; boundary=b' } })).toBeNull();
    expect(detectBounce({ headers: {}, from: 'agent@isere.gouv.fr', subject: 'RE: Horaires', text: 'Le guichet ouvre à 8h30.' })).toBeNull();
  });
});

describe('header helpers', () => {
  it('reads records and maps case-insensitively', () => {
    expect(headerValues({ Precedence: ' bulk ' }, 'precedence')).toEqual(['bulk']);
    expect(headerValues(new Map([['received', ['a', 'b']]]), 'Received')).toEqual(['a', 'b']);
    expect(headerValues(undefined, 'x')).toEqual([]);
    expect(headerParam('multipart/report; report-type="Delivery-Status"; boundary=x', 'report-type')).toBe('delivery-status');
  });
});
