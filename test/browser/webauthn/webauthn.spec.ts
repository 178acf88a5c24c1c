import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/browser.js';
import { serveStatic, type StaticServer } from '../../support/browser-static-server.js';
import { freePort, startTessera, type TesseraProcess } from '../../support/tessera-process.js';
import { addForeignPasskey, addVirtualAuthenticator, FLOW_PAGE, FlowUi, type UiFlow } from './flow-page.js';

// Passkeys end to end: Tessera's webauthn.js in Chromium with a virtual authenticator. WebAuthn
// needs a secure context and an RP id that is a domain, so both the UI and Tessera are reached as
// `localhost` (Chromium treats it as secure), on two ports: same site, so form posts carry cookies.

let tessera: TesseraProcess;
let uiHost: StaticServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let ui: FlowUi;
let publicBase: string;
let uiBase: string;

beforeAll(async () => {
  const [publicPort, uiPort] = [await freePort(), await freePort()];
  publicBase = `http://localhost:${publicPort}`;
  uiBase = `http://localhost:${uiPort}`;
  const html = { body: FLOW_PAGE, contentType: 'text/html; charset=utf-8' };
  uiHost = await serveStatic(
    { '/login': html, '/registration': html, '/settings': html, '/welcome': html, '/error': html },
    uiPort,
  );
  const rp = JSON.stringify({ id: 'localhost', display_name: 'Tessera', origins: [uiBase] });
  tessera = await startTessera({
    env: {
      SERVE_PUBLIC_PORT: String(publicPort),
      SERVE_PUBLIC_BASE_URL: `${publicBase}/`,
      SELFSERVICE_FLOWS_LOGIN_UI_URL: `${uiBase}/login`,
      SELFSERVICE_FLOWS_REGISTRATION_UI_URL: `${uiBase}/registration`,
      // The one-step form's passkey and password rounds; profile_first has its own form spec.
      SELFSERVICE_FLOWS_REGISTRATION_STYLE: 'unified',
      SELFSERVICE_FLOWS_SETTINGS_UI_URL: `${uiBase}/settings`,
      SELFSERVICE_FLOWS_ERROR_UI_URL: `${uiBase}/error`,
      SELFSERVICE_DEFAULT_BROWSER_RETURN_URL: `${uiBase}/welcome`,
      SELFSERVICE_METHODS_PASSKEY_ENABLED: 'true',
      SELFSERVICE_METHODS_PASSKEY_CONFIG_RP: rp,
      SELFSERVICE_METHODS_WEBAUTHN_ENABLED: 'true',
      SELFSERVICE_METHODS_WEBAUTHN_CONFIG_RP: rp,
    },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await tessera?.stop();
  await uiHost?.close();
});

beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
  ui = new FlowUi(page, publicBase);
});

afterEach(async () => {
  await context?.close();
});

const uniqueEmail = (label: string) =>
  `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.org`;

/** Signs up with a passkey through the two rounds of the registration form. */
async function registerWithPasskey(email: string): Promise<void> {
  await ui.open('registration');
  await page.fill('[name="traits.email"]', email);
  await ui.clickAndWait('input[name="method"][value="passkey"]');
  expect(new URL(page.url()).pathname).toBe('/registration');
  const second = await ui.renderCurrent('registration');
  expect(second.ui.nodes.some((n) => n.attributes['name'] === 'passkey_create_data')).toBe(true);
  await ui.clickAndWait('[name="passkey_register_trigger"]');
  expect(page.url()).toBe(`${uiBase}/welcome`);
}

async function postAssertion(flow: UiFlow, assertion: string) {
  const csrf = flow.ui.nodes.find((n) => n.attributes['name'] === 'csrf_token')!.attributes['value'];
  const response = await page.request.post(flow.ui.action, {
    headers: { Accept: 'application/json' },
    form: { csrf_token: String(csrf), method: 'passkey', passkey_login: assertion },
  });
  return { status: response.status(), body: (await response.json()) as Record<string, unknown> };
}

