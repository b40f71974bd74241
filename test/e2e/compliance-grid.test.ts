/**
 * Keyboard-only walk of a phone evaluator's grid entry (its own file: it sets the clock to the
 * day of the call, in 2019): timer, attempt, then the SurveyJS grid's first page and the draft,
 * with the focus visible at every step.
 */
import type { Browser } from 'playwright-core';
import type { TestContext } from '../helpers/app';
import { isolatedContext, logIn, startBrowserApp, type BrowserApp } from '../helpers/browser';
import { createOrg, createUser } from '../helpers/factories';
import { fillSurveyPageByKeyboard, structure, tabTo } from '../helpers/keyboard';
import type { RunningServer } from '../helpers/server';
import * as programmes from '../../server/phone/programme.service';
import * as plan from '../../server/phone/plan.service';
import * as store from '../../server/phone/phone.store';

jest.setTimeout(120_000);

let app: BrowserApp;
let t: TestContext;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  ({ t, server, browser } = app = await startBrowserApp());
});
afterAll(() => app?.close());

it('when an evaluator times an attempt and fills the whole grid with the keyboard only, then each step shows its focus, the draft is saved and the grid is sent', async () => {
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
  await programmes.addScenario(t.deps, hauteSavoie.id, p.id, { numberId: number.id, category: 'etrangers', question: 'Mon titre de séjour expire, que faire ?', expectedAnswer: 'Demande en ligne (ANEF).' });
  await programmes.setEvaluators(t.deps, isere.id, p.id, [evaluator.id]);
  const [pair] = await store.listPairs(t.deps.db, isere.id, p.id);
  await plan.generatePairPlan(t.deps, isere.id, p.id, pair.id);
  const [call] = await store.listCallerCalls(t.deps.db, isere.id, p.id);
  t.clock.set(`${call.call.scheduledAt.toISOString().slice(0, 10)}T10:00:00Z`);

  const context = await isolatedContext(browser, server.url, { viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await logIn(page, server.url, evaluator); // an evaluator lands on their home
  await page.goto(`${server.url}/appels/${call.call.id}`);
  expect(await structure(page)).toMatchObject({ banner: 1, main: 1, contentinfo: 1, h1: 1, first: 1, skips: [] });
  await tabTo(page, (f) => f.id === 'qm-timer-start', 80);
  await page.keyboard.press('Enter');
  // « Arrêter : décroché », enabled once the timer runs, comes next.
  await tabTo(page, (f) => f.id === 'qm-timer-stop');
  await page.keyboard.press('Enter');
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.text === 'Noter la tentative', 80);
  await Promise.all([page.waitForURL(`${server.url}/appels/${call.call.id}#grille`), page.keyboard.press('Enter')]);
  await page.locator('.sd-question', { hasText: 'serveur vocal' }).waitFor();
  // The radio group « serveur vocal » by keyboard: reach it, pick « Non » with the arrows.
  const question = page.locator('.sd-question', { hasText: 'Un serveur vocal ou un répondeur a-t-il répondu ?' });
  const names = await question.locator('input[type=radio]').evaluateAll((is) => [...new Set(is.map((i) => i.getAttribute('name')))]);
  await tabTo(page, (f) => f.name === names[0], 80);
  for (let i = 0; i < 4 && !(await question.locator('input[value=non]').isChecked()); i++) await page.keyboard.press('ArrowDown');
  expect(await question.locator('input[value=non]').isChecked()).toBe(true);
  await tabTo(page, (f) => f.id === 'qm-grid-draft', 80);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /Brouillon enregistré à/.test(document.getElementById('qm-grid-status')?.textContent ?? ''));

  // Then every page of the grid, by keyboard, up to « Envoyer »: SurveyJS's « Suivant » and its
  // last button are reached with Tab like the rest.
  const nav = (f: { classes: string }) => /sd-navigation__(next|complete)-btn/.test(f.classes);
  const filled: string[] = [];
  for (let pageNo = 0; pageNo < 10; pageNo++) {
    filled.push(...(await fillSurveyPageByKeyboard(page, { text: 'Agent aimable, réponse claire.', number: '25' })));
    const button = (await tabTo(page, nav, 80)).at(-1)!;
    if (button.classes.includes('complete')) {
      // « Envoyer la grille » asks first: the modal opens, reached and confirmed with the keyboard too.
      await page.keyboard.press('Enter');
      await page.locator('#qm-confirm-ok').waitFor({ state: 'visible' });
      for (let i = 0; i < 10 && (await page.evaluate(() => document.activeElement?.id)) !== 'qm-confirm-ok'; i++) await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('qm-confirm-ok');
      await Promise.all([page.waitForURL(`${server.url}/appels`), page.keyboard.press('Enter')]);
      break;
    }
    const before = await page.locator('.sd-page').getAttribute('id');
    await page.keyboard.press('Enter');
    await page.waitForFunction((id) => document.querySelector('.sd-page')?.id !== id, before);
  }
  expect(page.url()).toBe(`${server.url}/appels`);
  const sent = await store.getCallerCall(t.deps.db, isere.id, p.id, call.call.id);
  expect(sent?.call.status).toBe('submitted');
  // Every question reached by keyboard is in the stored grid.
  expect(filled.length).toBeGreaterThan(10);
  expect(Object.keys(sent!.call.answers ?? {})).toEqual(expect.arrayContaining(filled));
  expect(sent!.call.answers).toMatchObject({ serveur_vocal: 'non', commentaire: 'Agent aimable, réponse claire.' });
  await context.close();
});
