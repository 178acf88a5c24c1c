import type { DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';

/** Turns one stored value into the entity property's value. */
export type ColumnReader = (value: unknown) => unknown;

const same: ColumnReader = (value) => value;
const json: ColumnReader = (value) => (typeof value === 'string' ? JSON.parse(value) : value);
const bit: ColumnReader = (value) => (value === null || value === undefined ? value : Boolean(value));
const date: ColumnReader = (value) => (value && typeof value === 'string' ? new Date(value) : value);
/** How TypeORM writes a date into SQLite: UTC, `YYYY-MM-DD HH:MM:SS.SSS`. */
const SQLITE_DATE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/;

/**
 * What the driver's `prepareHydratedValue` does to a value of this column, decided once for the
 * column instead of once per value. Only the column types Tessera's entities use, read from
 * SQLite or PostgreSQL, have their own reader; every other column (a transformer, another type,
 * another driver) keeps the driver's own conversion, so the result is always what TypeORM loads.
 */
function readerOf(source: DataSource, column: ColumnMetadata): ColumnReader {
  const driver = source.driver;
  const typeorm: ColumnReader = (value) => driver.prepareHydratedValue(value, column);
  const kind = source.options.type;
  if (column.transformer || (kind !== 'better-sqlite3' && kind !== 'postgres')) return typeorm;
  const sqlite = kind === 'better-sqlite3';
  switch (column.type) {
    case 'varchar':
    case 'text':
    case 'integer':
      return same;
    case 'simple-json':
      return json;
    case 'boolean':
      return sqlite ? bit : same;
    case Date:
      if (!sqlite) return date;
      // The stored form, and nothing else, takes the short way; any other text the driver's.
      return (value) =>
        typeof value === 'string' && SQLITE_DATE.test(value)
          ? new Date(`${value.slice(0, 10)}T${value.slice(11)}Z`)
          : typeorm(value);
    default:
      return typeorm;
  }
}

const cache = new WeakMap<DataSource, WeakMap<readonly ColumnMetadata[], ColumnReader[]>>();

/** The readers of a list of columns, in its order; made once per list and data source. */
export function columnReaders(source: DataSource, columns: readonly ColumnMetadata[]): ColumnReader[] {
  let lists = cache.get(source);
  if (!lists) cache.set(source, (lists = new WeakMap()));
  let readers = lists.get(columns);
  if (!readers) {
    readers = columns.map((column) => readerOf(source, column));
    lists.set(columns, readers);
  }
  return readers;
}
