import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { DataSource, EntityMetadata } from 'typeorm';
import { columnReaders } from './column-readers.js';
import { type Database, type Row } from './database.js';

export const quote = (name: string) => `"${name}"`;

/** PostgreSQL takes at most 100 arguments in a function call, json_build_array's included. */
const MAX_ARGUMENTS = 100;

/**
 * A hot-path SELECT written once and prepared once (`Database.prepared`: a better-sqlite3
 * statement, or a named PostgreSQL statement), with no query building and no ORM hydration:
 * callers read a row's values by position and turn them into entities with `hydrate`. On
 * PostgreSQL the values come as one JSON array: pg parses one field instead of giving every
 * column its own field, type parser and row description entry, which costs more than the query.
 */
export class PreparedSelect {
  readonly sql: string;
  private readonly postgres: boolean;

  constructor(
    private readonly db: Database,
    /** The statement's name: one per distinct SQL text. */
    private readonly name: string,
    /** What to select, in order. */
    values: string[],
    /** The rest of the statement: `FROM … WHERE …`. */
    rest: string,
  ) {
    this.postgres = db.dialect === 'postgres';
    if (this.postgres && values.length > MAX_ARGUMENTS) {
      throw new Error(`PreparedSelect ${name}: ${values.length} values, PostgreSQL takes ${MAX_ARGUMENTS}.`);
    }
    const list = this.postgres ? `json_build_array(${values.join(', ')}) AS r` : values.join(', ');
    this.sql = `SELECT ${list} ${rest}`;
  }

  /** The first row's values in the order selected. */
  async first(params: unknown[]): Promise<unknown[] | undefined> {
    const [row] = await this.db.preparedValues(this.name, this.sql, params);
    if (!row) return undefined;
    return this.postgres ? (row[0] as unknown[]) : row;
  }
}

/** An entity's own columns: a column that is also a relation's join column keeps its property. */
export function columnsOf(metadata: EntityMetadata): ColumnMetadata[] {
  const relations = new Set(metadata.relations.map((r) => r.propertyName));
  return metadata.columns.filter((c) => !relations.has(c.propertyName));
}

/** `alias."column"` for each column, in order. */
export function columnValues(alias: string, columns: ColumnMetadata[]): string[] {
  return columns.map((c) => `${alias}.${quote(c.databaseName)}`);
}

/**
 * A subquery giving the rows of `metadata`'s table that match `where` (on alias `x`) as one JSON
 * array of positional arrays, ordered by id (ids are time-ordered), to read with `jsonRows`.
 */
export function jsonRowsSql(
  postgres: boolean,
  metadata: EntityMetadata,
  columns: ColumnMetadata[],
  where: string,
): string {
  const values = columns.map((c) => `x.${quote(c.databaseName)}`).join(', ');
  const table = quote(metadata.tableName);
  return postgres
    ? `(SELECT coalesce(json_agg(json_build_array(${values}) ORDER BY x.id), '[]') FROM ${table} x WHERE ${where})`
    : `(SELECT json_group_array(json_array(${values})) FROM (SELECT * FROM ${table} x WHERE ${where} ORDER BY x.id) x)`;
}

/** The positional arrays of a `jsonRowsSql` column (a string on SQLite, parsed on PostgreSQL). */
export function jsonRows(raw: unknown): unknown[][] {
  return (typeof raw === 'string' ? JSON.parse(raw) : (raw ?? [])) as unknown[][];
}

/**
 * Sets each column's property from `value(n)`, converted by the driver's own per-column rules
 * (dates, JSON, booleans, transformers; see `columnReaders`), so the entity equals what TypeORM's
 * `find` loads.
 */
export function hydrate<T extends object>(
  source: DataSource,
  target: T,
  columns: ColumnMetadata[],
  value: (n: number) => unknown,
): T {
  const readers = columnReaders(source, columns);
  for (let n = 0; n < columns.length; n++) {
    (target as Row)[columns[n]!.propertyName] = readers[n]!(value(n));
  }
  return target;
}
