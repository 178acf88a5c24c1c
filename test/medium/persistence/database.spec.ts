import { describe, expect, it } from 'vitest';
import { Database } from '../../../libs/persistence/index.js';
import { freshDatabaseEach, TEST_DATABASES } from '../../support/databases.js';

describe.each(TEST_DATABASES)('Database.transaction on $dialect', (database) => {
  const fresh = freshDatabaseEach(database);

  it('runs after-commit work (a slow web hook) without holding other transactions up', async () => {
    const db = new Database(fresh.dataSource);
    let release!: () => void;
    const slowCallback = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    const first = db.transaction(async () => {
      await db.manager.query('SELECT 1');
      await db.afterCommit(async () => {
        order.push('callback started');
        await slowCallback;
        order.push('callback done');
      });
      return 'first';
    });
    // The second transaction commits while the first one's callback is still waiting.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await db.transaction(async () => {
      await db.manager.query('SELECT 2');
      order.push('second committed');
      return 'second';
    });
    expect(second).toBe('second');
    expect(order).toEqual(['callback started', 'second committed']);
    release();
    expect(await first).toBe('first');
    expect(order).toEqual(['callback started', 'second committed', 'callback done']);
  });

  it('hands an after-commit failure to the caller once the work is committed', async () => {
    const db = new Database(fresh.dataSource);
    const failing = db.transaction(async () => {
      await db.afterCommit(() => Promise.reject(new Error('receiver down')));
    });
    await expect(failing).rejects.toThrow('receiver down');
    await expect(db.transaction(async () => 'next')).resolves.toBe('next');
  });
});

describe.each(TEST_DATABASES)('Database.preparedValues on $dialect', (database) => {
  const fresh = freshDatabaseEach(database);
  const sql = (dialect: string) =>
    dialect === 'postgres'
      ? `SELECT 'a' AS x, 2 AS x, $1::text AS y UNION ALL SELECT 'b', 3, $1::text`
      : `SELECT 'a' AS x, 2 AS x, ? AS y UNION ALL SELECT 'b', 3, ?`;
  const params = (dialect: string) => (dialect === 'postgres' ? ['p'] : ['p', 'p']);

  it('answers each row as its values in select order, repeated column names included', async () => {
    const db = new Database(fresh.dataSource);
    const rows = await db.preparedValues('test_values', sql(db.dialect), params(db.dialect));
    expect(rows).toEqual([
      ['a', 2, 'p'],
      ['b', 3, 'p'],
    ]);
  });

  it('leaves the same statement, run by `prepared`, answering objects', async () => {
    const db = new Database(fresh.dataSource);
    await db.preparedValues('test_both', sql(db.dialect), params(db.dialect));
    const rows = await db.prepared('test_both', sql(db.dialect), params(db.dialect));
    expect(rows[0]).toMatchObject({ y: 'p' });
    expect(Array.isArray(rows[0])).toBe(false);
    expect(await db.preparedValues('test_both', sql(db.dialect), params(db.dialect))).toHaveLength(2);
  });
});
