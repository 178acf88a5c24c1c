import { Injectable } from '@nestjs/common';
import { ApiError } from '../../errors/index.js';
import {
  GuessLimiter,
  HashGate,
  HashGateSaturatedError,
  TooManyAttemptsError,
} from '../../throttle/index.js';

/** The refusal of a guess over its budget: the contract's error envelope plus Retry-After. */
export function tooManyAttempts(retryAfterSeconds: number): ApiError {
  return new ApiError(429, {
    id: 'too_many_requests',
    reason: 'Too many attempts. Please wait before trying again.',
    message: 'too many requests',
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}

/**
 * Guards every secret check: the guess must fit the brute-force budgets before any hash is
 * computed (429 + Retry-After once over; only failures spend, a success clears the identifier's
 * streak), and the hash runs through the bounded gate (503 + Retry-After when the machine is
 * saturated, so other requests stay fast).
 */
@Injectable()
export class SecretCheckGuard {
  constructor(
    private readonly guesses: GuessLimiter,
    private readonly gate: HashGate,
  ) {}

  /**
   * Runs `verify` (true when the secret is right) for `identifier` from `ip` within the budgets
   * of `method`, and returns its answer. Unknown identifiers are counted exactly like known ones.
   */
  async check(
    method: string,
    identifier: string,
    ip: string | null,
    verify: () => Promise<boolean>,
    knownAddress?: () => Promise<boolean>,
  ) {
    try {
      return await this.guesses.check({ method, identifier, ip, knownAddress }, verify);
    } catch (error) {
      if (error instanceof TooManyAttemptsError) throw tooManyAttempts(error.retryAfterSeconds);
      throw error;
    }
  }

  async hash<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.gate.run(work);
    } catch (error) {
      if (!(error instanceof HashGateSaturatedError)) throw error;
      throw new ApiError(503, {
        reason: 'The server is busy checking other passwords. Please retry shortly.',
        headers: { 'Retry-After': String(error.retryAfterSeconds) },
      });
    }
  }
}
