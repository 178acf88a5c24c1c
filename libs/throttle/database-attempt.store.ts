import type { Clock } from '../persistence/index.js';
import type { AttemptStore, SlotReservation } from './attempt-store.js';
import type { RateLimitRepository } from './rate-limit.repository.js';

const PURGE_INTERVAL_MS = 60_000;

/**
 * Counters in the `rate_limits` table, for deployments without Redis. Expired rows are deleted
 * at most once a minute per process, on the back of a reservation, so the table holds roughly
 * the keys seen in the longest window and no scheduler is needed.
 */
export class DatabaseAttemptStore implements AttemptStore {
  private nextPurgeAt = 0;

  constructor(
    private readonly rateLimits: RateLimitRepository,
    private readonly clock: Pick<Clock, 'now'>,
    private readonly purgeIntervalMs = PURGE_INTERVAL_MS,
  ) {}

  async reserve(key: string, windowMs: number, limit: number): Promise<SlotReservation> {
    return (await this.reserveAll([{ key, windowMs, limit }]))[0]!;
  }

  async reserveAll(slots: { key: string; windowMs: number; limit: number }[]): Promise<SlotReservation[]> {
    const now = this.clock.now();
    const outcomes = await this.rateLimits.reserveAll(slots, now);
    await this.purge(now);
    return outcomes.map((outcome, n) => this.reservation(outcome, slots[n]!.windowMs));
  }

  private async purge(now: Date): Promise<void> {
    if (now.getTime() < this.nextPurgeAt) return;
    this.nextPurgeAt = now.getTime() + this.purgeIntervalMs;
    await this.rateLimits.deleteExpired(now);
  }

  private reservation(
    { reserved, count, expiresAt }: { reserved: boolean; count: number; expiresAt: Date },
    windowMs: number,
  ): SlotReservation {
    // Measured from after the statement: a request that read the clock later but reached the row
    // first may have opened the window, and the wait must not come out longer than the window.
    const msUntilReset = expiresAt.getTime() - this.clock.now().getTime();
    return { reserved, count, msUntilReset: Math.min(windowMs, msUntilReset) };
  }

  async peek(key: string): Promise<Omit<SlotReservation, 'reserved'>> {
    const now = this.clock.now();
    const row = await this.rateLimits.find(key);
    if (!row || row.expiresAt <= now) return { count: 0, msUntilReset: 0 };
    return { count: row.count, msUntilReset: row.expiresAt.getTime() - now.getTime() };
  }

  release(key: string): Promise<void> {
    return this.rateLimits.release(key, this.clock.now());
  }

  reset(key: string): Promise<void> {
    return this.rateLimits.delete(key);
  }

  settle(resets: string[], releases: string[]): Promise<void> {
    return this.rateLimits.settle(resets, releases, this.clock.now());
  }

  /** The connection belongs to the persistence module. */
  async close(): Promise<void> {}
}
