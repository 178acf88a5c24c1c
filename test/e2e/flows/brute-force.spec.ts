import type { LoginFlow } from '@ory/kratos-client';
import type { AxiosResponse } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import {
  bodyOf,
  clientAddresses,
  expectError,
  registerWithApi,
  sleep,
  startFlowServer,
  uiMessageIds,
  uniqueEmail,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';

// Only failures spend: 10 per identifier from one address, a ceiling per identifier across all
// addresses, 100 per address. Refusals come before any hash is computed; a success clears the
// identifier's streak. Clients are told apart by X-Forwarded-For from the trusted (loopback) proxy.

const IDENTIFIER_CEILING = 15;
/** Short enough to wait out, long enough for a dozen hashes on a busy machine. */
const WINDOW_SECONDS = 10;
let limited: FlowServer;
/** One hash at a time, no queue, six failures per address: a sprayer's burst and its end. */
let oneAddress: FlowServer;
let user: Registered;
const freshAddress = clientAddresses();

beforeAll(async () => {
  [limited, oneAddress] = await Promise.all([
    startFlowServer({
      SERVE_PUBLIC_TRUSTED_PROXIES: '["loopback"]',
      SECURITY_BRUTE_FORCE_PER_IDENTIFIER_WINDOW: `${WINDOW_SECONDS}s`,
      SECURITY_BRUTE_FORCE_PER_IDENTIFIER_TOTAL_LIMIT: String(IDENTIFIER_CEILING),
    }),
    startFlowServer({
      SECURITY_BRUTE_FORCE_PER_IP_LIMIT: '6',
      SECURITY_BRUTE_FORCE_PER_IDENTIFIER_LIMIT: '1000',
      HASHERS_MAX_CONCURRENT: '1',
      HASHERS_MAX_QUEUE: '0',
    }),
  ]);
  user = await registerWithApi(limited.frontend, uniqueEmail('target'));
});

afterAll(async () => {
  await Promise.all([limited?.stop(), oneAddress?.stop()]);
});

const logLines = (server: FlowServer, msg: string) =>
  server.tessera.logs().filter((line) => line['msg'] === msg);

/** Log lines reach us through a pipe; give the last ones a moment to arrive. */
async function settledLines(server: FlowServer, msg: string): Promise<Record<string, unknown>[]> {
  let previous = -1;
  for (;;) {
    const lines = logLines(server, msg);
    if (lines.length === previous) return lines;
    previous = lines.length;
    await sleep(150);
  }
}
const settledPasswordChecks = (server: FlowServer) => settledLines(server, 'password checked');

async function apiFlows(server: FlowServer, count: number): Promise<LoginFlow[]> {
  const responses = await Promise.all(
    Array.from({ length: count }, () => server.frontend.createNativeLoginFlow()),
  );
  return responses.map((r) => {
    expect(r.status).toBe(200);
    return r.data;
  });
}

function attempt(server: FlowServer, flow: LoginFlow, identifier: string, password: string, ip?: string) {
  return server.frontend.updateLoginFlow(
    { flow: flow.id, updateLoginFlowBody: { method: 'password', identifier, password } },
    ip ? { headers: { 'X-Forwarded-For': ip } } : {},
  );
}

/** One sign-in attempt on a fresh flow. */
async function signIn(identifier: string, password: string, ip?: string, server = limited) {
  const [flow] = await apiFlows(server, 1);
  return attempt(server, flow!, identifier, password, ip);
}

/** `count` attempts, `parallel` at a time (the hash gate queues a few per core); their statuses. */
async function statuses(count: number, parallel: number, run: (i: number) => Promise<AxiosResponse>) {
  const out: number[] = [];
  for (let start = 0; start < count; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - start) }, (_, j) => run(start + j));
    out.push(...(await Promise.all(batch)).map((r) => r.status));
  }
  return out;
}

function expectTooMany(response: AxiosResponse<unknown>, maxSeconds: number): number {
  expectError(response, 429, 'too_many_requests');
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  expect(response.data).not.toHaveProperty('session_token');
  return retryAfter;
}

function expectWrongPassword(response: AxiosResponse<unknown>): void {
  expect(response.status).toBe(400);
  assertMatchesContract('loginFlow', response.data);
  expect(uiMessageIds(bodyOf<LoginFlow>(response))).toEqual([4000006]);
}

describe('successful sign-ins', () => {
  it('never spend budget: 150 correct sign-ins from one address all succeed', async () => {
    const office = freshAddress();
    const results = await statuses(150, 6, () => signIn(user.email, user.password, office));
    expect(results).toEqual(Array(150).fill(200));
  }, 180_000);
});

