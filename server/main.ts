/**
 * Entry point: parse configuration, open and migrate the database, seed the demo if asked,
 * start the roles (web, worker), and shut down in order on SIGINT/SIGTERM.
 */
import http from 'node:http';
import { ConfigError, parseConfig, type Config } from './config';
import { createLogger } from './logger';
import { createApp } from './app';
import { buildDeps, openConfiguredDatabase } from './bootstrap';
import { startControlSocket } from './cli/control-socket';
import { DEMO_ACCOUNTS, seedDemo } from './demo/seed';
import { JobRunner } from './jobs/runner';
import { jobs, schedules } from './jobs/registry';
import { Lifecycle } from './lifecycle';
import { startTracking } from './campaigns/tracking/supervisor';
import { DataDirLockedError } from './storage/lock';
import { SurveyCatalogueError, loadSurveyCatalogue } from './surveys/catalogue';
import { IndicatorCatalogueError, indicatorCatalogue } from './indicators/catalogue';
import { SURVEYS_DIR, recordCatalogueVersions } from './surveys/surveys.service';

export async function main(): Promise<void> {
  const started = Date.now();
  let config: Config;
  try {
    config = parseConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  // Invalid survey JSON stops the start before anything else, naming the file and the problem.
  let surveys;
  try {
    surveys = loadSurveyCatalogue(SURVEYS_DIR);
  } catch (err) {
    if (err instanceof SurveyCatalogueError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  // The indicator catalogue (data) is checked at boot too: a broken file stops the start.
  try {
    indicatorCatalogue();
  } catch (err) {
    if (err instanceof IndicatorCatalogueError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  let database;
  try {
    database = await openConfiguredDatabase(config, logger);
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(3);
    }
    throw err;
  }
  const deps = { ...buildDeps(config, database, logger), surveys };
  await recordCatalogueVersions(deps);
  const lifecycle = new Lifecycle(logger, config.SHUTDOWN_TIMEOUT_MS);

  const seeded = config.demo ? await seedDemo(deps) : false;

  let server: http.Server | undefined;
  if (config.ROLES.includes('web')) {
    server = http.createServer(createApp(deps));
    await new Promise<void>((resolve) => server!.listen(config.PORT, config.HOST, resolve));
    lifecycle.onShutdown('http', () => new Promise<void>((resolve) => {
      server!.close(() => resolve());
      server!.closeIdleConnections();
    }));
  }
  if (config.ROLES.includes('worker')) {
    const runner = new JobRunner(deps, jobs, schedules);
    runner.start();
    lifecycle.onShutdown('jobs', () => runner.stop());
    // Live IMAP tracking (IDLE) of the mystery mailboxes of running campaigns; the scheduled
    // sync job is the fallback. Logged out after the jobs stop, before the database closes.
    const tracking = startTracking(deps);
    lifecycle.onShutdown('mail tracking', () => tracking.stop());
  }
  if (database.kind === 'pglite') {
    const control = await startControlSocket(deps, config.dataDir);
    lifecycle.onShutdown('control socket', () => control.close());
  }
  lifecycle.onShutdown('database', () => database.close());

  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => void lifecycle.shutdown(sig).then(() => process.exit(0)));
  }

  const addr = server?.address();
  const url = config.PUBLIC_URL ?? (addr && typeof addr === 'object' ? `http://${addr.address === '127.0.0.1' || addr.address === '::' || addr.address === '0.0.0.0' ? 'localhost' : addr.address}:${addr.port}` : undefined);
  logger.info({ db: database.kind, roles: config.ROLES, startupMs: Date.now() - started, seeded }, 'Qualimètre started');
  // The banner goes to stdout for the person who just typed `npm start`.
  const lines = [`\nQualimètre is running (${database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'}), started in ${((Date.now() - started) / 1000).toFixed(1)} s.`];
  if (url) lines.push(`Open ${url}`);
  if (config.demo) {
    lines.push('Demo accounts (demo mode only):');
    for (const a of DEMO_ACCOUNTS) lines.push(`  ${a.role.padEnd(9)} ${a.org ?? '  '}  ${a.email}  /  ${a.password}`);
  }
  process.stdout.write(lines.join('\n') + '\n\n');
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`Qualimètre failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
