import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { startFlowServer, uniqueEmail, type FlowServer } from '../../support/self-service.js';

// A query parameter given twice counts with its first value, as in Kratos (Go's url.Values.Get);
// only the contract's array parameters keep them all. The route fuzzer found
// `/self-service/login/browser?aal=%00&aal=x` answered with a 500.

let server: FlowServer;

beforeAll(async () => {
  server = await startFlowServer();
});

afterAll(async () => {
  await server?.stop();
});

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { headers: { Accept: 'application/json' }, redirect: 'manual' });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('a repeated query parameter', () => {
  it('starts a login flow, browser or native, instead of failing with a 500', async () => {
    for (const kind of ['browser', 'api']) {
      const answer = await getJson(`${server.publicUrl}/self-service/login/${kind}?aal=%00&aal=x`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      assertMatchesContract('loginFlow', answer.body);
      expect(answer.body['requested_aal']).toBe('aal1');
    }
  });

  it('counts with its first value', async () => {
    const refreshed = await getJson(`${server.publicUrl}/self-service/login/api?refresh=true&refresh=false`);
    expect(refreshed.body['refresh']).toBe(true);
    const plain = await getJson(`${server.publicUrl}/self-service/login/api?refresh=false&refresh=true`);
    expect(plain.body['refresh']).toBe(false);

    const id = String(plain.body['id']);
    const read = await getJson(`${server.publicUrl}/self-service/login/flows?id=${id}&id=not-a-flow`);
    expect(read.status).toBe(200);
    expect(read.body['id']).toBe(id);
  });

  it("keeps every value of the contract's array parameters", async () => {
    const ids: string[] = [];
    for (const label of ['first', 'second', 'third']) {
      const { data } = await server.identities.createIdentity({
        createIdentityBody: { schema_id: 'default', traits: { email: uniqueEmail(label) } },
      });
      ids.push(data.id);
    }
    const answer = await fetch(`${server.adminUrl}/admin/identities?ids=${ids[0]}&ids=${ids[2]}`);
    const listed = (await answer.json()) as { id: string }[];
    expect(listed.map((identity) => identity.id).sort()).toEqual([ids[0], ids[2]].sort());
  });
});
