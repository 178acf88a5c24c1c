import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { HibpClient, type BreachLookup } from './hibp.client.js';
import {
  DEFAULT_PASSWORD_POLICY_OPTIONS,
  PASSWORD_POLICY_OPTIONS,
  type PasswordPolicyOptions,
} from './password-policy.options.js';
import { PasswordPolicy } from './password-policy.service.js';

/** Answers every lookup with one result and remembers what was asked. */
class FakeHibp {
  readonly lookedUp: string[] = [];
  constructor(private readonly result: BreachLookup = { ok: true, breaches: 0 }) {}
  async lookup(password: string): Promise<BreachLookup> {
    this.lookedUp.push(password);
    return this.result;
  }
}

type Overrides = Partial<Omit<PasswordPolicyOptions, 'haveIBeenPwned'>> & {
  haveIBeenPwned?: Partial<PasswordPolicyOptions['haveIBeenPwned']>;
};

function policyWith(overrides: Overrides = {}, hibp = new FakeHibp()): PasswordPolicy {
  const options: PasswordPolicyOptions = {
    ...DEFAULT_PASSWORD_POLICY_OPTIONS,
    ...overrides,
    haveIBeenPwned: { ...DEFAULT_PASSWORD_POLICY_OPTIONS.haveIBeenPwned, ...overrides.haveIBeenPwned },
  };
  return new PasswordPolicy(options, hibp as unknown as HibpClient);
}

const STRONG = 'l3f9toh1uaf81n21';

describe('PasswordPolicy length', () => {
  it('accepts exactly the minimum length and refuses one code point less', async () => {
    const policy = policyWith();
    await expect(policy.check('abcdefgh', [])).resolves.toBeNull();
    await expect(policy.check('abcdefg', [])).resolves.toEqual({
      id: 4000032,
      context: { min_length: 8, actual_length: 7 },
    });
  });

  it('refuses the empty password', async () => {
    await expect(policyWith().check('', [])).resolves.toEqual({
      id: 4000032,
      context: { min_length: 8, actual_length: 0 },
    });
  });

  it('counts the minimum in code points, not bytes or UTF-16 units', async () => {
    const policy = policyWith();
    await expect(policy.check('äöüßéèêë', [])).resolves.toBeNull();
    // Seven emoji are 14 UTF-16 units and 28 bytes.
    await expect(policy.check('😀😁😂🤣😃😄😅', [])).resolves.toEqual({
      id: 4000032,
      context: { min_length: 8, actual_length: 7 },
    });
    await expect(policy.check('😀😁😂🤣😃😄😅😆', [])).resolves.toBeNull();
  });

  it('honours a configured minimum', async () => {
    await expect(policyWith({ minLength: 10 }).check('kuobahcaas', [])).resolves.toBeNull();
    await expect(policyWith({ minLength: 10 }).check('rfqyfjied', [])).resolves.toEqual({
      id: 4000032,
      context: { min_length: 10, actual_length: 9 },
    });
  });

  it('accepts 4096 bytes and refuses 4097', async () => {
    const policy = policyWith();
    await expect(policy.check('x'.repeat(4096), [])).resolves.toBeNull();
    await expect(policy.check('x'.repeat(4097), [])).resolves.toEqual({
      id: 4000033,
      context: { max_length: 4096, actual_length: 4097 },
    });
  });

  it('counts the maximum in UTF-8 bytes', async () => {
    // 2048 two-byte characters fit exactly; one more is 4098 bytes.
    await expect(policyWith().check('é'.repeat(2048), [])).resolves.toBeNull();
    await expect(policyWith().check('é'.repeat(2049), [])).resolves.toEqual({
      id: 4000033,
      context: { max_length: 4096, actual_length: 4098 },
    });
  });

  it('applies the 72-byte bcrypt limit the application passes', async () => {
    const policy = policyWith({ maxBytes: 72 });
    await expect(policy.check('k'.repeat(72), [])).resolves.toBeNull();
    await expect(policy.check('k'.repeat(73), [])).resolves.toEqual({
      id: 4000033,
      context: { max_length: 72, actual_length: 73 },
    });
    // 37 characters, 74 bytes.
    await expect(policy.check('ß'.repeat(37), [])).resolves.toEqual({
      id: 4000033,
      context: { max_length: 72, actual_length: 74 },
    });
  });
});

describe('PasswordPolicy identifier similarity', () => {
  it('refuses a password too similar to an identifier, whatever the case', async () => {
    const policy = policyWith();
    await expect(policy.check('HELLO@EXAMPLE.COM', ['hello@example.com'])).resolves.toEqual({
      id: 4000031,
      context: {},
    });
    await expect(policy.check('hello@example.com12345', ['Hello@Example.com'])).resolves.toEqual({
      id: 4000031,
      context: {},
    });
  });

  it('checks every identifier', async () => {
    await expect(
      policyWith().check('alice-in-wonder', ['alice@example.com', 'alice-in-wonderland']),
    ).resolves.toEqual({
      id: 4000031,
      context: {},
    });
  });

  it('accepts a password unlike every identifier, and ignores empty identifiers', async () => {
    await expect(policyWith().check(STRONG, ['hello@example.com', ''])).resolves.toBeNull();
    await expect(
      policyWith().check('d4f6090b-5a84-2184-4404-8d1b-8da3eb00ebbe', ['d4f6090b-5a84']),
    ).resolves.toBeNull();
  });

  it('can be switched off', async () => {
    await expect(
      policyWith({ identifierSimilarityCheck: false }).check('bosqwfaxee', ['bosqwfaxee']),
    ).resolves.toBeNull();
  });
});

