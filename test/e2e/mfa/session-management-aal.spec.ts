import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectError,
  registerWithApi,
  uniqueEmail,
  type FlowServer,
  type Registered,
} from '../../support/self-service.js';
import { aal2Flow, authenticator, enrolTotp, passwordSession, startMfaServer } from './mfa-support.js';

// A stolen password alone must not let anyone see or end the owner's other sessions: once the
// identity has a second factor, an aal1 session is refused by every session-management route,
// exactly as whoami refuses it (session.whoami.required_aal = highest_available).

let server: FlowServer;

beforeAll(async () => {
  server = await startMfaServer();
});

afterAll(async () => {
  await server?.stop();
});

/** A user with an authenticator app: the sign-up session (aal2 after linking) and two aal1 ones. */
async function userWithTotp(): Promise<{
  user: Registered;
  secret: string;
  aal1: string;
  other: string;
}> {
  const user = await registerWithApi(server.frontend, uniqueEmail('totp-sessions'));
  const secret = await enrolTotp(server.frontend, user.token);
  const aal1 = await passwordSession(server.frontend, user.email, user.password);
  const other = await passwordSession(server.frontend, user.email, user.password);
  return { user, secret, aal1, other };
}

/** The identity's sessions as the admin sees them: id → active. */
async function activeById(identityId: string): Promise<Record<string, boolean>> {
  const { data } = await server.identities.listIdentitySessions({ id: identityId });
  return Object.fromEntries(data.map((s) => [s.id, s.active === true]));
}

describe('session management at aal1 when the identity has a second factor', () => {
  it('refuses list, revoke-one and revoke-others with session_aal2_required, revoking nothing', async () => {
    const { user, aal1 } = await userWithTotp();
    const before = await activeById(user.identity.id);
    expect(Object.values(before)).toEqual([true, true, true]);

    const list = expectError(
      await server.frontend.listMySessions({ xSessionToken: aal1 }),
      403,
      'session_aal2_required',
    );
    expect(new URL(String(list['redirect_browser_to'])).searchParams.get('aal')).toBe('aal2');
    expectError(
      await server.frontend.disableMyOtherSessions({ xSessionToken: aal1 }),
      403,
      'session_aal2_required',
    );
    expectError(
      await server.frontend.disableMySession({ id: user.session.id, xSessionToken: aal1 }),
      403,
      'session_aal2_required',
    );

    expect(await activeById(user.identity.id)).toEqual(before);
    expect((await server.frontend.toSession({ xSessionToken: user.token })).status).toBe(200);
  });

  it('allows all three once the session has stepped up to aal2', async () => {
    const { user, secret, aal1, other } = await userWithTotp();
    const stepUp = await server.frontend.updateLoginFlow({
      flow: (await aal2Flow(server.frontend, aal1)).id,
      xSessionToken: aal1,
      updateLoginFlowBody: { method: 'totp', totp_code: authenticator(secret).next() },
    });
    expect(stepUp.status, JSON.stringify(stepUp.data)).toBe(200);
    const current = (await server.frontend.toSession({ xSessionToken: aal1 })).data;
    expect(current.authenticator_assurance_level).toBe('aal2');

    const list = await server.frontend.listMySessions({ xSessionToken: aal1 });
    expect(list.status).toBe(200);
    expect(list.data).toHaveLength(2);
    expect(list.data.map((s) => s.id)).toContain(user.session.id);

    const otherId = list.data.find((s) => s.id !== user.session.id)!.id;
    const one = await server.frontend.disableMySession({ id: otherId, xSessionToken: aal1 });
    expect(one.status).toBe(204);
    expect((await server.frontend.toSession({ xSessionToken: other })).status).toBe(401);

    const rest = await server.frontend.disableMyOtherSessions({ xSessionToken: aal1 });
    expect(rest.status).toBe(200);
    expect(rest.data).toEqual({ count: 1 });
    expect((await server.frontend.toSession({ xSessionToken: user.token })).status).toBe(401);
    expect(await activeById(user.identity.id)).toEqual({
      [current.id]: true,
      [user.session.id]: false,
      [otherId]: false,
    });
  });
});
