import { Global, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { Clock, Database } from '../../../libs/persistence/index.js';
import {
  ATTEMPT_STORE,
  AttemptLimiter,
  type AttemptStore,
  RedisAttemptStore,
  ThrottleModule,
} from '../../../libs/throttle/index.js';
import { TEST_DATABASES } from '../../support/databases.js';
import { migratedRateLimits } from './rate-limits.data-source.js';

const rule = { name: 'login:identifier', limit: 1, windowMs: 60_000 };

function persistenceFor(dataSource: DataSource): DynamicModule {
  @Global()
  @Module({})
  class TestPersistenceModule {}
  return {
    module: TestPersistenceModule,
    providers: [Clock, { provide: Database, useValue: new Database(dataSource) }],
    exports: [Clock, Database],
  };
}

describe.each(TEST_DATABASES)('ThrottleModule on $dialect without Redis', (database) => {
  let dataSource: DataSource | undefined;

  afterEach(async () => {
    await dataSource?.destroy();
  });

  it('counts attempts in the rate_limits table', async () => {
    dataSource = await migratedRateLimits(database);

    const app = await NestFactory.createApplicationContext(
      { module: class App {}, imports: [persistenceFor(dataSource), ThrottleModule.forRoot({})] },
      { logger: false },
    );
    try {
      const limiter = app.get(AttemptLimiter);
      expect(await limiter.consume([{ key: 'alice', rule }])).toEqual({ allowed: true });
      expect(await limiter.consume([{ key: 'alice', rule }])).toMatchObject({ allowed: false });
      // The refused attempt took nothing.
      const rows = (await dataSource.query('SELECT "count" FROM rate_limits')) as { count: number }[];
      expect(rows.map((row) => Number(row.count))).toEqual([1]);
    } finally {
      await app.close();
    }
  });
});

const redisUrl = process.env['TEST_REDIS_URL'];

describe.skipIf(!redisUrl)('ThrottleModule with Redis', () => {
  it('counts attempts in Redis and closes the connection on shutdown', async () => {
    const app = await NestFactory.createApplicationContext(ThrottleModule.forRoot({ redisUrl }), {
      logger: false,
    });
    const store = app.get<AttemptStore>(ATTEMPT_STORE, { strict: false });
    const limiter = app.get(AttemptLimiter);
    const key = `module-test:${Date.now()}`;
    try {
      expect(store).toBeInstanceOf(RedisAttemptStore);
      expect(await limiter.consume([{ key, rule }])).toEqual({ allowed: true });
      expect(await limiter.consume([{ key, rule }])).toMatchObject({ allowed: false });
      await limiter.reset(key, rule);
    } finally {
      await app.close();
    }
    await expect(limiter.consume([{ key, rule }])).rejects.toThrow(/Connection is closed/);
  });
});

describe('ThrottleModule with an unreachable Redis', () => {
  it('refuses to boot, saying why', async () => {
    await expect(
      NestFactory.createApplicationContext(ThrottleModule.forRoot({ redisUrl: 'redis://127.0.0.1:1' }), {
        logger: false,
        abortOnError: false,
      }),
    ).rejects.toThrow(/cannot connect to Redis: connect ECONNREFUSED/);
  });
});
