import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { type Database, type Statement } from './database.js';
import { columnsOf, quote } from './prepared-select.js';

/**
 * A hot-path INSERT or UPDATE of a whole row, written once and prepared once (as PreparedSelect):
 * values go through the driver's own per-column conversion (dates, JSON, booleans, transformers),
 * so the row equals what TypeORM writes, without its query building.
 */
export class PreparedWrite<T extends ObjectLiteral> {
  private constructor(
    private readonly db: Database,
    private readonly name: string,
    private readonly sql: string,
    /** The entity's columns in the order of the statement's parameters. */
    private readonly columns: ColumnMetadata[],
  ) {}

  /** `INSERT INTO table (every own column) VALUES (…)`. */
  static insert<T extends ObjectLiteral>(db: Database, entity: EntityTarget<T>): PreparedWrite<T> {
    const metadata = db.dataSource.getMetadata(entity);
    const columns = columnsOf(metadata);
    const names = columns.map((c) => quote(c.databaseName)).join(', ');
    const values = columns.map((_, n) => parameter(db, n)).join(', ');
    const sql = `INSERT INTO ${quote(metadata.tableName)} (${names}) VALUES (${values})`;
    return new PreparedWrite(db, `tessera_insert_${metadata.tableName}`, sql, columns);
  }

  /** `UPDATE table SET (every own column but the key) WHERE id = …`. */
  static updateById<T extends ObjectLiteral>(db: Database, entity: EntityTarget<T>): PreparedWrite<T> {
    const metadata = db.dataSource.getMetadata(entity);
    const key = metadata.primaryColumns[0]!;
    const set = columnsOf(metadata).filter((c) => c !== key);
    const assignments = set.map((c, n) => `${quote(c.databaseName)} = ${parameter(db, n)}`).join(', ');
    const sql = `UPDATE ${quote(metadata.tableName)} SET ${assignments} WHERE ${quote(key.databaseName)} = ${parameter(db, set.length)}`;
    return new PreparedWrite(db, `tessera_update_${metadata.tableName}`, sql, [...set, key]);
  }

  /** Writes `entity`, in the surrounding transaction if there is one (see `Database.prepared`). */
  async run(entity: T): Promise<void> {
    const { name, sql, values } = this.statement(entity);
    await this.db.prepared(name, sql, values);
  }

  /** The write of `entity`, to run with others (`Database.preparedAll`). */
  statement(entity: T): Statement {
    const source: DataSource = this.db.dataSource;
    const values = this.columns.map((column) => {
      let value: unknown = column.getEntityValue(entity);
      if (value === undefined) value = typeof column.default === 'function' ? undefined : column.default;
      if (value === undefined) value = null;
      return source.driver.preparePersistentValue(value, column);
    });
    return { name: this.name, sql: this.sql, values };
  }
}

function parameter(db: Database, index: number): string {
  return db.dialect === 'postgres' ? `$${index + 1}` : '?';
}