describe('PasswordPolicy breaches', () => {
  it('refuses a password found more often than maxBreaches', async () => {
    const hibp = new FakeHibp({ ok: true, breaches: 3 });
    await expect(policyWith({}, hibp).check(STRONG, [])).resolves.toEqual({
      id: 4000034,
      context: { breaches: 3 },
    });
    await expect(
      policyWith({ haveIBeenPwned: { maxBreaches: 3 } }, hibp).check(STRONG, []),
    ).resolves.toBeNull();
    await expect(policyWith({ haveIBeenPwned: { maxBreaches: 2 } }, hibp).check(STRONG, [])).resolves.toEqual(
      {
        id: 4000034,
        context: { breaches: 3 },
      },
    );
  });

  it('accepts an unbreached password', async () => {
    await expect(
      policyWith({}, new FakeHibp({ ok: true, breaches: 0 })).check(STRONG, []),
    ).resolves.toBeNull();
  });

  it('ignores an unavailable breach database unless told not to', async () => {
    const hibp = new FakeHibp({ ok: false, reason: 'it could not be checked' });
    await expect(policyWith({}, hibp).check(STRONG, [])).resolves.toBeNull();
    await expect(
      policyWith({ haveIBeenPwned: { ignoreNetworkErrors: false } }, hibp).check(STRONG, []),
    ).resolves.toEqual({ id: 4000005, context: { reason: 'it could not be checked' } });
  });

  it('does not ask the breach database when the check is disabled', async () => {
    const hibp = new FakeHibp({ ok: true, breaches: 99 });
    await expect(
      policyWith({ haveIBeenPwned: { enabled: false } }, hibp).check(STRONG, []),
    ).resolves.toBeNull();
    expect(hibp.lookedUp).toEqual([]);
  });
});

describe('PasswordPolicy order', () => {
  it('reports length before similarity and similarity before breaches, without a lookup', async () => {
    const hibp = new FakeHibp({ ok: true, breaches: 5 });
    const policy = policyWith({}, hibp);
    await expect(policy.check('hello', ['hello'])).resolves.toMatchObject({ id: 4000032 });
    await expect(policy.check('hello@example.com', ['hello@example.com'])).resolves.toMatchObject({
      id: 4000031,
    });
    expect(hibp.lookedUp).toEqual([]);
    await expect(policy.check(STRONG, ['hello@example.com'])).resolves.toMatchObject({ id: 4000034 });
    expect(hibp.lookedUp).toEqual([STRONG]);
  });
});

describe('PasswordPolicy options', () => {
  it.each([
    [{ minLength: 5 }, 'minLength must be an integer of at least 6'],
    [{ minLength: 8.5 }, 'minLength must be an integer of at least 6'],
    [{ maxBytes: 7 }, 'maxBytes must be an integer not below minLength'],
    [{ haveIBeenPwned: { maxBreaches: -1 } }, 'maxBreaches must be a non-negative integer'],
    [{ haveIBeenPwned: { timeoutMs: 0 } }, 'timeoutMs must be a positive integer'],
    [{ haveIBeenPwned: { host: 'https://api.pwnedpasswords.com' } }, 'host must be a host name'],
    [{ haveIBeenPwned: { host: 'example.com/range' } }, 'host must be a host name'],
  ] satisfies Array<[Overrides, string]>)('refuses %j at construction', (overrides, message) => {
    expect(() => policyWith(overrides)).toThrow(message);
  });

  it('accepts the defaults and a host with a port', () => {
    expect(() => policyWith()).not.toThrow();
    expect(() => policyWith({ haveIBeenPwned: { host: '127.0.0.1:8080', scheme: 'http' } })).not.toThrow();
  });
});

describe('PasswordPolicy in Nest', () => {
  it('is provided from application-supplied options, with its own breach client', async () => {
    const options: PasswordPolicyOptions = {
      ...DEFAULT_PASSWORD_POLICY_OPTIONS,
      haveIBeenPwned: { ...DEFAULT_PASSWORD_POLICY_OPTIONS.haveIBeenPwned, enabled: false },
    };
    @Module({ providers: [{ provide: PASSWORD_POLICY_OPTIONS, useValue: options }, PasswordPolicy] })
    class PolicyModule {}

    const app = await NestFactory.createApplicationContext(PolicyModule, { logger: false });
    try {
      await expect(app.get(PasswordPolicy).check('short', [])).resolves.toMatchObject({ id: 4000032 });
      await expect(app.get(PasswordPolicy).check(STRONG, [])).resolves.toBeNull();
    } finally {
      await app.close();
    }
  });

  it('uses a HibpClient the application provides', async () => {
    const hibp = new FakeHibp({ ok: true, breaches: 7 });
    @Module({
      providers: [
        { provide: PASSWORD_POLICY_OPTIONS, useValue: DEFAULT_PASSWORD_POLICY_OPTIONS },
        { provide: HibpClient, useValue: hibp },
        PasswordPolicy,
      ],
    })
    class PolicyModule {}

    const app = await NestFactory.createApplicationContext(PolicyModule, { logger: false });
    try {
      await expect(app.get(PasswordPolicy).check(STRONG, [])).resolves.toEqual({
        id: 4000034,
        context: { breaches: 7 },
      });
      expect(hibp.lookedUp).toEqual([STRONG]);
    } finally {
      await app.close();
    }
  });
});
