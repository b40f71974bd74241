/**
 * Versioned, precompressed assets: the files of the visitor's survey page (SurveyJS, its
 * translations, our kiosk script and styles) under `/assets/<content hash>/<name>`.
 *
 * - The URL changes when the content changes, so responses are `immutable` for a year: a
 *   tablet never asks for them again (not even to revalidate).
 * - Each file is compressed once (Brotli quality 11, gzip level 9), in the thread pool, on
 *   first request, and kept in memory and on disk (`<tmpdir>/qualimetre-assets/<hash>.<enc>`,
 *   named by content hash, so a restart or another process reuses it); never per request.
 *   Brotli goes to browsers that accept it, gzip to the others, the plain file to the rest.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { NextFunction, Request, Response } from 'express';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const unbrotli = promisify(zlib.brotliDecompress);
const gunzip = promisify(zlib.gunzip);

export const ASSETS_PREFIX = '/assets';
const ONE_YEAR = 'public, max-age=31536000, immutable';

type Encoding = 'br' | 'gzip' | 'identity';

interface Asset {
  url: string;
  hash: string;
  file: string;
  type: string;
  raw: Buffer;
  encoded: Map<Encoding, Promise<Buffer>>;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
};

const byFile = new Map<string, Asset>();
const byUrl = new Map<string, Asset>();

/** The versioned URL of a file (registered on first call; the file is read once). */
export function assetUrl(file: string): string {
  let a = byFile.get(file);
  if (!a) {
    const raw = fs.readFileSync(file);
    const hash = crypto.createHash('sha256').update(raw).digest('hex').slice(0, 16);
    const url = `${ASSETS_PREFIX}/${hash}/${path.basename(file)}`;
    a = { url, hash, file, type: TYPES[path.extname(file)] ?? 'application/octet-stream', raw, encoded: new Map() };
    byFile.set(file, a);
    byUrl.set(url, a);
  }
  return a.url;
}

const CACHE_DIR = path.join(os.tmpdir(), 'qualimetre-assets');

/** The compressed copy on disk if a previous run made it, else compress and keep it there. */
async function compressOnce(a: Asset, enc: 'br' | 'gzip'): Promise<Buffer> {
  const file = path.join(CACHE_DIR, `${a.hash}-${a.raw.length}.${enc}`);
  const cached = await fs.promises.readFile(file).catch(() => null);
  // The temporary folder is shared: serve a copy only if it decompresses to exactly our file.
  if (cached && (await (enc === 'br' ? unbrotli(cached) : gunzip(cached)).catch(() => null))?.equals(a.raw)) return cached;
  const out = enc === 'br'
    ? await brotli(a.raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: a.raw.length } })
    : await gzip(a.raw, { level: 9 });
  // Written aside then renamed: a reader never sees half a file. A read-only disk only costs memory.
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  await fs.promises.mkdir(CACHE_DIR, { recursive: true })
    .then(() => fs.promises.writeFile(tmp, out))
    .then(() => fs.promises.rename(tmp, file))
    .catch(() => fs.promises.rm(tmp, { force: true }));
  return out;
}

function encode(a: Asset, enc: Encoding): Promise<Buffer> {
  if (enc === 'identity') return Promise.resolve(a.raw);
  let p = a.encoded.get(enc);
  if (!p) {
    p = compressOnce(a, enc);
    a.encoded.set(enc, p);
    // A failure is not cached: the next request tries again.
    p.catch(() => a.encoded.delete(enc));
  }
  return p;
}

/** Fonts are compressed already: Brotli or gzip would only add bytes. */
const COMPRESSIBLE = (a: Asset) => !a.type.startsWith('font/');

export function pickEncoding(acceptEncoding: string | undefined): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
    accepted.set(name, q ? Number(q[1]) : 1);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

/** Serves `/assets/<hash>/<name>` for registered files; anything else under the prefix is a 404. */
export async function serveVersionedAsset(req: Request, res: Response, next: NextFunction) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return next();
  const a = byUrl.get(ASSETS_PREFIX + req.path);
  if (!a) return next();
  const enc = COMPRESSIBLE(a) ? pickEncoding(req.get('accept-encoding')) : 'identity';
  const body = await encode(a, enc);
  res.set({ 'Content-Type': a.type, 'Cache-Control': ONE_YEAR, 'Content-Length': String(body.length), Vary: 'Accept-Encoding' });
  if (enc !== 'identity') res.set('Content-Encoding', enc);
  if (req.method === 'HEAD') return res.end();
  res.end(body);
}
