import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Clock, Database } from '../../../libs/persistence/index.js';
import {
  AttemptLimiter,
  attemptKeyHash,
  type AttemptStore,
  connectRedis,
  DatabaseAttemptStore,
  type LimitRule,
  RateLimitRepository,
  REDIS_KEY_PREFIX,
  RedisAttemptStore,
} from '../../../libs/throttle/index.js';
import { RateLimits1763769700000 } from '../../../migrations/1763769700000-rate-limits.js';
import { TEST_DATABASES } from '../../support/databases.js';
import { migratedRateLimits } from './rate-limits.data-source.js';

interface StoreUnderTest {
  store: AttemptStore;
  /** Every key as stored, and every value stored next to it, as text. */
  storedText(): Promise<string[]>;
  storedKey(hash: string): string;
  close(): Promise<void>;
}

interface StoreCase {
  name: string;
  open(): Promise<StoreUnderTest>;
}

const databaseCases: StoreCase[] = TEST_DATABASES.map((database) => ({
  name: database.dialect,
  open: async () => {
    const dataSource = await migratedRateLimits(database);
    const db = new Database(dataSource);
    return {
      store: new DatabaseAttemptStore(new RateLimitRepository(db), new Clock()),
      storedText: async () => {
        const rows = (await dataSource.query('SELECT * FROM rate_limits')) as Record<string, unknown>[];
        return rows.flatMap((row) => Object.values(row).map(String));
      },
      storedKey: (hash) => hash,
      close: () => dataSource.destroy(),
    };
  },
}));

const redisUrl = process.env['TEST_REDIS_URL'];
const redisCases: StoreCase[] = redisUrl
  ? [
      {
        name: 'redis',
        open: async () => {
          const redis: Redis = await connectRedis(redisUrl, () => undefined);
          const store = new RedisAttemptStore(redis);
          return {
            store,
            storedText: async () => {
              const keys = await redis.keys(`${REDIS_KEY_PREFIX}*`);
              const values = keys.length > 0 ? await redis.mget(keys) : [];
              return [...keys, ...values.map(String)];
            },
            storedKey: (hash) => REDIS_KEY_PREFIX + hash,
            close: () => store.close(),
          };
        },
      },
    ]
  : [];

