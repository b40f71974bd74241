/**
 * Storage of mystery phone programmes. Every function takes the organisation id first and
 * puts it in the WHERE clause, in the role that organisation plays: participant (programme),
 * called organisation (numbers, scenarios, results), calling organisation (evaluators, plan,
 * calls, attempts), and for an evaluator also their own user id. A row of another
 * organisation is simply not found.
 */
import { and, asc, eq, inArray, isNotNull, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../storage/db';
import {
  organisations, phoneCallAttempts, phoneCalls, phoneEvaluators, phoneNumbers, phonePairs, phoneParticipants, phoneProgrammes,
  phoneScenarios, users, type PhoneAttemptOutcome, type PhoneNumberKind,
} from '../storage/schema';

export type ProgrammeRow = typeof phoneProgrammes.$inferSelect;
export type PairRow = typeof phonePairs.$inferSelect;
export type NumberRow = typeof phoneNumbers.$inferSelect;
export type ScenarioRow = typeof phoneScenarios.$inferSelect;
export type CallRow = typeof phoneCalls.$inferSelect;
export type AttemptRow = typeof phoneCallAttempts.$inferSelect;

// Programmes ------------------------------------------------------------------------------------

export interface ProgrammeInput {
  name: string;
  startsOn: string;
  endsOn: string;
  callsPerNumber: number;
  maxAttempts: number;
  attemptWaitSeconds: number;
  passMark: number;
  seed: number;
}

/** Creates a programme, its participants and pairs; the creating organisation has accepted. */
export async function insertProgramme(
  db: Db, ownerOrgId: string, createdBy: string | null, v: ProgrammeInput, pairs: { callerOrgId: string; calledOrgId: string }[], at: Date,
): Promise<ProgrammeRow> {
  return db.transaction(async (tx) => {
    const [p] = await tx.insert(phoneProgrammes).values({ ...v, ownerOrgId, createdBy }).returning();
    const orgIds = [...new Set(pairs.flatMap((x) => [x.callerOrgId, x.calledOrgId]).concat(ownerOrgId))];
    await tx.insert(phoneParticipants).values(orgIds.map((orgId) => ({
      programmeId: p.id, orgId, acceptedAt: orgId === ownerOrgId ? at : null, acceptedBy: orgId === ownerOrgId ? createdBy : null,
    })));
    await tx.insert(phonePairs).values(pairs.map((x) => ({ programmeId: p.id, ...x })));
    return p;
  });
}

export interface Participation {
  programme: ProgrammeRow;
  acceptedAt: Date | null;
}

export async function listProgrammes(db: Db, orgId: string): Promise<Participation[]> {
  const rows = await db
    .select({ programme: phoneProgrammes, acceptedAt: phoneParticipants.acceptedAt })
    .from(phoneParticipants)
    .innerJoin(phoneProgrammes, eq(phoneProgrammes.id, phoneParticipants.programmeId))
    .where(eq(phoneParticipants.orgId, orgId))
    .orderBy(sql`${phoneProgrammes.startsOn} desc`, asc(phoneProgrammes.name));
  return rows;
}

/** The programme, if the organisation takes part in it. */
export async function getProgramme(db: Db, orgId: string, programmeId: string): Promise<Participation | undefined> {
  const [row] = await db
    .select({ programme: phoneProgrammes, acceptedAt: phoneParticipants.acceptedAt })
    .from(phoneParticipants)
    .innerJoin(phoneProgrammes, eq(phoneProgrammes.id, phoneParticipants.programmeId))
    .where(and(eq(phoneParticipants.orgId, orgId), eq(phoneParticipants.programmeId, programmeId)))
    .limit(1);
  return row;
}

export async function acceptProgramme(db: Db, orgId: string, programmeId: string, userId: string | null, at: Date): Promise<boolean> {
  const r = await db
    .update(phoneParticipants)
    .set({ acceptedAt: at, acceptedBy: userId })
    .where(and(eq(phoneParticipants.orgId, orgId), eq(phoneParticipants.programmeId, programmeId), sql`${phoneParticipants.acceptedAt} is null`))
    .returning({ orgId: phoneParticipants.orgId });
  return r.length > 0;
}

/** Who takes part (codes, names, accepted or not): shown to every participant, never their data. */
export async function listParticipants(db: Db, orgId: string, programmeId: string) {
  if (!(await getProgramme(db, orgId, programmeId))) return [];
  return db
    .select({ orgId: organisations.id, code: organisations.code, name: organisations.name, acceptedAt: phoneParticipants.acceptedAt })
    .from(phoneParticipants)
    .innerJoin(organisations, eq(organisations.id, phoneParticipants.orgId))
    .where(eq(phoneParticipants.programmeId, programmeId))
    .orderBy(asc(organisations.code));
}

export interface PairView extends PairRow {
  callerCode: string;
  callerName: string;
  calledCode: string;
  calledName: string;
  callerAccepted: boolean;
  calledAccepted: boolean;
}

/** The pairs the organisation is part of, as caller or as called. */
export async function listPairs(db: Db, orgId: string, programmeId: string): Promise<PairView[]> {
  const oc = alias(organisations, 'oc');
  const od = alias(organisations, 'od');
  const pc = alias(phoneParticipants, 'pc');
  const pd = alias(phoneParticipants, 'pd');
  const rows = await db
    .select({
      pair: phonePairs, callerCode: oc.code, callerName: oc.name, calledCode: od.code, calledName: od.name,
      callerAcceptedAt: pc.acceptedAt, calledAcceptedAt: pd.acceptedAt,
    })
    .from(phonePairs)
    .innerJoin(oc, eq(oc.id, phonePairs.callerOrgId))
    .innerJoin(od, eq(od.id, phonePairs.calledOrgId))
    .innerJoin(pc, and(eq(pc.programmeId, phonePairs.programmeId), eq(pc.orgId, phonePairs.callerOrgId)))
    .innerJoin(pd, and(eq(pd.programmeId, phonePairs.programmeId), eq(pd.orgId, phonePairs.calledOrgId)))
    .where(and(eq(phonePairs.programmeId, programmeId), or(eq(phonePairs.callerOrgId, orgId), eq(phonePairs.calledOrgId, orgId))))
    .orderBy(asc(oc.code), asc(od.code));
  return rows.map((r) => ({
    ...r.pair, callerCode: r.callerCode, callerName: r.callerName, calledCode: r.calledCode, calledName: r.calledName,
    callerAccepted: r.callerAcceptedAt !== null, calledAccepted: r.calledAcceptedAt !== null,
  }));
}

// Numbers and scenarios (called organisation) ---------------------------------------------------

export interface NumberInput {
  kind: PhoneNumberKind;
  label: string;
  phone: string;
  serviceId: string | null;
}

export async function listNumbers(db: Db, orgId: string, programmeId: string): Promise<NumberRow[]> {
  return db.select().from(phoneNumbers)
    .where(and(eq(phoneNumbers.orgId, orgId), eq(phoneNumbers.programmeId, programmeId)))
    .orderBy(asc(phoneNumbers.createdAt), asc(phoneNumbers.id));
}

export async function getNumber(db: Db, orgId: string, programmeId: string, id: string): Promise<NumberRow | undefined> {
  const [row] = await db.select().from(phoneNumbers)
    .where(and(eq(phoneNumbers.orgId, orgId), eq(phoneNumbers.programmeId, programmeId), eq(phoneNumbers.id, id))).limit(1);
  return row;
}

export async function insertNumber(db: Db, orgId: string, programmeId: string, v: NumberInput): Promise<NumberRow> {
  const [row] = await db.insert(phoneNumbers).values({ orgId, programmeId, ...v }).returning();
  return row;
}

/** Deletes a number unless calls or scenarios refer to it (returns 'in_use'). */
export async function deleteNumber(db: Db, orgId: string, programmeId: string, id: string): Promise<'deleted' | 'not_found' | 'in_use'> {
  const [used] = await db.select({ n: sql<number>`count(*)::int` }).from(phoneCalls).where(and(eq(phoneCalls.calledOrgId, orgId), eq(phoneCalls.numberId, id)));
  const [scen] = await db.select({ n: sql<number>`count(*)::int` }).from(phoneScenarios).where(and(eq(phoneScenarios.orgId, orgId), eq(phoneScenarios.numberId, id)));
  if (!(await getNumber(db, orgId, programmeId, id))) return 'not_found';
  if (Number(used.n) > 0 || Number(scen.n) > 0) return 'in_use';
  await db.delete(phoneNumbers).where(and(eq(phoneNumbers.orgId, orgId), eq(phoneNumbers.programmeId, programmeId), eq(phoneNumbers.id, id)));
  return 'deleted';
}

export interface ScenarioInput {
  numberId: string | null;
  category: string;
  question: string;
  expectedAnswer: string;
}

export async function listScenarios(db: Db, orgId: string, programmeId: string): Promise<ScenarioRow[]> {
  return db.select().from(phoneScenarios)
    .where(and(eq(phoneScenarios.orgId, orgId), eq(phoneScenarios.programmeId, programmeId)))
    .orderBy(asc(phoneScenarios.createdAt), asc(phoneScenarios.id));
}

export async function getScenario(db: Db, orgId: string, programmeId: string, id: string): Promise<ScenarioRow | undefined> {
  const [row] = await db.select().from(phoneScenarios)
    .where(and(eq(phoneScenarios.orgId, orgId), eq(phoneScenarios.programmeId, programmeId), eq(phoneScenarios.id, id))).limit(1);
  return row;
}

export async function insertScenario(db: Db, orgId: string, programmeId: string, v: ScenarioInput): Promise<ScenarioRow> {
  const [row] = await db.insert(phoneScenarios).values({ orgId, programmeId, ...v }).returning();
  return row;
}

export async function updateScenario(db: Db, orgId: string, programmeId: string, id: string, v: ScenarioInput): Promise<ScenarioRow | undefined> {
  const [row] = await db.update(phoneScenarios).set(v)
    .where(and(eq(phoneScenarios.orgId, orgId), eq(phoneScenarios.programmeId, programmeId), eq(phoneScenarios.id, id))).returning();
  return row;
}

export async function deleteScenario(db: Db, orgId: string, programmeId: string, id: string): Promise<'deleted' | 'not_found' | 'in_use'> {
  if (!(await getScenario(db, orgId, programmeId, id))) return 'not_found';
  const [used] = await db.select({ n: sql<number>`count(*)::int` }).from(phoneCalls).where(and(eq(phoneCalls.calledOrgId, orgId), eq(phoneCalls.scenarioId, id)));
  if (Number(used.n) > 0) return 'in_use';
  await db.delete(phoneScenarios).where(and(eq(phoneScenarios.orgId, orgId), eq(phoneScenarios.programmeId, programmeId), eq(phoneScenarios.id, id)));
  return 'deleted';
}

// Evaluators (calling organisation) -------------------------------------------------------------

export async function listEvaluators(db: Db, orgId: string, programmeId: string) {
  return db
    .select({ userId: users.id, displayName: users.displayName, email: users.email, role: users.role, active: users.active })
    .from(phoneEvaluators)
    .innerJoin(users, and(eq(users.id, phoneEvaluators.userId), eq(users.orgId, orgId)))
    .where(and(eq(phoneEvaluators.orgId, orgId), eq(phoneEvaluators.programmeId, programmeId)))
    .orderBy(asc(users.displayName));
}

/** Replaces the evaluators of the organisation in the programme (user ids already checked to be its evaluators). */
export async function setEvaluators(db: Db, orgId: string, programmeId: string, userIds: string[]) {
  await db.transaction(async (tx) => {
    await tx.delete(phoneEvaluators).where(and(eq(phoneEvaluators.orgId, orgId), eq(phoneEvaluators.programmeId, programmeId)));
    if (userIds.length) await tx.insert(phoneEvaluators).values(userIds.map((userId) => ({ orgId, programmeId, userId })));
  });
}

/** Evaluators (user ids) of the organisation who have calls in the programme. */
export async function evaluatorsWithCalls(db: Db, orgId: string, programmeId: string): Promise<string[]> {
  const rows = await db.selectDistinct({ id: phoneCalls.evaluatorId }).from(phoneCalls)
    .where(and(eq(phoneCalls.callerOrgId, orgId), eq(phoneCalls.programmeId, programmeId)));
  return rows.map((r) => r.id);
}

// Calls (calling organisation; evaluator) -------------------------------------------------------

export type NewCall = Omit<typeof phoneCalls.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

/** Whether a call of the pair has left the « planned » state (attempted, drafted, submitted…). */
export async function pairHasStartedCalls(db: Db, callerOrgId: string, pairId: string): Promise<boolean> {
  const [started] = await db.select({ n: sql<number>`count(*)::int` }).from(phoneCalls)
    .where(and(eq(phoneCalls.callerOrgId, callerOrgId), eq(phoneCalls.pairId, pairId), ne(phoneCalls.status, 'planned')));
  return Number(started.n) > 0;
}

/** Replaces the plan of a pair; refused (false) when one of its calls has started. */
export async function replacePairCalls(db: Db, callerOrgId: string, pairId: string, calls: NewCall[], at: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (await pairHasStartedCalls(tx as unknown as Db, callerOrgId, pairId)) return false;
    await tx.delete(phoneCalls).where(and(eq(phoneCalls.callerOrgId, callerOrgId), eq(phoneCalls.pairId, pairId)));
    for (let i = 0; i < calls.length; i += 500) await tx.insert(phoneCalls).values(calls.slice(i, i + 500));
    await tx.update(phonePairs).set({ planGeneratedAt: at }).where(and(eq(phonePairs.callerOrgId, callerOrgId), eq(phonePairs.id, pairId)));
    return true;
  });
}

