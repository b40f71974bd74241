/**
 * The OpenID Connect relying party for ProConnect, on openid-client (certified): discovery,
 * authorisation URL with PKCE, state and nonce, code exchange with ID token checks, the signed
 * (JWT) userinfo response, RP-initiated logout. Key rotation (a new `kid` refetches the JWKS)
 * and clock skew are left to the library. Every step's failure becomes a ProConnectError
 * naming that step (proconnect.errors.ts); nothing here logs a token or a claim.
 */
import type { ProConnectSettings } from '../config';
import { loadOpenIdClient, type OpenIdClient } from './proconnect.esm';
import { ProConnectError, classifyProConnectError, insufficientAcr, type ProConnectStep } from './proconnect.errors';

type Configuration = InstanceType<OpenIdClient['Configuration']>;

/** What the browser keeps (signed cookie) between leaving for ProConnect and coming back. */
export interface LoginTransaction {
  state: string;
  nonce: string;
  verifier: string;
}

/** The identity ProConnect vouches for, as the rest of the app needs it. */
export interface ProConnectIdentity {
  sub: string;
  email: string | null;
  emailVerified: boolean | undefined;
  givenName: string | null;
  usualName: string | null;
  uid: string | null;
  siret: string | null;
  idpId: string | null;
  amr: string[];
  acr: string | null;
  idToken: string;
}

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/;

async function step<T>(name: ProConnectStep, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw classifyProConnectError(name, err);
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

export class ProConnectClient {
  private config?: Promise<Configuration>;

  constructor(private readonly settings: ProConnectSettings) {}

  /** Discovery once per process; a failure is not cached, so the next login retries. */
  private configuration(): Promise<Configuration> {
    if (!this.config) {
      const s = this.settings;
      this.config = step('discovery', async () => {
        const oidc = await loadOpenIdClient();
        // Plain http only towards a provider on this machine (the tests' in-process provider).
        const execute = [oidc.enableNonRepudiationChecks, ...(LOOPBACK.test(s.issuer) ? [oidc.allowInsecureRequests] : [])];
        return oidc.discovery(new URL(s.issuer), s.clientId, {
          client_secret: s.clientSecret,
          id_token_signed_response_alg: s.signingAlg,
          // ProConnect answers userinfo with a signed JWT: expect it, and verify its signature.
          userinfo_signed_response_alg: s.signingAlg,
        }, undefined, { execute, timeout: 10 });
      });
      this.config.catch(() => (this.config = undefined));
    }
    return this.config;
  }

  /** Starts a login: the URL to send the browser to, and what to remember until it returns. */
  async authorizationUrl(): Promise<{ url: string; tx: LoginTransaction }> {
    const oidc = await loadOpenIdClient();
    const config = await this.configuration();
    const tx: LoginTransaction = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
    const params: Record<string, string> = {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scopes,
      response_type: 'code',
      state: tx.state,
      nonce: tx.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(tx.verifier),
      code_challenge_method: 'S256',
      // ProConnect sends `amr` in the ID token only when asked through the claims parameter.
      claims: JSON.stringify({ id_token: { amr: { essential: true } } }),
    };
    if (this.settings.acrValues.length) params.acr_values = this.settings.acrValues.join(' ');
    return { url: oidc.buildAuthorizationUrl(config, params).href, tx };
  }

  /** Completes a login from the callback URL; throws a ProConnectError naming the failed step. */
  async callback(currentUrl: URL, tx: LoginTransaction): Promise<ProConnectIdentity> {
    const oidc = await loadOpenIdClient();
    const config = await this.configuration();
    const error = currentUrl.searchParams.get('error');
    const returnedState = currentUrl.searchParams.get('state');
    // Checked here first to name the step; openid-client checks it again below.
    if (returnedState !== tx.state) throw classifyProConnectError('state', new Error('state mismatch'));
    if (error) throw classifyProConnectError('authorization', { error });
    const tokens = await step('token', () =>
      oidc.authorizationCodeGrant(config, currentUrl, { pkceCodeVerifier: tx.verifier, expectedState: tx.state, expectedNonce: tx.nonce, idTokenExpected: true }),
    );
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw classifyProConnectError('token', new Error('no ID token'));
    const acr = str(claims.acr);
    if (this.settings.acrValues.length && (!acr || !this.settings.acrValues.includes(acr))) throw insufficientAcr();
    const info = await step('userinfo', () => oidc.fetchUserInfo(config, tokens.access_token, claims.sub));
    return {
      sub: claims.sub,
      email: str(info.email)?.toLowerCase() ?? null,
      emailVerified: typeof info.email_verified === 'boolean' ? info.email_verified : undefined,
      givenName: str(info.given_name),
      usualName: str(info.usual_name),
      uid: str(info.uid),
      siret: str(info.siret),
      idpId: str(info.idp_id),
      amr: Array.isArray(claims.amr) ? claims.amr.filter((a): a is string => typeof a === 'string') : [],
      acr,
      idToken: tokens.id_token,
    };
  }

  /** RP-initiated logout: the provider's end-session URL with id_token_hint and state. */
  async endSessionUrl(idToken: string, state: string): Promise<string> {
    const oidc = await loadOpenIdClient();
    const config = await this.configuration();
    return step('logout', async () =>
      oidc.buildEndSessionUrl(config, { id_token_hint: idToken, state, post_logout_redirect_uri: this.settings.postLogoutRedirectUri }).href,
    );
  }

  async randomState(): Promise<string> {
    return (await loadOpenIdClient()).randomState();
  }
}

const clients = new WeakMap<ProConnectSettings, ProConnectClient>();

/** One client (and one discovery cache) per configuration. */
export function proconnectClient(settings: ProConnectSettings): ProConnectClient {
  let c = clients.get(settings);
  if (!c) clients.set(settings, (c = new ProConnectClient(settings)));
  return c;
}

export { ProConnectError };
