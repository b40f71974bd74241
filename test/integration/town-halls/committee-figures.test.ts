/**
 * Issue 16 (items 1–2) through the app: the seed's town-hall means (18 days in May 2019, 10 in
 * September) from raw checks, the seed's Transparence table from raw values (the effort score
 * from point numérique answer sets averaging 3,4), CSV import problems by line and column,
 * the dossier fragments, the public page's publication rule, and tenancy (404).
 */
import crypto from 'node:crypto';
import request from 'supertest';
import { createTestContext, type TestContext } from '../../helpers/app';
import { createOrg, createUser, loggedIn, type Browser } from '../../helpers/factories';
import { actorsOf, pageStatuses } from '../../helpers/tenancy';
import { typeValues } from '../../../server/indicators/values.service';
import { responses } from '../../../server/storage/schema';
import { transparenceSection } from '../../../server/transparence/transparence.section';
import { townHallSection } from '../../../server/town-halls/town-hall.section';

let t: TestContext;
let ref: Browser;
let orgId: string;
let orgCode: string;
const NB = '\u00a0';

const hallId = async (b: Browser, name: string) => {
  const page = await b.page('/mairies?trimestre=2019-T2');
  const m = new RegExp(`href="/mairies/([0-9a-f-]{36})">Position<span class="fr-sr-only"> de ${name}<`).exec(page.text);
  if (!m) throw new Error(`no town hall ${name}`);
  return m[1];
};

async function check(b: Browser, townHallId: string, checkedOn: string, firstSlotOn: string | null) {
  const res = await b.post('/mairies/controles', { townHallId, checkedOn, channel: 'online', ...(firstSlotOn ? { firstSlotOn } : { noSlot: 'on' }) });
  expect(res.status).toBe(303);
}

beforeAll(async () => {
  t = await createTestContext({ config: { SESSION_TTL_HOURS: '100000' } });
  t.clock.set('2019-10-07T08:00:00Z');
  const org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  orgId = org.id;
  orgCode = org.code;
  ref = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
  await ref.page('/mairies');
  expect((await ref.post('/mairies/departement', { departmentCode: '74' })).status).toBe(303);
  await ref.page('/mairies/communes');
  const added = await ref.agent.post('/mairies/communes').type('form').set('Accept', 'text/html')
    .send(`_csrf=${encodeURIComponent(ref.csrf)}&codes=74010&codes=74281&codes=74081&codes=74042&codes=74243`);
  expect(added.status).toBe(303);
  const ids = await Promise.all(['Annecy', 'Thonon-les-Bains', 'Cluses', 'Bonneville', 'Saint-Julien-en-Genevois'].map((n) => hallId(ref, n)));
  // May 2019: 12, 25, 17 and 18 days, and one « pas de créneau » → mean 18 days.
  await check(ref, ids[0], '2019-05-06', '2019-05-18');
  await check(ref, ids[1], '2019-05-06', '2019-05-31');
  await check(ref, ids[2], '2019-05-07', '2019-05-24');
  await check(ref, ids[3], '2019-05-07', '2019-05-25');
  await check(ref, ids[4], '2019-05-07', null);
  // September 2019: 8, 14, 9 and 9 days → mean 10 days.
  await check(ref, ids[0], '2019-09-02', '2019-09-10');
  await check(ref, ids[1], '2019-09-02', '2019-09-16');
  await check(ref, ids[2], '2019-09-03', '2019-09-12');
  await check(ref, ids[3], '2019-09-03', '2019-09-12');

  // Transparence, 3rd quarter 2019: national statistics typed; answered calls from the board; effort from answer sets.
  await ref.page('/transparence?trimestre=2019-T3');
  const typed = await ref.post('/transparence/saisie', { trimestre: '2019-T3', 'value:satisfaction-titres': '70', 'value:delai-cni-passeport': '22', 'value:delai-permis': '12', 'value:delai-immatriculation': '5' });
  expect(typed.status).toBe(303);
  for (const month of ['2019-07-01', '2019-08-01', '2019-09-01']) await typeValues(t.deps, orgId, null, month, { 'appels-aboutis': 94 });
  const efforts = [3, 4, 3, 4, 3, 4, 3, 4, 2, 4]; // mean 3,4
  const row = (answers: Record<string, unknown>, at: string) => ({
    id: crypto.randomUUID(), orgId, surveyId: 'point-numerique', surveyVersion: 'test', channel: 'kiosk' as const, locale: 'fr', answers, completedAt: new Date(at), receivedAt: new Date(at),
  });
  await t.deps.db.insert(responses).values([
    ...efforts.map((e, i) => row({ avis_global: 'tres_bien', effort_demarche_en_ligne: e }, `2019-08-${String(10 + i).padStart(2, '0')}T09:00:00Z`)),
    row({ avis_global: 'moyen' }, '2019-08-20T09:00:00Z'), // no effort answer: not counted
    row({ avis_global: 'moyen', effort_demarche_en_ligne: 5 }, '2019-06-30T21:30:00Z'), // 30 June 23:30 in Paris: 2nd quarter
  ]);
}, 120_000);
afterAll(async () => t?.close());

