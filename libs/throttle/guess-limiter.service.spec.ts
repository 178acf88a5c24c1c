import { describe, expect, it } from 'vitest';
import { AttemptLimiter } from './attempt-limiter.service.js';
import { GuessLimiter, type GuessBudgets } from './guess-limiter.service.js';
import { MemoryAttemptStore } from './memory-attempt.store.js';
import { TooManyAttemptsError } from './throttle.errors.js';

class FakeClock {
  constructor(private time = Date.parse('2026-12-01T12:00:00Z')) {}
  now(): Date {
    return new Date(this.time);
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

const MINUTE = 60_000;
const budgets: GuessBudgets = {
  identifierAddress: { limit: 3, windowMs: 15 * MINUTE },
  identifier: { limit: 5, windowMs: 60 * MINUTE },
  address: { limit: 8, windowMs: 15 * MINUTE },
};

function setup(policy: GuessBudgets | false = budgets) {
  const clock = new FakeClock();
  const logged: Record<string, unknown>[] = [];
  const log = { warn: (message: string, fields: object) => void logged.push({ message, ...fields }) };
  const guesses = new GuessLimiter(new AttemptLimiter(new MemoryAttemptStore(clock)), policy, log);
  let verified = 0;
  /** One guess; 'ok' when it got through to the check, else the refusing scope. */
  const guess = async (identifier: string, ip: string | null, right = false, method = 'password') => {
    try {
      const valid = await guesses.check({ method, identifier, ip }, async () => {
        verified += 1;
        return right;
      });
      expect(valid).toBe(right);
      return 'ok';
    } catch (error) {
      if (!(error instanceof TooManyAttemptsError)) throw error;
      return error.rule;
    }
  };
  const times = async (n: number, identifier: string, ip: string | null, right = false) => {
    const out = [];
    for (let i = 0; i < n; i++) out.push(await guess(identifier, ip, right));
    return out;
  };
  return { clock, guesses, guess, times, logged, verified: () => verified };
}

describe('GuessLimiter', () => {
  it('never spends anything on successes: 150 right guesses from one address all pass', async () => {
    const { times } = setup();
    expect(await times(150, 'alice', '203.0.113.1', true)).toEqual(Array(150).fill('ok'));
  });

  it('refuses an identifier from one address after its failures, before the check, while other addresses go on', async () => {
    const { guesses, guess, times, verified, logged } = setup();
    expect(await times(3, 'alice', '203.0.113.1')).toEqual(['ok', 'ok', 'ok']);
    expect(guesses.refusals()).toEqual({ identifier_address: 0, identifier: 0, address: 0 });
    expect(await guess('alice', '203.0.113.1', true)).toBe('identifier_address');
    expect(guesses.refusals()).toEqual({ identifier_address: 1, identifier: 0, address: 0 });
    expect(verified()).toBe(3);
    expect(await guess('alice', '198.51.100.2', true)).toBe('ok');
    expect(logged).toEqual([
      {
        message: 'attempt refused',
        event: 'brute_force_refused',
        scope: 'identifier_address',
        method: 'password',
        client_ip: '203.0.113.1',
        retry_after_seconds: 900,
      },
    ]);
    expect(JSON.stringify(logged)).not.toContain('alice');
  });

  it('a success clears the streak of the identifier from its address and from everywhere', async () => {
    const { guess, times } = setup();
    await times(2, 'bob', '203.0.113.1');
    await times(2, 'bob', '198.51.100.2');
    expect(await guess('bob', '203.0.113.1', true)).toBe('ok');
    expect(await times(3, 'bob', '203.0.113.1')).toEqual(['ok', 'ok', 'ok']);
    expect(await times(2, 'bob', '198.51.100.3')).toEqual(['ok', 'ok']);
    expect(await guess('bob', '198.51.100.4')).toBe('identifier');
  });

  it('stops a guesser spread over many addresses at the identifier-wide ceiling, until its window ends', async () => {
    const { clock, guess } = setup();
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push(await guess('carol', `192.0.2.${i}`));
    expect(statuses).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'identifier', 'identifier']);
    expect(await guess('carol', '192.0.2.100', true)).toBe('identifier');
    clock.advance(60 * MINUTE);
    expect(await guess('carol', '192.0.2.100', true)).toBe('ok');
  });

  it('lets the owner past the ceiling from an address they signed in from, within that address budget', async () => {
    const clock = new FakeClock();
    const guesses = new GuessLimiter(new AttemptLimiter(new MemoryAttemptStore(clock)), budgets);
    const asked: string[] = [];
    const known = (ip: string) => async () => {
      asked.push(ip);
      return ip === '198.51.100.7';
    };
    const attempt = (ip: string, right: boolean) =>
      guesses
        .check({ method: 'password', identifier: 'dora', ip, knownAddress: known(ip) }, async () => right)
        .then(
          (valid) => (valid ? 'right' : 'wrong'),
          (error: TooManyAttemptsError) => error.rule,
        );
    for (let i = 0; i < 5; i++) expect(await attempt(`192.0.2.${i}`, false)).toBe('wrong');
    expect(asked).toEqual([]);
    // The ceiling is full: a stranger elsewhere is refused, the owner at home is not.
    expect(await attempt('192.0.2.50', true)).toBe('identifier');
    expect(await attempt('198.51.100.7', false)).toBe('wrong');
    expect(await attempt('198.51.100.7', false)).toBe('wrong');
    expect(await attempt('198.51.100.7', false)).toBe('wrong');
    // Its own identifier + address budget (3) still holds there.
    expect(await attempt('198.51.100.7', true)).toBe('identifier_address');
    clock.advance(15 * MINUTE);
    expect(await attempt('198.51.100.7', true)).toBe('right');
    // That success cleared the identifier's streak everywhere.
    expect(await attempt('192.0.2.60', true)).toBe('right');
    expect(asked).toContain('192.0.2.50');
  });

  it('limits failures per address across identifiers and methods, not successes', async () => {
    const { guess } = setup();
    const statuses = [];
    for (let i = 0; i < 8; i++) {
      statuses.push(await guess('owner', '203.0.113.9', true));
      statuses.push(await guess(`user${i}`, '203.0.113.9', false, i % 2 ? 'password' : 'totp'));
    }
    expect(statuses).toEqual(Array(16).fill('ok'));
    expect(await guess('user99', '203.0.113.9', false, 'lookup_secret')).toBe('address');
    // Once its failures are spent the address is refused outright: even a right guess is not checked.
    expect(await guess('owner', '203.0.113.9', true)).toBe('address');
    expect(await guess('user99', '203.0.113.10')).toBe('ok');
  });

  it('counts an unknown identifier exactly like a known one', async () => {
    const { times } = setup();
    // Nothing in the limiter knows which identifiers exist: the sequence is the same for any.
    expect(await times(4, 'ghost@example.com', '203.0.113.1')).toEqual([
      'ok',
      'ok',
      'ok',
      'identifier_address',
    ]);
    expect(await times(4, 'alice@example.com', '203.0.113.2')).toEqual([
      'ok',
      'ok',
      'ok',
      'identifier_address',
    ]);
  });

  it('bounds parallel guesses exactly: 20 at once, 3 reach the check', async () => {
    const { guess, verified } = setup();
    const statuses = await Promise.all(Array.from({ length: 20 }, () => guess('dave', '203.0.113.1')));
    expect(statuses.filter((s) => s === 'ok')).toHaveLength(3);
    expect(verified()).toBe(3);
  });

  it('gives every slot back when the check throws', async () => {
    const { guesses, times } = setup();
    for (let i = 0; i < 5; i++) {
      await expect(
        guesses.check({ method: 'password', identifier: 'erin', ip: '203.0.113.1' }, () =>
          Promise.reject(new Error('hash gate full')),
        ),
      ).rejects.toThrow('hash gate full');
    }
    expect(await times(4, 'erin', '203.0.113.1')).toEqual(['ok', 'ok', 'ok', 'identifier_address']);
  });

  it('keeps methods apart for an identifier', async () => {
    const { guess, times } = setup();
    await times(3, 'frank', '203.0.113.1');
    expect(await guess('frank', '203.0.113.1', false, 'totp')).toBe('ok');
  });

  it('checks everything and counts nothing when turned off', async () => {
    const { times, verified } = setup(false);
    expect(await times(20, 'grace', '203.0.113.1')).toEqual(Array(20).fill('ok'));
    expect(verified()).toBe(20);
  });

  it('refuses budgets that cannot work', () => {
    const limiter = new AttemptLimiter(new MemoryAttemptStore());
    expect(() => new GuessLimiter(limiter, { ...budgets, identifier: { limit: 0, windowMs: 1 } })).toThrow(
      /identifier budget/,
    );
    expect(() => new GuessLimiter(limiter, { ...budgets, address: { limit: 5, windowMs: 0 } })).toThrow(
      /address budget/,
    );
  });
});
