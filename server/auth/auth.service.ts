/**
 * Authentication use cases: log in (rate-limited per account and per address), sessions,
 * personal API tokens, invitations. Cookies and tokens are random; only hashes are stored.
 */
import { AppError, ValidationError, notFound } from '../errors';
import type { Deps } from '../deps';
import type { Principal } from '../http/context';
import type { Role } from '../storage/schema';
import * as store from './auth.store';
import { dummyHash, hashPassword, verifyPassword } from './passwords';
import { hmacKey, randomToken, sha256 } from './tokens';
import { assertPasswordLoginAllowed } from './proconnect.policy';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config' | 'secret' | 'logger'> & { delay?: (ms: number) => Promise<void> };

export const RATE_WINDOW_MS = 15 * 60_000;
/** Per account: a hard limit (an account is what a guesser targets). */
export const MAX_FAILURES_PER_ACCOUNT = 5;
/**
 * Per address: many agents share one prefecture proxy, so an address is slowed, not locked:
 * beyond ADDRESS_FREE_ATTEMPTS each attempt waits longer (doubling, capped), and only a flood
 * beyond MAX_ATTEMPTS_PER_ADDRESS is refused.
 */
export const ADDRESS_FREE_ATTEMPTS = 20;
export const MAX_ATTEMPTS_PER_ADDRESS = 300;
export const MAX_ADDRESS_DELAY_MS = 8_000;
export const API_TOKEN_PREFIX = 'qm_';

function windowStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000);
}

export class TooManyAttemptsError extends AppError {
  constructor() {
    super(429, 'too_many_attempts', 'Trop de tentatives de connexion. Réessayez dans quelques minutes.');
  }
}

const sleep = (ms: number) => new Promise<void>((r) => (ms > 0 ? setTimeout(r, ms) : r()));

/** The wait before answering the n-th attempt of an address in the window (0 up to the free ones). */
export function addressDelayMs(n: number): number {
  if (n <= ADDRESS_FREE_ATTEMPTS) return 0;
  return Math.min(MAX_ADDRESS_DELAY_MS, 250 * 2 ** Math.min(n - ADDRESS_FREE_ATTEMPTS - 1, 10));
}

export const ORGANISATION_DEACTIVATED_MESSAGE =
  'Votre organisation est désactivée sur Qualimètre : plus aucun de ses comptes ne peut se connecter. Ses données sont conservées ; demandez à l’administrateur de la plateforme de la réactiver.';

/** Returns a new session cookie value, or throws. Never says whether the account exists. */
export async function login(ctx: Ctx, email: string, password: string, address: string): Promise<{ cookie: string; principal: Omit<Principal, 'via'> }> {
  const now = ctx.clock.now();
  const since = new Date(now.getTime() - RATE_WINDOW_MS);
  const accountKey = hmacKey(ctx.secret, `account:${email.toLowerCase()}`);
  const addressKey = hmacKey(ctx.secret, `addr:${address}`);
  const ws = windowStart(now);
  // Increment-and-check BEFORE the password is verified: parallel guesses cannot all pass.
  const byAddress = await store.countAttempt(ctx.db, addressKey, ws, since);
  if (byAddress > MAX_ATTEMPTS_PER_ADDRESS) throw new TooManyAttemptsError();
  const byAccount = await store.countAttempt(ctx.db, accountKey, ws, since);
  if (byAccount > MAX_FAILURES_PER_ACCOUNT) throw new TooManyAttemptsError();
  await (ctx.delay ?? sleep)(addressDelayMs(byAddress));

  const user = await store.findUserByEmail(ctx.db, email);
  const ok = user && user.active ? await verifyPassword(user.passwordHash, password) : (await verifyPassword(await dummyHash(), password), false);
  if (!user || !ok) throw new AppError(401, 'invalid_credentials', 'Adresse électronique ou mot de passe incorrect.');
  await store.clearFailures(ctx.db, accountKey);
  await store.uncountAttempt(ctx.db, addressKey, ws);
  // After the password check, like the ProConnect rule: says nothing to a guesser.
  if (await store.isOrganisationDeactivated(ctx.db, user.orgId)) throw new AppError(403, 'organisation_deactivated', ORGANISATION_DEACTIVATED_MESSAGE);
  await assertPasswordLoginAllowed(ctx, user);
  const cookie = randomToken();
  const expires = new Date(now.getTime() + ctx.config.SESSION_TTL_HOURS * 3600_000);
  await store.insertSession(ctx.db, sha256(cookie), user.id, expires);
  await store.touchLogin(ctx.db, user.id, now);
  const principal = await store.findSessionPrincipal(ctx.db, sha256(cookie), now);
  return { cookie, principal: principal! };
}

