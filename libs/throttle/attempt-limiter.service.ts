import { createHash } from 'node:crypto';
import type { AttemptStore } from './attempt-store.js';

export interface LimitRule {
  /** Stable name, part of every stored key: renaming a rule starts its counters afresh. */
  name: string;
  /** Attempts allowed per window; the next one is refused. */
  limit: number;
  windowMs: number;
}

export interface LimitedKey {
  /** What is counted, e.g. `login:id:<identifier>` or `login:ip:<address>`; stored only hashed. */
  key: string;
  rule: LimitRule;
}

export type LimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; rule: string };

/** The key a store sees: SHA-256 of rule name and key, so raw identifiers never reach storage. */
export function attemptKeyHash(rule: Pick<LimitRule, 'name'>, key: string): string {
  return createHash('sha256')
    .update(JSON.stringify([rule.name, key]))
    .digest('hex');
}

/**
 * Fixed-window attempt limits. Every attempt is counted first and compared after, so a burst of
 * parallel requests cannot all read "under the limit" before any of them writes.
 */
export class AttemptLimiter {
  constructor(private readonly store: AttemptStore) {}

  /**
   * Counts one attempt against every key, refused attempts included (a caller hammering a locked
   * key keeps it locked for the rest of the window, not longer). When several keys are over their
   * limit, the decision names the one that frees up last.
   */
  async consume(keys: readonly LimitedKey[]): Promise<LimitDecision> {
    const byHash = new Map<string, LimitRule>();
    for (const { key, rule } of keys) {
      assertValidRule(rule);
      byHash.set(attemptKeyHash(rule, key), rule);
    }
    // A fixed order means two transactions counting the same keys lock the rows in the same order.
    const counted = await Promise.all(
      [...byHash.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(async ([hash, rule]) => ({ rule, ...(await this.store.increment(hash, rule.windowMs)) })),
    );
    let refusal: Extract<LimitDecision, { allowed: false }> | undefined;
    for (const { rule, count, msUntilReset } of counted) {
      if (count <= rule.limit) continue;
      const retryAfterSeconds = Math.max(1, Math.ceil(msUntilReset / 1000));
      if (!refusal || retryAfterSeconds > refusal.retryAfterSeconds) {
        refusal = { allowed: false, retryAfterSeconds, rule: rule.name };
      }
    }
    return refusal ?? { allowed: true };
  }

  reset(key: string, rule: LimitRule): Promise<void> {
    return this.store.reset(attemptKeyHash(rule, key));
  }
}

function assertValidRule(rule: LimitRule): void {
  if (!rule.name || !Number.isInteger(rule.limit) || rule.limit < 0) {
    throw new Error(`Invalid limit rule "${rule.name}": limit must be a non-negative integer.`);
  }
  if (!Number.isInteger(rule.windowMs) || rule.windowMs < 1) {
    throw new Error(`Invalid limit rule "${rule.name}": windowMs must be a positive integer.`);
  }
}
