// A fresh, migrated database per run: a SQLite file in a temporary folder, or a new
// PostgreSQL schema that is dropped again afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { migrate } from './tessera.js';

function sqliteVersion() {
  const db = new Database(':memory:');
  try {
    return db.prepare('select sqlite_version() as version').get().version;
  } finally {
    db.close();
  }
}

async function onPostgres(url, query) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(query);
  } finally {
    await client.end();
  }
}

async function freshSqlite(cwd) {
  return {
    dsn: `sqlite://${join(cwd, 'tessera.sqlite')}?_fk=true`,
    engine: `SQLite ${sqliteVersion()} (file, better-sqlite3)`,
    drop: async () => {},
  };
}

async function freshPostgres(url) {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  await onPostgres(url, `CREATE SCHEMA ${schema}`);
  const { rows } = await onPostgres(url, 'SHOW server_version');
  return {
    dsn: `${url}${url.includes('?') ? '&' : '?'}options=-c%20search_path%3D${schema}`,
    engine: `PostgreSQL ${rows[0].server_version} (schema ${schema})`,
    drop: () => onPostgres(url, `DROP SCHEMA ${schema} CASCADE`),
  };
}

/** A migrated database of its own; `cwd` is a scratch folder for the server; call `remove()` after. */
export async function prepareDatabase(kind, options) {
  const cwd = mkdtempSync(join(tmpdir(), 'tessera-bench-'));
  const database = kind === 'postgres' ? await freshPostgres(options.postgresUrl) : await freshSqlite(cwd);
  const remove = async () => {
    await database.drop();
    rmSync(cwd, { recursive: true, force: true });
  };
  try {
    await migrate(database.dsn, cwd);
  } catch (error) {
    await remove();
    throw error;
  }
  return { kind, cwd, dsn: database.dsn, engine: database.engine, remove };
}
