import { MailHostError, isNonPublicAddress, parseNetworks, resolveMailHost, type Lookup } from '../../../server/campaigns/mail-host';

const nonPublic: [string, boolean][] = [
  ['127.0.0.1', true], ['127.10.0.5', true], ['10.1.2.3', true], ['172.16.0.1', true], ['172.31.255.255', true], ['172.32.0.1', false],
  ['192.168.1.10', true], ['169.254.169.254', true], ['100.64.0.1', true], ['0.0.0.0', true], ['224.0.0.1', true],
  ['::1', true], ['::', true], ['fe80::1', true], ['fd12:3456::1', true], ['fc00::1', true], ['::ffff:127.0.0.1', true], ['::ffff:10.0.0.1', true],
  ['8.8.8.8', false], ['193.50.50.1', false], ['2a01:cb00::1', false], ['::ffff:8.8.8.8', false],
];

describe('isNonPublicAddress', () => {
  it.each(nonPublic)('when the address is %s, then non-public is %s', (ip, expected) => {
    expect(isNonPublicAddress(ip)).toBe(expected);
  });
});

describe('parseNetworks', () => {
  it.each([
    ['', []], ['10.20.0.0/16', ['10.20.0.0/16']], ['127.0.0.1, ::1', ['127.0.0.1/32', '::1/128']], ['fd00::/8,192.168.0.0/24', ['fd00::/8', '192.168.0.0/24']],
  ])('when the setting is "%s", then the networks are %j', (value, expected) => {
    expect(parseNetworks(value)).toEqual(expected);
  });
  it.each(['localhost', '10.0.0.0/33', '10.0.0.0/x', '10.0.0/8', '::1/129', '1.2.3.4/8/9'])('when the setting is "%s", then it is refused', (value) => {
    expect(() => parseNetworks(value)).toThrow(/not a network/);
  });
});

describe('resolveMailHost', () => {
  const dns = (answers: Record<string, string[]>): Lookup => async (host) => {
    const a = answers[host];
    if (!a) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    return a.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const none = { allowedPrivateNetworks: [] };
  const lookup = dns({ 'mail.example.fr': ['193.50.50.1'], 'intranet.example.fr': ['10.20.1.5'], 'mixed.example.fr': ['193.50.50.1', '127.0.0.1'], 'v6.example.fr': ['fd00::25'] });

  it('when the host resolves to a public address, then that address is used and the name kept for TLS', async () => {
    await expect(resolveMailHost('mail.example.fr', none, lookup)).resolves.toEqual({ address: '193.50.50.1', servername: 'mail.example.fr' });
  });
  it.each(['intranet.example.fr', 'mixed.example.fr', 'v6.example.fr', '127.0.0.1', '[::1]', '169.254.169.254'])('when the host is %s and nothing is allowed, then it is refused as private', async (host) => {
    await expect(resolveMailHost(host, none, lookup)).rejects.toMatchObject({ reason: 'private_host', code: 'EHOSTPRIVATE' });
  });
  it('when the operator allows the network, then a private host is accepted, and only inside that network', async () => {
    const policy = { allowedPrivateNetworks: parseNetworks('10.20.0.0/16') };
    await expect(resolveMailHost('intranet.example.fr', policy, lookup)).resolves.toEqual({ address: '10.20.1.5', servername: 'intranet.example.fr' });
    await expect(resolveMailHost('127.0.0.1', policy, lookup)).rejects.toBeInstanceOf(MailHostError);
  });
  it('when the host does not resolve, then it is an unknown host', async () => {
    await expect(resolveMailHost('nowhere.example.fr', none, lookup)).rejects.toMatchObject({ reason: 'unknown_host', code: 'ENOTFOUND' });
  });
});
