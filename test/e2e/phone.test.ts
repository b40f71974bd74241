/**
 * An evaluator does a mystery call end to end on a phone-sized screen (390 × 844) in Chromium:
 * their calls, the number to dial, the timer of the attempt, the grid rendered by SurveyJS
 * (saved as a draft, then sent), and no serious or critical axe violation on the way.
 */
import type { Browser, Page } from 'playwright-core';
import type { TestContext } from '../helpers/app';
import { axeViolations, collectErrors, isolatedContext, logIn, screenshot, startBrowserApp, type BrowserApp } from '../helpers/browser';
import { createOrg, createUser } from '../helpers/factories';
import type { RunningServer } from '../helpers/server';
import * as programmes from '../../server/phone/programme.service';
import * as plan from '../../server/phone/plan.service';
import * as store from '../../server/phone/phone.store';

let app: BrowserApp;
let t: TestContext;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  ({ t, server, browser } = app = await startBrowserApp());
});
afterAll(() => app?.close());

async function setUp() {
  t.clock.set('2019-06-01T08:00:00Z');
  const isere = await createOrg(t.deps, 'Préfecture de l’Isère');
  const hauteSavoie = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  const referent = await createUser(t.deps, isere.id, 'referent');
  const evaluator = await createUser(t.deps, isere.id, 'evaluator');
  const calledReferent = await createUser(t.deps, hauteSavoie.id, 'referent');
  const p = await programmes.createProgramme(t.deps, isere.id, referent.id, {
    name: 'Appels mystères croisés', startsOn: '2019-06-03', endsOn: '2019-06-28', pairs: [{ caller: isere.code, called: hauteSavoie.code }],
    callsPerNumber: 1, maxAttempts: 3, attemptWaitMinutes: 5, passMark: 7,
  });
  await programmes.acceptProgramme(t.deps, hauteSavoie.id, calledReferent.id, p.id);
  const number = await programmes.addNumber(t.deps, hauteSavoie.id, p.id, { kind: 'service', label: 'Bureau des étrangers', phone: '04 50 33 60 00', serviceId: null });
  await programmes.addScenario(t.deps, hauteSavoie.id, p.id, {
    numberId: number.id, category: 'etrangers', question: 'Bonjour, mon titre de séjour expire dans un mois, que dois-je faire ?',
    expectedAnswer: 'Déposer la demande de renouvellement en ligne (ANEF), au moins deux mois avant l’expiration.',
  });
  await programmes.setEvaluators(t.deps, isere.id, p.id, [evaluator.id]);
  const [pair] = await store.listPairs(t.deps.db, isere.id, p.id);
  await plan.generatePairPlan(t.deps, isere.id, p.id, pair.id);
  const [call] = await store.listCallerCalls(t.deps.db, isere.id, p.id);
  // The evaluator opens the app on the day of the call, at noon.
  t.clock.set(`${call.call.scheduledAt.toISOString().slice(0, 10)}T10:00:00Z`);
  return { isere, evaluator, callId: call.call.id, programmeId: p.id };
}

async function choose(page: Page, questionTitle: string, choice: string) {
  await page.locator('.sd-question', { hasText: questionTitle }).getByText(choice, { exact: true }).click();
}