const callColumns = {
  call: phoneCalls,
  numberLabel: phoneNumbers.label,
  numberKind: phoneNumbers.kind,
  phone: phoneNumbers.phone,
  scenarioCategory: phoneScenarios.category,
  question: phoneScenarios.question,
  expectedAnswer: phoneScenarios.expectedAnswer,
  evaluatorName: users.displayName,
  calledCode: organisations.code,
  calledName: organisations.name,
};

export type CallView = {
  call: CallRow; numberLabel: string; numberKind: PhoneNumberKind; phone: string; scenarioCategory: string; question: string;
  expectedAnswer: string; evaluatorName: string; calledCode: string; calledName: string;
};

function callQuery(db: Db) {
  return db
    .select(callColumns)
    .from(phoneCalls)
    .innerJoin(phoneNumbers, eq(phoneNumbers.id, phoneCalls.numberId))
    .innerJoin(phoneScenarios, eq(phoneScenarios.id, phoneCalls.scenarioId))
    .innerJoin(users, eq(users.id, phoneCalls.evaluatorId))
    .innerJoin(organisations, eq(organisations.id, phoneCalls.calledOrgId));
}

/** The plan of the calling organisation in a programme. */
export async function listCallerCalls(db: Db, callerOrgId: string, programmeId: string): Promise<CallView[]> {
  return callQuery(db)
    .where(and(eq(phoneCalls.callerOrgId, callerOrgId), eq(phoneCalls.programmeId, programmeId)))
    .orderBy(asc(phoneCalls.scheduledAt), asc(phoneCalls.id));
}

