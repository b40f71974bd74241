import {
  matchReply, normaliseMessageId, normaliseSubject, type IncomingForMatch, type MatchMethod, type ProbeCandidate,
} from '../../../server/campaigns/tracking/match-reply';

const at = (s: string) => new Date(s);
const probes: ProbeCandidate[] = [
  { id: 'p-sejour', messageId: '<qm.k7f3qa.1@citoyen.example>', token: 'k7f3qa', subject: 'Horaires d’ouverture du guichet', toAddress: 'sejour@haute-savoie.gouv.fr', sentAt: at('2019-05-15T08:00:00Z') },
  { id: 'p-urba', messageId: '<qm.m2x9rb.2@citoyen.example>', token: 'm2x9rb', subject: 'Question urbanisme', toAddress: 'urbanisme@haute-savoie.gouv.fr', sentAt: at('2019-05-16T08:00:00Z') },
  { id: 'p-urba-2', messageId: '<qm.z8w4tc.3@citoyen.example>', token: 'z8w4tc', subject: 'Question urbanisme', toAddress: 'urbanisme@haute-savoie.gouv.fr', sentAt: at('2019-06-03T08:00:00Z') },
  { id: 'p-asso', messageId: '<CAF=hand-sent@mail.example>', token: null, subject: 'Création d’une association', toAddress: 'associations@ddt.example', serviceAddresses: ['pref-associations@haute-savoie.gouv.fr'], sentAt: at('2019-05-20T08:00:00Z') },
  { id: 'p-planned', messageId: '<qm.notyet.4@citoyen.example>', token: 'notyet', subject: 'Rendez-vous titre de séjour', toAddress: 'rdv@haute-savoie.gouv.fr', sentAt: null },
];

type Row = [string, Partial<IncomingForMatch>, string | null, MatchMethod | null, boolean | null];
const base: IncomingForMatch = { receivedAt: at('2019-06-20T10:00:00Z') };

const table: Row[] = [
  ['In-Reply-To names a probe', { inReplyTo: '<qm.k7f3qa.1@citoyen.example>' }, 'p-sejour', 'in-reply-to', null],
  ['In-Reply-To differs only by case and brackets', { inReplyTo: 'QM.K7F3QA.1@CITOYEN.EXAMPLE' }, 'p-sejour', 'in-reply-to', null],
  ['In-Reply-To is a stranger, References holds ours', { inReplyTo: '<other@x>', references: ['<qm.m2x9rb.2@citoyen.example> <other@x>'] }, 'p-urba', 'references', null],
  ['References lists two of ours: the latest in the thread wins', { references: ['<qm.m2x9rb.2@citoyen.example>', '<qm.z8w4tc.3@citoyen.example>'] }, 'p-urba-2', 'references', null],
  ['a bounce carries the original Message-ID', { from: 'MAILER-DAEMON@mx.example', subject: 'Undelivered Mail', bounce: { originalMessageId: '<qm.k7f3qa.1@citoyen.example>' } }, 'p-sejour', 'bounce-message-id', null],
  ['the token is in a plus-address recipient', { recipients: ['camille.martin+m2x9rb@citoyen.example'] }, 'p-urba', 'token', null],
  ['the token is in the quoted text of a forward', { subject: 'TR: demande', from: 'agent@autre.example', text: 'Voir ci-dessous\n> Réf. z8w4tc\n> Bonjour' }, 'p-urba-2', 'token', null],
  ['the token only appears inside another word', { subject: 'xk7f3qax', from: 'a@nowhere.example' }, null, null, null],
  ['a bounce names the failed recipient only', { from: 'postmaster@mx.example', bounce: { failedRecipient: 'SEJOUR@haute-savoie.gouv.fr' } }, 'p-sejour', 'bounce-recipient', null],
  ['a bounce after a forward: the failed recipient was rewritten, the original To is the probe’s', { from: 'postmaster@mx.example', bounce: { failedRecipient: 'agent.parti@interieur.gouv.fr', otherRecipients: ['agent.parti@interieur.gouv.fr', 'sejour@haute-savoie.gouv.fr'] } }, 'p-sejour', 'bounce-recipient', null],
  ['a bounce naming only strangers', { from: 'postmaster@mx.example', bounce: { failedRecipient: 'x@nowhere.example', otherRecipients: ['y@nowhere.example'] } }, null, null, null],
  ['same subject after RE:, sender is another agent of the same domain', { subject: 'RE: Horaires d’ouverture du guichet', from: 'jean.dupont@haute-savoie.gouv.fr' }, 'p-sejour', 'subject', null],
  ['subject with TR: RE: [EXTERNE] and accents folded', { subject: 'TR: RE: [EXTERNE] horaires d\'ouverture du GUICHET', from: 'x@haute-savoie.gouv.fr' }, 'p-sejour', 'subject', null],
  ['subject matches two probes: the latest sent before the reply wins, ambiguous', { subject: 'Re: Question urbanisme', from: 'a@haute-savoie.gouv.fr' }, 'p-urba-2', 'subject', true],
  ['subject matches but the second probe was sent after the reply', { subject: 'AW: Question urbanisme', from: 'a@haute-savoie.gouv.fr', receivedAt: at('2019-05-20T10:00:00Z') }, 'p-urba', 'subject', false],
  ['an unknown subject from a service domain', { subject: 'Réponse: x', from: 'b@haute-savoie.gouv.fr' }, null, null, null],
  ['subject matches through the service’s other address domain', { subject: 'RE: Création d’une association', from: 'agent@haute-savoie.gouv.fr' }, 'p-asso', 'subject', null],
  ['subject matches but the sender domain is foreign', { subject: 'RE: Horaires d’ouverture du guichet', from: 'spam@elsewhere.example' }, null, null, null],
  ['subject matches but outside the time window', { subject: 'RE: Horaires d’ouverture du guichet', from: 'a@haute-savoie.gouv.fr', receivedAt: at('2019-09-20T10:00:00Z') }, null, null, null],
  ['a probe not sent yet is never matched on subject', { subject: 'RE: Rendez-vous titre de séjour', from: 'a@haute-savoie.gouv.fr' }, null, null, null],
  ['nothing at all', {}, null, null, null],
];

describe('matchReply', () => {
  it.each(table)('when %s, then the expected probe and method are found', (_label, incoming, probeId, method, ambiguous) => {
    const r = matchReply({ ...base, ...incoming }, probes);
    expect(r?.probeId ?? null).toBe(probeId);
    expect(r?.method ?? null).toBe(method);
    if (ambiguous !== null) expect(r?.ambiguous).toBe(ambiguous);
  });
});

describe('normaliseSubject', () => {
  it.each([
    ['RE: TR: Fwd: Horaires', 'horaires'],
    ['Re[2]: AW: WG: Horaires', 'horaires'],
    ['[SPAM] RE : Délai', 'delai'],
    ['  Réponse   automatique  ', 'reponse automatique'],
    ['', ''],
  ])('when the subject is %j, then it normalises to %j', (input, expected) => {
    expect(normaliseSubject(input)).toBe(expected);
  });
});

describe('normaliseMessageId', () => {
  it.each([
    ['<ABC@Host>', 'abc@host'],
    ['  abc@host ', 'abc@host'],
    ['', null],
    [null, null],
  ])('when given %j, then %j', (input, expected) => {
    expect(normaliseMessageId(input as string | null)).toBe(expected);
  });
});
