import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from '../libs/persistence/index.js';

/**
 * One-time codes and link tokens of the recovery, verification, login and registration flows.
 * Kratos keeps one table per purpose; one table with a `kind` column holds the same rows with
 * the same columns. Only a keyed hash of each code is stored.
 */
export class OneTimeCodes1763770000000 implements MigrationInterface {
  name = 'OneTimeCodes1763770000000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columns(runner);
    await runner.createTable(
      new Table({
        name: 'identity_one_time_codes',
        columns: [
          c.id(),
          c.string('kind', 32),
          c.uuid('flow_id'),
          c.string('code_hash', 64),
          c.string('address', 400, { isNullable: true }),
          c.string('via', 16, { isNullable: true }),
          c.uuid('identity_id', { isNullable: true }),
          c.timestamp('expires_at'),
          c.timestamp('used_at', { isNullable: true }),
          c.timestamp('created_at'),
        ],
        indices: [
          new TableIndex({ name: 'identity_one_time_codes_flow_idx', columnNames: ['flow_id', 'kind'] }),
          new TableIndex({ name: 'identity_one_time_codes_expires_idx', columnNames: ['expires_at'] }),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('identity_one_time_codes');
  }
}
