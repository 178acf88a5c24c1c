import type { LoginFlow } from '@ory/kratos-client';
import type { AxiosResponse } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import {
  bodyOf,
  expectError,
  registerWithApi,
  sleep,
  startFlowServer,
  uiMessageIds,
  uniqueEmail,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';

// Password guessing is cut off before any hash is computed, and recovers once the window passes.

let limited: FlowServer;
/** One hash at a time, no queue, six guesses per address: a sprayer's burst and its end. */
let oneAddress: FlowServer;
let user: Registered;

beforeAll(async () => {
  [limited, oneAddress] = await Promise.all([
    startFlowServer({ SECURITY_BRUTE_FORCE_PER_IDENTIFIER_WINDOW: '3s' }),
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

const passwordChecks = (server: FlowServer) =>
  server.tessera.logs().filter((line) => line['msg'] === 'password checked');

/** Log lines reach us through a pipe; give the last ones a moment to arrive. */
async function settledPasswordChecks(server: FlowServer): Promise<Record<string, unknown>[]> {
  let previous = -1;
  for (;;) {
    const checks = passwordChecks(server);
    if (checks.length === previous) return checks;
    previous = checks.length;
    await sleep(150);
  }
}

async function apiFlows(server: FlowServer, count: number): Promise<LoginFlow[]> {
  const responses = await Promise.all(
    Array.from({ length: count }, () => server.frontend.createNativeLoginFlow()),
  );
  return responses.map((r) => {
    expect(r.status).toBe(200);
    return r.data;
  });
}

function attempt(server: FlowServer, flow: LoginFlow, identifier: string, password: string) {
  return server.frontend.updateLoginFlow({
    flow: flow.id,
    updateLoginFlowBody: { method: 'password', identifier, password },
  });
}

function expectTooMany(response: AxiosResponse<unknown>, maxSeconds: number): number {
  expectError(response, 429);
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

describe('per-identifier limit (10 per window)', () => {
  it('lets exactly 10 of 50 parallel guesses reach the hasher, refuses the rest, then recovers', async () => {
    const flows = await apiFlows(limited, 51);
    const lastFlow = flows.pop()!;
    expect(passwordChecks(limited)).toHaveLength(0);

    let refusedSoFar = 0;
    const guesses = flows.map((flow, i) =>
      attempt(limited, flow, user.email, `Wrong-Guess-${i}`).then((response) => {
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
    const rightButLocked = await attempt(limited, lastFlow, user.email, user.password);
    const responses = await allDone;

    const withStatus = (status: number) => responses.filter((r) => r.status === status);
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([400, 429]));
    expect(withStatus(400)).toHaveLength(10);
    expect(withStatus(429)).toHaveLength(40);
    withStatus(400).forEach(expectWrongPassword);
    withStatus(429).forEach((r) => expectTooMany(r, 3));
    const retryAfter = expectTooMany(rightButLocked, 3);

    const checks = await settledPasswordChecks(limited);
    expect(checks).toHaveLength(10);
    expect(checks.every((c) => c['known_identifier'] === true && c['valid'] === false)).toBe(true);

    await sleep(retryAfter * 1000 + 250);
    const [fresh] = await apiFlows(limited, 1);
    const recovered = await attempt(limited, fresh!, user.email, user.password);
    expect(recovered.status).toBe(200);
    expect(await settledPasswordChecks(limited)).toHaveLength(11);
  });

  it('limits an unknown identifier exactly like a known one, so 429s reveal nothing', async () => {
    const before = (await settledPasswordChecks(limited)).length;
    const flows = await apiFlows(limited, 11);
    const email = uniqueEmail('ghost');
    const responses = await Promise.all(flows.map((flow) => attempt(limited, flow, email, 'Whatever-123')));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(10).fill(400), 429]);
    responses.filter((r) => r.status === 400).forEach(expectWrongPassword);
    expect(await settledPasswordChecks(limited)).toHaveLength(before + 10);
  });

  it('counts identifiers case-insensitively', async () => {
    const target = await registerWithApi(limited.frontend, uniqueEmail('casey'));
    const flows = await apiFlows(limited, 11);
    const spellings = (i: number) => (i % 2 ? target.email.toUpperCase() : ` ${target.email}`);
    const responses = await Promise.all(
      flows.map((flow, i) => attempt(limited, flow, spellings(i), 'Nope-123')),
    );
    expect(responses.filter((r) => r.status === 429)).toHaveLength(1);
  });
});

describe('one address spraying guesses at many accounts', () => {
  it('has parallel guesses beyond the hash slot shed with 503, and its seventh guess refused with 429', async () => {
    const flows = await apiFlows(oneAddress, 8);
    const burst = await Promise.all(
      flows
        .slice(0, 6)
        .map((flow, i) => attempt(oneAddress, flow, uniqueEmail(`burst-${i}`), 'Burst-Password-1')),
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

    for (const [i, flow] of flows.slice(6).entries()) {
      expectTooMany(await attempt(oneAddress, flow, uniqueEmail(`spray-${i}`), 'Spray-Password-1'), 15 * 60);
    }
    expect(await settledPasswordChecks(oneAddress)).toHaveLength(hashed.length);
  });
});
