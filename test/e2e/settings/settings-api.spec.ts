import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyOf,
  expectError,
  GOOD_PASSWORD,
  loginWithApi,
  nodeMessages,
  nodeValue,
  registerWithApi,
  uiMessageIds,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';
import { settingsFlowOf, startSettingsServer } from './settings-support.js';

// A native app changing its user's profile and password: API flows with the session token.

let server: FlowServer;

beforeAll(async () => {
  server = await startSettingsServer({
    SELFSERVICE_FLOWS_SETTINGS_AFTER_PASSWORD_HOOKS: JSON.stringify([{ hook: 'revoke_active_sessions' }]),
  });
});

afterAll(async () => {
  await server?.stop();
});

describe('settings through an API flow', () => {
  it('needs a session token to start', async () => {
    const response = await server.frontend.createNativeSettingsFlow();
    expectError(response, 401, 'session_inactive');
    const bad = await server.frontend.createNativeSettingsFlow({ xSessionToken: 'ory_st_nonsense' });
    expectError(bad, 401, 'session_inactive');
  });

  it('shows the profile prefilled and the password form, and saves a profile change', async () => {
    const user = await registerWithApi(server.frontend, uniqueEmail('profile'));
    const created = await server.frontend.createNativeSettingsFlow({ xSessionToken: user.token });
    expect(created.status, JSON.stringify(created.data)).toBe(200);
    const flow = settingsFlowOf(created.data);
    expect(flow.type).toBe('api');
    expect(flow.state).toBe('show_form');
    expect(flow.identity.id).toBe(user.identity.id);
    expect(nodeValue(flow, 'traits.email')).toBe(user.email);
    expect(flow.ui.nodes.map((n) => [n.group, (n.attributes as { name: string }).name])).toEqual(
      expect.arrayContaining([
        ['default', 'csrf_token'],
        ['profile', 'traits.email'],
        ['profile', 'method'],
        ['password', 'password'],
        ['password', 'method'],
      ]),
    );

    const response = await server.frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: user.token,
      updateSettingsFlowBody: {
        method: 'profile',
        traits: { email: user.email, name: { first: 'Grace', last: 'Hopper' } },
      },
    });
    expect(response.status, JSON.stringify(response.data)).toBe(200);
    const saved = settingsFlowOf(response.data);
    expect(saved.state).toBe('success');
    expect(saved.ui.messages).toEqual([
      { id: 1050001, text: 'Your changes have been saved!', type: 'success' },
    ]);
    expect(saved.identity.traits).toEqual({ email: user.email, name: { first: 'Grace', last: 'Hopper' } });
    expect(nodeValue(saved, 'traits.name.first')).toBe('Grace');

    const whoami = await server.frontend.toSession({ xSessionToken: user.token });
    expect(whoami.data.identity?.traits).toEqual(saved.identity.traits);

    const read = await server.frontend.getSettingsFlow({ id: flow.id, xSessionToken: user.token });
    expect(read.status).toBe(200);
    expect(settingsFlowOf(read.data).state).toBe('success');
  });

  it('answers invalid traits with per-field messages and keeps what was typed', async () => {
    const user = await registerWithApi(server.frontend, uniqueEmail('invalid'));
    const { data: flow } = await server.frontend.createNativeSettingsFlow({ xSessionToken: user.token });
    const response = await server.frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: user.token,
      updateSettingsFlowBody: { method: 'profile', traits: { email: 'not-an-email' } },
    });
    expect(response.status).toBe(400);
    const shown = settingsFlowOf(response.data);
    expect(shown.state).toBe('show_form');
    expect(nodeMessages(shown, 'traits.email').map((m) => m.id)).toEqual([4000040]);
    expect(nodeValue(shown, 'traits.email')).toBe('not-an-email');
    const whoami = await server.frontend.toSession({ xSessionToken: user.token });
    expect(whoami.data.identity?.traits).toEqual(user.identity.traits);
  });

  it('changes the password: the old one stops working, the new one signs in', async () => {
    const user = await registerWithApi(server.frontend, uniqueEmail('password'));
    const { data: flow } = await server.frontend.createNativeSettingsFlow({ xSessionToken: user.token });
    const fresh = 'Velvet-Harbor-Compass-58';
    const response = await server.frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: user.token,
      updateSettingsFlowBody: { method: 'password', password: fresh },
    });
    expect(response.status, JSON.stringify(response.data)).toBe(200);
    const saved = settingsFlowOf(response.data);
    expect(saved.state).toBe('success');
    expect(saved.active).toBe('password');
    expect(JSON.stringify(saved)).not.toContain(fresh);
    expect((await loginWithApi(server.frontend, user.email, GOOD_PASSWORD)).status).toBe(400);
    expect((await loginWithApi(server.frontend, user.email, fresh)).status).toBe(200);
  });

  it('refuses the current password (4000039), a short one and a breached one, as messages', async () => {
    const user = await registerWithApi(server.frontend, uniqueEmail('policy'));
    const { data: flow } = await server.frontend.createNativeSettingsFlow({ xSessionToken: user.token });
    const submit = (password: string) =>
      server.frontend.updateSettingsFlow({
        flow: flow.id,
        xSessionToken: user.token,
        updateSettingsFlowBody: { method: 'password', password },
      });
    for (const [password, id] of [
      [GOOD_PASSWORD, 4000039],
      ['short', 4000032],
      ['Sunflower-Breach-2019', 4000034],
    ] as const) {
      const response = await submit(password);
      expect(response.status, password).toBe(400);
      const shown = settingsFlowOf(response.data);
      expect(nodeMessages(shown, 'password').map((m) => m.id)).toEqual([id]);
      expect(shown.state).toBe('show_form');
    }
    expect((await loginWithApi(server.frontend, user.email, GOOD_PASSWORD)).status).toBe(200);
  });

  it('answers a submission without a method with 4010004', async () => {
    const user = await registerWithApi(server.frontend, uniqueEmail('nomethod'));
    const { data: flow } = await server.frontend.createNativeSettingsFlow({ xSessionToken: user.token });
    const response = await server.frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: user.token,
      updateSettingsFlowBody: { method: 'nonsense' } as never,
    });
    expect(response.status).toBe(400);
    expect(uiMessageIds(settingsFlowOf(response.data))).toEqual([4010004]);
  });

  it('lets only the identity the flow belongs to read or submit it', async () => {
    const owner = await registerWithApi(server.frontend, uniqueEmail('owner'));
    const other = await registerWithApi(server.frontend, uniqueEmail('other'));
    const { data: flow } = await server.frontend.createNativeSettingsFlow({ xSessionToken: owner.token });
    expectError(
      await server.frontend.getSettingsFlow({ id: flow.id, xSessionToken: other.token }),
      403,
      'security_identity_mismatch',
    );
    const submitted = await server.frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: other.token,
      updateSettingsFlowBody: { method: 'profile', traits: { email: other.email } },
    });
    expectError(submitted, 403, 'security_identity_mismatch');
    const anonymous = await server.frontend.getSettingsFlow({ id: flow.id });
    expectError(anonymous, 401);
    const noSession = await server.frontend.updateSettingsFlow({
      flow: flow.id,
      updateSettingsFlowBody: { method: 'profile', traits: { email: owner.email } },
    });
    expectError(noSession, 401);
    const whoami = await server.frontend.toSession({ xSessionToken: owner.token });
    expect(whoami.data.identity?.traits).toEqual(owner.identity.traits);
  });

  it('answers an unknown flow with 404', async () => {
    const user = await registerWithApi(server.frontend, uniqueEmail('unknown'));
    const response = await server.frontend.getSettingsFlow({
      id: '00000000-0000-4000-8000-000000000000',
      xSessionToken: user.token,
    });
    expectError(response, 404);
    expect(bodyOf(response)).toBeTruthy();
  });
});

