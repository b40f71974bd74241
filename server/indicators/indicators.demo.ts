/**
 * Demo data of the monthly board (Haute-Savoie, January–July 2019, shaped like the seed's
 * « tableau de suivi des indicateurs qualité »): telephony per bureau (94 % in July), the
 * website's connection rate, Twitter engagement, update delays, point numérique visitors,
 * general-information e-mails, and the register's 27 complaints (« 27 ; 85 % ; 4 jours »).
 * Open /indicateurs?mois=2019-07.
 */
import type { Deps } from '../deps';
import { createComplaint } from '../complaints/complaint.service';
import { complaintSchema } from '../complaints/complaint.schemas';
import * as store from './indicators.store';

const MONTHS = ['2019-01-01', '2019-02-01', '2019-03-01', '2019-04-01', '2019-05-01', '2019-06-01', '2019-07-01'];
// [bureau, calls offered per month, answered share per month (‰)]
const BUREAUX: [string, number, number[]][] = [
  ['Standard', 3000, [951, 948, 955, 960, 958, 962, 970]],
  ['Bureau du séjour des étrangers', 1200, [820, 835, 850, 842, 861, 870, 880]],
  ['Bureau de la citoyenneté', 800, [900, 905, 912, 918, 920, 915, 917.5]],
];
const TYPED: Record<string, number[]> = {
  'site-taux-connexion': [9, 9.5, 10, 10, 10.5, 11, 11],
  'twitter-engagement': [2.1, 2.3, 2.2, 2.5, 2.6, 2.7, 2.75],
  'site-maj-3j': [2, 1, 2, 3, 2, 1, 2],
  'svi-maj-3j': [1, 1, 2, 2, 1, 1, 1],
  'point-numerique-visiteurs': [182, 195, 210, 204, 188, 215, 199],
  'courriels-5j': [92, 94, 93, 95, 94, 95, 96],
};
const COMPLAINTS: [string, string][] = [
  ['2019-01-07', '2019-01-08'], ['2019-01-08', '2019-01-09'], ['2019-01-14', '2019-01-15'], ['2019-01-21', '2019-01-22'],
  ['2019-01-28', '2019-01-29'], ['2019-02-11', '2019-02-12'], ['2019-02-12', '2019-02-13'], ['2019-02-18', '2019-02-19'],
  ['2019-02-25', '2019-02-26'], ['2019-03-04', '2019-03-05'], ['2019-03-11', '2019-03-12'], ['2019-03-18', '2019-03-19'],
  ['2019-03-25', '2019-03-26'], ['2019-04-01', '2019-04-03'], ['2019-04-08', '2019-04-10'], ['2019-04-15', '2019-04-17'],
  ['2019-05-13', '2019-05-15'], ['2019-05-20', '2019-05-22'], ['2019-06-17', '2019-06-19'], ['2019-06-24', '2019-06-27'],
  ['2019-07-08', '2019-07-11'], ['2019-07-15', '2019-07-18'], ['2019-07-22', '2019-07-25'], ['2019-04-29', '2019-05-23'],
  ['2019-06-03', '2019-06-27'], ['2019-07-01', '2019-07-25'], ['2019-02-04', '2019-03-04'],
];

export async function seedIndicatorsDemo(deps: Pick<Deps, 'db' | 'clock'>, orgId: string): Promise<void> {
  const values: store.NewValue[] = [];
  MONTHS.forEach((month, m) => {
    let answered = 0;
    let offered = 0;
    for (const [bureau, calls, permille] of BUREAUX) {
      const a = Math.round((calls * permille[m]) / 1000);
      values.push({ indicatorId: 'appels-aboutis', month, breakdown: bureau, value: (100 * a) / calls, numerator: a, denominator: calls });
      answered += a;
      offered += calls;
    }
    values.push({ indicatorId: 'appels-aboutis', month, breakdown: '', value: (100 * answered) / offered, numerator: answered, denominator: offered });
  });
  await store.replaceValues(deps.db, orgId, values, 'imported', null, deps.clock.now());
  const typed = Object.entries(TYPED).flatMap(([indicatorId, v]) => MONTHS.map((month, m) => ({ indicatorId, month, breakdown: '', value: v[m], numerator: null, denominator: null })));
  await store.replaceValues(deps.db, orgId, typed, 'typed', null, deps.clock.now());
  const channels = ['borne', 'papier', 'site', 'courriel', 'lien_public'];
  for (const [n, [receivedOn, answeredOn]] of COMPLAINTS.entries()) {
    await createComplaint(deps, orgId, null, complaintSchema.parse({
      channel: channels[n % channels.length], receivedOn, answeredOn, subject: 'Réclamation de démonstration', answerSummary: 'Réponse apportée par courrier.',
    }));
  }
}
