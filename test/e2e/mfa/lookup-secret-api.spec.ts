import type { LoginFlow, SettingsFlow, SuccessfulNativeLogin } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyOf,
  expectError,
  registerWithApi,
  uiMessageIds,
  uniqueEmail,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';
import { settingsFlowOf } from '../settings/settings-support.js';
import { aal2Flow, nodeNames, passwordSession, startMfaServer, textNode } from './mfa-support.js';

// Backup recovery codes: generated and confirmed in settings, each one good for one aal2 login.

let server: FlowServer;

beforeAll(async () => {
  server = await startMfaServer();
});

afterAll(async () => {
  await server?.stop();
});

async function settingsAction(
  user: { token: string },
  flow: SettingsFlow,
  action: 'regenerate' | 'confirm' | 'reveal' | 'disable',
) {
  return server.frontend.updateSettingsFlow({
    flow: flow.id,
    xSessionToken: user.token,
    updateSettingsFlowBody: { method: 'lookup_secret', [`lookup_secret_${action}`]: true },
  });
}

function codesOf(flow: SettingsFlow): { id: number; text: string }[] {
  const text = textNode(flow, 'lookup_secret_codes').text;
  expect(text.id).toBe(1050015);
  return (text.context as { secrets: { id: number; text: string }[] }).secrets;
}

async function loginWithCode(token: string, code: string) {
  return server.frontend.updateLoginFlow({
    flow: (await aal2Flow(server.frontend, token)).id,
    xSessionToken: token,
    updateLoginFlowBody: { method: 'lookup_secret', lookup_secret: code },
  });
}

