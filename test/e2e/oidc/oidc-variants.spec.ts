import type { Session } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFlowServer, uniqueEmail } from '../../support/self-service.js';
import { clickProvider, CookieJar, type OidcWorld, startOidcWorld } from './oidc-support.js';

let world: OidcWorld;

beforeAll(async () => {
  world = await startOidcWorld([
    { id: 'forced', client: 0, pkce: 'force' },
    { id: 'info', client: 1, claims_source: 'userinfo' },
  ]);
});

afterAll(async () => {
  await world?.stop();
});

async function whoami(jar: CookieJar): Promise<Session> {
  const response = await jar.fetch(`${world.publicUrl}/sessions/whoami`, {
    headers: { Accept: 'application/json' },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Session;
}

describe('oidc: provider options', () => {
  it('pkce: force uses the callback without a provider segment and reads the provider from the state', async () => {
    const sub = `forced-${Date.now()}`;
    const email = uniqueEmail('forced');
    world.idp.addAccount(sub, { email, email_verified: true });
    const jar = new CookieJar();
    const { authorizationUrl } = await clickProvider(world, jar, 'registration', 'forced');
    const redirectUri = `${world.publicUrl}/self-service/methods/oidc/callback`;
    expect(new URL(authorizationUrl).searchParams.get('redirect_uri')).toBe(redirectUri);
    expect(new URL(authorizationUrl).searchParams.get('code_challenge')).toBeTruthy();
    const callbackUrl = await world.idp.authorize(authorizationUrl, { sub });
    expect(callbackUrl.startsWith(`${redirectUri}?`)).toBe(true);
    const callback = await jar.fetch(callbackUrl, { headers: { Accept: 'text/html' } });
    expect(callback.status).toBe(303);
    expect((await whoami(jar)).identity?.traits).toEqual({ email });
  });

  it('claims_source: userinfo reads the person from the userinfo endpoint', async () => {
    const sub = `info-${Date.now()}`;
    const email = uniqueEmail('info');
    world.idp.addAccount(sub, { email, email_verified: true, given_name: 'Ina' });
    const jar = new CookieJar();
    const { authorizationUrl } = await clickProvider(world, jar, 'registration', 'info');
    const callback = await jar.fetch(await world.idp.authorize(authorizationUrl, { sub }), {
      headers: { Accept: 'text/html' },
    });
    expect(callback.status).toBe(303);
    const session = await whoami(jar);
    expect(session.identity?.traits).toEqual({ email, name: { first: 'Ina' } });
    expect(session.authentication_methods?.[0]).toMatchObject({ method: 'oidc', provider: 'info' });
  });

  it('a form_post answer is turned into the GET callback with the fields as query (302)', async () => {
    const sub = `post-${Date.now()}`;
    world.idp.addAccount(sub, { email: uniqueEmail('post'), email_verified: true });
    const jar = new CookieJar();
    const { authorizationUrl } = await clickProvider(world, jar, 'login', 'info');
    const callbackUrl = new URL(await world.idp.authorize(authorizationUrl, { sub }));
    const fields = new URLSearchParams(callbackUrl.searchParams);
    callbackUrl.search = '';
    const posted = await jar.fetch(callbackUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    });
    expect(posted.status).toBe(302);
    const target = new URL(posted.headers.get('location')!);
    expect(`${target.origin}${target.pathname}`).toBe(callbackUrl.href);
    expect(target.searchParams.get('code')).toBe(fields.get('code'));
    expect(target.searchParams.get('state')).toBe(fields.get('state'));
    const callback = await jar.fetch(target, { headers: { Accept: 'text/html' } });
    expect(callback.status).toBe(303);
    await whoami(jar);
  });
});

describe('oidc: the provider goes away', () => {
  it('a token endpoint that cannot be reached is a system error for the error UI, never a 5xx or a session', async () => {
    const sub = `gone-${Date.now()}`;
    world.idp.addAccount(sub, { email: uniqueEmail('gone'), email_verified: true });
    const jar = new CookieJar();
    const { authorizationUrl } = await clickProvider(world, jar, 'login', 'info');
    const callbackUrl = await world.idp.authorize(authorizationUrl, { sub });
    await world.idp.close();
    const callback = await jar.fetch(callbackUrl, { headers: { Accept: 'text/html' } });
    expect(callback.status).toBe(303);
    const target = new URL(callback.headers.get('location')!);
    const error = await fetch(`${world.publicUrl}/self-service/errors?id=${target.searchParams.get('id')}`);
    expect(((await error.json()) as { error: { code: number } }).error.code).toBe(500);
    expect(jar.get('ory_kratos_session')).toBeUndefined();
  });
});

describe('oidc: disabled', () => {
  it('the callback routes are 404 when the method is off', async () => {
    const server = await startFlowServer();
    try {
      for (const path of ['callback/acme', 'callback']) {
        const response = await fetch(`${server.publicUrl}/self-service/methods/oidc/${path}?state=x&code=y`, {
          headers: { Accept: 'application/json' },
        });
        expect(response.status).toBe(404);
      }
    } finally {
      await server.stop();
    }
  });
});
