/**
 * Complaints register use cases: record an entry (any channel), record its answer (the
 * working-day delay and the deadline are computed here with the organisation's calendar),
 * the monthly figures the board reads, and the retention purge of contact details.
 */
import type { Deps } from '../deps';
import { ValidationError, notFound } from '../errors';
import * as orgStore from '../org/org.store';
import type { HolidayZone } from '../campaigns/calendar/holidays';
import type { WorkingDayOptions } from '../campaigns/calendar/working-days';
import type { MonthValue } from '../indicators/board';
import { complaintDeadline, complaintDelay } from './complaint-calendar';
import { meanDelay, shareWithinDeadline } from './complaint-figures';
import type { ComplaintForm } from './complaint.schemas';
import * as store from './complaint.store';

type Ctx = Pick<Deps, 'db' | 'clock'>;

export async function calendarOf(ctx: Pick<Deps, 'db'>, orgId: string) {
  const org = await orgStore.getOrg(ctx.db, orgId);
  if (!org) throw notFound('Organisation');
  // Whit Monday counts as a holiday (the national default; domain.md §6).
  const cal: WorkingDayOptions = { zone: org.holidayZone as HolidayZone, whitMondayWorked: false };
  return cal;
}

async function checkService(ctx: Ctx, orgId: string, serviceId: string | null) {
  if (!serviceId) return;
  const s = await orgStore.getService(ctx.db, orgId, serviceId);
  if (!s) throw new ValidationError({ serviceId: 'Service inconnu.' });
}

function toInput(v: ComplaintForm, cal: WorkingDayOptions): store.ComplaintInput {
  if (v.answeredOn && v.answeredOn < v.receivedOn) throw new ValidationError({ answeredOn: 'La réponse ne peut précéder la réception.' });
  return {
    channel: v.channel, kind: v.kind, serviceId: v.serviceId, matricule: v.matricule,
    receivedOn: v.receivedOn, deadlineOn: complaintDeadline(v.receivedOn, cal),
    answeredOn: v.answeredOn, delayDays: v.answeredOn ? complaintDelay(v.receivedOn, v.answeredOn, cal) : null,
    subject: v.subject, answerSummary: v.answerSummary, correctiveMeasure: v.correctiveMeasure,
    contactName: v.contactName, contactEmail: v.contactEmail, contactPhone: v.contactPhone, contactAddress: v.contactAddress,
  };
}

export async function createComplaint(ctx: Ctx, orgId: string, userId: string | null, v: ComplaintForm) {
  await checkService(ctx, orgId, v.serviceId);
  return store.insertComplaint(ctx.db, orgId, toInput(v, await calendarOf(ctx, orgId)), userId);
}

export async function requireComplaint(ctx: Ctx, orgId: string, id: string) {
  const row = await store.getComplaint(ctx.db, orgId, id);
  if (!row) throw notFound('Réclamation');
  return row;
}

export async function updateComplaint(ctx: Ctx, orgId: string, id: string, v: ComplaintForm) {
  const current = await requireComplaint(ctx, orgId, id);
  await checkService(ctx, orgId, v.serviceId);
  const input = toInput(v, await calendarOf(ctx, orgId));
  // Erased contact details stay erased: an edit cannot bring them back.
  if (current.c.personalDataErasedAt) Object.assign(input, { contactName: null, contactEmail: null, contactPhone: null, contactAddress: null });
  return store.updateComplaint(ctx.db, orgId, id, input);
}

/** Monthly board values of the complaints received from `from` to `to` (dates), as of `asOf`. */
export async function complaintMonthlyValues(ctx: Pick<Deps, 'db'>, orgId: string, from: string, to: string, asOf: string): Promise<MonthValue[]> {
  const figures = await store.monthlyFigures(ctx.db, orgId, from, to, asOf);
  const out: MonthValue[] = [];
  for (const [month, f] of figures) {
    out.push({ indicatorId: 'reclamations-nombre', month, breakdown: '', value: f.count, numerator: null, denominator: null, source: 'computed' });
    const share = shareWithinDeadline(f);
    if (share !== null) out.push({ indicatorId: 'reclamations-15j', month, breakdown: '', value: share, numerator: f.withinDeadline, denominator: f.count - f.pending, source: 'computed' });
    const mean = meanDelay(f);
    if (mean !== null) out.push({ indicatorId: 'reclamations-delai', month, breakdown: '', value: mean, numerator: f.delaySum, denominator: f.answered, source: 'computed' });
  }
  return out;
}

/**
 * Erases the contact details of this organisation's complaints closed (answered, else
 * received) more than `days` days before `ctx.now` (a Paris calendar day); returns how many
 * were erased. Run by the compliance retention job (complaints.retention.ts).
 */
export async function purgeContactDetails(ctx: { db: Deps['db']; now: Date }, orgId: string, days: number): Promise<number> {
  const cutoff = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date(ctx.now.getTime() - days * 86_400_000));
  return store.erasePersonalData(ctx.db, orgId, cutoff, ctx.now);
}

/** Complaints received from `from` to `to` (dates), newest first: the action plan's choice of origin. */
export async function listComplaintChoices(ctx: Pick<Deps, 'db'>, orgId: string, from: string, to: string) {
  return (await store.listComplaints(ctx.db, orgId, from, to, 300)).map(({ c }) => ({ id: c.id, receivedOn: c.receivedOn, subject: c.subject }));
}
