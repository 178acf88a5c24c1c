import { describe, expect, it } from 'vitest';
import { poolStats } from '../../../libs/persistence/index.js';
import { freshDatabaseEach, TEST_DATABASES } from '../../support/databases.js';

describe.each(TEST_DATABASES)('poolStats on $dialect', (database) => {
  const fresh = freshDatabaseEach(database);

  it('reads the pool the driver keeps (PostgreSQL) and nothing where there is none (SQLite)', async () => {
    const before = poolStats(fresh.dataSource);
    if (database.dialect === 'sqlite') {
      expect(before).toBeUndefined();
      return;
    }
    expect(before).toMatchObject({ waiting: 0 });
    expect(before!.total).toBeGreaterThanOrEqual(1);
    const runner = fresh.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const during = poolStats(fresh.dataSource)!;
      expect(during.total - during.idle).toBeGreaterThanOrEqual(1);
    } finally {
      await runner.release();
    }
    const after = poolStats(fresh.dataSource)!;
    expect(after.idle).toBe(after.total);
  });
});
