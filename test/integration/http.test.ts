/** Plumbing: health, errors, body limits, security headers, static assets. */
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg, createToken } from '../helpers/factories';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

it('when /healthz is called after migrations, then it answers ok with the database kind', async () => {
  const res = await request(t.app).get('/healthz');
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ status: 'ok', db: t.database.kind });
});

it('when a page is requested, then security headers and a strict CSP are sent', async () => {
  const res = await request(t.app).get('/connexion');
  expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-powered-by']).toBeUndefined();
});

it('when a JSON body is over the limit, then 413 with a stable code', async () => {
  const org = await createOrg(t.deps);
  const token = await createToken(t.deps, org.id, 'referent');
  const res = await request(t.app).post('/api/v1/sites').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send(JSON.stringify({ name: 'x'.repeat(100_000), kind: 'autre' }));
  expect(res.status).toBe(413);
  expect(res.body.error.code).toBe('payload_too_large');
});

it('when a JSON body is malformed, then 400 invalid_json', async () => {
  const org = await createOrg(t.deps);
  const token = await createToken(t.deps, org.id, 'referent');
  const res = await request(t.app).post('/api/v1/sites').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send('{"name":');
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('invalid_json');
});

it('when a page does not exist, then 404 in HTML for browsers and JSON for the API', async () => {
  const html = await request(t.app).get('/nulle-part').set('Accept', 'text/html');
  expect(html.status).toBe(404);
  expect(html.text).toContain('Page introuvable');
  const json = await request(t.app).get('/api/v1/nulle-part').set('Authorization', `Bearer ${await createToken(t.deps, (await createOrg(t.deps)).id, 'viewer')}`);
  expect(json.status).toBe(404);
  expect(json.body.error.code).toBe('not_found');
});

it('when DSFR and SurveyJS assets are requested, then they are served locally and compressed; the rest of the DSFR folder is not', async () => {
  const css = await request(t.app).get('/dsfr/dsfr.min.css').set('Accept-Encoding', 'gzip');
  expect(css.status).toBe(200);
  expect(css.headers['content-encoding']).toBe('gzip');
  expect(css.headers['cache-control']).toContain('max-age');
  expect((await request(t.app).get('/dsfr/fonts/Marianne-Regular.woff2')).status).toBe(200);
  expect((await request(t.app).get('/vendor/survey-core/survey.core.min.js')).status).toBe(200);
  expect((await request(t.app).get('/vendor/survey-js-ui/survey-js-ui.min.js')).status).toBe(200);
  expect((await request(t.app).get('/dsfr/dsfr.css.map')).status).toBe(404);
  expect((await request(t.app).get('/dsfr/../package.json')).status).toBe(404);
});
