import { Writable } from 'node:stream';
import { createLogger, safeErrorMessage } from '../../server/logger';

const capture = () => {
  let out = '';
  const logger = createLogger('info', new Writable({ write(c, _e, cb) { out += c; cb(); } }) as never);
  return { logger, out: () => out };
};

// The shapes of the errors drizzle and the drivers throw (DrizzleQueryError over a DatabaseError).
function failedQuery() {
  const cause = Object.assign(new Error('invalid input syntax for type integer: "0612345678"'), {
    name: 'error', code: '22P02', severity: 'ERROR', routine: 'pg_strtoint32_safe', detail: 'Key (email)=(camille@example.fr)',
  });
  return Object.assign(new Error(`Failed query: insert into responses (comment) values ($1)\nparams: Mon numéro est 0612345678,2026-06-15T10:31:27.123Z`), {
    name: 'DrizzleQueryError', query: 'insert into responses (comment) values ($1)', params: ['Mon numéro est 0612345678', '2026-06-15T10:31:27.123Z'], cause,
  });
}

describe('error serialisation', () => {
  it('when a failed statement is logged, then its code and statement are kept and no parameter, detail or quoted value', () => {
    const { logger, out } = capture();
    logger.error({ err: failedQuery() }, 'unhandled error');
    const line = out();
    expect(line).toContain('22P02');
    expect(line).toContain('insert into responses (comment) values ($1)');
    for (const secret of ['0612345678', '10:31:27', 'camille@example.fr', 'Mon numéro']) expect(line).not.toContain(secret);
  });

  it('when a job stores its last error, then the same rule applies', () => {
    const text = safeErrorMessage(failedQuery());
    expect(text).toContain('22P02');
    expect(text).not.toContain('0612345678');
  });

  it('when an error message is logged as a plain string, then drizzle’s params tail is cut', () => {
    const { logger, out } = capture();
    logger.warn({ err: 'Failed query: select $1\nparams: secret-value' }, 'x');
    expect(out()).not.toContain('secret-value');
  });
});
