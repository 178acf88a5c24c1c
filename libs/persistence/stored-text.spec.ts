import type { EntityMetadata } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/index.js';
import { assertQueryText, assertRowsFit, textProblem } from './stored-text.js';

const metadata = {
  tableName: 'identities',
  columns: [
    { propertyName: 'externalId', databaseName: 'external_id', type: 'varchar', length: '5' },
    { propertyName: 'traits', databaseName: 'traits', type: 'simple-json', length: '' },
    { propertyName: 'createdAt', databaseName: 'created_at', type: Date, length: '' },
  ],
} as unknown as EntityMetadata;

function reasonOf(work: () => void): string | undefined {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe(400);
    return (error as ApiError).init.reason;
  }
  return undefined;
}

describe('textProblem', () => {
  it('refuses NUL anywhere and lengths past the column', () => {
    expect(textProblem('a\u0000b')).toMatch(/NUL/);
    expect(textProblem('abcdef', 5)).toBe('holds at most 5 characters (got 6)');
    expect(textProblem('abcde', 5)).toBeNull();
  });
});

describe('assertRowsFit', () => {
  it('names the column that cannot hold the value', () => {
    const row = { externalId: 'toolong', traits: { note: 'a\u0000b' }, createdAt: new Date() };
    expect(reasonOf(() => assertRowsFit(metadata, [row]))).toBe(
      'The value of identities.external_id holds at most 5 characters (got 7).',
    );
  });

  it('leaves JSON columns alone (NUL is escaped there) and refuses invalid dates', () => {
    expect(
      reasonOf(() => assertRowsFit(metadata, [{ externalId: 'ok', traits: 'a\u0000' }])),
    ).toBeUndefined();
    expect(reasonOf(() => assertRowsFit(metadata, [{ createdAt: new Date('garbage') }]))).toBe(
      'The value of identities.created_at is not a valid date.',
    );
  });
});

describe('assertQueryText', () => {
  it('refuses a filter no column can hold, and passes an absent one', () => {
    expect(reasonOf(() => assertQueryText('recipient', 'a\u0000', 255))).toBe(
      'The recipient parameter must not contain NUL characters.',
    );
    expect(reasonOf(() => assertQueryText('recipient', undefined, 255))).toBeUndefined();
  });
});
