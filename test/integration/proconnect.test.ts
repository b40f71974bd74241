/**
 * ProConnect login against a real OpenID Provider (oidc-provider) started in-process and
 * configured like ProConnect (test/helpers/proconnect.ts): who gets in, who does not, the
 * checks of state and nonce, signed userinfo, logout of both sessions, forced ProConnect.
 */
import net from 'node:net';
import { sql } from 'drizzle-orm';
import * as auth from '../../server/auth/auth.service';
import * as authStore from '../../server/auth/auth.store';
import { rows } from '../../server/storage/db';
import { createApp } from '../../server/app';
import { createLogger } from '../../server/logger';
import { createTestContext, testConfig, type TestContext } from '../helpers/app';
import { browser, createOrg, createUser, type Browser } from '../helpers/factories';
import { CookieJar, loginAtProvider, logoutAtProvider, startProConnect, type Agent, type FakeProConnect } from '../helpers/proconnect';

const APP = 'http://qualimetre.test';

/** A loopback port nobody listens on (connections are refused). */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
let t: TestContext;
let op: FakeProConnect;

beforeAll(async () => {
  op = await startProConnect(APP);
  t = await createTestContext({ config: op.env });
});
afterAll(async () => {
  await t?.close();
  await op?.close();
});

/** Clicks « S'identifier avec ProConnect »; returns the provider's authorisation URL. */
async function start(b: Browser, form: Record<string, string> = {}): Promise<URL> {
  await b.page('/connexion');
  const res = await b.post('/proconnect/connexion', form);
  expect(res.status).toBe(303);
  return new URL(res.headers.location);
}

/** The whole round trip; `tamper` may rewrite the URLs on the way, as an attacker would. */
async function proconnectLogin(b: Browser, agent: Agent, opts: { form?: Record<string, string>; tamperAuth?: (u: URL) => void; tamperCallback?: (u: URL) => void } = {}) {
  const authUrl = await start(b, opts.form);
  opts.tamperAuth?.(authUrl);
  const back = await loginAtProvider(authUrl.href, agent.sub);
  opts.tamperCallback?.(back);
  return b.agent.get(`${back.pathname}${back.search}`).set('Accept', 'text/html');
}

async function userByEmail(email: string) {
  return authStore.findUserByEmail(t.deps.db, email);
}

