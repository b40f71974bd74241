/**
 * The mailbox assistant: typing an address proposes the settings from the providers' presets,
 * the domain's SRV records (RFC 6186) or its autoconfig document, in that order. DNS goes to a
 * local stand-in (MAIL_DISCOVERY_DNS), autoconfig to a local HTTP server (MAIL_AUTOCONFIG_URLS).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { rows } from '../../../server/storage/db';
import { testConfig } from '../../helpers/app';
import { startDns, type DnsStandIn } from '../../helpers/dns';
import { loggedIn, type Browser } from '../../helpers/factories';
import { mailTestContext, type MailTestContext } from './setup';

let ctx: MailTestContext;
let referent: Browser;
let dns: DnsStandIn;
let web: http.Server;
const fetched: string[] = [];

const AUTOCONFIG = `<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="mairie-exemple.fr">
  <incomingServer type="imap"><hostname>imap.%EMAILDOMAIN%</hostname><port>993</port><socketType>SSL</socketType><username>%EMAILLOCALPART%</username></incomingServer>
  <outgoingServer type="smtp"><hostname>smtp.mairie-exemple.fr</hostname><port>587</port><socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username></outgoingServer>
</emailProvider></clientConfig>`;

beforeAll(async () => {
  dns = await startDns();
  web = http.createServer((req, res) => {
    fetched.push(req.url ?? '');
    if (req.url?.startsWith('/mairie-exemple.fr/')) res.writeHead(200, { 'Content-Type': 'text/xml' }).end(AUTOCONFIG);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  const port = (web.address() as AddressInfo).port;
  ctx = await mailTestContext({
    services: [], mailbox: false,
    config: { MAIL_DISCOVERY_DNS: dns.address, MAIL_AUTOCONFIG_URLS: `http://127.0.0.1:${port}/{domain}/config-v1.1.xml?emailaddress={email}` },
  });
  referent = await loggedIn(ctx.t.app, ctx.referent);
  dns.set('_submission._tcp.prefecture-test.fr', [{ type: 'SRV', priority: 0, weight: 1, port: 587, target: 'smtp.prefecture-test.fr' }]);
  dns.set('_imaps._tcp.prefecture-test.fr', [{ type: 'SRV', priority: 10, weight: 1, port: 993, target: 'imap2.prefecture-test.fr' }, { type: 'SRV', priority: 0, weight: 1, port: 993, target: 'imap.prefecture-test.fr' }]);
  dns.set('mon-domaine.fr', [{ type: 'MX', preference: 10, exchange: 'mx1.mail.ovh.net' }]);
}, 60_000);
afterAll(async () => {
  await dns?.close();
  await new Promise<void>((r) => (web ? web.close(() => r()) : r()));
  await ctx?.close();
});

const propose = async (address: string) => {
  const res = await referent.page(`/boites-mysteres?adresse=${encodeURIComponent(address)}`);
  expect(res.status).toBe(200);
  return res.text;
};
const value = (html: string, name: string) => new RegExp(`name="${name}" type="[a-z]+" value="([^"]*)"`).exec(html)?.[1];

describe('when the referent types an address and asks for the settings', () => {
  it('then a provider’s address gets its preset, with the servers behind « Réglages avancés » and one password field', async () => {
    const html = await propose('camille.martin74@orange.fr');
    expect(html).toContain('Réglages proposés d’après le préréglage Orange.');
    expect([value(html, 'smtpHost'), value(html, 'smtpPort'), value(html, 'imapHost'), value(html, 'imapPort'), value(html, 'smtpUser')]).toEqual(['smtp.orange.fr', '465', 'imap.orange.fr', '993', 'camille.martin74@orange.fr']);
    expect(html).toContain('<summary>Réglages avancés');
    expect(html).toContain('name="password"');
    expect(html).not.toContain('name="imapPassword"');
  });

  it('then a domain hosted by a provider is recognised by its mail server (MX)', async () => {
    const html = await propose('dominique@mon-domaine.fr');
    expect(html).toContain('préréglage OVHcloud');
    expect(value(html, 'smtpHost')).toBe('ssl0.ovh.net');
  });

  it('then a domain publishing SRV records gets them, the best priority first', async () => {
    const html = await propose('agent@prefecture-test.fr');
    expect(html).toContain('enregistrements DNS du domaine (RFC 6186)');
    expect([value(html, 'smtpHost'), value(html, 'smtpPort'), value(html, 'imapHost'), value(html, 'imapPort')]).toEqual(['smtp.prefecture-test.fr', '587', 'imap.prefecture-test.fr', '993']);
    expect(html).toMatch(/<option value="starttls" selected/);
    expect(dns.asked).toContain('_submission._tcp.prefecture-test.fr SRV');
  });

  it('then a domain with an autoconfig document gets its settings, the user name built from the address', async () => {
    const html = await propose('claude@mairie-exemple.fr');
    expect(html).toContain('document de configuration publié par le domaine');
    expect([value(html, 'imapHost'), value(html, 'imapUser'), value(html, 'smtpHost'), value(html, 'smtpUser')]).toEqual(['imap.mairie-exemple.fr', 'claude', 'smtp.mairie-exemple.fr', 'claude@mairie-exemple.fr']);
    expect(fetched.some((u) => u.startsWith('/mairie-exemple.fr/config-v1.1.xml?emailaddress=claude%40mairie-exemple.fr'))).toBe(true);
  });

  it('then an unknown domain leaves every field open and says so', async () => {
    const html = await propose('x@inconnu-nulle-part.fr');
    expect(html).toContain('Aucun réglage connu pour ce domaine');
    expect(html).not.toContain('<summary>Réglages avancés');
    expect(html).toContain('name="imapPassword"');
  });

  it('then the autoconfig look-up never reaches a host on a network the operator did not allow', async () => {
    const saved = ctx.t.deps.config;
    ctx.t.deps.config = testConfig({ ...{ MAIL_DISCOVERY_DNS: saved.MAIL_DISCOVERY_DNS, MAIL_AUTOCONFIG_URLS: saved.MAIL_AUTOCONFIG_URLS }, MAIL_PRIVATE_NETWORKS: '' });
    try {
      const before = fetched.length;
      const html = await propose('claude@mairie-exemple.fr');
      expect(html).toContain('Aucun réglage connu pour ce domaine');
      expect(fetched.length).toBe(before);
    } finally {
      ctx.t.deps.config = saved;
    }
  });

  it('then the mailbox saved from the assistant’s form keeps the one password for both servers', async () => {
    const html = await propose('camille.martin74@orange.fr');
    expect(html).toContain('Réglages avancés');
    const res = await referent.post('/boites-mysteres', {
      displayName: 'Camille Martin', address: 'camille.martin74@orange.fr', password: 'un-seul-mot-de-passe',
      smtpHost: value(html, 'smtpHost')!, smtpPort: value(html, 'smtpPort')!, smtpSecurity: 'tls', smtpUser: value(html, 'smtpUser')!,
      imapHost: value(html, 'imapHost')!, imapPort: value(html, 'imapPort')!, imapTls: 'on', imapUser: value(html, 'imapUser')!, inboxFolder: 'INBOX', sentFolder: 'Sent',
    });
    expect(res.status).toBe(303);
    const id = res.headers.location.split('/').pop();
    const [row] = rows<{ smtp: string | null; imap: string | null }>(await ctx.t.deps.db.execute(sql`select smtp_password_sealed as smtp, imap_password_sealed as imap from mystery_mailboxes where id = ${id}`));
    expect(row.smtp).toMatch(/^v1\./);
    expect(row.imap).toMatch(/^v1\./);
  });
});
