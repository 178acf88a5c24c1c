import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../libs/persistence/index.js';

/** Sessions (tokens stored as SHA-256 only) and the devices they were used from. */
export class Sessions1763769650000 implements MigrationInterface {
  name = 'Sessions1763769650000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columns(runner);
    await runner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          c.id(),
          c.uuid('identity_id'),
          c.string('token_hash', 64),
          c.string('logout_token_hash', 64),
          c.boolean('active'),
          c.string('authenticator_assurance_level', 8),
          c.json('authentication_methods'),
          c.timestamp('issued_at'),
          c.timestamp('authenticated_at'),
          c.timestamp('expires_at'),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['identity_id'],
            referencedTableName: 'identities',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({ name: 'sessions_token_hash_uq_idx', columnNames: ['token_hash'], isUnique: true }),
          new TableIndex({
            name: 'sessions_logout_token_hash_uq_idx',
            columnNames: ['logout_token_hash'],
            isUnique: true,
          }),
          new TableIndex({ name: 'sessions_identity_idx', columnNames: ['identity_id', 'created_at'] }),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'session_devices',
        columns: [
          c.id(),
          c.uuid('session_id'),
          c.string('ip_address', 64, { isNullable: true }),
          c.string('user_agent', 512, { isNullable: true }),
          c.string('location', 512, { default: "''" }),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['session_id'],
            referencedTableName: 'sessions',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [new TableIndex({ name: 'session_devices_session_idx', columnNames: ['session_id'] })],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('session_devices');
    await runner.dropTable('sessions');
  }
}
