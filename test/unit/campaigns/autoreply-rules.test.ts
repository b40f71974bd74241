/** Table-driven tests of the automatic-reply rule tables (autoreply-rules.ts) through detectAutoReply. */
import { detectAutoReply } from '../../../server/campaigns/classification/autoreply';

describe('subjects, in French and other languages', () => {
  it.each<[string, 'acknowledgement' | 'out_of_office']>([
    ['Réponse automatique : Horaires', 'acknowledgement'],
    ['Automatic reply: Opening hours', 'acknowledgement'],
    ['Automatische Antwort: Horaires', 'acknowledgement'],
    ['Respuesta automática: Horaires', 'acknowledgement'],
    ['Risposta automatica: Horaires', 'acknowledgement'],
    ['Absence du bureau', 'out_of_office'],
    ['Absence : Horaires', 'out_of_office'],
    ['Out of Office: Opening hours', 'out_of_office'],
    ['Abwesenheitsnotiz: Horaires', 'out_of_office'],
    ['Accusé de réception de votre demande', 'acknowledgement'],
    ['Please confirm your message to info@town.example.org', 'acknowledgement'],
    ['[Ticket #12345] Horaires', 'acknowledgement'],
  ])('when the subject is « %s », then it is automatic (%s)', (subject, kind) => {
    const v = detectAutoReply({ headers: {}, subject });
    expect({ automatic: v.automatic, kind: v.kind }).toEqual({ automatic: true, kind });
  });

  it.each(['RE: Horaires', 'Re: Absence de réponse à ma demande ?', 'TR: Demande de rendez-vous', 'Réponse à votre question'])(
    'when the subject is « %s », then it alone says nothing',
    (subject) => {
      expect(detectAutoReply({ headers: {}, subject }).automatic).toBe(false);
    },
  );
});

describe('headers, strong and weak', () => {
  it.each<[Record<string, string>, boolean, string]>([
    [{ 'auto-submitted': 'auto-replied (zimbra; vacation)' }, true, 'header:auto-submitted=auto-replied'],
    [{ 'auto-submitted': 'no' }, false, ''],
    [{ 'x-autoreply': 'yes' }, true, 'header:x-autoreply'],
    [{ 'x-autorespond': 'Vacation' }, true, 'header:x-autorespond'],
    [{ 'x-mailer': 'Vacation 1.2.7' }, true, 'header:x-mailer=autoresponder'],
    [{ precedence: 'auto_reply' }, true, 'header:precedence=auto_reply'],
    [{ precedence: 'bulk', 'list-id': '<x.example>' }, false, 'header:precedence=bulk'],
    [{ 'return-path': '<>' }, false, 'header:null-return-path'],
    [{ 'return-path': '<>', 'x-ms-exchange-generated-message-source': 'Mailbox Rules Agent' }, true, 'combined-weak-signals'],
    [{ 'return-path': '<>', precedence: 'junk' }, true, 'combined-weak-signals'],
    [{ 'x-ms-exchange-inbox-rules-loop': 'a@b.fr' }, false, 'header:x-ms-exchange-inbox-rules-loop'],
  ])('when the headers are %j, then automatic = %s', (headers, automatic, reason) => {
    const v = detectAutoReply({ headers, subject: 'RE: Horaires', text: 'Le guichet ouvre à 8h30.' });
    expect(v.automatic).toBe(automatic);
    if (reason) expect(v.reasons).toContain(reason);
  });

  it('when one weak header sign meets an absence phrase, then it is an automatic absence notice', () => {
    const v = detectAutoReply({ headers: { 'return-path': '<>' }, subject: 'RE: Horaires', text: "Je suis absente jusqu'au 10 juin." });
    expect({ automatic: v.automatic, kind: v.kind }).toEqual({ automatic: true, kind: 'out_of_office' });
  });

  it("when a service's automatic « nous avons bien reçu » comes with a weak sign, then it is an acknowledgement", () => {
    const v = detectAutoReply({ headers: { precedence: 'bulk' }, subject: 'RE: Horaires', text: 'Nous avons bien reçu votre message. Il sera traité dans les meilleurs délais.' });
    expect({ automatic: v.automatic, kind: v.kind }).toEqual({ automatic: true, kind: 'acknowledgement' });
  });

  it('when the sender is a no-reply address, then it is automatic', () => {
    for (const from of ['ne-pas-repondre@interieur.gouv.fr', 'noreply@ants.gouv.fr', 'no.reply@example.fr', 'notifications@service.example']) {
      expect({ from, automatic: detectAutoReply({ headers: {}, from }).automatic }).toEqual({ from, automatic: true });
    }
  });
});

describe('sentences only machines write', () => {
  it.each([
    'Ceci est une réponse automatique, merci de ne pas y répondre.',
    'Ce message a été généré automatiquement.',
    'Merci de ne pas répondre à ce message.',
    'This is an automated response. Your request has been logged.',
    'This email was automatically generated.',
    'Please do not reply to this email.',
  ])('when the new text says « %s », then the message is automatic', (text) => {
    const v = detectAutoReply({ headers: {}, subject: 'RE: Horaires', text });
    expect({ automatic: v.automatic, reasons: v.reasons }).toEqual({ automatic: true, reasons: expect.arrayContaining(['body:automatic-message-phrase']) });
  });

  it.each([
    'Je vous réponds rapidement : le guichet ouvre à 8h30.',
    "Vous pouvez répondre à ce message pour compléter votre dossier.",
    'I will reply automatically to all future questions on this topic.',
  ])('when a person writes « %s », then it is not automatic', (text) => {
    expect(detectAutoReply({ headers: {}, subject: 'RE: Horaires', text }).automatic).toBe(false);
  });
});
