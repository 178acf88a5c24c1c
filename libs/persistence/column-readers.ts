import type { DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';

/** Turns one stored value into the entity property's value. */
export type ColumnReader = (value: unknown) => unknown;

const same: ColumnReader = (value) => value;
const json: ColumnReader = (value) => (typeof value === 'string' ? JSON.parse(value) : value);
const bit: ColumnReader = (value) => (value === null || value === undefined ? value : Boolean(value));
const date: ColumnReader = (value) => (value && typeof value === 'string' ? new Date(value) : value);
/** TypeORM's SQLite date text (UTC): a 0 stands for any digit, the rest for itself. */
const SQLITE_DATE_SHAPE = '0000-00-00 00:00:00.000';

/**
 * The time of a date as TypeORM writes it into SQLite, read field by field; NaN for any other
 * text and for fields outside the ranges every month has (day 29 on, a two-digit year, hour 24),
 * which are left to `new Date`, so no value reads differently from the driver's way.
 */
export function sqliteDateTime(text: string): number {
  if (text.length !== SQLITE_DATE_SHAPE.length) return NaN;
  // Year, month, day, hours, minutes, seconds, milliseconds: each field ends before a separator.
  const fields = [0, 0, 0, 0, 0, 0, 0];
  let field = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const shape = SQLITE_DATE_SHAPE.charCodeAt(i);
    if (shape !== 0x30) {
      if (code !== shape) return NaN;
      field++;
      continue;
    }
    const digit = code - 0x30;
    if (digit < 0 || digit > 9) return NaN;
    fields[field] = fields[field]! * 10 + digit;
  }
  const [year, month, day, hours, minutes, seconds, ms] = fields as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > 28) return NaN;
  if (hours > 23 || minutes > 59 || seconds > 59) return NaN;
  return Date.UTC(year, month - 1, day, hours, minutes, seconds, ms);
}

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
      // The stored form, and nothing else, takes the short way; any other value the driver's.
      return (value) => {
        const time = typeof value === 'string' ? sqliteDateTime(value) : NaN;
        return Number.isNaN(time) ? typeorm(value) : new Date(time);
      };
    default:
      return typeorm;
  }
}

/**
 * A date column's value as `Date.toISOString` writes it, null for null: TypeORM's SQLite text is
 * rewritten in place (what its own reader accepts is a valid date, so the text is the date's ISO
 * form with a `T` and a `Z`); anything else is read as the entity would be and then formatted.
 */
export function isoDateReader(source: DataSource, column: ColumnMetadata): (value: unknown) => string | null {
  const [read] = columnReaders(source, [column]) as [ColumnReader];
  const iso = (value: unknown) => {
    const date = read(value) as Date | null | undefined;
    return date ? date.toISOString() : null;
  };
  if (source.options.type !== 'better-sqlite3' || column.type !== Date || column.transformer) return iso;
  return (value) =>
    typeof value === 'string' && !Number.isNaN(sqliteDateTime(value))
      ? `${value.slice(0, 10)}T${value.slice(11)}Z`
      : iso(value);
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
