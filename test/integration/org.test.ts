/** Sites, services and organisations: forms, API, roles. */
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg, createToken, createUser, loggedIn } from '../helpers/factories';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

describe('sites and services pages', () => {
  it('when a referent adds, edits and deletes a site, then the list follows, with a flash message each time', async () => {
    const org = await createOrg(t.deps);
    const b = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
    await b.page('/organisation/sites');
    const add = await b.post('/organisation/sites', { name: 'Accueil des étrangers', kind: 'accueil_etrangers', address: '12bis rue du 30ème RI, Annecy' });
    expect(add.status).toBe(303);
    let list = await b.page('/organisation/sites');
    expect(list.text).toContain('Le site est ajouté.');
    const id = /\/organisation\/sites\/([0-9a-f-]{36})/.exec(list.text)![1];
    expect((await b.post(`/organisation/sites/${id}`, { name: 'Accueil étrangers (12bis)', kind: 'accueil_etrangers', address: '' })).status).toBe(303);
    list = await b.page('/organisation/sites');
    expect(list.text).toContain('Accueil étrangers (12bis)');
    expect((await b.post(`/organisation/sites/${id}/supprimer`, { confirme: '1' })).status).toBe(303);
    list = await b.page('/organisation/sites');
    expect(list.text).not.toContain('Accueil étrangers (12bis)');
  });

  it('when a form is invalid, then it comes back with 422, the field errors and the values typed', async () => {
    const org = await createOrg(t.deps);
    const b = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
    await b.page('/organisation/services');
    const res = await b.post('/organisation/services', { name: 'Cabinet', emails: 'cabinet@exemple.test\npas-une-adresse', phones: '04 50 33 60 00' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Une des adresses électroniques est invalide.');
    expect(res.text).toContain('pas-une-adresse');
    expect(res.text).toContain('value="Cabinet"');
  });

  it('when a service has several addresses and numbers, then they are kept one per line', async () => {
    const org = await createOrg(t.deps);
    const b = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
    await b.page('/organisation/services');
    await b.post('/organisation/services', { name: 'Bureau de la citoyenneté', emails: 'a@exemple.test\r\nb@exemple.test', phones: '04 50 33 60 54\n+33 4 50 33 60 55' });
    const list = await b.page('/organisation/services');
    expect(list.text).toContain('a@exemple.test, b@exemple.test');
    expect(list.text).toContain('04 50 33 60 54, +33 4 50 33 60 55');
  });

  it('when a viewer opens the pages, then they read sites and services but cannot change them', async () => {
    const org = await createOrg(t.deps);
    const b = await loggedIn(t.app, await createUser(t.deps, org.id, 'viewer'));
    const page = await b.page('/organisation/sites');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Ajouter un site');
    expect((await b.post('/organisation/sites', { name: 'X', kind: 'autre' })).status).toBe(403);
    expect((await b.page('/organisation/utilisateurs')).status).toBe(403);
  });

  it('when an evaluator opens organisation pages, then 403 « Accès réservé »', async () => {
    const org = await createOrg(t.deps);
    const b = await loggedIn(t.app, await createUser(t.deps, org.id, 'evaluator'));
    expect((await b.page('/organisation/sites')).status).toBe(403);
    expect((await b.page('/organisation/services')).status).toBe(403);
  });
});

describe('API', () => {
  it('when a referent token creates, reads, updates and deletes a service, then each answer is JSON with the right status', async () => {
    const org = await createOrg(t.deps);
    const token = await createToken(t.deps, org.id, 'referent');
    const auth = { Authorization: `Bearer ${token}` };
    const created = await request(t.app).post('/api/v1/services').set(auth).send({ name: 'Standard', emails: [], phones: ['04 50 33 60 00'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Standard', phones: ['04 50 33 60 00'] });
    const id = created.body.id;
    expect((await request(t.app).get(`/api/v1/services/${id}`).set(auth)).body.name).toBe('Standard');
    const upd = await request(t.app).put(`/api/v1/services/${id}`).set(auth).send({ name: 'Standard unique', emails: ['standard@exemple.test'], phones: [] });
    expect(upd.status).toBe(200);
    expect(upd.body.emails).toEqual(['standard@exemple.test']);
    expect((await request(t.app).delete(`/api/v1/services/${id}`).set(auth)).status).toBe(204);
    expect((await request(t.app).get(`/api/v1/services/${id}`).set(auth)).status).toBe(404);
  });

  it('when the body is invalid, then 422 lists the reason per field', async () => {
    const org = await createOrg(t.deps);
    const token = await createToken(t.deps, org.id, 'referent');
    const res = await request(t.app).post('/api/v1/sites').set('Authorization', `Bearer ${token}`).send({ name: '', kind: 'château' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.details).sort()).toEqual(['kind', 'name']);
  });

  it('when an id is not a UUID, then 404 rather than a database error', async () => {
    const org = await createOrg(t.deps);
    const token = await createToken(t.deps, org.id, 'viewer');
    expect((await request(t.app).get('/api/v1/sites/abc').set('Authorization', `Bearer ${token}`)).status).toBe(404);
  });

  it('when asked who they are, then a token answers with its organisation and role', async () => {
    const org = await createOrg(t.deps);
    const token = await createToken(t.deps, org.id, 'viewer');
    const res = await request(t.app).get('/api/v1/organisation').set('Authorization', `Bearer ${token}`);
    expect(res.body).toMatchObject({ code: org.code, name: org.name, role: 'viewer' });
  });
});

describe('platform administration', () => {
  it('when an admin creates an organisation, then it is listed; a referent cannot reach the page', async () => {
    const admin = await loggedIn(t.app, await createUser(t.deps, null, 'admin'));
    await admin.page('/admin/organisations');
    const res = await admin.post('/admin/organisations', { code: '2A', name: 'Préfecture de Corse-du-Sud', holidayZone: 'metropole' });
    expect(res.status).toBe(303);
    expect((await admin.page('/admin/organisations')).text).toContain('Préfecture de Corse-du-Sud');
    const dup = await admin.post('/admin/organisations', { code: '2A', name: 'Doublon', holidayZone: 'metropole' });
    expect(dup.status).toBe(422);
    const org = await createOrg(t.deps);
    const referent = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
    expect((await referent.page('/admin/organisations')).status).toBe(403);
  });
});
