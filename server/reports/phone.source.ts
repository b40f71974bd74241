/**
 * Adapter from the mystery phone feature (server/phone) to the report: the results of every
 * programme in which the organisation is called and whose dates overlap the period, as the
 * phone feature summarises them (marks computed by its scoring), added up here. The phone
 * results are per programme, so a programme that straddles the report's dates counts whole.
 */
import type { Deps } from '../deps';
import { AppError } from '../errors';
import * as phoneStore from '../phone/phone.store';
import { results } from '../phone/results.service';
import type { Summary } from '../phone/scoring';
import { overlaps, type Period } from './period';
import type { PhoneIndicators, PhoneSource } from './sources';

type Ctx = Pick<Deps, 'db' | 'clock' | 'config'>;

/** The programmes calling the organisation that overlap a window, with their results. */
export type LoadedPhone = { startsOn: string; endsOn: string; s: Summary; passMark: number; maxAttempts: number; wait: number }[];

/** Reads once what `phoneIndicatorsOf` counts for any period inside `window`. */
export async function loadPhoneResults(ctx: Ctx, orgId: string, window: Period): Promise<LoadedPhone> {
  // The programme list is read from the phone store: the feature has no listing service.
  const programmes = (await phoneStore.listProgrammes(ctx.db, orgId))
    .filter((p) => overlaps({ from: p.programme.startsOn, to: p.programme.endsOn }, window));
  const out: LoadedPhone = [];
  for (const { programme } of programmes) {
    try {
      const r = await results(ctx, orgId, programme.id);
      out.push({ startsOn: programme.startsOn, endsOn: programme.endsOn, s: r.overall, passMark: programme.passMark, maxAttempts: programme.maxAttempts, wait: programme.attemptWaitSeconds });
    } catch (err) {
      // A programme where the organisation only calls others has no results for it.
      if (err instanceof AppError && err.status === 404) continue;
      throw err;
    }
  }
  return out;
}

/** The phone figures of a period: every programme overlapping it, counted whole. */
export function phoneIndicatorsOf(loaded: LoadedPhone, period: Period): PhoneIndicators | null {
  const withCalls = loaded.filter((x) => overlaps({ from: x.startsOn, to: x.endsOn }, period) && x.s.calls > 0);
  if (withCalls.length === 0) return null;
  const sum = (f: (s: Summary) => number) => withCalls.reduce((a, x) => a + f(x.s), 0);
  const meanOf = (f: (s: Summary) => { mean: number | null; n: number }) => {
    const n = sum((s) => f(s).n);
    return { n, mean: n ? sum((s) => (f(s).mean ?? 0) * f(s).n) / n : null };
  };
  const form = meanOf((s) => s.form);
  const substance = meanOf((s) => s.substance);
  const latest = withCalls[0];
  return {
    calls: sum((s) => s.calls),
    answered: sum((s) => s.answered.count),
    form: { ...form, passed: sum((s) => s.formPass.count) },
    substance: { ...substance, passed: sum((s) => s.substancePass.count) },
    correctAnswers: null,
    pickupBefore5thRing: null,
    settings: { passMark: latest.passMark, maxAttempts: latest.maxAttempts, attemptWaitSeconds: latest.wait },
  };
}

export function programmePhoneSource(ctx: Ctx): PhoneSource {
  return {
    async indicators(orgId: string, period: Period): Promise<PhoneIndicators | null> {
      return phoneIndicatorsOf(await loadPhoneResults(ctx, orgId, period), period);
    },
  };
}
