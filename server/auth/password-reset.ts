/**
 * « Mot de passe oublié »: a single-use link valid one hour, e-mailed through the platform's
 * SMTP. Only the SHA-256 of the token is stored. The answer is the same whether the address
 * exists or not, and the e-mail leaves in the background so that timing says nothing either.
 * Limits: per client address (HMAC key, shared rate-limit windows) and per account (at most
 * RESET_MAX_PER_ACCOUNT links an hour, silently).
 */
import { and, count, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { sendPlatformMail, platformMailConfigured } from '../mail/platform-mailer';
import { organisations, passwordResets, users } from '../storage/schema';
import { consume, type Limit } from '../surveys/rate-limit';
import { passwordField } from './auth.schemas';
import * as store from './auth.store';
import { hashPassword } from './passwords';
import { hmacKey, randomToken, sha256 } from './tokens';

export const RESET_TTL_MS = 60 * 60_000;
export const RESET_MAX_PER_ACCOUNT = 3;
export const RESET_REQUESTS_PER_ADDRESS: Limit = { windowSeconds: 3600, max: 10 };

export const resetRequestSchema = z.object({
  email: z.string().trim().toLowerCase().email('Saisissez une adresse électronique valide.'),
});
export const resetSchema = z
  .object({ password: passwordField, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'Les deux mots de passe ne sont pas identiques.' });

type Ctx = Pick<Deps, 'db' | 'clock' | 'config' | 'logger' | 'secret'>;

export function resetMessage(link: string) {
  return {
    subject: 'Qualimètre : choisir un nouveau mot de passe',
    text: `Bonjour,\n\nUne demande de nouveau mot de passe a été faite pour votre compte Qualimètre.\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable une heure, une seule fois) :\n${link}\n\nSi vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.\n`,
  };
}

/** Records a link and e-mails it when the address is an active account; says nothing either way. */
export async function requestReset(ctx: Ctx, email: string, clientAddress: string, baseUrl: string): Promise<void> {
  await consume(ctx, `reset:${hmacKey(ctx.secret, `addr:${clientAddress}`)}`, RESET_REQUESTS_PER_ADDRESS);
  if (!platformMailConfigured(ctx.config)) return;
  const user = await store.findUserByEmail(ctx.db, email);
  if (!user || !user.active) return;
  if (user.orgId) {
    const [org] = await ctx.db.select({ deactivatedAt: organisations.deactivatedAt }).from(organisations).where(eq(organisations.id, user.orgId));
    if (org?.deactivatedAt) return;
  }
  const now = ctx.clock.now();
  const [recent] = await ctx.db.select({ n: count() }).from(passwordResets)
    .where(and(eq(passwordResets.userId, user.id), gt(passwordResets.createdAt, new Date(now.getTime() - RESET_TTL_MS))));
  if (Number(recent?.n ?? 0) >= RESET_MAX_PER_ACCOUNT) return;
  const token = randomToken();
  await ctx.db.insert(passwordResets).values({ userId: user.id, tokenHash: sha256(token), expiresAt: new Date(now.getTime() + RESET_TTL_MS), createdAt: now });
  const m = resetMessage(`${baseUrl}/mot-de-passe/${token}`);
  void sendPlatformMail(ctx.config, { to: user.email, ...m }).catch((err: Error) => {
    ctx.logger.warn({ err: err.message }, 'password reset e-mail failed');
  });
}

const invalidLink = () => new AppError(404, 'reset_invalid', 'Ce lien n’est pas valable : il a déjà servi ou a expiré (une heure). Demandez-en un nouveau.');

/** The pending reset of a token, or 404 in plain French. */
export async function findReset(ctx: Pick<Deps, 'db' | 'clock'>, token: string) {
  const [row] = await ctx.db.select({ id: passwordResets.id, userId: passwordResets.userId, email: users.email }).from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(and(eq(passwordResets.tokenHash, sha256(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, ctx.clock.now()), eq(users.active, true)));
  if (!row) throw invalidLink();
  return row;
}

/** Uses the link once: the new password is set, every session of the account ends. */
export async function resetPassword(ctx: Pick<Deps, 'db' | 'clock'>, token: string, password: string): Promise<void> {
  const r = await findReset(ctx, token);
  const now = ctx.clock.now();
  const hash = await hashPassword(password);
  await ctx.db.transaction(async (tx) => {
    // Single use even under a double click: only one update finds the row unused.
    const used = await tx.update(passwordResets).set({ usedAt: now }).where(and(eq(passwordResets.id, r.id), isNull(passwordResets.usedAt))).returning({ id: passwordResets.id });
    if (!used.length) throw invalidLink();
    await tx.update(users).set({ passwordHash: hash }).where(eq(users.id, r.userId));
    await tx.update(passwordResets).set({ usedAt: now }).where(and(eq(passwordResets.userId, r.userId), isNull(passwordResets.usedAt)));
  });
  await store.deleteUserSessions(ctx.db, r.userId);
}
