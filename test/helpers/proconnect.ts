/**
 * A real OpenID Provider (oidc-provider, certified) started in-process and configured like
 * ProConnect: one scope per claim (email given_name usual_name uid siret idp_id), `amr` in the
 * ID token through the claims parameter, `acr` eidas1, signed (JWT) userinfo, PKCE required,
 * RP-initiated logout with id_token_hint and state. Its login page is a minimal form of our own
 * (no consent step, as on ProConnect): the agent types its identifier.
 *
 * Also: a small HTTP driver that walks the provider's pages with fetch (for supertest tests).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadOidcProvider } from './oidc-provider.esm';

export interface Agent {
  sub: string;
  email: string;
  given_name: string;
  usual_name: string;
  uid: string;
  siret: string;
  idp_id: string;
  email_verified?: boolean;
}

export interface FakeProConnect {
  issuer: string;
  agents: Map<string, Agent>;
  /** The settings the app needs to use this provider. */
  env: Record<string, string>;
  /** Adds an agent known to ProConnect; returns it. */
  agent(partial?: Partial<Agent>): Agent;
  /** Replaces the signing key (a new `kid`): the relying party must refetch the JWKS. */
  rotateKeys(): void;
  /** How many logout requests carried a valid id_token_hint. */
  logouts: number;
  close(): Promise<void>;
}

export const CLIENT_ID = 'qualimetre-test';
const CLIENT_SECRET = crypto.randomBytes(24).toString('base64url');
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function signingKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...(privateKey.export({ format: 'jwk' }) as Record<string, string>), kid: crypto.randomBytes(6).toString('hex'), use: 'sig', alg: 'RS256' };
}

function page(title: string, body: string) {
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return new URLSearchParams(raw);
}

