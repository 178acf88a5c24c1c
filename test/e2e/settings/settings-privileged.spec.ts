import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  browserWithSession,
  csrfTokenOf,
  expectError,
  fetchFlow,
  initBrowserFlow,
  loginWithApi,
  LOGIN_UI,
  postForm,
  postJson,
  registerWithApi,
  sleep,
  uniqueEmail,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';
import {
  browserSettingsFlow,
  fetchSettingsFlow,
  SETTINGS_UI,
  settingsFlowOf,
  signInOnRefreshLogin,
  startSettingsServer,
} from './settings-support.js';

// Privileged changes (a new password, a new sign-in address) want a recent sign-in. The window is
// a few seconds here; each test waits it out, signs in again, and submits the same flow again.

const MAX_AGE_MS = 2_000;
const NEW_PASSWORD = 'Copper-Kettle-Window-91';

let server: FlowServer;

beforeAll(async () => {
  server = await startSettingsServer({
    SELFSERVICE_FLOWS_SETTINGS_PRIVILEGED_SESSION_MAX_AGE: `${MAX_AGE_MS}ms`,
  });
});

afterAll(async () => {
  await server?.stop();
});

const waitOutPrivilege = () => sleep(MAX_AGE_MS + 300);

async function passwordWorks(email: string, password: string): Promise<boolean> {
  return (await loginWithApi(server.frontend, email, password)).status === 200;
}

/** Another browser, signed in through the login form. */
async function browserSession(email: string, password: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const { flowId } = await initBrowserFlow(jar, server.publicUrl, 'login');
  const { body: login } = await fetchFlow(jar, server.publicUrl, 'login', flowId);
  const response = await postForm(jar, (login as { ui: { action: string } }).ui.action, {
    csrf_token: csrfTokenOf(login as never),
    method: 'password',
    identifier: email,
    password,
  });
  expect(response.status).toBe(303);
  return jar;
}

/** The refresh login a session_refresh_required asks for, and the settings flow it returns to. */
function expectRefreshUrl(url: string, flowId: string): void {
  const target = new URL(url);
  expect(`${target.origin}${target.pathname}`).toBe(`${server.publicUrl}/self-service/login/browser`);
  expect(target.searchParams.get('refresh')).toBe('true');
  expect(target.searchParams.get('return_to')).toBe(
    `${server.publicUrl}/self-service/settings?flow=${flowId}`,
  );
}

async function apiPasswordChange(user: Registered, flowId: string) {
  return server.frontend.updateSettingsFlow({
    flow: flowId,
    xSessionToken: user.token,
    updateSettingsFlowBody: { method: 'password', password: NEW_PASSWORD },
  });
}

describe('a native app on an old session', () => {
  it('must sign in again before changing the password, then the same flow succeeds', async () => {
    const user = await registerWithApi(server.frontend, uniqueEmail('refresh-api'));
    await waitOutPrivilege();
    const { data: flow } = await server.frontend.createNativeSettingsFlow({ xSessionToken: user.token });

    const refused = await apiPasswordChange(user, flow.id);
    const envelope = expectError(refused, 403, 'session_refresh_required');
    expectRefreshUrl(envelope['redirect_browser_to'] as string, flow.id);
    expect((envelope.error.details as Record<string, string>)['redirect_browser_to']).toBe(
      envelope['redirect_browser_to'],
    );

    const { data: login } = await server.frontend.createNativeLoginFlow({
      refresh: true,
      xSessionToken: user.token,
    });
    const again = await server.frontend.updateLoginFlow({
      flow: login.id,
      xSessionToken: user.token,
      updateLoginFlowBody: { method: 'password', identifier: user.email, password: user.password },
    });
    expect(again.status, JSON.stringify(again.data)).toBe(200);

    const saved = await apiPasswordChange(user, flow.id);
    expect(saved.status, JSON.stringify(saved.data)).toBe(200);
    expect(settingsFlowOf(saved.data).state).toBe('success');
  });

  it('may change its name but not its sign-in address', async () => {
    const user = await registerWithApi(server.frontend, uniqueEmail('refresh-profile'));
    await waitOutPrivilege();
    const { data: flow } = await server.frontend.createNativeSettingsFlow({ xSessionToken: user.token });
    const submit = (traits: Record<string, unknown>) =>
      server.frontend.updateSettingsFlow({
        flow: flow.id,
        xSessionToken: user.token,
        updateSettingsFlowBody: { method: 'profile', traits },
      });
    const renamed = await submit({ email: user.email, name: { first: 'Katherine' } });
    expect(renamed.status, JSON.stringify(renamed.data)).toBe(200);
    const moved = await submit({ email: uniqueEmail('moved'), name: { first: 'Katherine' } });
    expectError(moved, 403, 'session_refresh_required');
    const whoami = await server.frontend.toSession({ xSessionToken: user.token });
    expect(whoami.data.identity?.traits).toEqual({ email: user.email, name: { first: 'Katherine' } });
  });
});

