import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/browser.js';
import { startOidcProvider, type TestOidcProvider } from '../../support/oidc-provider.js';
import { freePort, startTessera, type TesseraProcess } from '../../support/tessera-process.js';
import { serveElementsApp } from './elements-app.js';

// Ory Elements, unmodified, signs up and in with a real OpenID provider (`oidc-provider` on
// loopback) in Chromium: the provider button Elements renders from the flow's `oidc` nodes, the
// provider's own sign-in and consent steps in the same browser, and the callback back to Tessera.

/** Email from the claims, verified only when the provider says it is. */
const MAPPER = `
local claims = std.extVar('claims');
{
  identity: {
    traits: { email: claims.email },
    verified_addresses: if 'email_verified' in claims && claims.email_verified
      then [{ via: 'email', value: claims.email }] else [],
  },
}
`;

let tessera: TesseraProcess;
let idp: TestOidcProvider;
let app: Awaited<ReturnType<typeof serveElementsApp>>;
let browser: Browser;

interface Session {
  identity?: { id: string; traits: { email: string }; verifiable_addresses: { verified: boolean }[] };
  authentication_methods?: { method: string; provider?: string }[];
}

beforeAll(async () => {
  app = await serveElementsApp();
  const ui = (path: string) => `${app.origin}/${path}`;
  // The provider must know Tessera's redirect URI before Tessera knows the provider's issuer.
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  idp = await startOidcProvider({
    clients: [
      {
        client_id: 'tessera-elements',
        redirect_uris: [`${publicUrl}/self-service/methods/oidc/callback/acme`],
      },
    ],
  });
  const [client] = idp.clients;
  tessera = await startTessera({
    env: {
      SERVE_PUBLIC_PORT: String(port),
      SERVE_PUBLIC_CORS_ENABLED: 'true',
      SERVE_PUBLIC_CORS_ALLOWED_ORIGINS: app.origin,
      SELFSERVICE_DEFAULT_BROWSER_RETURN_URL: ui('welcome'),
      SELFSERVICE_ALLOWED_RETURN_URLS: `${app.origin}/`,
      SELFSERVICE_FLOWS_LOGIN_UI_URL: ui('login'),
      SELFSERVICE_FLOWS_REGISTRATION_UI_URL: ui('registration'),
      // The provider button on the one-step form; these tests are about OIDC, not the style.
      SELFSERVICE_FLOWS_REGISTRATION_STYLE: 'unified',
      SELFSERVICE_FLOWS_SETTINGS_UI_URL: ui('settings'),
      SELFSERVICE_FLOWS_ERROR_UI_URL: ui('error'),
      SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_ENABLED: 'false',
      SELFSERVICE_METHODS_OIDC_ENABLED: 'true',
      SELFSERVICE_METHODS_OIDC_CONFIG_PROVIDERS: JSON.stringify([
        {
          id: 'acme',
          provider: 'generic',
          label: 'Acme',
          client_id: client!.client_id,
          client_secret: client!.client_secret,
          issuer_url: idp.issuer,
          scope: ['email'],
          mapper_url: `base64://${Buffer.from(MAPPER).toString('base64')}`,
        },
      ]),
      SELFSERVICE_FLOWS_REGISTRATION_AFTER_OIDC_HOOKS: '[{"hook":"session"}]',
    },
  });
  expect(tessera.publicUrl).toBe(publicUrl);
  app.useTessera(tessera.publicUrl);
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([tessera?.stop(), app?.close(), idp?.close()]);
});