describe.each([...databaseCases, ...redisCases])('attempt store on $name', (storeCase) => {
  let subject: StoreUnderTest | undefined;
  let limiter: AttemptLimiter;
  const used: { key: string; rule: LimitRule }[] = [];

  /** A key no other test (or concurrent run against the same Redis) shares. */
  function unique(name: string, rule: LimitRule) {
    const key = `${name}:${randomBytes(6).toString('hex')}`;
    used.push({ key, rule });
    return { key, rule };
  }

  beforeEach(async () => {
    subject = await storeCase.open();
    limiter = new AttemptLimiter(subject.store);
  });

  afterEach(async () => {
    const opened = subject;
    subject = undefined;
    if (!opened) return;
    for (const { key, rule } of used.splice(0)) await limiter.reset(key, rule);
    await opened.close();
  });

  it('lets exactly the limit through when 50 attempts race on one key', async () => {
    const target = unique('login:id:alice@example.com', {
      name: 'login:identifier',
      limit: 10,
      windowMs: 60_000,
    });
    const decisions = await Promise.all(Array.from({ length: 50 }, () => limiter.consume([target])));

    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    for (const decision of decisions.filter((d) => !d.allowed)) {
      expect(decision).toMatchObject({ allowed: false, rule: 'login:identifier' });
      expect(!decision.allowed && decision.retryAfterSeconds).toBeGreaterThanOrEqual(59);
      expect(!decision.allowed && decision.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
  });

  it('lets exactly the per-IP limit through when 50 different identifiers race from one address', async () => {
    const ip = unique('login:ip:203.0.113.9', { name: 'login:ip', limit: 10, windowMs: 60_000 });
    const decisions = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        limiter.consume([
          unique(`login:id:user${i}`, { name: 'login:identifier', limit: 5, windowMs: 60_000 }),
          ip,
        ]),
      ),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    expect(decisions.find((d) => !d.allowed)).toMatchObject({ rule: 'login:ip' });
  });

  it('starts counting again once the window has passed', async () => {
    const target = unique('login:id:bob', { name: 'login:identifier', limit: 2, windowMs: 1_000 });
    const first = [];
    for (let i = 0; i < 3; i++) first.push(await limiter.consume([target]));
    expect(first.map((d) => d.allowed)).toEqual([true, true, false]);
    expect(first[2]).toMatchObject({ retryAfterSeconds: 1 });

    await sleep(1_050);
    const second = [];
    for (let i = 0; i < 3; i++) second.push((await limiter.consume([target])).allowed);
    expect(second).toEqual([true, true, false]);
  });

  it('tells when the window closes, counting from its first attempt', async () => {
    const target = unique('login:id:carol', { name: 'login:identifier', limit: 1, windowMs: 120_000 });
    expect(await limiter.consume([target])).toEqual({ allowed: true });
    await sleep(1_100);
    const refused = await limiter.consume([target]);
    expect(refused).toMatchObject({ allowed: false });
    // 120 would mean the window restarted at the refused attempt.
    expect(!refused.allowed && refused.retryAfterSeconds).toBeLessThan(120);
    expect(!refused.allowed && refused.retryAfterSeconds).toBeGreaterThanOrEqual(115);
  });

  it('reset lets the next attempt through and leaves other keys alone', async () => {
    const rule = { name: 'login:identifier', limit: 1, windowMs: 60_000 };
    const dave = unique('login:id:dave', rule);
    const erin = unique('login:id:erin', rule);
    for (const target of [dave, erin, dave, erin]) await limiter.consume([target]);

    await limiter.reset(dave.key, rule);
    expect(await limiter.consume([dave])).toEqual({ allowed: true });
    expect((await limiter.consume([erin])).allowed).toBe(false);
  });

  it('stores only the SHA-256 of rule and key, never the key itself', async () => {
    const target = unique('login:id:frank@example.com', {
      name: 'login:identifier',
      limit: 5,
      windowMs: 60_000,
    });
    await limiter.consume([target]);

    const stored = await subject!.storedText();
    expect(stored).toContain(subject!.storedKey(attemptKeyHash(target.rule, target.key)));
    expect(stored.filter((text) => text.includes('frank'))).toEqual([]);
  });
});

describe.each(TEST_DATABASES)('rate_limits table on $dialect', (database) => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = await migratedRateLimits(database);
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  it('is purged of expired rows at most once per interval, on the back of an increment', async () => {
    let now = Date.parse('2025-06-01T12:00:00Z');
    const clock = { now: () => new Date(now) };
    const store = new DatabaseAttemptStore(new RateLimitRepository(new Database(dataSource)), clock, 60_000);
    const count = async () =>
      Number(((await dataSource.query('SELECT COUNT(*) AS n FROM rate_limits')) as { n: number }[])[0]!.n);

    await store.increment('a'.repeat(64), 1_000);
    await store.increment('b'.repeat(64), 600_000);
    now += 30_000;
    await store.increment('c'.repeat(64), 1_000);
    expect(await count()).toBe(3);

    now += 31_000;
    await store.increment('d'.repeat(64), 1_000);
    expect(await count()).toBe(2);
  });

  it('keeps the window start while a window runs and moves it when a new one opens', async () => {
    let now = Date.parse('2025-06-01T12:00:00Z');
    const repository = new RateLimitRepository(new Database(dataSource));
    const key = 'e'.repeat(64);

    expect(await repository.increment(key, new Date(now), 10_000)).toEqual({
      count: 1,
      expiresAt: new Date(now + 10_000),
    });
    now += 9_999;
    expect(await repository.increment(key, new Date(now), 10_000)).toMatchObject({ count: 2 });
    now += 1;
    expect(await repository.increment(key, new Date(now), 10_000)).toEqual({
      count: 1,
      expiresAt: new Date(now + 10_000),
    });
  });

  it('migrates down and up again', async () => {
    const runner = dataSource.createQueryRunner();
    const migration = new RateLimits1763769700000();
    try {
      await migration.down(runner);
      expect(await runner.hasTable('rate_limits')).toBe(false);
      await migration.up(runner);
      expect(await runner.hasTable('rate_limits')).toBe(true);
      expect((await runner.getTable('rate_limits'))?.indices.map((index) => index.name)).toEqual([
        'rate_limits_expires_at_idx',
      ]);
    } finally {
      await runner.release();
    }
  });
});
