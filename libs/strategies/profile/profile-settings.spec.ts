import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type JsonObject, parseIdentitySchema } from '../../schema/index.js';
import { changesProtectedTraits } from './profile-settings.js';

const schema = parseIdentitySchema(
  JSON.parse(
    readFileSync(join(import.meta.dirname, '../../../identity-schemas/email-password.schema.json'), 'utf8'),
  ) as JsonObject,
);

describe('changesProtectedTraits', () => {
  const before = { email: 'ada@example.org', name: { first: 'Ada' } };

  it('is false for a change of name only', () => {
    expect(changesProtectedTraits(schema, before, { ...before, name: { first: 'Grace' } })).toBe(false);
  });

  it('is true for a new sign-in e-mail address', () => {
    expect(changesProtectedTraits(schema, before, { ...before, email: 'grace@example.org' })).toBe(true);
  });

  it('ignores a change of case the identifier is normalised away', () => {
    expect(changesProtectedTraits(schema, before, { ...before, email: 'ADA@example.org' })).toBe(false);
  });
});
