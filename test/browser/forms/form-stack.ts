import * as OTPAuth from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { launchChromium } from '../../support/browser.js';
import { type ReceivedMail, type SmtpSink, startSmtpSink } from '../../support/smtp-sink.js';
import { freePort, startTessera, type TesseraProcess } from '../../support/tessera-process.js';
import { type ReferenceUi, startReferenceUi } from './reference-ui.js';

export const PASSWORD = 'Quartz-Lantern-Orbit-73';

/**
 * Tessera with the reference UI as its self-service UI, its courier mailing a real SMTP sink, and
 * Chromium. `host` is how the browser reaches both (WebAuthn wants `localhost`, a domain).
 */
export interface FormStack {
  tessera: TesseraProcess;
  ui: ReferenceUi;
  sink: SmtpSink;
  browser: Browser;
  /** Tessera's public base URL as the browser sees it. */
  publicBase: string;
  close(): Promise<void>;
}

export async function startFormStack(
  env: Record<string, string> | ((ui: ReferenceUi) => Record<string, string>),
  host = '127.0.0.1',
): Promise<FormStack> {
  const [ui, sink, publicPort] = await Promise.all([startReferenceUi(host), startSmtpSink(), freePort()]);
  const publicBase = `http://${host}:${publicPort}`;
  const tessera = await startTessera({
    env: {
      SERVE_PUBLIC_PORT: String(publicPort),
      SERVE_PUBLIC_BASE_URL: `${publicBase}/`,
      SELFSERVICE_DEFAULT_BROWSER_RETURN_URL: ui.url('/welcome'),
      SELFSERVICE_ALLOWED_RETURN_URLS: `${ui.origin}/`,
      SELFSERVICE_FLOWS_LOGIN_UI_URL: ui.url('/login'),
      SELFSERVICE_FLOWS_REGISTRATION_UI_URL: ui.url('/registration'),
      SELFSERVICE_FLOWS_SETTINGS_UI_URL: ui.url('/settings'),
      SELFSERVICE_FLOWS_RECOVERY_UI_URL: ui.url('/recovery'),
      SELFSERVICE_FLOWS_VERIFICATION_UI_URL: ui.url('/verification'),
      SELFSERVICE_FLOWS_ERROR_UI_URL: ui.url('/error'),
      SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_ENABLED: 'false',
      COURIER_SMTP_CONNECTION_URI: sink.uri,
      ...(typeof env === 'function' ? env(ui) : env),
    },
  });
  ui.useTessera({ browser: publicBase, server: tessera.publicUrl });
  const browser = await launchChromium();
  return {
    tessera,
    ui,
    sink,
    browser,
    publicBase,
    async close() {
      await browser.close();
      await tessera.stop();
      await Promise.all([ui.close(), sink.close()]);
    },
  };
}

export const uniqueEmail = (label: string) =>
  `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.org`;

