import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import {
  CredentialEntity,
  CredentialIdentifierEntity,
  IdentityConflictError,
  IdentityEntity,
  IdentityRepository,
  VerifiableAddressEntity,
} from '../../../libs/identity/index.js';
import { Database, newId } from '../../../libs/persistence/index.js';
import { migratedDataSource, TEST_DATABASES } from '../../support/databases.js';

function identityWith(email: string): IdentityEntity {
  const now = new Date();
  const id = newId();
  const credentialId = newId();
  return Object.assign(new IdentityEntity(), {
    id,
    schemaId: 'default',
    traits: { email },
    state: 'active',
    stateChangedAt: now,
    metadataPublic: null,
    metadataAdmin: { note: 'x' },
    externalId: null,
    organizationId: null,
    createdAt: now,
    updatedAt: now,
    credentials: [
      Object.assign(new CredentialEntity(), {
        id: credentialId,
        identityId: id,
        type: 'password',
        config: { hashed_password: '$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA' },
        version: 0,
        createdAt: now,
        updatedAt: now,
        identifiers: [
          Object.assign(new CredentialIdentifierEntity(), {
            id: newId(),
            credentialId,
            type: 'password',
            identifier: email,
            createdAt: now,
            updatedAt: now,
          }),
        ],
      }),
    ],
    verifiableAddresses: [
      Object.assign(new VerifiableAddressEntity(), {
        id: newId(),
        identityId: id,
        via: 'email',
        value: email,
        verified: false,
        verifiedAt: null,
        status: 'pending',
        createdAt: now,
        updatedAt: now,
      }),
    ],
    recoveryAddresses: [],
  });
}

