import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from '../../support/cookie-jar.js';
import { idTokenFor, type IdTokenWorld, startIdTokenWorld } from './id-token-support.js';

interface Parameters {
  csrf_token: string;
  providers: { config_url: string; client_id: string; nonce: string; parameters: Record<string, string> }[];
}

let world: IdTokenWorld;

beforeAll(async () => {
  world = await startIdTokenWorld();
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

afterEach(() => world.idp.tamperIdTokens(null));

async function parameters(jar: CookieJar): Promise<Parameters> {
  const response = await jar.fetch(`${world.publicUrl}/self-service/fed-cm/parameters`, {
    headers: { Accept: 'application/json' },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Parameters;
}

function postToken(jar: CookieJar, body: Record<string, unknown>): Promise<Response> {
  return jar.fetch(`${world.publicUrl}/self-service/fed-cm/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

function person(label: string): string {
  const sub = `${label}-${randomBytes(4).toString('hex')}`;
  world.idp.addAccount(sub, { email: `${sub}@example.org`, email_verified: true });
  return sub;
}

async function whoami(jar: CookieJar): Promise<number> {
  return (await jar.fetch(`${world.publicUrl}/sessions/whoami`)).status;
}

describe('FedCM', () => {
  it('lists only providers that take ID tokens and have a FedCM config, with a nonce and a CSRF token', async () => {
    const jar = new CookieJar();
    const first = await parameters(jar);
    expect(first.providers.map((p) => [p.config_url, p.client_id])).toEqual([
      [world.fedcmConfigUrl, world.idp.clients[0]!.client_id],
    ]);
    const [provider] = first.providers;
    expect(provider!.nonce).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(provider!.parameters).toEqual({ nonce: provider!.nonce });
    expect(first.csrf_token).toMatch(/^[A-Za-z0-9+/=]{40,}$/);
    const second = await parameters(jar);
    expect(second.providers[0]!.nonce).not.toBe(provider!.nonce);
  });

  it('signs a new person up with the token, sets the session cookie, and signs them in next time', async () => {
    const sub = person('fedcm');
    const jar = new CookieJar();
    const params = await parameters(jar);
    const nonce = params.providers[0]!.nonce;
    const token = await idTokenFor(world.idp, sub, nonce);
    const signUp = await postToken(jar, { token, nonce, csrf_token: params.csrf_token });
    expect(signUp.status).toBe(200);
    const body = (await signUp.json()) as { session: { identity: { id: string; traits: unknown } } };
    expect(body.session.identity.traits).toEqual({ email: `${sub}@example.org` });
    expect(await whoami(jar)).toBe(200);
    // The nonce is spent: the same token again signs nobody in, even in the same browser.
    const replay = await postToken(new CookieJar(), { token, csrf_token: params.csrf_token });
    expect(replay.status).toBe(403);
    const sameBrowser = await postToken(jar, { token, csrf_token: params.csrf_token });
    expect(sameBrowser.status).toBe(400);
    expect(((await sameBrowser.json()) as { error: { reason: string } }).error.reason).toBe(
      'This FedCM nonce was used already; get new parameters.',
    );

    const other = new CookieJar();
    const again = await parameters(other);
    const secondToken = await idTokenFor(world.idp, sub, again.providers[0]!.nonce);
    const signIn = await postToken(other, { token: secondToken, csrf_token: again.csrf_token });
    expect(signIn.status).toBe(200);
    const session = ((await signIn.json()) as { session: { identity: { id: string } } }).session;
    expect(session.identity.id).toBe(body.session.identity.id);
    expect(await whoami(other)).toBe(200);
    const replayLogin = await postToken(other, { token: secondToken, csrf_token: again.csrf_token });
    expect(replayLogin.status).toBe(400);
  });

  it('refuses a token whose nonce this server did not issue, or not the one submitted', async () => {
    const sub = person('nonce');
    const jar = new CookieJar();
    const params = await parameters(jar);
    const foreign = await idTokenFor(world.idp, sub, randomBytes(12).toString('base64url'));
    const unknown = await postToken(jar, { token: foreign, csrf_token: params.csrf_token });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { reason: string } }).error.reason).toBe(
      'The FedCM token does not carry a nonce issued by this server.',
    );
    const token = await idTokenFor(world.idp, sub, params.providers[0]!.nonce);
    const mismatch = await postToken(jar, { token, nonce: 'another', csrf_token: params.csrf_token });
    expect(mismatch.status).toBe(400);
    const flow = (await mismatch.json()) as { ui: { messages: { id: number; text: string }[] } };
    expect(flow.ui.messages.map((m) => [m.id, m.text])).toEqual([
      [4000001, 'The supplied nonce does not match the nonce from the id_token'],
    ]);
    expect(await whoami(jar)).toBe(401);
  });

  it('refuses a forged or expired token on the flow, never with a session', async () => {
    const sub = person('forged');
    const jar = new CookieJar();
    for (const tampering of [{ foreignKey: true }, { claims: { exp: Math.floor(Date.now() / 1000) - 60 } }]) {
      const params = await parameters(jar);
      world.idp.tamperIdTokens(tampering);
      const token = await idTokenFor(world.idp, sub, params.providers[0]!.nonce);
      world.idp.tamperIdTokens(null);
      const response = await postToken(jar, { token, csrf_token: params.csrf_token });
      expect(response.status).toBe(400);
      const flow = (await response.json()) as { ui: { messages: { id: number }[] } };
      expect(flow.ui.messages.map((m) => m.id)).toEqual([4000001]);
      expect(await whoami(jar)).toBe(401);
    }
  });

  it('needs the CSRF token of the browser the nonce was issued to', async () => {
    const sub = person('csrf');
    const jar = new CookieJar();
    const params = await parameters(jar);
    const token = await idTokenFor(world.idp, sub, params.providers[0]!.nonce);
    const noCsrf = await postToken(jar, { token });
    expect(noCsrf.status).toBe(403);
    const otherBrowser = new CookieJar();
    const theirs = await parameters(otherBrowser);
    const stolen = await postToken(otherBrowser, { token, csrf_token: theirs.csrf_token });
    expect(stolen.status).toBe(403);
    expect(await whoami(otherBrowser)).toBe(401);
  });

  it('answers a missing or malformed token with the error envelope', async () => {
    const jar = new CookieJar();
    const params = await parameters(jar);
    const missing = await postToken(jar, { csrf_token: params.csrf_token });
    expect(missing.status).toBe(400);
    const garbage = await postToken(jar, { token: 'garbage', csrf_token: params.csrf_token });
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { error: { reason: string } }).error.reason).toBe(
      'The FedCM token is not a JSON Web Token.',
    );
  });
});
