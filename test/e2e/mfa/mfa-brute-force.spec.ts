import type { LoginFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyOf,
  expectError,
  registerWithApi,
  uiMessageIds,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';
import { aal2Flow, authenticator, enrolTotp, passwordSession, startMfaServer } from './mfa-support.js';

// Guessing second-factor codes is cut off per identity like password guessing: 429 + Retry-After.

let server: FlowServer;

beforeAll(async () => {
  server = await startMfaServer({
    SECURITY_BRUTE_FORCE_PER_IDENTIFIER_LIMIT: '4',
    SECURITY_BRUTE_FORCE_PER_IP_LIMIT: '1000',
  });
});

afterAll(async () => {
  await server?.stop();
});

const wrongCode = (right: string) => (right === '000000' ? '111111' : '000000');

describe('second-factor guessing', () => {
  it('TOTP: after the limit even the right code gets 429 with Retry-After', async () => {
    const { frontend } = server;
    const user = await registerWithApi(frontend, uniqueEmail('totp-guess'));
    const secret = await enrolTotp(frontend, user.token);
    const token = await passwordSession(frontend, user.email, user.password);
    const flow = await aal2Flow(frontend, token);
    const submit = (totp_code: string) =>
      frontend.updateLoginFlow({
        flow: flow.id,
        xSessionToken: token,
        updateLoginFlowBody: { method: 'totp', totp_code },
      });
    // Enrolment's successful check reset the identity's counter; four guesses are allowed.
    for (let i = 0; i < 4; i++) {
      const guess = await submit(wrongCode(authenticator(secret).next()));
      expect(guess.status).toBe(400);
      expect(uiMessageIds(bodyOf<LoginFlow>(guess))).toEqual([4000008]);
    }
    const blocked = await submit(authenticator(secret).next());
    expectError(blocked, 429, 'too_many_requests');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expectError(await frontend.toSession({ xSessionToken: token }), 403, 'session_aal2_required');
  });

  it('backup codes: guessing is cut off the same way', async () => {
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
    const login = await aal2Flow(frontend, token);
    const submit = (lookup_secret: string) =>
      frontend.updateLoginFlow({
        flow: login.id,
        xSessionToken: token,
        updateLoginFlowBody: { method: 'lookup_secret', lookup_secret },
      });
    for (let i = 0; i < 4; i++) expect((await submit(`guess${i}xx`)).status).toBe(400);
    const blocked = await submit(codes[0]!);
    expectError(blocked, 429, 'too_many_requests');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });
});
