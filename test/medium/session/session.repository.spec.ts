import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { IdentityEntity } from '../../../libs/identity/index.js';
import { Database, newId, PreparedWrite } from '../../../libs/persistence/index.js';
import {
  hashToken,
  SessionDeviceEntity,
  SessionEntity,
  SessionRepository,
} from '../../../libs/session/index.js';
import { migratedDataSource, TEST_DATABASES } from '../../support/databases.js';

const HOUR = 3_600_000;

async function insertIdentity(
  dataSource: DataSource,
  state: 'active' | 'inactive' = 'active',
): Promise<string> {
  const now = new Date();
  const id = newId();
  await dataSource.getRepository(IdentityEntity).insert({
    id,
    schemaId: 'default',
    traits: { email: `${id}@example.org` },
    state,
    stateChangedAt: now,
    metadataPublic: null,
    metadataAdmin: null,
    externalId: null,
    organizationId: null,
    createdAt: now,
    updatedAt: now,
  } as never);
  return id;
}

function session(identityId: string, token: string, expiresInMs = HOUR): SessionEntity {
  const now = new Date();
  const id = newId();
  return Object.assign(new SessionEntity(), {
    id,
    identityId,
    tokenHash: hashToken(token),
    logoutTokenHash: hashToken(`lo-${token}`),
    active: true,
    aal: 'aal1',
    authenticationMethods: [{ method: 'password', aal: 'aal1', completed_at: now.toISOString() }],
    issuedAt: now,
    authenticatedAt: now,
    expiresAt: new Date(now.getTime() + expiresInMs),
    createdAt: now,
    updatedAt: now,
    devices: [
      Object.assign(new SessionDeviceEntity(), {
        id: newId(),
        sessionId: id,
        ipAddress: '203.0.113.7',
        userAgent: 'test-agent',
        location: '',
        createdAt: now,
        updatedAt: now,
      }),
    ],
  });
}

