/**
 * Logging: pino with secrets and personal data redacted. Modules take a child logger
 * (`logger.child({ module: 'jobs' })`) and put data in fields, never in the message.
 *
 * Errors (`err`, `error` fields) go through safeError: a failed statement is logged by its
 * error code and statement, never its parameters (free-text answers, exact times, ids), and a
 * database message is logged without the values it quotes.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'password', '*.password', 'pass', '*.pass', 'token', '*.token', 'secret', '*.secret',
  'authorization', '*.authorization', 'req.headers.authorization', 'req.headers.cookie',
  'res.headers["set-cookie"]', 'email', '*.email', 'body', '*.body', 'text', '*.text', 'html', '*.html',
  'answers', '*.answers', 'ip', '*.ip',
];

const MAX_CAUSES = 4;

/** A statement's text with placeholders ($1…), compacted: it names the statement, holds no value. */
function statementName(query: string): string {
  const text = query.replace(/\s+/g, ' ').trim();
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

/** Without drizzle's "params: …" tail, and with the values a database message quotes masked. */
export function scrubMessage(message: string, fromDatabase = false): string {
  let m = message.replace(/\n?params: [\s\S]*$/, '');
  m = m.replace(/^Failed query: ([\s\S]*)$/, (_all, q: string) => `Failed query: ${statementName(q)}`);
  if (fromDatabase) m = m.replace(/"[^"]*"/g, '"…"');
  return m;
}

function isDatabaseError(e: Record<string, unknown>): boolean {
  return typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && ('severity' in e || 'routine' in e);
}

/** What may be logged of an error: its kind, code and statement, never a parameter. */
export function safeError(err: unknown, depth = 0): unknown {
  if (typeof err === 'string') return scrubMessage(err);
  if (!err || typeof err !== 'object') return err;
  const e = err as Record<string, unknown> & Error;
  const out: Record<string, unknown> = { type: e.name ?? e.constructor?.name ?? 'Error' };
  const statement = typeof e.query === 'string' ? statementName(e.query) : undefined;
  if (isDatabaseError(e)) {
    out.code = e.code;
    for (const k of ['severity', 'constraint', 'table', 'column', 'routine'] as const) if (typeof e[k] === 'string') out[k] = e[k];
    if (statement) out.statement = statement;
    out.message = scrubMessage(String(e.message ?? ''), true);
  } else if (statement && 'params' in e) {
    out.statement = statement;
  } else {
    out.message = scrubMessage(String(e.message ?? ''));
    if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
  }
  // The stack's first lines repeat the message: keep the frames only.
  if (typeof e.stack === 'string') out.stack = e.stack.split('\n').filter((l) => /^\s+at /.test(l)).join('\n');
  if (e.cause !== undefined && depth < MAX_CAUSES) out.cause = safeError(e.cause, depth + 1);
  return out;
}

/** One line for a job's last_error column: the same rule as the logs. */
export function safeErrorMessage(err: unknown): string {
  const s = safeError(err) as Record<string, unknown> | string;
  if (typeof s === 'string') return s;
  const cause = s.cause as Record<string, unknown> | undefined;
  return [s.type, s.code, s.statement, s.message, cause && `cause: ${[cause.type, cause.code, cause.message].filter(Boolean).join(' ')}`].filter(Boolean).join(' ');
}

export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      serializers: { err: safeError, error: safeError },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
