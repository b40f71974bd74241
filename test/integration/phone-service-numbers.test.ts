/**
 * « Ajouter les numéros des services » (issue 14): the called organisation adds every service's
 * number in one form (each service's known number proposed); a bad number is reported by its
 * service and nothing is added; services already in the programme are not proposed again;
 * another organisation cannot use the form (404).
 */
import * as orgStore from '../../server/org/org.store';
import * as store from '../../server/phone/phone.store';
import { createTestContext, type TestContext } from '../helpers/app';
import { BASE, createProgramme, expectStatus, generate, nameEvaluators, orgWithActors, planOf, type OrgActors } from './phone.fixtures';

let t: TestContext;
let A: OrgActors;
let B: OrgActors;
let C: OrgActors;
let pid: string;
const services: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestContext({ config: { SESSION_TTL_HOURS: '100000' } });
  t.clock.set('2019-06-01T08:00:00Z');
  A = await orgWithActors(t, 'Préfecture de l’Isère', 2);
  B = await orgWithActors(t, 'Préfecture de la Haute-Savoie', 1);
  C = await orgWithActors(t, 'Préfecture de la Savoie', 1);
  for (const [name, phones] of [['Bureau du séjour', ['04 50 33 60 10']], ['Urbanisme', ['04 50 33 60 20', '04 50 33 60 21']], ['Cabinet', []]] as const) {
    services[name] = (await orgStore.insertService(t.deps.db, B.id, { name, emails: [], phones: [...phones] })).id;
  }
  pid = await createProgramme(A, [B], [[A, B]]);
}, 60_000);
afterAll(async () => t?.close());

const numbers = async () => (await store.listNumbers(t.deps.db, B.id, pid)).map((n) => `${n.kind} ${n.label} ${n.phone}`).sort();

describe('when the called organisation adds its services’ numbers in one go', () => {
  it('then the form lists every service with its known number proposed', async () => {
    const page = expectStatus(await B.referent.page(`${BASE}/${pid}/numeros`), 200).text;
    expect(page).toContain('Ajouter les numéros des services');
    expect(page).toContain(`name="phone_${services['Bureau du séjour']}" type="tel" value="04 50 33 60 10"`);
    expect(page).toContain(`name="phone_${services.Urbanisme}" type="tel" value="04 50 33 60 20"`);
    expect(page).toContain(`name="phone_${services.Cabinet}" type="tel" value=""`);
  });

  it('then a bad number is reported by its service and nothing is added', async () => {
    const res = await B.referent.post(`${BASE}/${pid}/numeros/services`, {
      [`phone_${services['Bureau du séjour']}`]: '04 50 33 60 10', [`phone_${services.Urbanisme}`]: 'appeler Paul', [`phone_${services.Cabinet}`]: '',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Urbanisme : numéro de téléphone invalide.');
    expect(res.text).toContain('value="appeler Paul"');
    expect(await numbers()).toEqual([]);
  });

  it('then the filled services are added at once, the empty one skipped, and they are not proposed again', async () => {
    const res = await B.referent.post(`${BASE}/${pid}/numeros/services`, {
      [`phone_${services['Bureau du séjour']}`]: '04 50 33 60 10', [`phone_${services.Urbanisme}`]: '04 50 33 60 21', [`phone_${services.Cabinet}`]: '',
    });
    expect(res.status).toBe(303);
    expect(await numbers()).toEqual(['service Bureau du séjour 04 50 33 60 10', 'service Urbanisme 04 50 33 60 21']);
    const page = (await B.referent.page(`${BASE}/${pid}/numeros`)).text;
    expect(page).not.toContain(`name="phone_${services.Urbanisme}"`);
    expect(page).toContain(`name="phone_${services.Cabinet}"`);
    // Posting again adds nothing twice.
    await B.referent.post(`${BASE}/${pid}/numeros/services`, { [`phone_${services.Urbanisme}`]: '04 50 33 60 21' });
    expect(await numbers()).toHaveLength(2);
  });

  it('then a third organisation cannot use the form (404) and adds nothing', async () => {
    await C.referent.page(BASE);
    const res = await C.referent.post(`${BASE}/${pid}/numeros/services`, { [`phone_${services.Cabinet}`]: '04 50 33 60 30' });
    expect(res.status).toBe(404);
    expect(await numbers()).toHaveLength(2);
  });
});

describe('when the calling referent reassigns several calls at once', () => {
  beforeAll(async () => {
    // One scenario for every number of the programme.
    await B.referent.page(`${BASE}/${pid}/scenarios`);
    expectStatus(await B.referent.post(`${BASE}/${pid}/scenarios`, {
      numberId: '', category: 'informations_generales', question: 'Bonjour, à quelle heure ouvrez-vous le mardi ?', expectedAnswer: 'À 8 h 30 du lundi au vendredi.',
    }), 303);
    await nameEvaluators(A, pid);
    await generate(t, A, pid, B.code);
  });

  it('then the checked calls go to the chosen evaluator at their own times, and the others stay', async () => {
    const before = await planOf(t, A, pid);
    expect(before.length).toBeGreaterThanOrEqual(3);
    const target = A.evaluators[0];
    // Calls of the other evaluator, on different days (one evaluator calls a number once a day).
    const days = new Set<string>();
    const moved = before.filter((c) => c.evaluator.id !== target.id && !days.has(c.scheduledAt.slice(0, 10)) && days.add(c.scheduledAt.slice(0, 10))).slice(0, 2);
    const page = (await A.referent.page(`${BASE}/${pid}/plan`)).text;
    expect(page).toContain('Réattribuer les appels cochés');
    expect(page).toContain(`name="callIds" value="${moved[0].id}" form="reattribuer"`);
    const res = await A.referent.agent.post(`${BASE}/${pid}/plan/reattribuer`).type('form').set('Accept', 'text/html')
      .send({ callIds: moved.map((c) => c.id), evaluatorId: target.id, _csrf: A.referent.csrf });
    expect(res.status).toBe(303);
    const after = await planOf(t, A, pid);
    for (const c of after) {
      const was = before.find((b) => b.id === c.id)!;
      expect(c.scheduledAt).toBe(was.scheduledAt);
      expect(c.evaluator.id).toBe(moved.some((m) => m.id === c.id) ? target.id : was.evaluator.id);
    }
    expect((await A.referent.page(`${BASE}/${pid}/plan`)).text).toContain('2 appels réattribués.');
  });

  it('then the called organisation cannot reassign the caller’s calls (404)', async () => {
    const [call] = await planOf(t, A, pid);
    await B.referent.page(BASE);
    const res = await B.referent.post(`${BASE}/${pid}/plan/reattribuer`, { callIds: call.id, evaluatorId: B.evaluators[0].id });
    expect(res.status).toBe(404);
  });
});