describe('when the referent records the quarterly town-hall checks', () => {
  it('then the mean is 18 days in May and 10 days in September, « pas de créneau » counted apart', async () => {
    const may = await ref.page('/mairies?trimestre=2019-T2');
    expect(may.status).toBe(200);
    const mayRow = /<th scope="row">Département<\/th>(.*?)<\/tr>/s.exec(may.text)![1];
    expect(mayRow).toContain(`<strong>18${NB}jours</strong>`);
    expect(mayRow).toContain(`17,5${NB}jours`); // median of 12, 17, 18, 25
    expect(mayRow).toMatch(/<td>1<\/td>$/); // one « pas de créneau »
    const sept = await ref.page('/mairies?trimestre=2019-T3');
    expect(/<th scope="row">Département<\/th>(.*?)<\/tr>/s.exec(sept.text)![1]).toContain(`<strong>10${NB}jours</strong>`);
    expect(sept.text).toContain('Arrondissement de Annecy');
    // The trend lists both quarters.
    expect(/id="town-hall-trend".*2e trimestre 2019<\/th><td>5<\/td><td>18/s.test(sept.text)).toBe(true);
  });

  it('then the map is an SVG over the outline, with legend, scale and sources, and every town hall placed', async () => {
    const res = await ref.page('/mairies/carte?trimestre=2019-T3');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<svg');
    expect(res.text).toMatch(/<path d="M[\d.,LMZ]+" fill="#f6f6f6"/);
    expect(res.text).toContain(' km</text>');
    expect(res.text).toContain('CC BY 4.0');
    expect(res.text).toContain('Annecy : 8 j');
    expect(res.text).not.toContain('sans position');
  });

  it('then a wrong check is refused with French field errors (422)', async () => {
    const id = await hallId(ref, 'Annecy');
    const res = await ref.post('/mairies/controles', { townHallId: id, checkedOn: '2019-09-10', channel: 'online', firstSlotOn: '2019-09-01' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Le rendez-vous ne peut précéder la date du contrôle.');
    const none = await ref.post('/mairies/controles', { townHallId: id, checkedOn: '2019-09-10', channel: 'fax' });
    expect(none.status).toBe(422);
    expect(none.text).toContain('Choisissez le canal.');
  });

  it('then a town hall can be placed by hand, and bad coordinates are refused', async () => {
    const id = await hallId(ref, 'Cluses');
    expect((await ref.post(`/mairies/${id}`, { lat: '95', lon: '6,5' })).status).toBe(422);
    expect((await ref.post(`/mairies/${id}`, { lat: '46,06', lon: '6,58' })).status).toBe(303);
    expect((await ref.page('/mairies?trimestre=2019-T3')).text).toMatch(/Cluses.*?placée à la main/s);
  });
});

describe('when a town-hall file is imported', () => {
  const upload = async (name: string, csv: string) => {
    await ref.page('/mairies');
    return ref.agent.post('/mairies/import').set('Accept', 'text/html').field('_csrf', ref.csrf).attach('file', Buffer.from(csv, 'utf8'), name);
  };

  it('then every problem is reported by line and column and nothing is stored', async () => {
    const res = await upload('mairies.csv', 'Commune;Code INSEE;Latitude;Longitude\nRumilly;74225;;\nGrenoble;38185;;\nSallanches;7426X;;\n;;;\nSeynod;;45,9;abc\n');
    expect(res.status).toBe(422);
    const cells = [...res.text.matchAll(/<tr><td>(\d+)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => `${m[1]}|${m[2]}`);
    expect(cells).toEqual(['3|Code INSEE', '4|Code INSEE', '5|Commune', '6|Longitude']);
    expect(res.text).toContain('n’est pas dans le département 74');
    expect((await ref.page('/mairies')).text).not.toContain('Rumilly');
  });

  it('then a good file adds the town halls with GeoNames positions, naming those it cannot place', async () => {
    const res = await upload('mairies.csv', 'Commune;Code INSEE\nRumilly;74225\nHameau-Imaginaire;\n');
    expect(res.status).toBe(303);
    const page = await ref.page('/mairies');
    expect(page.text).toContain('2 mairies ajoutées. Sans position connue (à placer à la main) : Hameau-Imaginaire.');
    expect(page.text).toMatch(/Rumilly.*?GeoNames/s);
  });
});

describe('when the Programme Transparence of the 3rd quarter 2019 is computed', () => {
  it('then the seed’s table is rebuilt from raw values, with polarity and sources', async () => {
    const res = await ref.page('/transparence?trimestre=2019-T3');
    expect(res.status).toBe(200);
    const cell = (label: string) => new RegExp(`${label}</th><td><strong>([^<]*)</strong>`).exec(res.text)?.[1];
    expect(cell('Taux de satisfaction globale des usagers pour la délivrance des titres')).toBe('70\u202f%');
    expect(cell('Délai moyen de délivrance des CNI-passeports')).toBe(`22${NB}jours`);
    expect(cell('Délai moyen de délivrance des permis de conduire')).toBe(`12${NB}jours`);
    expect(cell('Délai moyen de délivrance des certificats d’immatriculation des véhicules')).toBe(`5${NB}jours`);
    expect(cell('Taux d’appels aboutis en préfecture')).toBe('94\u202f%');
    expect(cell('Score d’effort ressenti par les usagers pour les télé-procédures')).toBe(`3,4${NB}/${NB}5`);
    const poster = await ref.page('/transparence/affiche?trimestre=2019-T3');
    expect(poster.status).toBe(200);
    expect(poster.text).toContain('3e trimestre 2019');
    expect(poster.text).toContain(`3,4${NB}/${NB}5`);
    expect(poster.text).toContain('plus bas = meilleur');
    expect(res.text).toContain(`sur 10${NB}réponses`);
    expect(res.text).toContain('plus bas = meilleur');
  });

  it('then the effort score of a quarter with too few answers is withheld, not printed', async () => {
    const res = await ref.page('/transparence?trimestre=2019-T2');
    expect(/télé-procédures<\/th><td><strong>([^<]*)</.exec(res.text)?.[1]).toBe('résultat non publié');
  });

  it('then a Transparence file with problems is refused by line and column', async () => {
    await ref.page('/transparence');
    const res = await ref.agent.post('/transparence/import').set('Accept', 'text/html').field('_csrf', ref.csrf)
      .attach('file', Buffer.from('Trimestre;Mesure;Valeur\n2019-T4;delai-permis;11\n2019-T9;delai-permis;11\n2019-T4;appels-aboutis;90\n2019-T4;satisfaction-titres;140\n', 'utf8'), 't.csv');
    expect(res.status).toBe(422);
    const cells = [...res.text.matchAll(/<tr><td>(\d+)<\/td><td>([^<]*)<\/td>/g)].map((m) => `${m[1]}|${m[2]}`);
    expect(cells).toEqual(['3|Trimestre', '4|Mesure', '5|Valeur']);
  });

  it('then the public page shows only a published quarter', async () => {
    expect((await request(t.app).get(`/nos-resultats/${orgCode}/transparence`)).status).toBe(404);
    await ref.page('/transparence?trimestre=2019-T3');
    expect((await ref.post('/transparence/publication', { trimestre: '2019-T3' })).status).toBe(303);
    const pub = await request(t.app).get(`/nos-resultats/${orgCode}/transparence`);
    expect(pub.status).toBe(200);
    expect(pub.text).toContain('3e trimestre 2019');
    expect(pub.text).toContain(`3,4${NB}/${NB}5`);
    expect((await request(t.app).get(`/nos-resultats/${orgCode}/transparence?trimestre=2019-T2`)).status).toBe(404);
  });

  it('then the dossier fragments hold the table, the figures and the map', async () => {
    const period = { from: new Date('2019-01-01T00:00:00+01:00'), to: new Date('2019-09-30T12:00:00+02:00') };
    const tr = await transparenceSection(t.deps, orgId, period);
    expect(tr.title).toBe('Programme Transparence');
    expect(tr.html).toContain('3e trimestre 2019');
    expect(tr.html).toContain('94\u202f%');
    const th = await townHallSection(t.deps, orgId, period);
    expect(th.html).toContain(`18${NB}jours`);
    expect(th.html).toContain(`10${NB}jours`);
    expect(th.html).toContain('<svg');
  });
});

describe('when users of another organisation address these objects', () => {
  it('then every town-hall and check route answers 404, and the viewer is refused management (403)', async () => {
    const other = await createOrg(t.deps, 'Préfecture A');
    const actors = await actorsOf(t.deps, t.app, other.id);
    const hall = await hallId(ref, 'Annecy');
    const checkId = /action="\/mairies\/controles\/([0-9a-f-]{36})\/supprimer"/.exec((await ref.page('/mairies?trimestre=2019-T3')).text)![1];
    const cells = await pageStatuses(actors, [
      ['GET', `/mairies/${hall}`], ['POST', `/mairies/${hall}`, { lat: '1', lon: '1' }], ['POST', `/mairies/${hall}/supprimer`],
      ['POST', `/mairies/controles/${checkId}/supprimer`],
    ]);
    expect(cells.filter((c) => !c.endsWith('→ 404'))).toEqual([]);
    const refA = actors.find((a) => a.name === 'A referent (session)')!.browser!;
    expect((await refA.post('/mairies/controles', { townHallId: hall, checkedOn: '2019-09-02', channel: 'phone', noSlot: 'on' })).status).toBe(404);
    const mine = await refA.page('/mairies?trimestre=2019-T3');
    expect(mine.text).not.toContain('Annecy');
    const viewerA = actors.find((a) => a.name === 'A viewer (session)')!.browser!;
    expect((await viewerA.page('/mairies/communes')).status).toBe(403);
    expect((await ref.page('/mairies?trimestre=2019-T3')).text).toContain('Thonon-les-Bains');
    // B's Transparence values never show in A's table; a viewer may read but not type.
    const trA = await refA.page('/transparence?trimestre=2019-T3');
    expect(/délivrance des titres<\/th><td><strong>([^<]*)</.exec(trA.text)?.[1]).toBe('non renseigné');
    expect((await viewerA.post('/transparence/saisie', { trimestre: '2019-T3', 'value:delai-permis': '1' })).status).toBe(403);
    expect((await viewerA.page('/transparence?trimestre=2019-T3')).status).toBe(200);
  });
});