describe('a browser on an old session', () => {
  async function followTo(jar: CookieJar, url: string): Promise<Response> {
    return jar.fetch(url, { headers: { Accept: 'text/html' } });
  }

  it('is sent through a refresh login back to its settings flow, where the change then succeeds', async () => {
    const { jar, email, password } = await browserWithSession(server.publicUrl, uniqueEmail('refresh-form'));
    await waitOutPrivilege();
    const flow = await browserSettingsFlow(jar, server.publicUrl);
    const fields = { csrf_token: csrfTokenOf(flow), method: 'password', password: NEW_PASSWORD };

    const refused = await postForm(jar, flow.ui.action, fields);
    expect(refused.status).toBe(303);
    const refreshUrl = refused.headers.get('location')!;
    expectRefreshUrl(refreshUrl, flow.id);

    const toLogin = await followTo(jar, refreshUrl);
    expect(toLogin.status).toBe(303);
    const loginId = new URL(toLogin.headers.get('location')!).searchParams.get('flow')!;
    expect(toLogin.headers.get('location')).toBe(`${LOGIN_UI}?flow=${loginId}`);
    const back = await signInOnRefreshLogin(jar, server.publicUrl, loginId, email, password);
    expect(back).toBe(`${server.publicUrl}/self-service/settings?flow=${flow.id}`);
    // Back on the flow, the change the browser was asked to sign in again for is applied, once.
    const toSettings = await followTo(jar, back);
    expect(toSettings.status).toBe(303);
    expect(toSettings.headers.get('location')).toBe(`${SETTINGS_UI}?flow=${flow.id}`);
    const { body } = await fetchSettingsFlow(jar, server.publicUrl, flow.id);
    expect(settingsFlowOf(body).state).toBe('success');
    expect(settingsFlowOf(body).ui.messages?.map((m) => m.id)).toEqual([1050001]);
    expect(await passwordWorks(email, NEW_PASSWORD)).toBe(true);
    expect(await passwordWorks(email, password)).toBe(false);

    const revisit = await followTo(jar, back);
    expect(revisit.headers.get('location')).toBe(`${SETTINGS_UI}?flow=${flow.id}`);
    const { body: after } = await fetchSettingsFlow(jar, server.publicUrl, flow.id);
    // Applied again, the same password would be refused (4000039) and the flow shown again.
    expect(settingsFlowOf(after).state).toBe('success');
    expect(settingsFlowOf(after).ui.messages?.map((m) => m.id)).toEqual([1050001]);
  });

  it('applies the held change only for the browser that submitted it', async () => {
    const { jar, email, password } = await browserWithSession(server.publicUrl, uniqueEmail('refresh-other'));
    await waitOutPrivilege();
    const flow = await browserSettingsFlow(jar, server.publicUrl);
    const fields = { csrf_token: csrfTokenOf(flow), method: 'password', password: NEW_PASSWORD };
    expect((await postForm(jar, flow.ui.action, fields)).status).toBe(303);

    // A second browser of the same person, freshly signed in, opens the flow's resume URL.
    const other = await browserSession(email, password);
    const resume = `${server.publicUrl}/self-service/settings?flow=${flow.id}`;
    const visited = await followTo(other, resume);
    expect(visited.status).toBe(303);
    expect(visited.headers.get('location')).toBe(`${SETTINGS_UI}?flow=${flow.id}`);
    expect(await passwordWorks(email, password)).toBe(true);
    expect(await passwordWorks(email, NEW_PASSWORD)).toBe(false);
  });

  it('as an SPA gets 403 session_refresh_required with where to send the browser', async () => {
    const { jar } = await browserWithSession(server.publicUrl, uniqueEmail('refresh-spa'));
    await waitOutPrivilege();
    const flow = await browserSettingsFlow(jar, server.publicUrl);
    const response = await postJson(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'password',
      password: NEW_PASSWORD,
    });
    const envelope = expectError(response, 403, 'session_refresh_required', await response.json());
    expectRefreshUrl(envelope['redirect_browser_to'] as string, flow.id);
  });
});