export async function logout(ctx: Ctx, sessionId: string) {
  await store.deleteSession(ctx.db, sessionId);
}

export async function principalFromSession(ctx: Ctx, cookie: string): Promise<Principal | undefined> {
  const p = await store.findSessionPrincipal(ctx.db, sha256(cookie), ctx.clock.now());
  return p ? { ...p, via: 'session' } : undefined;
}

/** Resolve a Bearer token. A user's token never grants more than the user's current role. */
export async function principalFromToken(ctx: Ctx, token: string): Promise<Principal | undefined> {
  if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
  const row = await store.findTokenPrincipal(ctx.db, sha256(token));
  if (!row) return undefined;
  const role: Role = row.tokenRole;
  if (row.userId) {
    if (!row.userActive) return undefined;
    if (row.tokenRole !== 'viewer' && row.tokenRole !== row.userRole) return undefined;
  }
  // Touching on every call would turn reads into writes: once a minute is enough.
  const now = ctx.clock.now();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) await store.touchToken(ctx.db, row.tokenId, now);
  return {
    userId: row.userId,
    orgId: row.orgId,
    orgCode: row.orgCode,
    orgName: row.orgName,
    role,
    email: row.email ?? null,
    displayName: row.displayName ?? row.tokenName,
    via: 'token',
    tokenId: row.tokenId,
  };
}

export async function createApiToken(
  ctx: Ctx,
  orgId: string,
  v: { userId: string | null; userRole?: Role; name: string; role: Role },
): Promise<{ token: string; id: string }> {
  if (v.role === 'admin') throw new ValidationError({ role: 'Un jeton ne peut pas avoir le rôle administrateur.' });
  if (v.userRole && v.role !== 'viewer' && v.role !== v.userRole) {
    throw new ValidationError({ role: 'Un jeton ne peut pas avoir plus de droits que son propriétaire.' });
  }
  const token = randomToken(API_TOKEN_PREFIX);
  const row = await store.insertApiToken(ctx.db, orgId, {
    userId: v.userId, name: v.name, role: v.role, prefix: token.slice(0, 8), tokenHash: sha256(token),
  });
  return { token, id: row.id };
}

export async function createUser(
  ctx: Ctx,
  v: { orgId: string | null; email: string; displayName: string; role: Role; password: string | null },
) {
  if (await store.findUserByEmail(ctx.db, v.email)) throw new ValidationError({ email: 'Un compte existe déjà avec cette adresse.' });
  const passwordHash = v.password ? await hashPassword(v.password) : null;
  return store.insertUser(ctx.db, { orgId: v.orgId, email: v.email, displayName: v.displayName, role: v.role, passwordHash });
}

export const INVITATION_TTL_DAYS = 7;

export async function invite(ctx: Ctx, orgId: string, invitedBy: string | null, email: string, role: Role): Promise<string> {
  // Only a member of this organisation is named (the member list shows them anyway). An
  // address with an account elsewhere gets an invitation like any other, so a referent cannot
  // learn who has an account in another organisation; the invitee, who owns the address, is
  // told at acceptance that the account exists.
  const existing = await store.findUserByEmail(ctx.db, email);
  if (existing && existing.orgId === orgId) throw new ValidationError({ email: 'Cette personne est déjà membre de votre organisation.' });
  const token = randomToken();
  const expiresAt = new Date(ctx.clock.now().getTime() + INVITATION_TTL_DAYS * 86400_000);
  await store.insertInvitation(ctx.db, orgId, { email, role, tokenHash: sha256(token), invitedBy, expiresAt });
  return token;
}

export async function findInvitation(ctx: Ctx, token: string) {
  const row = await store.findInvitation(ctx.db, sha256(token), ctx.clock.now());
  if (!row) throw notFound('Invitation');
  return row;
}

export async function acceptInvitation(ctx: Ctx, token: string, displayName: string, password: string) {
  const { inv } = await findInvitation(ctx, token);
  return ctx.db.transaction(async (tx) => {
    const user = await createUser({ ...ctx, db: tx as never }, {
      orgId: inv.orgId, email: inv.email, displayName, role: inv.role, password,
    });
    await store.markInvitationAccepted(tx as never, inv.id, ctx.clock.now());
    return user;
  });
}
