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
