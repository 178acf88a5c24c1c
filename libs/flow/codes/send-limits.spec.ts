import { describe, expect, it } from 'vitest';
import type { ConfigService } from '../../config/index.js';
import { ApiError } from '../../errors/index.js';
import { AttemptLimiter, GuessLimiter, MemoryAttemptStore } from '../../throttle/index.js';
import { CodeLimits, type CodeTry } from './send-limits.js';

const MINUTE = 60_000;

function setup() {
  const limiter = new AttemptLimiter(new MemoryAttemptStore());
  const guesses = new GuessLimiter(limiter, {
    identifierAddress: { limit: 3, windowMs: 15 * MINUTE },
    identifier: { limit: 100, windowMs: 60 * MINUTE },
    address: { limit: 100, windowMs: 15 * MINUTE },
  });
  const config = { get: (key: string) => (key.endsWith('max_submissions') ? 5 : undefined) };
  const limits = new CodeLimits(limiter, guesses, config as unknown as ConfigService);
  let spent = 0;
  const attempt = (flowId: string, right: boolean, ip = '203.0.113.1') => {
    const code: CodeTry = {
      scope: 'login_code',
      flowId,
      lifespanMs: MINUTE,
      identifier: 'a@example.org',
      ip,
    };
    return limits.tryCode(
      code,
      async () => (right ? 'redeemed' : null),
      async () => void (spent += 1),
    );
  };
  return { attempt, spent: () => spent };
}

describe('CodeLimits.tryCode', () => {
  it('answers the redemption, and refuses with 429 + Retry-After once the failures are spent', async () => {
    const { attempt } = setup();
    expect(await attempt('flow-1', true)).toBe('redeemed');
    for (let i = 0; i < 3; i++) expect(await attempt('flow-1', false)).toBeNull();
    const refused = await attempt('flow-1', true).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({
      code: 429,
      init: { id: 'too_many_requests', headers: { 'Retry-After': '900' } },
    });
    expect(await attempt('flow-1', true, '198.51.100.2')).toBe('redeemed');
  });

  it('spends the flow after max_submissions without a check, and without spending budget', async () => {
    const { attempt, spent } = setup();
    for (let i = 0; i < 5; i++) expect(await attempt('flow-2', true)).toBe('redeemed');
    expect(await attempt('flow-2', true)).toBeNull();
    expect(spent()).toBe(1);
    // The refused submission took no failure slot: three wrong codes in another flow still pass.
    for (let i = 0; i < 3; i++) expect(await attempt('flow-3', false)).toBeNull();
  });
});
