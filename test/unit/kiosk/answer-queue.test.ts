/**
 * The tablet's answer queue (public/kiosk/answer-queue.js), run in a bare VM context with its
 * in-memory store, a scripted fetch and a hand-driven clock: one answer set must never block
 * the others.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const SOURCE = fs.readFileSync(path.join(__dirname, '../../../public/kiosk/answer-queue.js'), 'utf8');

interface Entry { id: string; scope: string; createdAt: number; body: { id: string; answers: { v: string } }; nextAt?: number }
interface QueueApi {
  Queue: { put(e: Entry): Promise<void>; all(scope: string): Promise<Entry[]>; parkedCount(scope: string): Promise<number> };
  createSender(opts: object): { drain(force?: boolean): Promise<void> };
  outcome(status: number): string;
}

/** A page of its own: clock, timers, fetch answering by the answer set's value. */
function loadQueue(answer: (v: string) => number) {
  let clock = 1_000_000;
  const timers: { at: number; fn: () => void }[] = [];
  const posted: string[] = [];
  const listeners: Record<string, () => void> = {};
  const window: Record<string, unknown> = {
    addEventListener: (type: string, fn: () => void) => { listeners[type] = fn; },
    crypto: globalThis.crypto,
  };
  const context = vm.createContext({
    window,
    Date: { now: () => clock },
    Math,
    Promise,
    Map,
    Object,
    Array,
    Number,
    String,
    AbortController,
    setTimeout: (fn: () => void, ms: number) => { const t = { at: clock + ms, fn }; timers.push(t); return t; },
    clearTimeout: (t: unknown) => { const i = timers.indexOf(t as never); if (i >= 0) timers.splice(i, 1); },
    fetch: async (_url: string, init: { body: string }) => {
      const v = (JSON.parse(init.body) as { answers: { v: string } }).answers.v;
      posted.push(v);
      const status = answer(v);
      if (status === 0) throw new TypeError('network down');
      return { status, headers: { get: () => null } };
    },
  });
  vm.runInContext(SOURCE, context);
  const api = window.QualimetreQueue as QueueApi;
  let length = -1;
  let parkedEvents = 0;
  const sender = api.createSender({ scope: 'k1', url: '/r', reportQueued: true, onLength: (n: number) => { length = n; }, onParked: () => { parkedEvents++; } });
  let n = 0;
  return {
    api, sender, posted, listeners,
    get length() { return length; },
    get parkedEvents() { return parkedEvents; },
    async add(v: string) {
      n++;
      const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      await api.Queue.put({ id, scope: 'k1', createdAt: clock + n, body: { id, answers: { v } } });
    },
    /** Moves the clock on and runs the timers that fall due, each to its end. */
    async advance(ms: number) {
      const until = clock + ms;
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const t = timers[0];
        if (!t || t.at > until) break;
        timers.shift();
        clock = Math.max(clock, t.at);
        t.fn();
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setImmediate(r));
      }
      clock = until;
    },
    async settle() {
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    },
  };
}

describe('answer queue: what each reply means for one answer set', () => {
  it.each([
    [201, 'done'], [200, 'done'],
    [400, 'park'], [409, 'park'], [413, 'park'], [415, 'park'], [422, 'park'],
    [404, 'wait'], [401, 'wait'], [423, 'wait'], [429, 'wait'],
    [408, 'later'], [500, 'later'], [502, 'later'], [503, 'later'], [0, 'later'],
  ])('when the server answers %i, then the answer set is %s', (status, expected) => {
    expect(loadQueue(() => 201).api.outcome(status)).toBe(expected);
  });
});

describe('answer queue: one answer set never blocks the others', () => {
  it('when the oldest answer set gets a 500 every time, then the later ones are still sent, and the failing one is retried with a growing delay', async () => {
    const q = loadQueue((v) => (v === 'bad' ? 500 : 201));
    await q.add('bad');
    await q.add('a');
    await q.add('b');
    await q.sender.drain();
    await q.settle();
    expect(q.posted).toEqual(['bad', 'a', 'b']);
    expect((await q.api.Queue.all('k1')).map((e) => e.body.answers.v)).toEqual(['bad']);
    expect(q.length).toBe(1);

    // A later answer set goes first: the failing one waits for its own retry time.
    await q.add('c');
    await q.sender.drain();
    await q.settle();
    expect(q.posted.slice(3)).toEqual(['c']);

    // Retries come back, further and further apart (1 s, 2 s, 4 s… with jitter: at least half).
    q.posted.length = 0;
    await q.advance(1_000);
    expect(q.posted).toEqual(['bad']);
    await q.advance(500);
    expect(q.posted).toEqual(['bad']);
    await q.advance(60_000);
    const tries = q.posted.length;
    expect(tries).toBeGreaterThan(2);
    expect(tries).toBeLessThan(9); // doubling: nowhere near one a second
    expect((await q.api.Queue.all('k1')).map((e) => e.body.answers.v)).toEqual(['bad']);
  });

  it('when an answer set is refused with a 422, then it is parked (kept, counted, never sent again) and the rest go through', async () => {
    const q = loadQueue((v) => (v === 'refused' ? 422 : 201));
    await q.add('refused');
    await q.add('a');
    await q.sender.drain();
    await q.settle();
    expect(q.posted).toEqual(['refused', 'a']);
    expect(await q.api.Queue.all('k1')).toEqual([]);
    expect(await q.api.Queue.parkedCount('k1')).toBe(1);
    expect(q.parkedEvents).toBe(1);
    await q.advance(3_600_000);
    await q.sender.drain(true);
    await q.settle();
    expect(q.posted).toEqual(['refused', 'a']);
  });

  it('when the network is down, then a round stops at the first failure instead of trying every answer set, and the browser coming back online sends them all at once', async () => {
    let online = false;
    const q = loadQueue(() => (online ? 201 : 0));
    for (const v of ['a', 'b', 'c']) await q.add(v);
    await q.sender.drain();
    await q.settle();
    expect(q.posted).toEqual(['a']);
    online = true;
    q.listeners.online();
    await q.settle();
    expect([...q.posted].sort()).toEqual(['a', 'a', 'b', 'c']);
    expect(await q.api.Queue.all('k1')).toEqual([]);
  });

  it('when the link is unknown (404) or the kiosk paused (423), then every answer set is kept and none is parked', async () => {
    for (const status of [404, 423]) {
      const q = loadQueue(() => status);
      await q.add('a');
      await q.add('b');
      await q.sender.drain();
      await q.settle();
      expect(q.posted).toEqual(['a']);
      expect((await q.api.Queue.all('k1')).length).toBe(2);
      expect(await q.api.Queue.parkedCount('k1')).toBe(0);
    }
  });
});
