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
          // A prefix of its own: other runs against the same Redis never see these keys.
          const prefix = `${REDIS_KEY_PREFIX}test-${randomBytes(6).toString('hex')}:`;
          const store = new RedisAttemptStore(redis, prefix);
          return {
            store,
            storedText: async () => {
              const keys = await redis.keys(`${prefix}*`);
              const values = keys.length > 0 ? await redis.mget(keys) : [];
              return [...keys, ...values.map(String)];
            },
            storedKey: (hash) => prefix + hash,
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

  it('never fills the wider key when 50 guesses race on a full narrow one, and names the narrow one', async () => {
    const narrow = unique('login:pair:frank|198.51.100.3', {
      name: 'login:pair',
      limit: 10,
      windowMs: 60_000,
    });
    const wide = unique('login:id:frank', {
      name: 'login:identifier_total',
      limit: 15,
      windowMs: 86_400_000,
    });
    const decisions = await Promise.all(Array.from({ length: 50 }, () => limiter.consume([narrow, wide])));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    for (const decision of decisions.filter((d) => !d.allowed)) {
      expect(decision).toMatchObject({ allowed: false, rule: 'login:pair' });
      expect(!decision.allowed && decision.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
    const widePeek = await subject!.store.peek(attemptKeyHash(wide.rule, wide.key));
    expect(widePeek.count).toBe(10);
    expect(widePeek.msUntilReset).toBeGreaterThan(86_000_000);
    expect(await subject!.store.peek(attemptKeyHash(wide.rule, 'never-seen'))).toEqual({
      count: 0,
      msUntilReset: 0,
    });
  });

  it('refused by a full middle key, gives back the first slot, never touches the last, names the middle', async () => {
    const first = unique('guess:pair', { name: 'guess:pair', limit: 5, windowMs: 60_000 });
    const middle = unique('guess:identifier', { name: 'guess:identifier', limit: 2, windowMs: 3_600_000 });
    const last = unique('guess:address', { name: 'guess:address', limit: 5, windowMs: 60_000 });
    await limiter.consume([middle]);
    expect(await limiter.consume([first, middle, last])).toEqual({ allowed: true });
    const counts = async () =>
      Promise.all(
        [first, middle, last].map(async ({ key, rule }) => {
          return (await subject!.store.peek(attemptKeyHash(rule, key))).count;
        }),
      );
    expect(await counts()).toEqual([1, 2, 1]);

    const refused = await limiter.consume([first, middle, last]);
    expect(refused).toMatchObject({ allowed: false, rule: 'guess:identifier' });
    // The middle window is an hour long: the wait is its own, not the first key's minute.
    expect(!refused.allowed && refused.retryAfterSeconds).toBeGreaterThan(3_500);
    expect(await counts()).toEqual([1, 2, 1]);
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

  it('release gives a slot back to the window, and never more than were taken', async () => {
    const rule = { name: 'guess:password:identifier_address', limit: 2, windowMs: 60_000 };
    const grace = unique('grace', rule);
    expect(
      (await Promise.all([1, 2, 3].map(() => limiter.consume([grace])))).map((d) => d.allowed).sort(),
    ).toEqual([false, true, true]);
    await limiter.release([grace]);
    expect(await limiter.consume([grace])).toEqual({ allowed: true });
    expect((await limiter.consume([grace])).allowed).toBe(false);

    const heidi = unique('heidi', rule);
    await limiter.release([heidi]);
    await limiter.consume([heidi]);
    await limiter.release([heidi]);
    await limiter.release([heidi]);
    const after = [];
    for (let i = 0; i < 3; i++) after.push((await limiter.consume([heidi])).allowed);
    expect(after).toEqual([true, true, false]);
  });

  it('settle resets some keys and gives one slot back on others, leaving the rest alone', async () => {
    const narrow = { name: 'login:identifier', limit: 2, windowMs: 60_000 };
    const wide = { name: 'login:address', limit: 2, windowMs: 60_000 };
    const ivan = unique('login:id:ivan', narrow);
    const judy = unique('login:id:judy', narrow);
    const address = unique('login:ip:203.0.113.9', wide);
    for (let i = 0; i < 2; i++) await limiter.consume([ivan, judy, address]);

    await limiter.settle([ivan], [address]);
    const next = async (target: typeof ivan) => (await limiter.consume([target])).allowed;
    expect([await next(ivan), await next(ivan), await next(ivan)]).toEqual([true, true, false]);
    expect([await next(address), await next(address)]).toEqual([true, false]);
    expect(await next(judy)).toBe(false);
  });

  it('bounds reserve-then-release exactly: 40 racing guesses, half of them right, spend exactly the limit', async () => {
    const address = unique('203.0.113.50', { name: 'guess:address', limit: 10, windowMs: 60_000 });
    let checked = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const decision = await limiter.consume([address]);
        if (!decision.allowed) return 'refused';
        checked += 1;
        await sleep(5);
        // A right guess gives its slot back: it must never spend the budget.
        if (i % 2 === 0) await limiter.release([address]);
        return i % 2 === 0 ? 'right' : 'wrong';
      }),
    );
    const wrong = outcomes.filter((o) => o === 'wrong').length;
    expect(wrong).toBeLessThanOrEqual(10);
    expect(checked).toBeGreaterThanOrEqual(10);
    // Whatever the interleaving, the wrong ones hold the slots now: at most 10 - wrong are free.
    const free = [];
    for (let i = 0; i < 11; i++) free.push((await limiter.consume([address])).allowed);
    expect(free.filter(Boolean)).toHaveLength(10 - wrong);
  });

  it('never deadlocks when guesses reserve and settle the same keys: 200 right guesses, 20 at a time', async () => {
    // A guess reserves pair, identifier and address in that order; a right one settles them. Were
    // a settlement to lock the address first, it would wait on a reservation holding the pair
    // while that reservation waits on the address: PostgreSQL would abort one with a deadlock.
    const pair = unique('guess:pair', { name: 'guess:pair', limit: 20, windowMs: 60_000 });
    const identifier = unique('guess:identifier', { name: 'guess:identifier', limit: 100, windowMs: 60_000 });
    const address = unique('guess:address', { name: 'guess:address', limit: 100, windowMs: 60_000 });
    const failures: unknown[] = [];
    for (let round = 0; round < 10; round++) {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 20 }, async () => {
          const decision = await limiter.consume([pair, identifier, address]);
          expect(decision).toEqual({ allowed: true });
          await limiter.settle([pair, identifier], [address]);
        }),
      );
      failures.push(...outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : [])));
    }
    expect(failures).toEqual([]);
    const counts = await Promise.all(
      [pair, identifier, address].map(
        async ({ key, rule }) => (await subject!.store.peek(attemptKeyHash(rule, key))).count,
      ),
    );
    expect(counts).toEqual([0, 0, 0]);
  });

  it('a refused attempt takes nothing and does not extend the window', async () => {
    const target = unique('ivan', { name: 'guess:password:identifier', limit: 1, windowMs: 1_500 });
    expect(await limiter.consume([target])).toEqual({ allowed: true });
    await sleep(700);
    for (let i = 0; i < 5; i++) expect((await limiter.consume([target])).allowed).toBe(false);
    await sleep(900);
    expect(await limiter.consume([target])).toEqual({ allowed: true });
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

  it('is purged of expired rows at most once per interval, on the back of a reservation', async () => {
    let now = Date.parse('2025-06-01T12:00:00Z');
    const clock = { now: () => new Date(now) };
    const store = new DatabaseAttemptStore(new RateLimitRepository(new Database(dataSource)), clock, 60_000);
    const count = async () =>
      Number(((await dataSource.query('SELECT COUNT(*) AS n FROM rate_limits')) as { n: number }[])[0]!.n);

    await store.reserve('a'.repeat(64), 1_000, 5);
    await store.reserve('b'.repeat(64), 600_000, 5);
    now += 30_000;
    await store.reserve('c'.repeat(64), 1_000, 5);
    expect(await count()).toBe(3);

    now += 31_000;
    await store.reserve('d'.repeat(64), 1_000, 5);
    expect(await count()).toBe(2);
  });

  it('keeps the window start while a window runs and moves it when a new one opens', async () => {
    let now = Date.parse('2025-06-01T12:00:00Z');
    const repository = new RateLimitRepository(new Database(dataSource));
    const key = 'e'.repeat(64);

    expect(await repository.reserve(key, new Date(now), 10_000, 2)).toEqual({
      reserved: true,
      count: 1,
      expiresAt: new Date(now + 10_000),
    });
    now += 9_998;
    expect(await repository.reserve(key, new Date(now), 10_000, 2)).toMatchObject({
      reserved: true,
      count: 2,
    });
    now += 1;
    expect(await repository.reserve(key, new Date(now), 10_000, 2)).toEqual({
      reserved: false,
      count: 2,
      expiresAt: new Date(now + 1),
    });
    now += 1;
    expect(await repository.reserve(key, new Date(now), 10_000, 2)).toEqual({
      reserved: true,
      count: 1,
      expiresAt: new Date(now + 10_000),
    });
  });

  it('release takes one back in an open window and leaves a closed one alone', async () => {
    const now = Date.parse('2025-06-01T12:00:00Z');
    const repository = new RateLimitRepository(new Database(dataSource));
    const key = 'f'.repeat(64);
    await repository.reserve(key, new Date(now), 10_000, 5);
    await repository.reserve(key, new Date(now), 10_000, 5);
    await repository.release(key, new Date(now + 1_000));
    expect(await repository.reserve(key, new Date(now + 2_000), 10_000, 5)).toMatchObject({ count: 2 });
    await repository.release(key, new Date(now + 10_000));
    expect(await repository.reserve(key, new Date(now + 10_000), 10_000, 5)).toMatchObject({ count: 1 });
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
