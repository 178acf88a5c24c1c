import type { LoginFlow, Session, SettingsFlow, SuccessfulNativeLogin } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import {
  assertSuccessfulNativeLogin,
  bodyOf,
  expectError,
  loginWithApi,
  nodeMessages,
  registerWithApi,
  uiMessageIds,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';
import { settingsFlowOf } from '../settings/settings-support.js';
import {
  aal2Flow,
  authenticator,
  enrolTotp,
  nodeNames,
  passwordSession,
  startMfaServer,
  textNode,
} from './mfa-support.js';

// A native app links an authenticator app in settings, then steps its sessions up to aal2 with it.

let server: FlowServer;

beforeAll(async () => {
  server = await startMfaServer();
});

afterAll(async () => {
  await server?.stop();
});

describe('linking an authenticator app', () => {
  it('shows a QR code and the secret, refuses a wrong code, links with the right one', async () => {
    const { frontend, identities } = server;
    const user = await registerWithApi(frontend, uniqueEmail('totp-link'));
    const { data } = await frontend.createNativeSettingsFlow({ xSessionToken: user.token });
    const flow = settingsFlowOf(data);
    expect(nodeNames(flow, 'totp')).toEqual(['totp_qr', 'totp_secret_key', 'totp_code', 'method']);
    const qr = flow.ui.nodes.find((n) => (n.attributes as { id?: string }).id === 'totp_qr')!;
    expect(qr.attributes).toMatchObject({ node_type: 'img', width: 256, height: 256 });
    expect((qr.attributes as { src: string }).src).toMatch(/^data:image\/png;base64,/);
    expect(qr.meta.label?.id).toBe(1050005);
    const secretText = textNode(flow, 'totp_secret_key').text;
    expect(secretText.id).toBe(1050006);
    const secret = secretText.text;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    const wrong = await frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: user.token,
      updateSettingsFlowBody: {
        method: 'totp',
        totp_code: '000000' === authenticator(secret).now() ? '111111' : '000000',
      },
    });
    expect(wrong.status).toBe(400);
    const refused = settingsFlowOf(wrong.data);
    expect(nodeMessages(refused, 'totp_code').map((m) => m.id)).toEqual([4000008]);
    // The same seed stays on the flow, so the user can simply retry.
    expect(textNode(refused, 'totp_secret_key').text.text).toBe(secret);

    const right = await frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: user.token,
      updateSettingsFlowBody: { method: 'totp', totp_code: authenticator(secret).now() },
    });
    expect(right.status, JSON.stringify(right.data)).toBe(200);
    const saved = settingsFlowOf(right.data);
    expect(saved.state).toBe('success');
    expect(uiMessageIds(saved)).toContain(1050001);
    expect(nodeNames(saved, 'totp')).toEqual(['totp_unlink']);

    // The seed is exported (decrypted, as Kratos keeps it) only when totp is named.
    const plain = await identities.getIdentity({ id: user.identity.id, includeCredential: ['password'] });
    expect(plain.data.credentials?.['totp']?.type).toBe('totp');
    expect(JSON.stringify(plain.data)).not.toContain(secret);
    const admin = await identities.getIdentity({ id: user.identity.id, includeCredential: ['totp'] });
    const url = new URL((admin.data.credentials?.['totp']?.config as { totp_url: string }).totp_url);
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('secret')).toBe(secret);
  });
});

