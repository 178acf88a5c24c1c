import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from '../libs/persistence/index.js';

/**
 * The web hook outbox: one row per ignored web hook call, written in the flow's transaction and
 * delivered (with retries, `Idempotency-Key: <id>`) by the poller or the BullMQ queue. Claiming
 * works as for courier messages: whoever moves a row to `processing` with its claim token sends it.
 */
export class WebHookDeliveries1763770200000 implements MigrationInterface {
  name = 'WebHookDeliveries1763770200000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columns(runner);
    await runner.createTable(
      new Table({
        name: 'web_hook_deliveries',
        columns: [
          c.id(),
          c.text('url'),
          c.string('method', 16),
          c.text('headers'),
          c.text('body', { isNullable: true }),
          c.integer('timeout_ms'),
          c.string('hook_id', 128, { isNullable: true }),
          c.string('status', 16),
          c.integer('attempts', { default: 0 }),
          c.timestamp('next_attempt_at', { isNullable: true }),
          c.text('last_error', { isNullable: true }),
          c.uuid('claim_token', { isNullable: true }),
          c.timestamp('claimed_at', { isNullable: true }),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'web_hook_deliveries_status_idx', columnNames: ['status', 'created_at'] }),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('web_hook_deliveries');
  }
}
