import { Configuration, IdentityApi, MetadataApi, type Identity } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { startTessera, type TesseraProcess } from '../../support/tessera-process.js';

let tessera: TesseraProcess;
let admin: IdentityApi;

function errorOf(
  promise: Promise<unknown>,
): Promise<{ status: number; body: { error: Record<string, unknown> } }> {
  return promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: { response?: { status: number; data: { error: Record<string, unknown> } } }) => {
      if (!error.response) throw error;
      assertMatchesContract('errorGeneric', error.response.data);
      return { status: error.response.status, body: error.response.data };
    },
  );
}

beforeAll(async () => {
  tessera = await startTessera();
  admin = new IdentityApi(new Configuration({ basePath: tessera.adminUrl }));
});

afterAll(async () => {
  await tessera?.stop();
});

describe('createIdentity', () => {
  it('creates an identity with a password and derives its addresses from the schema', async () => {
    const { status, data, headers } = await admin.createIdentity({
      createIdentityBody: {
        schema_id: 'default',
        traits: { email: 'Ada@Example.org', name: { first: 'Ada' } },
        credentials: { password: { config: { password: 'correct horse battery staple' } } },
        metadata_public: { plan: 'pro' },
        metadata_admin: { note: 'vip' },
      },
    });
    expect(status).toBe(201);
    assertMatchesContract('identity', data);
    expect(headers['location']).toBe(`${tessera.adminUrl}/admin/identities/${data.id}`);
    expect(data.state).toBe('active');
    expect(data.schema_url).toBe(`${tessera.publicUrl}/schemas/ZGVmYXVsdA`);
    expect(data.metadata_public).toEqual({ plan: 'pro' });
    expect(data.metadata_admin).toEqual({ note: 'vip' });
    expect(data.credentials?.password?.identifiers).toEqual(['ada@example.org']);
    expect(data.credentials?.password).not.toHaveProperty('config');
    expect(data.verifiable_addresses).toEqual([
      expect.objectContaining({ value: 'ada@example.org', via: 'email', verified: false, status: 'pending' }),
    ]);
    expect(data.recovery_addresses).toEqual([
      expect.objectContaining({ value: 'ada@example.org', via: 'email' }),
    ]);
  });

  it('answers 409 for a duplicate identifier and writes nothing', async () => {
    const body = {
      schema_id: 'default',
      traits: { email: 'dup@example.org' },
      credentials: { password: { config: { password: 'a long enough password' } } },
    };
    await admin.createIdentity({ createIdentityBody: body });
    const { status } = await errorOf(
      admin.createIdentity({ createIdentityBody: { ...body, traits: { email: 'DUP@example.org' } } }),
    );
    expect(status).toBe(409);
    const { data } = await admin.listIdentities({ credentialsIdentifier: 'dup@example.org' });
    expect(data).toHaveLength(1);
  });

  it('rejects traits that fail the schema with 400 naming the field', async () => {
    const { status, body } = await errorOf(
      admin.createIdentity({
        createIdentityBody: { schema_id: 'default', traits: { email: 'not-an-email' } },
      }),
    );
    expect(status).toBe(400);
    expect(JSON.stringify(body.error['details'])).toContain('traits.email');
  });

  it('rejects an unknown schema, unknown fields and malformed JSON with 400', async () => {
    expect(
      (await errorOf(admin.createIdentity({ createIdentityBody: { schema_id: 'nope', traits: {} } }))).status,
    ).toBe(400);
    const unknownField = await fetch(`${tessera.adminUrl}/admin/identities`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ schema_id: 'default', traits: { email: 'x@example.org' }, colour: 'blue' }),
    });
    expect(unknownField.status).toBe(400);
    const malformed = await fetch(`${tessera.adminUrl}/admin/identities`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"schema_id": ',
    });
    expect(malformed.status).toBe(400);
    const body = await malformed.json();
    assertMatchesContract('errorGeneric', body);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.js:\d+/);
  });

  it('imports a known password hash and refuses an unknown format', async () => {
    const bcrypt = '$2b$04$/4VazhTwEbNf0h07B2KbyuF1T3mMkMZmhoWrJBvAQHagD7yeVMXkq';
    const { data } = await admin.createIdentity({
      createIdentityBody: {
        schema_id: 'default',
        traits: { email: 'imported@example.org' },
        credentials: { password: { config: { hashed_password: bcrypt } } },
      },
    });
    expect(data.credentials?.password?.identifiers).toEqual(['imported@example.org']);
    const { status, body } = await errorOf(
      admin.createIdentity({
        createIdentityBody: {
          schema_id: 'default',
          traits: { email: 'bad-hash@example.org' },
          credentials: { password: { config: { hashed_password: '$unknown$abc' } } },
        },
      }),
    );
    expect(status).toBe(400);
    expect(body.error['reason']).toBe('The imported password does not match any known hash format.');
  });
});

