import { Clock } from '../persistence/index.js';
import type { AttemptStore, SlotReservation } from './attempt-store.js';

/** One process, no persistence: for unit tests of code that limits attempts. */
export class MemoryAttemptStore implements AttemptStore {
  private readonly windows = new Map<string, { count: number; expiresAt: number }>();

  constructor(private readonly clock: Pick<Clock, 'now'> = new Clock()) {}

  async reserve(key: string, windowMs: number, limit: number): Promise<SlotReservation> {
    const now = this.clock.now().getTime();
    let window = this.windows.get(key);
    if (!window || window.expiresAt <= now) {
      window = { count: 0, expiresAt: now + windowMs };
      this.windows.set(key, window);
    }
    const reserved = window.count < limit;
    if (reserved) window.count += 1;
    return { reserved, count: window.count, msUntilReset: window.expiresAt - now };
  }

  async peek(key: string): Promise<Omit<SlotReservation, 'reserved'>> {
    const now = this.clock.now().getTime();
    const window = this.windows.get(key);
    if (!window || window.expiresAt <= now) return { count: 0, msUntilReset: 0 };
    return { count: window.count, msUntilReset: window.expiresAt - now };
  }

  async release(key: string): Promise<void> {
    const window = this.windows.get(key);
    if (window && window.expiresAt > this.clock.now().getTime() && window.count > 0) window.count -= 1;
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }
}
