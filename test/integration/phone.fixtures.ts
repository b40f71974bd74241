/**
 * Fixtures of the phone tests (not a test file): organisations with a referent, a viewer and
 * evaluators, a programme created and accepted through the pages, and helpers to play an
 * evaluator's call (attempts, then the grid) through the HTTP routes.
 */
import request from 'supertest';
import * as authStore from '../../server/auth/auth.store';
import type { TestContext } from '../helpers/app';
import { createOrg, createToken, createUser, loggedIn, type Browser } from '../helpers/factories';

export const BASE = '/enquetes-telephoniques';

export interface OrgActors {
  id: string;
  code: string;
  name: string;
  referent: Browser;
  viewer: Browser;
  evaluators: { id: string; displayName: string; browser: Browser }[];
  tokens: { referent: string; viewer: string; evaluator: string };
  referentUserId: string;
}

export async function orgWithActors(t: TestContext, name: string, evaluators = 2): Promise<OrgActors> {
  const org = await createOrg(t.deps, name);
  const referent = await createUser(t.deps, org.id, 'referent');
  const viewer = await createUser(t.deps, org.id, 'viewer');
  const evs = [];
  for (let i = 0; i < evaluators; i++) {
    const u = await createUser(t.deps, org.id, 'evaluator');
    // A name found nowhere else, so a test can assert it never leaks.
    const displayName = `Évaluatrice ${String.fromCharCode(65 + i)} ${org.code}-${u.id.slice(0, 6)}`;
    await authStore.updateUser(t.deps.db, org.id, u.id, { displayName });
    evs.push({ id: u.id, displayName, browser: await loggedIn(t.app, u) });
  }
  return {
    id: org.id, code: org.code, name: org.name,
    referent: await loggedIn(t.app, referent), viewer: await loggedIn(t.app, viewer), evaluators: evs, referentUserId: referent.id,
    tokens: {
      referent: await createToken(t.deps, org.id, 'referent', referent.id),
      viewer: await createToken(t.deps, org.id, 'viewer', viewer.id),
      evaluator: await createToken(t.deps, org.id, 'evaluator', evs[0]?.id ?? null),
    },
  };
}

export const pidOf = (location: string) => /\/enquetes-telephoniques\/([0-9a-f-]{36})/.exec(location)![1];

