import { Configuration, FrontendApi, IdentityApi } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDsn } from '../../support/courier-e2e.js';
import { registerWithApi } from '../../support/self-service.js';
import { startTessera, type TesseraProcess } from '../../support/tessera-process.js';

// Two replicas on one database and one Redis, each with a whoami cache far longer than the test:
// only the invalidation over Redis can explain a revocation seen at once on the other replica.

const redisUrl = process.env['TEST_REDIS_URL'];

const replicas: TesseraProcess[] = [];
const frontend = (i: number) =>
  new FrontendApi(
    new Configuration({ basePath: replicas[i]!.publicUrl, baseOptions: { validateStatus: () => true } }),
  );
const admin = (i: number) =>
  new IdentityApi(
    new Configuration({ basePath: replicas[i]!.adminUrl, baseOptions: { validateStatus: () => true } }),
  );

async function whoamiStatus(replica: number, token: string): Promise<number> {
  return (await frontend(replica).toSession({ xSessionToken: token })).status;
}

describe.skipIf(!redisUrl)('replicas share revocations through Redis', () => {
  beforeAll(async () => {
    const { dsn } = await sharedDsn();
    const env = { REDIS_URL: redisUrl!, SESSION_WHOAMI_CACHE_TTL: '10m' };
    // The first applies the migrations (startTessera runs `migrate sql` on PostgreSQL), then the second.
    replicas.push(await startTessera({ dsn, env }));
    replicas.push(await startTessera({ dsn, env }));
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
  });

  it('a session revoked on one replica is refused by the other at once', async () => {
    const user = await registerWithApi(frontend(0));
    expect(await whoamiStatus(1, user.token)).toBe(200); // now in replica 1's cache
    expect(await whoamiStatus(1, user.token)).toBe(200);

    const revoked = await frontend(0).performNativeLogout({
      performNativeLogoutBody: { session_token: user.token },
    });
    expect(revoked.status).toBe(204);
    expect(await whoamiStatus(1, user.token)).toBe(401);
  });

  it('an identity disabled on one replica is signed out on the other at once', async () => {
    const user = await registerWithApi(frontend(1));
    expect(await whoamiStatus(0, user.token)).toBe(200);

    const patched = await admin(1).patchIdentity({
      id: user.identity.id,
      jsonPatch: [{ op: 'replace', path: '/state', value: 'inactive' }],
    });
    expect(patched.status).toBe(200);
    expect(await whoamiStatus(0, user.token)).toBe(401);
  });

  it('keeps serving unrevoked sessions from the cache on every replica', async () => {
    const user = await registerWithApi(frontend(0));
    const other = await registerWithApi(frontend(0));
    await frontend(1).performNativeLogout({ performNativeLogoutBody: { session_token: other.token } });
    for (const replica of [0, 1]) expect(await whoamiStatus(replica, user.token)).toBe(200);
  });
});
