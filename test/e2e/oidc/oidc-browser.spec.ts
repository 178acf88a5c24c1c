import type { LoginFlow, RegistrationFlow, Session } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { DEFAULT_RETURN_URL, fetchFlow, initBrowserFlow, uniqueEmail } from '../../support/self-service.js';
import {
  clickProvider,
  CookieJar,
  type OidcWorld,
  signInThroughProvider,
  startOidcWorld,
} from './oidc-support.js';

let world: OidcWorld;

beforeAll(async () => {
  world = await startOidcWorld();
});

afterAll(async () => {
  await world?.stop();
});

async function whoami(jar: CookieJar): Promise<{ status: number; body: Session }> {
  const response = await jar.fetch(`${world.publicUrl}/sessions/whoami`, {
    headers: { Accept: 'application/json' },
  });
  return { status: response.status, body: (await response.json()) as Session };
}

describe('oidc: browser sign-up and sign-in through a real provider', () => {
  it('shows one submit per provider on login and registration flows', async () => {
    const jar = new CookieJar();
    for (const [kind, id, text] of [
      ['login', 1010002, 'Sign in with Acme'],
      ['registration', 1040002, 'Sign up with Acme'],
    ] as const) {
      const { flowId } = await initBrowserFlow(jar, world.publicUrl, kind);
      const { body } = await fetchFlow(jar, world.publicUrl, kind, flowId);
      const flow = body as unknown as LoginFlow;
      assertMatchesContract(kind === 'login' ? 'loginFlow' : 'registrationFlow', body);
      const buttons = flow.ui.nodes.filter((n) => n.group === 'oidc');
      expect(buttons.map((n) => (n.attributes as { value: string }).value)).toEqual(['acme', 'other']);
      expect(buttons[0]!.attributes).toMatchObject({ name: 'provider', type: 'submit', value: 'acme' });
      expect(buttons[0]!.meta.label).toMatchObject({
        id,
        text,
        type: 'info',
        context: { provider: 'Acme', provider_id: 'acme' },
      });
      expect(buttons[1]!.meta.label?.context).toEqual({ provider: 'other', provider_id: 'other' });
    }
  });

  it('signs up through the provider with PKCE, then signs in again without a second identity', async () => {
    const sub = `alice-${Date.now()}`;
    const email = uniqueEmail('alice');
    world.idp.addAccount(sub, { email, email_verified: true, given_name: 'Alice' });
    const jar = new CookieJar();
    const { response, authorizationUrl } = await clickProvider(world, jar, 'registration', 'acme');
    expect(response.status).toBe(303);
    const auth = new URL(authorizationUrl);
    expect(auth.origin).toBe(world.idp.issuer);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('redirect_uri')).toBe(
      `${world.publicUrl}/self-service/methods/oidc/callback/acme`,
    );
    expect(auth.searchParams.get('scope')).toBe('openid email profile');
    expect(auth.searchParams.has('nonce')).toBe(false);
    expect(jar.get('ory_kratos_continuity')).toBeTruthy();

    const callbackUrl = await world.idp.authorize(authorizationUrl, { sub });
    const callback = await jar.fetch(callbackUrl, { headers: { Accept: 'text/html' } });
    expect(callback.status).toBe(303);
    expect(callback.headers.get('location')).toBe(DEFAULT_RETURN_URL);
    expect(world.idp.tokenRequests.at(-1)?.get('code_verifier')).toBeTruthy();

    const { status, body: session } = await whoami(jar);
    expect(status).toBe(200);
    assertMatchesContract('session', session);
    expect(session.authentication_methods).toEqual([
      expect.objectContaining({ method: 'oidc', provider: 'acme', aal: 'aal1' }),
    ]);
    expect(session.identity?.traits).toEqual({ email, name: { first: 'Alice' } });
    expect(session.identity?.verifiable_addresses?.[0]).toMatchObject({
      value: email,
      verified: true,
      status: 'completed',
    });
    expect(session.identity?.metadata_public).toEqual({ idp: world.idp.issuer });

    // A second sign-in (a new browser, through the login flow) reaches the same identity.
    const again = new CookieJar();
    const { callback: second } = await signInThroughProvider(world, again, 'login', 'acme', sub);
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe(DEFAULT_RETURN_URL);
    expect((await whoami(again)).body.identity?.id).toBe(session.identity?.id);

    // The registration flow of a known subject signs in too (registration → login).
    const third = new CookieJar();
    const { callback: converted } = await signInThroughProvider(world, third, 'registration', 'acme', sub);
    expect(converted.status).toBe(303);
    expect((await whoami(third)).body.identity?.id).toBe(session.identity?.id);

    const list = await fetch(
      `${world.server.adminUrl}/admin/identities?credentials_identifier=${encodeURIComponent(`acme:${sub}`)}`,
    );
    expect(((await list.json()) as unknown[]).length).toBe(1);
  });

  it('an unverified email is stored unverified', async () => {
    const sub = `bob-${Date.now()}`;
    const email = uniqueEmail('bob');
    world.idp.addAccount(sub, { email, email_verified: false });
    const jar = new CookieJar();
    const { callback } = await signInThroughProvider(world, jar, 'login', 'other', sub);
    expect(callback.status).toBe(303);
    const { body: session } = await whoami(jar);
    expect(session.authentication_methods?.[0]).toMatchObject({ method: 'oidc', provider: 'other' });
    expect(session.identity?.verifiable_addresses?.[0]).toMatchObject({ value: email, verified: false });
  });

  it('a SPA gets 422 browser_location_change_required with the continuity cookie', async () => {
    const jar = new CookieJar();
    const { flowId } = await initBrowserFlow(jar, world.publicUrl, 'login');
    const { body } = await fetchFlow(jar, world.publicUrl, 'login', flowId);
    const flow = body as unknown as LoginFlow;
    const csrf = flow.ui.nodes.find((n) => (n.attributes as { name?: string }).name === 'csrf_token');
    const response = await jar.fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        method: 'oidc',
        provider: 'acme',
        csrf_token: (csrf!.attributes as { value: string }).value,
        upstream_parameters: { login_hint: 'alice@example.org', foo: 'dropped' },
      }),
    });
    expect(response.status).toBe(422);
    const error = (await response.json()) as { error: Record<string, unknown>; redirect_browser_to: string };
    // The contract's errorBrowserLocationChangeRequired nests errorGeneric (error.error), which
    // Kratos itself does not send: the envelope is checked as errorGeneric instead.
    assertMatchesContract('errorGeneric', { error: error.error });
    expect(error.error).toMatchObject({ id: 'browser_location_change_required', code: 422 });
    expect(error.error['reason']).toBe(
      `In order to complete this flow please redirect the browser to: ${error.redirect_browser_to}`,
    );
    const target = new URL(error.redirect_browser_to);
    expect(target.origin).toBe(world.idp.issuer);
    expect(target.searchParams.get('login_hint')).toBe('alice@example.org');
    expect(target.searchParams.has('foo')).toBe(false);
    expect(jar.get('ory_kratos_continuity')).toBeTruthy();
  });

  it('an unknown provider is a 404 for JSON clients', async () => {
    const jar = new CookieJar();
    const { flowId } = await initBrowserFlow(jar, world.publicUrl, 'registration');
    const { body } = await fetchFlow(jar, world.publicUrl, 'registration', flowId);
    const flow = body as unknown as RegistrationFlow;
    const csrf = flow.ui.nodes.find((n) => (n.attributes as { name?: string }).name === 'csrf_token');
    const response = await jar.fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        method: 'oidc',
        provider: 'nope',
        csrf_token: (csrf!.attributes as { value: string }).value,
      }),
    });
    expect(response.status).toBe(404);
    const error = (await response.json()) as { error: { reason: string } };
    expect(error.error.reason).toBe('OpenID Connect Provider "nope" is unknown or has not been configured');
  });
});