export async function getCallerCall(db: Db, callerOrgId: string, programmeId: string, callId: string): Promise<CallView | undefined> {
  const [row] = await callQuery(db)
    .where(and(eq(phoneCalls.callerOrgId, callerOrgId), eq(phoneCalls.programmeId, programmeId), eq(phoneCalls.id, callId))).limit(1);
  return row;
}

/** The calls assigned to one evaluator of the organisation. */
export async function listEvaluatorCalls(db: Db, callerOrgId: string, evaluatorId: string): Promise<CallView[]> {
  return callQuery(db)
    .where(and(eq(phoneCalls.callerOrgId, callerOrgId), eq(phoneCalls.evaluatorId, evaluatorId)))
    .orderBy(asc(phoneCalls.scheduledAt), asc(phoneCalls.id));
}

export async function getEvaluatorCall(db: Db, callerOrgId: string, evaluatorId: string, callId: string): Promise<CallView | undefined> {
  const [row] = await callQuery(db)
    .where(and(eq(phoneCalls.callerOrgId, callerOrgId), eq(phoneCalls.evaluatorId, evaluatorId), eq(phoneCalls.id, callId))).limit(1);
  return row;
}

/** Calls of one number of a pair (to keep "never twice the same day" when moving a call). */
export async function listNumberCalls(db: Db, callerOrgId: string, pairId: string, numberId: string): Promise<CallRow[]> {
  return db.select().from(phoneCalls)
    .where(and(eq(phoneCalls.callerOrgId, callerOrgId), eq(phoneCalls.pairId, pairId), eq(phoneCalls.numberId, numberId)));
}

