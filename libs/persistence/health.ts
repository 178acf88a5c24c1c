import type { DataSource } from 'typeorm';

/** A cheap round trip that proves the database answers. */
export async function pingDatabase(dataSource: DataSource): Promise<void> {
  await dataSource.query('SELECT 1');
}
