/** Shared start-up for the server and the CLI: open the configured database, migrate, build deps. */
import type { Config } from './config';
import { systemClock, type Deps } from './deps';
import type { Logger } from './logger';
import { loadSecrets } from './secrets';
import { migrate, openDatabase, type Database } from './storage/db';

export async function openConfiguredDatabase(config: Config, logger?: Logger): Promise<Database> {
  const database = await openDatabase(
    config.DATABASE_URL
      ? { url: config.DATABASE_URL }
      : {
          dataDir: config.dataDir,
          lock: true,
          onModesRepaired: (count) =>
            logger?.warn({ dataDir: config.dataDir, paths: count }, 'Data folder was readable by other accounts: modes repaired to 0700/0600'),
        },
  );
  try {
    await migrate(database);
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

export function buildDeps(config: Config, database: Database, logger: Logger): Deps & { encryptionKey: Buffer } {
  const secrets = loadSecrets(config);
  return {
    db: database.db,
    dbKind: database.kind,
    config,
    logger,
    clock: systemClock,
    secret: secrets.sessionSecret,
    encryptionKey: secrets.encryptionKey,
  };
}
