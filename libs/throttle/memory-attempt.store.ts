import { Clock } from '../persistence/index.js';
import type { AttemptCount, AttemptStore } from './attempt-store.js';

/** One process, no persistence: for unit tests of code that consumes attempts. */
export class MemoryAttemptStore implements AttemptStore {
  private readonly windows = new Map<string, { count: number; expiresAt: number }>();

  constructor(private readonly clock: Pick<Clock, 'now'> = new Clock()) {}

  async increment(key: string, windowMs: number): Promise<AttemptCount> {
    const now = this.clock.now().getTime();
    let window = this.windows.get(key);
    if (!window || window.expiresAt <= now) {
      window = { count: 0, expiresAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return { count: window.count, msUntilReset: window.expiresAt - now };
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }
}
