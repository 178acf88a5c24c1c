import { Injectable } from '@nestjs/common';
import { ApiError } from '../errors/index.js';
import { PasswordHasher } from '../hash/index.js';
import { HashGate, HashGateSaturatedError } from '../throttle/index.js';

/** What the identity service needs to hash a plaintext password an administrator supplied. */
export interface PasswordHashing {
  hash(password: string): Promise<string>;
}

/**
 * Admin create, update and batch import hash plaintext passwords through the same bounded gate as
 * sign-ins, but with a share of it: at most half its slots (at least one) at a time. The rest of
 * the admin hashes wait here, in their own queue, so a 1,000-identity import queues behind
 * itself instead of in front of sign-ins: an import holds at most `share` places in the gate,
 * running or queued, and sign-ins keep the rest.
 */
@Injectable()
export class AdminPasswordHasher implements PasswordHashing {
  private readonly share: number;
  private active = 0;
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
      return await this.gate.run(() => this.hasher.hash(password));
    } catch (error) {
      if (!(error instanceof HashGateSaturatedError)) throw error;
      throw new ApiError(503, {
        reason: 'The server is busy checking passwords. Please retry the import shortly.',
        headers: { 'Retry-After': String(error.retryAfterSeconds) },
      });
    } finally {
      this.release();
    }
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
