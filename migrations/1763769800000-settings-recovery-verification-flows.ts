import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { columns } from '../libs/persistence/index.js';

/** Settings, recovery and verification flows; every flow gets a server-side `internal_context`. */
export class SettingsRecoveryVerificationFlows1763769800000 implements MigrationInterface {
  name = 'SettingsRecoveryVerificationFlows1763769800000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columns(runner);
    for (const table of ['selfservice_login_flows', 'selfservice_registration_flows']) {
      await runner.addColumn(table, new TableColumn(c.json('internal_context', { isNullable: true })));
    }
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
      c.json('internal_context', { isNullable: true }),
      c.timestamp('created_at'),
      c.timestamp('updated_at'),
    ];
    const flowTable = (name: string, extra: ReturnType<typeof common>) =>
      new Table({
        name,
        columns: [...common(), ...extra],
        indices: [new TableIndex({ name: `${name}_expires_idx`, columnNames: ['expires_at'] })],
      });
    await runner.createTable(flowTable('selfservice_settings_flows', [c.string('identity_id', 36)]));
    await runner.createIndex(
      'selfservice_settings_flows',
      new TableIndex({ name: 'selfservice_settings_flows_identity_idx', columnNames: ['identity_id'] }),
    );
    await runner.createTable(
      flowTable('selfservice_recovery_flows', [c.integer('submit_count', { default: 0 })]),
    );
    await runner.createTable(
      flowTable('selfservice_verification_flows', [c.integer('submit_count', { default: 0 })]),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'selfservice_verification_flows',
      'selfservice_recovery_flows',
      'selfservice_settings_flows',
    ]) {
      await runner.dropTable(table);
    }
    for (const table of ['selfservice_registration_flows', 'selfservice_login_flows']) {
      await runner.dropColumn(table, 'internal_context');
    }
  }
}
