import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  csrfTokenOf,
  DEFAULT_RETURN_URL,
  fetchFlow,
  GOOD_PASSWORD,
  initBrowserFlow,
  postForm,
  registerWithApi,
  uniqueEmail,
} from '../../support/self-service.js';
import { idTokenFor, type IdTokenWorld, startIdTokenWorld } from './id-token-support.js';

interface Flow {
  id: string;
  ui: {
    action: string;
    messages?: { id: number; text: string; type: string; context?: Record<string, unknown> }[];
    nodes: { group: string; attributes: { name?: string; value?: unknown; type?: string } }[];
  };
}

let world: IdTokenWorld;

beforeAll(async () => {
  world = await startIdTokenWorld({ SELFSERVICE_FLOWS_REGISTRATION_LOGIN_HINTS: 'true' });
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

const nonce = () => randomBytes(12).toString('base64url');

async function submitApi(
  kind: 'login' | 'registration',
  body: Record<string, unknown>,
): Promise<{ status: number; json: Record<string, unknown>; flowId: string }> {
  const created = await fetch(`${world.publicUrl}/self-service/${kind}/api`, {
    headers: { Accept: 'application/json' },
  });
  const flow = (await created.json()) as Flow;
  const response = await fetch(flow.ui.action, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ method: 'oidc', provider: 'gsdk', ...body }),
  });
  return {
    status: response.status,
    json: (await response.json()) as Record<string, unknown>,
    flowId: flow.id,
  };
}

async function token(sub: string): Promise<{ id_token: string; id_token_nonce: string }> {
  const n = nonce();
  return { id_token: await idTokenFor(world.idp, sub, n), id_token_nonce: n };
}

function person(label: string, email = `${label}-${randomBytes(4).toString('hex')}@example.org`) {
  const sub = `${label}-${randomBytes(4).toString('hex')}`;
  world.idp.addAccount(sub, { email, email_verified: true, given_name: 'Ida' });
  return { sub, email };
}

async function identitiesWith(identifier: string): Promise<string[]> {
  const response = await fetch(
    `${world.server.adminUrl}/admin/identities?credentials_identifier=${encodeURIComponent(identifier)}`,
  );
  return ((await response.json()) as { id: string }[]).map((i) => i.id);
}

