import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { ApiError } from '../../errors/index.js';
import { AttemptLimiter, HashGate, HashGateSaturatedError, type LimitedKey } from '../../throttle/index.js';

/**
 * Guards every secret check: counts the attempt per identifier and per IP before any hash is
 * computed (429 + Retry-After once over the limit), then runs the hash through the bounded gate
 * (503 + Retry-After when the machine is saturated, so other requests stay fast).
 */
@Injectable()
export class SecretCheckGuard {
  constructor(
    private readonly limiter: AttemptLimiter,
    private readonly gate: HashGate,
    private readonly config: ConfigService,
  ) {}

  private keys(scope: string, identifier: string, ip: string | null): LimitedKey[] {
    const rule = (kind: 'per_identifier' | 'per_ip') => ({
      name: `${scope}:${kind}`,
      limit: this.config.get<number>(`security.brute_force.${kind}.limit`) ?? (kind === 'per_ip' ? 100 : 10),
      windowMs: this.config.duration(`security.brute_force.${kind}.window`, '15m'),
    });
    return [
      { key: identifier, rule: rule('per_identifier') },
      ...(ip ? [{ key: ip, rule: rule('per_ip') }] : []),
    ];
  }

  async attempt(scope: string, identifier: string, ip: string | null): Promise<void> {
    if (this.config.get<boolean>('security.brute_force.enabled') === false) return;
    const decision = await this.limiter.consume(this.keys(scope, identifier, ip));
    if (!decision.allowed) {
      throw new ApiError(429, {
        id: 'too_many_requests',
        reason: 'Too many attempts. Please wait before trying again.',
        message: 'too many requests',
        headers: { 'Retry-After': String(decision.retryAfterSeconds) },
      });
    }
  }

  /** After a success the identifier's counter starts over; the IP's does not. */
  async succeeded(scope: string, identifier: string): Promise<void> {
    if (this.config.get<boolean>('security.brute_force.enabled') === false) return;
    const [key] = this.keys(scope, identifier, null);
    await this.limiter.reset(key!.key, key!.rule);
  }

  async hash<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.gate.run(work);
    } catch (error) {
      if (!(error instanceof HashGateSaturatedError)) throw error;
      throw new ApiError(503, {
        reason: 'The server is busy checking other passwords. Please retry shortly.',
        headers: { 'Retry-After': String(error.retryAfterSeconds) },
      });
    }
  }
}
