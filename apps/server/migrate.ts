import { createInterface } from 'node:readline/promises';
import type { DataSource } from 'typeorm';
import { ConfigService, type LoadedConfig } from '../../libs/config/index.js';
import { type AppLogger } from '../../libs/logging/index.js';
import { createDataSource, notMigratedReason, pendingMigrations } from '../../libs/persistence/index.js';
import { MIGRATIONS } from '../../migrations/index.js';

async function confirmed(pending: string[]): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`Apply ${pending.length} migration(s): ${pending.join(', ')}? [y/n] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/**
 * Runs `work` holding a PostgreSQL advisory lock named after the schema, so that replicas started
 * together (each running `migrate sql`) migrate one after the other: the later ones find nothing
 * pending. SQLite is one file of one process and needs none.
 */
async function withMigrationLock<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'postgres') return work();
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  const key = "hashtext('tessera:migrate:' || current_schema())";
  try {
    await lock.query(`SELECT pg_advisory_lock(${key})`);
    return await work();
  } finally {
    await lock.query(`SELECT pg_advisory_unlock(${key})`).catch(() => undefined);
    await lock.release();
  }
}

/** `tessera migrate sql`: applies pending migrations, each in its own transaction. Returns the exit code. */
export async function migrateSql(loaded: LoadedConfig, logger: AppLogger, yes: boolean): Promise<number> {
  const config = new ConfigService(loaded);
  const dataSource = createDataSource(config.dsn, {
    entities: [],
    migrations: MIGRATIONS,
  });
  try {
    await dataSource.initialize();
    return await withMigrationLock(dataSource, () => applyPending(dataSource, yes));
  } catch (error) {
    logger.error('migration failed', { err: error });
    process.stderr.write(`migration failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

async function applyPending(dataSource: DataSource, yes: boolean): Promise<number> {
  const pending = await pendingMigrations(dataSource);
  if (pending.length === 0) {
    process.stdout.write('All migrations are applied.\n');
    return 0;
  }
  if (!yes && !(await confirmed(pending))) {
    process.stderr.write(
      `${pending.length} migration(s) pending: ${pending.join(', ')}. Re-run with --yes to apply.\n`,
    );
    return 1;
  }
  const done = await dataSource.runMigrations({ transaction: 'each' });
  process.stdout.write(`Applied ${done.length} migration(s): ${done.map((m) => m.name).join(', ')}\n`);
  return 0;
}

/** `serve` found a schema behind this version: the operator is to run `tessera migrate sql`. */
export class SchemaNotMigratedError extends Error {
  constructor(readonly pending: string[]) {
    super(notMigratedReason(pending.length));
  }
}

/**
 * For `serve` on a database it does not migrate itself (PostgreSQL): stop at start when
 * migrations are pending, rather than report ready and answer 500 to every request.
 */
export async function requireMigratedSchema(dsn: string): Promise<void> {
  const dataSource = createDataSource(dsn, { entities: [], migrations: MIGRATIONS });
  try {
    await dataSource.initialize();
    const pending = await pendingMigrations(dataSource);
    if (pending.length > 0) throw new SchemaNotMigratedError(pending);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}