describe('stepping up to aal2', () => {
  let email: string;
  let password: string;
  let secret: string;
  let identityId: string;
  let enrolledWith: string;

  beforeAll(async () => {
    const user = await registerWithApi(server.frontend, uniqueEmail('totp-login'));
    ({ email, password } = user);
    identityId = user.identity.id;
    secret = await enrolTotp(server.frontend, user.token);
    enrolledWith = user.token;
  });

  it('the session that linked the app counts its code as the second factor', async () => {
    const { status, data } = await server.frontend.toSession({ xSessionToken: enrolledWith });
    expect(status).toBe(200);
    expect(data.authenticator_assurance_level).toBe('aal2');
    expect(data.authentication_methods?.map((m) => [m.method, m.aal])).toEqual([
      ['password', 'aal1'],
      ['totp', 'aal2'],
    ]);
  });

  it('a password login hands out the token but not the identity: the app must step up', async () => {
    const response = await loginWithApi(server.frontend, email, password);
    expect(response.status, JSON.stringify(response.data)).toBe(200);
    assertSuccessfulNativeLogin(response.data);
    const { session, session_token } = response.data as SuccessfulNativeLogin;
    expect(session_token).toMatch(/^ory_st_/);
    expect(session.authenticator_assurance_level).toBe('aal1');
    expect(session.identity).toBeUndefined();
  });

  it('whoami refuses an aal1 session of an identity with TOTP and says where to go', async () => {
    const token = await passwordSession(server.frontend, email, password);
    const response = await server.frontend.toSession({ xSessionToken: token });
    const error = expectError(response, 403, 'session_aal2_required');
    const target = new URL(String(error['redirect_browser_to']));
    expect(target.pathname).toBe('/self-service/login/browser');
    expect(target.searchParams.get('aal')).toBe('aal2');
    expect((error.error.details as { redirect_browser_to: string }).redirect_browser_to).toBe(target.href);
    const list = await server.frontend.listMySessions({ xSessionToken: token });
    expectError(list, 403, 'session_aal2_required');
  });

  it('offers only the authenticator on the aal2 flow, refuses a wrong code, then signs in at aal2', async () => {
    const { frontend } = server;
    const token = await passwordSession(frontend, email, password);
    const flow = await aal2Flow(frontend, token);
    expect(flow.requested_aal).toBe('aal2');
    expect(uiMessageIds(flow)).toEqual([1010004]);
    expect(flow.ui.nodes.map((n) => (n.attributes as { name?: string }).name)).toEqual([
      'csrf_token',
      'totp_code',
      'method',
    ]);
    const submit = flow.ui.nodes.find((n) => (n.attributes as { value?: string }).value === 'totp')!;
    expect(submit.meta.label?.id).toBe(1010009);

    // The current step was spent confirming the app in settings; the next one is accepted too.
    const code = authenticator(secret).next();
    const wrong = await frontend.updateLoginFlow({
      flow: flow.id,
      xSessionToken: token,
      updateLoginFlowBody: { method: 'totp', totp_code: code === '123456' ? '654321' : '123456' },
    });
    expect(wrong.status).toBe(400);
    assertMatchesContract('loginFlow', wrong.data);
    expect(uiMessageIds(bodyOf<LoginFlow>(wrong))).toEqual([4000008]);

    const right = await frontend.updateLoginFlow({
      flow: flow.id,
      xSessionToken: token,
      updateLoginFlowBody: { method: 'totp', totp_code: code },
    });
    expect(right.status, JSON.stringify(right.data)).toBe(200);
    assertSuccessfulNativeLogin(right.data);
    const { session, session_token } = right.data as SuccessfulNativeLogin;
    expect(session_token).toBe(token);
    expect(session.authenticator_assurance_level).toBe('aal2');
    expect(session.authentication_methods?.map((m) => [m.method, m.aal])).toEqual([
      ['password', 'aal1'],
      ['totp', 'aal2'],
    ]);
    const whoami = await frontend.toSession({ xSessionToken: token });
    expect(whoami.status).toBe(200);
    assertMatchesContract('session', whoami.data);
    expect((whoami.data as Session).identity?.id).toBe(identityId);
  });

  it('refuses the code that confirmed the app in settings', async () => {
    const token = await passwordSession(server.frontend, email, password);
    const replay = await server.frontend.updateLoginFlow({
      flow: (await aal2Flow(server.frontend, token)).id,
      xSessionToken: token,
      updateLoginFlowBody: { method: 'totp', totp_code: authenticator(secret).now() },
    });
    expect(replay.status).toBe(400);
    expect(uiMessageIds(bodyOf<LoginFlow>(replay))).toEqual([4000008]);
  });
});

