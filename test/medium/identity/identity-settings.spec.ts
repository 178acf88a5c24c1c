import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConfigService } from '../../../libs/config/index.js';
import { type PasswordHasher } from '../../../libs/hash/index.js';
import { IdentityRepository, IdentityService } from '../../../libs/identity/index.js';
import { Clock, Database } from '../../../libs/persistence/index.js';
import { IdentitySchemaRegistry } from '../../../libs/schema/index.js';
import { migratedDataSource, TEST_DATABASES } from '../../support/databases.js';

const HASH = '$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA';

// The identity changes the settings flow makes: traits with their derived rows, and a password.
describe.each(TEST_DATABASES)('IdentityService settings changes on $dialect', (database) => {
  let dataSource: DataSource;
  let repository: IdentityRepository;
  let service: IdentityService;

  beforeEach(async () => {
    dataSource = await migratedDataSource(database);
    repository = new IdentityRepository(new Database(dataSource));
    const schemas = new IdentitySchemaRegistry({
      defaultSchemaId: 'default',
      schemas: [{ id: 'default', url: 'file://email-password.schema.json' }],
      baseDir: join(import.meta.dirname, '../../../identity-schemas'),
    });
    await schemas.load();
    service = new IdentityService(repository, schemas, {} as PasswordHasher, new Clock(), {
      get: () => undefined,
    } as unknown as ConfigService);
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  it('updateTraits moves the login identifier and starts the new address unverified', async () => {
    const created = await service.create({
      schemaId: 'default',
      traits: { email: 'old@example.org' },
      credentials: { password: { config: { hashed_password: HASH } } },
      verifiableAddresses: [{ value: 'old@example.org', via: 'email', verified: true }],
    });
    const kept = await service.updateTraits(created.id, { email: 'old@example.org', name: { first: 'A' } });
    expect(kept.verifiableAddresses!.map((a) => [a.value, a.verified])).toEqual([['old@example.org', true]]);

    await service.updateTraits(created.id, { email: 'New@Example.org' });
    expect(await repository.findCredentialByIdentifier('password', 'old@example.org')).toBeNull();
    expect((await repository.findCredentialByIdentifier('password', 'new@example.org'))?.identityId).toBe(
      created.id,
    );
    const stored = await service.get(created.id);
    expect(stored.verifiableAddresses!.map((a) => [a.value, a.verified, a.status])).toEqual([
      ['new@example.org', false, 'pending'],
    ]);
  });

  it('setPasswordHash creates the password credential of an identity that had none', async () => {
    const created = await service.create({ schemaId: 'default', traits: { email: 'nopass@example.org' } });
    expect(created.credentials!.some((c) => c.type === 'password')).toBe(false);
    await service.setPasswordHash(created.id, HASH);
    const credential = await repository.findCredentialByIdentifier('password', 'nopass@example.org');
    expect(credential?.identityId).toBe(created.id);
    expect(credential?.config).toEqual({ hashed_password: HASH });
  });
});