describe('per identifier and address (10 failures per window)', () => {
  it('lets exactly 10 of 50 parallel guesses reach the hasher, refuses the rest, spares other addresses, then recovers', async () => {
    const target = await registerWithApi(limited.frontend, uniqueEmail('parallel'));
    const attacker = freshAddress();
    const before = (await settledPasswordChecks(limited)).length;
    const flows = await apiFlows(limited, 51);
    const lastFlow = flows.pop()!;

    let refusedSoFar = 0;
    const guesses = flows.map((flow, i) =>
      attempt(limited, flow, target.email, `Wrong-Guess-${i}`, attacker).then((response) => {
        if (response.status === 429) refusedSoFar += 1;
        return response;
      }),
    );
    // Refusals come back at once, before the admitted guesses finish hashing: ask with the
    // right password while the window is surely still open.
    const allDone = Promise.all(guesses);
    while (refusedSoFar < 40 && !(await Promise.race([allDone.then(() => true), sleep(10)]))) {
      // waiting for the refusals
    }
    const rightButLocked = await attempt(limited, lastFlow, target.email, target.password, attacker);
    const responses = await allDone;

    const withStatus = (status: number) => responses.filter((r) => r.status === status);
    expect(withStatus(400)).toHaveLength(10);
    expect(withStatus(429)).toHaveLength(40);
    withStatus(400).forEach(expectWrongPassword);
    withStatus(429).forEach((r) => expectTooMany(r, WINDOW_SECONDS));
    const retryAfter = expectTooMany(rightButLocked, WINDOW_SECONDS);

    const checks = (await settledPasswordChecks(limited)).slice(before);
    expect(checks).toHaveLength(10);
    expect(checks.every((c) => c['known_identifier'] === true && c['valid'] === false)).toBe(true);

    // The owner, elsewhere, is not locked out by the attacker's failures.
    expect((await signIn(target.email, target.password, freshAddress())).status).toBe(200);

    await sleep(retryAfter * 1000 + 250);
    expect((await signIn(target.email, target.password, attacker)).status).toBe(200);
  });

  it('logs every refusal as a structured event, without the identifier or the password', async () => {
    const target = await registerWithApi(limited.frontend, uniqueEmail('logged'));
    const ip = freshAddress();
    expect(await statuses(10, 5, (i) => signIn(target.email, `Wrong-${i}-Pw`, ip))).toEqual(
      Array(10).fill(400),
    );
    expectTooMany(await signIn(target.email, target.password, ip), WINDOW_SECONDS);
    const refusals = (await settledLines(limited, 'attempt refused')).filter((l) => l['client_ip'] === ip);
    expect(refusals).toEqual([
      expect.objectContaining({
        level: 'warn',
        event: 'brute_force_refused',
        scope: 'identifier_address',
        method: 'password',
        client_ip: ip,
        retry_after_seconds: expect.any(Number),
      }),
    ]);
    const text = JSON.stringify(refusals);
    expect(text).not.toContain(target.email);
    expect(text).not.toContain(target.password);
  });

  it('limits an unknown identifier exactly like a known one, so 429s reveal nothing', async () => {
    const before = (await settledPasswordChecks(limited)).length;
    const ip = freshAddress();
    const flows = await apiFlows(limited, 11);
    const email = uniqueEmail('ghost');
    const responses = await Promise.all(
      flows.map((flow) => attempt(limited, flow, email, 'Whatever-123', ip)),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([...Array(10).fill(400), 429]);
    responses.filter((r) => r.status === 400).forEach(expectWrongPassword);
    expect(await settledPasswordChecks(limited)).toHaveLength(before + 10);
  });

  it('counts identifiers case-insensitively', async () => {
    const target = await registerWithApi(limited.frontend, uniqueEmail('casey'));
    const ip = freshAddress();
    const flows = await apiFlows(limited, 11);
    const spellings = (i: number) => (i % 2 ? target.email.toUpperCase() : ` ${target.email}`);
    const responses = await Promise.all(
      flows.map((flow, i) => attempt(limited, flow, spellings(i), 'Nope-123', ip)),
    );
    expect(responses.filter((r) => r.status === 429)).toHaveLength(1);
  });

  it('a success clears the streak from that address and from everywhere', async () => {
    const target = await registerWithApi(limited.frontend, uniqueEmail('streak'));
    const [home, away] = [freshAddress(), freshAddress()];
    expect(await statuses(9, 5, (i) => signIn(target.email, `Typo-${i}-Pw`, home))).toEqual(
      Array(9).fill(400),
    );
    expect(await statuses(5, 5, (i) => signIn(target.email, `Typo-${i}-Pw`, away))).toEqual(
      Array(5).fill(400),
    );
    expect((await signIn(target.email, target.password, home)).status).toBe(200);
    // 9 + 10 would be over the 10 per address, 14 + 10 over the ceiling of 15: both started over.
    expect(await statuses(10, 5, (i) => signIn(target.email, `Again-${i}-Pw`, home))).toEqual(
      Array(10).fill(400),
    );
    expectTooMany(await signIn(target.email, target.password, home), WINDOW_SECONDS);
  });
});

describe('per identifier across addresses (ceiling of consecutive failures)', () => {
  it('stops a guesser spread over many addresses, whatever address the next guess comes from', async () => {
    const target = await registerWithApi(limited.frontend, uniqueEmail('spread'));
    const spread = await statuses(IDENTIFIER_CEILING, 5, (i) =>
      signIn(target.email, `Spread-${i}-Pw`, freshAddress()),
    );
    expect(spread).toEqual(Array(IDENTIFIER_CEILING).fill(400));
    expectTooMany(await signIn(target.email, 'Spread-Next-Pw', freshAddress()), 24 * 3600);
    expectTooMany(await signIn(target.email, target.password, freshAddress()), 24 * 3600);
    const refusal = (await settledLines(limited, 'attempt refused')).at(-1);
    expect(refusal).toMatchObject({ event: 'brute_force_refused', scope: 'identifier', method: 'password' });
    // Other identifiers are untouched.
    expect((await signIn(user.email, user.password, freshAddress())).status).toBe(200);
  });
});

describe('the owner at an address they signed in from', () => {
  it('is let past a full ceiling that a stranger spread over other addresses filled', async () => {
    const target = await registerWithApi(limited.frontend, uniqueEmail('owner'));
    const home = freshAddress();
    expect((await signIn(target.email, target.password, home)).status).toBe(200);
    const spread = await statuses(IDENTIFIER_CEILING, 5, (i) =>
      signIn(target.email, `Stranger-${i}-Pw`, freshAddress()),
    );
    expect(spread).toEqual(Array(IDENTIFIER_CEILING).fill(400));
    // The ceiling holds against any new address, even with the right password ...
    expectTooMany(await signIn(target.email, target.password, freshAddress()), 24 * 3600);
    // ... but the owner signs in where they signed in before, which clears the streak.
    expect((await signIn(target.email, target.password, home)).status).toBe(200);
    expect((await signIn(target.email, target.password, freshAddress())).status).toBe(200);
  });
});

describe('per address (100 failures per window)', () => {
  it('refuses an address after 100 failures across many identifiers; its successes did not count', async () => {
    const sprayer = freshAddress();
    const results = await statuses(100, 6, (i) =>
      i % 10 === 0
        ? signIn(user.email, user.password, sprayer)
        : signIn(uniqueEmail(`spray-${i}`), 'Spray-Password-1', sprayer),
    );
    expect(results.filter((s) => s === 200)).toHaveLength(10);
    expect(results.filter((s) => s === 400)).toHaveLength(90);
    expect(
      await statuses(10, 5, (i) => signIn(uniqueEmail(`more-${i}`), 'Spray-Password-1', sprayer)),
    ).toEqual(Array(10).fill(400));
    expectTooMany(await signIn(uniqueEmail('spray-last'), 'Spray-Password-1', sprayer), 15 * 60);
    expectTooMany(await signIn(user.email, user.password, sprayer), 15 * 60);
    expect((await signIn(user.email, user.password, freshAddress())).status).toBe(200);
  }, 180_000);

  it('does not count guesses shed by a saturated hasher (503): the seventh failure is refused', async () => {
    const flows = await apiFlows(oneAddress, 6);
    const burst = await Promise.all(
      flows.map((flow, i) => attempt(oneAddress, flow, uniqueEmail(`burst-${i}`), 'Burst-Password-1')),
    );
    expect(burst.every((r) => r.status === 400 || r.status === 503)).toBe(true);
    const hashed = burst.filter((r) => r.status === 400);
    const shed = burst.filter((r) => r.status === 503);
    expect(hashed.length).toBeGreaterThanOrEqual(1);
    expect(shed.length).toBeGreaterThanOrEqual(1);
    hashed.forEach(expectWrongPassword);
    for (const response of shed) {
      expectError(response, 503);
      expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    for (let i = hashed.length; i < 6; i++) {
      expectWrongPassword(await signIn(uniqueEmail(`spray-${i}`), 'Spray-Password-1', undefined, oneAddress));
    }
    expectTooMany(
      await signIn(uniqueEmail('spray-last'), 'Spray-Password-1', undefined, oneAddress),
      15 * 60,
    );
    expect(await settledPasswordChecks(oneAddress)).toHaveLength(6);
  });
});