describe('oidc: refresh login', () => {
  it('offers only the linked providers, asks the provider to sign in again and refreshes the session', async () => {
    const sub = `erin-${Date.now()}`;
    world.idp.addAccount(sub, { email: uniqueEmail('erin'), email_verified: true });
    const jar = new CookieJar();
    await signInThroughProvider(world, jar, 'registration', 'acme', sub);
    const before = (await whoami(jar)).body;

    const { flowId } = await initBrowserFlow(jar, world.publicUrl, 'login', { refresh: 'true' });
    const { body } = await fetchFlow(jar, world.publicUrl, 'login', flowId);
    const flow = body as unknown as LoginFlow;
    const buttons = flow.ui.nodes.filter((n) => n.group === 'oidc');
    expect(buttons.map((n) => (n.attributes as { value: string }).value)).toEqual(['acme']);
    const csrf = flow.ui.nodes.find((n) => (n.attributes as { name?: string }).name === 'csrf_token');
    const start = await jar.fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
      body: new URLSearchParams({
        csrf_token: String((csrf!.attributes as { value: string }).value),
        provider: 'acme',
      }).toString(),
    });
    expect(start.status).toBe(303);
    const authorizationUrl = start.headers.get('location')!;
    expect(new URL(authorizationUrl).searchParams.get('prompt')).toBe('login');
    const callback = await jar.fetch(await world.idp.authorize(authorizationUrl, { sub }), {
      headers: { Accept: 'text/html' },
    });
    expect(callback.status).toBe(303);
    const after = (await whoami(jar)).body;
    expect(after.id).toBe(before.id);
    expect(after.authentication_methods).toHaveLength(2);
    expect(after.authentication_methods?.[1]).toMatchObject({ method: 'oidc', provider: 'acme' });
  });
});

