import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { ApiError } from '../../errors/index.js';
import { AttemptLimiter, GuessLimiter, type LimitRule, TooManyAttemptsError } from '../../throttle/index.js';

const FIFTEEN_MINUTES = 15 * 60_000;

/**
 * Messages to one address requested from one client (IP) per 15 minutes; more are answered as if
 * sent, and not sent. Per client, so that a stranger asking for the owner's address spends only
 * their own allowance, never the owner's: the owner, from anywhere else, still gets a code.
 */
export const SENDS_PER_ADDRESS: LimitRule = {
  name: 'code_send:per_address_and_ip',
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

export interface CodeTry {
  /** The code's purpose, also the brute-force method: `login_code`, `recovery_code`, … */
  scope: string;
  flowId: string;
  /** The flow's lifespan: its submission count lives as long. */
  lifespanMs: number;
  /** Whose code is guessed: the address it went to when the flow knows it, else the flow. */
  identifier: string;
  ip: string | null;
  /**
   * True when `ip` is an address the identifier's owner signed in from before: let past the
   * identifier-wide ceiling, as for passwords, so strangers' wrong codes cannot lock them out.
   */
  knownAddress?: () => Promise<boolean>;
}

/**
 * Limits on sending codes and links and on submitting them. Sending: per address and client,
 * answered like a success so nobody learns whether an address exists; per IP, a 429. Submitting: at most
 * `selfservice.methods.code.config.max_submissions` (5) codes per flow (the flow's codes are then
 * spent), and the brute-force budgets every guessed secret shares (only failures spend).
 */
@Injectable()
export class CodeLimits {
  constructor(
    private readonly limiter: AttemptLimiter,
    private readonly guesses: GuessLimiter,
    private readonly config: ConfigService,
  ) {}

  private get enabled(): boolean {
    return this.config.get<boolean>('security.brute_force.enabled') !== false;
  }

  /** False when this client asked for enough messages to this address for now; 429 for a busy IP. */
  async maySend(address: string, ip: string | null): Promise<boolean> {
    if (!this.enabled) return true;
    if (ip) {
      const byIp = await this.limiter.consume([{ key: ip, rule: SENDS_PER_IP }]);
      if (!byIp.allowed) throw tooManyRequests(byIp.retryAfterSeconds);
    }
    const key = JSON.stringify([address, ip ?? '']);
    return (await this.limiter.consume([{ key, rule: SENDS_PER_ADDRESS }])).allowed;
  }

  /**
   * Redeems a submitted code within the limits: 429 when a brute-force budget is spent; once the
   * flow had its `max_submissions`, `spend` runs (the flow's codes stop working) and the answer
   * is null without a check. Otherwise `redeem`'s answer, a wrong code (null) counting as a failure.
   */
  async tryCode<T>(
    attempt: CodeTry,
    redeem: () => Promise<T | null>,
    spend: () => Promise<void>,
  ): Promise<T | null> {
    let redeemed: T | null = null;
    const guess = {
      method: attempt.scope,
      identifier: attempt.identifier,
      ip: attempt.ip,
      knownAddress: attempt.knownAddress,
    };
    try {
      await this.guesses.check(guess, async () => {
        if (!(await this.mayTryCode(attempt))) throw new FlowSubmissionsSpent();
        redeemed = await redeem();
        return redeemed !== null;
      });
    } catch (error) {
      if (error instanceof TooManyAttemptsError) throw tooManyRequests(error.retryAfterSeconds);
      if (!(error instanceof FlowSubmissionsSpent)) throw error;
      await spend();
    }
    return redeemed;
  }

  /** Counts a code submission; false once the flow had its five attempts. */
  private async mayTryCode({ scope, flowId, lifespanMs }: CodeTry): Promise<boolean> {
    const perFlow: LimitRule = {
      name: `${scope}:per_flow`,
      limit: this.config.get<number>('selfservice.methods.code.config.max_submissions') ?? 5,
      windowMs: Math.max(1, Math.ceil(lifespanMs)),
    };
    return (await this.limiter.consume([{ key: flowId, rule: perFlow }])).allowed;
  }
}

/** A submission past the flow's `max_submissions`: no guess was judged, so no budget is spent. */
class FlowSubmissionsSpent extends Error {}
