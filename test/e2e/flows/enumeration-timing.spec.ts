import type { LoginFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyOf,
  registerWithApi,
  startFlowServer,
  uiMessageIds,
  uniqueEmail,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';
import { median, serverDurations } from '../../support/server-timing.js';

// Whether an account exists must not show in how long a failed login takes.

const ROUNDS = 15;

let server: FlowServer;
let user: Registered;

beforeAll(async () => {
  server = await startFlowServer({
    SECURITY_BRUTE_FORCE_PER_IDENTIFIER_LIMIT: '1000',
    SECURITY_BRUTE_FORCE_PER_IP_LIMIT: '10000',
  });
  user = await registerWithApi(server.frontend, uniqueEmail('timed'));
});

afterAll(async () => {
  await server?.stop();
});

/** One failed login; returns the request id whose access-log line carries the server's time. */
async function failedLogin(flow: LoginFlow, identifier: string, requestId: string): Promise<string> {
  const response = await server.frontend.updateLoginFlow(
    {
      flow: flow.id,
      updateLoginFlowBody: { method: 'password', identifier, password: 'Not-Their-Password-7' },
    },
    { headers: { 'X-Request-ID': requestId } },
  );
  expect(response.status).toBe(400);
  expect(uiMessageIds(bodyOf<LoginFlow>(response))).toEqual([4000006]);
  return requestId;
}

describe('a failed login', () => {
  it('takes the same median server time for an unknown account as for a wrong password (±20%)', async () => {
    const flows = await Promise.all(
      Array.from(
        { length: 2 * (ROUNDS + 2) },
        async () => (await server.frontend.createNativeLoginFlow()).data,
      ),
    );
    const unknown: string[] = [];
    const known: string[] = [];
    // Interleaved, so any noise on a shared machine hits both kinds alike; two rounds warm up.
    for (let round = 0; round < ROUNDS + 2; round++) {
      const ghost = await failedLogin(flows.pop()!, uniqueEmail('ghost'), `timing-unknown-${round}`);
      const real = await failedLogin(flows.pop()!, user.email, `timing-known-${round}`);
      if (round < 2) continue;
      unknown.push(ghost);
      known.push(real);
    }
    const unknownMedian = median(await serverDurations(server.tessera, '/self-service/login', unknown));
    const knownMedian = median(await serverDurations(server.tessera, '/self-service/login', known));
    const difference = Math.abs(unknownMedian - knownMedian) / Math.max(unknownMedian, knownMedian);
    expect(
      difference,
      `median unknown ${unknownMedian.toFixed(1)} ms vs known ${knownMedian.toFixed(1)} ms`,
    ).toBeLessThanOrEqual(0.2);
    // Both must have paid for a real hash, or the comparison proves nothing.
    expect(Math.min(unknownMedian, knownMedian)).toBeGreaterThan(5);
  });
});
