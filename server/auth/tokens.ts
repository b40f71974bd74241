/** Random tokens for cookies, invitations and API access; only their sha256 is stored. */
import crypto from 'node:crypto';

export function randomToken(prefix = ''): string {
  return prefix + crypto.randomBytes(32).toString('base64url');
}

export function sha256(value: string): string {
  return crypto.createHash('sha256').update(value).digest('hex');
}

export function hmacKey(secret: Buffer, value: string): string {
  return crypto.createHmac('sha256', secret).update(value).digest('hex');
}
