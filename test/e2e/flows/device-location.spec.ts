import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bodyOf,
  loginWithApi,
  registerWithApi,
  startFlowServer,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';

// A session's device location comes from the proxy in front (Cloudflare's CF-IPCity and
// CF-IPCountry). Any client can send those headers, so they count only when the peer that sent
// the request is one of serve.public.trusted_proxies; otherwise the location stays empty.

let trustsLoopback: FlowServer;
let trustsOthers: FlowServer;
let trustsNobody: FlowServer;

beforeAll(async () => {
  [trustsLoopback, trustsOthers, trustsNobody] = await Promise.all([
    startFlowServer({ SERVE_PUBLIC_TRUSTED_PROXIES: '["loopback"]' }),
    startFlowServer({ SERVE_PUBLIC_TRUSTED_PROXIES: '["10.0.0.0/8"]' }),
    startFlowServer(),
  ]);
});

afterAll(async () => {
  await Promise.all([trustsLoopback?.stop(), trustsOthers?.stop(), trustsNobody?.stop()]);
});

const CLOUDFLARE = { 'CF-IPCity': 'Zurich', 'CF-IPCountry': 'CH' };

/** Signs in with the location headers; the session's devices as the admin API shows them. */
async function locationsOf(server: FlowServer): Promise<string[]> {
  const user = await registerWithApi(server.frontend, uniqueEmail('located'));
  const login = await loginWithApi(server.frontend, user.email, user.password, { headers: CLOUDFLARE });
  expect(login.status, JSON.stringify(login.data)).toBe(200);
  const id = bodyOf<{ session: { id: string } }>(login).session.id;
  const { status, data } = await server.identities.getSession({ id, expand: ['devices'] });
  expect(status).toBe(200);
  return (data.devices ?? []).map((device) => device.location ?? '');
}

describe('session device location', () => {
  it('is taken from CF-IPCity and CF-IPCountry sent by a trusted proxy', async () => {
    expect(await locationsOf(trustsLoopback)).toEqual(['Zurich, CH']);
  });

  it('stays empty when the peer is not one of the trusted proxies', async () => {
    expect(await locationsOf(trustsOthers)).toEqual(['']);
  });

  it('stays empty when no proxy is trusted at all', async () => {
    expect(await locationsOf(trustsNobody)).toEqual(['']);
  });
});
