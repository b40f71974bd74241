import { INSUFFICIENT, campaignMetrics, displayDays, displayPercent, indicators, meanDelay, ratio } from '../../../server/campaigns/metrics';
import { probeOutcome, type ProbeFacts, type ProbeOutcome, type ReplyFacts } from '../../../server/campaigns/outcomes';
import type { SignatureItemKey } from '../../../server/campaigns/classification/signature';

const NN = '\u202f';
const ALL: SignatureItemKey[] = ['firstName', 'lastName', 'function', 'service', 'address', 'phone'];
const full = Object.fromEntries(ALL.map((k) => [k, true])) as Record<SignatureItemKey, boolean>;

/** An outcome built by hand: the metric function is tested apart from the outcome rules. */
function o(partial: Partial<ProbeOutcome>): ProbeOutcome {
  return {
    probeId: 'p', serviceKey: 's1', serviceName: 'Service 1', toAddress: 's1@x', sent: true, bounced: false, delivered: true,
    bounceReplyId: null, acknowledgedAt: null, acknowledgementDelay: null, answerReplyId: null, answeredAt: null, answerDelay: null,
    withinDeadline: null, signatureConforming: null, missingItems: [], anonymityJustified: false, ...partial,
  };
}
const answered = (delay: number, conforming = true, within = true) =>
  o({ answeredAt: new Date(), answerDelay: delay, signatureConforming: conforming, withinDeadline: within, acknowledgedAt: new Date() });

describe('ratio and mean delay', () => {
  it.each([
    [18, 20, 5, `90${NN}%`, 0.9],
    [15, 20, 5, `75${NN}%`, 0.75],
    [14, 15, 5, `93${NN}%`, 14 / 15],
    [2, 3, 5, INSUFFICIENT, null],
    [4, 4, 5, INSUFFICIENT, null],
    [5, 5, 5, `100${NN}%`, 1],
    [0, 0, 5, INSUFFICIENT, null],
    [1, 2, 1, `50${NN}%`, 0.5],
    [2, 3, 1, `67${NN}%`, 2 / 3],
  ])('when %i / %i with a minimum cell of %i, then « %s »', (num, den, min, display, value) => {
    const r = ratio(num, den, min);
    expect(r.display).toBe(display);
    expect(r.ratio).toBe(value);
  });

  it.each([
    [[1.5, 1.5, 1.5, 1.5, 1.5], 5, '1,5 jours'],
    [[2, 2, 2, 3, 3], 5, '2,4 jours'],
    [[0.25, 0.75, 1, 0.5, 0.5], 5, '0,6 jour'],
    [[1, 2], 5, INSUFFICIENT],
    [[], 1, INSUFFICIENT],
    [[0.04], 1, '0,0 jour'],
  ])('when delays are %j (min %i), then « %s »', (delays, min, display) => {
    expect(meanDelay(delays, min).display).toBe(display);
  });

  it.each([
    [0.9, `90${NN}%`],
    [0.935, `94${NN}%`],
    [0.004, `0${NN}%`],
  ])('when the ratio is %d, then it displays as %s', (r, s) => expect(displayPercent(r)).toBe(s));

  it.each([
    [1.5, '1,5 jours'],
    [1, '1,0 jour'],
    [1.95, '2,0 jours'],
    [2.25, '2,3 jours'],
    [10, '10,0 jours'],
  ])('when the mean is %d days, then it displays as %s', (d, s) => expect(displayDays(d)).toBe(s));
});

describe('indicators', () => {
  it('when the seed’s campaign is replayed, then the seed’s figures come out', () => {
    // 21 sent, 1 bounced → 20 delivered; 18 acknowledged; 15 answered, 14 conforming, 14 within
    // the deadline, delays summing to 22.5 working days.
    const delays = [0.25, 1, 0.75, 2, 2, 1, 5.375, 0.25, 1, 0.5, 0.125, 0.75, 0.5, 1, 6];
    const list: ProbeOutcome[] = [
      ...delays.map((d, i) => answered(d, i !== 3, d !== 6)),
      o({ acknowledgedAt: new Date() }), o({ acknowledgedAt: new Date() }), o({ acknowledgedAt: new Date() }),
      o({}), o({}),
      o({ bounced: true, delivered: false }),
    ];
    const m = indicators(list, 5);
    expect(m).toMatchObject({ sent: 21, delivered: 20, bounced: 1 });
    expect(m.acknowledgements).toMatchObject({ numerator: 18, denominator: 20, display: `90${NN}%` });
    expect(m.answers).toMatchObject({ numerator: 15, denominator: 20, display: `75${NN}%` });
    expect(m.conformingSignatures).toMatchObject({ numerator: 14, denominator: 15, display: `93${NN}%` });
    expect(m.withinDeadline).toMatchObject({ numerator: 14, denominator: 15, display: `93${NN}%` });
    expect(m.meanDelay).toMatchObject({ value: 1.5, n: 15, display: '1,5 jours' });
  });

  it.each<[string, ProbeOutcome[], Partial<Record<'sent' | 'delivered' | 'answers' | 'acks', number>>]>([
    ['a failed probe (never sent) counts nowhere', [o({ sent: false, delivered: false })], { sent: 0, delivered: 0 }],
    ['a bounced probe is sent but not delivered', [o({ bounced: true, delivered: false })], { sent: 1, delivered: 0 }],
    ['an answer without acknowledgement is an answer only', [o({ answeredAt: new Date(), answerDelay: 1, withinDeadline: true, signatureConforming: true })], { answers: 1, acks: 0 }],
  ])('when %s', (_label, list, expected) => {
    const m = indicators(list, 1);
    if (expected.sent !== undefined) expect(m.sent).toBe(expected.sent);
    if (expected.delivered !== undefined) expect(m.delivered).toBe(expected.delivered);
    if (expected.answers !== undefined) expect(m.answers.numerator).toBe(expected.answers);
    if (expected.acks !== undefined) expect(m.acknowledgements.numerator).toBe(expected.acks);
  });
});

