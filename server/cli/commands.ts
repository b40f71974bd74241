/**
 * Administration commands (npm run cli -- <command>). They run with the same dependencies as
 * the server, either in the CLI process (PostgreSQL, or PGlite when no server runs) or inside
 * the running server, reached through its control socket (PGlite: one process per data folder).
 */
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Deps } from '../deps';
import { ValidationError } from '../errors';
import * as auth from '../auth/auth.service';
import { findUserByEmail } from '../auth/auth.store';
import * as orgStore from '../org/org.store';
import { createOrganisation } from '../org/org.service';
import { organisationSchema } from '../org/org.schemas';
import { ROLES, type Role } from '../storage/schema';
import { MIN_PASSWORD_LENGTH } from '../auth/passwords';
import { kioskCreateCommand } from '../kiosk/kiosk.cli';
import { campaignCommands } from '../campaigns/campaign.cli';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

interface Command {
  summary: string;
  usage: string;
  options: Record<string, { type: 'string' | 'boolean' }>;
  run(deps: Deps, values: Record<string, string | boolean | undefined>, stdin: string): Promise<string>;
}

class UsageError extends Error {}

async function orgByCode(deps: Deps, code: unknown) {
  if (typeof code !== 'string' || !code) throw new UsageError('--org <code> is required (e.g. --org 74)');
  const org = await orgStore.findOrgByCode(deps.db, code);
  if (!org) throw new UsageError(`No organisation with code ${code}`);
  return org;
}

function role(v: unknown, fallback: Role): Role {
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !(ROLES as readonly string[]).includes(v)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  return v as Role;
}

export const commands: Record<string, Command> = {
  'org:create': {
    summary: 'Create an organisation (a prefecture).',
    usage: 'org:create --code 74 --name "Préfecture de la Haute-Savoie" [--zone metropole]',
    options: { code: { type: 'string' }, name: { type: 'string' }, zone: { type: 'string' } },
    async run(deps, v) {
      const parsed = organisationSchema.safeParse({ code: v.code, name: v.name, holidayZone: v.zone });
      if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'));
      const org = await createOrganisation(deps, parsed.data);
      return `Created organisation ${org.code} (${org.name})\n`;
    },
  },
  'org:list': {
    summary: 'List organisations.',
    usage: 'org:list',
    options: {},
    async run(deps) {
      const orgs = await orgStore.listOrganisations(deps.db);
      return orgs.map((o) => `${o.code}\t${o.name}\t${o.holidayZone}`).join('\n') + (orgs.length ? '\n' : '');
    },
  },
  'user:create': {
    summary: 'Create a user; the first administrator is made with --role admin. Prints a generated password unless --password-stdin.',
    usage: 'user:create --email a@b.fr --name "Prénom Nom" [--role admin|referent|viewer|evaluator|national] [--org 74] [--password-stdin]',
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, org: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    async run(deps, v, stdin) {
      const r = role(v.role, 'admin');
      if (typeof v.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(v.email)) throw new UsageError('--email is required');
      // Administrators and the national team belong to no organisation.
      if ((r === 'admin' || r === 'national') && v.org !== undefined) throw new UsageError(`--org does not apply to the ${r} role`);
      const orgId = r === 'admin' || r === 'national' ? null : (await orgByCode(deps, v.org)).id;
      let password = v['password-stdin'] ? stdin.trim() : '';
      const generated = !password;
      if (generated) password = crypto.randomBytes(15).toString('base64url');
      if (password.length < MIN_PASSWORD_LENGTH) throw new UsageError(`The password must have at least ${MIN_PASSWORD_LENGTH} characters`);
      const user = await auth.createUser(deps, { orgId, email: v.email, displayName: typeof v.name === 'string' ? v.name : v.email, role: r, password });
      return `Created ${r} ${user.email}\n` + (generated ? `Password (shown once): ${password}\n` : '');
    },
  },
  'kiosk:create': kioskCreateCommand(orgByCode, (m) => new UsageError(m)),
  ...campaignCommands((m) => new UsageError(m)),
  'token:create': {
    summary: 'Create an API token for an organisation; prints the token on stdout.',
    usage: 'token:create --org 74 [--role referent|viewer] [--name "…"] [--user email]',
    options: { org: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, user: { type: 'string' } },
    async run(deps, v) {
      const org = await orgByCode(deps, v.org);
      const r = role(v.role, 'referent');
      let userId: string | null = null;
      let userRole: Role | undefined;
      if (typeof v.user === 'string') {
        const u = await findUserByEmail(deps.db, v.user);
        if (!u || u.orgId !== org.id) throw new UsageError(`No user ${v.user} in organisation ${org.code}`);
        userId = u.id;
        userRole = u.role;
      }
      const { token } = await auth.createApiToken(deps, org.id, { userId, userRole, role: r, name: typeof v.name === 'string' ? v.name : 'CLI' });
      return `${token}\n`;
    },
  },
};

function help(): string {
  const lines = ['Usage: npm run cli -- <command> [options]', '', 'Commands:'];
  for (const [name, c] of Object.entries(commands)) lines.push(`  ${name.padEnd(14)} ${c.summary}`, `  ${''.padEnd(14)} ${c.usage}`);
  lines.push('', 'Uses the same configuration as the server (DATA_DIR, DATABASE_URL).');
  return lines.join('\n') + '\n';
}

export async function runCommand(deps: Deps, argv: string[], stdin = ''): Promise<CommandResult> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') return { code: 0, stdout: help(), stderr: '' };
  const cmd = commands[name];
  if (!cmd) return { code: 2, stdout: '', stderr: `Unknown command: ${name}\n\n${help()}` };
  try {
    if (rest.includes('--help')) return { code: 0, stdout: `${cmd.summary}\nUsage: ${cmd.usage}\n`, stderr: '' };
    const { values } = parseArgs({ args: rest, options: cmd.options, strict: true, allowPositionals: false });
    return { code: 0, stdout: await cmd.run(deps, values as Record<string, string | boolean | undefined>, stdin), stderr: '' };
  } catch (err) {
    if (err instanceof ValidationError) return { code: 1, stdout: '', stderr: `${Object.values(err.fieldErrors).join('\n')}\n` };
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith?.('ERR_PARSE_ARGS')) {
      return { code: 2, stdout: '', stderr: `${(err as Error).message}\nUsage: npm run cli -- ${cmd.usage}\n` };
    }
    deps.logger.error({ err, command: name }, 'command failed');
    return { code: 1, stdout: '', stderr: `Command failed: ${(err as Error).message}\n` };
  }
}
