import { describe, expect, it } from 'vitest';
import { type LoadedIdentitySchema, parseIdentitySchema } from '../../schema/index.js';
import { coerceTraits } from './trait-coercion.js';

const schema = parseIdentitySchema({
  properties: {
    traits: {
      type: 'object',
      properties: {
        email: { type: 'string' },
        age: { type: 'integer' },
        newsletter: { type: 'boolean' },
        scores: { type: 'array', items: { type: 'number' } },
        flags: { type: 'array', items: { type: 'boolean' } },
        tags: { type: 'array', items: { type: 'string' } },
      },
    },
  },
}) as LoadedIdentitySchema;

describe('traits a form sent as text', () => {
  it('become the booleans and numbers the schema declares', () => {
    expect(coerceTraits(schema, { email: 'a@x.org', age: '36', newsletter: 'true' })).toEqual({
      email: 'a@x.org',
      age: 36,
      newsletter: true,
    });
  });

  it('convert each value of an array trait as its items declare', () => {
    expect(
      coerceTraits(schema, { scores: ['1.5', '2'], flags: ['false', 'true'], tags: ['7', 'x'] }),
    ).toEqual({ scores: [1.5, 2], flags: [false, true], tags: ['7', 'x'] });
  });

  it('leave values that are not what the schema declares for validation to refuse', () => {
    expect(coerceTraits(schema, { age: 'old', scores: ['many'] })).toEqual({ age: 'old', scores: ['many'] });
  });
});
