/** Route parameters: an id that is not a UUID cannot name any object, so it reads as 404. */
import type { Request } from 'express';
import { notFound } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID.test(v);
}

export function uuidParam(req: Request, name = 'id'): string {
  const v = req.params[name];
  if (!isUuid(v)) throw notFound();
  return v.toLowerCase();
}
