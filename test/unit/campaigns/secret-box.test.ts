import crypto from 'node:crypto';
import { SecretBoxError, isSealed, open, seal } from '../../../server/campaigns/secret-box';

const key = Buffer.alloc(32, 7);
const otherKey = Buffer.alloc(32, 8);

describe('secret-box', () => {
  it.each([
    ['a plain password', 'correct-horse'],
    ['an empty string', ''],
    ['unicode', 'mot de passe é€ 🔑'],
    ['a long value', 'x'.repeat(10_000)],
  ])('when %s is sealed, then it opens to the same value', (_label, plaintext) => {
    const sealed = seal(key, plaintext, 'ctx');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain(plaintext || '\u0000');
    expect(open(key, sealed, 'ctx')).toBe(plaintext);
  });

  it('when the same value is sealed twice, then the IVs and ciphertexts differ', () => {
    const a = seal(key, 'secret');
    const b = seal(key, 'secret');
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
  });

  const sealed = seal(key, 'secret', 'mailbox:1:smtp');
  const [v, iv, tag, ct] = sealed.split('.');
  const flip = (s: string) => {
    const b = Buffer.from(s, 'base64url');
    b[0] ^= 1;
    return b.toString('base64url');
  };
  it.each([
    ['another key', otherKey, sealed, 'mailbox:1:smtp'],
    ['another context', key, sealed, 'mailbox:2:smtp'],
    ['a tampered ciphertext', key, [v, iv, tag, flip(ct)].join('.'), 'mailbox:1:smtp'],
    ['a tampered tag', key, [v, iv, flip(tag), ct].join('.'), 'mailbox:1:smtp'],
    ['a tampered IV', key, [v, flip(iv), tag, ct].join('.'), 'mailbox:1:smtp'],
    ['an unknown version', key, ['v9', iv, tag, ct].join('.'), 'mailbox:1:smtp'],
    ['a truncated value', key, [v, iv, tag].join('.'), 'mailbox:1:smtp'],
    ['a plain string', key, 'secret', 'mailbox:1:smtp'],
  ])('when opened with %s, then it throws SecretBoxError', (_label, k, value, ctx) => {
    expect(() => open(k, value, ctx)).toThrow(SecretBoxError);
  });

  it('when the key is not 32 bytes, then sealing and opening refuse', () => {
    expect(() => seal(Buffer.alloc(16), 'x')).toThrow(/32 bytes/);
    expect(() => open(crypto.randomBytes(31), sealed)).toThrow(/32 bytes/);
  });

  it('when a value is not sealed, then isSealed says so', () => {
    expect(isSealed('hunter2')).toBe(false);
    expect(isSealed(null)).toBe(false);
  });
});
