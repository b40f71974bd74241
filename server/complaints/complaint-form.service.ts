/**
 * The hall's suggestion / complaint form (`surveys/reclamation.json`, kind `complaint`) sent by
 * a kiosk or a public link: the same envelope, checks, rate limits and offline queue as an
 * answer set (server/surveys/), but the entry goes into the complaints register, never into
 * `responses`. Its id is the client's UUID: a tablet retrying after a lost reply gets 200
 * `duplicate`, and the register holds one entry.
 *
 * Contact details are optional (the form never requires them) and are erased with the others
 * after the register's retention period (complaints.retention.ts). The channel says where
 * the entry came from: `borne` or `lien_public`. The received date is the day (Europe/Paris) the
 * visitor completed the form, a tablet offline for a while delivering it later.
 */
import type { Deps } from '../deps';
import { conflict } from '../errors';
import { checkSubmission, parseSubmission } from '../surveys/responses.service';
import type { Sender } from '../surveys/answer-set-writer';
import { consume, type Limit } from '../surveys/rate-limit';
import type { ComplaintChannel, ComplaintKind } from '../storage/schema';
import { calendarOf } from './complaint.service';
import { complaintDeadline } from './complaint-calendar';
import * as store from './complaint.store';

type Ctx = Pick<Deps, 'db' | 'clock' | 'surveys'>;

export interface ComplaintFormSubmission {
  sender: Sender;
  /** `kiosk:<id>`, or `web` for the organisation's public links. */
  submissionKey: string;
  body: unknown;
  rateKey: string;
  limit: Limit;
  /** Refuses (throws) when the sender may not deliver an entry completed at that time (a paused kiosk). */
  checkSender?: (completedAt: Date) => Promise<void>;
}

const text = (v: unknown, max: number): string | null => {
  const s = typeof v === 'string' ? v.trim().slice(0, max) : '';
  return s ? s : null;
};

const parisDay = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);

export async function submitComplaintForm(ctx: Ctx, o: ComplaintFormSubmission): Promise<'created' | 'duplicate'> {
  let answers: Record<string, unknown>;
  let id: string;
  let completedAt: Date;
  try {
    const s = parseSubmission(o.body);
    const row = await checkSubmission(ctx, o.sender, s);
    answers = row.answers as Record<string, unknown>;
    id = s.id;
    completedAt = new Date(s.completedAt);
  } catch (err) {
    await consume(ctx, o.rateKey, o.limit);
    throw err;
  }
  await consume(ctx, o.rateKey, o.limit);
  await o.checkSender?.(completedAt);
  const receivedOn = parisDay(completedAt);
  const cal = await calendarOf(ctx, o.sender.orgId);
  const channel: ComplaintChannel = o.sender.channel === 'kiosk' ? 'borne' : 'lien_public';
  const row = await store.insertSubmitted(ctx.db, o.sender.orgId, id, {
    channel, kind: (answers.nature === 'suggestion' ? 'suggestion' : 'reclamation') as ComplaintKind,
    serviceId: null, matricule: text(answers.matricule, 20),
    receivedOn, deadlineOn: complaintDeadline(receivedOn, cal), answeredOn: null, delayDays: null,
    subject: text(answers.message, 2000) ?? '', answerSummary: '', correctiveMeasure: '',
    contactName: text(answers.contact_nom, 200), contactEmail: text(answers.contact_courriel, 200),
    contactPhone: text(answers.contact_telephone, 40), contactAddress: text(answers.contact_adresse, 400),
  }, o.submissionKey);
  if (row) return 'created';
  const owner = await store.ownerOf(ctx.db, id);
  if (owner && owner.orgId === o.sender.orgId && owner.submissionKey === o.submissionKey) return 'duplicate';
  throw conflict('Cet identifiant de réponse est déjà utilisé.');
}
