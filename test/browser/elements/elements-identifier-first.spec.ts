import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/browser.js';
import { freePort, startTessera, type TesseraProcess } from '../../support/tessera-process.js';
import { addVirtualAuthenticator } from '../webauthn/flow-page.js';
import { serveElementsApp } from './elements-app.js';

// Ory Elements (@ory/elements-react, unmodified) signing in to Tessera with
// `selfservice.flows.login.style: identifier_first`, in Chromium: the identifier first, then the
// methods that identity has: its password, and a passkey it added in settings (Chromium's virtual
// authenticator). Everything runs on `localhost`, the relying party's domain.

const PASSWORD = 'a sufficiently long elements password';

let tessera: TesseraProcess;
let app: Awaited<ReturnType<typeof serveElementsApp>>;
let appOrigin: string;
let publicBase: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const email = `elements-idfirst-${Date.now()}@example.org`;

beforeAll(async () => {
  app = await serveElementsApp();
  appOrigin = app.origin.replace('127.0.0.1', 'localhost');
  const ui = (path: string) => `${appOrigin}/${path}`;
  const publicPort = await freePort();
  publicBase = `http://localhost:${publicPort}`;
  const rp = JSON.stringify({ id: 'localhost', display_name: 'Tessera', origins: [appOrigin, publicBase] });
  tessera = await startTessera({
    env: {
      SERVE_PUBLIC_PORT: String(publicPort),
      SERVE_PUBLIC_BASE_URL: `${publicBase}/`,
      SERVE_PUBLIC_CORS_ENABLED: 'true',
      SERVE_PUBLIC_CORS_ALLOWED_ORIGINS: appOrigin,
      SELFSERVICE_DEFAULT_BROWSER_RETURN_URL: ui('welcome'),
      SELFSERVICE_ALLOWED_RETURN_URLS: `${appOrigin}/`,
      SELFSERVICE_FLOWS_LOGIN_UI_URL: ui('login'),
      SELFSERVICE_FLOWS_LOGIN_STYLE: 'identifier_first',
      SELFSERVICE_FLOWS_REGISTRATION_UI_URL: ui('registration'),
      SELFSERVICE_FLOWS_SETTINGS_UI_URL: ui('settings'),
      SELFSERVICE_FLOWS_ERROR_UI_URL: ui('error'),
      SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_ENABLED: 'false',
      SELFSERVICE_METHODS_PASSKEY_ENABLED: 'true',
      SELFSERVICE_METHODS_PASSKEY_CONFIG_RP: rp,
    },
  });
  app.useTessera(publicBase);
  browser = await launchChromium();
  context = await browser.newContext();
  page = await context.newPage();
  await addVirtualAuthenticator(page);

  // The account, signed up through a native flow: this spec is about signing in.
  const flow = (await (await fetch(`${tessera.publicUrl}/self-service/registration/api`)).json()) as {
    id: string;
  };
  const signup = await fetch(`${tessera.publicUrl}/self-service/registration?flow=${flow.id}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ method: 'password', traits: { email }, password: PASSWORD }),
  });
  expect(signup.status).toBe(200);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([tessera?.stop(), app?.close()]);
});

async function whoami(): Promise<{ status: number; methods: string[]; email?: string }> {
  return page.evaluate(async (url) => {
    const response = await fetch(`${url}/sessions/whoami`, { credentials: 'include' });
    const body = (await response.json()) as {
      identity?: { traits: { email: string } };
      authentication_methods?: { method: string }[];
    };
    return {
      status: response.status,
      methods: (body.authentication_methods ?? []).map((m) => m.method),
      email: body.identity?.traits.email,
    };
  }, publicBase);
}

/** Step one as Elements shows it: the identifier and Continue, nothing else to type. */
async function provideIdentifier(): Promise<void> {
  await page.goto(`${appOrigin}/login`);
  await page.waitForURL(/\/login\?flow=/);
  const identifier = page.locator('input[name="identifier"]');
  await identifier.waitFor();
  expect(await page.locator('input[name="password"]').count()).toBe(0);
  await identifier.fill(email);
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe('Ory Elements signing in with identifier_first', () => {
  it('asks for the identifier, then for the password, its only method, and signs in', async () => {
    await provideIdentifier();
    // One method: Elements shows it straight away, with the identifier kept as a way back.
    await page.getByTestId('ory/screen/login/action/restart').waitFor();
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.waitForURL(`${appOrigin}/welcome`);
    expect(await whoami()).toEqual({ status: 200, methods: ['password'], email });
  });

  it('adds a passkey in settings', async () => {
    await page.goto(`${appOrigin}/settings`);
    await page.waitForURL(/\/settings\?flow=/);
    await page.getByRole('button', { name: /add passkey/i }).click();
    for (let i = 0; i < 50; i += 1) {
      const response = await fetch(
        `${tessera.adminUrl}/admin/identities?credentials_identifier=${encodeURIComponent(email)}&include_credential=passkey`,
      );
      const [found] = (await response.json()) as { credentials?: { passkey?: unknown } }[];
      if (found?.credentials?.passkey) return;
      await page.waitForTimeout(100);
    }
    throw new Error('no passkey credential after Add passkey');
  });

  it('signs in with the passkey from step one when the browser offers it as autofill', async () => {
    await context.clearCookies();
    expect((await whoami()).status).toBe(401);
    // The identifier input carries `autocomplete="username webauthn"`: the virtual authenticator
    // answers the conditional request at once, as a person picking the autofill entry.
    await page.goto(`${appOrigin}/login`);
    await page.waitForURL(`${appOrigin}/welcome`);
    expect(await whoami()).toEqual({ status: 200, methods: ['passkey'], email });
  });

  it('signs in with the passkey button of step two in a browser without passkey autofill', async () => {
    await page.addInitScript(() => {
      const credential = (
        globalThis as { PublicKeyCredential?: { isConditionalMediationAvailable?: unknown } }
      ).PublicKeyCredential;
      if (credential) credential.isConditionalMediationAvailable = () => Promise.resolve(false);
    });
    await context.clearCookies();
    expect((await whoami()).status).toBe(401);
    await provideIdentifier();
    // Two methods: Elements lets the person choose.
    await page.getByTestId('ory/form/auth-picker/password').waitFor();
    const passkey = page.getByTestId('ory/form/auth-picker/passkey');
    await expect.poll(() => passkey.isEnabled()).toBe(true);
    await passkey.click();
    await page.waitForURL(`${appOrigin}/welcome`);
    expect(await whoami()).toEqual({ status: 200, methods: ['passkey'], email });
  });
});