/**
 * Updates a call of the organisation if it is still in one of the expected statuses (and, for
 * an evaluator, still theirs): a concurrent change makes it return undefined, never overwrite.
 */
export async function updateCall(
  db: Db, callerOrgId: string, callId: string, set: Partial<typeof phoneCalls.$inferInsert> & { updatedAt: Date },
  expect: { status: readonly CallRow['status'][]; evaluatorId?: string },
): Promise<CallRow | undefined> {
  const conds = [eq(phoneCalls.callerOrgId, callerOrgId), eq(phoneCalls.id, callId), inArray(phoneCalls.status, [...expect.status])];
  if (expect.evaluatorId) conds.push(eq(phoneCalls.evaluatorId, expect.evaluatorId));
  const [row] = await db.update(phoneCalls).set(set).where(and(...conds)).returning();
  return row;
}

// Attempts ------------------------------------------------------------------------------------------

export async function listAttempts(db: Db, callerOrgId: string, callId: string): Promise<AttemptRow[]> {
  return db.select().from(phoneCallAttempts)
    .where(and(eq(phoneCallAttempts.callerOrgId, callerOrgId), eq(phoneCallAttempts.callId, callId)))
    .orderBy(asc(phoneCallAttempts.n));
}

export async function insertAttempt(
  db: Db, callerOrgId: string, callId: string, v: { n: number; outcome: PhoneAttemptOutcome; waitSeconds: number; rings: number | null; at: Date },
): Promise<AttemptRow | undefined> {
  // The unique (call, n) index refuses a double submission of the same attempt.
  const rows = await db.insert(phoneCallAttempts).values({ callerOrgId, callId, ...v }).onConflictDoNothing().returning();
  return rows[0];
}

