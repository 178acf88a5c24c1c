import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SettingsFlow, UiNode } from '@ory/kratos-client';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from '../../support/cookie-jar.js';
import { htmlFormFields, submitHtmlForm } from '../../support/html-form.js';
import { GOOD_PASSWORD, loginWithApi, registerWithApi, uniqueEmail } from '../../support/self-service.js';
import { WEBAUTHN_ENV } from '../../support/webauthn-env.js';
import { authenticator, MFA_ENV, textNode } from '../mfa/mfa-support.js';
import { codeIn, mailTo, startMailServer, type MailServer } from '../recovery/mail-flows.js';
import {
  browserSettingsFlow,
  fetchSettingsFlow,
  SETTINGS_UI,
  settingsFlowOf,
} from '../settings/settings-support.js';

// Every flow driven exactly as a server-rendered UI drives it: the form is rendered from the
// flow's nodes, hidden inputs included, and posted urlencoded with only the clicked button. Kratos'
// code forms thus send `method` twice, and its settings buttons send no `method` at all.

let server: MailServer;
let db: string;

beforeAll(async () => {
  db = join(mkdtempSync(join(tmpdir(), 'tessera-forms-')), 'db.sqlite');
  server = await startMailServer({
    DSN: `sqlite://${db}`,
    // The one-step registration form; profile_first's forms have their own spec.
    SELFSERVICE_FLOWS_REGISTRATION_STYLE: 'unified',
    ...MFA_ENV,
    ...WEBAUTHN_ENV,
    // A security key makes aal2 reachable; these tests are about forms, not about stepping up.
    SELFSERVICE_FLOWS_SETTINGS_REQUIRED_AAL: 'aal1',
  });
});

afterAll(async () => {
  await server?.stop();
});

type Kind = 'login' | 'registration' | 'recovery' | 'verification' | 'settings';
type Flow = { id: string; state?: string; ui: { action: string; nodes: UiNode[] } };

