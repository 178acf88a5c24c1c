import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/browser.js';
import { freePort, startTessera, type TesseraProcess } from '../../support/tessera-process.js';
import { addVirtualAuthenticator } from '../webauthn/flow-page.js';
import { serveElementsApp } from './elements-app.js';

// Ory Elements (@ory/elements-react, unmodified) registering against Tessera's default
// `profile_first` style: the traits on the first screen, then the methods for them. Everything
// is reached as `localhost`, the passkey's relying party.

const PASSWORD = 'a sufficiently long elements password';

let tessera: TesseraProcess;
let app: Awaited<ReturnType<typeof serveElementsApp>>;
let browser: Browser;
let origin: string;
let publicBase: string;

const local = (url: string) => url.replace('127.0.0.1', 'localhost');

beforeAll(async () => {
  app = await serveElementsApp();
  origin = local(app.origin);
  const port = await freePort();
  publicBase = `http://localhost:${port}`;
  const ui = (path: string) => `${origin}/${path}`;
  const session = '[{"hook":"session"}]';
  tessera = await startTessera({
    env: {
      SERVE_PUBLIC_PORT: String(port),
      SERVE_PUBLIC_BASE_URL: `${publicBase}/`,
      SERVE_PUBLIC_CORS_ENABLED: 'true',
      SERVE_PUBLIC_CORS_ALLOWED_ORIGINS: origin,
      SELFSERVICE_DEFAULT_BROWSER_RETURN_URL: ui('welcome'),
      SELFSERVICE_ALLOWED_RETURN_URLS: `${origin}/`,
      SELFSERVICE_FLOWS_LOGIN_UI_URL: ui('login'),
      SELFSERVICE_FLOWS_REGISTRATION_UI_URL: ui('registration'),
      SELFSERVICE_FLOWS_SETTINGS_UI_URL: ui('settings'),
      SELFSERVICE_FLOWS_ERROR_UI_URL: ui('error'),
      SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSWORD_HOOKS: session,
      SELFSERVICE_FLOWS_REGISTRATION_AFTER_PASSKEY_HOOKS: session,
      SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_ENABLED: 'false',
      SELFSERVICE_METHODS_PASSKEY_ENABLED: 'true',
      SELFSERVICE_METHODS_PASSKEY_CONFIG_RP: JSON.stringify({
        id: 'localhost',
        display_name: 'Tessera Elements',
        origins: [origin],
      }),
    },
  });
  app.useTessera(publicBase);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([tessera?.stop(), app?.close()]);
});

async function whoami(page: Page): Promise<{ status: number; email?: string; methods: string[] }> {
  return page.evaluate(async (url) => {
    const response = await fetch(`${url}/sessions/whoami`, { credentials: 'include' });
    const body = (await response.json()) as {
      identity?: { traits: { email: string } };
      authentication_methods?: { method: string }[];
    };
    return {
      status: response.status,
      email: body.identity?.traits.email,
      methods: (body.authentication_methods ?? []).map((m) => m.method),
    };
  }, publicBase);
}

/**
 * The first screen: the traits only, then Elements' "Sign up" (`method=profile`). The second screen
 * carries the e-mail as a hidden trait and `screen=previous`: with more than one method Elements
 * shows its method picker there, the e-mail as a button back to the first screen.
 */
async function throughTheTraits(page: Page, email: string): Promise<void> {
  await page.goto(`${origin}/registration`);
  await page.getByLabel('E-Mail').fill(email);
  expect(await page.locator('input[name="password"]').count()).toBe(0);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByTestId('ory/form/auth-picker/password').waitFor();
  expect(await page.getByTestId('ory/screen/registration/action/restart').textContent()).toBe(email);
  expect(await page.locator('input[name="password"]').count()).toBe(0);
}

describe('Ory Elements with profile_first registration', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await browser.newContext();
    page = await context.newPage();
  });
  afterAll(() => context?.close());

  it('signs up with a password picked on the second screen, after going back once to change the e-mail', async () => {
    const first = `elements-first-${Date.now()}@example.org`;
    const email = `elements-two-step-${Date.now()}@example.org`;
    await throughTheTraits(page, first);
    // Back to the first screen, the traits kept.
    await page.getByTestId('ory/screen/registration/action/restart').click();
    const address = page.getByLabel('E-Mail');
    await address.waitFor();
    expect(await address.inputValue()).toBe(first);
    expect(await page.getByTestId('ory/form/auth-picker/password').count()).toBe(0);
    await address.fill(email);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByTestId('ory/form/auth-picker/password').click();
    // Another method could still be chosen; the password form keeps the e-mail as the way back.
    await page.getByTestId('ory/screen/registration/action/selectMethod').waitFor();
    expect(await page.getByTestId('ory/screen/registration/action/restart').textContent()).toBe(email);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(/\/welcome/);
    expect(await whoami(page)).toEqual({ status: 200, email, methods: ['password'] });
  });
});

describe('Ory Elements with profile_first registration and a passkey', () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await browser.newContext();
    page = await context.newPage();
    await addVirtualAuthenticator(page);
  });
  afterAll(() => context?.close());

  it('signs up with the passkey of the method picker', async () => {
    const email = `elements-passkey-${Date.now()}@example.org`;
    await throughTheTraits(page, email);
    // The picker's passkey entry calls the passkey script's registration at once (no second form).
    const passkey = page.getByTestId('ory/form/auth-picker/passkey');
    await expect.poll(() => passkey.isEnabled()).toBe(true);
    await passkey.click();
    await page.waitForURL(/\/welcome/, { timeout: 15_000 });
    expect(await whoami(page)).toEqual({ status: 200, email, methods: ['passkey'] });
  });
});
