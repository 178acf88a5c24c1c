import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { DataSource, EntityMetadata } from 'typeorm';
import { type Database, type Row } from './database.js';

export const quote = (name: string) => `"${name}"`;

/**
 * A hot-path SELECT written once and prepared once (`Database.prepared`: a better-sqlite3
 * statement, or a named PostgreSQL statement), with no query building and no ORM hydration:
 * callers turn rows into entities with `hydrate`.
 */
export class PreparedSelect {
  constructor(
    private readonly db: Database,
    /** The statement's name: one per distinct `sql`. */
    private readonly name: string,
    readonly sql: string,
  ) {}

  rows(params: unknown[]): Promise<Row[]> {
    return this.db.prepared(this.name, this.sql, params);
  }

  async first(params: unknown[]): Promise<Row | undefined> {
    return (await this.rows(params))[0];
  }
}

/** An entity's own columns: a column that is also a relation's join column keeps its property. */
export function columnsOf(metadata: EntityMetadata): ColumnMetadata[] {
  const relations = new Set(metadata.relations.map((r) => r.propertyName));
  return metadata.columns.filter((c) => !relations.has(c.propertyName));
}

/** `alias."column" AS <prefix><n>, …` for the columns, in order. */
export function selectList(alias: string, columns: ColumnMetadata[], prefix: string): string {
  return columns.map((c, n) => `${alias}.${quote(c.databaseName)} AS ${prefix}${n}`).join(', ');
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
 * (dates, JSON, booleans, transformers), so the entity equals what TypeORM's `find` loads.
 */
export function hydrate<T extends object>(
  source: DataSource,
  target: T,
  columns: ColumnMetadata[],
  value: (n: number) => unknown,
): T {
  columns.forEach((column, n) => {
    (target as Row)[column.propertyName] = source.driver.prepareHydratedValue(value(n), column);
  });
  return target;
}
