import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { PasswordHasher } from '../hash/index.js';
import { HashGate } from '../throttle/index.js';

/** How often a waiting admin hash looks again whether sign-ins left room (the gate has no events). */
const POLL_MS = 2;

/** What the identity service needs to hash a plaintext password an administrator supplied. */
export interface PasswordHashing {
  hash(password: string): Promise<string>;
}

/**
 * Admin create, update and batch import hash plaintext passwords through the same bounded gate as
 * sign-ins, behind them: an admin hash takes a slot only while no sign-in waits for one and
 * sign-ins hold fewer than half the slots, and admin hashes never hold more than half (at least
 * one). The rest of an import waits here, in its own queue, so a 1,000-identity import queues
 * behind itself instead of in front of sign-ins. Argon2 is memory-bound: even on a free core, a
 * concurrent hash slows a sign-in's, so the import also yields while sign-ins are hashing.
 */
@Injectable()
export class AdminPasswordHasher implements PasswordHashing {
  private readonly share: number;
  private active = 0;
  /** Admin hashes inside the gate now (each holds one of its slots). */
  private inGate = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly hasher: PasswordHasher,
    private readonly gate: HashGate,
  ) {
    this.share = Math.max(1, Math.floor(gate.maxConcurrent / 2));
  }

  async hash(password: string): Promise<string> {
    await this.acquire();
    try {
      while (!this.signInsLeaveRoom()) await sleep(POLL_MS);
      return await this.gate.run(async () => {
        this.inGate += 1;
        try {
          return await this.hasher.hash(password);
        } finally {
          this.inGate -= 1;
        }
      });
    } finally {
      this.release();
    }
  }

  /**
   * No sign-in waits for a slot and sign-ins leave the admin share free. Checked in the same tick
   * as `gate.run` takes its slot, so an admin hash never queues in the gate nor fills its queue.
   */
  private signInsLeaveRoom(): boolean {
    const signIns = this.gate.running - this.inGate;
    return this.gate.queued === 0 && signIns < Math.max(1, this.gate.maxConcurrent - this.share);
  }

  private acquire(): Promise<void> | void {
    if (this.active < this.share) {
      this.active += 1;
      return;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}
