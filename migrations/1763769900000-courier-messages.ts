import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { columns } from '../libs/persistence/index.js';

/**
 * Courier messages, rendered when queued, and one dispatch row per delivery attempt. The claim
 * columns let several pollers or queue workers share the table: a row is sent by whoever moved it
 * from `queued` to `processing` with its own claim token. `identity_id` carries no foreign key on
 * purpose: the record of what was sent outlives the identity.
 */
export class CourierMessages1763769900000 implements MigrationInterface {
  name = 'CourierMessages1763769900000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columns(runner);
    await runner.createTable(
      new Table({
        name: 'courier_messages',
        columns: [
          c.id(),
          c.string('type', 16),
          c.string('status', 16),
          c.string('recipient', 255),
          c.text('subject'),
          c.text('body'),
          c.text('body_html', { isNullable: true }),
          c.string('template_type', 64),
          // The template model, for HTTP channels that build their own payload (Kratos keeps it too).
          c.json('template_data', { isNullable: true }),
          c.integer('send_count', { default: 0 }),
          c.uuid('identity_id', { isNullable: true }),
          c.string('channel', 32, { isNullable: true }),
          c.timestamp('send_after', { isNullable: true }),
          c.uuid('claim_token', { isNullable: true }),
          c.timestamp('claimed_at', { isNullable: true }),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'courier_messages_status_idx', columnNames: ['status', 'created_at'] }),
          new TableIndex({ name: 'courier_messages_recipient_idx', columnNames: ['recipient'] }),
        ],
      }),
    );
    await runner.createTable(
      new Table({
        name: 'courier_message_dispatches',
        columns: [
          c.id(),
          c.uuid('message_id'),
          c.string('status', 16),
          c.json('error', { isNullable: true }),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
        foreignKeys: [
          new TableForeignKey({
            columnNames: ['message_id'],
            referencedTableName: 'courier_messages',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({
            name: 'courier_message_dispatches_message_idx',
            columnNames: ['message_id', 'created_at'],
          }),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('courier_message_dispatches');
    await runner.dropTable('courier_messages');
  }
}
