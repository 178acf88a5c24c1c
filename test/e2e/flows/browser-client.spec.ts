import type { LoginFlow, LogoutFlow, RegistrationFlow, Session } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { CookieJar, setCookieLines } from '../../support/cookie-jar.js';
import {
  browserWithSession,
  csrfTokenOf,
  DEFAULT_RETURN_URL,
  expectError,
  fetchFlow,
  GOOD_PASSWORD,
  initBrowserFlow,
  LOGIN_UI,
  nodeMessages,
  nodeValue,
  postForm,
  REGISTRATION_UI,
  registerWithApi,
  startFlowServer,
  uiMessageIds,
  uniqueEmail,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';

// A server-rendered UI: the browser follows 303s and posts HTML forms, cookies carry the state.

const SESSION_COOKIE = 'ory_kratos_session';

let server: FlowServer;
let user: Registered;

beforeAll(async () => {
  // These tests are about the one-step form; profile_first has its own spec (registration-profile-first).
  server = await startFlowServer({ SELFSERVICE_FLOWS_REGISTRATION_STYLE: 'unified' });
  user = await registerWithApi(server.frontend, uniqueEmail('form-user'));
});

afterAll(async () => {
  await server?.stop();
});

function csrfCookieName(jar: CookieJar): string {
  const name = jar.names().find((n) => n.startsWith('csrf_token_'));
  if (!name) throw new Error(`no CSRF cookie in ${jar.names().join(', ')}`);
  return name;
}

async function whoami(jar: CookieJar) {
  const response = await jar.fetch(`${server.publicUrl}/sessions/whoami`, {
    headers: { Accept: 'application/json' },
  });
  return { status: response.status, data: (await response.json()) as unknown };
}

async function loginFlowOf(jar: CookieJar, id: string): Promise<LoginFlow> {
  const { response, body } = await fetchFlow(jar, server.publicUrl, 'login', id);
  expect(response.status).toBe(200);
  assertMatchesContract('loginFlow', body);
  return body as unknown as LoginFlow;
}

describe('a browser signing in through the HTML form', () => {
  it('is sent to the login UI with a flow id and gets the CSRF cookie', async () => {
    const jar = new CookieJar();
    const { response, flowId } = await initBrowserFlow(jar, server.publicUrl, 'login');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${LOGIN_UI}?flow=${flowId}`);
    const name = csrfCookieName(jar);
    expect(name).toMatch(/^csrf_token_[0-9a-f]{64}$/);
    const cookie = jar.lastSetCookie(name)!;
    expect(cookie.attributes).toMatchObject({ httponly: true, samesite: 'Lax', path: '/' });
    expect(cookie.attributes).not.toHaveProperty('secure');
    expect(Number(cookie.attributes['max-age'])).toBeGreaterThan(30 * 24 * 3600);

    const flow = await loginFlowOf(jar, flowId);
    expect(flow).toMatchObject({
      id: flowId,
      type: 'browser',
      refresh: false,
      requested_aal: 'aal1',
      state: 'choose_method',
      request_url: `${server.publicUrl}/self-service/login/browser`,
      ui: { action: `${server.publicUrl}/self-service/login?flow=${flowId}`, method: 'POST' },
    });
    expect(csrfTokenOf(flow)).not.toBe('');
    expect(csrfTokenOf(flow)).not.toContain(jar.get(name));
  });

  it('keeps its CSRF cookie across flows instead of getting a new one each time', async () => {
    const jar = new CookieJar();
    await initBrowserFlow(jar, server.publicUrl, 'login');
    const first = jar.get(csrfCookieName(jar));
    const setCookies = jar.received.length;
    await initBrowserFlow(jar, server.publicUrl, 'registration');
    expect(jar.get(csrfCookieName(jar))).toBe(first);
    expect(jar.received).toHaveLength(setCookies);
  });

  it('posts the form and lands on the return URL with an HttpOnly, SameSite=Lax session cookie', async () => {
    const jar = new CookieJar();
    const { flowId } = await initBrowserFlow(jar, server.publicUrl, 'login');
    const flow = await loginFlowOf(jar, flowId);
    const response = await postForm(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'password',
      identifier: user.email,
      password: user.password,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(DEFAULT_RETURN_URL);
    expect(await response.text()).toBe('');
    const cookie = jar.lastSetCookie(SESSION_COOKIE)!;
    expect(cookie.value).not.toBe('');
    expect(cookie.attributes).toMatchObject({ httponly: true, samesite: 'Lax', path: '/' });
    expect(cookie.attributes).not.toHaveProperty('secure');
    expect(Number(cookie.attributes['max-age'])).toBeGreaterThan(23 * 3600);

    const session = await whoami(jar);
    expect(session.status).toBe(200);
    assertMatchesContract('session', session.data);
    expect((session.data as Session).identity?.id).toBe(user.identity.id);
  });

  it('goes back to the UI with the same flow, now carrying 4000006, after a wrong password', async () => {
    const jar = new CookieJar();
    const { flowId } = await initBrowserFlow(jar, server.publicUrl, 'login');
    const flow = await loginFlowOf(jar, flowId);
    const response = await postForm(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'password',
      identifier: user.email,
      password: 'Wrong-Password-99',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${LOGIN_UI}?flow=${flowId}`);
    expect(jar.get(SESSION_COOKIE)).toBeUndefined();

    const shown = await loginFlowOf(jar, flowId);
    expect(uiMessageIds(shown)).toEqual([4000006]);
    expect(nodeValue(shown, 'identifier')).toBe(user.email);
    expect(JSON.stringify(shown)).not.toContain('Wrong-Password-99');
    expect(shown.active).toBe('password');
    expect((await whoami(jar)).status).toBe(401);

    const retry = await postForm(jar, shown.ui.action, {
      csrf_token: csrfTokenOf(shown),
      method: 'password',
      identifier: user.email,
      password: user.password,
    });
    expect(retry.status).toBe(303);
    expect(retry.headers.get('location')).toBe(DEFAULT_RETURN_URL);
    expect((await whoami(jar)).status).toBe(200);
  });

  it('goes back to the UI with 4000002 on each empty field', async () => {
    const jar = new CookieJar();
    const { flowId } = await initBrowserFlow(jar, server.publicUrl, 'login');
    const flow = await loginFlowOf(jar, flowId);
    const response = await postForm(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'password',
      identifier: '',
      password: '',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${LOGIN_UI}?flow=${flowId}`);
    const shown = await loginFlowOf(jar, flowId);
    for (const name of ['identifier', 'password']) {
      expect(nodeMessages(shown, name).map((m) => m.id)).toEqual([4000002]);
    }
  });
});

describe('a browser signing up through the HTML form', () => {
  it('is signed in right away and sent to the return URL', async () => {
    const email = uniqueEmail('form-signup');
    const jar = new CookieJar();
    const { response: init, flowId } = await initBrowserFlow(jar, server.publicUrl, 'registration');
    expect(init.status).toBe(303);
    expect(init.headers.get('location')).toBe(`${REGISTRATION_UI}?flow=${flowId}`);
    const { body } = await fetchFlow(jar, server.publicUrl, 'registration', flowId);
    assertMatchesContract('registrationFlow', body);
    const flow = body as unknown as RegistrationFlow;

    const response = await postForm(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'password',
      'traits.email': email,
      'traits.name.first': 'Grace',
      password: GOOD_PASSWORD,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(DEFAULT_RETURN_URL);
    const session = await whoami(jar);
    expect(session.status).toBe(200);
    expect((session.data as Session).identity?.traits).toEqual({ email, name: { first: 'Grace' } });
  });

  it('sent again from a second tab once signed in, is sent to the return URL with a 302, as Kratos', async () => {
    const jar = new CookieJar();
    const tabs = [];
    for (const _ of [1, 2]) {
      const { flowId } = await initBrowserFlow(jar, server.publicUrl, 'registration');
      tabs.push(
        (await fetchFlow(jar, server.publicUrl, 'registration', flowId)).body as unknown as RegistrationFlow,
      );
    }
    const emails = [uniqueEmail('first-tab'), uniqueEmail('second-tab')];
    const fields = (flow: RegistrationFlow, email: string) => ({
      csrf_token: csrfTokenOf(flow),
      method: 'password',
      'traits.email': email,
      password: GOOD_PASSWORD,
    });
    expect((await postForm(jar, tabs[0]!.ui.action, fields(tabs[0]!, emails[0]!))).status).toBe(303);
    const again = await postForm(jar, tabs[1]!.ui.action, fields(tabs[1]!, emails[1]!));
    expect(again.status).toBe(302);
    expect(again.headers.get('location')).toBe(DEFAULT_RETURN_URL);
    for (const [email, count] of [
      [emails[0]!, 1],
      [emails[1]!, 0],
    ] as const) {
      const found = await fetch(
        `${server.adminUrl}/admin/identities?credentials_identifier=${encodeURIComponent(email)}`,
      );
      expect(((await found.json()) as unknown[]).length, email).toBe(count);
    }
  });

  it('goes back to the UI with the typed traits and the problem, but not the password', async () => {
    const jar = new CookieJar();
    const { flowId } = await initBrowserFlow(jar, server.publicUrl, 'registration');
    const { body } = await fetchFlow(jar, server.publicUrl, 'registration', flowId);
    const flow = body as unknown as RegistrationFlow;
    const response = await postForm(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'password',
      'traits.email': 'not-an-email',
      'traits.name.last': 'Hopper',
      password: 'Short1',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${REGISTRATION_UI}?flow=${flowId}`);
    expect(jar.get(SESSION_COOKIE)).toBeUndefined();
    const { response: again, body: shown } = await fetchFlow(jar, server.publicUrl, 'registration', flowId);
    expect(again.status).toBe(200);
    assertMatchesContract('registrationFlow', shown);
    const typed = shown as unknown as RegistrationFlow;
    expect(nodeValue(typed, 'traits.email')).toBe('not-an-email');
    expect(nodeValue(typed, 'traits.name.last')).toBe('Hopper');
    expect(nodeMessages(typed, 'traits.email').map((m) => m.id)).toEqual([4000040]);
    expect(nodeValue(typed, 'password')).toBeUndefined();
    expect(JSON.stringify(shown)).not.toContain('Short1');
  });
});

