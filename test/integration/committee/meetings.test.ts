/**
 * Committee meetings through the pages: a comité local des usagers as in the seed, its PDF
 * attachments (non-PDF refused), « Préparer le dossier » read back with pdftotext (each part's
 * title and the seeded figures, the attachment's own text), the minutes' draft read back
 * through LibreOffice (the pre-written sentences and their sources), suggestions that become
 * actions, viewers refused the edit pages and another organisation answered 404.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type request from 'supertest';
import { createTestContext, type TestContext } from '../../helpers/app';
import { createOrg, createUser, loggedIn, type Browser } from '../../helpers/factories';
import { seedComplaints } from '../indicators/indicators.fixtures';

let t: TestContext;
let referent: Browser;
let viewer: Browser;
let other: Browser;
let meetingId: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qm-committee-'));

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const flat = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ').replace(/\s+/g, ' ');
const text = (html: string) => flat(html.replace(/<[^>]+>/g, ' '));

async function charterPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('Charte de l utilisateur - engagements de service', { x: 50, y: 780, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}

function upload(b: Browser, id: string, title: string, name: string, data: Buffer) {
  return b.agent.post(`/comites/${id}/pieces-jointes`).set('Accept', 'text/html').field('_csrf', b.csrf).field('title', title).attach('file', data, name);
}

const SEED_MEETING = {
  heldOn: '2019-09-09', kind: 'clu',
  administration: 'Mme Gouache, secrétaire générale\nMme Marcinkowski, référent Qualité',
  usagers: 'M. Alain Bochet – UFC Que choisir\nM. André Touvet – UDAF',
  collectivites: 'Mme Lauriane Mounier-Faraut – Association des maires',
  defenseur: 'M. Michel Poingt – Délégué du défenseur des droits',
  agenda: 'Présentation de la démarche\nPrésentation de nos résultats\nRecueil des suggestions des représentants des usagers\nVisite des locaux',
  periodStart: '2019-01-01', periodEnd: '2019-07-31',
};

beforeAll(async () => {
  t = await createTestContext({ config: { SESSION_TTL_HOURS: '100000' } });
  t.clock.set('2019-09-02T08:00:00Z');
  const org = await createOrg(t.deps, 'Préfecture de la Haute-Savoie');
  referent = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
  viewer = await loggedIn(t.app, await createUser(t.deps, org.id, 'viewer'));
  other = await loggedIn(t.app, await createUser(t.deps, (await createOrg(t.deps, 'Préfecture B')).id, 'referent'));
  // The seed's 27 complaints of January–July (« 85 % within 15 working days, 4 days on average »).
  await seedComplaints(t.deps, org.id);
  // The seed's July figures, typed on the board; June's calls below the target.
  expect((await referent.post('/indicateurs/saisie', { mois: '2019-07', 'value:appels-aboutis': '94', 'value:site-taux-connexion': '11', 'value:twitter-engagement': '2,75', 'value:point-numerique-visiteurs': '200' })).status).toBe(303);
  expect((await referent.post('/indicateurs/saisie', { mois: '2019-06', 'value:appels-aboutis': '88', 'value:point-numerique-visiteurs': '190' })).status).toBe(303);
  expect((await referent.post('/plan-actions/nouvelle', { title: 'Note de service sur le renvoi d’appels', origin: 'indicateur', originNote: 'taux d’appels aboutis', dueOn: '2019-06-30' })).status).toBe(303);
}, 60_000);
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await t?.close();
});

describe('when a referent records a comité local des usagers', () => {
  it('then a bad form is a 422 with French errors', async () => {
    const res = await referent.post('/comites/nouveau', { ...SEED_MEETING, heldOn: '2019-13-01', agenda: '', periodEnd: '2018-12-31' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Date invalide.');
    expect(res.text).toContain('Indiquez au moins un point à l’ordre du jour.');
  });

  it('then the meeting page shows participants by category and the agenda', async () => {
    const res = await referent.post('/comites/nouveau', SEED_MEETING);
    expect(res.status).toBe(303);
    meetingId = /\/comites\/([0-9a-f-]{36})$/.exec(res.headers.location)![1];
    const page = text((await viewer.page(`/comites/${meetingId}`)).text);
    expect(page).toContain('Comité local des usagers du 9 septembre 2019');
    expect(page).toContain('Représentants des usagers (associations) M. Alain Bochet – UFC Que choisir');
    expect(page).toContain('Délégué du Défenseur des droits M. Michel Poingt');
    expect(page).toContain('Recueil des suggestions des représentants des usagers');
    expect(page).toContain('Préparer le dossier (PDF)');
  });

  it('then a file that is not a PDF is refused, and a PDF is added', async () => {
    await referent.page(`/comites/${meetingId}`);
    const bad = await upload(referent, meetingId, 'Organigramme', 'organigramme.pdf', Buffer.from('GIF89a pas un pdf'));
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Le fichier n’est pas un PDF.');
    const broken = await upload(referent, meetingId, 'Organigramme', 'organigramme.pdf', Buffer.from('%PDF-1.7\n garbage without objects'));
    expect(broken.status).toBe(422);
    expect(broken.text).toContain('Le PDF est illisible ou endommagé.');
    const ok = await upload(referent, meetingId, 'Charte de l’utilisateur', 'charte.pdf', await charterPdf());
    expect(ok.status).toBe(303);
    expect(text((await viewer.page(`/comites/${meetingId}`)).text)).toContain('Charte de l’utilisateur (charte.pdf, 1 page');
  });

  it('then a suggestion recorded after the meeting becomes an action in one click, once', async () => {
    expect((await referent.post(`/comites/${meetingId}/suggestions`, { text: 'Ajouter sur le site internet un lien vers les mairies équipées pour les CNI/passeports' })).status).toBe(303);
    const page = (await referent.page(`/comites/${meetingId}`)).text;
    const sid = /\/suggestions\/([0-9a-f-]{36})\/action/.exec(page)![1];
    const res = await referent.post(`/comites/${meetingId}/suggestions/${sid}/action`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/plan-actions\/[0-9a-f-]{36}$/);
    expect((await referent.post(`/comites/${meetingId}/suggestions/${sid}/action`)).status).toBe(409);
    const plan = text((await viewer.page('/plan-actions')).text);
    expect(plan).toContain('Ajouter sur le site internet un lien vers les mairies');
    expect(plan).toContain('Suggestion du comité : Comité local des usagers du 9 septembre 2019');
    expect(plan.match(/Ajouter sur le site internet un lien/g)).toHaveLength(1);
    expect(text((await viewer.page(`/comites/${meetingId}`)).text)).toContain('inscrite au plan d’actions');
  });

  it('then the dossier is one PDF holding every part, the seeded figures and the attachment (pdftotext)', async () => {
    const res = await viewer.agent.get(`/comites/${meetingId}/dossier.pdf`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const file = path.join(dir, 'dossier.pdf');
    fs.writeFileSync(file, res.body as Buffer);
    const pdf = flat(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }));
    for (const title of ['Dossier du comité local des usagers du 9 septembre 2019', 'Le dossier comprend', 'Bilan annuel intermédiaire', 'Tableau de suivi des indicateurs qualité',
      'Tableau de fréquentation du point numérique (2018 et 2019)', 'Plan d’actions correctives', 'Charte de l’utilisateur']) {
      expect(pdf).toContain(title);
    }
    for (const figure of ['94 %', '88 %', '11 %', '2,75 %', 'Note de service sur le renvoi d’appels', 'Charte de l utilisateur - engagements de service']) expect(pdf).toContain(figure);
    // The monthly table's row: target, June (missed), July, and the period's cumulated rate.
    const rows = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/[\u202f\u00a0]/g, ' ').split('\n');
    expect(rows.find((l) => /Taux d’appels aboutis\s+90 %\s+–/.test(l))).toMatch(/90 %(\s+–){5}\s+88 %\s+94 %\s+91 %/);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThanOrEqual(5);
  }, 90_000);

  it('then the minutes’ draft opens in LibreOffice and holds the pre-written sentences with their sources', async () => {
    const res = await viewer.agent.get(`/comites/${meetingId}/compte-rendu.docx`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    const file = path.join(dir, 'compte-rendu.docx');
    fs.writeFileSync(file, res.body as Buffer);
    const r = spawnSync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    const doc = flat(execFileSync('pdftotext', [path.join(dir, 'compte-rendu.pdf'), '-'], { encoding: 'utf8' }));
    expect(doc).toContain('Compte-rendu de la réunion du comité local des usagers du 9 septembre 2019');
    expect(doc).toContain('Représentants des usagers (associations)');
    expect(doc).toContain('2. Présentation de nos résultats');
    expect(doc).toContain('94 % des appels ont abouti en juillet, pour un objectif national de 90 %.');
    expect(doc).toContain('Le site internet a connu un taux de connexion de 11 % en juillet, pour un objectif national de 5 %.');
    expect(doc).toContain('Le point numérique a accueilli 200 visiteurs en juillet.');
    // Complaints are stated over the whole period, as in the seed.
    expect(doc).toContain('85 % des suggestions et réclamations ont été traitées dans le délai de 15 jours ouvrés du 1er janvier au 31 juillet.');
    expect(doc).toContain('Le délai moyen de réponse aux suggestions et réclamations a été de 4 jours ouvrés du 1er janvier au 31 juillet, dans la limite de l’objectif national de 15 jours.');
    expect(doc).toContain('27 suggestions et réclamations ont été enregistrées du 1er janvier au 31 juillet.');
    expect(doc).toContain('Source : indicateur « Taux d’appels aboutis », juillet 2019, valeur 94 %');
    expect(doc).toContain('Ajouter sur le site internet un lien vers les mairies');
    expect(doc).toContain('Charte de l’utilisateur');
    // Indicators without a value in the period are not stated.
    expect(doc).not.toContain('Twitter a connu un taux d’engagement de –');
    expect(doc).not.toMatch(/serveur vocal interactif a été mis à jour/);
  }, 120_000);
});

describe('when someone else reaches the meeting', () => {
  it('then a viewer is refused the edit pages', async () => {
    const res = await viewer.page('/comites/nouveau');
    expect(res.status).toBe(403);
    expect(res.text).toContain('Accès réservé aux référents qualité.');
    expect((await viewer.post('/comites/nouveau', SEED_MEETING)).status).toBe(403);
    expect((await viewer.post(`/comites/${meetingId}/suggestions`, { text: 'x' })).status).toBe(404);
    expect((await viewer.page(`/comites/${meetingId}/modifier`)).status).toBe(404);
  });

  it('then another organisation gets 404 on every meeting route', async () => {
    const cells: string[] = [];
    for (const [method, p] of [['GET', ''], ['GET', '/modifier'], ['POST', '/modifier'], ['GET', '/dossier.pdf'], ['GET', '/compte-rendu.docx'], ['POST', '/suggestions']]) {
      const url = `/comites/${meetingId}${p}`;
      const res = method === 'GET' ? await other.page(url) : await other.post(url, { ...SEED_MEETING, text: 'x' });
      cells.push(`${method} ${p} → ${res.status}`);
    }
    await other.page('/comites');
    cells.push(`POST /pieces-jointes → ${(await upload(other, meetingId, 'x', 'x.pdf', await charterPdf())).status}`);
    expect(cells).toEqual(cells.map((c) => c.replace(/→ \d+$/, '→ 404')));
    expect((await other.page('/comites')).text).not.toContain('9 septembre 2019');
  });
});