describe.each(TEST_DATABASES)('IdentityRepository on $dialect', (database) => {
  let dataSource: DataSource;
  let repository: IdentityRepository;

  beforeEach(async () => {
    dataSource = await migratedDataSource(database);
    repository = new IdentityRepository(new Database(dataSource));
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  it('stores the whole aggregate and finds it by credentials identifier', async () => {
    const identity = identityWith('ada@example.org');
    await repository.insert(identity);
    const credential = await repository.findCredentialByIdentifier('password', 'ada@example.org');
    expect(credential?.identityId).toBe(identity.id);
    expect(credential?.config).toEqual(identity.credentials![0]!.config);
    const found = await repository.findById(credential!.identityId);
    expect(found?.metadataAdmin).toEqual({ note: 'x' });
    expect(found?.verifiableAddresses?.[0]?.value).toBe('ada@example.org');
    expect(found?.createdAt.getTime()).toBe(identity.createdAt.getTime());
    expect(await repository.findCredentialByIdentifier('password', 'nobody@example.org')).toBeNull();
  });

  it('refuses a duplicate identifier as a conflict and leaves no half-written rows', async () => {
    await repository.insert(identityWith('dup@example.org'));
    const second = identityWith('dup@example.org');
    await expect(repository.insert(second)).rejects.toBeInstanceOf(IdentityConflictError);
    expect(await repository.findById(second.id)).toBeNull();
    expect(await dataSource.getRepository(IdentityEntity).count()).toBe(1);
    expect(await dataSource.getRepository(CredentialEntity).count()).toBe(1);
  });

  it('updates the aggregate, deleting rows that are gone and keeping the rest', async () => {
    const identity = identityWith('old@example.org');
    await repository.insert(identity);
    const loaded = (await repository.findById(identity.id))!;
    const credential = loaded.credentials![0]!;
    credential.identifiers = [
      Object.assign(new CredentialIdentifierEntity(), {
        id: newId(),
        credentialId: credential.id,
        type: 'password',
        identifier: 'new@example.org',
        createdAt: new Date(),
        updatedAt: new Date(),
      }),
    ];
    loaded.verifiableAddresses = [];
    loaded.traits = { email: 'new@example.org' };
    await repository.update(loaded);
    expect(await repository.findCredentialByIdentifier('password', 'old@example.org')).toBeNull();
    const moved = await repository.findCredentialByIdentifier('password', 'new@example.org');
    expect((await repository.findById(moved!.identityId))?.traits).toEqual({ email: 'new@example.org' });
    expect(await dataSource.getRepository(VerifiableAddressEntity).count()).toBe(0);
    expect(await dataSource.getRepository(CredentialIdentifierEntity).count()).toBe(1);
  });

  it('runs racing updates of one identity one after the other: 30 pairs swapping addresses, no deadlock', async () => {
    const identity = identityWith('race@example.org');
    await repository.insert(identity);
    const address = (value: string) =>
      Object.assign(new VerifiableAddressEntity(), {
        id: newId(),
        identityId: identity.id,
        via: 'email',
        value,
        verified: false,
        verifiedAt: null,
        status: 'pending',
        createdAt: new Date(),
        updatedAt: new Date(),
      });
    const failures: unknown[] = [];
    for (let round = 0; round < 30; round++) {
      // Both read the same aggregate; each drops what the other keeps, and adds one of its own.
      const [left, right] = [
        (await repository.findById(identity.id))!,
        (await repository.findById(identity.id))!,
      ];
      const current = left.verifiableAddresses ?? [];
      left.verifiableAddresses = [...current.filter((_, n) => n % 2 === 0), address(`l${round}@example.org`)];
      right.verifiableAddresses = [
        ...(right.verifiableAddresses ?? []).filter((_, n) => n % 2 === 1),
        address(`r${round}@example.org`),
      ];
      for (const side of [left, right])
        side.traits = { email: `${side === left ? 'l' : 'r'}${round}@example.org` };
      const outcomes = await Promise.allSettled([repository.update(left), repository.update(right)]);
      failures.push(...outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : [])));
      // Whichever wrote last, the aggregate is one of the two, whole.
      const stored = (await repository.findById(identity.id))!;
      const values = (stored.verifiableAddresses ?? []).map((a) => a.value).sort();
      const expected = [left, right].map((side) =>
        (side.verifiableAddresses ?? []).map((a) => a.value).sort(),
      );
      expect(expected).toContainEqual(values);
    }
    expect(failures).toEqual([]);
  });

  it('refuses a compare-and-set read before an update that changed the credential config', async () => {
    const identity = identityWith('cas@example.org');
    await repository.insert(identity);
    const early = (await repository.findById(identity.id))!.credentials![0]!;
    // Another request rewrites the credential's config through the aggregate (a key removed, a
    // TOTP enrolled again); one that changes nothing else keeps the version.
    const changed = (await repository.findById(identity.id))!;
    changed.credentials![0]!.config = { hashed_password: '$argon2id$v=19$m=8,t=1,p=1$c2FsdA$b3RoZXI' };
    await repository.update(changed);
    const unchanged = (await repository.findById(identity.id))!;
    unchanged.traits = { email: 'cas@example.org', note: 'same credentials' };
    await repository.update(unchanged);

    expect(await repository.updateCredentialConfig(early, { hashed_password: 'stale' }, new Date())).toBe(
      false,
    );
    const now = (await repository.findById(identity.id))!.credentials![0]!;
    expect(now.config).toEqual({ hashed_password: '$argon2id$v=19$m=8,t=1,p=1$c2FsdA$b3RoZXI' });
    expect(now.version).toBe(early.version + 1);
    expect(await repository.updateCredentialConfig(now, { ...now.config, rehashed: true }, new Date())).toBe(
      true,
    );
  });

  it('deletes an identity with everything that hangs off it', async () => {
    const identity = identityWith('gone@example.org');
    await repository.insert(identity);
    expect(await repository.delete(identity.id)).toBe(true);
    expect(await repository.delete(identity.id)).toBe(false);
    for (const entity of [CredentialEntity, CredentialIdentifierEntity, VerifiableAddressEntity]) {
      expect(await dataSource.getRepository(entity).count()).toBe(0);
    }
  });

  it('lists in id order with keyset pages', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const identity = identityWith(`p${i}@example.org`);
      await repository.insert(identity);
      ids.push(identity.id);
    }
    const first = await repository.list({ pageSize: 2 });
    const second = await repository.list({ pageSize: 2, after: first.identities.at(-1)!.id });
    const third = await repository.list({ pageSize: 2, after: second.identities.at(-1)!.id });
    expect([...first.identities, ...second.identities, ...third.identities].map((i) => i.id)).toEqual(
      [...ids].sort(),
    );
    const filtered = await repository.list({ pageSize: 10, credentialsIdentifiers: ['p3@example.org'] });
    expect(filtered.identities.map((i) => i.id)).toEqual([ids[3]]);
  });

  it('keeps concurrent writers apart: parallel inserts of one identifier yield exactly one row', async () => {
    const attempts = Array.from({ length: 8 }, () => repository.insert(identityWith('race@example.org')));
    const results = await Promise.allSettled(attempts);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(
      results
        .filter((r) => r.status === 'rejected')
        .every((r) => (r as PromiseRejectedResult).reason instanceof IdentityConflictError),
    ).toBe(true);
    expect(await dataSource.getRepository(IdentityEntity).count()).toBe(1);
  });

  it('writes a credential config only if nobody changed it since it was read (compare-and-set)', async () => {
    const identity = identityWith('cas@example.org');
    await repository.insert(identity);
    const read = await repository.findCredential(identity.id, 'password');
    const sameRead = await repository.findCredential(identity.id, 'password');
    const now = new Date();
    expect(await repository.updateCredentialConfig(read!, { last_used_step: 1 }, now)).toBe(true);
    expect(await repository.updateCredentialConfig(sameRead!, { last_used_step: 2 }, now)).toBe(false);
    const after = await repository.findCredential(identity.id, 'password');
    expect(after?.config).toEqual({ last_used_step: 1 });
    expect(after?.version).toBe(1);
    expect(await repository.findCredentials(identity.id, ['totp', 'lookup_secret'])).toEqual([]);
    expect((await repository.findCredentials(identity.id, ['password'])).map((c) => c.id)).toEqual([
      read!.id,
    ]);
  });
});
