import { describe, expect, it } from 'vitest';
import { AttemptLimiter, attemptKeyHash, type LimitRule } from './attempt-limiter.service.js';
import type { AttemptStore, SlotReservation } from './attempt-store.js';
import { MemoryAttemptStore } from './memory-attempt.store.js';

class FakeClock {
  constructor(private time = Date.parse('2025-06-01T12:00:00Z')) {}
  now(): Date {
    return new Date(this.time);
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

const perIdentifier: LimitRule = { name: 'login:identifier', limit: 3, windowMs: 60_000 };
const perIp: LimitRule = { name: 'login:ip', limit: 5, windowMs: 600_000 };

function setup() {
  const clock = new FakeClock();
  const store = new MemoryAttemptStore(clock);
  return { clock, store, limiter: new AttemptLimiter(store) };
}

async function consumeTimes(limiter: AttemptLimiter, times: number, key: string, rule: LimitRule) {
  const decisions = [];
  for (let i = 0; i < times; i++) decisions.push(await limiter.consume([{ key, rule }]));
  return decisions;
}

describe('AttemptLimiter', () => {
  it('allows up to the limit in a window and refuses after', async () => {
    const { limiter } = setup();
    const decisions = await consumeTimes(limiter, 5, 'alice@example.com', perIdentifier);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false, false]);
    expect(decisions[3]).toEqual({ allowed: false, retryAfterSeconds: 60, rule: 'login:identifier' });
  });

  it('counts down Retry-After as the window runs out, never below one second', async () => {
    const { clock, limiter } = setup();
    await consumeTimes(limiter, 3, 'alice', perIdentifier);
    clock.advance(45_500);
    expect(await limiter.consume([{ key: 'alice', rule: perIdentifier }])).toMatchObject({
      retryAfterSeconds: 15,
    });
    clock.advance(14_000);
    expect(await limiter.consume([{ key: 'alice', rule: perIdentifier }])).toMatchObject({
      retryAfterSeconds: 1,
    });
  });

  it('starts a fresh window once the old one has passed', async () => {
    const { clock, limiter } = setup();
    await consumeTimes(limiter, 4, 'alice', perIdentifier);
    clock.advance(60_000);
    const decisions = await consumeTimes(limiter, 4, 'alice', perIdentifier);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
  });

  it('keeps keys and rules apart', async () => {
    const { limiter } = setup();
    await consumeTimes(limiter, 3, 'alice', perIdentifier);
    expect(await limiter.consume([{ key: 'bob', rule: perIdentifier }])).toEqual({ allowed: true });
    expect(await limiter.consume([{ key: 'alice', rule: perIp }])).toEqual({ allowed: true });
    expect((await limiter.consume([{ key: 'alice', rule: perIdentifier }])).allowed).toBe(false);
  });

  it('reset clears one key so the next attempt is allowed', async () => {
    const { limiter } = setup();
    await consumeTimes(limiter, 4, 'alice', perIdentifier);
    await consumeTimes(limiter, 4, 'bob', perIdentifier);
    await limiter.reset('alice', perIdentifier);
    expect(await limiter.consume([{ key: 'alice', rule: perIdentifier }])).toEqual({ allowed: true });
    expect((await limiter.consume([{ key: 'bob', rule: perIdentifier }])).allowed).toBe(false);
  });

  it('takes nothing from the other keys when any one key is full', async () => {
    const { limiter } = setup();
    await consumeTimes(limiter, 5, '203.0.113.7', perIp);
    const decision = await limiter.consume([
      { key: 'carol', rule: perIdentifier },
      { key: '203.0.113.7', rule: perIp },
    ]);
    expect(decision).toEqual({ allowed: false, retryAfterSeconds: 600, rule: 'login:ip' });
    // The refused attempt gave back the identifier's slot: all three are still free.
    const decisions = await consumeTimes(limiter, 4, 'carol', perIdentifier);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
  });

  it('release gives a slot back, never more than were taken', async () => {
    const { limiter } = setup();
    const key = { key: 'grace', rule: perIdentifier };
    await consumeTimes(limiter, 3, 'grace', perIdentifier);
    await limiter.release([key]);
    expect(await limiter.consume([key])).toEqual({ allowed: true });
    expect((await limiter.consume([key])).allowed).toBe(false);

    await limiter.release([{ key: 'heidi', rule: perIdentifier }]);
    await limiter.release([{ key: 'heidi', rule: perIdentifier }]);
    const decisions = await consumeTimes(limiter, 4, 'heidi', perIdentifier);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
  });

  it('a refused attempt does not extend the window', async () => {
    const { clock, limiter } = setup();
    await consumeTimes(limiter, 3, 'ivan', perIdentifier);
    clock.advance(30_000);
    await consumeTimes(limiter, 10, 'ivan', perIdentifier);
    clock.advance(30_000);
    expect(await limiter.consume([{ key: 'ivan', rule: perIdentifier }])).toEqual({ allowed: true });
  });

  it('names the rule that frees up last when several are over', async () => {
    const { clock, limiter } = setup();
    await consumeTimes(limiter, 5, '198.51.100.1', perIp);
    clock.advance(1_000);
    await consumeTimes(limiter, 3, 'dave', perIdentifier);
    expect(
      await limiter.consume([
        { key: 'dave', rule: perIdentifier },
        { key: '198.51.100.1', rule: perIp },
      ]),
    ).toEqual({ allowed: false, retryAfterSeconds: 599, rule: 'login:ip' });
  });

  it('allows an empty list and counts a repeated key once', async () => {
    const { limiter } = setup();
    expect(await limiter.consume([])).toEqual({ allowed: true });
    const twice = [
      { key: 'erin', rule: perIdentifier },
      { key: 'erin', rule: perIdentifier },
    ];
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push((await limiter.consume(twice)).allowed);
    expect(decisions).toEqual([true, true, true, false]);
  });

  it('a limit of zero refuses everything', async () => {
    const { limiter } = setup();
    const locked = { name: 'locked', limit: 0, windowMs: 1_000 };
    expect(await limiter.consume([{ key: 'x', rule: locked }])).toMatchObject({ allowed: false });
  });

  it('rejects rules that cannot work', async () => {
    const { limiter } = setup();
    await expect(
      limiter.consume([{ key: 'x', rule: { name: 'r', limit: -1, windowMs: 1 } }]),
    ).rejects.toThrow(/limit/);
    await expect(limiter.consume([{ key: 'x', rule: { name: 'r', limit: 1, windowMs: 0 } }])).rejects.toThrow(
      /windowMs/,
    );
  });

  it('hands the store only SHA-256 digests of rule and key', async () => {
    const seen: string[] = [];
    const spy: AttemptStore = {
      reserve: async (key: string): Promise<SlotReservation> => {
        seen.push(key);
        return { reserved: true, count: 1, msUntilReset: 1_000 };
      },
      peek: async () => ({ count: 0, msUntilReset: 0 }),
      release: async (key: string) => void seen.push(key),
      reset: async (key: string) => void seen.push(key),
      close: async () => undefined,
    };
    const limiter = new AttemptLimiter(spy);
    await limiter.consume([{ key: 'alice@example.com', rule: perIdentifier }]);
    await limiter.release([{ key: 'alice@example.com', rule: perIdentifier }]);
    await limiter.reset('alice@example.com', perIdentifier);
    expect(seen).toEqual(Array(3).fill(attemptKeyHash(perIdentifier, 'alice@example.com')));
    expect(seen[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(attemptKeyHash({ name: 'a:b' }, 'c')).not.toBe(attemptKeyHash({ name: 'a' }, 'b:c'));
  });

  it('refuses every parallel attempt past the limit', async () => {
    const { limiter } = setup();
    const decisions = await Promise.all(
      Array.from({ length: 20 }, () => limiter.consume([{ key: 'mallory', rule: perIdentifier }])),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(3);
  });

  it('takes keys in the order given, so a full narrow key never touches the wider one, whatever their digests', async () => {
    const wide: LimitRule = { name: 'login:identifier_total', limit: 15, windowMs: 86_400_000 };
    const narrow: LimitRule = { name: 'login:identifier_address', limit: 10, windowMs: 900_000 };
    // Twenty identifiers: their digests sort both ways round against the narrow key's.
    for (let i = 0; i < 20; i++) {
      const { limiter, store } = setup();
      const keys = [
        { key: `victim-${i}|203.0.113.9`, rule: narrow },
        { key: `victim-${i}`, rule: wide },
      ];
      const decisions = await Promise.all(Array.from({ length: 50 }, () => limiter.consume(keys)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
      expect(decisions.filter((d) => !d.allowed)).toEqual(
        Array(40).fill({ allowed: false, retryAfterSeconds: 900, rule: narrow.name }),
      );
      expect(await store.peek(attemptKeyHash(wide, `victim-${i}`))).toEqual({
        count: 10,
        msUntilReset: 86_400_000,
      });
    }
  });

  it('peeks without taking: the wider key is looked at, not counted, when the narrow one is full', async () => {
    const { clock, limiter, store } = setup();
    await consumeTimes(limiter, 3, 'judy', perIdentifier);
    clock.advance(1_000);
    await consumeTimes(limiter, 5, '192.0.2.4', perIp);
    const before = await store.peek(attemptKeyHash(perIp, '192.0.2.4'));
    await limiter.consume([
      { key: 'judy', rule: perIdentifier },
      { key: '192.0.2.4', rule: perIp },
    ]);
    expect(await store.peek(attemptKeyHash(perIp, '192.0.2.4'))).toEqual(before);
    expect(await store.peek(attemptKeyHash(perIp, 'nobody'))).toEqual({ count: 0, msUntilReset: 0 });
  });
});
