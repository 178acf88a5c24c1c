import type { Redis } from 'ioredis';
import type { AttemptCount, AttemptStore } from './attempt-store.js';

export const REDIS_KEY_PREFIX = 'tessera:throttle:';

/*
 * INCR and PEXPIRE in one script: a crash between them cannot leave a counter without expiry
 * (and one left by an older writer gets its expiry back on the next increment).
 */
const INCREMENT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

type ThrottleRedis = Redis & {
  tesseraThrottleIncrement(key: string, windowMs: number): Promise<[number, number]>;
};

/** Counters shared by every node; windows are timed by the Redis server's clock. */
export class RedisAttemptStore implements AttemptStore {
  private readonly redis: ThrottleRedis;

  constructor(redis: Redis) {
    // defineCommand sends EVALSHA and falls back to EVAL once per connection.
    redis.defineCommand('tesseraThrottleIncrement', { numberOfKeys: 1, lua: INCREMENT });
    this.redis = redis as ThrottleRedis;
  }

  async increment(key: string, windowMs: number): Promise<AttemptCount> {
    const [count, msUntilReset] = await this.redis.tesseraThrottleIncrement(REDIS_KEY_PREFIX + key, windowMs);
    return { count, msUntilReset };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(REDIS_KEY_PREFIX + key);
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
