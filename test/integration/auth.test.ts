/** Logging in and out, sessions, CSRF, rate limits, invitations and personal API tokens. */
import request from 'supertest';
import { MAX_FAILURES_PER_ACCOUNT, createApiToken } from '../../server/auth/auth.service';
import { createTestContext, type TestContext } from '../helpers/app';
import { browser, createOrg, createUser, csrfFrom, loggedIn } from '../helpers/factories';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('login', () => {
  it('when the password is right, then a session cookie is set HttpOnly and SameSite=Lax and the home page shows the organisation', async () => {
    const org = await createOrg(t.deps, 'Préfecture de la Savoie');
    const user = await createUser(t.deps, org.id, 'referent');
    const b = await browser(t.app);
    await b.page('/connexion');
    const res = await b.post('/connexion', { email: user.email.toUpperCase(), password: user.password });
    expect(res.status).toBe(303);
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('qm_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const home = await b.page('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain(org.name);
  });

  it('when the password is wrong, then 401 with the same message as for an unknown account', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const b = await browser(t.app);
    const wrong = await b.post('/connexion', { email: user.email, password: 'not-the-password' });
    const unknown = await b.post('/connexion', { email: 'nobody@test.qualimetre.fr', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(csrfFrom(wrong.text)).toBeTruthy();
    const msg = (html: string) => /<div class="fr-alert fr-alert--error[^>]*>\s*<p>([^<]+)/.exec(html)?.[1];
    expect(msg(wrong.text)).toBe(msg(unknown.text));
  });

  it('when an account failed too often, then even the right password is refused with 429 until the window passes', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const b = await browser(t.app);
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) expect((await b.post('/connexion', { email: user.email, password: 'wrong-wrong' })).status).toBe(401);
    expect((await b.post('/connexion', { email: user.email, password: user.password })).status).toBe(429);
    t.clock.advance(16 * 60_000);
    expect((await b.post('/connexion', { email: user.email, password: user.password })).status).toBe(303);
  });

  it('when a form is posted without the CSRF token, then 403 and nothing happens', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'referent');
    const b = await loggedIn(t.app, user);
    const res = await b.agent.post('/organisation/sites').type('form').set('Accept', 'text/html').send({ name: 'Sans jeton', kind: 'autre' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Le formulaire a expiré');
    const list = await b.page('/organisation/sites');
    expect(list.text).not.toContain('Sans jeton');
  });

  it('when the user logs out, then the session no longer works', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const b = await loggedIn(t.app, user);
    expect((await b.page('/organisation/sites')).status).toBe(200);
    expect((await b.post('/deconnexion')).status).toBe(303);
    const after = await b.page('/organisation/sites');
    expect(after.status).toBe(303);
    expect(after.headers.location).toMatch(/^\/connexion/);
  });

  it('when a deactivated user still holds a session, then it is refused', async () => {
    const org = await createOrg(t.deps);
    await createUser(t.deps, org.id, 'referent');
    const referent = await createUser(t.deps, org.id, 'referent');
    const viewer = await createUser(t.deps, org.id, 'viewer');
    const v = await loggedIn(t.app, viewer);
    const r = await loggedIn(t.app, referent);
    expect((await r.post(`/organisation/utilisateurs/${viewer.id}`, { role: 'viewer' })).status).toBe(303);
    expect((await v.page('/organisation/sites')).status).toBe(303);
  });

  it('when the return address points elsewhere, then login redirects home (no open redirect)', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'viewer');
    const b = await browser(t.app);
    const res = await b.post('/connexion', { email: user.email, password: user.password, retour: '//evil.example/x' });
    expect(res.headers.location).toBe('/');
  });
});

