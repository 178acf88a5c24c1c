import * as OTPAuth from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/browser.js';
import { startTessera, type TesseraProcess } from '../../support/tessera-process.js';
import { serveElementsApp } from './elements-app.js';

// Ory's own UI components (@ory/elements-react), unmodified, drive Tessera in Chromium: the pages
// fetch their flows with Ory's SDK and submit them as Elements does, from another origin of the
// same site (CORS with credentials).

const PASSWORD = 'a sufficiently long elements password';
const NEW_PASSWORD = 'another long elements password';

let tessera: TesseraProcess;
let app: Awaited<ReturnType<typeof serveElementsApp>>;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const email = `elements-${Date.now()}@example.org`;
let totpSecret = '';

beforeAll(async () => {
  app = await serveElementsApp();
  const ui = (path: string) => `${app.origin}/${path}`;
  tessera = await startTessera({
    env: {
      SERVE_PUBLIC_CORS_ENABLED: 'true',
      SERVE_PUBLIC_CORS_ALLOWED_ORIGINS: app.origin,
      SELFSERVICE_DEFAULT_BROWSER_RETURN_URL: ui('welcome'),
      SELFSERVICE_ALLOWED_RETURN_URLS: `${app.origin}/`,
      SELFSERVICE_FLOWS_LOGIN_UI_URL: ui('login'),
      SELFSERVICE_FLOWS_REGISTRATION_UI_URL: ui('registration'),
      SELFSERVICE_FLOWS_SETTINGS_UI_URL: ui('settings'),
      SELFSERVICE_FLOWS_RECOVERY_UI_URL: ui('recovery'),
      SELFSERVICE_FLOWS_VERIFICATION_UI_URL: ui('verification'),
      SELFSERVICE_FLOWS_ERROR_UI_URL: ui('error'),
      SELFSERVICE_FLOWS_RECOVERY_ENABLED: 'true',
      SELFSERVICE_FLOWS_VERIFICATION_ENABLED: 'true',
      SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_ENABLED: 'false',
      SELFSERVICE_METHODS_TOTP_ENABLED: 'true',
      // Elements' one-step sign-up form; these tests are about the flows after it.
      SELFSERVICE_FLOWS_REGISTRATION_STYLE: 'unified',
    },
  });
  app.useTessera(tessera.publicUrl);
  browser = await launchChromium();
  context = await browser.newContext();
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([tessera?.stop(), app?.close()]);
});

/** The session as the page's own credentialed fetch sees it. */
async function whoami(): Promise<{ status: number; body: { identity?: { traits: { email: string } } } }> {
  return page.evaluate(async (url) => {
    const response = await fetch(`${url}/sessions/whoami`, { credentials: 'include' });
    return {
      status: response.status,
      body: (await response.json()) as { identity?: { traits: { email: string } } },
    };
  }, tessera.publicUrl);
}