/** A person in front of the reference UI: fills inputs by name and clicks the flow's buttons. */
export class Person {
  private constructor(
    readonly stack: FormStack,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  static async open(stack: FormStack): Promise<Person> {
    const context = await stack.browser.newContext();
    return new Person(stack, context, await context.newPage());
  }

  /** Opens a UI page; without `?flow=` the UI has Tessera start one and comes back with it. */
  async visit(path: string): Promise<void> {
    await this.page.goto(this.stack.ui.url(path));
    await this.page.waitForLoadState('load');
  }

  async fill(name: string, value: string, form?: string): Promise<void> {
    await this.page
      .locator(`${form ? `#form-${form} ` : ''}input[name="${name}"]`)
      .fill(value, { timeout: 5_000 });
  }

  /** Clicks the button node `name`(=`value`) and waits for the page the post leads to. */
  async click(name: string, value?: string, form?: string): Promise<void> {
    const selector = `${form ? `#form-${form} ` : ''}button[name="${name}"]${value === undefined ? '' : `[value="${value}"]`}`;
    const button = this.page.locator(selector);
    const count = await button.count();
    if (count !== 1) {
      const buttons = await this.page
        .locator('button')
        .evaluateAll((all) => all.map((b) => `${b.getAttribute('name')}=${b.getAttribute('value')}`));
      throw new Error(
        `${count} buttons ${selector} on ${this.page.url()}; ` +
          `messages ${JSON.stringify(await this.messages())}, buttons ${JSON.stringify(buttons)}`,
      );
    }
    await Promise.all([this.page.waitForEvent('framenavigated'), button.click()]);
    await this.page.waitForLoadState('load');
  }

  /** Follows a link on the page by its text, like a person. */
  async follow(text: string | RegExp): Promise<void> {
    await Promise.all([
      this.page.waitForEvent('framenavigated'),
      this.page.getByRole('link', { name: text }).click(),
    ]);
    await this.page.waitForLoadState('load');
  }

  get path(): string {
    return new URL(this.page.url()).pathname;
  }

  /** The ui messages the page shows: id and text. */
  async messages(): Promise<{ id: number; text: string }[]> {
    return this.page.locator('.message').evaluateAll((elements) =>
      elements.map((el) => ({
        id: Number(el.getAttribute('data-message-id')),
        text: (el.textContent ?? '').trim(),
      })),
    );
  }

  async messageIds(): Promise<number[]> {
    return (await this.messages()).map((m) => m.id);
  }

  /** The session line every page shows. */
  async session(): Promise<{ state: string; aal: string | null; email: string | null }> {
    const line = this.page.locator('#session');
    return {
      state: (await line.getAttribute('data-state')) ?? '',
      aal: await line.getAttribute('data-aal'),
      email: (await line.locator('#session-email').count())
        ? await line.locator('#session-email').textContent()
        : null,
    };
  }

  async signOut(): Promise<void> {
    await this.visit('/welcome');
    await this.follow('Sign out');
    expect(this.path).toBe('/welcome');
    expect((await this.session()).state).toBe('signed_out');
  }

  /**
   * Signs up through the registration form with the password method: under `profile_first`
   * (Kratos' default) the traits first, then the password on the methods' screen.
   */
  async register(email: string, password = PASSWORD): Promise<void> {
    await this.visit('/registration');
    await this.fill('traits.email', email);
    if (await this.page.locator('button[name="method"][value="profile"]').count())
      await this.click('method', 'profile');
    await this.fill('password', password);
    await this.click('method', 'password');
  }

  async signIn(email: string, password = PASSWORD): Promise<void> {
    await this.visit('/login');
    await this.fill('identifier', email);
    await this.fill('password', password);
    await this.click('method', 'password');
  }

  /** The text shown under a text node, e.g. the TOTP secret. */
  async textOf(id: string): Promise<string> {
    return ((await this.page.locator(`#${id} code`).first().textContent()) ?? '').trim();
  }

  close(): Promise<void> {
    return this.context.close();
  }
}

/** The next mail to `to` whose subject matches, after `after` mails already delivered. */
export function mailTo(sink: SmtpSink, to: string, about: RegExp, after = 0): Promise<ReceivedMail> {
  return sink.waitFor(
    (m) =>
      m.to.some((r) => r.toLowerCase() === to.toLowerCase()) &&
      about.test(m.subject) &&
      sink.messages.indexOf(m) >= after,
    15_000,
  );
}

export function codeIn(mail: ReceivedMail): string {
  const match = /\b(\d{6})\b/.exec(mail.text);
  expect(match, mail.text).toBeTruthy();
  return match![1]!;
}

export function linkIn(mail: ReceivedMail, path: string): string {
  const match = new RegExp(`https?://[^\\s"'<>]*${path}[^\\s"'<>]*`).exec(mail.text);
  expect(match, mail.text).toBeTruthy();
  return match![0].replace(/&amp;/g, '&');
}

/** The code an authenticator app shows for `secret`, `periods` steps from now. */
export function totpCode(secret: string, periods = 0): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({
    timestamp: Date.now() + periods * 30_000,
  });
}

/** Creates an identity through the admin API (setup for flows that start from an existing account). */
export async function createIdentity(stack: FormStack, email: string, password = PASSWORD): Promise<string> {
  const response = await fetch(`${stack.tessera.adminUrl}/admin/identities`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      schema_id: 'default',
      traits: { email },
      credentials: { password: { config: { password } } },
    }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

export async function adminIdentity(
  stack: FormStack,
  email: string,
): Promise<{
  id: string;
  verifiable_addresses: { value: string; verified: boolean }[];
  credentials?: Record<string, unknown>;
}> {
  const response = await fetch(
    `${stack.tessera.adminUrl}/admin/identities?credentials_identifier=${encodeURIComponent(email)}`,
  );
  const [identity] = (await response.json()) as {
    id: string;
    verifiable_addresses: { value: string; verified: boolean }[];
  }[];
  expect(identity, `no identity for ${email}`).toBeTruthy();
  return identity!;
}

/** Whether `email` is a verified address of its identity (read through the admin API). */
export async function isVerified(stack: FormStack, email: string): Promise<boolean | undefined> {
  return (await adminIdentity(stack, email)).verifiable_addresses.find((a) => a.value === email)?.verified;
}

/**
 * On the verification or recovery page: types `email` in, clicks the `method` button, expects the
 * `sent` message, and returns the mail (subject matching `about`) that went to the address.
 */
export async function requestMail(
  stack: FormStack,
  person: Person,
  path: '/verification' | '/recovery',
  email: string,
  method: 'code' | 'link',
  sent: number,
  about: RegExp,
): Promise<ReceivedMail> {
  await person.visit(path);
  expect(person.path).toBe(path);
  const before = stack.sink.messages.length;
  await person.fill('email', email);
  await person.click('method', method);
  expect(await person.messageIds()).toEqual([sent]);
  return mailTo(stack.sink, email, about, before);
}

const NEW_PASSWORD = 'Copper-Harbour-Lattice-58';
const SAVED = { id: 1050001, text: 'Your changes have been saved!' };

/** On the settings page: sets a new password, sees it saved, signs out and signs in with it. */
export async function setNewPasswordAndSignIn(person: Person, email: string): Promise<void> {
  await person.fill('password', NEW_PASSWORD, 'password');
  await person.click('method', 'password', 'password');
  expect(person.path).toBe('/settings');
  expect(await person.messages()).toEqual([SAVED]);

  await person.signOut();
  await person.signIn(email, NEW_PASSWORD);
  expect(person.path).toBe('/welcome');
  expect(await person.session()).toEqual({ state: 'signed_in', aal: 'aal1', email });
}