describe('invitations', () => {
  it('when a referent invites someone, then the link lets them create an account with that role, once', async () => {
    const org = await createOrg(t.deps);
    const referent = await createUser(t.deps, org.id, 'referent');
    const r = await loggedIn(t.app, referent);
    const res = await r.post('/organisation/utilisateurs', { email: 'nouvelle.agente@test.qualimetre.fr', role: 'viewer' });
    expect(res.status).toBe(201);
    const link = /data-testid="invitation-link">([^<]+)</.exec(res.text)![1];
    const path = new URL(link).pathname;
    const guest = await browser(t.app);
    const form = await guest.page(path);
    expect(form.text).toContain(org.name);
    const weak = await guest.post(path, { displayName: 'Nouvelle Agente', password: 'short', confirm: 'short' });
    expect(weak.status).toBe(422);
    expect(weak.text).toContain('12 caractères');
    const ok = await guest.post(path, { displayName: 'Nouvelle Agente', password: 'un-mot-de-passe-solide', confirm: 'un-mot-de-passe-solide' });
    expect(ok.status).toBe(303);
    expect((await guest.page(path)).status).toBe(404);
    const logged = await loggedIn(t.app, { email: 'nouvelle.agente@test.qualimetre.fr', password: 'un-mot-de-passe-solide' });
    expect((await logged.page('/organisation/sites')).status).toBe(200);
    expect((await logged.page('/organisation/utilisateurs')).status).toBe(403);
  });

  it('when the last active referent would be demoted, then the form says why (422)', async () => {
    const org = await createOrg(t.deps);
    const referent = await createUser(t.deps, org.id, 'referent');
    const r = await loggedIn(t.app, referent);
    const res = await r.post(`/organisation/utilisateurs/${referent.id}`, { role: 'viewer', active: 'on' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('au moins un référent actif');
  });
});

describe('API tokens', () => {
  it('when a user creates a token, then it is shown once, works as Bearer with their role, and stops working once revoked', async () => {
    const org = await createOrg(t.deps);
    const referent = await createUser(t.deps, org.id, 'referent');
    const b = await loggedIn(t.app, referent);
    const created = await b.post('/compte/jetons', { name: 'tableur', role: 'viewer' });
    expect(created.status).toBe(201);
    const token = /data-testid="new-token">([^<]+)</.exec(created.text)![1];
    const list = await b.page('/compte/jetons');
    expect(list.text).not.toContain(token);
    const get = await request(t.app).get('/api/v1/sites').set('Authorization', `Bearer ${token}`);
    expect(get.status).toBe(200);
    // A viewer token cannot write even though its owner could.
    const post = await request(t.app).post('/api/v1/sites').set('Authorization', `Bearer ${token}`).send({ name: 'Nouveau', kind: 'autre' });
    expect(post.status).toBe(403);
    const id = /\/compte\/jetons\/([0-9a-f-]{36})\/revoquer/.exec(list.text)![1];
    expect((await b.post(`/compte/jetons/${id}/revoquer`)).status).toBe(303);
    expect((await request(t.app).get('/api/v1/sites').set('Authorization', `Bearer ${token}`)).status).toBe(401);
  });

  it('when a token is unknown or malformed, then 401 JSON', async () => {
    for (const h of ['Bearer qm_nope', 'Bearer', 'Basic abc']) {
      const res = await request(t.app).get('/api/v1/sites').set('Authorization', h);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
    expect((await request(t.app).get('/api/v1/sites')).status).toBe(401);
  });

  it('when a user is demoted, then their referent token stops working', async () => {
    const org = await createOrg(t.deps);
    await createUser(t.deps, org.id, 'referent');
    const target = await createUser(t.deps, org.id, 'referent');
    const other = await createUser(t.deps, org.id, 'referent');
    const token = (await createApiToken(t.deps, org.id, { userId: target.id, userRole: 'referent', name: 't', role: 'referent' })).token;
    expect((await request(t.app).get('/api/v1/sites').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    const r = await loggedIn(t.app, other);
    await r.post(`/organisation/utilisateurs/${target.id}`, { role: 'viewer', active: 'on' });
    expect((await request(t.app).get('/api/v1/sites').set('Authorization', `Bearer ${token}`)).status).toBe(401);
  });
});
