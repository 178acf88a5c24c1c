import type { GuessBudgets } from './guess-limiter.service.js';

export interface ThrottleOptions {
  /** Keep attempt counters in Redis (shared by every node); without it they live in `rate_limits`. */
  redisUrl?: string;
  /** Password hashes running at once; defaults to the number of cores. */
  maxConcurrentHashes?: number;
  /** Hashes allowed to wait for a slot; defaults to eight per slot. Past it, logins are shed. */
  maxHashQueue?: number;
  /** Brute-force budgets for guessed secrets; false turns them off. Defaults: DEFAULT_GUESS_BUDGETS. */
  guessBudgets?: GuessBudgets | false;
}

/** The application provides this (or calls `ThrottleModule.forRoot`), built from configuration. */
export const THROTTLE_OPTIONS = Symbol('THROTTLE_OPTIONS');