describe('campaignMetrics', () => {
  it('when two services are measured, then each has its own cells and small cells are hidden', () => {
    const list = [
      ...[1, 2, 3, 1, 2].map((d) => ({ ...answered(d), serviceKey: 'a', serviceName: 'Accueil' })),
      { ...answered(1), serviceKey: 'b', serviceName: 'Bureau' },
      { ...o({ bounced: true, delivered: false }), serviceKey: 'b', serviceName: 'Bureau', toAddress: 'old@x', probeId: 'pb' },
    ];
    const m = campaignMetrics(list, 5);
    expect(m.services.map((s) => s.serviceName)).toEqual(['Accueil', 'Bureau']);
    expect(m.services[0].answers.display).toBe(`100${NN}%`);
    expect(m.services[0].meanDelay.display).toBe('1,8 jours');
    expect(m.services[1].answers.display).toBe(INSUFFICIENT);
    expect(m.services[1].meanDelay.display).toBe(INSUFFICIENT);
    expect(m.bounces).toEqual([{ probeId: 'pb', serviceName: 'Bureau', address: 'old@x' }]);
  });
});

describe('probeOutcome', () => {
  const rules = { checklist: ALL, deadlineDays: 5, calendar: { zone: 'metropole' as const, whitMondayWorked: false } };
  const reply = (cls: ReplyFacts['replyClass'], at: string, extra: Partial<ReplyFacts> = {}): ReplyFacts => ({
    id: `${cls}-${at}`, replyClass: cls, receivedAt: new Date(at), signature: null, anonymityJustified: false, ...extra,
  });
  const probe = (replies: ReplyFacts[], extra: Partial<ProbeFacts> = {}): ProbeFacts => ({
    probeId: 'p1', serviceKey: 's', serviceName: 'S', toAddress: 's@x', state: 'sent', sentAt: new Date('2019-05-29T08:00:00Z'), replies, ...extra,
  });
  const noPhone = { ...full, phone: false };
  const noName = { ...full, firstName: false, lastName: false };

  it.each<[string, ProbeFacts, Partial<ProbeOutcome>]>([
    ['a planned probe', probe([], { state: 'planned', sentAt: null }), { sent: false, delivered: false }],
    ['a failed bounce report', probe([reply('bounce', '2019-05-29T08:05:00Z', { bounceKind: 'failed' })]), { sent: true, bounced: true, delivered: false, bounceReplyId: 'bounce-2019-05-29T08:05:00Z' }],
    ['a delayed-delivery report only', probe([reply('bounce', '2019-05-29T12:00:00Z', { bounceKind: 'delayed' })]), { bounced: false, delivered: true }],
    ['an out-of-office notice only', probe([reply('out_of_office', '2019-05-29T08:01:00Z')]), { delivered: true, acknowledgedAt: null }],
    ['an acknowledgement then an answer over Ascension', probe([
      reply('answer', '2019-06-03T08:00:00Z', { signature: full }), reply('acknowledgement', '2019-05-29T08:00:30Z'),
    ]), { acknowledgedAt: new Date('2019-05-29T08:00:30Z'), answerDelay: 2, withinDeadline: true, signatureConforming: true }],
    ['an answer with the phone missing', probe([reply('answer', '2019-05-29T14:00:00Z', { signature: noPhone })]), { answerDelay: 0.25, signatureConforming: false, missingItems: ['phone'] }],
    ['an anonymous answer, anonymity justified', probe([reply('answer', '2019-05-29T14:00:00Z', { signature: noName, anonymityJustified: true })]), { signatureConforming: true, anonymityJustified: true }],
    ['an anonymous answer, not justified', probe([reply('answer', '2019-05-29T14:00:00Z', { signature: noName })]), { signatureConforming: false, missingItems: ['firstName', 'lastName'] }],
    ['an answer after the 5th working day', probe([reply('answer', '2019-06-07T08:00:00Z', { signature: full })]), { answerDelay: 6, withinDeadline: false }],
    ['two answers: the first one counts', probe([
      reply('answer', '2019-05-31T08:00:00Z', { signature: noPhone }), reply('answer', '2019-05-29T20:00:00Z', { signature: full }),
    ]), { answeredAt: new Date('2019-05-29T20:00:00Z'), signatureConforming: true }],
  ])('when %s, then the outcome says so', (_label, facts, expected) => {
    expect(probeOutcome(facts, rules)).toMatchObject(expected);
  });
});
