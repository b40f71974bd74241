/**
 * « Tester la connexion »: which step failed, in plain words. Pure.
 * Only the step is said (unknown host, address not allowed, refused, timeout, TLS, certificate,
 * authentication, folder), never what the server wrote: echoing a greeting or an error reply
 * would turn the test into a banner grabber (« SSH-2.0-OpenSSH… »), and the referent cannot act
 * on it anyway.
 */

export type CheckStep = 'unknown_host' | 'private_host' | 'refused' | 'timeout' | 'closed' | 'tls' | 'certificate' | 'authentication' | 'auth_required' | 'other';

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  authenticationFailed?: unknown;
  tlsFailed?: unknown;
  reason?: unknown;
}

const CERT_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED',
  'CERT_REVOKED', 'CERT_SIGNATURE_FAILURE', 'EPINMISMATCH',
]);

/** The failing step of an SMTP (nodemailer) or IMAP (imapflow) connection attempt. */
export function failedStep(err: unknown): CheckStep {
  const e = (err ?? {}) as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (code === 'EHOSTPRIVATE') return 'private_host';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EDNS' || /ENOTFOUND|EAI_AGAIN/.test(message)) return 'unknown_host';
  if (CERT_CODES.has(code) || [...CERT_CODES].some((c) => message.includes(c)) || /certificate|self.signed|altnames/i.test(message)) return 'certificate';
  if (e.authenticationFailed || code === 'EAUTH' || code === 'AUTHENTICATIONFAILED') return 'authentication';
  if (code === 'ENOAUTH') return 'auth_required';
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) return 'refused';
  if (['ETIMEDOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'ESOCKET_TIMEOUT'].includes(code) || /timed? ?out/i.test(message)) return 'timeout';
  if (code === 'ETLS' || e.tlsFailed || /ssl|tls|wrong version/i.test(message)) return 'tls';
  if (['ClosedAfterConnectTLS', 'ClosedAfterConnectText', 'ECONNRESET', 'EPROTOCOL', 'NoConnection'].includes(code) || /closed|ECONNRESET/i.test(message)) return 'closed';
  return 'other';
}

const TEXT: Record<CheckStep, (protocol: 'SMTP' | 'IMAP') => string> = {
  unknown_host: () => 'serveur introuvable : vérifiez son nom.',
  private_host: () => 'ce serveur est sur un réseau interne ou local, que Qualimètre n’est pas autorisé à joindre (l’administrateur peut l’autoriser par le réglage MAIL_PRIVATE_NETWORKS).',
  refused: () => 'connexion refusée : vérifiez l’hôte et le port.',
  timeout: () => 'le serveur ne répond pas (délai dépassé) : vérifiez le serveur, le port et le pare-feu.',
  closed: (p) => `le serveur a fermé la connexion : vérifiez le port et le réglage de sécurité (${p === 'IMAP' ? '993 = TLS, 143 = sans TLS' : '465 = TLS, 587 = STARTTLS'}).`,
  tls: (p) => `échec de la négociation du chiffrement : vérifiez le port et le réglage de sécurité (${p === 'IMAP' ? '993 = TLS, 143 = sans TLS' : '465 = TLS, 587 = STARTTLS'}).`,
  certificate: () => 'le certificat du serveur n’est pas reconnu : donnez le certificat de l’autorité qui l’a émis, ou acceptez celui que le serveur présente.',
  authentication: () => 'authentification refusée : identifiant ou mot de passe incorrect.',
  auth_required: () => 'le serveur demande une authentification : indiquez l’identifiant et le mot de passe.',
  other: () => 'la connexion a échoué.',
};

export function describeStep(protocol: 'SMTP' | 'IMAP', step: CheckStep): string {
  return `${protocol} : ${TEXT[step](protocol)}`;
}

/** The warning when IMAP went on without encryption (TLS unticked, no STARTTLS offered). */
export const IMAP_CLEARTEXT_WARNING = 'Attention : la connexion IMAP n’est pas chiffrée (le serveur ne propose pas STARTTLS) : le mot de passe et les messages circulent en clair.';
