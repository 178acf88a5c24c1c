export {
  AttemptLimiter,
  attemptKeyHash,
  type LimitDecision,
  type LimitedKey,
  type LimitRule,
} from './attempt-limiter.service.js';
export { ATTEMPT_STORE, type AttemptStore, type SlotReservation } from './attempt-store.js';
export { DatabaseAttemptStore } from './database-attempt.store.js';
export {
  DEFAULT_GUESS_BUDGETS,
  type Guess,
  type GuessBudget,
  type GuessBudgets,
  GuessLimiter,
  type GuessScope,
} from './guess-limiter.service.js';
export { HashGate, type HashGateOptions } from './hash-gate.service.js';
export { MemoryAttemptStore } from './memory-attempt.store.js';
export { RateLimitRepository } from './rate-limit.repository.js';
export { connectRedis, REDIS_KEY_PREFIX, RedisAttemptStore } from './redis-attempt.store.js';
export { HashGateSaturatedError, TooManyAttemptsError } from './throttle.errors.js';
export { ThrottleModule } from './throttle.module.js';
export { THROTTLE_OPTIONS, type ThrottleOptions } from './throttle.options.js';
