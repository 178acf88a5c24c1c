import type { LoginFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientAddresses,
  expectError,
  sleep,
  uiMessageIds,
  uniqueEmail,
} from '../../support/self-service.js';
import { codeIn, mailTo, registeredUser, startMailServer, type MailServer } from '../recovery/mail-flows.js';

// One-time codes are guarded like passwords: only failures spend, 4 per address a code went to
// and client address here, a ceiling of 6 per address a code went to, 8 per client address
// across every method; and still at most max_submissions (5) codes per flow.

let server: MailServer;
const freshAddress = clientAddresses();
const from = (ip: string) => ({ headers: { 'X-Forwarded-For': ip } });

beforeAll(async () => {
  server = await startMailServer({
    SERVE_PUBLIC_TRUSTED_PROXIES: '["loopback"]',
    SELFSERVICE_METHODS_CODE_PASSWORDLESS_ENABLED: 'true',
    SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'false',
    SECURITY_BRUTE_FORCE_PER_IDENTIFIER_LIMIT: '4',
    SECURITY_BRUTE_FORCE_PER_IDENTIFIER_TOTAL_LIMIT: '6',
    SECURITY_BRUTE_FORCE_PER_IP_LIMIT: '8',
  });
});

afterAll(async () => {
  await server?.stop();
});

const wrongFor = (code: string) => (code === '111111' ? '222222' : '111111');

/** A login flow that has mailed a code to `email`; `submit` sends a code from a client address. */
async function loginCode(email: string) {
  const { data: flow } = await server.frontend.createNativeLoginFlow();
  const before = server.sink.messages.length;
  const sent = await server.frontend.updateLoginFlow({
    flow: flow.id,
    updateLoginFlowBody: { method: 'code', identifier: email, csrf_token: '' },
  });
  expect(sent.status).toBe(400);
  const code = codeIn(await mailTo(server.sink, email, before, /log in/i));
  const submit = (guess: string, ip: string) =>
    server.frontend.updateLoginFlow(
      {
        flow: flow.id,
        updateLoginFlowBody: { method: 'code', identifier: email, code: guess, csrf_token: '' },
      },
      from(ip),
    );
  return { code, submit };
}

async function expectWrong(response: Promise<{ status: number; data: unknown }>) {
  const wrong = await response;
  expect(wrong.status).toBe(400);
  expect(uiMessageIds(wrong.data as LoginFlow)).toEqual([4010008]);
}

function expectTooMany(response: { status: number; data?: unknown; headers: Record<string, unknown> }) {
  expectError(response, 429, 'too_many_requests');
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
}

async function lastRefusal(): Promise<Record<string, unknown> | undefined> {
  await sleep(300);
  return server.tessera
    .logs()
    .filter((line) => line['event'] === 'brute_force_refused')
    .at(-1);
}

describe('login code guessing', () => {
  it('refuses an address from one client after 4 failures, even the right code, while another client signs in', async () => {
    const email = uniqueEmail('code-guess');
    await registeredUser(server, email);
    const { code, submit } = await loginCode(email);
    const attacker = freshAddress();
    for (let i = 0; i < 4; i++) await expectWrong(submit(wrongFor(code), attacker));
    expectTooMany(await submit(code, attacker));
    expect(await lastRefusal()).toMatchObject({ scope: 'identifier_address', method: 'login_code' });
    const owner = await submit(code, freshAddress());
    expect(owner.status, JSON.stringify(owner.data)).toBe(200);
  });

  it('stops a guesser spread over many flows and clients at the ceiling for the address', async () => {
    const email = uniqueEmail('code-spread');
    await registeredUser(server, email);
    for (let flow = 0; flow < 2; flow++) {
      const { code, submit } = await loginCode(email);
      const ip = freshAddress();
      for (let i = 0; i < 3; i++) await expectWrong(submit(wrongFor(code), ip));
    }
    const last = await loginCode(email);
    expectTooMany(await last.submit(last.code, freshAddress()));
    expect(await lastRefusal()).toMatchObject({ scope: 'identifier', method: 'login_code' });
  });

  it('a right code clears the streak', async () => {
    const email = uniqueEmail('code-streak');
    await registeredUser(server, email);
    const home = freshAddress();
    const first = await loginCode(email);
    for (let i = 0; i < 3; i++) await expectWrong(first.submit(wrongFor(first.code), home));
    expect((await first.submit(first.code, home)).status).toBe(200);
    // 3 + 4 would be over both the 4 per client and the 6 overall: both started over.
    const second = await loginCode(email);
    for (let i = 0; i < 4; i++) await expectWrong(second.submit(wrongFor(second.code), home));
    expectTooMany(await second.submit(second.code, home));
  });
});

describe('recovery code guessing', () => {
  async function recoveryFlow(email: string) {
    const { data: flow } = await server.frontend.createNativeRecoveryFlow();
    await server.frontend.updateRecoveryFlow({
      flow: flow.id,
      updateRecoveryFlowBody: { method: 'code', email },
    });
    return (code: string, ip: string) =>
      server.frontend.updateRecoveryFlow(
        { flow: flow.id, updateRecoveryFlowBody: { method: 'code', code } },
        from(ip),
      );
  }

  it('spends the client address budget it shares with sign-in: the ninth failure is refused', async () => {
    const email = uniqueEmail('recovery-guess');
    await registeredUser(server, email);
    const sprayer = freshAddress();
    for (let flow = 0; flow < 2; flow++) {
      const submit = await recoveryFlow(email);
      for (let i = 0; i < 4; i++) {
        const wrong = await submit('000000', sprayer);
        expect(wrong.status).toBe(200);
        expect(uiMessageIds(wrong.data)).toEqual([4060006]);
      }
    }
    const submit = await recoveryFlow(email);
    expectTooMany(await submit('000000', sprayer));
    expect(await lastRefusal()).toMatchObject({
      scope: 'address',
      method: 'recovery_code',
      client_ip: sprayer,
    });
    expect((await submit('000000', freshAddress())).status).toBe(200);
  });
});
