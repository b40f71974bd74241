/**
 * Tenancy matrix: every role of organisation A against every object route of organisation B,
 * on pages and API alike. Every cell must answer 404 and leave B's data untouched.
 */
import request from 'supertest';
import * as orgStore from '../../server/org/org.store';
import * as authStore from '../../server/auth/auth.store';
import { createApiToken } from '../../server/auth/auth.service';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg, createService, createSite, createToken, createUser } from '../helpers/factories';
import { actorsOf, withSession, apiStatuses, pageStatuses, type Actor, type RouteCase } from '../helpers/tenancy';

let t: TestContext;
const ids: Record<string, string> = {};
let orgB: string;
const actors: Actor[] = [];

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
  actors.push(...(await actorsOf(t.deps, t.app, a.id)));
  actors.push({ name: 'A organisation token', token: await createToken(t.deps, a.id, 'referent') });
});
afterAll(() => t.close());

const pageRoutes = (): RouteCase[] => [
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
const apiRoutes = (): RouteCase[] => [
  ['GET', `/api/v1/sites/${ids.site}`],
  ['PUT', `/api/v1/sites/${ids.site}`, { name: 'Piraté', kind: 'autre', address: '' }],
  ['DELETE', `/api/v1/sites/${ids.site}`],
  ['GET', `/api/v1/services/${ids.service}`],
  ['PUT', `/api/v1/services/${ids.service}`, { name: 'Piraté', emails: [], phones: [] }],
  ['DELETE', `/api/v1/services/${ids.service}`],
];

describe('when a user of organisation A addresses an object of organisation B', () => {
  it('then every page route answers 404 for every role', async () => {
    const cells = await pageStatuses(actors, pageRoutes());
    expect(cells.filter((c) => !c.endsWith('→ 404'))).toEqual([]);
    expect(cells.length).toBe(withSession(actors) * pageRoutes().length);
  });

  it('then every API route answers 404 for every token and session', async () => {
    const cells = await apiStatuses(t.app, actors, apiRoutes());
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
