import { request } from 'node:http';
import { Configuration, IdentityApi } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContract } from '../../support/contract.js';
import { startTessera, type TesseraProcess } from '../../support/tessera-process.js';

// Every admin operation of the contract, asked for on the public port under every spelling an
// attacker might try. None may reach an admin handler: the answer is a 404, or Kratos' 307 to the
// admin port (which the client would have to be able to reach on its own).

let tessera: TesseraProcess;
let admin: IdentityApi;
let identityId: string;

interface RawAnswer {
  status: number;
  location?: string;
  body: string;
}

/** Sends the path byte for byte: fetch would resolve dot segments and encodings first. */
function raw(base: string, method: string, path: string, body?: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: hostname,
        port,
        method,
        path,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `/admin/identities/x` → the same path as an attacker may write it. */
export function spellings(path: string): string[] {
  const rest = path.slice('/admin'.length);
  const upperRest = rest.replace(/[a-z]+/g, (word) => word.toUpperCase());
  return [
    path,
    `/ADMIN${rest}`,
    `/Admin${rest}`,
    `/aDmin${rest}`,
    `/admin${upperRest}`,
    `/ADMIN${upperRest}`,
    `/%61dmin${rest}`,
    `/%41DMIN${rest}`,
    `/%61%64%6d%69%6e${rest}`,
    `/admin${rest.replace('/', '%2F')}`,
    `/admin${rest.replace('/', '%2f')}`,
    `/./admin${rest}`,
    `/%2e/admin${rest}`,
    `/self-service/../admin${rest}`,
    `/sessions/%2e%2e/admin${rest}`,
    `/x/..%2fadmin${rest}`,
    `//admin${rest}`,
    `/admin/${rest}`,
    `/admin${rest}/`,
    `/admin${rest}//`,
    `/admin;a=b${rest}`,
    `/admin${rest};x`,
    `/admin${rest.replace(/\/([^/]+)/, '/$1;v=1')}`,
    `/admin${rest}?x=1`,
    `/admin${rest}#frag`,
    rest,
    rest.toUpperCase(),
  ];
}

const BODIES: Record<string, string> = {
  patch: JSON.stringify([{ op: 'replace', path: '/state', value: 'inactive' }]),
  post: JSON.stringify({ identity_id: '', schema_id: 'default', traits: { email: 'mallory@example.org' } }),
  put: JSON.stringify({ schema_id: 'default', traits: { email: 'mallory@example.org' }, state: 'active' }),
};

/** The public operations of the contract, as patterns: `/sessions` is one, and not an admin spelling. */
function publicOperations(): { method: string; pattern: RegExp }[] {
  return Object.entries(loadContract().paths)
    .filter(([path]) => !path.startsWith('/admin/'))
    .flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({
        method,
        pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
      })),
    );
}

function adminOperations(): { method: string; path: string; template: string }[] {
  const operations = Object.entries(loadContract().paths)
    .filter(([path]) => path.startsWith('/admin/'))
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method, path })));
  // Not in Kratos' contract, but admin-only all the same.
  operations.push({ method: 'get', path: '/admin/openapi.json' }, { method: 'get', path: '/admin/docs' });
  return operations.map(({ method, path }) => ({
    method,
    template: path,
    path: path.replace('{id}', identityId).replace('{type}', 'password').replace('{externalID}', 'ext-1'),
  }));
}

beforeAll(async () => {
  tessera = await startTessera();
  admin = new IdentityApi(new Configuration({ basePath: tessera.adminUrl }));
  const { data } = await admin.createIdentity({
    createIdentityBody: {
      schema_id: 'default',
      external_id: 'ext-1',
      traits: { email: 'owner@example.org' },
      credentials: { password: { config: { password: 'correct horse battery staple' } } },
    },
  });
  identityId = data.id;
});

afterAll(async () => {
  await tessera?.stop();
});

describe('the admin API on the public port', () => {
  it('is reachable on the admin port in its canonical spelling (the walk below can fail)', async () => {
    // Session and message ids of this test's identity do not exist: those answer 404 by right.
    const reachable = adminOperations().filter(
      (op) => op.method === 'get' && !/\/(sessions|messages)\/\{id\}$/.test(op.template),
    );
    for (const { path } of reachable) {
      const answer = await raw(tessera.adminUrl, 'GET', path);
      expect(answer.status, path).toBeLessThan(400);
    }
  });

  it('never answers an admin operation, however its path is spelled', async () => {
    const leaks: string[] = [];
    const publicOps = publicOperations();
    const isPublic = (method: string, spelling: string) =>
      publicOps.some((op) => op.method === method && op.pattern.test(spelling));
    for (const { method, path } of adminOperations()) {
      for (const spelling of spellings(path).filter((s) => !isPublic(method, s))) {
        const body = BODIES[method]?.replace('"identity_id":""', `"identity_id":"${identityId}"`);
        const answer = await raw(tessera.publicUrl, method.toUpperCase(), spelling, body);
        const forwarded = answer.status === 307 && answer.location?.startsWith(`${tessera.adminUrl}/admin/`);
        const refused = answer.status === 404;
        if (
          !(forwarded || refused) ||
          answer.body.includes(identityId) ||
          answer.body.includes('recovery_')
        ) {
          leaks.push(`${method.toUpperCase()} ${spelling} → ${answer.status} ${answer.body.slice(0, 120)}`);
        }
      }
    }
    expect(leaks).toEqual([]);
  });

  it('left the identity as it was: nothing was created, changed or deleted', async () => {
    const { data } = await admin.listIdentities();
    expect(data.map((identity) => identity.id)).toEqual([identityId]);
    expect(data[0]!.state).toBe('active');
    const { data: sessions } = await admin.listIdentitySessions({ id: identityId });
    expect(sessions).toEqual([]);
  });
});