// Results (called organisation) -------------------------------------------------------------------

/** Submitted grids of calls made to the organisation in a programme: the number, never who called. */
export async function listSubmittedGrids(db: Db, calledOrgId: string, programmeId: string) {
  return db
    .select({ numberId: phoneCalls.numberId, answers: phoneCalls.answers })
    .from(phoneCalls)
    .where(and(eq(phoneCalls.calledOrgId, calledOrgId), eq(phoneCalls.programmeId, programmeId), eq(phoneCalls.status, 'submitted'), isNotNull(phoneCalls.answers)));
}

/** Is the organisation the caller or the called one of any pair of the programme? */
export async function rolesIn(db: Db, orgId: string, programmeId: string): Promise<{ caller: boolean; called: boolean }> {
  const rows = await db.select({ caller: phonePairs.callerOrgId, called: phonePairs.calledOrgId }).from(phonePairs)
    .where(and(eq(phonePairs.programmeId, programmeId), or(eq(phonePairs.callerOrgId, orgId), eq(phonePairs.calledOrgId, orgId))));
  return { caller: rows.some((r) => r.caller === orgId), called: rows.some((r) => r.called === orgId) };
}

// National rounds (issue 18) -------------------------------------------------------------------
// A programme without owner organisation, set up by the national team for every participating
// organisation at once. These functions serve the `national` role, which belongs to no
// organisation: they read and write only the round's own rows (programme, participants, pairs)
// and counts of calls, never a number, a scenario, an evaluator or a grid.

/** Creates a national round: the programme (no owner), every participant not yet accepted, the pairs. */
export async function insertNationalRound(db: Db, createdBy: string | null, v: ProgrammeInput, pairs: { callerOrgId: string; calledOrgId: string }[]): Promise<ProgrammeRow> {
  return db.transaction(async (tx) => {
    const [p] = await tx.insert(phoneProgrammes).values({ ...v, ownerOrgId: null, createdBy }).returning();
    const orgIds = [...new Set(pairs.flatMap((x) => [x.callerOrgId, x.calledOrgId]))];
    await tx.insert(phoneParticipants).values(orgIds.map((orgId) => ({ programmeId: p.id, orgId, acceptedAt: null, acceptedBy: null })));
    for (let i = 0; i < pairs.length; i += 500) await tx.insert(phonePairs).values(pairs.slice(i, i + 500).map((x) => ({ programmeId: p.id, ...x })));
    return p;
  });
}

