import type { LoginFlow, Session } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  browserWithSession,
  csrfTokenOf,
  DEFAULT_RETURN_URL,
  ERROR_UI,
  expectError,
  fetchFlow,
  initBrowserFlow,
  LOGIN_UI,
  postForm,
  postJson,
  registerWithApi,
  REGISTRATION_UI,
  sleep,
  startFlowServer,
  uiMessageIds,
  uniqueEmail,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';

// Where a browser ends up: return_to rules, and what happens to someone already signed in.

const ALLOWED = 'https://app.example/ok/dashboard?tab=1';

const FORBIDDEN = [
  'https://evil.example',
  'https://evil.example/ok',
  '//evil.example',
  '/\\evil.example',
  'https://app.example.evil.example/ok',
  'https://evil.example\\@app.example/ok',
  'https://app.example@evil.example/ok',
  'https://app.example/ok/../x',
  'https://app.example/okay',
  'http://app.example/ok',
  'javascript:alert(document.cookie)',
  'data:text/html,<script>alert(1)</script>',
];

let server: FlowServer;
let user: Registered;

beforeAll(async () => {
  server = await startFlowServer();
  user = await registerWithApi(server.frontend, uniqueEmail('redirect-user'));
});

afterAll(async () => {
  await server?.stop();
});

async function signInWithForm(jar: CookieJar, flow: LoginFlow): Promise<Response> {
  return postForm(jar, flow.ui.action, {
    csrf_token: csrfTokenOf(flow),
    method: 'password',
    identifier: user.email,
    password: user.password,
  });
}

async function openLoginFlow(jar: CookieJar, query: Record<string, string> = {}) {
  const { response, flowId } = await initBrowserFlow(jar, server.publicUrl, 'login', query);
  const { body } = await fetchFlow(jar, server.publicUrl, 'login', flowId);
  return { response, flow: body as unknown as LoginFlow };
}

