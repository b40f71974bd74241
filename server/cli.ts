/**
 * `npm run cli -- <command>`: administration from the command line. On PGlite, when a server
 * runs on the same DATA_DIR, the command is handed to it through the control socket; otherwise
 * the CLI opens the database itself (taking the data-folder lock).
 */
import { ConfigError, parseConfig } from './config';
import { createLogger } from './logger';
import { buildDeps, openConfiguredDatabase } from './bootstrap';
import { runCommand, type CommandResult } from './cli/commands';
import { sendToServer } from './cli/control-socket';

async function readStdin(argv: string[]): Promise<string> {
  if (!argv.includes('--password-stdin')) return '';
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  let config;
  try {
    config = parseConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const stdin = await readStdin(argv);
  let result: CommandResult | undefined;
  if (!config.DATABASE_URL) result = await sendToServer(config.dataDir, argv, stdin);
  if (!result) {
    const logger = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, undefined);
    const database = await openConfiguredDatabase(config, logger);
    try {
      result = await runCommand(buildDeps(config, database, logger), argv, stdin);
    } finally {
      await database.close();
    }
  }
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  return result.code;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
