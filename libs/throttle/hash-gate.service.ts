import { availableParallelism } from 'node:os';
import { HashGateSaturatedError } from './throttle.errors.js';

export interface HashGateOptions {
  maxConcurrent?: number;
  maxQueue?: number;
}

/**
 * Bounds concurrent password hashes. Each one pins a core (and, for argon2, tens of MiB) for tens
 * of milliseconds; without a bound a login burst queues unboundedly in libuv's pool and every
 * request times out together. Waiters are served first come, first served; past the queue the
 * caller is told to retry instead of waiting.
 */
export class HashGate {
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  private active = 0;
  private shedCount = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(options: HashGateOptions = {}) {
    this.maxConcurrent = options.maxConcurrent ?? availableParallelism();
    this.maxQueue = options.maxQueue ?? this.maxConcurrent * 8;
    if (!Number.isInteger(this.maxConcurrent) || this.maxConcurrent < 1) {
      throw new Error('HashGate: maxConcurrent must be a positive integer.');
    }
    if (!Number.isInteger(this.maxQueue) || this.maxQueue < 0) {
      throw new Error('HashGate: maxQueue must be a non-negative integer.');
    }
  }

  /** Tasks running now. */
  get running(): number {
    return this.active;
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Tasks turned away because the queue was full, since start. */
  get shed(): number {
    return this.shedCount;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> | void {
    if (this.active < this.maxConcurrent) {
      this.active += 1;
      return;
    }
    if (this.waiting.length >= this.maxQueue) {
      this.shedCount += 1;
      throw new HashGateSaturatedError(1);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the slot straight to the oldest waiter, so a newcomer cannot jump the queue. */
  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}