describe.each(TEST_DATABASES)('SessionRepository on $dialect', (database) => {
  let dataSource: DataSource;
  let repository: SessionRepository;
  let db: Database;

  beforeEach(async () => {
    dataSource = await migratedDataSource(database);
    db = new Database(dataSource);
    repository = new SessionRepository(db);
  });

  afterEach(async () => {
    await dataSource.destroy();
  });

  it('finds a session by the hash of its token, with identity and devices, and never stores the token', async () => {
    const identityId = await insertIdentity(dataSource);
    await repository.insert(session(identityId, 'ory_st_secret-token'));
    const found = await repository.findByTokenHash(hashToken('ory_st_secret-token'));
    expect(found?.identity?.id).toBe(identityId);
    expect(found?.devices?.[0]?.ipAddress).toBe('203.0.113.7');
    expect(await repository.findByTokenHash(hashToken('ory_st_other'))).toBeNull();
    const raw = JSON.stringify(await dataSource.query('SELECT * FROM sessions'));
    expect(raw).not.toContain('ory_st_secret-token');
  });

  it('reads by token exactly what TypeORM loads: times, flags, JSON columns, identity and devices', async () => {
    const identityId = await insertIdentity(dataSource);
    const written = session(identityId, 'ory_st_same-as-orm');
    await repository.insert(written);
    const found = await repository.findByTokenHash(hashToken('ory_st_same-as-orm'));
    const loaded = await dataSource.getRepository(SessionEntity).findOne({
      where: { id: written.id },
      relations: { identity: true, devices: true },
    });
    const { identity, devices, ...scalars } = found!;
    const { identity: loadedIdentity, devices: loadedDevices, ...loadedScalars } = loaded!;
    expect(scalars).toEqual(loadedScalars);
    expect(scalars.expiresAt).toBeInstanceOf(Date);
    expect(scalars.authenticationMethods).toEqual(written.authenticationMethods);
    const { verifiableAddresses, recoveryAddresses, ...identityScalars } = identity!;
    expect(identityScalars).toEqual(loadedIdentity);
    expect(identityScalars.traits).toEqual({ email: `${identityId}@example.org` });
    expect([verifiableAddresses, recoveryAddresses]).toEqual([[], []]);
    expect(devices).toEqual(loadedDevices);
  });

  it('writes the session, its device and the writes given with it as one, or none of them', async () => {
    const identityId = await insertIdentity(dataSource);
    const param = db.dialect === 'postgres' ? '$1' : '?';
    const mark = {
      name: 'test_mark_identity',
      sql: `UPDATE identities SET external_id = 'marked' WHERE id = ${param}`,
      values: [identityId],
    };
    await repository.insert(session(identityId, 'together'), [mark]);
    expect((await repository.findByTokenHash(hashToken('together')))?.devices).toHaveLength(1);
    const marked = await dataSource.getRepository(IdentityEntity).findOneBy({ id: identityId });
    expect(marked?.externalId).toBe('marked');

    // The last write fails (the device again: a duplicate key): the session and device stay out.
    const failing = session(identityId, 'failing');
    const again = PreparedWrite.insert(db, SessionDeviceEntity).statement(failing.devices![0]!);
    await expect(repository.insert(failing, [again])).rejects.toThrow();
    expect(await repository.findByTokenHash(hashToken('failing'))).toBeNull();
    expect(await dataSource.getRepository(SessionEntity).count()).toBe(1);
    expect(await dataSource.getRepository(SessionDeviceEntity).count()).toBe(1);
  });

  it('revokes one, all but one, and filters lists by activity', async () => {
    const identityId = await insertIdentity(dataSource);
    const [a, b, c] = [session(identityId, 'a'), session(identityId, 'b'), session(identityId, 'c', -HOUR)];
    for (const s of [a, b, c]) await repository.insert(s);
    const now = new Date();
    expect(
      (await repository.list({ identityId, active: true, pageSize: 10 }, now)).sessions.map((s) => s.id),
    ).toEqual([a.id, b.id].sort());
    expect(await repository.revoke({ identityId, exceptId: a.id }, now)).toBe(1);
    const inactive = await repository.list({ identityId, active: false, pageSize: 10 }, now);
    expect(inactive.sessions.map((s) => s.id).sort()).toEqual([b.id, c.id].sort());
    expect(inactive.total).toBe(2);
  });

  it('deletes the sessions of an identity, and they go with the identity', async () => {
    const identityId = await insertIdentity(dataSource);
    await repository.insert(session(identityId, 'x'));
    await repository.insert(session(identityId, 'y'));
    expect(await repository.deleteByIdentity(identityId)).toBe(2);
    await repository.insert(session(identityId, 'z'));
    await dataSource.getRepository(IdentityEntity).delete({ id: identityId });
    expect(await dataSource.getRepository(SessionEntity).count()).toBe(0);
    expect(await dataSource.getRepository(SessionDeviceEntity).count()).toBe(0);
  });

  it('saves new devices and methods on an existing session without duplicating rows', async () => {
    const identityId = await insertIdentity(dataSource);
    const s = session(identityId, 'again');
    await repository.insert(s);
    const loaded = (await repository.findById(s.id))!;
    loaded.authenticationMethods.push({
      method: 'totp',
      aal: 'aal2',
      completed_at: new Date().toISOString(),
    });
    loaded.aal = 'aal2';
    loaded.devices!.push(
      Object.assign(new SessionDeviceEntity(), {
        ...loaded.devices![0]!,
        id: newId(),
        ipAddress: '198.51.100.1',
      }),
    );
    await repository.save(loaded);
    const reloaded = (await repository.findById(s.id))!;
    expect(reloaded.aal).toBe('aal2');
    expect(reloaded.authenticationMethods.map((m) => m.method)).toEqual(['password', 'totp']);
    expect(reloaded.devices!.map((d) => d.ipAddress).sort()).toEqual(['198.51.100.1', '203.0.113.7']);
  });
});
