/**
 * Legal pages and the processing register: defaults, the organisation's settings, the
 * versioned accessibility statement, the footer's links, and the register drawn from the same
 * source as the notices.
 */
import request from 'supertest';
import { complianceData } from '../../../server/compliance/processings';
import { createTestContext, type TestContext } from '../../helpers/app';
import { createOrg, createUser, loggedIn } from '../../helpers/factories';
import { parseFrenchCsv } from '../reports.fixtures';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

const footerLinks = (html: string) => [...html.matchAll(/class="fr-footer__bottom-link" href="([^"]+)">([^<]+)</g)].map((m) => [m[1], m[2]]);

describe('legal pages', () => {
  it('when nothing is set, then the pages use defaults naming the organisation and the footer says « non conforme »', async () => {
    const org = await createOrg(t.deps);
    const legal = await request(t.app).get(`/mentions-legales/${org.code}`);
    expect(legal.status).toBe(200);
    expect(legal.text).toContain(org.name);
    expect(legal.text).toContain(`Serveurs de l’État exploités par ${org.name}`);
    const a11y = await request(t.app).get(`/accessibilite/${org.code}`);
    expect(a11y.text).toContain('<strong>non conforme</strong>');
    expect(a11y.text).toContain('Défenseur des droits');
    expect(a11y.text).toContain('Critère 10.7');
    expect(footerLinks(a11y.text).slice(0, 3)).toEqual([
      [`/accessibilite/${org.code}`, 'Accessibilité : non conforme'], [`/mentions-legales/${org.code}`, 'Mentions légales'], [`/donnees-personnelles/${org.code}`, 'Données personnelles'],
    ]);
  });

  it('when the organisation code is unknown or malformed, then 404', async () => {
    expect((await request(t.app).get('/mentions-legales/999999')).status).toBe(404);
    expect((await request(t.app).get('/accessibilite/%3Cscript%3E')).status).toBe(404);
    expect((await request(t.app).get('/accessibilite/74/versions/abc')).status).toBe(404);
  });

  it('when a back-office page is shown, then its footer links to the user’s organisation’s legal pages', async () => {
    const org = await createOrg(t.deps);
    const b = await loggedIn(t.app, await createUser(t.deps, org.id, 'viewer'));
    const home = await b.page('/');
    expect(footerLinks(home.text)[0]).toEqual([`/accessibilite/${org.code}`, 'Accessibilité : non conforme']);
    // The login page (no organisation) links to the platform's pages.
    expect(footerLinks((await request(t.app).get('/connexion')).text)[0]).toEqual(['/accessibilite', 'Accessibilité : non conforme']);
  });

  it('when the referent publishes statements, then each is a version, the latest is shown and the footer follows', async () => {
    const org = await createOrg(t.deps);
    const b = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
    await b.page('/conformite');
    const refused = await b.post('/conformite/declaration', { status: 'total', rate: '', auditDate: '' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Sans audit (taux et date), la déclaration doit indiquer « non conforme ».');
    expect((await b.post('/conformite/declaration', { status: 'partiel', rate: '72.5', auditDate: '2026-10-01', auditor: 'Cabinet Access', pagesAudited: 'Borne\nConnexion', nonAccessible: 'Graphiques des bilans sans alternative', contact: 'accessibilite@pref.test' })).status).toBe(303);
    expect((await b.post('/conformite/declaration', { status: 'total', rate: '100', auditDate: '2026-11-20', auditor: 'Cabinet Access', pagesAudited: 'Borne', nonAccessible: '', contact: 'accessibilite@pref.test' })).status).toBe(303);
    const page = await request(t.app).get(`/accessibilite/${org.code}`);
    expect(page.text).toContain('<strong>totalement conforme</strong>');
    expect(page.text).toContain('<strong>100 %</strong>');
    expect(page.text).toContain('Versions précédentes');
    const v1 = await request(t.app).get(`/accessibilite/${org.code}/versions/1`);
    expect(v1.text).toContain('<strong>partiellement conforme</strong>');
    expect(v1.text).toContain('72,5 %');
    expect(v1.text).toContain('Graphiques des bilans sans alternative');
    expect(v1.text).toContain('remplacée depuis');
    expect(footerLinks((await b.page('/')).text)[0][1]).toBe('Accessibilité : totalement conforme');
  });

  it('when the referent sets the legal identity and a retention, then the notices and the register say the same', async () => {
    const org = await createOrg(t.deps);
    const b = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
    await b.page('/conformite');
    const bad = await b.post('/conformite/reglages', { 'ret:mail.agent-identity': 'douze' });
    expect(bad.status).toBe(422);
    expect((await b.post('/conformite/reglages', {
      publisher: 'Préfecture de la Haute-Savoie', publicationDirector: 'M. le préfet', host: 'SGAMI Sud-Est, Lyon', contactEmail: 'contact@pref.test',
      dpoContact: 'dpo@pref.test', 'ret:mail.agent-identity': '120',
    })).status).toBe(303);
    const legal = await request(t.app).get(`/mentions-legales/${org.code}`);
    expect(legal.text).toContain('SGAMI Sud-Est, Lyon');
    expect(legal.text).toContain('M. le préfet');
    const notices = await request(t.app).get(`/donnees-personnelles/${org.code}`);
    expect(notices.text).toContain('effacée 120 jours après la fin de la période de la campagne');
    expect(notices.text).toContain('dpo@pref.test');
    for (const p of complianceData().processings.processings) expect(notices.text).toContain(p.name.replace(/’/g, '’'));

    const csv = await b.agent.get('/conformite/registre.csv');
    expect(csv.status).toBe(200);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    const table = parseFrenchCsv(csv.text);
    expect(table[0][0]).toBe('Traitement');
    expect(table.length - 1).toBe(complianceData().processings.processings.length);
    const mail = table.find((r) => r[0] === 'Enquêtes mystères par courriel')!;
    expect(mail[1]).toContain('Préfecture de la Haute-Savoie');
    expect(mail[8]).toContain('effacée 120 jours après la fin de la période de la campagne');
    const reg = await b.page('/conformite/registre');
    expect(reg.text).toContain('effacée 120 jours après la fin de la période de la campagne');
  });

  it('when a referent publishes a statement, then only their own organisation’s changes, whatever the form says', async () => {
    const own = await createOrg(t.deps);
    const other = await createOrg(t.deps);
    const b = await loggedIn(t.app, await createUser(t.deps, own.id, 'referent'));
    await b.page('/conformite');
    // An organisation named in the form is not a parameter: the statement is the session's organisation's.
    const res = await b.post('/conformite/declaration', { status: 'partiel', rate: '60', auditDate: '2026-10-01', contact: 'a11y@own.test', orgId: other.id, code: other.code });
    expect(res.status).toBe(303);
    expect((await request(t.app).get(`/accessibilite/${own.code}`)).text).toContain('<strong>partiellement conforme</strong>');
    expect((await request(t.app).get(`/accessibilite/${other.code}`)).text).toContain('<strong>non conforme</strong>');
    // The other organisation has no version 1: its version page is 404, as an unknown one.
    expect((await request(t.app).get(`/accessibilite/${other.code}/versions/1`)).status).toBe(404);
    expect((await request(t.app).get(`/accessibilite/${own.code}/versions/1`)).status).toBe(200);
    expect((await request(t.app).get(`/accessibilite/${own.code}/versions/2`)).status).toBe(404);
  });

  it.each(['viewer', 'evaluator'] as const)('when a user with the role %s tries to publish a statement, then 403 « Accès réservé aux référents qualité » and nothing is published', async (role) => {
    const org = await createOrg(t.deps);
    const b = await loggedIn(t.app, await createUser(t.deps, org.id, role));
    const form = await b.page('/conformite');
    expect(form.status).toBe(403);
    const res = await b.post('/conformite/declaration', { status: 'total', rate: '100', auditDate: '2026-10-01' });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Accès réservé aux référents qualité.');
    expect((await request(t.app).get(`/accessibilite/${org.code}`)).text).toContain('<strong>non conforme</strong>');
  });

  it('when a visitor without a session posts a statement, then it is refused and nothing is published', async () => {
    const org = await createOrg(t.deps);
    const res = await request(t.app).post('/conformite/declaration').type('form').send({ status: 'total', rate: '100', auditDate: '2026-10-01' });
    expect(res.status).toBe(403); // no session, no CSRF token
    expect((await request(t.app).get(`/accessibilite/${org.code}`)).text).toContain('<strong>non conforme</strong>');
  });

  it('when a viewer asks for the register or the compliance settings, then 403 « Accès réservé »', async () => {
    const org = await createOrg(t.deps);
    const viewer = await loggedIn(t.app, await createUser(t.deps, org.id, 'viewer'));
    expect((await viewer.page('/conformite/registre')).status).toBe(403);
    expect((await viewer.page('/conformite')).status).toBe(403);
  });
});
