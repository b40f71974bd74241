/**
 * Public web links: the same survey published on the prefecture's website. Anonymous (no
 * cookie, no address stored); submissions rate-limited per visitor with a key that rotates
 * every day (see rate-limit.ts).
 */
import crypto from 'node:crypto';
import type { Deps } from '../deps';
import { AppError, ValidationError, notFound } from '../errors';
import * as orgSvc from '../org/org.service';
import { WEB_SUBMISSIONS, visitorKey } from './rate-limit';
import { submit, type StoreOutcome } from './responses.service';
import * as store from './public-links.store';
import { kioskFormOf, surveyKind } from './surveys.service';
import { submitComplaintForm } from '../complaints/complaint-form.service';

type Ctx = Pick<Deps, 'db' | 'clock' | 'surveys' | 'secret'>;

export function listLinks(ctx: Pick<Deps, 'db'>, orgId: string) {
  return store.listLinks(ctx.db, orgId);
}

export async function createLink(ctx: Ctx, orgId: string, v: { surveyId: string; siteId?: string | null }) {
  if (!kioskFormOf(ctx, v.surveyId, 'web')) throw new ValidationError({ surveyId: 'Choisissez un questionnaire.' });
  if (v.siteId) {
    try {
      await orgSvc.requireSite(ctx, orgId, v.siteId);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw new ValidationError({ siteId: 'Choisissez un site.' });
      throw err;
    }
  }
  // Short and unguessable enough: a link is public anyway, the slug only has to be unique.
  const slug = crypto.randomBytes(8).toString('base64url');
  return store.insertLink(ctx.db, orgId, { surveyId: v.surveyId, siteId: v.siteId || null, slug });
}

export async function setLinkActive(ctx: Ctx, orgId: string, id: string, active: boolean) {
  const row = await store.setActive(ctx.db, orgId, id, active);
  if (!row) throw notFound('Lien');
  return row;
}

const SLUG = /^[A-Za-z0-9_-]{6,40}$/;

/** The active link of a slug; 404 otherwise. */
export async function requireActiveLink(ctx: Ctx, slug: string) {
  const row = SLUG.test(slug) ? await store.findBySlug(ctx.db, slug) : undefined;
  if (!row || !row.active || !kioskFormOf(ctx, row.surveyId, 'web')) throw notFound('Questionnaire');
  return row;
}

export async function submitFromWeb(ctx: Ctx, slug: string, address: string, body: unknown): Promise<StoreOutcome> {
  const link = await requireActiveLink(ctx, slug);
  if (surveyKind(kioskFormOf(ctx, link.surveyId, 'web')!) === 'complaint') {
    // The complaint form: into the complaints register (public links of one organisation share one sender).
    return submitComplaintForm(ctx, {
      sender: { orgId: link.orgId, siteId: link.siteId, kioskId: null, channel: 'web', surveyId: link.surveyId },
      submissionKey: 'web', body, rateKey: visitorKey(ctx, link.id, address), limit: WEB_SUBMISSIONS,
    });
  }
  return submit(ctx, {
    sender: { orgId: link.orgId, siteId: link.siteId, kioskId: null, channel: 'web', surveyId: link.surveyId },
    body,
    rateKey: visitorKey(ctx, link.id, address),
    limit: WEB_SUBMISSIONS,
  });
}