describe('when an evaluator makes a call on their phone', () => {
  it('then they find it, time the attempt, fill and send the grid, with no serious accessibility violation', async () => {
    const { isere, evaluator, callId } = await setUp();
    const context = await isolatedContext(browser, server.url, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors = collectErrors(page);

    // An evaluator lands on their home (today's calls), then opens the list of all their calls.
    await logIn(page, server.url, evaluator);
    await page.goto(`${server.url}/appels`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Mes appels');
    expect(await page.locator('.fr-nav__link').allTextContents()).toEqual(['Mes appels']);
    expect(await axeViolations(page)).toEqual([]);

    await page.click(`a[href="/appels/${callId}"]`);
    await page.waitForURL(`${server.url}/appels/${callId}`);
    expect(await page.getAttribute('a[href^="tel:"]', 'href')).toBe('tel:0450336000');
    await expect(page.locator('.qm-question').textContent()).resolves.toContain('mon titre de séjour expire');
    expect(await axeViolations(page)).toEqual([]);

    // The timer: started when dialling, two rings, stopped at pick-up; it fills the form.
    await page.click('#qm-timer-start');
    await page.waitForTimeout(1100);
    await page.click('#qm-ring');
    await page.click('#qm-ring');
    await page.click('#qm-timer-stop');
    expect(Number(await page.inputValue('#f-waitSeconds'))).toBeGreaterThanOrEqual(1);
    expect(await page.inputValue('#f-rings')).toBe('2');
    expect(await page.isChecked('input[name=outcome][value=personne]')).toBe(true);
    await expect(page.locator('#qm-timer-status').textContent()).resolves.toContain('Décroché après');
    await page.click('#qm-attempt button[type=submit]');
    await page.waitForURL(`${server.url}/appels/${callId}#grille`);

    // The grid, rendered by SurveyJS, starts answered « Oui » from the attempt.
    await page.locator('.sd-question', { hasText: 'serveur vocal' }).waitFor();
    expect(await page.locator('.sd-question', { hasText: 'Une personne a-t-elle répondu' }).locator('input[value=oui]').isChecked()).toBe(true);
    await choose(page, 'Un serveur vocal ou un répondeur a-t-il répondu ?', 'Non');
    await page.click('#qm-grid-draft');
    await page.waitForFunction(() => /Brouillon enregistré à|erreur|invalide|impossible/i.test(document.getElementById('qm-grid-status')?.textContent ?? ''));
    await expect(page.locator('#qm-grid-status').textContent()).resolves.toMatch(/^Brouillon enregistré à \d\d:\d\d\.$/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'phone-grid');

    await page.getByRole('button', { name: 'Suivant' }).click();
    await choose(page, 'nom du service', 'Oui');
    await choose(page, 'Dit-il « bonjour » ?', 'Oui');
    await choose(page, 'donne-t-il son nom', 'Non');
    await choose(page, 'Courtoisie de l', 'Très satisfaisante');
    await choose(page, 'Écoute et reformulation', 'Satisfaisante');
    await page.getByRole('button', { name: 'Suivant' }).click();
    await choose(page, 'transfert vers un autre', 'Non, pas de transfert');
    await choose(page, 'Réponse sur le fond', 'Complète et exacte');
    await choose(page, 'prise de congé', 'Oui');
    await choose(page, 'Impression d', 'Bonne');
    await page.getByRole('button', { name: 'Suivant' }).click();
    await page.locator('textarea').fill('Accueil aimable, réponse précise.');
    await page.getByRole('button', { name: 'Envoyer la grille' }).click();
    // Asked first, naming the call (a sent grid is locked).
    const modal = page.locator('#qm-confirm');
    await modal.waitFor({ state: 'visible' });
    await expect(modal.locator('#qm-confirm-title').textContent()).resolves.toMatch(/^Envoyer la grille de l’appel « .+ » \?$/);
    await modal.locator('#qm-confirm-ok').click();
    await page.waitForURL(`${server.url}/appels`);
    await expect(page.locator('.fr-alert').first().textContent()).resolves.toContain('La grille est envoyée');
    await expect(page.locator('h2', { hasText: 'Grilles envoyées' }).count()).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    const call = await store.getCallerCall(t.deps.db, isere.id, (await store.listProgrammes(t.deps.db, isere.id))[0].programme.id, callId);
    expect(call?.call.status).toBe('submitted');
    expect(call?.call.answers).toEqual(expect.objectContaining({
      decroche: 'oui', sonneries: 2, serveur_vocal: 'non', nom_agent: 'non', courtoisie: 'tres_satisfaisant', ecoute: 'satisfaisant',
      transfert: 'sans_objet', reponse_fond: 'complete', prise_de_conge: 'oui', impression_globale: 'bonne', commentaire: 'Accueil aimable, réponse précise.',
    }));
    expect(errors).toEqual([]);
    await context.close();
  });
});
