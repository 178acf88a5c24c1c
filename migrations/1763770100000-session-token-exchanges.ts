import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { columns } from '../libs/persistence/index.js';

/**
 * Kratos' `session_token_exchanges`: a native app's social sign-in hands its session over through
 * two codes (the init code of the flow, the return-to code of the callback). Only SHA-512 hashes
 * of both codes are stored, and the session token only sealed with `secrets.cipher`.
 */
export class SessionTokenExchanges1763770100000 implements MigrationInterface {
  name = 'SessionTokenExchanges1763770100000';

  async up(runner: QueryRunner): Promise<void> {
    const c = columns(runner);
    await runner.createTable(
      new Table({
        name: 'session_token_exchanges',
        columns: [
          c.id(),
          c.uuid('flow_id'),
          c.string('init_code_hash', 128),
          c.string('return_to_code_hash', 128, { isNullable: true }),
          c.uuid('session_id', { isNullable: true }),
          c.text('sealed_session_token', { isNullable: true }),
          c.timestamp('expires_at'),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
        indices: [
          new TableIndex({
            name: 'session_token_exchanges_flow_idx',
            columnNames: ['flow_id'],
            isUnique: true,
          }),
          new TableIndex({ name: 'session_token_exchanges_init_idx', columnNames: ['init_code_hash'] }),
          new TableIndex({ name: 'session_token_exchanges_expires_idx', columnNames: ['expires_at'] }),
        ],
      }),
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.dropTable('session_token_exchanges');
  }
}
