/**
 * The tenancy matrix shared by the tenancy tests: users of organisation A, by session and by
 * API token, address objects of organisation B route by route, and each cell records the
 * status it got ("A viewer (session) POST /bornes/:id → 404"). A test then expects every cell
 * to read 404.
 */
import type { Express } from 'express';
import request from 'supertest';
import type { Deps } from '../../server/deps';
import { createToken, createUser, loggedIn, type Browser } from './factories';

export interface Actor {
  name: string;
  browser?: Browser;
  token?: string;
}

/** A route to try: method, path, and the form or JSON body of a write. */
export type RouteCase = [method: string, path: string, body?: Record<string, unknown>];

/**
 * A referent, a viewer and an evaluator of `orgId`, each by session and by personal token, and
 * a member of the national team (issue 18: reads every organisation's aggregates, never an
 * object), by session: every object route of another organisation must be a 404 for each.
 */
export async function actorsOf(deps: Deps, app: Express, orgId: string): Promise<Actor[]> {
  const actors: Actor[] = [];
  for (const role of ['referent', 'viewer', 'evaluator'] as const) {
    const u = await createUser(deps, orgId, role);
    actors.push({ name: `A ${role} (session)`, browser: await loggedIn(app, u) });
    actors.push({ name: `A ${role} (token)`, token: await createToken(deps, orgId, role, u.id) });
  }
  actors.push({ name: 'national (session)', browser: await loggedIn(app, await createUser(deps, null, 'national')) });
  return actors;
}

/** How many actors try the page routes (those with a session). */
export const withSession = (actors: Actor[]): number => actors.filter((a) => a.browser).length;

const cell = (actor: Actor, method: string, path: string, status: number) =>
  `${actor.name} ${method} ${path.replace(/[0-9a-f-]{36}/, ':id')} → ${status}`;

/** Page routes (forms), tried by every actor that has a session. */
export async function pageStatuses(actors: Actor[], routes: RouteCase[]): Promise<string[]> {
  const cells: string[] = [];
  for (const actor of actors.filter((x) => x.browser)) {
    for (const [method, path, form] of routes) {
      const res = method === 'GET' ? await actor.browser!.page(path) : await actor.browser!.post(path, (form ?? {}) as Record<string, string>);
      cells.push(cell(actor, method, path, res.status));
    }
  }
  return cells;
}

/** API routes, tried by every actor: with its token, or with its session and CSRF header. */
export async function apiStatuses(app: Express, actors: Actor[], routes: RouteCase[]): Promise<string[]> {
  const cells: string[] = [];
  for (const actor of actors) {
    for (const [method, path, body] of routes) {
      const verb = method.toLowerCase() as 'get';
      const req = actor.token
        ? request(app)[verb](path).set('Authorization', `Bearer ${actor.token}`)
        : actor.browser!.agent[verb](path).set('x-csrf-token', actor.browser!.csrf);
      const res = body ? await req.send(body) : await req;
      cells.push(cell(actor, method, path, res.status));
    }
  }
  return cells;
}
