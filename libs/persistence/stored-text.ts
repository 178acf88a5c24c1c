import type { EntityMetadata } from 'typeorm';
import { ApiError } from '../errors/index.js';

const TEXT_TYPES = new Set<unknown>(['varchar', 'character varying', 'text', 'nvarchar', String]);
const DATE_TYPES = new Set<unknown>([Date, 'datetime', 'timestamp', 'timestamptz', 'date']);

/**
 * Why `value` cannot be stored in, or compared against, a text column of `maxLength` characters;
 * null when it can. PostgreSQL refuses NUL in text outright (SQLite would store it and truncate it
 * in places), and a value longer than a varchar column fails the write: both are the caller's
 * mistake and must be a 400 with this reason, never a database error.
 */
export function textProblem(value: string, maxLength?: number): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (maxLength !== undefined && value.length > maxLength)
    return `holds at most ${maxLength} characters (got ${value.length})`;
  return null;
}

/** A query filter or path parameter compared against a text column of `maxLength` characters. */
export function assertQueryText(name: string, value: string | undefined, maxLength: number): void {
  if (value === undefined) return;
  const problem = textProblem(value, maxLength);
  if (problem) throw new ApiError(400, { reason: `The ${name} parameter ${problem}.` });
}

function columnProblem(type: unknown, length: string, value: unknown): string | null {
  if (typeof value === 'string' && TEXT_TYPES.has(type)) {
    return textProblem(value, length ? Number(length) : undefined);
  }
  if (value instanceof Date && DATE_TYPES.has(type) && Number.isNaN(value.getTime())) {
    return 'is not a valid date';
  }
  return null;
}

/**
 * Checks every text and date column of `rows` against the entity's column definitions before a
 * write, so the limits come from one place (the entities) and cannot drift from the schema.
 */
export function assertRowsFit(metadata: EntityMetadata, rows: readonly object[]): void {
  for (const row of rows) {
    for (const column of metadata.columns) {
      const value = (row as Record<string, unknown>)[column.propertyName];
      const problem = columnProblem(column.type, column.length, value);
      if (problem) {
        throw new ApiError(400, {
          reason: `The value of ${metadata.tableName}.${column.databaseName} ${problem}.`,
        });
      }
    }
  }
}
