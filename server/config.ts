/**
 * Configuration: the only module that reads process.env.
 * Parsed once with zod; every problem is listed at once. Secrets accept a `*_FILE` variant
 * (path to a file holding the value), as container secrets are usually mounted as files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  QUALIMETRE_DEMO: bool,
  ROLES: z
    .string()
    .default('web,worker')
    .transform((s) => s.split(',').map((r) => r.trim()).filter(Boolean))
    .pipe(z.array(z.enum(['web', 'worker'])).min(1)),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (32 bytes)')
    .optional(),
  TRUST_PROXY: bool,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10000),
  JOB_POLL_MS: z.coerce.number().int().positive().default(1000),
  MIN_CELL_SIZE: z.coerce.number().int().min(1).default(5),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
});

export type Config = z.output<typeof schema> & {
  dataDir: string;
  dbKind: 'pglite' | 'postgres';
  demo: boolean;
  secureCookies: boolean;
};

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const SECRET_KEYS = ['DATABASE_URL', 'SESSION_SECRET', 'ENCRYPTION_KEY'] as const;

/** Resolve `X_FILE` variants into `X`, reporting unreadable files as problems. */
function resolveFileVariants(env: NodeJS.ProcessEnv, problems: string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  for (const key of SECRET_KEYS) {
    const file = env[`${key}_FILE`];
    if (!file) continue;
    if (env[key]) {
      problems.push(`${key} and ${key}_FILE are both set: keep one`);
      continue;
    }
    try {
      out[key] = fs.readFileSync(file, 'utf8').trim();
    } catch (err) {
      problems.push(`${key}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  return out;
}

export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const raw = resolveFileVariants(env, problems);
  // Empty strings mean "unset" (a common result of `FOO= npm start`).
  for (const k of Object.keys(raw)) if (raw[k] === '') delete raw[k];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  const c = parsed.data;
  const dbKind = c.DATABASE_URL ? 'postgres' : 'pglite';
  if (c.NODE_ENV === 'production' && dbKind === 'postgres' && !c.SESSION_SECRET) {
    throw new ConfigError(['SESSION_SECRET: required in production on PostgreSQL (several instances must share it)']);
  }
  return {
    ...c,
    dataDir: path.resolve(c.DATA_DIR),
    dbKind,
    // The embedded default is the demo: seeded on first start. On PostgreSQL only when asked.
    demo: dbKind === 'pglite' ? env.QUALIMETRE_DEMO !== '0' : c.QUALIMETRE_DEMO,
    secureCookies: Boolean(c.PUBLIC_URL?.startsWith('https://')),
  };
}

let cached: Config | undefined;
/** The process-wide configuration, parsed on first use. */
export function config(): Config {
  cached ??= parseConfig();
  return cached;
}

/** Test-only values that the test helpers read through here rather than process.env. */
export function testEnv(env: NodeJS.ProcessEnv = process.env) {
  return {
    databaseUrl: env.TEST_DATABASE_URL || undefined,
    driver: (env.QM_TEST_DRIVER === 'postgres' ? 'postgres' : 'pglite') as 'pglite' | 'postgres',
    templateDir: env.QM_TEST_TEMPLATE || undefined,
    chromiumPath: env.CHROMIUM_PATH || '/usr/bin/chromium',
    artifactsDir: env.QM_TEST_ARTIFACTS || 'test-artifacts',
    // CI must run every tier: a test that needs a missing piece fails instead of skipping.
    requireAllTiers: env.CI === 'true' || env.QM_REQUIRE_ALL_TIERS === '1',
  };
}