describe('what a change does to sign-in and addresses', () => {
  it('ends the other sessions after a password change (revoke_active_sessions), not after a profile change', async () => {
    const user = await registerWithApi(server.frontend, uniqueEmail('revoke'));
    const elsewhere = await loginWithApi(server.frontend, user.email, user.password);
    const otherToken = bodyOf<{ session_token: string }>(elsewhere).session_token;
    const whoami = (token: string) => server.frontend.toSession({ xSessionToken: token });

    const { data: flow } = await server.frontend.createNativeSettingsFlow({ xSessionToken: user.token });
    const renamed = await server.frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: user.token,
      updateSettingsFlowBody: { method: 'profile', traits: { email: user.email, name: { first: 'Rene' } } },
    });
    expect(renamed.status).toBe(200);
    expect((await whoami(otherToken)).status).toBe(200);

    const changed = await server.frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: user.token,
      updateSettingsFlowBody: { method: 'password', password: 'Granite-Willow-Beacon-36' },
    });
    expect(changed.status, JSON.stringify(changed.data)).toBe(200);
    expect((await whoami(otherToken)).status).toBe(401);
    expect((await whoami(user.token)).status).toBe(200);
  });

  it('moves sign-in to a new e-mail address, which starts unverified', async () => {
    const email = uniqueEmail('verified');
    const created = await server.identities.createIdentity({
      createIdentityBody: {
        schema_id: 'default',
        traits: { email },
        credentials: { password: { config: { password: GOOD_PASSWORD } } },
        verifiable_addresses: [{ value: email, via: 'email', verified: true, status: 'completed' }],
      },
    });
    expect(created.status, JSON.stringify(created.data)).toBe(201);
    const login = await loginWithApi(server.frontend, email, GOOD_PASSWORD);
    const token = bodyOf<{ session_token: string }>(login).session_token;
    const { data: flow } = await server.frontend.createNativeSettingsFlow({ xSessionToken: token });

    const renamed = await server.frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: token,
      updateSettingsFlowBody: { method: 'profile', traits: { email, name: { first: 'Mae' } } },
    });
    expect(settingsFlowOf(renamed.data).identity.verifiable_addresses).toEqual([
      expect.objectContaining({ value: email, verified: true, status: 'completed' }),
    ]);

    const moved = uniqueEmail('moved');
    const response = await server.frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: token,
      updateSettingsFlowBody: { method: 'profile', traits: { email: moved } },
    });
    expect(response.status, JSON.stringify(response.data)).toBe(200);
    expect(settingsFlowOf(response.data).identity.verifiable_addresses).toEqual([
      expect.objectContaining({ value: moved, verified: false, status: 'pending' }),
    ]);
    expect((await loginWithApi(server.frontend, moved, GOOD_PASSWORD)).status).toBe(200);
    expect((await loginWithApi(server.frontend, email, GOOD_PASSWORD)).status).toBe(400);
  });

  it('refuses an address another identity signs in with (4000007)', async () => {
    const taken = await registerWithApi(server.frontend, uniqueEmail('taken'));
    const user = await registerWithApi(server.frontend, uniqueEmail('taker'));
    const { data: flow } = await server.frontend.createNativeSettingsFlow({ xSessionToken: user.token });
    const response = await server.frontend.updateSettingsFlow({
      flow: flow.id,
      xSessionToken: user.token,
      updateSettingsFlowBody: { method: 'profile', traits: { email: taken.email } },
    });
    expect(response.status).toBe(400);
    expect(uiMessageIds(settingsFlowOf(response.data))).toEqual([4000007]);
    expect((await loginWithApi(server.frontend, taken.email, GOOD_PASSWORD)).status).toBe(200);
  });
});
