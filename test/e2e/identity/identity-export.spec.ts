import { type Identity } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertMatchesContract } from '../../support/contract.js';
import { frontendApi, identityApi, loginWithApi } from '../../support/self-service.js';
import { startTessera, type TesseraProcess } from '../../support/tessera-process.js';

// Leaving must be as easy as arriving: an identity exported with include_credential is imported
// as-is into another installation, and its owner signs in there with the same password.

const PASSWORD = 'a password that travels well';
let source: TesseraProcess;
let target: TesseraProcess;

beforeAll(async () => {
  [source, target] = await Promise.all([startTessera(), startTessera()]);
});

afterAll(async () => {
  await Promise.all([source?.stop(), target?.stop()]);
});

async function exported(id: string, include: ('password' | 'oidc')[]): Promise<Identity> {
  const response = await identityApi(source.adminUrl).getIdentity({ id, includeCredential: include });
  expect(response.status).toBe(200);
  assertMatchesContract('identity', response.data);
  return response.data;
}

describe('exporting identities with include_credential', () => {
  let original: Identity;

  beforeAll(async () => {
    const created = await identityApi(source.adminUrl).createIdentity({
      createIdentityBody: {
        schema_id: 'default',
        traits: { email: 'leaver@example.org', name: { first: 'Lee' } },
        credentials: { password: { config: { password: PASSWORD } } },
        metadata_public: { plan: 'pro' },
        verifiable_addresses: [
          { value: 'leaver@example.org', via: 'email', verified: true, status: 'completed' },
        ],
      },
    });
    expect(created.status).toBe(201);
    original = created.data;
  });

  it('publishes the password hash only when password is named, on get and list', async () => {
    const plain = await exported(original.id, []);
    expect(plain.credentials?.password).not.toHaveProperty('config');
    expect(JSON.stringify(plain)).not.toMatch(/argon2|hashed_password/);

    const named = await exported(original.id, ['password']);
    expect(named.credentials?.password?.config).toEqual({
      hashed_password: expect.stringMatching(/^\$argon2id\$v=19\$/),
    });

    const list = await identityApi(source.adminUrl).listIdentities({
      credentialsIdentifier: 'leaver@example.org',
      includeCredential: ['password'],
    });
    expect(list.data.map((i) => i.credentials?.password?.config)).toEqual([
      named.credentials?.password?.config,
    ]);
    const bare = await identityApi(source.adminUrl).listIdentities({
      credentialsIdentifier: 'leaver@example.org',
    });
    expect(JSON.stringify(bare.data)).not.toMatch(/argon2|hashed_password/);
  });

  it('imports the export as-is into a second server, where the original password signs in', async () => {
    const out = await exported(original.id, ['password']);
    const imported = await identityApi(target.adminUrl).createIdentity({
      createIdentityBody: {
        schema_id: out.schema_id,
        traits: out.traits as Record<string, unknown>,
        state: out.state,
        metadata_public: out.metadata_public,
        verifiable_addresses: out.verifiable_addresses,
        credentials: { password: { config: out.credentials!.password!.config as never } },
      },
    });
    expect(imported.status, JSON.stringify(imported.data)).toBe(201);
    expect(imported.data.verifiable_addresses?.[0]).toEqual(
      expect.objectContaining({ value: 'leaver@example.org', verified: true, status: 'completed' }),
    );

    const wrong = await loginWithApi(frontendApi(target.publicUrl), 'leaver@example.org', 'not the password');
    expect(wrong.status).toBe(400);
    const login = await loginWithApi(frontendApi(target.publicUrl), 'leaver@example.org', PASSWORD);
    expect(login.status, JSON.stringify(login.data)).toBe(200);
    const session = login.data as { session: { identity: { id: string } } };
    expect(session.session.identity.id).toBe(imported.data.id);

    // The hash moved unchanged: the target stores exactly what the source exported.
    const stored = await identityApi(target.adminUrl).getIdentity({
      id: imported.data.id,
      includeCredential: ['password'],
    });
    expect(stored.data.credentials?.password?.config).toEqual(out.credentials!.password!.config);
  });
});
