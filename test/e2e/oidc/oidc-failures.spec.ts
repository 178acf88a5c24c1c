import type { FlowError, LoginFlow, RegistrationFlow } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { ERROR_UI, LOGIN_UI, REGISTRATION_UI, fetchFlow, uniqueEmail } from '../../support/self-service.js';
import { clickProvider, CookieJar, type OidcWorld, startOidcWorld } from './oidc-support.js';

let world: OidcWorld;

beforeAll(async () => {
  world = await startOidcWorld([
    { id: 'acme', client: 0 },
    { id: 'nomail', client: 1, mapper: '{ identity: { traits: {} } }' },
    // Nothing listens on port 9: discovery fails.
    { id: 'down', client: 0, issuer_url: 'http://127.0.0.1:9' },
  ]);
});

afterAll(async () => {
  await world?.stop();
});

async function noSession(jar: CookieJar): Promise<void> {
  expect(jar.get('ory_kratos_session')).toBeUndefined();
  const response = await jar.fetch(`${world.publicUrl}/sessions/whoami`, {
    headers: { Accept: 'application/json' },
  });
  expect(response.status).toBe(401);
}

/** The stored error a browser was sent to the error UI with. */
async function errorBehind(
  location: string | null,
): Promise<FlowError['error'] & { reason?: string; code?: number }> {
  const target = new URL(location ?? '');
  expect(`${target.origin}${target.pathname}`).toBe(ERROR_UI);
  const response = await fetch(`${world.publicUrl}/self-service/errors?id=${target.searchParams.get('id')}`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as FlowError;
  assertMatchesContract('flowError', body);
  return body.error as never;
}

function person(): string {
  const sub = `p-${Math.random().toString(36).slice(2)}`;
  world.idp.addAccount(sub, { email: uniqueEmail(sub), email_verified: true });
  return sub;
}

describe('oidc: the callback refuses what it must, and never signs anyone in', () => {
  it('a denial at the provider goes back to the flow with message 4000001', async () => {
    const jar = new CookieJar();
    const { flowId, authorizationUrl } = await clickProvider(world, jar, 'login', 'acme');
    const callbackUrl = await world.idp.authorize(authorizationUrl, { deny: true, description: 'No thanks' });
    expect(new URL(callbackUrl).searchParams.get('error')).toBe('access_denied');
    const callback = await jar.fetch(callbackUrl, { headers: { Accept: 'text/html' } });
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe(`${LOGIN_UI}?flow=${flowId}`);
    const { body } = await fetchFlow(jar, world.publicUrl, 'login', flowId);
    assertMatchesContract('loginFlow', body);
    expect((body as unknown as LoginFlow).ui.messages).toEqual([
      expect.objectContaining({
        id: 4000001,
        type: 'error',
        text: 'Unable to complete OpenID Connect flow because the OpenID Provider returned error "access_denied": No thanks',
      }),
    ]);
    await noSession(jar);
  });

  it('a denial on a registration flow answers with a 302 to the registration UI', async () => {
    const jar = new CookieJar();
    const { flowId, authorizationUrl } = await clickProvider(world, jar, 'registration', 'acme');
    const callbackUrl = await world.idp.authorize(authorizationUrl, { deny: true });
    const callback = await jar.fetch(callbackUrl, { headers: { Accept: 'text/html' } });
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe(`${REGISTRATION_UI}?flow=${flowId}`);
    await noSession(jar);
  });

  it('a tampered or missing state goes to the error UI', async () => {
    const jar = new CookieJar();
    const { authorizationUrl } = await clickProvider(world, jar, 'login', 'acme');
    const callbackUrl = new URL(await world.idp.authorize(authorizationUrl, { sub: person() }));
    const state = callbackUrl.searchParams.get('state')!;
    callbackUrl.searchParams.set('state', `${state.slice(0, -3)}${state.endsWith('AAA') ? 'BBB' : 'AAA'}`);
    const tampered = await jar.fetch(callbackUrl, { headers: { Accept: 'text/html' } });
    expect(tampered.status).toBe(303);
    expect(await errorBehind(tampered.headers.get('location'))).toMatchObject({
      code: 400,
      reason: 'Unable to complete OpenID Connect flow because the state parameter is invalid.',
    });
    callbackUrl.searchParams.delete('state');
    const missing = await jar.fetch(callbackUrl, { headers: { Accept: 'text/html' } });
    expect((await errorBehind(missing.headers.get('location'))).reason).toBe(
      'Unable to complete OpenID Connect flow because the OpenID Provider did not return the state query parameter.',
    );
    // JSON clients read the envelope.
    const json = await jar.fetch(callbackUrl, { headers: { Accept: 'application/json' } });
    expect(json.status).toBe(400);
    await noSession(jar);
  });

  it('the state of one provider on the callback of another is a mismatch', async () => {
    const jar = new CookieJar();
    const { authorizationUrl } = await clickProvider(world, jar, 'login', 'acme');
    const callbackUrl = new URL(await world.idp.authorize(authorizationUrl, { sub: person() }));
    callbackUrl.pathname = callbackUrl.pathname.replace(/acme$/, 'nomail');
    const response = await jar.fetch(callbackUrl, { headers: { Accept: 'text/html' } });
    expect((await errorBehind(response.headers.get('location'))).reason).toBe(
      'provider mismatch between internal state and URL',
    );
    await noSession(jar);
  });

  it('a callback replayed from another browser has no continuity; the right browser still signs in', async () => {
    const jar = new CookieJar();
    const sub = person();
    const { authorizationUrl } = await clickProvider(world, jar, 'login', 'acme');
    const callbackUrl = await world.idp.authorize(authorizationUrl, { sub });
    const attacker = new CookieJar();
    const replay = await attacker.fetch(callbackUrl, { headers: { Accept: 'text/html' } });
    expect(replay.status).toBe(303);
    expect((await errorBehind(replay.headers.get('location'))).reason).toBe('no resumable session found');
    await noSession(attacker);

    const own = await jar.fetch(callbackUrl, { headers: { Accept: 'text/html' } });
    expect(own.status).toBe(303);
    expect(jar.get('ory_kratos_session')).toBeTruthy();
    // The same browser submitting the callback again is simply sent on (already signed in).
    const twice = await jar.fetch(callbackUrl, { headers: { Accept: 'text/html' } });
    expect(twice.status).toBe(303);
    expect(twice.headers.get('location')).toBe(own.headers.get('location'));
    const list = await fetch(
      `${world.server.adminUrl}/admin/identities?credentials_identifier=${encodeURIComponent(`acme:${sub}`)}`,
    );
    expect(((await list.json()) as unknown[]).length).toBe(1);
  });

  it('a code obtained for another flow fails at the token endpoint (PKCE): error UI, no session', async () => {
    const jar = new CookieJar();
    const sub = person();
    const first = await clickProvider(world, jar, 'login', 'acme');
    const second = await clickProvider(world, jar, 'login', 'acme');
    const firstCallback = new URL(await world.idp.authorize(first.authorizationUrl, { sub }));
    const secondState = new URL(second.authorizationUrl).searchParams.get('state')!;
    firstCallback.searchParams.set('state', secondState);
    const response = await jar.fetch(firstCallback, { headers: { Accept: 'text/html' } });
    expect(response.status).toBe(303);
    const error = await errorBehind(response.headers.get('location'));
    expect(error.code).toBe(500);
    expect(error.reason).toContain('invalid_grant');
    await noSession(jar);
  });

  for (const [name, tampering, reason] of [
    ['another audience', { claims: { aud: 'someone-else' } }, /aud/],
    ['another issuer', { claims: { iss: 'https://evil.example' } }, /iss/],
    [
      'an expired ID token',
      { claims: { exp: Math.floor(Date.now() / 1000) - 3600 } },
      /exp|timestamp|expired/i,
    ],
    ['a forged signature', { foreignKey: true }, /signature/i],
  ] as const) {
    it(`an ID token with ${name} is refused on the flow (4000001), no session`, async () => {
      const jar = new CookieJar();
      const { flowId, authorizationUrl } = await clickProvider(world, jar, 'login', 'acme');
      const callbackUrl = await world.idp.authorize(authorizationUrl, { sub: person() });
      world.idp.tamperIdTokens(tampering);
      try {
        const response = await jar.fetch(callbackUrl, { headers: { Accept: 'text/html' } });
        expect(response.status).toBe(303);
        expect(response.headers.get('location')).toBe(`${LOGIN_UI}?flow=${flowId}`);
      } finally {
        world.idp.tamperIdTokens(null);
      }
      const { body } = await fetchFlow(jar, world.publicUrl, 'login', flowId);
      const messages = (body as unknown as LoginFlow).ui.messages ?? [];
      expect(messages.map((m) => m.id)).toEqual([4000001]);
      expect(messages[0]!.text).toMatch(reason);
      await noSession(jar);
    });
  }

  it('a provider that cannot be reached leaves a message on the flow, never a 5xx', async () => {
    const jar = new CookieJar();
    const { flowId, response } = await clickProvider(world, jar, 'login', 'down');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${LOGIN_UI}?flow=${flowId}`);
    const { body } = await fetchFlow(jar, world.publicUrl, 'login', flowId);
    const messages = (body as unknown as LoginFlow).ui.messages ?? [];
    expect(messages[0]).toMatchObject({ id: 4000001, type: 'error' });
    expect(messages[0]!.text).toContain('Unable to discover');
    await noSession(jar);
  });

  it('traits the mapper cannot fill return the registration flow prefilled with a Continue button', async () => {
    const jar = new CookieJar();
    const sub = person();
    const { flowId, authorizationUrl } = await clickProvider(world, jar, 'registration', 'nomail');
    const callback = await jar.fetch(await world.idp.authorize(authorizationUrl, { sub }), {
      headers: { Accept: 'text/html' },
    });
    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe(`${REGISTRATION_UI}?flow=${flowId}`);
    await noSession(jar);
    const { body } = await fetchFlow(jar, world.publicUrl, 'registration', flowId);
    assertMatchesContract('registrationFlow', body);
    const flow = body as unknown as RegistrationFlow;
    const email = flow.ui.nodes.find((n) => (n.attributes as { name?: string }).name === 'traits.email');
    expect(email?.messages.map((m) => m.id)).toEqual([4000002]);
    const button = flow.ui.nodes.find((n) => (n.attributes as { name?: string }).name === 'provider');
    expect(button?.attributes).toMatchObject({ value: 'nomail', type: 'submit' });
    expect(button?.meta.label).toMatchObject({ id: 1040003, text: 'Continue' });

    // Submitting the missing trait restarts the round trip; the form's traits win.
    const csrf = flow.ui.nodes.find((n) => (n.attributes as { name?: string }).name === 'csrf_token');
    const email2 = uniqueEmail('typed');
    const again = await jar.fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
      body: new URLSearchParams({
        csrf_token: String((csrf!.attributes as { value: string }).value),
        provider: 'nomail',
        'traits.email': email2,
      }).toString(),
    });
    expect(again.status).toBe(303);
    const done = await jar.fetch(await world.idp.authorize(again.headers.get('location')!, { sub }), {
      headers: { Accept: 'text/html' },
    });
    expect(done.status).toBe(303);
    const whoami = await jar.fetch(`${world.publicUrl}/sessions/whoami`, {
      headers: { Accept: 'application/json' },
    });
    const session = (await whoami.json()) as {
      identity: { traits: Record<string, unknown>; verifiable_addresses: { verified: boolean }[] };
    };
    expect(session.identity.traits).toEqual({ email: email2 });
    expect(session.identity.verifiable_addresses[0]!.verified).toBe(false);
  });
});
