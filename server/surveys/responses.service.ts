/**
 * Storing one answer set, whoever sends it (kiosk or public link): check the envelope, the
 * survey version and the answers against that version's validator, then store it once by
 * its client-generated id. The organisation, site and kiosk come from the sender's
 * credentials, never from the payload, so a sender can only write into its own organisation.
 */
import type { Deps } from '../deps';
import { AppError } from '../errors';
import { PROBLEM_MESSAGES, cleanUntrusted } from '../http/untrusted-input';
import type { AnswerError } from './answer-validator';
import { writerFor, type Sender, type StoreOutcome } from './answer-set-writer';
import { consume, type Limit } from './rate-limit';
import * as store from './responses.store';
import { submissionSchema, type Submission } from './submission.schema';
import { ensureCurrentVersion, getSurvey, validatorFor } from './surveys.service';

export type { Sender, StoreOutcome } from './answer-set-writer';

/** Clock skew tolerated between a tablet and the server. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** An answer set completed longer ago than this is refused (a tablet offline for months is not trusted). */
export const MAX_AGE_MS = 90 * 24 * 3600_000;

export interface EnvelopeProblem {
  field: string;
  code: string;
  message: string;
}

export function invalidSubmission(problems: EnvelopeProblem[]): AppError {
  return new AppError(422, 'invalid_submission', 'La réponse envoyée est invalide.', problems);
}

export function invalidAnswers(errors: AnswerError[]): AppError {
  return new AppError(422, 'invalid_answers', 'Certaines réponses sont invalides.', errors.map((e) => ({ question: e.question, code: e.code, message: e.message })));
}

/** Parses the JSON envelope; 422 with one problem per field. */
export function parseSubmission(body: unknown): Submission {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw invalidSubmission([{ field: '_', code: 'not_an_object', message: 'Un objet JSON est attendu.' }]);
  }
  // What PostgreSQL cannot store: lone surrogates replaced by U+FFFD, NUL and deep nesting
  // refused (see http/untrusted-input.ts), before anything else reads the payload.
  const cleaned = cleanUntrusted(body);
  if ('problem' in cleaned) {
    const { path, code } = cleaned.problem;
    throw invalidSubmission([{ field: path[0] ?? '_', code, message: PROBLEM_MESSAGES[code] }]);
  }
  body = cleaned.value;
  const parsed = submissionSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems: EnvelopeProblem[] = [];
  const seen = new Set<string>();
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '_');
    if (seen.has(field)) continue;
    seen.add(field);
    const given = (body as Record<string, unknown>)[field];
    problems.push({ field, code: given === undefined ? 'missing' : 'invalid', message: given === undefined ? 'Champ obligatoire.' : issue.message });
  }
  throw invalidSubmission(problems);
}

const toMinute = (d: Date) => new Date(Math.floor(d.getTime() / 60_000) * 60_000);

/**
 * Checks a parsed submission against the sender, the clock and the answer validator of its
 * survey version; returns the row to store. 422 when refused.
 */
export async function checkSubmission(ctx: Pick<Deps, 'db' | 'clock' | 'surveys'>, sender: Sender, s: Submission): Promise<store.NewResponse> {
  const entry = getSurvey(ctx, sender.surveyId);
  if (s.survey !== sender.surveyId || !entry) {
    throw invalidSubmission([{ field: 'survey', code: 'wrong_survey', message: 'Ce questionnaire n’est pas celui de cette borne ou de ce lien.' }]);
  }
  if (!entry.locales.includes(s.locale)) {
    throw invalidSubmission([{ field: 'locale', code: 'unsupported_locale', message: `Langue non proposée par ce questionnaire : ${s.locale}.` }]);
  }
  const now = ctx.clock.now();
  const completedAt = new Date(s.completedAt);
  if (completedAt.getTime() > now.getTime() + MAX_FUTURE_SKEW_MS) {
    throw invalidSubmission([{ field: 'completedAt', code: 'completed_at_future', message: 'La date de fin est dans le futur.' }]);
  }
  if (completedAt.getTime() < now.getTime() - MAX_AGE_MS) {
    throw invalidSubmission([{ field: 'completedAt', code: 'completed_at_too_old', message: 'La date de fin est trop ancienne.' }]);
  }
  // The current version must be recorded before an answer set refers to it.
  await ensureCurrentVersion(ctx, entry);
  const validator = await validatorFor(ctx, s.survey, s.version);
  if (!validator) {
    throw invalidSubmission([{ field: 'version', code: 'unknown_version', message: 'Version de questionnaire inconnue.' }]);
  }
  const result = validator.validate(s.answers);
  if (!result.ok) throw invalidAnswers(result.errors);
  return {
    id: s.id,
    orgId: sender.orgId,
    surveyId: s.survey,
    surveyVersion: s.version,
    siteId: sender.siteId,
    kioskId: sender.kioskId,
    channel: sender.channel,
    locale: s.locale,
    answers: result.data,
    // Anonymity: times to the minute only.
    completedAt: toMinute(completedAt),
    receivedAt: toMinute(now),
  };
}

export interface SubmitOptions {
  sender: Sender;
  body: unknown;
  /** Rate limit of this sender (see rate-limit.ts). */
  rateKey: string;
  limit: Limit;
}

/**
 * One submission from body to row. The checks run first (no database write); a refused
 * submission still counts against the limit, and beyond the limit 429 wins over any other
 * refusal. A valid one joins the next group commit (answer-set-writer.ts), where the
 * kiosk's state, the rate-limit hit, the insert and the kiosk's contact commit together.
 */
export async function submit(ctx: Pick<Deps, 'db' | 'clock' | 'surveys'>, o: SubmitOptions): Promise<StoreOutcome> {
  const at = ctx.clock.now().getTime();
  let submission: Submission;
  let row: store.NewResponse;
  try {
    submission = parseSubmission(o.body);
    row = await checkSubmission(ctx, o.sender, submission);
  } catch (err) {
    await consume(ctx, o.rateKey, o.limit);
    throw err;
  }
  return writerFor(ctx.db).write({
    sender: o.sender, row, completedAt: new Date(submission.completedAt), rateKey: o.rateKey, limit: o.limit, at, queued: submission.queued,
  });
}

/** Answer sets stored per kiosk, for the kiosk list. */
export function countAnswersByKiosk(ctx: Pick<Deps, 'db'>, orgId: string, kioskIds: string[]): Promise<Map<string, number>> {
  return store.countByKiosk(ctx.db, orgId, kioskIds);
}

/** Per month and reason, the taps of a counting form (the point numérique's visits). */
export function monthlyChoiceCounts(ctx: Pick<Deps, 'db'>, orgId: string, surveyId: string, question: string, from: string, to: string) {
  return store.monthlyChoiceCounts(ctx.db, orgId, surveyId, question, from, to);
}

/** Per month and value, the answers to one question over every survey (per-day counters). */
export function monthlyCounterValues(ctx: Pick<Deps, 'db'>, orgId: string, item: string, from: string, to: string) {
  return store.monthlyCounterValues(ctx.db, orgId, item, from, to);
}
