import { Inject, Injectable, Optional } from '@nestjs/common';
import { HibpClient } from './hibp.client.js';
import { isTooSimilarToIdentifier, utf8Length } from './identifier-similarity.js';
import {
  assertValidPasswordPolicyOptions,
  PASSWORD_POLICY_OPTIONS,
  type PasswordPolicyOptions,
} from './password-policy.options.js';
import type { PolicyViolation } from './policy-violation.js';

/**
 * Kratos' password policy for registration and password changes (not for
 * admin imports). Checks run in Kratos' order and the first failure wins:
 * length, similarity to each identifier, then breaches.
 */
@Injectable()
export class PasswordPolicy {
  private readonly hibp: HibpClient;

  constructor(
    @Inject(PASSWORD_POLICY_OPTIONS) private readonly options: PasswordPolicyOptions,
    @Optional() @Inject(HibpClient) hibp?: HibpClient,
  ) {
    assertValidPasswordPolicyOptions(options);
    // Failing open, an unreachable API is left alone for a while (every check would pass anyway,
    // after waiting); failing closed, every password is checked, so a blip refuses only its own.
    const breaches = options.haveIBeenPwned;
    this.hibp =
      hibp ??
      new HibpClient(breaches.ignoreNetworkErrors ? breaches : { ...breaches, unreachableBackoffMs: 0 });
  }

  /** The first rule the password breaks, or null when it may be used. */
  async check(password: string, identifiers: readonly string[]): Promise<PolicyViolation | null> {
    return (
      this.checkLength(password) ??
      this.checkSimilarity(password, identifiers) ??
      this.checkBreaches(password)
    );
  }

  private checkLength(password: string): PolicyViolation | null {
    const codePoints = countCodePoints(password);
    if (codePoints < this.options.minLength) {
      return { id: 4000032, context: { min_length: this.options.minLength, actual_length: codePoints } };
    }
    const bytes = utf8Length(password);
    if (bytes > this.options.maxBytes) {
      return { id: 4000033, context: { max_length: this.options.maxBytes, actual_length: bytes } };
    }
    return null;
  }

  private checkSimilarity(password: string, identifiers: readonly string[]): PolicyViolation | null {
    if (!this.options.identifierSimilarityCheck) return null;
    const similar = identifiers.some((identifier) => isTooSimilarToIdentifier(password, identifier));
    return similar ? { id: 4000031, context: {} } : null;
  }

  private async checkBreaches(password: string): Promise<PolicyViolation | null> {
    const { enabled, maxBreaches, ignoreNetworkErrors } = this.options.haveIBeenPwned;
    if (!enabled) return null;
    const lookup = await this.hibp.lookup(password);
    if (!lookup.ok) return ignoreNetworkErrors ? null : { id: 4000005, context: { reason: lookup.reason } };
    return lookup.breaches > maxBreaches ? { id: 4000034, context: { breaches: lookup.breaches } } : null;
  }
}

function countCodePoints(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}
