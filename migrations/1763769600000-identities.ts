import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../libs/persistence/index.js';

/** Identities, their credentials and login identifiers, and verifiable and recovery addresses. */
export class Identities1763769600000 implements MigrationInterface {
  name = 'Identities1763769600000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columns(runner);
    const cascadeTo = (table: string, column: string) =>
      new TableForeignKey({
        columnNames: [column],
        referencedTableName: table,
        referencedColumnNames: ['id'],
        onDelete: 'CASCADE',
      });

    await runner.createTable(
      new Table({
        name: 'identities',
        columns: [
          c.id(),
          c.string('schema_id', 255),
          c.json('traits'),
          c.string('state', 16),
          c.timestamp('state_changed_at', { isNullable: true }),
          c.json('metadata_public', { isNullable: true }),
          c.json('metadata_admin', { isNullable: true }),
          c.string('external_id', 255, { isNullable: true }),
          c.uuid('organization_id', { isNullable: true }),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'identities_external_id_uq_idx',
            columnNames: ['external_id'],
            isUnique: true,
          }),
        ],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'identity_credentials',
        columns: [
          c.id(),
          c.uuid('identity_id'),
          c.string('type', 32),
          c.json('config'),
          c.integer('version', { default: 0 }),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
        foreignKeys: [cascadeTo('identities', 'identity_id')],
        indices: [
          new TableIndex({
            name: 'identity_credentials_identity_type_uq_idx',
            columnNames: ['identity_id', 'type'],
            isUnique: true,
          }),
        ],
      }),
    );

    await runner.createTable(
      new Table({
        name: 'identity_credential_identifiers',
        columns: [
          c.id(),
          c.uuid('identity_credential_id'),
          c.string('identity_credential_type', 32),
          c.string('identifier', 255),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
        foreignKeys: [cascadeTo('identity_credentials', 'identity_credential_id')],
        indices: [
          new TableIndex({
            name: 'identity_credential_identifiers_type_identifier_uq_idx',
            columnNames: ['identity_credential_type', 'identifier'],
            isUnique: true,
          }),
          new TableIndex({
            name: 'identity_credential_identifiers_credential_idx',
            columnNames: ['identity_credential_id'],
          }),
        ],
      }),
    );

    for (const [name, extra] of [
      [
        'identity_verifiable_addresses',
        [
          c.boolean('verified', { default: false }),
          c.timestamp('verified_at', { isNullable: true }),
          c.string('status', 16),
        ],
      ],
      ['identity_recovery_addresses', []],
    ] as const) {
      await runner.createTable(
        new Table({
          name,
          columns: [
            c.id(),
            c.uuid('identity_id'),
            c.string('via', 16),
            c.string('value', 400),
            ...extra,
            c.timestamp('created_at'),
            c.timestamp('updated_at'),
          ],
          foreignKeys: [cascadeTo('identities', 'identity_id')],
          indices: [
            new TableIndex({
              name: `${name}_via_value_uq_idx`,
              columnNames: ['via', 'value'],
              isUnique: true,
            }),
            new TableIndex({ name: `${name}_identity_idx`, columnNames: ['identity_id'] }),
          ],
        }),
      );
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'identity_recovery_addresses',
      'identity_verifiable_addresses',
      'identity_credential_identifiers',
      'identity_credentials',
      'identities',
    ]) {
      await runner.dropTable(table);
    }
  }
}
