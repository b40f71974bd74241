/** The administrator creates, renames, deactivates an organisation and invites its first referent, without the CLI. */
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { browser, createOrg, createToken, createUser, loggedIn } from '../helpers/factories';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext({ config: { PUBLIC_URL: 'http://qualimetre.example.test' } });
}, 120_000);
afterAll(() => t?.close());

describe('when the administrator onboards an organisation', () => {
  it('then they create it, rename it, invite its first referent who signs in, and deactivating it (after a confirmation naming it) signs its users out', async () => {
    const admin = await loggedIn(t.app, await createUser(t.deps, null, 'admin'));
    const home = await admin.page('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Administration de la plateforme');
    expect((await admin.post('/admin/organisations', { code: '01', name: 'Préfecture de l’Ain', holidayZone: 'metropole' })).status).toBe(303);
    const list = await admin.page('/admin/organisations');
    const id = /href="\/admin\/organisations\/([0-9a-f-]{36})">Préfecture de l’Ain/.exec(list.text)![1];

    const renamed = await admin.post(`/admin/organisations/${id}`, { name: 'Préfecture de l’Ain (Bourg-en-Bresse)', holidayZone: 'metropole' });
    expect(renamed.status).toBe(303);
    expect((await admin.page(`/admin/organisations/${id}`)).text).toContain('Préfecture de l’Ain (Bourg-en-Bresse)');
    expect((await admin.post(`/admin/organisations/${id}`, { name: 'x', holidayZone: 'metropole' })).status).toBe(422);

    const invited = await admin.post(`/admin/organisations/${id}/referent`, { email: 'premier.referent@ain.test' });
    expect(invited.status).toBe(201);
    const link = /data-testid="invitation-link">http:\/\/qualimetre\.example\.test(\/invitation\/[^<]+)</.exec(invited.text)![1];
    const newcomer = await browser(t.app);
    await newcomer.page(link);
    expect((await newcomer.post(link, { displayName: 'Premier Référent', password: 'mot-de-passe-du-referent', confirm: 'mot-de-passe-du-referent' })).status).toBe(303);
    const referent = await loggedIn(t.app, { email: 'premier.referent@ain.test', password: 'mot-de-passe-du-referent' });
    expect((await referent.page('/')).text).toContain('Préfecture de l’Ain (Bourg-en-Bresse)');
    expect((await admin.page('/')).text).toContain('Premier Référent');

    const asked = await admin.post(`/admin/organisations/${id}/desactiver`);
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Désactiver l’organisation « Préfecture de l’Ain (Bourg-en-Bresse) » ?');
    expect((await referent.page('/')).status).toBe(200);
    expect((await admin.post(`/admin/organisations/${id}/desactiver`, { confirme: '1' })).status).toBe(303);
    expect((await referent.page('/')).status).toBe(303);
    expect((await admin.page('/')).text).toContain('Désactivée');
    expect((await admin.post(`/admin/organisations/${id}/reactiver`)).status).toBe(303);
    expect((await admin.page('/')).text).not.toContain('Désactivée');
  });

  it('when a user of a deactivated organisation logs in with the right password, then refused with a French message; a wrong password still reads as wrong', async () => {
    const org = await createOrg(t.deps);
    const user = await createUser(t.deps, org.id, 'referent');
    const admin = await loggedIn(t.app, await createUser(t.deps, null, 'admin'));
    await admin.post(`/admin/organisations/${org.id}/desactiver`, { confirme: '1' });
    const b = await browser(t.app);
    await b.page('/connexion');
    const refused = await b.post('/connexion', { email: user.email, password: user.password });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Votre organisation est désactivée sur Qualimètre');
    expect(refused.headers['set-cookie']?.toString() ?? '').not.toContain('qm_session=');
    expect((await b.post('/connexion', { email: user.email, password: 'wrong-password-123' })).status).toBe(401);
    await admin.post(`/admin/organisations/${org.id}/reactiver`);
    expect((await b.post('/connexion', { email: user.email, password: user.password })).status).toBe(303);
  });

  it('when a deactivated organisation’s token is used, then the API refuses it', async () => {
    const org = await createOrg(t.deps);
    const token = await createToken(t.deps, org.id, 'referent');
    expect((await request(t.app).get('/api/v1/organisation').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    const admin = await loggedIn(t.app, await createUser(t.deps, null, 'admin'));
    await admin.post(`/admin/organisations/${org.id}/desactiver`, { confirme: '1' });
    expect((await request(t.app).get('/api/v1/organisation').set('Authorization', `Bearer ${token}`)).status).toBe(401);
  });

  it('when a referent opens the administration, then 403 says whom it is for; an unknown organisation is 404', async () => {
    const org = await createOrg(t.deps);
    const referent = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
    const denied = await referent.page(`/admin/organisations/${org.id}`);
    expect(denied.status).toBe(403);
    expect(denied.text).toContain('Accès réservé aux administrateurs de la plateforme.');
    const admin = await loggedIn(t.app, await createUser(t.deps, null, 'admin'));
    const missing = await admin.page('/admin/organisations/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('Page introuvable');
    expect(missing.text).not.toMatch(/Code|not_found/);
  });
});
