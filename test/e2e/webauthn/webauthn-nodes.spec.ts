import { createHash } from 'node:crypto';
import type { LoginFlow, RegistrationFlow, UiNode } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  browserWithSession,
  csrfTokenOf,
  fetchFlow,
  initBrowserFlow,
  nodeNamed,
  normalised,
  postJson,
  startFlowServer,
  uiMessageIds,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';
import { WEBAUTHN_ENV } from '../../support/webauthn-env.js';

// The JSON and ui-node side of WebAuthn and passkeys; the ceremonies themselves run in Chromium
// (test/browser/webauthn).

let server: FlowServer;

beforeAll(async () => {
  server = await startFlowServer({
    ...WEBAUTHN_ENV,
    // The one-step form's passkey rounds; profile_first's credentials screen is in
    // registration-profile-first and the Elements browser spec.
    SELFSERVICE_FLOWS_REGISTRATION_STYLE: 'unified',
  });
});

afterAll(async () => {
  await server?.stop();
});

type AnyFlow = LoginFlow | RegistrationFlow;
const names = (flow: AnyFlow, group: string) =>
  flow.ui.nodes
    .filter((n) => n.group === group)
    .map((n) => (n.attributes as { name?: string; id?: string }).name ?? (n.attributes as { id: string }).id);
const attrs = (node: UiNode) => node.attributes as unknown as Record<string, unknown>;

async function browserFlow<T extends AnyFlow>(kind: 'login' | 'registration', jar = new CookieJar()) {
  const { flowId } = await initBrowserFlow(jar, server.publicUrl, kind);
  const { body } = await fetchFlow(jar, server.publicUrl, kind, flowId);
  return { jar, flow: body as unknown as T };
}

