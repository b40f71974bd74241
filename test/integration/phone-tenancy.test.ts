/**
 * Tenancy of mystery phone programmes: the full matrix of (referent, viewer, evaluator) ×
 * (calling organisation A, called organisation B, third organisation C) × (plan, scenarios,
 * grids, results), on pages and API alike. Every forbidden cell answers 404 and leaks neither
 * the numbers called nor the evaluators' names; nothing of B changes.
 * Then a three-way programme (A → B, B → C, C → A): everything C can open never shows B's
 * numbers nor A's evaluators.
 */
import request from 'supertest';
import { createTestContext, type TestContext } from '../helpers/app';
import { createToken, type Browser } from '../helpers/factories';
import * as store from '../../server/phone/phone.store';
import {
  BASE, addNumbersAndScenarios, attempt, createProgramme, expectStatus, generate, nameEvaluators, noonOf, orgWithActors, planOf,
  type OrgActors,
} from './phone.fixtures';

let t: TestContext;
let A: OrgActors; // calls B
let B: OrgActors; // is called by A
let C: OrgActors; // third organisation
let pid: string;
const ids = { call: '', scenario: '', number: '', pair: '' };

interface Actor {
  name: string;
  browser: Browser;
  token: string;
  /** Shown in the page header of their own pages. */
  displayName?: string;
}
const actors: Record<string, Actor> = {};

// The numbers B asks to be called and A's evaluators' names: never shown outside their place.
const B_PHONE = '04 50 33 60';
const secretsOf = (except = '') => [B_PHONE, ...A.evaluators.map((e) => e.displayName)].filter((s) => s !== except);

beforeAll(async () => {
  t = await createTestContext({ config: { SESSION_TTL_HOURS: '100000' } });
  t.clock.set('2019-06-01T08:00:00Z');
  A = await orgWithActors(t, 'Préfecture de l’Isère', 2);
  B = await orgWithActors(t, 'Préfecture de la Haute-Savoie', 1);
  C = await orgWithActors(t, 'Préfecture de la Savoie', 1);
  pid = await createProgramme(A, [B], [[A, B]]);
  const numbers = await addNumbersAndScenarios(t, B, pid, ['Standard', 'Service des étrangers'], B_PHONE);
  await nameEvaluators(A, pid);
  await generate(t, A, pid, B.code);
  const plan = await planOf(t, A, pid);
  const call = plan.find((c) => c.evaluator.id === A.evaluators[0].id)!;
  ids.call = call.id;
  ids.number = numbers['Service des étrangers'];
  ids.scenario = (await store.listScenarios(t.deps.db, B.id, pid))[0].id;
  ids.pair = (await store.listPairs(t.deps.db, A.id, pid))[0].id;
  // The call has started: an attempt is recorded.
  t.clock.set(noonOf(call.scheduledAt));
  expectStatus(await attempt(A.evaluators[0].browser, ids.call, 'occupe', 3), 303);

  for (const [org, label] of [[A, 'A'], [B, 'B'], [C, 'C']] as const) {
    actors[`${label} referent`] = { name: `${label} referent`, browser: org.referent, token: org.tokens.referent };
    actors[`${label} viewer`] = { name: `${label} viewer`, browser: org.viewer, token: org.tokens.viewer };
    actors[`${label} evaluator`] = { name: `${label} evaluator`, browser: org.evaluators[0].browser, token: org.tokens.evaluator, displayName: org.evaluators[0].displayName };
  }
  // A's second evaluator: same organisation and role, but the call is not theirs.
  actors['A other evaluator'] = {
    name: 'A other evaluator', browser: A.evaluators[1].browser, token: await createToken(t.deps, A.id, 'evaluator', A.evaluators[1].id), displayName: A.evaluators[1].displayName,
  };
});
afterAll(() => t.close());

type Method = 'GET' | 'POST';
interface Cell {
  resource: 'programme' | 'plan' | 'scenarios' | 'grids' | 'results';
  method: Method;
  path: () => string;
  body?: () => Record<string, string | object>;
  json?: boolean;
  api?: boolean;
  /** Actors who may use the route; everyone else gets 404. */
  allowed: string[];
}

