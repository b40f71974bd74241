/**
 * Who gets in through ProConnect. Qualimètre never creates an account on the fly: the agent
 * must already have one (matched by the e-mail ProConnect vouches for, then remembered by
 * ProConnect's `sub`), or hold an invitation and accept it through ProConnect. Everyone else
 * sees a page explaining whom to ask. Sessions are the app's usual ones (database, new cookie
 * at every login); the ID token is kept beside the session for RP-initiated logout.
 */
import type { Deps } from '../deps';
import * as authStore from './auth.store';
import { createUser, findInvitation } from './auth.service';
import { randomToken, sha256 } from './tokens';
import type { ProConnectIdentity } from './proconnect.client';
import {
  accountDeactivated, emailNotVerified, invitationMismatch, organisationDeactivated, subjectConflict,
} from './proconnect.errors';
import * as store from './proconnect.store';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config' | 'secret' | 'logger'>;

export type ProConnectLogin =
  | { kind: 'session'; cookie: string; userId: string; linked: boolean; invited: boolean }
  | { kind: 'unknown'; email: string | null };

function displayName(id: ProConnectIdentity): string {
  const name = [id.givenName, id.usualName].filter(Boolean).join(' ').trim();
  return name || id.email || 'Agent';
}

/** Finds (or, with an invitation, creates) the user; throws ProConnectError when refused. */
async function resolveUser(ctx: Ctx, id: ProConnectIdentity, invitationToken: string | undefined) {
  const bySub = await store.findUserBySub(ctx.db, id.sub);
  if (bySub) return { user: bySub, linked: false, invited: false };

  // Matching by e-mail needs an address ProConnect vouches for. ProConnect only federates
  // identity providers that verify agents' addresses and does not send `email_verified`;
  // a provider that says `false` is refused.
  if (!id.email || id.emailVerified === false) throw emailNotVerified();

  const byEmail = await authStore.findUserByEmail(ctx.db, id.email);
  if (byEmail) {
    if (byEmail.proconnectSub && byEmail.proconnectSub !== id.sub) throw subjectConflict();
    if (!byEmail.active) return { user: byEmail, linked: false, invited: false };
    await store.linkSub(ctx.db, byEmail.id, id.sub);
    return { user: { ...byEmail, proconnectSub: id.sub }, linked: true, invited: false };
  }

  if (invitationToken) {
    const { inv } = await findInvitation(ctx, invitationToken);
    if (inv.email.toLowerCase() !== id.email) throw invitationMismatch(inv.email);
    const user = await ctx.db.transaction(async (tx) => {
      const u = await createUser({ ...ctx, db: tx as never }, {
        orgId: inv.orgId, email: inv.email, displayName: displayName(id), role: inv.role, password: null,
      });
      await store.setSub(tx as never, u.id, id.sub);
      await authStore.markInvitationAccepted(tx as never, inv.id, ctx.clock.now());
      return u;
    });
    return { user, linked: true, invited: true };
  }
  return undefined;
}

export async function loginWithProConnect(
  ctx: Ctx,
  id: ProConnectIdentity,
  opts: { invitationToken?: string; previousSessionId?: string },
): Promise<ProConnectLogin> {
  const found = await resolveUser(ctx, id, opts.invitationToken);
  if (!found) return { kind: 'unknown', email: id.email };
  if (!found.user.active) throw accountDeactivated();
  if (await authStore.isOrganisationDeactivated(ctx.db, found.user.orgId)) throw organisationDeactivated();

  const now = ctx.clock.now();
  // Rotation: the session a browser had before logging in is never reused.
  if (opts.previousSessionId) await authStore.deleteSession(ctx.db, opts.previousSessionId);
  const cookie = randomToken();
  const sessionId = sha256(cookie);
  await authStore.insertSession(ctx.db, sessionId, found.user.id, new Date(now.getTime() + ctx.config.SESSION_TTL_HOURS * 3600_000));
  await store.insertProConnectSession(ctx.db, sessionId, { idToken: id.idToken, idpId: id.idpId, amr: id.amr });
  await authStore.touchLogin(ctx.db, found.user.id, now);
  // Ids only: no claim, no token, no address.
  ctx.logger.info({ module: 'proconnect', userId: found.user.id, linked: found.linked, invited: found.invited }, 'ProConnect login');
  return { kind: 'session', cookie, userId: found.user.id, linked: found.linked, invited: found.invited };
}