/** Starts the provider for an app reachable at `appUrl` (its PUBLIC_URL). */
export async function startProConnect(appUrl: string): Promise<FakeProConnect> {
  const { default: Provider } = await loadOidcProvider();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v2`;
  const agents = new Map<string, Agent>();
  let seq = 0;
  const keys = [signingKey()];

  const make = () => {
    const provider = new Provider(issuer, {
      clients: [{
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${appUrl}/proconnect/retour`],
        post_logout_redirect_uris: [`${appUrl}/proconnect/deconnexion`],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'RS256',
        userinfo_signed_response_alg: 'RS256',
      }],
      jwks: { keys: [...keys] },
      cookies: { keys: ['proconnect-test-cookie-key'] },
      scopes: ['openid', 'email', 'given_name', 'usual_name', 'uid', 'siret', 'idp_id'],
      claims: {
        openid: ['sub'], email: ['email', 'email_verified'], given_name: ['given_name'], usual_name: ['usual_name'],
        uid: ['uid'], siret: ['siret'], idp_id: ['idp_id'], amr: null, acr: null,
      },
      acrValues: ['eidas1'],
      ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
      pkce: { required: () => true },
      features: {
        devInteractions: { enabled: false },
        userinfo: { enabled: true },
        jwtUserinfo: { enabled: true },
        claimsParameter: { enabled: true },
        rpInitiatedLogout: {
          enabled: true,
          // ProConnect asks no confirmation when the RP sends id_token_hint: submit at once.
          logoutSource: async (ctx: { body: string }, form: string) => {
            ctx.body = page('Déconnexion de ProConnect', `${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Se déconnecter</button><script>document.getElementById('op.logoutForm').insertAdjacentHTML('beforeend','<input type="hidden" name="logout" value="yes">');document.getElementById('op.logoutForm').submit()</script>`);
          },
        },
      },
      findAccount: async (_ctx: unknown, sub: string) => {
        const a = agents.get(sub);
        if (!a) return undefined;
        return { accountId: sub, claims: async () => ({ ...a }) };
      },
      interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/api/v2/interaction/${interaction.uid}` },
    });
    provider.on('end_session.success', () => fake.logouts++);
    return provider;
  };
  let provider = make();
  let callback = provider.callback();

  server.on('request', async (req, res) => {
    const m = /^\/api\/v2\/interaction\/([\w-]+)$/.exec((req.url ?? '').split('?')[0]);
    if (!m) {
      // Mounted under the issuer's path, as ProConnect's (…/api/v2): oidc-provider reads the
      // mount point from originalUrl, as under Express.
      if (!req.url?.startsWith('/api/v2/')) {
        res.statusCode = 404;
        return res.end();
      }
      (req as http.IncomingMessage & { originalUrl?: string }).originalUrl = req.url;
      req.url = req.url.slice('/api/v2'.length);
      return callback(req, res);
    }
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET' && details.prompt.name === 'login') {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        return res.end(page('ProConnect (test)', `<form method="post" action="/api/v2/interaction/${esc(m[1])}"><label for="login">Identifiant de l’agent</label> <input id="login" name="login" autocomplete="off"> <button type="submit">Continuer</button></form>`));
      }
      const form = req.method === 'POST' ? await readForm(req) : new URLSearchParams();
      const accountId = details.prompt.name === 'login' ? form.get('login') ?? '' : String(details.session?.accountId ?? '');
      if (!agents.has(accountId)) {
        res.statusCode = 400;
        return res.end(page('ProConnect (test)', '<p>Identifiant inconnu.</p>'));
      }
      const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId, amr: ['pwd', 'mfa'], acr: 'eidas1' }, consent: { grantId } }, { mergeWithLastSubmission: false });
    } catch (err) {
      res.statusCode = 500;
      res.end(String((err as Error).message));
    }
  });

  const fake: FakeProConnect = {
    issuer,
    agents,
    logouts: 0,
    env: {
      PUBLIC_URL: appUrl,
      PROCONNECT_DISCOVERY_URL: `${issuer}/.well-known/openid-configuration`,
      PROCONNECT_CLIENT_ID: CLIENT_ID,
      PROCONNECT_CLIENT_SECRET: CLIENT_SECRET,
    },
    agent(partial = {}) {
      const n = `${process.pid.toString(36)}${(++seq).toString(36)}${crypto.randomBytes(2).toString('hex')}`;
      const a: Agent = {
        sub: `sub-${n}`, email: `agent-${n}@interieur.gouv.fr`, given_name: 'Camille', usual_name: `Agent${n}`,
        uid: `uid-${n}`, siret: '17740001400010', idp_id: 'fia1v2', ...partial,
      };
      agents.set(a.sub, a);
      return a;
    },
    rotateKeys() {
      keys.splice(0, keys.length, signingKey());
      provider = make();
      callback = provider.callback();
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  return fake;
}

// HTTP driver: walks the provider's pages like a browser would ---------------------------------

/** Cookies of the provider's origin, as a browser keeps them. */
export class CookieJar {
  private cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  store(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(i + 1));
    }
  }
}

async function go(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header() } });
  jar.store(res);
  return res;
}

/**
 * Follows the provider from the authorisation URL, logs in as `login`, and returns the URL the
 * provider sends the browser back to (our redirect URI with code and state).
 */
export async function loginAtProvider(authUrl: string, login: string, jar = new CookieJar()): Promise<URL> {
  let url = authUrl;
  for (let hops = 0; hops < 10; hops++) {
    if (url.includes('/proconnect/retour')) return new URL(url);
    const res = await go(jar, url);
    if (res.status === 200 && url.includes('/interaction/')) {
      const posted = await go(jar, url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ login }).toString() });
      if (posted.status !== 303 && posted.status !== 302) throw new Error(`provider login refused: ${posted.status} ${await posted.text()}`);
      url = new URL(posted.headers.get('location')!, url).href;
      continue;
    }
    const loc = res.headers.get('location');
    if (!loc) throw new Error(`provider stopped at ${res.status}: ${(await res.text()).slice(0, 300)}`);
    url = new URL(loc, url).href;
  }
  throw new Error('too many redirects at the provider');
}

/** Follows an end-session URL through the provider's logout page; returns where it sends back. */
export async function logoutAtProvider(endSessionUrl: string, jar: CookieJar): Promise<URL> {
  const res = await go(jar, endSessionUrl);
  const html = await res.text();
  const action = /<form id="op.logoutForm" method="post" action="([^"]+)"/.exec(html)?.[1];
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !xsrf) throw new Error(`no logout form: ${res.status} ${html.slice(0, 300)}`);
  const posted = await go(jar, new URL(action, endSessionUrl).href, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ xsrf, logout: 'yes' }).toString(),
  });
  let loc = posted.headers.get('location');
  let at = new URL(action, endSessionUrl).href;
  // oidc-provider may pass through its own success route first.
  for (let i = 0; loc && !loc.includes('/proconnect/deconnexion') && i < 5; i++) {
    at = new URL(loc, at).href;
    loc = (await go(jar, at)).headers.get('location');
  }
  if (!loc) throw new Error(`logout did not redirect back: ${posted.status}`);
  return new URL(loc, at);
}
