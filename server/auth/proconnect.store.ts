/**
 * Storage for ProConnect: the `sub` remembered on a user, the organisation's « ProConnect
 * required » setting, and the ProConnect side of sessions (the ID token for logout).
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { organisations, proconnectSessions, users } from '../storage/schema';
import type { UserRow } from './auth.store';

export async function findUserBySub(db: Db, sub: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.proconnectSub, sub)).limit(1);
  return row;
}

/** Links a user to a ProConnect identity, only if it is not linked yet. */
export async function linkSub(db: Db, userId: string, sub: string): Promise<boolean> {
  const r = await db.update(users).set({ proconnectSub: sub }).where(and(eq(users.id, userId), isNull(users.proconnectSub))).returning({ id: users.id });
  return r.length > 0;
}

export async function setSub(db: Db, userId: string, sub: string) {
  await db.update(users).set({ proconnectSub: sub }).where(eq(users.id, userId));
}

/** Whether the user's organisation requires ProConnect (platform admins belong to none). */
export async function isProConnectRequired(db: Db, orgId: string | null): Promise<boolean> {
  if (!orgId) return false;
  const [row] = await db.select({ v: organisations.proconnectRequired }).from(organisations).where(eq(organisations.id, orgId)).limit(1);
  return row?.v === true;
}

export async function setProConnectRequired(db: Db, orgId: string, required: boolean): Promise<boolean> {
  const r = await db.update(organisations).set({ proconnectRequired: required }).where(eq(organisations.id, orgId)).returning({ id: organisations.id });
  return r.length > 0;
}

export async function insertProConnectSession(db: Db, sessionId: string, v: { idToken: string; idpId: string | null; amr: string[] }) {
  await db.insert(proconnectSessions).values({ sessionId, ...v });
}

export async function findProConnectSession(db: Db, sessionId: string) {
  const [row] = await db.select().from(proconnectSessions).where(eq(proconnectSessions.sessionId, sessionId)).limit(1);
  return row;
}
