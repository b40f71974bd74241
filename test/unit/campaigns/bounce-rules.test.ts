/** Table-driven tests of the bounce rule tables (bounce-rules.ts) through detectBounce and its helpers. */
import { detectBounce, isDaemonSender, isSuccessReport, recipientsInText, smtpStatuses } from '../../../server/campaigns/classification/bounce';

describe('daemon senders', () => {
  it.each<[string | null, string | null, boolean]>([
    ['MAILER-DAEMON', null, true],
    ['MAILER-DAEMON@mx.example.fr', null, true],
    ['postmaster@isere.gouv.fr', null, true],
    ['post_master@vtext.example.com', null, true],
    ['Mail.Delivery.System@mx.example.com', null, true],
    ['MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@pref.gouv.fr', null, true],
    ['nobody@example.fr', 'Mail Delivery Subsystem', true],
    ['x@example.fr', 'Système de remise du courrier', true],
    ['marie.postmaster@example.fr', null, false],
    ['agent@haute-savoie.gouv.fr', 'Marie Dupont', false],
  ])('when the sender is %s (%s), then daemon = %s', (from, name, expected) => {
    expect(isDaemonSender(from, name)).toBe(expected);
  });
});

describe('statuses read with their context only', () => {
  it.each<[string, string[], string[]]>([
    ['Remote host said: 550 5.1.1 <a@b.fr>... User unknown', ['5.1.1'], ['550']],
    ['550-5.1.1 The email account that you tried to reach does not exist.', ['5.1.1'], ['550']],
    ['Sorry, no mailbox here by that name. (#5.1.1)', ['5.1.1'], []],
    ['Status: 4.4.7', ['4.4.7'], []],
    ['Received >>> 550 5.1.1 <a@b.fr>... user unknown', ['5.1.1'], ['550']],
    ['550 - Requested action not taken: no such user here', [], ['550']],
    ['smtp-gw6.example.com (Lotus SMTP MTA v4.6.1 (569.2 2-6-1999)) with SMTP id 00000000', [], []],
    ['Microsoft Exchange Server 2.0.5 build 4.2.1', [], []],
    ['Le dossier 5.2.3 a été transmis le 12/06.', [], []],
  ])('when a line reads %j, then enhanced %j and replies %j', (line, enhanced, replies) => {
    const s = smtpStatuses(line);
    expect({ enhanced: s.enhanced.filter((x, i, a) => a.indexOf(x) === i), replies: s.replies.filter((x, i, a) => a.indexOf(x) === i) }).toEqual({ enhanced, replies });
  });
});

describe('failed recipients named by plain-text notices', () => {
  it.each<[string, string[]]>([
    ['Your mail sent on: Thu, 29 Apr 2013\n     Could not be delivered to: <a@b.example>\n     As their mailbox is full.', ['a@b.example']],
    ['I was not able to deliver your message to the following addresses.\n\n<a@b.example>:\n192.0.2.1 does not like recipient.', ['a@b.example']],
    ['Adresse : a@b.example\nMotif : Utilisateur non recensé', ['a@b.example']],
    ["Votre message n'a pas pu être remis aux destinataires suivants :\n\n     a@b.example le 03/06/2019", ['a@b.example']],
    ['Sent <<< RCPT TO:<a@b.example>\nReceived >>> 550 5.1.1 <a@b.example>... user unknown', ['a@b.example']],
    ['Delivery to the following recipients failed permanently:\n\n   * a@b.example', ['a@b.example']],
    ['----- The following addresses had permanent fatal errors -----\n<a@b.example>\n    (reason: 550 5.1.1 User unknown)', ['a@b.example']],
  ])('when the notice reads %j, then the recipient is %j', (text, expected) => {
    expect(recipientsInText(text)).toEqual(expected);
  });
});

