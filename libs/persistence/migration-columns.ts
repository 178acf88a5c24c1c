import { TableColumn, type QueryRunner, type TableColumnOptions } from 'typeorm';

type Extra = Partial<TableColumnOptions>;

/**
 * Column builders that mean the same on SQLite and PostgreSQL, so every migration is written
 * once: UUIDs as 36-character strings made in code, JSON as text, times as timestamptz on
 * PostgreSQL and TypeORM's datetime text on SQLite.
 */
export function columns(runner: QueryRunner) {
  const postgres = runner.connection.driver.options.type === 'postgres';
  const column = (options: TableColumnOptions) => new TableColumn(options);
  return {
    id: (name = 'id') => column({ name, type: 'varchar', length: '36', isPrimary: true }),
    uuid: (name: string, extra: Extra = {}) => column({ name, type: 'varchar', length: '36', ...extra }),
    string: (name: string, length: number, extra: Extra = {}) =>
      column({ name, type: 'varchar', length: String(length), ...extra }),
    text: (name: string, extra: Extra = {}) => column({ name, type: 'text', ...extra }),
    json: (name: string, extra: Extra = {}) => column({ name, type: 'text', ...extra }),
    integer: (name: string, extra: Extra = {}) => column({ name, type: 'integer', ...extra }),
    boolean: (name: string, extra: Extra = {}) => column({ name, type: 'boolean', ...extra }),
    timestamp: (name: string, extra: Extra = {}) =>
      column({ name, type: postgres ? 'timestamptz' : 'datetime', ...extra }),
  };
}