describe('replay protection', () => {
  it('refuses a code that signed in once, even in another session', async () => {
    const { frontend } = server;
    const user = await registerWithApi(frontend, uniqueEmail('totp-replay'));
    const secret = await enrolTotp(frontend, user.token);
    const first = await passwordSession(frontend, user.email, user.password);
    const code = authenticator(secret).next();
    const used = await frontend.updateLoginFlow({
      flow: (await aal2Flow(frontend, first)).id,
      xSessionToken: first,
      updateLoginFlowBody: { method: 'totp', totp_code: code },
    });
    expect(used.status, JSON.stringify(used.data)).toBe(200);

    const second = await passwordSession(frontend, user.email, user.password);
    const replay = await frontend.updateLoginFlow({
      flow: (await aal2Flow(frontend, second)).id,
      xSessionToken: second,
      updateLoginFlowBody: { method: 'totp', totp_code: code },
    });
    expect(replay.status).toBe(400);
    expect(uiMessageIds(bodyOf<LoginFlow>(replay))).toEqual([4000008]);
    expectError(await frontend.toSession({ xSessionToken: second }), 403, 'session_aal2_required');
  });

  it('lets concurrent submissions of one code in exactly once', async () => {
    const { frontend } = server;
    const user = await registerWithApi(frontend, uniqueEmail('totp-race'));
    const secret = await enrolTotp(frontend, user.token);
    const tokens = await Promise.all(
      [1, 2, 3, 4].map(() => passwordSession(frontend, user.email, user.password)),
    );
    const flows = await Promise.all(tokens.map((t) => aal2Flow(frontend, t)));
    const code = authenticator(secret).next();
    const results = await Promise.all(
      flows.map((flow, i) =>
        frontend.updateLoginFlow({
          flow: flow.id,
          xSessionToken: tokens[i],
          updateLoginFlowBody: { method: 'totp', totp_code: code },
        }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400, 400]);
  });
});

describe('unlinking', () => {
  it('needs an aal2 session, then removes the app and whoami accepts aal1 again', async () => {
    const { frontend } = server;
    const user = await registerWithApi(frontend, uniqueEmail('totp-unlink'));
    const secret = await enrolTotp(frontend, user.token);

    const aal1 = await passwordSession(frontend, user.email, user.password);
    expectError(
      await frontend.createNativeSettingsFlow({ xSessionToken: aal1 }),
      403,
      'session_aal2_required',
    );

    const flow = await aal2Flow(frontend, aal1);
    const stepped = await frontend.updateLoginFlow({
      flow: flow.id,
      xSessionToken: aal1,
      updateLoginFlowBody: { method: 'totp', totp_code: authenticator(secret).next() },
    });
    expect(stepped.status, JSON.stringify(stepped.data)).toBe(200);
    const { data } = await frontend.createNativeSettingsFlow({ xSessionToken: aal1 });
    const settings = settingsFlowOf(data) as SettingsFlow;
    const unlinked = await frontend.updateSettingsFlow({
      flow: settings.id,
      xSessionToken: aal1,
      updateSettingsFlowBody: { method: 'totp', totp_unlink: true },
    });
    expect(unlinked.status, JSON.stringify(unlinked.data)).toBe(200);
    expect(nodeNames(settingsFlowOf(unlinked.data), 'totp')).toContain('totp_code');

    const later = await passwordSession(frontend, user.email, user.password);
    expect((await frontend.toSession({ xSessionToken: later })).status).toBe(200);
    const again = await frontend.createNativeLoginFlow({ aal: 'aal2', xSessionToken: later });
    expect(nodeNames(bodyOf<LoginFlow>(again), 'totp')).toEqual([]);
    const noDevice = await frontend.updateLoginFlow({
      flow: bodyOf<LoginFlow>(again).id,
      xSessionToken: later,
      updateLoginFlowBody: { method: 'totp', totp_code: authenticator(secret).now() },
    });
    expect(noDevice.status).toBe(400);
    expect(uiMessageIds(bodyOf<LoginFlow>(noDevice))).toEqual([4000011]);
  });
});
