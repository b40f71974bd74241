/**
 * The national phone round (issue 18): the national team picks the participating
 * organisations (every active one by default), the generator pairs them (round-pairing.ts:
 * each calls one other, none itself, no reciprocal pair, the previous round's pairs avoided,
 * a seed for reproducibility), and the phone feature creates one programme holding every
 * pair. Each organisation's referent then finds it among their phone programmes and accepts
 * it as any other; numbers, scenarios, evaluators and plans follow the usual path. The round's
 * page shows its progress pair by pair, in counts only.
 */
import crypto from 'node:crypto';
import type { Deps } from '../deps';
import { ValidationError, notFound } from '../errors';
import { formatDate, formatDateTime, formatNumber, formatPercent, plural } from '../format';
import * as phoneStore from '../phone/phone.store';
import { department } from '../town-halls/geo';
import { roundPairs, sameRegionPairs } from './round-pairing';
import { inviteReferents } from './round-invite.job';
import type { RoundInput } from './national.schemas';
import * as store from './national.store';
import type { OrgListRow } from './national.store';

type Ctx = Pick<Deps, 'db' | 'clock'>;

export async function createRound(ctx: Ctx, userId: string | null, v: RoundInput) {
  const all = await store.listOrganisations(ctx.db);
  const byCode = new Map(all.map((o) => [o.code.toUpperCase(), o]));
  let chosen = all.filter((o) => o.active);
  if (v.organisations.length) {
    const unknown = v.organisations.filter((c) => !byCode.has(c));
    if (unknown.length) throw new ValidationError({ organisations: `Organisation inconnue : ${unknown.join(', ')}.` });
    const inactive = v.organisations.filter((c) => !byCode.get(c)!.active);
    if (inactive.length) throw new ValidationError({ organisations: `Organisation désactivée : ${inactive.join(', ')}.` });
    chosen = v.organisations.map((c) => byCode.get(c)!);
  }
  if (chosen.length < 2) throw new ValidationError({ organisations: 'Une tournée réunit au moins deux organisations.' });
  const seed = v.seed ?? crypto.randomInt(1, 2 ** 31 - 1);
  const previous = (await phoneStore.latestNationalRoundPairs(ctx.db)).map((p) => ({ caller: p.callerOrgId, called: p.calledOrgId }));
  const pairs = roundPairs(chosen.map((o) => o.id), seed, previous, v.voisins ? regionsOf(chosen) : undefined);
  const round = await phoneStore.insertNationalRound(ctx.db, userId, {
    name: v.name, startsOn: v.startsOn, endsOn: v.endsOn, callsPerNumber: v.callsPerNumber, maxAttempts: v.maxAttempts,
    attemptWaitSeconds: v.attemptWaitMinutes * 60, passMark: v.passMark, seed,
  }, pairs.map((p) => ({ callerOrgId: p.caller, calledOrgId: p.called })));
  await inviteReferents(ctx, round.id, chosen.map((o) => o.id));
  return round;
}

/** Each organisation's region (INSEE code), from its department; organisations without one are left out. */
export function regionsOf(orgs: readonly OrgListRow[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of orgs) {
    const region = o.departmentCode ? department(o.departmentCode)?.region : undefined;
    if (region) out.set(o.id, region);
  }
  return out;
}

const share = (n: number, d: number) => (d ? formatPercent(n / d) : '–');

export async function roundsView(ctx: Ctx) {
  const rounds = await phoneStore.listNationalRounds(ctx.db);
  return rounds.map((r) => ({
    id: r.id, name: r.name, period: `du ${formatDate(r.starts_on)} au ${formatDate(r.ends_on)}`, seed: r.seed, createdAt: formatDateTime(r.created_at),
    participants: formatNumber(r.participants), accepted: `${formatNumber(r.accepted)} (${share(r.accepted, r.participants)})`,
    calls: `${formatNumber(r.submitted)} sur ${formatNumber(r.planned)}`,
  }));
}

export async function roundView(ctx: Ctx, roundId: string) {
  const found = await phoneStore.nationalRoundPairs(ctx.db, roundId);
  if (!found) throw notFound('Tournée');
  const { round, pairs } = found;
  const accepted = new Set<string>();
  for (const p of pairs) {
    if (p.callerAccepted) accepted.add(p.callerId);
    if (p.calledAccepted) accepted.add(p.calledId);
  }
  const planned = pairs.reduce((s, p) => s + p.planned, 0);
  const regions = regionsOf(await store.listOrganisations(ctx.db));
  const withinRegion = sameRegionPairs(pairs.map((p) => ({ caller: p.callerId, called: p.calledId })), regions).length;
  const unknownRegion = pairs.filter((p) => !regions.has(p.callerId) || !regions.has(p.calledId)).length;
  const submitted = pairs.reduce((s, p) => s + p.submitted, 0);
  return {
    round: { id: round.id, name: round.name, period: `du ${formatDate(round.startsOn)} au ${formatDate(round.endsOn)}`, seed: round.seed },
    totals: {
      pairs: formatNumber(pairs.length), accepted: `${formatNumber(accepted.size)} sur ${formatNumber(pairs.length)}`,
      plans: `${formatNumber(pairs.filter((p) => p.planGenerated).length)} sur ${formatNumber(pairs.length)}`,
      calls: `${formatNumber(submitted)} sur ${formatNumber(planned)} (${share(submitted, planned)})`,
      withinRegion: formatNumber(withinRegion), unknownRegion: unknownRegion ? plural(unknownRegion, 'couple') : null,
    },
    pairs: pairs.map((p) => ({
      caller: `${p.callerName} (${p.callerCode})`, called: `${p.calledName} (${p.calledCode})`,
      accepted: p.callerAccepted && p.calledAccepted ? 'Oui' : p.callerAccepted ? 'Appelant seulement' : p.calledAccepted ? 'Appelé seulement' : 'Non',
      plan: p.planGenerated ? 'Généré' : 'À faire', calls: `${formatNumber(p.submitted)} sur ${formatNumber(p.planned)}`,
    })),
  };
}
