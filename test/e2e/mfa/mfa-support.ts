import type { FrontendApi, LoginFlow, SettingsFlow, UiNodeTextAttributes } from '@ory/kratos-client';
import * as OTPAuth from 'otpauth';
import { expect } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { loginWithApi, type FlowServer } from '../../support/self-service.js';
import { settingsFlowOf, startSettingsServer } from '../settings/settings-support.js';

export const MFA_ENV = {
  SELFSERVICE_METHODS_TOTP_ENABLED: 'true',
  SELFSERVICE_METHODS_TOTP_CONFIG_ISSUER: 'Tessera E2E',
  SELFSERVICE_METHODS_LOOKUP_SECRET_ENABLED: 'true',
  SECRETS_CIPHER: '["e2e-cipher-secret-0123456789abcd"]',
};

export function startMfaServer(env: Record<string, string> = {}): Promise<FlowServer> {
  return startSettingsServer({ ...MFA_ENV, ...env });
}

/** The authenticator app of the test: codes computed by the independent otpauth package. */
export function authenticator(secret: string) {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) });
  return {
    now: () => totp.generate(),
    /** The code of the step after the current one: accepted (±1 step), but not spent yet. */
    next: () => totp.generate({ timestamp: Date.now() + 30_000 }),
  };
}

export function textNode(flow: SettingsFlow | LoginFlow, id: string): UiNodeTextAttributes {
  const node = flow.ui.nodes.find((n) => (n.attributes as { id?: string }).id === id);
  expect(node, `node ${id}`).toBeDefined();
  return node!.attributes as UiNodeTextAttributes;
}

export const nodeNames = (flow: SettingsFlow | LoginFlow, group: string) =>
  flow.ui.nodes
    .filter((n) => n.group === group)
    .map((n) => (n.attributes as { name?: string; id?: string }).name ?? (n.attributes as { id: string }).id);

/** Links an authenticator app through a native settings flow; returns its secret. */
export async function enrolTotp(frontend: FrontendApi, token: string): Promise<string> {
  const { data } = await frontend.createNativeSettingsFlow({ xSessionToken: token });
  const flow = settingsFlowOf(data);
  const secret = String((textNode(flow, 'totp_secret_key').text.context as { secret: string }).secret);
  const response = await frontend.updateSettingsFlow({
    flow: flow.id,
    xSessionToken: token,
    updateSettingsFlowBody: { method: 'totp', totp_code: authenticator(secret).now() },
  });
  expect(response.status, JSON.stringify(response.data)).toBe(200);
  return secret;
}

/** A fresh aal1 session of an existing user (password only). */
export async function passwordSession(
  frontend: FrontendApi,
  email: string,
  password: string,
): Promise<string> {
  const response = await loginWithApi(frontend, email, password);
  expect(response.status, JSON.stringify(response.data)).toBe(200);
  return (response.data as { session_token: string }).session_token;
}

/** An aal2 login flow for a session token: the identity's second factors. */
export async function aal2Flow(frontend: FrontendApi, token: string): Promise<LoginFlow> {
  const response = await frontend.createNativeLoginFlow({ aal: 'aal2', xSessionToken: token });
  expect(response.status, JSON.stringify(response.data)).toBe(200);
  assertMatchesContract('loginFlow', response.data);
  return response.data;
}