describe('backup codes', () => {
  let user: Registered;
  let codes: string[];

  beforeAll(async () => {
    user = await registerWithApi(server.frontend, uniqueEmail('lookup'));
  });

  it('are generated, shown, and saved only on confirm', async () => {
    const { frontend } = server;
    const { data } = await frontend.createNativeSettingsFlow({ xSessionToken: user.token });
    const flow = settingsFlowOf(data);
    expect(nodeNames(flow, 'lookup_secret')).toEqual(['lookup_secret_regenerate']);

    const generated = await settingsAction(user, flow, 'regenerate');
    expect(generated.status, JSON.stringify(generated.data)).toBe(200);
    const shown = settingsFlowOf(generated.data);
    expect(shown.state).toBe('show_form');
    expect(nodeNames(shown, 'lookup_secret')).toEqual(['lookup_secret_codes', 'lookup_secret_confirm']);
    codes = codesOf(shown).map((s) => s.text);
    expect(codes).toHaveLength(12);
    for (const code of codes) expect(code).toMatch(/^[a-z0-9]{8}$/);
    expect(new Set(codes).size).toBe(12);
    // Not saved yet: whoami still takes the aal1 session.
    expect((await frontend.toSession({ xSessionToken: user.token })).status).toBe(200);

    const confirmed = await settingsAction(user, shown, 'confirm');
    expect(confirmed.status, JSON.stringify(confirmed.data)).toBe(200);
    const saved = settingsFlowOf(confirmed.data);
    expect(saved.state).toBe('success');
    expect(nodeNames(saved, 'lookup_secret')).toEqual(['lookup_secret_reveal', 'lookup_secret_disable']);
    // The codes just shown and saved count as this session's second factor.
    const me = await frontend.toSession({ xSessionToken: user.token });
    expect(me.status).toBe(200);
    expect(me.data.authenticator_assurance_level).toBe('aal2');
    expect(me.data.authentication_methods?.map((m) => m.method)).toEqual(['password', 'lookup_secret']);

    // The codes are exported (decrypted, as Kratos keeps them) only when lookup_secret is named.
    const plain = await server.identities.getIdentity({ id: user.identity.id, includeCredential: ['totp'] });
    expect(plain.data.credentials?.['lookup_secret']?.type).toBe('lookup_secret');
    expect(JSON.stringify(plain.data)).not.toContain(codes[0]);
    const admin = await server.identities.getIdentity({
      id: user.identity.id,
      includeCredential: ['lookup_secret'],
    });
    const config = admin.data.credentials?.['lookup_secret']?.config as {
      recovery_codes: { code: string; used_at?: string }[];
    };
    expect(config.recovery_codes.map((c) => c.code)).toEqual(codes);
    expect(config.recovery_codes.every((c) => c.used_at === undefined)).toBe(true);
  });

  it('step a session up once each: reuse is 4000012, a wrong code 4000016', async () => {
    const aal1 = await passwordSession(server.frontend, user.email, user.password);
    expectError(await server.frontend.toSession({ xSessionToken: aal1 }), 403, 'session_aal2_required');
    const flow = await aal2Flow(server.frontend, aal1);
    expect(nodeNames(flow, 'lookup_secret')).toEqual(['lookup_secret', 'method']);

    const wrong = await loginWithCode(aal1, 'zzzzzzzz');
    expect(wrong.status).toBe(400);
    expect(uiMessageIds(bodyOf<LoginFlow>(wrong))).toEqual([4000016]);

    const ok = await loginWithCode(aal1, codes[0]!.toUpperCase());
    expect(ok.status, JSON.stringify(ok.data)).toBe(200);
    const { session } = ok.data as SuccessfulNativeLogin;
    expect(session.authenticator_assurance_level).toBe('aal2');
    expect(session.authentication_methods?.map((m) => m.method)).toEqual(['password', 'lookup_secret']);

    const other = await passwordSession(server.frontend, user.email, user.password);
    const reused = await loginWithCode(other, codes[0]!);
    expect(reused.status).toBe(400);
    expect(uiMessageIds(bodyOf<LoginFlow>(reused))).toEqual([4000012]);
  });

  it('one code used by concurrent requests gets in once', async () => {
    const tokens = await Promise.all(
      [1, 2, 3].map(() => passwordSession(server.frontend, user.email, user.password)),
    );
    const results = await Promise.all(tokens.map((token) => loginWithCode(token, codes[1]!)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
    const refused = results.filter((r) => r.status === 400);
    for (const r of refused) expect(uiMessageIds(bodyOf<LoginFlow>(r))).toEqual([4000012]);
  });

  it('are revealed with the used ones marked, and can be disabled', async () => {
    const { frontend } = server;
    const aal2 = await passwordSession(frontend, user.email, user.password);
    expect((await loginWithCode(aal2, codes[2]!)).status).toBe(200);
    const { data } = await frontend.createNativeSettingsFlow({ xSessionToken: aal2 });
    const flow = settingsFlowOf(data);
    const revealed = await settingsAction({ token: aal2 }, flow, 'reveal');
    expect(revealed.status, JSON.stringify(revealed.data)).toBe(200);
    // Kratos' order after a reveal: the codes, then disable, then regenerate.
    expect(nodeNames(settingsFlowOf(revealed.data), 'lookup_secret')).toEqual([
      'lookup_secret_codes',
      'lookup_secret_disable',
      'lookup_secret_regenerate',
    ]);
    const secrets = codesOf(settingsFlowOf(revealed.data));
    expect(secrets.slice(0, 3).map((s) => s.id)).toEqual([1050014, 1050014, 1050014]);
    expect(secrets.slice(3).map((s) => s.text)).toEqual(codes.slice(3));

    const disabled = await settingsAction({ token: aal2 }, settingsFlowOf(revealed.data), 'disable');
    expect(disabled.status, JSON.stringify(disabled.data)).toBe(200);
    expect(nodeNames(settingsFlowOf(disabled.data), 'lookup_secret')).toEqual(['lookup_secret_regenerate']);
    const later = await passwordSession(frontend, user.email, user.password);
    expect((await frontend.toSession({ xSessionToken: later })).status).toBe(200);
  });
});
