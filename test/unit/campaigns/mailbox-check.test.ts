import { describeStep, failedStep, type CheckStep } from '../../../server/campaigns/mailbox-check';

// Errors as nodemailer and imapflow raise them (codes and messages seen in their sources).
const table: [string, unknown, CheckStep][] = [
  ['a refused private address', { code: 'EHOSTPRIVATE', message: 'host not allowed: 127.0.0.1' }, 'private_host'],
  ['DNS failure (nodemailer)', { code: 'EDNS', message: 'getaddrinfo ENOTFOUND smtp.example' }, 'unknown_host'],
  ['DNS failure (imapflow)', { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND imap.example' }, 'unknown_host'],
  ['refused (nodemailer)', { code: 'ESOCKET', message: 'connect ECONNREFUSED 127.0.0.1:25' }, 'refused'],
  ['refused (imapflow)', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:143' }, 'refused'],
  ['greeting never received', { code: 'ETIMEDOUT', message: 'Greeting never received' }, 'timeout'],
  ['imapflow connect timeout', { code: 'CONNECT_TIMEOUT', message: 'Failed to establish connection in required time' }, 'timeout'],
  ['a banner that is not SMTP', { code: 'EPROTOCOL', message: 'Invalid greeting. response=SSH-2.0-OpenSSH_9.2p1 Debian-2: SSH-2.0-OpenSSH_9.2p1 Debian-2', response: 'SSH-2.0-OpenSSH_9.2p1' }, 'closed'],
  ['TLS to a plain port', { code: 'ESOCKET', message: '40E8:error:0A00010B:SSL routines:ssl3_get_record:wrong version number' }, 'tls'],
  ['STARTTLS missing but required', { code: 'ETLS', message: 'No STARTTLS' }, 'tls'],
  ['unknown authority', { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'unable to verify the first certificate' }, 'certificate'],
  ['self-signed', { code: 'ESOCKET', message: 'self-signed certificate in certificate chain' }, 'certificate'],
  ['wrong name', { code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: "Hostname/IP does not match certificate's altnames" }, 'certificate'],
  ['SMTP auth refused', { code: 'EAUTH', response: '535 5.7.8 Error: authentication failed: secret banner', message: 'Invalid login' }, 'authentication'],
  ['IMAP auth refused', { authenticationFailed: true, responseText: 'Authentication failed.', message: 'Command failed' }, 'authentication'],
  ['SMTP wants auth', { code: 'ENOAUTH', message: 'Missing credentials' }, 'auth_required'],
  ['server closed after TLS connect', { code: 'ClosedAfterConnectTLS', message: 'Connection closed' }, 'closed'],
  ['anything else', { message: 'Something odd: 220 banner text' }, 'other'],
  ['not even an object', 'boom', 'other'],
];

describe('failedStep', () => {
  it.each(table)('when %s, then the step is %s', (_label, err, step) => {
    expect(failedStep(err)).toBe(step);
  });
});

describe('describeStep', () => {
  it.each(table)('when %s, then the message says the step and nothing the server wrote', (_label, err, step) => {
    const text = describeStep('SMTP', failedStep(err));
    expect(text.startsWith('SMTP : ')).toBe(true);
    expect(text).not.toMatch(/SSH|banner|535|Authentication failed|ECONN|Invalid/);
    expect(describeStep('IMAP', step)).toMatch(/^IMAP : /);
  });
});
