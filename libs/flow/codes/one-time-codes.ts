import { Injectable } from '@nestjs/common';
import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { ConfigService } from '../../config/index.js';
import { Clock, newId } from '../../persistence/index.js';
import { OneTimeCodeEntity, type OneTimeCodeKind } from './one-time-code.entity.js';
import { OneTimeCodeRepository } from './one-time-code.repository.js';

export interface CodeTarget {
  address: string | null;
  via: 'email' | 'sms' | null;
  identityId: string | null;
}

/** Six digits from the CSPRNG, leading zeros kept. */
export function sixDigitCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * When a secret issued at `now` stops working: its method's lifespan
 * (`selfservice.methods.code|link.config.lifespan`, 1h), and never after its flow.
 */
export function secretExpiresAt(
  config: ConfigService,
  method: 'code' | 'link',
  now: Date,
  flowExpiresAt: Date,
): Date {
  const lifespan = config.duration(`selfservice.methods.${method}.config.lifespan`, '1h');
  return new Date(Math.min(flowExpiresAt.getTime(), now.getTime() + lifespan));
}

/**
 * Issues and redeems one-time codes and link tokens. A code is bound to its flow and purpose
 * by the hash (HMAC-SHA256 over kind, flow id and code with the first default secret), so a code
 * of one flow never matches another flow's row; it is compared in constant time and used once.
 */
@Injectable()
export class OneTimeCodes {
  constructor(
    private readonly codes: OneTimeCodeRepository,
    private readonly config: ConfigService,
    private readonly clock: Clock,
  ) {}

  private hash(kind: OneTimeCodeKind, flowId: string, code: string): Buffer {
    const secret =
      this.config.get<string[]>('secrets.default')?.[0] ??
      this.config.get<string[]>('secrets.cookie')?.[0] ??
      '';
    return createHmac('sha256', secret).update(`${kind}\u0000${flowId}\u0000${code}`).digest();
  }

  /**
   * A new code (6 digits) or link token (32 random bytes, base64url) for the flow, working until
   * `secretExpiresAt`, or until the flow expires when `lifespan` is 'flow' (an admin's code or
   * link lives as long as the `expires_in` it was created with). Earlier unused codes of the same
   * flow and kind stop working.
   */
  async issue(
    kind: OneTimeCodeKind,
    flowId: string,
    target: CodeTarget,
    flowExpiresAt: Date,
    lifespan: 'method' | 'flow' = 'method',
  ): Promise<string> {
    const [code] = await this.issueEach(kind, flowId, [target], flowExpiresAt, lifespan);
    return code!;
  }

  /**
   * `issue` for several addresses at once: a code of its own for each (in order), all working
   * until one is redeemed, so the code redeemed tells which address received it.
   */
  async issueEach(
    kind: OneTimeCodeKind,
    flowId: string,
    targets: readonly CodeTarget[],
    flowExpiresAt: Date,
    lifespan: 'method' | 'flow' = 'method',
  ): Promise<string[]> {
    const now = this.clock.now();
    const link = kind.endsWith('_link');
    const expiresAt =
      lifespan === 'flow'
        ? flowExpiresAt
        : secretExpiresAt(this.config, link ? 'link' : 'code', now, flowExpiresAt);
    const codes: string[] = [];
    while (codes.length < targets.length) {
      const code = link ? randomBytes(32).toString('base64url') : sixDigitCode();
      if (!codes.includes(code)) codes.push(code);
    }
    await this.codes.invalidate(flowId, kind, now);
    for (const [n, target] of targets.entries()) {
      await this.codes.insert(
        Object.assign(new OneTimeCodeEntity(), {
          id: newId(now.getTime()),
          kind,
          flowId,
          codeHash: this.hash(kind, flowId, codes[n]!).toString('hex'),
          address: target.address,
          via: target.via,
          identityId: target.identityId,
          expiresAt,
          usedAt: null,
          createdAt: now,
        }),
      );
    }
    return codes;
  }

  /** The code's row once redeemed, or null when it is wrong, spent, expired or another flow's. */
  async redeem(kind: OneTimeCodeKind, flowId: string, code: string): Promise<OneTimeCodeEntity | null> {
    const now = this.clock.now();
    const candidates = await this.codes.usable(flowId, kind, now);
    const submitted = this.hash(kind, flowId, code.trim());
    let match: OneTimeCodeEntity | null = null;
    for (const candidate of candidates) {
      const stored = Buffer.from(candidate.codeHash, 'hex');
      if (stored.length === submitted.length && timingSafeEqual(stored, submitted)) match = candidate;
    }
    if (!match || !(await this.codes.markUsed(match.id, now))) return null;
    // The flow's codes for other addresses of the same batch end with it.
    if (candidates.length > 1) await this.codes.invalidate(flowId, kind, now);
    return match;
  }

  /** Any code of the flow could still be used (a code was sent and is unspent). */
  async pending(kind: OneTimeCodeKind, flowId: string): Promise<boolean> {
    return (await this.codes.usable(flowId, kind, this.clock.now())).length > 0;
  }

  invalidate(kind: OneTimeCodeKind, flowId: string): Promise<void> {
    return this.codes.invalidate(flowId, kind, this.clock.now());
  }
}
