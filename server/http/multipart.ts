/**
 * multipart/form-data (file uploads) for the few page routes that take a file, parsed before
 * the CSRF check so that the form's `_csrf` field is read like any other form's. Fields go to
 * `req.body`, the file (one per request) to `req.file` in memory: files here are monthly
 * statistics (kilobytes), capped at `maxBytes`; a larger file is a 413.
 */
import busboy from 'busboy';
import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../errors';

export interface UploadedFile {
  field: string;
  name: string;
  data: Buffer;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by multipartForms(): the uploaded file. */
      file?: UploadedFile;
    }
  }
}

export function multipartForms(paths: (path: string) => boolean, maxBytes = 5 * 1024 * 1024) {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || !req.is('multipart/form-data') || !paths(req.path)) return next();
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 50, fieldSize: 64 * 1024 } });
    } catch {
      return next(new AppError(400, 'bad_request', 'Formulaire illisible.'));
    }
    const body: Record<string, string> = {};
    let failed: AppError | undefined;
    bb.on('field', (name, value) => {
      body[name] = value;
    });
    bb.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => {
        failed = new AppError(413, 'too_large', 'Le fichier est trop volumineux (5 Mo au plus).');
      });
      stream.on('end', () => {
        if (info.filename) req.file = { field, name: info.filename, data: Buffer.concat(chunks) };
      });
    });
    bb.on('error', () => next(new AppError(400, 'bad_request', 'Formulaire illisible.')));
    bb.on('close', () => {
      req.body = body;
      next(failed);
    });
    req.pipe(bb);
  };
}