describe('non-DSN notices, French and English', () => {
  it.each<[string, { from?: string; fromName?: string; subject?: string; text: string; attachments?: { contentType: string; content: string }[] }, 'failed' | 'delayed' | null]>([
    ['French operator', { from: 'MAILER-DAEMON', subject: "Votre message n'a pas pu être remis", text: 'Adresse : a@b.fr\nMotif : Utilisateur non recensé' }, 'failed'],
    ['French, « destinataire inconnu » with postmaster', { from: 'postmaster@b.fr', subject: 'Non distribué : Horaires', text: 'Destinataire inconnu : a@b.fr' }, 'failed'],
    ['English, no subject sign but daemon + reply line', { from: 'post_master@b.example', subject: 'Re: Test', text: 'Error: Invalid user address\n550 - Requested action not taken: no such user here' }, 'failed'],
    ['delay warning', { from: 'MAILER-DAEMON@b.example', subject: 'Delivery status notification: warning', text: 'A message is delayed for more than 10 minutes for the following list of recipients:\n\na@b.example: Network error\n\nPlease note that this is only a temporary failure report.' }, 'delayed'],
    ['French delay', { from: 'postmaster@b.fr', subject: 'Remise différée', text: "Votre message n'a pas encore pu être remis. Nouvelle tentative dans 4 heures." }, 'delayed'],
    ['a person quoting an error', { from: 'agent@isere.gouv.fr', subject: 'RE: Horaires', text: "Bonjour, l'adresse accueil@ n'existe plus, écrivez à pref@isere.gouv.fr.\nCordialement" }, null],
    ['a person explaining an old address, with the message attached', { from: 'agent@isere.gouv.fr', subject: 'TR: Horaires', text: "Votre message n'a pas pu être remis au service : l'adresse n'existe plus. Je vous le renvoie ci-joint." , attachments: [{ contentType: 'message/rfc822', content: 'From: a@b.fr\nTo: c@d.fr\n\nBonjour' }] }, null],
    ['a machine sender with the message returned', { from: 'no-reply@mx.example', subject: 'Mail', text: 'Your mail sent on: Thu, 29 Apr 2013\n     Could not be delivered to: <a@b.example>', attachments: [{ contentType: 'message/rfc822', content: 'From: a@b.fr\nTo: a@b.example\n\nBonjour' }] }, 'failed'],
    ['a person with a version number', { from: 'agent@isere.gouv.fr', subject: 'RE: Logiciel', text: 'Nous utilisons la version 4.6.1 du logiciel.' }, null],
  ])('%s', (_name, input, kind) => {
    const b = detectBounce({ headers: {}, ...input });
    expect(b?.kind ?? null).toBe(kind);
  });
});

describe('reports of success', () => {
  it.each<[string, boolean]>([
    ['delivered', true], ['relayed', true], ['expanded', true], ['failed', false], ['delayed', false],
  ])('when every recipient is %s, then success = %s', (action, success) => {
    expect(isSuccessReport([{ address: 'a@b.fr', action, status: action === 'failed' ? '5.1.1' : action === 'delayed' ? '4.4.1' : '2.0.0', diagnostic: null }])).toBe(success);
  });

  it('when a DSN reports a relay only, then it is no bounce', () => {
    const dsn = 'Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; a@b.fr\nAction: relayed\nStatus: 2.0.0';
    expect(detectBounce({ headers: { 'content-type': 'multipart/report; report-type=delivery-status; boundary=x' }, attachments: [{ contentType: 'message/delivery-status', content: dsn }] })).toBeNull();
  });

  it('when a DSN has Original-Recipient, then it is the failed recipient', () => {
    const dsn = 'Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; agent@b.fr\nOriginal-Recipient: rfc822;accueil@b.fr\nAction: failed\nStatus: 5.1.1';
    expect(detectBounce({ headers: { 'content-type': 'multipart/report; report-type=delivery-status; boundary=x' }, attachments: [{ contentType: 'message/delivery-status', content: dsn }] })?.failedRecipient).toBe('accueil@b.fr');
  });

  it('when an ARF feedback report arrives, then it is no bounce', () => {
    expect(detectBounce({ headers: { 'content-type': 'multipart/report; report-type=feedback-report; boundary=x' }, from: 'MAILER-DAEMON@x.example', subject: 'Undeliverable' })).toBeNull();
  });
});
