/**
 * In Chromium: a committee meeting's page as a referent sees it (participants by category,
 * agenda, « Préparer le dossier », attachments and suggestions) passes axe and is
 * screenshotted to be looked at.
 */
import type { Browser } from 'playwright-core';
import type { TestContext } from '../helpers/app';
import { axeViolations, collectErrors, isolatedContext, logIn, screenshot, startBrowserApp, type BrowserApp } from '../helpers/browser';
import { createOrg, createUser } from '../helpers/factories';
import type { RunningServer } from '../helpers/server';
import { addSuggestion, createMeeting } from '../../server/committee/meeting.service';
import { meetingSchema } from '../../server/committee/meeting.schemas';

let app: BrowserApp;
let t: TestContext;
let server: RunningServer;
let browser: Browser;
let referent: { email: string; password: string };
let meetingId: string;

beforeAll(async () => {
  ({ t, server, browser } = app = await startBrowserApp());
  t.clock.set('2019-09-02T08:00:00Z');
  const org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  referent = await createUser(t.deps, org.id, 'referent');
  const m = await createMeeting(t.deps, org.id, null, meetingSchema.parse({
    heldOn: '2019-09-09', kind: 'clu', periodStart: '2019-01-01', periodEnd: '2019-07-31',
    administration: 'Mme Gouache, secrétaire générale\nMme Brat, directrice des ressources humaines et du budget\nMme Marcinkowski, référent Qualité',
    usagers: 'M. Alain Bochet – UFC Que choisir\nM. André Touvet – UDAF', collectivites: 'Mme Lauriane Mounier-Faraut – Association des maires',
    defenseur: 'M. Michel Poingt – Délégué du défenseur des droits',
    agenda: 'Présentation de la démarche\nPrésentation de nos résultats\nRecueil des suggestions des représentants des usagers\nVisite des locaux',
  }));
  meetingId = m.id;
  await addSuggestion(t.deps, org.id, m.id, 'Vigilance sur les usagers, en difficulté pour obtenir un rendez-vous, qui se retrouvent avec un titre de séjour expiré');
}, 120_000);
afterAll(() => app?.close());

describe('when a referent opens a meeting', () => {
  it('then the page shows the meeting and its dossier actions, and passes axe', async () => {
    const context = await isolatedContext(browser, server.url, { viewport: { width: 1024, height: 900 } });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await logIn(page, server.url, referent);
    await page.goto(`${server.url}/comites/${meetingId}`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Comité local des usagers du 9 septembre 2019');
    await expect(page.locator('#dossier-pdf').getAttribute('href')).resolves.toBe(`/comites/${meetingId}/dossier.pdf`);
    await expect(page.getByRole('button', { name: 'En faire une action' }).count()).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'committee-meeting');
    expect(errors).toEqual([]);
    await context.close();
  });
});
