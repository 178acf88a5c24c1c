import type { LoginFlow, Session, SuccessfulNativeLogin } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import {
  assertSuccessfulNativeLogin,
  bodyOf,
  expectError,
  GOOD_PASSWORD,
  loginWithApi,
  nodeMessages,
  nodeNamed,
  nodeValue,
  registerWithApi,
  startFlowServer,
  uiMessageIds,
  uniqueEmail,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';

// A native app (mobile, CLI): API flows, no cookies, a session token instead.

let server: FlowServer;
let user: Registered;

beforeAll(async () => {
  server = await startFlowServer();
  user = await registerWithApi(server.frontend, uniqueEmail('api-user'));
});

afterAll(async () => {
  await server?.stop();
});

describe('registration through an API flow', () => {
  it('creates the identity and hands out a session token that whoami accepts', async () => {
    const { frontend } = server;
    const email = uniqueEmail('native');
    const { data: flow, status: initStatus } = await frontend.createNativeRegistrationFlow();
    expect(initStatus).toBe(200);
    assertMatchesContract('registrationFlow', flow);
    expect(flow.type).toBe('api');
    expect(nodeValue(flow, 'csrf_token')).toBe('');

    const response = await frontend.updateRegistrationFlow({
      flow: flow.id,
      updateRegistrationFlowBody: {
        method: 'password',
        traits: { email, name: { first: 'Ada', last: 'Lovelace' } },
        password: GOOD_PASSWORD,
      },
    });
    expect(response.status, JSON.stringify(response.data)).toBe(200);
    assertMatchesContract('successfulNativeRegistration', response.data);
    const { identity, session, session_token, continue_with } = response.data;
    expect(identity.traits).toEqual({ email, name: { first: 'Ada', last: 'Lovelace' } });
    expect(session_token).toMatch(/^ory_st_[A-Za-z0-9]{32}$/);
    expect(session?.identity?.id).toBe(identity.id);
    expect(session?.authentication_methods).toEqual([
      expect.objectContaining({ method: 'password', aal: 'aal1' }),
    ]);
    expect(continue_with).toContainEqual({
      action: 'set_ory_session_token',
      ory_session_token: session_token,
    });
    expect(JSON.stringify(response.data)).not.toContain(GOOD_PASSWORD);

    const whoami = await frontend.toSession({ xSessionToken: session_token });
    expect(whoami.status).toBe(200);
    assertMatchesContract('session', whoami.data);
    expect(whoami.data.id).toBe(session!.id);
    expect(whoami.data.identity?.traits).toEqual(identity.traits);
    expect(whoami.headers['x-kratos-authenticated-identity-id']).toBe(identity.id);
  });
});

describe('login through an API flow', () => {
  it('signs in with the e-mail address typed in another case', async () => {
    const response = await loginWithApi(server.frontend, user.email.toUpperCase(), user.password);
    expect(response.status, JSON.stringify(response.data)).toBe(200);
    assertSuccessfulNativeLogin(response.data);
    const { session, session_token } = bodyOf<SuccessfulNativeLogin>(response);
    expect(session.identity?.id).toBe(user.identity.id);
    expect(session.active).toBe(true);
    expect(session.authenticator_assurance_level).toBe('aal1');
    expect(session_token).toMatch(/^ory_st_/);
    expect(JSON.stringify(response.data)).not.toContain(user.password);
  });

  it('answers a wrong password and an unknown account identically: 400, 4000006, identifier kept', async () => {
    const unknownEmail = uniqueEmail('nobody');
    const wrong = await loginWithApi(server.frontend, user.email, 'Not-The-Password-1');
    const unknown = await loginWithApi(server.frontend, unknownEmail, 'Not-The-Password-1');
    for (const [response, identifier] of [
      [wrong, user.email],
      [unknown, unknownEmail],
    ] as const) {
      expect(response.status).toBe(400);
      assertMatchesContract('loginFlow', response.data);
      const flow = bodyOf<LoginFlow>(response);
      expect(uiMessageIds(flow)).toEqual([4000006]);
      expect(flow.ui.messages![0]!.type).toBe('error');
      expect(nodeValue(flow, 'identifier')).toBe(identifier);
      expect(nodeValue(flow, 'password')).toBeUndefined();
      expect(JSON.stringify(flow)).not.toContain('Not-The-Password-1');
      expect(flow.active).toBe('password');
    }
    const shape = (response: typeof wrong) => {
      const flow = bodyOf<LoginFlow>(response);
      return {
        messages: flow.ui.messages,
        nodes: flow.ui.nodes.map((n) =>
          (n.attributes as { name?: string }).name === 'identifier'
            ? { ...n, attributes: { ...n.attributes, value: '<identifier>' } }
            : n,
        ),
      };
    };
    expect(shape(unknown)).toEqual(shape(wrong));
  });

  it('names each missing field with 4000002 on its node', async () => {
    const { data: flow } = await server.frontend.createNativeLoginFlow();
    const response = await server.frontend.updateLoginFlow({
      flow: flow.id,
      updateLoginFlowBody: { method: 'password' } as never,
    });
    expect(response.status).toBe(400);
    assertMatchesContract('loginFlow', response.data);
    const answered = bodyOf<LoginFlow>(response);
    expect(answered.id).toBe(flow.id);
    for (const name of ['identifier', 'password']) {
      expect(nodeMessages(answered, name)).toEqual([
        expect.objectContaining({ id: 4000002, type: 'error', context: { property: name } }),
      ]);
    }
    expect(nodeMessages(answered, 'method')).toEqual([]);
  });

  it('issues a new session with a new token on every login', async () => {
    const first = bodyOf<SuccessfulNativeLogin>(
      await loginWithApi(server.frontend, user.email, user.password),
    );
    const second = bodyOf<SuccessfulNativeLogin>(
      await loginWithApi(server.frontend, user.email, user.password),
    );
    expect(new Set([first.session.id, second.session.id, user.session.id]).size).toBe(3);
    expect(new Set([first.session_token, second.session_token, user.token]).size).toBe(3);
    for (const token of [first.session_token, second.session_token]) {
      expect((await server.frontend.toSession({ xSessionToken: token })).status).toBe(200);
    }
  });

  it('refuses an API flow submitted by a browser (Origin header or cookies) with 4000001', async () => {
    const browserish: Record<string, string>[] = [
      { Origin: 'https://app.example' },
      { Cookie: 'tracking=1' },
    ];
    for (const headers of browserish) {
      const response = await loginWithApi(server.frontend, user.email, user.password, { headers });
      expect(response.status, JSON.stringify(headers)).toBe(400);
      assertMatchesContract('loginFlow', response.data);
      const flow = bodyOf<LoginFlow>(response);
      expect(uiMessageIds(flow)).toEqual([4000001]);
      expect(flow.ui.messages![0]!.context).toEqual({ reason: flow.ui.messages![0]!.text });
      expect(response.data).not.toHaveProperty('session_token');
    }
    const { data: flow } = await server.frontend.createNativeRegistrationFlow();
    const registration = await server.frontend.updateRegistrationFlow(
      {
        flow: flow.id,
        updateRegistrationFlowBody: {
          method: 'password',
          traits: { email: uniqueEmail('origin') },
          password: GOOD_PASSWORD,
        },
      },
      { headers: { Origin: 'https://app.example' } },
    );
    expect(registration.status).toBe(400);
    assertMatchesContract('registrationFlow', registration.data);
    expect(uiMessageIds(bodyOf(registration))).toEqual([4000001]);
  });

  it('lets Cloudflare cookies through on an API flow', async () => {
    const response = await loginWithApi(server.frontend, user.email, user.password, {
      headers: { Cookie: '__cf_bm=abc; cf_clearance=def; _cfuvid=ghi' },
    });
    expect(response.status, JSON.stringify(response.data)).toBe(200);
  });
});

describe('the session token', () => {
  it('is accepted as X-Session-Token and as Authorization: Bearer', async () => {
    const viaHeader = await server.frontend.toSession({ xSessionToken: user.token });
    const viaBearer = await server.frontend.toSession(
      {},
      { headers: { Authorization: `Bearer ${user.token}` } },
    );
    for (const response of [viaHeader, viaBearer]) {
      expect(response.status).toBe(200);
      assertMatchesContract('session', response.data);
      expect(response.data.id).toBe(user.session.id);
    }
  });

  it('is refused when unknown, with a 401 envelope that carries no error id', async () => {
    for (const options of [
      { headers: { 'X-Session-Token': 'ory_st_unknownunknownunknownunknown1' } },
      { headers: { Authorization: 'Bearer ory_st_unknownunknownunknownunknown1' } },
      {},
    ]) {
      const response = await server.frontend.toSession({}, options);
      const envelope = expectError(response, 401);
      expect(envelope.error.id).toBeUndefined();
    }
  });

  it('stops working after performNativeLogout, which refuses it a second time', async () => {
    const { session_token, session } = bodyOf<SuccessfulNativeLogin>(
      await loginWithApi(server.frontend, user.email, user.password),
    );
    const logout = await server.frontend.performNativeLogout({
      performNativeLogoutBody: { session_token: session_token! },
    });
    expect(logout.status).toBe(204);
    expect(logout.data).toBeFalsy();
    expectError(await server.frontend.toSession({ xSessionToken: session_token }), 401);
    expectError(
      await server.frontend.performNativeLogout({
        performNativeLogoutBody: { session_token: session_token! },
      }),
      403,
    );
    const admin = await server.identities.getSession({ id: session.id });
    expect(bodyOf<Session>(admin).active).toBe(false);
    expect((await server.frontend.toSession({ xSessionToken: user.token })).status).toBe(200);
  });

  it('refuses a native logout without a token with 400', async () => {
    const response = await server.frontend.performNativeLogout({
      performNativeLogoutBody: {} as never,
    });
    expectError(response, 400);
  });
});

describe('a user who is already signed in', () => {
  it('cannot start another API login or registration: 400 session_already_available', async () => {
    expectError(
      await server.frontend.createNativeLoginFlow({ xSessionToken: user.token }),
      400,
      'session_already_available',
    );
    expectError(
      await server.frontend.createNativeRegistrationFlow({}, { headers: { 'X-Session-Token': user.token } }),
      400,
      'session_already_available',
    );
  });

  it('gets the flow back with 4000001 when submitting a login flow with a session token', async () => {
    const response = await loginWithApi(server.frontend, user.email, user.password, {
      sessionToken: user.token,
    });
    expect(response.status).toBe(400);
    assertMatchesContract('loginFlow', response.data);
    expect(uiMessageIds(bodyOf(response))).toEqual([4000001]);
    expect(response.data).not.toHaveProperty('session_token');
  });

  it('re-authenticates with refresh=true: same session, later authenticated_at, token still valid', async () => {
    const fresh = bodyOf<SuccessfulNativeLogin>(
      await loginWithApi(server.frontend, user.email, user.password),
    );
    const token = fresh.session_token!;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const init = await server.frontend.createNativeLoginFlow({ refresh: true, xSessionToken: token });
    expect(init.status).toBe(200);
    assertMatchesContract('loginFlow', init.data);
    expect(init.data.refresh).toBe(true);
    expect(uiMessageIds(init.data)).toEqual([1010003]);

    const response = await server.frontend.updateLoginFlow({
      flow: init.data.id,
      updateLoginFlowBody: { method: 'password', identifier: user.email, password: user.password },
      xSessionToken: token,
    });
    expect(response.status, JSON.stringify(response.data)).toBe(200);
    assertSuccessfulNativeLogin(response.data);
    const { session } = response.data;
    expect(session.id).toBe(fresh.session.id);
    expect(Date.parse(session.authenticated_at!)).toBeGreaterThan(
      Date.parse(fresh.session.authenticated_at!),
    );
    expect(session.authentication_methods).toHaveLength(2);
    const whoami = await server.frontend.toSession({ xSessionToken: token });
    expect(whoami.status).toBe(200);
    expect(whoami.data.authenticated_at).toBe(session.authenticated_at);
  });

  it('keeps handing a native app its session token after a refresh, as Kratos does', async () => {
    // Kratos answers a refresh with the session's (unchanged) token; apps store what they get.
    const fresh = bodyOf<SuccessfulNativeLogin>(
      await loginWithApi(server.frontend, user.email, user.password),
    );
    const init = await server.frontend.createNativeLoginFlow({
      refresh: true,
      xSessionToken: fresh.session_token,
    });
    const response = await server.frontend.updateLoginFlow({
      flow: init.data.id,
      updateLoginFlowBody: { method: 'password', identifier: user.email, password: user.password },
      xSessionToken: fresh.session_token,
    });
    expect(response.status).toBe(200);
    expect(response.data.session_token).toBe(fresh.session_token);
  });

  it('shows a refresh flow with the signed-in identifier pre-filled as a hidden input', async () => {
    // Kratos (§2.5): on refresh the identifier is a hidden input holding the session's identifier.
    const init = await server.frontend.createNativeLoginFlow({ refresh: true, xSessionToken: user.token });
    expect(init.status).toBe(200);
    const identifier = nodeNamed(init.data, 'identifier').attributes as { type: string; value?: unknown };
    expect(identifier.value).toBe(user.email);
    expect(identifier.type).toBe('hidden');
  });
});
