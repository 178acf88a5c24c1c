import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { afterEach, beforeEach } from 'vitest';
import { COURIER_ENTITIES } from '../../libs/courier/index.js';
import { FLOW_ENTITIES } from '../../libs/flow/index.js';
import { IDENTITY_ENTITIES } from '../../libs/identity/index.js';
import { SESSION_ENTITIES } from '../../libs/session/index.js';
import { WEB_HOOK_OUTBOX_ENTITIES } from '../../libs/web-hook-outbox/index.js';
import { createDataSource, Database } from '../../libs/persistence/index.js';
import { MIGRATIONS } from '../../migrations/index.js';

export interface TestDatabase {
  dialect: 'sqlite' | 'postgres';
  /** A DSN of a database of its own: a fresh in-memory SQLite or a fresh PostgreSQL schema. */
  createDsn(): Promise<string>;
}

const postgresUrl = process.env['TEST_DATABASE_POSTGRES'];

/**
 * SQLite, and PostgreSQL too when TEST_DATABASE_POSTGRES is set (CI sets it). CI's PostgreSQL pass
 * also sets TEST_POSTGRES_ONLY=1: the README's test command has already run the SQLite side.
 */
const sqliteToo = !(postgresUrl && process.env['TEST_POSTGRES_ONLY'] === '1');

export const TEST_DATABASES: TestDatabase[] = [
  ...(sqliteToo ? [{ dialect: 'sqlite' as const, createDsn: async () => 'memory' }] : []),
  ...(postgresUrl
    ? [{ dialect: 'postgres' as const, createDsn: () => freshPostgresSchema(postgresUrl) }]
    : []),
];

async function freshPostgresSchema(url: string): Promise<string> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  const dsn = new URL(url);
  dsn.searchParams.set('options', `-c search_path=${schema}`);
  return dsn.href;
}

/** A migrated DataSource with every entity, for repository tests. */
export async function migratedDataSource(database: TestDatabase): Promise<DataSource> {
  const dataSource = createDataSource(await database.createDsn(), {
    entities: [
      ...IDENTITY_ENTITIES,
      ...SESSION_ENTITIES,
      ...FLOW_ENTITIES,
      ...COURIER_ENTITIES,
      ...WEB_HOOK_OUTBOX_ENTITIES,
    ],
    migrations: MIGRATIONS,
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

/**
 * A freshly migrated database for each test of the calling `describe`, destroyed after it:
 * read `dataSource` and `db` inside tests (they change with every test).
 */
export function freshDatabaseEach(database: TestDatabase): {
  readonly dataSource: DataSource;
  readonly db: Database;
} {
  let current: { dataSource: DataSource; db: Database } | undefined;
  beforeEach(async () => {
    const dataSource = await migratedDataSource(database);
    current = { dataSource, db: new Database(dataSource) };
  });
  afterEach(async () => {
    await current?.dataSource.destroy();
    current = undefined;
  });
  const now = () => {
    if (!current) throw new Error('freshDatabaseEach: read the database inside a test');
    return current;
  };
  return {
    get dataSource() {
      return now().dataSource;
    },
    get db() {
      return now().db;
    },
  };
}
