/**
 * Tenancy of the board's objects: an import and a complaint of organisation B read as 404 for
 * every actor of A, on pages; nothing of B changes; B's values never appear in A's board or API.
 */
import request from 'supertest';
import { createTestContext, type TestContext } from '../../helpers/app';
import { createOrg, createToken, createUser, loggedIn } from '../../helpers/factories';
import { actorsOf, pageStatuses, type Actor } from '../../helpers/tenancy';
import { createComplaint } from '../../../server/complaints/complaint.service';
import { complaintSchema } from '../../../server/complaints/complaint.schemas';
import { JULY_TELEPHONY, importIdOf, upload } from './indicators.fixtures';

let t: TestContext;
let actors: Actor[];
const ids = { import: '', complaint: '' };
let tokenA: string;
let tokenB: string;

beforeAll(async () => {
  t = await createTestContext({ config: { SESSION_TTL_HOURS: '100000' } });
  t.clock.set('2019-08-05T08:00:00Z');
  const A = await createOrg(t.deps, 'Préfecture A');
  const B = await createOrg(t.deps, 'Préfecture B');
  const refB = await loggedIn(t.app, await createUser(t.deps, B.id, 'referent'));
  ids.import = importIdOf((await upload(refB, 'telephonie', 'b.csv', JULY_TELEPHONY)).headers.location);
  expect(ids.import).not.toBe('');
  // A second file of B is stored, so B has values that A must never see.
  const stored = importIdOf((await upload(refB, 'telephonie', 'b2.csv', JULY_TELEPHONY)).headers.location);
  const st = await refB.post(`/indicateurs/imports/${stored}`, { 'map:date': 'Date', 'map:bureau': 'Bureau', 'map:decroches': 'Appels décrochés', 'map:perdus': 'Appels perdus', action: 'store' });
  expect(st.status).toBe(303);
  ids.complaint = (await createComplaint(t.deps, B.id, null, complaintSchema.parse({ channel: 'papier', receivedOn: '2019-07-01', contactName: 'Secret de B' }))).id;
  actors = await actorsOf(t.deps, t.app, A.id);
  tokenA = await createToken(t.deps, A.id, 'viewer');
  tokenB = await createToken(t.deps, B.id, 'viewer');
}, 60_000);
afterAll(async () => t?.close());

describe('when users of A address objects of B', () => {
  it('then every page of B’s import and complaint answers 404', async () => {
    const routes: [string, string, Record<string, unknown>?][] = [
      ['GET', `/indicateurs/imports/${ids.import}`],
      ['POST', `/indicateurs/imports/${ids.import}`, { 'map:date': 'Date', 'map:decroches': 'Appels décrochés', 'map:perdus': 'Appels perdus', action: 'store' }],
      ['POST', `/indicateurs/imports/${ids.import}`, { action: 'abandon' }],
      ['GET', `/reclamations/${ids.complaint}`],
      ['POST', `/reclamations/${ids.complaint}`, { channel: 'papier', receivedOn: '2019-07-01', answeredOn: '2019-07-02' }],
    ];
    const cells = await pageStatuses(actors, routes);
    expect(cells.filter((c) => !c.endsWith('→ 404'))).toEqual([]);
  });

  it('then B’s values never show in A’s API nor B’s complaint in another register', async () => {
    const refB = await request(t.app).get('/api/v1/indicateurs?from=2019-07&to=2019-07').set('Authorization', `Bearer ${tokenB}`);
    expect(refB.body.indicators.find((i: { id: string }) => i.id === 'appels-aboutis').values).toHaveLength(4);
    const a = await request(t.app).get('/api/v1/indicateurs?from=2019-07&to=2019-07').set('Authorization', `Bearer ${tokenA}`);
    expect(a.status).toBe(200);
    expect(a.body.indicators.every((i: { values: unknown[] }) => i.values.length === 0)).toBe(true);
    const list = await (await loggedIn(t.app, await createUser(t.deps, (await createOrg(t.deps)).id, 'referent'))).page('/reclamations?annee=2019');
    expect(list.text).not.toContain('Secret de B');
  });
});
