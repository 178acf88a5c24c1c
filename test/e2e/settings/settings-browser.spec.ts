import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  ALLOWED_RETURN_URL,
  browserWithSession,
  csrfTokenOf,
  ERROR_UI,
  expectError,
  GOOD_PASSWORD,
  LOGIN_UI,
  normalised,
  loginWithApi,
  nodeMessages,
  nodeValue,
  postForm,
  postJson,
  registerWithApi,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';
import {
  browserSettingsFlow,
  fetchSettingsFlow,
  initBrowserSettings,
  SETTINGS_UI,
  settingsFlowOf,
  startSettingsServer,
} from './settings-support.js';

// Server-rendered UIs (form posts, 303s) and SPAs (JSON with cookies) on browser settings flows.

let server: FlowServer;

beforeAll(async () => {
  server = await startSettingsServer();
});

afterAll(async () => {
  await server?.stop();
});

describe('starting a browser settings flow', () => {
  it('sends a browser without a session to sign in first, and back here afterwards', async () => {
    const jar = new CookieJar();
    const { response } = await initBrowserSettings(jar, server.publicUrl);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${server.publicUrl}/self-service/login/browser`);
    expect(location.searchParams.get('return_to')).toBe(`${server.publicUrl}/self-service/settings/browser`);

    const spa = await jar.fetch(`${server.publicUrl}/self-service/settings/browser`, {
      headers: { Accept: 'application/json' },
    });
    expectError(spa, 401, 'session_inactive', await spa.json());
  });

  it('redirects to the settings UI with a flow for the signed-in identity', async () => {
    const { jar, email } = await browserWithSession(server.publicUrl, uniqueEmail('start'));
    const { response, flowId } = await initBrowserSettings(jar, server.publicUrl);
    expect(response.headers.get('location')).toBe(`${SETTINGS_UI}?flow=${flowId}`);
    const { body } = await fetchSettingsFlow(jar, server.publicUrl, flowId);
    const flow = settingsFlowOf(body);
    expect(flow.type).toBe('browser');
    expect(flow.identity.traits).toMatchObject({ email });
    expect(csrfTokenOf(flow)).not.toBe('');
  });

  it('lists csrf_token, the profile traits with their values and the password form, in Kratos order', async () => {
    const { jar } = await browserWithSession(server.publicUrl, uniqueEmail('nodes'));
    const flow = await browserSettingsFlow(jar, server.publicUrl);
    expect(normalised(flow.ui.nodes, server.publicUrl)).toMatchInlineSnapshot(`
      [
        {
          "attributes": {
            "disabled": false,
            "name": "csrf_token",
            "node_type": "input",
            "required": true,
            "type": "hidden",
            "value": "<csrf_token>",
          },
          "group": "default",
          "messages": [],
          "meta": {},
          "type": "input",
        },
        {
          "attributes": {
            "autocomplete": "email",
            "disabled": false,
            "name": "traits.email",
            "node_type": "input",
            "required": true,
            "type": "email",
            "value": "nodes-<random>@example.org",
          },
          "group": "profile",
          "messages": [],
          "meta": {
            "label": {
              "context": {
                "name": "traits.email",
                "title": "E-Mail",
              },
              "id": 1070002,
              "text": "E-Mail",
              "type": "info",
            },
          },
          "type": "input",
        },
        {
          "attributes": {
            "disabled": false,
            "name": "traits.name.first",
            "node_type": "input",
            "type": "text",
          },
          "group": "profile",
          "messages": [],
          "meta": {
            "label": {
              "context": {
                "name": "traits.name.first",
                "title": "First Name",
              },
              "id": 1070002,
              "text": "First Name",
              "type": "info",
            },
          },
          "type": "input",
        },
        {
          "attributes": {
            "disabled": false,
            "name": "traits.name.last",
            "node_type": "input",
            "type": "text",
          },
          "group": "profile",
          "messages": [],
          "meta": {
            "label": {
              "context": {
                "name": "traits.name.last",
                "title": "Last Name",
              },
              "id": 1070002,
              "text": "Last Name",
              "type": "info",
            },
          },
          "type": "input",
        },
        {
          "attributes": {
            "disabled": false,
            "name": "method",
            "node_type": "input",
            "type": "submit",
            "value": "profile",
          },
          "group": "profile",
          "messages": [],
          "meta": {
            "label": {
              "id": 1070003,
              "text": "Save",
              "type": "info",
            },
          },
          "type": "input",
        },
        {
          "attributes": {
            "autocomplete": "new-password",
            "disabled": false,
            "name": "password",
            "node_type": "input",
            "required": true,
            "type": "password",
          },
          "group": "password",
          "messages": [],
          "meta": {
            "label": {
              "id": 1070001,
              "text": "Password",
              "type": "info",
            },
          },
          "type": "input",
        },
        {
          "attributes": {
            "disabled": false,
            "name": "method",
            "node_type": "input",
            "type": "submit",
            "value": "password",
          },
          "group": "password",
          "messages": [],
          "meta": {
            "label": {
              "id": 1070003,
              "text": "Save",
              "type": "info",
            },
          },
          "type": "input",
        },
      ]
    `);
  });

  it('refuses a return_to outside the allow-list', async () => {
    const { jar } = await browserWithSession(server.publicUrl, uniqueEmail('return'));
    const { response } = await initBrowserSettings(jar, server.publicUrl, {
      return_to: 'https://evil.example/',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(new RegExp(`^${ERROR_UI}\\?id=`));
    const spa = await jar.fetch(
      `${server.publicUrl}/self-service/settings/browser?return_to=${encodeURIComponent('https://evil.example/')}`,
      { headers: { Accept: 'application/json' } },
    );
    expectError(spa, 400, 'self_service_flow_return_to_forbidden', await spa.json());
  });

  it('shows a browser without a session that opens a flow the login UI, and JSON clients a 401', async () => {
    const { jar } = await browserWithSession(server.publicUrl, uniqueEmail('opened'));
    const { flowId } = await initBrowserSettings(jar, server.publicUrl);
    const stranger = new CookieJar();
    const html = await stranger.fetch(`${server.publicUrl}/self-service/settings/flows?id=${flowId}`, {
      headers: { Accept: 'text/html' },
    });
    // Kratos answers these two with 302 Found, not its usual 303.
    expect(html.status).toBe(302);
    expect(html.headers.get('location')).toBe(LOGIN_UI);
    const { response, body } = await fetchSettingsFlow(stranger, server.publicUrl, flowId);
    expectError(response, 401, undefined, body);
    const form = await postForm(stranger, `${server.publicUrl}/self-service/settings?flow=${flowId}`, {
      method: 'profile',
      'traits.email': uniqueEmail('stranger'),
    });
    expect(form.status).toBe(302);
    expect(form.headers.get('location')).toBe(LOGIN_UI);
  });

  it("takes another identity's session token on a browser flow as that identity, and refuses it", async () => {
    const { jar } = await browserWithSession(server.publicUrl, uniqueEmail('owner'));
    const { flowId } = await initBrowserSettings(jar, server.publicUrl);
    const other = await registerWithApi(server.frontend, uniqueEmail('token-holder'));
    const response = await fetch(`${server.publicUrl}/self-service/settings?flow=${flowId}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'X-Session-Token': other.token,
      },
      body: JSON.stringify({ method: 'profile', traits: { email: uniqueEmail('taken') } }),
    });
    expectError(response, 403, 'security_identity_mismatch', await response.json());
  });

  it('refuses another signed-in browser the flow with 403 security_identity_mismatch', async () => {
    const a = await browserWithSession(server.publicUrl, uniqueEmail('mine'));
    const b = await browserWithSession(server.publicUrl, uniqueEmail('theirs'));
    const { flowId } = await initBrowserSettings(a.jar, server.publicUrl);
    const { response, body } = await fetchSettingsFlow(b.jar, server.publicUrl, flowId);
    expectError(response, 403, 'security_identity_mismatch', body);
  });
});

