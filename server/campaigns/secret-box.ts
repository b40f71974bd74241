/**
 * Secrets at rest (mystery mailbox passwords): AES-256-GCM with the server's ENCRYPTION_KEY,
 * a random 12-byte IV per value and the 16-byte authentication tag.
 * Sealed form: `v1.<iv b64url>.<tag b64url>.<ciphertext b64url>`, safe in a text column.
 * An optional context (e.g. "mailbox:<id>:smtp") is bound as additional authenticated data, so a
 * sealed value copied to another row or field does not open.
 * Pure: no I/O; the key is passed in.
 */
import crypto from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

function checkKey(key: Buffer) {
  if (!Buffer.isBuffer(key) || key.length !== 32) throw new SecretBoxError('the encryption key must be 32 bytes');
}

export function seal(key: Buffer, plaintext: string, context = ''): string {
  checkKey(key);
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64url'), tag.toString('base64url'), ct.toString('base64url')].join('.');
}

export function open(key: Buffer, sealed: string, context = ''): string {
  checkKey(key);
  const parts = typeof sealed === 'string' ? sealed.split('.') : [];
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretBoxError('not a sealed value');
  const [, ivB64, tagB64, ctB64] = parts;
  const iv = Buffer.from(ivB64, 'base64url');
  const tag = Buffer.from(tagB64, 'base64url');
  const ct = Buffer.from(ctB64, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretBoxError('not a sealed value');
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]).toString('utf8');
  } catch {
    // Wrong key, wrong context or tampered value: GCM tells them apart from nothing else.
    throw new SecretBoxError('the sealed value cannot be opened (wrong key or altered value)');
  }
}

export function isSealed(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(`${VERSION}.`) && v.split('.').length === 4;
}
