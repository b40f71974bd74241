/**
 * The one rule password login asks of ProConnect: an organisation that requires ProConnect
 * refuses its users' passwords. Kept apart from proconnect.service so that auth.service can
 * call it without an import cycle.
 */
import { AppError } from '../errors';
import type { Deps } from '../deps';
import { PROCONNECT_REQUIRED_MESSAGE } from './proconnect.errors';
import { isProConnectRequired } from './proconnect.store';

/** Throws 403 `proconnect_required`; never locks an organisation out while ProConnect is off. */
export async function assertPasswordLoginAllowed(ctx: Pick<Deps, 'db' | 'config'>, user: { orgId: string | null }): Promise<void> {
  if (!ctx.config.proconnect) return;
  if (await isProConnectRequired(ctx.db, user.orgId)) throw new AppError(403, 'proconnect_required', PROCONNECT_REQUIRED_MESSAGE);
}
