/** The job runner on the database: claiming, retries, dedupe, leases, schedules, several workers. */
import { sql } from 'drizzle-orm';
import { rows } from '../../server/storage/db';
import { JobRunner, enqueue } from '../../server/jobs/runner';
import type { JobDefinition } from '../../server/jobs/job';
import { createTestContext, type TestContext } from '../helpers/app';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());
beforeEach(async () => {
  await t.deps.db.execute(sql`delete from jobs`);
  await t.deps.db.execute(sql`delete from job_schedules`);
});

const jobRow = async (id: number) => rows<{ status: string; attempts: number; last_error: string | null; run_at: Date }>(await t.deps.db.execute(sql`select status, attempts, last_error, run_at from jobs where id = ${id}`))[0];

it('when a job is enqueued, then a runner runs it once with its payload and marks it done', async () => {
  const seen: unknown[] = [];
  const def: JobDefinition<{ probeId: string }> = { name: 'test.record', run: async (p) => void seen.push(p) };
  const id = (await enqueue(t.deps, 'test.record', { probeId: 'p1' }))!;
  const runner = new JobRunner(t.deps, [def as JobDefinition<never>]);
  expect(await runner.drain()).toBe(1);
  expect(await runner.drain()).toBe(0);
  expect(seen).toEqual([{ probeId: 'p1' }]);
  expect((await jobRow(id)).status).toBe('done');
});

it('when a job fails, then it is retried after a backoff and marked failed after its last attempt', async () => {
  let calls = 0;
  const def: JobDefinition = { name: 'test.flaky', maxAttempts: 2, backoffMs: () => 60_000, run: async () => { calls++; throw new Error('SMTP 421 try later'); } };
  const id = (await enqueue(t.deps, 'test.flaky', {}))!;
  const runner = new JobRunner(t.deps, [def as JobDefinition<never>]);
  await runner.drain();
  expect(await jobRow(id)).toMatchObject({ status: 'queued', attempts: 1, last_error: 'Error SMTP 421 try later' });
  expect(await runner.drain()).toBe(0); // not due yet
  t.clock.advance(61_000);
  await runner.drain();
  expect(await jobRow(id)).toMatchObject({ status: 'failed', attempts: 2 });
  expect(calls).toBe(2);
});

it('when a job with the same dedupe key is already queued, then it is not enqueued twice', async () => {
  expect(await enqueue(t.deps, 'test.x', {}, { dedupeKey: 'k1' })).not.toBeNull();
  expect(await enqueue(t.deps, 'test.x', {}, { dedupeKey: 'k1' })).toBeNull();
});

it('when a worker died holding a job, then another worker takes it over after the lease', async () => {
  const id = (await enqueue(t.deps, 'test.lease', {}))!;
  await t.deps.db.execute(sql`update jobs set status = 'running', locked_by = 'dead', locked_until = ${new Date(t.clock.now().getTime() + 60_000).toISOString()}::timestamptz, attempts = 1 where id = ${id}`);
  let ran = 0;
  const runner = new JobRunner(t.deps, [{ name: 'test.lease', run: async () => void ran++ } as JobDefinition<never>]);
  expect(await runner.drain()).toBe(0);
  t.clock.advance(120_000);
  expect(await runner.drain()).toBe(1);
  expect(ran).toBe(1);
});

it('when two workers drain at the same time, then each job runs exactly once', async () => {
  const ran: number[] = [];
  const def = { name: 'test.count', run: async (p: { n: number }) => { ran.push(p.n); await new Promise((r) => setTimeout(r, 2)); } } as JobDefinition<never>;
  for (let n = 0; n < 20; n++) await enqueue(t.deps, 'test.count', { n });
  const a = new JobRunner(t.deps, [def]);
  const b = new JobRunner(t.deps, [def]);
  await Promise.all([a.drain(), b.drain()]);
  expect(ran.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
});

it('when a schedule is due, then one job is enqueued per period whatever the number of workers', async () => {
  let ran = 0;
  const def = { name: 'test.hourly', run: async () => void ran++ } as JobDefinition<never>;
  const schedules = [{ job: 'test.hourly', everyMs: 3600_000 }];
  const a = new JobRunner(t.deps, [def], schedules);
  const b = new JobRunner(t.deps, [def], schedules);
  await a.drain();
  await b.drain();
  expect(ran).toBe(1);
  t.clock.advance(30 * 60_000);
  await Promise.all([a.drain(), b.drain()]);
  expect(ran).toBe(1);
  t.clock.advance(31 * 60_000);
  await Promise.all([a.drain(), b.drain()]);
  expect(ran).toBe(2);
});

it('when the registry names a schedule of an unknown job, then the runner refuses to start', () => {
  expect(() => new JobRunner(t.deps, [], [{ job: 'nope', everyMs: 1 }])).toThrow(/unknown job: nope/);
});

it('when a job sets its own leaseMs, then the claim holds it that long and no longer (others keep the default)', async () => {
  const short = (await enqueue(t.deps, 'test.short-lease', {}))!;
  const plain = (await enqueue(t.deps, 'test.plain-lease', {}))!;
  const started = t.clock.now().getTime();
  const lockedUntil = new Map<number, number>();
  const seeLease = async (_p: unknown, ctx: { jobId: number }) => {
    const [row] = rows<{ locked_until: Date | string }>(await t.deps.db.execute(sql`select locked_until from jobs where id = ${ctx.jobId}`));
    lockedUntil.set(ctx.jobId, new Date(row.locked_until).getTime() - started);
  };
  const runner = new JobRunner(t.deps, [
    { name: 'test.short-lease', leaseMs: 30_000, run: seeLease } as JobDefinition<never>,
    { name: 'test.plain-lease', run: seeLease } as JobDefinition<never>,
  ]);
  expect(await runner.drain()).toBe(2);
  expect(lockedUntil.get(short)).toBe(30_000);
  expect(lockedUntil.get(plain)).toBe(5 * 60_000);
});

it('when a worker hangs on a job with a 30 s lease, then another worker takes it over after 30 s, not 5 minutes', async () => {
  const id = (await enqueue(t.deps, 'test.quick', {}))!;
  let release!: () => void;
  const hung = new Promise<void>((resolve) => { release = resolve; });
  let claimed!: () => void;
  const firstClaim = new Promise<void>((resolve) => { claimed = resolve; });
  const attempts: number[] = [];
  const def = { name: 'test.quick', leaseMs: 30_000, run: async (_p: unknown, ctx: { attempt: number }) => {
    attempts.push(ctx.attempt);
    if (ctx.attempt === 1) { claimed(); await hung; }
  } } as JobDefinition<never>;
  const first = new JobRunner(t.deps, [def]);
  const second = new JobRunner(t.deps, [def]);
  const stuck = first.drain();
  await firstClaim;
  t.clock.advance(29_000);
  expect(await second.drain()).toBe(0);
  t.clock.advance(2_000);
  expect(await second.drain()).toBe(1);
  expect(attempts).toEqual([1, 2]);
  expect((await jobRow(id)).status).toBe('done');
  release();
  await stuck;
});
