/**
 * Tenancy matrix: every role of organisation A against every object route of organisation B,
 * on pages and API alike. Every cell must answer 404 and leave B's data untouched.
 */
import request from 'supertest';
import * as orgStore from '../../server/org/org.store';
import * as authStore from '../../server/auth/auth.store';
import { createApiToken } from '../../server/auth/auth.service';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg, createService, createSite, createToken, createUser, loggedIn, type Browser } from '../helpers/factories';

let t: TestContext;
const ids: Record<string, string> = {};
let orgB: string;
const actors: { name: string; browser?: Browser; token?: string }[] = [];

beforeAll(async () => {
  t = await createTestContext();
  const a = await createOrg(t.deps, 'Préfecture A');
  const b = await createOrg(t.deps, 'Préfecture B');
  orgB = b.id;
  ids.site = (await createSite(t.deps, b.id)).id;
  ids.service = (await createService(t.deps, b.id)).id;
  const bReferent = await createUser(t.deps, b.id, 'referent');
  ids.user = bReferent.id;
  const bViewer = await createUser(t.deps, b.id, 'viewer');
  ids.viewer = bViewer.id;
  ids.token = (await createApiToken(t.deps, b.id, { userId: bViewer.id, name: 'b', role: 'viewer' })).id;
  for (const role of ['referent', 'viewer', 'evaluator'] as const) {
    const u = await createUser(t.deps, a.id, role);
    actors.push({ name: `A ${role} (session)`, browser: await loggedIn(t.app, u) });
    actors.push({ name: `A ${role} (token)`, token: await createToken(t.deps, a.id, role, u.id) });
  }
  actors.push({ name: 'A organisation token', token: await createToken(t.deps, a.id, 'referent') });
});
afterAll(() => t.close());

const pageRoutes = (): [string, string, Record<string, string>?][] => [
  ['GET', `/organisation/sites/${ids.site}`],
  ['POST', `/organisation/sites/${ids.site}`, { name: 'Piraté', kind: 'autre', address: '' }],
  ['POST', `/organisation/sites/${ids.site}/supprimer`],
  ['GET', `/organisation/services/${ids.service}`],
  ['POST', `/organisation/services/${ids.service}`, { name: 'Piraté', emails: '', phones: '' }],
  ['POST', `/organisation/services/${ids.service}/supprimer`],
  ['GET', `/organisation/utilisateurs/${ids.user}`],
  ['POST', `/organisation/utilisateurs/${ids.user}`, { role: 'viewer' }],
  ['POST', `/compte/jetons/${ids.token}/revoquer`],
];
const apiRoutes = (): [string, string, object?][] => [
  ['GET', `/api/v1/sites/${ids.site}`],
  ['PUT', `/api/v1/sites/${ids.site}`, { name: 'Piraté', kind: 'autre', address: '' }],
  ['DELETE', `/api/v1/sites/${ids.site}`],
  ['GET', `/api/v1/services/${ids.service}`],
  ['PUT', `/api/v1/services/${ids.service}`, { name: 'Piraté', emails: [], phones: [] }],
  ['DELETE', `/api/v1/services/${ids.service}`],
];

describe('when a user of organisation A addresses an object of organisation B', () => {
  it('then every page route answers 404 for every role', async () => {
    const cells: string[] = [];
    for (const actor of actors.filter((x) => x.browser)) {
      for (const [method, path, form] of pageRoutes()) {
        const res = method === 'GET' ? await actor.browser!.page(path) : await actor.browser!.post(path, form ?? {});
        cells.push(`${actor.name} ${method} ${path.replace(/[0-9a-f-]{36}/, ':id')} → ${res.status}`);
      }
    }
    expect(cells.filter((c) => !c.endsWith('→ 404'))).toEqual([]);
    expect(cells.length).toBe(3 * pageRoutes().length);
  });

  it('then every API route answers 404 for every token and session', async () => {
    const cells: string[] = [];
    for (const actor of actors) {
      for (const [method, path, body] of apiRoutes()) {
        let req;
        if (actor.token) {
          req = request(t.app)[method.toLowerCase() as 'get'](path).set('Authorization', `Bearer ${actor.token}`);
        } else {
          req = actor.browser!.agent[method.toLowerCase() as 'get'](path).set('x-csrf-token', actor.browser!.csrf);
        }
        const res = body ? await req.send(body) : await req;
        cells.push(`${actor.name} ${method} ${path.replace(/[0-9a-f-]{36}/, ':id')} → ${res.status}`);
      }
    }
    expect(cells.filter((c) => !c.endsWith('→ 404'))).toEqual([]);
    expect(cells.length).toBe(actors.length * apiRoutes().length);
  });

  it('then the objects of B are unchanged', async () => {
    expect((await orgStore.getSite(t.deps.db, orgB, ids.site))?.name).toBe('Accueil général');
    expect((await orgStore.getService(t.deps.db, orgB, ids.service))?.name).toBe('Bureau du séjour');
    expect((await authStore.getUser(t.deps.db, orgB, ids.user))?.role).toBe('referent');
    const tokens = await authStore.listUserTokens(t.deps.db, orgB, ids.viewer);
    expect(tokens.map((x) => x.id)).toEqual([ids.token]);
  });

  it('then the lists of A never contain objects of B', async () => {
    const referent = actors.find((x) => x.name === 'A referent (token)')!;
    const sites = await request(t.app).get('/api/v1/sites').set('Authorization', `Bearer ${referent.token}`);
    expect(sites.status).toBe(200);
    expect(sites.body.sites.map((s: { id: string }) => s.id)).not.toContain(ids.site);
    const services = await request(t.app).get('/api/v1/services').set('Authorization', `Bearer ${referent.token}`);
    expect(services.body.services.map((s: { id: string }) => s.id)).not.toContain(ids.service);
  });
});
