import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from '../libs/persistence/index.js';

/** Fixed-window attempt counters for brute-force protection when Redis is not configured. */
export class RateLimits1763769700000 implements MigrationInterface {
  name = 'RateLimits1763769700000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columns(runner);
    await runner.createTable(
      new Table({
        name: 'rate_limits',
        columns: [
          // SHA-256 hex of rule name and key: identifiers and addresses are never stored.
          c.string('key', 64, { isPrimary: true }),
          c.timestamp('window_start'),
          c.integer('count'),
          c.timestamp('expires_at'),
        ],
        indices: [new TableIndex({ name: 'rate_limits_expires_at_idx', columnNames: ['expires_at'] })],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('rate_limits');
  }
}
