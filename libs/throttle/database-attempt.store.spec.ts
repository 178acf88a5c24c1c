import { describe, expect, it } from 'vitest';
import { DatabaseAttemptStore } from './database-attempt.store.js';
import type { RateLimitRepository } from './rate-limit.repository.js';

describe('DatabaseAttemptStore', () => {
  it('never tells a wait longer than the window when a later request opened it first', async () => {
    const t0 = Date.parse('2026-11-22T09:00:00Z');
    // This request read the clock at t0, then waited 700 ms for the row, which another request
    // (clock read at t0 + 600) had opened: the window closes at t0 + 600 + 3000.
    const times = [t0, t0 + 700];
    const clock = { now: () => new Date(times.shift() ?? t0 + 700) };
    const rateLimits = {
      reserveAll: async () => [{ reserved: false, count: 10, expiresAt: new Date(t0 + 600 + 3_000) }],
      deleteExpired: async () => undefined,
    } as unknown as RateLimitRepository;
    const store = new DatabaseAttemptStore(rateLimits, clock, 60_000);
    const { count, msUntilReset } = await store.reserve('k'.repeat(64), 3_000, 10);
    expect(count).toBe(10);
    expect(msUntilReset).toBe(2_900);
  });
});