export function expectStatus(res: request.Response, status: number) {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${res.text.slice(0, 600)}`);
  return res;
}

/** Creates a programme as `owner`'s referent, and has every other organisation accept it. */
export async function createProgramme(
  owner: OrgActors, others: OrgActors[], pairs: [OrgActors, OrgActors][], settings: Record<string, string> = {},
): Promise<string> {
  await owner.referent.page(BASE);
  const res = expectStatus(await owner.referent.post(BASE, {
    name: 'Appels mystères croisés, juin 2019', startsOn: '2019-06-03', endsOn: '2019-06-28',
    pairs: pairs.map(([a, b]) => `${a.code} > ${b.code}`).join('\n'), callsPerNumber: '3', maxAttempts: '3', attemptWaitMinutes: '5', passMark: '7', ...settings,
  }), 303);
  const pid = pidOf(res.headers.location);
  for (const o of others) {
    await o.referent.page(`${BASE}/${pid}`);
    expectStatus(await o.referent.post(`${BASE}/${pid}/accepter`), 303);
  }
  return pid;
}

/** The called organisation's numbers (typed) and one scenario per number; returns number ids by label. */
export async function addNumbersAndScenarios(
  t: TestContext, called: OrgActors, pid: string, labels: string[], phonePrefix = '04 50 33 60',
): Promise<Record<string, string>> {
  await called.referent.page(`${BASE}/${pid}/numeros`);
  for (const [i, label] of labels.entries()) {
    expectStatus(await called.referent.post(`${BASE}/${pid}/numeros`, { kind: i === 0 ? 'standard' : 'service', label, phone: `${phonePrefix} ${String(10 + i)}` }), 303);
  }
  const api = await request(t.app).get(`/api/v1${BASE}/${pid}/scenarios`).set('Authorization', `Bearer ${called.tokens.referent}`);
  const ids: Record<string, string> = {};
  for (const n of api.body.numbers) ids[n.label] = n.id;
  await called.referent.page(`${BASE}/${pid}/scenarios`);
  for (const label of labels) {
    expectStatus(await called.referent.post(`${BASE}/${pid}/scenarios`, {
      numberId: ids[label], category: 'informations_generales',
      question: `Bonjour, à quelle heure ouvre le ${label} le mardi ?`, expectedAnswer: `Le ${label} ouvre à 8 h 30 du lundi au vendredi.`,
    }), 303);
  }
  return ids;
}

export async function nameEvaluators(caller: OrgActors, pid: string) {
  await caller.referent.page(`${BASE}/${pid}/evaluateurs`);
  expectStatus(await caller.referent.post(`${BASE}/${pid}/evaluateurs`, { userIds: caller.evaluators.map((e) => e.id) } as unknown as Record<string, string>), 303);
}

export async function generate(t: TestContext, caller: OrgActors, pid: string, calledCode: string) {
  const prog = await request(t.app).get(`/api/v1${BASE}/${pid}`).set('Authorization', `Bearer ${caller.tokens.referent}`);
  expect(prog.status).toBe(200);
  const page = await caller.referent.page(`${BASE}/${pid}/plan`);
  const pairIds = [...page.text.matchAll(/name="pairId" value="([0-9a-f-]{36})"/g)].map((m) => m[1]);
  // The pair is identified by its label on the page: « Name (code) ».
  const blocks = page.text.split('<form method="post" action="/enquetes-telephoniques/');
  const pairId = pairIds.find((id) => blocks.some((b) => b.includes(id) && b.includes(`(${calledCode})`)))!;
  return expectStatus(await caller.referent.post(`${BASE}/${pid}/plan`, { pairId }), 303);
}

export interface PlannedCallJson {
  id: string;
  scheduledAt: string;
  status: string;
  number: { id: string; label: string; phone: string };
  evaluator: { id: string; name: string };
}

export async function planOf(t: TestContext, caller: OrgActors, pid: string): Promise<PlannedCallJson[]> {
  const res = expectStatus(await request(t.app).get(`/api/v1${BASE}/${pid}/plan`).set('Authorization', `Bearer ${caller.tokens.referent}`), 200);
  return res.body.calls;
}

export function evaluatorBrowser(caller: OrgActors, evaluatorId: string): Browser {
  return caller.evaluators.find((e) => e.id === evaluatorId)!.browser;
}

/** Posts the grid as the browser's JavaScript does (JSON, CSRF header). */
export async function postGrid(b: Browser, callId: string, action: 'draft' | 'submit', answers: Record<string, unknown>) {
  await b.page(`/appels/${callId}`);
  // A submission carries the evaluator's confirmation, as call.js sends it after the modal.
  return b.agent.post(`/appels/${callId}/grille`).set('x-csrf-token', b.csrf).set('Accept', 'application/json').send({ action, answers, ...(action === 'submit' ? { confirme: '1' } : {}) });
}

export async function attempt(b: Browser, callId: string, outcome: string, waitSeconds: number, rings?: number) {
  await b.page(`/appels/${callId}`);
  return b.post(`/appels/${callId}/tentatives`, { outcome, waitSeconds: String(waitSeconds), rings: rings === undefined ? '' : String(rings) });
}

/** A complete grid for an answered call, to be varied per test. */
export const GOOD_GRID = {
  decroche: 'oui', attente_secondes: 12, sonneries: 3, serveur_vocal: 'non', annonce_service: 'oui', bonjour: 'oui', nom_agent: 'oui',
  courtoisie: 'tres_satisfaisant', ecoute: 'tres_satisfaisant', transfert: 'sans_objet', reponse_fond: 'complete', prise_de_conge: 'oui',
  impression_globale: 'tres_bonne',
};

export const MACHINE_GRID = { decroche: 'non', motif_non_abouti: 'repondeur_seul', serveur_vocal: 'oui', serveur_vocal_horaires: 'non' };

/** Noon, Paris time (summer), of the day of an instant. */
export function noonOf(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 10)}T10:00:00Z`;
}
