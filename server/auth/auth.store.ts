/**
 * Storage of users, sessions, API tokens, invitations and login attempts.
 * Functions on tenant data take the organisation id first and filter on it.
 */
import { and, asc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../storage/db';
import { apiTokens, invitations, loginAttempts, organisations, sessions, users, type Role } from '../storage/schema';
import type { Principal } from '../http/context';

export type UserRow = typeof users.$inferSelect;

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase())).limit(1);
  return row;
}

/** Whether the user's organisation is deactivated (admins have none: false). */
export async function isOrganisationDeactivated(db: Db, orgId: string | null): Promise<boolean> {
  if (!orgId) return false;
  const [row] = await db.select({ deactivatedAt: organisations.deactivatedAt }).from(organisations).where(eq(organisations.id, orgId)).limit(1);
  return !!row?.deactivatedAt;
}

export async function insertUser(
  db: Db,
  v: { orgId: string | null; email: string; displayName: string; role: Role; passwordHash: string | null },
): Promise<UserRow> {
  const [row] = await db.insert(users).values({ ...v, email: v.email.toLowerCase() }).returning();
  return row;
}

export async function listUsers(db: Db, orgId: string): Promise<UserRow[]> {
  return db.select().from(users).where(eq(users.orgId, orgId)).orderBy(asc(users.displayName));
}

export async function getUser(db: Db, orgId: string, userId: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(and(eq(users.orgId, orgId), eq(users.id, userId))).limit(1);
  return row;
}

export async function updateUser(db: Db, orgId: string, userId: string, v: { role?: Role; active?: boolean; displayName?: string }) {
  const [row] = await db.update(users).set(v).where(and(eq(users.orgId, orgId), eq(users.id, userId))).returning();
  return row;
}

export async function countActiveReferents(db: Db, orgId: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.role, 'referent'), eq(users.active, true)));
  return Number(r.n);
}

export async function touchLogin(db: Db, userId: string, at: Date) {
  await db.update(users).set({ lastLoginAt: at }).where(eq(users.id, userId));
}

// Sessions ------------------------------------------------------------------------------------

export async function insertSession(db: Db, id: string, userId: string, expiresAt: Date) {
  await db.insert(sessions).values({ id, userId, expiresAt });
}

export async function deleteSession(db: Db, id: string) {
  await db.delete(sessions).where(eq(sessions.id, id));
}

export async function deleteUserSessions(db: Db, userId: string) {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

const principalColumns = {
  userId: users.id,
  orgId: users.orgId,
  orgCode: organisations.code,
  orgName: organisations.name,
  role: users.role,
  email: users.email,
  displayName: users.displayName,
};

export async function findSessionPrincipal(db: Db, id: string, now: Date): Promise<Omit<Principal, 'via'> | undefined> {
  const [row] = await db
    .select(principalColumns)
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(organisations, eq(organisations.id, users.orgId))
    // A deactivated organisation's users are signed out (admins have no organisation: null passes).
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now), eq(users.active, true), isNull(organisations.deactivatedAt)))
    .limit(1);
  return row ? { ...row, sessionId: id } : undefined;
}

export async function purgeExpiredSessions(db: Db, now: Date): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
  await db.delete(loginAttempts).where(lt(loginAttempts.windowStart, new Date(now.getTime() - 24 * 3600_000)));
}

// Login attempts (rate limiting) ---------------------------------------------------------------

/**
 * Counts one more attempt for `key` and returns the attempts in the window, in ONE statement:
 * the upsert locks the current minute's row, so parallel attempts each see a distinct total
 * (on PostgreSQL under read committed as on PGlite) and none can slip past the limit.
 */
