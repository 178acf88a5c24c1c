export interface SlotReservation {
  /** False when the window was full: nothing was taken. */
  reserved: boolean;
  /** Slots taken in the current window, this one included when reserved. */
  count: number;
  /** Until the window closes and its slots are free again. */
  msUntilReset: number;
}

/**
 * Fixed-window slot counters. Keys arrive already hashed (64 hex characters), so no store ever
 * sees an identifier or an address.
 */
export interface AttemptStore {
  /**
   * Takes one slot unless `limit` are taken in the current window, as one atomic step: parallel
   * callers never take more than `limit` between them. `limit` is at least 1.
   */
  reserve(key: string, windowMs: number, limit: number): Promise<SlotReservation>;
  /**
   * `reserve` of each slot in order, stopping at the first full one, as one write where the
   * store can: one reservation per slot tried, the refusal (if any) last.
   */
  reserveAll?(slots: { key: string; windowMs: number; limit: number }[]): Promise<SlotReservation[]>;
  /** The current window's count without taking a slot (0 and 0 ms when no window is open). */
  peek(key: string): Promise<Omit<SlotReservation, 'reserved'>>;
  /** Gives back one slot of the current window (never below zero), e.g. after a success. */
  release(key: string): Promise<void>;
  reset(key: string): Promise<void>;
  /** `reset` of some keys and `release` of others as one write, where the store can. */
  settle?(resets: string[], releases: string[]): Promise<void>;
  close(): Promise<void>;
}

export const ATTEMPT_STORE = Symbol('ATTEMPT_STORE');
