/**
 * The town-hall map and the Transparence table in Chromium: the server-drawn SVG map over
 * Haute-Savoie's outline with five checked town halls, in print media (black and white must
 * read: shapes and letters), and the Transparence page; axe-core finds no serious or critical
 * violation. Screenshots are kept as test artefacts.
 */
import type { Browser, Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/app';
import { axeViolations, collectErrors, isolatedContext, launchBrowser, logIn, screenshot } from '../helpers/browser';
import { createOrg, createUser } from '../helpers/factories';
import { listen, type RunningServer } from '../helpers/server';
import { addCommunes, recordCheck, setDepartment } from '../../server/town-halls/town-hall.service';
import { listTownHalls } from '../../server/town-halls/town-hall.store';
import { typeValues as typeTransparence } from '../../server/transparence/transparence.service';
import { parseQuarter } from '../../server/quarters';

let t: TestContext;
let server: RunningServer;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  t = await createTestContext({ config: { SESSION_TTL_HOURS: '100000' } });
  t.clock.set('2019-10-07T08:00:00Z');
  const org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  await setDepartment(t.deps, org.id, '74');
  await addCommunes(t.deps, org.id, ['74010', '74281', '74081', '74042', '74243', '74225', '74119']);
  const halls = await listTownHalls(t.deps.db, org.id);
  const slots: [string, string | null][] = [['Annecy', '2019-09-10'], ['Thonon-les-Bains', '2019-09-16'], ['Cluses', '2019-09-25'], ['Bonneville', '2019-10-20'], ['Saint-Julien-en-Genevois', null]];
  for (const [name, slot] of slots) {
    await recordCheck(t.deps, org.id, null, { townHallId: halls.find((h) => h.name === name)!.id, checkedOn: '2019-09-02', channel: 'online', noSlot: slot === null, firstSlotOn: slot });
  }
  await typeTransparence(t.deps, org.id, null, parseQuarter('2019-T3')!, { 'value:satisfaction-titres': '70', 'value:delai-cni-passeport': '22', 'value:delai-permis': '12' });
  const user = await createUser(t.deps, org.id, 'referent');
  server = await listen(t.app);
  browser = await launchBrowser();
  page = await (await isolatedContext(browser, server.url)).newPage();
  errors = collectErrors(page);
  await logIn(page, server.url, user);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.close();
});

describe('when the referent opens the printable map of the 3rd quarter 2019', () => {
  it('then the map shows the outline, every class, legend and scale, and passes axe in print', async () => {
    await page.goto(`${server.url}/mairies/carte?trimestre=2019-T3`);
    await page.emulateMedia({ media: 'print' });
    const svg = page.locator('svg.qm-map');
    await expect(svg.locator('title').first().textContent()).resolves.toContain('Haute-Savoie');
    const box = await svg.boundingBox();
    expect(box!.width).toBeGreaterThan(400);
    await expect(svg.locator('g > title').allTextContents()).resolves.toEqual(expect.arrayContaining(['Annecy : 8 j', 'Bonneville : 48 j', 'Saint-Julien-en-Genevois : pas de créneau', 'Rumilly : non contrôlée']));
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'town-halls-map-print');
    await page.emulateMedia({ media: 'screen' });
  });

  it('then the town-hall page and the Transparence page pass axe', async () => {
    for (const path of ['/mairies?trimestre=2019-T3', '/transparence?trimestre=2019-T3', '/mairies/controles/nouveau']) {
      await page.goto(`${server.url}${path}`);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, `town-halls-${path.split('?')[0].replace(/\W+/g, '-')}`);
    }
    await screenshot(page, 'town-halls-check-form');
    await page.goto(`${server.url}/transparence/affiche?trimestre=2019-T3`);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'transparence-poster');
    expect(errors).toEqual([]);
  });
});
