import type { LoginFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectError,
  registerWithApi,
  sleep,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';
import {
  aal2Flow,
  authenticator,
  enrolTotp,
  nodeNames,
  passwordSession,
  startMfaServer,
} from './mfa-support.js';

// An aal2 login flow that expired is replaced by one that still asks for the second factor.

let server: FlowServer;

beforeAll(async () => {
  server = await startMfaServer({ SELFSERVICE_FLOWS_LOGIN_LIFESPAN: '3s' });
});

afterAll(async () => {
  await server?.stop();
});

describe('an expired aal2 flow', () => {
  it('is replaced by a flow with the authenticator, on which the step-up succeeds', async () => {
    const { frontend } = server;
    const user = await registerWithApi(frontend, uniqueEmail('totp-expiry'));
    const secret = await enrolTotp(frontend, user.token);
    const token = await passwordSession(frontend, user.email, user.password);
    const flow = await aal2Flow(frontend, token);
    await sleep(3200);
    const expired = await frontend.updateLoginFlow({
      flow: flow.id,
      xSessionToken: token,
      updateLoginFlowBody: { method: 'totp', totp_code: authenticator(secret).next() },
    });
    const error = expectError(expired, 410, 'self_service_flow_expired');
    const replacement = await frontend.getLoginFlow({ id: String(error['use_flow_id']) });
    expect(replacement.status).toBe(200);
    const fresh = replacement.data as LoginFlow;
    expect(fresh.requested_aal).toBe('aal2');
    expect(nodeNames(fresh, 'totp')).toEqual(['totp_code', 'method']);
    const done = await frontend.updateLoginFlow({
      flow: fresh.id,
      xSessionToken: token,
      updateLoginFlowBody: { method: 'totp', totp_code: authenticator(secret).next() },
    });
    expect(done.status, JSON.stringify(done.data)).toBe(200);
  });
});
