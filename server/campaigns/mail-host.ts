/**
 * Which hosts a mystery mailbox may connect to. A referent types the SMTP and IMAP hosts; left
 * unchecked, « Tester la connexion » and the worker would reach whatever they name (this
 * machine's loopback services, the prefecture's internal network): a port scanner run by any
 * referent. So every connection first resolves the host name once, refuses it when any of its
 * addresses is loopback, link-local, private, unique-local (or otherwise not routable) unless
 * the operator listed that network in MAIL_PRIVATE_NETWORKS, and then connects to the checked
 * address itself (the name stays the TLS server name), so a second, different DNS answer
 * cannot slip through between the check and the connection.
 */
import dns from 'node:dns';
import net from 'node:net';

/** Ranges that are never a public mail server. */
const NOT_PUBLIC_V4: [string, number][] = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];
const NOT_PUBLIC_V6: [string, number][] = [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['64:ff9b:1::', 48],
];

const notPublic = new net.BlockList();
for (const [a, p] of NOT_PUBLIC_V4) notPublic.addSubnet(a, p, 'ipv4');
for (const [a, p] of NOT_PUBLIC_V6) notPublic.addSubnet(a, p, 'ipv6');

/** `::ffff:10.0.0.1` and friends are IPv4 addresses in disguise. */
function normalise(ip: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return { address: mapped[1], family: 'ipv4' };
  return { address: ip, family: net.isIPv6(ip) ? 'ipv6' : 'ipv4' };
}

/** True for an address that is not a public Internet address (loopback, private, link-local…). */
export function isNonPublicAddress(ip: string): boolean {
  const { address, family } = normalise(ip);
  return notPublic.check(address, family);
}

/** The operator's exceptions: a comma-separated list of networks (`10.20.0.0/16, 127.0.0.1`). */
export interface MailHostPolicy {
  allowedPrivateNetworks: readonly string[];
}

/** Parses `MAIL_PRIVATE_NETWORKS`; throws with the bad entry's text. */
export function parseNetworks(value: string | undefined): string[] {
  const out: string[] = [];
  for (const raw of (value ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const [addr, bits, ...rest] = entry.split('/');
    const family = net.isIP(addr);
    const max = family === 6 ? 128 : 32;
    const prefix = bits === undefined ? max : Number(bits);
    if (!family || rest.length || !Number.isInteger(prefix) || prefix < 0 || prefix > max || (bits !== undefined && !/^\d+$/.test(bits))) {
      throw new Error(`not a network: "${entry}" (expected e.g. 10.20.0.0/16 or fd00::/8)`);
    }
    out.push(`${addr}/${prefix}`);
  }
  return out;
}

function allowList(policy: MailHostPolicy): net.BlockList {
  const list = new net.BlockList();
  for (const n of policy.allowedPrivateNetworks) {
    const [addr, bits] = n.split('/');
    list.addSubnet(addr, Number(bits), net.isIPv6(addr) ? 'ipv6' : 'ipv4');
  }
  return list;
}

export type MailHostFailure = 'unknown_host' | 'private_host';

export class MailHostError extends Error {
  constructor(public readonly reason: MailHostFailure, public readonly host: string) {
    super(reason === 'unknown_host' ? `host not found: ${host}` : `host not allowed: ${host}`);
    this.name = 'MailHostError';
  }
  /** nodemailer/imapflow-like code, so failure descriptions read it like theirs. */
  get code() {
    return this.reason === 'unknown_host' ? 'ENOTFOUND' : 'EHOSTPRIVATE';
  }
}

export type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;
const systemLookup: Lookup = (host) => dns.promises.lookup(host, { all: true, verbatim: true });

/**
 * Resolves a mail host and checks every address it resolves to (a name with one private
 * address among public ones is refused: the client might pick it). Returns the address to
 * connect to and the TLS server name (the host name, or none for an IP literal).
 */
export async function resolveMailHost(host: string, policy: MailHostPolicy, lookup: Lookup = systemLookup): Promise<{ address: string; servername: string | undefined }> {
  const literal = host.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (net.isIP(literal)) addresses = [literal];
  else {
    try {
      addresses = (await lookup(host)).map((a) => a.address);
    } catch {
      throw new MailHostError('unknown_host', host);
    }
    if (!addresses.length) throw new MailHostError('unknown_host', host);
  }
  const allowed = allowList(policy);
  for (const a of addresses) {
    const n = normalise(a);
    if (isNonPublicAddress(a) && !allowed.check(n.address, n.family)) throw new MailHostError('private_host', host);
  }
  return { address: normalise(addresses[0]).address, servername: net.isIP(literal) ? undefined : host };
}