describe('passkeys in Chromium', () => {
  it('signs up with a passkey, signs out, and signs in again with it', async () => {
    await addVirtualAuthenticator(page);
    const email = uniqueEmail('passkey');
    await registerWithPasskey(email);
    const registered = await ui.whoami();
    expect(registered.status).toBe(200);
    const identity = registered.body['identity'] as { id: string; traits: { email: string } };
    expect(identity.traits.email).toBe(email);

    const admin = await fetch(
      `${tessera.adminUrl}/admin/identities/${identity.id}?include_credential=passkey`,
    );
    const stored = (await admin.json()) as {
      credentials: {
        passkey: { identifiers: string[]; config: { credentials: unknown[]; user_handle: string } };
      };
    };
    expect(stored.credentials.passkey.config.credentials).toHaveLength(1);
    expect(Buffer.from(stored.credentials.passkey.config.user_handle, 'base64')).toHaveLength(64);
    expect(stored.credentials.passkey.identifiers).toEqual([stored.credentials.passkey.config.user_handle]);

    await ui.logout();
    await ui.open('login');
    await ui.clickAndWait('[name="passkey_login_trigger"]');
    expect(page.url()).toBe(`${uiBase}/welcome`);
    const session = await ui.whoami();
    expect(session.status).toBe(200);
    expect((session.body['identity'] as { id: string }).id).toBe(identity.id);
    expect(session.body['authenticator_assurance_level']).toBe('aal1');
    expect(session.body['authentication_methods']).toEqual([
      expect.objectContaining({ method: 'passkey', aal: 'aal1' }),
    ]);

    // Re-authentication asks for this identity's passkey by id, and refreshes the same session.
    const refresh = await ui.open('login', '?refresh=true');
    const challenge = refresh.ui.nodes.find((n) => n.attributes['name'] === 'passkey_challenge')!;
    const allowed = (
      JSON.parse(String(challenge.attributes['value'])) as { publicKey: { allowCredentials: unknown[] } }
    ).publicKey.allowCredentials;
    expect(allowed).toHaveLength(1);
    await ui.clickAndWait('[name="passkey_login_trigger"]');
    const refreshed = await ui.whoami();
    expect(refreshed.body['id']).toBe(session.body['id']);
    expect((refreshed.body['authentication_methods'] as { method: string }[]).map((m) => m.method)).toEqual([
      'passkey',
      'passkey',
    ]);

    // The only passkey is the only way in: settings refuses to remove it.
    const settings = await ui.open('settings');
    const remove = settings.ui.nodes.find((n) => n.attributes['name'] === 'passkey_remove')!;
    expect(remove.attributes['value']).toMatch(/^[0-9a-f]+$/);
    await ui.clickAndWait('input[name="passkey_remove"]');
    const refused = await ui.fetchFlow('settings', new URL(page.url()).searchParams.get('flow')!);
    expect(refused.ui.messages?.map((m) => m.id)).toEqual([4000001]);
    const after = await fetch(
      `${tessera.adminUrl}/admin/identities/${identity.id}?include_credential=passkey`,
    );
    expect(
      ((await after.json()) as { credentials: { passkey: { config: { credentials: unknown[] } } } })
        .credentials.passkey.config.credentials,
    ).toHaveLength(1);
  });

  it('refuses a key Tessera never registered, even under a known user handle', async () => {
    const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
    await registerWithPasskey(uniqueEmail('victim'));
    const whoami = await ui.whoami();
    const identityId = (whoami.body['identity'] as { id: string }).id;
    const admin = await fetch(
      `${tessera.adminUrl}/admin/identities/${identityId}?include_credential=passkey`,
    );
    const handle = ((await admin.json()) as { credentials: { passkey: { config: { user_handle: string } } } })
      .credentials.passkey.config.user_handle;
    await ui.logout();

    let current = authenticatorId;
    for (const userHandle of [undefined, Buffer.from(handle, 'base64')]) {
      // A fresh authenticator holding only the foreign key, so the browser has no other to pick.
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: current });
      current = (await addVirtualAuthenticator(page, cdp)).authenticatorId;
      await addForeignPasskey(cdp, current, 'localhost', userHandle);
      await ui.open('login');
      await ui.clickAndWait('[name="passkey_login_trigger"]');
      expect(new URL(page.url()).pathname).toBe('/login');
      const flow = await ui.fetchFlow('login', new URL(page.url()).searchParams.get('flow')!);
      expect(flow.ui.messages?.map((m) => m.id)).toEqual([4000006]);
      expect((await ui.whoami()).status).toBe(401);
    }
  });

  it('refuses a key whose signature counter went backwards, and flags it', async () => {
    const { cdp, authenticatorId } = await addVirtualAuthenticator(page);
    await registerWithPasskey(uniqueEmail('clone'));
    const identityId = ((await ui.whoami()).body['identity'] as { id: string }).id;
    await ui.logout();
    await ui.open('login');
    await ui.clickAndWait('[name="passkey_login_trigger"]');
    expect((await ui.whoami()).status).toBe(200);
    await ui.logout();

    // A copy of the key that never saw the uses since it was made: its counter starts over.
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    const [original] = credentials;
    expect(original!.signCount).toBeGreaterThan(0);
    await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: original!.credentialId });
    await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...original!, signCount: 0 } });

    await ui.open('login');
    await ui.clickAndWait('[name="passkey_login_trigger"]');
    const flow = await ui.fetchFlow('login', new URL(page.url()).searchParams.get('flow')!);
    expect(flow.ui.messages?.map((m) => m.id)).toEqual([4000006]);
    expect((await ui.whoami()).status).toBe(401);
    const admin = await fetch(
      `${tessera.adminUrl}/admin/identities/${identityId}?include_credential=passkey`,
    );
    const stored = (await admin.json()) as {
      credentials: { passkey: { config: { credentials: { authenticator: { clone_warning: boolean } }[] } } };
    };
    expect(stored.credentials.passkey.config.credentials[0]!.authenticator.clone_warning).toBe(true);
  });

  it('refuses a replayed assertion, on the same flow and on a new one', async () => {
    await addVirtualAuthenticator(page);
    const email = uniqueEmail('replay');
    await registerWithPasskey(email);
    await ui.logout();

    const flow = await ui.open('login');
    const assertion = await ui.captureInsteadOfSubmit('passkey_login_trigger', 'passkey_login');
    expect(JSON.parse(assertion)).toMatchObject({
      type: 'public-key',
      response: { signature: expect.any(String) },
    });

    // Posted twice at once: only one post wins. (On SQLite the requests are serialised anyway; the
    // compare-and-set that spends the challenge is pinned in test/medium/flow.)
    const racing = await Promise.all([postAssertion(flow, assertion), postAssertion(flow, assertion)]);
    expect(racing.map((r) => r.status).sort()).toEqual([200, 400]);
    const first = racing.find((r) => r.status === 200)!;
    expect((first.body['session'] as { identity: { traits: { email: string } } }).identity.traits.email).toBe(
      email,
    );
    // Dropping the session cookie (not the CSRF cookie) leaves a browser that may post to the flow.
    await context.clearCookies({ name: 'ory_kratos_session' });
    expect((await ui.whoami()).status).toBe(401);

    // The same flow again: its challenge was spent by the first answer.
    const again = await postAssertion(flow, assertion);
    expect(again.status).toBe(400);
    expect((again.body['ui'] as { messages: { id: number }[] }).messages.map((m) => m.id)).toEqual([4000006]);
    expect((await ui.whoami()).status).toBe(401);
    const fresh = await ui.open('login');
    // A new flow has a new challenge the old assertion did not sign.
    const replayed = await postAssertion(fresh, assertion);
    expect(replayed.status).toBe(400);
    expect((replayed.body['ui'] as { messages: { id: number }[] }).messages.map((m) => m.id)).toEqual([
      4000006,
    ]);
    expect((await ui.whoami()).status).toBe(401);
  });
});

