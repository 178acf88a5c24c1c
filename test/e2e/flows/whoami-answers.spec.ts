import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import {
  expectError,
  loginWithApi,
  registerWithApi,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';
import { enrolTotp, passwordSession, startMfaServer } from '../mfa/mfa-support.js';

// A GET whoami with a usable session is answered ahead of the Nest controller (whoami-route.ts),
// from the session cache, or without it (`cache_ttl: 0s`) straight from the row. Every other
// method still reaches the controller, so a POST shows what the controller answers: the two must
// be the same bytes, and the refusals must not change.

let cached: FlowServer;
let uncached: FlowServer;

beforeAll(async () => {
  [cached, uncached] = await Promise.all([
    startMfaServer(),
    startMfaServer({ SESSION_WHOAMI_CACHE_TTL: '0s' }),
  ]);
});

afterAll(async () => {
  await Promise.all([cached?.stop(), uncached?.stop()]);
});

/** Looked up when a test runs: the servers start after the suites are collected. */
const servers: [string, () => FlowServer][] = [
  ['with the session cache', () => cached],
  ['without the session cache', () => uncached],
];

/** An identity with every optional field of the identity object set, signed in from two devices. */
async function richUser(server: FlowServer): Promise<{ token: string; identityId: string }> {
  const email = uniqueEmail('whoami-rich');
  const password = 'a long enough password for whoami';
  const created = await server.identities.createIdentity({
    createIdentityBody: {
      schema_id: 'default',
      traits: { email, name: { first: 'Zoë "Q" \\ \u2028 \ud83d\udd11', last: '</script>' } },
      credentials: { password: { config: { password } } },
      metadata_public: { plan: 'pro', nested: { list: [1, 2.5, null, true], text: 'é\n' } },
      metadata_admin: { never: 'shown to whoami' },
      external_id: `ext-${email}`,
      verifiable_addresses: [
        {
          value: email,
          via: 'email',
          verified: true,
          status: 'completed',
          verified_at: '2026-01-02T03:04:05.678Z',
        },
      ],
      recovery_addresses: [{ value: email, via: 'email' }],
    },
  });
  expect(created.status).toBe(201);
  const identityId = created.data.id;
  // state_changed_at is set by a change of state; the identity is active again afterwards.
  for (const state of ['inactive', 'active'] as const) {
    const patched = await server.identities.patchIdentity({
      id: identityId,
      jsonPatch: [{ op: 'replace', path: '/state', value: state }],
    });
    expect(patched.status).toBe(200);
  }
  const login = await loginWithApi(server.frontend, email, password, {
    headers: { 'User-Agent': 'Phone "1" \\' },
  });
  expect(login.status).toBe(200);
  return { token: (login.data as { session_token: string }).session_token, identityId };
}

async function whoami(server: FlowServer, token: string, method = 'GET', query = '') {
  const response = await fetch(`${server.publicUrl}/sessions/whoami${query}`, {
    method,
    headers: { 'X-Session-Token': token },
  });
  return { response, text: await response.text() };
}

const SAME_HEADERS = ['content-type', 'content-length', 'x-kratos-authenticated-identity-id'];

describe.each(servers)('whoami %s', (_name, serverOf) => {
  it('answers a GET with the same bytes and headers as the controller answers a POST', async () => {
    const server = serverOf();
    const { token, identityId } = await richUser(server);
    const get = await whoami(server, token);
    const post = await whoami(server, token, 'POST');
    expect(get.response.status).toBe(200);
    expect(post.response.status).toBe(200);
    expect(get.text).toBe(post.text);
    for (const name of SAME_HEADERS)
      expect(get.response.headers.get(name), name).toBe(post.response.headers.get(name));
    expect(get.response.headers.get('x-kratos-authenticated-identity-id')).toBe(identityId);
    expect(get.response.headers.get('cache-control')).toBe('private, no-cache, no-store, must-revalidate');

    const session = JSON.parse(get.text) as Record<string, unknown> & { identity: Record<string, unknown> };
    assertMatchesContract('session', session);
    expect(session.identity.traits).toEqual({
      email: expect.any(String),
      name: { first: 'Zoë "Q" \\ \u2028 \ud83d\udd11', last: '</script>' },
    });
    expect(session.identity).toHaveProperty('state_changed_at');
    expect(session.identity).toHaveProperty('external_id');
    expect(session.identity).not.toHaveProperty('metadata_admin');
    expect(session.identity).not.toHaveProperty('credentials');
    expect(session.identity['verifiable_addresses']).toEqual([
      expect.objectContaining({ verified: true, verified_at: '2026-01-02T03:04:05.678Z' }),
    ]);
    expect(session['devices']).toEqual([expect.objectContaining({ user_agent: 'Phone "1" \\' })]);
  });

  it('answers the same for an identity without optional fields, registered through the flow', async () => {
    const server = serverOf();
    const user = await registerWithApi(server.frontend, uniqueEmail('whoami-plain'));
    const get = await whoami(server, user.token);
    const post = await whoami(server, user.token, 'PUT');
    expect(get.response.status).toBe(200);
    expect(get.text).toBe(post.text);
    expect(JSON.parse(get.text)).toMatchObject({ id: user.session.id, active: true });
  });

  it('still refuses a revoked session, a disabled identity and an aal1 session of a TOTP user', async () => {
    const server = serverOf();
    const revoked = await registerWithApi(server.frontend, uniqueEmail('whoami-revoked'));
    expect((await whoami(server, revoked.token)).response.status).toBe(200);
    const disabled = await server.identities.disableSession({ id: revoked.session.id });
    expect(disabled.status).toBe(204);
    // Revocation evicts the cache at once: no TTL to wait for on either server.
    expectError(await server.frontend.toSession({ xSessionToken: revoked.token }), 401);

    const inactive = await registerWithApi(server.frontend, uniqueEmail('whoami-inactive'));
    await server.identities.patchIdentity({
      id: inactive.identity.id,
      jsonPatch: [{ op: 'replace', path: '/state', value: 'inactive' }],
    });
    expectError(await server.frontend.toSession({ xSessionToken: inactive.token }), 401);

    const mfa = await registerWithApi(server.frontend, uniqueEmail('whoami-totp'));
    await enrolTotp(server.frontend, mfa.token);
    const aal1 = await passwordSession(server.frontend, mfa.email, mfa.password);
    expectError(await server.frontend.toSession({ xSessionToken: aal1 }), 403, 'session_aal2_required');
    expect((await whoami(server, mfa.token)).response.status).toBe(200);
  });

  it('leaves unknown tokens, the admin port and tokenize_as to the controller', async () => {
    const server = serverOf();
    const unknown = await whoami(server, 'ory_st_notarealtokenatallnotarealtoken');
    expect(unknown.response.status).toBe(401);
    expect(JSON.parse(unknown.text)).toMatchObject({ error: { code: 401 } });
    const user = await registerWithApi(server.frontend, uniqueEmail('whoami-ports'));
    // The admin port sends whoami to the public one, as Kratos does.
    const admin = await fetch(`${server.adminUrl}/sessions/whoami`, {
      headers: { 'X-Session-Token': user.token },
      redirect: 'manual',
    });
    expect(admin.status).toBe(307);
    expect(admin.headers.get('location')).toBe(`${server.publicUrl}/sessions/whoami`);
    const tokenized = await whoami(server, user.token, 'GET', '?tokenize_as=unknown');
    expect(tokenized.response.status).toBe(400);
    expect(tokenized.response.headers.get('x-kratos-authenticated-identity-id')).toBeNull();
  });
});
