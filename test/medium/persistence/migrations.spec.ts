import { afterEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { IDENTITY_ENTITIES } from '../../../libs/identity/index.js';
import {
  createDataSource,
  MIGRATIONS_TABLE,
  notMigratedReason,
  pendingMigrations,
} from '../../../libs/persistence/index.js';
import { MIGRATIONS } from '../../../migrations/index.js';
import { TEST_DATABASES } from '../../support/databases.js';

const TABLES = [
  'identities',
  'identity_credentials',
  'identity_credential_identifiers',
  'identity_verifiable_addresses',
  'identity_recovery_addresses',
  'sessions',
  'session_devices',
  'selfservice_login_flows',
  'selfservice_registration_flows',
  'selfservice_settings_flows',
  'selfservice_recovery_flows',
  'selfservice_verification_flows',
  'selfservice_errors',
  'rate_limits',
  'identity_one_time_codes',
  'courier_messages',
  'courier_message_dispatches',
];

describe.each(TEST_DATABASES)('migrations on $dialect', (database) => {
  let dataSource: DataSource | undefined;

  afterEach(async () => {
    await dataSource?.destroy();
  });

  async function tables(): Promise<string[]> {
    const runner = dataSource!.createQueryRunner();
    try {
      const found = await Promise.all(
        TABLES.map(async (name) => ((await runner.hasTable(name)) ? name : null)),
      );
      return found.filter((name): name is string => name !== null);
    } finally {
      await runner.release();
    }
  }

  it('go up, all the way down, and up again', async () => {
    dataSource = createDataSource(await database.createDsn(), {
      entities: [...IDENTITY_ENTITIES],
      migrations: MIGRATIONS,
    });
    await dataSource.initialize();

    expect(await dataSource.runMigrations({ transaction: 'each' })).toHaveLength(MIGRATIONS.length);
    expect(await tables()).toEqual(TABLES);

    for (let i = 0; i < MIGRATIONS.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual([]);

    expect(await dataSource.runMigrations({ transaction: 'each' })).toHaveLength(MIGRATIONS.length);
    expect(await tables()).toEqual(TABLES);
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('name the pending ones: all on an empty schema, the undone one, all again once the table is gone', async () => {
    dataSource = createDataSource(await database.createDsn(), { entities: [], migrations: MIGRATIONS });
    await dataSource.initialize();
    const names = MIGRATIONS.map((m) => m.name);
    expect(await pendingMigrations(dataSource)).toEqual(names);

    await dataSource.runMigrations({ transaction: 'each' });
    expect(await pendingMigrations(dataSource)).toEqual([]);
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await pendingMigrations(dataSource)).toEqual([names.at(-1)]);

    await dataSource.query(`DROP TABLE ${MIGRATIONS_TABLE}`);
    expect(await pendingMigrations(dataSource)).toEqual(names);
  });
});

describe('notMigratedReason', () => {
  it('tells the operator the command to run and how much is missing', () => {
    expect(notMigratedReason(7)).toBe(
      'database schema is not migrated: run "tessera migrate sql -e --yes" (7 migrations pending)',
    );
    expect(notMigratedReason(1)).toMatch(/\(1 migration pending\)$/);
  });
});