const PASSWORD = 'Quartz-Lantern-Orbit-73';

/** Signs up with e-mail and password through the rendered form; the browser holds the session. */
async function registerWithPassword(email: string): Promise<void> {
  await ui.open('registration');
  await page.fill('[name="traits.email"]', email);
  await page.fill('[name="password"]', PASSWORD);
  await ui.clickAndWait('input[name="method"][value="password"]');
  expect(page.url()).toBe(`${uiBase}/welcome`);
}

async function identityOf(email: string): Promise<{ id: string }> {
  const response = await fetch(`${tessera.adminUrl}/admin/identities?credentials_identifier=${email}`);
  const [identity] = (await response.json()) as { id: string }[];
  return identity!;
}

describe('security keys as a second factor in Chromium', () => {
  it('adds a key in settings, then signs in with password (aal1) and the key (aal2)', async () => {
    await addVirtualAuthenticator(page);
    const email = uniqueEmail('mfa');
    await registerWithPassword(email);

    await ui.open('settings');
    await page.fill('[name="webauthn_register_displayname"]', 'Desk key');
    await ui.clickAndWait('[name="webauthn_register_trigger"]');
    expect(new URL(page.url()).pathname).toBe('/settings');
    // The key's attestation proved it: the session that added it is aal2 at once, as in Kratos.
    const enrolling = await ui.whoami();
    expect(enrolling.status).toBe(200);
    const upgraded = enrolling.body as { authentication_methods: { method: string; aal: string }[] };
    expect(upgraded.authentication_methods.map((m) => [m.method, m.aal])).toEqual([
      ['password', 'aal1'],
      ['webauthn', 'aal2'],
    ]);
    // The admin API shows what was stored.
    const identityId = (await identityOf(email)).id;
    const admin = await fetch(
      `${tessera.adminUrl}/admin/identities/${identityId}?include_credential=webauthn`,
    );
    const stored = (await admin.json()) as {
      credentials: { webauthn: { config: { credentials: Record<string, unknown>[]; user_handle: string } } };
    };
    expect(stored.credentials.webauthn.config.credentials).toEqual([
      expect.objectContaining({
        display_name: 'Desk key',
        is_passwordless: false,
        authenticator: expect.objectContaining({ clone_warning: false }),
      }),
    ]);
    expect(Buffer.from(stored.credentials.webauthn.config.user_handle, 'base64')).toHaveLength(64);

    await context.clearCookies();
    await ui.open('login');
    await page.fill('[name="identifier"]', email);
    await page.fill('[name="password"]', PASSWORD);
    await ui.clickAndWait('input[name="method"][value="password"]');
    // The password alone gives an aal1 session; whoami (required_aal: highest_available) refuses
    // it and points at the aal2 login, and the admin API shows the sessions' levels: the one
    // that added the key, and this new one.
    const firstFactor = await ui.whoami();
    expect(firstFactor.status).toBe(403);
    const refusal = firstFactor.body as { error: { id: string }; redirect_browser_to: string };
    expect(refusal.error.id).toBe('session_aal2_required');
    expect(new URL(refusal.redirect_browser_to).searchParams.get('aal')).toBe('aal2');
    const sessions = await fetch(`${tessera.adminUrl}/admin/identities/${identityId}/sessions`);
    const levels = ((await sessions.json()) as { authenticator_assurance_level: string }[]).map(
      (s) => s.authenticator_assurance_level,
    );
    expect(levels.sort()).toEqual(['aal1', 'aal2']);
    // The settings flow now wants the second factor from this session.
    const settings = await page.request.get(`${publicBase}/self-service/settings/browser`, {
      headers: { Accept: 'application/json' },
    });
    expect(settings.status()).toBe(403);
    expect(((await settings.json()) as { error: { id: string } }).error.id).toBe('session_aal2_required');

    const mfa = await ui.open('login', '?aal=aal2');
    expect(mfa.ui.nodes.some((n) => n.attributes['name'] === 'webauthn_login_trigger')).toBe(true);
    expect(mfa.ui.nodes.some((n) => n.attributes['name'] === 'passkey_login_trigger')).toBe(false);
    await ui.clickAndWait('[name="webauthn_login_trigger"]');
    const session = await ui.whoami();
    expect(session.status).toBe(200);
    expect(session.body['authenticator_assurance_level']).toBe('aal2');
    expect((session.body['authentication_methods'] as { method: string }[]).map((m) => m.method)).toEqual([
      'password',
      'webauthn',
    ]);

    // At aal2 the settings form is open again, and the key can go.
    await ui.open('settings');
    await ui.clickAndWait('input[name="webauthn_remove"]');
    const removed = await ui.fetchFlow('settings', new URL(page.url()).searchParams.get('flow')!);
    expect((removed as unknown as { state: string }).state).toBe('success');
    expect(removed.ui.nodes.some((n) => n.attributes['name'] === 'webauthn_remove')).toBe(false);
    const after = await fetch(
      `${tessera.adminUrl}/admin/identities/${identityId}?include_credential=webauthn`,
    );
    expect(
      ((await after.json()) as { credentials: Record<string, unknown> }).credentials['webauthn'],
    ).toBeUndefined();
  });

  it('adds a passkey to a password account and signs in with it', async () => {
    await addVirtualAuthenticator(page);
    const email = uniqueEmail('addpasskey');
    await registerWithPassword(email);
    await ui.open('settings');
    await ui.clickAndWait('[name="passkey_register_trigger"]');
    const saved = await ui.fetchFlow('settings', new URL(page.url()).searchParams.get('flow')!);
    expect((saved as unknown as { state: string }).state).toBe('success');
    expect(saved.ui.nodes.filter((n) => n.attributes['name'] === 'passkey_remove')).toHaveLength(1);

    await context.clearCookies();
    await ui.open('login');
    await ui.clickAndWait('[name="passkey_login_trigger"]');
    const session = await ui.whoami();
    expect(session.status).toBe(200);
    expect((session.body['identity'] as { traits: { email: string } }).traits.email).toBe(email);
  });
});
