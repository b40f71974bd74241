/**
 * Configuration: the only module that reads process.env.
 * Parsed once with zod; every problem is listed at once. Secrets accept a `*_FILE` variant
 * (path to a file holding the value), as container secrets are usually mounted as files.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseNetworks } from './campaigns/mail-host';

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
  // Home alerts and mailbox reading (issue 13).
  KIOSK_SILENT_HOURS: z.coerce.number().positive().default(4),
  MAILBOX_SYNC_GIVE_UP_HOURS: z.coerce.number().positive().default(72),
  PLATFORM_SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional(),
  PLATFORM_MAIL_FROM: z.string().default('Qualimètre <ne-pas-repondre@qualimetre.invalid>'),
  PLATFORM_CONTACT: z.string().default('l’administrateur de la plateforme'),
  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  // ProConnect (OpenID Connect single sign-on for public agents): off unless the discovery URL
  // and the client id are set. See README « Connexion ProConnect ».
  PROCONNECT_DISCOVERY_URL: z.string().url().optional(),
  PROCONNECT_CLIENT_ID: z.string().min(1).optional(),
  PROCONNECT_CLIENT_SECRET: z.string().min(1).optional(),
  PROCONNECT_SCOPES: z.string().default('openid email given_name usual_name uid siret idp_id'),
  PROCONNECT_ACR_VALUES: z.string().optional(),
  PROCONNECT_SIGNING_ALG: z.enum(['RS256', 'ES256']).default('RS256'),
  // Complaints register (issue 15): months a complainant's contact details are kept.
  // Mystery mailboxes: networks (CIDR, comma-separated) whose non-public addresses SMTP/IMAP
  // may reach, e.g. a mail server on the prefecture's own network. Empty: public hosts only.
  MAIL_PRIVATE_NETWORKS: z.string().default('').superRefine((v, ctx) => {
    try {
      parseNetworks(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  }),
  // DNS server(s) for the mailbox assistant's SRV look-ups (host:port, comma-separated);
  // empty: the system's resolvers. Tests point it at a local stand-in.
  MAIL_DISCOVERY_DNS: z.string().default(''),
  // Autoconfig document URLs ({domain}, {email}), comma-separated; empty: Thunderbird's usual two.
  MAIL_AUTOCONFIG_URLS: z.string().default(''),
});

export type Config = z.output<typeof schema> & {
  dataDir: string;
  dbKind: 'pglite' | 'postgres';
  demo: boolean;
  secureCookies: boolean;
  proconnect: ProConnectSettings | null;
};

export interface ProConnectSettings {
  /** The issuer (the discovery URL without `/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  acrValues: string[];
  signingAlg: 'RS256' | 'ES256';
  redirectUri: string;
  postLogoutRedirectUri: string;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const SECRET_KEYS = ['DATABASE_URL', 'SESSION_SECRET', 'ENCRYPTION_KEY', 'PROCONNECT_CLIENT_SECRET', 'PLATFORM_SMTP_URL'] as const;

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
  const proconnect = proconnectSettings(c);
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
    proconnect,
  };
}

const WELL_KNOWN = '/.well-known/openid-configuration';

/** ProConnect is on when its discovery URL and client id are set; then it needs the rest. */
function proconnectSettings(c: z.output<typeof schema>): ProConnectSettings | null {
  if (!c.PROCONNECT_DISCOVERY_URL && !c.PROCONNECT_CLIENT_ID) return null;
  const problems: string[] = [];
  if (!c.PROCONNECT_DISCOVERY_URL) problems.push('PROCONNECT_DISCOVERY_URL: required when PROCONNECT_CLIENT_ID is set');
  if (!c.PROCONNECT_CLIENT_ID) problems.push('PROCONNECT_CLIENT_ID: required when PROCONNECT_DISCOVERY_URL is set');
  if (!c.PROCONNECT_CLIENT_SECRET) problems.push('PROCONNECT_CLIENT_SECRET: required with ProConnect (or PROCONNECT_CLIENT_SECRET_FILE)');
  if (!c.PUBLIC_URL) problems.push('PUBLIC_URL: required with ProConnect (the redirect URIs registered at ProConnect derive from it)');
  if (!c.PROCONNECT_SCOPES.split(/\s+/).includes('openid')) problems.push('PROCONNECT_SCOPES: must include openid');
  if (problems.length) throw new ConfigError(problems);
  const base = c.PUBLIC_URL!.replace(/\/+$/, '');
  const discovery = c.PROCONNECT_DISCOVERY_URL!.replace(/\/+$/, '');
  return {
    // openid-client validates the issuer when given the issuer rather than the document's URL.
    issuer: discovery.endsWith(WELL_KNOWN) ? discovery.slice(0, -WELL_KNOWN.length) : discovery,
    clientId: c.PROCONNECT_CLIENT_ID!,
    clientSecret: c.PROCONNECT_CLIENT_SECRET!,
    scopes: c.PROCONNECT_SCOPES.trim().split(/\s+/).join(' '),
    acrValues: (c.PROCONNECT_ACR_VALUES ?? '').split(/[\s,]+/).filter(Boolean),
    signingAlg: c.PROCONNECT_SIGNING_ALG,
    redirectUri: `${base}/proconnect/retour`,
    postLogoutRedirectUri: `${base}/proconnect/deconnexion`,
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