/** A browser of its own: a fresh profile, no cookies at Tessera or at the provider. */
async function newBrowser(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

/** The session as the page's own credentialed fetch sees it. */
async function whoami(page: Page): Promise<{ status: number; body: Session }> {
  return page.evaluate(async (url) => {
    const response = await fetch(`${url}/sessions/whoami`, { credentials: 'include' });
    return { status: response.status, body: (await response.json()) as Session };
  }, tessera.publicUrl);
}

/**
 * At the provider's pages: signs in as `sub` and allows Tessera, as often as the provider asks (a
 * provider session that already consented asks nothing), until Elements shows the welcome page.
 */
async function consentAtProvider(page: Page, sub: string): Promise<void> {
  const welcome = `${app.origin}/welcome`;
  let answered = '';
  for (let step = 0; step < 4; step += 1) {
    await page.waitForURL(
      (url) =>
        url.href === welcome || (url.href.startsWith(`${idp.issuer}/interaction/`) && url.href !== answered),
    );
    if (page.url() === welcome) return;
    answered = page.url();
    const signIn = page.getByRole('button', { name: 'Sign in', exact: true });
    const allow = page.getByRole('button', { name: 'Allow' });
    await signIn.or(allow).waitFor();
    if (await signIn.isVisible()) {
      await page.getByLabel('Account').fill(sub);
      await signIn.click();
    } else {
      await allow.click();
    }
  }
  throw new Error('the provider kept asking');
}

describe('Ory Elements: social sign-in through an OpenID provider', () => {
  const sub = `elements-${Date.now()}`;
  const email = `${sub}@example.org`;
  let identityId = '';

  it('signs up with the provider button, passes the provider, and lands signed in', async () => {
    idp.addAccount(sub, { email, email_verified: true });
    const { context, page } = await newBrowser();
    await page.goto(`${app.origin}/registration`);
    await page.getByRole('button', { name: 'Sign up with Acme' }).click();
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    await page.getByRole('heading', { name: 'Sign in at the test provider' }).waitFor();
    await consentAtProvider(page, sub);
    await page.waitForURL(`${app.origin}/welcome`);
    const me = await whoami(page);
    expect(me.status).toBe(200);
    expect(me.body.authentication_methods).toEqual([
      expect.objectContaining({ method: 'oidc', provider: 'acme' }),
    ]);
    expect(me.body.identity?.traits).toEqual({ email });
    expect(me.body.identity?.verifiable_addresses[0]?.verified).toBe(true);
    identityId = me.body.identity!.id;

    // Signed out, the same browser signs in with the provider again: the same identity.
    const logout = await page.evaluate(async (url) => {
      const response = await fetch(`${url}/self-service/logout/browser`, { credentials: 'include' });
      return ((await response.json()) as { logout_url: string }).logout_url;
    }, tessera.publicUrl);
    await page.goto(logout);
    expect((await whoami(page)).status).toBe(401);

    await page.goto(`${app.origin}/login`);
    await page.getByRole('button', { name: 'Sign in with Acme' }).click();
    await consentAtProvider(page, sub);
    await page.waitForURL(`${app.origin}/welcome`);
    const again = await whoami(page);
    expect(again.status).toBe(200);
    expect(again.body.identity?.id).toBe(identityId);
    expect(again.body.authentication_methods).toEqual([
      expect.objectContaining({ method: 'oidc', provider: 'acme' }),
    ]);
    await context.close();

    const list = await fetch(
      `${tessera.adminUrl}/admin/identities?credentials_identifier=${encodeURIComponent(`acme:${sub}`)}`,
    );
    expect(((await list.json()) as { id: string }[]).map((i) => i.id)).toEqual([identityId]);
  });

  it('a new browser signs in with the provider to the identity it signed up', async () => {
    const { context, page } = await newBrowser();
    await page.goto(`${app.origin}/login`);
    await page.getByRole('button', { name: 'Sign in with Acme' }).click();
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    await consentAtProvider(page, sub);
    await page.waitForURL(`${app.origin}/welcome`);
    expect((await whoami(page)).body.identity?.id).toBe(identityId);
    await context.close();
  });

  it('a refusal at the provider brings Elements back to the login flow, showing why', async () => {
    const { context, page } = await newBrowser();
    await page.goto(`${app.origin}/login`);
    await page.getByRole('button', { name: 'Sign in with Acme' }).click();
    await page.waitForURL(`${idp.issuer}/interaction/**`);
    await page.getByRole('button', { name: 'Deny' }).click();
    await page.waitForURL(new RegExp(`^${app.origin}/login\\?flow=`));
    await page.getByText(/the OpenID Provider returned error "access_denied"/).waitFor();
    expect((await whoami(page)).status).toBe(401);
    // The flow is still usable: the provider button is there to try again.
    await page.getByRole('button', { name: 'Sign in with Acme' }).waitFor();
    await context.close();
  });
});
