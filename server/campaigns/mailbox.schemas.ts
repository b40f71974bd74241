import { z } from 'zod';
import { SMTP_SECURITY } from '../storage/schema';
import { normaliseFingerprint, parseCaPem } from './mail-tls';

/** An HTML checkbox ('on') or a JSON boolean. */
export const checkbox = z
  .union([z.literal('on'), z.literal('true'), z.literal('false'), z.literal('1'), z.literal('0'), z.boolean()])
  .optional()
  .transform((v) => v === true || v === 'on' || v === 'true' || v === '1');

const host = z.string().trim().min(1, 'Indiquez le serveur.').max(253).regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:.]+\]$/, 'Nom de serveur invalide.');
const port = z.coerce.number({ message: 'Port invalide.' }).int('Port invalide.').min(1, 'Port invalide.').max(65535, 'Port invalide.');

const fingerprint = z.string().max(200).optional().transform((v, c) => {
  if (!v?.trim()) return null;
  const f = normaliseFingerprint(v);
  if (!f) {
    c.addIssue({ code: 'custom', message: 'Une empreinte SHA-256 compte 64 caractères hexadécimaux (0-9, A-F), séparés ou non par « : ».' });
    return z.NEVER;
  }
  return f;
});

export const mailboxSchema = z.object({
  displayName: z.string().trim().min(3, 'Indiquez le nom affiché (un nom de particulier).').max(120),
  address: z.string().trim().toLowerCase().email('Saisissez une adresse électronique valide.').max(254),
  smtpHost: host,
  smtpPort: port,
  smtpSecurity: z.enum(SMTP_SECURITY, { message: 'Choisissez le mode de sécurité SMTP.' }),
  smtpUser: z.string().trim().max(254).default(''),
  // Empty on edit = keep the stored password.
  smtpPassword: z.string().max(500).optional().transform((v) => v || undefined),
  imapHost: host,
  imapPort: port,
  imapTls: checkbox,
  imapUser: z.string().trim().min(1, 'Indiquez l’identifiant IMAP.').max(254),
  imapPassword: z.string().max(500).optional().transform((v) => v || undefined),
  // The assistant's single field, when it filled both servers: the same password for both.
  password: z.string().max(500).optional().transform((v) => v || undefined),
  inboxFolder: z.string().trim().min(1, 'Indiquez le dossier de réception.').max(200).default('INBOX'),
  sentFolder: z.string().trim().min(1, 'Indiquez le dossier des messages envoyés.').max(200).default('Sent'),
  serverSavesSent: checkbox,
  plusAddressing: checkbox,
  // Issue 14: the authority's certificate (PEM) and the pinned server certificates (SHA-256).
  tlsCaPem: z.string().max(50_000, 'Ce certificat est trop long.').optional().transform((v, c) => {
    if (!v?.trim()) return null;
    try {
      return parseCaPem(v);
    } catch (err) {
      c.addIssue({ code: 'custom', message: (err as Error).message });
      return z.NEVER;
    }
  }),
  smtpTlsPin: fingerprint,
  imapTlsPin: fingerprint,
});

export type MailboxInput = z.output<typeof mailboxSchema>;

export const SMTP_SECURITY_LABELS: Record<(typeof SMTP_SECURITY)[number], string> = {
  tls: 'TLS implicite (port 465)',
  starttls: 'STARTTLS (port 587)',
  none: 'Aucune (réseau local uniquement)',
};

/** « Accepter ce certificat »: the protocol and the fingerprint the referent saw. */
export const acceptCertificateSchema = z.object({
  protocol: z.enum(['smtp', 'imap'], { message: 'Protocole inconnu.' }),
  sha256: z.string().max(200).transform((v, c) => {
    const f = normaliseFingerprint(v);
    if (!f) {
      c.addIssue({ code: 'custom', message: 'Empreinte invalide.' });
      return z.NEVER;
    }
    return f;
  }),
});
