export interface AttemptCount {
  /** Attempts in the current window, this one included. */
  count: number;
  /** Until the window closes and the count starts again from zero. */
  msUntilReset: number;
}

/**
 * Fixed-window counters. Keys arrive already hashed (64 hex characters), so no store ever sees
 * an identifier or an address.
 */
export interface AttemptStore {
  /** Adds one attempt atomically: parallel callers each see a distinct count. */
  increment(key: string, windowMs: number): Promise<AttemptCount>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

export const ATTEMPT_STORE = Symbol('ATTEMPT_STORE');