describe('submitting from an HTML form', () => {
  it('saves the profile and returns to the settings UI with the flow in state success', async () => {
    const { jar, email } = await browserWithSession(server.publicUrl, uniqueEmail('form'));
    const flow = await browserSettingsFlow(jar, server.publicUrl);
    const response = await postForm(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'profile',
      'traits.email': email,
      'traits.name.first': 'Ada',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${SETTINGS_UI}?flow=${flow.id}`);
    const { body } = await fetchSettingsFlow(jar, server.publicUrl, flow.id);
    const saved = settingsFlowOf(body);
    expect(saved.state).toBe('success');
    expect(saved.ui.messages?.map((m) => m.id)).toEqual([1050001]);
    expect(nodeValue(saved, 'traits.name.first')).toBe('Ada');
  });

  it('goes to return_to once saved when the flow was started with one', async () => {
    const { jar, email } = await browserWithSession(server.publicUrl, uniqueEmail('returning'));
    const { flowId } = await initBrowserSettings(jar, server.publicUrl, { return_to: ALLOWED_RETURN_URL });
    const flow = settingsFlowOf((await fetchSettingsFlow(jar, server.publicUrl, flowId)).body);
    expect(flow.return_to).toBe(ALLOWED_RETURN_URL);
    const response = await postForm(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'profile',
      'traits.email': email,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(ALLOWED_RETURN_URL);
  });

  it('sends invalid input back to the settings UI with the messages on the flow', async () => {
    const { jar } = await browserWithSession(server.publicUrl, uniqueEmail('badform'));
    const flow = await browserSettingsFlow(jar, server.publicUrl);
    const response = await postForm(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'password',
      password: 'short',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${SETTINGS_UI}?flow=${flow.id}`);
    const shown = settingsFlowOf((await fetchSettingsFlow(jar, server.publicUrl, flow.id)).body);
    expect(nodeMessages(shown, 'password').map((m) => m.id)).toEqual([4000032]);
  });

  it('changes the password from a form post', async () => {
    const { jar, email } = await browserWithSession(server.publicUrl, uniqueEmail('formpw'));
    const flow = await browserSettingsFlow(jar, server.publicUrl);
    const fresh = 'Amber-Meadow-Signal-42';
    const response = await postForm(jar, flow.ui.action, {
      csrf_token: csrfTokenOf(flow),
      method: 'password',
      password: fresh,
    });
    expect(response.status).toBe(303);
    expect((await loginWithApi(server.frontend, email, fresh)).status).toBe(200);
    expect((await loginWithApi(server.frontend, email, GOOD_PASSWORD)).status).toBe(400);
  });

  it('refuses a post without the CSRF token: error UI for forms, 403 for SPAs, nothing saved', async () => {
    const { jar, email } = await browserWithSession(server.publicUrl, uniqueEmail('csrf'));
    const flow = await browserSettingsFlow(jar, server.publicUrl);
    const form = await postForm(jar, flow.ui.action, { method: 'profile', 'traits.email': 'x@example.org' });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toMatch(new RegExp(`^${ERROR_UI}\\?id=`));
    const spa = await postJson(jar, flow.ui.action, {
      method: 'profile',
      traits: { email: 'x@example.org' },
      csrf_token: 'forged',
    });
    expectError(spa, 403, 'security_csrf_violation', await spa.json());
    const { body } = await fetchSettingsFlow(jar, server.publicUrl, flow.id);
    expect(settingsFlowOf(body).identity.traits).toMatchObject({ email });
  });
});

