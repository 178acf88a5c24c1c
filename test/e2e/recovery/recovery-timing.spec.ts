import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWithApi, uniqueEmail, type Registered } from '../../support/self-service.js';
import { median, serverDurations } from '../../support/server-timing.js';
import { type MailServer, startMailServer } from './mail-flows.js';

// Whether an address has an account must not show in how long asking for a recovery code takes:
// only a known address gets a message rendered and queued, so the send is held to a floor.

const ROUNDS = 12;

let server: MailServer;
let user: Registered;

beforeAll(async () => {
  // Without limits every request for the known address sends mail: the most the two can differ.
  server = await startMailServer({ SECURITY_BRUTE_FORCE_ENABLED: 'false' });
  user = await registerWithApi(server.frontend, uniqueEmail('timed-recovery'));
});

afterAll(async () => {
  await server?.stop();
});

async function askForCode(email: string, requestId: string): Promise<string> {
  const { data: flow } = await server.frontend.createNativeRecoveryFlow();
  const response = await server.frontend.updateRecoveryFlow(
    { flow: flow.id, updateRecoveryFlowBody: { method: 'code', email } },
    { headers: { 'X-Request-ID': requestId } },
  );
  expect(response.status).toBe(200);
  expect(response.data.state).toBe('sent_email');
  return requestId;
}

describe('asking for a recovery code', () => {
  it('takes the same median server time for an unknown address as for a known one (±20%)', async () => {
    const unknown: string[] = [];
    const known: string[] = [];
    // Interleaved, so noise on a shared machine hits both alike; two rounds warm up.
    for (let round = 0; round < ROUNDS + 2; round++) {
      const ghost = await askForCode(uniqueEmail('ghost'), `recovery-unknown-${round}`);
      const real = await askForCode(user.email, `recovery-known-${round}`);
      if (round < 2) continue;
      unknown.push(ghost);
      known.push(real);
    }
    const unknownMedian = median(await serverDurations(server.tessera, '/self-service/recovery', unknown));
    const knownMedian = median(await serverDurations(server.tessera, '/self-service/recovery', known));
    const difference = Math.abs(unknownMedian - knownMedian) / Math.max(unknownMedian, knownMedian);
    expect(
      difference,
      `median unknown ${unknownMedian.toFixed(1)} ms vs known ${knownMedian.toFixed(1)} ms`,
    ).toBeLessThanOrEqual(0.2);
    // The known address really was sent its codes, so the comparison covers the mail path.
    const recoveryMails = () =>
      server.sink.messages.filter((m) => m.to.includes(user.email) && /to recover access/.test(m.subject));
    await expect.poll(() => recoveryMails().length).toBe(ROUNDS + 2);
  });
});
