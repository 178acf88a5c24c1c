import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar } from '../../support/cookie-jar.js';
import {
  csrfTokenOf,
  DEFAULT_RETURN_URL,
  fetchFlow,
  initBrowserFlow,
  LOGIN_UI,
  postForm,
} from '../../support/self-service.js';
import { idTokenFor, type IdTokenWorld, startIdTokenWorld } from './id-token-support.js';

interface Flow {
  id: string;
  ui: { action: string; messages?: { id: number; text: string; type: string }[] };
}

let world: IdTokenWorld;

beforeAll(async () => {
  world = await startIdTokenWorld();
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

afterEach(() => world.idp.tamperIdTokens(null));

const nonce = () => randomBytes(12).toString('base64url');

async function apiFlow(kind: 'login' | 'registration'): Promise<Flow> {
  const response = await fetch(`${world.publicUrl}/self-service/${kind}/api`, {
    headers: { Accept: 'application/json' },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Flow;
}

async function submit(
  kind: 'login' | 'registration',
  body: Record<string, unknown>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const flow = await apiFlow(kind);
  const response = await fetch(flow.ui.action, {
    method: 'POST',
    headers: { 'content-type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ method: 'oidc', ...body }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** The one 4000001 message a refused token leaves on the flow. */
function refusal(json: Record<string, unknown>): string {
  const messages = (json as unknown as Flow).ui.messages ?? [];
  expect(messages.map((m) => [m.id, m.type])).toEqual([[4000001, 'error']]);
  expect(json['session_token']).toBeUndefined();
  return messages[0]!.text;
}

function person(label: string): { sub: string; email: string } {
  const sub = `${label}-${randomBytes(4).toString('hex')}`;
  world.idp.addAccount(sub, { email: `${sub}@example.org`, email_verified: true, given_name: 'Ida' });
  return { sub, email: `${sub}@example.org` };
}

describe('id_token submissions (native Google/Apple SDK sign-in)', () => {
  it('signs up through the mapper with a verified token and nonce, then signs in with another one', async () => {
    const { sub, email } = person('sdk');
    const n1 = nonce();
    const signUp = await submit('registration', {
      provider: 'gsdk',
      id_token: await idTokenFor(world.idp, sub, n1),
      id_token_nonce: n1,
    });
    expect(signUp.status).toBe(200);
    const identity = signUp.json['identity'] as {
      id: string;
      traits: Record<string, unknown>;
      verifiable_addresses: { value: string; verified: boolean }[];
      metadata_public: Record<string, unknown>;
    };
    expect(identity.traits).toEqual({ email, name: { first: 'Ida' } });
    expect(identity.verifiable_addresses.map((a) => [a.value, a.verified])).toEqual([[email, true]]);
    expect(identity.metadata_public).toEqual({ idp: world.idp.issuer });
    expect(typeof signUp.json['session_token']).toBe('string');

    const n2 = nonce();
    const signIn = await submit('login', {
      provider: 'gsdk',
      id_token: await idTokenFor(world.idp, sub, n2),
      id_token_nonce: n2,
    });
    expect(signIn.status).toBe(200);
    const session = signIn.json['session'] as {
      identity: { id: string };
      authentication_methods: { method: string; provider?: string }[];
    };
    expect(session.identity.id).toBe(identity.id);
    expect(session.authentication_methods.map((m) => [m.method, m.provider])).toEqual([['oidc', 'gsdk']]);

    const admin = await fetch(
      `${world.server.adminUrl}/admin/identities?credentials_identifier=${encodeURIComponent(`gsdk:${sub}`)}`,
    );
    expect(((await admin.json()) as { id: string }[]).map((i) => i.id)).toEqual([identity.id]);
  });

  it('accepts a Google token without a nonce (Kratos lets Google skip it)', async () => {
    const { sub } = person('nononce');
    const signUp = await submit('registration', {
      provider: 'gsdk',
      id_token: await idTokenFor(world.idp, sub, undefined),
    });
    expect(signUp.status).toBe(200);
  });

  it('refuses a nonce that is not the one in the token, or no nonce for a token that has one', async () => {
    const { sub } = person('wrongnonce');
    const token = await idTokenFor(world.idp, sub, nonce());
    const wrong = await submit('registration', {
      provider: 'gsdk',
      id_token: token,
      id_token_nonce: nonce(),
    });
    expect(wrong.status).toBe(400);
    expect(refusal(wrong.json)).toBe('The supplied nonce does not match the nonce from the id_token');
    const missing = await submit('login', { provider: 'gsdk', id_token: token });
    expect(missing.status).toBe(400);
    expect(refusal(missing.json)).toBe('No nonce was provided but is required by the provider');
  });

  it("refuses a token issued to another client (audience is not the provider's client_id)", async () => {
    const { sub } = person('aud');
    const n = nonce();
    const result = await submit('registration', {
      provider: 'gsdk',
      id_token: await idTokenFor(world.idp, sub, n, 1),
      id_token_nonce: n,
    });
    expect(result.status).toBe(400);
    expect(refusal(result.json)).toMatch(/^Could not verify id_token: claim "aud"/);
  });

  it('refuses an expired token', async () => {
    const { sub } = person('expired');
    const n = nonce();
    world.idp.tamperIdTokens({ claims: { exp: Math.floor(Date.now() / 1000) - 120 } });
    const token = await idTokenFor(world.idp, sub, n);
    const result = await submit('registration', { provider: 'gsdk', id_token: token, id_token_nonce: n });
    expect(result.status).toBe(400);
    expect(refusal(result.json)).toBe('Could not verify id_token: the token is expired');
  });

  it('refuses a token signed with a key the provider never published', async () => {
    const { sub } = person('forged');
    const n = nonce();
    world.idp.tamperIdTokens({ foreignKey: true });
    const token = await idTokenFor(world.idp, sub, n);
    const result = await submit('login', { provider: 'gsdk', id_token: token, id_token_nonce: n });
    expect(result.status).toBe(400);
    expect(refusal(result.json)).toBe('Could not verify id_token: the signature is invalid');
  });

  it('refuses a token from another issuer and garbage', async () => {
    const { sub } = person('iss');
    const n = nonce();
    world.idp.tamperIdTokens({ claims: { iss: 'https://accounts.google.com' } });
    const token = await idTokenFor(world.idp, sub, n);
    const result = await submit('login', { provider: 'gsdk', id_token: token, id_token_nonce: n });
    expect(result.status).toBe(400);
    expect(refusal(result.json)).toMatch(/^Could not verify id_token: claim "iss"/);
    const garbage = await submit('login', { provider: 'gsdk', id_token: 'not.a.jwt', id_token_nonce: n });
    expect(garbage.status).toBe(400);
    expect(refusal(garbage.json)).toBe('Could not verify id_token: the token is malformed');
  });

  it('answers an unknown provider with 404 and the generic provider with a flow error', async () => {
    const { sub } = person('providers');
    const n = nonce();
    const token = await idTokenFor(world.idp, sub, n);
    const unknown = await submit('login', { provider: 'nobody', id_token: token, id_token_nonce: n });
    expect(unknown.status).toBe(404);
    expect((unknown.json['error'] as { reason: string }).reason).toBe(
      'OpenID Connect Provider "nobody" is unknown or has not been configured',
    );
    const generic = await submit('registration', { provider: 'plain', id_token: token, id_token_nonce: n });
    expect(generic.status).toBe(400);
    expect(refusal(generic.json)).toBe('The provider generic does not support id_token verification');
  });

  it('serves browser form posts: 303 with the session cookie, or back to the UI with the message', async () => {
    const { sub } = person('browser');
    const jar = new CookieJar();
    const post = async (kind: 'login' | 'registration', fields: Record<string, string>) => {
      const { flowId } = await initBrowserFlow(jar, world.publicUrl, kind);
      const { body: flow } = await fetchFlow(jar, world.publicUrl, kind, flowId);
      const response = await postForm(jar, (flow as unknown as Flow).ui.action, {
        csrf_token: csrfTokenOf(flow as never),
        method: 'oidc',
        provider: 'gsdk',
        ...fields,
      });
      return { flowId, response };
    };
    const n1 = randomBytes(8).toString('hex');
    const bad = await post('login', { id_token: await idTokenFor(world.idp, sub, n1), id_token_nonce: 'x' });
    expect(bad.response.status).toBe(303);
    expect(bad.response.headers.get('location')).toBe(`${LOGIN_UI}?flow=${bad.flowId}`);
    const shown = await fetchFlow(jar, world.publicUrl, 'login', bad.flowId);
    refusal(shown.body);
    expect((await jar.fetch(`${world.publicUrl}/sessions/whoami`)).status).toBe(401);

    const n2 = randomBytes(8).toString('hex');
    const good = await post('registration', {
      id_token: await idTokenFor(world.idp, sub, n2),
      id_token_nonce: n2,
    });
    expect(good.response.status).toBe(303);
    expect(good.response.headers.get('location')).toBe(DEFAULT_RETURN_URL);
    expect((await jar.fetch(`${world.publicUrl}/sessions/whoami`)).status).toBe(200);
  });
});
