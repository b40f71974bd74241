/**
 * ProConnect failures, classified (pure). Each message says in French which step of the login
 * failed, so an agent (or the help desk) knows whether to retry, to ask for an invitation or to
 * call ProConnect's support. No token, claim or provider body is ever put in a message.
 */
import { AppError } from '../errors';

export type ProConnectStep =
  | 'discovery' // fetching the provider's configuration
  | 'authorization' // the provider sent back an error instead of a code
  | 'state' // the response does not belong to the login this browser started
  | 'token' // exchanging the code for tokens (includes ID token checks)
  | 'userinfo' // reading the agent's identity
  | 'logout'; // building the logout request or checking its answer

export class ProConnectError extends AppError {
  constructor(status: number, code: string, message: string, public readonly step: ProConnectStep | 'account') {
    super(status, code, message);
    this.name = 'ProConnectError';
  }
}

const RETRY = 'Recommencez la connexion depuis la page d’accueil de Qualimètre.';

/** The fields of an openid-client / oauth4webapi error that classification reads. */
interface ErrorLike {
  name?: string;
  code?: string;
  error?: string;
  message?: string;
  cause?: unknown;
}

function claimOf(err: ErrorLike): string | undefined {
  // oauth4webapi puts { claim } (JWT claims) or { attribute } (JSON members) in the cause;
  // openid-client wraps that error once more.
  for (let c: unknown = err, depth = 0; c && typeof c === 'object' && depth < 4; c = (c as ErrorLike).cause, depth++) {
    const o = c as { claim?: unknown; attribute?: unknown };
    if (typeof o.claim === 'string') return o.claim;
    if (typeof o.attribute === 'string') return o.attribute;
  }
  return undefined;
}

function codeOf(err: unknown): string | undefined {
  for (let c: unknown = err, depth = 0; c && typeof c === 'object' && depth < 4; c = (c as ErrorLike).cause, depth++) {
    const code = (c as ErrorLike).code;
    if (typeof code === 'string' && code.startsWith('OAUTH_')) return code;
  }
  return undefined;
}

/** A network failure (connection refused, DNS, timeout) rather than an answer. */
export function isUnreachable(err: unknown): boolean {
  for (let c: unknown = err, depth = 0; c && typeof c === 'object' && depth < 5; c = (c as ErrorLike).cause, depth++) {
    const e = c as ErrorLike;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
    if (typeof e.code === 'string' && /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR_\w+)$/.test(e.code)) return true;
    if (e.name === 'TypeError' && e.message === 'fetch failed') return true;
  }
  return false;
}

/** Turns what a step threw into the error the agent sees. */
export function classifyProConnectError(step: ProConnectStep, err: unknown): ProConnectError {
  if (err instanceof ProConnectError) return err;
  const e = (err && typeof err === 'object' ? err : {}) as ErrorLike;
  if (isUnreachable(err)) {
    return new ProConnectError(503, 'proconnect_unreachable',
      `ProConnect est injoignable (étape : ${STEP_LABEL[step]}). Réessayez dans quelques minutes, ou connectez-vous avec votre mot de passe si votre organisation le permet.`, step);
  }
  if (step === 'authorization') {
    if (e.error === 'access_denied' || e.error === 'login_required' || e.error === 'interaction_required') {
      return new ProConnectError(401, 'proconnect_denied', `La connexion a été annulée ou refusée sur ProConnect (étape : ${STEP_LABEL.authorization}). ${RETRY}`, step);
    }
    return new ProConnectError(502, 'proconnect_authorization_error', `ProConnect a renvoyé une erreur (étape : ${STEP_LABEL.authorization}). ${RETRY}`, step);
  }
  const code = codeOf(err);
  const claim = claimOf(e);
  if (step === 'state' || claim === 'state') {
    return new ProConnectError(400, 'proconnect_state_mismatch',
      `La réponse de ProConnect ne correspond pas à la connexion commencée dans ce navigateur (étape : ${STEP_LABEL.state}). ${RETRY}`, 'state');
  }
  if (claim === 'nonce') {
    return new ProConnectError(400, 'proconnect_nonce_mismatch',
      `Le jeton d’identité reçu de ProConnect ne correspond pas à cette connexion (étape : vérification du jeton d’identité, nonce). ${RETRY}`, 'token');
  }
  if (code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED') {
    return new ProConnectError(502, 'proconnect_clock',
      `Le jeton de ProConnect est expiré ou daté dans le futur : l’horloge du serveur est peut-être décalée (étape : ${STEP_LABEL[step]}).`, step);
  }
  if (step === 'discovery') {
    return new ProConnectError(503, 'proconnect_unreachable',
      `La configuration de ProConnect n’a pas pu être lue (étape : ${STEP_LABEL.discovery}). Réessayez dans quelques minutes.`, step);
  }
  if (step === 'token' && (e.error === 'invalid_grant' || e.error === 'invalid_client')) {
    return new ProConnectError(502, 'proconnect_token_refused',
      `ProConnect a refusé l’échange du code de connexion (étape : ${STEP_LABEL.token}). ${RETRY}`, step);
  }
  return new ProConnectError(502, `proconnect_${step}_failed`, `La connexion avec ProConnect a échoué (étape : ${STEP_LABEL[step]}). ${RETRY}`, step);
}

export const STEP_LABEL: Record<ProConnectStep, string> = {
  discovery: 'lecture de la configuration de ProConnect',
  authorization: 'autorisation sur ProConnect',
  state: 'vérification du paramètre state',
  token: 'échange du code contre les jetons',
  userinfo: 'lecture de l’identité de l’agent',
  logout: 'déconnexion de ProConnect',
};

// Refusals that come from our side, once the agent is known to ProConnect -----------------------

export const emailNotVerified = () =>
  new ProConnectError(403, 'proconnect_email_not_verified',
    'ProConnect n’a pas confirmé votre adresse électronique (étape : vérification de l’adresse électronique). Faites-la vérifier auprès de votre fournisseur d’identité, puis recommencez.', 'account');

export const accountDeactivated = () =>
  new ProConnectError(403, 'account_deactivated',
    'Votre compte Qualimètre est désactivé (étape : vérification du compte). Demandez au référent qualité de votre préfecture de le réactiver.', 'account');

export const organisationDeactivated = () =>
  new ProConnectError(403, 'organisation_deactivated',
    'Votre organisation est désactivée sur Qualimètre (étape : vérification du compte) : plus aucun de ses comptes ne peut se connecter. Ses données sont conservées ; demandez à l’administrateur de la plateforme de la réactiver.', 'account');

export const insufficientAcr = () =>
  new ProConnectError(403, 'proconnect_acr',
    'Le niveau d’authentification fourni par ProConnect est insuffisant pour Qualimètre (étape : vérification du niveau d’authentification). Reconnectez-vous avec un moyen d’authentification plus fort.', 'token');

export const subjectConflict = () =>
  new ProConnectError(409, 'proconnect_subject_conflict',
    'Ce compte Qualimètre est déjà lié à une autre identité ProConnect (étape : rattachement du compte). Contactez le référent qualité de votre préfecture.', 'account');

export const invitationMismatch = (invited: string) =>
  new ProConnectError(403, 'proconnect_invitation_mismatch',
    `Cette invitation est adressée à ${invited} ; l’adresse fournie par ProConnect est différente (étape : acceptation de l’invitation). Connectez-vous à ProConnect avec ce compte, ou demandez une nouvelle invitation.`, 'account');

export const PROCONNECT_REQUIRED_MESSAGE =
  'Votre organisation exige la connexion avec ProConnect : utilisez le bouton « S’identifier avec ProConnect ».';