describe('submitting from an SPA', () => {
  it('answers 200 with the flow in state success and where to send the browser', async () => {
    const { jar, email } = await browserWithSession(server.publicUrl, uniqueEmail('spa'));
    const created = await jar.fetch(`${server.publicUrl}/self-service/settings/browser`, {
      headers: { Accept: 'application/json' },
    });
    expect(created.status).toBe(200);
    const flow = settingsFlowOf(await created.json());
    const response = await postJson(jar, flow.ui.action, {
      method: 'profile',
      traits: { email, name: { last: 'Lovelace' } },
      csrf_token: csrfTokenOf(flow),
    });
    expect(response.status).toBe(200);
    const saved = settingsFlowOf(await response.json());
    expect(saved.state).toBe('success');
    expect(saved.identity.traits).toEqual({ email, name: { last: 'Lovelace' } });
    expect(saved.continue_with).toEqual([
      { action: 'redirect_browser_to', redirect_browser_to: `${SETTINGS_UI}?flow=${flow.id}` },
    ]);
  });

  it('answers invalid input with 400 and the flow', async () => {
    const { jar } = await browserWithSession(server.publicUrl, uniqueEmail('spabad'));
    const flow = await browserSettingsFlow(jar, server.publicUrl);
    const response = await postJson(jar, flow.ui.action, {
      method: 'profile',
      traits: {},
      csrf_token: csrfTokenOf(flow),
    });
    expect(response.status).toBe(400);
    const shown = settingsFlowOf(await response.json());
    expect(nodeMessages(shown, 'traits.email').map((m) => m.id)).toEqual([4000002]);
  });
});

describe('/.well-known/change-password', () => {
  it('sends password managers to the settings UI', async () => {
    const response = await fetch(`${server.publicUrl}/.well-known/change-password`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(SETTINGS_UI);
  });
});