describe('the authorisation request', () => {
  it('when an agent starts a login, then the request carries PKCE (S256), state, nonce, the ProConnect scopes and amr through the claims parameter', async () => {
    const b = await browser(t.app);
    const u = await start(b);
    expect(u.href.startsWith(`${op.issuer}/auth?`)).toBe(true);
    const p = u.searchParams;
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe(op.env.PROCONNECT_CLIENT_ID);
    expect(p.get('redirect_uri')).toBe(`${APP}/proconnect/retour`);
    expect(p.get('scope')).toBe('openid email given_name usual_name uid siret idp_id');
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(p.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(p.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(JSON.parse(p.get('claims')!)).toEqual({ id_token: { amr: { essential: true } } });
  });

  it('when ProConnect is on, then pages allow forms to continue to the provider (CSP form-action), and only there', async () => {
    const res = await (await browser(t.app)).page('/connexion');
    const formAction = /form-action ([^;]+)/.exec(res.headers['content-security-policy'])![1].trim().split(/\s+/);
    expect(formAction).toEqual(["'self'", new URL(op.issuer).origin]);
  });

  it('when the login form is posted without the CSRF token, then 403 and no redirect to ProConnect', async () => {
    const b = await browser(t.app);
    await b.page('/connexion');
    const res = await b.agent.post('/proconnect/connexion').type('form').set('Accept', 'text/html').send({});
    expect(res.status).toBe(403);
  });
});

describe('who gets in', () => {
  it('when an existing user logs in with ProConnect for the first time, then they are matched by e-mail, remembered by sub, and get a fresh session', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'referent');
    const agent = op.agent({ email: user.email.toUpperCase() });
    const b = await browser(t.app);
    const res = await proconnectLogin(b, agent, { form: { retour: '/organisation/sites' } });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/organisation/sites');
    expect((res.headers['set-cookie'] as unknown as string[]).some((c) => c.startsWith('qm_session=') && /HttpOnly/.test(c))).toBe(true);
    expect((await userByEmail(user.email))?.proconnectSub).toBe(agent.sub);
    const home = await b.page('/');
    expect(home.text).toContain(org.name);
  });

  it('when the agent later changes e-mail at ProConnect, then the remembered sub still finds the account', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const agent = op.agent({ email: user.email });
    expect((await proconnectLogin(await browser(t.app), agent)).status).toBe(303);
    agent.email = `renamed-${agent.email}`;
    const b = await browser(t.app);
    expect((await proconnectLogin(b, agent)).status).toBe(303);
    expect((await b.page('/')).text).toContain(org.name);
  });

  it('when an unknown agent logs in, then a page explains whom to ask and no account is created', async () => {
    const agent = op.agent();
    const res = await proconnectLogin(await browser(t.app), agent);
    expect(res.status).toBe(403);
    expect(res.text).toContain('Aucun compte Qualimètre');
    expect(res.text).toContain('référent qualité');
    expect(res.headers['set-cookie']?.toString() ?? '').not.toContain('qm_session=');
    expect(await userByEmail(agent.email)).toBeUndefined();
  });

  it('when an unknown agent chooses « Se déconnecter de ProConnect », then ProConnect ends its session (id_token_hint, state) and sends them back', async () => {
    const agent = op.agent();
    const b = await browser(t.app);
    const authUrl = await start(b);
    const jar = new CookieJar();
    const back = await loginAtProvider(authUrl.href, agent.sub, jar);
    const refused = await b.agent.get(`${back.pathname}${back.search}`).set('Accept', 'text/html');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('action="/proconnect/abandon"');
    const res = await b.post('/proconnect/abandon');
    expect(res.status).toBe(303);
    const end = new URL(res.headers.location);
    expect(end.searchParams.get('id_token_hint')).toMatch(/^ey/);
    const before = op.logouts;
    const returned = await logoutAtProvider(end.href, jar);
    expect(op.logouts).toBe(before + 1);
    await b.agent.get(`${returned.pathname}${returned.search}`);
    expect((await b.page('/connexion')).text).toContain('Vous êtes déconnecté de Qualimètre et de ProConnect.');
    // The kept ID token was used once and is gone.
    expect((await b.post('/proconnect/abandon')).headers.location).toBe('/connexion');
  });

  it('when a deactivated user logs in, then refused with a message naming the step', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    await authStore.updateUser(t.deps.db, org.id, user.id, { active: false });
    const res = await proconnectLogin(await browser(t.app), op.agent({ email: user.email }));
    expect(res.status).toBe(403);
    expect(res.text).toContain('Votre compte Qualimètre est désactivé (étape : vérification du compte)');
    expect(res.headers['set-cookie']?.toString() ?? '').not.toContain('qm_session=');
  });

  it('when a user of a deactivated organisation logs in, then refused with a message saying so', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'referent');
    await t.deps.db.execute(sql`update organisations set deactivated_at = now() where id = ${org.id}`);
    const res = await proconnectLogin(await browser(t.app), op.agent({ email: user.email }));
    expect(res.status).toBe(403);
    expect(res.text).toContain('Votre organisation est désactivée sur Qualimètre');
    expect(res.headers['set-cookie']?.toString() ?? '').not.toContain('qm_session=');
  });

  it('when ProConnect says the e-mail is not verified, then refused and the account is not linked', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const res = await proconnectLogin(await browser(t.app), op.agent({ email: user.email, email_verified: false }));
    expect(res.status).toBe(403);
    expect(res.text).toContain('étape : vérification de l’adresse électronique');
    expect((await userByEmail(user.email))?.proconnectSub).toBeNull();
  });

  it('when the account is already linked to another ProConnect identity, then refused (409)', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    expect((await proconnectLogin(await browser(t.app), op.agent({ email: user.email }))).status).toBe(303);
    const impostor = op.agent({ email: user.email });
    const res = await proconnectLogin(await browser(t.app), impostor);
    expect(res.status).toBe(409);
    expect(res.text).toContain('rattachement du compte');
  });

  it('when an invitation is accepted through ProConnect, then the account is created with the invited role, no password, and the sub', async () => {
    const org = await createOrg(t.deps);
    const agent = op.agent({ given_name: 'Dominique', usual_name: 'Martin' });
    const token = await auth.invite(t.deps, org.id, null, agent.email, 'evaluator');
    const b = await browser(t.app);
    const page = await b.page(`/invitation/${token}`);
    expect(page.text).toContain('fr-connect--pro');
    const res = await proconnectLogin(b, agent, { form: { invitation: token } });
    expect(res.status).toBe(303);
    const user = await userByEmail(agent.email);
    expect(user).toMatchObject({ role: 'evaluator', orgId: org.id, displayName: 'Dominique Martin', passwordHash: null, proconnectSub: agent.sub });
    // Logged in: an evaluator's home is their calls of the day.
    const home = await b.agent.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Mes appels du jour');
    // The invitation is spent.
    expect((await b.page(`/invitation/${token}`)).status).toBe(404);
  });

  it('when the invitation was sent to another address, then refused and nothing is created', async () => {
    const org = await createOrg(t.deps);
    const agent = op.agent();
    const token = await auth.invite(t.deps, org.id, null, `autre-${agent.email}`, 'viewer');
    const res = await proconnectLogin(await browser(t.app), agent, { form: { invitation: token } });
    expect(res.status).toBe(403);
    expect(res.text).toContain('acceptation de l’invitation');
    expect(await userByEmail(agent.email)).toBeUndefined();
  });
});

