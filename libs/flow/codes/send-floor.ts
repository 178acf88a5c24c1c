import { Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/** How long sending a code takes at the least, known address or not (see SendFloor). */
export const SEND_FLOOR_MS = 120;

/**
 * Sending a code (recovery, verification, passwordless login) answers identically for an address
 * with or without an account, but only the first renders and queues a message: a few milliseconds
 * that a client could time. The send is therefore padded to a fixed floor, well above what it takes
 * on a machine that is not overloaded, so its duration tells nothing. `bench:recovery-timing`
 * measures both sides.
 */
@Injectable()
export class SendFloor {
  constructor(private readonly floorMs: number = SEND_FLOOR_MS) {}

  async hold<T>(send: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await send();
    } finally {
      const rest = this.floorMs - (performance.now() - started);
      if (rest > 0) await sleep(rest);
    }
  }
}