const P = () => `${BASE}/${pid}`;
const matrix: Cell[] = [
  { resource: 'programme', method: 'GET', path: () => P(), allowed: ['A referent', 'A viewer', 'B referent', 'B viewer'] },
  { resource: 'programme', method: 'GET', path: () => `/api/v1${P()}`, api: true, allowed: ['A referent', 'A viewer', 'B referent', 'B viewer'] },
  { resource: 'programme', method: 'POST', path: () => `${P()}/accepter`, allowed: ['A referent', 'B referent'] },

  { resource: 'plan', method: 'GET', path: () => `${P()}/plan`, allowed: ['A referent'] },
  { resource: 'plan', method: 'GET', path: () => `${P()}/plan/${ids.call}`, allowed: ['A referent'] },
  { resource: 'plan', method: 'GET', path: () => `${P()}/evaluateurs`, allowed: ['A referent'] },
  { resource: 'plan', method: 'GET', path: () => `${P()}/avancement`, allowed: ['A referent', 'A viewer'] },
  { resource: 'plan', method: 'POST', path: () => `${P()}/plan`, body: () => ({ pairId: ids.pair }), allowed: ['A referent'] },
  { resource: 'plan', method: 'POST', path: () => `${P()}/plan/${ids.call}`, body: () => ({ date: '2019-06-20', time: '09:00', evaluatorId: A.evaluators[1].id }), allowed: ['A referent'] },
  { resource: 'plan', method: 'POST', path: () => `${P()}/evaluateurs`, body: () => ({ userIds: [] }), allowed: ['A referent'] },
  { resource: 'plan', method: 'GET', path: () => `/api/v1${P()}/plan`, api: true, allowed: ['A referent'] },
  { resource: 'plan', method: 'GET', path: () => `/api/v1${P()}/avancement`, api: true, allowed: ['A referent', 'A viewer'] },

  { resource: 'scenarios', method: 'GET', path: () => `${P()}/scenarios`, allowed: ['B referent'] },
  { resource: 'scenarios', method: 'GET', path: () => `${P()}/scenarios/${ids.scenario}`, allowed: ['B referent'] },
  { resource: 'scenarios', method: 'GET', path: () => `${P()}/numeros`, allowed: ['B referent'] },
  {
    resource: 'scenarios', method: 'POST', path: () => `${P()}/scenarios/${ids.scenario}`,
    body: () => ({ numberId: '', category: 'autre', question: 'Question modifiée par un intrus ?', expectedAnswer: 'Piratée.' }), allowed: ['B referent'],
  },
  { resource: 'scenarios', method: 'POST', path: () => `${P()}/scenarios/${ids.scenario}/supprimer`, allowed: ['B referent'] },
  { resource: 'scenarios', method: 'POST', path: () => `${P()}/numeros/${ids.number}/supprimer`, allowed: ['B referent'] },
  { resource: 'scenarios', method: 'POST', path: () => `${P()}/numeros`, body: () => ({ kind: 'standard', label: 'Intrus', phone: '01 23 45 67 89' }), allowed: ['B referent'] },
  { resource: 'scenarios', method: 'GET', path: () => `/api/v1${P()}/scenarios`, api: true, allowed: ['B referent'] },

  { resource: 'grids', method: 'GET', path: () => `/appels/${ids.call}`, allowed: ['A evaluator'] },
  { resource: 'grids', method: 'POST', path: () => `/appels/${ids.call}/tentatives`, body: () => ({ outcome: 'occupe', waitSeconds: '2', rings: '' }), allowed: ['A evaluator'] },
  { resource: 'grids', method: 'POST', path: () => `/appels/${ids.call}/grille`, json: true, body: () => ({ action: 'draft', answers: { decroche: 'non' } }), allowed: ['A evaluator'] },
  { resource: 'grids', method: 'POST', path: () => `${P()}/plan/${ids.call}/rouvrir`, allowed: ['A referent'] },
  { resource: 'grids', method: 'GET', path: () => `/api/v1/appels/${ids.call}`, api: true, allowed: ['A evaluator'] },

  { resource: 'results', method: 'GET', path: () => `${P()}/resultats`, allowed: ['B referent', 'B viewer'] },
  { resource: 'results', method: 'GET', path: () => `/api/v1${P()}/resultats`, api: true, allowed: ['B referent', 'B viewer'] },
];

async function send(actor: Actor, cell: Cell, via: 'session' | 'token'): Promise<request.Response> {
  const path = cell.path();
  const body = cell.body?.() ?? {};
  if (via === 'token') {
    const req = request(t.app)[cell.method === 'GET' ? 'get' : 'post'](path).set('Authorization', `Bearer ${actor.token}`);
    return cell.method === 'GET' ? req : req.send(body);
  }
  const b = actor.browser;
  if (cell.method === 'GET') return cell.api ? b.agent.get(path).set('Accept', 'application/json') : b.page(path);
  if (cell.json || cell.api) return b.agent.post(path).set('x-csrf-token', b.csrf).set('Accept', 'application/json').send(body);
  return b.post(path, body as Record<string, string>);
}

