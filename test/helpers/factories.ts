/**
 * Factories: each test creates its own organisation and users through the real services,
 * so tests never share data and never depend on the demo seed.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import * as auth from '../../server/auth/auth.service';
import type { Deps } from '../../server/deps';
import * as orgStore from '../../server/org/org.store';
import type { Role } from '../../server/storage/schema';

let seq = 0;
const uniq = () => `${process.pid.toString(36)}${(++seq).toString(36)}${crypto.randomBytes(2).toString('hex')}`;

export async function createOrg(deps: Deps, name = 'Préfecture de test') {
  // Codes must look like department codes: draw a 3-digit one unlikely to collide.
  for (;;) {
    const code = String(100 + crypto.randomInt(900));
    if (!(await orgStore.findOrgByCode(deps.db, code))) return orgStore.insertOrganisation(deps.db, { code, name: `${name} ${code}` });
  }
}

export const TEST_PASSWORD = 'correct-horse-battery-staple';

export async function createUser(deps: Deps, orgId: string | null, role: Role) {
  const email = `${role}-${uniq()}@test.qualimetre.fr`;
  const user = await auth.createUser(deps, { orgId, email, displayName: `${role} ${email.slice(0, 12)}`, role, password: TEST_PASSWORD });
  return { ...user, password: TEST_PASSWORD };
}

export async function createSite(deps: Deps, orgId: string, name = 'Accueil général') {
  return orgStore.insertSite(deps.db, orgId, { name, kind: 'accueil_general', address: '1 rue de la Paix, 74000 Annecy' });
}

export async function createService(deps: Deps, orgId: string, name = 'Bureau du séjour') {
  return orgStore.insertService(deps.db, orgId, { name, emails: ['sejour@example.test'], phones: ['04 50 00 00 00'] });
}

export async function createToken(deps: Deps, orgId: string, role: Role, userId: string | null = null) {
  return (await auth.createApiToken(deps, orgId, { userId, name: 'test', role })).token;
}

/** A browser-like session: cookies kept, CSRF token read from the last page. */
export interface Browser {
  agent: ReturnType<typeof request.agent>;
  csrf: string;
  /** GET a page and remember its CSRF token. */
  page(path: string): Promise<request.Response>;
  /** POST a form with the CSRF token. */
  post(path: string, form?: Record<string, string>): Promise<request.Response>;
}

export function csrfFrom(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

export async function browser(app: Express): Promise<Browser> {
  const agent = request.agent(app);
  const b: Browser = {
    agent,
    csrf: '',
    async page(path) {
      const res = await agent.get(path).set('Accept', 'text/html');
      const t = csrfFrom(res.text);
      if (t) b.csrf = t;
      return res;
    },
    async post(path, form = {}) {
      if (!b.csrf) await b.page('/connexion');
      return agent.post(path).type('form').set('Accept', 'text/html').send({ ...form, _csrf: b.csrf });
    },
  };
  return b;
}

export async function loggedIn(app: Express, user: { email: string; password: string }): Promise<Browser> {
  const b = await browser(app);
  await b.page('/connexion');
  const res = await b.post('/connexion', { email: user.email, password: user.password });
  if (res.status !== 303) throw new Error(`login failed: ${res.status} ${res.text.slice(0, 200)}`);
  // As a browser does: the page after login carries the CSRF token bound to the new session.
  await b.page(res.headers.location ?? '/');
  return b;
}
