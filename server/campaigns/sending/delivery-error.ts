/**
 * Classifies an SMTP sending failure: transient (retry later with backoff) or permanent (the
 * probe is marked failed with the server's own words).
 *
 * Rules, first match wins:
 * 1. Network and protocol-level failures without an SMTP reply (connection refused or reset,
 *    timeout, DNS, TLS handshake, socket): transient; the server never said no.
 * 2. 4xx replies: transient (RFC 5321 "transient negative completion").
 * 3. 5xx replies that are known to be transient in practice: an enhanced status 4.x.x inside
 *    a 5xx reply, greylisting, rate limits, "try again later", "temporarily", "too many
 *    connections", 503 bad sequence (a session problem, not a refusal of the message): transient.
 * 4. Other 5xx replies: permanent (unknown recipient 5.1.x, policy 5.7.x, authentication 535…).
 * 5. Anything else (no code at all): transient, bounded by the job's maximum attempts.
 *
 * Pure: takes the error's fields, returns a verdict; no I/O.
 */

export type DeliveryErrorKind = 'transient' | 'permanent';
export type DeliveryErrorCategory = 'network' | 'recipient' | 'authentication' | 'policy' | 'throttling' | 'server' | 'unknown';

export interface DeliveryErrorInput {
  /** nodemailer's code (ECONNECTION, ETIMEDOUT, EAUTH, EENVELOPE…) or a Node errno code. */
  code?: string | null;
  /** SMTP reply code (550, 421…). */
  responseCode?: number | null;
  /** The server's reply line(s). */
  response?: string | null;
  message?: string | null;
}

export interface DeliveryErrorVerdict {
  kind: DeliveryErrorKind;
  category: DeliveryErrorCategory;
  /** Enhanced status code found in the reply (5.1.1), or null. */
  status: string | null;
  /** What to show the referent: the server's words when there are some. */
  reason: string;
}

const NETWORK_CODES = new Set([
  'ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH',
  'ENETUNREACH', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EPROTOCOL',
]);

const TRANSIENT_TEXT = /\b(?:try\s+(?:again\s+)?later|greylist|grey-?listed|gray-?listed|temporar(?:y|ily)|rate[-\s]?limit|too\s+many\s+(?:connections|messages|recipients|requests)|throttl|please\s+retry|resources?\s+(?:temporarily\s+)?unavailable|insufficient\s+system\s+storage|service\s+(?:not\s+)?available|r[ée]essayez\s+plus\s+tard|temporairement)\b/i;

function enhancedStatus(text: string): string | null {
  const m = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/.exec(text);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : null;
}

function reasonText(input: DeliveryErrorInput): string {
  const words = (input.response || input.message || '').replace(/\s+/g, ' ').trim();
  return words.slice(0, 500) || (input.code ? `Erreur ${input.code}` : 'Erreur inconnue');
}

function permanentCategory(code: number, status: string | null, input: DeliveryErrorInput): DeliveryErrorCategory {
  if (input.code === 'EAUTH' || code === 535 || code === 534 || status?.startsWith('5.7.8')) return 'authentication';
  if (status?.startsWith('5.1.') || code === 550 || code === 553 || input.code === 'EENVELOPE') return 'recipient';
  if (status?.startsWith('5.7.')) return 'policy';
  return 'server';
}

export function classifyDeliveryError(input: DeliveryErrorInput): DeliveryErrorVerdict {
  const response = input.response ?? '';
  const status = enhancedStatus(response);
  const reason = reasonText(input);
  const code = typeof input.responseCode === 'number' && input.responseCode > 0 ? input.responseCode : null;

  if (code === null) {
    if (input.code && NETWORK_CODES.has(input.code)) return { kind: 'transient', category: 'network', status, reason };
    if (input.code === 'EAUTH' || input.code === 'ENOAUTH') return { kind: 'permanent', category: 'authentication', status, reason };
    return { kind: 'transient', category: 'unknown', status, reason };
  }
  if (code >= 400 && code < 500) {
    return { kind: 'transient', category: code === 421 || code === 450 || code === 451 || code === 452 ? 'throttling' : 'server', status, reason };
  }
  if (code >= 500 && code < 600) {
    if (status?.startsWith('4.') || TRANSIENT_TEXT.test(response) || code === 503) {
      return { kind: 'transient', category: 'throttling', status, reason };
    }
    return { kind: 'permanent', category: permanentCategory(code, status, input), status, reason };
  }
  return { kind: 'transient', category: 'unknown', status, reason };
}

/** What « tester la connexion » says when the SMTP check fails (French, precise). */
export function describeSmtpFailure(err: DeliveryErrorInput & { stage?: string | null }): string {
  const words = (err.response || err.message || '').replace(/\s+/g, ' ').trim().slice(0, 300);
  switch (err.code) {
    case 'ECONNREFUSED': return 'connexion refusée : vérifiez l’hôte et le port.';
    case 'EDNS': case 'ENOTFOUND': return 'hôte introuvable : vérifiez le nom du serveur.';
    case 'ETIMEDOUT': return 'le serveur ne répond pas (délai dépassé) : vérifiez l’hôte, le port et le pare-feu.';
    case 'ETLS': return `échec de la négociation TLS (${words}) : vérifiez le mode TLS (465 = TLS, 587 = STARTTLS).`;
    case 'EAUTH': return `authentification refusée par le serveur (${words || 'identifiant ou mot de passe incorrect'}).`;
    case 'ENOAUTH': return 'le serveur demande une authentification : indiquez l’identifiant et le mot de passe.';
    default: break;
  }
  if (/ECONNREFUSED/.test(err.message ?? '')) return 'connexion refusée : vérifiez l’hôte et le port.';
  if (/ENOTFOUND|EAI_AGAIN/.test(err.message ?? '')) return 'hôte introuvable : vérifiez le nom du serveur.';
  if (/ssl|tls|wrong version/i.test(err.message ?? '')) return `échec de la négociation TLS (${words}) : vérifiez le mode TLS et le port.`;
  return `échec (${words || err.code || 'erreur inconnue'}).`;
}
