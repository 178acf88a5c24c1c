import type { LoginFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  browserWithSession,
  csrfTokenOf,
  DEFAULT_RETURN_URL,
  expectError,
  fetchFlow,
  frontendApi,
  initBrowserFlow,
  LOGIN_UI,
  postForm,
  postJson,
  type FlowServer,
} from '../../support/self-service.js';
import {
  browserSettingsFlow,
  fetchSettingsFlow,
  SETTINGS_UI,
  settingsFlowOf,
} from '../settings/settings-support.js';
import { authenticator, nodeNames, passwordSession, startMfaServer, textNode } from './mfa-support.js';

// Server-rendered pages and SPAs: link the app in settings, then a password login is sent on to
// the aal2 step before the session counts.

let server: FlowServer;

beforeAll(async () => {
  server = await startMfaServer();
});

/** A user who signed up in a browser and linked an authenticator app through the settings form. */
async function browserUserWithTotp(): Promise<{ email: string; password: string; secret: string }> {
  const browser = await browserWithSession(server.publicUrl);
  const flow = await browserSettingsFlow(browser.jar, server.publicUrl);
  const secret = textNode(flow, 'totp_secret_key').text.text;
  const linked = await postForm(browser.jar, flow.ui.action, {
    csrf_token: csrfTokenOf(flow),
    method: 'totp',
    totp_code: authenticator(secret).now(),
  });
  expect(linked.status).toBe(303);
  expect(linked.headers.get('location')).toBe(`${SETTINGS_UI}?flow=${flow.id}`);
  // The code that linked the app proved it: the session that did so is aal2 at once, as in Kratos.
  const me = await whoami(browser.jar);
  expect(me.status).toBe(200);
  expect(me.body['authenticator_assurance_level']).toBe('aal2');
  expect(methodsOf(me.body)).toEqual(['password', 'totp']);
  return { email: browser.email, password: browser.password, secret };
}

afterAll(async () => {
  await server?.stop();
});

const methodsOf = (session: Record<string, unknown>) =>
  (session['authentication_methods'] as { method: string }[]).map((m) => m.method);

