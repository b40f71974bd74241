/**
 * The visitor's page as the network sees it: versioned assets served precompressed (Brotli,
 * gzip, plain) with immutable cache headers, a service worker that keeps exactly what the page
 * loads, and the neutral full-screen page of an unknown or revoked link.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import zlib from 'node:zlib';
import request from 'supertest';
import * as kiosks from '../../server/kiosk/kiosk.service';
import { pickEncoding } from '../../server/http/versioned-assets';
import * as links from '../../server/surveys/public-links.service';
import { createTestContext, type TestContext } from '../helpers/app';
import { createOrg, createSite } from '../helpers/factories';
import { listen } from '../helpers/server';

let t: TestContext;
let orgId: string;
let siteId: string;

beforeAll(async () => {
  t = await createTestContext();
  const org = await createOrg(t.deps);
  orgId = org.id;
  siteId = (await createSite(t.deps, org.id, 'Accueil')).id;
});
afterAll(() => t.close());

const newKiosk = () => kiosks.createKiosk(t.deps, orgId, { name: 'Hall', siteId, surveyId: 'satisfaction-etrangers', locales: ['fr', 'ar'], inactivitySeconds: 60 });
const assetsOf = (html: string) => [...html.matchAll(/(?:src|href)="(\/assets\/[0-9a-f]{16}\/[^"]+)"/g)].map((m) => m[1]);
/** The bytes as they come on the wire (supertest would decode them), from a real server. */
async function raw(url: string, acceptEncoding: string) {
  const server = await listen(t.app);
  try {
    return await new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      http.get(server.url + url, { headers: { 'Accept-Encoding': acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject);
    });
  } finally {
    await server.close();
  }
}

describe('when a browser loads the kiosk page', () => {
  it('then it loads only versioned assets (no DSFR stylesheet, no font, one SurveyJS translation), each immutable and precompressed', async () => {
    const { token } = await newKiosk();
    const page = await request(t.app).get(`/kiosque/${token}`);
    expect(page.status).toBe(200);
    const urls = assetsOf(page.text);
    expect(urls.map((u) => u.split('/').pop())).toEqual([
      'survey-core.fontless.min.css', 'kiosk.css', 'compliance.css', 'survey.core.min.js', 'french.min.js', 'survey-js-ui.min.js', 'answer-queue.js', 'kiosk.js',
    ]);
    expect(page.text).not.toMatch(/\/dsfr\/|\.woff2/);

    for (const url of urls) {
      const plain = await raw(url, 'identity');
      expect(plain.status).toBe(200);
      expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(plain.headers['content-encoding']).toBeUndefined();
      const br = await raw(url, 'gzip, deflate, br');
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers.vary).toBe('Accept-Encoding');
      expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
      expect((br.body).length).toBeLessThan((plain.body).length);
      const gz = await raw(url, 'gzip');
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(zlib.gunzipSync(gz.body).equals(plain.body)).toBe(true);
    }
    expect((await request(t.app).get('/assets/0000000000000000/survey.core.min.js')).status).toBe(404);
  });

  it('then its service worker keeps exactly what the page loads, and nothing else', async () => {
    const { token } = await newKiosk();
    const page = await request(t.app).get(`/kiosque/${token}`);
    const sw = await request(t.app).get(`/kiosque/${token}/sw.js`);
    const precache = JSON.parse(/const QM_PRECACHE = (\[.*\]);/.exec(sw.text)![1]) as string[];
    expect(precache).toEqual([`/kiosque/${token}`, ...assetsOf(page.text)]);
  });

  it('then every stylesheet and script the page references, the « Informations » panel’s included, is in the offline cache', async () => {
    const { token } = await newKiosk();
    const page = await request(t.app).get(`/kiosque/${token}`);
    expect(page.text).toContain('class="qc-info"');
    // Every reference, whatever its path (not only /assets/): a /static/ one would escape the list.
    const referenced = [
      ...[...page.text.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*>/g)].map((m) => /\bhref="([^"]+)"/.exec(m[0])![1]),
      ...[...page.text.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]),
    ];
    expect(referenced.map((u) => u.split('/').pop())).toEqual(expect.arrayContaining(['compliance.css', 'kiosk.css', 'kiosk.js']));
    const sw = await request(t.app).get(`/kiosque/${token}/sw.js`);
    const precache = JSON.parse(/const QM_PRECACHE = (\[.*\]);/.exec(sw.text)![1]) as string[];
    expect(referenced.filter((u) => !precache.includes(u))).toEqual([]);
    for (const url of precache) expect((await request(t.app).get(url)).status).toBe(200);
  });

  it.each([
    ['br;q=1, gzip;q=0.5', 'br'], ['gzip, deflate', 'gzip'], ['br;q=0, gzip', 'gzip'], ['identity', 'identity'], ['', 'identity'], ['*', 'br'], [undefined, 'identity'],
  ])('when the browser accepts « %s », then %s is served', (accept, expected) => {
    expect(pickEncoding(accept)).toBe(expected);
  });
});

describe('when a visitor opens an unknown, revoked or deactivated link', () => {
  const neutral = (html: string) => {
    expect(html).not.toMatch(/<a\s|href="\/(connexion|bornes)|404|not_found|introuvable/i);
    expect(html).not.toContain('/dsfr/');
  };

  it('then a kiosk link shows « Cette borne n’est plus en service » full screen, with no link and no error code', async () => {
    const unknown = await request(t.app).get(`/kiosque/${crypto.randomBytes(32).toString('base64url')}`).set('Accept', 'text/html');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('Cette borne n’est plus en service.');
    neutral(unknown.text);
    const { kiosk, token } = await newKiosk();
    await kiosks.revokeKiosk(t.deps, orgId, kiosk.id);
    const revoked = await request(t.app).get(`/kiosque/${token}`).set('Accept', 'text/html');
    expect(revoked.status).toBe(404);
    expect(revoked.text).toBe(unknown.text);
    // Its stylesheet is served.
    const css = /href="(\/assets\/[^"]+kiosk\.css)"/.exec(revoked.text)![1];
    expect((await request(t.app).get(css)).status).toBe(200);
  });

  it('then a deactivated public link shows « Ce questionnaire n’est plus disponible » the same way', async () => {
    const link = await links.createLink(t.deps, orgId, { surveyId: 'satisfaction-accueil', siteId });
    expect((await request(t.app).get(`/avis/${link.slug}`)).status).toBe(200);
    await links.setLinkActive(t.deps, orgId, link.id, false);
    const off = await request(t.app).get(`/avis/${link.slug}`).set('Accept', 'text/html');
    expect(off.status).toBe(404);
    expect(off.text).toContain('Ce questionnaire n’est plus disponible.');
    neutral(off.text);
    const unknown = await request(t.app).get('/avis/inconnu-1234').set('Accept', 'text/html');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe(off.text);
  });
});
