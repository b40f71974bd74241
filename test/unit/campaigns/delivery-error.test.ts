import { classifyDeliveryError, type DeliveryErrorInput } from '../../../server/campaigns/sending/delivery-error';

type Row = [string, DeliveryErrorInput, 'transient' | 'permanent', string, string | null];

const table: Row[] = [
  ['connection refused', { code: 'ECONNECTION', message: 'connect ECONNREFUSED 127.0.0.1:25' }, 'transient', 'network', null],
  ['timeout', { code: 'ETIMEDOUT', message: 'Greeting never received' }, 'transient', 'network', null],
  ['DNS failure', { code: 'EDNS', message: 'getaddrinfo ENOTFOUND smtp.example' }, 'transient', 'network', null],
  ['TLS failure', { code: 'ETLS' }, 'transient', 'network', null],
  ['421 service closing', { code: 'EENVELOPE', responseCode: 421, response: '421 4.7.0 Try again later, closing connection.' }, 'transient', 'throttling', '4.7.0'],
  ['451 greylisting', { responseCode: 451, response: '451 4.7.1 Greylisting in action, please come back later' }, 'transient', 'throttling', '4.7.1'],
  ['452 mailbox full temp', { responseCode: 452, response: '452 4.2.2 Mailbox full' }, 'transient', 'throttling', '4.2.2'],
  ['450 mailbox busy', { responseCode: 450, response: '450 Requested action not taken: mailbox busy' }, 'transient', 'throttling', null],
  ['550 with enhanced 4.x.x', { responseCode: 550, response: '550 4.4.7 Message expired, retrying' }, 'transient', 'throttling', '4.4.7'],
  ['554 rate limited', { responseCode: 554, response: '554 5.7.1 Rate limit exceeded for this sender' }, 'transient', 'throttling', '5.7.1'],
  ['550 too many connections', { responseCode: 550, response: '550 Too many connections from your host' }, 'transient', 'throttling', null],
  ['550 try again later (French)', { responseCode: 550, response: '550 Service temporairement indisponible, réessayez plus tard' }, 'transient', 'throttling', null],
  ['503 bad sequence', { responseCode: 503, response: '503 5.5.1 Error: need RCPT command' }, 'transient', 'throttling', '5.5.1'],
  ['550 user unknown', { code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 <x@prefecture.gouv.fr>: Recipient address rejected: User unknown' }, 'permanent', 'recipient', '5.1.1'],
  ['553 mailbox name not allowed', { responseCode: 553, response: '553 5.1.3 Bad recipient address syntax' }, 'permanent', 'recipient', '5.1.3'],
  ['554 policy rejection', { responseCode: 554, response: '554 5.7.1 Message rejected due to content restrictions' }, 'permanent', 'policy', '5.7.1'],
  ['535 auth failed', { code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Error: authentication failed' }, 'permanent', 'authentication', '5.7.8'],
  ['552 message too big', { responseCode: 552, response: '552 5.3.4 Message size exceeds fixed limit' }, 'permanent', 'server', '5.3.4'],
  ['EAUTH without reply', { code: 'EAUTH', message: 'Invalid login' }, 'permanent', 'authentication', null],
  ['unknown error', { message: 'Something odd' }, 'transient', 'unknown', null],
];

describe('classifyDeliveryError', () => {
  it.each(table)('when %s, then it is %s (%s, status %s)', (_label, input, kind, category, status) => {
    const v = classifyDeliveryError(input);
    expect(v.kind).toBe(kind);
    expect(v.category).toBe(category);
    expect(v.status).toBe(status);
  });

  it('when the server gave words, then the reason is the server’s words', () => {
    const v = classifyDeliveryError({ responseCode: 550, response: '550 5.1.1   User   unknown' });
    expect(v.reason).toBe('550 5.1.1 User unknown');
  });

  it('when there are no words, then the reason names the code', () => {
    expect(classifyDeliveryError({ code: 'ESOCKET' }).reason).toBe('Erreur ESOCKET');
  });
});
