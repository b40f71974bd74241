/**
 * Server secrets: SESSION_SECRET and ENCRYPTION_KEY from configuration, or, when unset on the
 * embedded default, generated once and kept in DATA_DIR/secrets.json (mode 0600).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';

export interface Secrets {
  sessionSecret: Buffer;
  encryptionKey: Buffer;
  generated: boolean;
}

export function loadSecrets(config: Config): Secrets {
  let stored: { sessionSecret?: string; encryptionKey?: string } = {};
  const file = path.join(config.dataDir, 'secrets.json');
  const needFile = !config.SESSION_SECRET || !config.ENCRYPTION_KEY;
  let generated = false;
  if (needFile) {
    if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (!stored.sessionSecret || !stored.encryptionKey) {
      stored.sessionSecret ??= crypto.randomBytes(32).toString('hex');
      stored.encryptionKey ??= crypto.randomBytes(32).toString('hex');
      fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
      generated = true;
    }
  }
  return {
    sessionSecret: Buffer.from(config.SESSION_SECRET ?? stored.sessionSecret!, 'utf8'),
    encryptionKey: Buffer.from(config.ENCRYPTION_KEY ?? stored.encryptionKey!, 'hex'),
    generated,
  };
}
