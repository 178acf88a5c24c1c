import type { Redis } from 'ioredis';
import type { AttemptStore, SlotReservation } from './attempt-store.js';

export const REDIS_KEY_PREFIX = 'tessera:throttle:';

/*
 * Takes a slot in each key in order (ARGV: window ms and limit per key), stopping at the first
 * full one, as one script: the checks and the takes cannot interleave with another node's. Answers
 * {taken, count, ms until reset} per key tried. A counter without expiry (a crash of an older
 * writer) gets its window back on the next reservation.
 */
const RESERVE = `
local out = {}
for i, key in ipairs(KEYS) do
  local window = tonumber(ARGV[2 * i - 1])
  local count = tonumber(redis.call('GET', key) or '0')
  local ttl = redis.call('PTTL', key)
  if ttl < 0 and count > 0 then
    redis.call('PEXPIRE', key, window)
    ttl = window
  end
  if count >= tonumber(ARGV[2 * i]) then
    out[#out + 1] = {0, count, ttl}
    return out
  end
  count = redis.call('INCR', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, window)
    ttl = window
  end
  out[#out + 1] = {1, count, ttl}
end
return out`;

/*
 * Deletes the first ARGV[1] keys and gives one slot back on the others. DECR keeps the key's
 * expiry; a window that has closed is not brought back.
 */
const SETTLE = `
for i, key in ipairs(KEYS) do
  if i <= tonumber(ARGV[1]) then
    redis.call('DEL', key)
  else
    local count = tonumber(redis.call('GET', key) or '0')
    if count > 0 then redis.call('DECR', key) end
  end
end
return 0`;

type ThrottleRedis = Redis & {
  tesseraThrottleReserve(keys: number, ...args: (string | number)[]): Promise<[number, number, number][]>;
  tesseraThrottleSettle(keys: number, ...args: (string | number)[]): Promise<number>;
};

/** Counters shared by every node; windows are timed by the Redis server's clock. */
export class RedisAttemptStore implements AttemptStore {
  private readonly redis: ThrottleRedis;

  constructor(
    redis: Redis,
    private readonly prefix = REDIS_KEY_PREFIX,
  ) {
    // defineCommand sends EVALSHA and falls back to EVAL once per connection. The number of keys
    // is each call's first argument. All keys of a call are on the one Redis the URL names.
    redis.defineCommand('tesseraThrottleReserve', { lua: RESERVE });
    redis.defineCommand('tesseraThrottleSettle', { lua: SETTLE });
    this.redis = redis as ThrottleRedis;
  }

  async reserve(key: string, windowMs: number, limit: number): Promise<SlotReservation> {
    return (await this.reserveAll([{ key, windowMs, limit }]))[0]!;
  }

  async reserveAll(slots: { key: string; windowMs: number; limit: number }[]): Promise<SlotReservation[]> {
    const outcomes = await this.redis.tesseraThrottleReserve(
      slots.length,
      ...slots.map(({ key }) => this.prefix + key),
      ...slots.flatMap(({ windowMs, limit }) => [windowMs, limit]),
    );
    return outcomes.map(([reserved, count, msUntilReset]) => ({
      reserved: reserved === 1,
      count,
      msUntilReset,
    }));
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
    await this.settle([], [key]);
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async settle(resets: string[], releases: string[]): Promise<void> {
    const keys = [...resets, ...releases].map((key) => this.prefix + key);
    if (keys.length > 0) await this.redis.tesseraThrottleSettle(keys.length, ...keys, resets.length);
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