describe('GET /.well-known/ory/webauthn.js', () => {
  it('serves the helper script with caching headers and the functions the triggers name', async () => {
    const response = await fetch(`${server.publicUrl}/.well-known/ory/webauthn.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=UTF-8');
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const etag = response.headers.get('etag');
    expect(etag).toBeTruthy();
    const script = await response.text();
    for (const name of [
      'oryWebAuthnLogin',
      'oryWebAuthnRegistration',
      'oryPasskeyLogin',
      'oryPasskeyLoginAutocompleteInit',
      'oryPasskeyRegistration',
      'oryPasskeySettingsRegistration',
    ]) {
      expect(script).toContain(`${name}: ${name}`);
    }
    expect(script).toContain("window['__' + name]");
    const again = await fetch(`${server.publicUrl}/.well-known/ory/webauthn.js`, {
      headers: { 'If-None-Match': etag! },
    });
    expect(again.status).toBe(304);

    // The integrity the script nodes carry is the hash of exactly these bytes.
    const { flow } = await browserFlow<LoginFlow>('login');
    const scriptNode = flow.ui.nodes.find((n) => n.type === 'script')!;
    const integrity = `sha512-${createHash('sha512').update(script).digest('base64')}`;
    expect(attrs(scriptNode)['integrity']).toBe(integrity);
    expect(attrs(scriptNode)['src']).toBe(`${server.publicUrl}/.well-known/ory/webauthn.js`);
  });

  it('is not served on the admin port', async () => {
    const response = await fetch(`${server.adminUrl}/.well-known/ory/webauthn.js`);
    expect(response.status).not.toBe(200);
  });
});

describe('a browser login flow with passkeys enabled', () => {
  it('offers a discoverable-key challenge and a trigger for webauthn.js', async () => {
    const { flow } = await browserFlow<LoginFlow>('login');
    assertMatchesContract('loginFlow', flow);
    expect(names(flow, 'passkey')).toEqual([
      'passkey_challenge',
      'passkey_login',
      'passkey_login_trigger',
      'webauthn_script',
    ]);
    const challenge = JSON.parse(String(attrs(nodeNamed(flow, 'passkey_challenge'))['value'])) as {
      publicKey: { challenge: string; rpId: string; allowCredentials: unknown[]; userVerification: string };
    };
    expect(challenge.publicKey.rpId).toBe('localhost');
    expect(challenge.publicKey.allowCredentials).toEqual([]);
    expect(Buffer.from(challenge.publicKey.challenge, 'base64url')).toHaveLength(32);
    const trigger = nodeNamed(flow, 'passkey_login_trigger');
    expect(attrs(trigger)).toMatchObject({ type: 'button', onclickTrigger: 'oryPasskeyLogin' });
    expect(trigger.meta.label).toMatchObject({ id: 1010021, type: 'info' });
    // Without a security key on the account nothing of WebAuthn shows on a first-factor flow.
    expect(names(flow, 'webauthn')).toEqual([]);
    expect(JSON.stringify(flow)).not.toContain('internal');
  });

  it('has these passkey nodes', async () => {
    const { flow } = await browserFlow<LoginFlow>('login');
    const nodes = flow.ui.nodes
      .filter((n) => n.group === 'passkey')
      .map((n) => {
        const a = { ...attrs(n) };
        if (a['name'] === 'passkey_challenge')
          a['value'] = String(a['value']).replace(/"challenge":"[^"]+"/, '"challenge":"<challenge>"');
        if (typeof a['integrity'] === 'string') a['integrity'] = '<sha512>';
        return { ...n, attributes: a };
      });
    expect(normalised(nodes, server.publicUrl)).toMatchInlineSnapshot(`
      [
        {
          "attributes": {
            "disabled": false,
            "name": "passkey_challenge",
            "node_type": "input",
            "type": "hidden",
            "value": "{"publicKey":{"challenge":"<challenge>","timeout":300000,"rpId":"localhost","allowCredentials":[],"userVerification":"preferred"}}",
          },
          "group": "passkey",
          "messages": [],
          "meta": {},
          "type": "input",
        },
        {
          "attributes": {
            "disabled": false,
            "name": "passkey_login",
            "node_type": "input",
            "onload": "window.__oryPasskeyLoginAutocompleteInit()",
            "onloadTrigger": "oryPasskeyLoginAutocompleteInit",
            "type": "hidden",
            "value": "",
          },
          "group": "passkey",
          "messages": [],
          "meta": {},
          "type": "input",
        },
        {
          "attributes": {
            "disabled": false,
            "name": "passkey_login_trigger",
            "node_type": "input",
            "onclick": "window.__oryPasskeyLogin()",
            "onclickTrigger": "oryPasskeyLogin",
            "type": "button",
            "value": "",
          },
          "group": "passkey",
          "messages": [],
          "meta": {
            "label": {
              "id": 1010021,
              "text": "Sign in with passkey",
              "type": "info",
            },
          },
          "type": "input",
        },
        {
          "attributes": {
            "async": true,
            "crossorigin": "anonymous",
            "id": "webauthn_script",
            "integrity": "<sha512>",
            "node_type": "script",
            "nonce": "<uuid>",
            "referrerpolicy": "no-referrer",
            "src": "<public>/.well-known/ory/webauthn.js",
            "type": "text/javascript",
          },
          "group": "passkey",
          "messages": [],
          "meta": {},
          "type": "script",
        },
      ]
    `);
  });

  it("marks the identifier for the browser's passkey autofill (conditional UI)", async () => {
    const { flow } = await browserFlow<LoginFlow>('login');
    const identifier = flow.ui.nodes.filter((n) => attrs(n)['name'] === 'identifier');
    expect(identifier).toHaveLength(1);
    expect(identifier[0]!.group).toBe('default');
    expect(attrs(identifier[0]!)).toMatchObject({
      type: 'text',
      required: true,
      autocomplete: 'username webauthn',
    });
  });

  it('gives every flow its own challenge', async () => {
    const a = await browserFlow<LoginFlow>('login');
    const b = await browserFlow<LoginFlow>('login');
    const value = (f: LoginFlow) => String(attrs(nodeNamed(f, 'passkey_challenge'))['value']);
    expect(value(a.flow)).not.toBe(value(b.flow));
  });

  it('answers garbage in passkey_login with the invalid-credentials message, never a 500', async () => {
    const garbage = [
      'not json',
      '{}',
      '[]',
      JSON.stringify({ id: 'AAAA', response: {} }),
      JSON.stringify({ id: 'AAAA', response: { userHandle: Buffer.alloc(64, 7).toString('base64url') } }),
      JSON.stringify({ id: '../../etc', response: { clientDataJSON: 'x', authenticatorData: 'y' } }),
      'x'.repeat(70_000),
    ];
    for (const value of garbage) {
      const { jar, flow } = await browserFlow<LoginFlow>('login');
      const response = await postJson(jar, flow.ui.action, {
        method: 'passkey',
        csrf_token: csrfTokenOf(flow),
        passkey_login: value,
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as LoginFlow;
      assertMatchesContract('loginFlow', body);
      expect(uiMessageIds(body)).toEqual([4000006]);
      // A new challenge for the next try, not the spent one.
      expect(attrs(nodeNamed(body, 'passkey_challenge'))['value']).not.toBe(
        attrs(nodeNamed(flow, 'passkey_challenge'))['value'],
      );
    }
  });

  it('asks for the assertion when method=passkey comes without one', async () => {
    const { jar, flow } = await browserFlow<LoginFlow>('login');
    const response = await postJson(jar, flow.ui.action, {
      method: 'passkey',
      csrf_token: csrfTokenOf(flow),
    });
    expect(response.status).toBe(400);
    expect(uiMessageIds((await response.json()) as LoginFlow)).toEqual([4000002]);
  });

  it('refuses a security-key assertion on a first-factor flow', async () => {
    const { jar, flow } = await browserFlow<LoginFlow>('login');
    const response = await postJson(jar, flow.ui.action, {
      method: 'webauthn',
      csrf_token: csrfTokenOf(flow),
      webauthn_login: '{"id":"AAAA","response":{}}',
    });
    expect(response.status).toBe(400);
    expect(uiMessageIds((await response.json()) as LoginFlow)).toEqual([4000015]);
  });

  it('does not offer passkeys to native apps', async () => {
    const { data } = await server.frontend.createNativeLoginFlow();
    expect(names(data, 'passkey')).toEqual([]);
  });
});

describe('an aal2 login flow', () => {
  it('offers no passkey and no security key to an identity without one', async () => {
    const { jar } = await browserWithSession(server.publicUrl);
    const response = await jar.fetch(`${server.publicUrl}/self-service/login/browser?aal=aal2`, {
      headers: { Accept: 'application/json' },
    });
    expect(response.status).toBe(200);
    const flow = (await response.json()) as LoginFlow;
    expect(flow.requested_aal).toBe('aal2');
    expect(names(flow, 'passkey')).toEqual([]);
    expect(names(flow, 'webauthn')).toEqual([]);
    const submit = await postJson(jar, flow.ui.action, {
      method: 'webauthn',
      csrf_token: csrfTokenOf(flow),
      webauthn_login: 'garbage',
    });
    expect(submit.status).toBe(400);
    expect(uiMessageIds((await submit.json()) as LoginFlow)).toEqual([4000013]);
  });
});

describe('passkey registration', () => {
  it('offers a passkey sign-up button on browser flows only', async () => {
    const { flow } = await browserFlow<RegistrationFlow>('registration');
    assertMatchesContract('registrationFlow', flow);
    const method = flow.ui.nodes.find((n) => n.group === 'passkey')!;
    expect(attrs(method)).toMatchObject({ name: 'method', type: 'submit', value: 'passkey' });
    expect(method.meta.label).toMatchObject({ id: 1040007 });
    const { data } = await server.frontend.createNativeRegistrationFlow();
    expect(names(data, 'passkey')).toEqual([]);
  });

  it('answers the traits with creation options bound to a fresh 64-byte user handle', async () => {
    const { jar, flow } = await browserFlow<RegistrationFlow>('registration');
    const email = uniqueEmail('passkey');
    const response = await postJson(jar, flow.ui.action, {
      method: 'passkey',
      csrf_token: csrfTokenOf(flow),
      traits: { email },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as RegistrationFlow;
    assertMatchesContract('registrationFlow', body);
    expect(body.ui.messages ?? []).toEqual([]);
    expect(attrs(nodeNamed(body, 'traits.email'))['value']).toBe(email);
    expect(names(body, 'passkey')).toEqual(
      expect.arrayContaining([
        'method',
        'webauthn_script',
        'passkey_create_data',
        'passkey_register',
        'passkey_register_trigger',
      ]),
    );
    const trigger = nodeNamed(body, 'passkey_register_trigger');
    expect(attrs(trigger)).toMatchObject({ type: 'button', onclickTrigger: 'oryPasskeyRegistration' });
    expect(trigger.meta.label).toMatchObject({ id: 1040007 });
    const data = JSON.parse(String(attrs(nodeNamed(body, 'passkey_create_data'))['value'])) as {
      displayNameFieldName: string;
      credentialOptions: {
        publicKey: {
          rp: { id: string; name: string };
          user: { id: string; name: string };
          challenge: string;
          authenticatorSelection: { residentKey: string };
        };
      };
    };
    const { publicKey } = data.credentialOptions;
    expect(data.displayNameFieldName).toBe('traits.email');
    expect(publicKey.rp).toEqual({ id: 'localhost', name: 'Tessera Test' });
    expect(publicKey.user.name).toBe(email);
    expect(Buffer.from(publicKey.user.id, 'base64url')).toHaveLength(64);
    expect(publicKey.authenticatorSelection.residentKey).toBe('required');
    expect(JSON.stringify(body)).not.toContain('internal');
  });

  it('keeps trait errors on the traits and offers no ceremony', async () => {
    const { jar, flow } = await browserFlow<RegistrationFlow>('registration');
    const response = await postJson(jar, flow.ui.action, {
      method: 'passkey',
      csrf_token: csrfTokenOf(flow),
      traits: { email: 'not-an-email' },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as RegistrationFlow;
    expect(nodeNamed(body, 'traits.email').messages).toEqual([expect.objectContaining({ type: 'error' })]);
    expect(
      body.ui.nodes.some((n) => (n.attributes as { name?: string }).name === 'passkey_create_data'),
    ).toBe(false);
    expect(names(body, 'passkey')).toEqual(['method']);
  });

  it('refuses a garbage attestation with a flow message and creates nobody', async () => {
    const { jar, flow } = await browserFlow<RegistrationFlow>('registration');
    const email = uniqueEmail('garbage');
    const first = await postJson(jar, flow.ui.action, {
      method: 'passkey',
      csrf_token: csrfTokenOf(flow),
      traits: { email },
    });
    const step = (await first.json()) as RegistrationFlow;
    for (const value of ['garbage', '{"id":"AAAA","response":{"attestationObject":"AAAA"}}', '{}']) {
      const response = await postJson(jar, flow.ui.action, {
        method: 'passkey',
        csrf_token: csrfTokenOf(step),
        traits: { email },
        passkey_register: value,
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as RegistrationFlow;
      assertMatchesContract('registrationFlow', body);
      expect(nodeNamed(body, 'passkey_register').messages.map((m) => m.id)).toEqual([4000043]);
    }
    const { data } = await server.identities.listIdentities({ credentialsIdentifier: email });
    expect(data).toEqual([]);
  });
});

describe('a malformed body', () => {
  it('with an object where the assertion string belongs gets a flow message', async () => {
    const { jar, flow } = await browserFlow<LoginFlow>('login');
    const response = await postJson(jar, flow.ui.action, {
      method: 'passkey',
      csrf_token: csrfTokenOf(flow),
      passkey_login: { not: 'a string' },
    });
    expect(response.status).toBe(400);
    expect(uiMessageIds((await response.json()) as LoginFlow)).toEqual([4000002]);
  });
});
