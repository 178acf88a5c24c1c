import type { FrontendApi, LoginFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyOf,
  clientAddresses,
  expectError,
  loginWithApi,
  registerWithApi,
  sleep,
  uiMessageIds,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';
import { aal2Flow, authenticator, enrolTotp, passwordSession, startMfaServer } from './mfa-support.js';

// Second factors are guarded like passwords: only failures spend, 4 per identity and address
// here, a ceiling of 6 per identity across addresses, 8 per address across every method.
// Clients are told apart by X-Forwarded-For from the trusted (loopback) proxy.

let server: FlowServer;
const freshAddress = clientAddresses();

beforeAll(async () => {
  server = await startMfaServer({
    SERVE_PUBLIC_TRUSTED_PROXIES: '["loopback"]',
    SECURITY_BRUTE_FORCE_PER_IDENTIFIER_LIMIT: '4',
    SECURITY_BRUTE_FORCE_PER_IDENTIFIER_TOTAL_LIMIT: '6',
    SECURITY_BRUTE_FORCE_PER_IP_LIMIT: '8',
  });
});

afterAll(async () => {
  await server?.stop();
});

const wrongCode = (right: string) => (right === '000000' ? '111111' : '000000');

/** A user with an authenticator app, signed in with the password (aal1), and an aal2 flow. */
async function totpUser() {
  const { frontend } = server;
  const user = await registerWithApi(frontend, uniqueEmail('totp-guess'));
  const secret = await enrolTotp(frontend, user.token);
  const app = authenticator(secret);
  const token = await passwordSession(frontend, user.email, user.password);
  const flow = await aal2Flow(frontend, token);
  return { user, app, token, flow, submit: submitter(frontend, token, flow, 'totp', 'totp_code') };
}

function submitter(frontend: FrontendApi, token: string, flow: LoginFlow, method: string, field: string) {
  return (secret: string, ip: string) =>
    frontend.updateLoginFlow(
      { flow: flow.id, xSessionToken: token, updateLoginFlowBody: { method, [field]: secret } as never },
      { headers: { 'X-Forwarded-For': ip } },
    );
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

describe('TOTP guessing', () => {
  it('refuses an identity from one address after 4 failures, even the right code, while another address signs in', async () => {
    const { app, token, submit } = await totpUser();
    const attacker = freshAddress();
    for (let i = 0; i < 4; i++) {
      const guess = await submit(wrongCode(app.next()), attacker);
      expect(guess.status).toBe(400);
      expect(uiMessageIds(bodyOf<LoginFlow>(guess))).toEqual([4000008]);
    }
    expectTooMany(await submit(app.next(), attacker));
    expect(await lastRefusal()).toMatchObject({ scope: 'identifier_address', method: 'totp' });
    expectError(await server.frontend.toSession({ xSessionToken: token }), 403, 'session_aal2_required');

    const owner = await submit(app.next(), freshAddress());
    expect(owner.status, JSON.stringify(owner.data)).toBe(200);
    expect(
      (await server.frontend.toSession({ xSessionToken: token })).data.authenticator_assurance_level,
    ).toBe('aal2');
  });

  it('stops a guesser spread over many addresses at the identity-wide ceiling', async () => {
    const { app, submit } = await totpUser();
    for (let i = 0; i < 3; i++) {
      const ip = freshAddress();
      for (let j = 0; j < 2; j++) expect((await submit(wrongCode(app.next()), ip)).status).toBe(400);
    }
    expectTooMany(await submit(app.next(), freshAddress()));
    expect(await lastRefusal()).toMatchObject({ scope: 'identifier', method: 'totp' });
  });

  it('a right code clears the streak, from that address and from everywhere', async () => {
    const { user, app, submit } = await totpUser();
    const home = freshAddress();
    for (let i = 0; i < 3; i++) expect((await submit(wrongCode(app.next()), home)).status).toBe(400);
    expect((await submit(app.next(), home)).status).toBe(200);

    const token = await passwordSession(server.frontend, user.email, user.password);
    const again = submitter(
      server.frontend,
      token,
      await aal2Flow(server.frontend, token),
      'totp',
      'totp_code',
    );
    // 3 + 4 would be over both the 4 per address and the 6 overall: both started over.
    for (let i = 0; i < 4; i++) expect((await again(wrongCode(app.now()), home)).status).toBe(400);
    expectTooMany(await again(wrongCode(app.now()), home));
  });
});

describe('backup code guessing', () => {
  it('is cut off per identity and address the same way, and the owner elsewhere still gets in', async () => {
    const { frontend } = server;
    const user = await registerWithApi(frontend, uniqueEmail('lookup-guess'));
    const { data: flow } = await frontend.createNativeSettingsFlow({ xSessionToken: user.token });
    const generated = await frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: user.token,
      updateSettingsFlowBody: { method: 'lookup_secret', lookup_secret_regenerate: true },
    });
    const codesNode = generated.data.ui.nodes.find(
      (n) => (n.attributes as { id?: string }).id === 'lookup_secret_codes',
    )!;
    const codes = (
      codesNode.attributes as { text: { context: { secrets: { text: string }[] } } }
    ).text.context.secrets.map((s) => s.text);
    const confirmed = await frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: user.token,
      updateSettingsFlowBody: { method: 'lookup_secret', lookup_secret_confirm: true },
    });
    expect(confirmed.status).toBe(200);

    const token = await passwordSession(frontend, user.email, user.password);
    const submit = submitter(
      frontend,
      token,
      await aal2Flow(frontend, token),
      'lookup_secret',
      'lookup_secret',
    );
    const attacker = freshAddress();
    for (let i = 0; i < 4; i++) expect((await submit(`guess${i}xx`, attacker)).status).toBe(400);
    expectTooMany(await submit(codes[0]!, attacker));
    expect(await lastRefusal()).toMatchObject({ scope: 'identifier_address', method: 'lookup_secret' });
    expect((await submit(codes[0]!, freshAddress())).status).toBe(200);
  });
});

describe('one address guessing with every method', () => {
  it('shares its 8 failures between passwords and second factors', async () => {
    const { app, submit } = await totpUser();
    const sprayer = freshAddress();
    for (let i = 0; i < 6; i++) {
      const login = await loginWithApi(server.frontend, uniqueEmail('nobody'), 'Wrong-Guess-1', {
        headers: { 'X-Forwarded-For': sprayer },
      });
      expect(login.status).toBe(400);
    }
    for (let i = 0; i < 2; i++) expect((await submit(wrongCode(app.next()), sprayer)).status).toBe(400);
    expectTooMany(await submit(app.next(), sprayer));
    expect(await lastRefusal()).toMatchObject({ scope: 'address', method: 'totp', client_ip: sprayer });
  });
});
