import { describe, expect, it } from 'vitest';
import { columnReaders } from '../../../libs/persistence/column-readers.js';
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

  it('makes the readers of a list once', () => {
    const columns = fresh.dataSource.entityMetadatas[0]!.columns;
    expect(columnReaders(fresh.dataSource, columns)).toBe(columnReaders(fresh.dataSource, columns));
  });
});