describe('id_token submissions convert between login and registration, as the redirect does', () => {
  it('API: a login with an unknown subject signs up; a registration with a known one signs in', async () => {
    const { sub, email } = person('login-first');
    const signUp = await submitApi('login', {
      ...(await token(sub)),
      traits: { name: { first: 'Ines', last: 'Lind' } },
    });
    expect(signUp.status).toBe(200);
    assertMatchesContract('successfulNativeRegistration', signUp.json);
    const identity = signUp.json['identity'] as { id: string; traits: Record<string, unknown> };
    // The submitted traits win over the mapper's, as on the redirect path.
    expect(identity.traits).toEqual({ email, name: { first: 'Ines', last: 'Lind' } });
    expect(typeof signUp.json['session_token']).toBe('string');
    expect(await identitiesWith(`gsdk:${sub}`)).toEqual([identity.id]);
    const whoami = await fetch(`${world.publicUrl}/sessions/whoami`, {
      headers: { 'X-Session-Token': String(signUp.json['session_token']) },
    });
    expect(((await whoami.json()) as { identity: { id: string } }).identity.id).toBe(identity.id);

    const signIn = await submitApi('registration', await token(sub));
    expect(signIn.status).toBe(200);
    assertMatchesContract('successfulNativeLogin', signIn.json);
    const session = signIn.json['session'] as {
      identity: { id: string };
      authentication_methods: { method: string; provider?: string }[];
    };
    expect(session.identity.id).toBe(identity.id);
    expect(session.authentication_methods.map((m) => [m.method, m.provider])).toEqual([['oidc', 'gsdk']]);
    expect(signIn.json['session_token']).not.toBe(signUp.json['session_token']);
    expect(await identitiesWith(`gsdk:${sub}`)).toEqual([identity.id]);
  });

  it('browser: both conversions end with the session cookie and a 303 to the return URL', async () => {
    const { sub } = person('browser-conv');
    const jar = new CookieJar();
    const post = async (kind: 'login' | 'registration') => {
      const { flowId } = await initBrowserFlow(jar, world.publicUrl, kind);
      const { body: flow } = await fetchFlow(jar, world.publicUrl, kind, flowId);
      return postForm(jar, (flow as unknown as Flow).ui.action, {
        csrf_token: csrfTokenOf(flow as never),
        method: 'oidc',
        provider: 'gsdk',
        ...(await token(sub)),
      });
    };
    const signUp = await post('login');
    expect(signUp.status).toBe(303);
    expect(signUp.headers.get('location')).toBe(DEFAULT_RETURN_URL);
    const first = (await (await jar.fetch(`${world.publicUrl}/sessions/whoami`)).json()) as {
      id: string;
      identity: { id: string };
    };
    expect(await identitiesWith(`gsdk:${sub}`)).toEqual([first.identity.id]);

    await jar.fetch(`${world.publicUrl}/self-service/logout/browser`).then(async (r) => {
      const { logout_url } = (await r.json()) as { logout_url: string };
      await jar.fetch(logout_url, { redirect: 'manual' });
    });
    expect((await jar.fetch(`${world.publicUrl}/sessions/whoami`)).status).toBe(401);
    const signIn = await post('registration');
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe(DEFAULT_RETURN_URL);
    const second = (await (await jar.fetch(`${world.publicUrl}/sessions/whoami`)).json()) as {
      id: string;
      identity: { id: string };
    };
    expect(second.identity.id).toBe(first.identity.id);
    expect(second.id).not.toBe(first.id);
  });

  it('an address another account has: a login flow that offers linking (1010016), no session', async () => {
    const email = uniqueEmail('owned');
    await registerWithApi(world.server.frontend, email, GOOD_PASSWORD);
    const { sub } = person('taken', email);

    const viaRegistration = await submitApi('registration', await token(sub));
    expect(viaRegistration.status).toBe(400);
    assertMatchesContract('loginFlow', viaRegistration.json);
    const linking = viaRegistration.json as unknown as Flow;
    expect(linking.id).not.toBe(viaRegistration.flowId);
    expect(linking.ui.messages?.map((m) => m.id)).toEqual([1010016]);
    // login_hints: the message names the account's methods, and only those are offered.
    expect(linking.ui.messages?.[0]?.context).toMatchObject({
      duplicate_identifier: email,
      available_credential_types: ['code', 'password'],
      available_providers: [],
    });
    // The other providers' buttons are gone: the account has no social sign-in (code login is off).
    expect([...new Set(linking.ui.nodes.map((n) => n.group))].sort()).toEqual(['default', 'password']);
    expect(linking.ui.nodes.find((n) => n.attributes.name === 'identifier')?.attributes).toMatchObject({
      type: 'hidden',
      value: email,
    });
    expect(viaRegistration.json['session_token']).toBeUndefined();

    const viaLogin = await submitApi('login', await token(sub));
    expect(viaLogin.status).toBe(400);
    const held = viaLogin.json as unknown as Flow;
    expect(held.id).toBe(viaLogin.flowId);
    expect(held.ui.messages?.map((m) => m.id)).toEqual([1010016]);
    expect(viaLogin.json['session_token']).toBeUndefined();
    expect(await identitiesWith(`gsdk:${sub}`)).toEqual([]);

    // The owner signs in with the password on the held flow: the provider is linked.
    const owner = await fetch(held.ui.action, {
      method: 'POST',
      headers: { 'content-type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ method: 'password', identifier: email, password: GOOD_PASSWORD }),
    });
    expect(owner.status).toBe(200);
    const ownerId = ((await owner.json()) as { session: { identity: { id: string } } }).session.identity.id;
    expect(await identitiesWith(`gsdk:${sub}`)).toEqual([ownerId]);
  });
});

describe('login_hints: a sign-up with a taken identifier says how that account signs in (4000028)', () => {
  it('names the identifier, the credential types and the social sign-in providers', async () => {
    const email = uniqueEmail('hinted');
    await registerWithApi(world.server.frontend, email, GOOD_PASSWORD);
    const again = async () => {
      const { data: flow } = await world.server.frontend.createNativeRegistrationFlow();
      const response = await fetch(flow.ui.action, {
        method: 'POST',
        headers: { 'content-type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ method: 'password', traits: { email }, password: GOOD_PASSWORD }),
      });
      expect(response.status).toBe(400);
      return ((await response.json()) as Flow).ui.messages;
    };
    expect(await again()).toEqual([
      {
        id: 4000028,
        type: 'error',
        text: `You tried signing in with ${email} which is already in use by another account. You can sign in using your password.`,
        context: {
          // The schema makes the email a `code` identifier too, so the account has both.
          available_credential_types: ['code', 'password'],
          available_oidc_providers: [],
          credential_identifier_hint: email,
        },
      },
    ]);

    // Once a provider is linked to that account, the hint names social sign-in and the provider.
    const { sub } = person('hinted', email);
    const held = await submitApi('login', await token(sub));
    const owner = await fetch((held.json as unknown as Flow).ui.action, {
      method: 'POST',
      headers: { 'content-type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ method: 'password', identifier: email, password: GOOD_PASSWORD }),
    });
    expect(owner.status).toBe(200);
    const [message] = (await again())!;
    expect(message!.text).toBe(
      `You tried signing in with ${email} which is already in use by another account. You can sign in using social sign in, or your password. You can sign in using one of the following social sign in providers: Gsdk.`,
    );
    expect(message!.context).toEqual({
      available_credential_types: ['code', 'oidc', 'password'],
      available_oidc_providers: ['gsdk'],
      credential_identifier_hint: email,
    });
  });
});