/** The national rounds, newest first, with their progress: participants, acceptances, calls planned and submitted. */
export async function listNationalRounds(db: Db) {
  const r = await db.execute(sql`
    select p.id, p.name, to_char(p.starts_on, 'YYYY-MM-DD') as starts_on, to_char(p.ends_on, 'YYYY-MM-DD') as ends_on, p.seed, p.created_at,
      (select count(*) from phone_participants x where x.programme_id = p.id)::int as participants,
      (select count(*) from phone_participants x where x.programme_id = p.id and x.accepted_at is not null)::int as accepted,
      (select count(*) from phone_calls c where c.programme_id = p.id)::int as planned,
      (select count(*) from phone_calls c where c.programme_id = p.id and c.status = 'submitted')::int as submitted
    from phone_programmes p where p.owner_org_id is null
    order by p.created_at desc, p.name`);
  return (r as unknown as { rows: { id: string; name: string; starts_on: string; ends_on: string; seed: number; created_at: Date; participants: number; accepted: number; planned: number; submitted: number }[] }).rows
    .map((x) => ({ ...x, participants: Number(x.participants), accepted: Number(x.accepted), planned: Number(x.planned), submitted: Number(x.submitted) }));
}

/** One national round (404 for any other programme) and the progress of each pair, in one grouped query. */
export async function nationalRoundPairs(db: Db, roundId: string) {
  const [round] = await db.select().from(phoneProgrammes).where(and(eq(phoneProgrammes.id, roundId), sql`${phoneProgrammes.ownerOrgId} is null`)).limit(1);
  if (!round) return null;
  const r = await db.execute(sql`
    select oc.id as caller_id, oc.code as caller_code, oc.name as caller_name, od.id as called_id, od.code as called_code, od.name as called_name,
      pc.accepted_at is not null as caller_accepted, pd.accepted_at is not null as called_accepted, pr.plan_generated_at is not null as planned_ok,
      count(c.id)::int as planned, (count(c.id) filter (where c.status = 'submitted'))::int as submitted
    from phone_pairs pr
    join organisations oc on oc.id = pr.caller_org_id
    join organisations od on od.id = pr.called_org_id
    join phone_participants pc on pc.programme_id = pr.programme_id and pc.org_id = pr.caller_org_id
    join phone_participants pd on pd.programme_id = pr.programme_id and pd.org_id = pr.called_org_id
    left join phone_calls c on c.pair_id = pr.id
    where pr.programme_id = ${roundId}
    group by pr.id, oc.id, od.id, pc.accepted_at, pd.accepted_at
    order by oc.code`);
  const pairs = (r as unknown as { rows: Record<string, unknown>[] }).rows.map((x) => ({
    callerId: String(x.caller_id), callerCode: String(x.caller_code), callerName: String(x.caller_name),
    calledId: String(x.called_id), calledCode: String(x.called_code), calledName: String(x.called_name),
    callerAccepted: !!x.caller_accepted, calledAccepted: !!x.called_accepted, planGenerated: !!x.planned_ok,
    planned: Number(x.planned), submitted: Number(x.submitted),
  }));
  return { round, pairs };
}

/** The pairs of the latest national round (to avoid repeating them in the next one). */
export async function latestNationalRoundPairs(db: Db): Promise<{ callerOrgId: string; calledOrgId: string }[]> {
  const [last] = await db.select({ id: phoneProgrammes.id }).from(phoneProgrammes).where(sql`${phoneProgrammes.ownerOrgId} is null`)
    .orderBy(sql`${phoneProgrammes.createdAt} desc`).limit(1);
  if (!last) return [];
  return db.select({ callerOrgId: phonePairs.callerOrgId, calledOrgId: phonePairs.calledOrgId }).from(phonePairs).where(eq(phonePairs.programmeId, last.id));
}