describe('reading identities', () => {
  let created: Identity;

  beforeAll(async () => {
    ({ data: created } = await admin.createIdentity({
      createIdentityBody: {
        schema_id: 'default',
        traits: { email: 'reader@example.org' },
        external_id: 'crm-42',
        credentials: {
          password: { config: { password: 'another long password' } },
          oidc: { config: { providers: [{ provider: 'github', subject: 'Octo-1' }] } },
        },
      },
    }));
  });

  it('gets an identity, with a credential config only for the types named, as Kratos', async () => {
    const plain = await admin.getIdentity({ id: created.id });
    assertMatchesContract('identity', plain.data);
    expect(plain.data.credentials?.oidc).not.toHaveProperty('config');
    expect(JSON.stringify(plain.data)).not.toMatch(/argon2|hashed_password/);

    const oidcOnly = await admin.getIdentity({ id: created.id, includeCredential: ['oidc'] });
    expect(oidcOnly.data.credentials?.oidc?.config).toEqual({
      providers: [
        {
          provider: 'github',
          subject: 'Octo-1',
          initial_id_token: '',
          initial_access_token: '',
          initial_refresh_token: '',
        },
      ],
    });
    expect(oidcOnly.data.credentials?.oidc?.identifiers).toEqual(['github:Octo-1']);
    expect(JSON.stringify(oidcOnly.data)).not.toMatch(/argon2|hashed_password/);

    const { data } = await admin.getIdentity({ id: created.id, includeCredential: ['password', 'oidc'] });
    assertMatchesContract('identity', data);
    expect(data.credentials?.password?.config).toEqual({
      hashed_password: expect.stringMatching(/^\$argon2id\$/),
    });
    expect(JSON.stringify(data)).not.toContain('another long password');
  });

  it('gets an identity by external id', async () => {
    const { data } = await admin.getIdentityByExternalID({ externalID: 'crm-42' });
    expect(data.id).toBe(created.id);
    expect((await errorOf(admin.getIdentityByExternalID({ externalID: 'crm-43' }))).status).toBe(404);
  });

  it('answers 404 in the envelope for an unknown or malformed id', async () => {
    expect((await errorOf(admin.getIdentity({ id: '0190f3b5-0000-7000-8000-000000000000' }))).status).toBe(
      404,
    );
    expect((await errorOf(admin.getIdentity({ id: 'not-a-uuid' }))).status).toBe(404);
  });

  it('finds identities by credentials identifier, case-insensitively for emails', async () => {
    const { data } = await admin.listIdentities({ credentialsIdentifier: 'READER@example.org' });
    expect(data.map((i) => i.id)).toEqual([created.id]);
  });

  it('filters by organization', async () => {
    const organization = '0190f3b5-0000-7000-8000-0000000000aa';
    const { data: member } = await admin.createIdentity({
      createIdentityBody: {
        schema_id: 'default',
        traits: { email: 'member@example.org' },
        organization_id: organization,
      },
    });
    const { data } = await admin.listIdentities({ organizationId: organization });
    expect(data.map((i) => i.id)).toEqual([member.id]);
    expect(data[0]?.organization_id).toBe(organization);
    expect((await errorOf(admin.listIdentities({ organizationId: 'not-a-uuid' }))).status).toBe(400);
  });

  it('refuses to combine filters', async () => {
    const { status } = await errorOf(admin.listIdentities({ ids: [created.id], credentialsIdentifier: 'x' }));
    expect(status).toBe(400);
  });
});

