import { createHash } from 'node:crypto';
import type { AttemptStore } from './attempt-store.js';

export interface LimitRule {
  /** Stable name, part of every stored key: renaming a rule starts its counters afresh. */
  name: string;
  /** Slots per window; once they are taken, the next attempt is refused. */
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
 * Fixed-window attempt limits. Each attempt takes a slot in every key's window before the work it
 * guards, atomically in the store, so a burst of parallel requests is bounded exactly: no two of
 * them can both take the last slot.
 */
export class AttemptLimiter {
  constructor(private readonly store: AttemptStore) {}

  /**
   * Takes one slot in every key's window, or none. Keys are taken in the order given, narrowest
   * first, and the first full one refuses the attempt and gives back the slots just taken: a guess
   * its own narrow budget refuses never touches the wider ones, so a burst against one key cannot
   * fill a shared key even for a moment. A refused attempt takes nothing, so hammering a full key
   * does not keep it full past its window. The wider keys after a full one are only looked at, so
   * Retry-After names the full key that frees up last.
   */
  async consume(keys: readonly LimitedKey[]): Promise<LimitDecision> {
    const slots = uniqueSlots(keys);
    if (this.store.reserveAll && slots.length > 1 && slots.every(({ rule }) => rule.limit > 0)) {
      return this.consumeAll(slots);
    }
    const taken: string[] = [];
    try {
      for (const [index, { hash, rule }] of slots.entries()) {
        const outcome =
          rule.limit === 0
            ? { reserved: false, msUntilReset: rule.windowMs }
            : await this.store.reserve(hash, rule.windowMs, rule.limit);
        if (!outcome.reserved) {
          await this.giveBack(taken);
          return this.refusal({ rule, msUntilReset: outcome.msUntilReset }, slots.slice(index + 1));
        }
        taken.push(hash);
      }
    } catch (error) {
      await this.giveBack(taken);
      throw error;
    }
    return { allowed: true };
  }

  /** `consume` as one write to the store: the slots up to the first full one, in order. */
  private async consumeAll(slots: { hash: string; rule: LimitRule }[]): Promise<LimitDecision> {
    const outcomes = await this.store.reserveAll!(
      slots.map(({ hash, rule }) => ({ key: hash, windowMs: rule.windowMs, limit: rule.limit })),
    );
    const full = outcomes.findIndex(({ reserved }) => !reserved);
    if (full === -1) return { allowed: true };
    await this.giveBack(slots.slice(0, full).map(({ hash }) => hash));
    return this.refusal(
      { rule: slots[full]!.rule, msUntilReset: outcomes[full]!.msUntilReset },
      slots.slice(full + 1),
    );
  }

  private async refusal(
    full: { rule: LimitRule; msUntilReset: number },
    rest: { hash: string; rule: LimitRule }[],
  ): Promise<LimitDecision> {
    let last = full;
    for (const { hash, rule } of rest) {
      const window =
        rule.limit === 0 ? { count: 0, msUntilReset: rule.windowMs } : await this.store.peek(hash);
      if (window.count >= rule.limit && window.msUntilReset > last.msUntilReset) {
        last = { rule, msUntilReset: window.msUntilReset };
      }
    }
    const retryAfterSeconds = Math.max(1, Math.ceil(last.msUntilReset / 1000));
    return { allowed: false, retryAfterSeconds, rule: last.rule.name };
  }

  private async giveBack(hashes: string[]): Promise<void> {
    await Promise.all(hashes.map((hash) => this.store.release(hash)));
  }

  /** Gives back the slots a `consume` took (after a success that should not count). */
  async release(keys: readonly LimitedKey[]): Promise<void> {
    await Promise.all(uniqueSlots(keys).map(({ hash }) => this.store.release(hash)));
  }

  reset(key: string, rule: LimitRule): Promise<void> {
    return this.store.reset(attemptKeyHash(rule, key));
  }

  /** `reset` of some keys and `release` of others: one write where the store can do that. */
  async settle(resets: readonly LimitedKey[], releases: readonly LimitedKey[]): Promise<void> {
    const reset = uniqueSlots(resets).map(({ hash }) => hash);
    const release = uniqueSlots(releases)
      .map(({ hash }) => hash)
      .filter((hash) => !reset.includes(hash));
    if (this.store.settle) return this.store.settle(reset, release);
    await Promise.all([
      ...reset.map((hash) => this.store.reset(hash)),
      ...release.map((hash) => this.store.release(hash)),
    ]);
  }
}

/**
 * Each stored key once, in the order given. A store may lock a request's keys together (one
 * PostgreSQL statement holds every row it writes until it ends), in the order given: callers
 * reserve and settle a set of keys in one order, so two requests never wait for each other.
 */
function uniqueSlots(keys: readonly LimitedKey[]): { hash: string; rule: LimitRule }[] {
  const byHash = new Map<string, LimitRule>();
  for (const { key, rule } of keys) {
    assertValidRule(rule);
    const hash = attemptKeyHash(rule, key);
    if (!byHash.has(hash)) byHash.set(hash, rule);
  }
  return [...byHash.entries()].map(([hash, rule]) => ({ hash, rule }));
}

function assertValidRule(rule: LimitRule): void {
  if (!rule.name || !Number.isInteger(rule.limit) || rule.limit < 0) {
    throw new Error(`Invalid limit rule "${rule.name}": limit must be a non-negative integer.`);
  }
  if (!Number.isInteger(rule.windowMs) || rule.windowMs < 1) {
    throw new Error(`Invalid limit rule "${rule.name}": windowMs must be a positive integer.`);
  }
}