async function whoami(jar: CookieJar) {
  const response = await jar.fetch(`${server.publicUrl}/sessions/whoami`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('a server-rendered UI', () => {
  it('is sent from the password step to the aal2 step, and signed in fully after the code', async () => {
    const { email, password, secret } = await browserUserWithTotp();
    const jar = new CookieJar();
    const { flowId } = await initBrowserFlow(jar, server.publicUrl, 'login');
    const { body } = await fetchFlow(jar, server.publicUrl, 'login', flowId);
    const first = body as unknown as LoginFlow;
    const afterPassword = await postForm(jar, first.ui.action, {
      csrf_token: csrfTokenOf(first),
      method: 'password',
      identifier: email,
      password,
    });
    expect(afterPassword.status).toBe(303);
    const stepUp = new URL(afterPassword.headers.get('location')!);
    expect(stepUp.pathname).toBe('/self-service/login/browser');
    expect(stepUp.searchParams.get('aal')).toBe('aal2');
    expect(jar.get('ory_kratos_session')).toBeTruthy();
    expect((await whoami(jar)).status).toBe(403);

    const init = await jar.fetch(stepUp, { headers: { Accept: 'text/html' } });
    expect(init.status).toBe(303);
    const uiUrl = new URL(init.headers.get('location')!);
    expect(`${uiUrl.origin}${uiUrl.pathname}`).toBe(LOGIN_UI);
    const { body: secondBody } = await fetchFlow(
      jar,
      server.publicUrl,
      'login',
      uiUrl.searchParams.get('flow')!,
    );
    assertMatchesContract('loginFlow', secondBody);
    const second = secondBody as unknown as LoginFlow;
    expect(nodeNames(second, 'totp')).toEqual(['totp_code', 'method']);
    expect(nodeNames(second, 'password')).toEqual([]);

    const done = await postForm(jar, second.ui.action, {
      csrf_token: csrfTokenOf(second),
      method: 'totp',
      totp_code: authenticator(secret).next(),
    });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(DEFAULT_RETURN_URL);
    const me = await whoami(jar);
    expect(me.status).toBe(200);
    expect(me.body['authenticator_assurance_level']).toBe('aal2');
  });
});

describe('a SPA', () => {
  it('gets 422 with the aal2 URL after the password, then 200 after the code', async () => {
    const { email, password, secret } = await browserUserWithTotp();
    const jar = new CookieJar();
    const init = await jar.fetch(`${server.publicUrl}/self-service/login/browser`, {
      headers: { Accept: 'application/json' },
    });
    const first = (await init.json()) as LoginFlow;
    const afterPassword = await postJson(jar, first.ui.action, {
      csrf_token: csrfTokenOf(first),
      method: 'password',
      identifier: email,
      password,
    });
    const error = expectError(
      { status: afterPassword.status },
      422,
      'browser_location_change_required',
      await afterPassword.json(),
    );
    const stepUp = new URL(String(error['redirect_browser_to']));
    expect(stepUp.searchParams.get('aal')).toBe('aal2');
    expect(jar.get('ory_kratos_session')).toBeTruthy();

    const aal2 = await jar.fetch(stepUp, { headers: { Accept: 'application/json' } });
    expect(aal2.status).toBe(200);
    const second = (await aal2.json()) as LoginFlow;
    assertMatchesContract('loginFlow', second);
    expect(second.requested_aal).toBe('aal2');
    const done = await postJson(jar, second.ui.action, {
      csrf_token: csrfTokenOf(second),
      method: 'totp',
      totp_code: authenticator(secret).next(),
    });
    expect(done.status).toBe(200);
    const result = (await done.json()) as {
      session: { authenticator_assurance_level: string };
      continue_with: unknown[];
    };
    expect(result.session.authenticator_assurance_level).toBe('aal2');
    expect(result.continue_with).toEqual([
      { action: 'redirect_browser_to', redirect_browser_to: DEFAULT_RETURN_URL },
    ]);
    expect((await whoami(jar)).status).toBe(200);
  });
});

describe('backup codes in a server-rendered settings page', () => {
  it('are generated with one form post, shown on the flow, and saved with the next', async () => {
    const browser = await browserWithSession(server.publicUrl);
    const flow = await browserSettingsFlow(browser.jar, server.publicUrl);
    const generated = await postForm(browser.jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'lookup_secret',
      lookup_secret_regenerate: 'true',
    });
    expect(generated.status).toBe(303);
    expect(generated.headers.get('location')).toBe(`${SETTINGS_UI}?flow=${flow.id}`);
    const { body } = await fetchSettingsFlow(browser.jar, server.publicUrl, flow.id);
    const shown = settingsFlowOf(body);
    expect(nodeNames(shown, 'lookup_secret')).toEqual(['lookup_secret_codes', 'lookup_secret_confirm']);
    const codes = (textNode(shown, 'lookup_secret_codes').text.context as { secrets: unknown[] }).secrets;
    expect(codes).toHaveLength(12);

    const confirmed = await postForm(browser.jar, shown.ui.action, {
      csrf_token: csrfTokenOf(shown),
      method: 'lookup_secret',
      lookup_secret_confirm: 'true',
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe(`${SETTINGS_UI}?flow=${flow.id}`);
    // Saved, and the codes just shown count as the second factor of the session that saved them.
    const { response, body: after } = await fetchSettingsFlow(browser.jar, server.publicUrl, flow.id);
    expect(response.status).toBe(200);
    expect(settingsFlowOf(after).state).toBe('success');
    const me = await whoami(browser.jar);
    expect(me.body['authenticator_assurance_level']).toBe('aal2');
    expect(methodsOf(me.body)).toEqual(['password', 'lookup_secret']);
    // Any other sign-in with the password alone is aal1, which no longer suffices.
    const frontend = frontendApi(server.publicUrl);
    const aal1 = await passwordSession(frontend, browser.email, browser.password);
    expectError(await frontend.toSession({ xSessionToken: aal1 }), 403, 'session_aal2_required');
    expectError(
      await frontend.createNativeSettingsFlow({ xSessionToken: aal1 }),
      403,
      'session_aal2_required',
    );
  });
});