describe('an allowed return_to', () => {
  it('is stored on the flow and used after a form login', async () => {
    const jar = new CookieJar();
    const { response, flow } = await openLoginFlow(jar, { return_to: ALLOWED });
    expect(response.headers.get('location')).toBe(`${LOGIN_UI}?flow=${flow.id}`);
    assertMatchesContract('loginFlow', flow);
    expect(flow.return_to).toBe(ALLOWED);
    const login = await signInWithForm(jar, flow);
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe(ALLOWED);
  });

  it('is what a SPA is told to navigate to, and what an API flow keeps', async () => {
    const jar = new CookieJar();
    const init = await jar.fetch(
      `${server.publicUrl}/self-service/login/browser?return_to=${encodeURIComponent(ALLOWED)}`,
      { headers: { Accept: 'application/json' } },
    );
    const flow = (await init.json()) as LoginFlow;
    expect(flow.return_to).toBe(ALLOWED);
    const login = await postJson(jar, flow.ui.action, {
      method: 'password',
      csrf_token: csrfTokenOf(flow),
      identifier: user.email,
      password: user.password,
    });
    expect(login.status).toBe(200);
    expect(((await login.json()) as { continue_with: unknown }).continue_with).toEqual([
      { action: 'redirect_browser_to', redirect_browser_to: ALLOWED },
    ]);

    const api = await server.frontend.createNativeLoginFlow({ returnTo: ALLOWED });
    expect(api.status).toBe(200);
    expect(api.data.return_to).toBe(ALLOWED);
  });

  it('is used after a form registration', async () => {
    const jar = new CookieJar();
    const { flowId } = await initBrowserFlow(jar, server.publicUrl, 'registration', { return_to: ALLOWED });
    const { body } = await fetchFlow(jar, server.publicUrl, 'registration', flowId);
    expect(body['return_to']).toBe(ALLOWED);
    const response = await postForm(jar, `${server.publicUrl}/self-service/registration?flow=${flowId}`, {
      csrf_token: csrfTokenOf(body as never),
      method: 'password',
      'traits.email': uniqueEmail('return-signup'),
      password: user.password,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(ALLOWED);
  });
});

describe('a forbidden return_to', () => {
  it.each(FORBIDDEN)('%s is refused with 400 and no flow, for apps and SPAs', async (returnTo) => {
    for (const response of [
      await server.frontend.createNativeLoginFlow({ returnTo }),
      await server.frontend.createNativeRegistrationFlow({ returnTo }),
      await server.frontend.createBrowserLoginFlow({ returnTo }),
    ]) {
      const envelope = expectError(response, 400, 'self_service_flow_return_to_forbidden');
      expect(envelope.error.reason).toContain('is not allowed');
      expect(response.data).not.toHaveProperty('ui');
      expect(response.data).not.toHaveProperty('id');
    }
  });

  it('sends a browser to the error UI instead of the login UI', async () => {
    for (const returnTo of FORBIDDEN.slice(0, 3)) {
      const jar = new CookieJar();
      const { response } = await initBrowserFlow(jar, server.publicUrl, 'login', { return_to: returnTo });
      expect(response.status).toBe(303);
      const location = new URL(response.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(ERROR_UI);
      const stored = await server.frontend.getFlowError({ id: location.searchParams.get('id')! });
      expect(stored.status).toBe(200);
      assertMatchesContract('flowError', stored.data);
      expect(stored.data.error).toMatchObject({ id: 'self_service_flow_return_to_forbidden', code: 400 });
    }
  });

  it('is refused on the logout URL too', async () => {
    const { jar } = await browserWithSession(server.publicUrl);
    const response = await server.frontend.createBrowserLogoutFlow({
      cookie: jar.header(),
      returnTo: 'https://evil.example/bye',
    });
    expectError(response, 400, 'self_service_flow_return_to_forbidden');
  });
});

describe('a browser that is already signed in', () => {
  it('is sent straight to the return URL when it opens login or registration', async () => {
    const { jar } = await browserWithSession(server.publicUrl);
    const login = await initBrowserFlow(jar, server.publicUrl, 'login');
    expect(login.response.status).toBe(303);
    expect(login.response.headers.get('location')).toBe(DEFAULT_RETURN_URL);
    const withReturn = await initBrowserFlow(jar, server.publicUrl, 'login', { return_to: ALLOWED });
    expect(withReturn.response.headers.get('location')).toBe(ALLOWED);
    const registration = await initBrowserFlow(jar, server.publicUrl, 'registration');
    expect(registration.response.status).toBe(303);
    expect(registration.response.headers.get('location')).toBe(DEFAULT_RETURN_URL);
  });

  it('gets 400 session_already_available as a SPA', async () => {
    const { jar } = await browserWithSession(server.publicUrl);
    for (const kind of ['login', 'registration']) {
      const response = await jar.fetch(`${server.publicUrl}/self-service/${kind}/browser`, {
        headers: { Accept: 'application/json' },
      });
      expectError(response, 400, 'session_already_available', await response.json());
    }
  });

  it('is sent to the return URL when it submits a login form opened before signing in elsewhere', async () => {
    const jar = new CookieJar();
    const { flow } = await openLoginFlow(jar);
    // Another tab of the same browser signs in meanwhile.
    const other = await openLoginFlow(jar);
    expect((await signInWithForm(jar, other.flow)).status).toBe(303);
    const before = (await server.frontend.toSession({ cookie: jar.header() })).data;

    const response = await signInWithForm(jar, flow);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(DEFAULT_RETURN_URL);
    const after = (await server.frontend.toSession({ cookie: jar.header() })).data;
    expect(after.id).toBe(before.id);
  });

  it('re-authenticates with refresh=true: the UI shows the flow, the session keeps its id', async () => {
    const jar = new CookieJar();
    const { flow: first } = await openLoginFlow(jar);
    await signInWithForm(jar, first);
    const before = (await server.frontend.toSession({ cookie: jar.header() })).data;
    await sleep(20);

    const { response, flow } = await openLoginFlow(jar, { refresh: 'true' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${LOGIN_UI}?flow=${flow.id}`);
    expect(flow.refresh).toBe(true);
    expect(uiMessageIds(flow)).toEqual([1010003]);
    const login = await signInWithForm(jar, flow);
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe(DEFAULT_RETURN_URL);

    const whoami = await server.frontend.toSession({ cookie: jar.header() });
    const after = whoami.data as Session;
    expect(after.id).toBe(before.id);
    expect(Date.parse(after.authenticated_at!)).toBeGreaterThan(Date.parse(before.authenticated_at!));
    expect(after.authentication_methods).toHaveLength(2);
  });
});

describe('the registration UI URL', () => {
  it('is where a browser goes to sign up', async () => {
    const { response, flowId } = await initBrowserFlow(new CookieJar(), server.publicUrl, 'registration');
    expect(response.headers.get('location')).toBe(`${REGISTRATION_UI}?flow=${flowId}`);
  });
});
