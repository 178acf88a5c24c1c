import { randomUUID } from 'node:crypto';
import type { Session, SuccessfulNativeLogin } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract, assertMatchesContractResponse } from '../../support/contract.js';
import {
  bodyOf,
  browserWithSession,
  expectError,
  loginWithApi,
  registerWithApi,
  sleep,
  startFlowServer,
  uniqueEmail,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';

// A user's devices: listing and ending them, and the admin's view of the same sessions.

let server: FlowServer;
/** Configured to end all other sessions of an identity on each sign-in. */
let revoking: FlowServer;

beforeAll(async () => {
  [server, revoking] = await Promise.all([
    startFlowServer(),
    startFlowServer({ SELFSERVICE_FLOWS_LOGIN_AFTER_HOOKS: '[{"hook":"revoke_active_sessions"}]' }),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.stop(), revoking?.stop()]);
});

/** A user signed in on three devices: the sign-up one and two more logins. */
async function userOnThreeDevices(): Promise<{ user: Registered; others: SuccessfulNativeLogin[] }> {
  const user = await registerWithApi(server.frontend, uniqueEmail('devices'));
  const others: SuccessfulNativeLogin[] = [];
  for (const agent of ['Phone/1.0', 'Laptop/2.0']) {
    const response = await loginWithApi(server.frontend, user.email, user.password, {
      headers: { 'User-Agent': agent },
    });
    expect(response.status).toBe(200);
    others.push(bodyOf<SuccessfulNativeLogin>(response));
  }
  return { user, others };
}

/**
 * The admin API leaves out what `expand` did not ask for as `null`, as Kratos does (its Go
 * fields have no omitempty), where the generated contract types them as object and array.
 */
function assertAdminSession(session: unknown): void {
  const { identity, devices, ...rest } = session as Record<string, unknown>;
  assertMatchesContract('session', {
    ...rest,
    ...(identity === null ? {} : { identity }),
    ...(devices === null ? {} : { devices }),
  });
}

const alive = async (token: string, on = server) =>
  (await on.frontend.toSession({ xSessionToken: token })).status;

describe("a user's own sessions", () => {
  it('lists the other active sessions, not the current one, with identity and devices', async () => {
    const { user, others } = await userOnThreeDevices();
    const response = await server.frontend.listMySessions({ xSessionToken: user.token });
    expect(response.status).toBe(200);
    assertMatchesContractResponse('listMySessions', '200', response.data);
    expect(response.headers['x-total-count']).toBe('2');
    const ids = response.data.map((s) => s.id).sort();
    expect(ids).toEqual(others.map((o) => o.session.id).sort());
    expect(ids).not.toContain(user.session.id);
    for (const session of response.data) {
      assertMatchesContract('session', session);
      expect(session.active).toBe(true);
      expect(session.identity?.id).toBe(user.identity.id);
      expect(session.devices?.[0]?.user_agent).toMatch(/^(Phone\/1\.0|Laptop\/2\.0)$/);
    }
  });

  it('lists the same for a browser session cookie', async () => {
    const { jar } = await browserWithSession(server.publicUrl);
    const response = await server.frontend.listMySessions({ cookie: jar.header() });
    expect(response.status).toBe(200);
    expect(response.data).toEqual([]);
  });

  it('refuses to revoke the current session with 400 (that is what logout is for)', async () => {
    const { user } = await userOnThreeDevices();
    const response = await server.frontend.disableMySession({
      id: user.session.id,
      xSessionToken: user.token,
    });
    expectError(response, 400);
    expect(await alive(user.token)).toBe(200);
  });

  it('revokes one other session by id', async () => {
    const { user, others } = await userOnThreeDevices();
    const [phone, laptop] = others as [SuccessfulNativeLogin, SuccessfulNativeLogin];
    const response = await server.frontend.disableMySession({
      id: phone.session.id,
      xSessionToken: user.token,
    });
    expect(response.status).toBe(204);
    expect(await alive(phone.session_token!)).toBe(401);
    expect(await alive(laptop.session_token!)).toBe(200);
    expect(await alive(user.token)).toBe(200);
    const listed = await server.frontend.listMySessions({ xSessionToken: user.token });
    expect(listed.data.map((s) => s.id)).toEqual([laptop.session.id]);
  });

  it("cannot touch another user's session, and rejects a malformed id", async () => {
    const { user } = await userOnThreeDevices();
    const stranger = await registerWithApi(server.frontend, uniqueEmail('stranger'));
    const response = await server.frontend.disableMySession({
      id: stranger.session.id,
      xSessionToken: user.token,
    });
    expect(response.status).toBe(204);
    expect(await alive(stranger.token)).toBe(200);
    expectError(await server.frontend.disableMySession({ id: 'not-a-uuid', xSessionToken: user.token }), 400);
  });

  it('revokes all other sessions at once and says how many', async () => {
    const { user, others } = await userOnThreeDevices();
    const response = await server.frontend.disableMyOtherSessions({ xSessionToken: user.token });
    expect(response.status).toBe(200);
    assertMatchesContract('deleteMySessionsCount', response.data);
    expect(response.data).toEqual({ count: 2 });
    for (const other of others) expect(await alive(other.session_token!)).toBe(401);
    expect(await alive(user.token)).toBe(200);
    const again = await server.frontend.disableMyOtherSessions({ xSessionToken: user.token });
    expect(again.data).toEqual({ count: 0 });
    expect((await server.frontend.listMySessions({ xSessionToken: user.token })).data).toEqual([]);
  });

  it('answers 401 to all of these without a session', async () => {
    const token = 'ory_st_notasessionnotasessionnotases';
    expectError(await server.frontend.listMySessions({ xSessionToken: token }), 401);
    expectError(await server.frontend.disableMyOtherSessions({ xSessionToken: token }), 401);
    expectError(await server.frontend.disableMySession({ id: randomUUID(), xSessionToken: token }), 401);
  });
});

describe('the admin session API', () => {
  it('lists sessions, with the identity only when expand=identity', async () => {
    const { user } = await userOnThreeDevices();
    const plain = await server.identities.listSessions({ pageSize: 1000 });
    expect(plain.status).toBe(200);
    plain.data.forEach(assertAdminSession);
    const mine = plain.data.find((s) => s.id === user.session.id)!;
    expect(mine).toBeDefined();
    expect(mine.identity ?? null).toBeNull();

    const expanded = await server.identities.listSessions({ pageSize: 1000, expand: ['identity'] });
    expect(expanded.status).toBe(200);
    const withIdentity = expanded.data.find((s) => s.id === user.session.id)!;
    assertAdminSession(withIdentity);
    expect(withIdentity.identity?.id).toBe(user.identity.id);
    expect(Number(expanded.headers['x-total-count'])).toBeGreaterThanOrEqual(3);
  });

  it('gets one session, expanded, and answers 404 / 400 for unknown / malformed ids', async () => {
    const { user } = await userOnThreeDevices();
    const response = await server.identities.getSession({ id: user.session.id, expand: ['identity'] });
    expect(response.status).toBe(200);
    assertAdminSession(response.data);
    expect(response.data).toMatchObject({ id: user.session.id, active: true });
    expect(response.data.identity?.id).toBe(user.identity.id);
    expectError(await server.identities.getSession({ id: randomUUID() }), 404);
    expectError(await server.identities.getSession({ id: 'nope' }), 400);
  });

  it('reads expand in any case, as the SDK sends the contract example ?expand=Identity&expand=Devices', async () => {
    const { user } = await userOnThreeDevices();
    // The SDK's enum is lower-case, but callers following the documented example send these.
    const expand = ['Identity', 'Devices'] as unknown as ('identity' | 'devices')[];
    const one = await server.identities.getSession({ id: user.session.id, expand });
    expect(one.status, JSON.stringify(one.data)).toBe(200);
    assertAdminSession(one.data);
    expect(one.data.identity?.id).toBe(user.identity.id);
    expect(one.data.devices).toHaveLength(1);

    const listed = await server.identities.listSessions({ pageSize: 1000, expand });
    expect(listed.status, JSON.stringify(listed.data)).toBe(200);
    const mine = listed.data.find((s) => s.id === user.session.id)!;
    assertAdminSession(mine);
    expect(mine.identity?.id).toBe(user.identity.id);
    expect(mine.devices).toHaveLength(1);

    const unknown = ['Identity', 'Everything'] as unknown as ('identity' | 'devices')[];
    expectError(await server.identities.getSession({ id: user.session.id, expand: unknown }), 400);
    expectError(await server.identities.listSessions({ expand: unknown }), 400);
  });

  it('extends a session to a full lifespan from now', async () => {
    const { user } = await userOnThreeDevices();
    await sleep(50);
    const response = await server.identities.extendSession({ id: user.session.id });
    expect(response.status).toBe(200);
    assertAdminSession(response.data);
    const extended = bodyOf<Session>(response);
    expect(extended.id).toBe(user.session.id);
    expect(Date.parse(extended.expires_at!)).toBeGreaterThan(Date.parse(user.session.expires_at!));
    const whoami = await server.frontend.toSession({ xSessionToken: user.token });
    expect(whoami.data.expires_at).toBe(extended.expires_at);
    expectError(await server.identities.extendSession({ id: randomUUID() }), 404);
  });

  it('disables a session: whoami refuses it, the admin sees it inactive', async () => {
    const { user, others } = await userOnThreeDevices();
    const response = await server.identities.disableSession({ id: user.session.id });
    expect(response.status).toBe(204);
    expect(await alive(user.token)).toBe(401);
    expect(await alive(others[0]!.session_token!)).toBe(200);
    const admin = await server.identities.getSession({ id: user.session.id });
    expect(admin.data.active).toBe(false);
    const inactive = await server.identities.listSessions({ active: false, pageSize: 1000 });
    expect(inactive.data.map((s) => s.id)).toContain(user.session.id);
    expectError(await server.identities.disableSession({ id: randomUUID() }), 404);
  });

  it("lists and deletes an identity's sessions", async () => {
    const { user } = await userOnThreeDevices();
    const bystander = await registerWithApi(server.frontend, uniqueEmail('bystander'));
    const listed = await server.identities.listIdentitySessions({ id: user.identity.id });
    expect(listed.status).toBe(200);
    listed.data.forEach(assertAdminSession);
    expect(listed.data).toHaveLength(3);
    expect(new Set(listed.data.map((s) => s.identity?.id))).toEqual(new Set([user.identity.id]));

    const deleted = await server.identities.deleteIdentitySessions({ id: user.identity.id });
    expect(deleted.status).toBe(204);
    expect(await alive(user.token)).toBe(401);
    expect((await server.identities.listIdentitySessions({ id: user.identity.id })).data).toEqual([]);
    expect(await alive(bystander.token)).toBe(200);
    expectError(await server.identities.deleteIdentitySessions({ id: randomUUID() }), 404);
    expectError(await server.identities.listIdentitySessions({ id: randomUUID() }), 404);
  });
});

describe('the revoke_active_sessions login hook', () => {
  it("ends the identity's other sessions on each sign-in, and nobody else's", async () => {
    const user = await registerWithApi(revoking.frontend, uniqueEmail('single-device'));
    const bystander = await registerWithApi(revoking.frontend, uniqueEmail('bystander'));
    const first = await loginWithApi(revoking.frontend, user.email, user.password);
    expect(first.status).toBe(200);
    const firstToken = bodyOf<SuccessfulNativeLogin>(first).session_token!;
    expect(await alive(user.token, revoking)).toBe(401);
    expect(await alive(firstToken, revoking)).toBe(200);

    const second = await loginWithApi(revoking.frontend, user.email, user.password);
    const secondToken = bodyOf<SuccessfulNativeLogin>(second).session_token!;
    expect(await alive(firstToken, revoking)).toBe(401);
    expect(await alive(secondToken, revoking)).toBe(200);
    expect(await alive(bystander.token, revoking)).toBe(200);
    const listed = await revoking.frontend.listMySessions({ xSessionToken: secondToken });
    expect(listed.data).toEqual([]);
  });
});
