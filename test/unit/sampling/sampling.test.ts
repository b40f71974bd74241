import { applyRule, candidateReplies, findAnswer, isDoubtful, reviewedVerdict, summarise, verdictOf, type IncomingMail, type ReviewDecision, type SentMail } from '../../../server/sampling/sampling';
import { parseRule, ruleKey } from '../../../server/sampling/sampling-rule';

const cal = { zone: 'metropole' as const, whitMondayWorked: false };
const paris = (s: string) => new Date(`${s.replace(' ', 'T')}:00+02:00`);

const msg = (o: Partial<IncomingMail> & { uid: number }): IncomingMail => ({
  messageId: `<m${o.uid}@usager.example>`, from: `usager${o.uid}@usager.example`, subject: `Question ${o.uid}`, date: paris('2019-07-01 10:00'), excluded: null, ...o,
});
const reply = (o: Partial<SentMail>): SentMail => ({ messageId: '<r@pref.example>', to: [], subject: null, date: paris('2019-07-02 10:00'), inReplyTo: null, references: [], ...o });

describe('sampling rule', () => {
  it.each([
    ['all', { kind: 'all' }],
    [null, { kind: 'all' }],
    ['first:25', { kind: 'first', n: 25 }],
    ['first:0', null],
    ['first:-1', null],
    ['week', null],
  ])('when the rule is %p, then it parses to %p', (s, expected) => {
    expect(parseRule(s as string | null)).toEqual(expected);
    if (expected) expect(parseRule(ruleKey(expected as never))).toEqual(expected);
  });

  it('when the rule keeps the first n, then excluded messages do not count and the earliest come first', () => {
    const list = [
      msg({ uid: 1, date: paris('2019-07-03 10:00') }),
      msg({ uid: 2, date: paris('2019-07-01 10:00'), excluded: 'auto-reply' }),
      msg({ uid: 3, date: paris('2019-07-02 10:00') }),
      msg({ uid: 4, date: paris('2019-07-04 10:00') }),
    ];
    expect(applyRule(list, { kind: 'first', n: 2 }).map((m) => m.uid)).toEqual([3, 1]);
    expect(applyRule(list, { kind: 'all' }).map((m) => m.uid)).toEqual([3, 1, 4]);
  });
});

describe('matching an answer', () => {
  const m = msg({ uid: 1, messageId: '<Abc@Usager.example>', from: 'jeanne@usager.example', subject: 'Carte grise', date: paris('2019-07-01 10:00') });
  it.each<[string, SentMail[], string | null]>([
    ['In-Reply-To', [reply({ inReplyTo: '<abc@usager.example>' })], 'in-reply-to'],
    ['References', [reply({ references: ['<x@y> <abc@usager.example>'] })], 'references'],
    ['subject and correspondent', [reply({ subject: 'RE: Carte grise', to: ['jeanne@usager.example'] })], 'subject'],
    ['same subject to someone else', [reply({ subject: 'RE: Carte grise', to: ['paul@usager.example'] })], null],
    ['other subject to the correspondent', [reply({ subject: 'RE: Permis', to: ['jeanne@usager.example'] })], null],
    ['a reply sent before the message', [reply({ inReplyTo: '<abc@usager.example>', date: paris('2019-06-30 10:00') })], null],
  ])('when the sent folder holds %s, then the method is %p', (_, sent, method) => {
    expect(findAnswer(m, sent)?.method ?? null).toBe(method);
  });

  it('when two replies answer, then the earliest counts', () => {
    const sent = [reply({ inReplyTo: m.messageId, date: paris('2019-07-10 10:00') }), reply({ inReplyTo: m.messageId, date: paris('2019-07-03 10:00') })];
    expect(findAnswer(m, sent)?.reply.date).toEqual(paris('2019-07-03 10:00'));
  });
});