describe('a browser signing out', () => {
  it('gets a logout URL, follows it, loses the cookie and the session', async () => {
    const { jar } = await browserWithSession(server.publicUrl);
    const stolen = jar.copy();
    const init = await server.frontend.createBrowserLogoutFlow({ cookie: jar.header() });
    expect(init.status).toBe(200);
    assertMatchesContract('logoutFlow', init.data);
    const { logout_url, logout_token } = init.data as LogoutFlow;
    expect(logout_token).toMatch(/^ory_lo_[A-Za-z0-9]{32}$/);
    expect(logout_url).toBe(`${server.publicUrl}/self-service/logout?token=${logout_token}`);

    const response = await jar.fetch(logout_url, { headers: { Accept: 'text/html' } });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(DEFAULT_RETURN_URL);
    const cleared = jar.lastSetCookie(SESSION_COOKIE)!;
    expect(cleared.value).toBe('');
    expect(cleared.attributes['max-age']).toBe('0');
    expect(jar.get(SESSION_COOKIE)).toBeUndefined();
    expect(jar.get(csrfCookieName(jar))).not.toBe(stolen.get(csrfCookieName(stolen)));

    expectError(await whoami(jar), 401);
    expectError(await whoami(stolen), 401);
  });

  it('with a SPA: updateLogoutFlow answers 204 and honours an allowed return_to in the URL', async () => {
    const { jar } = await browserWithSession(server.publicUrl);
    const init = await server.frontend.createBrowserLogoutFlow({
      cookie: jar.header(),
      returnTo: 'https://app.example/ok/bye',
    });
    expect(init.status).toBe(200);
    expect(new URL(init.data.logout_url).searchParams.get('return_to')).toBe('https://app.example/ok/bye');
    const response = await server.frontend.updateLogoutFlow(
      { token: init.data.logout_token },
      { headers: { Cookie: jar.header() } },
    );
    expect(response.status).toBe(204);
    expectError(await whoami(jar), 401);
  });

  it('follows a logout URL with return_to to that address', async () => {
    const { jar } = await browserWithSession(server.publicUrl);
    const init = await server.frontend.createBrowserLogoutFlow({
      cookie: jar.header(),
      returnTo: 'https://app.example/ok/bye',
    });
    const response = await jar.fetch(init.data.logout_url, { headers: { Accept: 'text/html' } });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('https://app.example/ok/bye');
  });

  it('cannot get a logout URL without a session, nor log out with a wrong or missing token', async () => {
    expectError(
      await server.frontend.createBrowserLogoutFlow({ cookie: new CookieJar().header() }),
      401,
      'session_inactive',
    );
    const { jar } = await browserWithSession(server.publicUrl);
    const json = { headers: { Cookie: jar.header(), Accept: 'application/json' } };
    const wrong = await fetch(
      `${server.publicUrl}/self-service/logout?token=ory_lo_00000000000000000000000000000000`,
      json,
    );
    expectError(wrong, 403, undefined, await wrong.json());
    const missing = await fetch(`${server.publicUrl}/self-service/logout`, json);
    expectError(missing, 400, undefined, await missing.json());
    expect((await whoami(jar)).status).toBe(200);
  });
});

