import type { DataSource } from 'typeorm';

/**
 * The DataSource's migrations that the database has not recorded as applied, oldest first: all
 * of them on an empty schema (or one whose migrations table was dropped).
 */
export async function pendingMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const table = dataSource.options.migrationsTableName ?? 'migrations';
    const rows = (await runner.hasTable(table))
      ? ((await runner.query(`SELECT name FROM ${table}`)) as { name: string }[])
      : [];
    const applied = new Set(rows.map((row) => row.name));
    return dataSource.migrations
      .map((migration) => migration.name ?? migration.constructor.name)
      .filter((name) => !applied.has(name));
  } finally {
    await runner.release();
  }
}

/** What an operator reads when the schema lags behind this version of Tessera. */
export function notMigratedReason(pending: number): string {
  const count = `${pending} migration${pending === 1 ? '' : 's'} pending`;
  return `database schema is not migrated: run "tessera migrate sql -e --yes" (${count})`;
}