describe('verdict: within 5 working days', () => {
  it.each<[string, string, string, boolean]>([
    ['Monday → Monday next (5th working day)', '2019-07-01 10:00', '2019-07-08 17:00', true],
    ['Monday → Tuesday next (6th)', '2019-07-01 10:00', '2019-07-09 09:00', false],
    // 15 August 2019 (Thursday) is a holiday: from Tue 13 Aug, the 5th working day is Wed 21 (not Tue 20).
    ['over the 15 August holiday, answered on Wed 21', '2019-08-13 10:00', '2019-08-21 17:00', true],
    ['over the 15 August holiday, one day late', '2019-08-13 10:00', '2019-08-22 09:00', false],
    ['received on a Saturday, answered the 5th working day after', '2019-07-06 10:00', '2019-07-12 17:00', true],
  ])('%s → %p', (_, received, answered, within) => {
    const m = msg({ uid: 1, date: paris(received) });
    const v = verdictOf(m, [reply({ inReplyTo: m.messageId, date: paris(answered) })], cal);
    expect(v.withinDeadline).toBe(within);
    expect(v.delayDays).toBeGreaterThan(0);
  });

  it('when no answer is found, then the message counts as not answered in time', () => {
    const v = verdictOf(msg({ uid: 1 }), [], cal);
    expect(v).toMatchObject({ answeredAt: null, withinDeadline: false, delayDays: null, method: null });
  });

  it.each([
    [[true, true, false], { numerator: 2, denominator: 3 }],
    [[], { numerator: 0, denominator: 0, value: null }],
  ])('summarise %p', (flags, expected) => {
    expect(summarise(flags.map((withinDeadline) => ({ withinDeadline })))).toMatchObject(expected);
  });
});

describe('review of doubtful cases', () => {
  it.each<[string | null, boolean]>([
    [null, true],
    ['subject', true],
    ['in-reply-to', false],
    ['references', false],
  ])('when the answer was found by %p, then doubtful is %p', (method, expected) => {
    expect(isDoubtful(method)).toBe(expected);
  });

  const m = msg({ uid: 1, from: 'jeanne@usager.example', subject: 'Carte grise', date: paris('2019-07-01 10:00') });
  const until = paris('2019-08-05 00:00');
  it.each<[string, SentMail, boolean]>([
    ['to the sender, another subject', reply({ to: ['jeanne@usager.example'], subject: 'Autre chose' }), true],
    ['the same subject to someone else', reply({ to: ['paul@usager.example'], subject: 'TR: Carte grise' }), true],
    ['another subject to someone else', reply({ to: ['paul@usager.example'], subject: 'Permis' }), false],
    ['to the sender before the message', reply({ to: ['jeanne@usager.example'], date: paris('2019-06-30 10:00') }), false],
    ['to the sender after the window', reply({ to: ['jeanne@usager.example'], date: paris('2019-08-05 10:00') }), false],
  ])('when the sent folder holds a reply %s, then it is a candidate: %p', (_, r, expected) => {
    expect(candidateReplies(m, [r], until)).toHaveLength(expected ? 1 : 0);
  });

  it('when several replies are candidates, then they come oldest first', () => {
    const later = reply({ to: ['jeanne@usager.example'], date: paris('2019-07-09 10:00') });
    const sooner = reply({ to: ['jeanne@usager.example'], date: paris('2019-07-02 10:00') });
    expect(candidateReplies(m, [later, sooner], until)).toEqual([sooner, later]);
  });

  it.each<[string, ReviewDecision, string | null, boolean, boolean]>([
    ['an answer on the 5th working day', 'answered', '2019-07-08 17:00', true, true],
    ['an answer on the 6th working day', 'answered', '2019-07-09 09:00', false, true],
    ['no answer, confirmed', 'unanswered', null, false, false],
    ['not a citizen’s message', 'excluded', null, false, false],
  ])('when the referent records %s, then within is %p', (_, decision, answered, within, hasDelay) => {
    const v = reviewedVerdict(paris('2019-07-01 10:00'), decision, answered ? paris(answered) : null, cal);
    expect(v.withinDeadline).toBe(within);
    expect(v.delayDays !== null).toBe(hasDelay);
    expect(v.answeredAt).toEqual(answered ? paris(answered) : null);
  });

  it('when an answer is recorded without a date after the message, then it is refused', () => {
    expect(() => reviewedVerdict(paris('2019-07-01 10:00'), 'answered', null, cal)).toThrow(RangeError);
    expect(() => reviewedVerdict(paris('2019-07-01 10:00'), 'answered', paris('2019-06-30 10:00'), cal)).toThrow(RangeError);
  });
});
