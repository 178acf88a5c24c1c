import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { ApiError } from '../../errors/index.js';
import { AttemptLimiter, type LimitRule } from '../../throttle/index.js';

const FIFTEEN_MINUTES = 15 * 60_000;

/** Messages to one address per 15 minutes; more are answered as if sent, and not sent. */
export const SENDS_PER_ADDRESS: LimitRule = {
  name: 'code_send:per_address',
  limit: 5,
  windowMs: FIFTEEN_MINUTES,
};
/** Messages requested from one IP per 15 minutes; more get a 429 (it names no address). */
export const SENDS_PER_IP: LimitRule = { name: 'code_send:per_ip', limit: 50, windowMs: FIFTEEN_MINUTES };

export function tooManyRequests(retryAfterSeconds: number): ApiError {
  return new ApiError(429, {
    id: 'too_many_requests',
    reason: 'Too many attempts. Please wait before trying again.',
    message: 'too many requests',
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}

/**
 * Limits on sending codes and links and on submitting them. Sending: per address, answered like
 * a success so nobody learns whether an address exists; per IP, a 429. Submitting: at most
 * `selfservice.methods.code.config.max_submissions` (5) codes per flow (the flow's codes are then
 * spent) and the brute-force per-IP limit.
 */
@Injectable()
export class CodeLimits {
  constructor(
    private readonly limiter: AttemptLimiter,
    private readonly config: ConfigService,
  ) {}

  private get enabled(): boolean {
    return this.config.get<boolean>('security.brute_force.enabled') !== false;
  }

  /** False when this address has had enough messages for now; throws 429 for a busy IP. */
  async maySend(address: string, ip: string | null): Promise<boolean> {
    if (!this.enabled) return true;
    if (ip) {
      const byIp = await this.limiter.consume([{ key: ip, rule: SENDS_PER_IP }]);
      if (!byIp.allowed) throw tooManyRequests(byIp.retryAfterSeconds);
    }
    return (await this.limiter.consume([{ key: address, rule: SENDS_PER_ADDRESS }])).allowed;
  }

  /** Counts a code submission; false once the flow had its five attempts. Throws 429 for a busy IP. */
  async mayTryCode(scope: string, flowId: string, lifespanMs: number, ip: string | null): Promise<boolean> {
    if (ip && this.enabled) {
      const byIp = await this.limiter.consume([
        {
          key: ip,
          rule: {
            name: `${scope}:per_ip`,
            limit: this.config.get<number>('security.brute_force.per_ip.limit') ?? 100,
            windowMs: this.config.duration('security.brute_force.per_ip.window', '15m'),
          },
        },
      ]);
      if (!byIp.allowed) throw tooManyRequests(byIp.retryAfterSeconds);
    }
    const perFlow: LimitRule = {
      name: `${scope}:per_flow`,
      limit: this.config.get<number>('selfservice.methods.code.config.max_submissions') ?? 5,
      windowMs: Math.max(1, Math.ceil(lifespanMs)),
    };
    return (await this.limiter.consume([{ key: flowId, rule: perFlow }])).allowed;
  }
}
