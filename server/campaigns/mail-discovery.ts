/**
 * The mailbox assistant: from an address, the SMTP/IMAP settings, tried in order
 *   (a) the presets of the providers prefectures and citizens use (mail-presets.json, checked
 *       at boot), on the address's domain or on its MX host for hosting providers;
 *   (b) RFC 6186 SRV records (`_submissions._tcp` / `_submission._tcp`, `_imaps._tcp` / `_imap._tcp`);
 *   (c) the Thunderbird-style autoconfig document of the domain.
 * Each look-up has a short timeout. DNS goes to the system's resolvers, or to the servers of
 * MAIL_DISCOVERY_DNS (our tests' stand-in); the autoconfig URLs come from MAIL_AUTOCONFIG_URLS.
 * An autoconfig host is checked like a mail host (mail-host.ts): the assistant is no way to
 * make the server fetch from the internal network.
 */
import dns from 'node:dns';
import { z } from 'zod';
import presetsJson from './mail-presets.json';
import { resolveMailHost, type MailHostPolicy } from './mail-host';

const security = z.enum(['tls', 'starttls', 'none']);
const presetSchema = z.object({
  providers: z.array(z.object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(1),
    domains: z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/)),
    mx: z.array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/)),
    smtp: z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535), security }),
    imap: z.object({ host: z.string().min(1), port: z.number().int().min(1).max(65535), tls: z.boolean() }),
    note: z.string().optional(),
  }).strict()).min(1),
});
export type Provider = z.infer<typeof presetSchema>['providers'][number];

/** Parses and checks the presets; throws listing every problem (called when the router is built). */
export function loadPresets(json: unknown = presetsJson): Provider[] {
  const { $comment: _c, ...rest } = json as Record<string, unknown>;
  const parsed = presetSchema.safeParse(rest);
  if (!parsed.success) throw new Error(`mail-presets.json: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const seen = new Set<string>();
  for (const p of parsed.data.providers) for (const d of p.domains) {
    if (seen.has(d)) throw new Error(`mail-presets.json: domain ${d} listed twice`);
    seen.add(d);
  }
  return parsed.data.providers;
}

export interface DiscoveredSettings {
  smtpHost: string;
  smtpPort: number;
  smtpSecurity: 'tls' | 'starttls' | 'none';
  smtpUser: string;
  imapHost: string;
  imapPort: number;
  imapTls: boolean;
  imapUser: string;
}

export interface Discovery {
  source: 'preset' | 'srv' | 'autoconfig';
  /** Said to the referent: « préréglage Orange », « enregistrements DNS du domaine »… */
  sourceLabel: string;
  settings: DiscoveredSettings;
  note?: string;
}

export interface DiscoveryOptions {
  presets: Provider[];
  /** host:port of DNS servers; empty: the system's. */
  dnsServers: string[];
  /** URL templates with {domain} and {email}. */
  autoconfigUrls: string[];
  hostPolicy: MailHostPolicy;
  timeoutMs?: number;
}

export const DEFAULT_AUTOCONFIG_URLS = [
  'https://autoconfig.{domain}/mail/config-v1.1.xml?emailaddress={email}',
  'https://{domain}/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress={email}',
];

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}

const settingsOf = (email: string, smtp: Provider['smtp'], imap: Provider['imap']): DiscoveredSettings => ({
  smtpHost: smtp.host, smtpPort: smtp.port, smtpSecurity: smtp.security, smtpUser: email,
  imapHost: imap.host, imapPort: imap.port, imapTls: imap.tls, imapUser: email,
});

/** (b) RFC 6186: the first usable SRV answer of each kind (priority, then weight). */
async function fromSrv(resolver: dns.promises.Resolver, email: string, domain: string, ms: number): Promise<DiscoveredSettings | null> {
  const first = async (names: [string, boolean][]) => {
    for (const [name, tls] of names) {
      try {
        const records = (await withTimeout(resolver.resolveSrv(`${name}.${domain}`), ms)).filter((r) => r.name && r.name !== '.' && r.port > 0);
        records.sort((a, b) => a.priority - b.priority || b.weight - a.weight);
        if (records[0]) return { host: records[0].name.replace(/\.$/, ''), port: records[0].port, tls };
      } catch {
        // No such record (or no answer in time): try the next name.
      }
    }
    return null;
  };
  const [smtp, imap] = await Promise.all([first([['_submissions._tcp', true], ['_submission._tcp', false]]), first([['_imaps._tcp', true], ['_imap._tcp', false]])]);
  if (!smtp || !imap) return null;
  return settingsOf(email, { host: smtp.host, port: smtp.port, security: smtp.tls ? 'tls' : 'starttls' }, { host: imap.host, port: imap.port, tls: imap.tls });
}

const tag = (xml: string, name: string) => new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`, 'i').exec(xml)?.[1];

/** (c) The first IMAP and SMTP servers of a Thunderbird autoconfig document (pure). */
export function parseAutoconfig(xml: string, email: string): DiscoveredSettings | null {
  const server = (kind: 'incomingServer' | 'outgoingServer', type: string) =>
    new RegExp(`<${kind}\\s+type="${type}"\\s*>([\\s\\S]*?)</${kind}>`, 'i').exec(xml)?.[1];
  const imap = server('incomingServer', 'imap');
  const smtp = server('outgoingServer', 'smtp');
  if (!imap || !smtp) return null;
  const [local, domain] = [email.slice(0, email.lastIndexOf('@')), email.slice(email.lastIndexOf('@') + 1)];
  const user = (block: string) => (tag(block, 'username') ?? '%EMAILADDRESS%').replace(/%EMAILADDRESS%/g, email).replace(/%EMAILLOCALPART%/g, local).replace(/%EMAILDOMAIN%/g, domain);
  const port = (block: string) => Number(tag(block, 'port'));
  const host = (block: string) => tag(block, 'hostname')?.replace(/%EMAILDOMAIN%/g, domain);
  const imapHost = host(imap);
  const smtpHost = host(smtp);
  if (!imapHost || !smtpHost || !/^[A-Za-z0-9.-]+$/.test(imapHost) || !/^[A-Za-z0-9.-]+$/.test(smtpHost)) return null;
  if (!(port(imap) > 0 && port(imap) < 65536 && port(smtp) > 0 && port(smtp) < 65536)) return null;
  const smtpSocket = (tag(smtp, 'socketType') ?? '').toUpperCase();
  return {
    smtpHost, smtpPort: port(smtp), smtpSecurity: smtpSocket === 'SSL' ? 'tls' : smtpSocket === 'STARTTLS' ? 'starttls' : 'none', smtpUser: user(smtp),
    imapHost, imapPort: port(imap), imapTls: (tag(imap, 'socketType') ?? '').toUpperCase() === 'SSL', imapUser: user(imap),
  };
}

async function fromAutoconfig(email: string, domain: string, o: DiscoveryOptions, ms: number): Promise<DiscoveredSettings | null> {
  for (const template of o.autoconfigUrls) {
    const url = new URL(template.replace(/\{domain\}/g, domain).replace(/\{email\}/g, encodeURIComponent(email)));
    try {
      await resolveMailHost(url.hostname, o.hostPolicy);
      const res = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(ms) });
      if (!res.ok) continue;
      const text = (await res.text()).slice(0, 64 * 1024);
      const found = parseAutoconfig(text, email);
      if (found) return found;
    } catch {
      // Unreachable, refused host, timeout: try the next place.
    }
  }
  return null;
}