describe('a single-page app (fetch with Accept: application/json)', () => {
  it('creates the flow as JSON and sets the CSRF cookie', async () => {
    const jar = new CookieJar();
    const response = await jar.fetch(`${server.publicUrl}/self-service/login/browser`, {
      headers: { Accept: 'application/json' },
    });
    expect(response.status).toBe(200);
    const flow = (await response.json()) as LoginFlow;
    assertMatchesContract('loginFlow', flow);
    expect(flow.type).toBe('browser');
    expect(csrfCookieName(jar)).toBeTruthy();
  });

  it('signs in: 200 {session, continue_with: redirect_browser_to}, a cookie, and no token in the body', async () => {
    // The SDK as a SPA uses it: the browser's cookies travel with every call.
    const jar = new CookieJar();
    const init = await server.frontend.createBrowserLoginFlow({ cookie: jar.header() || undefined });
    expect(init.status).toBe(200);
    assertMatchesContract('loginFlow', init.data);
    jar.store(setCookieLines(init));
    expect(csrfCookieName(jar)).toBeTruthy();
    const spaFlow = init.data;

    const wrong = await server.frontend.updateLoginFlow({
      flow: spaFlow.id,
      cookie: jar.header(),
      updateLoginFlowBody: {
        method: 'password',
        csrf_token: csrfTokenOf(spaFlow),
        identifier: user.email,
        password: 'Wrong-Password-99',
      },
    });
    expect(wrong.status).toBe(400);
    assertMatchesContract('loginFlow', wrong.data);
    expect(uiMessageIds(wrong.data as unknown as LoginFlow)).toEqual([4000006]);

    const response = await server.frontend.updateLoginFlow({
      flow: spaFlow.id,
      cookie: jar.header(),
      updateLoginFlowBody: {
        method: 'password',
        csrf_token: csrfTokenOf(spaFlow),
        identifier: user.email,
        password: user.password,
      },
    });
    expect(response.status, JSON.stringify(response.data)).toBe(200);
    assertMatchesContract('successfulNativeLogin', response.data);
    expect(response.data).not.toHaveProperty('session_token');
    expect(response.data.continue_with).toEqual([
      { action: 'redirect_browser_to', redirect_browser_to: DEFAULT_RETURN_URL },
    ]);
    expect(response.data.session.identity?.id).toBe(user.identity.id);
    jar.store(setCookieLines(response));
    const cookie = jar.lastSetCookie(SESSION_COOKIE)!;
    expect(cookie.attributes).toMatchObject({ httponly: true, samesite: 'Lax' });

    const session = await server.frontend.toSession({ cookie: jar.header() });
    expect(session.status).toBe(200);
    expect(session.data.id).toBe(response.data.session.id);
  });

  it('signs up: 200 {identity, session, continue_with} and a cookie', async () => {
    const jar = new CookieJar();
    const init = await jar.fetch(`${server.publicUrl}/self-service/registration/browser`, {
      headers: { Accept: 'application/json' },
    });
    expect(init.status).toBe(200);
    const flow = (await init.json()) as RegistrationFlow;
    assertMatchesContract('registrationFlow', flow);
    const email = uniqueEmail('spa-signup');
    const response = await server.frontend.updateRegistrationFlow({
      flow: flow.id,
      cookie: jar.header(),
      updateRegistrationFlowBody: {
        method: 'password',
        csrf_token: csrfTokenOf(flow),
        traits: { email },
        password: GOOD_PASSWORD,
      },
    });
    expect(response.status, JSON.stringify(response.data)).toBe(200);
    assertMatchesContract('successfulNativeRegistration', response.data);
    expect(response.data).not.toHaveProperty('session_token');
    expect(response.data.identity.traits).toEqual({ email });
    expect(response.data.session?.identity?.id).toBe(response.data.identity.id);
    expect(response.data.continue_with).toContainEqual({
      action: 'redirect_browser_to',
      redirect_browser_to: DEFAULT_RETURN_URL,
    });
    jar.store(setCookieLines(response));
    expect(jar.get(SESSION_COOKIE)).toBeTruthy();
    expect((await whoami(jar)).status).toBe(200);
  });

  it('gets 400 with the flow for validation errors', async () => {
    const jar = new CookieJar();
    const init = await jar.fetch(`${server.publicUrl}/self-service/registration/browser`, {
      headers: { Accept: 'application/json' },
    });
    const flow = (await init.json()) as RegistrationFlow;
    const response = await server.frontend.updateRegistrationFlow({
      flow: flow.id,
      cookie: jar.header(),
      updateRegistrationFlowBody: {
        method: 'password',
        csrf_token: csrfTokenOf(flow),
        traits: { email: user.email },
        password: GOOD_PASSWORD,
      },
    });
    expect(response.status).toBe(400);
    assertMatchesContract('registrationFlow', response.data);
    expect(uiMessageIds(response.data as unknown as RegistrationFlow)).toEqual([4000007]);
    expect(response.headers['set-cookie'] ?? []).not.toContainEqual(
      expect.stringMatching(/^ory_kratos_session=/),
    );
  });
});