describe('when every role of A, B and C addresses the plan, scenarios, grids and results of A → B', () => {
  const names = () => Object.keys(actors);

  it('then every forbidden cell answers 404, on pages (session) and API (token and session), leaking no number nor evaluator', async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const cell of matrix) {
      for (const name of names()) {
        if (cell.allowed.includes(name)) continue;
        for (const via of cell.api ? (['token', 'session'] as const) : (['session'] as const)) {
          const res = await send(actors[name], cell, via);
          checked += 1;
          const label = `${cell.resource}: ${name} (${via}) ${cell.method} ${cell.path().replace(/[0-9a-f-]{36}/g, ':id')} → ${res.status}`;
          if (res.status !== 404) wrong.push(label);
          for (const secret of secretsOf(actors[name].displayName)) if (res.text.includes(secret)) wrong.push(`${label} shows « ${secret} »`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });

  it('then every allowed reading cell answers 200', async () => {
    const wrong: string[] = [];
    for (const cell of matrix.filter((c) => c.method === 'GET')) {
      for (const name of cell.allowed) {
        for (const via of cell.api ? (['token', 'session'] as const) : (['session'] as const)) {
          const res = await send(actors[name], cell, via);
          if (res.status !== 200) wrong.push(`${name} (${via}) GET ${cell.path()} → ${res.status}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('then the evaluator’s call page shows the scenario of their call, and their list only their calls', async () => {
    const page = await actors['A evaluator'].browser.page(`/appels/${ids.call}`);
    expect(page.text).toContain('Bonjour, à quelle heure ouvre le');
    const api = await request(t.app).get('/api/v1/appels').set('Authorization', `Bearer ${actors['A evaluator'].token}`);
    const mine = (await planOf(t, A, pid)).filter((c) => c.evaluator.id === A.evaluators[0].id).map((c) => c.id).sort();
    expect(api.body.calls.map((c: { id: string }) => c.id).sort()).toEqual(mine);
    const other = await request(t.app).get('/api/v1/appels').set('Authorization', `Bearer ${actors['A other evaluator'].token}`);
    expect(other.body.calls.map((c: { id: string }) => c.id)).not.toContain(ids.call);
    for (const o of ['B evaluator', 'C evaluator']) {
      const res = await request(t.app).get('/api/v1/appels').set('Authorization', `Bearer ${actors[o].token}`);
      expect(res.body.calls).toEqual([]);
    }
  });

  it('then nothing of B, nor the call, has changed', async () => {
    const [scenario] = await store.listScenarios(t.deps.db, B.id, pid);
    expect(scenario.id).toBe(ids.scenario);
    expect(scenario.question).not.toContain('intrus');
    expect((await store.listNumbers(t.deps.db, B.id, pid)).map((n) => n.label)).toEqual(['Standard', 'Service des étrangers']);
    const call = await store.getCallerCall(t.deps.db, A.id, pid, ids.call);
    expect(call?.call.status).toBe('in_progress');
    expect(call?.call.answers).toBeNull();
    expect(call?.call.evaluatorId).toBe(A.evaluators[0].id);
    expect((await store.listAttempts(t.deps.db, A.id, ids.call)).length).toBe(1);
  });
});

describe('when three prefectures call each other (A → B, B → C, C → A)', () => {
  it('then nothing C can open shows B’s numbers or A’s evaluators', async () => {
    t.clock.set('2019-06-01T08:00:00Z');
    const p2 = await createProgramme(A, [B, C], [[A, B], [B, C], [C, A]]);
    await addNumbersAndScenarios(t, B, p2, ['Standard', 'Bureau des permis'], B_PHONE);
    await addNumbersAndScenarios(t, C, p2, ['Standard'], '04 79 75 50');
    await addNumbersAndScenarios(t, A, p2, ['Standard'], '04 76 60 34');
    for (const org of [A, B, C]) await nameEvaluators(org, p2);
    await generate(t, A, p2, B.code);
    await generate(t, B, p2, C.code);
    await generate(t, C, p2, A.code);

    const cPages = [
      `${BASE}`, `${BASE}/${p2}`, `${BASE}/${p2}/plan`, `${BASE}/${p2}/numeros`, `${BASE}/${p2}/scenarios`, `${BASE}/${p2}/evaluateurs`,
      `${BASE}/${p2}/avancement`, `${BASE}/${p2}/resultats`,
    ];
    const cApi = [`/api/v1${BASE}`, `/api/v1${BASE}/${p2}`, `/api/v1${BASE}/${p2}/plan`, `/api/v1${BASE}/${p2}/scenarios`, `/api/v1${BASE}/${p2}/resultats`, `/api/v1${BASE}/${p2}/avancement`];
    const bodies: string[] = [];
    for (const path of cPages) bodies.push(expectStatus(await C.referent.page(path), 200).text);
    for (const path of cApi) bodies.push(expectStatus(await request(t.app).get(path).set('Authorization', `Bearer ${C.tokens.referent}`), 200).text);
    const cCalls = (await planOf(t, C, p2)).filter((c) => c.evaluator.id === C.evaluators[0].id);
    bodies.push(expectStatus(await C.evaluators[0].browser.page('/appels'), 200).text);
    for (const c of cCalls) bodies.push(expectStatus(await C.evaluators[0].browser.page(`/appels/${c.id}`), 200).text);
    bodies.push((await request(t.app).get('/api/v1/appels').set('Authorization', `Bearer ${C.tokens.evaluator}`)).text);

    // C's own place is there: its plan calls A's numbers, its results are its own numbers.
    expect(bodies.join('\n')).toContain('04 76 60 34');
    expect(bodies.join('\n')).toContain('04 79 75 50');
    const leaks = bodies.flatMap((text, i) => secretsOf().filter((s) => text.includes(s)).map((s) => `body ${i} shows « ${s} »`));
    expect(leaks).toEqual([]);

    // And A's plan of A → B is not in C's plan, and B's results are not C's.
    const cPlan = await planOf(t, C, p2);
    expect(cPlan.every((c) => c.number.phone.startsWith('04 76 60 34'))).toBe(true);
  });
});
