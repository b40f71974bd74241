/**
 * PDF rendering with the server's Chromium (the only playwright-core import in server/).
 * The page is the report's own HTML, rendered by the app and set into a blank page of the app
 * (so no session is handed to the browser, and the document has the app's origin); its
 * stylesheets and fonts load from the app itself, every other request is blocked, and scripts
 * are off, so a report can neither leak to nor depend on the network. Page size, margins and
 * page numbers come from the print stylesheet (@page), the same one browsers use to print.
 */
import fs from 'node:fs';
import { AppError } from '../errors';

/** The flags the test helpers use (test/helpers/browser.ts): headless, no network side traffic. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
];

const MAX_CONCURRENT = 2;
const BLANK_PAGE = '/static/reports/blank.html';
const TIMEOUT_MS = 30_000;

export function pdfAvailable(chromiumPath: string): boolean {
  try {
    fs.accessSync(chromiumPath, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export const pdfUnavailable = () =>
  new AppError(503, 'pdf_unavailable', 'Le PDF ne peut pas être produit : Chromium n’est pas installé sur le serveur. Utilisez la version imprimable et la fonction « Imprimer » de votre navigateur.');

// A small semaphore: each render starts its own Chromium (~100 MB); two at a time at most.
let running = 0;
const waiting: (() => void)[] = [];
async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export interface PdfOptions {
  chromiumPath: string;
  /** Origin of this app as the server itself reaches it (http://127.0.0.1:port). */
  baseUrl: string;
}

/** Renders an HTML document (which links its CSS with absolute paths) to a PDF. */
export async function renderPdf(html: string, opts: PdfOptions): Promise<Buffer> {
  const [pdf] = await renderPdfs([html], opts);
  return pdf;
}

/**
 * Renders several HTML documents with one Chromium (the committee's dossier: cover, bilan,
 * tables), one page each in turn, so a dossier costs one browser launch, not one per part.
 */
export async function renderPdfs(htmls: string[], opts: PdfOptions): Promise<Buffer[]> {
  if (!pdfAvailable(opts.chromiumPath)) throw pdfUnavailable();
  const base = opts.baseUrl.replace(/\/$/, '');
  return slot(async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: opts.chromiumPath, args: CHROMIUM_ARGS, headless: true, timeout: TIMEOUT_MS });
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', timezoneId: 'Europe/Paris' });
      await context.route('**/*', (route) => {
        const url = route.request().url();
        return url === base || url.startsWith(`${base}/`) ? route.continue() : route.abort('blockedbyclient');
      });
      const out: Buffer[] = [];
      for (const html of htmls) {
        const page = await context.newPage();
        page.setDefaultTimeout(TIMEOUT_MS);
        // Open a blank page of the app first: the report then has the app's origin, so its
        // links resolve against the app and the app's same-origin resource policy lets them load.
        await page.goto(`${base}${BLANK_PAGE}`);
        await page.setContent(html, { waitUntil: 'load' });
        await page.evaluate(() => document.fonts.ready.then(() => undefined));
        out.push(Buffer.from(await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: true })));
        await page.close();
      }
      return out;
    } finally {
      await browser.close();
    }
  });
}

/** The origin at which this server reaches itself, from the socket the request came in on. */
export function selfOrigin(socket: { localAddress?: string; localPort?: number }): string {
  let host = socket.localAddress ?? '127.0.0.1';
  if (host.startsWith('::ffff:')) host = host.slice(7);
  if (host === '::' || host === '0.0.0.0') host = '127.0.0.1';
  return `http://${host.includes(':') ? `[${host}]` : host}:${socket.localPort}`;
}