/** The settings proposed for an address, or null when nothing is known. */
export async function discover(email: string, o: DiscoveryOptions): Promise<Discovery | null> {
  const at = email.lastIndexOf('@');
  if (at < 1) return null;
  const domain = email.slice(at + 1).toLowerCase();
  if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(domain)) return null;
  const ms = o.timeoutMs ?? 3000;
  const byDomain = o.presets.find((p) => p.domains.includes(domain));
  if (byDomain) return { source: 'preset', sourceLabel: `préréglage ${byDomain.name}`, settings: settingsOf(email, byDomain.smtp, byDomain.imap), note: byDomain.note };
  const resolver = new dns.promises.Resolver({ timeout: ms, tries: 1 });
  if (o.dnsServers.length) resolver.setServers(o.dnsServers);
  try {
    const mx = (await withTimeout(resolver.resolveMx(domain), ms)).map((r) => r.exchange.toLowerCase().replace(/\.$/, ''));
    const byMx = o.presets.find((p) => p.mx.some((suffix) => mx.some((h) => h === suffix || h.endsWith(`.${suffix}`))));
    if (byMx) return { source: 'preset', sourceLabel: `préréglage ${byMx.name} (d’après le serveur de courrier du domaine)`, settings: settingsOf(email, byMx.smtp, byMx.imap), note: byMx.note };
  } catch {
    // No MX answer: go on with SRV records.
  }
  const srv = await fromSrv(resolver, email, domain, ms);
  if (srv) return { source: 'srv', sourceLabel: 'enregistrements DNS du domaine (RFC 6186)', settings: srv };
  const auto = await fromAutoconfig(email, domain, o, ms);
  if (auto) return { source: 'autoconfig', sourceLabel: 'document de configuration publié par le domaine', settings: auto };
  return null;
}