async function readFlow(jar: CookieJar, kind: Kind, id: string): Promise<Flow> {
  const response = await jar.fetch(`${server.publicUrl}/self-service/${kind}/flows?id=${id}`, {
    headers: { Accept: 'application/json' },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Flow;
}

/** A browser following a link to a flow: the 303 to the UI, then the UI reading the flow. */
async function openFlow(jar: CookieJar, kind: Kind): Promise<Flow> {
  const init = await jar.fetch(`${server.publicUrl}/self-service/${kind}/browser`, {
    headers: { Accept: 'text/html' },
  });
  expect(init.status).toBe(303);
  return readFlow(jar, kind, new URL(init.headers.get('location')!).searchParams.get('flow')!);
}

const whoami = async (jar: CookieJar) => {
  const response = await jar.fetch(`${server.publicUrl}/sessions/whoami`, {
    headers: { Accept: 'application/json' },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const names = (flow: Flow, group: string) =>
  flow.ui.nodes
    .filter((n) => n.group === group)
    .map((n) => (n.attributes as { name?: string; id?: string }).name ?? (n.attributes as { id: string }).id);

/** A user registered through the API; waits for the verification mail registration sends. */
async function registered(label: string): Promise<string> {
  const email = uniqueEmail(label);
  const before = server.sink.messages.length;
  await registerWithApi(server.frontend, email);
  await mailTo(server.sink, email, before, /verif/i);
  return email;
}

/** The code form after `email` was sent one: method is in a hidden input and on the button. */
async function sendCode(jar: CookieJar, kind: 'recovery' | 'verification', email: string, about: RegExp) {
  const flow = await openFlow(jar, kind);
  const before = server.sink.messages.length;
  const sent = await submitHtmlForm(jar, flow, { fill: { email }, click: { name: 'method', value: 'code' } });
  expect(sent.status).toBe(303);
  const code = codeIn(await mailTo(server.sink, email, before, about));
  const form = await readFlow(jar, kind, flow.id);
  const submission = { fill: { code }, click: { name: 'method', value: 'code' } };
  expect(new URLSearchParams(htmlFormFields(form, submission)).getAll('method')).toEqual(['code', 'code']);
  return { form, submission };
}

describe('code forms, which send method twice', () => {
  it('verify an address', async () => {
    const email = await registered('form-verify');
    const jar = new CookieJar();
    const { form, submission } = await sendCode(jar, 'verification', email, /verif/i);
    const done = await submitHtmlForm(jar, form, submission);
    expect(done.status).toBe(303);
    expect((await readFlow(jar, 'verification', form.id)).state).toBe('passed_challenge');
    const { data: identities } = await server.identities.listIdentities({ credentialsIdentifier: email });
    expect(identities[0]?.verifiable_addresses?.[0]).toMatchObject({ value: email, verified: true });
  });

  it('recover an account: signed in and sent to the settings UI', async () => {
    const email = await registered('form-recover');
    const jar = new CookieJar();
    const { form, submission } = await sendCode(jar, 'recovery', email, /recover|access/i);
    const done = await submitHtmlForm(jar, form, submission);
    expect(done.status).toBe(303);
    expect(new URL(done.headers.get('location')!).pathname).toBe(new URL(SETTINGS_UI).pathname);
    const me = await whoami(jar);
    expect(me.status).toBe(200);
    expect((me.body['identity'] as { traits: { email: string } }).traits.email).toBe(email);
  });
});

describe('login and registration forms', () => {
  it('register with a password', async () => {
    const jar = new CookieJar();
    const email = uniqueEmail('form-register');
    const flow = await openFlow(jar, 'registration');
    const done = await submitHtmlForm(jar, flow, {
      fill: { 'traits.email': email, password: GOOD_PASSWORD },
      click: { name: 'method', value: 'password' },
    });
    expect(done.status).toBe(303);
    expect((await whoami(jar)).status).toBe(200);
  });

  it('sign in with a password', async () => {
    const email = await registered('form-login');
    const jar = new CookieJar();
    const flow = await openFlow(jar, 'login');
    const done = await submitHtmlForm(jar, flow, {
      fill: { identifier: email, password: GOOD_PASSWORD },
      click: { name: 'method', value: 'password' },
    });
    expect(done.status).toBe(303);
    const me = await whoami(jar);
    expect(me.status).toBe(200);
    expect((me.body['identity'] as { traits: { email: string } }).traits.email).toBe(email);
  });
});

/** A browser signed up through the registration form, holding its session cookie. */
async function signedUp(label: string): Promise<{ jar: CookieJar; email: string }> {
  const jar = new CookieJar();
  const email = uniqueEmail(label);
  const flow = await openFlow(jar, 'registration');
  const done = await submitHtmlForm(jar, flow, {
    fill: { 'traits.email': email, password: GOOD_PASSWORD },
    click: { name: 'method', value: 'password' },
  });
  expect(done.status).toBe(303);
  return { jar, email };
}

/** Clicks a button of one settings group, then reads the flow the 303 leads back to. */
async function clickSettings(
  jar: CookieJar,
  flow: SettingsFlow,
  group: string,
  click: { name: string; value?: string },
  fill: Record<string, string> = {},
): Promise<SettingsFlow> {
  const fields = new URLSearchParams(htmlFormFields(flow, { groups: ['default', group], fill, click }));
  if (click.name !== 'method') expect(fields.has('method')).toBe(false);
  const response = await submitHtmlForm(jar, flow, { groups: ['default', group], fill, click });
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe(`${SETTINGS_UI}?flow=${flow.id}`);
  const { body } = await fetchSettingsFlow(jar, server.publicUrl, flow.id);
  const next = settingsFlowOf(body);
  expect(next.ui.messages?.map((m) => m.id) ?? []).not.toContain(4010004);
  return next;
}

describe('settings forms', () => {
  it('save the profile and the password', async () => {
    const { jar } = await signedUp('form-profile');
    const changed = uniqueEmail('form-profile-new');
    const flow = await browserSettingsFlow(jar, server.publicUrl);
    const saved = await clickSettings(
      jar,
      flow,
      'profile',
      { name: 'method', value: 'profile' },
      {
        'traits.email': changed,
      },
    );
    expect(saved.state).toBe('success');
    expect(saved.identity.traits).toMatchObject({ email: changed });

    const again = await browserSettingsFlow(jar, server.publicUrl);
    const password = 'Copper-Meadow-Signal-48';
    const done = await clickSettings(
      jar,
      again,
      'password',
      { name: 'method', value: 'password' },
      { password },
    );
    expect(done.state).toBe('success');
    expect((await loginWithApi(server.frontend, changed, password)).status).toBe(200);
  });

  it('create, reveal and disable backup codes with buttons that send no method', async () => {
    const { jar } = await signedUp('form-lookup');
    const start = await browserSettingsFlow(jar, server.publicUrl);
    expect(names(start, 'lookup_secret')).toEqual(['lookup_secret_regenerate']);

    const shown = await clickSettings(jar, start, 'lookup_secret', { name: 'lookup_secret_regenerate' });
    expect(names(shown, 'lookup_secret')).toEqual(['lookup_secret_codes', 'lookup_secret_confirm']);
    const confirmed = await clickSettings(jar, shown, 'lookup_secret', { name: 'lookup_secret_confirm' });
    expect(confirmed.state).toBe('success');

    const saved = await browserSettingsFlow(jar, server.publicUrl);
    expect(names(saved, 'lookup_secret')).toEqual(['lookup_secret_reveal', 'lookup_secret_disable']);
    const revealed = await clickSettings(jar, saved, 'lookup_secret', { name: 'lookup_secret_reveal' });
    expect(names(revealed, 'lookup_secret')).toContain('lookup_secret_codes');
    expect(JSON.stringify(textNode(revealed, 'lookup_secret_codes'))).toMatch(/[a-z0-9]{8}/);

    const disabled = await clickSettings(jar, revealed, 'lookup_secret', { name: 'lookup_secret_disable' });
    expect(disabled.state).toBe('success');
    expect(names(await browserSettingsFlow(jar, server.publicUrl), 'lookup_secret')).toEqual([
      'lookup_secret_regenerate',
    ]);
  });

  it('link an authenticator app, then unlink it with the button that sends no method', async () => {
    const { jar } = await signedUp('form-totp');
    const flow = await browserSettingsFlow(jar, server.publicUrl);
    const secret = textNode(flow, 'totp_secret_key').text.text;
    const linked = await clickSettings(
      jar,
      flow,
      'totp',
      { name: 'method', value: 'totp' },
      {
        totp_code: authenticator(secret).now(),
      },
    );
    expect(linked.state).toBe('success');

    const withApp = await browserSettingsFlow(jar, server.publicUrl);
    expect(names(withApp, 'totp')).toEqual(['totp_unlink']);
    const unlinked = await clickSettings(jar, withApp, 'totp', { name: 'totp_unlink' });
    expect(unlinked.state).toBe('success');
    expect(names(await browserSettingsFlow(jar, server.publicUrl), 'totp')).toContain('totp_code');
  });

  it.each([
    ['webauthn', 'webauthn_remove', false],
    ['passkey', 'passkey_remove', true],
  ] as const)(
    'remove a %s key with the %s button, which sends no method',
    async (type, button, passwordless) => {
      const { jar } = await signedUp(`form-${type}`);
      const identityId = ((await whoami(jar)).body['identity'] as { id: string }).id;
      const keyId = randomBytes(16);
      addKey(identityId, type, keyId, passwordless);

      const flow = await browserSettingsFlow(jar, server.publicUrl);
      expect(names(flow, type)).toContain(button);
      const removed = await clickSettings(jar, flow, type, { name: button, value: keyId.toString('hex') });
      expect(removed.state).toBe('success');
      expect(names(await browserSettingsFlow(jar, server.publicUrl), type)).not.toContain(button);
    },
  );
});

/**
 * Gives an identity a security key or passkey behind the server's back: making one takes an
 * authenticator, and the key is only ever removed here, never used.
 */
function addKey(identityId: string, type: 'webauthn' | 'passkey', id: Buffer, passwordless: boolean): void {
  const config = {
    credentials: [
      {
        id: id.toString('base64'),
        public_key: randomBytes(77).toString('base64'),
        attestation_type: 'none',
        authenticator: { aaguid: Buffer.alloc(16).toString('base64'), sign_count: 0, clone_warning: false },
        display_name: `Test ${type}`,
        added_at: new Date().toISOString(),
        is_passwordless: passwordless,
      },
    ],
    user_handle: randomBytes(64).toString('base64'),
  };
  const sqlite = new Sqlite(db);
  try {
    const inserted = sqlite
      .prepare(
        `INSERT INTO identity_credentials (id, identity_id, type, config, version, created_at, updated_at)
         SELECT ?, identity_id, ?, ?, 0, created_at, updated_at
         FROM identity_credentials WHERE identity_id = ? AND type = 'password'`,
      )
      .run(randomUUID(), type, JSON.stringify(config), identityId);
    expect(inserted.changes).toBe(1);
  } finally {
    sqlite.close();
  }
}
