import type { Redis } from 'ioredis';
import type { AttemptStore, SlotReservation } from './attempt-store.js';

export const REDIS_KEY_PREFIX = 'tessera:throttle:';

/*
 * One script per step, so the check and the take cannot interleave with another node's. A counter
 * without expiry (a crash of an older writer) gets its window back on the next reservation.
 */
const RESERVE = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 and count > 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
if count >= tonumber(ARGV[2]) then return {0, count, ttl} end
count = redis.call('INCR', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {1, count, ttl}`;

/* DECR keeps the key's expiry; a window that has closed is not brought back. */
const RELEASE = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

type ThrottleRedis = Redis & {
  tesseraThrottleReserve(key: string, windowMs: number, limit: number): Promise<[number, number, number]>;
  tesseraThrottleRelease(key: string): Promise<number>;
};

/** Counters shared by every node; windows are timed by the Redis server's clock. */
export class RedisAttemptStore implements AttemptStore {
  private readonly redis: ThrottleRedis;

  constructor(
    redis: Redis,
    private readonly prefix = REDIS_KEY_PREFIX,
  ) {
    // defineCommand sends EVALSHA and falls back to EVAL once per connection.
    redis.defineCommand('tesseraThrottleReserve', { numberOfKeys: 1, lua: RESERVE });
    redis.defineCommand('tesseraThrottleRelease', { numberOfKeys: 1, lua: RELEASE });
    this.redis = redis as ThrottleRedis;
  }

  async reserve(key: string, windowMs: number, limit: number): Promise<SlotReservation> {
    const [reserved, count, msUntilReset] = await this.redis.tesseraThrottleReserve(
      this.prefix + key,
      windowMs,
      limit,
    );
    return { reserved: reserved === 1, count, msUntilReset };
  }

  async peek(key: string): Promise<Omit<SlotReservation, 'reserved'>> {
    const [count, ttl] = await this.redis
      .multi()
      .get(this.prefix + key)
      .pttl(this.prefix + key)
      .exec()
      .then((replies) =>
        (replies ?? []).map(([error, value]) => {
          if (error) throw error;
          return value;
        }),
      );
    const msUntilReset = Number(ttl);
    if (count === null || msUntilReset <= 0) return { count: 0, msUntilReset: 0 };
    return { count: Number(count), msUntilReset };
  }

  async release(key: string): Promise<void> {
    await this.redis.tesseraThrottleRelease(this.prefix + key);
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async close(): Promise<void> {
    if (this.redis.status === 'end') return;
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}

/**
 * Connects before the application starts serving, so a wrong URL fails the boot rather than the
 * first login. Afterwards a command waits through at most one reconnection and then fails, so
 * during an outage `consume` rejects instead of letting attempts through uncounted.
 */
export async function connectRedis(url: string, onError: (error: Error) => void): Promise<Redis> {
  // Loaded here, not at start-up: the embedded default runs without Redis.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  let reported = false;
  let lastError: Error | undefined;
  // ioredis repeats the same error on every reconnection attempt; once per outage is enough.
  redis.on('error', (error: Error) => {
    lastError = error;
    if (!reported) onError(error);
    reported = true;
  });
  redis.on('ready', () => {
    reported = false;
  });
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    // connect() itself only says "Connection is closed"; the error event says why.
    const reason = (lastError ?? (error as Error)).message;
    throw new Error(`throttle: cannot connect to Redis: ${reason}`, { cause: error });
  }
  return redis;
}