describe('tampering and replay', () => {
  it('when the state coming back is not the one this browser sent, then refused naming the state step', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const res = await proconnectLogin(await browser(t.app), op.agent({ email: user.email }), { tamperCallback: (u) => u.searchParams.set('state', 'forged-state-value-0123456789') });
    expect(res.status).toBe(400);
    expect(res.text).toContain('étape : vérification du paramètre state');
  });

  it('when the callback comes to a browser that never started a login (login CSRF), then refused', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const authUrl = await start(await browser(t.app));
    const back = await loginAtProvider(authUrl.href, op.agent({ email: user.email }).sub);
    const victim = await browser(t.app);
    const res = await victim.agent.get(`${back.pathname}${back.search}`).set('Accept', 'text/html');
    expect(res.status).toBe(400);
    expect(res.text).toContain('proconnect_state_mismatch');
  });

  it('when the nonce was changed on the way to ProConnect, then the ID token is refused naming the nonce', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const res = await proconnectLogin(await browser(t.app), op.agent({ email: user.email }), { tamperAuth: (u) => u.searchParams.set('nonce', 'forged-nonce-0123456789abcdef') });
    expect(res.status).toBe(400);
    expect(res.text).toContain('nonce');
    expect(res.text).toContain('proconnect_nonce_mismatch');
  });

  it('when the PKCE challenge was replaced on the way, then the code exchange fails naming the step', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const res = await proconnectLogin(await browser(t.app), op.agent({ email: user.email }), { tamperAuth: (u) => u.searchParams.set('code_challenge', 'A'.repeat(43)) });
    expect(res.status).toBe(502);
    expect(res.text).toContain('étape : échange du code contre les jetons');
  });

  it('when a callback URL is replayed, then the second use is refused', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const b = await browser(t.app);
    const authUrl = await start(b);
    const back = await loginAtProvider(authUrl.href, op.agent({ email: user.email }).sub);
    expect((await b.agent.get(`${back.pathname}${back.search}`)).status).toBe(303);
    const again = await b.agent.get(`${back.pathname}${back.search}`).set('Accept', 'text/html');
    expect(again.status).toBe(400);
  });

  it('when the provider rotated its signing key, then logins still work (the library refetches the keys)', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const agent = op.agent({ email: user.email });
    expect((await proconnectLogin(await browser(t.app), agent)).status).toBe(303);
    op.rotateKeys();
    // openid-client refetches the provider's keys on an unknown `kid` once its cache is a
    // minute old: move the clock (Date only) past that.
    jest.useFakeTimers({ doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    try {
      jest.setSystemTime(Date.now() + 61_000);
      expect((await proconnectLogin(await browser(t.app), agent)).status).toBe(303);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('logout', () => {
  it('when a ProConnect user logs out, then our session ends and the browser goes to ProConnect with id_token_hint and state, then back', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const b = await browser(t.app);
    const authUrl = await start(b);
    const jar = new CookieJar();
    const back = await loginAtProvider(authUrl.href, op.agent({ email: user.email }).sub, jar);
    expect((await b.agent.get(`${back.pathname}${back.search}`)).status).toBe(303);
    await b.page('/');
    const before = op.logouts;
    const res = await b.post('/deconnexion');
    expect(res.status).toBe(303);
    const end = new URL(res.headers.location);
    expect(end.href.startsWith(`${op.issuer}/session/end?`)).toBe(true);
    expect(end.searchParams.get('id_token_hint')).toMatch(/^ey/);
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${APP}/proconnect/deconnexion`);
    const state = end.searchParams.get('state')!;
    expect(state).toMatch(/^[\w-]{20,}$/);
    // Our session is gone already.
    expect((await b.agent.get('/organisation/sites').set('Accept', 'text/html')).headers.location).toMatch(/^\/connexion/);
    const left = await t.deps.db.execute(sql`select count(*)::int as n from proconnect_sessions ps join sessions s on s.id = ps.session_id where s.user_id = ${user.id}`);
    expect(Number(rows<{ n: number }>(left)[0].n)).toBe(0);
    // ProConnect ends its own session and sends the browser back with the same state.
    const returned = await logoutAtProvider(end.href, jar);
    expect(op.logouts).toBe(before + 1);
    expect(returned.searchParams.get('state')).toBe(state);
    const done = await b.agent.get(`${returned.pathname}${returned.search}`);
    expect(done.status).toBe(303);
    expect((await b.page('/connexion')).text).toContain('Vous êtes déconnecté de Qualimètre et de ProConnect.');
  });

  it('when a password user logs out, then the usual logout happens (no detour through ProConnect)', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const b = await browser(t.app);
    await b.page('/connexion');
    expect((await b.post('/connexion', { email: user.email, password: user.password })).status).toBe(303);
    await b.page('/');
    const res = await b.post('/deconnexion');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/connexion');
  });
});

describe('ProConnect required for an organisation', () => {
  it('when an admin requires ProConnect, then password login is refused with a clear message and ProConnect login works', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'referent');
    const admin = await createUser(t.deps, null, 'admin');
    const a = await browser(t.app);
    await a.page('/connexion');
    expect((await a.post('/connexion', { email: admin.email, password: admin.password })).status).toBe(303);
    const list = await a.page('/admin/organisations');
    expect(list.text).toContain('Exiger ProConnect');
    expect((await a.post(`/admin/organisations/${org.id}/proconnect`, { required: '1' })).status).toBe(303);
    expect((await a.page('/admin/organisations')).text).toContain('ProConnect obligatoire');

    const b = await browser(t.app);
    await b.page('/connexion');
    const refused = await b.post('/connexion', { email: user.email, password: user.password });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Votre organisation exige la connexion avec ProConnect');
    expect(refused.text).toContain('fr-connect--pro');
    // A wrong password still reads as a wrong password (nothing learnt about the account).
    expect((await b.post('/connexion', { email: user.email, password: 'wrong-password-123' })).status).toBe(401);
    expect((await proconnectLogin(b, op.agent({ email: user.email }))).status).toBe(303);
  });

  it('when ProConnect is required, then an invitation can no longer be accepted with a password', async () => {
    const org = await createOrg(t.deps);
    await t.deps.db.execute(sql`update organisations set proconnect_required = true where id = ${org.id}`);
    const token = await auth.invite(t.deps, org.id, null, `invite-${Date.now()}@interieur.gouv.fr`, 'viewer');
    const b = await browser(t.app);
    const page = await b.page(`/invitation/${token}`);
    expect(page.text).toContain('fr-connect--pro');
    expect(page.text).not.toContain('name="password"');
    const res = await b.post(`/invitation/${token}`, { displayName: 'Nom Prénom', password: 'a-long-password-123', confirm: 'a-long-password-123' });
    expect(res.status).toBe(403);
  });

  it('when a non-admin posts the switch, then refused', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'referent');
    const b = await browser(t.app);
    await b.page('/connexion');
    await b.post('/connexion', { email: user.email, password: user.password });
    await b.page('/');
    expect((await b.post(`/admin/organisations/${org.id}/proconnect`, { required: '1' })).status).toBe(403);
  });
});

describe('authentication level (acr_values)', () => {
  it.each([
    ['eidas1', 303],
    ['eidas2', 403],
  ])('when PROCONNECT_ACR_VALUES is %s and ProConnect authenticated at eidas1, then %i', async (acr, status) => {
    const app = createApp({ ...t.deps, config: testConfig({ ...op.env, PROCONNECT_ACR_VALUES: acr }) });
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const b = await browser(app);
    await b.page('/connexion');
    const authUrl = new URL((await b.post('/proconnect/connexion')).headers.location);
    expect(authUrl.searchParams.get('acr_values')).toBe(acr);
    const back = await loginAtProvider(authUrl.href, op.agent({ email: user.email }).sub);
    const res = await b.agent.get(`${back.pathname}${back.search}`).set('Accept', 'text/html');
    expect(res.status).toBe(status);
    if (status === 403) expect(res.text).toContain('étape : vérification du niveau d’authentification');
  });
});

describe('logs', () => {
  it('when agents log in, are refused and log out, then the logs carry no token, no sub and no e-mail', async () => {
    const lines: string[] = [];
    const logger = createLogger('trace', { write: (l: string) => void lines.push(l) });
    const app = createApp({ ...t.deps, logger });
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const known = op.agent({ email: user.email });
    const unknown = op.agent();
    const b = await browser(app);
    await b.page('/connexion');
    const authUrl = new URL((await b.post('/proconnect/connexion')).headers.location);
    const back = await loginAtProvider(authUrl.href, known.sub);
    expect((await b.agent.get(`${back.pathname}${back.search}`)).status).toBe(303);
    await b.page('/');
    const end = new URL((await b.post('/deconnexion')).headers.location);
    const idToken = end.searchParams.get('id_token_hint')!;
    const other = await browser(app);
    await other.page('/connexion');
    const authUrl2 = new URL((await other.post('/proconnect/connexion')).headers.location);
    const back2 = await loginAtProvider(authUrl2.href, unknown.sub);
    expect((await other.agent.get(`${back2.pathname}${back2.search}`)).status).toBe(403);
    const tampered = new URL(back2.href);
    tampered.searchParams.set('state', 'x'.repeat(43));
    await other.agent.get(`${tampered.pathname}${tampered.search}`);

    const log = lines.join('');
    expect(log).toContain('ProConnect login');
    for (const secret of [idToken, known.sub, unknown.sub, known.email, unknown.email, back.searchParams.get('code')!, authUrl.searchParams.get('nonce')!]) {
      expect(log).not.toContain(secret);
    }
  });
});

describe('provider unreachable', () => {
  it('when the provider cannot be reached, then the login page says so naming the step, and password login still works', async () => {
    const closed = await freePort();
    // Same database, an app configured with a provider nobody answers for.
    const app = createApp({ ...t.deps, config: testConfig({ ...op.env, PROCONNECT_DISCOVERY_URL: `http://127.0.0.1:${closed}/api/v2/.well-known/openid-configuration` }) });
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const b = await browser(app);
    await b.page('/connexion');
    const res = await b.post('/proconnect/connexion');
    expect(res.status).toBe(503);
    expect(res.text).toContain('ProConnect est injoignable (étape : lecture de la configuration de ProConnect)');
    expect((await b.post('/connexion', { email: user.email, password: user.password })).status).toBe(303);
  });
});
