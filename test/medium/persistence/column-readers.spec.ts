import { describe, expect, it } from 'vitest';
import { columnReaders, isoDateReader } from '../../../libs/persistence/column-readers.js';
import { freshDatabaseEach, TEST_DATABASES } from '../../support/databases.js';

/** Values of every shape a column can hold on either database, well-formed or not. */
const VALUES: unknown[] = [
  null,
  undefined,
  '',
  'text',
  '2026-12-06 00:38:27.123',
  '2026-12-06 00:38:27',
  '2026-12-06T00:38:27.123',
  '2026-12-06T00:38:27.123Z',
  '2026-13-40 99:99:99.999',
  '2026-02-28 23:59:59.999',
  '2026-02-29 00:00:00.000',
  '2024-02-29 12:00:00.000',
  '2026-04-31 00:00:00.000',
  '2026-12-31 24:00:00.000',
  '2026-12-06 00:38:60.000',
  '2026-00-10 00:00:00.000',
  '0099-01-01 00:00:00.000',
  '0100-01-01 00:00:00.000',
  '2026-1a-10 00:00:00.000',
  '2026-12-06 00:38:27.12',
  '2026-12-06 00:38:27.1234',
  ' 2026-12-06 00:38:27.123',
  '２026-12-06 00:38:27.123',
  // Every day of a leap year and of the year after, at a time that changes with the day.
  ...Array.from({ length: 731 }, (_, n) =>
    new Date(Date.UTC(2028, 0, 1 + n, n % 24, (n * 7) % 60, (n * 13) % 60, n % 1000))
      .toISOString()
      .slice(0, 23)
      .replace('T', ' '),
  ),
  '2026-12-06',
  '{"a":[1,{"b":null}]}',
  '[1,2]',
  '42',
  0,
  1,
  42,
  true,
  false,
  { a: 1 },
  [1, 2],
  new Date(Date.UTC(2026, 11, 6)),
];

/** Comparable: a date by its time (an invalid one too), a throw by the fact it threw. */
function outcome(read: () => unknown): unknown {
  try {
    const value = read();
    return value instanceof Date ? { date: String(value.getTime()) } : value;
  } catch {
    return 'throws';
  }
}

describe.each(TEST_DATABASES)('columnReaders on $dialect', (database) => {
  const fresh = freshDatabaseEach(database);

  it("reads every column of every entity as the driver's prepareHydratedValue does", () => {
    const source = fresh.dataSource;
    let compared = 0;
    for (const metadata of source.entityMetadatas) {
      const readers = columnReaders(source, metadata.columns);
      metadata.columns.forEach((column, n) => {
        for (const value of VALUES) {
          const where = `${metadata.tableName}.${column.databaseName} ← ${JSON.stringify(value)}`;
          expect(
            outcome(() => readers[n]!(value)),
            where,
          ).toEqual(outcome(() => source.driver.prepareHydratedValue(value, column)));
          compared++;
        }
      });
    }
    expect(compared).toBeGreaterThan(100 * VALUES.length);
  });

  it("writes every date column's values as toISOString writes the date the driver reads", () => {
    const source = fresh.dataSource;
    let compared = 0;
    for (const metadata of source.entityMetadatas) {
      for (const column of metadata.columns.filter((c) => c.type === Date)) {
        const iso = isoDateReader(source, column);
        for (const value of VALUES) {
          const expected = outcome(() => {
            const date = source.driver.prepareHydratedValue(value, column) as Date | null | undefined;
            return date ? date.toISOString() : null;
          });
          expect(
            outcome(() => iso(value)),
            `${metadata.tableName}.${column.databaseName} ← ${String(value)}`,
          ).toEqual(expected);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(20 * VALUES.length);
  });

  it('makes the readers of a list once', () => {
    const columns = fresh.dataSource.entityMetadatas[0]!.columns;
    expect(columnReaders(fresh.dataSource, columns)).toBe(columnReaders(fresh.dataSource, columns));
  });
});
