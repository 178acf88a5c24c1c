import type { LoginFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddresses, uniqueEmail } from '../../support/self-service.js';
import { codeIn, mailTo, registeredUser, startMailServer, type MailServer } from '../recovery/mail-flows.js';

// Wrong login codes spend the brute-force budgets of the address they were sent to, the
// identifier-wide ceiling (100 a day) included. As for passwords, an owner signing in from an
// address they signed in from before is let past that ceiling: strangers guessing from elsewhere
// cannot lock them out of code login. Clients are told apart by X-Forwarded-For.

let server: MailServer;
const freshAddress = clientAddresses();
const from = (ip: string) => ({ headers: { 'X-Forwarded-For': ip } });

beforeAll(async () => {
  server = await startMailServer({
    SERVE_PUBLIC_TRUSTED_PROXIES: '["loopback"]',
    SELFSERVICE_METHODS_CODE_PASSWORDLESS_ENABLED: 'true',
    SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'false',
  });
});

afterAll(async () => {
  await server?.stop();
});

async function sendLoginCode(email: string, ip: string): Promise<string> {
  const { data: flow } = await server.frontend.createNativeLoginFlow({}, from(ip));
  const sent = await server.frontend.updateLoginFlow(
    { flow: flow.id, updateLoginFlowBody: { method: 'code', identifier: email, csrf_token: '' } },
    from(ip),
  );
  expect(sent.status).toBe(400);
  return flow.id;
}

const submit = (flowId: string, email: string, code: string, ip: string) =>
  server.frontend.updateLoginFlow(
    { flow: flowId, updateLoginFlowBody: { method: 'code', identifier: email, code, csrf_token: '' } },
    from(ip),
  );

describe('login codes guessed by strangers', () => {
  it("fill the owner's ceiling, yet the owner signs in with a right code from a known address", async () => {
    const email = uniqueEmail('code-lockout');
    const owner = freshAddress();
    // The owner signed in from `owner` before (a password session through the trusted proxy).
    const user = await registeredUser(server, email);
    const signIn = await server.frontend.createNativeLoginFlow({}, from(owner));
    const signedIn = await server.frontend.updateLoginFlow(
      {
        flow: signIn.data.id,
        updateLoginFlowBody: {
          method: 'password',
          identifier: email,
          password: user.password,
          csrf_token: '',
        },
      },
      from(owner),
    );
    expect(signedIn.status, JSON.stringify(signedIn.data)).toBe(200);
    const before = server.sink.messages.length;
    const ownerFlow = await sendLoginCode(email, owner);
    const code = codeIn(await mailTo(server.sink, email, before, /log in/i));

    // 100 wrong codes from ten other addresses: the identifier-wide ceiling.
    for (let n = 0; n < 10; n++) {
      const ip = freshAddress();
      for (let flows = 0; flows < 2; flows++) {
        const flowId = await sendLoginCode(email, ip);
        for (let guess = 0; guess < 5; guess++) await submit(flowId, email, '000000', ip);
      }
    }
    const stranger = freshAddress();
    const refused = await submit(await sendLoginCode(email, stranger), email, '000000', stranger);
    expect(refused.status).toBe(429);

    const accepted = await submit(ownerFlow, email, code, owner);
    expect(accepted.status, JSON.stringify(accepted.data)).toBe(200);
    expect((accepted.data as unknown as { session_token?: string }).session_token).toBeTruthy();
    expect((accepted.data as unknown as LoginFlow).ui).toBeUndefined();
  });
});