export async function countAttempt(db: Db, key: string, windowStart: Date, since: Date): Promise<number> {
  const res = await db.execute(sql`
    with up as (
      insert into login_attempts (key, window_start, failures) values (${key}, ${windowStart.toISOString()}::timestamptz, 1)
      on conflict (key, window_start) do update set failures = login_attempts.failures + 1
      returning failures
    )
    select ((select failures from up) + coalesce((
      select sum(failures) from login_attempts
      where key = ${key} and window_start > ${since.toISOString()}::timestamptz and window_start <> ${windowStart.toISOString()}::timestamptz
    ), 0))::int as n`);
  return Number(((res as { rows?: { n: number }[] }).rows ?? [])[0]?.n ?? 0);
}

/** Takes back one attempt (a successful login is not a failure of its address). */
export async function uncountAttempt(db: Db, key: string, windowStart: Date) {
  await db
    .update(loginAttempts)
    .set({ failures: sql`greatest(${loginAttempts.failures} - 1, 0)` })
    .where(and(eq(loginAttempts.key, key), eq(loginAttempts.windowStart, windowStart)));
}

export async function clearFailures(db: Db, key: string) {
  await db.delete(loginAttempts).where(eq(loginAttempts.key, key));
}

// API tokens ------------------------------------------------------------------------------------

export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function insertApiToken(
  db: Db,
  orgId: string,
  v: { userId: string | null; name: string; prefix: string; tokenHash: string; role: Role },
): Promise<ApiTokenRow> {
  const [row] = await db.insert(apiTokens).values({ orgId, ...v }).returning();
  return row;
}

export async function listUserTokens(db: Db, orgId: string, userId: string): Promise<ApiTokenRow[]> {
  return db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.orgId, orgId), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .orderBy(asc(apiTokens.createdAt));
}

export async function revokeUserToken(db: Db, orgId: string, userId: string, tokenId: string, at: Date): Promise<boolean> {
  const r = await db
    .update(apiTokens)
    .set({ revokedAt: at })
    .where(and(eq(apiTokens.orgId, orgId), eq(apiTokens.userId, userId), eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return r.length > 0;
}

export async function findTokenPrincipal(db: Db, tokenHash: string) {
  const [row] = await db
    .select({
      tokenId: apiTokens.id,
      tokenRole: apiTokens.role,
      orgId: apiTokens.orgId,
      orgCode: organisations.code,
      orgName: organisations.name,
      tokenName: apiTokens.name,
      lastUsedAt: apiTokens.lastUsedAt,
      userId: apiTokens.userId,
      userRole: users.role,
      userActive: users.active,
      email: users.email,
      displayName: users.displayName,
    })
    .from(apiTokens)
    .innerJoin(organisations, eq(organisations.id, apiTokens.orgId))
    .leftJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), isNull(organisations.deactivatedAt)))
    .limit(1);
  return row;
}

export async function touchToken(db: Db, tokenId: string, at: Date) {
  await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, tokenId));
}

// Invitations -----------------------------------------------------------------------------------

export async function insertInvitation(
  db: Db,
  orgId: string,
  v: { email: string; role: Role; tokenHash: string; invitedBy: string | null; expiresAt: Date },
) {
  const [row] = await db.insert(invitations).values({ orgId, ...v, email: v.email.toLowerCase() }).returning();
  return row;
}

export async function listPendingInvitations(db: Db, orgId: string, now: Date) {
  return db
    .select()
    .from(invitations)
    .where(and(eq(invitations.orgId, orgId), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)))
    .orderBy(asc(invitations.createdAt));
}

export async function findInvitation(db: Db, tokenHash: string, now: Date) {
  const [row] = await db
    .select({ inv: invitations, orgName: organisations.name })
    .from(invitations)
    .innerJoin(organisations, eq(organisations.id, invitations.orgId))
    .where(and(eq(invitations.tokenHash, tokenHash), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)))
    .limit(1);
  return row;
}

export async function markInvitationAccepted(db: Db, id: string, at: Date) {
  await db.update(invitations).set({ acceptedAt: at }).where(eq(invitations.id, id));
}
