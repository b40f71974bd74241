import { loadPresets, parseAutoconfig } from '../../../server/campaigns/mail-discovery';

describe('loadPresets', () => {
  it('when the shipped presets file is read, then it is valid and covers the usual providers', () => {
    const names = loadPresets().map((p) => p.id);
    for (const id of ['orange', 'sfr', 'free', 'laposte', 'gmail', 'outlook', 'microsoft365', 'ovh', 'infomaniak']) expect(names).toContain(id);
  });
  it.each([
    ['a port out of range', { providers: [{ id: 'x', name: 'X', domains: ['x.fr'], mx: [], smtp: { host: 'h', port: 0, security: 'tls' }, imap: { host: 'h', port: 993, tls: true } }] }, /port/],
    ['an unknown security mode', { providers: [{ id: 'x', name: 'X', domains: ['x.fr'], mx: [], smtp: { host: 'h', port: 465, security: 'ssl' }, imap: { host: 'h', port: 993, tls: true } }] }, /security/],
    ['an unknown key', { providers: [{ id: 'x', name: 'X', domains: ['x.fr'], mx: [], smtp: { host: 'h', port: 465, security: 'tls' }, imap: { host: 'h', port: 993, tls: true }, pop: {} }] }, /pop|Unrecognized/],
    ['a domain listed twice', { providers: ['a', 'b'].map((id) => ({ id, name: id, domains: ['x.fr'], mx: [], smtp: { host: 'h', port: 465, security: 'tls' }, imap: { host: 'h', port: 993, tls: true } })) }, /x\.fr listed twice/],
  ])('when the file has %s, then loading it fails saying where', (_label, json, message) => {
    expect(() => loadPresets(json)).toThrow(message);
  });
});

describe('parseAutoconfig', () => {
  const doc = (imap: string, smtp: string) => `<clientConfig version="1.1"><emailProvider id="d.fr">${imap}${smtp}</emailProvider></clientConfig>`;
  const imap = '<incomingServer type="imap"><hostname>imap.d.fr</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>';
  const smtp = '<outgoingServer type="smtp"><hostname>smtp.%EMAILDOMAIN%</hostname><port>465</port><socketType>SSL</socketType><username>%EMAILLOCALPART%</username></outgoingServer>';
  it('when the document has an IMAP and an SMTP server, then both are read with the user names filled', () => {
    expect(parseAutoconfig(doc(imap, smtp), 'a.b@d.fr')).toEqual({
      smtpHost: 'smtp.d.fr', smtpPort: 465, smtpSecurity: 'tls', smtpUser: 'a.b', imapHost: 'imap.d.fr', imapPort: 993, imapTls: true, imapUser: 'a.b@d.fr',
    });
  });
  it('when a POP3 server comes first, then the IMAP one is still found', () => {
    const pop = '<incomingServer type="pop3"><hostname>pop.d.fr</hostname><port>995</port><socketType>SSL</socketType></incomingServer>';
    expect(parseAutoconfig(doc(pop + imap, smtp), 'a@d.fr')?.imapHost).toBe('imap.d.fr');
  });
  it.each([
    ['no IMAP server', doc('', smtp)],
    ['a host name with odd characters', doc(imap.replace('imap.d.fr', 'imap.d.fr/../x'), smtp)],
    ['a port out of range', doc(imap.replace('993', '99999'), smtp)],
    ['not XML at all', 'hello'],
  ])('when the document has %s, then nothing is proposed', (_label, xml) => {
    expect(parseAutoconfig(xml, 'a@d.fr')).toBeNull();
  });
});
