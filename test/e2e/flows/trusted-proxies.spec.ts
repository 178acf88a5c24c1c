import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectError,
  loginWithApi,
  registerWithApi,
  startFlowServer,
  uniqueEmail,
  type FlowServer,
} from '../../support/self-service.js';

// Behind a reverse proxy every request comes from the proxy's address. Only proxies named in
// serve.public.trusted_proxies may say who the client is (X-Forwarded-For); from anyone else the
// header is ignored, so it cannot be used to dodge the per-IP limits.

const PER_IP = 3;
let proxied: FlowServer;
let direct: FlowServer;

beforeAll(async () => {
  const limits = { SECURITY_BRUTE_FORCE_PER_IP_LIMIT: String(PER_IP) };
  [proxied, direct] = await Promise.all([
    startFlowServer({ ...limits, SERVE_PUBLIC_TRUSTED_PROXIES: '["loopback"]' }),
    startFlowServer(limits),
  ]);
});

afterAll(async () => {
  await Promise.all([proxied?.stop(), direct?.stop()]);
});

const from = (ip: string) => ({ headers: { 'X-Forwarded-For': ip } });

/** Failed logins (unknown accounts, so no per-identifier limit is reached) from one client. */
async function failedLogins(server: FlowServer, ip: string, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    statuses.push(
      (await loginWithApi(server.frontend, uniqueEmail('nobody'), 'Wrong-Guess-1', from(ip))).status,
    );
  }
  return statuses;
}

async function deviceIp(server: FlowServer, forwardedFor: string): Promise<string | undefined> {
  const user = await registerWithApi(server.frontend, uniqueEmail('proxied'));
  const login = await loginWithApi(server.frontend, user.email, user.password, from(forwardedFor));
  expect(login.status).toBe(200);
  const session = (login.data as { session: { devices: { ip_address?: string }[] } }).session;
  return session.devices[0]?.ip_address;
}

describe('behind a trusted proxy', () => {
  it('records the client address the proxy names', async () => {
    expect(await deviceIp(proxied, '203.0.113.7')).toBe('203.0.113.7');
  });

  it('limits each client on its own, not everyone behind the proxy together', async () => {
    expect(await failedLogins(proxied, '198.51.100.1', PER_IP)).toEqual(Array(PER_IP).fill(400));
    const blocked = await loginWithApi(
      proxied.frontend,
      uniqueEmail('nobody'),
      'Wrong-Guess-1',
      from('198.51.100.1'),
    );
    expectError(blocked, 429, 'too_many_requests');
    expect(await failedLogins(proxied, '198.51.100.2', 1)).toEqual([400]);
  });
});

describe('without trusted proxies', () => {
  it('ignores X-Forwarded-For: records the socket address and counts forged clients as one', async () => {
    const ip = await deviceIp(direct, '203.0.113.7');
    expect(ip).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);
    // Only failures count (the sign-in above spent nothing): PER_IP of them fill the window.
    expect(await failedLogins(direct, '198.51.100.1', PER_IP)).toEqual(Array(PER_IP).fill(400));
    const forged = await loginWithApi(
      direct.frontend,
      uniqueEmail('nobody'),
      'Wrong-Guess-1',
      from('198.51.100.99'),
    );
    expectError(forged, 429, 'too_many_requests');
  });
});
