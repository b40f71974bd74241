/**
 * Shared set-up of the mystery e-mail integration tests: a test app with an encryption key, a
 * real Dovecot with the mystery mailbox's account, an organisation with its services, a
 * referent, and the mystery mailbox configured through the real service.
 */
import crypto from 'node:crypto';
import { createTestContext, type TestContext } from '../../helpers/app';
import { destroyDovecot, startDovecot, type Dovecot, type DovecotUser } from '../../helpers/dovecot';
import { createOrg, createToken, createUser } from '../../helpers/factories';
import * as orgStore from '../../../server/org/org.store';
import * as mailboxService from '../../../server/campaigns/mailbox.service';
import { closeLockConnection } from '../../../server/campaigns/tracking/mailbox-lock';

export const MYSTERY = { user: 'camille.martin74@orange.example', password: 'mystere-secret-1', name: 'Camille Martin' };

export interface MailTestContext {
  t: TestContext;
  dovecot: Dovecot;
  orgId: string;
  referent: Awaited<ReturnType<typeof createUser>>;
  token: string;
  services: Map<string, { id: string; name: string; address: string }>;
  mailboxId: string;
  close(): Promise<void>;
}

export async function mailTestContext(opts: {
  services: { name: string; address: string }[];
  extraUsers?: DovecotUser[];
  smtp?: { host: string; port: number; user?: string; password?: string };
  serverSavesSent?: boolean;
  /** false: the test configures the mailbox itself (through the pages). */
  mailbox?: false;
  config?: Record<string, string>;
  /** Dovecot serves this certificate (STARTTLS on `port`, implicit TLS on `tlsPort`). */
  dovecotTls?: { certPem: string; keyPem: string };
}): Promise<MailTestContext> {
  const [t, dovecot] = await Promise.all([
    createTestContext({ config: opts.config }),
    startDovecot({ users: [{ user: MYSTERY.user, password: MYSTERY.password }, ...(opts.extraUsers ?? [])], tls: opts.dovecotTls }),
  ]);
  t.deps.encryptionKey = crypto.randomBytes(32);
  const org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  const referent = await createUser(t.deps, org.id, 'referent');
  const token = await createToken(t.deps, org.id, 'referent', referent.id);
  const services = new Map<string, { id: string; name: string; address: string }>();
  for (const s of opts.services) {
    const row = await orgStore.insertService(t.deps.db, org.id, { name: s.name, emails: [s.address], phones: [] });
    services.set(s.address, { id: row.id, name: s.name, address: s.address });
  }
  const mailbox = opts.mailbox === false ? { id: '' } : await mailboxService.createMailbox(t.deps, org.id, {
    displayName: MYSTERY.name, address: MYSTERY.user,
    smtpHost: opts.smtp?.host ?? '127.0.0.1', smtpPort: opts.smtp?.port ?? 2525, smtpSecurity: 'none',
    smtpUser: opts.smtp?.user ?? '', smtpPassword: opts.smtp?.password,
    imapHost: dovecot.host, imapPort: dovecot.port, imapTls: false, imapUser: MYSTERY.user, imapPassword: MYSTERY.password,
    inboxFolder: 'INBOX', sentFolder: 'Sent', serverSavesSent: opts.serverSavesSent ?? false, plusAddressing: false,
  });
  return {
    t, dovecot, orgId: org.id, referent, token, services, mailboxId: mailbox.id,
    async close() {
      await closeLockConnection(t.deps);
      await Promise.all([t.close(), destroyDovecot(dovecot)]);
    },
  };
}

/** A Paris wall-clock time of May–June 2019 (CEST, UTC+2). */
export const paris = (s: string) => new Date(`${s.replace(' ', 'T')}:00+02:00`);
