/** Pure parts of the per-mailbox TLS trust and of the plus-addressing check (issue 14). */
import { normaliseFingerprint, parseCaPem, tlsOptionsFor } from '../../../server/campaigns/mail-tls';
import { plusAddressOf, plusVerdict } from '../../../server/campaigns/plus-check';

const HEX = 'ab'.repeat(32);
const CANON = Array(32).fill('AB').join(':');

describe('normaliseFingerprint', () => {
  it.each([
    [HEX, CANON],
    [CANON, CANON],
    [CANON.toLowerCase(), CANON],
    [`SHA256:${HEX}`, CANON],
    [`sha-256 = ${HEX}`, CANON],
    [HEX.match(/../g)!.join(' '), CANON],
    [HEX.slice(2), null],
    [`${HEX}ab`, null],
    ['zz'.repeat(32), null],
    ['', null],
  ])('when given %p, then %p', (input, expected) => {
    expect(normaliseFingerprint(input)).toBe(expected);
  });
});

describe('parseCaPem', () => {
  it.each([
    ['bonjour', 'Collez un certificat au format PEM'],
    ['-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', 'Le certificat n° 1 est illisible'],
  ])('when the text is %p, then it is refused in French', (text, message) => {
    expect(() => parseCaPem(text)).toThrow(message);
  });
});

describe('tlsOptionsFor', () => {
  it('when nothing is set, then certificates are verified against the public authorities only', () => {
    expect(tlsOptionsFor(undefined)).toEqual({ rejectUnauthorized: true });
  });

  it('when a pin is set, then only a certificate with exactly that fingerprint passes the identity check', () => {
    const o = tlsOptionsFor({ pin: { sha256: CANON, pem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----' } }) as { rejectUnauthorized: boolean; allowPartialTrustChain: boolean; checkServerIdentity: (h: string, c: { fingerprint256: string }) => Error | undefined };
    expect(o.rejectUnauthorized).toBe(true);
    expect(o.allowPartialTrustChain).toBe(true);
    expect(o.checkServerIdentity('mail.example', { fingerprint256: CANON })).toBeUndefined();
    expect(o.checkServerIdentity('mail.example', { fingerprint256: CANON.replace(/^AB/, 'AC') })).toMatchObject({ code: 'EPINMISMATCH' });
  });
});

describe('plusVerdict', () => {
  it.each([
    [{ kind: 'delivered', address: 'a+qm1@x.fr' } as const, true, 'est bien arrivé dans la boîte'],
    [{ kind: 'refused', address: 'a+qm1@x.fr', response: '550 5.1.1 unknown' } as const, false, 'le serveur refuse l’adresse a+qm1@x.fr'],
    [{ kind: 'not_delivered', address: 'a+qm1@x.fr', waitedMs: 20_000 } as const, false, 'n’est pas arrivé dans la boîte après 20 s'],
    [{ kind: 'error' } as const, false, 'n’a pas pu être faite'],
  ])('when the outcome is %p, then ok=%p and it says %p', (outcome, ok, text) => {
    const v = plusVerdict(outcome);
    expect(v.ok).toBe(ok);
    expect(v.message).toContain(text);
  });

  it('when building the address, then the marker goes before the last @', () => {
    expect(plusAddressOf('camille.martin@orange.fr', 'qm12')).toBe('camille.martin+qm12@orange.fr');
  });
});
