import type { SettingsFlow, UiNode } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CookieJar } from '../../support/cookie-jar.js';
import {
  browserWithSession,
  csrfTokenOf,
  nodeNamed,
  postJson,
  sleep,
  type FlowServer,
} from '../../support/self-service.js';
import { browserSettingsFlow, settingsFlowOf, startSettingsServer } from '../settings/settings-support.js';
import { WEBAUTHN_ENV } from '../../support/webauthn-env.js';

// Security keys and passkeys in the settings form, without a browser: the nodes a UI renders,
// and what a submission that is not a real attestation gets back.

const PRIVILEGE_MS = 3_000;

let server: FlowServer;

beforeAll(async () => {
  server = await startSettingsServer({
    ...WEBAUTHN_ENV,
    SELFSERVICE_FLOWS_SETTINGS_PRIVILEGED_SESSION_MAX_AGE: `${PRIVILEGE_MS}ms`,
  });
});

afterAll(async () => {
  await server?.stop();
});

const attrs = (node: UiNode) => node.attributes as unknown as Record<string, unknown>;
const group = (flow: SettingsFlow, name: string) =>
  flow.ui.nodes
    .filter((n) => n.group === name)
    .map((n) => `${n.type}:${String(attrs(n)['name'] ?? attrs(n)['id'])}`);

async function signedIn(): Promise<{ jar: CookieJar; flow: SettingsFlow }> {
  const { jar } = await browserWithSession(server.publicUrl);
  return { jar, flow: await browserSettingsFlow(jar, server.publicUrl) };
}

async function submit(jar: CookieJar, flow: SettingsFlow, body: Record<string, unknown>) {
  const response = await postJson(jar, flow.ui.action, { csrf_token: csrfTokenOf(flow), ...body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the settings form with security keys and passkeys enabled', () => {
  it('offers to name and add a security key, and to add a passkey', async () => {
    const { flow } = await signedIn();
    expect(group(flow, 'webauthn')).toEqual([
      'input:webauthn_register_displayname',
      'input:webauthn_register',
      'input:webauthn_register_trigger',
      'script:webauthn_script',
    ]);
    expect(group(flow, 'passkey')).toEqual([
      'input:passkey_create_data',
      'input:passkey_settings_register',
      'input:passkey_register_trigger',
      'script:webauthn_script',
    ]);
    expect(nodeNamed(flow, 'webauthn_register_displayname').meta.label).toMatchObject({ id: 1050013 });
    const trigger = nodeNamed(flow, 'webauthn_register_trigger');
    expect(trigger.meta.label).toMatchObject({ id: 1050012, type: 'info' });
    expect(attrs(trigger)).toMatchObject({ type: 'button', onclickTrigger: 'oryWebAuthnRegistration' });
    const options = JSON.parse(String(attrs(trigger)['value'])) as {
      publicKey: { rp: { id: string }; user: { id: string; name: string }; excludeCredentials: unknown[] };
    };
    expect(options.publicKey.rp.id).toBe('localhost');
    expect(Buffer.from(options.publicKey.user.id, 'base64url')).toHaveLength(64);
    expect(options.publicKey.user.name).toMatch(/@example\.org$/);
    expect(options.publicKey.excludeCredentials).toEqual([]);
    expect(String(attrs(trigger)['onclick'])).toMatch(/^window\.__oryWebAuthnRegistration\(\{/);

    const passkey = nodeNamed(flow, 'passkey_register_trigger');
    expect(passkey.meta.label).toMatchObject({ id: 1050019 });
    expect(attrs(passkey)['onclickTrigger']).toBe('oryPasskeySettingsRegistration');
    const createData = JSON.parse(String(attrs(nodeNamed(flow, 'passkey_create_data'))['value'])) as {
      credentialOptions: { publicKey: { authenticatorSelection: { residentKey: string } } };
    };
    expect(createData.credentialOptions.publicKey.authenticatorSelection.residentKey).toBe('required');
    expect(JSON.stringify(flow)).not.toContain('internal');
  });

  it('answers an attestation that does not verify with 4000043 on the node, never a 500', async () => {
    const { jar, flow } = await signedIn();
    for (const [name, extra] of [
      ['webauthn_register', { webauthn_register_displayname: 'my key' }],
      ['passkey_settings_register', {}],
    ] as const) {
      for (const value of ['garbage', '{}', '{"id":"AAAA","response":{"attestationObject":"AAAA"}}']) {
        const answer = await submit(jar, flow, { [name]: value, ...extra });
        expect(answer.status).toBe(400);
        const body = settingsFlowOf(answer.body);
        expect(nodeNamed(body, name).messages.map((m) => m.id)).toEqual([4000043]);
        expect(body.state).toBe('show_form');
      }
    }
  });

  it('says so when asked to remove a key that is not there', async () => {
    const { jar, flow } = await signedIn();
    for (const name of ['webauthn_remove', 'passkey_remove']) {
      const answer = await submit(jar, flow, { [name]: 'deadbeef' });
      expect(answer.status).toBe(400);
      const body = settingsFlowOf(answer.body);
      expect(body.ui.messages?.map((m) => m.id)).toEqual([4000001]);
    }
  });

  it('wants a recent sign-in before a key is added or removed', async () => {
    const { jar, flow } = await signedIn();
    await sleep(PRIVILEGE_MS + 300);
    for (const body of [
      { webauthn_register: 'garbage', webauthn_register_displayname: 'late' },
      { webauthn_remove: 'deadbeef' },
      { passkey_settings_register: 'garbage' },
      { passkey_remove: 'deadbeef' },
    ]) {
      const answer = await submit(jar, flow, body);
      expect(answer.status).toBe(403);
      expect((answer.body['error'] as { id: string }).id).toBe('session_refresh_required');
    }
  });
});
