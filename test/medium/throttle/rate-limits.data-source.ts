import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../libs/persistence/index.js';
import { RateLimits1763769700000 } from '../../../migrations/1763769700000-rate-limits.js';
import { MIGRATIONS } from '../../../migrations/index.js';
import type { TestDatabase } from '../../support/databases.js';

// Works before and after the migration is registered in migrations/index.ts.
const migrations: readonly (new () => unknown)[] = MIGRATIONS.some((m) => m === RateLimits1763769700000)
  ? MIGRATIONS
  : [...MIGRATIONS, RateLimits1763769700000];

/** A migrated DataSource with the rate_limits table; the throttle lib has no entities. */
export async function migratedRateLimits(database: TestDatabase): Promise<DataSource> {
  const dataSource = createDataSource(await database.createDsn(), {
    entities: [],
    migrations: [...migrations],
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}
