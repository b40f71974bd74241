/**
 * The demo's finished cross-prefecture phone programme, as in June 2019: 38 > 74, 73 > 38,
 * 74 > 73 (Isère calls Haute-Savoie, Savoie calls Isère, Haute-Savoie calls Savoie), in June
 * of the last year. Everything goes through the services a referent and the evaluators use
 * (create, accept, numbers, scenarios, evaluators, plan, attempts, grids), each at its moment
 * (the clock is moved to the planned time of each call). The grids are drawn from a fixed-seed
 * generator; the seed's finding is built in: Haute-Savoie's foreigners' office never answers,
 * every call ends on its answering machine (« absence de permanence téléphonique du service
 * des étrangers et renvoi systématique vers un répondeur »). Then Haute-Savoie's bilan of the
 * quarter, ready to print.
 */
import type { Deps } from '../deps';
import * as callService from '../phone/call.service';
import * as planService from '../phone/plan.service';
import * as programmeService from '../phone/programme.service';
import * as phoneStore from '../phone/phone.store';
import * as orgStore from '../org/org.store';
import { createReport } from '../reports/report.service';
import { seededRandom } from '../random';
import { DEMO_SURVEY } from './kiosk-answers.demo';
import { demoCampaignPeriod } from './mail-campaign.demo';

export const DEMO_PROGRAMME_NAME = 'Appels mystères croisés Isère – Savoie – Haute-Savoie';

export interface DemoOrg {
  id: string;
  code: string;
  referentId: string;
  evaluatorIds: string[];
}

/** June of the year of the demo's e-mail campaign (ended more than a month before the first start). */
export function demoProgrammePeriod(now: Date): { start: string; end: string; year: number } {
  const year = Number(demoCampaignPeriod(now).start.slice(0, 4));
  return { start: `${year}-06-01`, end: `${year}-06-30`, year };
}

const at = (d: Date) => ({ now: () => d });
const minutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);

const pick = <T>(rand: () => number, list: readonly T[]) => list[Math.floor(rand() * list.length)];

/** A grid of an answered call, drawn so that most calls pass and a few do not. */
function answeredGrid(rand: () => number, waitSeconds: number, rings: number): Record<string, unknown> {
  const good = rand() < 0.75;
  const ivr = rand() < 0.3;
  const transferred = rand() < 0.3;
  return {
    decroche: 'oui', attente_secondes: waitSeconds, sonneries: rings,
    serveur_vocal: ivr ? 'oui' : 'non', ...(ivr ? { serveur_vocal_horaires: 'oui' } : {}),
    annonce_service: good || rand() < 0.5 ? 'oui' : 'non', bonjour: 'oui', nom_agent: good && rand() < 0.7 ? 'oui' : 'non',
    courtoisie: good ? pick(rand, ['tres_satisfaisant', 'satisfaisant'] as const) : pick(rand, ['satisfaisant', 'peu_satisfaisant'] as const),
    ecoute: good ? pick(rand, ['tres_satisfaisant', 'satisfaisant'] as const) : 'peu_satisfaisant',
    transfert: transferred ? 'reussi' : 'sans_objet', ...(transferred ? { transfert_repetition: good ? 'non' : 'oui' } : {}),
    reponse_fond: good ? pick(rand, ['complete', 'complete', 'partielle'] as const) : pick(rand, ['partielle', 'aucune'] as const),
    prise_de_conge: good || rand() < 0.5 ? 'oui' : 'non',
    impression_globale: good ? pick(rand, ['tres_bonne', 'bonne'] as const) : pick(rand, ['moyenne', 'mauvaise'] as const),
  };
}

