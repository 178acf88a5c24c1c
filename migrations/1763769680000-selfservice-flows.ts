import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from '../libs/persistence/index.js';

/** Login and registration flows, and the errors browsers are forwarded to the error UI with. */
export class SelfServiceFlows1763769680000 implements MigrationInterface {
  name = 'SelfServiceFlows1763769680000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columns(runner);
    const common = () => [
      c.id(),
      c.string('type', 16),
      c.text('request_url'),
      c.text('return_to', { isNullable: true }),
      c.timestamp('issued_at'),
      c.timestamp('expires_at'),
      c.string('state', 32),
      c.string('active', 32, { isNullable: true }),
      c.json('ui'),
      c.string('csrf_token_hash', 64),
      c.string('identity_schema', 255, { isNullable: true }),
      c.json('transient_payload', { isNullable: true }),
      c.timestamp('created_at'),
      c.timestamp('updated_at'),
    ];
    await runner.createTable(
      new Table({
        name: 'selfservice_login_flows',
        columns: [...common(), c.boolean('refresh', { default: false }), c.string('requested_aal', 8)],
        indices: [
          new TableIndex({ name: 'selfservice_login_flows_expires_idx', columnNames: ['expires_at'] }),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'selfservice_registration_flows',
        columns: common(),
        indices: [
          new TableIndex({ name: 'selfservice_registration_flows_expires_idx', columnNames: ['expires_at'] }),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'selfservice_errors',
        columns: [
          c.id(),
          c.json('error'),
          c.timestamp('seen_at', { isNullable: true }),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['selfservice_errors', 'selfservice_registration_flows', 'selfservice_login_flows']) {
      await runner.dropTable(table);
    }
  }
}