/** The code in the newest mail to `to` whose subject matches, from the admin courier API (--dev shows bodies). */
async function codeMailedTo(to: string, subject: RegExp, after: Set<string>): Promise<string> {
  for (let i = 0; i < 50; i += 1) {
    const response = await fetch(
      `${tessera.adminUrl}/admin/courier/messages?recipient=${encodeURIComponent(to)}`,
    );
    const messages = (await response.json()) as { id: string; subject: string; body: string }[];
    const fresh = messages.find((m) => !after.has(m.id) && subject.test(m.subject));
    const code = fresh?.body.match(/\b(\d{6})\b/)?.[1];
    if (code) return code;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no ${subject} mail to ${to}`);
}

async function mailIds(to: string): Promise<Set<string>> {
  const response = await fetch(
    `${tessera.adminUrl}/admin/courier/messages?recipient=${encodeURIComponent(to)}`,
  );
  return new Set(((await response.json()) as { id: string }[]).map((m) => m.id));
}

const passwordInput = () => page.locator('input[name="password"]');

async function identity(): Promise<{ verifiable_addresses: { verified: boolean }[] }> {
  const response = await fetch(
    `${tessera.adminUrl}/admin/identities?credentials_identifier=${encodeURIComponent(email)}`,
  );
  const [found] = (await response.json()) as { verifiable_addresses: { verified: boolean }[] }[];
  return found!;
}

describe('Ory Elements against Tessera', () => {
  it('signs up, is signed in, and lands on the verification page with the code mailed', async () => {
    await page.goto(`${app.origin}/registration`);
    await page.getByLabel('E-Mail').fill(email);
    await passwordInput().fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL(/\/verification\?flow=/);
    await page.getByText('Verify your account').waitFor();
    await page.getByText(email).waitFor();
    expect((await whoami()).status).toBe(200);
  });

  it('verifies the address with the mailed code', async () => {
    const code = await codeMailedTo(email, /verify/i, new Set());
    await page.locator('input[name="code"]').first().focus();
    await page.keyboard.type(code);
    await page.getByRole('button', { name: 'Continue' }).click();
    for (let i = 0; i < 50 && !(await identity()).verifiable_addresses[0]!.verified; i += 1)
      await page.waitForTimeout(100);
    expect((await identity()).verifiable_addresses[0]!.verified).toBe(true);
  });

  it('refuses a wrong password with the message for 4000006, then signs in', async () => {
    await context.clearCookies();
    await page.goto(`${app.origin}/login`);
    await page.getByLabel('E-Mail').fill(email);
    await passwordInput().fill('not the password at all');
    await page.getByRole('button', { name: 'Sign in with password' }).click();
    await page.getByText(/credentials are invalid/i).waitFor();
    expect((await whoami()).status).toBe(401);

    await passwordInput().fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in with password' }).click();
    await page.waitForURL(`${app.origin}/welcome`);
    expect((await whoami()).body.identity?.traits.email).toBe(email);
  });

  it('changes the password in settings', async () => {
    await page.goto(`${app.origin}/settings`);
    await page.waitForURL(/\/settings\?flow=/);
    await passwordInput().fill(NEW_PASSWORD);
    await page.locator('form', { has: passwordInput() }).getByRole('button', { name: 'Save' }).click();
    await page
      .getByText(/changes have been saved/i)
      .first()
      .waitFor();
    const login = await fetch(`${tessera.publicUrl}/self-service/login/api`);
    const flow = (await login.json()) as { ui: { action: string } };
    const signedIn = await fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ method: 'password', identifier: email, password: NEW_PASSWORD }),
    });
    expect(signedIn.status).toBe(200);
  });

  it('recovers the account by code and ends signed in on the settings page', async () => {
    await context.clearCookies();
    const before = await mailIds(email);
    await page.goto(`${app.origin}/recovery`);
    await page.getByLabel(/e-?mail/i).fill(email);
    await page
      .getByRole('button', { name: /continue|submit|send/i })
      .first()
      .click();
    const code = await codeMailedTo(email, /recover/i, before);
    await page.locator('input[name="code"]').first().focus();
    await page.keyboard.type(code);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/settings\?flow=/);
    expect((await whoami()).body.identity?.traits.email).toBe(email);
  });

  it('links an authenticator app in settings, and the session that did so stays signed in at aal2', async () => {
    await page.goto(`${app.origin}/settings`);
    await page.waitForURL(/\/settings\?flow=/);
    await page.locator('input[name="totp_code"]').waitFor();
    // The secret the QR code carries, as an authenticator app would read it.
    const flowId = new URL(page.url()).searchParams.get('flow')!;
    const secret = await page.evaluate(
      async ([url, id]) => {
        const response = await fetch(`${url}/self-service/settings/flows?id=${id}`, {
          credentials: 'include',
        });
        const flow = (await response.json()) as {
          ui: { nodes: { attributes: { id?: string; text?: { context?: { secret?: string } } } }[] };
        };
        return flow.ui.nodes.find((n) => n.attributes.id === 'totp_secret_key')!.attributes.text!.context!
          .secret!;
      },
      [tessera.publicUrl, flowId] as const,
    );
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
    await page.locator('input[name="totp_code"]').fill(code);
    await page
      .locator('form', { has: page.locator('input[name="totp_code"]') })
      .getByRole('button', { name: 'Save' })
      .click();
    await page
      .getByText(/changes have been saved/i)
      .first()
      .waitFor();
    const me = await whoami();
    expect(me.status).toBe(200);
    expect((me.body as { authenticator_assurance_level?: string }).authenticator_assurance_level).toBe(
      'aal2',
    );
    totpSecret = secret;
  });

  it("signs in with the password, is sent on to the second factor, and finishes with the app's code", async () => {
    await context.clearCookies();
    await page.goto(`${app.origin}/login`);
    await page.getByLabel('E-Mail').fill(email);
    await passwordInput().fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in with password' }).click();
    const codeInput = page.locator('input[name="totp_code"]');
    await codeInput.waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect((await whoami()).status).toBe(403);
    const next = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(totpSecret) }).generate({
      timestamp: Date.now() + 30_000,
    });
    await codeInput.fill(next);
    await page.locator('form', { has: codeInput }).getByRole('button').last().click();
    await page.waitForURL(`${app.origin}/welcome`);
    const me = await whoami();
    expect((me.body as { authenticator_assurance_level?: string }).authenticator_assurance_level).toBe(
      'aal2',
    );
  });
});
