import type { AppLogger } from '../logging/index.js';
import { Clock, type Database } from '../persistence/index.js';
import type { AttemptStore } from './attempt-store.js';
import { DatabaseAttemptStore } from './database-attempt.store.js';
import { RateLimitRepository } from './rate-limit.repository.js';
import { connectRedis, RedisAttemptStore } from './redis-attempt.store.js';
import type { ThrottleOptions } from './throttle.options.js';

/** Redis when a URL is configured, the application database otherwise. */
export async function createAttemptStore(
  options: ThrottleOptions,
  database: Database | undefined,
  clock: Clock | undefined,
  logger: AppLogger | undefined,
): Promise<AttemptStore> {
  if (options.redisUrl) {
    const redis = await connectRedis(options.redisUrl, (error) =>
      logger?.error('throttle: Redis connection error', { err: error }),
    );
    return new RedisAttemptStore(redis);
  }
  if (!database) {
    throw new Error('ThrottleModule: without redisUrl the attempt counters need the Database provider.');
  }
  return new DatabaseAttemptStore(new RateLimitRepository(database), clock ?? new Clock());
}