describe('oidc: credentials on the admin API', () => {
  it('include_credential=oidc shows the provider, subject and the tokens decrypted', async () => {
    const sub = `carol-${Date.now()}`;
    world.idp.addAccount(sub, { email: uniqueEmail('carol'), email_verified: true });
    const jar = new CookieJar();
    await signInThroughProvider(world, jar, 'registration', 'acme', sub);
    const id = (await whoami(jar)).body.identity!.id;

    const plain = await fetch(`${world.server.adminUrl}/admin/identities/${id}`);
    const identity = (await plain.json()) as {
      credentials: Record<string, { identifiers: string[]; config?: unknown }>;
    };
    assertMatchesContract('identity', identity);
    expect(identity.credentials['oidc']!.identifiers).toEqual([`acme:${sub}`]);
    expect(JSON.stringify(identity.credentials['oidc']!.config ?? {})).not.toContain('initial_');

    const full = await fetch(`${world.server.adminUrl}/admin/identities/${id}?include_credential=oidc`);
    const declassified = (await full.json()) as {
      credentials: { oidc: { config: { providers: Record<string, string>[] } } };
    };
    const [entry] = declassified.credentials.oidc.config.providers;
    expect(entry).toMatchObject({ provider: 'acme', subject: sub, initial_refresh_token: '' });
    expect(entry!['initial_id_token']!.split('.')).toHaveLength(3);
    expect(entry!['initial_access_token']).toBeTruthy();
  });

  it('an identity imported with an oidc credential signs in through the provider', async () => {
    const sub = `dave-${Date.now()}`;
    const email = uniqueEmail('dave');
    world.idp.addAccount(sub, { email, email_verified: true });
    const created = await fetch(`${world.server.adminUrl}/admin/identities`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        schema_id: 'default',
        traits: { email },
        credentials: { oidc: { config: { providers: [{ provider: 'acme', subject: sub }] } } },
      }),
    });
    expect(created.status).toBe(201);
    const imported = (await created.json()) as { id: string };
    const jar = new CookieJar();
    const { callback } = await signInThroughProvider(world, jar, 'login', 'acme', sub);
    expect(callback.status).toBe(303);
    expect((await whoami(jar)).body.identity?.id).toBe(imported.id);
  });
});
