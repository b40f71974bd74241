/**
 * Demo data seeded on first start of the embedded default (or with QUALIMETRE_DEMO=1):
 * the prefectures of Haute-Savoie, Isère and Savoie (the 2019 cross-calling trio), the
 * reception sites and services of the seed document for Haute-Savoie, a kiosk per site with a
 * year of answer sets (kiosk-answers.demo.ts), demo accounts, a finished mystery e-mail campaign
 * (mail-campaign.demo.ts), a finished phone programme and a bilan (phone-programme.demo.ts),
 * the point numérique's questionnaire in 2019, the board, the committee, the town halls' delays
 * (town-hall.demo.ts) and the Programme Transparence (transparence.demo.ts).
 * The demo passwords are public on purpose: they exist only in demo mode.
 */
import { seedIndicatorsDemo } from '../indicators/indicators.demo';
import { seedCommitteeDemo } from '../committee/committee.demo';
import { seedTownHallsDemo } from '../town-halls/town-hall.demo';
import { seedTransparenceDemo } from '../transparence/transparence.demo';
import { seedKioskAnswersDemo, seedPointNumeriqueAnswersDemo } from './kiosk-answers.demo';
import { seedMailCampaignDemo } from './mail-campaign.demo';
import { seedPhoneProgrammeDemo, type DemoOrg } from './phone-programme.demo';
import type { Principal } from '../http/context';
import type { Deps } from '../deps';
import * as auth from '../auth/auth.service';
import * as orgStore from '../org/org.store';
import type { Role } from '../storage/schema';

export interface DemoAccount {
  email: string;
  password: string;
  role: Role;
  org: string | null;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'admin@demo.qualimetre.fr', password: 'demo-admin-qualimetre', role: 'admin', org: null },
  { email: 'referent74@demo.qualimetre.fr', password: 'demo-referent-74', role: 'referent', org: '74' },
  { email: 'lecteur74@demo.qualimetre.fr', password: 'demo-lecteur-74', role: 'viewer', org: '74' },
  { email: 'referent38@demo.qualimetre.fr', password: 'demo-referent-38', role: 'referent', org: '38' },
  { email: 'evaluateur38@demo.qualimetre.fr', password: 'demo-evaluateur-38', role: 'evaluator', org: '38' },
  { email: 'referent73@demo.qualimetre.fr', password: 'demo-referent-73', role: 'referent', org: '73' },
  { email: 'evaluateur74@demo.qualimetre.fr', password: 'demo-evaluateur-74', role: 'evaluator', org: '74' },
  { email: 'evaluateur73@demo.qualimetre.fr', password: 'demo-evaluateur-73', role: 'evaluator', org: '73' },
];

const ORGS = [
  { code: '74', name: 'Préfecture de la Haute-Savoie' },
  { code: '38', name: 'Préfecture de l’Isère' },
  { code: '73', name: 'Préfecture de la Savoie' },
];

const SITES_74 = [
  { name: 'Accueil général', kind: 'accueil_general' as const, address: 'Cité administrative, 14 rue du 30ème régiment d’infanterie, 74000 Annecy' },
  { name: 'Accueil des étrangers', kind: 'accueil_etrangers' as const, address: '12bis rue du 30ème régiment d’infanterie, 74000 Annecy' },
  { name: 'Point numérique', kind: 'point_numerique' as const, address: 'Cité administrative, 14 rue du 30ème régiment d’infanterie, 74000 Annecy' },
];

// Fictitious mailboxes and numbers on reserved ranges: the demo must never write to a real service.
const SERVICES_74 = [
  { name: 'Standard', emails: [], phones: ['04 00 00 00 00'] },
  { name: 'Bureau du séjour des étrangers', emails: ['sejour@demo-prefecture74.test'], phones: ['04 00 00 00 01'] },
  { name: 'Bureau de la citoyenneté et des activités réglementées', emails: ['citoyennete@demo-prefecture74.test', 'elections@demo-prefecture74.test'], phones: ['04 00 00 00 02'] },
  { name: 'Direction des relations avec les collectivités locales (DRCL)', emails: ['drcl@demo-prefecture74.test'], phones: ['04 00 00 00 03'] },
  { name: 'Cabinet', emails: ['cabinet@demo-prefecture74.test'], phones: ['04 00 00 00 04'] },
  { name: 'Bureau des affaires foncières et de l’urbanisme', emails: ['urbanisme@demo-prefecture74.test'], phones: ['04 00 00 00 05'] },
];

/** Seeds once: does nothing when any organisation exists. Returns whether it seeded. */
export async function seedDemo(deps: Deps): Promise<boolean> {
  if ((await orgStore.listOrganisations(deps.db)).length > 0) return false;
  const ids = new Map<string, string>();
  for (const o of ORGS) ids.set(o.code, (await orgStore.insertOrganisation(deps.db, o)).id);
  const org74 = ids.get('74')!;
  const sites74: { id: string; kioskName: string }[] = [];
  for (const s of SITES_74) sites74.push({ id: (await orgStore.insertSite(deps.db, org74, s)).id, kioskName: `${s.name} – hall` });
  for (const s of SERVICES_74) await orgStore.insertService(deps.db, org74, s);
  const users = new Map<string, { id: string; displayName: string }>();
  for (const a of DEMO_ACCOUNTS) {
    users.set(a.email, await auth.createUser(deps, {
      orgId: a.org ? ids.get(a.org)! : null, email: a.email, role: a.role, password: a.password,
      displayName: a.role === 'admin' ? 'Administration Qualimètre' : `${a.role === 'referent' ? 'Référent qualité' : a.role === 'viewer' ? 'Lecteur' : 'Évaluateur'} ${a.org}`,
    }));
  }
  // A year of kiosk answers on the three sites; the last autumn gives the seed's 12 figures.
  await seedKioskAnswersDemo(deps, org74, sites74);
  // The point numérique's own questionnaire in 2019-T2/T3: the effort score of the Transparence table.
  await seedPointNumeriqueAnswersDemo(deps, org74, sites74[2].id);
  await seedIndicatorsDemo(deps, org74);
  const ref74 = users.get('referent74@demo.qualimetre.fr')!;
  const referent74: Principal = { userId: ref74.id, orgId: org74, orgCode: '74', orgName: ORGS[0].name, role: 'referent', email: 'referent74@demo.qualimetre.fr', displayName: ref74.displayName, via: 'session' };
  // A finished mystery e-mail campaign read from its raw messages: the seed's table.
  await seedMailCampaignDemo(deps, org74, referent74);
  // A finished cross-prefecture phone programme with graded calls, and the bilan of the quarter.
  const demoOrg = (code: string): DemoOrg => ({
    id: ids.get(code)!, code,
    referentId: users.get(`referent${code}@demo.qualimetre.fr`)!.id,
    evaluatorIds: [users.get(`evaluateur${code}@demo.qualimetre.fr`)!.id],
  });
  await seedPhoneProgrammeDemo(deps, { o74: demoOrg('74'), o38: demoOrg('38'), o73: demoOrg('73') });
  await seedCommitteeDemo(deps, org74);
  // The town halls' appointment delays (May and September 2019) and the Programme Transparence.
  await seedTownHallsDemo(deps, org74);
  await seedTransparenceDemo(deps, org74);
  return true;
}
