import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { startTessera, type TesseraProcess } from '../../support/tessera-process.js';

// Admin input the database cannot hold, or that names an impossible duration, is a 400 with a
// reason and changes nothing: never a 500. Run with TEST_DATABASE_POSTGRES for PostgreSQL, which
// refuses NUL in text and over-long varchars where SQLite would silently accept them.

let tessera: TesseraProcess;
let id: string;

interface Answer {
  status: number;
  body: { error?: { reason?: string } } & Record<string, unknown>;
}

async function call(method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${tessera.adminUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Answer['body'] };
}

/** Everything an admin can read about the identity, secrets included. */
const snapshot = async () =>
  (await call('GET', `/admin/identities/${id}?include_credential=password&include_credential=code`)).body;

function expectRefused(answer: Answer, reason: RegExp): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  assertMatchesContract('errorGeneric', answer.body);
  expect(answer.body.error?.reason).toMatch(reason);
}

beforeAll(async () => {
  tessera = await startTessera();
  const created = await call('POST', '/admin/identities', {
    schema_id: 'default',
    traits: { email: 'input@example.org' },
    external_id: 'crm-input',
    credentials: { password: { config: { password: 'a long enough password' } } },
  });
  expect(created.status).toBe(201);
  id = created.body['id'] as string;
});

afterAll(async () => {
  await tessera?.stop();
});

describe('PATCH /admin/identities/{id} is validated exactly like PUT', () => {
  it.each([
    ['a null address', '/verifiable_addresses', [null], /verifiable_addresses/],
    [
      'an address of the wrong types',
      '/verifiable_addresses',
      [{ value: 5, via: {} }],
      /value must be a string/,
    ],
    ['a recovery address of the wrong type', '/recovery_addresses', ['x'], /recovery_addresses/],
    [
      'an organization id that is no UUID',
      '/organization_id',
      'not-a-uuid',
      /organization_id must be a UUID/,
    ],
    [
      'an external id of 100,000 characters',
      '/external_id',
      'x'.repeat(100_000),
      /external_id must be shorter/,
    ],
    ['an external id with a NUL byte', '/external_id', 'a\u0000b', /external_id must not contain NUL/],
    ['a state that does not exist', '/state', 'deleted', /state must be one of/],
    ['traits that are no object', '/traits', 'text', /traits must be an object/],
    [
      'a verification date that is no date',
      '/verifiable_addresses/0/verified_at',
      'garbage',
      /verified_at must be a valid ISO 8601/,
    ],
  ])('refuses %s with 400 and changes nothing', async (_label, path, value, reason) => {
    const before = await snapshot();
    expectRefused(await call('PATCH', `/admin/identities/${id}`, [{ op: 'add', path, value }]), reason);
    expect(await snapshot()).toEqual(before);
  });

  it('still applies a valid patch', async () => {
    const organization = '0b6d1f4e-58d4-4b8f-9d3e-6a0a2b7c1d2e';
    const patched = await call('PATCH', `/admin/identities/${id}`, [
      { op: 'replace', path: '/external_id', value: 'crm-input-2' },
      { op: 'add', path: '/organization_id', value: organization },
    ]);
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ external_id: 'crm-input-2', organization_id: organization });
  });
});

describe('PUT and POST check every stored string against its column', () => {
  it('refuses a NUL byte in the external id on PUT and changes nothing', async () => {
    const before = await snapshot();
    const answer = await call('PUT', `/admin/identities/${id}`, {
      schema_id: 'default',
      traits: { email: 'input@example.org' },
      external_id: 'a\u0000b',
    });
    expectRefused(answer, /identities\.external_id must not contain NUL/);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an identifier longer than its column on create and writes nothing', async () => {
    const email = `${'a'.repeat(250)}@example.org`;
    const count = async () =>
      ((await call('GET', '/admin/identities?page_size=500')).body as unknown as unknown[]).length;
    const before = await count();
    const answer = await call('POST', '/admin/identities', {
      schema_id: 'default',
      traits: { email },
      credentials: { password: { config: { password: 'a long enough password' } } },
    });
    expectRefused(answer, /identifier holds at most 255 characters/);
    expect(await count()).toBe(before);
  });

  it('reports a NUL byte inline in a batch and creates only the valid entries', async () => {
    const answer = await call('PATCH', '/admin/identities', {
      identities: [
        { create: { schema_id: 'default', traits: { email: 'nul@example.org' }, external_id: 'x\u0000' } },
        { create: { schema_id: 'default', traits: { email: 'fine@example.org' } } },
      ],
    });
    expect(answer.status).toBe(200);
    const results = answer.body['identities'] as {
      action: string;
      error?: { code: number; reason: string };
    }[];
    expect(results.map((r) => r.action)).toEqual(['error', 'create']);
    expect(results[0]!.error).toMatchObject({ code: 400, reason: expect.stringMatching(/NUL/) });
    expect((await call('GET', '/admin/identities?credentials_identifier=nul@example.org')).body).toEqual([]);
  });
});

describe('query filters and path parameters', () => {
  it.each([
    [
      '/admin/identities?credentials_identifier=a%00b',
      /credentials_identifier parameter must not contain NUL/,
    ],
    [
      `/admin/identities?credentials_identifier=${'a'.repeat(300)}`,
      /credentials_identifier parameter holds at most 255/,
    ],
    ['/admin/identities/by/external/a%00b', /externalID parameter must not contain NUL/],
    ['/admin/courier/messages?recipient=a%00b', /recipient parameter must not contain NUL/],
    [`/admin/courier/messages?recipient=${'a'.repeat(300)}`, /recipient parameter holds at most 255/],
  ])('GET %s is a 400 with a reason', async (path, reason) => {
    expectRefused(await call('GET', path), reason);
  });
});

describe('admin recovery durations', () => {
  it.each(['code', 'link'])('POST /admin/recovery/%s refuses an absurd expires_in', async (kind) => {
    const before = await snapshot();
    for (const expiresIn of ['999999999999h', '2562048h', `1${'0'.repeat(400)}s`]) {
      const answer = await call('POST', `/admin/recovery/${kind}`, {
        identity_id: id,
        expires_in: expiresIn,
      });
      expectRefused(answer, /expires_in must be at most 2562047h/);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('accepts the longest duration there is', async () => {
    const answer = await call('POST', '/admin/recovery/code', { identity_id: id, expires_in: '2562047h' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(new Date(answer.body['expires_at'] as string).getUTCFullYear()).toBeGreaterThan(2300);
  });
});