describe('listIdentities pagination', () => {
  it('walks every identity exactly once with page tokens from the Link header', async () => {
    for (let i = 0; i < 5; i++) {
      await admin.createIdentity({
        createIdentityBody: { schema_id: 'default', traits: { email: `page${i}@example.org` } },
      });
    }
    const all = (await admin.listIdentities({ pageSize: 500 })).data.map((i) => i.id);
    const seen: string[] = [];
    let token: string | undefined;
    for (let guard = 0; guard < 50; guard++) {
      const response = await admin.listIdentities({ pageSize: 2, pageToken: token });
      response.data.forEach((identity) => assertMatchesContract('identity', identity));
      seen.push(...response.data.map((i) => i.id));
      const next = /<([^>]+)>; rel="next"/.exec(String(response.headers['link']))?.[1];
      if (!next) break;
      expect(next).toMatch(/^\/admin\/identities\?/);
      token = new URLSearchParams(next.split('?')[1]).get('page_token') ?? undefined;
    }
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('filters by ids and rejects a crafted page token', async () => {
    const all = (await admin.listIdentities({ pageSize: 3 })).data;
    const { data } = await admin.listIdentities({ ids: [all[0]!.id, all[2]!.id] });
    expect(data.map((i) => i.id)).toEqual([all[0]!.id, all[2]!.id]);
    expect((await errorOf(admin.listIdentities({ pageToken: 'garbage' }))).status).toBe(400);
  });
});

describe('updating identities', () => {
  it('replaces traits and metadata with PUT and recomputes identifiers and addresses', async () => {
    const { data: identity } = await admin.createIdentity({
      createIdentityBody: {
        schema_id: 'default',
        traits: { email: 'before@example.org' },
        credentials: { password: { config: { password: 'a long enough password' } } },
        metadata_public: { a: 1 },
      },
    });
    const { data } = await admin.updateIdentity({
      id: identity.id,
      updateIdentityBody: { schema_id: 'default', traits: { email: 'after@example.org' }, state: 'inactive' },
    });
    assertMatchesContract('identity', data);
    expect(data.state).toBe('inactive');
    expect(data.metadata_public).toBeNull();
    expect(data.credentials?.password?.identifiers).toEqual(['after@example.org']);
    expect(data.verifiable_addresses?.map((a) => a.value)).toEqual(['after@example.org']);
    expect((await admin.listIdentities({ credentialsIdentifier: 'before@example.org' })).data).toHaveLength(
      0,
    );
  });

  it('patches with JSON Patch, including marking an address verified', async () => {
    const { data: identity } = await admin.createIdentity({
      createIdentityBody: { schema_id: 'default', traits: { email: 'patch@example.org' } },
    });
    const { data } = await admin.patchIdentity({
      id: identity.id,
      jsonPatch: [
        { op: 'replace', path: '/traits/email', value: 'patched@example.org' },
        { op: 'add', path: '/metadata_public', value: { tier: 2 } },
      ],
    });
    expect(data.traits).toEqual({ email: 'patched@example.org' });
    expect(data.metadata_public).toEqual({ tier: 2 });
    const verified = await admin.patchIdentity({
      id: identity.id,
      jsonPatch: [{ op: 'replace', path: '/verifiable_addresses/0/verified', value: true }],
    });
    expect(verified.data.verifiable_addresses?.[0]).toMatchObject({ verified: true, status: 'completed' });
    expect(verified.data.verifiable_addresses?.[0]?.verified_at).toBeTruthy();
    const forbidden = await errorOf(
      admin.patchIdentity({ id: identity.id, jsonPatch: [{ op: 'remove', path: '/id' }] }),
    );
    expect(forbidden.status).toBe(400);
  });
});

describe('deleting', () => {
  it('deletes an identity, then answers 404', async () => {
    const { data } = await admin.createIdentity({
      createIdentityBody: { schema_id: 'default', traits: { email: 'gone@example.org' } },
    });
    expect((await admin.deleteIdentity({ id: data.id })).status).toBe(204);
    expect((await errorOf(admin.getIdentity({ id: data.id }))).status).toBe(404);
    expect((await errorOf(admin.deleteIdentity({ id: data.id }))).status).toBe(404);
  });

  it('deletes a credential type but never the last first factor', async () => {
    const { data } = await admin.createIdentity({
      createIdentityBody: {
        schema_id: 'default',
        traits: { email: 'factors@example.org' },
        credentials: {
          password: { config: { password: 'a long enough password' } },
          oidc: {
            config: {
              providers: [
                { provider: 'google', subject: '1' },
                { provider: 'github', subject: '2' },
              ],
            },
          },
        },
      },
    });
    await admin.deleteIdentityCredentials({ id: data.id, type: 'oidc', identifier: 'google:1' });
    let current = (await admin.getIdentity({ id: data.id })).data;
    expect(current.credentials?.oidc?.identifiers).toEqual(['github:2']);
    await admin.deleteIdentityCredentials({ id: data.id, type: 'password' });
    current = (await admin.getIdentity({ id: data.id })).data;
    expect(current.credentials).not.toHaveProperty('password');
    const last = await errorOf(admin.deleteIdentityCredentials({ id: data.id, type: 'oidc' }));
    expect(last.status).toBe(400);
    expect(last.body.error['reason']).toBe('You cannot remove the last first factor credential.');
    expect((await errorOf(admin.deleteIdentityCredentials({ id: data.id, type: 'totp' }))).status).toBe(404);
  });
});

describe('batchPatchIdentities', () => {
  it('creates the valid entries and reports the invalid ones inline', async () => {
    const { data } = await admin.batchPatchIdentities({
      patchIdentitiesBody: {
        identities: [
          {
            patch_id: '0190f3b5-0000-7000-8000-000000000001',
            create: { schema_id: 'default', traits: { email: 'b1@example.org' } },
          },
          {
            patch_id: '0190f3b5-0000-7000-8000-000000000002',
            create: { schema_id: 'default', traits: { email: 'nope' } },
          },
          { create: { schema_id: 'default', traits: { email: 'b3@example.org' } } },
        ],
      },
    });
    assertMatchesContract('batchPatchIdentitiesResponse', data);
    expect(data.identities?.map((r) => r.action)).toEqual(['create', 'error', 'create']);
    expect(data.identities?.[1]).toMatchObject({
      patch_id: '0190f3b5-0000-7000-8000-000000000002',
      error: { code: 400 },
    });
    const created = await admin.getIdentity({ id: data.identities![2]!.identity! });
    expect(created.data.traits).toEqual({ email: 'b3@example.org' });
  });
});

describe('metadata', () => {
  it('serves health and version on both ports through the SDK', async () => {
    for (const basePath of [tessera.publicUrl, tessera.adminUrl]) {
      const metadata = new MetadataApi(new Configuration({ basePath }));
      expect((await metadata.isAlive()).data).toEqual({ status: 'ok' });
      expect((await metadata.isReady()).data).toEqual({ status: 'ok' });
      expect((await metadata.getVersion()).data.version).toMatch(/^\d+\.\d+\.\d+/);
    }
  });

  it('never serves admin routes on the public port', async () => {
    const response = await fetch(`${tessera.publicUrl}/admin/identities`, { redirect: 'manual' });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe(`${tessera.adminUrl}/admin/identities`);
    expect((await fetch(`${tessera.publicUrl}/admin/anything`)).status).toBe(404);
  });
});
