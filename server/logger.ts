/**
 * Logging: pino with secrets and personal data redacted. Modules take a child logger
 * (`logger.child({ module: 'jobs' })`) and put data in fields, never in the message.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'password', '*.password', 'pass', '*.pass', 'token', '*.token', 'secret', '*.secret',
  'authorization', '*.authorization', 'req.headers.authorization', 'req.headers.cookie',
  'res.headers["set-cookie"]', 'email', '*.email', 'body', '*.body', 'text', '*.text', 'html', '*.html',
  'answers', '*.answers', 'ip', '*.ip',
];

export function createLogger(level: string = 'info', destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