export async function seedPhoneProgrammeDemo(deps: Deps, orgs: { o74: DemoOrg; o38: DemoOrg; o73: DemoOrg }): Promise<string> {
  const rand = seededRandom(0x7e1e7400);
  const period = demoProgrammePeriod(deps.clock.now());
  const { o74, o38, o73 } = orgs;
  const prep = { ...deps, clock: at(new Date(`${period.year}-05-20T08:00:00Z`)) };

  const programme = await programmeService.createProgramme(prep, o74.id, o74.referentId, {
    name: DEMO_PROGRAMME_NAME, startsOn: period.start, endsOn: period.end,
    pairs: [{ caller: '38', called: '74' }, { caller: '73', called: '38' }, { caller: '74', called: '73' }],
    callsPerNumber: 3, maxAttempts: 3, attemptWaitMinutes: 5, passMark: 7,
  });
  const pid = programme.id;
  for (const o of [o38, o73]) await programmeService.acceptProgramme(prep, o.id, o.referentId, pid);

  // Numbers and scenarios of each called organisation.
  const services74 = await orgStore.listServices(deps.db, o74.id);
  const service74 = (name: string) => services74.find((s) => s.name.startsWith(name))!.id;
  const numbers: Record<string, { kind: 'standard' | 'service'; label: string; phone: string; serviceId: string | null }[]> = {
    [o74.id]: [
      { kind: 'standard', label: '', phone: '', serviceId: service74('Standard') },
      { kind: 'service', label: '', phone: '', serviceId: service74('Bureau du séjour') },
      { kind: 'service', label: '', phone: '', serviceId: service74('Bureau de la citoyenneté') },
    ],
    [o38.id]: [
      { kind: 'standard', label: 'Standard', phone: '04 00 00 38 00', serviceId: null },
      { kind: 'service', label: 'Service de l’immigration et de l’intégration', phone: '04 00 00 38 01', serviceId: null },
    ],
    [o73.id]: [
      { kind: 'standard', label: 'Standard', phone: '04 00 00 73 00', serviceId: null },
      { kind: 'service', label: 'Bureau des usagers et de la circulation', phone: '04 00 00 73 01', serviceId: null },
    ],
  };
  for (const o of [o74, o38, o73]) {
    for (const n of numbers[o.id]) await programmeService.addNumber(prep, o.id, pid, n);
    await programmeService.addScenario(prep, o.id, pid, {
      numberId: null, category: 'informations_generales',
      question: 'Bonjour, je voudrais savoir si l’accueil est ouvert le mercredi après-midi et s’il faut prendre rendez-vous.',
      expectedAnswer: 'L’accueil est ouvert du lundi au vendredi de 8 h 30 à 16 h ; les titres de séjour et les permis se font sur rendez-vous pris en ligne.',
    });
  }
  for (const o of [o38, o73, o74]) {
    await programmeService.setEvaluators(prep, o.id, pid, o.evaluatorIds);
    const own = (await phoneStore.listPairs(deps.db, o.id, pid)).filter((p) => p.callerOrgId === o.id);
    for (const pair of own) await planService.generatePairPlan(prep, o.id, pid, pair.id);
  }

  // Each call, at its time: attempts, then the grid sent a few minutes later.
  const foreigners74 = (await phoneStore.listNumbers(deps.db, o74.id, pid)).find((n) => n.serviceId === service74('Bureau du séjour'))!.id;
  for (const o of [o38, o73, o74]) {
    for (const { call } of await phoneStore.listCallerCalls(deps.db, o.id, pid)) {
      const me = { orgId: o.id, userId: call.evaluatorId };
      let t = call.scheduledAt;
      let grid: Record<string, unknown>;
      if (call.numberId === foreigners74) {
        for (let k = 0; k < 3; k++) {
          await callService.recordAttempt({ ...deps, clock: at(t) }, me, call.id, { outcome: 'repondeur', waitSeconds: 300, rings: null });
          t = minutes(t, 10);
        }
        grid = { decroche: 'non', motif_non_abouti: 'repondeur_seul', serveur_vocal: 'oui', serveur_vocal_horaires: rand() < 0.5 ? 'oui' : 'non' };
      } else {
        if (rand() < 0.15) {
          await callService.recordAttempt({ ...deps, clock: at(t) }, me, call.id, { outcome: 'occupe', waitSeconds: 20, rings: null });
          t = minutes(t, 5);
        }
        const rings = 1 + Math.floor(rand() * 6);
        const waitSeconds = rings * 5 + Math.floor(rand() * 20);
        await callService.recordAttempt({ ...deps, clock: at(t) }, me, call.id, { outcome: 'personne', waitSeconds, rings });
        grid = answeredGrid(rand, waitSeconds, rings);
      }
      await callService.saveGrid({ ...deps, clock: at(minutes(t, 6)) }, me, call.id, 'submit', grid);
    }
  }

  // Haute-Savoie's bilan of the quarter holding the campaign and the programme: ready to print.
  await createReport({ ...deps, clock: at(new Date(`${period.year}-07-15T08:00:00Z`)) }, o74.id, o74.referentId, {
    title: `Bilan qualité – 2e trimestre ${period.year}`, periodStart: `${period.year}-04-01`, periodEnd: `${period.year}-06-30`,
    comparison: 'previous', sections: ['satisfaction', 'email', 'phone'], surveyIds: [DEMO_SURVEY],
  });
  return pid;
}
